// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: socket options at the protocol's levels — SOL_IP goes to the
 * IP layer, SOL_TCP (IPPROTO_TCP) options keep Linux's numbers and
 * meanings, SOL_MYTCP holds mytcp's own.
 */
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/sock.h>

#include "mytcp.h"

int mytcp_setsockopt(struct sock *sk, int level, int optname,
		     sockptr_t optval, unsigned int optlen)
{
	if (level == SOL_IP)
		return ip_setsockopt(sk, level, optname, optval, optlen);
	return -ENOPROTOOPT;
}

int mytcp_getsockopt(struct sock *sk, int level, int optname,
		     char __user *optval, int __user *optlen)
{
	if (level == SOL_IP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	return -ENOPROTOOPT;
}
