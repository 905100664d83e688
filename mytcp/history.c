// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the per-socket state history (SOL_MYTCP MYTCP_STATE_HISTORY),
 * for teaching and debugging: the last MYTCP_STATE_HISTORY_LEN state
 * transitions, when each happened and what caused it.
 *
 * Whatever may change a socket's state first says why in msk->hist_why:
 * the segment being processed (mytcp_hist_rcv), a user call, a timer or
 * an ICMP error (mytcp_hist_cause). mytcp_set_state() then records the
 * transition with that cause. All of it runs where the state itself may
 * change - in the socket's owner, or under the bh lock while it has none
 * - so it needs no lock of its own; getsockopt reads under lock_sock.
 */
#include <linux/tcp.h>
#include <net/sock.h>

#include "mytcp.h"

/* The UAPI layout is fixed: 64-bit aligned, no implicit holes. */
static_assert(sizeof(struct mytcp_state_transition) == 32);
static_assert(offsetof(struct mytcp_state_history, msh_entries) == 8);
static_assert(sizeof(struct mytcp_state_history) ==
	      8 + 32 * MYTCP_STATE_HISTORY_LEN);
/* Per-socket memory: keep an entry small. */
static_assert(sizeof(struct mytcp_hist_entry) == 24);
/* The ring index is hist_total modulo the length; u32 wrap keeps it. */
static_assert((MYTCP_STATE_HISTORY_LEN & (MYTCP_STATE_HISTORY_LEN - 1)) == 0);

/* Append @from -> @to with the socket's current cause. */
void mytcp_hist_record(struct sock *sk, int from, int to)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_hist_entry *e;

	/* The socket never holds TIME-WAIT itself (mytcp_hist_time_wait). */
	if (msk->hist_why.cause == MYTCP_CAUSE_TIME_WAIT)
		from = MYTCP_TIME_WAIT;
	e = &msk->hist[msk->hist_total % MYTCP_STATE_HISTORY_LEN];
	*e = msk->hist_why;
	e->ns = ktime_get_ns();
	e->from = from;
	e->to = to;
	/* Pairs with the lockless read of MYTCP_STATE_HISTORY_COUNT. */
	WRITE_ONCE(msk->hist_total, msk->hist_total + 1);
}

/* A user call, timer or ICMP error is about to change the state. */
void mytcp_hist_cause(struct sock *sk, u8 cause)
{
	struct mytcp_hist_entry *why = &mytcp_sk(sk)->hist_why;

	memset(why, 0, sizeof(*why));
	why->cause = cause;
}

/* @why = the segment at skb->data (its TCP header, already validated). */
void mytcp_hist_segment(struct mytcp_hist_entry *why,
			const struct sk_buff *skb)
{
	const struct tcphdr *th = (const struct tcphdr *)skb->data;

	memset(why, 0, sizeof(*why));
	why->cause = MYTCP_CAUSE_SEGMENT;
	why->seq = ntohl(th->seq);
	why->ack = ntohl(th->ack_seq);
	why->window = ntohs(th->window);
	/* Byte 13 of the header: CWR ... FIN (RFC 9293 3.1, RFC 3168) */
	why->flags = ((const u8 *)th)[13];
	why->len = min_t(u32, skb->len - th->doff * 4, U16_MAX);
}

/*
 * mytcp_rcv_state_process() with the segment as the cause of whatever
 * it changes; the cause before it is put back (a user call that waited,
 * say, and had its backlog processed by release_sock).
 */
int mytcp_hist_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_hist_entry saved = msk->hist_why;
	int ret;

	mytcp_hist_segment(&msk->hist_why, skb);
	ret = mytcp_rcv_state_process(sk, skb);
	/* Callers hold a reference: the socket outlives the call. */
	msk->hist_why = saved;
	return ret;
}

/* A request remembers its SYN: the LISTEN -> SYN-RECEIVED of its child. */
void mytcp_hist_request(struct mytcp_request *req, const struct sk_buff *skb)
{
	mytcp_hist_segment(&req->syn_hist, skb);
	req->syn_hist.ns = ktime_get_ns();
	req->syn_hist.from = MYTCP_LISTEN;
	req->syn_hist.to = MYTCP_SYN_RECV;
}

/*
 * A child, in SYN-RECEIVED, starts its history with its request's SYN;
 * the ACK at skb->data causes its SYN-RECEIVED -> ESTABLISHED next.
 */
void mytcp_hist_child(struct sock *child, const struct mytcp_request *req,
		      const struct sk_buff *skb)
{
	struct mytcp_sock *msk = mytcp_sk(child);

	msk->hist[0] = req->syn_hist;
	msk->hist_total = 1;
	mytcp_hist_segment(&msk->hist_why, skb);
}

/*
 * The connection enters TIME-WAIT, in a mini socket without a history;
 * the socket records that, then TIME-WAIT -> CLOSED as mytcp_done()
 * closes it.
 */
void mytcp_hist_time_wait(struct sock *sk)
{
	mytcp_hist_record(sk, sk->sk_state, MYTCP_TIME_WAIT);
	mytcp_hist_cause(sk, MYTCP_CAUSE_TIME_WAIT);
}

static void mytcp_hist_export(struct mytcp_state_transition *t,
			      const struct mytcp_hist_entry *e)
{
	memset(t, 0, sizeof(*t));
	t->mst_time_ns = e->ns;
	t->mst_from = e->from;
	t->mst_to = e->to;
	t->mst_cause = e->cause;
	t->mst_flags = e->flags;
	t->mst_window = e->window;
	t->mst_seq = e->seq;
	t->mst_ack = e->ack;
	t->mst_len = e->len;
}

/*
 * MYTCP_STATE_HISTORY: the counters, then the newest entries that fit,
 * oldest first. Snapshot under lock_sock, copied out after.
 */
static int mytcp_hist_get(struct sock *sk, int len, char __user *optval,
			  int __user *optlen)
{
	const size_t hdr = offsetof(struct mytcp_state_history, msh_entries);
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_state_history h;
	u32 n, i, first;

	if (len < (int)hdr)
		return -EINVAL;
	memset(&h, 0, sizeof(h));

	lock_sock(sk);
	h.msh_total = msk->hist_total;
	n = min_t(u32, msk->hist_total, MYTCP_STATE_HISTORY_LEN);
	n = min_t(u32, n, (len - hdr) / sizeof(h.msh_entries[0]));
	first = msk->hist_total - n;
	for (i = 0; i < n; i++)
		mytcp_hist_export(&h.msh_entries[i],
				  &msk->hist[(first + i) %
					     MYTCP_STATE_HISTORY_LEN]);
	release_sock(sk);
	h.msh_count = n;

	len = hdr + n * sizeof(h.msh_entries[0]);
	if (put_user(len, optlen) || copy_to_user(optval, &h, len))
		return -EFAULT;
	return 0;
}

/* getsockopt at SOL_MYTCP; every option is read-only. */
int mytcp_hist_getsockopt(struct sock *sk, int optname,
			  char __user *optval, int __user *optlen)
{
	u32 total;
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	switch (optname) {
	case MYTCP_STATE_HISTORY:
		return mytcp_hist_get(sk, len, optval, optlen);
	case MYTCP_STATE_HISTORY_COUNT:
		/* One field, read without the lock (as TCP_INFO's state). */
		total = READ_ONCE(mytcp_sk(sk)->hist_total);
		len = min_t(int, len, sizeof(total));
		if (put_user(len, optlen) || copy_to_user(optval, &total, len))
			return -EFAULT;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}
