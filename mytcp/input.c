// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: segment arrival (RFC 9293 3.10.7).
 *
 * mytcp_v4_rcv() validates a segment and finds what it belongs to: a
 * connection, a request or TIME-WAIT entry, a listener, or nothing (RST).
 * A socket owned by the user gets the segment on its backlog; otherwise
 * mytcp_rcv_state_process() handles it at once, in softirq context.
 */
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/tcp_states.h>

#include "mytcp.h"

/* Header of a validated segment at skb->data (pulled in mytcp_v4_rcv). */
static void mytcp_parse_skb(const struct sk_buff *skb,
			    struct mytcp_hdr_view *h)
{
	/* Cannot fail: mytcp_v4_rcv() parsed the same bytes. */
	mytcp_parse_header(skb->data, skb->len, h);
}

static void mytcp_challenge_ack(struct sock *sk)
{
	/* Not counted when rate-limited: TCPACKSkippedChallenge says so. */
	if (mytcp_challenge_ack_allowed(sock_net(sk)))
		mytcp_send_ack(sk);
}

/*
 * The duplicate ACK that answers a segment we drop (not acceptable, PAWS,
 * an ACK of data never sent): for a segment without text (nor SYN), at
 * most one per MYTCP_OOW_ACK_INTERVAL per socket, as Linux's
 * tcp_oow_rate_limited() (tcp_invalid_ratelimit, 500 ms). Two ends that
 * disagree on a sequence number - a third party injected a byte the peer
 * never sent, so the peer refuses our ACK of it as acking unsent data and
 * we refuse the peer's ACK as below RCV.NXT - would otherwise bounce ACKs
 * for ever, as fast as they can. Besides the CPU, such a loop keeps a
 * socket whose owner takes the lock in __release_sock() (the backlog
 * keeps refilling, and its length is only reset once it is empty), so
 * its backlog overflows and drops whatever else arrives: an RST at
 * RCV.NXT included (segfuzz.sh --mode exact). Data is always answered:
 * its duplicate ACKs drive the sender's loss recovery.
 */
#define MYTCP_OOW_ACK_INTERVAL	(HZ / 2)

static void mytcp_send_oow_ack(struct sock *sk,
			       const struct mytcp_hdr_view *h, bool paws)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	unsigned long now = jiffies, last = msk->last_oow_ack;

	if ((!h->payload_len && !(h->flags & MYTCP_FLAG_FIN)) ||
	    (h->flags & MYTCP_FLAG_SYN)) {
		if (last && time_in_range(now, last,
					  last + MYTCP_OOW_ACK_INTERVAL - 1)) {
			if (paws)
				MYTCP_INC_STATS(sock_net(sk), ACKSKIPPEDPAWS);
			else
				MYTCP_INC_STATS(sock_net(sk), ACKSKIPPEDSEQ);
			return;
		}
		msk->last_oow_ack = now ?: 1;
	}
	mytcp_send_ack(sk);
}

/* An RST took the connection down (RFC 9293 3.10.7.4, second check). */
void mytcp_reset(struct sock *sk, int err)
{
	if (sk->sk_state == MYTCP_ESTABLISHED ||
	    sk->sk_state == MYTCP_CLOSE_WAIT)
		MYTCP_INC_STATS(sock_net(sk), ESTABRESETS);
	if (err) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
	}
	mytcp_done(sk);
}

static void mytcp_rtt_sample(struct sock *sk, u32 rtt_us)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_net *mn = mytcp_pernet(sock_net(sk));

	if (!msk->min_rtt_us || rtt_us < msk->min_rtt_us)
		msk->min_rtt_us = rtt_us;
	/* hrtimers: a 1 us clock granularity (RFC 6298 G) */
	mytcp_rto_sample(&msk->rto, rtt_us, 1,
			 READ_ONCE(mn->sysctl_rto_min_us),
			 READ_ONCE(mn->sysctl_rto_max_ms) * USEC_PER_MSEC);
}

/*
 * Drop fully acknowledged segments, take an RTT sample (Karn's rule).
 * Returns the number of segments acked; *@sampled says if an RTT sample
 * was taken.
 */
static u32 mytcp_clean_acked(struct sock *sk, u32 ack, u64 *xmit_ns,
			     bool *sampled)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	bool ambiguous = false;
	struct sk_buff *skb;
	u64 rtt_ns = 0;
	u32 acked = 0;

	while ((skb = skb_peek(&sk->sk_write_queue)) && skb != msk->send_head) {
		const struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);

		if (mytcp_seq_after(cb->end_seq, ack))
			break;
		/*
		 * Karn (RFC 6298 3): an ACK that covers a retransmission says
		 * nothing of the segments after it either - they waited for
		 * the hole - nor does one for data SACKed long ago.
		 */
		if (cb->retrans)
			ambiguous = true;
		else if (cb->tx_ns && !(cb->sacked & MYTCP_SKB_SACKED))
			rtt_ns = ktime_get_ns() - cb->tx_ns;
		*xmit_ns = cb->xmit_ns;
		mytcp_skb_unmark(msk, skb);
		msk->packets_out--;
		acked++;
		__skb_unlink(skb, &sk->sk_write_queue);
		mytcp_wmem_free_skb(sk, skb);
	}
	if (!msk->packets_out)
		msk->sacked_out = 0;
	if (ambiguous)
		rtt_ns = 0;
	*sampled = rtt_ns;
	if (rtt_ns)
		mytcp_rtt_sample(sk, div_u64(rtt_ns, NSEC_PER_USEC) ?: 1);
	return acked;
}

/*
 * RFC 7323 4.1 (RTTM): when only retransmitted segments were acked
 * (Karn forbids a sample from them), TSecr still tells when the segment
 * that drew this ACK was sent - in milliseconds. Without it a lost
 * retransmission would leave the RTO backed off until new data is acked.
 */
static void mytcp_rtt_sample_tsecr(struct sock *sk,
				   const struct mytcp_hdr_view *h, u64 xmit_ns)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u64 now = ktime_get_ns();
	s32 ms;

	if (!msk->tstamp_ok || !(h->opts.present & MYTCP_OPT_TS) ||
	    !h->opts.ts_ecr || !xmit_ns || now < xmit_ns)
		return;
	ms = mytcp_ts_now(msk->ts_offset) - h->opts.ts_ecr;
	/*
	 * An echo older than the last transmission of the acked data (plus
	 * a tick) is a late ACK - a window update, say - or one for an
	 * earlier copy: no sample.
	 */
	if (ms < 0 || (u64)ms > div_u64(now - xmit_ns, NSEC_PER_MSEC) + 1)
		return;
	mytcp_rtt_sample(sk, ms ? ms * USEC_PER_MSEC : 1);
}

static void mytcp_write_space(struct sock *sk)
{
	if (sk_stream_is_writeable(sk) && sk->sk_socket) {
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		sk->sk_write_space(sk);
	}
}

/*
 * Send buffer autotuning, as Linux's tcp_sndbuf_expand(): room for twice
 * the congestion window, up to net.mytcp.wmem[2], unless SO_SNDBUF set it.
 */
static void mytcp_sndbuf_expand(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u32 per_seg, want;

	/* Not while memory is short (net.mytcp.mem), as Linux. */
	if ((sk->sk_userlocks & SOCK_SNDBUF_LOCK) ||
	    mytcp_under_memory_pressure())
		return;
	per_seg = SKB_TRUESIZE(SKB_DATA_ALIGN(MYTCP_MAX_HEADER +
					      min_t(u32, msk->mss_cache, 16384)));
	want = min_t(u64, (u64)2 * max_t(u32, msk->cc.cwnd, MYTCP_CC_INIT_CWND) *
		     per_seg,
		     READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_wmem[2]));
	if (want > READ_ONCE(sk->sk_sndbuf))
		WRITE_ONCE(sk->sk_sndbuf, want);
}

/*
 * Process an acceptable ACK (RFC 9293 3.10.7.4, fifth check), with its
 * SACK blocks and what they say about loss (recovery.c). False if the
 * segment is to be dropped.
 */
static bool mytcp_rcv_ack(struct sock *sk, const struct mytcp_hdr_view *h)
{
	struct mytcp_net *mn = mytcp_pernet(sock_net(sk));
	struct mytcp_sock *msk = mytcp_sk(sk);
	u32 prior_in_flight = mytcp_in_flight(msk);
	u32 wnd = (u32)h->window << msk->snd_wscale;
	u32 acked = 0, newly_sacked;
	bool dupack, sampled;
	u64 xmit_ns = 0;

	if (mytcp_seq_after(h->ack, msk->snd_nxt)) {
		/* Acks something not yet sent: ACK and drop. */
		MYTCP_INC_STATS(sock_net(sk), ACKUNSENTDROPS);
		mytcp_send_oow_ack(sk, h, false);
		return false;
	}
	/*
	 * RFC 5961 5.2: an ACK older than SND.UNA - MAX.SND.WND is a blind
	 * injection attempt: drop the segment (and its data), challenge ACK.
	 */
	if (mytcp_seq_before(h->ack, msk->snd_una - msk->max_window)) {
		MYTCP_INC_STATS(sock_net(sk), OLDACKDROPS);
		mytcp_challenge_ack(sk);
		return false;
	}
	msk->last_ack_recv_ns = ktime_get_ns();
	msk->probes_out = 0;
	newly_sacked = mytcp_sack_update(sk, &h->opts);

	/* RFC 5681 2: a duplicate ACK acks nothing new and changes nothing. */
	dupack = h->ack == msk->snd_una && msk->packets_out &&
		 !h->payload_len &&
		 !(h->flags & (MYTCP_FLAG_SYN | MYTCP_FLAG_FIN)) &&
		 wnd == msk->snd_wnd;
	if (dupack && msk->dupacks < U8_MAX)
		msk->dupacks++;

	if (mytcp_seq_after(h->ack, msk->snd_una)) {
		msk->bytes_acked += h->ack - msk->snd_una;
		msk->snd_una = h->ack;
		/* The urgent byte is acknowledged: urgent mode ends. */
		if (msk->snd_urg && !mytcp_seq_before(msk->snd_una, msk->snd_up))
			msk->snd_urg = false;
		msk->retransmits = 0;
		msk->retrans_start_ns = 0;
		msk->dupacks = 0;
		acked = mytcp_clean_acked(sk, h->ack, &xmit_ns, &sampled);
		if (!sampled)
			mytcp_rtt_sample_tsecr(sk, h, xmit_ns);
	}
	/* Window update, RFC 9293 3.10.7.4: only from newer segments. */
	if (mytcp_seq_before(msk->snd_wl1, h->seq) ||
	    (msk->snd_wl1 == h->seq &&
	     mytcp_seq_before_eq(msk->snd_wl2, h->ack))) {
		/* The window opened: the persist probes are answered. */
		if (!msk->snd_wnd && wnd)
			mytcp_rto_unbackoff(&msk->rto,
					    READ_ONCE(mn->sysctl_rto_min_us),
					    READ_ONCE(mn->sysctl_rto_max_ms) *
					    USEC_PER_MSEC);
		msk->snd_wnd = wnd;
		msk->snd_wl1 = h->seq;
		msk->snd_wl2 = h->ack;
		msk->max_window = max(msk->max_window, msk->snd_wnd);
	}

	mytcp_ack_recovery(sk, acked, prior_in_flight, dupack, newly_sacked);

	if (acked) {
		/* RFC 6298 5.2 / 5.3 */
		if (!msk->packets_out)
			mytcp_rtx_timer_stop(sk);
		else
			mytcp_rtx_timer_arm(sk);
		mytcp_sndbuf_expand(sk);
		mytcp_write_space(sk);
	}
	if (msk->send_head || msk->lost_out > msk->retrans_out)
		mytcp_push(sk);
	return true;
}

/*
 * The connection became ESTABLISHED: buffers sized for the initial
 * window, ACK the first segments at once (slow start needs the ACKs),
 * keepalive if asked for.
 */
void mytcp_established_init(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	msk->quickack = 16;
	msk->last_ack_recv_ns = ktime_get_ns();
	mytcp_sndbuf_expand(sk);
	if (sock_flag(sk, SOCK_KEEPOPEN))
		mytcp_keepalive_reset(sk);
}

/*
 * Options of the peer's SYN or SYN-ACK (RFC 7323 2.2, 3.2; RFC 2018 2):
 * each extension is on only if both sides offered it.
 */
void mytcp_syn_options_rcvd(struct sock *sk, const struct mytcp_opts *o)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	msk->peer_mss = (o->present & MYTCP_OPT_MSS) && o->mss ? o->mss : 536;
	if (msk->wscale_ok && (o->present & MYTCP_OPT_WSCALE)) {
		msk->snd_wscale = o->wscale;
	} else {
		msk->wscale_ok = false;
		msk->snd_wscale = 0;
		msk->rcv_wscale = 0;
	}
	if (!(o->present & MYTCP_OPT_SACK_PERM))
		msk->sack_ok = false;
	if (msk->tstamp_ok && (o->present & MYTCP_OPT_TS)) {
		msk->ts_recent = o->ts_val;
		msk->ts_recent_ns = ktime_get_ns();
	} else {
		msk->tstamp_ok = false;
	}
	mytcp_sync_mss(sk);
}

/* Our FIN is sent and acknowledged. */
static bool mytcp_fin_acked(const struct sock *sk)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);

	return msk->fin_queued && msk->snd_una == msk->write_seq;
}

/*
 * Track the payload share of arriving skbs' truesize, in 1/256ths, with
 * a 7/8 margin: the window we advertise is free buffer times this share.
 */
static void mytcp_rcv_ratio_update(struct sock *sk, const struct sk_buff *skb)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u32 sample = min_t(u32, ((u64)skb->len << 8) / skb->truesize, 256);

	sample = sample * 7 / 8;
	WRITE_ONCE(msk->rcv_ratio, max_t(u32, (msk->rcv_ratio * 7 + sample) / 8, 8));
}

/*
 * Memory is short (net.mytcp.mem): drop out-of-order data, the highest
 * sequence numbers first, until @size bytes can be charged - in-order
 * data is worth more, as in Linux's tcp_prune_ofo_queue(). SACKed data
 * may be dropped (RFC 2018 8): the sender resends it after its RTO.
 */
static bool mytcp_ooo_prune(struct sock *sk, int size)
{
	struct sk_buff_head *q = &mytcp_sk(sk)->ooo_queue;
	struct sk_buff *skb;
	bool pruned = false, ok = false;

	while (!ok && (skb = skb_peek_tail(q))) {
		__skb_unlink(skb, q);
		kfree_skb(skb);
		pruned = true;
		ok = mytcp_mem_schedule(sk, size, SK_MEM_RECV);
	}
	if (pruned)
		MYTCP_INC_STATS(sock_net(sk), OFOPRUNED);
	return ok;
}

/*
 * Charge an arriving segment to the receive buffer, or refuse it. Data we
 * offered a window for is taken even if its truesize overshoots the
 * buffer, up to twice its size; beyond that, or outside the offered
 * window, the buffer limit holds. @force (in-order data into an empty
 * receive queue) takes it anyway, as Linux does: else a buffer shrunk
 * below one segment's truesize (SO_RCVBUF) would refuse every
 * retransmission and the connection would stall; the same holds for the
 * protocol's pages (net.mytcp.mem), so every connection moves on.
 * In-order data may push out-of-order data out when pages are short.
 */
static bool mytcp_rmem_charge(struct sock *sk, struct sk_buff *skb, u32 end,
			      bool in_order, bool force)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);
	int limit = READ_ONCE(sk->sk_rcvbuf);

	if (mytcp_seq_before_eq(end, msk->rcv_wup + msk->rcv_wnd))
		limit *= 2;
	/* The caller counts the drop: TCPRcvQDrop or TCPOFODrop. */
	if (!force && atomic_read(&sk->sk_rmem_alloc) + skb->truesize > limit)
		return false;
	if (force)
		mytcp_mem_force(sk, skb->truesize);
	else if (!mytcp_mem_schedule(sk, skb->truesize, SK_MEM_RECV) &&
		 !(in_order && mytcp_ooo_prune(sk, skb->truesize)))
		return false;
	mytcp_rcv_ratio_update(sk, skb);
	skb_dst_drop(skb);
	mytcp_set_owner_r(skb, sk);
	return true;
}

/*
 * Free the held segments that @skb, just queued, covers: they add nothing
 * now but truesize (Linux drops them too, counting TCPOFOMerge).
 */
static void mytcp_ooo_drop_covered(struct sock *sk, struct sk_buff *skb)
{
	struct sk_buff_head *q = &mytcp_sk(sk)->ooo_queue;
	const struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	struct sk_buff *pos, *tmp;

	skb_queue_walk_safe(q, pos, tmp) {
		const struct mytcp_skb_cb *pcb = MYTCP_SKB_CB(pos);

		if (mytcp_seq_after(pcb->seq, cb->end_seq))
			break;
		if (pos == skb || mytcp_seq_before(pcb->seq, cb->seq))
			continue;
		/* Held one a duplicate of the new one: roles swapped. */
		if (mytcp_ooo_place(pcb->seq, pcb->end_seq,
				    pcb->flags & MYTCP_FLAG_FIN, cb->seq,
				    cb->end_seq, cb->flags & MYTCP_FLAG_FIN) ==
		    MYTCP_OOO_DUP) {
			__skb_unlink(pos, q);
			kfree_skb(pos);
			MYTCP_INC_STATS(sock_net(sk), OFOMERGE);
		}
	}
}

/*
 * Hold a segment that arrived ahead of RCV.NXT (RFC 9293 3.10.7.4,
 * seventh check allows it) in the out-of-order queue, sorted by sequence
 * number. A segment that adds nothing to what is held is dropped; held
 * ones that it covers are.
 */
static bool mytcp_ooo_insert(struct sock *sk, struct sk_buff *skb)
{
	struct sk_buff_head *q = &mytcp_sk(sk)->ooo_queue;
	const struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	struct sk_buff *pos;

	skb_queue_walk(q, pos) {
		const struct mytcp_skb_cb *pcb = MYTCP_SKB_CB(pos);
		enum mytcp_ooo_place where;

		where = mytcp_ooo_place(cb->seq, cb->end_seq,
					cb->flags & MYTCP_FLAG_FIN, pcb->seq,
					pcb->end_seq, pcb->flags & MYTCP_FLAG_FIN);
		if (where == MYTCP_OOO_DUP) {
			/* All of it is held already (Linux: TCPOFOMerge). */
			MYTCP_INC_STATS(sock_net(sk), OFOMERGE);
			return false;
		}
		if (where == MYTCP_OOO_BEFORE)
			break;
	}
	if (!mytcp_rmem_charge(sk, skb, cb->end_seq, false, false)) {
		MYTCP_INC_STATS(sock_net(sk), OFODROP);
		return false;
	}
	__skb_queue_before(q, pos, skb);
	MYTCP_INC_STATS(sock_net(sk), OFOQUEUE);
	mytcp_ooo_drop_covered(sk, skb);
	return true;
}

/*
 * Move what the out-of-order queue holds at RCV.NXT to the receive
 * queue, trimming overlaps. True if the stream's FIN was reached.
 */
static bool mytcp_ooo_drain(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb;

	while ((skb = skb_peek(&msk->ooo_queue))) {
		struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
		enum mytcp_reasm_verdict v;
		bool fin;

		v = mytcp_reasm_classify(msk->rcv_nxt, cb->seq, cb->end_seq,
					 cb->flags & MYTCP_FLAG_FIN, &fin);
		if (v == MYTCP_REASM_AHEAD)
			break;
		__skb_unlink(skb, &msk->ooo_queue);
		if (v == MYTCP_REASM_NEW) {
			/* The overlap stays: recvmsg() starts at copied_seq. */
			msk->rcv_nxt = cb->end_seq;
			__skb_queue_tail(&sk->sk_receive_queue, skb);
		} else {
			kfree_skb(skb);
		}
		if (fin) {
			__skb_queue_purge(&msk->ooo_queue);
			return true;
		}
	}
	return false;
}

/*
 * The segment's text (RFC 9293 3.10.7.4, seventh check): in-order bytes
 * go to the receive queue, with whatever the out-of-order queue can add
 * after them; bytes ahead of RCV.NXT wait in the out-of-order queue.
 * True if @skb was queued; *@fin set when the peer's FIN is now in order.
 */
static bool mytcp_queue_data(struct sock *sk, struct sk_buff *skb,
			     const struct mytcp_hdr_view *h, bool *fin)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	bool has_fin = h->flags & MYTCP_FLAG_FIN;
	u32 end = h->seq + h->payload_len;

	switch (mytcp_reasm_classify(msk->rcv_nxt, h->seq, end, has_fin, fin)) {
	case MYTCP_REASM_AHEAD:
		__skb_pull(skb, h->hdr_len);
		cb->seq = h->seq;
		cb->end_seq = end;
		cb->flags = has_fin ? MYTCP_FLAG_FIN : 0;
		msk->ooo_last_seq = h->seq;	/* RFC 2018 4: first block */
		return mytcp_ooo_insert(sk, skb);
	case MYTCP_REASM_OLD:
		return false;	/* nothing new but possibly the FIN */
	case MYTCP_REASM_NEW:
		break;
	}
	if (!mytcp_rmem_charge(sk, skb, end, true,
			       skb_queue_empty(&sk->sk_receive_queue))) {
		*fin = false;
		MYTCP_INC_STATS(sock_net(sk), RCVQDROP);
		return false;
	}
	/*
	 * A retransmission may overlap RCV.NXT: the old bytes stay in the skb
	 * (it may be nonlinear, so no pull past the header) and recvmsg()
	 * starts at copied_seq.
	 */
	__skb_pull(skb, h->hdr_len);
	cb->seq = h->seq;
	cb->end_seq = end;
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	msk->bytes_received += end - msk->rcv_nxt;
	msk->rcv_nxt = end;
	if (!*fin && !skb_queue_empty(&msk->ooo_queue))
		*fin = mytcp_ooo_drain(sk);
	return true;
}

/* The peer's FIN, in order (RFC 9293 3.10.7.4, eighth check). */
static void mytcp_rcv_fin(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	bool valid;
	int next;

	msk->rcv_nxt++;
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
	sock_set_flag(sk, SOCK_DONE);

	next = mytcp_state_next(sk->sk_state,
				mytcp_fin_acked(sk) ? MYTCP_EV_RCV_FIN_ACK_OF_FIN :
						      MYTCP_EV_RCV_FIN,
				msk->passive, &valid);
	if (valid && next == MYTCP_TIME_WAIT) {
		mytcp_send_ack(sk);
		mytcp_time_wait(sk);
		return;
	}
	if (valid)
		mytcp_set_state(sk, next);
	mytcp_send_ack(sk);
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk->sk_data_ready(sk);
	}
}

/* RFC 9293 3.10.7.3: SYN-SENT. */
static int mytcp_rcv_synsent(struct sock *sk, struct sk_buff *skb,
			     const struct mytcp_hdr_view *h)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	bool ack = h->flags & MYTCP_FLAG_ACK, ack_sampled;
	u64 xmit_ns = 0;

	if (ack && (mytcp_seq_before_eq(h->ack, msk->iss) ||
		    mytcp_seq_after(h->ack, msk->snd_nxt))) {
		MYTCP_INC_STATS(sock_net(sk), ACKUNSENTDROPS);
		if (!(h->flags & MYTCP_FLAG_RST))
			mytcp_send_rst_reply(sock_net(sk), skb);
		goto discard;
	}
	if (h->flags & MYTCP_FLAG_RST) {
		if (ack)
			mytcp_reset(sk, ECONNREFUSED);
		else
			MYTCP_INC_STATS(sock_net(sk), FLAGDROPS);
		goto discard;
	}
	if (!(h->flags & MYTCP_FLAG_SYN)) {
		MYTCP_INC_STATS(sock_net(sk), FLAGDROPS);
		goto discard;
	}

	msk->irs = h->seq;
	msk->rcv_nxt = h->seq + 1;
	msk->rcv_wup = msk->rcv_nxt;
	msk->copied_seq = msk->rcv_nxt;
	mytcp_syn_options_rcvd(sk, &h->opts);
	/* The window of a SYN is never scaled (RFC 7323 2.2). */
	msk->snd_wnd = h->window;
	msk->max_window = h->window;
	msk->snd_wl1 = h->seq;
	msk->snd_wl2 = h->ack;

	if (ack) {
		msk->bytes_acked += h->ack - msk->snd_una;	/* our SYN, as Linux */
		msk->snd_una = h->ack;
		msk->retransmits = 0;
		msk->retrans_start_ns = 0;
		if (!mytcp_clean_acked(sk, h->ack, &xmit_ns, &ack_sampled) ||
		    !ack_sampled)
			mytcp_rtt_sample_tsecr(sk, h, xmit_ns);
		mytcp_rtx_timer_stop(sk);
		mytcp_set_state(sk, MYTCP_ESTABLISHED);
		mytcp_established_init(sk);
		mytcp_send_ack(sk);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_state_change(sk);
		mytcp_write_space(sk);
		mytcp_push(sk);		/* data queued during the handshake */
	} else {
		/* Simultaneous open (RFC 9293 Figure 7): our SYN becomes a SYN-ACK. */
		mytcp_set_state(sk, MYTCP_SYN_RECV);
		msk->retransmits = 0;
		if (skb_peek(&sk->sk_write_queue))
			mytcp_retransmit_skb(sk, skb_peek(&sk->sk_write_queue));
		mytcp_rtx_timer_arm(sk);
	}
discard:
	kfree_skb(skb);
	return 0;
}

/* RFC 9293 3.10.7.2: LISTEN. */
static int mytcp_rcv_listen(struct sock *sk, struct sk_buff *skb,
			    const struct mytcp_hdr_view *h)
{
	if (h->flags & MYTCP_FLAG_RST)
		goto drop;
	if (h->flags & MYTCP_FLAG_ACK) {
		mytcp_send_rst_reply(sock_net(sk), skb);
		goto discard;
	}
	/* A SYN that also carries FIN is not a connection request. */
	if ((h->flags & (MYTCP_FLAG_SYN | MYTCP_FLAG_FIN)) != MYTCP_FLAG_SYN)
		goto drop;
	mytcp_conn_request(sk, skb, h);
	goto discard;
drop:
	MYTCP_INC_STATS(sock_net(sk), FLAGDROPS);
discard:
	kfree_skb(skb);
	return 0;
}

/*
 * RFC 7323 5.3 R1: a segment whose TSval is older than TS.Recent is an
 * old duplicate (PAWS), unless it is an RST or TS.Recent is more than
 * 24 days old (5.5).
 */
static bool mytcp_paws_reject(const struct mytcp_sock *msk,
			      const struct mytcp_hdr_view *h)
{
	if (!msk->tstamp_ok || !(h->opts.present & MYTCP_OPT_TS) ||
	    (h->flags & MYTCP_FLAG_RST) || !msk->ts_recent_ns)
		return false;
	if ((s32)(h->opts.ts_val - msk->ts_recent) >= 0)
		return false;
	if (ktime_get_ns() - msk->ts_recent_ns >= 24ULL * 24 * 3600 * NSEC_PER_SEC)
		return false;
	/*
	 * A duplicate pure ACK that a newer one overtook (reordering) is
	 * harmless: take it, as Linux's tcp_disordered_ack() does, rather
	 * than answer it with yet another duplicate ACK.
	 */
	return !(h->flags & MYTCP_FLAG_ACK) || h->payload_len ||
	       (h->flags & (MYTCP_FLAG_SYN | MYTCP_FLAG_FIN)) ||
	       h->seq != msk->rcv_nxt || h->ack != msk->snd_una ||
	       msk->ts_recent - h->opts.ts_val >
	       mytcp_rto_us_of(msk) / USEC_PER_MSEC;
}

/*
 * ACK data now or later (RFC 9293 3.8.6.3, RFC 5681 4.2): at once for
 * out-of-order data and duplicates (the duplicate ACK that asks for the
 * gap, with SACK blocks), for data that fills a gap, in quickack mode,
 * and when more than one full-sized segment is unacknowledged; else
 * within delack_ms.
 */
static void mytcp_ack_data(struct sock *sk, const struct mytcp_hdr_view *h,
			   u32 gso_size, bool in_order)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int delack_ms = READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_delack_ms);

	if (h->payload_len) {
		msk->data_segs_in++;
		msk->last_data_recv_ns = ktime_get_ns();
		/* A super-packet (a GSO peer over lo or veth): its segments. */
		u32 seg = gso_size ?: h->payload_len;

		if (seg > msk->rcv_mss)
			msk->rcv_mss = min_t(u32, seg, mytcp_adv_mss(sk));
	}
	if (!in_order || !delack_ms || msk->quickack ||
	    msk->rcv_nxt - msk->rcv_wup > msk->rcv_mss ||
	    (h->flags & MYTCP_FLAG_FIN)) {
		if (msk->quickack)
			msk->quickack--;
		mytcp_send_ack(sk);
		return;
	}
	msk->ack_pending++;
	mytcp_delack_timer_arm(sk);
}

/*
 * A segment with URG (RFC 9293 3.10.7.4, sixth check), as Linux's
 * tcp_check_urg(): the pointer names the byte after the urgent one (RFC
 * 6093 4). A mark beyond the one known is news: SIGURG to the owner
 * (F_SETOWN), and the new mark replaces the old (only one urgent byte).
 */
static void mytcp_check_urg(struct sock *sk, const struct mytcp_hdr_view *h)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u32 ptr = h->seq + (h->urg_ptr ? h->urg_ptr - 1 : 0);
	struct sk_buff *skb;

	/* Already read past, or data we already have: not news. */
	if (mytcp_seq_after(msk->copied_seq, ptr) ||
	    mytcp_seq_before(ptr, msk->rcv_nxt))
		return;
	if (msk->urg_data && !mytcp_seq_after(ptr, msk->urg_seq))
		return;
	sk_send_sigurg(sk);
	/*
	 * The reader sits at the old out-of-line urgent byte: step over it
	 * now, or it would be read as data once the mark moves on.
	 */
	if (msk->urg_data && msk->urg_seq == msk->copied_seq &&
	    !sock_flag(sk, SOCK_URGINLINE) && msk->copied_seq != msk->rcv_nxt) {
		msk->copied_seq++;
		skb = skb_peek(&sk->sk_receive_queue);
		if (skb && !mytcp_seq_before(msk->copied_seq,
					     MYTCP_SKB_CB(skb)->end_seq)) {
			__skb_unlink(skb, &sk->sk_receive_queue);
			__kfree_skb(skb);
		}
	}
	WRITE_ONCE(msk->urg_data, MYTCP_URG_NOTYET);
	WRITE_ONCE(msk->urg_seq, ptr);
}

/* Note a new urgent mark; catch the urgent byte when it passes by. */
static void mytcp_urg(struct sock *sk, struct sk_buff *skb,
		      const struct mytcp_hdr_view *h)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u32 off;
	u8 byte;

	if (h->flags & MYTCP_FLAG_URG)
		mytcp_check_urg(sk, h);
	if (msk->urg_data != MYTCP_URG_NOTYET)
		return;
	off = msk->urg_seq - h->seq;
	if (off < h->payload_len &&
	    !skb_copy_bits(skb, h->hdr_len + off, &byte, 1)) {
		WRITE_ONCE(msk->urg_data, MYTCP_URG_VALID | byte);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_data_ready(sk);
	}
}

/* Receive window currently offered: up to the advertised right edge. */
static u32 mytcp_rcv_wnd_now(const struct mytcp_sock *msk)
{
	s32 wnd = msk->rcv_wup + msk->rcv_wnd - msk->rcv_nxt;

	return wnd > 0 ? wnd : 0;
}

/*
 * RFC 9293 3.10.7.4 first check, with Linux's allowance (tcp_sequence()):
 * a segment without text starting at the right edge is taken too. A peer
 * that filled the window we offered, of which we had to drop a part (its
 * truesize overshot the buffer), sends its ACKs with SEQ = RCV.NXT +
 * RCV.WND; refusing them while it refuses ours likewise leaves each end
 * retransmitting data the other already has, forever. An RST there is
 * still dropped (RFC 5961 3.2).
 */
static bool mytcp_rcv_seq_ok(const struct mytcp_sock *msk,
			     const struct mytcp_hdr_view *h, u32 seg_len)
{
	u32 wnd = mytcp_rcv_wnd_now(msk);

	if (mytcp_seq_acceptable(h->seq, seg_len, msk->rcv_nxt, wnd))
		return true;
	return !seg_len && !(h->flags & MYTCP_FLAG_RST) &&
	       h->seq == msk->rcv_nxt + wnd;
}

/*
 * proto.backlog_rcv and the softirq path: one segment for a socket that is
 * not owned by the user (socket lock held, bottom halves off).
 */
int mytcp_rcv_state_process(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_hdr_view h;
	bool queued = false, fin = false, had_ooo = false, in_order = false;
	bool ts_update;
	u32 seg_len, gso_size = 0;

	mytcp_parse_skb(skb, &h);

	switch (sk->sk_state) {
	case MYTCP_CLOSE:
		/*
		 * Queued on the backlog before the connection closed, or found
		 * just before its TIME-WAIT entry replaced it: drop silently,
		 * as Linux does; an RST here could hit a peer in LAST-ACK.
		 */
		goto discard;
	case MYTCP_LISTEN:
		return mytcp_rcv_listen(sk, skb, &h);
	case MYTCP_SYN_SENT:
		return mytcp_rcv_synsent(sk, skb, &h);
	}

	msk->segs_in++;
	/* RFC 7323 5.3 R1: PAWS, before the sequence number check. */
	if (mytcp_paws_reject(msk, &h)) {
		MYTCP_INC_STATS(sock_net(sk), PAWSESTABREJECTED);
		if (!(h.flags & MYTCP_FLAG_RST))
			mytcp_send_oow_ack(sk, &h, true);
		goto discard;
	}

	/* First: sequence number acceptable? (RFC 9293 3.10.7.4) */
	seg_len = MYTCP_SKB_CB(skb)->end_seq - MYTCP_SKB_CB(skb)->seq;
	if (!mytcp_rcv_seq_ok(msk, &h, seg_len)) {
		/* Linux: TCPZeroWindowDrop for data at RCV.NXT, window 0. */
		if (h.payload_len && h.seq == msk->rcv_nxt &&
		    !mytcp_rcv_wnd_now(msk))
			MYTCP_INC_STATS(sock_net(sk), ZEROWINDOWDROP);
		else
			MYTCP_INC_STATS(sock_net(sk), SEQDROPS);
		if (!(h.flags & MYTCP_FLAG_RST))
			mytcp_send_oow_ack(sk, &h, false);
		goto discard;
	}
	/*
	 * RFC 7323 4.3 (2): the TSval of the segment we ACK next becomes
	 * TS.Recent - but only once the segment passed the RST, SYN and ACK
	 * checks below: a blind RST, SYN or data with a forged ACK number
	 * (RFC 5961) that gets this far would otherwise set TS.Recent into
	 * the future and PAWS would drop all the peer sends (as Linux's
	 * tcp_replace_ts_recent(), called from tcp_ack()).
	 */
	ts_update = msk->tstamp_ok && (h.opts.present & MYTCP_OPT_TS) &&
		    !mytcp_seq_after(h.seq, msk->rcv_wup) &&
		    (s32)(h.opts.ts_val - msk->ts_recent) >= 0;

	/* Second: RST, RFC 5961 3.2: only an exact match resets. */
	if (h.flags & MYTCP_FLAG_RST) {
		if (h.seq != msk->rcv_nxt) {
			mytcp_challenge_ack(sk);
			goto discard;
		}
		/*
		 * The user sees what Linux TCP reports (tcp_reset): EPIPE in
		 * CLOSE-WAIT, ECONNRESET everywhere else, SYN-RECEIVED, CLOSING
		 * and LAST-ACK included.
		 */
		mytcp_reset(sk, sk->sk_state == MYTCP_CLOSE_WAIT ? EPIPE :
				ECONNRESET);
		goto discard;
	}

	/* Fourth: a SYN in a synchronized state, RFC 5961 4.2. */
	if (h.flags & MYTCP_FLAG_SYN) {
		MYTCP_INC_STATS(sock_net(sk), SYNCHALLENGE);
		mytcp_challenge_ack(sk);
		goto discard;
	}

	/* Fifth: ACK. */
	if (!(h.flags & MYTCP_FLAG_ACK)) {
		MYTCP_INC_STATS(sock_net(sk), FLAGDROPS);
		goto discard;
	}
	if (sk->sk_state == MYTCP_SYN_RECV) {
		if (mytcp_seq_before_eq(h.ack, msk->snd_una) ||
		    mytcp_seq_after(h.ack, msk->snd_nxt)) {
			mytcp_send_rst_reply(sock_net(sk), skb);
			goto discard;
		}
		mytcp_set_state(sk, MYTCP_ESTABLISHED);
		mytcp_established_init(sk);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_state_change(sk);
	}
	if (!mytcp_rcv_ack(sk, &h))
		goto discard;
	if (ts_update) {
		msk->ts_recent = h.opts.ts_val;
		msk->ts_recent_ns = ktime_get_ns();
	}
	if (sk->sk_state == MYTCP_CLOSE)
		goto discard;	/* the ACK path gave up on the connection */

	switch (sk->sk_state) {
	case MYTCP_FIN_WAIT1:
		if (mytcp_fin_acked(sk)) {
			mytcp_set_state(sk, MYTCP_FIN_WAIT2);
			if (sock_flag(sk, SOCK_DEAD))
				mytcp_fin_wait2_timer_arm(sk);
			else
				sk->sk_state_change(sk);
		}
		break;
	case MYTCP_CLOSING:
		if (mytcp_fin_acked(sk)) {
			mytcp_time_wait(sk);
			goto discard;
		}
		break;
	case MYTCP_LAST_ACK:
		if (mytcp_fin_acked(sk)) {
			mytcp_done(sk);
			goto discard;
		}
		break;
	}

	/* Sixth: the URG bit. */
	mytcp_urg(sk, skb, &h);

	/* Seventh: segment text. */
	if (h.payload_len || (h.flags & MYTCP_FLAG_FIN)) {
		switch (sk->sk_state) {
		case MYTCP_ESTABLISHED:
		case MYTCP_FIN_WAIT1:
		case MYTCP_FIN_WAIT2:
			/*
			 * New data after our FIN for a socket shut down for
			 * reading (closed, or shutdown(SHUT_RDWR)): nobody
			 * will read it, so reset (RFC 1122 4.2.2.13, RFC 2525
			 * 2.17). As Linux: in FIN-WAIT-1/2 only, orphan or not.
			 */
			if (sk->sk_state != MYTCP_ESTABLISHED &&
			    (sk->sk_shutdown & RCV_SHUTDOWN) && h.payload_len &&
			    mytcp_seq_after(h.seq + h.payload_len,
					    msk->rcv_nxt)) {
				MYTCP_INC_STATS(sock_net(sk), ABORTONDATA);
				mytcp_send_rst_sk(sk);
				mytcp_reset(sk, sock_flag(sk, SOCK_DEAD) ? 0 :
					    ECONNRESET);
				goto discard;
			}
			had_ooo = !skb_queue_empty(&msk->ooo_queue);
			in_order = !mytcp_seq_after(h.seq, msk->rcv_nxt);
			gso_size = skb_shinfo(skb)->gso_size;
			queued = mytcp_queue_data(sk, skb, &h, &fin);
			if (queued && !sock_flag(sk, SOCK_DEAD))
				sk->sk_data_ready(sk);
			break;
		default:
			break;
		}
	}

	/* Eighth: the FIN, once everything before it has arrived. */
	if (fin)
		mytcp_rcv_fin(sk);
	else if (h.payload_len || (h.flags & MYTCP_FLAG_FIN))
		mytcp_ack_data(sk, &h, gso_size,
			       queued && in_order && !had_ooo);

	if (!queued)
		goto discard;
	return 0;

discard:
	kfree_skb(skb);
	return 0;
}

/* Hand a segment to a full socket: now, or via its backlog. */
static int mytcp_rcv_sk(struct sock *sk, struct sk_buff *skb)
{
	int ret = 0;

	bh_lock_sock_nested(sk);
	if (!sock_owned_by_user(sk)) {
		ret = mytcp_hist_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, 2 * READ_ONCE(sk->sk_rcvbuf) +
				  READ_ONCE(sk->sk_sndbuf) + 65536)) {
		/*
		 * The queue may hold twice the buffer (mytcp_rmem_charge()),
		 * and the window we offered may all arrive while the reader
		 * holds the socket: 64 KiB of slack, as tcp_add_backlog().
		 */
		MYTCP_INC_STATS(sock_net(sk), BACKLOGDROP);
		kfree_skb(skb);
	}
	bh_unlock_sock(sk);
	sock_put(sk);
	return ret;
}

/*
 * Receive handler for the mytcp IP protocol, softirq context. The segment
 * is a TCP segment byte for byte: its checksum covers a pseudo-header
 * with protocol 6 (IPPROTO_TCP), not the protocol number in the IP header.
 */
int mytcp_v4_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	struct mytcp_hdr_view h;
	const struct tcphdr *th;
	const struct iphdr *iph;
	struct mytcp_mini *m;
	struct sock *sk;

	if (skb->pkt_type != PACKET_HOST)
		goto discard;

	MYTCP_INC_STATS(net, INSEGS);

	if (!pskb_may_pull(skb, sizeof(struct tcphdr)))
		goto bad_header;
	th = (const struct tcphdr *)skb->data;
	/* RFC 9293 3.1: the data offset counts 32-bit words, at least 5. */
	if (th->doff < sizeof(struct tcphdr) / 4)
		goto bad_header;
	if (!pskb_may_pull(skb, th->doff * 4))
		goto bad_header;

	if (skb_checksum_init(skb, IPPROTO_TCP, inet_compute_pseudo) ||
	    skb_checksum_complete(skb))
		goto csum_error;

	/* Options parse cleanly (RFC 9293 3.1: bad lengths are an error). */
	if (mytcp_parse_header(skb->data, skb->len, &h))
		goto bad_header;

	th = tcp_hdr(skb);
	iph = ip_hdr(skb);
	cb->seq = h.seq;
	cb->end_seq = h.seq + h.payload_len + !!(h.flags & MYTCP_FLAG_SYN) +
		      !!(h.flags & MYTCP_FLAG_FIN);
	cb->flags = h.flags;
	cb->tx_ns = 0;

	sk = mytcp_lookup_established(net, iph->saddr, th->source,
				      iph->daddr, th->dest);
	if (sk)
		return mytcp_rcv_sk(sk, skb);

	m = mytcp_lookup_mini(net, iph->saddr, th->source, iph->daddr,
			      th->dest);
	if (m) {
		if (m->kind == MYTCP_MINI_REQUEST)
			mytcp_request_rcv(container_of(m, struct mytcp_request,
						       mini), skb, &h);
		else
			mytcp_tw_rcv(container_of(m, struct mytcp_tw, mini),
				     skb, &h);
		mytcp_mini_put(m);
		return 0;
	}

	sk = mytcp_lookup_listener(net, iph->saddr, th->source, iph->daddr,
				   th->dest, inet_iif(skb));
	if (sk) {
		/* An ACK of a SYN cookie: no request entry to find. */
		if (mytcp_cookie_rcv(sk, skb, &h)) {
			sock_put(sk);
			return 0;
		}
		return mytcp_rcv_sk(sk, skb);
	}

	MYTCP_INC_STATS(net, NOSOCKETDROPS);
	mytcp_send_rst_reply(net, skb);
	consume_skb(skb);
	return 0;

csum_error:
	MYTCP_INC_STATS(net, INCSUMERRORS);
	MYTCP_INC_STATS(net, INERRS);
	goto discard;
bad_header:
	MYTCP_INC_STATS(net, INHDRERRORS);
	MYTCP_INC_STATS(net, INERRS);
discard:
	kfree_skb(skb);
	return 0;
}

/*
 * ICMP errors about our segments (RFC 9293 3.10.7.x, RFC 5927): they
 * abort a connection only while it is being set up; once synchronized
 * they are soft errors (sk_err_soft), never a reset.
 */
int mytcp_v4_err(struct sk_buff *skb, u32 info)
{
	struct net *net = dev_net(skb->dev);
	const int type = icmp_hdr(skb)->type;
	const int code = icmp_hdr(skb)->code;
	const struct tcphdr *th;
	const struct iphdr *iph;
	struct mytcp_sock *msk;
	struct sock *sk;
	u32 seq;
	int err;

	/* icmp_socket_deliver() made the quoted IP header and 8 bytes linear. */
	iph = (const struct iphdr *)skb->data;
	th = (const struct tcphdr *)(skb->data + iph->ihl * 4);
	/* The quoted segment went from us (iph->saddr) to the peer. */
	sk = mytcp_lookup_established(net, iph->daddr, th->dest, iph->saddr,
				      th->source);
	if (!sk) {
		/* As Linux: an error about no connection of ours. */
		__ICMP_INC_STATS(net, ICMP_MIB_INERRORS);
		return 0;
	}

	bh_lock_sock(sk);
	/*
	 * As Linux counts it, before any other check: an error that finds
	 * the user in a system call on the socket cannot act at once (in
	 * SYN-SENT/SYN-RECEIVED it is kept as a soft error). Frag-needed is
	 * deferred to release_sock(), not lost.
	 */
	if (sock_owned_by_user(sk) &&
	    !(type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED))
		MYTCP_INC_STATS(net, LOCKDROPPEDICMPS);
	msk = mytcp_sk(sk);
	seq = ntohl(th->seq);
	/* RFC 5927 4.1: the quoted sequence number must be in flight. */
	if (!mytcp_seq_between(seq, msk->snd_una, msk->snd_nxt)) {
		MYTCP_INC_STATS(net, OUTOFWINDOWICMPS);
		goto out;
	}

	/*
	 * RFC 1191, RFC 5927 7: a router on the path could not forward a
	 * segment of ours (DF) and says what MTU it can. Not an error.
	 */
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED) {
		WRITE_ONCE(msk->mtu_info, info);
		if (!sock_owned_by_user(sk))
			mytcp_mtu_reduced(sk);
		else if (!test_and_set_bit(MYTCP_DEFER_MTU, &msk->deferred))
			sock_hold(sk);
		goto out;
	}

	switch (type) {
	case ICMP_DEST_UNREACH:
		/* Fragmentation needed was taken above (in flight). */
		if (code > NR_ICMP_UNREACH)
			goto ignored;
		err = icmp_err_convert[code].errno;
		break;
	case ICMP_TIME_EXCEEDED:
		err = EHOSTUNREACH;
		break;
	case ICMP_PARAMETERPROB:
		err = EPROTO;
		break;
	default:
		goto ignored;
	}

	/*
	 * A connection still being set up gives up at once, as Linux TCP
	 * does (RFC 1122 4.2.3.9 leaves it open for soft errors).
	 */
	if ((sk->sk_state == MYTCP_SYN_SENT ||
	     sk->sk_state == MYTCP_SYN_RECV) && !sock_owned_by_user(sk)) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
		mytcp_hist_cause(sk, MYTCP_CAUSE_ICMP);
		msk->hist_why.seq = seq;
		mytcp_done(sk);
	} else {
		WRITE_ONCE(sk->sk_err_soft, err);
	}
	goto out;
ignored:
	MYTCP_INC_STATS(net, ICMPIGNORED);
out:
	bh_unlock_sock(sk);
	sock_put(sk);
	return 0;
}
