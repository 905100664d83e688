// SPDX-License-Identifier: GPL-2.0
/*
 * Timers seen from outside: the SYN retransmissions on the wire, the
 * lifetime of an orphaned FIN-WAIT-2 connection, and the restart of
 * TIME-WAIT by a retransmitted FIN. Each test runs on "tcp" (the
 * reference: net.ipv4.tcp_* sysctls) and on "mytcp" (net.mytcp.*) with
 * the same expectations, scaled by the variant's timer values.
 *
 * Segments are read off lo by an AF_PACKET tap (kernel timestamps), and
 * dropped where needed by a u32 filter on lo's ingress, which the tap
 * sees before. A retransmitted FIN is injected through a raw socket.
 * tm->when of the state file (1/100 s) tells the time left on a timer.
 */
#include "kselftest_harness.h"
#include "mytcp_helpers.h"

FIXTURE(timers) {
	struct sysctl_log sysctls;
};

FIXTURE_VARIANT(timers) {
	int proto;
	const char *states;
	/* SYN retransmissions: sysctls and what they are set to */
	const char *syn_retries;
	const char *syn_retries_val;
	int syn_retries_n;
	const char *rto_initial;	/* NULL: fixed at 1 s (tcp) */
	const char *syn_linear;		/* tcp 6.5+: linear SYN timeouts */
	int first_rto_ms;
	/* orphaned FIN-WAIT-2 lifetime */
	const char *fin_timeout;
	const char *fin_timeout_val;
	int fin_timeout_ms;
	/* TIME-WAIT length */
	const char *tw_timeout;		/* NULL: fixed at 60 s (tcp) */
	const char *tw_timeout_val;
	int tw_ms;
};

FIXTURE_VARIANT_ADD(timers, tcp) {
	.proto = IPPROTO_TCP,
	.states = "/proc/net/tcp",
	/* SYN at 0, 1, 3 s; ETIMEDOUT at 7 s. */
	.syn_retries = "/proc/sys/net/ipv4/tcp_syn_retries",
	.syn_retries_val = "2",
	.syn_retries_n = 2,
	.syn_linear = "/proc/sys/net/ipv4/tcp_syn_linear_timeouts",
	.first_rto_ms = 1000,
	.fin_timeout = "/proc/sys/net/ipv4/tcp_fin_timeout",
	.fin_timeout_val = "1",
	.fin_timeout_ms = 1000,
	.tw_ms = 60000,
};

FIXTURE_VARIANT_ADD(timers, mytcp) {
	.proto = IPPROTO_MYTCP,
	.states = "/proc/net/mytcp",
	/* SYN at 0, 0.2, 0.6, 1.4 s; ETIMEDOUT at 3 s. */
	.syn_retries = "/proc/sys/net/mytcp/syn_retries",
	.syn_retries_val = "3",
	.syn_retries_n = 3,
	.rto_initial = "/proc/sys/net/mytcp/rto_initial_ms",
	.first_rto_ms = 200,
	.fin_timeout = "/proc/sys/net/mytcp/fin_timeout_ms",
	.fin_timeout_val = "1000",
	.fin_timeout_ms = 1000,
	.tw_timeout = "/proc/sys/net/mytcp/tw_timeout_ms",
	.tw_timeout_val = "4000",
	.tw_ms = 4000,
};

FIXTURE_SETUP(timers)
{
	int err = test_ns_setup(variant->proto);

	self->sysctls.n = 0;
	if (err == -EPROTONOSUPPORT)
		SKIP(return, "protocol %d unavailable (module not loaded?)",
		     variant->proto);
	ASSERT_EQ(0, err) TH_LOG("namespace setup: %s", strerror(-err));
}

FIXTURE_TEARDOWN(timers)
{
	lo_drop_off();
	EXPECT_EQ(0, sysctl_restore(&self->sysctls));
}

/* |got - want| <= pct% of want */
/*
 * got within pct percent of want; lateness may grow with MYTCP_SLOW (a
 * debug kernel fires and reports late), earliness never.
 */
static bool near(long long got, long long want, int pct)
{
	if (got > want)
		return (got - want) * 100 <= want * slow(pct);
	return (want - got) * 100 <= want * pct;
}

static long long realtime_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

#define MAX_SYNS	16

/*
 * connect() to a port whose segments are dropped on lo's ingress: the
 * SYNs go out syn_retries + 1 times (same sequence number, same port),
 * the gaps doubling from the initial RTO (+-35%); after the last one
 * waits its doubled RTO, connect fails with ETIMEDOUT and the line goes.
 * Linux 6.5+ makes the first tcp_syn_linear_timeouts (default 4) SYN
 * timeouts linear (1 s each); the test sets it to 0 to see RFC 6298's
 * exponential backoff, which is what mytcp implements.
 */
TEST_F_TIMEOUT(timers, syn_backoff, 30)
{
	struct sockaddr_in dst = lo_addr(40800), cl;
	long long syn_t[MAX_SYNS], fail_t = 0, end, want;
	int sn, fd, n = 0, i, err = 0;
	struct pollfd pfd[2];
	__u32 iss = 0;
	struct seg s;

	ASSERT_EQ(0, sysctl_set(&self->sysctls, variant->syn_retries,
				variant->syn_retries_val));
	if (variant->rto_initial)
		ASSERT_EQ(0, sysctl_set(&self->sysctls, variant->rto_initial,
					"200"));
	if (variant->syn_linear && !access(variant->syn_linear, F_OK))
		ASSERT_EQ(0, sysctl_set(&self->sysctls, variant->syn_linear,
					"0"));
	sn = sniff_open();
	ASSERT_OK(sn);
	if (lo_drop("ingress", variant->proto, 0, 40800, 0, 0))
		SKIP(return, "tc clsact/u32 unavailable");
	fd = stream_sock(variant->proto, SOCK_NONBLOCK);
	ASSERT_OK(fd);
	EXPECT_ERRNO(EINPROGRESS, connect_alarm(fd, &dst));
	ASSERT_EQ(0, sock_name(fd, &cl));

	end = now_ms() + 20000;
	pfd[0] = (struct pollfd){ .fd = sn, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = fd, .events = POLLOUT };
	while (!fail_t && now_ms() < end) {
		if (poll(pfd, 2, end - now_ms()) < 0)
			break;
		while (sniff_next(sn, variant->proto, &s, 0) == 1) {
			if (s.pkttype != PACKET_HOST || !same_addr(&s.src, &cl) ||
			    (s.flags & (F_SYN | F_ACK)) != F_SYN)
				continue;
			if (!n)
				iss = s.seq;
			EXPECT_EQ(iss, s.seq);
			if (n < MAX_SYNS)
				syn_t[n] = s.t_us;
			n++;
		}
		if (pfd[1].revents) {
			fail_t = realtime_us();
			err = so_error(fd);
		}
	}
	ASSERT_NE(0, fail_t) TH_LOG("connect still pending");
	EXPECT_EQ(ETIMEDOUT, err);
	EXPECT_EQ(variant->syn_retries_n + 1, n);
	ASSERT_LE(1, n);
	ASSERT_GE(MAX_SYNS, n);
	want = variant->first_rto_ms * 1000LL;
	for (i = 1; i < n; i++, want *= 2) {
		TH_LOG("SYN %d after %lld ms (expected %lld)", i,
		       (syn_t[i] - syn_t[i - 1]) / 1000, want / 1000);
		EXPECT_TRUE(near(syn_t[i] - syn_t[i - 1], want, 35));
	}
	TH_LOG("ETIMEDOUT %lld ms after the last SYN (expected %lld)",
	       (fail_t - syn_t[n - 1]) / 1000, want / 1000);
	EXPECT_TRUE(near(fail_t - syn_t[n - 1], want, 35));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &cl, &dst));
	EXPECT_EQ(0, lo_drop_off());
	close(fd);
	close(sn);
}

/*
 * An orphan (closed by its user) in FIN-WAIT-2 whose peer never sends
 * its FIN is gone after the FIN timeout (tcp_fin_timeout 1 s /
 * fin_timeout_ms 1000; Linux keeps it at least 3.5 RTO, ~0.7 s on lo).
 * Linux moves it to a TIME-WAIT entry of substate FIN-WAIT-2 (still
 * "05" in /proc/net/tcp) which expires silently.
 */
TEST_F(timers, fin_wait2_orphan_timeout)
{
	struct sockaddr_in srv, cl;
	long long t0, gone;
	int lfd, c, s;
	char b;

	ASSERT_EQ(0, sysctl_set(&self->sysctls, variant->fin_timeout,
				variant->fin_timeout_val));
	lfd = listener(variant->proto, 0, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	close(c);
	t0 = now_ms();
	EXPECT_EQ(0, recv_wait(s, &b, 1));
	EXPECT_EQ(TCP_FIN_WAIT2, sk_wait(variant->states, &cl, &srv,
					 TCP_FIN_WAIT2, 1000));
	EXPECT_EQ(TCP_CLOSE_WAIT, sk_state(variant->states, &srv, &cl));
	EXPECT_EQ(NO_LINE, sk_wait(variant->states, &cl, &srv, NO_LINE,
				   4 * variant->fin_timeout_ms));
	gone = now_ms() - t0;
	TH_LOG("FIN-WAIT-2 orphan gone after %lld ms", gone);
	EXPECT_LE(variant->fin_timeout_ms * 65 / 100, gone);
	EXPECT_GE(variant->fin_timeout_ms * 250 / 100, gone);
	close(s);
	close(lfd);
}

/*
 * What the peer sees when the orphan's FIN-WAIT-2 expires: Linux sends
 * nothing (the TIME-WAIT entry that stood for it just goes), so the
 * peer stays in CLOSE-WAIT. Its next segment finds no connection and
 * is answered by a RST: the send that carried it succeeds, the one
 * after fails with EPIPE (a RST in CLOSE-WAIT). mytcp does the same.
 */
TEST_F(timers, fin_wait2_orphan_expiry_silent)
{
	struct sockaddr_in srv, cl;
	struct seg seg;
	int lfd, c, s, sn;
	char b;

	ASSERT_EQ(0, sysctl_set(&self->sysctls, variant->fin_timeout,
				variant->fin_timeout_val));
	lfd = listener(variant->proto, 0, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	sn = sniff_open();
	ASSERT_OK(sn);
	close(c);
	EXPECT_EQ(0, recv_wait(s, &b, 1));
	EXPECT_EQ(NO_LINE, sk_wait(variant->states, &cl, &srv, NO_LINE,
				   4 * variant->fin_timeout_ms));
	sleep_ms(200);

	EXPECT_EQ(0, sniff_for(sn, variant->proto, &cl, &srv, F_RST, F_RST,
			       &seg, 0)) TH_LOG("the expiry sent a RST");
	EXPECT_EQ(TCP_CLOSE_WAIT, sk_state(variant->states, &srv, &cl));
	EXPECT_EQ(0, poll_fd(s, POLLERR | POLLHUP, 0));

	/* Talking to the vanished connection draws a RST. */
	EXPECT_EQ(0, send_all(s, "late"));
	EXPECT_EQ(1, sniff_for(sn, variant->proto, &cl, &srv, F_RST, F_RST,
			       &seg, 2000));
	EXPECT_EQ(NO_LINE, sk_wait(variant->states, &srv, &cl, NO_LINE, 2000));
	EXPECT_EQ(POLLERR | POLLHUP, poll_fd(s, 0, 1000));
	EXPECT_FAIL(EPIPE, send(s, "x", 1, MSG_NOSIGNAL));
	EXPECT_FAIL(EPIPE, send(s, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(0, recv(s, &b, 1, MSG_DONTWAIT));
	close(sn);
	close(s);
	close(lfd);
}

/* Time left on the TIME-WAIT entry l -> r, in ms; -1 if there is none. */
static long tw_left_ms(const char *file, const struct sockaddr_in *l,
		       const struct sockaddr_in *r)
{
	long when = 0;

	if (sk_line(file, l, r, &when) != TCP_TIME_WAIT)
		return -1;
	return when * 10;
}

/*
 * TIME-WAIT: a retransmission of the peer's FIN (injected: same
 * sequence and acknowledgment numbers) is ACKed again and restarts the
 * 2 MSL timer (RFC 9293 3.10.7.4, Linux tcp_timewait_state_process()).
 * The time left (tm->when) jumps back to the full length; with mytcp's
 * 4 s the entry is then seen to last 4 s from the retransmission. Our
 * ACKs are dropped on their way in (the sniffer sees them first).
 */
TEST_F(timers, time_wait_fin_restart)
{
	struct sockaddr_in srv, cl;
	long before, after;
	struct seg fin, ack;
	long long t_tw, t_inj, gone;
	int lfd, c, s, sn;
	char b;

	if (variant->tw_timeout)
		ASSERT_EQ(0, sysctl_set(&self->sysctls, variant->tw_timeout,
					variant->tw_timeout_val));
	lfd = listener(variant->proto, 0, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	sn = sniff_open();
	ASSERT_OK(sn);
	close(c);
	EXPECT_EQ(0, recv_wait(s, &b, 1));
	close(s);
	ASSERT_EQ(1, sniff_for(sn, variant->proto, &srv, &cl, F_FIN, F_FIN,
			       &fin, 2000));
	ASSERT_EQ(TCP_TIME_WAIT, sk_wait(variant->states, &cl, &srv,
					 TCP_TIME_WAIT, 2000));
	t_tw = now_ms();

	/*
	 * The ACK of the injected FIN must not reach the server's port:
	 * nothing is there any more, and the RST it would draw, exact,
	 * kills a Linux TIME-WAIT entry (see rst_test's time_wait).
	 */
	if (lo_drop("ingress", variant->proto, ntohs(cl.sin_port),
		    ntohs(srv.sin_port), 0, 0))
		SKIP(return, "tc clsact/u32 unavailable");
	/* Inject when the entry is 2 s old. */
	if (now_ms() < t_tw + 2000)
		sleep_ms(t_tw + 2000 - now_ms());
	before = tw_left_ms(variant->states, &cl, &srv);
	ASSERT_LE(0, before);
	sniff_drain(sn);
	t_inj = now_ms();
	ASSERT_EQ(0, inject_seg(variant->proto, &srv, &cl, fin.seq, fin.ack,
				F_FIN | F_ACK, 65535));
	EXPECT_EQ(1, sniff_for(sn, variant->proto, &cl, &srv, 0xff, F_ACK,
			       &ack, 1000)) TH_LOG("no ACK of the FIN");
	EXPECT_EQ(fin.seq + 1, ack.ack);
	EXPECT_EQ(fin.ack, ack.seq);
	after = tw_left_ms(variant->states, &cl, &srv);
	ASSERT_LE(0, after);
	TH_LOG("time left %ld ms before, %ld ms after the FIN", before, after);
	EXPECT_LE(before + 1000, after);
	EXPECT_TRUE(near(after, variant->tw_ms, 10));

	if (variant->tw_ms < 10000) {
		EXPECT_EQ(NO_LINE, sk_wait(variant->states, &cl, &srv, NO_LINE,
					   2 * variant->tw_ms));
		gone = now_ms() - t_inj;
		TH_LOG("TIME-WAIT gone %lld ms after the FIN", gone);
		EXPECT_TRUE(near(gone, variant->tw_ms, 10));
	}
	EXPECT_EQ(0, lo_drop_off());
	close(sn);
	close(lfd);
}

TEST_HARNESS_MAIN
