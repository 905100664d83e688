// SPDX-License-Identifier: GPL-2.0
/*
 * Port sharing and disconnect, on IPPROTO_TCP (the reference) and on
 * mytcp with the same assertions: SO_REUSEPORT listeners share new
 * connections, only with the same owner; closing one of them resets
 * what waited in its accept queue and leaves the others serving; the
 * bind() conflicts of SO_REUSEADDR and SO_REUSEPORT against listeners,
 * bound, connected, accepted and TIME-WAIT sockets; port 0 on
 * INADDR_ANY; connect(AF_UNSPEC) from ESTABLISHED and from LISTEN.
 * Each test runs in a network namespace of its own.
 */
#include <linux/filter.h>

#include "kselftest_harness.h"
#include "mytcp_helpers.h"

#define NLISTEN		4
#define NCONN		200
#define PORT		7300

FIXTURE(reuseport) {
	int unused;
};

FIXTURE_VARIANT(reuseport) {
	int proto;
	/* listen() after SO_ATTACH_REUSEPORT_CBPF: mytcp cannot run it */
	int bpf_listen_err;
};

FIXTURE_VARIANT_ADD(reuseport, tcp) {
	.proto = IPPROTO_TCP,
};

FIXTURE_VARIANT_ADD(reuseport, mytcp) {
	.proto = IPPROTO_MYTCP,
	.bpf_listen_err = EOPNOTSUPP,
};

FIXTURE_SETUP(reuseport)
{
	int err = test_ns_setup(variant->proto);

	if (err == -EPROTONOSUPPORT)
		SKIP(return, "protocol %d unavailable (module not loaded?)",
		     variant->proto);
	ASSERT_EQ(0, err) TH_LOG("namespace setup: %s", strerror(-err));
}

FIXTURE_TEARDOWN(reuseport)
{
}

#define RA	1	/* SO_REUSEADDR */
#define RP	2	/* SO_REUSEPORT */

static struct sockaddr_in addr_of(const char *ip, unsigned short port)
{
	struct sockaddr_in a = lo_addr(port);

	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

/* A socket with the options @opts bound to ip:port: fd, or -errno. */
static int bound(int proto, int opts, const char *ip, unsigned short port)
{
	struct sockaddr_in a = addr_of(ip, port);
	int fd = stream_sock(proto, 0), one = 1, err = 0;

	if (fd < 0)
		return fd;
	if (((opts & RA) &&
	     setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) ||
	    ((opts & RP) &&
	     setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one))) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/* bound() and listen(): fd, or -errno. */
static int listening(int proto, int opts, const char *ip, unsigned short port)
{
	int fd = bound(proto, opts, ip, port);

	if (fd >= 0 && listen(fd, 256)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* bind() must fail with @err (0: succeed); closes what it made. */
static int bind_result(int proto, int opts, const char *ip,
		       unsigned short port)
{
	int fd = bound(proto, opts, ip, port);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* Accept everything queued on @lfd within @ms of quiet: the count. */
static int drain_accept(int lfd, int ms, int *fds, int max)
{
	int n = 0, fd;

	while ((fd = accept_wait(lfd, ms)) >= 0) {
		if (fds && n < max)
			fds[n] = fd;
		else
			close(fd);
		n++;
	}
	return n;
}

/* Wait until @fd is reset by its peer: 0, or what happened instead. */
static int wait_reset(int fd, int ms)
{
	char c;
	int r = poll_fd(fd, POLLIN, ms);

	if (r <= 0)
		return r ? r : -ETIMEDOUT;
	r = recv(fd, &c, 1, MSG_DONTWAIT);
	if (r < 0)
		return errno == ECONNRESET ? 0 : -errno;
	return 1;	/* data or EOF, not a reset */
}

/*
 * NLISTEN listeners with SO_REUSEPORT on one port; NCONN connections
 * from as many ephemeral ports: each listener gets at least 10% of
 * them, none is lost.
 */
TEST_F_TIMEOUT(reuseport, spread, 120)
{
	struct sockaddr_in srv = addr_of("127.0.0.1", PORT);
	int l[NLISTEN], got[NLISTEN], *c, i, total = 0;

	for (i = 0; i < NLISTEN; i++) {
		l[i] = listening(variant->proto, RP, "127.0.0.1", PORT);
		ASSERT_LE(0, l[i]) TH_LOG("listener %d: %s", i, strerror(-l[i]));
	}
	c = calloc(NCONN, sizeof(*c));
	ASSERT_NE(NULL, c);
	for (i = 0; i < NCONN; i++) {
		c[i] = stream_sock(variant->proto, 0);
		ASSERT_LE(0, c[i]);
		ASSERT_OK(connect_alarm(c[i], &srv));
	}
	for (i = 0; i < NLISTEN; i++) {
		got[i] = drain_accept(l[i], 300, NULL, 0);
		total += got[i];
	}
	TH_LOG("accepted per listener: %d %d %d %d", got[0], got[1], got[2],
	       got[3]);
	EXPECT_EQ(NCONN, total);
	for (i = 0; i < NLISTEN; i++) {
		int n = got[i];

		EXPECT_LE(NCONN / 10, n) TH_LOG("listener %d got %d", i, n);
	}
	for (i = 0; i < NCONN; i++)
		close(c[i]);
	for (i = 0; i < NLISTEN; i++)
		close(l[i]);
	free(c);
}

/* Another owner cannot join the group; a socket without the option neither. */
TEST_F(reuseport, same_owner_only)
{
	int l, status = -1;
	pid_t pid;

	l = listening(variant->proto, RP, "127.0.0.1", PORT);
	ASSERT_LE(0, l);
	EXPECT_EQ(-EADDRINUSE, bind_result(variant->proto, 0, "127.0.0.1",
					   PORT));
	EXPECT_EQ(-EADDRINUSE, bind_result(variant->proto, RA, "127.0.0.1",
					   PORT));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int r;

		if (setuid(65534))
			_exit(100);
		r = bind_result(variant->proto, RP, "127.0.0.1", PORT);
		_exit(r == -EADDRINUSE ? 0 : r < 0 ? -r : 101);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("other owner's bind: status %d", WEXITSTATUS(status));
	/* The same owner may. */
	EXPECT_EQ(0, bind_result(variant->proto, RP, "127.0.0.1", PORT));
	close(l);
}

/*
 * Closing one listener of the group resets the connections waiting in
 * its accept queue (nobody will accept them) and leaves the others
 * taking every new connection.
 */
TEST_F_TIMEOUT(reuseport, close_one, 90)
{
	struct sockaddr_in srv = addr_of("127.0.0.1", PORT);
	int l[NLISTEN], c[40], c2[40], i, kept = 0, resets = 0, total = 0;

	for (i = 0; i < NLISTEN; i++) {
		l[i] = listening(variant->proto, RP, "127.0.0.1", PORT);
		ASSERT_LE(0, l[i]);
	}
	for (i = 0; i < 40; i++) {
		c[i] = stream_sock(variant->proto, 0);
		ASSERT_LE(0, c[i]);
		ASSERT_OK(connect_alarm(c[i], &srv));
	}
	for (i = 1; i < NLISTEN; i++)
		kept += drain_accept(l[i], 300, NULL, 0);
	ASSERT_GT(40, kept) TH_LOG("listener 0 got none of 40");
	close(l[0]);
	for (i = 0; i < 40; i++)
		if (!wait_reset(c[i], kept + resets < 40 ? 1000 : 50))
			resets++;
	EXPECT_EQ(40 - kept, resets);

	for (i = 0; i < 40; i++) {
		c2[i] = stream_sock(variant->proto, 0);
		ASSERT_LE(0, c2[i]);
		ASSERT_OK(connect_alarm(c2[i], &srv));
	}
	for (i = 1; i < NLISTEN; i++)
		total += drain_accept(l[i], 300, NULL, 0);
	EXPECT_EQ(40, total);
	/* Their servers closed them: an orderly end, not a reset. */
	for (i = 0; i < 40; i++) {
		EXPECT_EQ(1, wait_reset(c2[i], IO_TIMEOUT_MS));
		close(c[i]);
		close(c2[i]);
	}
	for (i = 1; i < NLISTEN; i++)
		close(l[i]);
}

/* Listener against listener, bound and different addresses. */
TEST_F(reuseport, bind_vs_listener)
{
	int p = variant->proto, l, a, b, opts, err;

	l = listening(p, 0, "127.0.0.1", PORT);
	ASSERT_LE(0, l);
	EXPECT_EQ(-EADDRINUSE, bind_result(p, 0, "127.0.0.1", PORT));
	EXPECT_EQ(-EADDRINUSE, bind_result(p, RA, "127.0.0.1", PORT));
	EXPECT_EQ(-EADDRINUSE, bind_result(p, RP, "127.0.0.1", PORT));
	EXPECT_EQ(-EADDRINUSE, bind_result(p, RA | RP, "127.0.0.1", PORT));
	EXPECT_EQ(-EADDRINUSE, bind_result(p, 0, "0.0.0.0", PORT));
	/* Another address of lo does not overlap. */
	EXPECT_EQ(0, bind_result(p, 0, "127.0.0.2", PORT));
	close(l);

	/* SO_REUSEADDR on both: no help against a listener. */
	l = listening(p, RA, "0.0.0.0", PORT);
	ASSERT_LE(0, l);
	EXPECT_EQ(-EADDRINUSE, bind_result(p, RA, "127.0.0.1", PORT));
	EXPECT_EQ(-EADDRINUSE, bind_result(p, RA, "127.0.0.2", PORT));
	close(l);

	/*
	 * Two bound with SO_REUSEADDR: both bind, only one listens (the
	 * other once the first is gone). With SO_REUSEPORT both listen.
	 */
	for (opts = RA; opts <= RP; opts++) {
		a = bound(p, opts, "127.0.0.1", PORT);
		ASSERT_LE(0, a);
		b = bound(p, opts, "127.0.0.1", PORT);
		ASSERT_LE(0, b);
		EXPECT_EQ(0, listen(a, 8));
		err = listen(b, 8) ? errno : 0;
		EXPECT_EQ(opts == RA ? EADDRINUSE : 0, err);
		close(a);
		EXPECT_EQ(0, listen(b, 8));
		close(b);
	}
}

/* A connected socket's port, and an accepted one's after its listener left. */
TEST_F(reuseport, bind_vs_connected)
{
	struct sockaddr_in srv = addr_of("127.0.0.1", PORT), me;
	int p = variant->proto, l, c, s, l2;
	unsigned short q;

	l = listening(p, RA, "127.0.0.1", PORT);
	ASSERT_LE(0, l);
	c = bound(p, RA, "127.0.0.1", PORT + 1);
	ASSERT_LE(0, c);
	ASSERT_OK(connect_alarm(c, &srv));
	s = accept_wait(l, IO_TIMEOUT_MS);
	ASSERT_LE(0, s);
	ASSERT_OK(sock_name(c, &me));
	q = ntohs(me.sin_port);
	EXPECT_EQ(PORT + 1, q);

	/* The client's port: only with SO_REUSEADDR, and then it may listen. */
	EXPECT_EQ(-EADDRINUSE, bind_result(p, 0, "127.0.0.1", q));
	EXPECT_EQ(-EADDRINUSE, bind_result(p, RP, "127.0.0.1", q));
	l2 = listening(p, RA, "127.0.0.1", q);
	EXPECT_LE(0, l2) TH_LOG("listen on a connected port: %s",
				strerror(-l2));
	if (l2 >= 0)
		close(l2);

	/* The server restarts while its child lives: SO_REUSEADDR needed. */
	close(l);
	EXPECT_EQ(-EADDRINUSE, bind_result(p, 0, "127.0.0.1", PORT));
	EXPECT_EQ(-EADDRINUSE, bind_result(p, 0, "0.0.0.0", PORT));
	l = listening(p, RA, "0.0.0.0", PORT);
	EXPECT_LE(0, l) TH_LOG("listen next to a child: %s", strerror(-l));
	if (l >= 0)
		close(l);
	close(c);
	close(s);
}

/*
 * A TIME-WAIT entry on a SO_REUSEPORT listener's port: a new socket
 * may take the port with SO_REUSEPORT (any owner), or SO_REUSEADDR if
 * the entry's socket had it too; with neither, EADDRINUSE.
 */
TEST_F(reuseport, bind_vs_time_wait)
{
	struct sockaddr_in srv = addr_of("127.0.0.1", PORT), cli;
	int p = variant->proto, l, c, s, st;

	l = listening(p, RP, "127.0.0.1", PORT);
	ASSERT_LE(0, l);
	c = stream_sock(p, 0);
	ASSERT_LE(0, c);
	ASSERT_OK(connect_alarm(c, &srv));
	s = accept_wait(l, IO_TIMEOUT_MS);
	ASSERT_LE(0, s);
	ASSERT_OK(sock_name(c, &cli));
	close(l);
	/* The server closes first: its side goes to TIME-WAIT on PORT. */
	close(s);
	ASSERT_EQ(1, wait_reset(c, IO_TIMEOUT_MS));	/* EOF */
	close(c);
	st = sk_wait(p == IPPROTO_TCP ? "/proc/net/tcp" : "/proc/net/mytcp",
		     &srv, &cli, 6 /* TIME-WAIT */, 2000);
	ASSERT_EQ(6, st);

	EXPECT_EQ(-EADDRINUSE, bind_result(p, 0, "127.0.0.1", PORT));
	EXPECT_EQ(-EADDRINUSE, bind_result(p, RA, "127.0.0.1", PORT));
	EXPECT_EQ(-EADDRINUSE, bind_result(p, 0, "0.0.0.0", PORT));
	EXPECT_EQ(0, bind_result(p, RP, "127.0.0.1", PORT));
	l = listening(p, RP, "0.0.0.0", PORT);
	EXPECT_LE(0, l) TH_LOG("listen next to TIME-WAIT: %s", strerror(-l));
	if (l >= 0)
		close(l);
}

/* Port 0 on INADDR_ANY: a free port of ip_local_port_range, each time another. */
TEST_F(reuseport, port_zero_any)
{
	struct sockaddr_in a1, a2, a3, dst;
	int p = variant->proto, lo = 0, hi = 0, f1, f2, f3, c, s, n;
	char buf[64];

	ASSERT_OK(read_file("/proc/sys/net/ipv4/ip_local_port_range", buf,
			    sizeof(buf)));
	n = sscanf(buf, "%d %d", &lo, &hi);
	ASSERT_EQ(2, n);
	f1 = bound(p, 0, "0.0.0.0", 0);
	ASSERT_LE(0, f1);
	f2 = bound(p, RA | RP, "0.0.0.0", 0);
	ASSERT_LE(0, f2);
	ASSERT_OK(sock_name(f1, &a1));
	ASSERT_OK(sock_name(f2, &a2));
	EXPECT_EQ(INADDR_ANY, a1.sin_addr.s_addr);
	EXPECT_LE(lo, ntohs(a1.sin_port));
	EXPECT_GE(hi, ntohs(a1.sin_port));
	EXPECT_LE(lo, ntohs(a2.sin_port));
	EXPECT_GE(hi, ntohs(a2.sin_port));
	EXPECT_NE(a1.sin_port, a2.sin_port);

	/* listen() without bind() picks one too, on INADDR_ANY. */
	f3 = stream_sock(p, 0);
	ASSERT_LE(0, f3);
	ASSERT_EQ(0, listen(f3, 8));
	ASSERT_OK(sock_name(f3, &a3));
	EXPECT_EQ(INADDR_ANY, a3.sin_addr.s_addr);
	EXPECT_LE(lo, ntohs(a3.sin_port));
	EXPECT_GE(hi, ntohs(a3.sin_port));

	/* The wildcard listener takes connections to any local address. */
	ASSERT_EQ(0, listen(f1, 8));
	dst = addr_of("127.0.0.5", ntohs(a1.sin_port));
	ASSERT_OK(connect_pair(p, f1, &dst, &c, &s));
	ASSERT_OK(sock_name(s, &a3));
	EXPECT_EQ(dst.sin_addr.s_addr, a3.sin_addr.s_addr);
	close(c);
	close(s);
	close(f1);
	close(f2);
	close(f3);
}

/*
 * connect(AF_UNSPEC) on an established connection: the peer gets an
 * RST, the socket leaves its peer (getpeername ENOTCONN) and its
 * automatic address, and can connect again, to another listener.
 */
TEST_F(reuseport, unspec_established)
{
	struct sockaddr_in srv, srv2, me, me2, peer;
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	socklen_t len = sizeof(peer);
	int p = variant->proto, l, l2, c, s, s2;
	char b = 0;

	l = listener(p, 0, &srv);
	ASSERT_LE(0, l);
	l2 = listener(p, 0, &srv2);
	ASSERT_LE(0, l2);
	ASSERT_OK(connect_pair(p, l, &srv, &c, &s));
	ASSERT_OK(sock_name(c, &me));

	ASSERT_EQ(0, connect(c, &unspec, sizeof(unspec)));
	EXPECT_EQ(0, wait_reset(s, IO_TIMEOUT_MS));
	EXPECT_EQ(-1, getpeername(c, (struct sockaddr *)&peer, &len));
	EXPECT_EQ(ENOTCONN, errno);
	ASSERT_OK(sock_name(c, &me2));
	EXPECT_EQ(INADDR_ANY, me2.sin_addr.s_addr);
	EXPECT_EQ(me.sin_port, me2.sin_port);
	/* The reset is reported once (sk_err), then the socket is closed. */
	EXPECT_EQ(-1, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(-1, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);

	ASSERT_OK(connect_alarm(c, &srv2));
	s2 = accept_wait(l2, IO_TIMEOUT_MS);
	ASSERT_LE(0, s2);
	ASSERT_OK(sock_name(c, &me2));
	EXPECT_EQ(htonl(INADDR_LOOPBACK), me2.sin_addr.s_addr);
	EXPECT_EQ(1, send(c, "y", 1, 0));
	EXPECT_EQ(1, recv_wait(s2, &b, 1));
	EXPECT_EQ('y', b);
	close(c);
	close(s);
	close(s2);
	close(l);
	close(l2);
}

/*
 * connect(AF_UNSPEC) on a listener: it stops listening (new connections
 * are refused) but keeps the address it was bound to, and may listen
 * again.
 */
TEST_F(reuseport, unspec_listen)
{
	struct sockaddr_in srv = addr_of("127.0.0.1", PORT), me;
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	int p = variant->proto, l, c, s;

	l = listening(p, 0, "127.0.0.1", PORT);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, connect(l, &unspec, sizeof(unspec)));
	ASSERT_OK(sock_name(l, &me));
	EXPECT_EQ(srv.sin_addr.s_addr, me.sin_addr.s_addr);
	EXPECT_EQ(srv.sin_port, me.sin_port);
	c = stream_sock(p, 0);
	ASSERT_LE(0, c);
	EXPECT_EQ(-ECONNREFUSED, connect_alarm(c, &srv));
	close(c);
	/* Still holding the port. */
	EXPECT_EQ(-EADDRINUSE, bind_result(p, 0, "127.0.0.1", PORT));
	ASSERT_EQ(0, listen(l, 8));
	ASSERT_OK(connect_pair(p, l, &srv, &c, &s));
	close(c);
	close(s);
	close(l);
}

/*
 * A reuseport BPF program: Linux TCP runs it; mytcp cannot, and says so
 * at listen() (the socket core accepted the option already).
 */
TEST_F(reuseport, reuseport_cbpf)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_RET | BPF_K, 0),	/* always the first socket */
	};
	struct sock_fprog prog = { .len = 1, .filter = code };
	int p = variant->proto, fd, r;

	fd = bound(p, RP, "127.0.0.1", PORT);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF,
				&prog, sizeof(prog)));
	r = listen(fd, 8) ? errno : 0;
	EXPECT_EQ(variant->bpf_listen_err, r);
	close(fd);
}

TEST_HARNESS_MAIN
