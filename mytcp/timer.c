// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the connection timers, hrtimers running in softirq context.
 *
 *   rtx_timer  retransmission of SYN, data and FIN (RFC 6298), and the
 *              persist probe while the peer's window is zero
 *   aux_timer  lifetime of an orphaned FIN-WAIT-2 connection, and the
 *              keepalive timer (RFC 9293 3.8.4) of a live one
 *   delack_timer  the delayed ACK (RFC 9293 3.8.6.3, RFC 5681 4.2)
 *
 * An idle connection without keepalive has none of them armed.
 * A timer holds one socket reference while it is queued or its callback
 * has yet to run: a bit in msk->timer_refs says whether it is taken, so
 * that re-arming never takes a second one (see mytcp_timer_fire()). A
 * timer that fires while the user owns the socket leaves its work to
 * release_cb (a bit in msk->deferred, with its own reference), as Linux
 * TCP does.
 */
#include <net/sock.h>
#include <net/tcp_states.h>

#include "mytcp.h"

u32 mytcp_rto_us(struct sock *sk)
{
	return mytcp_rto_current(&mytcp_sk(sk)->rto);
}

/*
 * The caller holds the socket lock (owner or bh). hrtimer_try_to_cancel()
 * cannot tell a pending timer from one whose callback is running, nor
 * stop a timer re-armed during its callback, so the reference is not
 * counted from its result: the bit is set after the start, so that a
 * callback running meanwhile either sees the timer queued or leaves the
 * bit to us (mytcp_timer_fire()).
 */
static void mytcp_timer_arm(struct sock *sk, struct hrtimer *t, bool *armed,
			    int bit, u64 ns)
{
	*armed = true;
	hrtimer_start(t, ns_to_ktime(ns), HRTIMER_MODE_REL_SOFT);
	if (!test_and_set_bit(bit, &mytcp_sk(sk)->timer_refs))
		sock_hold(sk);
}

static void mytcp_timer_stop(struct sock *sk, struct hrtimer *t, bool *armed,
			     int bit)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	*armed = false;
	if (!test_bit(bit, &msk->timer_refs))
		return;
	/* -1: its callback runs and settles the reference itself. */
	if (hrtimer_try_to_cancel(t) >= 0 &&
	    test_and_clear_bit(bit, &msk->timer_refs))
		__sock_put(sk);
}

/*
 * Module exit, the socket done: wait for running callbacks and give back
 * the references still held (a timer stopped during its callback and
 * re-armed stays queued). The caller holds a reference.
 */
void mytcp_timers_cancel_sync(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	hrtimer_cancel(&msk->rtx_timer);
	hrtimer_cancel(&msk->aux_timer);
	hrtimer_cancel(&msk->delack_timer);
	if (test_and_clear_bit(MYTCP_DEFER_RTX, &msk->timer_refs))
		__sock_put(sk);
	if (test_and_clear_bit(MYTCP_DEFER_AUX, &msk->timer_refs))
		__sock_put(sk);
	if (test_and_clear_bit(MYTCP_DEFER_DELACK, &msk->timer_refs))
		__sock_put(sk);
}

void mytcp_rtx_timer_arm(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u64 ns = (u64)mytcp_rto_us(sk) * NSEC_PER_USEC;
	u32 ut = READ_ONCE(msk->user_timeout_ms);

	/* TCP_USER_TIMEOUT: fire when it runs out, not a backoff later. */
	if (ut && msk->retrans_start_ns) {
		u64 end = msk->retrans_start_ns + mytcp_ms_to_ns(ut);
		u64 now = ktime_get_ns();

		ns = min_t(u64, ns, end > now ? end - now : NSEC_PER_MSEC);
	}
	mytcp_timer_arm(sk, &msk->rtx_timer, &msk->rtx_armed, MYTCP_DEFER_RTX,
			ns);
}

void mytcp_rtx_timer_stop(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	mytcp_timer_stop(sk, &msk->rtx_timer, &msk->rtx_armed, MYTCP_DEFER_RTX);
}

void mytcp_aux_timer_arm(struct sock *sk, u64 ns)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	mytcp_timer_arm(sk, &msk->aux_timer, &msk->aux_armed, MYTCP_DEFER_AUX,
			ns);
}

/* An orphan in FIN-WAIT-2 waits sysctl fin_timeout_ms for the peer's FIN. */
void mytcp_fin_wait2_timer_arm(struct sock *sk)
{
	int ms = READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_fin_timeout_ms);

	mytcp_aux_timer_arm(sk, mytcp_ms_to_ns(ms));
}

void mytcp_aux_timer_stop(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	mytcp_timer_stop(sk, &msk->aux_timer, &msk->aux_armed, MYTCP_DEFER_AUX);
}

/* Delayed ACK: at most delack_ms after the first unacknowledged segment. */
void mytcp_delack_timer_arm(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int ms = READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_delack_ms);

	if (msk->delack_armed)
		return;
	mytcp_timer_arm(sk, &msk->delack_timer, &msk->delack_armed,
			MYTCP_DEFER_DELACK, mytcp_ms_to_ns(ms));
}

void mytcp_delack_timer_stop(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	mytcp_timer_stop(sk, &msk->delack_timer, &msk->delack_armed,
			 MYTCP_DEFER_DELACK);
}

void mytcp_timers_stop(struct sock *sk)
{
	mytcp_rtx_timer_stop(sk);
	mytcp_aux_timer_stop(sk);
	mytcp_delack_timer_stop(sk);
}

static bool mytcp_keepalive_state(const struct sock *sk)
{
	return (1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT |
				      TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2);
}

/* Time since the peer last sent us anything (its ACKs included). */
static u64 mytcp_idle_ns(const struct sock *sk)
{
	u64 now = ktime_get_ns(), last = mytcp_sk(sk)->last_ack_recv_ns;

	return now > last ? now - last : 0;
}

/* (Re)arm the keepalive timer for the idle time still to run. */
void mytcp_keepalive_reset(struct sock *sk)
{
	u64 idle = mytcp_ms_to_ns(mytcp_keepalive_idle_ms(sk));
	u64 elapsed = mytcp_idle_ns(sk);

	if (!sock_flag(sk, SOCK_KEEPOPEN) || !mytcp_keepalive_state(sk) ||
	    (sk->sk_state == MYTCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD)))
		return;
	mytcp_sk(sk)->probes_out = 0;
	mytcp_aux_timer_arm(sk, elapsed < idle ? idle - elapsed : 0);
}

/* proto.keepalive: SO_KEEPALIVE set or cleared (socket locked). */
void mytcp_keepalive_set(struct sock *sk, int on)
{
	if (!mytcp_keepalive_state(sk))
		return;
	if (on) {
		/* sock_setsockopt() sets SOCK_KEEPOPEN after this call. */
		sock_set_flag(sk, SOCK_KEEPOPEN);
		mytcp_keepalive_reset(sk);
	} else if (!(sk->sk_state == MYTCP_FIN_WAIT2 &&
		     sock_flag(sk, SOCK_DEAD))) {
		mytcp_aux_timer_stop(sk);
	}
}

/* The peer did not answer: RFC 9293 3.8.3 / RFC 1122 4.2.3.6 give up. */
static void mytcp_write_timeout(struct sock *sk, u8 cause)
{
	mytcp_hist_cause(sk, cause);
	MYTCP_INC_STATS(sock_net(sk), TIMEOUTS);
	MYTCP_INC_STATS(sock_net(sk), ABORTONTIMEOUT);
	WRITE_ONCE(sk->sk_err, ETIMEDOUT);
	sk_error_report(sk);
	mytcp_done(sk);
}

/* TCP_USER_TIMEOUT: data unacknowledged for longer than the user allows. */
static bool mytcp_user_timeout_expired(const struct sock *sk)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);
	u32 ms = READ_ONCE(msk->user_timeout_ms);

	return ms && msk->retrans_start_ns &&
	       ktime_get_ns() - msk->retrans_start_ns >= mytcp_ms_to_ns(ms);
}

/* The retransmission timer expired (RFC 6298 5.4-5.7, RFC 9293 3.8.3). */
static void mytcp_rtx_timeout(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_net *mn = mytcp_pernet(sock_net(sk));
	u32 max_us = READ_ONCE(mn->sysctl_rto_max_ms) * USEC_PER_MSEC;
	int limit;

	if (sk->sk_state == MYTCP_CLOSE || sk->sk_state == MYTCP_LISTEN)
		return;
	/* Linux's tcp_out_of_resources(): too many orphans, give up. */
	if (mytcp_orphan_limit(sk))
		return;

	if (msk->snd_una == msk->snd_nxt) {
		/*
		 * Nothing in flight: a persist probe, if data waits. Any ACK
		 * answers it and clears probes_out, so only a peer that stays
		 * silent for retries2 probes is given up on (as Linux).
		 */
		if (msk->send_head) {
			if (msk->probes_out >= READ_ONCE(mn->sysctl_retries2)) {
				mytcp_write_timeout(sk,
						    MYTCP_CAUSE_PROBE_TIMEOUT);
				return;
			}
			msk->probes_out++;
			MYTCP_INC_STATS(sock_net(sk), LOSSPROBES);
			mytcp_send_window_probe(sk);
			mytcp_rto_backoff(&msk->rto, max_us);
			mytcp_rtx_timer_arm(sk);
		}
		return;
	}

	switch (sk->sk_state) {
	case MYTCP_SYN_SENT:
		limit = READ_ONCE(mn->sysctl_syn_retries);
		break;
	case MYTCP_SYN_RECV:
		limit = READ_ONCE(mn->sysctl_synack_retries);
		break;
	default:
		limit = READ_ONCE(mn->sysctl_retries2);
		break;
	}
	if (!msk->retrans_start_ns) {
		struct sk_buff *head = skb_peek(&sk->sk_write_queue);
		u64 sent = head ? MYTCP_SKB_CB(head)->first_ns : 0;

		msk->retrans_start_ns = sent ?: ktime_get_ns() -
			(u64)mytcp_rto_us(sk) * NSEC_PER_USEC;
	}
	if (READ_ONCE(msk->user_timeout_ms) ? mytcp_user_timeout_expired(sk) :
					       msk->retransmits >= limit) {
		mytcp_write_timeout(sk, READ_ONCE(msk->user_timeout_ms) ?
				    MYTCP_CAUSE_USER_TIMEOUT : MYTCP_CAUSE_RTO);
		return;
	}
	msk->retransmits++;
	mytcp_rto_backoff(&msk->rto, max_us);
	mytcp_enter_loss(sk);
	mytcp_rtx_timer_arm(sk);
}

/*
 * An orphaned FIN-WAIT-2 connection gave up waiting for the peer's FIN.
 * It goes silently, as in Linux TCP: the peer learns of it from the RST
 * its next segment draws.
 */
static void mytcp_aux_timeout(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u64 idle, elapsed;

	if (sk->sk_state == MYTCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD)) {
		mytcp_hist_cause(sk, MYTCP_CAUSE_FIN_WAIT2_TIMEOUT);
		mytcp_done(sk);
		return;
	}
	if (!sock_flag(sk, SOCK_KEEPOPEN) || !mytcp_keepalive_state(sk))
		return;
	/* Data in flight or waiting: the retransmission timer watches. */
	if (msk->packets_out || msk->send_head) {
		mytcp_keepalive_reset(sk);
		return;
	}
	idle = mytcp_ms_to_ns(mytcp_keepalive_idle_ms(sk));
	elapsed = mytcp_idle_ns(sk);
	if (elapsed < idle) {
		/* Heard from the peer since: wait the rest of the idle time. */
		mytcp_aux_timer_arm(sk, idle - elapsed);
		return;
	}
	/* RFC 1122 4.2.3.6; TCP_USER_TIMEOUT bounds it too, as in Linux. */
	if ((READ_ONCE(msk->user_timeout_ms) && msk->probes_out &&
	     elapsed >= mytcp_ms_to_ns(msk->user_timeout_ms)) ||
	    (!READ_ONCE(msk->user_timeout_ms) &&
	     msk->probes_out >= mytcp_keepalive_probes(sk))) {
		MYTCP_INC_STATS(sock_net(sk), KEEPALIVETIMEOUTS);
		mytcp_send_rst_sk(sk);
		mytcp_write_timeout(sk, MYTCP_CAUSE_KEEPALIVE);
		return;
	}
	/* A keepalive probe: SEG.SEQ = SND.NXT - 1 draws an ACK. */
	if (!mytcp_send_window_probe(sk)) {
		msk->probes_out++;
		MYTCP_INC_STATS(sock_net(sk), KEEPALIVEPROBES);
	}
	mytcp_aux_timer_arm(sk, mytcp_ms_to_ns(mytcp_keepalive_intvl_ms(sk)));
}

/* The delayed ACK is due (RFC 9293 3.8.6.3: at most 0.5 s). */
static void mytcp_delack_timeout(struct sock *sk)
{
	if (mytcp_sk(sk)->ack_pending && mytcp_state_synchronized(sk->sk_state)) {
		MYTCP_INC_STATS(sock_net(sk), DELAYEDACKS);
		mytcp_send_ack(sk);
	}
}

static void mytcp_timer_fire(struct sock *sk, struct hrtimer *t, bool *armed,
			     int defer_bit, void (*fn)(struct sock *sk))
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	bool put;

	bh_lock_sock(sk);
	/*
	 * This expiry's reference. Clear (the bit may be 0 if we expired
	 * before mytcp_timer_arm() set it: the arm keeps that one).
	 */
	put = test_and_clear_bit(defer_bit, &msk->timer_refs);
	/* Skip if stopped, or re-armed while we waited for the lock. */
	if (*armed && !hrtimer_is_queued(t)) {
		if (sock_owned_by_user(sk)) {
			if (!test_and_set_bit(defer_bit, &msk->deferred))
				sock_hold(sk);
		} else {
			*armed = false;
			fn(sk);
		}
	}
	/*
	 * Re-armed meanwhile (the owner does not take our lock): the queued
	 * timer takes over our reference, unless its arm took one already.
	 */
	if (put && hrtimer_is_queued(t) &&
	    !test_and_set_bit(defer_bit, &msk->timer_refs))
		put = false;
	bh_unlock_sock(sk);
	if (put)
		sock_put(sk);
}

static enum hrtimer_restart mytcp_rtx_timer_fn(struct hrtimer *t)
{
	struct mytcp_sock *msk = container_of(t, struct mytcp_sock, rtx_timer);

	mytcp_timer_fire(&msk->inet.sk, t, &msk->rtx_armed, MYTCP_DEFER_RTX,
			 mytcp_rtx_timeout);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart mytcp_delack_timer_fn(struct hrtimer *t)
{
	struct mytcp_sock *msk = container_of(t, struct mytcp_sock,
					      delack_timer);

	mytcp_timer_fire(&msk->inet.sk, t, &msk->delack_armed,
			 MYTCP_DEFER_DELACK, mytcp_delack_timeout);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart mytcp_aux_timer_fn(struct hrtimer *t)
{
	struct mytcp_sock *msk = container_of(t, struct mytcp_sock, aux_timer);

	mytcp_timer_fire(&msk->inet.sk, t, &msk->aux_armed, MYTCP_DEFER_AUX,
			 mytcp_aux_timeout);
	return HRTIMER_NORESTART;
}

/* proto.release_cb: timer and PMTU work deferred while the user held us. */
void mytcp_release_cb(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (test_and_clear_bit(MYTCP_DEFER_RTX, &msk->deferred)) {
		if (msk->rtx_armed && !hrtimer_is_queued(&msk->rtx_timer)) {
			msk->rtx_armed = false;
			mytcp_rtx_timeout(sk);
		}
		__sock_put(sk);
	}
	if (test_and_clear_bit(MYTCP_DEFER_AUX, &msk->deferred)) {
		if (msk->aux_armed && !hrtimer_is_queued(&msk->aux_timer)) {
			msk->aux_armed = false;
			mytcp_aux_timeout(sk);
		}
		__sock_put(sk);
	}
	if (test_and_clear_bit(MYTCP_DEFER_DELACK, &msk->deferred)) {
		if (msk->delack_armed &&
		    !hrtimer_is_queued(&msk->delack_timer)) {
			msk->delack_armed = false;
			mytcp_delack_timeout(sk);
		}
		__sock_put(sk);
	}
	/* Not a timer, but deferred the same way (mytcp_v4_err). */
	if (test_and_clear_bit(MYTCP_DEFER_MTU, &msk->deferred)) {
		mytcp_mtu_reduced(sk);
		__sock_put(sk);
	}
}

void mytcp_timer_init(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	hrtimer_init(&msk->rtx_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	msk->rtx_timer.function = mytcp_rtx_timer_fn;
	hrtimer_init(&msk->aux_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	msk->aux_timer.function = mytcp_aux_timer_fn;
	hrtimer_init(&msk->delack_timer, CLOCK_MONOTONIC,
		     HRTIMER_MODE_REL_SOFT);
	msk->delack_timer.function = mytcp_delack_timer_fn;
}
