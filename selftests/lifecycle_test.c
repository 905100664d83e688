// SPDX-License-Identifier: GPL-2.0
/*
 * Connection lifecycle, run twice with the same expectations: variant
 * "tcp" (IPPROTO_TCP, /proc/net/tcp, net.ipv4.tcp_*) and variant "mytcp"
 * (IPPROTO_MYTCP, /proc/net/mytcp, net.mytcp.*). The expectations are
 * what Linux TCP does; the tcp variant proves the test, the mytcp
 * variant is the implementation's target.
 *
 * Pick what runs with the harness filters (each case is checked against
 * them in order, the first that matches decides, so they add up rather
 * than narrow down: "-v tcp -t x" is every tcp case plus x in mytcp):
 *   lifecycle_test -v tcp            only the tcp variant
 *   lifecycle_test -V tcp            everything but the tcp variant
 *   lifecycle_test -t closing_state  one test, both variants
 *   lifecycle_test -r lifecycle.mytcp.closing_state   one case
 *   lifecycle_test -l                list the cases
 *
 * Every test runs in a network namespace of its own, made by the fixture
 * setup (unshare, lo up): ports and TIME-WAIT entries of one test never
 * meet another's, the state file and /proc/net/protocols hold this
 * test's sockets only, and a sysctl left changed by a dying test
 * vanishes with the namespace (the teardown restores them otherwise).
 * Qdiscs on lo (tc netem, a u32 drop filter) are removed by the test,
 * or by a cleaner process when the test dies (see cleaner_start()).
 *
 * Every wait is bounded: SO_RCVTIMEO/SO_SNDTIMEO on every socket, poll
 * timeouts, alarm() around blocking connect and accept, and the
 * harness timeout per test, so a hang becomes a failure.
 */
#include <pthread.h>

#include "kselftest_harness.h"
#include "mytcp_helpers.h"

FIXTURE(lifecycle) {
	struct sysctl_log saved;
};

FIXTURE_VARIANT(lifecycle) {
	int proto;
	const char *name;		/* its line in /proc/net/protocols */
	const char *states;		/* the /proc/net/tcp-style state file */
	const char *syn_retries;	/* sysctl files */
	const char *rto_initial;	/* NULL: fixed (tcp: 1 s) */
	const char *tw_timeout;		/* NULL: fixed (tcp: 60 s) */
	const char *syn_retries_val;	/* for syn_retries_timeout */
	int syn_timeout_min_ms;		/* ... and its bounds */
	int syn_timeout_max_ms;
};

FIXTURE_VARIANT_ADD(lifecycle, tcp) {
	.proto = IPPROTO_TCP,
	.name = "TCP",
	.states = "/proc/net/tcp",
	.syn_retries = "/proc/sys/net/ipv4/tcp_syn_retries",
	/* One retransmission at 1 s, failure at 1 + 2 = 3 s. */
	.syn_retries_val = "1",
	.syn_timeout_min_ms = 2500,
	.syn_timeout_max_ms = 5000,
};

FIXTURE_VARIANT_ADD(lifecycle, mytcp) {
	.proto = IPPROTO_MYTCP,
	.name = "MYTCP",
	.states = "/proc/net/mytcp",
	.syn_retries = "/proc/sys/net/mytcp/syn_retries",
	.rto_initial = "/proc/sys/net/mytcp/rto_initial_ms",
	.tw_timeout = "/proc/sys/net/mytcp/tw_timeout_ms",
	/* RTO 200 ms: retransmissions at 0.2 and 0.6 s, failure at 1.4 s. */
	.syn_retries_val = "2",
	.syn_timeout_min_ms = 1000,
	.syn_timeout_max_ms = 4000,
};

static int bind_port(int fd, unsigned short port, bool reuse)
{
	struct sockaddr_in a = lo_addr(port);
	int one = 1;

	if (reuse &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		return -errno;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return -errno;
	return 0;
}

static int peer_addr(int fd, struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);

	memset(a, 0, sizeof(*a));
	return getpeername(fd, (struct sockaddr *)a, &len) ? -errno : 0;
}

/* Read until EOF within the timeout, discarding data: 0 or -errno. */
static int wait_eof(int fd)
{
	long long end = now_ms() + IO_TIMEOUT_MS;
	char buf[4096];
	int n;

	for (;;) {
		/* A poll that keeps saying "readable" must not spin forever. */
		if (now_ms() > end)
			return -ETIMEDOUT;
		n = poll_fd(fd, POLLIN, IO_TIMEOUT_MS);
		if (n <= 0)
			return n ? n : -ETIMEDOUT;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0)
			return 0;
		if (n < 0 && errno != EAGAIN)
			return -errno;
	}
}

static void fill_random(unsigned char *buf, size_t len, __u64 seed)
{
	__u64 x = seed * 0x9e3779b97f4a7c15ULL + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = x >> 24;
	}
}

/* One direction of a transfer. */
struct flow {
	int from, to;
	unsigned char *tx, *rx;
	size_t len, sent, got;
	int err;
};

static int flow_init(struct flow *f, int from, int to, size_t len, __u64 seed)
{
	memset(f, 0, sizeof(*f));
	f->from = from;
	f->to = to;
	f->len = len;
	f->tx = malloc(len ? len : 1);
	f->rx = malloc(len ? len : 1);
	if (!f->tx || !f->rx)
		return -ENOMEM;
	fill_random(f->tx, len, seed);
	return 0;
}

static void flow_free(struct flow *f)
{
	free(f->tx);
	free(f->rx);
}

static int flow_check(struct flow *f)
{
	if (f->err)
		return -f->err;
	if (f->sent != f->len || f->got != f->len)
		return -EPIPE;
	return memcmp(f->tx, f->rx, f->len) ? -EBADMSG : 0;
}

/*
 * Move every flow at the same time with non-blocking calls on whatever
 * poll() says is ready: 0, -ETIMEDOUT when no byte moves for the
 * timeout, -EPIPE on an early EOF, or the -errno of a failed call.
 */
static int pump(struct flow *f, int nflows)
{
	long long moved = now_ms();
	struct pollfd pfd[4];
	bool busy;
	ssize_t n;
	int i;

	if (nflows > 2)
		return -EINVAL;
	for (;;) {
		if (now_ms() - moved > IO_TIMEOUT_MS)
			return -ETIMEDOUT;
		busy = false;
		for (i = 0; i < nflows; i++) {
			pfd[2 * i].fd = f[i].from;
			pfd[2 * i].events = f[i].sent < f[i].len ? POLLOUT : 0;
			pfd[2 * i + 1].fd = f[i].to;
			pfd[2 * i + 1].events = f[i].got < f[i].len ? POLLIN : 0;
			busy |= f[i].sent < f[i].len || f[i].got < f[i].len;
		}
		if (!busy)
			return 0;
		n = poll(pfd, 2 * nflows, IO_TIMEOUT_MS);
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ETIMEDOUT;
		for (i = 0; i < nflows; i++) {
			if (pfd[2 * i].revents && f[i].sent < f[i].len) {
				n = f[i].len - f[i].sent;
				n = send(f[i].from, f[i].tx + f[i].sent,
					 n > 65536 ? 65536 : n,
					 MSG_DONTWAIT | MSG_NOSIGNAL);
				if (n < 0 && errno != EAGAIN)
					return -errno;
				if (n > 0) {
					f[i].sent += n;
					moved = now_ms();
				}
			}
			if (pfd[2 * i + 1].revents && f[i].got < f[i].len) {
				n = recv(f[i].to, f[i].rx + f[i].got,
					 f[i].len - f[i].got, MSG_DONTWAIT);
				if (n == 0)
					return -EPIPE;
				if (n < 0 && errno != EAGAIN)
					return -errno;
				if (n > 0) {
					f[i].got += n;
					moved = now_ms();
				}
			}
		}
	}
}

/* len bytes a->b and b->a at once, non-blocking, compared: 0 or -errno. */
static int exchange(int a, int b, size_t len, __u64 seed)
{
	struct flow f[2];
	int err;

	err = flow_init(&f[0], a, b, len, seed);
	if (!err)
		err = flow_init(&f[1], b, a, len, ~seed);
	if (!err)
		err = pump(f, 2);
	if (!err)
		err = flow_check(&f[0]);
	if (!err)
		err = flow_check(&f[1]);
	flow_free(&f[0]);
	flow_free(&f[1]);
	return err;
}

static void *send_thread(void *arg)
{
	struct flow *f = arg;
	ssize_t n;

	while (f->sent < f->len) {
		n = send(f->from, f->tx + f->sent, f->len - f->sent, MSG_NOSIGNAL);
		if (n <= 0) {
			f->err = n ? errno : EPIPE;
			break;
		}
		f->sent += n;
	}
	return NULL;
}

static void *recv_thread(void *arg)
{
	struct flow *f = arg;
	ssize_t n;

	while (f->got < f->len) {
		n = recv(f->to, f->rx + f->got, f->len - f->got, 0);
		if (n <= 0) {
			f->err = n ? errno : EPIPE;
			break;
		}
		f->got += n;
	}
	return NULL;
}

/*
 * len bytes each way with blocking calls (bounded by the socket
 * timeouts): two threads serve b while this one sends all of a's data,
 * then reads all of b's.
 */
static int blocking_exchange(int a, int b, size_t len, __u64 seed)
{
	struct flow ab, ba;
	pthread_t rx, tx;
	int err;

	err = flow_init(&ab, a, b, len, seed);
	if (!err)
		err = flow_init(&ba, b, a, len, ~seed);
	if (err)
		goto out;
	if (pthread_create(&rx, NULL, recv_thread, &ab)) {
		err = -EAGAIN;
		goto out;
	}
	if (pthread_create(&tx, NULL, send_thread, &ba)) {
		err = -EAGAIN;
		pthread_join(rx, NULL);
		goto out;
	}
	send_thread(&ab);
	recv_thread(&ba);
	pthread_join(rx, NULL);
	pthread_join(tx, NULL);
	err = flow_check(&ab);
	if (!err)
		err = flow_check(&ba);
out:
	flow_free(&ab);
	flow_free(&ba);
	return err;
}

/*
 * Lines whose local port is lport and remote port rport (-1: any) in
 * state st (-1: any); with st < -1, lines in any state but -st.
 */
static int count_lines(const char *file, int lport, int rport, int st)
{
	unsigned int la, lp, ra, rp, s;
	char line[256];
	int n = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %*u: %x:%x %x:%x %x",
			   &la, &lp, &ra, &rp, &s) != 5)
			continue;
		if ((lport >= 0 && (int)lp != lport) ||
		    (rport >= 0 && (int)rp != rport))
			continue;
		if ((st >= 0 && (int)s != st) || (st < -1 && (int)s == -st))
			continue;
		n++;
	}
	fclose(f);
	return n;
}

static const struct sockaddr_in any_addr = { .sin_family = AF_INET };

FIXTURE_SETUP(lifecycle)
{
	int err = test_ns_setup(variant->proto);

	self->saved.n = 0;
	if (err == -EPROTONOSUPPORT)
		SKIP(return, "protocol %d unavailable (module not loaded?)",
		     variant->proto);
	ASSERT_EQ(0, err) TH_LOG("namespace setup: %s", strerror(-err));
}

FIXTURE_TEARDOWN(lifecycle)
{
	EXPECT_EQ(0, sysctl_restore(&self->saved));
}

/*
 * 1. Blocking connect, accept, addresses on both ends, data both ways
 * (non-blocking 1 B and 100 KB, blocking 8 MiB), orderly close.
 */
TEST_F_TIMEOUT(lifecycle, connect_transfer_close, 60)
{
	struct sockaddr_in srv, cl, a;
	int lfd, c, s, err;
	char ch;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	c = stream_sock(variant->proto, 0);
	ASSERT_OK(c);
	err = connect_alarm(c, &srv);
	ASSERT_OK(err);
	s = accept_wait(lfd, IO_TIMEOUT_MS);
	ASSERT_OK(s);

	ASSERT_EQ(0, sock_name(c, &cl));
	EXPECT_EQ(AF_INET, cl.sin_family);
	EXPECT_EQ(htonl(INADDR_LOOPBACK), cl.sin_addr.s_addr);
	EXPECT_NE(0, cl.sin_port);
	ASSERT_EQ(0, peer_addr(c, &a));
	EXPECT_TRUE(same_addr(&srv, &a));
	ASSERT_EQ(0, sock_name(s, &a));
	EXPECT_TRUE(same_addr(&srv, &a));
	ASSERT_EQ(0, peer_addr(s, &a));
	EXPECT_TRUE(same_addr(&cl, &a));

	err = exchange(c, s, 1, 1);
	ASSERT_OK(err);
	err = exchange(c, s, 100 * 1024, 2);
	ASSERT_OK(err);
	err = blocking_exchange(c, s, 8 << 20, 3);
	ASSERT_OK(err);

	close(c);
	EXPECT_EQ(0, recv_wait(s, &ch, 1));
	/* EOF stays EOF. */
	EXPECT_EQ(0, recv(s, &ch, 1, MSG_DONTWAIT));
	close(s);
	close(lfd);
}

/* 2. LISTEN, then ESTABLISHED on both ends; closing a listener keeps them. */
TEST_F(lifecycle, listen_established_states)
{
	struct sockaddr_in srv, cl;
	int lfd, c, s;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	EXPECT_EQ(TCP_LISTEN, sk_state(variant->states, &srv, &any_addr));
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &cl, &srv));
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &srv, &cl));
	EXPECT_EQ(TCP_LISTEN, sk_state(variant->states, &srv, &any_addr));

	close(lfd);
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &srv, &any_addr));
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &cl, &srv));
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &srv, &cl));
	EXPECT_EQ(0, exchange(c, s, 1000, 4));
	close(c);
	close(s);
}

/*
 * 2. Client SHUT_WR: client FIN_WAIT2, server CLOSE_WAIT. Server close:
 * client TIME_WAIT, the server's line gone (LAST_ACK is too short to see
 * on loopback; see last_ack_state).
 */
TEST_F(lifecycle, half_close_states)
{
	struct sockaddr_in srv, cl;
	int lfd, c, s;
	char ch;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));

	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	EXPECT_EQ(0, recv_wait(s, &ch, 1));
	EXPECT_EQ(TCP_FIN_WAIT2,
		  sk_wait(variant->states, &cl, &srv, TCP_FIN_WAIT2, 2000));
	EXPECT_EQ(TCP_CLOSE_WAIT, sk_state(variant->states, &srv, &cl));

	close(s);
	EXPECT_EQ(TCP_TIME_WAIT,
		  sk_wait(variant->states, &cl, &srv, TCP_TIME_WAIT, 2000));
	EXPECT_EQ(NO_LINE,
		  sk_wait(variant->states, &srv, &cl, NO_LINE, 2000));
	EXPECT_EQ(0, recv_wait(c, &ch, 1));
	close(c);
	/* The TIME-WAIT entry outlives the descriptor. */
	EXPECT_EQ(TCP_TIME_WAIT, sk_state(variant->states, &cl, &srv));
	close(lfd);
}

/*
 * 2, 3. SYNs lost (netem loss 100% on lo): non-blocking connect gives
 * EINPROGRESS and SYN_SENT; a second connect EALREADY; the listener gets
 * nothing; close removes the line.
 */
TEST_F(lifecycle, syn_sent_state)
{
	struct sockaddr_in srv, cl;
	int lfd, c;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	if (lo_netem("loss 100%"))
		SKIP(return, "tc netem unavailable");
	c = stream_sock(variant->proto, SOCK_NONBLOCK);
	ASSERT_OK(c);
	EXPECT_ERRNO(EINPROGRESS, connect_alarm(c, &srv));
	ASSERT_EQ(0, sock_name(c, &cl));
	EXPECT_EQ(TCP_SYN_SENT, sk_state(variant->states, &cl, &srv));
	EXPECT_ERRNO(EALREADY, connect_alarm(c, &srv));
	EXPECT_EQ(0, poll_fd(c, POLLOUT | POLLIN, 300));
	EXPECT_EQ(TCP_SYN_SENT, sk_state(variant->states, &cl, &srv));
	EXPECT_EQ(1, count_lines(variant->states, ntohs(srv.sin_port), -1, -1));
	close(c);
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &cl, &srv));
	EXPECT_EQ(0, lo_netem_off());
	close(lfd);
}

/*
 * 2. The client's handshake ACK dropped (u32 filter on lo: protocol,
 * destination port, flags exactly ACK): the client is ESTABLISHED, the
 * server shows a SYN_RECV line and has nothing to accept. With the filter
 * gone, the client's first data segment completes the handshake.
 */
TEST_F(lifecycle, syn_recv_state)
{
	struct sockaddr_in srv, cl;
	int lfd, c, s;
	char ch;

	lfd = listener_backlog(variant->proto, SOCK_NONBLOCK, 8, &srv);
	ASSERT_OK(lfd);
	if (lo_drop("egress", variant->proto, 0, ntohs(srv.sin_port),
		    0xff, F_ACK))
		SKIP(return, "tc clsact/u32/gact unavailable");

	c = stream_sock(variant->proto, 0);
	ASSERT_OK(c);
	ASSERT_OK(connect_alarm(c, &srv));
	ASSERT_EQ(0, sock_name(c, &cl));
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &cl, &srv));
	EXPECT_EQ(TCP_SYN_RECV, sk_state(variant->states, &srv, &cl));
	sleep_ms(200);
	EXPECT_EQ(TCP_SYN_RECV, sk_state(variant->states, &srv, &cl));
	EXPECT_EQ(-1, accept(lfd, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno);

	EXPECT_EQ(0, lo_drop_off());
	EXPECT_EQ(0, send_all(c, "x"));
	s = accept_wait(lfd, IO_TIMEOUT_MS);
	ASSERT_OK(s);
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &srv, &cl));
	EXPECT_EQ(1, recv_wait(s, &ch, 1));
	EXPECT_EQ('x', ch);
	close(c);
	close(s);
	close(lfd);
}

/*
 * 2. FIN unacknowledged (netem loss 100% after the handshake): FIN_WAIT1
 * lasts; once packets flow again the retransmitted FIN gets through:
 * FIN_WAIT2 / CLOSE_WAIT.
 */
TEST_F(lifecycle, fin_wait1_state)
{
	struct sockaddr_in srv, cl;
	int lfd, c, s;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	if (lo_netem("loss 100%"))
		SKIP(return, "tc netem unavailable");

	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	EXPECT_EQ(TCP_FIN_WAIT1, sk_state(variant->states, &cl, &srv));
	sleep_ms(500);
	EXPECT_EQ(TCP_FIN_WAIT1, sk_state(variant->states, &cl, &srv));
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &srv, &cl));

	EXPECT_EQ(0, lo_netem_off());
	EXPECT_EQ(TCP_FIN_WAIT2,
		  sk_wait(variant->states, &cl, &srv, TCP_FIN_WAIT2, 5000));
	EXPECT_EQ(TCP_CLOSE_WAIT, sk_state(variant->states, &srv, &cl));
	close(c);
	close(s);
	close(lfd);
}

/*
 * 2. The server's FIN lost: LAST_ACK lasts on the server, FIN_WAIT2 on
 * the client; once packets flow: client TIME_WAIT, server line gone.
 */
TEST_F(lifecycle, last_ack_state)
{
	struct sockaddr_in srv, cl;
	int lfd, c, s;
	char ch;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	ASSERT_EQ(0, recv_wait(s, &ch, 1));
	ASSERT_EQ(TCP_FIN_WAIT2,
		  sk_wait(variant->states, &cl, &srv, TCP_FIN_WAIT2, 2000));
	if (lo_netem("loss 100%"))
		SKIP(return, "tc netem unavailable");

	close(s);
	EXPECT_EQ(TCP_LAST_ACK, sk_state(variant->states, &srv, &cl));
	sleep_ms(500);
	EXPECT_EQ(TCP_LAST_ACK, sk_state(variant->states, &srv, &cl));
	EXPECT_EQ(TCP_FIN_WAIT2, sk_state(variant->states, &cl, &srv));

	EXPECT_EQ(0, lo_netem_off());
	EXPECT_EQ(TCP_TIME_WAIT,
		  sk_wait(variant->states, &cl, &srv, TCP_TIME_WAIT, 5000));
	EXPECT_EQ(NO_LINE,
		  sk_wait(variant->states, &srv, &cl, NO_LINE, 2000));
	close(c);
	close(lfd);
}

/*
 * 2. Simultaneous close: with 200 ms of delay each way both FINs cross
 * in flight, both ends go FIN_WAIT1 -> CLOSING -> TIME_WAIT.
 */
TEST_F(lifecycle, closing_state)
{
	struct sockaddr_in srv, cl;
	bool c_closing = false, s_closing = false;
	long long end;
	int lfd, c, s;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	if (lo_netem("delay 200ms"))
		SKIP(return, "tc netem unavailable");

	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	ASSERT_EQ(0, shutdown(s, SHUT_WR));
	EXPECT_EQ(TCP_FIN_WAIT1, sk_state(variant->states, &cl, &srv));
	EXPECT_EQ(TCP_FIN_WAIT1, sk_state(variant->states, &srv, &cl));
	end = now_ms() + 2000;
	while ((!c_closing || !s_closing) && now_ms() < end) {
		c_closing |= sk_state(variant->states, &cl, &srv) == TCP_CLOSING;
		s_closing |= sk_state(variant->states, &srv, &cl) == TCP_CLOSING;
		sleep_ms(5);
	}
	EXPECT_TRUE(c_closing);
	EXPECT_TRUE(s_closing);
	EXPECT_EQ(TCP_TIME_WAIT,
		  sk_wait(variant->states, &cl, &srv, TCP_TIME_WAIT, 3000));
	EXPECT_EQ(TCP_TIME_WAIT,
		  sk_wait(variant->states, &srv, &cl, TCP_TIME_WAIT, 3000));
	EXPECT_EQ(0, lo_netem_off());
	close(c);
	close(s);
	close(lfd);
}

/*
 * 3. Non-blocking connect: EINPROGRESS, POLLOUT, SO_ERROR 0; connect()
 * again returns 0 once (completion), then EISCONN.
 */
TEST_F(lifecycle, nonblocking_connect)
{
	struct sockaddr_in srv, a;
	int lfd, c, s, ev;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	c = stream_sock(variant->proto, SOCK_NONBLOCK);
	ASSERT_OK(c);
	EXPECT_ERRNO(EINPROGRESS, connect_alarm(c, &srv));
	ev = poll_fd(c, POLLOUT, 2000);
	EXPECT_EQ(POLLOUT, ev);
	EXPECT_EQ(0, so_error(c));
	ASSERT_EQ(0, peer_addr(c, &a));
	EXPECT_TRUE(same_addr(&srv, &a));
	/* Linux: the next connect() reports the completion, then EISCONN. */
	EXPECT_ERRNO(0, connect_alarm(c, &srv));
	EXPECT_ERRNO(EISCONN, connect_alarm(c, &srv));
	s = accept_wait(lfd, IO_TIMEOUT_MS);
	ASSERT_OK(s);
	EXPECT_EQ(0, exchange(c, s, 1000, 5));
	close(c);
	close(s);
	close(lfd);
}

/*
 * 3. Nothing listening (an unused port, or a socket bound but not
 * listening): the SYN is answered by a RST. Blocking connect fails with
 * ECONNREFUSED; non-blocking reports it through poll and SO_ERROR (once).
 */
TEST_F(lifecycle, connect_refused)
{
	struct sockaddr_in dst = lo_addr(40100), cl;
	int c, b;

	c = stream_sock(variant->proto, 0);
	ASSERT_OK(c);
	EXPECT_ERRNO(ECONNREFUSED, connect_alarm(c, &dst));
	close(c);

	c = stream_sock(variant->proto, SOCK_NONBLOCK);
	ASSERT_OK(c);
	EXPECT_ERRNO(EINPROGRESS, connect_alarm(c, &dst));
	EXPECT_EQ(POLLOUT | POLLERR | POLLHUP, poll_fd(c, POLLOUT, 2000));
	EXPECT_EQ(ECONNREFUSED, so_error(c));
	EXPECT_EQ(0, so_error(c));
	ASSERT_EQ(0, sock_name(c, &cl));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &cl, &dst));
	close(c);

	b = stream_sock(variant->proto, 0);
	ASSERT_OK(b);
	ASSERT_EQ(0, bind_port(b, 40101, false));
	dst = lo_addr(40101);
	c = stream_sock(variant->proto, 0);
	ASSERT_OK(c);
	EXPECT_ERRNO(ECONNREFUSED, connect_alarm(c, &dst));
	close(c);
	close(b);
	EXPECT_EQ(0, count_lines(variant->states, -1, -1, -1));
}

/* 4. accept: EAGAIN on an empty non-blocking queue, EINVAL if not listening. */
TEST_F(lifecycle, accept_nonblock_empty)
{
	struct sockaddr_in srv;
	int lfd, fd;

	lfd = listener_backlog(variant->proto, SOCK_NONBLOCK, 8, &srv);
	ASSERT_OK(lfd);
	EXPECT_EQ(-1, accept(lfd, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, poll_fd(lfd, POLLIN, 0));
	close(lfd);

	fd = stream_sock(variant->proto, 0);
	ASSERT_OK(fd);
	EXPECT_EQ(-1, accept(fd, NULL, NULL));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, bind_port(fd, 40200, false));
	EXPECT_EQ(-1, accept(fd, NULL, NULL));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/* 4. A blocked accept() is woken by a connection made 300 ms later. */
TEST_F(lifecycle, accept_blocking_wakeup)
{
	struct sockaddr_in srv;
	long long t0, waited;
	int lfd, s, status, c;
	pid_t pid;
	char ch;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	t0 = now_ms();
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		sleep_ms(300);
		c = stream_sock(variant->proto, 0);
		if (c < 0)
			_exit(10);
		if (connect_alarm(c, &srv))
			_exit(11);
		if (send_all(c, "y"))
			_exit(12);
		if (wait_eof(c))
			_exit(13);
		_exit(0);
	}
	alarm(GUARD_S);
	s = accept(lfd, NULL, NULL);
	alarm(0);
	waited = now_ms() - t0;
	if (s < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	ASSERT_LE(0, s) TH_LOG("accept: %s", strerror(errno));
	EXPECT_LE(290, waited);
	EXPECT_EQ(1, recv_wait(s, &ch, 1));
	EXPECT_EQ('y', ch);
	close(s);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(lfd);
}

#define BACKLOG		2
#define NCLIENTS	6

/*
 * 4. listen(fd, 2) and 6 non-blocking connects: backlog + 1 = 3 complete
 * into the accept queue, the other SYNs are dropped (no RST) and their
 * clients stay in SYN_SENT. Draining the queue lets the retransmitted
 * SYNs in (after the initial RTO, 1 s): all 6 complete and carry data.
 */
TEST_F(lifecycle, accept_backlog)
{
	int lfd, c[NCLIENTS], s[NCLIENTS], i, j, n, port;
	struct sockaddr_in srv, a;
	long long end;
	char ch;

	for (i = 0; i < NCLIENTS; i++) {
		c[i] = -1;
		s[i] = -1;
	}
	lfd = listener_backlog(variant->proto, 0, BACKLOG, &srv);
	ASSERT_OK(lfd);
	port = ntohs(srv.sin_port);
	for (i = 0; i < NCLIENTS; i++) {
		c[i] = stream_sock(variant->proto, SOCK_NONBLOCK);
		ASSERT_OK(c[i]);
		EXPECT_ERRNO(EINPROGRESS, connect_alarm(c[i], &srv));
	}
	end = now_ms() + 2000;
	while (count_lines(variant->states, port, -1, TCP_ESTABLISHED) <
	       BACKLOG + 1 && now_ms() < end)
		sleep_ms(10);
	sleep_ms(200);
	EXPECT_EQ(BACKLOG + 1,
		  count_lines(variant->states, port, -1, TCP_ESTABLISHED));
	EXPECT_EQ(NCLIENTS - BACKLOG - 1,
		  count_lines(variant->states, -1, port, TCP_SYN_SENT));
	EXPECT_EQ(BACKLOG + 1,
		  count_lines(variant->states, -1, port, TCP_ESTABLISHED));

	end = now_ms() + 8000;
	for (n = 0; n < NCLIENTS && now_ms() < end; n++) {
		s[n] = accept_wait(lfd, end - now_ms());
		ASSERT_OK(s[n]);
		EXPECT_EQ(0, send_all(s[n], "z"));
	}
	for (i = 0; i < NCLIENTS; i++) {
		EXPECT_EQ(POLLOUT, poll_fd(c[i], POLLOUT, IO_TIMEOUT_MS));
		EXPECT_EQ(0, so_error(c[i]));
		EXPECT_EQ(1, recv_wait(c[i], &ch, 1));
		ASSERT_EQ(0, sock_name(c[i], &a));
		for (j = 0; j < NCLIENTS; j++) {
			struct sockaddr_in p;

			if (!peer_addr(s[j], &p) && same_addr(&p, &a))
				break;
		}
		EXPECT_LT(j, NCLIENTS) TH_LOG("client %d never accepted", i);
	}
	for (i = 0; i < NCLIENTS; i++) {
		close(c[i]);
		close(s[i]);
	}
	close(lfd);
}

/*
 * 5. close() with unread data sends a RST instead of a FIN: the peer's
 * recv fails with ECONNRESET once, then reads EOF; neither end keeps a
 * line (no TIME_WAIT).
 */
TEST_F(lifecycle, close_unread_rst)
{
	struct sockaddr_in srv, cl;
	int lfd, c, s;
	char ch;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	ASSERT_EQ(0, send_all(c, "unread data"));
	ASSERT_EQ(POLLIN, poll_fd(s, POLLIN, IO_TIMEOUT_MS));
	close(s);

	EXPECT_LT(0, poll_fd(c, POLLIN, IO_TIMEOUT_MS));
	EXPECT_EQ(-1, recv(c, &ch, 1, MSG_DONTWAIT));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(0, recv(c, &ch, 1, MSG_DONTWAIT));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &cl, &srv));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &srv, &cl));
	close(c);
	close(lfd);
}

/* 5. SO_LINGER {1, 0}: close() resets; the closer keeps no TIME_WAIT. */
TEST_F(lifecycle, linger_zero_rst)
{
	struct sockaddr_in srv, cl;
	int lfd, c, s;
	char ch;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	ASSERT_EQ(0, linger_zero(c));
	close(c);

	EXPECT_LT(0, poll_fd(s, POLLIN, IO_TIMEOUT_MS));
	EXPECT_EQ(-1, recv(s, &ch, 1, MSG_DONTWAIT));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &cl, &srv));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &srv, &cl));
	EXPECT_EQ(0, count_lines(variant->states, ntohs(cl.sin_port), -1, -1));
	close(s);
	close(lfd);
}

/*
 * 5. Writing after the peer reset: the first send reports the pending
 * ECONNRESET, later ones EPIPE; SIGPIPE comes only without MSG_NOSIGNAL.
 */
TEST_F(lifecycle, write_after_reset)
{
	struct sockaddr_in srv;
	int lfd, c, s;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, linger_zero(s));
	close(s);

	EXPECT_EQ(POLLOUT | POLLERR | POLLHUP, poll_fd(c, POLLOUT, 2000));
	EXPECT_EQ(-1, send(c, "a", 1, MSG_NOSIGNAL));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(-1, send(c, "a", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(0, sigpipes());
	EXPECT_EQ(-1, send(c, "a", 1, 0));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(1, sigpipes());
	EXPECT_EQ(-1, write(c, "a", 1));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(2, sigpipes());
	close(c);
	close(lfd);
}

/*
 * 5. Writing to a peer that closed: the first write is accepted and the
 * closed peer answers it with a RST. A RST in CLOSE_WAIT reports EPIPE,
 * not ECONNRESET: every later send fails with EPIPE.
 */
TEST_F(lifecycle, write_after_peer_close)
{
	struct sockaddr_in srv, cl;
	int lfd, c, s;
	char ch;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	close(s);
	ASSERT_EQ(0, recv_wait(c, &ch, 1));
	EXPECT_EQ(TCP_CLOSE_WAIT, sk_state(variant->states, &cl, &srv));

	EXPECT_EQ(0, send_all(c, "a"));
	EXPECT_EQ(POLLOUT | POLLERR | POLLHUP, poll_fd(c, POLLOUT, 2000));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &cl, &srv));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &srv, &cl));
	EXPECT_EQ(-1, send(c, "a", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(-1, send(c, "a", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(0, recv(c, &ch, 1, MSG_DONTWAIT));
	close(c);
	close(lfd);
}

/*
 * 6. shutdown(SHUT_WR): the peer reads EOF and can still send; we read
 * it all; our own sends fail with EPIPE.
 */
TEST_F(lifecycle, shutdown_wr_half_close)
{
	struct sockaddr_in srv;
	struct flow f;
	int lfd, c, s;
	char ch;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	EXPECT_EQ(0, recv_wait(s, &ch, 1));
	EXPECT_EQ(-1, send(c, "a", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);

	ASSERT_EQ(0, flow_init(&f, s, c, 100 * 1024, 6));
	EXPECT_EQ(0, pump(&f, 1));
	EXPECT_EQ(0, flow_check(&f));
	flow_free(&f);

	close(s);
	EXPECT_EQ(0, recv_wait(c, &ch, 1));
	close(c);
	close(lfd);
}

/*
 * 6. shutdown(SHUT_RD) changes nothing on the wire: recv returns 0 at
 * once (even blocking), poll says readable, sending still works.
 */
TEST_F(lifecycle, shutdown_rd)
{
	struct sockaddr_in srv, cl;
	long long t0;
	int lfd, c, s;
	char ch;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	ASSERT_EQ(0, shutdown(c, SHUT_RD));
	t0 = now_ms();
	EXPECT_EQ(0, recv(c, &ch, 1, 0));
	EXPECT_GT(1000, now_ms() - t0);
	EXPECT_EQ(POLLIN | POLLOUT | POLLRDHUP,
		  poll_fd(c, POLLIN | POLLOUT | POLLRDHUP, 0));
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &cl, &srv));
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &srv, &cl));
	EXPECT_EQ(0, send_all(c, "b"));
	EXPECT_EQ(1, recv_wait(s, &ch, 1));
	EXPECT_EQ('b', ch);
	close(c);
	close(s);
	close(lfd);
}

/*
 * 6. shutdown() on a socket that is not connected fails with ENOTCONN,
 * a bad "how" with EINVAL. On a listener SHUT_WR does nothing and SHUT_RD
 * stops listening: connects are refused, accept fails with EINVAL.
 */
TEST_F(lifecycle, shutdown_errors)
{
	struct sockaddr_in srv;
	int fd, lfd, c, s;

	fd = stream_sock(variant->proto, 0);
	ASSERT_OK(fd);
	EXPECT_EQ(-1, shutdown(fd, SHUT_WR));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, shutdown(fd, SHUT_RD));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, shutdown(fd, SHUT_RDWR));
	EXPECT_EQ(ENOTCONN, errno);
	ASSERT_EQ(0, bind_port(fd, 40300, false));
	EXPECT_EQ(-1, shutdown(fd, SHUT_RDWR));
	EXPECT_EQ(ENOTCONN, errno);
	close(fd);

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	EXPECT_EQ(-1, shutdown(c, SHUT_RDWR + 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, shutdown(c, -1));
	EXPECT_EQ(EINVAL, errno);
	close(c);
	close(s);

	EXPECT_EQ(0, shutdown(lfd, SHUT_WR));
	EXPECT_EQ(TCP_LISTEN, sk_state(variant->states, &srv, &any_addr));
	EXPECT_EQ(0, shutdown(lfd, SHUT_RD));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &srv, &any_addr));
	EXPECT_EQ(-1, accept(lfd, NULL, NULL));
	EXPECT_EQ(EINVAL, errno);
	c = stream_sock(variant->proto, 0);
	ASSERT_OK(c);
	EXPECT_ERRNO(ECONNREFUSED, connect_alarm(c, &srv));
	close(c);
	close(lfd);
}

/*
 * 7. The active closer's TIME_WAIT. tcp: fixed 60 s, so only its
 * presence is checked (still there after 2.2 s). mytcp: tw_timeout_ms =
 * 2000, there at 1 s, gone 2 s (+-10%) after it appeared.
 */
TEST_F(lifecycle, time_wait_duration)
{
	struct sockaddr_in srv, cl;
	long long t0, gone;
	int lfd, c, s;

	if (variant->tw_timeout)
		ASSERT_EQ(0, sysctl_set(&self->saved, variant->tw_timeout, "2000"));
	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	ASSERT_OK(connect_pair(variant->proto, lfd, &srv, &c, &s));
	ASSERT_EQ(0, sock_name(c, &cl));
	close(c);
	ASSERT_EQ(0, wait_eof(s));
	close(s);
	ASSERT_EQ(TCP_TIME_WAIT,
		  sk_wait(variant->states, &cl, &srv, TCP_TIME_WAIT, 2000));
	t0 = now_ms();
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &srv, &cl));

	sleep_ms(1000);
	EXPECT_EQ(TCP_TIME_WAIT, sk_state(variant->states, &cl, &srv));
	if (!variant->tw_timeout) {
		sleep_ms(1200);
		EXPECT_EQ(TCP_TIME_WAIT, sk_state(variant->states, &cl, &srv));
		close(lfd);
		return;
	}
	EXPECT_EQ(NO_LINE,
		  sk_wait(variant->states, &cl, &srv, NO_LINE, 3000));
	gone = now_ms() - t0;
	TH_LOG("TIME_WAIT lasted %lld ms", gone);
	EXPECT_LE(1800, gone);
	EXPECT_GE(2200, gone);
	close(lfd);
}

/*
 * 7. bind() to the port of a TIME_WAIT entry succeeds only when both the
 * socket that left it and the new one set SO_REUSEADDR; else EADDRINUSE.
 */
TEST_F(lifecycle, time_wait_bind)
{
	static const int expect[4] = {
		-EADDRINUSE,	/* old without, new without */
		-EADDRINUSE,	/* old without, new with */
		-EADDRINUSE,	/* old with, new without */
		0,		/* old with, new with */
	};
	struct sockaddr_in srv, cl;
	int lfd, c, s, i, fd;

	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	for (i = 0; i < 4; i++) {
		c = stream_sock(variant->proto, 0);
		ASSERT_OK(c);
		ASSERT_EQ(0, bind_port(c, 40400 + i, i >= 2));
		ASSERT_OK(connect_alarm(c, &srv));
		s = accept_wait(lfd, IO_TIMEOUT_MS);
		ASSERT_OK(s);
		ASSERT_EQ(0, sock_name(c, &cl));
		close(c);
		ASSERT_EQ(0, wait_eof(s));
		close(s);
		ASSERT_EQ(TCP_TIME_WAIT,
			  sk_wait(variant->states, &cl, &srv, TCP_TIME_WAIT,
				  2000));
	}
	for (i = 0; i < 4; i++) {
		fd = stream_sock(variant->proto, 0);
		ASSERT_OK(fd);
		EXPECT_EQ(expect[i], bind_port(fd, 40400 + i, i & 1))
			TH_LOG("case %d", i);
		close(fd);
	}
	close(lfd);
}

/*
 * 8. connect() to a peer whose packets all vanish (netem loss 100%)
 * gives up after syn_retries retransmissions with ETIMEDOUT. tcp:
 * retries 1, initial RTO 1 s: 3 s. mytcp: retries 2, rto_initial_ms 200:
 * 200 + 400 + 800 ms = 1.4 s.
 */
TEST_F(lifecycle, syn_retries_timeout)
{
	struct sockaddr_in srv, cl;
	long long t0, took;
	struct timeval tv = { 10, 0 };
	int lfd, c;

	ASSERT_EQ(0, sysctl_set(&self->saved, variant->syn_retries,
				variant->syn_retries_val));
	if (variant->rto_initial)
		ASSERT_EQ(0, sysctl_set(&self->saved, variant->rto_initial, "200"));
	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	if (lo_netem("loss 100%"))
		SKIP(return, "tc netem unavailable");
	c = stream_sock(variant->proto, 0);
	ASSERT_OK(c);
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	t0 = now_ms();
	EXPECT_ERRNO(ETIMEDOUT, connect_alarm(c, &srv));
	took = now_ms() - t0;
	TH_LOG("connect failed after %lld ms", took);
	EXPECT_LE(variant->syn_timeout_min_ms, took);
	EXPECT_GE(variant->syn_timeout_max_ms, took);
	ASSERT_EQ(0, sock_name(c, &cl));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &cl, &srv));
	EXPECT_EQ(0, lo_netem_off());
	close(c);
	close(lfd);
}

/*
 * 9. A socket bound to 127.0.0.1:P connecting to 127.0.0.1:P connects
 * to itself (simultaneous open with itself), echoes its own data, and
 * on close goes through CLOSING to TIME_WAIT.
 */
TEST_F(lifecycle, self_connect)
{
	struct sockaddr_in a = lo_addr(40500);
	char buf[8] = {};
	int fd;

	fd = stream_sock(variant->proto, 0);
	ASSERT_OK(fd);
	ASSERT_EQ(0, bind_port(fd, 40500, false));
	ASSERT_OK(connect_alarm(fd, &a));
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &a, &a));
	EXPECT_EQ(0, send_all(fd, "self"));
	EXPECT_EQ(POLLIN, poll_fd(fd, POLLIN, IO_TIMEOUT_MS));
	EXPECT_EQ(4, recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_STREQ("self", buf);
	close(fd);
	EXPECT_EQ(TCP_TIME_WAIT,
		  sk_wait(variant->states, &a, &a, TCP_TIME_WAIT, 2000));
}

/*
 * 9. Simultaneous open: two bound, non-listening sockets connect to each
 * other while 100 ms of netem delay keeps both SYNs in flight. Each goes
 * SYN_SENT -> SYN_RECV -> ESTABLISHED and data flows.
 */
TEST_F(lifecycle, simultaneous_open)
{
	struct sockaddr_in aa = lo_addr(40600), ba = lo_addr(40601);
	bool a_rcvd = false, b_rcvd = false;
	long long end;
	int a, b;

	a = stream_sock(variant->proto, SOCK_NONBLOCK);
	ASSERT_OK(a);
	b = stream_sock(variant->proto, SOCK_NONBLOCK);
	ASSERT_OK(b);
	ASSERT_EQ(0, bind_port(a, 40600, false));
	ASSERT_EQ(0, bind_port(b, 40601, false));
	if (lo_netem("delay 100ms"))
		SKIP(return, "tc netem unavailable");
	EXPECT_ERRNO(EINPROGRESS, connect_alarm(a, &ba));
	EXPECT_ERRNO(EINPROGRESS, connect_alarm(b, &aa));
	EXPECT_EQ(TCP_SYN_SENT, sk_state(variant->states, &aa, &ba));
	EXPECT_EQ(TCP_SYN_SENT, sk_state(variant->states, &ba, &aa));
	end = now_ms() + 3000;
	while ((!a_rcvd || !b_rcvd) && now_ms() < end) {
		a_rcvd |= sk_state(variant->states, &aa, &ba) == TCP_SYN_RECV;
		b_rcvd |= sk_state(variant->states, &ba, &aa) == TCP_SYN_RECV;
		sleep_ms(5);
	}
	EXPECT_TRUE(a_rcvd);
	EXPECT_TRUE(b_rcvd);
	EXPECT_EQ(POLLOUT, poll_fd(a, POLLOUT, 3000));
	EXPECT_EQ(POLLOUT, poll_fd(b, POLLOUT, 3000));
	EXPECT_EQ(0, so_error(a));
	EXPECT_EQ(0, so_error(b));
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &aa, &ba));
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &ba, &aa));
	EXPECT_EQ(0, lo_netem_off());
	EXPECT_EQ(0, exchange(a, b, 1000, 7));
	close(a);
	close(b);
}

#define ROUNDS		100

/*
 * 10. 100 rounds of connect, accept, 1 KB each way, close (client
 * first). Afterwards the in-use count of /proc/net/protocols is back to
 * its start and the only lines left are the clients' 100 TIME_WAITs.
 */
TEST_F_TIMEOUT(lifecycle, resource_release, 60)
{
	struct sockaddr_in srv;
	long base, now = -1;
	int lfd, c, s, i, port, err;
	long long end;

	base = proto_inuse(variant->name);
	ASSERT_LE(0, base);
	lfd = listener_backlog(variant->proto, 0, 8, &srv);
	ASSERT_OK(lfd);
	port = ntohs(srv.sin_port);
	for (i = 0; i < ROUNDS; i++) {
		err = connect_pair(variant->proto, lfd, &srv, &c, &s);
		if (!err)
			err = exchange(c, s, 1024, i);
		if (!err) {
			close(c);
			err = wait_eof(s);
			close(s);
		}
		if (err)
			TH_LOG("round %d", i);
		ASSERT_OK(err);
	}
	close(lfd);

	end = now_ms() + 3000;
	do {
		now = proto_inuse(variant->name);
		if (now == base)
			break;
		sleep_ms(10);
	} while (now_ms() < end);
	EXPECT_EQ(base, now);
	end = now_ms() + 3000;
	while (count_lines(variant->states, -1, -1, -TCP_TIME_WAIT) &&
	       now_ms() < end)
		sleep_ms(10);
	EXPECT_EQ(0, count_lines(variant->states, -1, -1, -TCP_TIME_WAIT));
	EXPECT_EQ(ROUNDS, count_lines(variant->states, -1, port, TCP_TIME_WAIT));
	EXPECT_EQ(ROUNDS, count_lines(variant->states, -1, -1, -1));
}

TEST_HARNESS_MAIN
