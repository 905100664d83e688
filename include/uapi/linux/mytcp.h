/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mytcp: TCP (RFC 9293) as a loadable transport on its own IP protocol
 * number. This header is the user-space API: include it as is.
 */
#ifndef _UAPI_LINUX_MYTCP_H
#define _UAPI_LINUX_MYTCP_H

/*
 * Default IP protocol number (RFC 3692 experimental range). The module
 * parameter "proto" may register mytcp under another number; socket()
 * takes whatever number the module was loaded with.
 */
#define IPPROTO_MYTCP		253

/*
 * setsockopt()/getsockopt() level for mytcp's own options. Options at
 * level IPPROTO_TCP (SOL_TCP) keep Linux's numbers and meanings.
 */
#define SOL_MYTCP		253

#endif /* _UAPI_LINUX_MYTCP_H */
