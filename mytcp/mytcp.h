/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp: cross-file declarations of the kernel glue.
 */
#ifndef _MYTCP_H
#define _MYTCP_H

#include <linux/types.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/percpu_counter.h>
#include <linux/refcount.h>
#include <net/sock.h>
#include <net/inet_sock.h>
#include <uapi/linux/mytcp.h>

#include "core/seq.h"
#include "core/segment.h"
#include "core/reasm.h"
#include "core/state.h"
#include "core/rto.h"
#include "core/cc.h"

/*
 * MIB counters of /proc/net/mytcp_snmp (names in ctrl.c). Names follow
 * Linux's Tcp/TcpExt counters where the meaning is the same.
 */
enum mytcp_mib_field {
	MYTCP_MIB_INSEGS,		/* segments received, errors included */
	MYTCP_MIB_INERRS,		/* segments dropped as malformed */
	MYTCP_MIB_INCSUMERRORS,		/* ... of which for a bad checksum */
	MYTCP_MIB_INHDRERRORS,		/* ... of which for a bad header */
	MYTCP_MIB_NOSOCKETDROPS,	/* valid segments that reached no socket */
	MYTCP_MIB_OUTSEGS,		/* segments sent, retransmissions excluded */
	MYTCP_MIB_RETRANSSEGS,		/* segments retransmitted */
	MYTCP_MIB_OUTRSTS,		/* RST segments sent */
	MYTCP_MIB_ACTIVEOPENS,		/* CLOSED -> SYN-SENT */
	MYTCP_MIB_PASSIVEOPENS,		/* LISTEN -> SYN-RECEIVED */
	MYTCP_MIB_ATTEMPTFAILS,		/* SYN-SENT/SYN-RECEIVED -> CLOSED */
	MYTCP_MIB_ESTABRESETS,		/* ESTABLISHED/CLOSE-WAIT -> CLOSED */
	MYTCP_MIB_LISTENOVERFLOWS,	/* handshakes dropped: accept queue full */
	MYTCP_MIB_LISTENDROPS,		/* SYNs dropped by a listener */
	MYTCP_MIB_CHALLENGEACKS,	/* challenge ACKs sent (RFC 5961) */
	MYTCP_MIB_TIMEWAITS,		/* connections that entered TIME-WAIT */
	MYTCP_MIB_TIMEOUTS,		/* connections that gave up retransmitting */
	MYTCP_MIB_BACKLOGDROP,		/* dropped: socket backlog full */
	MYTCP_MIB_RCVQDROP,		/* data dropped: receive buffer full */
	MYTCP_MIB_OFOQUEUE,		/* segments held out of order */
	MYTCP_MIB_FASTRETRANS,		/* fast retransmits (3 duplicate ACKs) */
	MYTCP_MIB_PAWSESTABREJECTED,	/* segments dropped by PAWS */
	MYTCP_MIB_SACKRECOVERY,		/* recoveries that used SACK */
	MYTCP_MIB_RENORECOVERY,		/* recoveries without SACK (NewReno) */
	MYTCP_MIB_LOSSPROBES,		/* zero-window and keepalive probes */
	MYTCP_MIB_DELAYEDACKS,		/* ACKs sent by the delayed-ACK timer */
	MYTCP_MIB_KEEPALIVETIMEOUTS,	/* connections given up by keepalive */
	MYTCP_MIB_KEEPALIVEPROBES,	/* keepalive probes sent */
	MYTCP_MIB_SYNCOOKIESSENT,	/* SYN-ACKs sent with a cookie */
	MYTCP_MIB_SYNCOOKIESRECV,	/* ACKs with a valid cookie */
	MYTCP_MIB_SYNCOOKIESFAILED,	/* ACKs checked as cookies, invalid */
	MYTCP_MIB_REQQFULLDOCOOKIES,	/* request queue full: cookie sent */
	MYTCP_MIB_REQQFULLDROP,		/* request queue full: SYN dropped */
	MYTCP_MIB_OUTOFWINDOWICMPS,	/* ICMP errors quoting a seq not in flight */
	MYTCP_MIB_LOCKDROPPEDICMPS,	/* hard ICMP errors met a locked socket */
	MYTCP_MIB_ICMPIGNORED,		/* ICMP errors of a kind not acted upon */
	MYTCP_MIB_ACKSKIPPEDCHALLENGE,	/* challenge ACKs rate-limited away */
	MYTCP_MIB_SYNCHALLENGE,		/* SYNs in a synchronized state */
	MYTCP_MIB_ABORTONDATA,		/* reset: data after close, linger 0 */
	MYTCP_MIB_ABORTONCLOSE,		/* reset: closed with unread data */
	MYTCP_MIB_ABORTONTIMEOUT,	/* given up: retransmissions, keepalive */
	MYTCP_MIB_OFODROP,		/* out-of-order data dropped: no buffer */
	MYTCP_MIB_OFOMERGE,		/* out-of-order data already held */
	MYTCP_MIB_ZEROWINDOWDROP,	/* data dropped: the window is zero */
	MYTCP_MIB_SEQDROPS,		/* dropped: sequence not acceptable */
	MYTCP_MIB_ACKUNSENTDROPS,	/* dropped: ACK of data never sent */
	MYTCP_MIB_OLDACKDROPS,		/* dropped: ACK too old (RFC 5961 5.2) */
	MYTCP_MIB_FLAGDROPS,		/* dropped for its flags */
	MYTCP_MIB_MTUREDUCED,		/* ICMP frag-needed shrank the MSS */
	MYTCP_MIB_ACKSKIPPEDSEQ,	/* dup ACKs rate-limited: seq, unsent */
	MYTCP_MIB_ACKSKIPPEDPAWS,	/* PAWS dup ACKs rate-limited */
	MYTCP_MIB_TWOVERFLOW,		/* closed at once: max_tw_buckets */
	MYTCP_MIB_ABORTONMEMORY,	/* orphans reset: max_orphans */
	MYTCP_MIB_MEMORYPRESSURES,	/* net.mytcp.mem pressure entered */
	MYTCP_MIB_OFOPRUNED,		/* out-of-order queue pruned for memory */
	MYTCP_MIB_SACKRENEGING,		/* the peer discarded SACKed data */
	MYTCP_MIB_MAX
};

struct mytcp_mib {
	unsigned long mibs[MYTCP_MIB_MAX];
};

/* Per network namespace state; every net.mytcp.* sysctl lives here. */
struct mytcp_net {
	struct ctl_table_header *sysctl_hdr;
	struct mytcp_mib __percpu *mib;
	int sysctl_enabled;		/* net.mytcp.enabled */
	int sysctl_syn_retries;		/* SYN retransmissions, then ETIMEDOUT */
	int sysctl_synack_retries;	/* SYN-ACK retransmissions */
	int sysctl_retries2;		/* data/FIN retransmissions */
	int sysctl_tw_timeout_ms;	/* TIME-WAIT length (2 MSL) */
	int sysctl_fin_timeout_ms;	/* orphaned FIN-WAIT-2 lifetime */
	int sysctl_rto_initial_ms;	/* RTO before the first RTT sample */
	int sysctl_rto_min_us;		/* RTO floor, microseconds */
	int sysctl_rto_max_ms;
	int sysctl_rfc1337;		/* TIME-WAIT ignores RSTs (RFC 1337) */
	int sysctl_window_scaling;	/* offer window scaling (RFC 7323) */
	int sysctl_timestamps;		/* offer timestamps (RFC 7323) */
	int sysctl_sack;		/* offer SACK (RFC 2018) */
	int sysctl_delack_ms;		/* delayed ACK timeout, 0 = ACK at once */
	int sysctl_gso;			/* send super-packets on lo and veth */
	int sysctl_syncookies;		/* 0 never, 1 on overflow, 2 always */
	int sysctl_keepalive_time_ms;	/* idle time before the first probe */
	int sysctl_keepalive_intvl_ms;	/* time between probes */
	int sysctl_keepalive_probes;	/* unanswered probes before giving up */
	int sysctl_rmem[3];		/* receive buffer: min, default, max */
	int sysctl_wmem[3];		/* send buffer: min, default, max */
	/* net.mytcp.congestion_control: algorithm of new sockets */
	const struct mytcp_cc_ops *cc_default;
	/* RFC 5961 challenge ACKs: at most this many per second */
	int sysctl_challenge_ack_limit;
	/* challenge ACK token bucket */
	spinlock_t challenge_lock;
	unsigned long challenge_stamp;	/* jiffies of the current second */
	u32 challenge_count;
	/* Issue 8: nothing grows without bound (Documentation/sysctl.rst) */
	int sysctl_max_tw_buckets;	/* TIME-WAIT entries at most */
	int sysctl_max_orphans;		/* orphans beyond this are reset */
	atomic_t tw_count;		/* TIME-WAIT entries hashed now */
	atomic_t orphan_count;		/* sockets with orphan_counted set */
};

struct mytcp_net *mytcp_pernet(const struct net *net);

/* Segment metadata in skb->cb, for queued and arriving segments. */
struct mytcp_skb_cb {
	u32 seq;		/* first sequence number */
	u32 end_seq;		/* seq + SYN + payload + FIN */
	u64 tx_ns;		/* last transmission (Karn: 0 once resent) */
	u64 first_ns;		/* first transmission */
	u64 xmit_ns;		/* latest transmission, retransmissions too */
	u8 flags;		/* MYTCP_FLAG_* */
	u8 retrans;		/* ever sent again (Karn: no RTT sample) */
	u8 sacked;		/* MYTCP_SKB_* scoreboard marks */
};

/* Scoreboard marks of a sent segment (RFC 6675 terms) */
#define MYTCP_SKB_SACKED	1	/* covered by a SACK block */
#define MYTCP_SKB_LOST		2	/* deemed lost, to retransmit */
#define MYTCP_SKB_RETRANS	4	/* retransmitted, still out */

/* Room for the link, IP and TCP headers in front of queued payload. */
#define MYTCP_MAX_HEADER	(MAX_HEADER + sizeof(struct iphdr) + 60)

#define MYTCP_SKB_CB(skb)	((struct mytcp_skb_cb *)&((skb)->cb[0]))

/*
 * Request and TIME-WAIT entries are "mini sockets": small objects in
 * their own hash table, never full sockets. The hash table holds one
 * reference; whoever clears @hashed (under the bucket lock) drops it.
 */
enum mytcp_mini_kind {
	MYTCP_MINI_REQUEST,
	MYTCP_MINI_TIMEWAIT,
};

struct mytcp_mini {
	struct hlist_node node;
	possible_net_t net;
	__be32 laddr;
	__be32 raddr;
	__be16 lport;
	__be16 rport;
	u32 hash;
	refcount_t refcnt;
	u8 kind;
	bool hashed;
	struct hrtimer timer;
	struct rcu_head rcu;
};

/*
 * One state transition in a socket's history (SOL_MYTCP
 * MYTCP_STATE_HISTORY): 24 bytes, as the per-socket ring costs memory.
 * The fields other than @ns are also a socket's "why" of the moment:
 * what its next transition records (history.c).
 */
struct mytcp_hist_entry {
	u64 ns;			/* CLOCK_MONOTONIC */
	u32 seq;		/* segment causes: its header ... */
	u32 ack;
	u16 window;		/* ... the window field, unscaled */
	u16 len;		/* payload bytes (at most 65495 without GRO) */
	u8 flags;		/* MYTCP_TH_* */
	u8 cause;		/* enum mytcp_state_cause */
	u8 from;		/* TCP_* states */
	u8 to;
};

/* A SYN-RECEIVED connection of a listener (RFC 9293 3.5), before accept. */
struct mytcp_request {
	struct mytcp_mini mini;
	struct sock *listener;		/* holds a reference */
	struct list_head listener_node;	/* on the listener's request list */
	u32 iss;
	u32 irs;
	u32 snd_wnd;
	u32 rcv_wnd;		/* offered in our SYN-ACK */
	u16 peer_mss;
	u8 retrans;
	u8 tos;			/* the listener's IP_TOS and IP_TTL */
	int ttl;		/* (-1: the route's default) */
	int oif;
	/* Options both sides offered (RFC 7323, RFC 2018) */
	u8 snd_wscale;
	u8 rcv_wscale;
	bool wscale_ok;
	bool sack_ok;
	bool tstamp_ok;
	u32 ts_recent;		/* the SYN's TSval */
	u32 ts_offset;
	u64 synack_ns;		/* first SYN-ACK sent: an RTT sample */
	bool cookie;		/* stands for a SYN cookie, never hashed */
	/* LISTEN -> SYN-RECEIVED on the SYN: the child's first transition */
	struct mytcp_hist_entry syn_hist;
};

struct mytcp_bind_bucket;

/* A connection in TIME-WAIT: what is needed to re-ACK a FIN, and the port. */
struct mytcp_tw {
	struct mytcp_mini mini;
	struct mytcp_bind_bucket *bb;
	struct hlist_node bind_node;	/* on bb->tw_owners */
	u32 snd_nxt;
	u32 rcv_nxt;
	u16 rcv_wnd;		/* window field, already scaled */
	u8 rcv_wscale;
	bool tstamp_ok;
	u32 ts_recent;
	u32 ts_offset;
	u8 tos;
	u8 reuse;			/* SO_REUSEADDR of the socket it was */
	u8 reuseport;			/* ... and its SO_REUSEPORT */
	int bound_dev_if;		/* ... and its SO_BINDTODEVICE */
	bool bound_any;			/* bound to INADDR_ANY */
};

/* Which table a socket's sk_node is on */
enum {
	MYTCP_HASHED_NONE,
	MYTCP_HASHED_EHASH,		/* connections */
	MYTCP_HASHED_LHASH,		/* listeners */
};

/*
 * Timer work deferred to release_cb when the user owned the socket; the
 * same bits in msk->timer_refs say which timer holds a reference.
 */
enum {
	MYTCP_DEFER_RTX,
	MYTCP_DEFER_AUX,
	MYTCP_DEFER_DELACK,
	MYTCP_DEFER_MTU,	/* ICMP frag-needed: mytcp_mtu_reduced() */
};

/* Congestion-avoidance states: Linux's TCP_CA_* values (tcpi_ca_state). */
enum mytcp_ca_state {
	MYTCP_CA_OPEN = 0,
	MYTCP_CA_DISORDER = 1,	/* duplicate ACKs or SACKs seen */
	MYTCP_CA_RECOVERY = 3,	/* fast recovery (RFC 6582, RFC 6675) */
	MYTCP_CA_LOSS = 4,	/* after an RTO */
};

/*
 * msk->urg_data: the peer's urgent byte is announced but not here yet,
 * here (in the low 8 bits), or read with MSG_OOB. Zero: no urgent data,
 * or the reader went past it.
 */
#define MYTCP_URG_VALID		0x0100
#define MYTCP_URG_NOTYET	0x0200
#define MYTCP_URG_READ		0x0400

/* msk->nonagle bits */
#define MYTCP_NAGLE_OFF		1	/* TCP_NODELAY */
#define MYTCP_NAGLE_CORK	2	/* TCP_CORK */
#define MYTCP_NAGLE_PUSH	4	/* send what is queued now, once */

/* A mytcp socket. struct inet_sock must stay first. */
struct mytcp_sock {
	struct inet_sock inet;

	/* Send sequence space, RFC 9293 3.3.1 */
	u32 iss;
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_wnd;
	u32 max_window;		/* largest window the peer offered */
	u32 snd_wl1;
	u32 snd_wl2;
	u32 write_seq;		/* sequence number after the last queued byte */

	/* Receive sequence space */
	u32 irs;
	u32 rcv_nxt;
	u32 rcv_wnd;		/* window last advertised */
	u32 rcv_wup;		/* RCV.NXT when it was advertised */
	u32 copied_seq;		/* next byte the user will read */
	/* Urgent data (RFC 9293 3.8.5, RFC 6093) */
	u32 snd_up;		/* sequence number after our last urgent byte */
	bool snd_urg;		/* urgent mode: snd_up not yet acknowledged */
	u16 urg_data;		/* MYTCP_URG_* | the peer's urgent byte */
	u32 urg_seq;		/* sequence number of the peer's urgent byte */
	struct sk_buff_head ooo_queue;	/* segments ahead of RCV.NXT */
	u32 rcv_ratio;		/* payload/truesize of arrivals, 1/256ths */

	u16 mss_cache;		/* payload bytes per segment we send */
	u16 peer_mss;		/* MSS option of the peer (536 if absent) */
	u32 mtu_info;		/* next-hop MTU of the last frag-needed */

	struct sk_buff *send_head;	/* first never-sent skb in the write queue */

	struct mytcp_rto rto;
	u8 retransmits;		/* consecutive RTO expiries */
	u8 dupacks;		/* duplicate ACKs in a row */

	/* Options negotiated in the SYN exchange (RFC 7323, RFC 2018) */
	u8 snd_wscale;		/* shift of the windows the peer sends */
	u8 rcv_wscale;		/* shift of the windows we send */
	bool wscale_ok;
	bool tstamp_ok;
	bool sack_ok;
	u32 ts_recent;		/* TS.Recent (RFC 7323 4.3) */
	u64 ts_recent_ns;	/* when TS.Recent was set, 0 = never */
	u32 ts_offset;		/* per-connection TSval offset (RFC 7323 7.1) */

	/* Congestion control and loss recovery (RFC 5681, 6582, 6675) */
	const struct mytcp_cc_ops *cc_ops;
	bool cc_user;		/* chosen with TCP_CONGESTION: children inherit */
	struct mytcp_cc cc;
	u8 ca_state;		/* MYTCP_CA_*, Linux's tcpi_ca_state values */
	u32 high_seq;		/* recovery point: SND.NXT when loss was seen */
	u32 packets_out;	/* segments sent and not cumulatively acked */
	u32 sacked_out;		/* ... of those SACKed (or dup-ACKed, no SACK) */
	u32 lost_out;		/* ... marked lost */
	u32 retrans_out;	/* ... retransmitted and not yet acked */
	u32 min_rtt_us;		/* smallest RTT sample, 0 = none */
	u64 last_send_ns;	/* last data segment sent (restart after idle) */

	/* Delayed ACKs */
	u32 ooo_last_seq;	/* latest out-of-order arrival: first SACK block */
	bool cwnd_blocked;	/* the last push stopped at cwnd */
	u32 rcvq_seq;		/* receive buffer tuning: copied_seq at ... */
	u64 rcvq_ns;		/* ... this time */
	u8 ack_pending;		/* in-order segments received, not yet ACKed */
	u8 quickack;		/* segments still to ACK at once */
	u16 rcv_mss;		/* largest payload the peer sent */

	/* Socket options (level SOL_TCP) */
	u8 nonagle;		/* MYTCP_NAGLE_* */
	bool quickack_off;	/* TCP_QUICKACK last set to 0 (read back) */
	u16 user_mss;		/* TCP_MAXSEG, 0 = unset */
	u32 keepalive_idle_ms;	/* TCP_KEEPIDLE, 0 = net.mytcp.keepalive_time_ms */
	u32 keepalive_intvl_ms;	/* TCP_KEEPINTVL, 0 = sysctl */
	u8 keepalive_probes;	/* TCP_KEEPCNT, 0 = sysctl */
	u8 probes_out;		/* unanswered keepalive or window probes */
	u32 user_timeout_ms;	/* TCP_USER_TIMEOUT, 0 = unset */
	u64 retrans_start_ns;	/* first send of the oldest segment being resent */

	/* Statistics (TCP_INFO) */
	u64 bytes_sent;		/* payload sent, retransmissions included */
	u64 bytes_retrans;
	u64 bytes_acked;
	u64 bytes_received;
	u32 segs_out;
	u32 segs_in;
	u32 data_segs_out;
	u32 data_segs_in;
	u32 total_retrans;
	u64 last_data_sent_ns;
	u64 last_data_recv_ns;
	u64 last_ack_recv_ns;
	/* jiffies of the last dup ACK for a dropped segment (0: none) */
	unsigned long last_oow_ack;
	bool passive;		/* created from a listener */
	bool fin_queued;	/* our FIN is in the write queue */

	struct hrtimer rtx_timer;	/* SYN, data and FIN retransmission */
	struct hrtimer aux_timer;	/* orphaned FIN-WAIT-2 lifetime, keepalive */
	struct hrtimer delack_timer;	/* delayed ACK */
	bool rtx_armed;			/* stopped timers may still fire */
	bool aux_armed;
	bool delack_armed;
	unsigned long deferred;		/* MYTCP_DEFER_* bits */
	unsigned long timer_refs;	/* MYTCP_DEFER_* bits: ref held */

	struct mytcp_bind_bucket *bb;	/* the local port's bind bucket */
	u8 hash_table;			/* MYTCP_HASHED_* */

	/* Listener: SYN-RECEIVED requests and the accept queue */
	spinlock_t req_lock;
	struct list_head requests;
	u32 nr_requests;
	struct list_head accept_queue;
	u32 cookie_slot;		/* 1 + slot of the last cookie sent, 0 none */

	/* Child on its listener's accept queue */
	struct list_head accept_node;

	/* Gives back the module reference of an orphan (mytcp_close) */
	struct rcu_head orphan_rcu;

	/* Counted in the protocol's in-use count (see mytcp_init_sock) */
	bool inuse_counted;
	/* Counted in mytcp_net.orphan_count (mytcp_close) */
	bool orphan_counted;

	/*
	 * State history (history.c): a ring of the last transitions, and
	 * what the next one records. Written where the state may change:
	 * by the socket's owner, or under the bh lock when it has none;
	 * getsockopt reads it under lock_sock.
	 */
	u32 hist_total;			/* transitions ever; ring index */
	struct mytcp_hist_entry hist_why;
	struct mytcp_hist_entry hist[MYTCP_STATE_HISTORY_LEN];
};

static inline struct mytcp_sock *mytcp_sk(const struct sock *sk)
{
	return (struct mytcp_sock *)sk;
}

/* main.c */
extern int mytcp_proto_num;

/* history.c */
void mytcp_hist_record(struct sock *sk, int from, int to);
void mytcp_hist_cause(struct sock *sk, u8 cause);
void mytcp_hist_segment(struct mytcp_hist_entry *why,
			const struct sk_buff *skb);
int mytcp_hist_rcv(struct sock *sk, struct sk_buff *skb);
void mytcp_hist_request(struct mytcp_request *req, const struct sk_buff *skb);
void mytcp_hist_child(struct sock *child, const struct mytcp_request *req,
		      const struct sk_buff *skb);
void mytcp_hist_time_wait(struct sock *sk);
int mytcp_hist_getsockopt(struct sock *sk, int optname,
			  char __user *optval, int __user *optlen);

/* offload.c */
void mytcp_offload_init(void);
void mytcp_offload_exit(void);
bool mytcp_gso_enabled(void);
bool mytcp_dev_gso_ok(const struct net_device *dev);

/* ctrl.c */
int mytcp_ctrl_init(void);
void mytcp_ctrl_exit(void);

#define MYTCP_INC_STATS(net, field)					\
	this_cpu_inc(mytcp_pernet(net)->mib->mibs[MYTCP_MIB_##field])

/* mem.c: protocol-wide memory accounting (net.mytcp.mem) */
extern atomic_long_t mytcp_memory_allocated;
DECLARE_PER_CPU(int, mytcp_memory_per_cpu_fw_alloc);
extern struct percpu_counter mytcp_sockets_allocated;
extern unsigned long mytcp_memory_pressure;
extern long mytcp_sysctl_mem[3];
int mytcp_mem_init(void);
void mytcp_mem_exit(void);
long mytcp_mem_pages(void);
bool mytcp_under_memory_pressure(void);
void mytcp_enter_memory_pressure(struct sock *sk);
void mytcp_leave_memory_pressure(struct sock *sk);
bool mytcp_mem_schedule(struct sock *sk, int size, int kind);
void mytcp_mem_force(struct sock *sk, int size);
void mytcp_mem_charge_forced(struct sock *sk, int size);
void mytcp_mem_reclaim(struct sock *sk);
void mytcp_mem_uncharge(struct sock *sk, int size);
void mytcp_set_owner_r(struct sk_buff *skb, struct sock *sk);

/* hash.c */
int mytcp_hash_init(void);
void mytcp_hash_exit(void);
int mytcp_get_port(struct sock *sk, unsigned short snum);
void mytcp_put_port(struct sock *sk);
bool mytcp_listen_conflict(struct sock *sk);
int mytcp_hash_connect(struct sock *sk);
int mytcp_hash_listen(struct sock *sk);
int mytcp_ehash_insert(struct sock *sk);
struct sock *mytcp_ehash_take_any(void);
void mytcp_unhash(struct sock *sk);
struct sock *mytcp_lookup_established(struct net *net, __be32 raddr,
				      __be16 rport, __be32 laddr,
				      __be16 lport);
struct sock *mytcp_lookup_listener(struct net *net, __be32 raddr,
				   __be16 rport, __be32 laddr, __be16 lport,
				   int dif);
struct mytcp_mini *mytcp_lookup_mini(struct net *net, __be32 raddr,
				     __be16 rport, __be32 laddr,
				     __be16 lport);
bool mytcp_mini_hash(struct mytcp_mini *m);
bool mytcp_mini_unhash(struct mytcp_mini *m);
void mytcp_mini_hash_replace(struct mytcp_mini *m, struct sock *sk);
bool mytcp_ehash_replace_mini(struct sock *sk, struct mytcp_mini *m);
bool mytcp_mini_restart_timer(struct mytcp_mini *m, u64 ns);
bool mytcp_mini_expire(struct mytcp_mini *m);
void mytcp_mini_put(struct mytcp_mini *m);
void mytcp_bind_add_tw(struct mytcp_tw *tw, struct sock *sk);
void mytcp_bind_del_tw(struct mytcp_tw *tw);
void mytcp_inherit_port(struct sock *child, struct sock *listener);
void mytcp_purge_net(struct net *net);
/* What /proc/net/mytcp prints for each kind of entry */
struct mytcp_entry_printer {
	void (*sock)(struct seq_file *seq, struct sock *sk, int *n);
	void (*mini)(struct seq_file *seq, struct mytcp_mini *m, int *n);
};

void mytcp_dump_entries(struct net *net, struct seq_file *seq,
			const struct mytcp_entry_printer *p);

/* socket.c */
extern struct proto mytcp_prot;
extern const struct proto_ops mytcp_stream_ops;
void mytcp_set_state(struct sock *sk, int state);
void mytcp_conn_defaults(struct sock *sk);
void mytcp_sock_count(struct sock *sk);
void mytcp_wait_sockets_freed(void);
void mytcp_done(struct sock *sk);
bool mytcp_orphan_limit(struct sock *sk);
void mytcp_reset(struct sock *sk, int err);
bool mytcp_child_enqueue(struct sock *listener, struct sock *child);
void mytcp_abort_orphans(void);
void mytcp_orphan_creator_init(void);

/* stream.c */
int mytcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size);
int mytcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
		  int flags, int *addr_len);
void mytcp_write_queue_purge(struct sock *sk);
u32 mytcp_rcv_space(const struct sock *sk);

/* The reader is at the peer's urgent mark (SIOCATMARK). */
static inline bool mytcp_urg_at_mark(const struct sock *sk)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);

	return READ_ONCE(msk->urg_data) &&
	       READ_ONCE(msk->urg_seq) == READ_ONCE(msk->copied_seq);
}

/* input.c */
int mytcp_v4_rcv(struct sk_buff *skb);
int mytcp_v4_err(struct sk_buff *skb, u32 info);
int mytcp_rcv_state_process(struct sock *sk, struct sk_buff *skb);
void mytcp_syn_options_rcvd(struct sock *sk, const struct mytcp_opts *o);
void mytcp_established_init(struct sock *sk);

/* Segments in flight: RFC 6675 "pipe" (Linux's tcp_packets_in_flight). */
static inline u32 mytcp_in_flight(const struct mytcp_sock *msk)
{
	s64 n = (s64)msk->packets_out - msk->sacked_out - msk->lost_out +
		msk->retrans_out;

	return n > 0 ? (u32)n : 0;
}

static inline u32 mytcp_rto_us_of(const struct mytcp_sock *msk)
{
	return mytcp_rto_current(&msk->rto);
}

/* TSval clock: milliseconds (RFC 7323 5.4 allows 1 ms to 1 s a tick). */
static inline u32 mytcp_ts_now(u32 offset)
{
	return (u32)div_u64(ktime_get_ns(), NSEC_PER_MSEC) + offset;
}

/* recovery.c */
void mytcp_enter_loss(struct sock *sk);
u32 mytcp_sack_update(struct sock *sk, const struct mytcp_opts *opts);
void mytcp_ack_recovery(struct sock *sk, u32 acked, u32 prior_in_flight,
			bool dupack, u32 newly_sacked);
void mytcp_skb_unmark(struct mytcp_sock *msk, struct sk_buff *skb);
void mytcp_mtu_retransmit(struct sock *sk);
u8 mytcp_build_sack_blocks(struct sock *sk, struct mytcp_sack_block *blk,
			   u8 max);

/* output.c */
int mytcp_connect_send_syn(struct sock *sk);
void mytcp_push(struct sock *sk);
void __mytcp_push(struct sock *sk, int nonagle);
int mytcp_retransmit_skb(struct sock *sk, struct sk_buff *skb);
void mytcp_sync_mss(struct sock *sk);
void mytcp_mtu_reduced(struct sock *sk);
int mytcp_fragment(struct sock *sk, struct sk_buff *skb, u32 len);
u16 mytcp_adv_mss(struct sock *sk);
u8 mytcp_select_wscale(const struct sock *sk);
void mytcp_output_secrets_init(void);
u32 mytcp_ts_offset(__be32 saddr, __be32 daddr);
int mytcp_send_ack(struct sock *sk);
/* TCP_QUICKACK: @on ACKs every segment for a while, and sends a pending ACK */
void mytcp_set_quickack(struct sock *sk, bool on);
void mytcp_send_rst_sk(struct sock *sk);
void mytcp_send_fin(struct sock *sk);
int mytcp_send_window_probe(struct sock *sk);
void mytcp_send_reply(struct net *net, struct sk_buff *in_skb,
		      __be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
		      u32 seq, u32 ack, u8 flags, u16 window,
		      const struct mytcp_opt_out *opts, u8 tos, int ttl,
		      int oif);
void mytcp_send_rst_reply(struct net *net, struct sk_buff *skb);
u32 mytcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport);
u16 mytcp_route_mss(struct sock *sk);
bool mytcp_challenge_ack_allowed(struct net *net);

/* Keepalive settings of a socket: its own, or the namespace's. */
static inline u32 mytcp_keepalive_idle_ms(const struct sock *sk)
{
	u32 v = READ_ONCE(mytcp_sk(sk)->keepalive_idle_ms);

	return v ?: READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_keepalive_time_ms);
}

static inline u32 mytcp_keepalive_intvl_ms(const struct sock *sk)
{
	u32 v = READ_ONCE(mytcp_sk(sk)->keepalive_intvl_ms);

	return v ?: READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_keepalive_intvl_ms);
}

static inline u32 mytcp_keepalive_probes(const struct sock *sk)
{
	u32 v = READ_ONCE(mytcp_sk(sk)->keepalive_probes);

	return v ?: READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_keepalive_probes);
}

/* ctrl.c: switch @sk to congestion control @name; -ENOENT if unknown. */
int mytcp_cc_set(struct sock *sk, const char *name);

/* sockopt.c: level SOL_TCP and SOL_MYTCP options, TCP_INFO */
int mytcp_setsockopt(struct sock *sk, int level, int optname,
		     sockptr_t optval, unsigned int optlen);
int mytcp_getsockopt(struct sock *sk, int level, int optname,
		     char __user *optval, int __user *optlen);

/* timer.c */
void mytcp_keepalive_set(struct sock *sk, int on);	/* proto.keepalive */
void mytcp_keepalive_reset(struct sock *sk);	/* idle time changed */
void mytcp_delack_timer_arm(struct sock *sk);
void mytcp_delack_timer_stop(struct sock *sk);
void mytcp_timer_init(struct sock *sk);
void mytcp_rtx_timer_arm(struct sock *sk);
void mytcp_rtx_timer_stop(struct sock *sk);
void mytcp_aux_timer_arm(struct sock *sk, u64 ns);
void mytcp_aux_timer_stop(struct sock *sk);
void mytcp_fin_wait2_timer_arm(struct sock *sk);
void mytcp_timers_stop(struct sock *sk);
void mytcp_timers_cancel_sync(struct sock *sk);
void mytcp_release_cb(struct sock *sk);
u32 mytcp_rto_us(struct sock *sk);

/* minisocks.c */
int mytcp_conn_request(struct sock *listener, struct sk_buff *skb,
		       const struct mytcp_hdr_view *h);
void mytcp_request_rcv(struct mytcp_request *req, struct sk_buff *skb,
		       const struct mytcp_hdr_view *h);
void mytcp_listener_drop_requests(struct sock *listener);
void mytcp_time_wait(struct sock *sk);
void mytcp_tw_rcv(struct mytcp_tw *tw, struct sk_buff *skb,
		  const struct mytcp_hdr_view *h);
void mytcp_request_fill(struct mytcp_request *req, struct sock *listener,
			const struct sk_buff *skb,
			const struct mytcp_hdr_view *h);
void mytcp_send_synack(struct mytcp_request *req);
struct sock *mytcp_create_child(struct sock *listener,
				struct mytcp_request *req,
				const struct mytcp_hdr_view *h);
void mytcp_child_complete(struct sock *listener, struct sock *child,
			  struct mytcp_request *req, struct sk_buff *skb);
int mytcp_minisocks_init(void);
void mytcp_minisocks_exit(void);
void mytcp_mini_free(struct mytcp_mini *m);
void mytcp_mini_release(struct mytcp_mini *m);

/* syncookies.c */
void mytcp_syncookie_secret_init(void);
void mytcp_cookie_send(struct sock *listener, const struct sk_buff *skb,
		       const struct mytcp_hdr_view *h);
bool mytcp_cookie_rcv(struct sock *listener, struct sk_buff *skb,
		      const struct mytcp_hdr_view *h);

static inline struct net *mytcp_mini_net(const struct mytcp_mini *m)
{
	return read_pnet(&m->net);
}

/* A write-queue skb leaves: uncharge it from the socket. */
static inline void mytcp_wmem_free_skb(struct sock *sk, struct sk_buff *skb)
{
	sk_wmem_queued_add(sk, -skb->truesize);
	mytcp_mem_uncharge(sk, skb->truesize);
	__kfree_skb(skb);
}

static inline u64 mytcp_ms_to_ns(int ms)
{
	return (u64)ms * NSEC_PER_MSEC;
}

#endif /* _MYTCP_H */
