// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the lookup tables, shared by all network namespaces and keyed
 * with the namespace, each bucket with its own spinlock; lookups from the
 * receive path run under RCU only.
 *
 *   ehash  connections (full sockets), by 4-tuple
 *   mhash  request (SYN-RECEIVED) and TIME-WAIT entries, by 4-tuple
 *   lhash  listeners, by local port
 *   bhash  bind buckets, by local port: who holds the port
 *
 * Sockets are freed after an RCU grace period (SOCK_RCU_FREE) and mini
 * sockets with kfree_rcu(), so a reader may follow a stale entry but
 * never freed memory; it takes a reference with refcount_inc_not_zero()
 * and checks the key again.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/inet_sock.h>
#include <net/ip.h>

#include "mytcp.h"

#define MYTCP_EHASH_BITS	12
#define MYTCP_LHASH_BITS	8
#define MYTCP_BHASH_BITS	10

struct mytcp_hbucket {
	spinlock_t lock;		/* protects chain */
	struct hlist_head chain;
};

/* Who holds a local port in a namespace */
struct mytcp_bind_bucket {
	struct hlist_node node;
	possible_net_t net;
	unsigned short port;
	struct hlist_head owners;	/* sockets, by sk_bind_node */
	struct hlist_head tw_owners;	/* TIME-WAIT entries */
};

static struct mytcp_hbucket *mytcp_ehash;
static struct mytcp_hbucket *mytcp_mhash;
static struct mytcp_hbucket *mytcp_lhash;
static struct mytcp_hbucket *mytcp_bhash;
static u32 mytcp_hash_secret __read_mostly;

/*
 * Each table's bucket locks are a lock class of their own: an ehash bucket
 * and its mhash twin are held together (ehash first), which lockdep would
 * take for recursive locking if all buckets shared one class.
 */
static struct lock_class_key mytcp_ehash_key, mytcp_mhash_key;
static struct lock_class_key mytcp_lhash_key, mytcp_bhash_key;

static struct mytcp_hbucket *mytcp_table_alloc(unsigned int bits,
					       struct lock_class_key *key)
{
	struct mytcp_hbucket *t;
	unsigned int i;

	t = kvmalloc_array(1U << bits, sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	for (i = 0; i < (1U << bits); i++) {
		spin_lock_init(&t[i].lock);
		lockdep_set_class(&t[i].lock, key);
		INIT_HLIST_HEAD(&t[i].chain);
	}
	return t;
}

int mytcp_hash_init(void)
{
	mytcp_hash_secret = get_random_u32();
	mytcp_ehash = mytcp_table_alloc(MYTCP_EHASH_BITS, &mytcp_ehash_key);
	mytcp_mhash = mytcp_table_alloc(MYTCP_EHASH_BITS, &mytcp_mhash_key);
	mytcp_lhash = mytcp_table_alloc(MYTCP_LHASH_BITS, &mytcp_lhash_key);
	mytcp_bhash = mytcp_table_alloc(MYTCP_BHASH_BITS, &mytcp_bhash_key);
	if (!mytcp_ehash || !mytcp_mhash || !mytcp_lhash || !mytcp_bhash) {
		mytcp_hash_exit();
		return -ENOMEM;
	}
	return 0;
}

void mytcp_hash_exit(void)
{
	kvfree(mytcp_ehash);
	kvfree(mytcp_mhash);
	kvfree(mytcp_lhash);
	kvfree(mytcp_bhash);
	mytcp_ehash = NULL;
	mytcp_mhash = NULL;
	mytcp_lhash = NULL;
	mytcp_bhash = NULL;
}

static u32 mytcp_ehashfn(const struct net *net, __be32 laddr, __be16 lport,
			 __be32 raddr, __be16 rport)
{
	return jhash_3words((__force u32)laddr, (__force u32)raddr,
			    ((__force u32)lport << 16) | (__force u32)rport,
			    mytcp_hash_secret ^ net_hash_mix(net));
}

static struct mytcp_hbucket *mytcp_port_bucket(struct mytcp_hbucket *t,
					       unsigned int bits,
					       const struct net *net,
					       unsigned short port)
{
	u32 h = jhash_1word(port, mytcp_hash_secret ^ net_hash_mix(net));

	return &t[h & ((1U << bits) - 1)];
}

#define MYTCP_EHASH_MASK	((1U << MYTCP_EHASH_BITS) - 1)

/* --- bind buckets ------------------------------------------------------ */

static bool mytcp_addr_overlap(__be32 a, __be32 b)
{
	return !a || !b || a == b;
}

static bool mytcp_dev_overlap(int a, int b)
{
	return !a || !b || a == b;
}

/*
 * Linux TCP's rule (RFC 9293 leaves it to the implementation): two
 * sockets may share a local port if their addresses or bound devices
 * differ, or if both set SO_REUSEADDR and the other one is not
 * listening, or if both set SO_REUSEPORT with the same owner. A
 * TIME-WAIT entry allows it when both the entry's socket and the new one
 * set SO_REUSEADDR, or both SO_REUSEPORT (whatever the owner: the entry
 * has none left).
 */
static bool mytcp_bind_conflict(const struct sock *sk,
				const struct mytcp_bind_bucket *bb)
{
	__be32 addr = inet_sk(sk)->inet_rcv_saddr;
	const struct mytcp_tw *tw;
	struct sock *sk2;

	sk_for_each_bound(sk2, &bb->owners) {
		if (sk2 == sk)
			continue;
		if (!mytcp_dev_overlap(sk->sk_bound_dev_if,
				       sk2->sk_bound_dev_if))
			continue;
		if (!mytcp_addr_overlap(addr, inet_sk(sk2)->inet_rcv_saddr))
			continue;
		if (sk->sk_reuse && sk2->sk_reuse &&
		    sk2->sk_state != MYTCP_LISTEN)
			continue;
		if (sk->sk_reuseport && sk2->sk_reuseport &&
		    uid_eq(sock_i_uid((struct sock *)sk), sock_i_uid(sk2)))
			continue;
		return true;
	}
	hlist_for_each_entry(tw, &bb->tw_owners, bind_node) {
		if (!mytcp_dev_overlap(sk->sk_bound_dev_if, tw->bound_dev_if))
			continue;
		if (!mytcp_addr_overlap(addr, tw->bound_any ? 0 :
					tw->mini.laddr))
			continue;
		if (sk->sk_reuse && tw->reuse)
			continue;
		if (sk->sk_reuseport && tw->reuseport)
			continue;
		return true;
	}
	return false;
}

/* Take @port for @sk; @exclusive: only if nobody holds it at all. */
static int mytcp_bind_port(struct sock *sk, unsigned short port,
			   bool exclusive)
{
	struct net *net = sock_net(sk);
	struct mytcp_hbucket *b;
	struct mytcp_bind_bucket *bb;
	int err = 0;

	b = mytcp_port_bucket(mytcp_bhash, MYTCP_BHASH_BITS, net, port);
	spin_lock_bh(&b->lock);
	hlist_for_each_entry(bb, &b->chain, node)
		if (bb->port == port && net_eq(read_pnet(&bb->net), net))
			break;
	if (bb) {
		if (exclusive || mytcp_bind_conflict(sk, bb)) {
			err = -EADDRINUSE;
			goto out;
		}
	} else {
		bb = kzalloc(sizeof(*bb), GFP_ATOMIC);
		if (!bb) {
			err = -ENOMEM;
			goto out;
		}
		write_pnet(&bb->net, net);
		bb->port = port;
		hlist_add_head(&bb->node, &b->chain);
	}
	sk_add_bind_node(sk, &bb->owners);
	mytcp_sk(sk)->bb = bb;
	inet_sk(sk)->inet_num = port;
out:
	spin_unlock_bh(&b->lock);
	return err;
}

/* proto.get_port: bind() to @snum, or to an ephemeral port when 0. */
int mytcp_get_port(struct sock *sk, unsigned short snum)
{
	struct net *net = sock_net(sk);
	int low, high, i, err;
	u32 range, start;

	if (snum)
		return mytcp_bind_port(sk, snum, false);

	inet_sk_get_local_port_range(sk, &low, &high);
	range = high - low + 1;
	start = get_random_u32() % range;
	for (i = 0; i < range; i++) {
		unsigned short port = low + (start + i) % range;

		if (inet_is_local_reserved_port(net, port))
			continue;
		err = mytcp_bind_port(sk, port, true);
		if (err != -EADDRINUSE)
			return err;
	}
	return -EADDRINUSE;
}

static void mytcp_bind_bucket_maybe_free(struct mytcp_bind_bucket *bb)
{
	if (hlist_empty(&bb->owners) && hlist_empty(&bb->tw_owners)) {
		hlist_del(&bb->node);
		kfree(bb);
	}
}

/*
 * listen() on a bound port: refused while another socket listens on an
 * overlapping address and device, unless both set SO_REUSEPORT with the same owner.
 */
bool mytcp_listen_conflict(struct sock *sk)
{
	struct mytcp_bind_bucket *bb = mytcp_sk(sk)->bb;
	__be32 addr = inet_sk(sk)->inet_rcv_saddr;
	struct mytcp_hbucket *b;
	struct sock *sk2;
	bool conflict = false;

	if (!bb)
		return false;
	b = mytcp_port_bucket(mytcp_bhash, MYTCP_BHASH_BITS, sock_net(sk),
			      bb->port);
	spin_lock_bh(&b->lock);
	sk_for_each_bound(sk2, &bb->owners) {
		if (sk2 == sk || sk2->sk_state != MYTCP_LISTEN)
			continue;
		if (!mytcp_dev_overlap(sk->sk_bound_dev_if,
				       sk2->sk_bound_dev_if))
			continue;
		if (!mytcp_addr_overlap(addr, inet_sk(sk2)->inet_rcv_saddr))
			continue;
		if (sk->sk_reuseport && sk2->sk_reuseport &&
		    uid_eq(sock_i_uid(sk), sock_i_uid(sk2)))
			continue;
		conflict = true;
		break;
	}
	spin_unlock_bh(&b->lock);
	return conflict;
}

/* Release the local port of @sk (CLOSED, or its TIME-WAIT took it over). */
void mytcp_put_port(struct sock *sk)
{
	struct mytcp_bind_bucket *bb = mytcp_sk(sk)->bb;
	struct mytcp_hbucket *b;

	if (!bb)
		return;
	b = mytcp_port_bucket(mytcp_bhash, MYTCP_BHASH_BITS, sock_net(sk),
			      bb->port);
	spin_lock_bh(&b->lock);
	__sk_del_bind_node(sk);
	mytcp_sk(sk)->bb = NULL;
	inet_sk(sk)->inet_num = 0;
	mytcp_bind_bucket_maybe_free(bb);
	spin_unlock_bh(&b->lock);
}

/* A child of a listener shares the listener's port. */
void mytcp_inherit_port(struct sock *child, struct sock *listener)
{
	struct mytcp_bind_bucket *bb = mytcp_sk(listener)->bb;
	struct mytcp_hbucket *b;

	b = mytcp_port_bucket(mytcp_bhash, MYTCP_BHASH_BITS, sock_net(child),
			      bb->port);
	spin_lock(&b->lock);
	sk_add_bind_node(child, &bb->owners);
	mytcp_sk(child)->bb = bb;
	spin_unlock(&b->lock);
}

void mytcp_bind_add_tw(struct mytcp_tw *tw, struct sock *sk)
{
	struct mytcp_bind_bucket *bb = mytcp_sk(sk)->bb;
	struct mytcp_hbucket *b;

	b = mytcp_port_bucket(mytcp_bhash, MYTCP_BHASH_BITS, sock_net(sk),
			      bb->port);
	spin_lock_bh(&b->lock);
	hlist_add_head(&tw->bind_node, &bb->tw_owners);
	tw->bb = bb;
	spin_unlock_bh(&b->lock);
}

void mytcp_bind_del_tw(struct mytcp_tw *tw)
{
	struct mytcp_bind_bucket *bb = tw->bb;
	struct mytcp_hbucket *b;

	if (!bb)
		return;
	b = mytcp_port_bucket(mytcp_bhash, MYTCP_BHASH_BITS,
			      mytcp_mini_net(&tw->mini), bb->port);
	spin_lock_bh(&b->lock);
	hlist_del(&tw->bind_node);
	tw->bb = NULL;
	mytcp_bind_bucket_maybe_free(bb);
	spin_unlock_bh(&b->lock);
}

/* --- connections ------------------------------------------------------- */

static bool mytcp_sk_match(const struct sock *sk, const struct net *net,
			   __be32 raddr, __be16 rport, __be32 laddr,
			   __be16 lport)
{
	const struct inet_sock *inet = inet_sk(sk);

	return net_eq(sock_net(sk), net) && inet->inet_daddr == raddr &&
	       inet->inet_rcv_saddr == laddr && inet->inet_dport == rport &&
	       inet->inet_sport == lport;
}

static bool mytcp_mini_match(const struct mytcp_mini *m, const struct net *net,
			     __be32 raddr, __be16 rport, __be32 laddr,
			     __be16 lport)
{
	return net_eq(mytcp_mini_net(m), net) && m->raddr == raddr &&
	       m->laddr == laddr && m->rport == rport && m->lport == lport;
}

/*
 * Insert a connection. Its 4-tuple must be unique among connections and
 * mini sockets, else EADDRNOTAVAIL as for Linux TCP.
 */
int mytcp_ehash_insert(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct mytcp_hbucket *eb, *mb;
	struct mytcp_mini *m;
	struct sock *sk2;
	u32 hash;
	int err = 0;

	hash = mytcp_ehashfn(net, inet->inet_rcv_saddr, inet->inet_sport,
			     inet->inet_daddr, inet->inet_dport);
	eb = &mytcp_ehash[hash & MYTCP_EHASH_MASK];
	mb = &mytcp_mhash[hash & MYTCP_EHASH_MASK];

	spin_lock_bh(&eb->lock);
	spin_lock(&mb->lock);
	sk_for_each(sk2, &eb->chain) {
		if (mytcp_sk_match(sk2, net, inet->inet_daddr, inet->inet_dport,
				   inet->inet_rcv_saddr, inet->inet_sport)) {
			err = -EADDRNOTAVAIL;
			goto out;
		}
	}
	hlist_for_each_entry(m, &mb->chain, node) {
		if (mytcp_mini_match(m, net, inet->inet_daddr, inet->inet_dport,
				     inet->inet_rcv_saddr, inet->inet_sport)) {
			err = -EADDRNOTAVAIL;
			goto out;
		}
	}
	sk->sk_hash = hash;
	sk_add_node_rcu(sk, &eb->chain);
	mytcp_sk(sk)->hash_table = MYTCP_HASHED_EHASH;
out:
	spin_unlock(&mb->lock);
	spin_unlock_bh(&eb->lock);
	return err;
}

/* Any connection still hashed, with a reference (module exit). */
struct sock *mytcp_ehash_take_any(void)
{
	struct sock *sk = NULL;
	unsigned int i;

	for (i = 0; i <= MYTCP_EHASH_MASK && !sk; i++) {
		if (hlist_empty(&mytcp_ehash[i].chain))
			continue;
		spin_lock_bh(&mytcp_ehash[i].lock);
		sk = sk_head(&mytcp_ehash[i].chain);
		if (sk)
			sock_hold(sk);
		spin_unlock_bh(&mytcp_ehash[i].lock);
	}
	return sk;
}

/* Give an unbound connecting socket an ephemeral port, then hash it. */
int mytcp_hash_connect(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	int err;

	if (!inet->inet_num) {
		err = mytcp_get_port(sk, 0);
		if (err)
			return -EADDRNOTAVAIL;
		inet->inet_sport = htons(inet->inet_num);
	}
	return mytcp_ehash_insert(sk);
}

int mytcp_hash_listen(struct sock *sk)
{
	struct mytcp_hbucket *b;

	b = mytcp_port_bucket(mytcp_lhash, MYTCP_LHASH_BITS, sock_net(sk),
			      inet_sk(sk)->inet_num);
	spin_lock_bh(&b->lock);
	sk_add_node_rcu(sk, &b->chain);
	mytcp_sk(sk)->hash_table = MYTCP_HASHED_LHASH;
	spin_unlock_bh(&b->lock);
	return 0;
}

/* proto.unhash: leave whichever table @sk is on (drops its reference). */
void mytcp_unhash(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_hbucket *b;

	switch (msk->hash_table) {
	case MYTCP_HASHED_EHASH:
		b = &mytcp_ehash[sk->sk_hash & MYTCP_EHASH_MASK];
		break;
	case MYTCP_HASHED_LHASH:
		b = mytcp_port_bucket(mytcp_lhash, MYTCP_LHASH_BITS,
				      sock_net(sk), inet_sk(sk)->inet_num);
		break;
	default:
		return;
	}
	spin_lock_bh(&b->lock);
	sk_del_node_init_rcu(sk);
	msk->hash_table = MYTCP_HASHED_NONE;
	spin_unlock_bh(&b->lock);
}

struct sock *mytcp_lookup_established(struct net *net, __be32 raddr,
				      __be16 rport, __be32 laddr,
				      __be16 lport)
{
	u32 hash = mytcp_ehashfn(net, laddr, lport, raddr, rport);
	struct mytcp_hbucket *b = &mytcp_ehash[hash & MYTCP_EHASH_MASK];
	struct sock *sk;

	rcu_read_lock();
	sk_for_each_rcu(sk, &b->chain) {
		if (sk->sk_hash != hash ||
		    !mytcp_sk_match(sk, net, raddr, rport, laddr, lport))
			continue;
		if (!refcount_inc_not_zero(&sk->sk_refcnt))
			continue;
		/* It may have been reused for another connection meanwhile. */
		if (unlikely(!mytcp_sk_match(sk, net, raddr, rport, laddr,
					     lport))) {
			sock_put(sk);
			continue;
		}
		rcu_read_unlock();
		return sk;
	}
	rcu_read_unlock();
	return NULL;
}

/* How well a listener matches a segment: 0 not at all, else higher wins. */
static int mytcp_listener_score(const struct sock *sk, const struct net *net,
				unsigned short port, __be32 laddr, int dif)
{
	const struct inet_sock *inet = inet_sk(sk);

	if (!net_eq(sock_net(sk), net) || inet->inet_num != port ||
	    READ_ONCE(sk->sk_state) != MYTCP_LISTEN)
		return 0;
	if (inet->inet_rcv_saddr && inet->inet_rcv_saddr != laddr)
		return 0;
	if (sk->sk_bound_dev_if && sk->sk_bound_dev_if != dif)
		return 0;
	return 1 + !!inet->inet_rcv_saddr + !!sk->sk_bound_dev_if;
}

/*
 * The most specific listener: bound address over INADDR_ANY. Listeners
 * sharing the port with SO_REUSEPORT score alike (the bind rules leave
 * no other way to tie); the flow's 4-tuple hash picks one of them, as
 * Linux spreads over a reuseport group, so a retransmitted SYN goes
 * where the first one went. A request stays with its listener anyway
 * (it holds it), so the handshake's ACK never depends on this choice.
 * Lock-free: if the chain changes between the two walks, the first best
 * listener stands in.
 */
struct sock *mytcp_lookup_listener(struct net *net, __be32 raddr,
				   __be16 rport, __be32 laddr, __be16 lport,
				   int dif)
{
	unsigned short port = ntohs(lport);
	struct mytcp_hbucket *b;
	struct sock *sk, *best = NULL;
	int score, best_score = 0;
	u32 n = 0, pick;

	b = mytcp_port_bucket(mytcp_lhash, MYTCP_LHASH_BITS, net, port);
	rcu_read_lock();
	sk_for_each_rcu(sk, &b->chain) {
		score = mytcp_listener_score(sk, net, port, laddr, dif);
		if (score > best_score) {
			best = sk;
			best_score = score;
			n = 1;
		} else if (score && score == best_score) {
			n++;
		}
	}
	if (best && n > 1 && best->sk_reuseport) {
		pick = reciprocal_scale(mytcp_ehashfn(net, laddr, lport, raddr,
						      rport), n);
		sk_for_each_rcu(sk, &b->chain) {
			if (mytcp_listener_score(sk, net, port, laddr, dif) !=
			    best_score || !sk->sk_reuseport)
				continue;
			if (!pick--) {
				best = sk;
				break;
			}
		}
	}
	if (best && !refcount_inc_not_zero(&best->sk_refcnt))
		best = NULL;
	rcu_read_unlock();
	return best;
}

/* --- mini sockets ------------------------------------------------------ */

struct mytcp_mini *mytcp_lookup_mini(struct net *net, __be32 raddr,
				     __be16 rport, __be32 laddr,
				     __be16 lport)
{
	u32 hash = mytcp_ehashfn(net, laddr, lport, raddr, rport);
	struct mytcp_hbucket *b = &mytcp_mhash[hash & MYTCP_EHASH_MASK];
	struct mytcp_mini *m;

	rcu_read_lock();
	hlist_for_each_entry_rcu(m, &b->chain, node) {
		if (m->hash != hash ||
		    !mytcp_mini_match(m, net, raddr, rport, laddr, lport))
			continue;
		if (!refcount_inc_not_zero(&m->refcnt))
			continue;
		rcu_read_unlock();
		return m;
	}
	rcu_read_unlock();
	return NULL;
}

/*
 * Insert a mini socket; the table takes the caller's reference. False if
 * a connection or another mini socket has the 4-tuple.
 */
bool mytcp_mini_hash(struct mytcp_mini *m)
{
	struct net *net = mytcp_mini_net(m);
	struct mytcp_hbucket *eb, *mb;
	struct mytcp_mini *m2;
	struct sock *sk2;
	bool ok = false;

	m->hash = mytcp_ehashfn(net, m->laddr, m->lport, m->raddr, m->rport);
	eb = &mytcp_ehash[m->hash & MYTCP_EHASH_MASK];
	mb = &mytcp_mhash[m->hash & MYTCP_EHASH_MASK];
	spin_lock_bh(&eb->lock);
	spin_lock(&mb->lock);
	sk_for_each(sk2, &eb->chain)
		if (mytcp_sk_match(sk2, net, m->raddr, m->rport, m->laddr,
				   m->lport))
			goto out;
	hlist_for_each_entry(m2, &mb->chain, node)
		if (mytcp_mini_match(m2, net, m->raddr, m->rport, m->laddr,
				     m->lport))
			goto out;
	hlist_add_head_rcu(&m->node, &mb->chain);
	m->hashed = true;
	ok = true;
out:
	spin_unlock(&mb->lock);
	spin_unlock_bh(&eb->lock);
	return ok;
}

/*
 * Swap a connection's hash entry for its TIME-WAIT entry in one step, so
 * that no segment in between finds neither (and gets an RST). The table
 * takes the caller's reference on @m and drops the one on @sk.
 */
void mytcp_mini_hash_replace(struct mytcp_mini *m, struct sock *sk)
{
	struct net *net = mytcp_mini_net(m);
	struct mytcp_hbucket *eb, *mb;

	m->hash = mytcp_ehashfn(net, m->laddr, m->lport, m->raddr, m->rport);
	eb = &mytcp_ehash[m->hash & MYTCP_EHASH_MASK];
	mb = &mytcp_mhash[m->hash & MYTCP_EHASH_MASK];
	spin_lock_bh(&eb->lock);
	spin_lock(&mb->lock);
	hlist_add_head_rcu(&m->node, &mb->chain);
	m->hashed = true;
	if (mytcp_sk(sk)->hash_table == MYTCP_HASHED_EHASH) {
		sk_del_node_init_rcu(sk);
		mytcp_sk(sk)->hash_table = MYTCP_HASHED_NONE;
	}
	spin_unlock(&mb->lock);
	spin_unlock_bh(&eb->lock);
}

/*
 * A request's ACK made its child: the child takes over the 4-tuple in one
 * step. False if the request was already gone (another CPU got it).
 */
bool mytcp_ehash_replace_mini(struct sock *sk, struct mytcp_mini *m)
{
	struct mytcp_hbucket *eb = &mytcp_ehash[m->hash & MYTCP_EHASH_MASK];
	struct mytcp_hbucket *mb = &mytcp_mhash[m->hash & MYTCP_EHASH_MASK];
	bool ok;

	spin_lock(&eb->lock);
	spin_lock(&mb->lock);
	ok = m->hashed;
	if (ok) {
		hlist_del_rcu(&m->node);
		m->hashed = false;
		sk->sk_hash = m->hash;
		sk_add_node_rcu(sk, &eb->chain);
		mytcp_sk(sk)->hash_table = MYTCP_HASHED_EHASH;
	}
	spin_unlock(&mb->lock);
	spin_unlock(&eb->lock);
	return ok;
}

/* Take @m off the table; true if this call did (and owns its reference). */
bool mytcp_mini_unhash(struct mytcp_mini *m)
{
	struct mytcp_hbucket *mb = &mytcp_mhash[m->hash & MYTCP_EHASH_MASK];
	bool was;

	spin_lock_bh(&mb->lock);
	was = m->hashed;
	if (was) {
		hlist_del_rcu(&m->node);
		m->hashed = false;
	}
	spin_unlock_bh(&mb->lock);
	return was;
}

/* Restart the entry's timer unless it is being removed. */
bool mytcp_mini_restart_timer(struct mytcp_mini *m, u64 ns)
{
	struct mytcp_hbucket *mb = &mytcp_mhash[m->hash & MYTCP_EHASH_MASK];
	bool ok;

	spin_lock_bh(&mb->lock);
	ok = m->hashed;
	if (ok)
		hrtimer_start(&m->timer, ns_to_ktime(ns), HRTIMER_MODE_REL_SOFT);
	spin_unlock_bh(&mb->lock);
	return ok;
}

/*
 * From the entry's timer: unhash it unless it was restarted meanwhile.
 * True when the caller now owns the table's reference.
 */
bool mytcp_mini_expire(struct mytcp_mini *m)
{
	struct mytcp_hbucket *mb = &mytcp_mhash[m->hash & MYTCP_EHASH_MASK];
	bool was = false;

	spin_lock(&mb->lock);
	if (m->hashed && !hrtimer_is_queued(&m->timer)) {
		hlist_del_rcu(&m->node);
		m->hashed = false;
		was = true;
	}
	spin_unlock(&mb->lock);
	return was;
}

void mytcp_mini_put(struct mytcp_mini *m)
{
	if (refcount_dec_and_test(&m->refcnt))
		mytcp_mini_free(m);
}

/* Unhash the first mini socket of @net (any if NULL) in @mb, with a ref. */
static struct mytcp_mini *mytcp_mini_take_one(struct mytcp_hbucket *mb,
					      const struct net *net)
{
	struct mytcp_mini *m, *found = NULL;

	spin_lock_bh(&mb->lock);
	hlist_for_each_entry(m, &mb->chain, node) {
		if (!net || net_eq(mytcp_mini_net(m), net)) {
			found = m;
			break;
		}
	}
	if (found) {
		refcount_inc(&found->refcnt);
		hlist_del_rcu(&found->node);
		found->hashed = false;
	}
	spin_unlock_bh(&mb->lock);
	return found;
}

/* Remove every mini socket of @net (netns exit, module exit). */
void mytcp_purge_net(struct net *net)
{
	struct mytcp_mini *m;
	unsigned int i;

	for (i = 0; i <= MYTCP_EHASH_MASK; i++) {
		while ((m = mytcp_mini_take_one(&mytcp_mhash[i], net))) {
			hrtimer_cancel(&m->timer);
			mytcp_mini_release(m);
			mytcp_mini_put(m);
		}
	}
}

/* /proc/net/mytcp: listeners, connections, then mini sockets. */
void mytcp_dump_entries(struct net *net, struct seq_file *seq,
			const struct mytcp_entry_printer *printer)
{
	struct mytcp_mini *m;
	struct sock *sk;
	unsigned int i;
	int n = 0;

	for (i = 0; i < (1U << MYTCP_LHASH_BITS); i++) {
		spin_lock_bh(&mytcp_lhash[i].lock);
		sk_for_each(sk, &mytcp_lhash[i].chain)
			if (net_eq(sock_net(sk), net))
				printer->sock(seq, sk, &n);
		spin_unlock_bh(&mytcp_lhash[i].lock);
	}
	for (i = 0; i <= MYTCP_EHASH_MASK; i++) {
		if (hlist_empty(&mytcp_ehash[i].chain))
			continue;
		spin_lock_bh(&mytcp_ehash[i].lock);
		sk_for_each(sk, &mytcp_ehash[i].chain)
			if (net_eq(sock_net(sk), net))
				printer->sock(seq, sk, &n);
		spin_unlock_bh(&mytcp_ehash[i].lock);
	}
	for (i = 0; i <= MYTCP_EHASH_MASK; i++) {
		if (hlist_empty(&mytcp_mhash[i].chain))
			continue;
		spin_lock_bh(&mytcp_mhash[i].lock);
		hlist_for_each_entry(m, &mytcp_mhash[i].chain, node)
			if (net_eq(mytcp_mini_net(m), net))
				printer->mini(seq, m, &n);
		spin_unlock_bh(&mytcp_mhash[i].lock);
	}
}
