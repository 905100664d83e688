// SPDX-License-Identifier: GPL-2.0
/*
 * Socket API parity: every case runs on "tcp" (IPPROTO_TCP, the
 * reference) and "mytcp" with one set of expectations, Linux TCP's, so
 * any divergence fails. What lifecycle_test, rst_test, sockopt_test and
 * transfer_test already check is not repeated here (ECONNREFUSED,
 * TIME-WAIT and SO_REUSEADDR, SO_LINGER {1, 0}, shutdown errors, EPIPE
 * after a peer's close, SOL_TCP options); see Documentation/testing.rst.
 *
 * Covered: bind and connect errnos, listen and accept4 flags, addresses;
 * poll bits in each situation and edge-triggered epoll; recv and send
 * flags (MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT, MSG_TRUNC, MSG_NOSIGNAL,
 * MSG_MORE), zero lengths, vectored and multi-message calls; SOL_SOCKET
 * options (SO_RCVLOWAT, timeouts, SO_LINGER with a timeout, buffers,
 * SO_BINDTODEVICE, SO_MARK, identity), IP_TOS and IP_TTL on every
 * segment seen on the wire; sendfile and splice.
 */
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "mytcp_helpers.h"

#define KB	1024
#define MiB	(1024 * 1024)

/* What poll() is asked for; POLLERR and POLLHUP come anyway. */
#define EV_ALL	(POLLIN | POLLOUT | POLLRDHUP)

FIXTURE(api) {
	int lfd;
	struct sockaddr_in srv;
};

FIXTURE_VARIANT(api) {
	int proto;
};

FIXTURE_VARIANT_ADD(api, tcp) {
	.proto = IPPROTO_TCP,
};

FIXTURE_VARIANT_ADD(api, mytcp) {
	.proto = IPPROTO_MYTCP,
};

FIXTURE_SETUP(api)
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

FIXTURE_TEARDOWN(api)
{
	lo_drop_off();
	if (self->lfd >= 0)
		close(self->lfd);
}

static int bind_to(int fd, const char *ip, unsigned short port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &a.sin_addr);
	return bind(fd, (struct sockaddr *)&a, sizeof(a)) ? -errno : 0;
}

static int connect_to(int fd, const char *ip, unsigned short port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &a.sin_addr);
	return connect_alarm(fd, &a);
}

static int set_int(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val)) ? -errno : 0;
}

/* getsockopt() of an int: the value (>= 0) or -errno. */
static int get_int(int fd, int level, int opt)
{
	socklen_t len = sizeof(int);
	int v = -1;

	if (getsockopt(fd, level, opt, &v, &len))
		return -errno;
	return v;
}

static int peer_name(int fd, struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);

	memset(a, 0, sizeof(*a));
	return getpeername(fd, (struct sockaddr *)a, &len) ? -errno : 0;
}

/* Bytes readable now without blocking (MSG_PEEK of up to len). */
static int peek_now(int fd, void *buf, size_t len)
{
	int n = recv(fd, buf, len, MSG_PEEK | MSG_DONTWAIT);

	return n < 0 ? -errno : n;
}

/* Wait until fd has at least n bytes queued (peeked): 0 or -ETIMEDOUT. */
static int wait_queued(int fd, int n)
{
	long long end = now_ms() + IO_TIMEOUT_MS;
	char buf[256];

	while (peek_now(fd, buf, sizeof(buf)) < n) {
		if (now_ms() > end)
			return -ETIMEDOUT;
		sleep_ms(2);
	}
	return 0;
}

/* Fill the send buffer without blocking: bytes queued. */
static long fill_sndbuf(int fd)
{
	static char junk[16 * KB];
	long total = 0;
	ssize_t n;
	int idle = 0;

	/* The first EAGAIN may come before the peer's window closed. */
	while (idle < 20) {
		n = send(fd, junk, sizeof(junk), MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			total += n;
			idle = 0;
			continue;
		}
		idle++;
		sleep_ms(slow(10));
	}
	return total;
}

/* Read and throw away until EAGAIN after a quiet 100 ms: bytes read. */
static long drain(int fd)
{
	static char junk[64 * KB];
	long total = 0;
	ssize_t n;

	while (poll_fd(fd, POLLIN, 100) > 0) {
		n = recv(fd, junk, sizeof(junk), MSG_DONTWAIT);
		if (n <= 0)
			break;
		total += n;
	}
	return total;
}

/*
 * bind(): a second bind, a taken port, a non-local address, port 0 and
 * INADDR_ANY, bad lengths and families, bind after connect; two
 * SO_REUSEADDR sockets share a port until one listens.
 */
TEST_F(api, bind_errors)
{
	struct sockaddr_in a = lo_addr(0), got;
	int fd, fd2, fd3;

	fd = stream_sock(variant->proto, 0);
	ASSERT_OK(fd);
	ASSERT_EQ(0, bind_to(fd, "127.0.0.1", 0));
	ASSERT_EQ(0, sock_name(fd, &got));
	EXPECT_NE(0, got.sin_port);
	EXPECT_EQ(htonl(INADDR_LOOPBACK), got.sin_addr.s_addr);
	EXPECT_ERRNO(EINVAL, bind_to(fd, "127.0.0.1", 0));
	fd2 = stream_sock(variant->proto, 0);
	ASSERT_OK(fd2);
	EXPECT_ERRNO(EADDRINUSE, bind_to(fd2, "127.0.0.1", ntohs(got.sin_port)));
	EXPECT_ERRNO(EADDRINUSE, bind_to(fd2, "0.0.0.0", ntohs(got.sin_port)));
	EXPECT_ERRNO(EADDRNOTAVAIL, bind_to(fd2, "192.0.2.1", 0));
	/* Too short; another family; AF_UNSPEC is allowed for INADDR_ANY. */
	EXPECT_FAIL(EINVAL, bind(fd2, (struct sockaddr *)&a, sizeof(a) - 1));
	a.sin_family = AF_INET6;
	EXPECT_FAIL(EAFNOSUPPORT, bind(fd2, (struct sockaddr *)&a, sizeof(a)));
	a.sin_family = AF_UNSPEC;
	EXPECT_FAIL(EAFNOSUPPORT, bind(fd2, (struct sockaddr *)&a, sizeof(a)));
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	EXPECT_EQ(0, bind(fd2, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, sock_name(fd2, &got));
	EXPECT_NE(0, got.sin_port);
	EXPECT_EQ(htonl(INADDR_ANY), got.sin_addr.s_addr);
	close(fd2);
	close(fd);

	/* After connect() the socket has its port: EINVAL. */
	fd = stream_sock(variant->proto, 0);
	ASSERT_OK(fd);
	ASSERT_OK(connect_alarm(fd, &self->srv));
	EXPECT_ERRNO(EINVAL, bind_to(fd, "127.0.0.1", 0));
	close(fd);

	/* SO_REUSEADDR on both: shared until one listens. */
	fd = stream_sock(variant->proto, 0);
	fd2 = stream_sock(variant->proto, 0);
	fd3 = stream_sock(variant->proto, 0);
	ASSERT_OK(fd3);
	ASSERT_EQ(0, set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, set_int(fd2, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, set_int(fd3, SOL_SOCKET, SO_REUSEADDR, 1));
	EXPECT_EQ(1, get_int(fd, SOL_SOCKET, SO_REUSEADDR));
	ASSERT_EQ(0, bind_to(fd, "127.0.0.1", 40500));
	EXPECT_EQ(0, bind_to(fd2, "127.0.0.1", 40500));
	EXPECT_EQ(0, listen(fd, 4));
	EXPECT_FAIL(EADDRINUSE, listen(fd2, 4));
	EXPECT_ERRNO(EADDRINUSE, bind_to(fd3, "127.0.0.1", 40500));
	close(fd3);
	close(fd2);
	close(fd);
}

/*
 * connect(): ENOTCONN before, bad lengths and families, EISCONN twice
 * and on a listener; EINPROGRESS then EALREADY while the SYN is lost;
 * a blocking connect bounded by SO_SNDTIMEO returns EINPROGRESS.
 */
TEST_F(api, connect_errors)
{
	struct sockaddr_in a = self->srv, got;
	long long t0, took;
	int fd;

	fd = stream_sock(variant->proto, 0);
	ASSERT_OK(fd);
	EXPECT_ERRNO(ENOTCONN, peer_name(fd, &got));
	EXPECT_FAIL(EINVAL, connect(fd, (struct sockaddr *)&a, sizeof(a) - 1));
	a.sin_family = AF_INET6;
	EXPECT_FAIL(EAFNOSUPPORT, connect(fd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_OK(connect_alarm(fd, &self->srv));
	EXPECT_EQ(0, peer_name(fd, &got));
	EXPECT_TRUE(same_addr(&got, &self->srv));
	EXPECT_ERRNO(EISCONN, connect_alarm(fd, &self->srv));
	close(fd);
	EXPECT_ERRNO(EISCONN, connect_alarm(self->lfd, &self->srv));

	/* SYNs to port 40600 vanish. */
	ASSERT_EQ(0, lo_drop("egress", variant->proto, 0, 40600, F_SYN, F_SYN));
	fd = stream_sock(variant->proto, SOCK_NONBLOCK);
	ASSERT_OK(fd);
	EXPECT_ERRNO(EINPROGRESS, connect_to(fd, "127.0.0.1", 40600));
	EXPECT_ERRNO(EALREADY, connect_to(fd, "127.0.0.1", 40600));
	EXPECT_EQ(0, poll_fd(fd, EV_ALL, 50));
	EXPECT_EQ(0, so_error(fd));
	EXPECT_ERRNO(ENOTCONN, peer_name(fd, &got));
	close(fd);

	fd = stream_sock(variant->proto, 0);
	ASSERT_OK(fd);
	ASSERT_EQ(0, sock_timeouts(fd, 200));
	t0 = now_ms();
	EXPECT_ERRNO(EINPROGRESS, connect_to(fd, "127.0.0.1", 40600));
	took = now_ms() - t0;
	EXPECT_LE(100, took);
	EXPECT_GE(1500, took);
	/* The attempt goes on: connecting again is EALREADY. */
	EXPECT_ERRNO(EALREADY, connect_to(fd, "127.0.0.1", 40600));
	close(fd);
}

/*
 * listen() on a connected socket, backlog 0, listen twice; accept() on
 * a connected socket; accept4() flags on the new descriptor; the
 * addresses and identity of both ends.
 */
TEST_F(api, listen_accept)
{
	struct sockaddr_in srv, a, b;
	socklen_t len;
	int l0, c, s, c2;

	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	EXPECT_FAIL(EINVAL, listen(c, 4));
	EXPECT_FAIL(EINVAL, listen(s, 4));
	EXPECT_FAIL(EINVAL, accept(c, NULL, NULL));
	EXPECT_EQ(0, get_int(c, SOL_SOCKET, SO_ACCEPTCONN));
	EXPECT_EQ(0, get_int(s, SOL_SOCKET, SO_ACCEPTCONN));
	EXPECT_EQ(1, get_int(self->lfd, SOL_SOCKET, SO_ACCEPTCONN));
	EXPECT_EQ(variant->proto, get_int(s, SOL_SOCKET, SO_PROTOCOL));
	EXPECT_EQ(SOCK_STREAM, get_int(s, SOL_SOCKET, SO_TYPE));
	EXPECT_EQ(AF_INET, get_int(s, SOL_SOCKET, SO_DOMAIN));
	/* Each end's name is the other's peer. */
	ASSERT_EQ(0, sock_name(c, &a));
	ASSERT_EQ(0, peer_name(s, &b));
	EXPECT_TRUE(same_addr(&a, &b));
	ASSERT_EQ(0, sock_name(s, &a));
	EXPECT_TRUE(same_addr(&a, &self->srv));
	close(s);
	close(c);

	/* Backlog 0 still takes one connection; listen() again is fine. */
	l0 = listener_backlog(variant->proto, 0, 0, &srv);
	ASSERT_OK(l0);
	EXPECT_EQ(0, listen(l0, 0));
	EXPECT_EQ(0, listen(l0, -1));
	EXPECT_EQ(0, listen(l0, 0));
	ASSERT_OK(connect_pair(variant->proto, l0, &srv, &c, &s));
	close(s);
	close(c);

	/* accept4(): flags on the new descriptor only, bad flags EINVAL. */
	c = stream_sock(variant->proto, 0);
	c2 = stream_sock(variant->proto, 0);
	ASSERT_OK(c2);
	ASSERT_OK(connect_alarm(c, &srv));
	ASSERT_EQ(POLLIN, poll_fd(l0, POLLIN, IO_TIMEOUT_MS));
	EXPECT_FAIL(EINVAL, accept4(l0, NULL, NULL, 1));
	EXPECT_FAIL(EINVAL, accept4(l0, NULL, NULL, O_APPEND));
	len = sizeof(a);
	s = accept4(l0, (struct sockaddr *)&a, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
	ASSERT_LE(0, s);
	EXPECT_EQ(sizeof(a), len);
	ASSERT_EQ(0, sock_name(c, &b));
	EXPECT_TRUE(same_addr(&a, &b));
	EXPECT_EQ(O_NONBLOCK, fcntl(s, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(FD_CLOEXEC, fcntl(s, F_GETFD));
	EXPECT_EQ(0, fcntl(l0, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(l0, F_GETFD));
	EXPECT_FAIL(EAGAIN, recv(s, &len, 1, 0));
	close(s);
	ASSERT_OK(connect_alarm(c2, &srv));
	ASSERT_EQ(POLLIN, poll_fd(l0, POLLIN, IO_TIMEOUT_MS));
	s = accept4(l0, NULL, NULL, 0);
	ASSERT_LE(0, s);
	EXPECT_EQ(0, fcntl(s, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(s, F_GETFD));
	close(s);
	close(c2);
	close(c);
	close(l0);
}

/*
 * poll() in each situation, the exact mask: fresh, bound, a listener
 * without and with a pending child, connecting, idle, data pending,
 * half-closed either way, both shut, after a RST (SO_ERROR once), send
 * buffer full and free again.
 */
TEST_F(api, poll_states)
{
	char buf[64];
	int fd, c, s;

	fd = stream_sock(variant->proto, 0);
	ASSERT_OK(fd);
	EXPECT_EQ(POLLOUT | POLLHUP, poll_fd(fd, EV_ALL, 0));
	ASSERT_EQ(0, bind_to(fd, "127.0.0.1", 0));
	EXPECT_EQ(POLLOUT | POLLHUP, poll_fd(fd, EV_ALL, 0));
	ASSERT_EQ(0, listen(fd, 4));
	EXPECT_EQ(0, poll_fd(fd, EV_ALL, 0));
	close(fd);

	/* Connecting: the SYN is lost, nothing to report. */
	ASSERT_EQ(0, lo_drop("egress", variant->proto, 0, 40700, F_SYN, F_SYN));
	fd = stream_sock(variant->proto, SOCK_NONBLOCK);
	ASSERT_OK(fd);
	EXPECT_ERRNO(EINPROGRESS, connect_to(fd, "127.0.0.1", 40700));
	EXPECT_EQ(0, poll_fd(fd, EV_ALL, 0));
	close(fd);

	c = stream_sock(variant->proto, 0);
	ASSERT_OK(c);
	ASSERT_OK(connect_alarm(c, &self->srv));
	EXPECT_EQ(POLLIN, poll_fd(self->lfd, EV_ALL, IO_TIMEOUT_MS));
	s = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, s);
	EXPECT_EQ(0, poll_fd(self->lfd, EV_ALL, 0));
	EXPECT_EQ(POLLOUT, poll_fd(s, EV_ALL, 0));
	EXPECT_EQ(POLLOUT, poll_fd(c, EV_ALL, 0));

	ASSERT_EQ(0, send_all(c, "abc"));
	ASSERT_EQ(0, wait_queued(s, 3));
	EXPECT_EQ(POLLIN | POLLOUT, poll_fd(s, EV_ALL, 0));
	EXPECT_EQ(3, recv(s, buf, sizeof(buf), 0));
	EXPECT_EQ(POLLOUT, poll_fd(s, EV_ALL, 0));

	/* Peer SHUT_WR: readable (EOF) and POLLRDHUP. */
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	/* POLLOUT is ready already: wait for the FIN itself, then look. */
	EXPECT_EQ(POLLRDHUP, poll_fd(s, POLLRDHUP, IO_TIMEOUT_MS));
	EXPECT_EQ(POLLIN | POLLOUT | POLLRDHUP, poll_fd(s, EV_ALL, 0));
	EXPECT_EQ(POLLOUT, poll_fd(c, EV_ALL, 0));
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0));
	/* Both directions shut: POLLHUP. */
	ASSERT_EQ(0, shutdown(s, SHUT_WR));
	EXPECT_EQ(0, recv_wait(c, buf, sizeof(buf)));
	EXPECT_EQ(POLLIN | POLLOUT | POLLRDHUP | POLLHUP,
		  poll_fd(c, EV_ALL, 0));
	EXPECT_EQ(POLLIN | POLLOUT | POLLRDHUP | POLLHUP,
		  poll_fd(s, EV_ALL, 0));
	close(s);
	close(c);

	/* Our own SHUT_RD. */
	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	ASSERT_EQ(0, shutdown(s, SHUT_RD));
	EXPECT_EQ(POLLIN | POLLOUT | POLLRDHUP, poll_fd(s, EV_ALL, 0));
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), MSG_DONTWAIT));

	/* A RST: everything, SO_ERROR once, then no POLLERR. */
	ASSERT_EQ(0, linger_zero(c));
	close(c);
	EXPECT_EQ(POLLIN | POLLOUT | POLLRDHUP | POLLHUP | POLLERR,
		  poll_fd(s, POLLIN, IO_TIMEOUT_MS) ? poll_fd(s, EV_ALL, 0) : 0);
	EXPECT_EQ(ECONNRESET, so_error(s));
	EXPECT_EQ(0, so_error(s));
	EXPECT_EQ(POLLIN | POLLOUT | POLLRDHUP | POLLHUP,
		  poll_fd(s, EV_ALL, 0));
	close(s);

	/* Send buffer full: no POLLOUT until the peer reads. */
	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	ASSERT_EQ(0, set_int(s, SOL_SOCKET, SO_RCVBUF, 4096));
	ASSERT_EQ(0, set_int(c, SOL_SOCKET, SO_SNDBUF, 8192));
	EXPECT_LT(0, fill_sndbuf(c));
	EXPECT_EQ(0, poll_fd(c, POLLOUT, 100));
	EXPECT_EQ(POLLIN, poll_fd(s, EV_ALL, 0) & ~POLLOUT);
	EXPECT_LT(0, drain(s));
	EXPECT_EQ(POLLOUT, poll_fd(c, EV_ALL, IO_TIMEOUT_MS));
	close(s);
	close(c);
}

/* epoll_wait() with a zero timeout: the events of one ready fd, 0, -errno. */
static int epoll_now(int ep)
{
	struct epoll_event ev;
	int n = epoll_wait(ep, &ev, 1, 0);

	if (n < 0)
		return -errno;
	return n ? (int)ev.events : 0;
}

/*
 * Edge-triggered epoll reports a readable socket once per arrival of
 * data, not again while nothing new comes; then once for the peer's FIN.
 */
TEST_F(api, epoll_edge)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP |
					    EPOLLET };
	char buf[16];
	int c, s, ep, i;

	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	ep = epoll_create1(0);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
	EXPECT_EQ(EPOLLOUT, epoll_now(ep));
	EXPECT_EQ(0, epoll_now(ep));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, send_all(c, "x"));
		ASSERT_EQ(0, wait_queued(s, i + 1));
		sleep_ms(20);
		EXPECT_EQ(EPOLLIN | EPOLLOUT, epoll_now(ep)) TH_LOG("round %d", i);
		EXPECT_EQ(0, epoll_now(ep)) TH_LOG("round %d", i);
	}
	EXPECT_EQ(3, recv(s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, epoll_now(ep));
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	ev.events = 0;
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, IO_TIMEOUT_MS));
	EXPECT_EQ(EPOLLIN | EPOLLOUT | EPOLLRDHUP, ev.events);
	EXPECT_EQ(0, epoll_now(ep));
	close(ep);
	close(s);
	close(c);
}

struct delayed_send {
	int fd;
	int pieces;		/* sends of len bytes, gap_ms apart */
	int len;
	int gap_ms;
	bool shut;		/* then SHUT_WR */
};

static void *delayed_send_fn(void *arg)
{
	struct delayed_send *d = arg;
	char buf[256];
	int i;

	memset(buf, 'w', sizeof(buf));
	for (i = 0; i < d->pieces; i++) {
		sleep_ms(d->gap_ms);
		if (send(d->fd, buf, d->len, MSG_NOSIGNAL) != d->len)
			break;
	}
	if (d->shut)
		shutdown(d->fd, SHUT_WR);
	return NULL;
}

/*
 * MSG_PEEK leaves data queued; MSG_WAITALL waits for all, but returns
 * short at the peer's FIN; MSG_DONTWAIT: EAGAIN; MSG_TRUNC discards
 * without copying and returns the length; zero lengths.
 */
TEST_F(api, recv_flags)
{
	struct delayed_send d = { .len = 10, .gap_ms = 50 };
	char buf[128];
	pthread_t t;
	int c, s;

	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	EXPECT_FAIL(EAGAIN, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_FAIL(EAGAIN, recv(s, buf, 0, MSG_DONTWAIT));
	EXPECT_EQ(0, send(c, buf, 0, 0));
	EXPECT_FAIL(EAGAIN, recv(s, buf, sizeof(buf), MSG_DONTWAIT));

	ASSERT_EQ(0, send_all(c, "hello world"));
	ASSERT_EQ(0, wait_queued(s, 11));
	EXPECT_EQ(0, recv(s, buf, 0, 0));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(5, recv(s, buf, 5, MSG_PEEK));
	EXPECT_STREQ("hello", buf);
	EXPECT_EQ(11, recv(s, buf, sizeof(buf), MSG_PEEK));
	EXPECT_EQ(5, recv(s, buf, 5, 0));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(6, recv(s, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT));
	EXPECT_STREQ(" world", buf);

	/* MSG_TRUNC: 4 bytes dropped, the buffer untouched. */
	memset(buf, 'z', sizeof(buf));
	EXPECT_EQ(4, recv(s, buf, 4, MSG_TRUNC));
	EXPECT_EQ('z', buf[0]);
	EXPECT_EQ(2, recv(s, NULL, 2, MSG_TRUNC | MSG_PEEK));
	EXPECT_EQ(2, recv(s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "ld", 2));

	/* MSG_WAITALL: three pieces 50 ms apart, one call. */
	d.fd = c;
	d.pieces = 3;
	ASSERT_EQ(0, pthread_create(&t, NULL, delayed_send_fn, &d));
	EXPECT_EQ(30, recv(s, buf, 30, MSG_WAITALL));
	pthread_join(t, NULL);
	/* ... and short when the FIN comes first. */
	d.pieces = 1;
	d.shut = true;
	ASSERT_EQ(0, pthread_create(&t, NULL, delayed_send_fn, &d));
	EXPECT_EQ(10, recv(s, buf, 30, MSG_WAITALL));
	pthread_join(t, NULL);
	EXPECT_EQ(0, recv(s, buf, 30, MSG_WAITALL));
	EXPECT_EQ(0, recv(s, buf, 0, MSG_DONTWAIT));
	close(s);
	close(c);
}

/*
 * SO_PEEK_OFF: Linux TCP has it from 6.9 (EOPNOTSUPP before); a peek
 * then starts at the offset and moves it, a read moves it back.
 */
TEST_F(api, peek_offset)
{
	struct utsname u;
	int c, s, maj, min;
	char *end;
	bool has;
	char buf[16];

	ASSERT_EQ(0, uname(&u));
	maj = strtol(u.release, &end, 10);
	min = *end == '.' ? strtol(end + 1, NULL, 10) : 0;
	has = maj > 6 || (maj == 6 && min >= 9);
	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	if (!has) {
		EXPECT_ERRNO(EOPNOTSUPP, get_int(s, SOL_SOCKET, SO_PEEK_OFF));
		EXPECT_ERRNO(EOPNOTSUPP, set_int(s, SOL_SOCKET, SO_PEEK_OFF, 0));
		goto out;
	}
	EXPECT_EQ(-1, get_int(s, SOL_SOCKET, SO_PEEK_OFF));
	ASSERT_EQ(0, send_all(c, "abcdefgh"));
	ASSERT_EQ(0, wait_queued(s, 8));
	ASSERT_EQ(0, set_int(s, SOL_SOCKET, SO_PEEK_OFF, 0));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(3, recv(s, buf, 3, MSG_PEEK));
	EXPECT_STREQ("abc", buf);
	EXPECT_EQ(3, get_int(s, SOL_SOCKET, SO_PEEK_OFF));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(2, recv(s, buf, 2, MSG_PEEK));
	EXPECT_STREQ("de", buf);
	EXPECT_EQ(5, get_int(s, SOL_SOCKET, SO_PEEK_OFF));
	EXPECT_EQ(2, recv(s, buf, 2, 0));
	EXPECT_EQ(3, get_int(s, SOL_SOCKET, SO_PEEK_OFF));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(3, recv(s, buf, sizeof(buf), MSG_PEEK));
	EXPECT_STREQ("fgh", buf);
	EXPECT_FAIL(EAGAIN, recv(s, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT));
out:
	close(s);
	close(c);
}

/*
 * send flags: SIGPIPE with EPIPE after our own SHUT_WR, none with
 * MSG_NOSIGNAL; MSG_MORE holds a short segment until the next send;
 * read/write, readv/writev, sendmmsg/recvmmsg.
 */
TEST_F(api, send_flags_and_vectors)
{
	struct iovec iov[3] = {
		{ "ab", 2 }, { "cde", 3 }, { "f", 1 },
	};
	char b1[3], b2[8], m1[5], m2[5];
	struct iovec riov[2] = { { b1, sizeof(b1) }, { b2, sizeof(b2) } };
	struct iovec miov[2] = { { "01234", 5 }, { "56789", 5 } };
	struct iovec rmiov[2] = { { m1, 5 }, { m2, 5 } };
	struct mmsghdr mm[2] = {}, rm[2] = {};
	int c, s, sp;
	char buf[64];

	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	ASSERT_EQ(0, set_int(c, SOL_TCP, TCP_NODELAY, 1));

	/*
	 * MSG_MORE: nothing leaves until a send without it (looked at for
	 * 50 ms: Linux lets a held segment go after about 200 ms).
	 */
	EXPECT_EQ(5, send(c, "12345", 5, MSG_MORE));
	EXPECT_EQ(0, poll_fd(s, POLLIN, 50));
	EXPECT_EQ(5, send(c, "67890", 5, 0));
	ASSERT_EQ(0, wait_queued(s, 10));
	EXPECT_EQ(10, recv(s, buf, sizeof(buf), 0));

	EXPECT_EQ(6, writev(c, iov, 3));
	ASSERT_EQ(0, wait_queued(s, 6));
	memset(b2, 0, sizeof(b2));
	EXPECT_EQ(6, readv(s, riov, 2));
	EXPECT_EQ(0, memcmp(b1, "abc", 3));
	EXPECT_STREQ("def", b2);
	EXPECT_EQ(4, write(s, "wxyz", 4));
	EXPECT_EQ(4, read(c, buf, sizeof(buf)));

	mm[0].msg_hdr.msg_iov = &miov[0];
	mm[0].msg_hdr.msg_iovlen = 1;
	mm[1].msg_hdr.msg_iov = &miov[1];
	mm[1].msg_hdr.msg_iovlen = 1;
	EXPECT_EQ(2, sendmmsg(c, mm, 2, 0));
	EXPECT_EQ(5, mm[0].msg_len);
	EXPECT_EQ(5, mm[1].msg_len);
	ASSERT_EQ(0, wait_queued(s, 10));
	rm[0].msg_hdr.msg_iov = &rmiov[0];
	rm[0].msg_hdr.msg_iovlen = 1;
	rm[1].msg_hdr.msg_iov = &rmiov[1];
	rm[1].msg_hdr.msg_iovlen = 1;
	EXPECT_EQ(2, recvmmsg(s, rm, 2, MSG_DONTWAIT, NULL));
	EXPECT_EQ(5, rm[0].msg_len);
	EXPECT_EQ(5, rm[1].msg_len);
	EXPECT_EQ(0, memcmp(m1, "01234", 5));
	EXPECT_EQ(0, memcmp(m2, "56789", 5));

	/* After our SHUT_WR: EPIPE, and SIGPIPE unless MSG_NOSIGNAL. */
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	sp = sigpipes();
	EXPECT_FAIL(EPIPE, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(sp, sigpipes());
	EXPECT_FAIL(EPIPE, send(c, "x", 1, 0));
	EXPECT_EQ(sp + 1, sigpipes());
	EXPECT_FAIL(EPIPE, write(c, "x", 1));
	EXPECT_EQ(sp + 2, sigpipes());
	close(s);
	close(c);
}

/*
 * SO_RCVLOWAT: poll reports POLLIN only from that many bytes, a
 * blocking recv waits for them; 0 reads back as 1, a huge value is
 * capped at half of rmem[2] (6 MiB by default for both).
 */
TEST_F(api, rcvlowat)
{
	struct delayed_send d = { .len = 5, .gap_ms = 100, .pieces = 1 };
	pthread_t t;
	char buf[64];
	int c, s;

	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	EXPECT_EQ(1, get_int(s, SOL_SOCKET, SO_RCVLOWAT));
	ASSERT_EQ(0, set_int(s, SOL_SOCKET, SO_RCVLOWAT, 10));
	EXPECT_EQ(10, get_int(s, SOL_SOCKET, SO_RCVLOWAT));
	EXPECT_EQ(5, send(c, "12345", 5, 0));
	ASSERT_EQ(0, wait_queued(s, 5));
	EXPECT_EQ(POLLOUT, poll_fd(s, EV_ALL, 50));
	EXPECT_EQ(5, send(c, "67890", 5, 0));
	EXPECT_EQ(POLLIN, poll_fd(s, POLLIN, IO_TIMEOUT_MS));
	EXPECT_EQ(POLLIN | POLLOUT, poll_fd(s, EV_ALL, 0));
	EXPECT_EQ(10, recv(s, buf, sizeof(buf), 0));

	/* A blocking recv waits for the rest. */
	EXPECT_EQ(5, send(c, "12345", 5, 0));
	ASSERT_EQ(0, wait_queued(s, 5));
	d.fd = c;
	ASSERT_EQ(0, pthread_create(&t, NULL, delayed_send_fn, &d));
	EXPECT_EQ(10, recv(s, buf, sizeof(buf), 0));
	pthread_join(t, NULL);
	/* Non-blocking: what is there. */
	EXPECT_EQ(5, send(c, "12345", 5, 0));
	ASSERT_EQ(0, wait_queued(s, 5));
	EXPECT_EQ(5, recv(s, buf, sizeof(buf), MSG_DONTWAIT));

	ASSERT_EQ(0, set_int(s, SOL_SOCKET, SO_RCVLOWAT, 0));
	EXPECT_EQ(1, get_int(s, SOL_SOCKET, SO_RCVLOWAT));
	ASSERT_EQ(0, set_int(s, SOL_SOCKET, SO_RCVLOWAT, 0x7fffffff));
	EXPECT_EQ(6291456 / 2, get_int(s, SOL_SOCKET, SO_RCVLOWAT));
	ASSERT_EQ(0, set_int(s, SOL_SOCKET, SO_RCVBUF, 10000));
	ASSERT_EQ(0, set_int(s, SOL_SOCKET, SO_RCVLOWAT, 0x7fffffff));
	EXPECT_EQ(10000, get_int(s, SOL_SOCKET, SO_RCVLOWAT));
	close(s);
	close(c);
}

/* ms that one call took; its result in *ret (-errno). */
#define TIMED(ret, call) ({ \
	long long __t0 = now_ms(); \
	*(ret) = (call) < 0 ? -errno : 0; \
	now_ms() - __t0; \
})

/*
 * SO_RCVTIMEO/SO_SNDTIMEO: EAGAIN after about the timeout (and read
 * back as set); SO_KEEPALIVE; SO_SNDBUF/SO_RCVBUF doubled, with Linux's
 * floors and defaults; SO_MARK; SO_LINGER with a timeout.
 */
TEST_F(api, socket_options)
{
	struct timeval tv = { 0, 100000 }, got;
	struct linger l = { 1, 1 }, lg;
	socklen_t len;
	char buf[64];
	long long ms;
	int fd, c, s, ret;

	fd = stream_sock(variant->proto, 0);
	ASSERT_OK(fd);
	EXPECT_EQ(0, get_int(fd, SOL_SOCKET, SO_KEEPALIVE));
	EXPECT_EQ(0, set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 5));
	EXPECT_EQ(1, get_int(fd, SOL_SOCKET, SO_KEEPALIVE));
	EXPECT_EQ(16384, get_int(fd, SOL_SOCKET, SO_SNDBUF));
	EXPECT_EQ(131072, get_int(fd, SOL_SOCKET, SO_RCVBUF));
	EXPECT_EQ(0, set_int(fd, SOL_SOCKET, SO_SNDBUF, 10000));
	EXPECT_EQ(20000, get_int(fd, SOL_SOCKET, SO_SNDBUF));
	EXPECT_EQ(0, set_int(fd, SOL_SOCKET, SO_RCVBUF, 10000));
	EXPECT_EQ(20000, get_int(fd, SOL_SOCKET, SO_RCVBUF));
	EXPECT_EQ(0, set_int(fd, SOL_SOCKET, SO_SNDBUF, 1));
	EXPECT_EQ(0, set_int(fd, SOL_SOCKET, SO_RCVBUF, 1));
	TH_LOG("floors: sndbuf %d rcvbuf %d", get_int(fd, SOL_SOCKET, SO_SNDBUF),
	       get_int(fd, SOL_SOCKET, SO_RCVBUF));
	EXPECT_EQ(0, get_int(fd, SOL_SOCKET, SO_MARK));
	EXPECT_EQ(0, set_int(fd, SOL_SOCKET, SO_MARK, 7));
	EXPECT_EQ(7, get_int(fd, SOL_SOCKET, SO_MARK));
	EXPECT_EQ(0, so_error(fd));
	len = sizeof(lg);
	EXPECT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len));
	EXPECT_EQ(0, lg.l_onoff);
	close(fd);

	/* Buffers set on the listener before connecting pass to the child. */
	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	len = sizeof(got);
	ASSERT_EQ(0, getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &got, &len));
	EXPECT_EQ(0, got.tv_sec);
	EXPECT_EQ(100000, got.tv_usec);
	ms = TIMED(&ret, recv(s, buf, sizeof(buf), 0));
	EXPECT_EQ(-EAGAIN, ret);
	EXPECT_LE(50, ms);
	EXPECT_GE(slow(1000), ms);
	ms = TIMED(&ret, recv(s, buf, sizeof(buf), MSG_WAITALL));
	EXPECT_EQ(-EAGAIN, ret);
	EXPECT_LE(50, ms);

	/* SO_SNDTIMEO: a send into a full buffer. */
	ASSERT_EQ(0, set_int(c, SOL_SOCKET, SO_SNDBUF, 8192));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	EXPECT_LT(0, fill_sndbuf(c));
	ms = TIMED(&ret, send(c, buf, sizeof(buf), MSG_NOSIGNAL));
	EXPECT_EQ(-EAGAIN, ret);
	EXPECT_LE(50, ms);
	EXPECT_GE(slow(1000), ms);
	EXPECT_EQ(16384, get_int(c, SOL_SOCKET, SO_SNDBUF));
	close(s);
	close(c);

	/* SO_LINGER {1, 1 s}: close waits for the ACK of our FIN... */
	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof(l)));
	len = sizeof(lg);
	EXPECT_EQ(0, getsockopt(c, SOL_SOCKET, SO_LINGER, &lg, &len));
	EXPECT_EQ(1, lg.l_onoff);
	EXPECT_EQ(1, lg.l_linger);
	ASSERT_EQ(0, send_all(c, "data"));
	ms = TIMED(&ret, close(c));
	EXPECT_EQ(0, ret);
	EXPECT_GE(500, ms);
	close(s);
	/* ... or the timeout, when nothing we send arrives. */
	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof(l)));
	ASSERT_EQ(0, sock_name(c, (struct sockaddr_in *)buf));
	ASSERT_EQ(0, lo_drop("egress", variant->proto,
			     ntohs(((struct sockaddr_in *)buf)->sin_port), 0,
			     0, 0));
	ASSERT_EQ(0, send_all(c, "data"));
	ms = TIMED(&ret, close(c));
	EXPECT_EQ(0, ret);
	EXPECT_LE(900, ms);
	EXPECT_GE(2000, ms);
	EXPECT_EQ(0, lo_drop_off());
	close(s);
}

/* A dummy device d0 with 10.9.9.1/24, up: 0 or the failing step. */
static int dummy_dev(void)
{
	if (sh("ip link add d0 type dummy 2>/dev/null"))
		return 1;
	if (sh("ip addr add 10.9.9.1/24 dev d0 && ip link set d0 up"))
		return 2;
	return 0;
}

/*
 * SO_BINDTODEVICE: an unknown name ENODEV, read back; a listener bound
 * to d0 is not reached by a connection over lo; a client bound to lo
 * connects over lo; bound to d0 it cannot reach 127.0.0.1. SO_MARK
 * routes: a rule sends marked packets to a prohibit route.
 */
TEST_F(api, bindtodevice_and_mark)
{
	char name[IFNAMSIZ];
	socklen_t len;
	int l, c, s, mfd;
	struct sockaddr_in srv;

	if (dummy_dev())
		SKIP(return, "no dummy device");
	c = stream_sock(variant->proto, 0);
	ASSERT_OK(c);
	EXPECT_FAIL(ENODEV, setsockopt(c, SOL_SOCKET, SO_BINDTODEVICE,
				       "nosuch0", 8));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3));
	len = sizeof(name);
	ASSERT_EQ(0, getsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, name, &len));
	EXPECT_STREQ("lo", name);
	EXPECT_EQ(0, connect_alarm(c, &self->srv));
	s = accept_wait(self->lfd, IO_TIMEOUT_MS);
	EXPECT_LE(0, s);
	close(s);
	close(c);

	/*
	 * A listener on d0 only: reached at d0's address (local traffic
	 * counts as arriving on the device that owns the address), not at
	 * 127.0.0.1.
	 */
	l = stream_sock(variant->proto, 0);
	ASSERT_OK(l);
	ASSERT_EQ(0, setsockopt(l, SOL_SOCKET, SO_BINDTODEVICE, "d0", 3));
	ASSERT_EQ(0, bind_to(l, "0.0.0.0", 40800));
	ASSERT_EQ(0, listen(l, 4));
	c = stream_sock(variant->proto, 0);
	EXPECT_ERRNO(ECONNREFUSED, connect_to(c, "127.0.0.1", 40800));
	close(c);
	c = stream_sock(variant->proto, 0);
	EXPECT_ERRNO(0, connect_to(c, "10.9.9.1", 40800));
	s = accept_wait(l, IO_TIMEOUT_MS);
	EXPECT_LE(0, s);
	close(s);
	close(c);
	close(l);
	srv = self->srv;
	c = stream_sock(variant->proto, SOCK_NONBLOCK);
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, "d0", 3));
	EXPECT_ERRNO(EINPROGRESS, connect_alarm(c, &srv));
	EXPECT_EQ(0, poll_fd(c, POLLOUT, 200));
	close(c);

	/* SO_MARK picks the route at connect(). */
	ASSERT_EQ(0, sh("ip rule add fwmark 7 table 100"));
	ASSERT_EQ(0, sh("ip route add prohibit 10.9.9.0/24 table 100"));
	mfd = stream_sock(variant->proto, SOCK_NONBLOCK);
	ASSERT_EQ(0, set_int(mfd, SOL_SOCKET, SO_MARK, 7));
	EXPECT_ERRNO(EACCES, connect_to(mfd, "10.9.9.2", 40800));
	close(mfd);
	mfd = stream_sock(variant->proto, SOCK_NONBLOCK);
	EXPECT_ERRNO(EINPROGRESS, connect_to(mfd, "10.9.9.2", 40800));
	close(mfd);
}

/* One IPv4 packet seen leaving on lo, the fields compared here. */
struct ipseg {
	int tos, ttl, flags;
	unsigned short sport, dport;
};

/* The next packet of proto sent on lo within ms: 1, 0, -errno. */
static int cap_next(int fd, int proto, struct ipseg *p, int ms)
{
	long long end = now_ms() + ms;
	unsigned char pkt[128];
	struct sockaddr_ll sll;
	socklen_t sl;
	int n, ihl;

	for (;;) {
		sl = sizeof(sll);
		n = recvfrom(fd, pkt, sizeof(pkt), MSG_TRUNC,
			     (struct sockaddr *)&sll, &sl);
		if (n < 0 && errno != EAGAIN)
			return -errno;
		if (n < 0) {
			if (now_ms() >= end)
				return 0;
			poll_fd(fd, POLLIN, end - now_ms());
			continue;
		}
		/* Each packet on lo is seen twice: count it going out. */
		if (n < 40 || sll.sll_pkttype != PACKET_OUTGOING ||
		    sll.sll_protocol != htons(ETH_P_IP) || pkt[9] != proto)
			continue;
		ihl = (pkt[0] & 15) * 4;
		if (ihl + 20 > n)
			continue;
		p->tos = pkt[1];
		p->ttl = pkt[8];
		p->sport = get16(pkt + ihl);
		p->dport = get16(pkt + ihl + 2);
		p->flags = pkt[ihl + 13];
		return 1;
	}
}

/*
 * IP_TOS and IP_TTL: read back, and on every segment each end sends:
 * the client's SYN, ACKs and data; the SYN-ACK of a listener's child
 * (the listener's values), its data, ACKs and abortive RST. The ECN
 * bits of IP_TOS are not the user's on a stream socket.
 */
TEST_F(api, tos_ttl_on_wire)
{
	struct sockaddr_in srv, cl;
	struct ipseg p;
	int l, c, s, cap, n, seen_c = 0, seen_s = 0, bad = 0, flags_s = 0;
	int flags_c = 0;
	char buf[16];

	cap = sniff_open();
	ASSERT_OK(cap);
	l = stream_sock(variant->proto, 0);
	ASSERT_OK(l);
	ASSERT_EQ(0, set_int(l, SOL_IP, IP_TOS, 0x2b));
	EXPECT_EQ(0x28, get_int(l, SOL_IP, IP_TOS));
	ASSERT_EQ(0, set_int(l, SOL_IP, IP_TTL, 33));
	EXPECT_EQ(33, get_int(l, SOL_IP, IP_TTL));
	ASSERT_EQ(0, bind_to(l, "127.0.0.1", 0));
	ASSERT_EQ(0, listen(l, 4));
	ASSERT_EQ(0, sock_name(l, &srv));

	c = stream_sock(variant->proto, 0);
	ASSERT_OK(c);
	EXPECT_EQ(0, get_int(c, SOL_IP, IP_TOS));
	EXPECT_EQ(64, get_int(c, SOL_IP, IP_TTL));
	ASSERT_EQ(0, set_int(c, SOL_IP, IP_TOS, 0x48));
	ASSERT_EQ(0, set_int(c, SOL_IP, IP_TTL, 44));
	sniff_drain(cap);
	ASSERT_OK(connect_alarm(c, &srv));
	ASSERT_EQ(0, sock_name(c, &cl));
	s = accept_wait(l, IO_TIMEOUT_MS);
	ASSERT_OK(s);
	EXPECT_EQ(0x28, get_int(s, SOL_IP, IP_TOS));
	EXPECT_EQ(33, get_int(s, SOL_IP, IP_TTL));
	ASSERT_EQ(0, send_all(c, "ping"));
	EXPECT_EQ(4, recv_wait(s, buf, sizeof(buf)));
	ASSERT_EQ(0, send_all(s, "pong"));
	EXPECT_EQ(4, recv_wait(c, buf, sizeof(buf)));
	sleep_ms(100);
	ASSERT_EQ(0, linger_zero(s));
	close(s);
	EXPECT_FAIL(ECONNRESET, recv(c, buf, sizeof(buf), 0));

	while ((n = cap_next(cap, variant->proto, &p, 200)) > 0) {
		if (p.sport == ntohs(cl.sin_port) &&
		    p.dport == ntohs(srv.sin_port)) {
			seen_c++;
			flags_c |= p.flags;
			if (p.tos != 0x48 || p.ttl != 44)
				bad++;
		} else if (p.sport == ntohs(srv.sin_port) &&
			   p.dport == ntohs(cl.sin_port)) {
			seen_s++;
			flags_s |= p.flags;
			if (p.tos != 0x28 || p.ttl != 33)
				bad++;
		} else {
			continue;
		}
		if (bad == 1) {
			TH_LOG("%d -> %d flags 0x%x: tos 0x%x ttl %d",
			       p.sport, p.dport, p.flags, p.tos, p.ttl);
			bad++;
		}
	}
	EXPECT_EQ(0, n);
	EXPECT_EQ(0, bad);
	EXPECT_LE(3, seen_c);
	EXPECT_LE(3, seen_s);
	EXPECT_EQ(F_SYN | F_ACK | F_PSH, flags_c);
	EXPECT_EQ(F_SYN | F_ACK | F_PSH | F_RST, flags_s);
	close(c);
	close(l);
	close(cap);
}

static unsigned char pattern(size_t i)
{
	return (i * 7 + i / 251) & 0xff;
}

/* A temporary file of len pattern bytes: its fd (unlinked), or -errno. */
static int pattern_file(size_t len)
{
	char path[] = "/tmp/api_testXXXXXX";
	unsigned char *buf = malloc(len + 1);
	int fd = mkstemp(path);
	size_t i;

	if (fd < 0 || !buf) {
		free(buf);
		return -ENOMEM;
	}
	unlink(path);
	for (i = 0; i < len; i++)
		buf[i] = pattern(i);
	if (write(fd, buf, len) != (ssize_t)len) {
		free(buf);
		close(fd);
		return -EIO;
	}
	free(buf);
	return fd;
}

struct reader {
	int fd;
	size_t want;
	size_t got;
	size_t bad_at;		/* first wrong byte + 1, 0: none */
	size_t first;		/* index of the first pattern byte */
};

/* Read want bytes then EOF, checking the pattern from first. */
static void *reader_fn(void *arg)
{
	struct reader *r = arg;
	unsigned char buf[64 * KB];
	ssize_t n, i;

	for (;;) {
		n = recv_wait(r->fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			if (!r->bad_at && buf[i] != pattern(r->first + r->got + i))
				r->bad_at = r->got + i + 1;
		r->got += n;
	}
	return NULL;
}

/*
 * sendfile() from a file into the socket, each way: 0, 1 and 1 MiB + 1
 * bytes, the last from an offset; the receiver checks every byte and
 * the offset moves on.
 */
TEST_F_TIMEOUT(api, sendfile_sizes, 60)
{
	static const size_t sizes[] = { 0, 1, MiB + 1 };
	int c, s, f, i, dir, from, to;
	struct reader r;
	pthread_t t;
	off_t off;
	size_t len;
	ssize_t n, total;

	f = pattern_file(MiB + 1);
	ASSERT_OK(f);
	for (dir = 0; dir < 2; dir++) {
		for (i = 0; i < 3; i++) {
			ASSERT_OK(connect_pair(variant->proto, self->lfd,
					       &self->srv, &c, &s));
			from = dir ? s : c;
			to = dir ? c : s;
			off = i == 2 ? 3 : 0;
			len = sizes[i] - (size_t)off;
			r = (struct reader){ .fd = to, .want = len,
					     .first = off };
			ASSERT_EQ(0, pthread_create(&t, NULL, reader_fn, &r));
			total = 0;
			while ((size_t)total < len) {
				n = sendfile(from, f, &off, len - total);
				if (n <= 0)
					break;
				total += n;
			}
			EXPECT_EQ(len, total);
			if (!len)
				EXPECT_EQ(0, sendfile(from, f, &off, 0));
			EXPECT_EQ(sizes[i], off);
			shutdown(from, SHUT_WR);
			pthread_join(t, NULL);
			EXPECT_EQ(len, r.got) TH_LOG("size %zu dir %d", sizes[i], dir);
			EXPECT_EQ(0, r.bad_at);
			close(c);
			close(s);
		}
	}
	close(f);
}

/*
 * splice(): file -> pipe -> socket and socket -> pipe -> file, 1 MiB +
 * 1 bytes, compared byte for byte; SPLICE_F_NONBLOCK on an empty
 * socket is EAGAIN.
 */
TEST_F_TIMEOUT(api, splice_both_ways, 60)
{
	size_t len = MiB + 1, moved = 0;
	int c, s, f, out, p[2], i;
	unsigned char *buf;
	ssize_t n, m;
	loff_t off = 0;

	f = pattern_file(len);
	ASSERT_OK(f);
	out = pattern_file(0);
	ASSERT_OK(out);
	ASSERT_EQ(0, pipe(p));
	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	EXPECT_FAIL(EAGAIN, splice(s, NULL, p[1], NULL, 4096,
				   SPLICE_F_NONBLOCK));

	/* file -> pipe -> c, and s -> pipe2 -> out, interleaved. */
	{
		int q[2];

		ASSERT_EQ(0, pipe(q));
		while (moved < len) {
			n = splice(f, &off, p[1], NULL, 64 * KB, 0);
			ASSERT_LT(0, n);
			while (n > 0) {
				m = splice(p[0], NULL, c, NULL, n, 0);
				ASSERT_LT(0, m);
				n -= m;
			}
			/* Drain s so that c never blocks for long. */
			while (poll_fd(s, POLLIN, 0) > 0) {
				m = splice(s, NULL, q[1], NULL, 64 * KB,
					   SPLICE_F_NONBLOCK);
				if (m <= 0)
					break;
				while (m > 0) {
					i = splice(q[0], NULL, out, NULL, m, 0);
					ASSERT_LT(0, i);
					m -= i;
				}
			}
			moved = off;
		}
		ASSERT_EQ(0, shutdown(c, SHUT_WR));
		for (;;) {
			ASSERT_LT(0, poll_fd(s, POLLIN, IO_TIMEOUT_MS));
			m = splice(s, NULL, q[1], NULL, 64 * KB, 0);
			ASSERT_LE(0, m);
			if (!m)
				break;
			while (m > 0) {
				i = splice(q[0], NULL, out, NULL, m, 0);
				ASSERT_LT(0, i);
				m -= i;
			}
		}
		close(q[0]);
		close(q[1]);
	}
	EXPECT_EQ((off_t)len, lseek(out, 0, SEEK_END));
	buf = malloc(len);
	ASSERT_NE(NULL, buf);
	EXPECT_EQ((ssize_t)len, pread(out, buf, len, 0));
	for (moved = 0; moved < len; moved++)
		if (buf[moved] != pattern(moved))
			break;
	EXPECT_EQ(len, moved);
	free(buf);
	close(p[0]);
	close(p[1]);
	close(c);
	close(s);
	close(f);
	close(out);
}

TEST_HARNESS_MAIN
