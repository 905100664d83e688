// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the socket layer — struct proto and struct proto_ops.
 *
 * Connection calls (bind, connect, listen, accept, send, receive,
 * shutdown) are not implemented yet and fail with EOPNOTSUPP; socket
 * creation, close, IP-level options, getsockname and poll are real.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/sock.h>

#include "mytcp.h"

static int mytcp_init_sock(struct sock *sk)
{
	struct net *net = sock_net(sk);

	if (!READ_ONCE(mytcp_pernet(net)->sysctl_enabled))
		return -ENOPROTOOPT;

	sock_prot_inuse_add(net, sk->sk_prot, 1);
	mytcp_sk(sk)->inuse_counted = true;
	return 0;
}

/* Also runs when mytcp_init_sock() failed: undo only what it did. */
static void mytcp_destroy_sock(struct sock *sk)
{
	if (mytcp_sk(sk)->inuse_counted) {
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
		mytcp_sk(sk)->inuse_counted = false;
	}
}

static void mytcp_close(struct sock *sk, long timeout)
{
	sk_common_release(sk);
}

/* Nothing is ever hashed before connections exist. */
static void mytcp_unhash(struct sock *sk)
{
}

static int mytcp_setsockopt(struct sock *sk, int level, int optname,
			    sockptr_t optval, unsigned int optlen)
{
	if (level == SOL_IP)
		return ip_setsockopt(sk, level, optname, optval, optlen);
	return -ENOPROTOOPT;
}

static int mytcp_getsockopt(struct sock *sk, int level, int optname,
			    char __user *optval, int __user *optlen)
{
	if (level == SOL_IP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	return -ENOPROTOOPT;
}

/*
 * An unconnected stream socket reports what Linux TCP reports for one in
 * CLOSE: writable (a write would fail at once) and hung up.
 */
static __poll_t mytcp_poll(struct file *file, struct socket *sock,
			   poll_table *wait)
{
	struct sock *sk = sock->sk;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM | EPOLLHUP;

	sock_poll_wait(file, sock, wait);
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
	.unhash		= mytcp_unhash,
	.setsockopt	= mytcp_setsockopt,
	.getsockopt	= mytcp_getsockopt,
	.obj_size	= sizeof(struct mytcp_sock),
};

const struct proto_ops mytcp_stream_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= sock_no_bind,
	.connect	= sock_no_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= inet_getname,
	.poll		= mytcp_poll,
	.ioctl		= inet_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= sock_no_listen,
	.shutdown	= sock_no_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= sock_no_sendmsg,
	.recvmsg	= sock_no_recvmsg,
	.mmap		= sock_no_mmap,
};
