// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: loss detection and recovery — the SACK scoreboard (RFC 2018,
 * RFC 6675), NewReno fast recovery without SACK (RFC 6582), the RTO's
 * loss state (RFC 5681 3.1, RFC 6298 5), and the congestion-control
 * events they cause (core/cc.c). Also the SACK blocks we send.
 *
 * Every sent segment (one skb) carries scoreboard marks in its cb:
 * SACKED, LOST (to be resent) and RETRANS (resent, still out). The
 * counts packets_out, sacked_out, lost_out and retrans_out follow them,
 * and "pipe" (mytcp_in_flight()) is packets_out - sacked_out - lost_out
 * + retrans_out, as in RFC 6675 and Linux. Without SACK, each duplicate
 * ACK counts as one segment that left the network (sacked_out), which is
 * NewReno's window inflation in other words.
 */
#include <linux/skbuff.h>
#include <net/sock.h>

#include "mytcp.h"

#define MYTCP_DUPTHRESH		3	/* RFC 5681 3.2, RFC 6675 2 */

/* A segment leaves the scoreboard (acknowledged, or the queue is purged). */
void mytcp_skb_unmark(struct mytcp_sock *msk, struct sk_buff *skb)
{
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);

	if (cb->sacked & MYTCP_SKB_SACKED)
		msk->sacked_out--;
	if (cb->sacked & MYTCP_SKB_LOST)
		msk->lost_out--;
	if (cb->sacked & MYTCP_SKB_RETRANS)
		msk->retrans_out--;
	cb->sacked = 0;
}

static void mytcp_mark_lost(struct mytcp_sock *msk, struct sk_buff *skb)
{
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);

	if (!(cb->sacked & (MYTCP_SKB_LOST | MYTCP_SKB_SACKED))) {
		cb->sacked |= MYTCP_SKB_LOST;
		msk->lost_out++;
	}
}

/*
 * Duplicate ACKs (or SACKed segments above a hole) that mean loss:
 * DupThresh, or fewer when less than four segments are out and nothing
 * new can be sent to draw more (early retransmit, RFC 5827 3.1).
 */
static u32 mytcp_dupthresh(const struct mytcp_sock *msk)
{
	if (msk->packets_out <= MYTCP_DUPTHRESH && !msk->send_head)
		return max_t(u32, msk->packets_out, 2) - 1;
	return MYTCP_DUPTHRESH;
}

/* The oldest sent segment, or NULL. */
static struct sk_buff *mytcp_rtx_head(struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	return skb && skb != mytcp_sk(sk)->send_head ? skb : NULL;
}

/*
 * Mark the SACK blocks of an arriving ACK on the scoreboard (RFC 2018 5,
 * RFC 6675 5 "Update()"). Blocks outside (SND.UNA, SND.NXT] - D-SACKs
 * and junk - are ignored; a segment counts as SACKed only when a block
 * covers it whole. Returns how many segments were newly SACKed.
 */
u32 mytcp_sack_update(struct sock *sk, const struct mytcp_opts *opts)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb;
	u32 newly = 0;
	int i;

	if (!(opts->present & MYTCP_OPT_SACK) || !msk->sack_ok)
		return 0;
	for (i = 0; i < opts->nr_sack; i++) {
		u32 left = opts->sack[i].left, right = opts->sack[i].right;

		if (!mytcp_sack_block_valid(left, right, msk->snd_una,
					    msk->snd_nxt))
			continue;
		skb_queue_walk(&sk->sk_write_queue, skb) {
			struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);

			if (skb == msk->send_head ||
			    !mytcp_seq_before(cb->seq, right))
				break;
			if (!mytcp_sack_covers(left, right, cb->seq,
					       cb->end_seq) ||
			    (cb->sacked & MYTCP_SKB_SACKED))
				continue;
			if (cb->sacked & MYTCP_SKB_LOST)
				msk->lost_out--;
			if (cb->sacked & MYTCP_SKB_RETRANS)
				msk->retrans_out--;
			cb->sacked = MYTCP_SKB_SACKED;
			msk->sacked_out++;
			newly++;
		}
	}
	return newly;
}

/*
 * RFC 6675 IsLost(): a segment not SACKed with at least DupThresh SACKed
 * segments above it is lost. Segments already resent are left to the
 * RTO (no RACK here).
 */
static void mytcp_sack_mark_lost(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u32 above = 0, thresh = mytcp_dupthresh(msk);
	struct sk_buff *skb;

	if (!msk->sack_ok || msk->sacked_out < thresh)
		return;
	skb_queue_reverse_walk(&sk->sk_write_queue, skb) {
		u8 marks = MYTCP_SKB_CB(skb)->sacked;

		if (!mytcp_seq_before(MYTCP_SKB_CB(skb)->seq, msk->snd_nxt))
			continue;	/* not sent yet */
		if (marks & MYTCP_SKB_SACKED)
			above++;
		else if (above >= thresh &&
			 !(marks & (MYTCP_SKB_LOST | MYTCP_SKB_RETRANS)))
			mytcp_mark_lost(msk, skb);
		else if (marks & MYTCP_SKB_LOST && above >= thresh)
			break;	/* everything below was marked before */
	}
}

/* NewReno without SACK: an ACK for @acked segments ends that many "dup ACKs". */
static void mytcp_reno_remove_sacks(struct mytcp_sock *msk, u32 acked)
{
	if (msk->sack_ok || !acked)
		return;
	msk->sacked_out -= min(acked - 1, msk->sacked_out);
}

static void mytcp_reno_add_sack(struct mytcp_sock *msk)
{
	if (!msk->sack_ok && msk->sacked_out + 1 < msk->packets_out)
		msk->sacked_out++;
}

/*
 * Fast retransmit (RFC 5681 3.2, RFC 6675 5 (4)): note the recovery
 * point, cut the window, and resend the oldest segment at once.
 */
static void mytcp_enter_recovery(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *head = mytcp_rtx_head(sk);

	MYTCP_INC_STATS(sock_net(sk), FASTRETRANS);
	if (msk->sack_ok)
		MYTCP_INC_STATS(sock_net(sk), SACKRECOVERY);
	else
		MYTCP_INC_STATS(sock_net(sk), RENORECOVERY);
	msk->high_seq = msk->snd_nxt;
	mytcp_cc_enter_recovery(msk->cc_ops, &msk->cc, msk->packets_out);
	msk->ca_state = MYTCP_CA_RECOVERY;
	if (head && !(MYTCP_SKB_CB(head)->sacked & MYTCP_SKB_RETRANS)) {
		mytcp_mark_lost(msk, head);
		mytcp_retransmit_skb(sk, head);
	}
}

/*
 * The loss state after an RTO (RFC 5681 3.1, RFC 6298 5.5): the window
 * falls to one segment, every segment not SACKed is deemed lost and is
 * resent as slow start opens the window again. ssthresh is cut once per
 * episode, not again on each backoff.
 */
void mytcp_enter_loss(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);
	u8 keep = MYTCP_SKB_SACKED;

	if (msk->ca_state != MYTCP_CA_LOSS)
		mytcp_cc_on_rto(msk->cc_ops, &msk->cc, msk->packets_out);
	else
		msk->cc.cwnd = 1;
	/*
	 * The oldest segment out SACKed yet not acknowledged: the receiver
	 * discarded SACKed data (RFC 2018 8, as a short net.mytcp.mem
	 * does), so the scoreboard is void and all of it is resent.
	 */
	if (skb && skb != msk->send_head &&
	    (MYTCP_SKB_CB(skb)->sacked & MYTCP_SKB_SACKED)) {
		MYTCP_INC_STATS(sock_net(sk), SACKRENEGING);
		keep = 0;
	}
	msk->retrans_out = 0;
	msk->lost_out = 0;
	if (!msk->sack_ok || !keep)
		msk->sacked_out = 0;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);

		if (skb == msk->send_head)
			break;
		cb->sacked &= keep;
		mytcp_mark_lost(msk, skb);
	}
	msk->high_seq = msk->snd_nxt;
	msk->ca_state = MYTCP_CA_LOSS;
	msk->dupacks = 0;
	mytcp_push(sk);
}

/*
 * The MSS fell (path MTU, RFC 5927 7): segments out that are larger were
 * dropped by a router, not by congestion. Mark them lost, cut them to
 * the new size and resend, leaving cwnd and ssthresh alone as Linux's
 * tcp_simple_retransmit() does: no more data goes out than before, only
 * in smaller units. The loss state keeps fast recovery out until all
 * that was out is acknowledged.
 */
void mytcp_mtu_retransmit(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u32 mss = msk->mss_cache;
	struct sk_buff *skb;
	bool lost = false;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);

		if (skb == msk->send_head)
			break;
		if (skb->len <= mss || (cb->sacked & MYTCP_SKB_SACKED))
			continue;
		/* A resend of it was too large as well: it is not out. */
		if (cb->sacked & MYTCP_SKB_RETRANS) {
			cb->sacked &= ~MYTCP_SKB_RETRANS;
			msk->retrans_out--;
		}
		mytcp_mark_lost(msk, skb);
		lost = true;
		/* Pieces inherit the mark; on failure the resend cuts it. */
		mytcp_fragment(sk, skb, mss);
	}
	if (!lost)
		return;
	if (msk->ca_state != MYTCP_CA_LOSS) {
		msk->high_seq = msk->snd_nxt;
		msk->ca_state = MYTCP_CA_LOSS;
		msk->dupacks = 0;
	}
	mytcp_push(sk);
}

/*
 * After an ACK was processed: leave recovery when it covers the recovery
 * point, resend after partial ACKs (RFC 6582 3.2 (5)), detect new loss,
 * and let the congestion window grow outside fast recovery.
 */
void mytcp_ack_recovery(struct sock *sk, u32 acked, u32 prior_in_flight,
			bool dupack, u32 newly_sacked)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *head;

	if (dupack)
		mytcp_reno_add_sack(msk);
	else
		mytcp_reno_remove_sacks(msk, acked);

	switch (msk->ca_state) {
	case MYTCP_CA_RECOVERY:
		if (!mytcp_seq_before(msk->snd_una, msk->high_seq)) {
			if (!msk->sack_ok)
				msk->sacked_out = 0;
			mytcp_cc_exit_recovery(msk->cc_ops, &msk->cc,
					       mytcp_in_flight(msk));
			msk->ca_state = MYTCP_CA_OPEN;
			msk->dupacks = 0;
		} else if (acked && !msk->sack_ok) {
			/* Partial ACK: the next hole is lost too. */
			head = mytcp_rtx_head(sk);
			if (head && !(MYTCP_SKB_CB(head)->sacked &
				      MYTCP_SKB_RETRANS)) {
				mytcp_mark_lost(msk, head);
				mytcp_retransmit_skb(sk, head);
			}
		}
		break;
	case MYTCP_CA_LOSS:
		if (!mytcp_seq_before(msk->snd_una, msk->high_seq)) {
			msk->ca_state = MYTCP_CA_OPEN;
			msk->dupacks = 0;
		}
		break;
	}

	if (newly_sacked)
		mytcp_sack_mark_lost(sk);

	if (msk->ca_state == MYTCP_CA_OPEN ||
	    msk->ca_state == MYTCP_CA_DISORDER) {
		/*
		 * RFC 6582 3.2 (2): no second reduction for losses of the
		 * window already recovered from (high_seq).
		 */
		if ((msk->dupacks >= mytcp_dupthresh(msk) || msk->lost_out) &&
		    mytcp_seq_after(msk->snd_una, msk->high_seq) &&
		    msk->packets_out) {
			mytcp_enter_recovery(sk);
		} else {
			msk->ca_state = msk->dupacks || msk->sacked_out ?
					MYTCP_CA_DISORDER : MYTCP_CA_OPEN;
		}
	}

	if (acked && msk->ca_state != MYTCP_CA_RECOVERY) {
		struct mytcp_cc_ack ack = {
			.acked = acked,
			.in_flight = prior_in_flight,
			.now_us = div_u64(ktime_get_ns(), NSEC_PER_USEC),
			.rtt_us = 0,
			.min_rtt_us = msk->min_rtt_us,
			.cwnd_limited = msk->cwnd_blocked ||
					prior_in_flight >= msk->cc.cwnd ||
					(mytcp_cc_in_slow_start(&msk->cc) &&
					 prior_in_flight * 2 >= msk->cc.cwnd),
		};

		mytcp_cc_on_ack(msk->cc_ops, &msk->cc, &ack);
	}
}

/*
 * The SACK blocks we send (RFC 2018 4): the out-of-order data we hold,
 * merged into ranges; the first block holds the latest arrival, the
 * rest follow in sequence order (core/reasm.h). Returns the number
 * written (<= @max).
 */
u8 mytcp_build_sack_blocks(struct sock *sk, struct mytcp_sack_block *blk,
			   u8 max)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_sack_builder b;
	struct sk_buff *skb;

	mytcp_sack_build_init(&b, msk->ooo_last_seq, max);
	skb_queue_walk(&msk->ooo_queue, skb)
		mytcp_sack_build_add(&b, MYTCP_SKB_CB(skb)->seq,
				     MYTCP_SKB_CB(skb)->end_seq);
	return mytcp_sack_build_finish(&b, blk);
}
