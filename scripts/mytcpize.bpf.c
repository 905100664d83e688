// SPDX-License-Identifier: GPL-2.0
/*
 * mytcpize's BPF route (Linux 6.6+): socket() calls the kernel function
 * update_socket_protocol(family, type, protocol) and uses what it
 * returns as the protocol; this fmod_ret program returns mytcp's number
 * for IPv4 TCP sockets made by tasks in one cgroup. It acts below the C
 * library, so it reaches static binaries and raw syscalls too.
 * scripts/mytcpize-bpf.c loads it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* The user-space values, without the C library's headers. */
#define MYTCPIZE_AF_INET	2
#define MYTCPIZE_SOCK_STREAM	1
#define MYTCPIZE_SOCK_TYPE_MASK	0xf	/* type also carries the O_ flags */
#define MYTCPIZE_IPPROTO_TCP	6

/* Set by the loader before the program is loaded (.bss and .data). */
__u64 target_cgroup;
int mytcp_proto = 253;

SEC("fmod_ret/update_socket_protocol")
int BPF_PROG(mytcpize, int family, int type, int protocol)
{
	if (bpf_get_current_cgroup_id() != target_cgroup)
		return protocol;
	if (family != MYTCPIZE_AF_INET ||
	    (type & MYTCPIZE_SOCK_TYPE_MASK) != MYTCPIZE_SOCK_STREAM)
		return protocol;
	if (protocol != 0 && protocol != MYTCPIZE_IPPROTO_TCP)
		return protocol;
	return mytcp_proto;
}

char _license[] SEC("license") = "GPL";
