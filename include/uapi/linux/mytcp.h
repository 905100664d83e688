/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mytcp: TCP (RFC 9293) as a loadable transport on its own IP protocol
 * number. This header is the user-space API: include it as is.
 */
#ifndef _UAPI_LINUX_MYTCP_H
#define _UAPI_LINUX_MYTCP_H

#include <linux/types.h>

/*
 * Default IP protocol number (RFC 3692 experimental range). The module
 * parameter "proto" may register mytcp under another number; socket()
 * takes whatever number the module was loaded with.
 */
#define IPPROTO_MYTCP		253

/*
 * setsockopt()/getsockopt() level for mytcp's own options. Options at
 * level IPPROTO_TCP (SOL_TCP) keep Linux's numbers and meanings.
 * Every SOL_MYTCP option is read-only: setsockopt() answers ENOPROTOOPT,
 * as Linux TCP does for TCP_INFO; an unknown option does the same.
 */
#define SOL_MYTCP		253

/* getsockopt(SOL_MYTCP) options (Documentation/sockopts.rst) */
#define MYTCP_STATE_HISTORY		1	/* struct mytcp_state_history */
#define MYTCP_STATE_HISTORY_COUNT	2	/* __u32: transitions ever */

/* Transitions the kernel keeps per socket: the last ones, oldest dropped. */
#define MYTCP_STATE_HISTORY_LEN		16

/*
 * What caused a transition. States are Linux's TCP_* numbers
 * (TCP_ESTABLISHED = 1 ... TCP_CLOSING = 11, <netinet/tcp.h>).
 */
enum mytcp_state_cause {
	MYTCP_CAUSE_NONE = 0,		/* not known */
	MYTCP_CAUSE_SEGMENT = 1,	/* an arriving segment: mst_flags ... */
	MYTCP_CAUSE_CONNECT = 2,	/* connect() */
	MYTCP_CAUSE_LISTEN = 3,		/* listen() */
	MYTCP_CAUSE_CLOSE = 4,		/* close() */
	MYTCP_CAUSE_SHUTDOWN = 5,	/* shutdown(SHUT_WR or SHUT_RDWR) */
	MYTCP_CAUSE_DISCONNECT = 6,	/* connect(AF_UNSPEC), shutdown() of a
					 * listener or SYN-SENT socket, a
					 * blocking connect() that failed
					 */
	MYTCP_CAUSE_RTO = 7,		/* retransmissions gave up (SYN, data,
					 * FIN: syn_retries, retries2)
					 */
	MYTCP_CAUSE_PROBE_TIMEOUT = 8,	/* zero-window probes unanswered */
	MYTCP_CAUSE_USER_TIMEOUT = 9,	/* TCP_USER_TIMEOUT ran out */
	MYTCP_CAUSE_KEEPALIVE = 10,	/* keepalive probes unanswered */
	MYTCP_CAUSE_FIN_WAIT2_TIMEOUT = 11, /* orphaned FIN-WAIT-2 gave up */
	MYTCP_CAUSE_TIME_WAIT = 12,	/* TIME-WAIT -> CLOSED: a TIME-WAIT
					 * entry took over the connection
					 */
	MYTCP_CAUSE_ICMP = 13,		/* ICMP error; mst_seq: quoted SEQ */
	MYTCP_CAUSE_ABORT = 14,		/* aborted: listener closed before
					 * accept(), module unloaded, orphan
					 * over net.mytcp.max_orphans
					 */
};

/* TCP header flag bits as in mst_flags (the header's 14th byte). */
#define MYTCP_TH_FIN	0x01
#define MYTCP_TH_SYN	0x02
#define MYTCP_TH_RST	0x04
#define MYTCP_TH_PSH	0x08
#define MYTCP_TH_ACK	0x10
#define MYTCP_TH_URG	0x20
#define MYTCP_TH_ECE	0x40
#define MYTCP_TH_CWR	0x80

/*
 * One state transition, 32 bytes, no implicit padding. The segment
 * fields hold the header of the segment that caused it (host byte
 * order, the window field as sent, unscaled) for MYTCP_CAUSE_SEGMENT,
 * only mst_seq for MYTCP_CAUSE_ICMP, and are 0 otherwise.
 */
struct mytcp_state_transition {
	__u64 mst_time_ns;	/* CLOCK_MONOTONIC, nanoseconds */
	__u8 mst_from;		/* TCP_* state left */
	__u8 mst_to;		/* TCP_* state entered */
	__u8 mst_cause;		/* enum mytcp_state_cause */
	__u8 mst_flags;		/* MYTCP_TH_* */
	__u16 mst_window;	/* window field */
	__u16 mst_reserved;	/* 0 */
	__u32 mst_seq;		/* sequence number */
	__u32 mst_ack;		/* acknowledgment number */
	__u32 mst_len;		/* payload bytes */
	__u32 mst_reserved2;	/* 0 */
};

/*
 * getsockopt(fd, SOL_MYTCP, MYTCP_STATE_HISTORY, &h, &len): the last
 * transitions, oldest first. @len must cover at least the two counters
 * (else EINVAL); entries follow as many as fit, the newest ones, and
 * @len comes back as 8 + msh_count * 32.
 */
struct mytcp_state_history {
	__u32 msh_total;	/* transitions ever recorded (wraps) */
	__u32 msh_count;	/* entries returned in msh_entries */
	struct mytcp_state_transition msh_entries[MYTCP_STATE_HISTORY_LEN];
};

#endif /* _UAPI_LINUX_MYTCP_H */
