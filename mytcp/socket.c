// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the socket layer — struct proto and struct proto_ops: socket
 * set-up, connect, listen, accept, shutdown, close and poll, and the
 * state changes they make (RFC 9293 3.10.1-3.10.5).
 *
 * mytcp's state numbers are Linux's TCP_* numbers, so the generic inet
 * stream helpers (inet_stream_connect, inet_accept, inet_shutdown) work
 * on mytcp sockets unchanged.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "mytcp.h"
#include "compat.h"

/* Enter @state; CLOSED releases the hash entry and, unless bound by the
 * user, the port.
 */
void mytcp_set_state(struct sock *sk, int state)
{
	if (state != sk->sk_state)
		mytcp_hist_record(sk, sk->sk_state, state);
	if (state == MYTCP_CLOSE) {
		mytcp_unhash(sk);
		if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
			mytcp_put_port(sk);
	}
	/* inet_sk_state_store() is not exported; this is its store. */
	smp_store_release(&sk->sk_state, state);
}

static void mytcp_destroy_sock(struct sock *sk);

/*
 * Release a CLOSED orphan's resources; drops the owner's reference. From
 * here the socket no longer counts as in use.
 */
static void mytcp_destroy_orphan(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (msk->orphan_counted) {
		msk->orphan_counted = false;
		atomic_dec(&mytcp_pernet(sock_net(sk))->orphan_count);
	}
	mytcp_destroy_sock(sk);
	mytcp_timers_stop(sk);
	mytcp_write_queue_purge(sk);
	__skb_queue_purge(&sk->sk_receive_queue);
	__skb_queue_purge(&mytcp_sk(sk)->ooo_queue);
	mytcp_put_port(sk);
	sock_put(sk);
}

/*
 * The connection is CLOSED (RFC 9293 3.10.7, "enter CLOSED"): timers
 * stop, the socket leaves the tables, the user is woken; an orphan is
 * freed.
 */
void mytcp_done(struct sock *sk)
{
	if (sk->sk_state == MYTCP_SYN_SENT || sk->sk_state == MYTCP_SYN_RECV)
		MYTCP_INC_STATS(sock_net(sk), ATTEMPTFAILS);
	mytcp_set_state(sk, MYTCP_CLOSE);
	mytcp_timers_stop(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	else
		mytcp_destroy_orphan(sk);
}

void mytcp_write_queue_purge(struct sock *sk)
{
	struct sk_buff *skb;

	struct mytcp_sock *msk = mytcp_sk(sk);

	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		mytcp_wmem_free_skb(sk, skb);
	msk->send_head = NULL;
	msk->packets_out = 0;
	msk->sacked_out = 0;
	msk->lost_out = 0;
	msk->retrans_out = 0;
}

static void mytcp_stream_write_space(struct sock *sk)
{
	struct socket_wq *wq;

	if (!sk_stream_is_writeable(sk) || !sk->sk_socket)
		return;
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/*
 * Sockets allocated and not yet freed. A closed socket can outlive its
 * last reference while skbs it sent wait in a qdisc (sk_wmem_alloc), and
 * its memory returns to our slab only then: module exit waits for none.
 */
static atomic_long_t mytcp_sockets_alive = ATOMIC_LONG_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(mytcp_sockets_wq);

static void mytcp_sock_destruct(struct sock *sk)
{
	/*
	 * Nothing is charged any more: give back the forward allocation
	 * ourselves, so that the kernel's final reclaim (which would
	 * uncharge a memory cgroup we never charged) finds none.
	 */
	mytcp_mem_reclaim(sk);
	sk_sockets_allocated_dec(sk);
	inet_sock_destruct(sk);
	if (atomic_long_dec_and_test(&mytcp_sockets_alive))
		wake_up(&mytcp_sockets_wq);
}

/* A new socket (or listener child) counts until its destructor runs. */
void mytcp_sock_count(struct sock *sk)
{
	atomic_long_inc(&mytcp_sockets_alive);
	sk->sk_destruct = mytcp_sock_destruct;
}

/* Module exit: wait until every socket is freed (see above). */
void mytcp_wait_sockets_freed(void)
{
	while (!wait_event_timeout(mytcp_sockets_wq,
				   !atomic_long_read(&mytcp_sockets_alive),
				   10 * HZ))
		pr_info("waiting for %ld sockets still holding sent packets\n",
			atomic_long_read(&mytcp_sockets_alive));
}

/* Connection state every new socket starts from (listener children too). */
void mytcp_conn_defaults(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	msk->rcv_ratio = 128;	/* half, until data says otherwise */
	mytcp_timer_init(sk);
	mytcp_rto_init(&msk->rto,
		       READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_rto_initial_ms) *
		       USEC_PER_MSEC);
	msk->mss_cache = 536;
	msk->peer_mss = 536;
	msk->rcv_mss = 536;
}

static int mytcp_init_sock(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct mytcp_net *mn = mytcp_pernet(net);
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (!READ_ONCE(mn->sysctl_enabled))
		return -ENOPROTOOPT;

	spin_lock_init(&msk->req_lock);
	INIT_LIST_HEAD(&msk->requests);
	INIT_LIST_HEAD(&msk->accept_queue);
	INIT_LIST_HEAD(&msk->accept_node);
	skb_queue_head_init(&msk->ooo_queue);
	mytcp_conn_defaults(sk);
	msk->cc_ops = READ_ONCE(mn->cc_default);
	mytcp_cc_init(msk->cc_ops, &msk->cc);
	/* net.mytcp.wmem/rmem defaults, like tcp_wmem[1]/tcp_rmem[1] */
	WRITE_ONCE(sk->sk_sndbuf, READ_ONCE(mn->sysctl_wmem[1]));
	WRITE_ONCE(sk->sk_rcvbuf, READ_ONCE(mn->sysctl_rmem[1]));
	/* Lookups run under RCU: free sockets after a grace period. */
	sock_set_flag(sk, SOCK_RCU_FREE);
	sk->sk_write_space = mytcp_stream_write_space;

	sock_prot_inuse_add(net, sk->sk_prot, 1);
	msk->inuse_counted = true;
	/* sk_clone_lock() counts listener children itself. */
	sk_sockets_allocated_inc(sk);
	mytcp_sock_count(sk);
	return 0;
}

/* Also runs when mytcp_init_sock() failed: undo only what it did. */
static void mytcp_destroy_sock(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (msk->inuse_counted) {
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
		msk->inuse_counted = false;
	}
}

/* The oldest established child of a listener, off its accept queue. */
static struct sock *mytcp_accept_queue_pop(struct sock *sk)
{
	struct mytcp_sock *lmsk = mytcp_sk(sk);
	struct mytcp_sock *cmsk;

	spin_lock_bh(&lmsk->req_lock);
	cmsk = list_first_entry_or_null(&lmsk->accept_queue,
					struct mytcp_sock, accept_node);
	if (cmsk) {
		list_del_init(&cmsk->accept_node);
		sk_acceptq_removed(sk);
	}
	spin_unlock_bh(&lmsk->req_lock);
	return cmsk ? &cmsk->inet.sk : NULL;
}

/* Abort a child that no accept() will take; its bh lock is held. */
static void mytcp_child_drop(struct sock *child)
{
	mytcp_hist_cause(child, MYTCP_CAUSE_ABORT);
	sock_set_flag(child, SOCK_DEAD);
	if (child->sk_state != MYTCP_CLOSE) {
		/* RFC 9293 3.10.4: abort sends a reset. */
		if (mytcp_state_synchronized(child->sk_state))
			mytcp_send_rst_sk(child);
		mytcp_done(child);
	} else {
		mytcp_destroy_orphan(child);
	}
}

/*
 * Queue a new child (bh-locked) for accept(), or drop it if the listener
 * left LISTEN meanwhile: a request completes without the listener's
 * lock, so its close may already have emptied the accept queue, and a
 * child queued after that would never be freed. The state is read under
 * req_lock, which mytcp_listener_drop_children() takes after leaving
 * LISTEN: one of the two sees the child.
 */
bool mytcp_child_enqueue(struct sock *listener, struct sock *child)
{
	struct mytcp_sock *lmsk = mytcp_sk(listener);
	bool queued;

	spin_lock_bh(&lmsk->req_lock);
	queued = READ_ONCE(listener->sk_state) == MYTCP_LISTEN;
	if (queued) {
		list_add_tail(&mytcp_sk(child)->accept_node,
			      &lmsk->accept_queue);
		sk_acceptq_added(listener);
	}
	spin_unlock_bh(&lmsk->req_lock);
	if (!queued)
		mytcp_child_drop(child);
	return queued;
}

/* Abort every child still waiting on a listener's accept queue. */
static void mytcp_listener_drop_children(struct sock *sk)
{
	struct sock *child;

	while ((child = mytcp_accept_queue_pop(sk))) {
		sock_hold(child);
		local_bh_disable();
		bh_lock_sock(child);
		mytcp_child_drop(child);
		bh_unlock_sock(child);
		local_bh_enable();
		sock_put(child);
	}
}

static void mytcp_stop_listening(struct sock *sk)
{
	mytcp_set_state(sk, MYTCP_CLOSE);
	mytcp_listener_drop_requests(sk);
	mytcp_listener_drop_children(sk);
}

/*
 * Every socket pins the module through its creator proto (sk_alloc).
 * An orphan - closed by the user but still finishing its FIN exchange -
 * must not keep rmmod from succeeding: it switches to this copy of
 * mytcp_prot without an owner, gives its module reference back, and
 * module exit aborts whatever orphans are left (mytcp_abort_orphans).
 */
static struct proto mytcp_orphan_creator;

void mytcp_orphan_creator_init(void)
{
	mytcp_orphan_creator = mytcp_prot;
	mytcp_orphan_creator.owner = NULL;
}

/*
 * The reference is dropped from an RCU callback: it runs with preemption
 * off, so module exit's synchronize_rcu() cannot free our code under it.
 */
static void mytcp_orphan_module_put(struct rcu_head *head)
{
	struct mytcp_sock *msk = container_of(head, struct mytcp_sock,
					      orphan_rcu);

	sock_put(&msk->inet.sk);
	module_put(THIS_MODULE);
}

static void mytcp_orphan_release_module(struct sock *sk)
{
	if (sk->sk_prot_creator != &mytcp_prot)
		return;
	sk->sk_prot_creator = &mytcp_orphan_creator;
	sock_hold(sk);
	call_rcu(&mytcp_sk(sk)->orphan_rcu, mytcp_orphan_module_put);
}

/* Module exit: abort every connection still alive (all are orphans). */
void mytcp_abort_orphans(void)
{
	struct sock *sk;

	while ((sk = mytcp_ehash_take_any())) {
		local_bh_disable();
		bh_lock_sock(sk);
		mytcp_hist_cause(sk, MYTCP_CAUSE_ABORT);
		if (sk->sk_state != MYTCP_CLOSE) {
			if (mytcp_state_synchronized(sk->sk_state))
				mytcp_send_rst_sk(sk);
			mytcp_done(sk);
		}
		bh_unlock_sock(sk);
		local_bh_enable();
		/* A callback running right now must finish first. */
		mytcp_timers_cancel_sync(sk);
		sock_put(sk);
	}
}

/*
 * More orphans in the namespace than net.mytcp.max_orphans (Linux's
 * tcp_max_orphans): reset this one, as Linux's tcp_check_oom() does.
 * An orphan no user waits for is what the peer can make pile up (by
 * never ACKing our FIN or opening its window); the abort of RFC 9293
 * 3.10.4 frees it at once. bh-locked, not owned. True if it was reset.
 */
bool mytcp_orphan_limit(struct sock *sk)
{
	struct mytcp_net *mn = mytcp_pernet(sock_net(sk));

	if (!mytcp_sk(sk)->orphan_counted ||
	    atomic_read(&mn->orphan_count) <= READ_ONCE(mn->sysctl_max_orphans))
		return false;
	pr_info_ratelimited("mytcp: too many orphaned sockets\n");
	MYTCP_INC_STATS(sock_net(sk), ABORTONMEMORY);
	mytcp_hist_cause(sk, MYTCP_CAUSE_ABORT);
	if (mytcp_state_synchronized(sk->sk_state))
		mytcp_send_rst_sk(sk);
	mytcp_done(sk);
	return true;
}

/*
 * CLOSE (RFC 9293 3.10.4). Unread data or SO_LINGER with a zero timeout
 * aborts with an RST (RFC 2525 2.17); otherwise our FIN follows the data
 * and the connection lives on as an orphan until it is done.
 */
static void mytcp_close(struct sock *sk, long timeout)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	bool unread;
	int next, state;

	lock_sock(sk);
	mytcp_hist_cause(sk, MYTCP_CAUSE_CLOSE);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);

	if (sk->sk_state == MYTCP_LISTEN) {
		mytcp_stop_listening(sk);
		goto orphan;
	}

	unread = !skb_queue_empty(&sk->sk_receive_queue);
	__skb_queue_purge(&sk->sk_receive_queue);
	__skb_queue_purge(&msk->ooo_queue);

	if (sk->sk_state == MYTCP_CLOSE) {
		/* nothing to do */
	} else if (sk->sk_state == MYTCP_SYN_SENT) {
		mytcp_done(sk);
	} else if (unread || (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime)) {
		/* Linux's names: unread data, else SO_LINGER {1, 0}. */
		if (unread)
			MYTCP_INC_STATS(sock_net(sk), ABORTONCLOSE);
		else
			MYTCP_INC_STATS(sock_net(sk), ABORTONDATA);
		if (mytcp_state_synchronized(sk->sk_state) ||
		    sk->sk_state == MYTCP_SYN_RECV)
			mytcp_send_rst_sk(sk);
		mytcp_done(sk);
	} else {
		next = mytcp_state_next(sk->sk_state, MYTCP_EV_CLOSE,
					msk->passive, NULL);
		if (next != sk->sk_state &&
		    (next == MYTCP_FIN_WAIT1 || next == MYTCP_LAST_ACK)) {
			mytcp_set_state(sk, next);
			mytcp_send_fin(sk);
		}
	}

	if (timeout && sk->sk_state != MYTCP_CLOSE)
		sk_stream_wait_close(sk, timeout);

orphan:
	state = sk->sk_state;
	sock_hold(sk);
	sock_orphan(sk);
	release_sock(sk);

	/*
	 * From here the connection belongs to the protocol alone. If the
	 * backlog run by release_sock() closed it, that did the cleanup.
	 */
	local_bh_disable();
	bh_lock_sock(sk);
	if (sk->sk_state == MYTCP_CLOSE) {
		if (state == MYTCP_CLOSE)
			mytcp_destroy_orphan(sk);
	} else {
		/* Counted until mytcp_destroy_orphan(), under this lock. */
		mytcp_sk(sk)->orphan_counted = true;
		atomic_inc(&mytcp_pernet(sock_net(sk))->orphan_count);
		if (!mytcp_orphan_limit(sk)) {
			if (sk->sk_state == MYTCP_FIN_WAIT2)
				mytcp_fin_wait2_timer_arm(sk);
			mytcp_orphan_release_module(sk);
		}
	}
	bh_unlock_sock(sk);
	local_bh_enable();
	sock_put(sk);
}

/* proto.shutdown, for SHUT_WR in the synchronized states (RFC 9293 3.10.4). */
static void mytcp_shutdown(struct sock *sk, int how)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int next;

	if (!(how & SEND_SHUTDOWN))
		return;
	mytcp_hist_cause(sk, MYTCP_CAUSE_SHUTDOWN);
	next = mytcp_state_next(sk->sk_state, MYTCP_EV_SHUTDOWN_WR,
				msk->passive, NULL);
	if (next == MYTCP_FIN_WAIT1 || next == MYTCP_LAST_ACK) {
		mytcp_set_state(sk, next);
		mytcp_send_fin(sk);
	}
}

/*
 * proto.disconnect: connect(AF_UNSPEC), and shutdown() of a listener or
 * a socket in SYN-SENT. Aborts whatever the socket had.
 */
static int mytcp_disconnect(struct sock *sk, int flags)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	int old_state = sk->sk_state;

	mytcp_hist_cause(sk, MYTCP_CAUSE_DISCONNECT);
	if (old_state == MYTCP_LISTEN) {
		mytcp_stop_listening(sk);
	} else if (old_state != MYTCP_CLOSE) {
		if (mytcp_state_synchronized(old_state) ||
		    old_state == MYTCP_SYN_RECV) {
			mytcp_send_rst_sk(sk);
			/* The next call reports the abort, as Linux does. */
			WRITE_ONCE(sk->sk_err, ECONNRESET);
		} else if (old_state == MYTCP_SYN_SENT) {
			WRITE_ONCE(sk->sk_err, ECONNRESET);
		}
		mytcp_set_state(sk, MYTCP_CLOSE);
	}
	mytcp_timers_stop(sk);
	__skb_queue_purge(&sk->sk_receive_queue);
	__skb_queue_purge(&msk->ooo_queue);
	mytcp_write_queue_purge(sk);
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		inet_reset_saddr(sk);
	inet->inet_dport = 0;
	inet->inet_daddr = 0;
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
	msk->fin_queued = false;
	msk->snd_urg = false;
	WRITE_ONCE(msk->urg_data, 0);
	msk->retransmits = 0;
	msk->dupacks = 0;
	msk->passive = false;
	msk->ca_state = MYTCP_CA_OPEN;
	msk->ack_pending = 0;
	msk->probes_out = 0;
	msk->retrans_start_ns = 0;
	msk->min_rtt_us = 0;
	msk->last_send_ns = 0;
	msk->rcv_mss = 536;
	mytcp_cc_init(msk->cc_ops, &msk->cc);
	mytcp_rto_init(&msk->rto,
		       READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_rto_initial_ms) *
		       USEC_PER_MSEC);
	sk_dst_reset(sk);
	sk_error_report(sk);
	return 0;
}

/* Active OPEN (RFC 9293 3.10.1): route, port, ISN, and our SYN. */
static int mytcp_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct mytcp_net *mn = mytcp_pernet(sock_net(sk));
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	__be16 orig_sport, orig_dport;
	struct flowi4 *fl4;
	struct rtable *rt;
	int err;

	if (addr_len < sizeof(struct sockaddr_in))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;

	orig_sport = inet->inet_sport;
	orig_dport = usin->sin_port;
	fl4 = &inet->cork.fl.u.ip4;
	rt = ip_route_connect(fl4, usin->sin_addr.s_addr, inet->inet_saddr,
			      sk->sk_bound_dev_if, sk->sk_protocol,
			      orig_sport, orig_dport, sk);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	if (!inet->inet_saddr)
		inet->inet_saddr = fl4->saddr;
	if (!inet->inet_rcv_saddr)
		inet->inet_rcv_saddr = inet->inet_saddr;
	inet->inet_dport = usin->sin_port;
	inet->inet_daddr = fl4->daddr;

	mytcp_hist_cause(sk, MYTCP_CAUSE_CONNECT);
	mytcp_set_state(sk, MYTCP_SYN_SENT);
	err = mytcp_hash_connect(sk);
	if (err)
		goto failure;

	rt = ip_route_newports(fl4, rt, orig_sport, orig_dport,
			       inet->inet_sport, inet->inet_dport, sk);
	if (IS_ERR(rt)) {
		err = PTR_ERR(rt);
		rt = NULL;
		goto failure;
	}
	sk_setup_caps(sk, &rt->dst);
	rt = NULL;

	msk->iss = mytcp_isn(inet->inet_saddr, inet->inet_daddr,
			     inet->inet_sport, inet->inet_dport);
	msk->snd_una = msk->iss;
	msk->snd_nxt = msk->iss;
	msk->write_seq = msk->iss;
	msk->snd_wnd = 0;
	msk->rcv_wnd = 0;
	msk->retransmits = 0;
	msk->passive = false;
	msk->high_seq = msk->iss;
	/* What our SYN offers (RFC 7323, RFC 2018); the SYN-ACK decides. */
	msk->wscale_ok = READ_ONCE(mn->sysctl_window_scaling);
	msk->rcv_wscale = msk->wscale_ok ? mytcp_select_wscale(sk) : 0;
	msk->snd_wscale = 0;
	msk->sack_ok = READ_ONCE(mn->sysctl_sack);
	msk->tstamp_ok = READ_ONCE(mn->sysctl_timestamps);
	msk->ts_offset = mytcp_ts_offset(inet->inet_saddr, inet->inet_daddr);
	msk->ts_recent = 0;
	msk->ts_recent_ns = 0;
	msk->mss_cache = mytcp_adv_mss(sk);
	atomic_set(&inet->inet_id, get_random_u16());

	err = mytcp_connect_send_syn(sk);
	if (err)
		goto failure;
	MYTCP_INC_STATS(sock_net(sk), ACTIVEOPENS);
	return 0;

failure:
	mytcp_set_state(sk, MYTCP_CLOSE);
	if (rt)
		ip_rt_put(rt);
	sk->sk_route_caps = 0;
	inet->inet_dport = 0;
	return err;
}

/* proto_ops.listen: passive OPEN (RFC 9293 3.10.1). */
static int mytcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = -EINVAL;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		goto out;
	if (sk->sk_state != MYTCP_CLOSE && sk->sk_state != MYTCP_LISTEN)
		goto out;
	/*
	 * A reuseport BPF program (SO_ATTACH_REUSEPORT_[CE]BPF) is attached
	 * by the socket core, but our listener lookup cannot run it: refuse
	 * rather than ignore it.
	 */
	if (rcu_access_pointer(sk->sk_reuseport_cb)) {
		err = -EOPNOTSUPP;
		goto out;
	}
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	if (sk->sk_state == MYTCP_CLOSE) {
		if (!inet_sk(sk)->inet_num) {
			err = mytcp_get_port(sk, 0);
			if (err) {
				err = -EADDRINUSE;
				goto out;
			}
			inet_sk(sk)->inet_sport = htons(inet_sk(sk)->inet_num);
		} else if (mytcp_listen_conflict(sk)) {
			err = -EADDRINUSE;
			goto out;
		}
		sk->sk_ack_backlog = 0;
		mytcp_hist_cause(sk, MYTCP_CAUSE_LISTEN);
		mytcp_set_state(sk, MYTCP_LISTEN);
		mytcp_hash_listen(sk);
	}
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* Take the first established child off the accept queue, waiting if allowed. */
struct sock *mytcp_accept_child(struct sock *sk, int flags, int *err)
{
	struct mytcp_sock *lmsk = mytcp_sk(sk);
	long timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);
	struct sock *child;
	DEFINE_WAIT(wait);

	lock_sock(sk);
	for (;;) {
		if (sk->sk_state != MYTCP_LISTEN) {
			*err = -EINVAL;
			break;
		}
		child = mytcp_accept_queue_pop(sk);
		if (child) {
			release_sock(sk);
			return child;
		}
		if (!timeo) {
			*err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			*err = sock_intr_errno(timeo);
			break;
		}
		prepare_to_wait_exclusive(sk_sleep(sk), &wait,
					  TASK_INTERRUPTIBLE);
		release_sock(sk);
		if (list_empty_careful(&lmsk->accept_queue))
			timeo = schedule_timeout(timeo);
		lock_sock(sk);
		finish_wait(sk_sleep(sk), &wait);
	}
	release_sock(sk);
	return NULL;
}

/*
 * Enough in-order data to wake a reader: SO_RCVLOWAT bytes, or less when
 * the buffer is nearly full or the window nearly closed, so that a large
 * SO_RCVLOWAT cannot stall the connection (as Linux's tcp_epollin_ready).
 */
static bool mytcp_rcv_ready(const struct sock *sk)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);
	int avail = READ_ONCE(msk->rcv_nxt) - READ_ONCE(msk->copied_seq);
	int rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	s32 wnd;

	if (avail <= 0)
		return false;
	if (avail >= sock_rcvlowat(sk, 0, INT_MAX))
		return true;
	if (atomic_read(&sk->sk_rmem_alloc) > rcvbuf - (rcvbuf >> 3))
		return true;
	wnd = READ_ONCE(msk->rcv_wup) + READ_ONCE(msk->rcv_wnd) -
	      READ_ONCE(msk->rcv_nxt);
	return wnd <= (s32)READ_ONCE(msk->rcv_mss);
}

/*
 * proto_ops.set_rcvlowat: as Linux TCP, capped at half the buffer (the
 * fixed SO_RCVBUF, else net.mytcp.rmem[2]); the buffer grows to hold
 * that much payload unless fixed; a reader already satisfied is woken.
 */
static int mytcp_set_rcvlowat(struct sock *sk, int val)
{
	int rmem_max = READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_rmem[2]);
	bool locked = sk->sk_userlocks & SOCK_RCVBUF_LOCK;
	u64 space;

	val = min(val, (locked ? READ_ONCE(sk->sk_rcvbuf) : rmem_max) >> 1);
	WRITE_ONCE(sk->sk_rcvlowat, val ? : 1);
	if (mytcp_rcv_ready(sk))
		sk->sk_data_ready(sk);
	if (locked)
		return 0;
	space = div_u64((u64)val << 8,
			max_t(u32, READ_ONCE(mytcp_sk(sk)->rcv_ratio), 8));
	if (space > READ_ONCE(sk->sk_rcvbuf))
		WRITE_ONCE(sk->sk_rcvbuf, min_t(u64, space, INT_MAX));
	return 0;
}

/*
 * Data for read(): not when all that is left is an out-of-line urgent
 * byte at the mark (read() would skip it and find nothing).
 */
static bool mytcp_poll_readable(const struct sock *sk)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);

	if (skb_queue_empty_lockless(&sk->sk_receive_queue))
		return false;
	return !mytcp_urg_at_mark(sk) || sock_flag(sk, SOCK_URGINLINE) ||
	       READ_ONCE(msk->rcv_nxt) - READ_ONCE(msk->copied_seq) > 1;
}

/* Readiness as Linux TCP reports it (tcp_poll), state by state. */
static __poll_t mytcp_poll(struct file *file, struct socket *sock,
			   poll_table *wait)
{
	struct sock *sk = sock->sk;
	int state = inet_sk_state_load(sk);
	u8 shutdown;
	__poll_t mask = 0;

	sock_poll_wait(file, sock, wait);

	if (state == MYTCP_LISTEN)
		return READ_ONCE(sk->sk_ack_backlog) ? EPOLLIN | EPOLLRDNORM : 0;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == MYTCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;

	if (state != MYTCP_SYN_SENT && state != MYTCP_SYN_RECV) {
		if (mytcp_rcv_ready(sk) && mytcp_poll_readable(sk))
			mask |= EPOLLIN | EPOLLRDNORM;
		/* The peer's urgent byte waits for recv(MSG_OOB). */
		if (READ_ONCE(mytcp_sk(sk)->urg_data) & MYTCP_URG_VALID)
			mask |= EPOLLPRI;
		if (!(shutdown & SEND_SHUTDOWN)) {
			if (sk_stream_is_writeable(sk)) {
				mask |= EPOLLOUT | EPOLLWRNORM;
			} else {
				sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
				/* Race with the ACK that frees space. */
				smp_mb__after_atomic();
				if (sk_stream_is_writeable(sk))
					mask |= EPOLLOUT | EPOLLWRNORM;
			}
		} else {
			mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	/* Pairs with the barrier after setting sk_err. */
	smp_rmb();
	if (READ_ONCE(sk->sk_err))
		mask |= EPOLLERR;
	return mask;
}

struct proto mytcp_prot = {
	.name		= "MYTCP",
	.owner		= THIS_MODULE,
	.init		= mytcp_init_sock,
	.destroy	= mytcp_destroy_sock,
	.close		= mytcp_close,
	.connect	= mytcp_connect,
	.disconnect	= mytcp_disconnect,
	.accept		= mytcp_accept,
	.shutdown	= mytcp_shutdown,
	.ioctl		= mytcp_ioctl,
	.sendmsg	= mytcp_sendmsg,
	.recvmsg	= mytcp_recvmsg,
	.backlog_rcv	= mytcp_hist_rcv,
	.release_cb	= mytcp_release_cb,
	.keepalive	= mytcp_keepalive_set,
	.unhash		= mytcp_unhash,
	.get_port	= mytcp_get_port,
	.setsockopt	= mytcp_setsockopt,
	.getsockopt	= mytcp_getsockopt,
	.enter_memory_pressure	= mytcp_enter_memory_pressure,
	.leave_memory_pressure	= mytcp_leave_memory_pressure,
	.memory_allocated	= &mytcp_memory_allocated,
	.per_cpu_fw_alloc	= &mytcp_memory_per_cpu_fw_alloc,
	.sockets_allocated	= &mytcp_sockets_allocated,
	.memory_pressure	= &mytcp_memory_pressure,
	.sysctl_mem	= mytcp_sysctl_mem,
	.obj_size	= sizeof(struct mytcp_sock),
};

const struct proto_ops mytcp_stream_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= inet_bind,
	.connect	= inet_stream_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= inet_accept,
	.getname	= inet_getname,
	.poll		= mytcp_poll,
	.ioctl		= inet_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= mytcp_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= inet_sendmsg,
	.recvmsg	= inet_recvmsg,
	.mmap		= sock_no_mmap,
	.set_peek_off	= MYTCP_SET_PEEK_OFF,
	.set_rcvlowat	= mytcp_set_rcvlowat,
};
