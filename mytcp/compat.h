/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the supported kernels (Debian 6.1 and 6.12)
 * lives here. Shims are named after the newer API and keyed on
 * LINUX_VERSION_CODE: Debian's 6.1 carries backports that make feature
 * probes unreliable.
 */
#ifndef _MYTCP_COMPAT_H
#define _MYTCP_COMPAT_H

#include <linux/version.h>
#include <linux/sysctl.h>
#include <linux/tcp.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>
#include <net/sock.h>
/* 6.5 moved the GSO checksum helpers from linux/skbuff.h to net/gso.h. */
#if KERNEL_VERSION(6, 5, 0) <= LINUX_VERSION_CODE
#include <net/gso.h>
#endif

/*
 * 6.11 made sysctl tables sized by count (no sentinel needed); 6.1 walks
 * the table up to an empty sentinel entry. Our templates always carry
 * the sentinel; @count excludes it.
 */
static inline struct ctl_table_header *
mytcp_register_net_sysctl_sz(struct net *net, const char *path,
			     struct ctl_table *table, size_t count)
{
#if KERNEL_VERSION(6, 6, 0) <= LINUX_VERSION_CODE
	return register_net_sysctl_sz(net, path, table, count);
#else
	return register_net_sysctl(net, path, table);
#endif
}

/* 6.11 made the table argument of sysctl proc handlers const. */
#if KERNEL_VERSION(6, 11, 0) <= LINUX_VERSION_CODE
#define mytcp_ctl_table_t	const struct ctl_table
#else
#define mytcp_ctl_table_t	struct ctl_table
#endif

/*
 * proto.accept: 6.10 packed flags, error and kern into struct
 * proto_accept_arg. Both forms call mytcp_accept_child() (socket.c).
 */
struct sock *mytcp_accept_child(struct sock *sk, int flags, int *err);

#if KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE
static inline struct sock *mytcp_accept(struct sock *sk,
					struct proto_accept_arg *arg)
{
	return mytcp_accept_child(sk, arg->flags, &arg->err);
}
#else
static inline struct sock *mytcp_accept(struct sock *sk, int flags, int *err,
					bool kern)
{
	return mytcp_accept_child(sk, flags, err);
}
#endif

/*
 * SO_PEEK_OFF: Linux TCP takes it from 6.9 on (EOPNOTSUPP before);
 * mytcp follows the kernel it runs on. recvmsg() honours sk_peek_off
 * either way: it stays -1 when the option cannot be set.
 */
#if KERNEL_VERSION(6, 9, 0) <= LINUX_VERSION_CODE
#define MYTCP_SET_PEEK_OFF	sk_set_peek_off
#else
#define MYTCP_SET_PEEK_OFF	NULL
#endif

/*
 * proto.ioctl: 6.5 passes a kernel int for the answer (sk_ioctl() copies
 * it out); 6.1 passes the user pointer. Both call mytcp_ioctl_karg()
 * (stream.c).
 */
int mytcp_ioctl_karg(struct sock *sk, int cmd, int *karg);

#if KERNEL_VERSION(6, 5, 0) <= LINUX_VERSION_CODE
static inline int mytcp_ioctl(struct sock *sk, int cmd, int *karg)
{
	return mytcp_ioctl_karg(sk, cmd, karg);
}
#else
static inline int mytcp_ioctl(struct sock *sk, int cmd, unsigned long arg)
{
	int answ, err = mytcp_ioctl_karg(sk, cmd, &answ);

	return err ?: put_user(answ, (int __user *)arg);
}
#endif

/* 6.2 added tcpi_rcv_wnd (and tcpi_rehash) to struct tcp_info. */
static inline void mytcp_tcpi_set_rcv_wnd(struct tcp_info *info, u32 wnd)
{
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
	info->tcpi_rcv_wnd = wnd;
#endif
}

#endif /* _MYTCP_COMPAT_H */
