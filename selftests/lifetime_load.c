// SPDX-License-Identifier: GPL-2.0
/*
 * lifetime_load: load generator and checker of the lifetime tests
 * (churn.sh, rmmod_load.sh, mem_pressure.sh). Every mode exits 0 on
 * success and 1 with a message on the first failure; --proto 6 runs it on
 * the kernel's TCP.
 *
 *   lifetime_load churn -n N [-b B] [-c MODES]
 *       open and close N connections over loopback, B at a time (all B
 *       connected and accepted, one byte each way, then closed). The close
 *       of connection i is MODES[i % len]: c = the client closes first
 *       (FIN, TIME-WAIT at the client), s = the server first (TIME-WAIT
 *       at the server), r = client RST (SO_LINGER 0), R = server RST.
 *       Default "csrR"; -t S repeats until S seconds have passed.
 *   lifetime_load half -n N
 *       a listener and N non-blocking connects to it, then wait until
 *       killed (with the SYN-ACKs lost: N requests in SYN-RECEIVED).
 *   lifetime_load bulk -n STREAMS -t S
 *       STREAMS connections each sending 64 KiB writes to a reader that
 *       discards, for S seconds (0: until killed).
 *   lifetime_load mem -n CONNS -B BYTES [-s BUF]
 *       memory pressure: SO_SNDBUF/SO_RCVBUF BUF (default 2048; 0: not
 *       set, the sysctls decide) on every socket, CONNS connections;
 *       each one full duplex, BYTES of a pattern each way. Both ends
 *       first write without reading (each side's buffers fill: user
 *       space blocks, the kernel must not),
 *       readers start 1 s later with MSG_WAITALL reads of 64 KiB, larger
 *       than the buffer; connection k writes in pieces of 1 byte (k = 0),
 *       its own odd size, or 64 KiB. Every byte is checked; then SIOCINQ
 *       and SIOCOUTQ must be 0 on every socket.
 *
 *   common: -a ADDR (127.0.0.1), -p PORT (7300), -P PROTO (253),
 *           -N NETNS (client joins /run/netns/NETNS; the server stays)
 *           -w S: give up after S seconds (default 120) with status 1
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <linux/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/mytcp.h>

#include "kselftest.h"	/* __printf */
#include "opt_table.h"

#define CHUNK	65536

static struct {
	const char *mode;
	struct sockaddr_in srv;
	const char *netns;
	int proto;
	long n, batch, seconds, bytes, buf;
	const char *closes;
	int watchdog;
} opt = {
	.proto = IPPROTO_MYTCP, .n = 1, .batch = 100, .closes = "csrR",
	.buf = 2048, .watchdog = 120,
};

static __printf(1, 2) void die(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "lifetime_load %s: ", opt.mode);
	vfprintf(stderr, fmt, ap);
	if (fmt[strlen(fmt) - 1] != '\n')
		fprintf(stderr, ": %s\n", strerror(e));
	va_end(ap);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_int(int fd, int level, int name, int val)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)))
		die("setsockopt %d/%d", level, name);
}

static int listener(int backlog)
{
	int fd = socket(AF_INET, SOCK_STREAM, opt.proto);

	if (fd < 0)
		die("socket");
	set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (!strcmp(opt.mode, "mem") && opt.buf) {
		/* Children inherit both (as in Linux TCP). */
		set_int(fd, SOL_SOCKET, SO_SNDBUF, opt.buf);
		set_int(fd, SOL_SOCKET, SO_RCVBUF, opt.buf);
	}
	if (bind(fd, (struct sockaddr *)&opt.srv, sizeof(opt.srv)) ||
	    listen(fd, backlog))
		die("bind/listen %s:%d", inet_ntoa(opt.srv.sin_addr),
		    ntohs(opt.srv.sin_port));
	return fd;
}

/* The client's sockets live in --netns (created there, used anywhere). */
static int client_socket(void)
{
	static int home = -1, away = -1;
	char path[256];
	int fd;

	if (opt.netns && away < 0) {
		snprintf(path, sizeof(path), "/run/netns/%s", opt.netns);
		home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		away = open(path, O_RDONLY | O_CLOEXEC);
		if (home < 0 || away < 0)
			die("open %s", path);
	}
	if (away >= 0 && setns(away, CLONE_NEWNET))
		die("setns");
	fd = socket(AF_INET, SOCK_STREAM, opt.proto);
	if (fd < 0)
		die("client socket");
	if (home >= 0 && setns(home, CLONE_NEWNET))
		die("setns back");
	return fd;
}

static int connect_one(void)
{
	int fd = client_socket();

	if (connect(fd, (struct sockaddr *)&opt.srv, sizeof(opt.srv)))
		die("connect");
	return fd;
}

static void xwrite(int fd, const void *p, size_t len)
{
	ssize_t w;

	while (len) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write");
		p = (const char *)p + w;
		len -= w;
	}
}

static void xread1(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		die("read of the one byte");
}

static void close_rst(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
		die("SO_LINGER");
	close(fd);
}

/*
 * The sockets in use, for the watchdog's dump: churn's batch and mem's
 * ends (conn number, side).
 */
static int *dump_cfd, *dump_sfd;
static long dump_n, dump_at;	/* sockets in the batch; churn's exchange */
struct end;
static struct end *dump_ends;

/* --- churn ------------------------------------------------------------- */

/* The port of an address of @fd: its own, or with @peer its peer's. */
static int port_of(int fd, bool peer)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	if (peer ? getpeername(fd, (struct sockaddr *)&a, &len) :
		   getsockname(fd, (struct sockaddr *)&a, &len))
		die("getsockname/getpeername");
	return ntohs(a.sin_port);
}

static void churn(void)
{
	static long slot[65536];	/* client port -> index in cfd, + 1 */
	size_t nclose = strlen(opt.closes);
	int lfd = listener(opt.batch);
	int *cfd = calloc(opt.batch, sizeof(int));
	int *sfd = calloc(opt.batch, sizeof(int));
	double t0 = now();
	long done = 0, i, b, j, reordered = 0;

	if (!cfd || !sfd || !nclose)
		die("calloc or empty -c\n");
	dump_cfd = cfd;
	dump_sfd = sfd;
	while (opt.seconds ? now() - t0 < opt.seconds : done < opt.n) {
		b = opt.seconds ? opt.batch : opt.n - done;
		if (b > opt.batch)
			b = opt.batch;
		for (i = 0; i < opt.batch; i++) {
			cfd[i] = -1;
			sfd[i] = -1;
		}
		dump_n = b;
		for (i = 0; i < b; i++) {
			cfd[i] = connect_one();
			slot[port_of(cfd[i], false)] = i + 1;
		}
		/*
		 * accept() returns the connections in the order their
		 * handshakes completed, not the order of the connect()s: a
		 * final ACK retransmitted, or one left in another CPU's
		 * backlog while the connecting thread moved on, puts a later
		 * one first. Pair them by port, or the exchange below waits
		 * for a byte its peer has not been asked to send yet.
		 */
		for (i = 0; i < b; i++) {
			int s = accept(lfd, NULL, NULL);

			if (s < 0)
				die("accept");
			j = slot[port_of(s, true)] - 1;
			if (j < 0 || j >= b || sfd[j] >= 0)
				die("accepted a connection we did not make\n");
			slot[port_of(s, true)] = 0;
			reordered += j != i;
			sfd[j] = s;
		}
		for (i = 0; i < b; i++) {
			dump_at = i;
			xwrite(cfd[i], "q", 1);
			xread1(sfd[i]);
			xwrite(sfd[i], "a", 1);
			xread1(cfd[i]);
		}
		for (i = 0; i < b; i++) {
			switch (opt.closes[(done + i) % nclose]) {
			case 'c':
				close(cfd[i]);
				close(sfd[i]);
				break;
			case 's':
				close(sfd[i]);
				close(cfd[i]);
				break;
			case 'r':
				close_rst(cfd[i]);
				close(sfd[i]);
				break;
			case 'R':
				close_rst(sfd[i]);
				close(cfd[i]);
				break;
			default:
				die("-c: unknown close '%c'\n",
				    opt.closes[(done + i) % nclose]);
			}
		}
		done += b;
	}
	close(lfd);
	printf("connections %ld seconds %.2f per_second %.0f accepted_out_of_order %ld\n",
	       done, now() - t0, done / (now() - t0), reordered);
}

/* --- half ------------------------------------------------------------- */

static void half(void)
{
	int lfd = listener(opt.n);
	long i;

	for (i = 0; i < opt.n; i++) {
		int fd = client_socket();

		fcntl(fd, F_SETFL, O_NONBLOCK);
		if (!connect(fd, (struct sockaddr *)&opt.srv, sizeof(opt.srv)) ||
		    errno != EINPROGRESS)
			die("non-blocking connect did not wait");
	}
	printf("%s %ld connecting to listener %d\n", opt.mode, opt.n, lfd);
	for (;;)
		pause();
}

/* --- bulk -------------------------------------------------------------- */

static void *bulk_reader(void *arg)
{
	static char sink[CHUNK];
	int fd = (int)(intptr_t)arg;

	while (read(fd, sink, sizeof(sink)) > 0)
		;
	return NULL;
}

static void bulk(void)
{
	static char src[CHUNK];
	int lfd = listener(opt.n);
	double t0 = now();
	pthread_t th;
	long i;
	int *fds = calloc(opt.n, sizeof(int));

	if (!fds)
		die("calloc");
	for (i = 0; i < opt.n; i++) {
		int s;

		fds[i] = connect_one();
		s = accept(lfd, NULL, NULL);
		if (s < 0 || pthread_create(&th, NULL, bulk_reader,
					    (void *)(intptr_t)s))
			die("accept or thread");
		pthread_detach(th);
	}
	/* One writer thread per stream is this one, round robin. */
	for (i = 0; i < opt.n; i++)
		fcntl(fds[i], F_SETFL, O_NONBLOCK);
	while (!opt.seconds || now() - t0 < opt.seconds) {
		bool any = false;

		for (i = 0; i < opt.n; i++) {
			ssize_t w = write(fds[i], src, sizeof(src));

			if (w > 0)
				any = true;
			else if (w < 0 && errno != EAGAIN)
				die("%s write", opt.mode);
		}
		if (!any)
			usleep(1000);
	}
	printf("%s %ld streams %.1f s\n", opt.mode, opt.n, now() - t0);
}

/* --- mem --------------------------------------------------------------- */

struct end {
	int fd;
	int k;			/* connection number */
	bool server;
	bool start_reading;	/* atomic: set by the main thread */
	long got;
	const char *err;
};

/* The byte at offset @off of the stream one side of connection @k sends. */
static unsigned char pattern(int k, bool server, long off)
{
	__u32 x = (__u32)off * 2654435761u ^ (k * 40503u) ^ (server ? 0x5a : 0);

	return (unsigned char)(x >> 13 ^ x);
}

static size_t piece(int k)
{
	if (k == 0)
		return 1;
	if (k % 3 == 1)
		return CHUNK;
	return 100 + 37 * k;	/* an odd size, not a multiple of the MSS */
}

static void *mem_writer(void *arg)
{
	static __thread unsigned char b[CHUNK];
	struct end *e = arg;
	size_t step = piece(e->k);
	long off = 0, i, n;

	while (off < opt.bytes) {
		n = opt.bytes - off < (long)step ? opt.bytes - off : (long)step;
		for (i = 0; i < n; i++)
			b[i] = pattern(e->k, e->server, off + i);
		if (send(e->fd, b, n, 0) != n) {
			e->err = "send";
			return NULL;
		}
		off += n;
	}
	if (shutdown(e->fd, SHUT_WR))
		e->err = "shutdown";
	return NULL;
}

static void *mem_reader(void *arg)
{
	static __thread unsigned char b[CHUNK];
	struct end *e = arg;
	ssize_t r, i;

	while (!__atomic_load_n(&e->start_reading, __ATOMIC_ACQUIRE))
		usleep(10000);
	for (;;) {
		/* MSG_WAITALL of 64 KiB: far more than the receive buffer. */
		r = recv(e->fd, b, sizeof(b), MSG_WAITALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e->err = "recv";
			return NULL;
		}
		if (r == 0)
			break;
		for (i = 0; i < r; i++)
			if (b[i] != pattern(e->k, !e->server, e->got + i)) {
				e->err = "data differs";
				return NULL;
			}
		e->got += r;
		if (r < (ssize_t)sizeof(b) && e->got != opt.bytes) {
			e->err = "MSG_WAITALL returned short before EOF";
			return NULL;
		}
	}
	if (e->got != opt.bytes)
		e->err = "wrong byte count";
	return NULL;
}

static void mem(void)
{
	int lfd = listener(opt.n);
	struct end *ends = calloc(2 * opt.n, sizeof(*ends));
	pthread_t *th = calloc(4 * opt.n, sizeof(*th));
	double t0 = now();
	long i;
	int q, fail = 0;

	if (!ends || !th)
		die("calloc");
	for (i = 0; i < 2 * opt.n; i++)
		ends[i].fd = -1;
	dump_ends = ends;
	dump_n = opt.n;
	for (i = 0; i < opt.n; i++) {
		struct end *c = &ends[2 * i], *s = &ends[2 * i + 1];

		c->fd = client_socket();
		if (opt.buf) {
			set_int(c->fd, SOL_SOCKET, SO_SNDBUF, opt.buf);
			set_int(c->fd, SOL_SOCKET, SO_RCVBUF, opt.buf);
		}
		if (connect(c->fd, (struct sockaddr *)&opt.srv, sizeof(opt.srv)))
			die("connect");
		s->fd = accept(lfd, NULL, NULL);
		if (s->fd < 0)
			die("accept");
		c->k = i;
		s->k = i;
		s->server = true;
	}
	for (i = 0; i < 2 * opt.n; i++)
		if (pthread_create(&th[2 * i], NULL, mem_writer, &ends[i]) ||
		    pthread_create(&th[2 * i + 1], NULL, mem_reader, &ends[i]))
			die("pthread_create");
	/* Both directions of every connection fill up before anyone reads. */
	sleep(1);
	for (i = 0; i < 2 * opt.n; i++)
		__atomic_store_n(&ends[i].start_reading, true, __ATOMIC_RELEASE);
	for (i = 0; i < 4 * opt.n; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 2 * opt.n; i++) {
		struct end *e = &ends[i];

		if (e->err) {
			fprintf(stderr, "conn %d %s: %s (got %ld of %ld)\n",
				e->k, e->server ? "server" : "client", e->err,
				e->got, opt.bytes);
			fail = 1;
		}
		/* Everything was read and acknowledged: both queues empty. */
		if (ioctl(e->fd, SIOCINQ, &q) || q) {
			fprintf(stderr, "conn %d: SIOCINQ %d\n", e->k, q);
			fail = 1;
		}
		if (ioctl(e->fd, SIOCOUTQ, &q) || q) {
			fprintf(stderr, "conn %d: SIOCOUTQ %d\n", e->k, q);
			fail = 1;
		}
	}
	if (fail)
		exit(1);
	for (i = 0; i < 2 * opt.n; i++)
		close(ends[i].fd);
	close(lfd);
	printf("%s %ld connections, %ld bytes each way, buffers %ld: %.2f s\n",
	       opt.mode, opt.n, opt.bytes, opt.buf, now() - t0);
}

/*
 * The watchdog's dump (the process is about to exit, so stdio from the
 * handler is acceptable): every socket not idle, with its windows and
 * queues from TCP_INFO and the ioctls, then the protocol's table.
 */
static void dump_fd(int fd, const char *what, long k, long got)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	int inq = -1, outq = -1, nsd = -1;

	if (fd < 0)
		return;
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return;
	ioctl(fd, SIOCINQ, &inq);
	ioctl(fd, SIOCOUTQ, &outq);
	ioctl(fd, SIOCOUTQNSD, &nsd);
	if (!inq && !outq && ti.tcpi_state == 1)
		return;		/* idle in ESTABLISHED */
	fprintf(stderr,
		"  conn %ld %s fd %d got %ld: state %u inq %d outq %d notsent %d snd_wnd %u rcv_wnd %u unacked %u probes %u backoff %u retransmits %u rto %u ca %u cwnd %u mss %u/%u acked %llu rcvd %llu last_sent %u last_recv %u last_ack %u\n",
		k, what, fd, got, ti.tcpi_state, inq, outq, nsd, ti.tcpi_snd_wnd,
		ti.tcpi_rcv_ssthresh, ti.tcpi_unacked, ti.tcpi_probes,
		ti.tcpi_backoff, ti.tcpi_retransmits, ti.tcpi_rto,
		ti.tcpi_ca_state, ti.tcpi_snd_cwnd, ti.tcpi_snd_mss,
		ti.tcpi_rcv_mss, (unsigned long long)ti.tcpi_bytes_acked,
		(unsigned long long)ti.tcpi_bytes_received,
		ti.tcpi_last_data_sent, ti.tcpi_last_data_recv,
		ti.tcpi_last_ack_recv);
}

static void dump_state(void)
{
	char line[512];
	FILE *f;
	long i;

	fprintf(stderr, "lifetime_load %s: watchdog: busy sockets (%s; churn at %ld):\n",
		opt.mode, "rcv_wnd is tcpi_rcv_ssthresh", dump_at);
	for (i = 0; i < dump_n; i++) {
		if (dump_ends) {
			dump_fd(dump_ends[2 * i].fd, "client", i,
				dump_ends[2 * i].got);
			dump_fd(dump_ends[2 * i + 1].fd, "server", i,
				dump_ends[2 * i + 1].got);
		} else if (dump_cfd) {
			dump_fd(dump_cfd[i], "client", i, 0);
			dump_fd(dump_sfd[i], "server", i, 0);
		}
	}
	f = fopen(opt.proto == IPPROTO_TCP ? "/proc/net/tcp" : "/proc/net/mytcp", "r");
	for (i = 0; f && i < 60 && fgets(line, sizeof(line), f); i++)
		fputs(line, stderr);
	if (f)
		fclose(f);
}

static void on_alarm(int sig)
{
	static const char msg[] = "lifetime_load: watchdog: no progress, giving up\n";

	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	dump_state();
	_exit(1);
}

int main(int argc, char **argv)
{
	struct rlimit rl = { 65536, 65536 };
	const char *addr = "127.0.0.1";
	int port = 7300, c;
	const struct opt_row rows[] = {
		{ 'n', OPT_LONG, &opt.n },
		{ 'b', OPT_LONG, &opt.batch },
		{ 'c', OPT_STR, &opt.closes },
		{ 't', OPT_LONG, &opt.seconds },
		{ 'B', OPT_LONG, &opt.bytes },
		{ 's', OPT_LONG, &opt.buf },
		{ 'a', OPT_STR, &addr },
		{ 'p', OPT_INT, &port },
		{ 'P', OPT_INT, &opt.proto },
		{ 'N', OPT_STR, &opt.netns },
		{ 'w', OPT_INT, &opt.watchdog },
		{ 0 }
	};

	if (argc < 2)
		goto usage;
	opt.mode = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "n:b:c:t:B:s:a:p:P:N:w:")) != -1)
		if (!opt_store(rows, c, optarg, NULL))
			goto usage;
	opt.srv.sin_family = AF_INET;
	opt.srv.sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &opt.srv.sin_addr) != 1 || opt.n < 1 ||
	    opt.batch < 1)
		goto usage;
	/* Ignore a failure: the default limit may do. */
	setrlimit(RLIMIT_NOFILE, &rl);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, on_alarm);
	if (opt.watchdog && strcmp(opt.mode, "bulk") && strcmp(opt.mode, "half"))
		alarm(opt.watchdog + opt.seconds);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (!strcmp(opt.mode, "churn"))
		churn();
	else if (!strcmp(opt.mode, "bulk"))
		bulk();
	else if (!strcmp(opt.mode, "half"))
		half();
	else if (!strcmp(opt.mode, "mem"))
		mem();
	else
		goto usage;
	return 0;
usage:
	fprintf(stderr, "usage: lifetime_load churn|half|bulk|mem [-n N] [-b B] [-c csrR] [-t S]\n"
		"       [-B BYTES] [-s BUF] [-a ADDR] [-p PORT] [-P PROTO] [-N NETNS] [-w S]\n");
	return 2;
}
