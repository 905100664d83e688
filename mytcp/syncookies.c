// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: SYN cookies (net.mytcp.syncookies). A listener whose request
 * queue is full (or always, with 2) answers a SYN without keeping any
 * state: what it must remember goes into the ISN of its SYN-ACK and, with
 * timestamps, into the low bits of its TSval (core/syncookie.h). The ACK
 * gives both back, and the child is made from them. This is how a
 * listener survives a flood of spoofed SYNs with bounded memory.
 */
#include <linux/siphash.h>
#include <linux/tcp.h>
#include <net/ip.h>

#include "mytcp.h"
#include "core/syncookie.h"

static siphash_aligned_key_t mytcp_cookie_key __ro_after_init;

/* Drawn once at load, as the ISN secret is (mytcp_output_secrets_init()). */
void __init mytcp_syncookie_secret_init(void)
{
	get_random_bytes(&mytcp_cookie_key, sizeof(mytcp_cookie_key));
}

/* The cookie's MAC: siphash with a load-time random key (syncookie.h). */
static u32 mytcp_cookie_mac(const struct mytcp_request *req, u32 slot,
			    unsigned int mss_idx)
{
	const struct mytcp_mini *m = &req->mini;

	return (u32)siphash_3u64((u64)(__force u32)m->laddr << 32 |
				 (__force u32)m->raddr,
				 (u64)((__force u32)m->lport << 16 |
				       (__force u32)m->rport) << 32 | req->irs,
				 (u64)slot << 2 | mss_idx, &mytcp_cookie_key);
}

static u32 mytcp_cookie_now(void)
{
	return mytcp_cookie_slot(ktime_get_ns());
}

/*
 * Answer the SYN at @skb with a cookie SYN-ACK, from a request on the
 * stack that is never hashed. Without timestamps there is nowhere to
 * keep window scaling and SACK-permitted: they are not offered.
 */
void mytcp_cookie_send(struct sock *listener, const struct sk_buff *skb,
		       const struct mytcp_hdr_view *h)
{
	struct mytcp_sock *lmsk = mytcp_sk(listener);
	u32 slot = mytcp_cookie_now();
	struct mytcp_request req = { };
	unsigned int idx;

	mytcp_request_fill(&req, listener, skb, h);
	req.cookie = true;
	if (!req.tstamp_ok) {
		req.wscale_ok = false;
		req.sack_ok = false;
	}
	idx = mytcp_cookie_mss_index(req.peer_mss);
	req.iss = mytcp_cookie_encode(mytcp_cookie_mac(&req, slot, idx),
				      slot, idx);
	/* ACKs are checked as cookies while one may still be valid. */
	if (READ_ONCE(lmsk->cookie_slot) != slot + 1)
		WRITE_ONCE(lmsk->cookie_slot, slot + 1);
	MYTCP_INC_STATS(sock_net(listener), SYNCOOKIESSENT);
	mytcp_send_synack(&req);
}

/*
 * An ACK for a listener, with no request entry: with syncookies on and a
 * cookie sent in the last two slots (or syncookies=2), take ACK - 1 as a
 * cookie. Valid: the child is made, published and queued for accept()
 * (or the ACK dropped when the accept queue is full, as Linux), and true
 * is returned with @skb consumed. False leaves @skb to the listener,
 * which resets an unacceptable ACK (RFC 9293 3.10.7.2).
 */
bool mytcp_cookie_rcv(struct sock *listener, struct sk_buff *skb,
		      const struct mytcp_hdr_view *h)
{
	struct net *net = sock_net(listener);
	struct mytcp_net *mn = mytcp_pernet(net);
	int cookies = READ_ONCE(mn->sysctl_syncookies);
	u32 now = mytcp_cookie_now(), sent, slot, cookie = h->ack - 1;
	struct mytcp_request req = { };
	struct mytcp_cookie_opts co;
	unsigned int idx;
	struct sock *child;

	if (!cookies ||
	    (h->flags & (MYTCP_FLAG_SYN | MYTCP_FLAG_RST | MYTCP_FLAG_ACK)) !=
	    MYTCP_FLAG_ACK)
		return false;
	sent = READ_ONCE(mytcp_sk(listener)->cookie_slot);
	if (cookies != 2 && (!sent || now - (sent - 1) > MYTCP_COOKIE_MAX_AGE))
		return false;

	mytcp_request_fill(&req, listener, skb, h);
	req.cookie = true;
	req.irs = h->seq - 1;
	if (!mytcp_cookie_decode(cookie, now, &slot, &idx) ||
	    mytcp_cookie_encode(mytcp_cookie_mac(&req, slot, idx), slot,
				idx) != cookie) {
		MYTCP_INC_STATS(net, SYNCOOKIESFAILED);
		return false;
	}
	MYTCP_INC_STATS(net, SYNCOOKIESRECV);
	if (READ_ONCE(listener->sk_state) != MYTCP_LISTEN)
		return false;
	if (sk_acceptq_is_full(listener)) {
		MYTCP_INC_STATS(net, LISTENOVERFLOWS);
		MYTCP_INC_STATS(net, LISTENDROPS);
		goto drop;
	}

	/* What the SYN said, as far as the cookie kept it. */
	req.iss = cookie;
	req.peer_mss = mytcp_cookie_mss(idx);
	req.snd_wnd = 0;
	req.wscale_ok = false;
	req.sack_ok = false;
	if (req.tstamp_ok) {
		mytcp_cookie_ts_decode(h->opts.ts_ecr, &co);
		if (co.wscale_ok && READ_ONCE(mn->sysctl_window_scaling)) {
			req.wscale_ok = true;
			req.snd_wscale = co.snd_wscale;
			req.rcv_wscale = mytcp_select_wscale(listener);
		}
		req.sack_ok = co.sack_ok && READ_ONCE(mn->sysctl_sack);
	}
	/* The window our SYN-ACK offered (mytcp_send_synack()). */
	req.rcv_wnd = min_t(u32, READ_ONCE(listener->sk_rcvbuf) / 2, U16_MAX);
	/* The child's first transition: the SYN, as the ACK tells of it. */
	req.syn_hist.ns = ktime_get_ns();
	req.syn_hist.cause = MYTCP_CAUSE_SEGMENT;
	req.syn_hist.seq = req.irs;
	req.syn_hist.flags = MYTCP_FLAG_SYN;
	req.syn_hist.from = MYTCP_LISTEN;
	req.syn_hist.to = MYTCP_SYN_RECV;

	child = mytcp_create_child(listener, &req, h);
	if (!child)
		goto drop;
	MYTCP_INC_STATS(net, PASSIVEOPENS);
	mytcp_child_complete(listener, child, &req, skb);
	return true;
drop:
	kfree_skb(skb);
	return true;
}
