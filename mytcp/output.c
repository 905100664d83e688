// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: building and sending segments — from a socket's write queue,
 * pure ACKs and RSTs of a socket, and socketless replies (RSTs to
 * segments that reach nothing, SYN-ACKs of requests, TIME-WAIT ACKs).
 */
#include <linux/siphash.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/route.h>

#include "mytcp.h"
#include "core/isn.h"
#include "core/window.h"

static siphash_aligned_key_t mytcp_isn_key __ro_after_init;
static siphash_aligned_key_t mytcp_ts_key __ro_after_init;

/*
 * The ISN and TSval-offset secrets are drawn once, at load (the caller
 * waited for the RNG), and never written again. net_get_random_once()
 * would flip a static key at the first connection, live-patching our
 * text while another CPU may run it, on every load
 * (Documentation/testing.rst, "Live kernel text under TCG").
 */
void __init mytcp_output_secrets_init(void)
{
	get_random_bytes(&mytcp_isn_key, sizeof(mytcp_isn_key));
	get_random_bytes(&mytcp_ts_key, sizeof(mytcp_ts_key));
}

/* RFC 6528: ISN = M + F(4-tuple, secret key), M a 4 us clock (core). */
u32 mytcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	u32 hash;

	hash = siphash_3u32((__force u32)saddr, (__force u32)daddr,
			    ((__force u32)sport << 16) | (__force u32)dport,
			    &mytcp_isn_key);
	return mytcp_isn_compose(hash, ktime_get_real_ns());
}

/*
 * RFC 7323 7.1: a per-address-pair random offset to TSval, so the clock
 * of the host cannot be read off, while PAWS across connections between
 * the same hosts (TIME-WAIT reuse) still sees one clock.
 */
u32 mytcp_ts_offset(__be32 saddr, __be32 daddr)
{
	return siphash_2u32((__force u32)saddr, (__force u32)daddr,
			    &mytcp_ts_key);
}

/* Largest payload the route allows (RFC 9293 3.7.1, without IP options). */
u16 mytcp_route_mss(struct sock *sk)
{
	struct dst_entry *dst = __sk_dst_get(sk);
	u32 mtu = dst ? dst_mtu(dst) : 576;

	return clamp_t(u32, mtu - sizeof(struct iphdr) - sizeof(struct tcphdr),
		       64, 65495);
}

/* The MSS option we send: the route's, clamped by TCP_MAXSEG. */
u16 mytcp_adv_mss(struct sock *sk)
{
	u16 mss = mytcp_route_mss(sk);
	u16 user = READ_ONCE(mytcp_sk(sk)->user_mss);

	return user ? min(mss, user) : mss;
}

/*
 * Payload per segment (RFC 9293 3.7.1 Eff.snd.MSS): the peer's MSS and
 * our route, less the options every segment carries (timestamps).
 */
void mytcp_sync_mss(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u32 mss = min_t(u32, msk->peer_mss, mytcp_adv_mss(sk));

	if (msk->tstamp_ok)
		mss -= MYTCP_OPT_LEN_TS + 2;	/* aligned: NOP NOP TS */
	msk->mss_cache = max_t(u32, mss, 48);
}

/*
 * ICMP "fragmentation needed" (RFC 1191, RFC 5927 7) quoted a segment
 * in flight: lower the route's PMTU to msk->mtu_info and, if the MSS
 * shrinks, resend what is out at the new size. Under the socket's bh
 * lock, the user not owning it (else release_cb calls it later).
 */
void mytcp_mtu_reduced(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct dst_entry *dst;
	u16 old_mss;

	if ((1 << sk->sk_state) & (TCPF_LISTEN | TCPF_CLOSE))
		return;
	/* IP_MTU_DISCOVER: DONT, INTERFACE and OMIT do not take PMTU news. */
	if (READ_ONCE(inet_sk(sk)->pmtudisc) == IP_PMTUDISC_DONT ||
	    !ip_sk_accept_pmtu(sk))
		return;
	if (inet_sk_rebuild_header(sk))
		return;
	dst = __sk_dst_get(sk);
	if (!dst->ops->update_pmtu)
		return;
	/*
	 * The route code ignores an MTU that would not lower the PMTU and
	 * raises one below net.ipv4.route.min_pmtu (552) to it; the new
	 * PMTU lives in a route exception that makes our route obsolete.
	 */
	dst->ops->update_pmtu(dst, sk, NULL, READ_ONCE(msk->mtu_info), true);
	if (inet_sk_rebuild_header(sk))
		return;
	/* SYN-SENT: the handshake's mytcp_sync_mss() will see the route. */
	if (!mytcp_state_synchronized(sk->sk_state))
		return;
	old_mss = msk->mss_cache;
	mytcp_sync_mss(sk);
	if (msk->mss_cache >= old_mss)
		return;
	MYTCP_INC_STATS(sock_net(sk), MTUREDUCED);
	mytcp_mtu_retransmit(sk);
}

/*
 * Our window shift (RFC 7323 2.3): the smallest that lets the window
 * field cover the largest receive buffer this socket may grow to.
 */
u8 mytcp_select_wscale(const struct sock *sk)
{
	const struct mytcp_net *mn = mytcp_pernet(sock_net(sk));
	u32 space = max_t(u32, READ_ONCE(mn->sysctl_rmem[2]),
			  READ_ONCE(sk->sk_rcvbuf));
	u8 ws = 0;

	while (ws < MYTCP_MAX_WSCALE && (U16_MAX << ws) < space)
		ws++;
	return ws;
}

/*
 * The window to advertise, in bytes: free receive space, never pulling
 * the right edge back (RFC 9293 3.8.6), with receiver-side SWS avoidance;
 * never scaled in a SYN (RFC 7323 2.2).
 */
static u16 mytcp_select_window(struct sock *sk, bool syn)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_rwnd_in in = {
		.free_space = mytcp_rcv_space(sk),
		/* in payload bytes, as free_space; segments as they arrive */
		.rcv_buf = ((u64)READ_ONCE(sk->sk_rcvbuf) *
			    READ_ONCE(msk->rcv_ratio)) >> 8,
		.mss = msk->rcv_mss,
		.wscale = syn ? 0 : msk->rcv_wscale,
		.rcv_nxt = msk->rcv_nxt,
		.right_edge = msk->rcv_wup + msk->rcv_wnd,
	};
	u16 field;
	u32 wnd;

	if (mytcp_seq_before(in.right_edge, msk->rcv_nxt))
		in.right_edge = msk->rcv_nxt;
	wnd = mytcp_rwnd_select(&in, &field);
	msk->rcv_wnd = wnd;
	msk->rcv_wup = msk->rcv_nxt;
	return field;
}

static void mytcp_set_csum(struct sock *sk, struct sk_buff *skb, __be32 saddr,
			   __be32 daddr)
{
	struct tcphdr *th = tcp_hdr(skb);

	struct dst_entry *dst = sk ? __sk_dst_get(sk) : NULL;

	/*
	 * The pseudo-header says IPPROTO_TCP: a mytcp segment is a TCP
	 * segment byte for byte. Devices with NETIF_F_HW_CSUM (lo, veth)
	 * finish a CHECKSUM_PARTIAL skb of any protocol; others get the sum
	 * in software. Ask the device: sk_setup_caps() puts HW_CSUM in
	 * sk_route_caps whenever it enables GSO, whatever the device has.
	 */
	if (dst && dst->dev && (dst->dev->features & NETIF_F_HW_CSUM)) {
		th->check = ~csum_tcpudp_magic(saddr, daddr, skb->len,
					       IPPROTO_TCP, 0);
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct tcphdr, check);
	} else {
		th->check = 0;
		th->check = csum_tcpudp_magic(saddr, daddr, skb->len,
					      IPPROTO_TCP,
					      skb_checksum(skb, 0, skb->len, 0));
		skb->ip_summed = CHECKSUM_NONE;
	}
}

/* Options of our SYN or SYN-ACK: what connect() decided to offer. */
static void mytcp_syn_options(struct sock *sk, struct mytcp_opt_out *o)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	o->present = MYTCP_OPT_MSS;
	o->mss = mytcp_adv_mss(sk);
	if (msk->wscale_ok) {
		o->present |= MYTCP_OPT_WSCALE;
		o->wscale = msk->rcv_wscale;
	}
	if (msk->sack_ok)
		o->present |= MYTCP_OPT_SACK_PERM;
	if (msk->tstamp_ok) {
		o->present |= MYTCP_OPT_TS;
		o->ts_val = mytcp_ts_now(msk->ts_offset);
		o->ts_ecr = msk->ts_recent;
	}
}

/*
 * Options of a synchronized segment: timestamps on every one (RFC 7323
 * 3.2), and SACK blocks (RFC 2018) while data waits out of order, as
 * many as fit next to @payload bytes in the route's MTU.
 */
static void mytcp_est_options(struct sock *sk, struct mytcp_opt_out *o,
			      u32 payload, u8 flags)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int room;
	u8 n;

	o->present = 0;
	if (msk->tstamp_ok) {
		o->present |= MYTCP_OPT_TS;
		o->ts_val = mytcp_ts_now(msk->ts_offset);
		o->ts_ecr = msk->ts_recent;
	}
	if (!msk->sack_ok || (flags & MYTCP_FLAG_RST) ||
	    skb_queue_empty(&msk->ooo_queue))
		return;
	n = mytcp_sack_blocks_fit(o);
	room = (int)mytcp_route_mss(sk) - (int)payload -
	       (msk->tstamp_ok ? MYTCP_OPT_LEN_TS + 2 : 0) -
	       MYTCP_OPT_LEN_SACK_BASE - 2;
	if (payload)
		n = min_t(int, n, max(room, 0) / MYTCP_OPT_LEN_SACK_BLOCK);
	if (n)
		o->nr_sack = mytcp_build_sack_blocks(sk, o->sack, n);
	if (o->nr_sack)
		o->present |= MYTCP_OPT_SACK;
}

/*
 * Fill in the header of @skb, which we own (a clone of queued data, a
 * super-packet or a control segment), and hand it to IP. @segs wire
 * segments of @seg_payload bytes each (the last may be shorter).
 */
static int mytcp_xmit_built(struct sock *sk, struct sk_buff *skb, u8 flags,
			    u32 seq, u32 seg_payload, u16 segs)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct mytcp_opt_out opts = { };
	struct tcphdr *th;
	int opt_len = 0;

	/* Every segment but the first SYN carries an ACK (RFC 9293 3.10.7). */
	if (sk->sk_state != MYTCP_SYN_SENT && !(flags & MYTCP_FLAG_RST))
		flags |= MYTCP_FLAG_ACK;
	if (flags & MYTCP_FLAG_SYN)
		mytcp_syn_options(sk, &opts);
	else
		mytcp_est_options(sk, &opts, seg_payload, flags);
	opt_len = opts.present ? mytcp_options_size(&opts) : 0;

	th = skb_push(skb, sizeof(*th) + opt_len);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = inet->inet_sport;
	th->dest = inet->inet_dport;
	th->seq = htonl(seq);
	th->ack_seq = (flags & MYTCP_FLAG_ACK) ? htonl(msk->rcv_nxt) : 0;
	th->doff = (sizeof(*th) + opt_len) / 4;
	/*
	 * Urgent mode (RFC 9293 3.8.5): every segment before the urgent
	 * point says where it is, relative to its own SEQ. One 64 KiB or
	 * more ahead gets 0xFFFF, as Linux sends, if not far behind SND.NXT.
	 */
	if (msk->snd_urg && mytcp_seq_before(seq, msk->snd_up)) {
		if (mytcp_seq_before(msk->snd_up, seq + 0x10000)) {
			th->urg_ptr = htons(msk->snd_up - seq);
			flags |= MYTCP_FLAG_URG;
		} else if (mytcp_seq_after(seq + 0xFFFF, msk->snd_nxt)) {
			th->urg_ptr = htons(0xFFFF);
			flags |= MYTCP_FLAG_URG;
		}
	}
	((u8 *)th)[13] = flags;
	th->window = htons(mytcp_select_window(sk, flags & MYTCP_FLAG_SYN));
	if (opt_len)
		mytcp_build_options((u8 *)(th + 1), opt_len, &opts);

	mytcp_set_csum(sk, skb, inet->inet_saddr, inet->inet_daddr);
	if (segs > 1) {
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
		skb_shinfo(skb)->gso_size = seg_payload;
		skb_shinfo(skb)->gso_segs = segs;
	}
	skb_set_owner_w(skb, sk);
	memset(skb->cb, 0, sizeof(struct inet_skb_parm));
	skb->protocol = htons(ETH_P_IP);

	if (flags & MYTCP_FLAG_RST)
		MYTCP_INC_STATS(sock_net(sk), OUTRSTS);
	this_cpu_add(mytcp_pernet(sock_net(sk))->mib->mibs[MYTCP_MIB_OUTSEGS],
		     segs);
	msk->segs_out += segs;
	if (skb->len > sizeof(*th) + opt_len) {
		msk->data_segs_out += segs;
		msk->last_data_sent_ns = ktime_get_ns();
	}
	/* This segment carries the ACK a delayed ACK would have sent. */
	if (flags & MYTCP_FLAG_ACK) {
		msk->ack_pending = 0;
		mytcp_delack_timer_stop(sk);
	}
	return ip_queue_xmit(sk, skb, &inet->cork.fl);
}

/*
 * Send @skb (a queued segment, which stays queued for retransmission, or
 * a one-off control segment) with the header filled from the socket.
 */
static int mytcp_transmit_skb(struct sock *sk, struct sk_buff *skb,
			      bool queued, gfp_t gfp)
{
	const struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	u8 flags = cb->flags;
	u32 seq = cb->seq;

	if (queued) {
		/*
		 * The header goes into the shared headroom: copy rather than
		 * clone while an earlier clone may still be in a queue.
		 */
		skb = skb_cloned(skb) ? pskb_copy(skb, gfp) : skb_clone(skb, gfp);
		if (!skb)
			return -ENOBUFS;
	}
	return mytcp_xmit_built(sk, skb, flags, seq, skb->len, 1);
}

/*
 * A run of consecutive unsent segments that __mytcp_push() sends as one
 * packet (offload.c): at most one MSS in all, or whole MSS-sized
 * segments but the last, as GSO.
 */
struct mytcp_xmit_run {
	struct sk_buff *first;
	struct sk_buff *last;
	u32 n;			/* segments (queued skbs) */
	u32 len;		/* payload bytes */
	bool full;		/* every segment so far holds exactly one MSS */
};

/* Largest super-packet: what lo and veth take whole. */
#define MYTCP_GSO_MAX_BYTES	(GSO_LEGACY_MAX_SIZE - MYTCP_MAX_HEADER)
#define MYTCP_GSO_MAX_SEGS	64

/*
 * Segments per super-packet: about a millisecond's worth at the current
 * rate (cwnd per smoothed RTT), at least 2, as Linux sizes its TSO
 * packets - else on a slow path a 64 KiB packet would sit in a queue
 * (netem's rate, a shaper) for long, inflating the RTT and the RTO.
 */
static u32 mytcp_gso_max_segs(const struct mytcp_sock *msk)
{
	u32 srtt = msk->rto.srtt_us;
	u64 per_ms;

	if (!srtt)
		return 2;
	per_ms = div_u64((u64)msk->cc.cwnd * USEC_PER_MSEC, srtt);
	return clamp_t(u64, per_ms, 2, MYTCP_GSO_MAX_SEGS);
}

/* May the socket's route carry super-packets? */
static bool mytcp_sk_gso_ok(struct sock *sk)
{
	struct dst_entry *dst = __sk_dst_get(sk);

	return mytcp_gso_enabled() &&
	       READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_gso) &&
	       dst && mytcp_dev_gso_ok(dst->dev);
}

/* Can @skb, the segment after the run's last one, join the run? */
static bool mytcp_run_can_extend(const struct sock *sk,
				 const struct mytcp_xmit_run *run,
				 const struct sk_buff *skb)
{
	u32 mss = mytcp_sk(sk)->mss_cache;
	u32 len = run->len + skb->len;

	/* In urgent mode each segment's pointer is its own: one by one. */
	if (!run->n || mytcp_sk(sk)->snd_urg ||
	    (MYTCP_SKB_CB(run->last)->flags & MYTCP_FLAG_FIN) ||
	    (MYTCP_SKB_CB(skb)->flags & MYTCP_FLAG_SYN) || !skb->len ||
	    skb->len > mss)
		return false;
	if (len <= mss)
		return true;
	/* Software segmentation cuts at MSS boundaries: ours must match. */
	return run->full && len <= MYTCP_GSO_MAX_BYTES &&
	       run->n < mytcp_gso_max_segs(mytcp_sk(sk));
}

/*
 * Send a run: a lone segment as it is; several as a header-only head
 * with clones of the segments on its frag_list (the head needs its own
 * skb_shared_info: a clone would share the first segment's).
 */
static int mytcp_transmit_run(struct sock *sk, struct mytcp_xmit_run *run,
			      gfp_t gfp)
{
	u32 mss = mytcp_sk(sk)->mss_cache;
	struct sk_buff *head, *m, **tail;
	u32 i;

	if (run->n == 1)
		return mytcp_transmit_skb(sk, run->first, true, gfp);

	head = alloc_skb(MYTCP_MAX_HEADER, gfp);
	if (!head)
		return -ENOBUFS;
	skb_reserve(head, MYTCP_MAX_HEADER);
	tail = &skb_shinfo(head)->frag_list;
	for (i = 0, m = run->first; i < run->n; i++, m = m->next) {
		struct sk_buff *c = skb_clone(m, gfp);

		if (!c) {
			kfree_skb(head);
			return -ENOBUFS;
		}
		*tail = c;
		tail = &c->next;
		head->len += c->len;
		head->data_len += c->len;
		head->truesize += c->truesize;
	}
	if (run->len <= mss)
		return mytcp_xmit_built(sk, head, MYTCP_SKB_CB(run->last)->flags,
					MYTCP_SKB_CB(run->first)->seq,
					run->len, 1);
	return mytcp_xmit_built(sk, head, MYTCP_SKB_CB(run->last)->flags,
				MYTCP_SKB_CB(run->first)->seq, mss,
				DIV_ROUND_UP(run->len, mss));
}

/* Queue a control or data skb at the tail of the write queue. */
static void mytcp_queue_skb(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	__skb_queue_tail(&sk->sk_write_queue, skb);
	sk_wmem_queued_add(sk, skb->truesize);
	/* A SYN or FIN must go whatever net.mytcp.mem says. */
	mytcp_mem_charge_forced(sk, skb->truesize);
	if (!msk->send_head)
		msk->send_head = skb;
}

static struct sk_buff *mytcp_alloc_ctl_skb(struct sock *sk, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(MYTCP_MAX_HEADER, gfp);

	if (skb)
		skb_reserve(skb, MYTCP_MAX_HEADER);
	return skb;
}

/*
 * Split @skb after @len payload bytes: the tail (with any FIN) becomes a
 * new skb right after it in the write queue. The tail of a sent skb
 * keeps its send times and scoreboard marks, and counts as one more
 * segment out with them, so that "pipe" (RFC 6675) stays right.
 */
int mytcp_fragment(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	bool sent = mytcp_seq_before(cb->seq, msk->snd_nxt);
	struct mytcp_skb_cb *bcb;
	struct sk_buff *buff;

	buff = alloc_skb_fclone(MYTCP_MAX_HEADER + skb->len - len, GFP_ATOMIC);
	if (!buff)
		return -ENOMEM;
	skb_reserve(buff, MYTCP_MAX_HEADER);
	sk_wmem_queued_add(sk, buff->truesize);
	/* Resending must not fail for memory: the data is queued already. */
	mytcp_mem_charge_forced(sk, buff->truesize);
	/*
	 * Queued skbs are linear (stream.c): copy the tail out and trim, so
	 * that a clone of a sent skb still in a device queue is not touched.
	 */
	skb_put_data(buff, skb->data + len, skb->len - len);
	skb_trim(skb, len);
	bcb = MYTCP_SKB_CB(buff);
	bcb->seq = cb->seq + len;
	bcb->end_seq = cb->end_seq;
	bcb->flags = cb->flags;
	bcb->retrans = cb->retrans;
	if (sent) {
		bcb->tx_ns = cb->tx_ns;
		bcb->first_ns = cb->first_ns;
		bcb->xmit_ns = cb->xmit_ns;
		bcb->sacked = cb->sacked;
		msk->packets_out++;
		if (cb->sacked & MYTCP_SKB_SACKED)
			msk->sacked_out++;
		if (cb->sacked & MYTCP_SKB_LOST)
			msk->lost_out++;
		if (cb->sacked & MYTCP_SKB_RETRANS)
			msk->retrans_out++;
	} else {
		bcb->tx_ns = 0;
		bcb->first_ns = 0;
		bcb->xmit_ns = 0;
		bcb->sacked = 0;
	}
	cb->end_seq = cb->seq + len;
	cb->flags &= ~(MYTCP_FLAG_FIN | MYTCP_FLAG_PSH);
	__skb_queue_after(&sk->sk_write_queue, skb, buff);
	return 0;
}

/*
 * How much of a segment that does not fit the window to send now:
 * sender-side SWS avoidance (RFC 9293 3.8.6.2.1) sends a partial
 * segment only if it is at least half the largest window the peer
 * offered, or if nothing is in flight (else nothing would ever open the
 * window further).
 */
static u32 mytcp_partial_len(const struct mytcp_sock *msk, u32 usable)
{
	if (usable >= msk->max_window / 2 || msk->snd_una == msk->snd_nxt)
		return usable;
	return 0;
}

/*
 * Resend one sent segment (RFC 6298 5.4, RFC 6675 NextSeg). Not beyond
 * the peer's window, unless it is the oldest one.
 */
int mytcp_retransmit_skb(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	int err;

	if (cb->seq != msk->snd_una &&
	    !mytcp_seq_before(cb->seq, msk->snd_una + msk->snd_wnd))
		return -EAGAIN;
	/* The MSS fell since it was sent (path MTU): resend MSS-sized. */
	if (skb->len > msk->mss_cache &&
	    mytcp_fragment(sk, skb, msk->mss_cache))
		return -ENOMEM;
	/* Karn: no RTT sample from a retransmitted segment. */
	cb->tx_ns = 0;
	cb->retrans = 1;
	err = mytcp_transmit_skb(sk, skb, true, GFP_ATOMIC);
	if (err)
		return err;
	cb->xmit_ns = ktime_get_ns();
	if (!(cb->sacked & MYTCP_SKB_RETRANS)) {
		cb->sacked |= MYTCP_SKB_RETRANS;
		msk->retrans_out++;
	}
	MYTCP_INC_STATS(sock_net(sk), RETRANSSEGS);
	msk->total_retrans++;
	msk->bytes_retrans += skb->len;
	msk->bytes_sent += skb->len;
	return 0;
}

/*
 * Loss recovery sends first the segments marked lost and not yet resent
 * (RFC 6675 NextSeg rule 1), oldest first, as far as the congestion
 * window allows. False if the window is used up.
 */
static bool mytcp_push_lost(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		u8 marks = MYTCP_SKB_CB(skb)->sacked;

		if (skb == msk->send_head)
			break;
		if (!(marks & MYTCP_SKB_LOST) ||
		    (marks & (MYTCP_SKB_RETRANS | MYTCP_SKB_SACKED)))
			continue;
		if (mytcp_in_flight(msk) >= msk->cc.cwnd)
			return false;
		if (mytcp_retransmit_skb(sk, skb))
			break;
	}
	return true;
}

/*
 * Send the run and start a new one. If it could not go (dropped on the
 * way out: a qdisc, no route), its segments are unsent again: SND.NXT
 * and the send head move back to its first. With nothing in flight no
 * ACK will come to push them again: *@stalled asks for the persist
 * timer, as a closed window does (not for a SYN: connect() fails).
 */
static int mytcp_run_send(struct sock *sk, struct mytcp_xmit_run *run,
			  gfp_t gfp, bool *stalled)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int err = mytcp_transmit_run(sk, run, gfp);

	if (err) {
		*stalled = !(MYTCP_SKB_CB(run->first)->flags & MYTCP_FLAG_SYN);
		msk->snd_nxt = MYTCP_SKB_CB(run->first)->seq;
		msk->send_head = run->first;
		msk->packets_out -= run->n;
		msk->bytes_sent -= run->len;
	}
	run->n = 0;
	run->len = 0;
	return err;
}

/*
 * Nagle (RFC 9293 3.7.4, RFC 896): hold a short last segment while data
 * is unacknowledged, unless TCP_NODELAY; TCP_CORK or MSG_MORE hold it
 * even when nothing is; a FIN or an explicit push always goes.
 */
static bool mytcp_nagle_hold(const struct sock *sk, const struct sk_buff *skb,
			     int nonagle)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);

	/* Urgent data is never held, nor anything while it is pending. */
	if ((nonagle & MYTCP_NAGLE_PUSH) || msk->snd_urg)
		return false;
	if (MYTCP_SKB_CB(skb)->flags & (MYTCP_FLAG_FIN | MYTCP_FLAG_SYN))
		return false;
	if (skb->len >= msk->mss_cache ||
	    !skb_queue_is_last(&sk->sk_write_queue, skb))
		return false;
	if (nonagle & MYTCP_NAGLE_CORK)
		return true;
	return !(nonagle & MYTCP_NAGLE_OFF) && msk->packets_out;
}

/*
 * Send what the windows allow (RFC 9293 3.8.6): lost segments first, then
 * new ones while the segments in flight stay below cwnd (RFC 5681) and
 * the data fits the peer's window.
 */
void __mytcp_push(struct sock *sk, int nonagle)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	bool sent = false, window_stop = false, gso;
	gfp_t gfp = sk_gfp_mask(sk, GFP_ATOMIC);
	struct mytcp_xmit_run run = { };
	struct sk_buff *skb;
	u64 now;

	msk->cwnd_blocked = false;
	if (msk->lost_out > msk->retrans_out && !mytcp_push_lost(sk)) {
		msk->cwnd_blocked = true;
		goto out;
	}
	now = ktime_get_ns();
	/* RFC 5681 4.1: restart from the initial window after an idle RTO. */
	if (msk->send_head && !msk->packets_out && msk->last_send_ns &&
	    now - msk->last_send_ns > (u64)mytcp_rto_us(sk) * NSEC_PER_USEC)
		mytcp_cc_after_idle(msk->cc_ops, &msk->cc);
	gso = mytcp_sk_gso_ok(sk);

	/*
	 * Segments are accounted as sent when they join the run, so that
	 * cwnd and Nagle see them; a run that fails to go out is taken back.
	 */
	while ((skb = msk->send_head)) {
		struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
		u32 wnd_end = msk->snd_una + msk->snd_wnd;
		u32 data_end = cb->end_seq - !!(cb->flags & MYTCP_FLAG_FIN);

		if (mytcp_in_flight(msk) >= msk->cc.cwnd) {
			msk->cwnd_blocked = true;
			break;
		}
		/* Payload must fit the window; SYN and a bare FIN always go. */
		if (!(cb->flags & MYTCP_FLAG_SYN) && skb->len &&
		    mytcp_seq_after(data_end, wnd_end)) {
			s32 usable = wnd_end - cb->seq;
			u32 part = usable > 0 ? mytcp_partial_len(msk, usable) : 0;

			if (!part || mytcp_fragment(sk, skb, part)) {
				window_stop = true;
				break;
			}
		}
		/* Filled before the MSS fell (path MTU): cut to the new one. */
		if (skb->len > msk->mss_cache &&
		    mytcp_fragment(sk, skb, msk->mss_cache)) {
			window_stop = true;
			break;
		}
		if (mytcp_nagle_hold(sk, skb, nonagle))
			break;
		if (run.n && !(gso && mytcp_run_can_extend(sk, &run, skb))) {
			if (mytcp_run_send(sk, &run, gfp, &window_stop))
				break;
			sent = true;
		}
		if (!run.n) {
			run.first = skb;
			run.full = true;
		}
		run.last = skb;
		run.n++;
		run.len += skb->len;
		run.full &= skb->len == msk->mss_cache;
		cb->tx_ns = cb->retrans ? 0 : now;
		cb->first_ns = now;
		cb->xmit_ns = now;
		msk->snd_nxt = cb->end_seq;
		msk->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
				 NULL : skb->next;
		msk->packets_out++;
		msk->bytes_sent += skb->len;
	}
	if (run.n && !mytcp_run_send(sk, &run, gfp, &window_stop))
		sent = true;
	if (sent)
		msk->last_send_ns = now;
out:
	msk->nonagle &= ~MYTCP_NAGLE_PUSH;
	/*
	 * Something unacknowledged needs the retransmission timer; queued
	 * data the peer's window holds back needs it too, as a persist timer.
	 */
	if ((sent && !msk->rtx_armed) ||
	    (window_stop && msk->snd_una == msk->snd_nxt))
		mytcp_rtx_timer_arm(sk);
}

void mytcp_push(struct sock *sk)
{
	__mytcp_push(sk, mytcp_sk(sk)->nonagle);
}

/* Active open: queue our SYN and send it (RFC 9293 3.10.1). */
int mytcp_connect_send_syn(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb = mytcp_alloc_ctl_skb(sk, sk->sk_allocation);

	if (!skb)
		return -ENOBUFS;
	MYTCP_SKB_CB(skb)->seq = msk->iss;
	MYTCP_SKB_CB(skb)->end_seq = msk->iss + 1;
	MYTCP_SKB_CB(skb)->flags = MYTCP_FLAG_SYN;
	msk->write_seq = msk->iss + 1;
	mytcp_queue_skb(sk, skb);
	mytcp_push(sk);
	return 0;
}

/* Queue our FIN after the data (on the last unsent skb when possible). */
void mytcp_send_fin(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);

	if (msk->fin_queued)
		return;
	if (skb && msk->send_head &&
	    !(MYTCP_SKB_CB(skb)->flags & (MYTCP_FLAG_SYN | MYTCP_FLAG_FIN))) {
		MYTCP_SKB_CB(skb)->flags |= MYTCP_FLAG_FIN;
		MYTCP_SKB_CB(skb)->end_seq++;
	} else {
		/* Must not fail: allocate without the socket's limits. */
		skb = alloc_skb(MYTCP_MAX_HEADER, GFP_ATOMIC | __GFP_NOFAIL);
		skb_reserve(skb, MYTCP_MAX_HEADER);
		MYTCP_SKB_CB(skb)->seq = msk->write_seq;
		MYTCP_SKB_CB(skb)->end_seq = msk->write_seq + 1;
		MYTCP_SKB_CB(skb)->flags = MYTCP_FLAG_FIN;
		mytcp_queue_skb(sk, skb);
	}
	msk->write_seq++;
	msk->fin_queued = true;
	mytcp_push(sk);
}

static int mytcp_send_ctl(struct sock *sk, u32 seq, u8 flags)
{
	struct sk_buff *skb = mytcp_alloc_ctl_skb(sk, GFP_ATOMIC);

	if (!skb)
		return -ENOBUFS;
	MYTCP_SKB_CB(skb)->seq = seq;
	MYTCP_SKB_CB(skb)->end_seq = seq;
	MYTCP_SKB_CB(skb)->flags = flags;
	return mytcp_transmit_skb(sk, skb, false, GFP_ATOMIC);
}

/*
 * SEQ of an ACK or RST without text: SND.NXT, unless what we sent runs
 * past the peer's window (a FIN always goes): then its right edge, as
 * Linux's tcp_acceptable_seq(), so that the peer's acceptability test
 * (RFC 9293 3.10.7.4 first check) does not drop the ACK it waits for.
 */
static u32 mytcp_acceptable_seq(const struct sock *sk)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);
	u32 wnd_end = msk->snd_una + msk->snd_wnd;

	if (sk->sk_state == MYTCP_SYN_SENT ||
	    !mytcp_seq_after(msk->snd_nxt, wnd_end))
		return msk->snd_nxt;
	return wnd_end;
}

int mytcp_send_ack(struct sock *sk)
{
	return mytcp_send_ctl(sk, mytcp_acceptable_seq(sk), MYTCP_FLAG_ACK);
}

/* Like Linux's quickack mode: this many segments are ACKed at once. */
#define MYTCP_QUICKACKS		16

void mytcp_set_quickack(struct sock *sk, bool on)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	msk->quickack = on ? MYTCP_QUICKACKS : 0;
	if (on && msk->ack_pending && mytcp_state_synchronized(sk->sk_state))
		mytcp_send_ack(sk);
}

/*
 * Abort: <SEQ=SND.NXT><CTL=RST> (RFC 9293 3.10.5), SEQ kept within the
 * peer's window.
 */
void mytcp_send_rst_sk(struct sock *sk)
{
	mytcp_send_ctl(sk, mytcp_acceptable_seq(sk), MYTCP_FLAG_RST);
}

/*
 * Persist probe for a zero window: an ACK one byte below SND.UNA, which
 * the peer must answer with its current window (RFC 9293 3.8.6.1).
 */
int mytcp_send_window_probe(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	/*
	 * In urgent mode, first a segment at SND.UNA to carry the urgent
	 * pointer: the probe below SND.UNA may be dropped unread.
	 */
	if (msk->snd_urg &&
	    mytcp_seq_between(msk->snd_up, msk->snd_una + 1, msk->snd_una + 0xFFFF))
		mytcp_send_ctl(sk, msk->snd_una, MYTCP_FLAG_ACK);
	return mytcp_send_ctl(sk, msk->snd_una - 1, MYTCP_FLAG_ACK);
}

/*
 * A segment sent without a socket: @saddr/@sport are ours. Used for RSTs
 * to segments that reach nothing, SYN-ACKs of requests and ACKs of
 * TIME-WAIT entries. @ttl < 0: the route's default. The checksum is computed in software (short
 * segments, and no socket to know the device's offloads).
 */
void mytcp_send_reply(struct net *net, struct sk_buff *in_skb,
		      __be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
		      u32 seq, u32 ack, u8 flags, u16 window,
		      const struct mytcp_opt_out *opts, u8 tos, int ttl, int oif)
{
	int opt_len = opts ? mytcp_options_size(opts) : 0;
	unsigned int len = sizeof(struct tcphdr) + opt_len;
	struct flowi4 fl4;
	struct sk_buff *skb;
	struct tcphdr *th;
	struct iphdr *iph;
	struct rtable *rt;

	flowi4_init_output(&fl4, oif, 0, tos, RT_SCOPE_UNIVERSE,
			   mytcp_proto_num, 0, daddr, saddr, dport, sport,
			   sock_net_uid(net, NULL));
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return;

	skb = alloc_skb(MYTCP_MAX_HEADER, GFP_ATOMIC);
	if (!skb) {
		ip_rt_put(rt);
		return;
	}
	skb_reserve(skb, MYTCP_MAX_HEADER);
	th = skb_push(skb, len);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = sport;
	th->dest = dport;
	th->seq = htonl(seq);
	th->ack_seq = (flags & MYTCP_FLAG_ACK) ? htonl(ack) : 0;
	th->doff = len / 4;
	((u8 *)th)[13] = flags;
	th->window = htons(window);
	if (opt_len)
		mytcp_build_options((u8 *)(th + 1), opt_len, opts);
	th->check = csum_tcpudp_magic(saddr, daddr, len, IPPROTO_TCP,
				      csum_partial(th, len, 0));

	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = tos;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ttl < 0 ? ip4_dst_hoplimit(&rt->dst) : ttl;
	iph->protocol = mytcp_proto_num;
	iph->saddr = saddr;
	iph->daddr = daddr;
	/* RFC 6864: the ID of an atomic (DF) datagram carries nothing. */
	iph->id = 0;
	skb->protocol = htons(ETH_P_IP);
	skb_dst_set(skb, &rt->dst);

	if (flags & MYTCP_FLAG_RST)
		MYTCP_INC_STATS(net, OUTRSTS);
	MYTCP_INC_STATS(net, OUTSEGS);
	ip_local_out(net, NULL, skb);
}

/*
 * Reply to a segment that reaches no connection (RFC 9293 3.10.7.1):
 * nothing to an RST; <SEQ=SEG.ACK><CTL=RST> to an ACK; otherwise
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
 */
void mytcp_send_rst_reply(struct net *net, struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);
	const struct iphdr *iph = ip_hdr(skb);
	const struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);

	if (th->rst)
		return;
	if (th->ack)
		mytcp_send_reply(net, skb, iph->daddr, iph->saddr, th->dest,
				 th->source, ntohl(th->ack_seq), 0,
				 MYTCP_FLAG_RST, 0, NULL, 0, -1, inet_iif(skb));
	else
		mytcp_send_reply(net, skb, iph->daddr, iph->saddr, th->dest,
				 th->source, 0, cb->end_seq,
				 MYTCP_FLAG_RST | MYTCP_FLAG_ACK, 0, NULL, 0, -1,
				 inet_iif(skb));
}

/*
 * RFC 5961 7: at most sysctl challenge_ack_limit challenge ACKs per
 * second per namespace, so they cannot be used as an oracle or a flood.
 */
bool mytcp_challenge_ack_allowed(struct net *net)
{
	struct mytcp_net *mn = mytcp_pernet(net);
	bool ok;

	spin_lock_bh(&mn->challenge_lock);
	if (time_after(jiffies, mn->challenge_stamp + HZ)) {
		mn->challenge_stamp = jiffies;
		mn->challenge_count = 0;
	}
	ok = mn->challenge_count < READ_ONCE(mn->sysctl_challenge_ack_limit);
	if (ok) {
		mn->challenge_count++;
		MYTCP_INC_STATS(net, CHALLENGEACKS);
	} else {
		MYTCP_INC_STATS(net, ACKSKIPPEDCHALLENGE);
	}
	spin_unlock_bh(&mn->challenge_lock);
	return ok;
}
