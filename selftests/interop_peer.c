// SPDX-License-Identifier: GPL-2.0
/*
 * interop_peer: one end of a stream connection over any IP protocol
 * number (6 for the kernel's TCP, 253 for mytcp), for selftests/interop.sh.
 * It sends a seeded pseudo-random byte stream, checks the stream it
 * receives byte for byte against the peer's seed, and ends the connection
 * in a chosen way: half-close, close by either side, or RST.
 *
 *   interop_peer -c ADDR:PORT | -l ADDR:PORT [options]
 *     -P PROTO   protocol argument of socket() (default 6)
 *     -s N       send N bytes of the stream seeded by -S (default 0)
 *     -r N       expect exactly N bytes of the stream seeded by -R
 *     -S SEED    seed of the stream this end sends (default: 1 for the
 *                client, 2 for the server)
 *     -R SEED    seed of the stream this end expects (default: the
 *                other end's default)
 *     -a         send only after the peer's FIN (half-close responder)
 *     -d MS      read nothing for MS ms after the connection is set up, so
 *                the receive window closes (sending goes on)
 *     -L RATE    read at most RATE bytes per second (a slow reader), in
 *                reads of at most 4 KiB
 *     -I MS      send and read nothing for MS ms after the connection is
 *                set up (idle, for keepalive); an error reported by the
 *                socket meanwhile ends the run (exit 1)
 *     -K I,N,C   SO_KEEPALIVE, then TCP_KEEPIDLE I, TCP_KEEPINTVL N and
 *                TCP_KEEPCNT C (seconds; an I of 0 sets SO_KEEPALIVE
 *                only); a protocol refusing the TCP_KEEP* options is
 *                reported on stderr and the run goes on (the namespace's
 *                keepalive sysctls then apply)
 *     -U         send the byte at offset N/2 with MSG_OOB (TCP urgent
 *                data), once all before it is acknowledged (SIOCOUTQ 0):
 *                no segment then points 64 KiB or more ahead (0xFFFF),
 *                which a receiver reading out of line would take for a
 *                mark of its own
 *     -O MODE    how the byte at offset N/2 of the stream received is
 *                expected (the peer sends it with -U):
 *                inline  SO_OOBINLINE: in the stream, checked as usual
 *                oob     through recv(MSG_OOB) once POLLPRI says it is
 *                        there, checked against the stream, and absent
 *                        from the stream read (which must skip it)
 *     -b PORT    (-c) bind to this local port first, with SO_REUSEADDR
 *     -e END     how this end finishes:
 *                fin    shutdown(SHUT_WR) after the last byte, read to
 *                       the peer's FIN, close (default)
 *                wait   after the last byte, read to the peer's FIN, then
 *                       close (passive close)
 *                close  close() as soon as all is sent and received
 *                       (active close)
 *                rst    SO_LINGER {1, 0} and close() once all is sent and
 *                       received: the connection ends with an RST
 *                reset  after the expected bytes the next read must fail
 *                       with ECONNRESET (the peer sent an RST)
 *     -t SEC     time limit of the whole run (default 60)
 *     -f FILE    (-l) write "listening" to FILE (a file or a FIFO) once
 *                the socket listens
 *     -N PATH    first join the network namespace PATH (/run/netns/NAME)
 *
 * On success prints one line ("ok: sent ... received ...") and exits 0;
 * exits 1 on a stream or protocol mismatch, 2 on a usage error, 3 on a
 * timeout.
 */
#include <arpa/inet.h>
#include <linux/sockios.h>
#include <linux/types.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"	/* __printf */
#include "opt_table.h"

#define BUF_SIZE	(64 * 1024)

enum end_mode { END_FIN, END_WAIT, END_CLOSE, END_RST, END_RESET };

enum oob_mode { OOB_NONE, OOB_INLINE, OOB_OOB };

static const char * const end_names[] = {
	[END_FIN] = "fin", [END_WAIT] = "wait", [END_CLOSE] = "close",
	[END_RST] = "rst", [END_RESET] = "reset",
};

struct peer {
	bool listen;
	struct sockaddr_in addr;
	int proto;
	__u64 to_send, to_recv;
	__u64 send_seed, recv_seed;
	bool send_after_fin;
	bool urgent, urgent_sent;
	enum oob_mode oob;
	bool oob_got;		/* -O oob: the urgent byte came */
	unsigned int read_delay_ms;
	unsigned int idle_ms;
	__u64 read_rate;
	int ka_idle, ka_intvl, ka_cnt;
	bool keepalive;
	unsigned short bind_port;
	enum end_mode end;
	double limit;
	const char *ready_file;

	int fd;
	__u64 sent, received;
	bool shut, got_fin, got_reset;
	double t_start, t_conn;
};

static const char *role = "interop_peer";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void __printf(2, 3) die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", role);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

/* Byte 8 * i .. 8 * i + 7 of the stream: splitmix64 of the block number. */
static __u64 stream_block(__u64 seed, __u64 i)
{
	__u64 z = seed * 0x9e3779b97f4a7c15ULL + (i + 1) * 0xbf58476d1ce4e5b9ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Fill @buf with @len bytes of stream @seed starting at offset @off. */
static void stream_fill(__u64 seed, __u64 off, __u8 *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; ) {
		__u64 o = off + i;
		__u64 v = stream_block(seed, o / 8) >> (8 * (o % 8));
		unsigned int n = 8 - o % 8;

		while (n-- && i < len) {
			buf[i++] = v & 0xff;
			v >>= 8;
		}
	}
}

static void join_netns(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || setns(fd, CLONE_NEWNET))
		die(1, "netns %s: %s", path, strerror(errno));
	close(fd);
}

static void parse_addr(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	size_t n;

	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(host))
		die(2, "bad address '%s' (want A.B.C.D:PORT)", s);
	n = colon - s;
	memcpy(host, s, n);
	host[n] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1 || !sa->sin_port)
		die(2, "bad address '%s'", s);
}

static __u64 parse_num(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (end == s)
		die(2, "not a number: '%s'", s);
	switch (*end) {
	case 'k': case 'K':
		v <<= 10;
		break;
	case 'm': case 'M':
		v <<= 20;
		break;
	case '\0':
		break;
	default:
		die(2, "not a number: '%s'", s);
	}
	return v;
}

/* Milliseconds left before the time limit; dies when none are left. */
static int remaining_ms(struct peer *p, const char *what)
{
	double left = p->t_start + p->limit - now();

	if (left <= 0)
		die(3, "timeout %s (sent %llu/%llu, received %llu/%llu%s%s)",
		    what, p->sent,
		    p->to_send,
		    p->received,
		    p->to_recv,
		    p->shut ? ", shut" : "", p->got_fin ? ", got FIN" : "");
	return (int)(left * 1000) + 1;
}

static void wait_fd(struct peer *p, int fd, short events, const char *what)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n;

	do {
		n = poll(&pfd, 1, remaining_ms(p, what));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		die(1, "poll: %s", strerror(errno));
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		die(1, "fcntl: %s", strerror(errno));
}

/* -O inline: SO_OOBINLINE before any data can come (children inherit it). */
static void set_oobinline(struct peer *p, int fd)
{
	int one = 1;

	if (p->oob == OOB_INLINE &&
	    setsockopt(fd, SOL_SOCKET, SO_OOBINLINE, &one, sizeof(one)))
		die(1, "SO_OOBINLINE: %s", strerror(errno));
}

static void do_listen(struct peer *p)
{
	int one = 1, lfd;

	lfd = socket(AF_INET, SOCK_STREAM, p->proto);
	if (lfd < 0)
		die(1, "socket(proto %d): %s", p->proto, strerror(errno));
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die(1, "SO_REUSEADDR: %s", strerror(errno));
	set_oobinline(p, lfd);
	if (bind(lfd, (struct sockaddr *)&p->addr, sizeof(p->addr)))
		die(1, "bind: %s", strerror(errno));
	if (listen(lfd, 1))
		die(1, "listen: %s", strerror(errno));
	set_nonblock(lfd);
	if (p->ready_file) {
		static const char msg[] = "listening\n";
		int fd = open(p->ready_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0 || write(fd, msg, sizeof(msg) - 1) != sizeof(msg) - 1)
			die(1, "%s: %s", p->ready_file, strerror(errno));
		close(fd);
	}
	for (;;) {
		p->fd = accept(lfd, NULL, NULL);
		if (p->fd >= 0)
			break;
		if (errno != EAGAIN && errno != EINTR)
			die(1, "accept: %s", strerror(errno));
		wait_fd(p, lfd, POLLIN, "in accept");
	}
	close(lfd);
	set_nonblock(p->fd);
}

static void do_connect(struct peer *p)
{
	socklen_t len = sizeof(int);
	int err = 0;

	p->fd = socket(AF_INET, SOCK_STREAM, p->proto);
	if (p->fd < 0)
		die(1, "socket(proto %d): %s", p->proto, strerror(errno));
	set_oobinline(p, p->fd);
	if (p->bind_port) {
		struct sockaddr_in me = {
			.sin_family = AF_INET, .sin_port = htons(p->bind_port),
		};
		int one = 1;

		if (setsockopt(p->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		    bind(p->fd, (struct sockaddr *)&me, sizeof(me)))
			die(1, "bind to port %u: %s", p->bind_port, strerror(errno));
	}
	set_nonblock(p->fd);
	if (!connect(p->fd, (struct sockaddr *)&p->addr, sizeof(p->addr)))
		return;
	if (errno != EINPROGRESS)
		die(1, "connect: %s", strerror(errno));
	wait_fd(p, p->fd, POLLOUT, "in connect");
	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len))
		die(1, "SO_ERROR: %s", strerror(errno));
	if (err == EINPROGRESS || err == EALREADY)
		die(3, "timeout in connect");
	if (err)
		die(1, "connect: %s", strerror(err));
}

static void set_keepalive(struct peer *p)
{
	static const struct { int opt; const char *name; } opts[] = {
		{ TCP_KEEPIDLE, "TCP_KEEPIDLE" },
		{ TCP_KEEPINTVL, "TCP_KEEPINTVL" },
		{ TCP_KEEPCNT, "TCP_KEEPCNT" },
	};
	int vals[] = { p->ka_idle, p->ka_intvl, p->ka_cnt };
	int one = 1;
	size_t i;

	if (!p->keepalive)
		return;
	if (setsockopt(p->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)))
		die(1, "SO_KEEPALIVE: %s", strerror(errno));
	if (!p->ka_idle)
		return;
	for (i = 0; i < ARRAY_SIZE(opts); i++)
		if (setsockopt(p->fd, IPPROTO_TCP, opts[i].opt, &vals[i],
			       sizeof(vals[i])))
			fprintf(stderr, "%s: %s %d: %s (going on)\n", role,
				opts[i].name, vals[i], strerror(errno));
}

/* -I: nothing sent or read for idle_ms; a socket error ends the run. */
static void stay_idle(struct peer *p)
{
	double end = p->t_conn + p->idle_ms / 1e3;
	socklen_t len = sizeof(int);
	int err = 0;

	while (now() < end) {
		struct pollfd pfd = { .fd = p->fd };
		int ms = (end - now()) * 1000 + 1;

		if (ms > remaining_ms(p, "idling"))
			ms = remaining_ms(p, "idling");
		if (poll(&pfd, 1, ms) < 0 && errno != EINTR)
			die(1, "poll: %s", strerror(errno));
		if (!(pfd.revents & (POLLERR | POLLHUP)))
			continue;
		if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len))
			die(1, "SO_ERROR: %s", strerror(errno));
		die(1, "quiet for %.3f s, then: %s", now() - p->t_conn,
		    err ? strerror(err) : "hang-up");
	}
}

static void describe(struct peer *p)
{
	struct sockaddr_in me, them;
	socklen_t l1 = sizeof(me), l2 = sizeof(them);
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (getsockname(p->fd, (struct sockaddr *)&me, &l1) ||
	    getpeername(p->fd, (struct sockaddr *)&them, &l2))
		die(1, "getsockname/getpeername: %s", strerror(errno));
	inet_ntop(AF_INET, &me.sin_addr, a, sizeof(a));
	inet_ntop(AF_INET, &them.sin_addr, b, sizeof(b));
	printf("%s: proto %d %s:%u <-> %s:%u established in %.1f ms\n",
	       role, p->proto, a, ntohs(me.sin_port), b, ntohs(them.sin_port),
	       (p->t_conn - p->t_start) * 1e3);
	fflush(stdout);
}

static bool may_send(struct peer *p)
{
	return p->sent < p->to_send && (!p->send_after_fin || p->got_fin);
}

static void send_some(struct peer *p, __u8 *buf)
{
	__u64 urg = p->to_send / 2;
	int flags = MSG_NOSIGNAL;
	size_t n = BUF_SIZE;
	ssize_t w;

	if (p->to_send - p->sent < n)
		n = p->to_send - p->sent;
	/* The urgent byte goes alone, in a send() of its own. */
	if (p->urgent && !p->urgent_sent) {
		if (p->sent == urg) {
			int outq;

			if (ioctl(p->fd, SIOCOUTQ, &outq))
				die(1, "SIOCOUTQ: %s", strerror(errno));
			if (outq) {
				usleep(1000);	/* POLLOUT holds: no busy loop */
				return;
			}
			flags |= MSG_OOB;
			n = 1;
		} else if (n > urg - p->sent) {
			n = urg - p->sent;
		}
	}
	stream_fill(p->send_seed, p->sent, buf, n);
	w = send(p->fd, buf, n, flags);
	if (w < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		die(1, "send%s at byte %llu: %s",
		    flags & MSG_OOB ? "(MSG_OOB)" : "", p->sent,
		    strerror(errno));
	}
	if (w && (flags & MSG_OOB))
		p->urgent_sent = true;
	p->sent += w;
}

/* -O oob: take the urgent byte (POLLPRI said it is there) and check it. */
static void recv_oob(struct peer *p)
{
	__u64 urg = p->to_recv / 2;
	__u8 b, want;

	if (recv(p->fd, &b, 1, MSG_OOB) != 1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		die(1, "recv(MSG_OOB) after %llu bytes: %s", p->received,
		    strerror(errno));
	}
	if (p->oob_got)
		die(1, "a second urgent byte");
	stream_fill(p->recv_seed, urg, &want, 1);
	if (b != want)
		die(1, "urgent byte (offset %llu) 0x%02x, want 0x%02x",
		    urg, b, want);
	p->oob_got = true;
}

/* Read what is there and check it; false when nothing more can come. */
static bool recv_some(struct peer *p, __u8 *buf, __u8 *want)
{
	ssize_t r = recv(p->fd, buf, p->read_rate ? 4096 : BUF_SIZE, 0);
	ssize_t i;

	if (r < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return true;
		if (errno == ECONNRESET && p->end == END_RESET &&
		    p->received == p->to_recv) {
			p->got_reset = true;
			return false;
		}
		die(1, "recv after %llu of %llu bytes: %s",
		    p->received,
		    p->to_recv, strerror(errno));
	}
	if (r == 0) {
		if (p->received != p->to_recv)
			die(1, "FIN after %llu of %llu bytes",
			    p->received,
			    p->to_recv);
		if (p->end == END_RESET)
			die(1, "FIN where an RST was expected");
		p->got_fin = true;
		return false;
	}
	/*
	 * -O oob: reads stop at the mark, and the next one skips the
	 * urgent byte: this data starts after it.
	 */
	if (p->oob == OOB_OOB && p->received == p->to_recv / 2 && p->to_recv)
		p->received++;
	if ((__u64)r > p->to_recv - p->received)
		die(1, "%llu bytes past the %llu expected",
		    p->received + r - p->to_recv, p->to_recv);
	stream_fill(p->recv_seed, p->received, want, r);
	if (memcmp(buf, want, r)) {
		for (i = 0; i < r && buf[i] == want[i]; i++)
			;
		die(1, "stream differs at byte %llu: got 0x%02x, want 0x%02x",
		    (p->received + i), buf[i], want[i]);
	}
	p->received += r;
	return true;
}

/* Everything this end waits for has happened. */
static bool finished(struct peer *p)
{
	bool all = p->sent == p->to_send && p->received == p->to_recv;

	switch (p->end) {
	case END_FIN:
	case END_WAIT:
		return p->sent == p->to_send && p->got_fin;
	case END_CLOSE:
	case END_RST:
		return all;
	case END_RESET:
		return p->sent == p->to_send && p->got_reset;
	}
	return true;
}

static void exchange(struct peer *p)
{
	static __u8 sbuf[BUF_SIZE], rbuf[BUF_SIZE], want[BUF_SIZE];
	double stall_end = p->t_conn + p->read_delay_ms / 1e3;
	bool reading = true;

	/* After -I, -d and -L count from the end of the idle time. */
	if (stall_end < now())
		stall_end = now();
	while (!finished(p)) {
		struct pollfd pfd = { .fd = p->fd };
		int n, ms = remaining_ms(p, "while transferring");
		double stall = stall_end - now();

		/* -L: the next read waits until the rate allows 4 KiB more. */
		if (p->read_rate && stall <= 0) {
			double due = p->received / (double)p->read_rate;

			stall = stall_end + due - now();
		}

		if (reading && stall <= 0)
			pfd.events |= POLLIN;
		if (reading && p->oob == OOB_OOB && !p->oob_got)
			pfd.events |= POLLPRI;
		if (may_send(p))
			pfd.events |= POLLOUT;
		if (stall > 0 && stall * 1000 < ms)
			ms = stall * 1000 + 1;
		else if (!pfd.events)
			die(1, "stuck: nothing to wait for");
		n = poll(&pfd, 1, ms);
		if (n < 0 && errno != EINTR)
			die(1, "poll: %s", strerror(errno));
		if (n <= 0)
			continue;
		/* Before reading on: a read past the mark would lose it. */
		if (pfd.revents & POLLPRI)
			recv_oob(p);
		if (pfd.revents & (POLLIN | POLLERR | POLLHUP) && reading &&
		    pfd.events & POLLIN)
			reading = recv_some(p, rbuf, want);
		if (pfd.revents & (POLLOUT | POLLERR) && may_send(p))
			send_some(p, sbuf);
		if (p->end == END_FIN && !p->shut && !may_send(p) &&
		    p->sent == p->to_send) {
			if (shutdown(p->fd, SHUT_WR))
				die(1, "shutdown: %s", strerror(errno));
			p->shut = true;
		}
		if (!reading && !finished(p) && !may_send(p))
			die(1, "connection over before the end (%s)",
			    end_names[p->end]);
	}
}

static void finish(struct peer *p)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	double t = now() - p->t_conn;

	if (p->end == END_RST &&
	    setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
		die(1, "SO_LINGER: %s", strerror(errno));
	if (p->oob == OOB_OOB && !p->oob_got)
		die(1, "no urgent byte came");
	if (close(p->fd))
		die(1, "close: %s", strerror(errno));
	printf("%s: ok: sent %llu received %llu in %.3f s (%.1f Mbit/s) end %s\n",
	       role, p->sent,
	       p->received, t,
	       t > 0 ? (p->sent + p->received) * 8 / t / 1e6 : 0.0,
	       end_names[p->end]);
}

int main(int argc, char **argv)
{
	struct peer p = {
		.proto = 6, .limit = 60, .fd = -1,
	};
	const struct opt_row rows[] = {
		{ 'P', OPT_INT, &p.proto },
		{ 's', OPT_U64, &p.to_send },
		{ 'r', OPT_U64, &p.to_recv },
		{ 'S', OPT_U64, &p.send_seed },
		{ 'R', OPT_U64, &p.recv_seed },
		{ 'a', OPT_FLAG, &p.send_after_fin },
		{ 'd', OPT_UINT, &p.read_delay_ms },
		{ 'L', OPT_U64, &p.read_rate },
		{ 'I', OPT_UINT, &p.idle_ms },
		{ 'U', OPT_FLAG, &p.urgent },
		{ 'b', OPT_USHORT, &p.bind_port },
		{ 't', OPT_DOUBLE, &p.limit },
		{ 'f', OPT_STR, &p.ready_file },
		{ 0 }
	};
	bool have_addr = false;
	int c, i;

	while ((c = getopt(argc, argv, "c:l:P:s:r:S:R:ad:L:I:K:UO:b:e:t:f:N:")) != -1) {
		if (opt_store(rows, c, optarg, parse_num))
			continue;
		switch (c) {
		case 'c':
		case 'l':
			p.listen = c == 'l';
			parse_addr(optarg, &p.addr);
			have_addr = true;
			break;
		case 'K':
			if (sscanf(optarg, "%d,%d,%d", &p.ka_idle, &p.ka_intvl,
				   &p.ka_cnt) < 1)
				die(2, "bad -K '%s' (want IDLE,INTVL,CNT)", optarg);
			p.keepalive = true;
			break;
		case 'O':
			if (!strcmp(optarg, "inline"))
				p.oob = OOB_INLINE;
			else if (!strcmp(optarg, "oob"))
				p.oob = OOB_OOB;
			else
				die(2, "bad -O '%s' (want inline or oob)", optarg);
			break;
		case 'e':
			for (i = 0; i <= END_RESET; i++)
				if (!strcmp(optarg, end_names[i]))
					break;
			if (i > END_RESET)
				die(2, "bad end mode '%s'", optarg);
			p.end = i;
			break;
		case 'N':
			join_netns(optarg);
			break;
		default:
			die(2, "usage: see the comment at the top of interop_peer.c");
		}
	}
	if (!have_addr || optind != argc || p.limit <= 0)
		die(2, "usage: interop_peer -c|-l ADDR:PORT [-P proto] [-s N] [-r N]\n"
		    "\t[-S seed] [-R seed] [-a] [-d ms] [-L rate] [-I ms] [-K i,n,c]\n"
		    "\t[-U] [-O inline|oob] [-b port]\n"
		    "\t[-e fin|wait|close|rst|reset] [-t sec] [-f file] [-N netns]");
	role = p.listen ? "server" : "client";
	if (!p.send_seed)
		p.send_seed = p.listen ? 2 : 1;
	if (!p.recv_seed)
		p.recv_seed = p.listen ? 1 : 2;

	p.t_start = now();
	if (p.listen)
		do_listen(&p);
	else
		do_connect(&p);
	p.t_conn = now();
	set_keepalive(&p);
	describe(&p);
	stay_idle(&p);
	exchange(&p);
	finish(&p);
	return 0;
}
