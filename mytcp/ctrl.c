// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: per network namespace state — sysctls (net.mytcp.*), MIB
 * counters and the /proc/net files.
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "mytcp.h"
#include "compat.h"

static unsigned int mytcp_net_id __read_mostly;

struct mytcp_net *mytcp_pernet(const struct net *net)
{
	return net_generic(net, mytcp_net_id);
}

/*
 * The template's .data holds the offset of the value inside struct
 * mytcp_net; each namespace gets its own copy with .data rebased.
 */
#define MYTCP_SYSCTL_DATA(field)	((void *)offsetof(struct mytcp_net, field))

static int mytcp_ms_max = 600000;		/* 10 minutes */
static int mytcp_retries_max = 127;		/* as Linux's tcp_syn_retries */
static int mytcp_rto_ms_max = 120000;		/* RFC 6298 2.5 allows 60 s+ */
static int mytcp_int_max = INT_MAX;
static int mytcp_rto_us_max = 120000000;	/* 120 s */
static int mytcp_delack_ms_max = 1000;
static int mytcp_keepalive_ms_max = 32767000;	/* MAX_TCP_KEEPIDLE seconds */
static int mytcp_mem_min = 4096;
static int mytcp_mem_max = 1 << 30;

static unsigned long mytcp_pages_min = 1;
static unsigned long mytcp_pages_max = LONG_MAX >> PAGE_SHIFT;

/*
 * Triples, in order or refused (EINVAL) with nothing changed:
 * net.mytcp.rmem and wmem, "min default max" in bytes (ints) as
 * tcp_rmem; net.mytcp.mem, "min pressure max" in pages (longs) as
 * tcp_mem.
 */
static int mytcp_proc_triple(mytcp_ctl_table_t *table, int write,
			     void *buffer, size_t *lenp, loff_t *ppos)
{
	bool pages = table->data == mytcp_sysctl_mem;
	int *cur_i = table->data;
	long *cur_l = table->data;
	union {
		int i[3];
		long l[3];
	} v;
	struct ctl_table tmp = {
		.data = &v,
		.maxlen = table->maxlen,
		.mode = table->mode,
		.extra1 = pages ? (void *)&mytcp_pages_min : &mytcp_mem_min,
		.extra2 = pages ? (void *)&mytcp_pages_max : &mytcp_mem_max,
	};
	long w[3];
	int err, i;

	for (i = 0; i < 3; i++) {
		if (pages)
			v.l[i] = READ_ONCE(cur_l[i]);
		else
			v.i[i] = READ_ONCE(cur_i[i]);
	}
	err = pages ? proc_doulongvec_minmax(&tmp, write, buffer, lenp, ppos) :
		      proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	for (i = 0; i < 3; i++)
		w[i] = pages ? v.l[i] : v.i[i];
	if (w[0] > w[1] || w[1] > w[2])
		return -EINVAL;
	for (i = 0; i < 3; i++) {
		if (pages)
			WRITE_ONCE(cur_l[i], v.l[i]);
		else
			WRITE_ONCE(cur_i[i], v.i[i]);
	}
	return 0;
}

/*
 * One limit for all namespaces, as tcp_mem: shown in the initial
 * namespace only, where Linux shows tcp_mem.
 */
static const struct ctl_table mytcp_global_sysctl_template[] = {
	{
		.procname	= "mem",
		.data		= mytcp_sysctl_mem,
		.maxlen		= sizeof(mytcp_sysctl_mem),
		.mode		= 0644,
		.proc_handler	= mytcp_proc_triple,
	},
	{ }	/* sentinel, needed by 6.1 */
};

static struct ctl_table_header *mytcp_global_sysctl_hdr;

/* net.mytcp.congestion_control: an algorithm's name, else EINVAL. */
static int mytcp_proc_cc(mytcp_ctl_table_t *table, int write, void *buffer,
			 size_t *lenp, loff_t *ppos)
{
	const struct mytcp_cc_ops **cur = table->data;
	const struct mytcp_cc_ops *ops;
	char name[MYTCP_CC_NAME_MAX];
	struct ctl_table tmp = {
		.data = name,
		.maxlen = sizeof(name),
		.mode = table->mode,
	};
	int err;

	strscpy(name, READ_ONCE(*cur)->name, sizeof(name));
	err = proc_dostring(&tmp, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	ops = mytcp_cc_find(strim(name));
	if (!ops)
		return -EINVAL;
	WRITE_ONCE(*cur, ops);
	return 0;
}

/* net.mytcp.available_congestion_control, read only. */
static int mytcp_proc_cc_list(mytcp_ctl_table_t *table, int write,
			      void *buffer, size_t *lenp, loff_t *ppos)
{
	char list[4 * MYTCP_CC_NAME_MAX];
	struct ctl_table tmp = {
		.data = list,
		.maxlen = sizeof(list),
		.mode = 0444,
	};

	mytcp_cc_list(list, sizeof(list));
	return proc_dostring(&tmp, write, buffer, lenp, ppos);
}

#define MYTCP_SYSCTL_INT(name, field, lo, hi) {				\
		.procname	= name,					\
		.data		= MYTCP_SYSCTL_DATA(field),		\
		.maxlen		= sizeof(int),				\
		.mode		= 0644,					\
		.proc_handler	= proc_dointvec_minmax,			\
		.extra1		= lo,					\
		.extra2		= hi,					\
	}

static const struct ctl_table mytcp_sysctl_template[] = {
	/* 0: socket() fails with ENOPROTOOPT in this namespace */
	MYTCP_SYSCTL_INT("enabled", sysctl_enabled, SYSCTL_ZERO, SYSCTL_ONE),
	MYTCP_SYSCTL_INT("syn_retries", sysctl_syn_retries, SYSCTL_ONE,
			 &mytcp_retries_max),
	MYTCP_SYSCTL_INT("synack_retries", sysctl_synack_retries, SYSCTL_ONE,
			 &mytcp_retries_max),
	MYTCP_SYSCTL_INT("retries2", sysctl_retries2, SYSCTL_ONE,
			 &mytcp_retries_max),
	MYTCP_SYSCTL_INT("tw_timeout_ms", sysctl_tw_timeout_ms, SYSCTL_ONE,
			 &mytcp_ms_max),
	MYTCP_SYSCTL_INT("fin_timeout_ms", sysctl_fin_timeout_ms, SYSCTL_ONE,
			 &mytcp_ms_max),
	MYTCP_SYSCTL_INT("rto_initial_ms", sysctl_rto_initial_ms, SYSCTL_ONE,
			 &mytcp_rto_ms_max),
	MYTCP_SYSCTL_INT("rto_min_us", sysctl_rto_min_us, SYSCTL_ONE,
			 &mytcp_rto_us_max),
	MYTCP_SYSCTL_INT("rto_max_ms", sysctl_rto_max_ms, SYSCTL_ONE,
			 &mytcp_rto_ms_max),
	MYTCP_SYSCTL_INT("challenge_ack_limit", sysctl_challenge_ack_limit,
			 SYSCTL_ZERO, &mytcp_int_max),
	MYTCP_SYSCTL_INT("rfc1337", sysctl_rfc1337, SYSCTL_ZERO, SYSCTL_ONE),
	MYTCP_SYSCTL_INT("window_scaling", sysctl_window_scaling, SYSCTL_ZERO,
			 SYSCTL_ONE),
	MYTCP_SYSCTL_INT("timestamps", sysctl_timestamps, SYSCTL_ZERO,
			 SYSCTL_ONE),
	MYTCP_SYSCTL_INT("sack", sysctl_sack, SYSCTL_ZERO, SYSCTL_ONE),
	MYTCP_SYSCTL_INT("delack_ms", sysctl_delack_ms, SYSCTL_ZERO,
			 &mytcp_delack_ms_max),
	MYTCP_SYSCTL_INT("gso", sysctl_gso, SYSCTL_ZERO, SYSCTL_ONE),
	MYTCP_SYSCTL_INT("syncookies", sysctl_syncookies, SYSCTL_ZERO,
			 SYSCTL_TWO),
	MYTCP_SYSCTL_INT("keepalive_time_ms", sysctl_keepalive_time_ms,
			 SYSCTL_ONE, &mytcp_keepalive_ms_max),
	MYTCP_SYSCTL_INT("keepalive_intvl_ms", sysctl_keepalive_intvl_ms,
			 SYSCTL_ONE, &mytcp_keepalive_ms_max),
	MYTCP_SYSCTL_INT("keepalive_probes", sysctl_keepalive_probes,
			 SYSCTL_ONE, &mytcp_retries_max),
	MYTCP_SYSCTL_INT("max_tw_buckets", sysctl_max_tw_buckets, SYSCTL_ZERO,
			 &mytcp_int_max),
	MYTCP_SYSCTL_INT("max_orphans", sysctl_max_orphans, SYSCTL_ZERO,
			 &mytcp_int_max),
	{
		.procname	= "rmem",
		.data		= MYTCP_SYSCTL_DATA(sysctl_rmem),
		.maxlen		= sizeof(int) * 3,
		.mode		= 0644,
		.proc_handler	= mytcp_proc_triple,
	},
	{
		.procname	= "wmem",
		.data		= MYTCP_SYSCTL_DATA(sysctl_wmem),
		.maxlen		= sizeof(int) * 3,
		.mode		= 0644,
		.proc_handler	= mytcp_proc_triple,
	},
	{
		.procname	= "congestion_control",
		.data		= MYTCP_SYSCTL_DATA(cc_default),
		.maxlen		= MYTCP_CC_NAME_MAX,
		.mode		= 0644,
		.proc_handler	= mytcp_proc_cc,
	},
	{
		/* .data unused: the list is built on each read */
		.procname	= "available_congestion_control",
		.maxlen		= 4 * MYTCP_CC_NAME_MAX,
		.mode		= 0444,
		.proc_handler	= mytcp_proc_cc_list,
	},
	{ }	/* sentinel, needed by 6.1 */
};

#define MYTCP_SYSCTL_COUNT	(ARRAY_SIZE(mytcp_sysctl_template) - 1)

/*
 * Default of max_tw_buckets and max_orphans, as Linux sizes its own:
 * half its established-hash size, which has one bucket per 128 KiB of
 * RAM, a power of two of at most 512 Ki. 4096 on a 1 GiB VM, 262144
 * from 64 GiB up.
 */
static int mytcp_limit_default(void)
{
	unsigned long buckets = totalram_pages() >> (17 - PAGE_SHIFT);

	buckets = clamp(buckets, 256UL, 512UL * 1024);
	return roundup_pow_of_two(buckets) / 2;
}

static void mytcp_net_set_defaults(struct mytcp_net *mn)
{
	mn->sysctl_enabled = 1;
	mn->sysctl_syn_retries = 6;
	mn->sysctl_synack_retries = 5;
	mn->sysctl_retries2 = 15;
	mn->sysctl_tw_timeout_ms = 60000;
	mn->sysctl_fin_timeout_ms = 60000;
	mn->sysctl_rto_initial_ms = 1000;
	mn->sysctl_rto_min_us = 200000;
	mn->sysctl_rto_max_ms = 120000;
	mn->sysctl_challenge_ack_limit = 1000;
	mn->sysctl_rfc1337 = 1;
	mn->sysctl_window_scaling = 1;
	mn->sysctl_timestamps = 1;
	mn->sysctl_sack = 1;
	mn->sysctl_delack_ms = 40;		/* Linux's TCP_DELACK_MIN */
	mn->sysctl_gso = 1;
	mn->sysctl_syncookies = 1;		/* as Linux's tcp_syncookies */
	mn->sysctl_keepalive_time_ms = 7200000;	/* RFC 1122 4.2.3.6: 2 h */
	mn->sysctl_keepalive_intvl_ms = 75000;
	mn->sysctl_keepalive_probes = 9;
	mn->sysctl_rmem[0] = 4096;
	mn->sysctl_rmem[1] = 131072;
	mn->sysctl_rmem[2] = 6291456;
	mn->sysctl_wmem[0] = 4096;
	mn->sysctl_wmem[1] = 16384;
	mn->sysctl_wmem[2] = 4194304;
	mn->cc_default = &mytcp_cc_cubic;	/* Linux's default too */
	mn->sysctl_max_tw_buckets = mytcp_limit_default();
	mn->sysctl_max_orphans = mytcp_limit_default();
	atomic_set(&mn->tw_count, 0);
	atomic_set(&mn->orphan_count, 0);
	spin_lock_init(&mn->challenge_lock);
	mn->challenge_stamp = jiffies;
}

/* TCP_CONGESTION; socket locked. Keeps the window, resets the algorithm. */
int mytcp_cc_set(struct sock *sk, const char *name)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	const struct mytcp_cc_ops *ops = mytcp_cc_find(name);

	if (!ops)
		return -ENOENT;
	msk->cc_user = true;
	if (ops == msk->cc_ops)
		return 0;
	msk->cc_ops = ops;
	memset(&msk->cc.priv, 0, sizeof(msk->cc.priv));
	if (ops->init)
		ops->init(&msk->cc);
	return 0;
}

static int mytcp_sysctl_register(struct net *net, struct mytcp_net *mn)
{
	struct ctl_table *table;
	size_t i;

	table = kmemdup(mytcp_sysctl_template, sizeof(mytcp_sysctl_template),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < MYTCP_SYSCTL_COUNT; i++)
		table[i].data = (char *)mn + (uintptr_t)table[i].data;

	mn->sysctl_hdr = mytcp_register_net_sysctl_sz(net, "net/mytcp", table,
						      MYTCP_SYSCTL_COUNT);
	if (!mn->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

static void mytcp_sysctl_unregister(struct mytcp_net *mn)
{
	const struct ctl_table *table = mn->sysctl_hdr->ctl_table_arg;

	unregister_net_sysctl_table(mn->sysctl_hdr);
	kfree(table);
}

static const char * const mytcp_mib_names[MYTCP_MIB_MAX] = {
	[MYTCP_MIB_INSEGS]		= "InSegs",
	[MYTCP_MIB_INERRS]		= "InErrs",
	[MYTCP_MIB_INCSUMERRORS]	= "InCsumErrors",
	[MYTCP_MIB_INHDRERRORS]		= "InHdrErrors",
	[MYTCP_MIB_NOSOCKETDROPS]	= "NoSocketDrops",
	[MYTCP_MIB_OUTSEGS]		= "OutSegs",
	[MYTCP_MIB_RETRANSSEGS]		= "RetransSegs",
	[MYTCP_MIB_OUTRSTS]		= "OutRsts",
	[MYTCP_MIB_ACTIVEOPENS]		= "ActiveOpens",
	[MYTCP_MIB_PASSIVEOPENS]	= "PassiveOpens",
	[MYTCP_MIB_ATTEMPTFAILS]	= "AttemptFails",
	[MYTCP_MIB_ESTABRESETS]		= "EstabResets",
	[MYTCP_MIB_LISTENOVERFLOWS]	= "ListenOverflows",
	[MYTCP_MIB_LISTENDROPS]		= "ListenDrops",
	[MYTCP_MIB_CHALLENGEACKS]	= "TCPChallengeACK",
	[MYTCP_MIB_TIMEWAITS]		= "TimeWaits",
	[MYTCP_MIB_TIMEOUTS]		= "TCPTimeouts",
	[MYTCP_MIB_BACKLOGDROP]		= "TCPBacklogDrop",
	[MYTCP_MIB_RCVQDROP]		= "TCPRcvQDrop",
	[MYTCP_MIB_OFOQUEUE]		= "TCPOFOQueue",
	[MYTCP_MIB_FASTRETRANS]		= "TCPFastRetrans",
	[MYTCP_MIB_PAWSESTABREJECTED]	= "PAWSEstabRejected",
	[MYTCP_MIB_SACKRECOVERY]	= "TCPSackRecovery",
	[MYTCP_MIB_RENORECOVERY]	= "TCPRenoRecovery",
	[MYTCP_MIB_LOSSPROBES]		= "TCPWinProbe",
	[MYTCP_MIB_DELAYEDACKS]		= "DelayedACKs",
	[MYTCP_MIB_KEEPALIVETIMEOUTS]	= "TCPKeepAliveTimeouts",
	[MYTCP_MIB_KEEPALIVEPROBES]	= "TCPKeepAliveProbes",
	[MYTCP_MIB_SYNCOOKIESSENT]	= "SyncookiesSent",
	[MYTCP_MIB_SYNCOOKIESRECV]	= "SyncookiesRecv",
	[MYTCP_MIB_SYNCOOKIESFAILED]	= "SyncookiesFailed",
	[MYTCP_MIB_REQQFULLDOCOOKIES]	= "TCPReqQFullDoCookies",
	[MYTCP_MIB_REQQFULLDROP]	= "TCPReqQFullDrop",
	[MYTCP_MIB_OUTOFWINDOWICMPS]	= "OutOfWindowIcmps",
	[MYTCP_MIB_LOCKDROPPEDICMPS]	= "LockDroppedIcmps",
	[MYTCP_MIB_ICMPIGNORED]		= "IcmpIgnored",
	[MYTCP_MIB_ACKSKIPPEDCHALLENGE]	= "TCPACKSkippedChallenge",
	[MYTCP_MIB_SYNCHALLENGE]	= "TCPSYNChallenge",
	[MYTCP_MIB_ABORTONDATA]		= "TCPAbortOnData",
	[MYTCP_MIB_ABORTONCLOSE]	= "TCPAbortOnClose",
	[MYTCP_MIB_ABORTONTIMEOUT]	= "TCPAbortOnTimeout",
	[MYTCP_MIB_OFODROP]		= "TCPOFODrop",
	[MYTCP_MIB_OFOMERGE]		= "TCPOFOMerge",
	[MYTCP_MIB_ZEROWINDOWDROP]	= "TCPZeroWindowDrop",
	[MYTCP_MIB_SEQDROPS]		= "InvalidSeqDrops",
	[MYTCP_MIB_ACKUNSENTDROPS]	= "AckUnsentDrops",
	[MYTCP_MIB_OLDACKDROPS]		= "TooOldAckDrops",
	[MYTCP_MIB_FLAGDROPS]		= "FlagDrops",
	[MYTCP_MIB_MTUREDUCED]		= "TCPMTUReduced",
	[MYTCP_MIB_ACKSKIPPEDSEQ]	= "TCPACKSkippedSeq",
	[MYTCP_MIB_ACKSKIPPEDPAWS]	= "TCPACKSkippedPAWS",
	[MYTCP_MIB_TWOVERFLOW]		= "TCPTimeWaitOverflow",
	[MYTCP_MIB_ABORTONMEMORY]	= "TCPAbortOnMemory",
	[MYTCP_MIB_MEMORYPRESSURES]	= "TCPMemoryPressures",
	[MYTCP_MIB_OFOPRUNED]		= "OfoPruned",
	[MYTCP_MIB_SACKRENEGING]	= "TCPSACKReneging",
};

/* /proc/net/mytcp_snmp: the two-line layout of /proc/net/snmp, for nstat. */
static int mytcp_snmp_show(struct seq_file *seq, void *v)
{
	struct mytcp_net *mn = mytcp_pernet(seq_file_single_net(seq));
	int i, cpu;

	seq_puts(seq, "Mytcp:");
	for (i = 0; i < MYTCP_MIB_MAX; i++)
		seq_printf(seq, " %s", mytcp_mib_names[i]);
	seq_puts(seq, "\nMytcp:");
	for (i = 0; i < MYTCP_MIB_MAX; i++) {
		unsigned long sum = 0;

		for_each_possible_cpu(cpu)
			sum += per_cpu_ptr(mn->mib, cpu)->mibs[i];
		seq_printf(seq, " %lu", sum);
	}
	seq_putc(seq, '\n');
	return 0;
}

/*
 * /proc/net/mytcp_sockstat: Linux's sockstat line for TCP. inuse,
 * orphan and tw count this namespace's sockets, orphans and TIME-WAIT
 * entries; mem is the pages charged by all (net.mytcp.mem).
 */
static int mytcp_sockstat_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	struct mytcp_net *mn = mytcp_pernet(net);

	seq_printf(seq, "MYTCP: inuse %d orphan %d tw %d mem %ld\n",
		   sock_prot_inuse_get(net, &mytcp_prot),
		   atomic_read(&mn->orphan_count), atomic_read(&mn->tw_count),
		   mytcp_mem_pages());
	return 0;
}

/* /proc/net/mytcp: the columns and state codes of /proc/net/tcp. */
#define MYTCP_PROC_WIDTH	149

/* Time left on a pending timer, for the tm->when column. */
static unsigned long mytcp_timer_jiffies(const struct hrtimer *t)
{
	return nsecs_to_jiffies(ktime_to_ns(hrtimer_get_remaining(t)));
}

static void mytcp_proc_sock(struct seq_file *seq, struct sock *sk, int *n)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	const struct inet_sock *inet = inet_sk(sk);
	int state = inet_sk_state_load(sk);
	int timer = 0, rx, tx;
	unsigned long when = 0;
	/* The last columns as in /proc/net/tcp: ato, quickack, cwnd, ssthresh */
	int delack_ms = READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_delack_ms);
	unsigned int ato = jiffies_to_clock_t(msecs_to_jiffies(delack_ms));
	u32 sst = READ_ONCE(msk->cc.ssthresh);
	int ssthresh = sst >= MYTCP_CC_INFINITE_SSTHRESH ? -1 : (int)sst;

	if (state == MYTCP_LISTEN) {
		rx = READ_ONCE(sk->sk_ack_backlog);
		tx = READ_ONCE(sk->sk_max_ack_backlog);
	} else {
		rx = max_t(int, READ_ONCE(msk->rcv_nxt) -
			   READ_ONCE(msk->copied_seq), 0);
		tx = READ_ONCE(msk->write_seq) - READ_ONCE(msk->snd_una);
	}
	if (hrtimer_is_queued(&msk->rtx_timer)) {
		timer = 1;
		when = mytcp_timer_jiffies(&msk->rtx_timer);
	} else if (hrtimer_is_queued(&msk->aux_timer)) {
		timer = 2;
		when = mytcp_timer_jiffies(&msk->aux_timer);
	}
	seq_setwidth(seq, MYTCP_PROC_WIDTH);
	seq_printf(seq, "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %pK %ld %u %u %u %d",
		   (*n)++, (__force u32)inet->inet_rcv_saddr,
		   ntohs(inet->inet_sport), (__force u32)inet->inet_daddr,
		   ntohs(inet->inet_dport), state, tx, rx, timer,
		   jiffies_delta_to_clock_t(when), msk->retransmits,
		   from_kuid_munged(seq_user_ns(seq), sock_i_uid(sk)), 0,
		   sock_i_ino(sk), refcount_read(&sk->sk_refcnt), sk,
		   jiffies_to_clock_t(usecs_to_jiffies(mytcp_rto_us(sk))),
		   ato, READ_ONCE(msk->quickack) << 1, READ_ONCE(msk->cc.cwnd),
		   ssthresh);
	seq_pad(seq, '\n');
}

static void mytcp_proc_mini(struct seq_file *seq, struct mytcp_mini *m,
			    int *n)
{
	bool tw = m->kind == MYTCP_MINI_TIMEWAIT;
	unsigned long when = 0;

	if (hrtimer_is_queued(&m->timer))
		when = mytcp_timer_jiffies(&m->timer);
	seq_setwidth(seq, MYTCP_PROC_WIDTH);
	seq_printf(seq, "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %d %d %pK",
		   (*n)++, (__force u32)m->laddr, ntohs(m->lport),
		   (__force u32)m->raddr, ntohs(m->rport),
		   tw ? MYTCP_TIME_WAIT : MYTCP_SYN_RECV, 0, 0, tw ? 3 : 1,
		   jiffies_delta_to_clock_t(when),
		   tw ? 0 : container_of(m, struct mytcp_request, mini)->retrans,
		   0, 0, 0, refcount_read(&m->refcnt), m);
	seq_pad(seq, '\n');
}

static int mytcp_seq_show(struct seq_file *seq, void *v)
{
	seq_printf(seq, "%-*s\n", MYTCP_PROC_WIDTH,
		   "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode");
	static const struct mytcp_entry_printer printer = {
		.sock = mytcp_proc_sock,
		.mini = mytcp_proc_mini,
	};

	mytcp_dump_entries(seq_file_single_net(seq), seq, &printer);
	return 0;
}

static int __net_init mytcp_net_init(struct net *net)
{
	struct mytcp_net *mn = mytcp_pernet(net);
	int err;

	mytcp_net_set_defaults(mn);

	mn->mib = alloc_percpu(struct mytcp_mib);
	if (!mn->mib)
		return -ENOMEM;

	err = mytcp_sysctl_register(net, mn);
	if (err)
		goto err_mib;

	err = -ENOMEM;
	if (!proc_create_net_single("mytcp", 0444, net->proc_net,
				    mytcp_seq_show, NULL))
		goto err_sysctl;
	if (!proc_create_net_single("mytcp_snmp", 0444, net->proc_net,
				    mytcp_snmp_show, NULL))
		goto err_proc;
	if (!proc_create_net_single("mytcp_sockstat", 0444, net->proc_net,
				    mytcp_sockstat_show, NULL))
		goto err_snmp;
	return 0;

err_snmp:
	remove_proc_entry("mytcp_snmp", net->proc_net);
err_proc:
	remove_proc_entry("mytcp", net->proc_net);
err_sysctl:
	mytcp_sysctl_unregister(mn);
err_mib:
	free_percpu(mn->mib);
	return err;
}

static void __net_exit mytcp_net_exit(struct net *net)
{
	struct mytcp_net *mn = mytcp_pernet(net);

	/* TIME-WAIT entries hold no reference on the namespace. */
	mytcp_purge_net(net);
	/* Orphans hold the namespace, and the purge took every entry. */
	WARN_ON_ONCE(atomic_read(&mn->orphan_count) ||
		     atomic_read(&mn->tw_count));

	remove_proc_entry("mytcp_sockstat", net->proc_net);
	remove_proc_entry("mytcp_snmp", net->proc_net);
	remove_proc_entry("mytcp", net->proc_net);
	mytcp_sysctl_unregister(mn);
	free_percpu(mn->mib);
}

static struct pernet_operations mytcp_net_ops = {
	.init	= mytcp_net_init,
	.exit	= mytcp_net_exit,
	.id	= &mytcp_net_id,
	.size	= sizeof(struct mytcp_net),
};

int mytcp_ctrl_init(void)
{
	struct ctl_table *table;
	int err;

	err = register_pernet_subsys(&mytcp_net_ops);
	if (err)
		return err;
	err = -ENOMEM;
	table = kmemdup(mytcp_global_sysctl_template,
			sizeof(mytcp_global_sysctl_template), GFP_KERNEL);
	if (!table)
		goto err_pernet;
	mytcp_global_sysctl_hdr =
		mytcp_register_net_sysctl_sz(&init_net, "net/mytcp", table,
					     ARRAY_SIZE(mytcp_global_sysctl_template) - 1);
	if (!mytcp_global_sysctl_hdr)
		goto err_table;
	return 0;

err_table:
	kfree(table);
err_pernet:
	unregister_pernet_subsys(&mytcp_net_ops);
	return err;
}

void mytcp_ctrl_exit(void)
{
	const struct ctl_table *table = mytcp_global_sysctl_hdr->ctl_table_arg;

	unregister_net_sysctl_table(mytcp_global_sysctl_hdr);
	kfree(table);
	unregister_pernet_subsys(&mytcp_net_ops);
}
