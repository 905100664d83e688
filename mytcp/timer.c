// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the connection timers, hrtimers running in softirq context.
 *
 *   rtx_timer  retransmission of SYN, data and FIN (RFC 6298), and the
 *              persist probe while the peer's window is zero
 *   aux_timer  lifetime of an orphaned FIN-WAIT-2 connection
 *
 * An armed timer holds a socket reference. A timer that fires while the
 * user owns the socket leaves its work to release_cb (a bit in
 * msk->deferred, with its own reference), as Linux TCP does.
 */
#include <net/sock.h>

#include "mytcp.h"

u32 mytcp_rto_us(struct sock *sk)
{
	return mytcp_rto_current(&mytcp_sk(sk)->rto);
}

static void mytcp_timer_arm(struct sock *sk, struct hrtimer *t, bool *armed,
			    u64 ns)
{
	/* 1: it was pending and keeps its reference; else take one. */
	if (hrtimer_try_to_cancel(t) != 1)
		sock_hold(sk);
	*armed = true;
	hrtimer_start(t, ns_to_ktime(ns), HRTIMER_MODE_REL_SOFT);
}

static void mytcp_timer_stop(struct sock *sk, struct hrtimer *t, bool *armed)
{
	*armed = false;
	if (hrtimer_try_to_cancel(t) == 1)
		__sock_put(sk);
}

void mytcp_rtx_timer_arm(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	mytcp_timer_arm(sk, &msk->rtx_timer, &msk->rtx_armed,
			(u64)mytcp_rto_us(sk) * NSEC_PER_USEC);
}

void mytcp_rtx_timer_stop(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	mytcp_timer_stop(sk, &msk->rtx_timer, &msk->rtx_armed);
}

void mytcp_aux_timer_arm(struct sock *sk, u64 ns)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	mytcp_timer_arm(sk, &msk->aux_timer, &msk->aux_armed, ns);
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

	mytcp_timer_stop(sk, &msk->aux_timer, &msk->aux_armed);
}

void mytcp_timers_stop(struct sock *sk)
{
	mytcp_rtx_timer_stop(sk);
	mytcp_aux_timer_stop(sk);
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

	if (msk->snd_una == msk->snd_nxt) {
		/* Nothing in flight: a persist probe, if data waits. */
		if (msk->send_head) {
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
	if (msk->retransmits >= limit) {
		MYTCP_INC_STATS(sock_net(sk), TIMEOUTS);
		WRITE_ONCE(sk->sk_err, ETIMEDOUT);
		sk_error_report(sk);
		mytcp_done(sk);
		return;
	}
	msk->retransmits++;
	mytcp_rto_backoff(&msk->rto, max_us);
	mytcp_retransmit_head(sk, true);
	mytcp_rtx_timer_arm(sk);
}

/*
 * An orphaned FIN-WAIT-2 connection gave up waiting for the peer's FIN.
 * It goes silently, as in Linux TCP: the peer learns of it from the RST
 * its next segment draws.
 */
static void mytcp_aux_timeout(struct sock *sk)
{
	if (sk->sk_state == MYTCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD))
		mytcp_done(sk);
}

static void mytcp_timer_fire(struct sock *sk, struct hrtimer *t, bool *armed,
			     int defer_bit, void (*fn)(struct sock *sk))
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	bh_lock_sock(sk);
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
	bh_unlock_sock(sk);
	sock_put(sk);
}

static enum hrtimer_restart mytcp_rtx_timer_fn(struct hrtimer *t)
{
	struct mytcp_sock *msk = container_of(t, struct mytcp_sock, rtx_timer);

	mytcp_timer_fire(&msk->inet.sk, t, &msk->rtx_armed, MYTCP_DEFER_RTX,
			 mytcp_rtx_timeout);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart mytcp_aux_timer_fn(struct hrtimer *t)
{
	struct mytcp_sock *msk = container_of(t, struct mytcp_sock, aux_timer);

	mytcp_timer_fire(&msk->inet.sk, t, &msk->aux_armed, MYTCP_DEFER_AUX,
			 mytcp_aux_timeout);
	return HRTIMER_NORESTART;
}

/* proto.release_cb: run the timer work deferred while the user held us. */
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
}

void mytcp_timer_init(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	hrtimer_init(&msk->rtx_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	msk->rtx_timer.function = mytcp_rtx_timer_fn;
	hrtimer_init(&msk->aux_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	msk->aux_timer.function = mytcp_aux_timer_fn;
}
