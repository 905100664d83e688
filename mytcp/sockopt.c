// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: socket options at the protocol's levels — SOL_IP goes to the
 * IP layer, SOL_TCP (IPPROTO_TCP) options keep Linux's numbers, ranges,
 * errnos and meanings (Documentation/sockopts.rst), SOL_MYTCP holds
 * mytcp's own, all read-only (history.c). Other levels go to the IP layer too, as TCP's
 * do: it answers ENOPROTOOPT to a set and EOPNOTSUPP to a get.
 */
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/sock.h>

#include "mytcp.h"
#include "compat.h"

/* Linux's limits (include/net/tcp.h); the same values, the same errnos. */
#define MYTCP_MIN_USER_MSS	88	/* TCP_MIN_MSS */
#define MYTCP_MAX_USER_MSS	32767	/* MAX_TCP_WINDOW */
#define MYTCP_MAX_KEEPIDLE	32767	/* seconds */
#define MYTCP_MAX_KEEPINTVL	32767	/* seconds */
#define MYTCP_MAX_KEEPCNT	127
#define MYTCP_REORDERING	3	/* dup ACK threshold (tcpi_reordering) */

/* States in which queued data may be sent: a push is worth trying. */
#define MYTCP_PUSH_STATES	(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT |	\
				 TCPF_FIN_WAIT1 | TCPF_CLOSING |	\
				 TCPF_LAST_ACK)

static void mytcp_push_if_open(struct sock *sk)
{
	if ((1 << sk->sk_state) & MYTCP_PUSH_STATES)
		mytcp_push(sk);
}

/*
 * TCP_NODELAY: on, it also sends what is queued now, once, even past a
 * cork (an explicit push); off, Nagle holds short segments again.
 */
static void mytcp_set_nodelay(struct sock *sk, int on)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (on) {
		msk->nonagle |= MYTCP_NAGLE_OFF | MYTCP_NAGLE_PUSH;
		mytcp_push_if_open(sk);
	} else {
		msk->nonagle &= ~MYTCP_NAGLE_OFF;
	}
}

/* TCP_CORK: hold short segments; uncorking sends them (at once if NODELAY). */
static void mytcp_set_cork(struct sock *sk, int on)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (on) {
		msk->nonagle |= MYTCP_NAGLE_CORK;
		return;
	}
	msk->nonagle &= ~MYTCP_NAGLE_CORK;
	if (msk->nonagle & MYTCP_NAGLE_OFF)
		msk->nonagle |= MYTCP_NAGLE_PUSH;
	mytcp_push_if_open(sk);
}

/*
 * TCP_QUICKACK: 0 lets ACKs be delayed again; non-zero ACKs at once for
 * a while and sends an ACK that is due; an even value then goes back to
 * delaying, but only if there was such an ACK (Linux's reading).
 */
static void mytcp_set_quickack_opt(struct sock *sk, int val)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	bool due = msk->ack_pending &&
		   ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT));

	msk->quickack_off = !val;
	mytcp_set_quickack(sk, val);
	if (val && !(val & 1) && due) {
		msk->quickack_off = true;
		mytcp_set_quickack(sk, false);
	}
}

/* TCP_KEEPIDLE: a running keepalive timer restarts with the new time. */
static int mytcp_set_keepidle(struct sock *sk, int val)
{
	if (val < 1 || val > MYTCP_MAX_KEEPIDLE)
		return -EINVAL;
	WRITE_ONCE(mytcp_sk(sk)->keepalive_idle_ms, val * MSEC_PER_SEC);
	if (sock_flag(sk, SOCK_KEEPOPEN) &&
	    !((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
		mytcp_keepalive_reset(sk);
	return 0;
}

static int mytcp_set_congestion(struct sock *sk, sockptr_t optval,
				unsigned int optlen)
{
	char name[MYTCP_CC_NAME_MAX];
	long n;
	int err;

	if (optlen < 1)
		return -EINVAL;
	n = strncpy_from_sockptr(name, optval,
				 min_t(long, sizeof(name) - 1, optlen));
	if (n < 0)
		return -EFAULT;
	name[n] = '\0';

	lock_sock(sk);
	err = mytcp_cc_set(sk, name);
	release_sock(sk);
	return err;
}

static int mytcp_setsockopt_tcp(struct sock *sk, int optname,
				sockptr_t optval, unsigned int optlen)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int val, err = 0;

	if (optname == TCP_CONGESTION)
		return mytcp_set_congestion(sk, optval, optlen);

	/* Every other option is an int; Linux checks the length first. */
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	/* Values only read by the timers: no lock needed. */
	switch (optname) {
	case TCP_USER_TIMEOUT:
		if (val < 0)
			return -EINVAL;
		WRITE_ONCE(msk->user_timeout_ms, val);
		return 0;
	case TCP_KEEPINTVL:
		if (val < 1 || val > MYTCP_MAX_KEEPINTVL)
			return -EINVAL;
		WRITE_ONCE(msk->keepalive_intvl_ms, val * MSEC_PER_SEC);
		return 0;
	case TCP_KEEPCNT:
		if (val < 1 || val > MYTCP_MAX_KEEPCNT)
			return -EINVAL;
		WRITE_ONCE(msk->keepalive_probes, val);
		return 0;
	}

	lock_sock(sk);
	switch (optname) {
	case TCP_MAXSEG:
		/* Takes effect at the next SYN or SYN-ACK, as in Linux. */
		if (val && (val < MYTCP_MIN_USER_MSS || val > MYTCP_MAX_USER_MSS))
			err = -EINVAL;
		else
			WRITE_ONCE(msk->user_mss, val);
		break;
	case TCP_NODELAY:
		mytcp_set_nodelay(sk, val);
		break;
	case TCP_CORK:
		mytcp_set_cork(sk, val);
		break;
	case TCP_KEEPIDLE:
		err = mytcp_set_keepidle(sk, val);
		break;
	case TCP_QUICKACK:
		mytcp_set_quickack_opt(sk, val);
		break;
	default:
		/* TCP_SYNCNT and TCP_LINGER2 included: see sockopts.rst */
		err = -ENOPROTOOPT;
		break;
	}
	release_sock(sk);
	return err;
}

int mytcp_setsockopt(struct sock *sk, int level, int optname,
		     sockptr_t optval, unsigned int optlen)
{
	if (level == SOL_TCP)
		return mytcp_setsockopt_tcp(sk, optname, optval, optlen);
	/* SOL_MYTCP options are read-only: ENOPROTOOPT, as TCP_INFO's set. */
	if (level == SOL_MYTCP)
		return -ENOPROTOOPT;
	return ip_setsockopt(sk, level, optname, optval, optlen);
}

static u32 mytcp_ms_ago(u64 now, u64 then)
{
	if (!then || then > now)
		return 0;
	return (u32)min_t(u64, div_u64(now - then, NSEC_PER_MSEC), U32_MAX);
}

/* TCP_INFO from mytcp's own state; what mytcp does not track stays 0. */
static void mytcp_get_info(struct sock *sk, struct tcp_info *info)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);
	struct dst_entry *dst;
	unsigned long rate;
	u64 now;

	memset(info, 0, sizeof(*info));
	info->tcpi_state = inet_sk_state_load(sk);

	rate = READ_ONCE(sk->sk_pacing_rate);
	info->tcpi_pacing_rate = rate != ~0UL ? rate : ~0ULL;
	rate = READ_ONCE(sk->sk_max_pacing_rate);
	info->tcpi_max_pacing_rate = rate != ~0UL ? rate : ~0ULL;
	info->tcpi_reordering = MYTCP_REORDERING;
	info->tcpi_snd_cwnd = READ_ONCE(msk->cc.cwnd);

	if (info->tcpi_state == TCP_LISTEN) {
		/* As Linux: accept queue length and its limit. */
		info->tcpi_unacked = READ_ONCE(sk->sk_ack_backlog);
		info->tcpi_sacked = READ_ONCE(sk->sk_max_ack_backlog);
		return;
	}

	lock_sock(sk);
	info->tcpi_ca_state = msk->ca_state;
	info->tcpi_retransmits = msk->retransmits;
	info->tcpi_probes = msk->probes_out;
	info->tcpi_backoff = msk->rto.backoff;
	if (msk->tstamp_ok)
		info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (msk->sack_ok)
		info->tcpi_options |= TCPI_OPT_SACK;
	if (msk->wscale_ok) {
		info->tcpi_options |= TCPI_OPT_WSCALE;
		info->tcpi_snd_wscale = msk->snd_wscale;
		info->tcpi_rcv_wscale = msk->rcv_wscale;
	}

	info->tcpi_rto = mytcp_rto_us(sk);
	info->tcpi_ato = READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_delack_ms) *
			 USEC_PER_MSEC;
	info->tcpi_snd_mss = msk->mss_cache;
	info->tcpi_rcv_mss = msk->rcv_mss;

	info->tcpi_unacked = msk->packets_out;
	info->tcpi_sacked = msk->sacked_out;
	info->tcpi_lost = msk->lost_out;
	info->tcpi_retrans = msk->retrans_out;

	now = ktime_get_ns();
	info->tcpi_last_data_sent = mytcp_ms_ago(now, msk->last_data_sent_ns);
	info->tcpi_last_data_recv = mytcp_ms_ago(now, msk->last_data_recv_ns);
	info->tcpi_last_ack_recv = mytcp_ms_ago(now, msk->last_ack_recv_ns);

	dst = __sk_dst_get(sk);
	info->tcpi_pmtu = dst ? dst_mtu(dst) : 0;
	/* No window clamp of its own: the window it offers now. */
	info->tcpi_rcv_ssthresh = msk->rcv_wnd;
	info->tcpi_rtt = msk->rto.srtt_us;
	info->tcpi_rttvar = msk->rto.rttvar_us;
	info->tcpi_snd_ssthresh = msk->cc.ssthresh;
	info->tcpi_advmss = mytcp_adv_mss(sk);

	info->tcpi_total_retrans = msk->total_retrans;
	info->tcpi_bytes_acked = msk->bytes_acked;
	info->tcpi_bytes_received = msk->bytes_received;
	info->tcpi_notsent_bytes = max_t(s32, 0, msk->write_seq - msk->snd_nxt);
	info->tcpi_segs_out = msk->segs_out;
	info->tcpi_segs_in = READ_ONCE(msk->segs_in);
	info->tcpi_data_segs_in = READ_ONCE(msk->data_segs_in);
	info->tcpi_data_segs_out = msk->data_segs_out;
	info->tcpi_min_rtt = msk->min_rtt_us ?: ~0U;
	info->tcpi_bytes_sent = msk->bytes_sent;
	info->tcpi_bytes_retrans = msk->bytes_retrans;
	info->tcpi_snd_wnd = msk->snd_wnd;
	mytcp_tcpi_set_rcv_wnd(info, msk->rcv_wnd);
	release_sock(sk);
}

/* Copy min(*optlen, @size) bytes of @val out and write the length back. */
static int mytcp_put_opt(const void *val, int size, int len,
			 char __user *optval, int __user *optlen)
{
	len = min(len, size);
	if (put_user(len, optlen))
		return -EFAULT;
	if (copy_to_user(optval, val, len))
		return -EFAULT;
	return 0;
}

static int mytcp_getsockopt_tcp(struct sock *sk, int optname,
				char __user *optval, int __user *optlen)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int val, len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	switch (optname) {
	case TCP_MAXSEG:
		val = READ_ONCE(msk->mss_cache);
		if (READ_ONCE(msk->user_mss) &&
		    ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
			val = READ_ONCE(msk->user_mss);
		break;
	case TCP_NODELAY:
		val = !!(READ_ONCE(msk->nonagle) & MYTCP_NAGLE_OFF);
		break;
	case TCP_CORK:
		val = !!(READ_ONCE(msk->nonagle) & MYTCP_NAGLE_CORK);
		break;
	case TCP_KEEPIDLE:
		val = mytcp_keepalive_idle_ms(sk) / MSEC_PER_SEC;
		break;
	case TCP_KEEPINTVL:
		val = mytcp_keepalive_intvl_ms(sk) / MSEC_PER_SEC;
		break;
	case TCP_KEEPCNT:
		val = mytcp_keepalive_probes(sk);
		break;
	case TCP_USER_TIMEOUT:
		val = READ_ONCE(msk->user_timeout_ms);
		break;
	case TCP_QUICKACK:
		val = !READ_ONCE(msk->quickack_off);
		break;
	case TCP_CONGESTION: {
		char name[MYTCP_CC_NAME_MAX] = {};

		lock_sock(sk);
		strscpy(name, msk->cc_ops->name, sizeof(name));
		release_sock(sk);
		return mytcp_put_opt(name, sizeof(name), len, optval, optlen);
	}
	case TCP_INFO: {
		struct tcp_info info;

		mytcp_get_info(sk, &info);
		return mytcp_put_opt(&info, sizeof(info), len, optval, optlen);
	}
	default:
		/* TCP_SYNCNT and TCP_LINGER2 included: see sockopts.rst */
		return -ENOPROTOOPT;
	}
	return mytcp_put_opt(&val, sizeof(val), len, optval, optlen);
}

int mytcp_getsockopt(struct sock *sk, int level, int optname,
		     char __user *optval, int __user *optlen)
{
	if (level == SOL_TCP)
		return mytcp_getsockopt_tcp(sk, optname, optval, optlen);
	if (level == SOL_MYTCP)
		return mytcp_hist_getsockopt(sk, optname, optval, optlen);
	return ip_getsockopt(sk, level, optname, optval, optlen);
}
