// SPDX-License-Identifier: GPL-2.0
/*
 * Urgent data (MSG_OOB, RFC 9293 3.8.5 with RFC 6093's pointer) and the
 * queue ioctls (SIOCINQ, SIOCOUTQ, SIOCOUTQNSD, SIOCATMARK). Each test
 * runs on "tcp" (IPPROTO_TCP, the reference) and "mytcp" with the same
 * expectations, which are what Linux TCP does:
 *
 * - the urgent pointer on the wire names the byte after the urgent one,
 *   0xFFFF while that is 64 KiB or more ahead;
 * - without SO_OOBINLINE the urgent byte leaves the stream: reads stop
 *   at the mark (SIOCATMARK), recv(MSG_OOB) returns it once, then
 *   EINVAL; EAGAIN while it is announced but not here; EINVAL with no
 *   urgent data or with SO_OOBINLINE, where the byte stays inline;
 * - SIGURG to the owner (F_SETOWN) for each new mark, EPOLLPRI while
 *   the byte waits, no EPOLLIN for it alone;
 * - a second urgent byte replaces the first, which stays in the stream
 *   unless the reader sat right at it;
 * - SIOCINQ counts in-order bytes up to the mark, never the FIN, EINVAL
 *   on a listener; SIOCOUTQ unacknowledged plus unsent, SIOCOUTQNSD
 *   unsent, both 0 during the handshake.
 */
#include <pthread.h>
#include <sys/epoll.h>
#include <linux/sockios.h>

#include "kselftest_harness.h"
#include "mytcp_helpers.h"

/* A listener, a client connected to it, the accepted server end. */
struct conn {
	int lfd, c, s;
	struct sockaddr_in srv;
};

FIXTURE(urgent) {
	struct conn k;
};

FIXTURE_VARIANT(urgent) {
	int proto;
};

FIXTURE_VARIANT_ADD(urgent, tcp) {
	.proto = IPPROTO_TCP,
};

FIXTURE_VARIANT_ADD(urgent, mytcp) {
	.proto = IPPROTO_MYTCP,
};

static int sigurg_count;

static void on_sigurg(int sig)
{
	__atomic_fetch_add(&sigurg_count, 1, __ATOMIC_SEQ_CST);
}

static int sigurgs(void)
{
	return __atomic_load_n(&sigurg_count, __ATOMIC_SEQ_CST);
}

FIXTURE_SETUP(urgent)
{
	struct sigaction sa = { .sa_handler = on_sigurg, .sa_flags = SA_RESTART };
	int err = test_ns_setup(variant->proto);

	self->k.lfd = -1;
	self->k.c = -1;
	self->k.s = -1;
	if (err == -EPROTONOSUPPORT)
		SKIP(return, "protocol %d unavailable (module not loaded?)",
		     variant->proto);
	ASSERT_EQ(0, err) TH_LOG("namespace setup: %s", strerror(-err));
	ASSERT_EQ(0, sigaction(SIGURG, &sa, NULL));
	__atomic_store_n(&sigurg_count, 0, __ATOMIC_SEQ_CST);
	self->k.lfd = listener(variant->proto, 0, &self->k.srv);
	ASSERT_OK(self->k.lfd);
}

FIXTURE_TEARDOWN(urgent)
{
	lo_drop_off();
	if (self->k.c >= 0)
		close(self->k.c);
	if (self->k.s >= 0)
		close(self->k.s);
	if (self->k.lfd >= 0)
		close(self->k.lfd);
}

/* An ioctl's int answer, or -errno. */
static int ioc(int fd, unsigned long cmd)
{
	int v = -1;

	return ioctl(fd, cmd, &v) ? -errno : v;
}

/* Wait until fd's SIOCOUTQ is 0 (all acknowledged): 0 or -ETIMEDOUT. */
static int wait_acked(int fd)
{
	long long end = now_ms() + IO_TIMEOUT_MS;

	while (ioc(fd, SIOCOUTQ) != 0) {
		if (now_ms() > end)
			return -ETIMEDOUT;
		sleep_ms(5);
	}
	return 0;
}

/* Wait until at least n SIGURGs came: 0 or -ETIMEDOUT. */
static int wait_sigurgs(int n)
{
	long long end = now_ms() + IO_TIMEOUT_MS;

	while (sigurgs() < n) {
		if (now_ms() > end)
			return -ETIMEDOUT;
		sleep_ms(5);
	}
	return 0;
}

/* recv() once, non-blocking: bytes or -errno. */
static int rcv(int fd, char *buf, size_t len, int flags)
{
	ssize_t n = recv(fd, buf, len, flags | MSG_DONTWAIT);

	return n < 0 ? -errno : n;
}

/* recv(MSG_OOB) through recvmsg: the byte, with MSG_OOB in msg_flags. */
static int rcv_oob(int fd, int flags, int *msg_flags)
{
	unsigned char b;
	struct iovec iov = { &b, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n = recvmsg(fd, &m, flags | MSG_OOB | MSG_DONTWAIT);

	if (n < 0)
		return -errno;
	*msg_flags = m.msg_flags;
	return n == 1 ? b : -EMSGSIZE;
}

/* Connect k->c to the listener, accept k->s, which gets SIGURG. */
static int pair(int proto, struct conn *k)
{
	int err = connect_pair(proto, k->lfd, &k->srv, &k->c, &k->s);

	if (!err && fcntl(k->s, F_SETOWN, getpid()))
		err = -errno;
	return err;
}

static int set_int(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v)) ? -errno : 0;
}

/* The ioctls on a fresh socket, a listener, a connecting socket. */
TEST_F(urgent, ioctl_states)
{
	struct sockaddr_in dst = self->k.srv;
	int fd;
	char b;

	fd = stream_sock(variant->proto, 0);
	ASSERT_OK(fd);
	EXPECT_EQ(0, ioc(fd, SIOCINQ));
	EXPECT_EQ(0, ioc(fd, SIOCOUTQ));
	EXPECT_EQ(0, ioc(fd, SIOCOUTQNSD));
	EXPECT_EQ(0, ioc(fd, SIOCATMARK));
	/* No urgent data on an unconnected socket: EINVAL, not ENOTCONN. */
	EXPECT_EQ(-EINVAL, rcv(fd, &b, 1, MSG_OOB));
	close(fd);

	EXPECT_EQ(-EINVAL, ioc(self->k.lfd, SIOCINQ));
	EXPECT_EQ(-EINVAL, ioc(self->k.lfd, SIOCOUTQ));
	EXPECT_EQ(-EINVAL, ioc(self->k.lfd, SIOCOUTQNSD));
	EXPECT_EQ(0, ioc(self->k.lfd, SIOCATMARK));
	EXPECT_EQ(-ENOTCONN, rcv(self->k.lfd, &b, 1, MSG_OOB));

	/* SYN-SENT: the SYN is dropped; nothing is counted yet. */
	ASSERT_OK(lo_drop("egress", variant->proto, 0, ntohs(dst.sin_port),
			  F_SYN, F_SYN));
	fd = stream_sock(variant->proto, SOCK_NONBLOCK);
	ASSERT_OK(fd);
	EXPECT_ERRNO(EINPROGRESS, connect_alarm(fd, &dst));
	EXPECT_EQ(0, ioc(fd, SIOCINQ));
	EXPECT_EQ(0, ioc(fd, SIOCOUTQ));
	EXPECT_EQ(0, ioc(fd, SIOCOUTQNSD));
	EXPECT_FAIL(EAGAIN, send(fd, "x", 1, MSG_OOB));
	EXPECT_EQ(-EINVAL, rcv(fd, &b, 1, MSG_OOB));
	close(fd);
	ASSERT_OK(lo_drop_off());
}

/*
 * ESTABLISHED: unsent (corked), unacknowledged (the peer hears nothing)
 * and received data; the FIN is not counted in SIOCINQ; half-closed.
 */
TEST_F(urgent, ioctl_queues)
{
	struct sockaddr_in cl;
	char buf[4000] = {};

	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_OK(sock_name(self->k.c, &cl));

	/* Corked: 100 bytes queued, none sent. */
	ASSERT_OK(set_int(self->k.c, IPPROTO_TCP, TCP_CORK, 1));
	ASSERT_EQ(100, send(self->k.c, buf, 100, 0));
	EXPECT_EQ(100, ioc(self->k.c, SIOCOUTQ));
	EXPECT_EQ(100, ioc(self->k.c, SIOCOUTQNSD));
	ASSERT_OK(set_int(self->k.c, IPPROTO_TCP, TCP_CORK, 0));
	EXPECT_EQ(0, wait_acked(self->k.c));
	EXPECT_EQ(0, ioc(self->k.c, SIOCOUTQNSD));

	/* Sent, never acknowledged: the server's ACKs are lost. */
	ASSERT_OK(lo_drop("egress", variant->proto, ntohs(self->k.srv.sin_port),
			  ntohs(cl.sin_port), 0, 0));
	ASSERT_EQ(3000, send(self->k.c, buf, 3000, 0));
	sleep_ms(50);
	EXPECT_EQ(3000, ioc(self->k.c, SIOCOUTQ));
	EXPECT_EQ(0, ioc(self->k.c, SIOCOUTQNSD));
	EXPECT_EQ(3100, ioc(self->k.s, SIOCINQ));
	ASSERT_OK(lo_drop_off());
	/* Retransmitted and acknowledged. */
	EXPECT_EQ(0, wait_acked(self->k.c));
	EXPECT_EQ(3100, ioc(self->k.s, SIOCINQ));
	ASSERT_EQ(3000, recv(self->k.s, buf, 3000, MSG_WAITALL));
	EXPECT_EQ(100, ioc(self->k.s, SIOCINQ));

	/* 100 bytes and the FIN: SIOCINQ says 100, then 0 at EOF. */
	ASSERT_EQ(0, shutdown(self->k.c, SHUT_WR));
	EXPECT_EQ(0, wait_acked(self->k.c));
	EXPECT_EQ(0, ioc(self->k.c, SIOCOUTQ));
	EXPECT_EQ(0, ioc(self->k.c, SIOCOUTQNSD));
	EXPECT_EQ(100, ioc(self->k.s, SIOCINQ));
	ASSERT_EQ(100, recv(self->k.s, buf, sizeof(buf), MSG_WAITALL));
	EXPECT_EQ(0, ioc(self->k.s, SIOCINQ));
	EXPECT_EQ(0, recv(self->k.s, buf, 1, 0));
	EXPECT_EQ(0, ioc(self->k.s, SIOCATMARK));
	/* CLOSE-WAIT end still sends: its queue counts again. */
	ASSERT_OK(set_int(self->k.s, IPPROTO_TCP, TCP_CORK, 1));
	ASSERT_EQ(10, send(self->k.s, buf, 10, 0));
	EXPECT_EQ(10, ioc(self->k.s, SIOCOUTQNSD));
}

/*
 * Dropped on the way out with nothing in flight: unsent for SIOCOUTQNSD,
 * and sent by the persist timer once the path works (mytcp used to wait
 * for an ACK that could not come).
 */
TEST_F(urgent, ioctl_local_drop)
{
	struct sockaddr_in cl;
	char buf[3000] = {};

	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_OK(sock_name(self->k.c, &cl));
	ASSERT_OK(lo_drop("egress", variant->proto, ntohs(cl.sin_port),
			  ntohs(self->k.srv.sin_port), 0, 0));
	ASSERT_EQ(3000, send(self->k.c, buf, 3000, 0));
	sleep_ms(50);
	EXPECT_EQ(3000, ioc(self->k.c, SIOCOUTQ));
	EXPECT_EQ(3000, ioc(self->k.c, SIOCOUTQNSD));
	ASSERT_OK(lo_drop_off());
	EXPECT_EQ(0, wait_acked(self->k.c));
	EXPECT_EQ(3000, ioc(self->k.s, SIOCINQ));
}

/*
 * Out of line (the default): the read stops at the mark, the urgent byte
 * comes once through MSG_OOB (peeked first), never through read().
 */
TEST_F(urgent, out_of_line)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLPRI }, got;
	char buf[64];
	int ep, fl = 0;

	ASSERT_OK(pair(variant->proto, &self->k));
	ep = epoll_create1(0);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->k.s, &ev));

	/* No urgent data yet: EINVAL, whatever the data. */
	ASSERT_OK(send_all(self->k.c, "0"));
	ASSERT_EQ(1, recv_wait(self->k.s, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, rcv(self->k.s, buf, 1, MSG_OOB));
	EXPECT_EQ(0, sigurgs());

	ASSERT_EQ(5, send(self->k.c, "hello", 5, 0));
	ASSERT_EQ(1, send(self->k.c, "X", 1, MSG_OOB));
	ASSERT_EQ(5, send(self->k.c, "world", 5, 0));
	ASSERT_OK(wait_acked(self->k.c));
	EXPECT_EQ(0, wait_sigurgs(1));
	EXPECT_EQ(1, sigurgs());

	ASSERT_EQ(1, epoll_wait(ep, &got, 1, 1000));
	EXPECT_EQ(EPOLLIN | EPOLLPRI, (int)got.events);
	EXPECT_EQ(0, ioc(self->k.s, SIOCATMARK));
	/* Readable: up to the mark only. */
	EXPECT_EQ(5, ioc(self->k.s, SIOCINQ));

	/* Even MSG_WAITALL stops at the mark. */
	ASSERT_EQ(5, recv(self->k.s, buf, sizeof(buf), MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(1, ioc(self->k.s, SIOCATMARK));
	EXPECT_EQ(0, ioc(self->k.s, SIOCINQ));
	EXPECT_EQ(POLLIN | POLLPRI, poll_fd(self->k.s, POLLIN | POLLPRI, 0));

	/* Peek, then take it: once. */
	EXPECT_EQ('X', rcv_oob(self->k.s, MSG_PEEK, &fl));
	EXPECT_EQ(MSG_OOB, fl & MSG_OOB);
	EXPECT_EQ('X', rcv_oob(self->k.s, 0, &fl));
	EXPECT_EQ(MSG_OOB, fl & MSG_OOB);
	EXPECT_EQ(-EINVAL, rcv_oob(self->k.s, 0, &fl));
	EXPECT_EQ(POLLIN, poll_fd(self->k.s, POLLIN | POLLPRI, 0));
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 0) == 1 &&
		  (got.events & EPOLLPRI));
	/* Still at the mark until the reader moves on. */
	EXPECT_EQ(1, ioc(self->k.s, SIOCATMARK));

	/* The stream goes on without it. */
	ASSERT_EQ(5, rcv(self->k.s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "world", 5));
	EXPECT_EQ(0, ioc(self->k.s, SIOCATMARK));
	EXPECT_EQ(-EINVAL, rcv_oob(self->k.s, 0, &fl));
	EXPECT_EQ(-EAGAIN, rcv(self->k.s, buf, sizeof(buf), 0));
	close(ep);
}

/*
 * Only the urgent byte left, not taken: no POLLIN; a read skips it and
 * finds nothing (EAGAIN); then it is gone for MSG_OOB as well.
 */
TEST_F(urgent, urgent_byte_alone)
{
	char buf[16];
	int fl = 0;

	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_EQ(1, send(self->k.c, "U", 1, MSG_OOB));
	ASSERT_OK(wait_acked(self->k.c));
	EXPECT_EQ(POLLPRI, poll_fd(self->k.s, POLLIN | POLLPRI, 1000));
	EXPECT_EQ(1, ioc(self->k.s, SIOCATMARK));
	EXPECT_EQ(0, ioc(self->k.s, SIOCINQ));
	/* A peek skips it too and leaves it. */
	EXPECT_EQ(-EAGAIN, rcv(self->k.s, buf, sizeof(buf), MSG_PEEK));
	EXPECT_EQ(POLLPRI, poll_fd(self->k.s, POLLIN | POLLPRI, 0));
	EXPECT_EQ(-EAGAIN, rcv(self->k.s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, ioc(self->k.s, SIOCATMARK));
	EXPECT_EQ(0, poll_fd(self->k.s, POLLIN | POLLPRI, 0));
	EXPECT_EQ(-EINVAL, rcv_oob(self->k.s, 0, &fl));
	ASSERT_EQ(2, send(self->k.c, "ab", 2, 0));
	ASSERT_EQ(2, recv_wait(self->k.s, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "ab", 2));
}

/* SO_OOBINLINE: the byte stays in the stream, MSG_OOB is EINVAL. */
TEST_F(urgent, inline)
{
	char buf[64];
	int fl = 0;

	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_OK(set_int(self->k.s, SOL_SOCKET, SO_OOBINLINE, 1));
	ASSERT_EQ(5, send(self->k.c, "hello", 5, 0));
	ASSERT_EQ(1, send(self->k.c, "X", 1, MSG_OOB));
	ASSERT_EQ(4, send(self->k.c, "tail", 4, 0));
	ASSERT_OK(wait_acked(self->k.c));
	EXPECT_EQ(0, wait_sigurgs(1));

	EXPECT_EQ(POLLIN | POLLPRI, poll_fd(self->k.s, POLLIN | POLLPRI, 1000));
	EXPECT_EQ(10, ioc(self->k.s, SIOCINQ));
	EXPECT_EQ(-EINVAL, rcv_oob(self->k.s, 0, &fl));
	EXPECT_EQ(-EINVAL, rcv_oob(self->k.s, MSG_PEEK, &fl));
	ASSERT_EQ(5, rcv(self->k.s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(1, ioc(self->k.s, SIOCATMARK));
	EXPECT_EQ(5, ioc(self->k.s, SIOCINQ));
	/* Through the mark: the urgent byte is the first one read. */
	ASSERT_EQ(5, rcv(self->k.s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "Xtail", 5));
	EXPECT_EQ(0, ioc(self->k.s, SIOCATMARK));
	EXPECT_EQ(0, poll_fd(self->k.s, POLLIN | POLLPRI, 0));
}

/*
 * A second urgent byte replaces the first: the first stays in the
 * stream when data came before it, and is dropped when the reader sat
 * right at it. One SIGURG per new mark.
 */
TEST_F(urgent, second_replaces_first)
{
	char buf[64];
	int fl = 0;

	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_EQ(2, send(self->k.c, "xy", 2, 0));
	ASSERT_EQ(1, send(self->k.c, "A", 1, MSG_OOB));
	ASSERT_OK(wait_acked(self->k.c));
	ASSERT_OK(wait_sigurgs(1));
	ASSERT_EQ(1, send(self->k.c, "B", 1, MSG_OOB));
	ASSERT_OK(wait_acked(self->k.c));
	EXPECT_EQ(0, wait_sigurgs(2));
	EXPECT_EQ(2, sigurgs());
	EXPECT_EQ(3, ioc(self->k.s, SIOCINQ));
	ASSERT_EQ(3, rcv(self->k.s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "xyA", 3));
	EXPECT_EQ(1, ioc(self->k.s, SIOCATMARK));
	EXPECT_EQ('B', rcv_oob(self->k.s, 0, &fl));

	/* At the mark of "C" when "D" comes: "C" is gone for good. */
	ASSERT_EQ(1, send(self->k.c, "C", 1, MSG_OOB));
	ASSERT_OK(wait_acked(self->k.c));
	ASSERT_OK(wait_sigurgs(3));
	EXPECT_EQ(1, ioc(self->k.s, SIOCATMARK));
	ASSERT_EQ(1, send(self->k.c, "D", 1, MSG_OOB));
	ASSERT_OK(wait_acked(self->k.c));
	EXPECT_EQ(0, wait_sigurgs(4));
	EXPECT_EQ(1, ioc(self->k.s, SIOCATMARK));
	EXPECT_EQ('D', rcv_oob(self->k.s, 0, &fl));
	ASSERT_EQ(3, send(self->k.c, "end", 3, 0));
	ASSERT_OK(wait_acked(self->k.c));
	ASSERT_EQ(3, rcv(self->k.s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "end", 3));
}

/* One segment from src to dst carrying payload, seen on lo. */
static int data_seg(int sn, int proto, const struct sockaddr_in *src,
		    const struct sockaddr_in *dst, struct seg *s)
{
	int n;

	do {
		n = sniff_for(sn, proto, src, dst, 0, 0, s, 2000);
	} while (n == 1 && !s->len);
	return n;
}

/*
 * The urgent pointer on the wire: the offset of the byte after the
 * urgent one, from the segment's SEQ, on every segment before it.
 */
TEST_F(urgent, wire_pointer)
{
	struct sockaddr_in cl;
	struct seg s;
	int sn, fl = 0;
	char buf[16];

	sn = sniff_open();
	ASSERT_LE(0, sn);
	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_OK(sock_name(self->k.c, &cl));
	sniff_drain(sn);

	ASSERT_EQ(6, send(self->k.c, "helloX", 6, MSG_OOB));
	ASSERT_EQ(1, data_seg(sn, variant->proto, &cl, &self->k.srv, &s));
	EXPECT_EQ(6, s.len);
	EXPECT_EQ(F_URG, s.flags & F_URG);
	EXPECT_EQ(6, s.urp);
	ASSERT_OK(wait_acked(self->k.c));
	EXPECT_EQ('X', rcv_oob(self->k.s, 0, &fl));
	ASSERT_EQ(5, rcv(self->k.s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));

	/* Acknowledged: urgent mode is over, no URG on the next one. */
	ASSERT_EQ(3, send(self->k.c, "abc", 3, 0));
	ASSERT_EQ(1, data_seg(sn, variant->proto, &cl, &self->k.srv, &s));
	EXPECT_EQ(0, s.flags & F_URG);
	EXPECT_EQ(0, s.urp);
	close(sn);
}

struct reader {
	int fd;
	long long got;
	long long want;
};

/* Read until want bytes came (urgent bytes inline). */
static void *reader_main(void *arg)
{
	struct reader *r = arg;
	char buf[65536];

	while (r->got < r->want) {
		ssize_t n = recv(r->fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		r->got += n;
	}
	return NULL;
}

/*
 * An urgent byte 64 KiB or more ahead: 0xFFFF until the segment is
 * close enough to point at it exactly (checked on every data segment
 * of a 200000-byte MSG_OOB send).
 */
TEST_F_TIMEOUT(urgent, wire_pointer_far, 60)
{
	const int total = 200000;
	struct reader r = { .want = total };
	struct sockaddr_in cl;
	int sn, n, far = 0, near = 0, bad = 0;
	__u32 first, up;
	pthread_t th;
	struct seg s;
	char *buf;

	buf = calloc(1, total);
	ASSERT_NE(NULL, buf);
	sn = sniff_open();
	ASSERT_LE(0, sn);
	/* Room for every segment (each seen twice on lo) until the end. */
	ASSERT_OK(set_int(sn, SOL_SOCKET, SO_RCVBUFFORCE, 32 << 20));
	ASSERT_OK(pair(variant->proto, &self->k));
	ASSERT_OK(sock_name(self->k.c, &cl));
	ASSERT_OK(set_int(self->k.s, SOL_SOCKET, SO_OOBINLINE, 1));
	/* No SIGURG: it would cut the blocking send short. */
	ASSERT_EQ(0, fcntl(self->k.s, F_SETOWN, 0));
	/* The first payload byte's SEQ: one byte sent and read. */
	sniff_drain(sn);
	ASSERT_EQ(1, send(self->k.c, "a", 1, 0));
	ASSERT_EQ(1, data_seg(sn, variant->proto, &cl, &self->k.srv, &s));
	ASSERT_EQ(1, recv_wait(self->k.s, buf, 1));
	first = s.seq + 1;
	up = first + total;

	r.fd = self->k.s;
	ASSERT_EQ(0, pthread_create(&th, NULL, reader_main, &r));
	ASSERT_EQ(total, send(self->k.c, buf, total, MSG_OOB));
	pthread_join(th, NULL);
	EXPECT_EQ(total, r.got);

	while ((n = data_seg(sn, variant->proto, &cl, &self->k.srv, &s)) == 1) {
		__u32 to_up = up - s.seq;

		if ((__s32)to_up <= 0)
			continue;
		if (!(s.flags & F_URG))
			bad++;
		else if (to_up >= 0x10000 && s.urp == 0xFFFF)
			far++;
		else if (to_up < 0x10000 && s.urp == to_up)
			near++;
		else
			bad++;
		if (bad == 1 && !(far + near))
			TH_LOG("seq %u to_up %u urp %u", s.seq, to_up, s.urp);
	}
	EXPECT_EQ(0, n);
	EXPECT_EQ(0, bad);
	EXPECT_LE(1, far);
	EXPECT_LE(1, near);
	close(sn);
	free(buf);
}

/*
 * Announced but not here: the pointer arrives with the first segment,
 * the byte lies beyond the receiver's small window (smaller than one
 * of the sender's skbs: mytcp used to stall there). SIGURG at once,
 * recv(MSG_OOB) is EAGAIN (never blocks), no POLLPRI; reading up to the
 * mark brings it: the byte is the last one sent.
 */
TEST_F_TIMEOUT(urgent, not_yet_arrived, 60)
{
	const int total = 20000;
	char buf[4096], *data;
	int fd, n, got = 0, fl = 0, i;
	long long end;

	/* Small receive buffer: the window stays far below the send. */
	close(self->k.lfd);
	fd = stream_sock(variant->proto, 0);
	ASSERT_OK(fd);
	ASSERT_OK(set_int(fd, SOL_SOCKET, SO_RCVBUF, 2048));
	self->k.srv = lo_addr(0);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&self->k.srv, sizeof(self->k.srv)));
	ASSERT_EQ(0, listen(fd, 4));
	ASSERT_OK(sock_name(fd, &self->k.srv));
	self->k.lfd = fd;
	ASSERT_OK(pair(variant->proto, &self->k));

	data = malloc(total);
	ASSERT_NE(NULL, data);
	for (i = 0; i < total; i++)
		data[i] = 'a' + i % 26;
	data[total - 1] = '!';
	ASSERT_OK(set_int(self->k.c, SOL_SOCKET, SO_SNDBUF, 1 << 20));
	n = send(self->k.c, data, total, MSG_OOB | MSG_DONTWAIT);
	ASSERT_EQ(total, n) TH_LOG("send: %s", strerror(errno));
	ASSERT_OK(wait_sigurgs(1));
	ASSERT_EQ(POLLIN, poll_fd(self->k.s, POLLIN | POLLPRI, 1000));
	EXPECT_EQ(-EAGAIN, rcv_oob(self->k.s, 0, &fl));
	EXPECT_EQ(-EAGAIN, rcv_oob(self->k.s, MSG_PEEK, &fl));
	EXPECT_EQ(0, ioc(self->k.s, SIOCATMARK));

	/* Read the stream: it stops at the mark, just before the byte. */
	end = now_ms() + 20000;
	while (!ioc(self->k.s, SIOCATMARK) && now_ms() < end) {
		n = recv(self->k.s, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		ASSERT_LT(0, n);
		ASSERT_EQ(0, memcmp(buf, data + got, n));
		got += n;
	}
	EXPECT_EQ(total - 1, got);
	/* (Linux TCP adds POLLIN here: its window is below one MSS.) */
	EXPECT_EQ(POLLPRI, poll_fd(self->k.s, POLLPRI, 3000));
	EXPECT_EQ('!', rcv_oob(self->k.s, 0, &fl));
	free(data);
}

TEST_HARNESS_MAIN
