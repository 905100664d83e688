/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp: cross-file declarations of the kernel glue.
 */
#ifndef _MYTCP_H
#define _MYTCP_H

#include <linux/types.h>
#include <linux/percpu.h>
#include <net/sock.h>
#include <net/inet_sock.h>
#include <uapi/linux/mytcp.h>

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
};

/* A mytcp socket. struct inet_sock must stay first. */
struct mytcp_sock {
	struct inet_sock inet;
	/* Counted in the protocol's in-use count (see mytcp_init_sock) */
	bool inuse_counted;
};

static inline struct mytcp_sock *mytcp_sk(const struct sock *sk)
{
	return (struct mytcp_sock *)sk;
}

/* main.c */
extern int mytcp_proto_num;

/* ctrl.c */
struct mytcp_net *mytcp_pernet(const struct net *net);
int mytcp_ctrl_init(void);
void mytcp_ctrl_exit(void);

#define MYTCP_INC_STATS(net, field)					\
	this_cpu_inc(mytcp_pernet(net)->mib->mibs[MYTCP_MIB_##field])

/* socket.c */
extern struct proto mytcp_prot;
extern const struct proto_ops mytcp_stream_ops;

/* input.c */
int mytcp_v4_rcv(struct sk_buff *skb);

#endif /* _MYTCP_H */
