// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the mini sockets — SYN-RECEIVED requests of a listener and
 * TIME-WAIT entries. Both are small objects in the mini hash (hash.c),
 * never full sockets, with an hrtimer each: SYN-ACK retransmission and
 * 2 MSL.
 */
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/route.h>

#include "mytcp.h"
#include "core/syncookie.h"

/*
 * Caches of their own, so that /proc/slabinfo shows what one entry costs
 * (Documentation/benchmarks.rst) and entries pack densely.
 */
static struct kmem_cache *mytcp_request_cachep;
static struct kmem_cache *mytcp_tw_cachep;

int mytcp_minisocks_init(void)
{
	mytcp_request_cachep = kmem_cache_create("mytcp_request",
						 sizeof(struct mytcp_request),
						 0, 0, NULL);
	mytcp_tw_cachep = kmem_cache_create("mytcp_tw",
					    sizeof(struct mytcp_tw), 0, 0,
					    NULL);
	if (!mytcp_request_cachep || !mytcp_tw_cachep) {
		mytcp_minisocks_exit();
		return -ENOMEM;
	}
	return 0;
}

/* After rcu_barrier(): no entry and no callback that frees one is left. */
void mytcp_minisocks_exit(void)
{
	kmem_cache_destroy(mytcp_tw_cachep);
	kmem_cache_destroy(mytcp_request_cachep);
}

/* Lookups walk the mini hash under RCU: free after a grace period. */
static void mytcp_mini_free_rcu(struct rcu_head *head)
{
	struct mytcp_mini *m = container_of(head, struct mytcp_mini, rcu);

	if (m->kind == MYTCP_MINI_REQUEST)
		kmem_cache_free(mytcp_request_cachep,
				container_of(m, struct mytcp_request, mini));
	else
		kmem_cache_free(mytcp_tw_cachep,
				container_of(m, struct mytcp_tw, mini));
}

void mytcp_mini_free(struct mytcp_mini *m)
{
	if (m->kind == MYTCP_MINI_REQUEST)
		sock_put(container_of(m, struct mytcp_request,
				      mini)->listener);
	call_rcu(&m->rcu, mytcp_mini_free_rcu);
}

/* After unhashing: give back what the entry held, and the table's ref. */
void mytcp_mini_release(struct mytcp_mini *m)
{
	if (m->kind == MYTCP_MINI_REQUEST) {
		struct mytcp_request *req = container_of(m, struct mytcp_request,
							 mini);
		struct mytcp_sock *lmsk = mytcp_sk(req->listener);

		spin_lock_bh(&lmsk->req_lock);
		if (!list_empty(&req->listener_node)) {
			list_del_init(&req->listener_node);
			lmsk->nr_requests--;
		}
		spin_unlock_bh(&lmsk->req_lock);
	} else {
		mytcp_bind_del_tw(container_of(m, struct mytcp_tw, mini));
		atomic_dec(&mytcp_pernet(mytcp_mini_net(m))->tw_count);
	}
	mytcp_mini_put(m);
}

void mytcp_send_synack(struct mytcp_request *req)
{
	struct mytcp_opt_out opts = { .present = MYTCP_OPT_MSS };
	struct mytcp_mini *m = &req->mini;
	u16 user_mss = READ_ONCE(mytcp_sk(req->listener)->user_mss);
	struct rtable *rt;
	struct flowi4 fl4;
	u32 mtu = 576;

	/* Our MSS: what the route back to the peer carries. */
	rt = ip_route_output_ports(mytcp_mini_net(m), &fl4, NULL, m->raddr,
				   m->laddr, m->rport, m->lport,
				   mytcp_proto_num, req->tos, req->oif);
	if (!IS_ERR(rt)) {
		mtu = dst_mtu(&rt->dst);
		ip_rt_put(rt);
	}
	opts.mss = clamp_t(u32, mtu - sizeof(struct iphdr) -
			   sizeof(struct tcphdr), 64, 65495);
	if (user_mss)
		opts.mss = min(opts.mss, user_mss);
	if (req->wscale_ok) {
		opts.present |= MYTCP_OPT_WSCALE;
		opts.wscale = req->rcv_wscale;
	}
	if (req->sack_ok)
		opts.present |= MYTCP_OPT_SACK_PERM;
	if (req->tstamp_ok) {
		opts.present |= MYTCP_OPT_TS;
		opts.ts_val = mytcp_ts_now(req->ts_offset);
		opts.ts_ecr = req->ts_recent;
		if (req->cookie) {
			struct mytcp_cookie_opts co = {
				.wscale_ok = req->wscale_ok,
				.snd_wscale = req->snd_wscale,
				.sack_ok = req->sack_ok,
			};

			/* What the cookie's ACK must give back (syncookie.h) */
			opts.ts_val = mytcp_cookie_tsval(opts.ts_val, &co);
		}
	}
	if (!req->retrans)
		req->synack_ns = ktime_get_ns();
	/* The child starts from the window this SYN-ACK offers (unscaled). */
	req->rcv_wnd = min_t(u32, READ_ONCE(req->listener->sk_rcvbuf) / 2,
			     U16_MAX);
	mytcp_send_reply(mytcp_mini_net(m), NULL, m->laddr, m->raddr,
			 m->lport, m->rport, req->iss, req->irs + 1,
			 MYTCP_FLAG_SYN | MYTCP_FLAG_ACK, req->rcv_wnd,
			 &opts, req->tos, req->ttl, req->oif);
}

/* SYN-ACK retransmission with exponential backoff (RFC 6298 5.5). */
static enum hrtimer_restart mytcp_request_timer_fn(struct hrtimer *t)
{
	struct mytcp_request *req = container_of(t, struct mytcp_request,
						 mini.timer);
	struct mytcp_net *mn = mytcp_pernet(mytcp_mini_net(&req->mini));
	u64 rto_ms;

	if (!READ_ONCE(req->mini.hashed))
		return HRTIMER_NORESTART;
	if (READ_ONCE(req->listener->sk_state) != MYTCP_LISTEN ||
	    req->retrans >= READ_ONCE(mn->sysctl_synack_retries)) {
		if (mytcp_mini_expire(&req->mini))
			mytcp_mini_release(&req->mini);
		return HRTIMER_NORESTART;
	}
	req->retrans++;
	mytcp_send_synack(req);
	MYTCP_INC_STATS(mytcp_mini_net(&req->mini), RETRANSSEGS);
	rto_ms = min_t(u64, (u64)READ_ONCE(mn->sysctl_rto_initial_ms) <<
		       req->retrans, READ_ONCE(mn->sysctl_rto_max_ms));
	hrtimer_forward_now(t, ms_to_ktime(rto_ms));
	return HRTIMER_RESTART;
}

/*
 * A request for the SYN at @skb (@h parsed): addresses, the peer's
 * sequence number, window and MSS, and the options both sides offer
 * (RFC 7323 2.2 / 3.2, RFC 2018 2). No reference on @listener yet.
 */
void mytcp_request_fill(struct mytcp_request *req, struct sock *listener,
			const struct sk_buff *skb,
			const struct mytcp_hdr_view *h)
{
	struct mytcp_net *mn = mytcp_pernet(sock_net(listener));
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);

	write_pnet(&req->mini.net, sock_net(listener));
	req->mini.laddr = iph->daddr;
	req->mini.raddr = iph->saddr;
	req->mini.lport = th->dest;
	req->mini.rport = th->source;
	req->mini.kind = MYTCP_MINI_REQUEST;
	req->irs = h->seq;
	req->snd_wnd = h->window;
	req->peer_mss = (h->opts.present & MYTCP_OPT_MSS) && h->opts.mss ?
			h->opts.mss : 536;
	if (READ_ONCE(mn->sysctl_window_scaling) &&
	    (h->opts.present & MYTCP_OPT_WSCALE)) {
		req->wscale_ok = true;
		req->snd_wscale = h->opts.wscale;
		req->rcv_wscale = mytcp_select_wscale(listener);
	}
	req->sack_ok = READ_ONCE(mn->sysctl_sack) &&
		       (h->opts.present & MYTCP_OPT_SACK_PERM);
	if (READ_ONCE(mn->sysctl_timestamps) &&
	    (h->opts.present & MYTCP_OPT_TS)) {
		req->tstamp_ok = true;
		req->ts_recent = h->opts.ts_val;
		req->ts_offset = mytcp_ts_offset(iph->daddr, iph->saddr);
	}
	/* As Linux: the SYN-ACK carries the listener's IP_TOS and IP_TTL. */
	req->tos = READ_ONCE(inet_sk(listener)->tos);
	req->ttl = READ_ONCE(inet_sk(listener)->uc_ttl);
	req->oif = listener->sk_bound_dev_if;
	req->listener = listener;
}

/*
 * A SYN for a listener (RFC 9293 3.10.7.2): a request entry goes to
 * SYN-RECEIVED and answers with a SYN-ACK. A full accept queue drops the
 * SYN; so does a full request queue unless net.mytcp.syncookies says to
 * answer with a SYN cookie instead (always, with 2), as Linux does.
 */
int mytcp_conn_request(struct sock *listener, struct sk_buff *skb,
		       const struct mytcp_hdr_view *h)
{
	struct mytcp_sock *lmsk = mytcp_sk(listener);
	struct net *net = sock_net(listener);
	struct mytcp_net *mn = mytcp_pernet(net);
	int cookies = READ_ONCE(mn->sysctl_syncookies);
	struct mytcp_request *req;

	if (sk_acceptq_is_full(listener)) {
		MYTCP_INC_STATS(net, LISTENOVERFLOWS);
		goto drop;
	}
	if (cookies == 2) {
		mytcp_cookie_send(listener, skb, h);
		return 0;
	}
	if (READ_ONCE(lmsk->nr_requests) >=
	    max_t(u32, READ_ONCE(listener->sk_max_ack_backlog), 1)) {
		if (!cookies) {
			MYTCP_INC_STATS(net, REQQFULLDROP);
			goto drop;
		}
		MYTCP_INC_STATS(net, REQQFULLDOCOOKIES);
		mytcp_cookie_send(listener, skb, h);
		return 0;
	}

	req = kmem_cache_zalloc(mytcp_request_cachep, GFP_ATOMIC);
	if (!req)
		goto drop;
	mytcp_request_fill(req, listener, skb, h);
	/* One reference for the table, one for us until we are done. */
	refcount_set(&req->mini.refcnt, 2);
	hrtimer_init(&req->mini.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	req->mini.timer.function = mytcp_request_timer_fn;
	INIT_LIST_HEAD(&req->listener_node);
	req->iss = mytcp_isn(req->mini.laddr, req->mini.raddr,
			     req->mini.lport, req->mini.rport);
	mytcp_hist_request(req, skb);
	sock_hold(listener);

	/*
	 * On the listener's list before it is visible: once hashed, an
	 * exact RST on another CPU may release it at once, and a request
	 * put on the list after that would stay there freed.
	 */
	spin_lock_bh(&lmsk->req_lock);
	list_add_tail(&req->listener_node, &lmsk->requests);
	lmsk->nr_requests++;
	spin_unlock_bh(&lmsk->req_lock);
	if (!mytcp_mini_hash(&req->mini)) {
		/* The 4-tuple is taken (a race with another SYN): drop. */
		mytcp_mini_release(&req->mini);
		mytcp_mini_put(&req->mini);
		goto drop;
	}

	MYTCP_INC_STATS(net, PASSIVEOPENS);
	mytcp_send_synack(req);
	mytcp_mini_restart_timer(&req->mini,
				 mytcp_ms_to_ns(READ_ONCE(mn->sysctl_rto_initial_ms)));
	mytcp_mini_put(&req->mini);
	return 0;
drop:
	MYTCP_INC_STATS(net, LISTENDROPS);
	return 0;
}

/* The established child of a completed request: a clone of the listener. */
struct sock *mytcp_create_child(struct sock *listener,
				struct mytcp_request *req,
				const struct mytcp_hdr_view *h)
{
	struct mytcp_mini *m = &req->mini;
	struct mytcp_sock *msk, *lmsk;
	struct inet_sock *inet;
	struct rtable *rt;
	struct sock *sk;

	sk = sk_clone_lock(listener, GFP_ATOMIC);
	if (!sk)
		return NULL;
	mytcp_sock_count(sk);
	/*
	 * The clone comes locked; nobody else can see it yet, so drop the
	 * lock here (and tell sparse it was taken).
	 */
	__acquire(&sk->sk_lock.slock);
	bh_unlock_sock(sk);
	msk = mytcp_sk(sk);
	inet = inet_sk(sk);
	/* Nothing of the listener's own state carries over. */
	memset((char *)msk + offsetof(struct mytcp_sock, iss), 0,
	       sizeof(*msk) - offsetof(struct mytcp_sock, iss));
	/* ... but its socket options do, as in Linux TCP. */
	lmsk = mytcp_sk(listener);
	msk->nonagle = lmsk->nonagle & (MYTCP_NAGLE_OFF | MYTCP_NAGLE_CORK);
	msk->user_mss = lmsk->user_mss;
	msk->keepalive_idle_ms = lmsk->keepalive_idle_ms;
	msk->keepalive_intvl_ms = lmsk->keepalive_intvl_ms;
	msk->keepalive_probes = lmsk->keepalive_probes;
	msk->user_timeout_ms = lmsk->user_timeout_ms;
	/* As Linux: the listener's algorithm if set by TCP_CONGESTION, else the default now. */
	msk->cc_user = lmsk->cc_user;
	msk->cc_ops = lmsk->cc_user ? lmsk->cc_ops :
		      READ_ONCE(mytcp_pernet(sock_net(listener))->cc_default);
	mytcp_cc_init(msk->cc_ops, &msk->cc);

	inet->inet_daddr = m->raddr;
	inet->inet_dport = m->rport;
	inet->inet_rcv_saddr = m->laddr;
	inet->inet_saddr = m->laddr;
	inet->inet_sport = m->lport;
	inet->inet_num = ntohs(m->lport);
	atomic_set(&inet->inet_id, get_random_u16());
	sk->sk_shutdown = 0;
	/* The request's connection, not yet published: not LISTEN. */
	sk->sk_state = MYTCP_SYN_RECV;

	spin_lock_init(&msk->req_lock);
	INIT_LIST_HEAD(&msk->requests);
	INIT_LIST_HEAD(&msk->accept_queue);
	INIT_LIST_HEAD(&msk->accept_node);
	INIT_HLIST_NODE(&sk->sk_bind_node);
	skb_queue_head_init(&msk->ooo_queue);
	mytcp_conn_defaults(sk);

	msk->passive = true;
	msk->iss = req->iss;
	msk->snd_una = req->iss + 1;
	msk->snd_nxt = req->iss + 1;
	msk->write_seq = req->iss + 1;
	msk->snd_wl1 = h->seq;
	msk->snd_wl2 = h->ack;
	msk->irs = req->irs;
	msk->rcv_nxt = req->irs + 1;
	msk->rcv_wup = msk->rcv_nxt;
	msk->rcv_wnd = req->rcv_wnd;
	msk->copied_seq = msk->rcv_nxt;
	msk->peer_mss = req->peer_mss;
	msk->high_seq = req->iss;
	msk->wscale_ok = req->wscale_ok;
	msk->snd_wscale = req->snd_wscale;
	msk->rcv_wscale = req->rcv_wscale;
	msk->sack_ok = req->sack_ok;
	msk->tstamp_ok = req->tstamp_ok;
	msk->ts_offset = req->ts_offset;
	if (req->tstamp_ok && (h->opts.present & MYTCP_OPT_TS)) {
		msk->ts_recent = h->opts.ts_val;
		msk->ts_recent_ns = ktime_get_ns();
	}
	/* The ACK's window is scaled; the SYN's was not. */
	msk->snd_wnd = (u32)h->window << msk->snd_wscale;
	msk->max_window = max_t(u32, msk->snd_wnd, req->snd_wnd);
	if (!req->retrans && req->synack_ns) {
		struct mytcp_net *mn = mytcp_pernet(sock_net(sk));
		u32 rtt_us = div_u64(ktime_get_ns() - req->synack_ns,
				     NSEC_PER_USEC) ?: 1;

		msk->min_rtt_us = rtt_us;
		mytcp_rto_sample(&msk->rto, rtt_us, 1,
				 READ_ONCE(mn->sysctl_rto_min_us),
				 READ_ONCE(mn->sysctl_rto_max_ms) *
				 USEC_PER_MSEC);
	}

	/*
	 * ip_queue_xmit() takes the IP addresses of a routed socket from
	 * cork.fl: route into it.
	 */
	rt = ip_route_output_ports(sock_net(sk), &inet->cork.fl.u.ip4, sk,
				   m->raddr, m->laddr, m->rport, m->lport,
				   mytcp_proto_num, req->tos, req->oif);
	if (!IS_ERR(rt))
		sk_setup_caps(sk, &rt->dst);
	mytcp_sync_mss(sk);

	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	msk->inuse_counted = true;
	return sk;
}

/* Free a child that was never published (two references). */
static void mytcp_child_abort(struct sock *child)
{
	mytcp_sk(child)->inuse_counted = false;
	sock_prot_inuse_add(sock_net(child), child->sk_prot, -1);
	child->sk_state = MYTCP_CLOSE;
	sock_set_flag(child, SOCK_DEAD);
	sock_put(child);
	sock_put(child);
}

/* <SEQ=ISS+1><ACK=IRS+1><CTL=ACK> for a request in SYN-RECEIVED. */
static void mytcp_request_send_ack(struct mytcp_request *req,
				   struct sk_buff *skb)
{
	struct mytcp_opt_out opts = { };
	struct mytcp_mini *m = &req->mini;

	if (req->tstamp_ok) {
		opts.present = MYTCP_OPT_TS;
		opts.ts_val = mytcp_ts_now(req->ts_offset);
		opts.ts_ecr = req->ts_recent;
	}
	mytcp_send_reply(mytcp_mini_net(m), skb, m->laddr, m->raddr, m->lport,
			 m->rport, req->iss + 1, req->irs + 1, MYTCP_FLAG_ACK,
			 req->rcv_wnd >> req->rcv_wscale, &opts, req->tos, -1,
			 req->oif);
}

/*
 * A segment for a request in SYN-RECEIVED (RFC 9293 3.10.7.4 for a
 * connection from a passive OPEN). The ACK of our SYN-ACK makes the
 * ESTABLISHED child and queues it for accept().
 */
void mytcp_request_rcv(struct mytcp_request *req, struct sk_buff *skb,
		       const struct mytcp_hdr_view *h)
{
	struct sock *listener = req->listener;
	struct net *net = sock_net(listener);
	u32 seg_len = MYTCP_SKB_CB(skb)->end_seq - MYTCP_SKB_CB(skb)->seq;
	struct sock *child;

	/* Our SYN-ACK was lost: the same SYN again gets it again. */
	if ((h->flags & (MYTCP_FLAG_SYN | MYTCP_FLAG_ACK | MYTCP_FLAG_RST)) ==
	    MYTCP_FLAG_SYN && h->seq == req->irs) {
		mytcp_send_synack(req);
		goto drop;
	}
	/* An ACK of something we never sent (RFC 9293 3.10.7.4): reset. */
	if ((h->flags & MYTCP_FLAG_ACK) && h->ack != req->iss + 1) {
		mytcp_send_rst_reply(net, skb);
		goto drop;
	}
	/* First: sequence number acceptable? If not, an ACK says where we are. */
	if (!mytcp_seq_acceptable(h->seq, seg_len, req->irs + 1, req->rcv_wnd)) {
		MYTCP_INC_STATS(net, SEQDROPS);
		if (!(h->flags & MYTCP_FLAG_RST))
			mytcp_request_send_ack(req, skb);
		goto drop;
	}
	if (h->flags & MYTCP_FLAG_RST) {
		/*
		 * RFC 5961 3.2: an exact sequence reset returns to LISTEN;
		 * one elsewhere in the window gets a challenge ACK.
		 */
		if (h->seq == req->irs + 1) {
			if (mytcp_mini_unhash(&req->mini)) {
				hrtimer_cancel(&req->mini.timer);
				mytcp_mini_release(&req->mini);
			}
		} else if (mytcp_challenge_ack_allowed(net)) {
			mytcp_request_send_ack(req, skb);
		}
		goto drop;
	}
	/* A SYN in the window: RFC 9293 returns the request to LISTEN. */
	if ((h->flags & MYTCP_FLAG_SYN) || !(h->flags & MYTCP_FLAG_ACK)) {
		MYTCP_INC_STATS(net, FLAGDROPS);
		goto drop;
	}
	if (READ_ONCE(listener->sk_state) != MYTCP_LISTEN) {
		mytcp_send_rst_reply(net, skb);
		goto drop;
	}
	if (sk_acceptq_is_full(listener)) {
		/* Keep the request; the SYN-ACK timer will ask again. */
		MYTCP_INC_STATS(net, LISTENOVERFLOWS);
		MYTCP_INC_STATS(net, LISTENDROPS);
		goto drop;
	}

	child = mytcp_create_child(listener, req, h);
	if (!child)
		goto drop;
	mytcp_child_complete(listener, child, req, skb);
	return;
drop:
	kfree_skb(skb);
}

/*
 * Publish @child, made from @req by the ACK at @skb: in place of the
 * request's entry, or as a new entry for a cookie's; then ESTABLISHED,
 * the ACK processed as its first segment, and onto the accept queue.
 * Consumes @skb and the child's second reference.
 */
void mytcp_child_complete(struct sock *listener, struct sock *child,
			  struct mytcp_request *req, struct sk_buff *skb)
{
	bool queued;

	mytcp_hist_child(child, req, skb);
	/* Locked before it is visible: the ACK is its first segment. */
	bh_lock_sock_nested(child);
	if (req->cookie ? mytcp_ehash_insert(child) :
	    !mytcp_ehash_replace_mini(child, &req->mini)) {
		bh_unlock_sock(child);
		/* Another CPU completed or dropped this request. */
		mytcp_child_abort(child);
		kfree_skb(skb);
		return;
	}
	if (!req->cookie) {
		hrtimer_cancel(&req->mini.timer);
		mytcp_mini_release(&req->mini);
	}
	mytcp_inherit_port(child, listener);
	mytcp_set_state(child, MYTCP_ESTABLISHED);
	mytcp_established_init(child);

	/* The ACK may carry data: process it as the child's first segment. */
	mytcp_hist_rcv(child, skb);

	queued = mytcp_child_enqueue(listener, child);
	bh_unlock_sock(child);
	if (queued)
		listener->sk_data_ready(listener);
	/* sk_clone_lock()'s second reference was ours. */
	sock_put(child);
}

/* Listener closing: its pending requests go with it. */
void mytcp_listener_drop_requests(struct sock *listener)
{
	struct mytcp_sock *lmsk = mytcp_sk(listener);
	struct mytcp_request *req;

	for (;;) {
		spin_lock_bh(&lmsk->req_lock);
		req = list_first_entry_or_null(&lmsk->requests,
					       struct mytcp_request,
					       listener_node);
		if (req) {
			list_del_init(&req->listener_node);
			lmsk->nr_requests--;
			refcount_inc(&req->mini.refcnt);
		}
		spin_unlock_bh(&lmsk->req_lock);
		if (!req)
			break;
		if (mytcp_mini_unhash(&req->mini)) {
			hrtimer_cancel(&req->mini.timer);
			mytcp_mini_release(&req->mini);
		}
		mytcp_mini_put(&req->mini);
	}
}

static enum hrtimer_restart mytcp_tw_timer_fn(struct hrtimer *t)
{
	struct mytcp_mini *m = container_of(t, struct mytcp_mini, timer);

	if (mytcp_mini_expire(m))
		mytcp_mini_release(m);
	return HRTIMER_NORESTART;
}

/* Count one more TIME-WAIT entry, unless max_tw_buckets are there. */
static bool mytcp_tw_count_get(struct mytcp_net *mn)
{
	int max = READ_ONCE(mn->sysctl_max_tw_buckets);
	int n = atomic_read(&mn->tw_count);

	do {
		if (n >= max)
			return false;
	} while (!atomic_try_cmpxchg(&mn->tw_count, &n, n + 1));
	return true;
}

/*
 * Enter TIME-WAIT (RFC 9293 3.10.7.4): a small entry takes over the
 * 4-tuple and the port for 2 MSL (sysctl tw_timeout_ms); the socket
 * itself is done. With max_tw_buckets entries in the namespace already,
 * the connection closes at once instead, as Linux's does: the 2 MSL
 * guard of RFC 9293 3.4.2 is traded for bounded memory.
 */
void mytcp_time_wait(struct sock *sk)
{
	struct mytcp_net *mn = mytcp_pernet(sock_net(sk));
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct mytcp_tw *tw;

	if (!mytcp_tw_count_get(mn)) {
		MYTCP_INC_STATS(sock_net(sk), TWOVERFLOW);
		pr_info_ratelimited("mytcp: time wait bucket table overflow\n");
		mytcp_done(sk);
		return;
	}
	tw = kmem_cache_zalloc(mytcp_tw_cachep, GFP_ATOMIC);
	if (tw && msk->bb) {
		write_pnet(&tw->mini.net, sock_net(sk));
		tw->mini.laddr = inet->inet_rcv_saddr;
		tw->mini.raddr = inet->inet_daddr;
		tw->mini.lport = inet->inet_sport;
		tw->mini.rport = inet->inet_dport;
		tw->mini.kind = MYTCP_MINI_TIMEWAIT;
		refcount_set(&tw->mini.refcnt, 1);
		hrtimer_init(&tw->mini.timer, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL_SOFT);
		tw->mini.timer.function = mytcp_tw_timer_fn;
		tw->snd_nxt = msk->snd_nxt;
		tw->rcv_nxt = msk->rcv_nxt;
		tw->rcv_wnd = min_t(u32, msk->rcv_wnd >> msk->rcv_wscale,
				    U16_MAX);
		tw->rcv_wscale = msk->rcv_wscale;
		tw->tstamp_ok = msk->tstamp_ok;
		tw->ts_recent = msk->ts_recent;
		tw->ts_offset = msk->ts_offset;
		tw->tos = inet->tos;
		tw->reuse = sk->sk_reuse;
		tw->reuseport = sk->sk_reuseport;
		tw->bound_dev_if = sk->sk_bound_dev_if;
		mytcp_bind_add_tw(tw, sk);
		mytcp_mini_hash_replace(&tw->mini, sk);
		mytcp_mini_restart_timer(&tw->mini,
					 mytcp_ms_to_ns(READ_ONCE(mn->sysctl_tw_timeout_ms)));
		MYTCP_INC_STATS(sock_net(sk), TIMEWAITS);
		mytcp_hist_time_wait(sk);
	} else {
		if (tw)
			kmem_cache_free(mytcp_tw_cachep, tw);
		atomic_dec(&mn->tw_count);
	}
	mytcp_done(sk);
}

/*
 * A segment for a TIME-WAIT entry (RFC 9293 3.10.7.4): a retransmitted
 * FIN is ACKed and restarts the 2 MSL timer; RSTs are ignored (RFC 1337
 * protection, sysctl rfc1337, default on) or, with rfc1337 off, an exact
 * one ends the entry as in Linux's default;
 * a new SYN above RCV.NXT may reuse the 4-tuple (RFC 6191), as Linux
 * allows; anything else unacceptable gets an ACK.
 */
void mytcp_tw_rcv(struct mytcp_tw *tw, struct sk_buff *skb,
		  const struct mytcp_hdr_view *h)
{
	struct mytcp_mini *m = &tw->mini;
	struct net *net = mytcp_mini_net(m);
	u64 tw_ns = mytcp_ms_to_ns(READ_ONCE(mytcp_pernet(net)->sysctl_tw_timeout_ms));
	struct sock *listener;

	if (h->flags & MYTCP_FLAG_RST) {
		if (!READ_ONCE(mytcp_pernet(net)->sysctl_rfc1337) &&
		    h->seq == tw->rcv_nxt && mytcp_mini_unhash(m)) {
			hrtimer_cancel(&m->timer);
			mytcp_mini_release(m);
		} else {
			MYTCP_INC_STATS(net, FLAGDROPS);
		}
		goto drop;
	}
	if ((h->flags & (MYTCP_FLAG_SYN | MYTCP_FLAG_ACK)) == MYTCP_FLAG_SYN &&
	    mytcp_seq_after(h->seq, tw->rcv_nxt)) {
		listener = mytcp_lookup_listener(net, m->raddr, m->rport,
						 m->laddr, m->lport,
						 inet_iif(skb));
		if (listener) {
			if (mytcp_mini_unhash(m)) {
				hrtimer_cancel(&m->timer);
				mytcp_mini_release(m);
			}
			bh_lock_sock_nested(listener);
			if (!sock_owned_by_user(listener)) {
				mytcp_hist_rcv(listener, skb);
			} else if (sk_add_backlog(listener, skb,
						  READ_ONCE(listener->sk_rcvbuf))) {
				MYTCP_INC_STATS(net, BACKLOGDROP);
				kfree_skb(skb);
			}
			bh_unlock_sock(listener);
			sock_put(listener);
			return;
		}
	}
	/* RFC 9293 3.10.7.4 fifth check: "if the ACK bit is off, drop". */
	if (!(h->flags & (MYTCP_FLAG_ACK | MYTCP_FLAG_SYN))) {
		MYTCP_INC_STATS(net, FLAGDROPS);
		goto drop;
	}
	/*
	 * A FIN again (its ACK was lost), data, a SYN, or any segment outside
	 * the window (RFC 9293 3.10.7.4, first check) gets an ACK.
	 */
	if ((h->flags & MYTCP_FLAG_FIN) ||
	    MYTCP_SKB_CB(skb)->end_seq != MYTCP_SKB_CB(skb)->seq ||
	    (h->flags & MYTCP_FLAG_SYN) ||
	    !mytcp_seq_acceptable(h->seq, 0, tw->rcv_nxt,
				  (u32)tw->rcv_wnd << tw->rcv_wscale)) {
		struct mytcp_opt_out opts = { };

		if (tw->tstamp_ok) {
			if ((h->opts.present & MYTCP_OPT_TS) &&
			    (s32)(h->opts.ts_val - tw->ts_recent) > 0)
				tw->ts_recent = h->opts.ts_val;
			opts.present = MYTCP_OPT_TS;
			opts.ts_val = mytcp_ts_now(tw->ts_offset);
			opts.ts_ecr = tw->ts_recent;
		}
		mytcp_send_reply(net, skb, m->laddr, m->raddr, m->lport,
				 m->rport, tw->snd_nxt, tw->rcv_nxt,
				 MYTCP_FLAG_ACK, tw->rcv_wnd, &opts, tw->tos, -1,
				 inet_iif(skb));
		if (h->flags & MYTCP_FLAG_FIN)
			mytcp_mini_restart_timer(m, tw_ns);
	}
drop:
	kfree_skb(skb);
}
