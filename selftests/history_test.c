// SPDX-License-Identifier: GPL-2.0
/*
 * The per-socket state history (getsockopt SOL_MYTCP
 * MYTCP_STATE_HISTORY): every transition of an active and a passive
 * open and close, with the segment that caused it as seen on lo by an
 * AF_PACKET tap; an RST; a SYN that times out; the ring's wrap; the
 * option's errnos, and that SOL_MYTCP means nothing to Linux TCP.
 * mytcp only (it is mytcp's own option); Linux TCP where it is about
 * Linux TCP.
 */
#include <assert.h>
#include <stddef.h>

#include "kselftest_harness.h"
#include "mytcp_helpers.h"

/* The layout user space relies on (Documentation/sockopts.rst). */
static_assert(sizeof(struct mytcp_state_transition) == 32, "entry size");
static_assert(offsetof(struct mytcp_state_transition, mst_seq) == 16,
	      "entry layout");
static_assert(offsetof(struct mytcp_state_history, msh_entries) == 8,
	      "header size");
static_assert(sizeof(struct mytcp_state_history) == 8 + 16 * 32,
	      "history size");

#define HDR	offsetof(struct mytcp_state_history, msh_entries)
#define ENTRY	sizeof(struct mytcp_state_transition)

FIXTURE(history) {
	struct sysctl_log sysctls;
};

FIXTURE_SETUP(history)
{
	int err = test_ns_setup(IPPROTO_MYTCP);

	self->sysctls.n = 0;
	if (err == -EPROTONOSUPPORT)
		SKIP(return, "mytcp unavailable (module not loaded?)");
	ASSERT_EQ(0, err) TH_LOG("namespace setup: %s", strerror(-err));
}

FIXTURE_TEARDOWN(history)
{
	lo_drop_off();
	EXPECT_EQ(0, sysctl_restore(&self->sysctls));
}

/* MYTCP_STATE_HISTORY with room for @n entries: optlen, or -errno. */
static int hist_get_n(int fd, struct mytcp_state_history *h, int n)
{
	socklen_t len = HDR + n * ENTRY;

	memset(h, 0xa5, sizeof(*h));
	if (getsockopt(fd, SOL_MYTCP, MYTCP_STATE_HISTORY, h, &len))
		return -errno;
	return len;
}

static int hist_get(int fd, struct mytcp_state_history *h)
{
	return hist_get_n(fd, h, MYTCP_STATE_HISTORY_LEN);
}

static int tcpi_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return -errno;
	return ti.tcpi_state;
}

static unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Wait until TCP_INFO says @state: 0, or -ETIMEDOUT. */
static int wait_state(int fd, int state)
{
	long long end = now_ms() + IO_TIMEOUT_MS;

	while (tcpi_state(fd) != state) {
		if (now_ms() > end)
			return -ETIMEDOUT;
		sleep_ms(5);
	}
	return 0;
}

/* The next ACK from @src to @dst that acknowledges @ack: 1, 0, -errno. */
static int sniff_ack(int sn, const struct sockaddr_in *src,
		     const struct sockaddr_in *dst, __u32 ack, struct seg *s)
{
	int n;

	/* Skip ACKs of earlier data still queued on the tap. */
	do {
		n = sniff_for(sn, IPPROTO_MYTCP, src, dst, 0xff, F_ACK, s, 1000);
	} while (n == 1 && s->ack != ack);
	return n;
}

/* Entry @i is @from -> @to caused by @cause (the harness logs @i). */
#define EXPECT_STEP(h, i, f, t, c) do { \
	int __i = (i); \
	const struct mytcp_state_transition *__e = &(h)->msh_entries[__i]; \
	EXPECT_EQ(f, __e->mst_from) TH_LOG("entry %d from", __i); \
	EXPECT_EQ(t, __e->mst_to) TH_LOG("entry %d to", __i); \
	EXPECT_EQ(c, __e->mst_cause) TH_LOG("entry %d cause", __i); \
	EXPECT_EQ(0, __e->mst_reserved); \
	EXPECT_EQ(0, __e->mst_reserved2); \
} while (0)

/* Entry @i was caused by segment @s, field for field. */
#define EXPECT_SEG(h, i, s) do { \
	int __i = (i); \
	const struct mytcp_state_transition *__e = &(h)->msh_entries[__i]; \
	const struct seg *__s = (s); \
	EXPECT_EQ(MYTCP_CAUSE_SEGMENT, __e->mst_cause) TH_LOG("entry %d", __i); \
	EXPECT_EQ(__s->flags, __e->mst_flags) TH_LOG("entry %d flags", __i); \
	EXPECT_EQ(__s->seq, __e->mst_seq) TH_LOG("entry %d seq", __i); \
	EXPECT_EQ(__s->ack, __e->mst_ack) TH_LOG("entry %d ack", __i); \
	EXPECT_EQ(__s->win, __e->mst_window) TH_LOG("entry %d window", __i); \
	EXPECT_EQ(__s->len, (int)__e->mst_len) TH_LOG("entry %d len", __i); \
} while (0)

/* Timestamps never go back and lie within [t0, now]. */
#define EXPECT_TIMES(h, t0) do { \
	const struct mytcp_state_history *__h = (h); \
	unsigned long long __now = mono_ns(); \
	__u32 __i; \
	for (__i = 0; __i < __h->msh_count; __i++) { \
		EXPECT_LE(t0, __h->msh_entries[__i].mst_time_ns); \
		EXPECT_GE(__now, __h->msh_entries[__i].mst_time_ns); \
		if (__i) \
			EXPECT_LE(__h->msh_entries[__i - 1].mst_time_ns, \
				  __h->msh_entries[__i].mst_time_ns); \
	} \
} while (0)

/*
 * Read-only options, sizes and errnos; on Linux TCP level 253 is an
 * unknown level: getsockopt EOPNOTSUPP and setsockopt ENOPROTOOPT
 * (ip_getsockopt/ip_setsockopt), which this asserts.
 */
TEST_F(history, sockopt_api)
{
	struct mytcp_state_history h;
	socklen_t len;
	__u32 count;
	int fd, tfd, val = 1;

	fd = stream_sock(IPPROTO_MYTCP, 0);
	ASSERT_OK(fd);
	/* A new socket has no history. */
	EXPECT_EQ((int)HDR, hist_get(fd, &h));
	EXPECT_EQ(0, h.msh_total);
	EXPECT_EQ(0, h.msh_count);
	len = sizeof(count);
	count = 99;
	EXPECT_EQ(0, getsockopt(fd, SOL_MYTCP, MYTCP_STATE_HISTORY_COUNT,
				&count, &len));
	EXPECT_EQ(sizeof(count), len);
	EXPECT_EQ(0, count);

	/* Shorter than the two counters; negative. */
	len = HDR - 1;
	EXPECT_FAIL(EINVAL, getsockopt(fd, SOL_MYTCP, MYTCP_STATE_HISTORY,
				       &h, &len));
	len = -1;
	EXPECT_FAIL(EINVAL, getsockopt(fd, SOL_MYTCP, MYTCP_STATE_HISTORY,
				       &h, &len));
	/* Unknown options; setting is refused as TCP_INFO's set is. */
	len = sizeof(val);
	EXPECT_FAIL(ENOPROTOOPT, getsockopt(fd, SOL_MYTCP, 0, &val, &len));
	EXPECT_FAIL(ENOPROTOOPT, getsockopt(fd, SOL_MYTCP, 99, &val, &len));
	EXPECT_FAIL(ENOPROTOOPT, setsockopt(fd, SOL_MYTCP, MYTCP_STATE_HISTORY,
					    &h, sizeof(h)));
	EXPECT_FAIL(ENOPROTOOPT, setsockopt(fd, SOL_MYTCP,
					    MYTCP_STATE_HISTORY_COUNT,
					    &val, sizeof(val)));
	EXPECT_FAIL(ENOPROTOOPT, setsockopt(fd, IPPROTO_TCP, TCP_INFO,
					    &val, sizeof(val)));
	close(fd);

	tfd = stream_sock(IPPROTO_TCP, 0);
	ASSERT_OK(tfd);
	len = sizeof(h);
	EXPECT_FAIL(EOPNOTSUPP, getsockopt(tfd, SOL_MYTCP, MYTCP_STATE_HISTORY,
					   &h, &len));
	EXPECT_FAIL(ENOPROTOOPT, setsockopt(tfd, SOL_MYTCP,
					    MYTCP_STATE_HISTORY, &val,
					    sizeof(val)));
	EXPECT_FAIL(ENOPROTOOPT, setsockopt(tfd, IPPROTO_TCP, TCP_INFO,
					    &val, sizeof(val)));
	close(tfd);
}

/*
 * Active open and close on the client, passive open and close on the
 * accepted child, with a little data both ways; every segment cause
 * compared with the segment seen on lo. shutdown(SHUT_WR) on both
 * sides keeps the fds (and the histories) to the end.
 */
TEST_F(history, open_close_both_sides)
{
	struct seg syn, synack, ack, cfin_ack, sfin, sfin_ack, cfin;
	struct mytcp_state_history h;
	struct sockaddr_in srv, cl;
	unsigned long long t0;
	int lfd, c, s, sn;
	char buf[16];

	sn = sniff_open();
	ASSERT_OK(sn);
	lfd = listener(IPPROTO_MYTCP, 0, &srv);
	ASSERT_OK(lfd);
	c = stream_sock(IPPROTO_MYTCP, 0);
	ASSERT_OK(c);
	t0 = mono_ns();
	ASSERT_OK(connect_alarm(c, &srv));
	s = accept_wait(lfd, IO_TIMEOUT_MS);
	ASSERT_OK(s);
	ASSERT_EQ(0, sock_name(c, &cl));
	ASSERT_EQ(1, sniff_for(sn, IPPROTO_MYTCP, &cl, &srv, 0xff, F_SYN,
			       &syn, 1000));
	ASSERT_EQ(1, sniff_for(sn, IPPROTO_MYTCP, &srv, &cl, 0xff,
			       F_SYN | F_ACK, &synack, 1000));
	ASSERT_EQ(1, sniff_ack(sn, &cl, &srv, synack.seq + 1, &ack));

	/* The listener: CLOSED -> LISTEN by listen(), nothing else. */
	ASSERT_EQ((int)(HDR + ENTRY), hist_get(lfd, &h));
	EXPECT_EQ(1, h.msh_total);
	EXPECT_STEP(&h, 0, TCP_CLOSE, TCP_LISTEN, MYTCP_CAUSE_LISTEN);

	/* Data both ways, then the client's half-close. */
	ASSERT_EQ(0, send_all(c, "hello"));
	ASSERT_EQ(5, recv_wait(s, buf, sizeof(buf)));
	ASSERT_EQ(0, send_all(s, "goodbye"));
	ASSERT_EQ(7, recv_wait(c, buf, sizeof(buf)));
	sniff_drain(sn);
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	ASSERT_EQ(1, sniff_for(sn, IPPROTO_MYTCP, &cl, &srv, F_FIN, F_FIN,
			       &cfin, 1000));
	ASSERT_EQ(1, sniff_ack(sn, &srv, &cl, cfin.seq + 1, &cfin_ack));
	ASSERT_EQ(0, recv_wait(s, buf, sizeof(buf)));
	ASSERT_EQ(0, wait_state(c, TCP_FIN_WAIT2));
	ASSERT_EQ(TCP_CLOSE_WAIT, tcpi_state(s));
	ASSERT_EQ(0, shutdown(s, SHUT_WR));
	ASSERT_EQ(1, sniff_for(sn, IPPROTO_MYTCP, &srv, &cl, F_FIN, F_FIN,
			       &sfin, 1000));
	ASSERT_EQ(1, sniff_ack(sn, &cl, &srv, sfin.seq + 1, &sfin_ack));
	ASSERT_EQ(0, recv_wait(c, buf, sizeof(buf)));
	ASSERT_EQ(0, wait_state(s, TCP_CLOSE));
	ASSERT_EQ(0, wait_state(c, TCP_CLOSE));

	/* Our segments carry what we know of the connection. */
	EXPECT_EQ(syn.seq + 1, synack.ack);
	EXPECT_EQ(syn.seq + 1 + 5, cfin.seq);
	EXPECT_EQ(synack.seq + 1 + 7, sfin.seq);

	/*
	 * Client: the SYN-ACK, the ACK of its FIN, the server's FIN; and
	 * TIME-WAIT -> CLOSED as a TIME-WAIT entry takes the connection.
	 */
	ASSERT_EQ((int)(HDR + 6 * ENTRY), hist_get(c, &h));
	EXPECT_EQ(6, h.msh_total);
	EXPECT_EQ(6, h.msh_count);
	EXPECT_STEP(&h, 0, TCP_CLOSE, TCP_SYN_SENT, MYTCP_CAUSE_CONNECT);
	EXPECT_EQ(0, h.msh_entries[0].mst_flags);
	EXPECT_EQ(0, h.msh_entries[0].mst_seq);
	EXPECT_STEP(&h, 1, TCP_SYN_SENT, TCP_ESTABLISHED, MYTCP_CAUSE_SEGMENT);
	EXPECT_SEG(&h, 1, &synack);
	EXPECT_STEP(&h, 2, TCP_ESTABLISHED, TCP_FIN_WAIT1,
		    MYTCP_CAUSE_SHUTDOWN);
	EXPECT_STEP(&h, 3, TCP_FIN_WAIT1, TCP_FIN_WAIT2, MYTCP_CAUSE_SEGMENT);
	EXPECT_SEG(&h, 3, &cfin_ack);
	EXPECT_EQ(cfin.seq + 1, h.msh_entries[3].mst_ack);
	EXPECT_STEP(&h, 4, TCP_FIN_WAIT2, TCP_TIME_WAIT, MYTCP_CAUSE_SEGMENT);
	EXPECT_SEG(&h, 4, &sfin);
	EXPECT_STEP(&h, 5, TCP_TIME_WAIT, TCP_CLOSE, MYTCP_CAUSE_TIME_WAIT);
	EXPECT_TIMES(&h, t0);

	/* The child: its request's SYN and ACK, then its own close. */
	ASSERT_EQ((int)(HDR + 5 * ENTRY), hist_get(s, &h));
	EXPECT_EQ(5, h.msh_total);
	EXPECT_STEP(&h, 0, TCP_LISTEN, TCP_SYN_RECV, MYTCP_CAUSE_SEGMENT);
	EXPECT_SEG(&h, 0, &syn);
	EXPECT_STEP(&h, 1, TCP_SYN_RECV, TCP_ESTABLISHED, MYTCP_CAUSE_SEGMENT);
	EXPECT_SEG(&h, 1, &ack);
	EXPECT_EQ(synack.seq + 1, h.msh_entries[1].mst_ack);
	EXPECT_STEP(&h, 2, TCP_ESTABLISHED, TCP_CLOSE_WAIT,
		    MYTCP_CAUSE_SEGMENT);
	EXPECT_SEG(&h, 2, &cfin);
	EXPECT_STEP(&h, 3, TCP_CLOSE_WAIT, TCP_LAST_ACK, MYTCP_CAUSE_SHUTDOWN);
	EXPECT_STEP(&h, 4, TCP_LAST_ACK, TCP_CLOSE, MYTCP_CAUSE_SEGMENT);
	EXPECT_SEG(&h, 4, &sfin_ack);
	EXPECT_EQ(sfin.seq + 1, h.msh_entries[4].mst_ack);
	EXPECT_TIMES(&h, t0);

	close(c);
	close(s);
	close(lfd);
	close(sn);
}

/* An RST from the peer: ESTABLISHED -> CLOSED, caused by that RST. */
TEST_F(history, rst)
{
	struct mytcp_state_history h;
	struct sockaddr_in srv, cl;
	int lfd, c, s, sn;
	struct seg rst;
	char buf[4];

	sn = sniff_open();
	ASSERT_OK(sn);
	lfd = listener(IPPROTO_MYTCP, 0, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(IPPROTO_MYTCP, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	ASSERT_OK(linger_zero(s));
	close(s);
	ASSERT_EQ(1, sniff_for(sn, IPPROTO_MYTCP, &srv, &cl, F_RST, F_RST,
			       &rst, 1000));
	EXPECT_ERRNO(ECONNRESET, recv_wait(c, buf, sizeof(buf)));
	EXPECT_EQ(TCP_CLOSE, tcpi_state(c));

	ASSERT_EQ((int)(HDR + 3 * ENTRY), hist_get(c, &h));
	EXPECT_STEP(&h, 2, TCP_ESTABLISHED, TCP_CLOSE, MYTCP_CAUSE_SEGMENT);
	EXPECT_SEG(&h, 2, &rst);
	EXPECT_TRUE(h.msh_entries[2].mst_flags & F_RST);
	close(c);
	close(lfd);
	close(sn);
}

/* SYNs lost until syn_retries run out: SYN-SENT -> CLOSED by the timer. */
TEST_F(history, syn_timeout)
{
	struct mytcp_state_history h;
	struct sockaddr_in srv;
	int lfd, c;

	ASSERT_EQ(0, sysctl_set(&self->sysctls,
				"/proc/sys/net/mytcp/syn_retries", "1"));
	ASSERT_EQ(0, sysctl_set(&self->sysctls,
				"/proc/sys/net/mytcp/rto_initial_ms", "100"));
	lfd = listener(IPPROTO_MYTCP, 0, &srv);
	ASSERT_OK(lfd);
	if (lo_drop("ingress", IPPROTO_MYTCP, 0, ntohs(srv.sin_port), 0, 0))
		SKIP(return, "tc u32 filters unavailable");
	c = stream_sock(IPPROTO_MYTCP, 0);
	ASSERT_OK(c);
	EXPECT_ERRNO(ETIMEDOUT, connect_alarm(c, &srv));

	ASSERT_EQ((int)(HDR + 2 * ENTRY), hist_get(c, &h));
	EXPECT_EQ(2, h.msh_total);
	EXPECT_STEP(&h, 0, TCP_CLOSE, TCP_SYN_SENT, MYTCP_CAUSE_CONNECT);
	EXPECT_STEP(&h, 1, TCP_SYN_SENT, TCP_CLOSE, MYTCP_CAUSE_RTO);
	EXPECT_EQ(0, h.msh_entries[1].mst_flags);
	EXPECT_EQ(0, h.msh_entries[1].mst_seq);
	/* Two RTOs: 100 ms, then 200 ms. */
	EXPECT_LE(300000000ULL, h.msh_entries[1].mst_time_ns -
				h.msh_entries[0].mst_time_ns);
	close(c);
	close(lfd);
}

/*
 * A socket connecting to its own address opens simultaneously (RFC 9293
 * Figure 7): SYN-SENT -> SYN-RECEIVED on its own SYN, ESTABLISHED on an
 * ACK of it.
 */
TEST_F(history, simultaneous_open)
{
	struct mytcp_state_history h;
	struct sockaddr_in a = lo_addr(0);
	const struct mytcp_state_transition *e;
	int c;

	c = stream_sock(IPPROTO_MYTCP, 0);
	ASSERT_OK(c);
	ASSERT_EQ(0, bind(c, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, sock_name(c, &a));
	ASSERT_OK(connect_alarm(c, &a));

	ASSERT_EQ((int)(HDR + 3 * ENTRY), hist_get(c, &h));
	e = h.msh_entries;
	EXPECT_STEP(&h, 0, TCP_CLOSE, TCP_SYN_SENT, MYTCP_CAUSE_CONNECT);
	EXPECT_STEP(&h, 1, TCP_SYN_SENT, TCP_SYN_RECV, MYTCP_CAUSE_SEGMENT);
	EXPECT_EQ(F_SYN, e[1].mst_flags);
	EXPECT_STEP(&h, 2, TCP_SYN_RECV, TCP_ESTABLISHED, MYTCP_CAUSE_SEGMENT);
	EXPECT_TRUE(e[2].mst_flags & F_ACK);
	/* Its own SYN: the ACK acknowledges what the SYN carried. */
	EXPECT_EQ(e[1].mst_seq + 1, e[2].mst_ack);
	EXPECT_EQ(e[1].mst_seq + 1, e[2].mst_seq);
	close(c);
}

/*
 * Keepalive probes that draw no answer (the peer's segments dropped):
 * ESTABLISHED -> CLOSED by the keepalive timer, after idle + interval.
 */
TEST_F(history, keepalive_timeout)
{
	struct mytcp_state_history h;
	struct sockaddr_in srv, cl;
	int lfd, c, s, one = 1;
	char buf[4];

	lfd = listener(IPPROTO_MYTCP, 0, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(IPPROTO_MYTCP, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	ASSERT_EQ(0, setsockopt(c, IPPROTO_TCP, TCP_KEEPIDLE, &one, sizeof(one)));
	ASSERT_EQ(0, setsockopt(c, IPPROTO_TCP, TCP_KEEPINTVL, &one, sizeof(one)));
	ASSERT_EQ(0, setsockopt(c, IPPROTO_TCP, TCP_KEEPCNT, &one, sizeof(one)));
	if (lo_drop("ingress", IPPROTO_MYTCP, ntohs(srv.sin_port),
		    ntohs(cl.sin_port), 0, 0))
		SKIP(return, "tc u32 filters unavailable");
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)));
	EXPECT_ERRNO(ETIMEDOUT, recv_wait(c, buf, sizeof(buf)));
	EXPECT_EQ(TCP_CLOSE, tcpi_state(c));

	ASSERT_EQ((int)(HDR + 3 * ENTRY), hist_get(c, &h));
	EXPECT_STEP(&h, 2, TCP_ESTABLISHED, TCP_CLOSE, MYTCP_CAUSE_KEEPALIVE);
	EXPECT_EQ(0, h.msh_entries[2].mst_flags);
	EXPECT_LE(2000000000ULL, h.msh_entries[2].mst_time_ns -
				 h.msh_entries[1].mst_time_ns);
	close(c);
	close(s);
	close(lfd);
}

/*
 * Seven connect() / connect(AF_UNSPEC) rounds make 21 transitions: the
 * ring keeps the last 16, oldest first; a shorter buffer gets the
 * newest that fit.
 */
TEST_F(history, ring_wraps)
{
	static const int steps[3][3] = {
		{ TCP_CLOSE, TCP_SYN_SENT, MYTCP_CAUSE_CONNECT },
		{ TCP_SYN_SENT, TCP_ESTABLISHED, MYTCP_CAUSE_SEGMENT },
		{ TCP_ESTABLISHED, TCP_CLOSE, MYTCP_CAUSE_DISCONNECT },
	};
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	struct mytcp_state_history h, h3;
	struct sockaddr_in srv;
	unsigned long long t0;
	int lfd, c, s, i, g;
	socklen_t len;
	__u32 count;

	lfd = listener(IPPROTO_MYTCP, 0, &srv);
	ASSERT_OK(lfd);
	c = stream_sock(IPPROTO_MYTCP, 0);
	ASSERT_OK(c);
	t0 = mono_ns();
	for (i = 0; i < 7; i++) {
		ASSERT_OK(connect_alarm(c, &srv));
		s = accept_wait(lfd, IO_TIMEOUT_MS);
		ASSERT_OK(s);
		ASSERT_EQ(0, connect(c, &unspec, sizeof(unspec)));
		close(s);
	}
	ASSERT_EQ((int)sizeof(h), hist_get(c, &h));
	EXPECT_EQ(21, h.msh_total);
	EXPECT_EQ(16, h.msh_count);
	for (i = 0; i < 16; i++) {
		g = 21 - 16 + i;	/* transition number since the start */
		EXPECT_STEP(&h, i, steps[g % 3][0], steps[g % 3][1],
			    steps[g % 3][2]);
	}
	EXPECT_TIMES(&h, t0);

	ASSERT_EQ((int)(HDR + 3 * ENTRY), hist_get_n(c, &h3, 3));
	EXPECT_EQ(21, h3.msh_total);
	EXPECT_EQ(3, h3.msh_count);
	EXPECT_EQ(0, memcmp(&h.msh_entries[13], h3.msh_entries, 3 * ENTRY));
	/* Room for 2.5 entries: 2, and the length says so. */
	len = HDR + 2 * ENTRY + ENTRY / 2;
	ASSERT_EQ(0, getsockopt(c, SOL_MYTCP, MYTCP_STATE_HISTORY, &h3, &len));
	EXPECT_EQ(HDR + 2 * ENTRY, len);
	EXPECT_EQ(2, h3.msh_count);
	EXPECT_EQ(0, memcmp(&h.msh_entries[14], h3.msh_entries, 2 * ENTRY));

	len = sizeof(count);
	ASSERT_EQ(0, getsockopt(c, SOL_MYTCP, MYTCP_STATE_HISTORY_COUNT,
				&count, &len));
	EXPECT_EQ(21, count);
	close(c);
	close(lfd);
}

TEST_HARNESS_MAIN
