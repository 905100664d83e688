// SPDX-License-Identifier: GPL-2.0
/*
 * SOL_TCP socket options on "tcp" (the reference) and "mytcp": defaults,
 * values read back, ranges and errnos, options in each socket state,
 * what an accepted child inherits, TCP_INFO after a transfer, and what
 * the options do on the wire:
 *
 *   TCP_NODELAY   tiny writes while the peer's ACKs are held back: one
 *                 segment with Nagle, one per write (up to cwnd) without
 *   TCP_CORK      a short write stays queued until uncorked
 *   TCP_MAXSEG    the peer never sees a larger segment
 *   TCP_KEEP*     probes while idle; a silent peer is given up on
 *
 * Every expectation is Linux's behaviour, checked on the tcp variant;
 * where mytcp differs on purpose (TCP_SYNCNT, TCP_LINGER2: ENOPROTOOPT,
 * see Documentation/sockopts.rst) the variant says so.
 */
#include <assert.h>
#include <stddef.h>

#include "kselftest_harness.h"
#include "mytcp_helpers.h"

#ifndef SOL_TCP
#define SOL_TCP		IPPROTO_TCP
#endif
#define SOL_UDP_LEVEL	17

/* TCP_INFO as the kernel fills it; glibc's struct tcp_info is its start. */
struct tcpi {
	struct tcp_info b;
	__u64 pacing_rate;
	__u64 max_pacing_rate;
	__u64 bytes_acked;
	__u64 bytes_received;
	__u32 segs_out;
	__u32 segs_in;
	__u32 notsent_bytes;
	__u32 min_rtt;
	__u32 data_segs_in;
	__u32 data_segs_out;
	__u64 delivery_rate;
	__u64 busy_time;
	__u64 rwnd_limited;
	__u64 sndbuf_limited;
	__u32 delivered;
	__u32 delivered_ce;
	__u64 bytes_sent;
	__u64 bytes_retrans;
	__u32 dsack_dups;
	__u32 reord_seen;
	__u32 rcv_ooopack;
	__u32 snd_wnd;
	__u32 rcv_wnd;		/* 6.2 and later */
	__u32 rehash;
	__u16 total_rto;
	__u16 total_rto_recoveries;
	__u32 total_rto_time;
};

/* Layout checks against the uapi (6.1's ends after snd_wnd, at 232). */
static_assert(offsetof(struct tcpi, pacing_rate) == 104, "tcp_info layout");
static_assert(offsetof(struct tcpi, snd_wnd) == 228, "tcp_info layout");
static_assert(sizeof(struct tcpi) == 248, "tcp_info layout");

#define OPT_TS		1	/* TCPI_OPT_TIMESTAMPS */
#define OPT_SACK	2	/* TCPI_OPT_SACK */
#define OPT_WSCALE	4	/* TCPI_OPT_WSCALE */

#define ST_ESTABLISHED	1
#define ST_CLOSE	7
#define ST_LISTEN	10

FIXTURE(sockopt) {
	int lfd;
	struct sockaddr_in srv;
};

FIXTURE_VARIANT(sockopt) {
	int proto;
	const char *cc_sysctl;		/* the namespace's default algorithm */
	const char *ka_time, *ka_intvl, *ka_probes;
	int ka_div;			/* the keepalive sysctls' unit per second */
	bool no_syncnt_linger2;		/* ENOPROTOOPT, see sockopts.rst */
	int sol_mytcp_get_err;		/* getsockopt() at level SOL_MYTCP */
};

FIXTURE_VARIANT_ADD(sockopt, tcp) {
	.proto = IPPROTO_TCP,
	.cc_sysctl = "/proc/sys/net/ipv4/tcp_congestion_control",
	.ka_time = "/proc/sys/net/ipv4/tcp_keepalive_time",
	.ka_intvl = "/proc/sys/net/ipv4/tcp_keepalive_intvl",
	.ka_probes = "/proc/sys/net/ipv4/tcp_keepalive_probes",
	.ka_div = 1,
	.sol_mytcp_get_err = EOPNOTSUPP,	/* not a level TCP knows */
};

FIXTURE_VARIANT_ADD(sockopt, mytcp) {
	.proto = IPPROTO_MYTCP,
	.cc_sysctl = "/proc/sys/net/mytcp/congestion_control",
	.ka_time = "/proc/sys/net/mytcp/keepalive_time_ms",
	.ka_intvl = "/proc/sys/net/mytcp/keepalive_intvl_ms",
	.ka_probes = "/proc/sys/net/mytcp/keepalive_probes",
	.ka_div = 1000,
	.no_syncnt_linger2 = true,
	.sol_mytcp_get_err = ENOPROTOOPT,	/* its own level, unknown option */
};

FIXTURE_SETUP(sockopt)
{
	int err = test_ns_setup(variant->proto);

	self->lfd = -1;
	if (err == -EPROTONOSUPPORT)
		SKIP(return, "protocol %d unavailable (module not loaded?)",
		     variant->proto);
	ASSERT_EQ(0, err) TH_LOG("namespace setup: %s", strerror(-err));
	self->lfd = listener(variant->proto, 0, &self->srv);
	ASSERT_OK(self->lfd);
}

FIXTURE_TEARDOWN(sockopt)
{
	lo_drop_off();
	if (self->lfd >= 0)
		close(self->lfd);
}

/* setsockopt() of an int at SOL_TCP: 0 or -errno. */
static int set_int(int fd, int opt, int val)
{
	return setsockopt(fd, SOL_TCP, opt, &val, sizeof(val)) ? -errno : 0;
}

/* getsockopt() of an int at SOL_TCP: the value (>= 0) or -errno. */
static int get_int(int fd, int opt)
{
	socklen_t len = sizeof(int);
	int val = -1;

	if (getsockopt(fd, SOL_TCP, opt, &val, &len))
		return -errno;
	return len == sizeof(int) ? val : -EMSGSIZE;
}

/* TCP_INFO: the length the kernel wrote back, or -errno. */
static int get_info(int fd, struct tcpi *ti)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0xa5, sizeof(*ti));
	if (getsockopt(fd, SOL_TCP, TCP_INFO, ti, &len))
		return -errno;
	return len;
}

static int get_cc(int fd, char *name, socklen_t size)
{
	socklen_t len = size;

	memset(name, 0, size);
	if (getsockopt(fd, SOL_TCP, TCP_CONGESTION, name, &len))
		return -errno;
	return len;
}

static int set_cc(int fd, const char *name)
{
	return setsockopt(fd, SOL_TCP, TCP_CONGESTION, name, strlen(name)) ?
	       -errno : 0;
}

static long sysctl_long(const char *path)
{
	char buf[64];

	if (read_file(path, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

/* Receive exactly len bytes (bounded waits): 0 or -errno. */
static int recv_n(int fd, char *buf, size_t len)
{
	while (len) {
		int n = recv_wait(fd, buf, len);

		if (n <= 0)
			return n ? n : -EPIPE;
		buf += n;
		len -= n;
	}
	return 0;
}

/* A socket of this protocol with nothing done to it. */
static int fresh(int proto)
{
	return stream_sock(proto, 0);
}

TEST_F(sockopt, defaults)
{
	char want[32] = {}, name[32];
	int fd = fresh(variant->proto);
	struct tcpi ti;

	ASSERT_OK(fd);
	EXPECT_EQ(0, get_int(fd, TCP_NODELAY));
	EXPECT_EQ(0, get_int(fd, TCP_CORK));
	EXPECT_EQ(536, get_int(fd, TCP_MAXSEG));
	EXPECT_EQ(sysctl_long(variant->ka_time) / variant->ka_div,
		  get_int(fd, TCP_KEEPIDLE));
	EXPECT_EQ(sysctl_long(variant->ka_intvl) / variant->ka_div,
		  get_int(fd, TCP_KEEPINTVL));
	EXPECT_EQ(sysctl_long(variant->ka_probes), get_int(fd, TCP_KEEPCNT));
	EXPECT_EQ(7200, get_int(fd, TCP_KEEPIDLE));
	EXPECT_EQ(75, get_int(fd, TCP_KEEPINTVL));
	EXPECT_EQ(9, get_int(fd, TCP_KEEPCNT));
	EXPECT_EQ(0, get_int(fd, TCP_USER_TIMEOUT));
	EXPECT_EQ(1, get_int(fd, TCP_QUICKACK));

	ASSERT_EQ(0, read_file(variant->cc_sysctl, want, sizeof(want)));
	EXPECT_EQ(16, get_cc(fd, name, sizeof(name)));
	EXPECT_STREQ(want, name);

	EXPECT_LT(0, get_info(fd, &ti));
	EXPECT_EQ(ST_CLOSE, ti.b.tcpi_state);
	EXPECT_EQ(0, ti.b.tcpi_options);
	EXPECT_EQ(0, ti.b.tcpi_total_retrans);
	EXPECT_EQ(0, ti.bytes_acked);
	EXPECT_EQ(3, ti.b.tcpi_reordering);
	close(fd);
}

TEST_F(sockopt, set_and_read_back)
{
	char name[32];
	int fd = fresh(variant->proto);

	ASSERT_OK(fd);
	EXPECT_EQ(0, set_int(fd, TCP_NODELAY, 5));
	EXPECT_EQ(1, get_int(fd, TCP_NODELAY));
	EXPECT_EQ(0, set_int(fd, TCP_NODELAY, 0));
	EXPECT_EQ(0, get_int(fd, TCP_NODELAY));
	EXPECT_EQ(0, set_int(fd, TCP_CORK, -3));
	EXPECT_EQ(1, get_int(fd, TCP_CORK));
	/* NODELAY under a cork is remembered */
	EXPECT_EQ(0, set_int(fd, TCP_NODELAY, 1));
	EXPECT_EQ(1, get_int(fd, TCP_CORK));
	EXPECT_EQ(1, get_int(fd, TCP_NODELAY));
	EXPECT_EQ(0, set_int(fd, TCP_CORK, 0));
	EXPECT_EQ(0, get_int(fd, TCP_CORK));
	EXPECT_EQ(1, get_int(fd, TCP_NODELAY));

	EXPECT_EQ(0, set_int(fd, TCP_MAXSEG, 1000));
	EXPECT_EQ(1000, get_int(fd, TCP_MAXSEG));
	EXPECT_EQ(0, set_int(fd, TCP_MAXSEG, 88));
	EXPECT_EQ(88, get_int(fd, TCP_MAXSEG));
	EXPECT_EQ(0, set_int(fd, TCP_MAXSEG, 32767));
	EXPECT_EQ(32767, get_int(fd, TCP_MAXSEG));
	EXPECT_EQ(0, set_int(fd, TCP_MAXSEG, 0));	/* unset again */
	EXPECT_EQ(536, get_int(fd, TCP_MAXSEG));

	EXPECT_EQ(0, set_int(fd, TCP_KEEPIDLE, 30));
	EXPECT_EQ(30, get_int(fd, TCP_KEEPIDLE));
	EXPECT_EQ(0, set_int(fd, TCP_KEEPIDLE, 32767));
	EXPECT_EQ(32767, get_int(fd, TCP_KEEPIDLE));
	EXPECT_EQ(0, set_int(fd, TCP_KEEPINTVL, 1));
	EXPECT_EQ(1, get_int(fd, TCP_KEEPINTVL));
	EXPECT_EQ(0, set_int(fd, TCP_KEEPINTVL, 32767));
	EXPECT_EQ(32767, get_int(fd, TCP_KEEPINTVL));
	EXPECT_EQ(0, set_int(fd, TCP_KEEPCNT, 1));
	EXPECT_EQ(1, get_int(fd, TCP_KEEPCNT));
	EXPECT_EQ(0, set_int(fd, TCP_KEEPCNT, 127));
	EXPECT_EQ(127, get_int(fd, TCP_KEEPCNT));

	EXPECT_EQ(0, set_int(fd, TCP_USER_TIMEOUT, 12345));
	EXPECT_EQ(12345, get_int(fd, TCP_USER_TIMEOUT));
	EXPECT_EQ(0, set_int(fd, TCP_USER_TIMEOUT, 0x7fffffff));
	EXPECT_EQ(0x7fffffff, get_int(fd, TCP_USER_TIMEOUT));
	EXPECT_EQ(0, set_int(fd, TCP_USER_TIMEOUT, 0));
	EXPECT_EQ(0, get_int(fd, TCP_USER_TIMEOUT));

	EXPECT_EQ(0, set_int(fd, TCP_QUICKACK, 0));
	EXPECT_EQ(0, get_int(fd, TCP_QUICKACK));
	EXPECT_EQ(0, set_int(fd, TCP_QUICKACK, 1));
	EXPECT_EQ(1, get_int(fd, TCP_QUICKACK));
	EXPECT_EQ(0, set_int(fd, TCP_QUICKACK, 0));
	/* even: back to delaying only if an ACK was due; none is here */
	EXPECT_EQ(0, set_int(fd, TCP_QUICKACK, 2));
	EXPECT_EQ(1, get_int(fd, TCP_QUICKACK));

	EXPECT_EQ(0, set_cc(fd, "reno"));
	EXPECT_EQ(16, get_cc(fd, name, sizeof(name)));
	EXPECT_STREQ("reno", name);
	EXPECT_EQ(0, set_cc(fd, "cubic"));
	EXPECT_EQ(16, get_cc(fd, name, sizeof(name)));
	EXPECT_STREQ("cubic", name);
	/* the name need not be NUL-terminated; optlen bounds it */
	EXPECT_EQ(0, setsockopt(fd, SOL_TCP, TCP_CONGESTION, "renoXYZ", 4));
	EXPECT_EQ(16, get_cc(fd, name, sizeof(name)));
	EXPECT_STREQ("reno", name);
	close(fd);
}

TEST_F(sockopt, invalid_values)
{
	int fd = fresh(variant->proto), val = 1;
	char name[32];

	ASSERT_OK(fd);
	EXPECT_EQ(-EINVAL, set_int(fd, TCP_MAXSEG, 87));
	EXPECT_EQ(-EINVAL, set_int(fd, TCP_MAXSEG, 32768));
	EXPECT_EQ(-EINVAL, set_int(fd, TCP_MAXSEG, -1));
	EXPECT_EQ(-EINVAL, set_int(fd, TCP_KEEPIDLE, 0));
	EXPECT_EQ(-EINVAL, set_int(fd, TCP_KEEPIDLE, -1));
	EXPECT_EQ(-EINVAL, set_int(fd, TCP_KEEPIDLE, 32768));
	EXPECT_EQ(-EINVAL, set_int(fd, TCP_KEEPINTVL, 0));
	EXPECT_EQ(-EINVAL, set_int(fd, TCP_KEEPINTVL, -5));
	EXPECT_EQ(-EINVAL, set_int(fd, TCP_KEEPINTVL, 32768));
	EXPECT_EQ(-EINVAL, set_int(fd, TCP_KEEPCNT, 0));
	EXPECT_EQ(-EINVAL, set_int(fd, TCP_KEEPCNT, 128));
	EXPECT_EQ(-EINVAL, set_int(fd, TCP_KEEPCNT, -1));
	EXPECT_EQ(-EINVAL, set_int(fd, TCP_USER_TIMEOUT, -1));
	/* failed sets change nothing */
	EXPECT_EQ(536, get_int(fd, TCP_MAXSEG));
	EXPECT_EQ(7200, get_int(fd, TCP_KEEPIDLE));
	EXPECT_EQ(75, get_int(fd, TCP_KEEPINTVL));
	EXPECT_EQ(9, get_int(fd, TCP_KEEPCNT));
	EXPECT_EQ(0, get_int(fd, TCP_USER_TIMEOUT));

	/* short optlen: EINVAL for every int option, known or not */
	EXPECT_FAIL(EINVAL, setsockopt(fd, SOL_TCP, TCP_NODELAY, &val, 2));
	EXPECT_FAIL(EINVAL, setsockopt(fd, SOL_TCP, TCP_KEEPCNT, &val, 0));
	EXPECT_FAIL(EINVAL, setsockopt(fd, SOL_TCP, 999, &val, 3));
	EXPECT_FAIL(EINVAL, setsockopt(fd, SOL_TCP, TCP_CONGESTION, "reno", 0));
	/* a longer optlen is fine: the first int counts */
	{
		int two[2] = { 1, 77 };

		EXPECT_EQ(0, setsockopt(fd, SOL_TCP, TCP_NODELAY, two,
					sizeof(two)));
		EXPECT_EQ(1, get_int(fd, TCP_NODELAY));
	}
	/* bad pointers */
	EXPECT_FAIL(EFAULT, setsockopt(fd, SOL_TCP, TCP_NODELAY, NULL, 4));
	EXPECT_FAIL(EFAULT, setsockopt(fd, SOL_TCP, TCP_CONGESTION, NULL, 4));

	/* unknown algorithm: ENOENT, and the old one stays */
	EXPECT_EQ(0, set_cc(fd, "reno"));
	EXPECT_EQ(-ENOENT, set_cc(fd, "nosuch"));
	EXPECT_EQ(-ENOENT, set_cc(fd, "renoXYZ"));
	EXPECT_EQ(16, get_cc(fd, name, sizeof(name)));
	EXPECT_STREQ("reno", name);

	/* unknown options and levels */
	EXPECT_EQ(-ENOPROTOOPT, set_int(fd, 999, 1));
	EXPECT_EQ(-ENOPROTOOPT, get_int(fd, 999));
	EXPECT_FAIL(ENOPROTOOPT, setsockopt(fd, SOL_UDP_LEVEL, 1, &val,
					    sizeof(val)));
	EXPECT_FAIL(ENOPROTOOPT, setsockopt(fd, SOL_MYTCP, 1, &val,
					    sizeof(val)));
	{
		socklen_t len = sizeof(val);

		/* a get at a level TCP does not know goes to IP */
		EXPECT_FAIL(variant->sol_mytcp_get_err,
			    getsockopt(fd, SOL_MYTCP, 999, &val, &len));
		len = sizeof(val);
		EXPECT_FAIL(EOPNOTSUPP, getsockopt(fd, SOL_UDP_LEVEL, 1,
						   &val, &len));
	}
	close(fd);
}

/* getsockopt() lengths: min(optlen, size) is copied and written back. */
TEST_F(sockopt, get_lengths)
{
	int fd = fresh(variant->proto), ref = stream_sock(IPPROTO_TCP, 0);
	unsigned char buf[300];
	struct tcpi ti;
	socklen_t len;
	int ref_len;

	ASSERT_OK(fd);
	ASSERT_OK(ref);
	EXPECT_EQ(0, set_int(fd, TCP_MAXSEG, 0x0102 * 4));	/* 1032 */

	len = 2;
	memset(buf, 0xee, sizeof(buf));
	EXPECT_EQ(0, getsockopt(fd, SOL_TCP, TCP_MAXSEG, buf, &len));
	EXPECT_EQ(2, len);
	EXPECT_EQ(1032, buf[0] | buf[1] << 8);
	EXPECT_EQ(0xee, buf[2]);

	len = 0;
	EXPECT_EQ(0, getsockopt(fd, SOL_TCP, TCP_NODELAY, buf, &len));
	EXPECT_EQ(0, len);

	len = 64;
	EXPECT_EQ(0, getsockopt(fd, SOL_TCP, TCP_NODELAY, buf, &len));
	EXPECT_EQ(sizeof(int), len);

	len = -1;
	EXPECT_FAIL(EINVAL, getsockopt(fd, SOL_TCP, TCP_NODELAY, buf, &len));
	len = -1;
	EXPECT_FAIL(EINVAL, getsockopt(fd, SOL_TCP, TCP_INFO, buf, &len));
	len = -1;
	EXPECT_FAIL(EINVAL, getsockopt(fd, SOL_TCP, 999, buf, &len));

	len = 3;
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(0, getsockopt(fd, SOL_TCP, TCP_CONGESTION, buf, &len));
	EXPECT_EQ(3, len);
	EXPECT_EQ(3, strlen((char *)buf));

	/* TCP_INFO: as long as TCP's on this kernel, whatever we ask */
	len = sizeof(buf);
	EXPECT_EQ(0, getsockopt(ref, SOL_TCP, TCP_INFO, buf, &len));
	ref_len = len;
	EXPECT_LE(232, ref_len);
	EXPECT_EQ(ref_len, get_info(fd, &ti));
	len = sizeof(buf);
	EXPECT_EQ(0, getsockopt(fd, SOL_TCP, TCP_INFO, buf, &len));
	EXPECT_EQ(ref_len, len);
	len = 8;
	memset(buf, 0xee, sizeof(buf));
	EXPECT_EQ(0, getsockopt(fd, SOL_TCP, TCP_INFO, buf, &len));
	EXPECT_EQ(8, len);
	EXPECT_EQ(ST_CLOSE, buf[0]);
	EXPECT_EQ(0xee, buf[8]);
	len = 0;
	EXPECT_EQ(0, getsockopt(fd, SOL_TCP, TCP_INFO, buf, &len));
	EXPECT_EQ(0, len);
	close(ref);
	close(fd);
}

TEST_F(sockopt, syncnt_linger2)
{
	socklen_t len = sizeof(int);
	int fd = fresh(variant->proto), v = 0;

	ASSERT_OK(fd);
	if (variant->no_syncnt_linger2) {
		/* Not per socket in mytcp: see Documentation/sockopts.rst */
		EXPECT_EQ(-ENOPROTOOPT, set_int(fd, TCP_SYNCNT, 3));
		EXPECT_EQ(-ENOPROTOOPT, get_int(fd, TCP_SYNCNT));
		EXPECT_EQ(-ENOPROTOOPT, set_int(fd, TCP_LINGER2, 3));
		EXPECT_EQ(-ENOPROTOOPT, get_int(fd, TCP_LINGER2));
	} else {
		EXPECT_EQ(6, get_int(fd, TCP_SYNCNT));
		EXPECT_EQ(0, set_int(fd, TCP_SYNCNT, 3));
		EXPECT_EQ(3, get_int(fd, TCP_SYNCNT));
		EXPECT_EQ(-EINVAL, set_int(fd, TCP_SYNCNT, 0));
		EXPECT_EQ(-EINVAL, set_int(fd, TCP_SYNCNT, 128));
		EXPECT_EQ(60, get_int(fd, TCP_LINGER2));
		EXPECT_EQ(0, set_int(fd, TCP_LINGER2, 500));
		EXPECT_EQ(120, get_int(fd, TCP_LINGER2));
		EXPECT_EQ(0, set_int(fd, TCP_LINGER2, -7));
		EXPECT_EQ(0, getsockopt(fd, SOL_TCP, TCP_LINGER2, &v, &len));
		EXPECT_EQ(-1, v);
	}
	close(fd);
}

/* Options on a listener, a connected socket and one that is CLOSED again. */
TEST_F(sockopt, socket_states)
{
	struct tcpi ti;
	char buf[4];
	int c, s, c2;

	/* listener: user MSS reads back, TCP_INFO shows the accept queue */
	EXPECT_EQ(0, set_int(self->lfd, TCP_MAXSEG, 1200));
	EXPECT_EQ(1200, get_int(self->lfd, TCP_MAXSEG));
	EXPECT_EQ(0, set_int(self->lfd, TCP_NODELAY, 1));
	EXPECT_EQ(0, set_int(self->lfd, TCP_KEEPIDLE, 50));
	EXPECT_EQ(0, set_cc(self->lfd, "reno"));
	c2 = stream_sock(variant->proto, 0);
	ASSERT_OK(c2);
	ASSERT_OK(connect_alarm(c2, &self->srv));
	ASSERT_EQ(POLLIN, poll_fd(self->lfd, POLLIN, IO_TIMEOUT_MS));
	EXPECT_LT(0, get_info(self->lfd, &ti));
	EXPECT_EQ(ST_LISTEN, ti.b.tcpi_state);
	EXPECT_EQ(1, ti.b.tcpi_unacked);	/* children ready */
	EXPECT_EQ(16, ti.b.tcpi_sacked);	/* backlog */
	s = accept_wait(self->lfd, IO_TIMEOUT_MS);
	ASSERT_OK(s);
	close(s);
	close(c2);

	/* connected: TCP_MAXSEG is the MSS in use, clamped by the user's */
	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	EXPECT_EQ(0, set_int(c, TCP_MAXSEG, 700));
	EXPECT_LE(1000, get_int(c, TCP_MAXSEG));	/* not the 700 yet */
	EXPECT_GE(1200, get_int(c, TCP_MAXSEG));	/* listener's 1200 */
	EXPECT_GE(1200, get_int(s, TCP_MAXSEG));
	EXPECT_EQ(0, set_int(c, TCP_KEEPIDLE, 10));
	EXPECT_EQ(10, get_int(c, TCP_KEEPIDLE));
	EXPECT_EQ(0, set_int(c, TCP_QUICKACK, 1));
	EXPECT_EQ(0, set_int(c, TCP_CORK, 1));
	EXPECT_EQ(0, set_int(c, TCP_CORK, 0));
	EXPECT_EQ(0, set_cc(c, "reno"));
	EXPECT_EQ(-ENOENT, set_cc(c, "nosuch"));
	EXPECT_LT(0, get_info(c, &ti));
	EXPECT_EQ(ST_ESTABLISHED, ti.b.tcpi_state);

	/* CLOSED after a reset: options still work, TCP_INFO says CLOSE */
	ASSERT_OK(linger_zero(s));
	close(s);
	ASSERT_EQ(-ECONNRESET, recv_wait(c, buf, sizeof(buf)));
	EXPECT_LT(0, get_info(c, &ti));
	EXPECT_EQ(ST_CLOSE, ti.b.tcpi_state);
	EXPECT_EQ(700, get_int(c, TCP_MAXSEG));	/* closed: the user's */
	EXPECT_EQ(0, set_int(c, TCP_NODELAY, 1));
	EXPECT_EQ(1, get_int(c, TCP_NODELAY));
	EXPECT_EQ(0, set_int(c, TCP_KEEPIDLE, 20));
	EXPECT_EQ(20, get_int(c, TCP_KEEPIDLE));
	EXPECT_EQ(-EINVAL, set_int(c, TCP_KEEPCNT, 0));
	close(c);
}

/* What an accepted socket takes from its listener (Linux: a clone). */
TEST_F(sockopt, children_inherit)
{
	char name[32];
	int c, s, on = 1, v;
	socklen_t len = sizeof(v);

	EXPECT_EQ(0, set_int(self->lfd, TCP_NODELAY, 1));
	EXPECT_EQ(0, set_int(self->lfd, TCP_MAXSEG, 1000));
	EXPECT_EQ(0, set_int(self->lfd, TCP_KEEPIDLE, 33));
	EXPECT_EQ(0, set_int(self->lfd, TCP_KEEPINTVL, 7));
	EXPECT_EQ(0, set_int(self->lfd, TCP_KEEPCNT, 3));
	EXPECT_EQ(0, set_int(self->lfd, TCP_USER_TIMEOUT, 4321));
	EXPECT_EQ(0, set_cc(self->lfd, "reno"));
	ASSERT_EQ(0, setsockopt(self->lfd, SOL_SOCKET, SO_KEEPALIVE, &on,
				sizeof(on)));

	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	EXPECT_EQ(1, get_int(s, TCP_NODELAY));
	EXPECT_EQ(0, get_int(s, TCP_CORK));
	EXPECT_EQ(33, get_int(s, TCP_KEEPIDLE));
	EXPECT_EQ(7, get_int(s, TCP_KEEPINTVL));
	EXPECT_EQ(3, get_int(s, TCP_KEEPCNT));
	EXPECT_EQ(4321, get_int(s, TCP_USER_TIMEOUT));
	EXPECT_EQ(1, get_int(s, TCP_QUICKACK));
	EXPECT_EQ(0, getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &len));
	EXPECT_EQ(1, v);
	EXPECT_EQ(16, get_cc(s, name, sizeof(name)));
	EXPECT_STREQ("reno", name);
	/* the listener's MSS clamps both directions */
	EXPECT_GE(1000, get_int(s, TCP_MAXSEG));
	EXPECT_LT(500, get_int(s, TCP_MAXSEG));
	EXPECT_GE(1000, get_int(c, TCP_MAXSEG));
	EXPECT_LT(500, get_int(c, TCP_MAXSEG));
	/* the client had none of it */
	EXPECT_EQ(0, get_int(c, TCP_NODELAY));
	EXPECT_EQ(0, get_int(c, TCP_USER_TIMEOUT));
	close(c);
	close(s);

	/* a corked listener makes corked children */
	EXPECT_EQ(0, set_int(self->lfd, TCP_CORK, 1));
	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	EXPECT_EQ(1, get_int(s, TCP_CORK));
	close(c);
	close(s);
}

/* Wait until everything c sent is acknowledged: 0 or -ETIMEDOUT. */
static int wait_acked(int fd, struct tcpi *ti)
{
	long long end = now_ms() + IO_TIMEOUT_MS;

	do {
		if (get_info(fd, ti) < 0)
			return -EINVAL;
		if (!ti->b.tcpi_unacked && !ti->notsent_bytes)
			return 0;
		sleep_ms(5);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

#define XFER_BYTES	200000

TEST_F(sockopt, tcp_info_after_transfer)
{
	static char buf[XFER_BYTES];
	int c_snd, c_rcv, s_snd, s_rcv;
	struct tcpi ci, si;
	int c, s, i, n;

	for (i = 0; i < XFER_BYTES; i++)
		buf[i] = i * 7;
	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	n = send(c, buf, XFER_BYTES, MSG_NOSIGNAL);
	ASSERT_EQ(XFER_BYTES, n);
	ASSERT_OK(recv_n(s, buf, XFER_BYTES));
	ASSERT_EQ(0, send_all(s, "0123456789"));
	ASSERT_OK(recv_n(c, buf, 10));
	ASSERT_OK(wait_acked(c, &ci));
	ASSERT_OK(wait_acked(s, &si));

	EXPECT_EQ(ST_ESTABLISHED, ci.b.tcpi_state);
	EXPECT_EQ(ST_ESTABLISHED, si.b.tcpi_state);
	EXPECT_EQ(0, ci.b.tcpi_ca_state);
	EXPECT_EQ(0, ci.b.tcpi_retransmits);
	EXPECT_EQ(0, ci.b.tcpi_probes);
	EXPECT_EQ(0, ci.b.tcpi_backoff);
	/* default sysctls: all three on both ends */
	EXPECT_EQ(OPT_TS | OPT_SACK | OPT_WSCALE, ci.b.tcpi_options & 7);
	EXPECT_EQ(OPT_TS | OPT_SACK | OPT_WSCALE, si.b.tcpi_options & 7);
	c_snd = ci.b.tcpi_snd_wscale;
	c_rcv = ci.b.tcpi_rcv_wscale;
	s_snd = si.b.tcpi_snd_wscale;
	s_rcv = si.b.tcpi_rcv_wscale;
	TH_LOG("wscale: client snd %d rcv %d", c_snd, c_rcv);
	EXPECT_EQ(c_snd, s_rcv);
	EXPECT_EQ(c_rcv, s_snd);
	EXPECT_LT(0, c_rcv);
	EXPECT_GE(14, c_rcv);

	/* RTO: at least the 200 ms floor, far below the 1 s initial value */
	EXPECT_LE(200000, ci.b.tcpi_rto);
	EXPECT_GT(1000000, ci.b.tcpi_rto);
	EXPECT_LT(0, ci.b.tcpi_ato);
	EXPECT_GE(500000, ci.b.tcpi_ato);

	/* lo: IPv4 caps its MTU at 65535; MSS 65495 less 12 of timestamps */
	EXPECT_EQ(65535, ci.b.tcpi_pmtu);
	/* Linux may bound it by half the largest window it saw so far */
	EXPECT_GE(65483, ci.b.tcpi_snd_mss);
	if (variant->proto != IPPROTO_TCP)
		EXPECT_EQ(65483, ci.b.tcpi_snd_mss);
	/* Linux bounds it by half the largest window seen: may differ */
	EXPECT_LE(536, si.b.tcpi_snd_mss);
	EXPECT_GE(65483, si.b.tcpi_snd_mss);
	EXPECT_LT(0, si.b.tcpi_rcv_mss);
	EXPECT_GE(65483, si.b.tcpi_rcv_mss);
	EXPECT_LT(0, ci.b.tcpi_advmss);
	EXPECT_GE(65495, ci.b.tcpi_advmss);

	EXPECT_EQ(0, ci.b.tcpi_unacked);
	EXPECT_EQ(0, ci.b.tcpi_sacked);
	EXPECT_EQ(0, ci.b.tcpi_lost);
	EXPECT_EQ(0, ci.b.tcpi_retrans);
	EXPECT_EQ(0, ci.b.tcpi_total_retrans);
	EXPECT_EQ(0, si.b.tcpi_total_retrans);
	EXPECT_EQ(0, ci.bytes_retrans);

	EXPECT_GT(IO_TIMEOUT_MS, ci.b.tcpi_last_data_sent);
	EXPECT_GT(IO_TIMEOUT_MS, ci.b.tcpi_last_data_recv);
	EXPECT_GT(IO_TIMEOUT_MS, ci.b.tcpi_last_ack_recv);
	EXPECT_GT(IO_TIMEOUT_MS, si.b.tcpi_last_data_recv);

	EXPECT_LT(0, ci.b.tcpi_rtt);
	EXPECT_GT(1000000, ci.b.tcpi_rtt);
	EXPECT_LT(0, ci.min_rtt);
	EXPECT_GE(ci.b.tcpi_rtt * 4, ci.min_rtt);
	EXPECT_LE(2, ci.b.tcpi_snd_cwnd);
	EXPECT_LT(0, ci.b.tcpi_snd_ssthresh);
	EXPECT_EQ(3, ci.b.tcpi_reordering);
	EXPECT_LT(0, si.b.tcpi_rcv_ssthresh);

	/* Linux counts the active opener's SYN, not the SYN-ACK */
	EXPECT_EQ(XFER_BYTES + 1, ci.bytes_acked);
	EXPECT_EQ(XFER_BYTES, ci.bytes_sent);
	EXPECT_EQ(10, ci.bytes_received);
	EXPECT_EQ(XFER_BYTES, si.bytes_received);
	EXPECT_EQ(10, si.bytes_acked);
	EXPECT_EQ(10, si.bytes_sent);

	EXPECT_LE(XFER_BYTES / 65483, ci.data_segs_out);
	EXPECT_LE(ci.data_segs_out, ci.segs_out);
	EXPECT_LE(1, ci.data_segs_in);
	EXPECT_LE(ci.data_segs_in, ci.segs_in);
	EXPECT_LE(XFER_BYTES / 65483, si.data_segs_in);
	EXPECT_EQ(0, ci.notsent_bytes);
	EXPECT_LT(0, ci.snd_wnd);
	close(c);
	close(s);
}

/*
 * TCP_NODELAY: 50 one-byte writes while every ACK from the peer is
 * dropped. With Nagle only the first goes out (the rest wait for its
 * ACK); without, each goes at once until cwnd (10 or a little more) is
 * full.
 */
static int tiny_writes_segs(int proto, int lfd, const struct sockaddr_in *srv,
			    bool nodelay, int *segs)
{
	struct sockaddr_in ca, sa;
	struct tcpi before, after;
	char buf[64];
	int c, s, i, err;

	err = connect_pair(proto, lfd, srv, &c, &s);
	if (err)
		return err;
	if (set_int(c, TCP_NODELAY, nodelay) || sock_name(c, &ca) ||
	    sock_name(s, &sa)) {
		err = -EINVAL;
		goto out;
	}
	/* Let the handshake's ACK-at-once phase be over on both sides. */
	for (i = 0; i < 20 && !err; i++)
		err = send_all(c, "x") ?: recv_n(s, buf, 1) ?:
		      send_all(s, "y") ?: recv_n(c, buf, 1);
	if (err || wait_acked(c, &before) || wait_acked(s, &before))
		goto out;
	err = lo_drop("ingress", proto, ntohs(sa.sin_port),
		      ntohs(ca.sin_port), 0, 0);
	if (err)
		goto out;
	get_info(c, &before);
	for (i = 0; i < 50; i++)
		if (send(c, "z", 1, MSG_NOSIGNAL) != 1)
			break;
	get_info(c, &after);
	*segs = after.data_segs_out - before.data_segs_out;
	lo_drop_off();
	/* all of it arrives once the ACKs flow again */
	err = recv_n(s, buf, 50);
out:
	close(c);
	close(s);
	return err;
}

TEST_F_TIMEOUT(sockopt, nodelay_sends_at_once, 60)
{
	int nagle = -1, nodelay = -1;

	ASSERT_OK(tiny_writes_segs(variant->proto, self->lfd, &self->srv,
				   false, &nagle));
	ASSERT_OK(tiny_writes_segs(variant->proto, self->lfd, &self->srv,
				   true, &nodelay));
	TH_LOG("data segments for 50 tiny writes: Nagle %d, NODELAY %d",
	       nagle, nodelay);
	EXPECT_EQ(1, nagle);
	EXPECT_LE(5, nodelay);
	EXPECT_GE(50, nodelay);
}

TEST_F(sockopt, cork_holds_until_uncorked)
{
	char buf[200];
	long long t0;
	int c, s;

	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	ASSERT_EQ(0, set_int(c, TCP_CORK, 1));
	ASSERT_EQ(0, send_all(c, "corked request"));
	EXPECT_EQ(0, poll_fd(s, POLLIN, 100));	/* nothing while corked */
	t0 = now_ms();
	ASSERT_EQ(0, set_int(c, TCP_CORK, 0));
	EXPECT_EQ(POLLIN, poll_fd(s, POLLIN, 1000));
	EXPECT_GT(500, now_ms() - t0);
	EXPECT_EQ(0, recv_n(s, buf, 14));
	EXPECT_EQ(0, memcmp(buf, "corked request", 14));

	/* setting TCP_NODELAY pushes what a cork holds, once */
	ASSERT_EQ(0, set_int(c, TCP_CORK, 1));
	ASSERT_EQ(0, send_all(c, "abc"));
	EXPECT_EQ(0, poll_fd(s, POLLIN, 100));
	ASSERT_EQ(0, set_int(c, TCP_NODELAY, 1));
	EXPECT_EQ(POLLIN, poll_fd(s, POLLIN, 1000));
	EXPECT_EQ(0, recv_n(s, buf, 3));
	/* ... and the cork stays for what comes next */
	EXPECT_EQ(1, get_int(c, TCP_CORK));
	ASSERT_EQ(0, send_all(c, "def"));
	EXPECT_EQ(0, poll_fd(s, POLLIN, 100));
	ASSERT_EQ(0, set_int(c, TCP_CORK, 0));
	EXPECT_EQ(POLLIN, poll_fd(s, POLLIN, 1000));
	EXPECT_EQ(0, recv_n(s, buf, 3));
	close(c);
	close(s);
}

/* TCP_MAXSEG bounds the segments either end sees. */
TEST_F(sockopt, maxseg_clamps_segments)
{
	static char buf[100000];
	struct tcpi ci, si;
	int c, s;

	c = stream_sock(variant->proto, 0);
	ASSERT_OK(c);
	ASSERT_EQ(0, set_int(c, TCP_MAXSEG, 600));
	ASSERT_EQ(0, set_int(self->lfd, TCP_MAXSEG, 1000));
	ASSERT_OK(connect_alarm(c, &self->srv));
	s = accept_wait(self->lfd, IO_TIMEOUT_MS);
	ASSERT_OK(s);

	memset(buf, 'm', sizeof(buf));
	ASSERT_EQ(sizeof(buf), send(c, buf, sizeof(buf), MSG_NOSIGNAL));
	ASSERT_OK(recv_n(s, buf, sizeof(buf)));
	ASSERT_EQ(sizeof(buf), send(s, buf, sizeof(buf), MSG_NOSIGNAL));
	ASSERT_OK(recv_n(c, buf, sizeof(buf)));
	ASSERT_OK(wait_acked(c, &ci));
	ASSERT_OK(wait_acked(s, &si));
	TH_LOG("client snd_mss %u rcv_mss %u, server snd_mss %u rcv_mss %u",
	       ci.b.tcpi_snd_mss, ci.b.tcpi_rcv_mss, si.b.tcpi_snd_mss,
	       si.b.tcpi_rcv_mss);
	/*
	 * The smaller, the client's 600, rules both directions: it is what
	 * the client offers and also clamps what it sends with.
	 */
	EXPECT_GE(600, ci.b.tcpi_snd_mss);
	EXPECT_LT(400, ci.b.tcpi_snd_mss);
	EXPECT_GE(600, si.b.tcpi_rcv_mss);
	EXPECT_LT(0, si.b.tcpi_rcv_mss);
	EXPECT_GE(600, si.b.tcpi_snd_mss);
	EXPECT_LT(400, si.b.tcpi_snd_mss);
	EXPECT_GE(600, ci.b.tcpi_rcv_mss);
	EXPECT_LT(0, ci.b.tcpi_rcv_mss);
	close(c);
	close(s);
}

/* SO_KEEPALIVE with TCP_KEEPIDLE/INTVL/CNT: probes while idle. */
TEST_F_TIMEOUT(sockopt, keepalive_probes, 60)
{
	struct tcpi s0, s1, c1;
	int c, s, on = 1;

	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	ASSERT_EQ(0, set_int(c, TCP_KEEPIDLE, 1));
	ASSERT_EQ(0, set_int(c, TCP_KEEPINTVL, 1));
	ASSERT_EQ(0, set_int(c, TCP_KEEPCNT, 3));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)));
	ASSERT_LT(0, get_info(s, &s0));
	sleep_ms(3500);
	ASSERT_LT(0, get_info(s, &s1));
	ASSERT_LT(0, get_info(c, &c1));
	TH_LOG("server segs_in %u -> %u", s0.segs_in, s1.segs_in);
	/* a probe after 1 s idle, then one a second: about three */
	EXPECT_LE(2, s1.segs_in - s0.segs_in);
	EXPECT_GE(5, s1.segs_in - s0.segs_in);
	EXPECT_EQ(s0.data_segs_in, s1.data_segs_in);
	EXPECT_EQ(ST_ESTABLISHED, c1.b.tcpi_state);
	EXPECT_EQ(0, c1.b.tcpi_probes);		/* each one answered */
	close(c);
	close(s);
}

/* A peer that never answers: ETIMEDOUT after idle + KEEPCNT probes. */
TEST_F_TIMEOUT(sockopt, keepalive_gives_up, 60)
{
	struct sockaddr_in ca;
	int c, s, on = 1;
	long long t0;
	char b;

	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	ASSERT_OK(sock_name(c, &ca));
	ASSERT_EQ(0, set_int(c, TCP_KEEPIDLE, 1));
	ASSERT_EQ(0, set_int(c, TCP_KEEPINTVL, 1));
	ASSERT_EQ(0, set_int(c, TCP_KEEPCNT, 2));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)));
	/*
	 * The probes never reach the server. Dropped past the sender
	 * (ingress): a drop at egress is local congestion, which both
	 * retry without counting a probe.
	 */
	ASSERT_OK(lo_drop("ingress", variant->proto, ntohs(ca.sin_port),
			  ntohs(self->srv.sin_port), 0, 0));
	t0 = now_ms();
	EXPECT_NE(0, poll_fd(c, POLLIN, 10000));
	TH_LOG("gave up after %lld ms", now_ms() - t0);
	EXPECT_EQ(-1, recv(c, &b, 1, MSG_DONTWAIT));
	EXPECT_EQ(ETIMEDOUT, errno);
	/* idle 1 s, then 2 probes 1 s apart: Linux gives up after ~2 s */
	EXPECT_LE(1500, now_ms() - t0);
	lo_drop_off();
	close(c);
	close(s);
}

TEST_HARNESS_MAIN
