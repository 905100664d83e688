// SPDX-License-Identifier: GPL-2.0
/*
 * A RST received in each state of RFC 9293, and what the user sees
 * afterwards: the errno of the next recv, send and connect, the poll
 * bits, SO_ERROR, SIGPIPE, and the line of the state file. Each test
 * runs on "tcp" (IPPROTO_TCP, /proc/net/tcp) and "mytcp" with the same
 * expectations, which are what Linux TCP does.
 *
 * The RSTs come from the peer aborting (close() with SO_LINGER {1, 0}).
 * To hold our end in FIN-WAIT-1, CLOSING or LAST-ACK, a u32 filter on
 * lo drops every segment we send (our port to the peer's) while the
 * peer's still arrive: deterministic, and the same for both protocols.
 * An in-window RST that is not exact (RFC 5961) is injected through a
 * raw socket with sequence numbers read off lo by an AF_PACKET socket.
 *
 * To reach SYN-SENT and SYN-RECEIVED without a peer socket, and for
 * TIME-WAIT, segments are injected the same way.
 *
 * What Linux reports (tcp_reset(), tcp_recvmsg(), tcp_poll()):
 * ECONNREFUSED in SYN-SENT, EPIPE in CLOSE-WAIT, ECONNRESET in every
 * other state, SYN-RECEIVED, CLOSING and LAST-ACK included, where RFC
 * 9293 says "connection refused" or nothing. recv() returns the error
 * only if no FIN came first (else EOF); send() returns the pending
 * error, then EPIPE with SIGPIPE. An exact RST ends TIME-WAIT.
 */
#include <pthread.h>

#include "kselftest_harness.h"
#include "mytcp_helpers.h"

/* poll() bits of a connection a RST has closed, everything asked for. */
#define ALL_EVENTS	(POLLIN | POLLOUT | POLLRDHUP)
#define DEAD_EVENTS	(POLLIN | POLLOUT | POLLRDHUP | POLLERR | POLLHUP)

/* A listener, a client connected to it, the accepted server end. */
struct conn {
	int lfd, c, s;
	struct sockaddr_in srv, cl;
};

FIXTURE(rst) {
	struct conn k;
};

FIXTURE_VARIANT(rst) {
	int proto;
	const char *states;
};

FIXTURE_VARIANT_ADD(rst, tcp) {
	.proto = IPPROTO_TCP,
	.states = "/proc/net/tcp",
};

FIXTURE_VARIANT_ADD(rst, mytcp) {
	.proto = IPPROTO_MYTCP,
	.states = "/proc/net/mytcp",
};

FIXTURE_SETUP(rst)
{
	int err = test_ns_setup(variant->proto);

	self->k.lfd = -1;
	self->k.c = -1;
	self->k.s = -1;
	if (err == -EPROTONOSUPPORT)
		SKIP(return, "protocol %d unavailable (module not loaded?)",
		     variant->proto);
	ASSERT_EQ(0, err) TH_LOG("namespace setup: %s", strerror(-err));
	self->k.lfd = listener(variant->proto, 0, &self->k.srv);
	ASSERT_OK(self->k.lfd);
}

FIXTURE_TEARDOWN(rst)
{
	lo_drop_off();
	if (self->k.c >= 0)
		close(self->k.c);
	if (self->k.s >= 0)
		close(self->k.s);
	if (self->k.lfd >= 0)
		close(self->k.lfd);
}

static const struct sockaddr_in any_addr = { .sin_family = AF_INET };

/* Connect self->k.c to the listener, accept self->k.s. */
static int pair(int proto, struct conn *k)
{
	int err = connect_pair(proto, k->lfd, &k->srv, &k->c, &k->s);

	if (!err)
		err = sock_name(k->c, &k->cl);
	return err;
}

/* The peer aborts: SO_LINGER {1, 0} and close() send a RST. */
static int peer_abort(int *fd)
{
	int err = linger_zero(*fd);

	close(*fd);
	*fd = -1;
	return err;
}

/* Drop everything the client sends to the server from now on. */
static int drop_client_segments(int proto, struct conn *k)
{
	return lo_drop("egress", proto, ntohs(k->cl.sin_port),
		       ntohs(k->srv.sin_port), 0, 0);
}

/*
 * What the client socket looks like once a RST closed it: woken with
 * POLLERR | POLLHUP, every poll bit set, its line gone.
 */
#define EXPECT_RESET_SOCKET(fd) do { \
	int __fd = (fd); \
	EXPECT_EQ(NO_LINE, sk_wait(variant->states, &self->k.cl, &self->k.srv, \
				   NO_LINE, 3000)); \
	EXPECT_EQ(POLLERR | POLLHUP, poll_fd(__fd, 0, 1000)); \
	EXPECT_EQ(DEAD_EVENTS, poll_fd(__fd, ALL_EVENTS, 0)); \
} while (0)

/* ... after the server aborted: no line for it either (no TIME_WAIT). */
#define EXPECT_ABORTED(fd) do { \
	EXPECT_RESET_SOCKET(fd); \
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &self->k.srv, &self->k.cl)); \
} while (0)

/*
 * After the pending error was reported: EOF on recv, EPIPE with SIGPIPE
 * on send (none with MSG_NOSIGNAL), SO_ERROR 0, EISCONN on connect, and
 * the poll bits but POLLERR.
 */
#define EXPECT_DEAD_AFTER(fd) do { \
	int __fd = (fd), __p = sigpipes(); \
	char __b; \
	EXPECT_EQ(0, recv(__fd, &__b, 1, MSG_DONTWAIT)); \
	EXPECT_FAIL(EPIPE, send(__fd, "a", 1, MSG_NOSIGNAL)); \
	EXPECT_EQ(__p, sigpipes()); \
	EXPECT_FAIL(EPIPE, send(__fd, "a", 1, 0)); \
	EXPECT_EQ(__p + 1, sigpipes()); \
	EXPECT_EQ(0, so_error(__fd)); \
	EXPECT_ERRNO(EISCONN, connect_alarm(__fd, &self->k.srv)); \
	EXPECT_EQ(DEAD_EVENTS & ~POLLERR, poll_fd(__fd, ALL_EVENTS, 0)); \
} while (0)

/*
 * SYN-SENT: a SYN to a port nobody listens on is answered with a RST:
 * ECONNREFUSED from a blocking connect, and through POLLERR and SO_ERROR
 * (once) for a non-blocking one. The socket is then CLOSED and can
 * connect again.
 */
TEST_F(rst, syn_sent)
{
	struct sockaddr_in dst = lo_addr(40700), a;
	int fd;
	char b;

	/*
	 * A blocking connect that fails also disconnects the socket
	 * (inet_stream_connect): no error left, no shutdown flags.
	 */
	fd = stream_sock(variant->proto, 0);
	ASSERT_OK(fd);
	EXPECT_ERRNO(ECONNREFUSED, connect_alarm(fd, &dst));
	ASSERT_EQ(0, sock_name(fd, &a));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &a, &dst));
	EXPECT_EQ(0, so_error(fd));
	EXPECT_EQ(POLLOUT | POLLHUP, poll_fd(fd, ALL_EVENTS, 0));
	EXPECT_FAIL(ENOTCONN, recv(fd, &b, 1, MSG_DONTWAIT));
	EXPECT_FAIL(EPIPE, send(fd, "a", 1, MSG_NOSIGNAL));
	/* Refused again; then to a listener, connect succeeds. */
	EXPECT_ERRNO(ECONNREFUSED, connect_alarm(fd, &dst));
	EXPECT_ERRNO(0, connect_alarm(fd, &self->k.srv));
	close(fd);

	/*
	 * Non-blocking: the error waits in SO_ERROR, the socket is shut
	 * down both ways: POLLIN (EOF) and POLLRDHUP too.
	 */
	fd = stream_sock(variant->proto, SOCK_NONBLOCK);
	ASSERT_OK(fd);
	EXPECT_ERRNO(EINPROGRESS, connect_alarm(fd, &dst));
	EXPECT_EQ(POLLOUT | POLLERR | POLLHUP, poll_fd(fd, POLLOUT, 3000));
	EXPECT_EQ(DEAD_EVENTS, poll_fd(fd, ALL_EVENTS, 0));
	EXPECT_EQ(ECONNREFUSED, so_error(fd));
	EXPECT_EQ(0, so_error(fd));
	EXPECT_EQ(DEAD_EVENTS & ~POLLERR, poll_fd(fd, ALL_EVENTS, 0));
	EXPECT_EQ(0, recv(fd, &b, 1, 0));
	ASSERT_EQ(0, sock_name(fd, &a));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &a, &dst));
	close(fd);

	/* The error is reported by recv() as well, then EOF. */
	fd = stream_sock(variant->proto, SOCK_NONBLOCK);
	ASSERT_OK(fd);
	EXPECT_ERRNO(EINPROGRESS, connect_alarm(fd, &dst));
	EXPECT_EQ(POLLOUT | POLLERR | POLLHUP, poll_fd(fd, POLLOUT, 3000));
	EXPECT_FAIL(ECONNREFUSED, recv(fd, &b, 1, 0));
	EXPECT_EQ(0, recv(fd, &b, 1, 0));
	EXPECT_FAIL(EPIPE, send(fd, "a", 1, MSG_NOSIGNAL));
	close(fd);
}

/*
 * Connect (non-blocking) from 127.0.0.1:40710 to 127.0.0.1:40711, where
 * nothing listens, with our segments dropped on their way in (after the
 * sniffer saw them): the SYN neither arrives nor draws a RST. Our SYN's
 * sequence number (ISS) in *iss.
 */
static int lonely_connect(int proto, int sn, int *fd, struct sockaddr_in *a,
			  struct sockaddr_in *b, __u32 *iss)
{
	struct seg syn;
	int err;

	*a = lo_addr(40710);
	*b = lo_addr(40711);
	err = lo_drop("ingress", proto, 40710, 40711, 0, 0);
	if (err)
		return err;
	*fd = stream_sock(proto, SOCK_NONBLOCK);
	if (*fd < 0)
		return *fd;
	if (bind(*fd, (struct sockaddr *)a, sizeof(*a)))
		return -errno;
	err = connect_alarm(*fd, b);
	if (err != -EINPROGRESS)
		return err ? err : -EISCONN;
	err = sniff_for(sn, proto, a, b, 0xff, F_SYN, &syn, 2000);
	if (err != 1)
		return err ? err : -ETIMEDOUT;
	*iss = syn.seq;
	return 0;
}

/*
 * SYN-SENT, RFC 9293 3.10.7.3: a RST is acceptable only with an ACK of
 * our SYN. Without the ACK bit, or with an ACK of something else, it is
 * dropped and connect goes on; with ACK = ISS + 1 it is refused.
 */
TEST_F(rst, syn_sent_acceptable)
{
	struct sockaddr_in a, b;
	int sn, fd;
	__u32 iss;

	sn = sniff_open();
	ASSERT_OK(sn);
	ASSERT_OK(lonely_connect(variant->proto, sn, &fd, &a, &b, &iss));
	EXPECT_EQ(TCP_SYN_SENT, sk_state(variant->states, &a, &b));

	ASSERT_EQ(0, inject_seg(variant->proto, &b, &a, 0, 0, F_RST, 0));
	ASSERT_EQ(0, inject_seg(variant->proto, &b, &a, 0, iss + 2,
				F_RST | F_ACK, 0));
	ASSERT_EQ(0, inject_seg(variant->proto, &b, &a, 0, iss,
				F_RST | F_ACK, 0));
	EXPECT_EQ(0, poll_fd(fd, POLLOUT, 300));
	EXPECT_EQ(TCP_SYN_SENT, sk_state(variant->states, &a, &b));
	EXPECT_EQ(0, so_error(fd));

	ASSERT_EQ(0, inject_seg(variant->proto, &b, &a, 0, iss + 1,
				F_RST | F_ACK, 0));
	EXPECT_EQ(POLLOUT | POLLERR | POLLHUP, poll_fd(fd, POLLOUT, 2000));
	EXPECT_EQ(ECONNREFUSED, so_error(fd));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &a, &b));
	EXPECT_EQ(0, lo_drop_off());
	close(fd);
	close(sn);
}

/*
 * SYN-RECEIVED reached by a simultaneous open: in SYN-SENT we get a SYN
 * without ACK (injected), answer SYN-ACK and wait in SYN_RECV; then an
 * exact RST. RFC 9293 says "connection refused" for a connection that
 * came from SYN-SENT; Linux's tcp_reset() gives ECONNREFUSED only in
 * SYN-SENT: the user sees ECONNRESET.
 */
TEST_F(rst, syn_recv_simultaneous)
{
	struct sockaddr_in a, b;
	__u32 iss, peer_iss = 0x12345678;
	struct seg synack = {};
	int sn, fd;

	sn = sniff_open();
	ASSERT_OK(sn);
	ASSERT_OK(lonely_connect(variant->proto, sn, &fd, &a, &b, &iss));
	ASSERT_EQ(0, inject_seg(variant->proto, &b, &a, peer_iss, 0, F_SYN,
				65535));
	ASSERT_EQ(1, sniff_for(sn, variant->proto, &a, &b, 0xff,
			       F_SYN | F_ACK, &synack, 2000));
	EXPECT_EQ(iss, synack.seq);
	EXPECT_EQ(peer_iss + 1, synack.ack);
	EXPECT_EQ(TCP_SYN_RECV, sk_state(variant->states, &a, &b));
	EXPECT_EQ(0, poll_fd(fd, POLLOUT, 100));

	/* Not exact: a challenge ACK, nothing else. */
	sniff_drain(sn);
	ASSERT_EQ(0, inject_seg(variant->proto, &b, &a, peer_iss + 100, 0,
				F_RST, 0));
	EXPECT_EQ(1, sniff_for(sn, variant->proto, &a, &b, 0xff, F_ACK,
			       &synack, 1000));
	EXPECT_EQ(peer_iss + 1, synack.ack);
	EXPECT_EQ(iss + 1, synack.seq);
	EXPECT_EQ(0, poll_fd(fd, POLLOUT, 300));
	EXPECT_EQ(TCP_SYN_RECV, sk_state(variant->states, &a, &b));

	ASSERT_EQ(0, inject_seg(variant->proto, &b, &a, peer_iss + 1, 0,
				F_RST, 0));
	EXPECT_EQ(POLLOUT | POLLERR | POLLHUP, poll_fd(fd, POLLOUT, 2000));
	EXPECT_EQ(ECONNRESET, so_error(fd));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &a, &b));
	EXPECT_EQ(0, lo_drop_off());
	close(fd);
	close(sn);
}

/*
 * SYN-RECEIVED: the client's handshake ACK is dropped (flags exactly
 * ACK), so the server holds a SYN_RECV request; the client then aborts,
 * and its RST removes the request: no line, nothing to accept.
 */
TEST_F(rst, syn_recv)
{
	int c;

	close(self->k.lfd);
	self->k.lfd = listener(variant->proto, SOCK_NONBLOCK, &self->k.srv);
	ASSERT_OK(self->k.lfd);
	if (lo_drop("egress", variant->proto, 0, ntohs(self->k.srv.sin_port),
		    0xff, F_ACK))
		SKIP(return, "tc clsact/u32 unavailable");
	c = stream_sock(variant->proto, 0);
	ASSERT_OK(c);
	ASSERT_OK(connect_alarm(c, &self->k.srv));
	ASSERT_EQ(0, sock_name(c, &self->k.cl));
	EXPECT_EQ(TCP_SYN_RECV, sk_state(variant->states, &self->k.srv, &self->k.cl));
	EXPECT_EQ(0, poll_fd(self->k.lfd, POLLIN, 100));

	EXPECT_EQ(0, peer_abort(&c));
	EXPECT_EQ(NO_LINE, sk_wait(variant->states, &self->k.srv, &self->k.cl,
				   NO_LINE, 2000));
	EXPECT_EQ(NO_LINE, sk_state(variant->states, &self->k.cl, &self->k.srv));
	EXPECT_EQ(0, poll_fd(self->k.lfd, POLLIN, 300));
	EXPECT_FAIL(EAGAIN, accept(self->k.lfd, NULL, NULL));
	/* The listener is unharmed. */
	EXPECT_EQ(0, lo_drop_off());
	EXPECT_EQ(TCP_LISTEN, sk_state(variant->states, &self->k.srv, &any_addr));
	ASSERT_OK(pair(variant->proto, &self->k));
}

/*
 * ESTABLISHED: recv reports ECONNRESET once, then EOF; send EPIPE and
 * SIGPIPE; no line either way (the aborting end keeps no TIME_WAIT).
 */
TEST_F(rst, established)
{
	char b;

	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_EQ(0, peer_abort(&self->k.s));
	EXPECT_ABORTED(self->k.c);
	EXPECT_FAIL(ECONNRESET, recv(self->k.c, &b, 1, MSG_DONTWAIT));
	EXPECT_DEAD_AFTER(self->k.c);
}

/* ESTABLISHED: SO_ERROR reports the reset, and send() before recv(). */
TEST_F(rst, established_send_first)
{
	int p;

	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_EQ(0, peer_abort(&self->k.s));
	EXPECT_ABORTED(self->k.c);
	p = sigpipes();
	/* The pending error is no EPIPE: no SIGPIPE. */
	EXPECT_FAIL(ECONNRESET, send(self->k.c, "a", 1, 0));
	EXPECT_EQ(p, sigpipes());
	EXPECT_DEAD_AFTER(self->k.c);

	close(self->k.c);
	self->k.c = -1;
	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_EQ(0, peer_abort(&self->k.s));
	EXPECT_ABORTED(self->k.c);
	EXPECT_EQ(ECONNRESET, so_error(self->k.c));
	EXPECT_DEAD_AFTER(self->k.c);
}

struct delayed_abort {
	int fd;
	int ms;
};

static void *abort_later(void *arg)
{
	struct delayed_abort *d = arg;

	sleep_ms(d->ms);
	peer_abort(&d->fd);
	return NULL;
}

/*
 * ESTABLISHED: a recv() blocked waiting for data, and a send() blocked
 * on a full send buffer, are woken by the RST with ECONNRESET.
 */
TEST_F(rst, established_blocked_calls)
{
	struct delayed_abort d = { .ms = 300 };
	static char buf[65536];
	long long t0, took;
	pthread_t t;
	ssize_t n;

	ASSERT_OK(pair(variant->proto, &self->k));
	d.fd = self->k.s;
	self->k.s = -1;
	ASSERT_EQ(0, pthread_create(&t, NULL, abort_later, &d));
	t0 = now_ms();
	EXPECT_FAIL(ECONNRESET, recv(self->k.c, buf, 1, 0));
	took = now_ms() - t0;
	pthread_join(t, NULL);
	EXPECT_LE(250, took);
	EXPECT_GE(3000, took);
	close(self->k.c);
	self->k.c = -1;

	/* Fill the client's send buffer and the server's receive buffer. */
	ASSERT_OK(pair(variant->proto, &self->k));
	t0 = now_ms();
	for (;;) {
		n = send(self->k.c, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			break;
		ASSERT_GT(5000, now_ms() - t0);
	}
	ASSERT_EQ(EAGAIN, errno);
	/* Let the last segments land before the abort is armed. */
	sleep_ms(200);
	while (send(self->k.c, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	d.fd = self->k.s;
	self->k.s = -1;
	ASSERT_EQ(0, pthread_create(&t, NULL, abort_later, &d));
	t0 = now_ms();
	EXPECT_FAIL(ECONNRESET, send(self->k.c, buf, 1, 0));
	took = now_ms() - t0;
	pthread_join(t, NULL);
	EXPECT_LE(250, took);
	EXPECT_GE(3000, took);
	EXPECT_DEAD_AFTER(self->k.c);
}

/*
 * FIN-WAIT-1: our FIN is lost (our segments dropped), the peer aborts:
 * recv reports ECONNRESET (no FIN came), then the connection is dead.
 */
TEST_F(rst, fin_wait1)
{
	char b;

	ASSERT_OK(pair(variant->proto, &self->k));
	if (drop_client_segments(variant->proto, &self->k))
		SKIP(return, "tc clsact/u32 unavailable");
	ASSERT_EQ(0, shutdown(self->k.c, SHUT_WR));
	sleep_ms(100);
	EXPECT_EQ(TCP_FIN_WAIT1, sk_state(variant->states, &self->k.cl, &self->k.srv));
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &self->k.srv, &self->k.cl));
	EXPECT_EQ(POLLOUT, poll_fd(self->k.c, ALL_EVENTS, 0));

	ASSERT_EQ(0, peer_abort(&self->k.s));
	EXPECT_ABORTED(self->k.c);
	EXPECT_FAIL(ECONNRESET, recv(self->k.c, &b, 1, MSG_DONTWAIT));
	EXPECT_DEAD_AFTER(self->k.c);
	EXPECT_EQ(0, lo_drop_off());
}

/* FIN-WAIT-1 of an orphan (close()d): the RST frees it at once. */
TEST_F(rst, fin_wait1_orphan)
{
	ASSERT_OK(pair(variant->proto, &self->k));
	if (drop_client_segments(variant->proto, &self->k))
		SKIP(return, "tc clsact/u32 unavailable");
	close(self->k.c);
	self->k.c = -1;
	sleep_ms(100);
	EXPECT_EQ(TCP_FIN_WAIT1, sk_state(variant->states, &self->k.cl, &self->k.srv));
	ASSERT_EQ(0, peer_abort(&self->k.s));
	EXPECT_EQ(NO_LINE, sk_wait(variant->states, &self->k.cl, &self->k.srv,
				   NO_LINE, 2000));
	EXPECT_EQ(1, sk_count(variant->states, -1));
	EXPECT_EQ(0, lo_drop_off());
}

/*
 * FIN-WAIT-2: we shut down writing, the peer ACKed our FIN but sent
 * none, then aborts: recv reports ECONNRESET.
 */
TEST_F(rst, fin_wait2)
{
	char b;

	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_EQ(0, shutdown(self->k.c, SHUT_WR));
	EXPECT_EQ(0, recv_wait(self->k.s, &b, 1));
	EXPECT_EQ(TCP_FIN_WAIT2, sk_wait(variant->states, &self->k.cl, &self->k.srv,
					 TCP_FIN_WAIT2, 2000));
	EXPECT_EQ(POLLOUT, poll_fd(self->k.c, ALL_EVENTS, 0));

	ASSERT_EQ(0, peer_abort(&self->k.s));
	EXPECT_ABORTED(self->k.c);
	EXPECT_FAIL(ECONNRESET, recv(self->k.c, &b, 1, MSG_DONTWAIT));
	EXPECT_DEAD_AFTER(self->k.c);
}

/*
 * CLOSE-WAIT: the peer shut down writing (we read EOF), then aborts.
 * Linux reports EPIPE for a RST in CLOSE-WAIT, not ECONNRESET; recv
 * keeps returning EOF (the FIN came first); the first send gets the
 * pending EPIPE, with SIGPIPE.
 */
TEST_F(rst, close_wait)
{
	char b;
	int p;

	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_EQ(0, shutdown(self->k.s, SHUT_WR));
	EXPECT_EQ(0, recv_wait(self->k.c, &b, 1));
	EXPECT_EQ(TCP_CLOSE_WAIT, sk_state(variant->states, &self->k.cl, &self->k.srv));
	EXPECT_EQ(POLLIN | POLLOUT | POLLRDHUP, poll_fd(self->k.c, ALL_EVENTS, 0));

	ASSERT_EQ(0, peer_abort(&self->k.s));
	EXPECT_ABORTED(self->k.c);
	EXPECT_EQ(0, recv(self->k.c, &b, 1, MSG_DONTWAIT));
	p = sigpipes();
	EXPECT_FAIL(EPIPE, send(self->k.c, "a", 1, 0));
	EXPECT_EQ(p + 1, sigpipes());
	EXPECT_DEAD_AFTER(self->k.c);

	/* The same seen through SO_ERROR. */
	close(self->k.c);
	self->k.c = -1;
	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_EQ(0, shutdown(self->k.s, SHUT_WR));
	EXPECT_EQ(0, recv_wait(self->k.c, &b, 1));
	ASSERT_EQ(0, peer_abort(&self->k.s));
	EXPECT_ABORTED(self->k.c);
	EXPECT_EQ(EPIPE, so_error(self->k.c));
	EXPECT_DEAD_AFTER(self->k.c);
}

/*
 * CLOSING: our FIN is lost, the peer's FIN crosses it (we ACK it, lost
 * too): we are in CLOSING, the peer in FIN-WAIT-1. The peer aborts: its
 * RST (sequence number after its FIN) resets us. RFC 9293 only closes
 * here; Linux also reports ECONNRESET: POLLERR, and send (recv gives
 * EOF: the FIN came first).
 */
TEST_F(rst, closing)
{
	char b;

	ASSERT_OK(pair(variant->proto, &self->k));
	if (drop_client_segments(variant->proto, &self->k))
		SKIP(return, "tc clsact/u32 unavailable");
	ASSERT_EQ(0, shutdown(self->k.c, SHUT_WR));
	ASSERT_EQ(0, shutdown(self->k.s, SHUT_WR));
	EXPECT_EQ(TCP_CLOSING, sk_wait(variant->states, &self->k.cl, &self->k.srv,
				       TCP_CLOSING, 2000));
	EXPECT_EQ(TCP_FIN_WAIT1, sk_state(variant->states, &self->k.srv, &self->k.cl));
	EXPECT_EQ(POLLIN | POLLOUT | POLLRDHUP | POLLHUP,
		  poll_fd(self->k.c, ALL_EVENTS, 0));

	ASSERT_EQ(0, peer_abort(&self->k.s));
	EXPECT_ABORTED(self->k.c);
	EXPECT_EQ(0, recv(self->k.c, &b, 1, MSG_DONTWAIT));
	EXPECT_FAIL(ECONNRESET, send(self->k.c, "a", 1, MSG_NOSIGNAL));
	EXPECT_DEAD_AFTER(self->k.c);
	EXPECT_EQ(0, lo_drop_off());
}

/*
 * LAST-ACK: the peer shut down writing, we did too but our FIN is lost;
 * the peer (FIN-WAIT-2) aborts. As in CLOSING, Linux reports
 * ECONNRESET where RFC 9293 only closes: POLLERR, SO_ERROR (recv gives
 * EOF).
 */
TEST_F(rst, last_ack)
{
	char b;

	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_EQ(0, shutdown(self->k.s, SHUT_WR));
	EXPECT_EQ(0, recv_wait(self->k.c, &b, 1));
	ASSERT_EQ(TCP_FIN_WAIT2, sk_wait(variant->states, &self->k.srv, &self->k.cl,
					 TCP_FIN_WAIT2, 2000));
	if (drop_client_segments(variant->proto, &self->k))
		SKIP(return, "tc clsact/u32 unavailable");
	ASSERT_EQ(0, shutdown(self->k.c, SHUT_WR));
	sleep_ms(100);
	EXPECT_EQ(TCP_LAST_ACK, sk_state(variant->states, &self->k.cl, &self->k.srv));
	EXPECT_EQ(TCP_FIN_WAIT2, sk_state(variant->states, &self->k.srv, &self->k.cl));
	EXPECT_EQ(POLLIN | POLLOUT | POLLRDHUP | POLLHUP,
		  poll_fd(self->k.c, ALL_EVENTS, 0));

	ASSERT_EQ(0, peer_abort(&self->k.s));
	EXPECT_ABORTED(self->k.c);
	EXPECT_EQ(0, recv(self->k.c, &b, 1, MSG_DONTWAIT));
	EXPECT_EQ(ECONNRESET, so_error(self->k.c));
	EXPECT_DEAD_AFTER(self->k.c);
	EXPECT_EQ(0, lo_drop_off());
}

/* LAST-ACK of an orphan: the RST frees it. */
TEST_F(rst, last_ack_orphan)
{
	char b;

	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_EQ(0, shutdown(self->k.s, SHUT_WR));
	EXPECT_EQ(0, recv_wait(self->k.c, &b, 1));
	ASSERT_EQ(TCP_FIN_WAIT2, sk_wait(variant->states, &self->k.srv, &self->k.cl,
					 TCP_FIN_WAIT2, 2000));
	if (drop_client_segments(variant->proto, &self->k))
		SKIP(return, "tc clsact/u32 unavailable");
	close(self->k.c);
	self->k.c = -1;
	sleep_ms(100);
	EXPECT_EQ(TCP_LAST_ACK, sk_state(variant->states, &self->k.cl, &self->k.srv));
	ASSERT_EQ(0, peer_abort(&self->k.s));
	EXPECT_EQ(NO_LINE, sk_wait(variant->states, &self->k.cl, &self->k.srv,
				   NO_LINE, 2000));
	EXPECT_EQ(1, sk_count(variant->states, -1));
	EXPECT_EQ(0, lo_drop_off());
}

/*
 * TIME-WAIT: Linux (net.ipv4.tcp_rfc1337 = 0, the default) lets a RST
 * with SEG.SEQ = RCV.NXT kill the entry (tcp_timewait_state_process());
 * any other RST is ignored. RFC 1337 suggests ignoring them all: Linux
 * does only with tcp_rfc1337 = 1.
 */
TEST_F(rst, time_wait)
{
	struct seg fin, any;
	int sn;
	char b;

	ASSERT_OK(pair(variant->proto, &self->k));
	sn = sniff_open();
	ASSERT_OK(sn);
	close(self->k.c);
	self->k.c = -1;
	EXPECT_EQ(0, recv_wait(self->k.s, &b, 1));
	close(self->k.s);
	self->k.s = -1;
	ASSERT_EQ(1, sniff_for(sn, variant->proto, &self->k.srv, &self->k.cl,
			       F_FIN, F_FIN, &fin, 2000));
	ASSERT_EQ(TCP_TIME_WAIT, sk_wait(variant->states, &self->k.cl, &self->k.srv,
					 TCP_TIME_WAIT, 2000));
	sleep_ms(100);
	sniff_drain(sn);

	/* In the window but not exact; and the FIN's own number: ignored. */
	ASSERT_EQ(0, inject_seg(variant->proto, &self->k.srv, &self->k.cl,
				fin.seq + 1000, 0, F_RST, 0));
	ASSERT_EQ(0, inject_seg(variant->proto, &self->k.srv, &self->k.cl,
				fin.seq, 0, F_RST, 0));
	sleep_ms(300);
	EXPECT_EQ(TCP_TIME_WAIT, sk_state(variant->states, &self->k.cl, &self->k.srv));
	EXPECT_EQ(0, sniff_for(sn, variant->proto, &self->k.cl, &self->k.srv, 0, 0,
			       &any, 0)) TH_LOG("TIME-WAIT answered a RST");

	/*
	 * Exact: Linux (tcp_rfc1337=0 by default) lets it end the entry.
	 * mytcp protects TIME-WAIT by default (net.mytcp.rfc1337=1, RFC
	 * 1337) and behaves as Linux with rfc1337=0 (this namespace only).
	 */
	if (variant->proto == IPPROTO_MYTCP) {
		FILE *f;

		ASSERT_EQ(0, inject_seg(variant->proto, &self->k.srv,
					&self->k.cl, fin.seq + 1, 0, F_RST, 0));
		sleep_ms(300);
		EXPECT_EQ(TCP_TIME_WAIT, sk_state(variant->states, &self->k.cl,
						  &self->k.srv))
			TH_LOG("RFC 1337: a RST ended TIME-WAIT");
		f = fopen("/proc/sys/net/mytcp/rfc1337", "w");
		ASSERT_NE(NULL, f);
		ASSERT_LT(0, fputs("0", f));
		ASSERT_EQ(0, fclose(f));
	}
	ASSERT_EQ(0, inject_seg(variant->proto, &self->k.srv, &self->k.cl,
				fin.seq + 1, 0, F_RST, 0));
	EXPECT_EQ(NO_LINE, sk_wait(variant->states, &self->k.cl, &self->k.srv,
				   NO_LINE, 1000));
	close(sn);
}

/*
 * RFC 5961 3.2: a RST whose sequence number is in the window but not
 * RCV.NXT does not reset; it is answered by a challenge ACK (ACK =
 * RCV.NXT). One outside the window is dropped silently. Only one at
 * exactly RCV.NXT resets. The RSTs are injected from the peer's
 * address; RCV.NXT is read off the peer's last data segment.
 */
TEST_F(rst, rfc5961_in_window)
{
	struct seg seg, ack;
	__u32 rcv_nxt, snd_nxt;
	int sn, n;
	char b;

	ASSERT_OK(pair(variant->proto, &self->k));
	sn = sniff_open();
	ASSERT_OK(sn);
	ASSERT_EQ(0, send_all(self->k.s, "x"));
	ASSERT_EQ(1, sniff_for(sn, variant->proto, &self->k.srv, &self->k.cl,
			       0, 0, &seg, 2000));
	ASSERT_EQ(1, seg.len);
	ASSERT_EQ(1, recv_wait(self->k.c, &b, 1));
	rcv_nxt = seg.seq + 1;
	snd_nxt = seg.ack;
	/* Let the ACK of it (maybe delayed) go by. */
	sleep_ms(300);
	sniff_drain(sn);

	/* In the window, 1000 bytes ahead: a challenge ACK, no reset. */
	ASSERT_EQ(0, inject_seg(variant->proto, &self->k.srv, &self->k.cl,
				rcv_nxt + 1000, 0, F_RST, 0));
	n = sniff_for(sn, variant->proto, &self->k.cl, &self->k.srv, 0xff, F_ACK,
		      &ack, 1000);
	EXPECT_EQ(1, n) TH_LOG("no challenge ACK");
	if (n == 1) {
		EXPECT_EQ(rcv_nxt, ack.ack);
		EXPECT_EQ(snd_nxt, ack.seq);
	}
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &self->k.cl, &self->k.srv));
	EXPECT_EQ(POLLOUT, poll_fd(self->k.c, ALL_EVENTS, 0));
	EXPECT_EQ(0, so_error(self->k.c));

	/* Below the window: dropped without an answer. */
	sleep_ms(600);
	ASSERT_EQ(0, inject_seg(variant->proto, &self->k.srv, &self->k.cl,
				rcv_nxt - 2, 0, F_RST, 0));
	EXPECT_EQ(0, sniff_for(sn, variant->proto, &self->k.cl, &self->k.srv,
			       0, 0, &ack, 600));
	EXPECT_EQ(TCP_ESTABLISHED, sk_state(variant->states, &self->k.cl, &self->k.srv));

	/* Data still flows both ways. */
	EXPECT_EQ(0, send_all(self->k.s, "y"));
	EXPECT_EQ(1, recv_wait(self->k.c, &b, 1));
	EXPECT_EQ('y', b);
	EXPECT_EQ(0, send_all(self->k.c, "z"));
	EXPECT_EQ(1, recv_wait(self->k.s, &b, 1));
	EXPECT_EQ('z', b);

	/* Exactly RCV.NXT (one byte later now): reset. */
	rcv_nxt++;
	ASSERT_EQ(0, inject_seg(variant->proto, &self->k.srv, &self->k.cl,
				rcv_nxt, 0, F_RST, 0));
	EXPECT_RESET_SOCKET(self->k.c);
	EXPECT_FAIL(ECONNRESET, recv(self->k.c, &b, 1, MSG_DONTWAIT));
	EXPECT_DEAD_AFTER(self->k.c);
	close(sn);
}

TEST_HARNESS_MAIN
