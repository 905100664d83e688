// SPDX-License-Identifier: GPL-2.0
/*
 * synflood: the tools of selftests/synflood.sh (SYN cookies).
 *
 *   synflood flood DST PORT SECONDS MAXCOUNT
 *	spoofed SYNs (protocol 253, TCP checksum with protocol 6) from
 *	random sources in 10.253.0.0/16 and random ports, as fast as one
 *	raw socket sends, for SECONDS or MAXCOUNT SYNs; prints the rate
 *   synflood serve ADDR PORT BACKLOG N SECONDS
 *	a mytcp listener for SECONDS: accepts up to N children, echoes
 *	each one's MSG_LEN bytes and prints its TCP_INFO options
 *   synflood connect ADDR PORT N MILLISECONDS
 *	N mytcp connections at once; each that connects within the time
 *	sends MSG_LEN bytes and checks the echo; prints "ok K of N"
 *   synflood badack SRC DST PORT
 *	a forged ACK (a wrong cookie) from SRC; prints "rst" if the RST
 *	for it (SEQ = the ACK's ACK, RFC 9293 3.10.7.2) arrives in 2 s
 *
 * Every loop is bounded in count and time.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/types.h>
#include <linux/mytcp.h>

#define MSG_LEN		4096
#define MAX_CONNS	64

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __u32 rnd_state = 2463534242u;

static __u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* One's complement sum of @len bytes, added to @sum. */
static __u32 csum_add(__u32 sum, const void *data, size_t len)
{
	const __u8 *p = data;

	for (; len > 1; p += 2, len -= 2)
		sum += p[0] << 8 | p[1];
	if (len)
		sum += p[0] << 8;
	return sum;
}

/* The TCP checksum: pseudo-header with protocol 6, as on the wire. */
static __u16 tcp_csum(__u32 saddr, __u32 daddr, const void *seg, size_t len)
{
	__u8 ph[12];
	__u32 sum;

	memcpy(ph, &saddr, 4);
	memcpy(ph + 4, &daddr, 4);
	ph[8] = 0;
	ph[9] = IPPROTO_TCP;
	ph[10] = len >> 8;
	ph[11] = len & 0xff;
	sum = csum_add(csum_add(0, ph, sizeof(ph)), seg, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

struct pkt {
	struct iphdr ip;
	struct tcphdr th;
	__u8 opt[20];
};

/* Headers back to back: no padding between them. */
static_assert(sizeof(struct pkt) == 60, "struct pkt");

/* An IP + TCP packet of protocol 253; the kernel fills IP's checksum. */
static size_t build(struct pkt *p, __u32 saddr, __u32 daddr,
		    __u16 sport, __u16 dport, __u32 seq, __u32 ack,
		    __u8 flags, int syn_opts)
{
	size_t optlen = syn_opts ? 20 : 0;

	memset(p, 0, sizeof(*p));
	p->ip.version = 4;
	p->ip.ihl = 5;
	p->ip.ttl = 64;
	p->ip.protocol = IPPROTO_MYTCP;
	p->ip.saddr = saddr;
	p->ip.daddr = daddr;
	p->ip.tot_len = htons(sizeof(p->ip) + sizeof(p->th) + optlen);
	p->th.source = sport;
	p->th.dest = dport;
	p->th.seq = htonl(seq);
	p->th.ack_seq = htonl(ack);
	p->th.doff = (sizeof(p->th) + optlen) / 4;
	((__u8 *)&p->th)[13] = flags;
	p->th.window = htons(64240);
	if (syn_opts) {
		/* As Linux's SYN: MSS, SACK-permitted, timestamps, wscale 7. */
		static const __u8 o[20] = {
			2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1,
			0, 0, 0, 0, 1, 3, 3, 7,
		};
		memcpy(p->opt, o, sizeof(o));
	}
	p->th.check = tcp_csum(saddr, daddr, &p->th, sizeof(p->th) + optlen);
	return sizeof(p->ip) + sizeof(p->th) + optlen;
}

static int raw_socket(void)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);

	if (fd < 0)
		perror("socket(IPPROTO_RAW)");
	return fd;
}

static int flood(const char *dst, int port, double secs, long max)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	double t0 = now_s(), t = t0;
	long sent = 0, errs = 0;
	struct pkt p;
	int fd;

	fd = raw_socket();
	if (fd < 0 || inet_pton(AF_INET, dst, &to.sin_addr) != 1)
		return 1;
	rnd_state ^= getpid();
	while (sent < max && t - t0 < secs) {
		__u32 src = htonl(0x0afd0000 | (rnd() & 0xffff));
		size_t len = build(&p, src, to.sin_addr.s_addr,
				   htons(1024 + rnd() % 60000), htons(port),
				   rnd(), 0, TH_SYN, 1);

		if (sendto(fd, &p, len, 0, (struct sockaddr *)&to,
			   sizeof(to)) < 0) {
			/* A full device queue: keep going, count it. */
			if (++errs > 1000000)
				break;
		} else {
			sent++;
		}
		if (!(sent & 255))
			t = now_s();
	}
	t = now_s() - t0;
	printf("sent %ld SYNs in %.1f s: %.0f/s (%ld send errors)\n", sent, t,
	       sent / t, errs);
	close(fd);
	return sent ? 0 : 1;
}

/* Move @len bytes in or out, until @deadline. */
static int xfer(int fd, char *buf, size_t len, int out, double deadline)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		struct pollfd pfd = { fd, out ? POLLOUT : POLLIN, 0 };
		int ms = (deadline - now_s()) * 1000;

		if (ms <= 0 || poll(&pfd, 1, ms) <= 0)
			return -1;
		n = out ? send(fd, buf + done, len - done, MSG_DONTWAIT) :
			  recv(fd, buf + done, len - done, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN))
			return -1;
		if (n > 0)
			done += n;
	}
	return 0;
}

struct child {
	int fd;
	size_t got;
	struct tcp_info ti;
	char buf[MSG_LEN];
};

/* A child's MSG_LEN bytes are in: echo them, report, close. */
static void child_done(struct child *c)
{
	if (!xfer(c->fd, c->buf, MSG_LEN, 1, now_s() + 10))
		printf("child options=%u snd_wscale=%u rcv_wscale=%u\n",
		       c->ti.tcpi_options, c->ti.tcpi_snd_wscale,
		       c->ti.tcpi_rcv_wscale);
	else
		printf("child transfer failed\n");
	close(c->fd);
	c->fd = -1;
}

/*
 * One poll loop over the listener and its children, so that no client
 * waits for another: children are accepted as they come (a full accept
 * queue would drop SYNs and cookie ACKs) and echoed when complete.
 */
static int serve(const char *addr, int port, int backlog, int n, double secs)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	static struct child ch[MAX_CONNS];
	double deadline = now_s() + secs;
	int fd, one = 1, nch = 0, i;

	if (n > MAX_CONNS)
		return 2;
	fd = socket(AF_INET, SOCK_STREAM, IPPROTO_MYTCP);
	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(fd, backlog)) {
		perror("bind/listen");
		return 1;
	}
	printf("listening\n");
	/* Until killed or SECONDS: the listener stays (cookies checked). */
	for (;;) {
		struct pollfd pfd[MAX_CONNS + 1];
		int ms = (deadline - now_s()) * 1000;
		socklen_t tl = sizeof(struct tcp_info);
		ssize_t r;

		if (ms <= 0)
			break;
		pfd[0] = (struct pollfd){ nch < n ? fd : -1, POLLIN, 0 };
		for (i = 0; i < nch; i++)
			pfd[i + 1] = (struct pollfd){ ch[i].fd, POLLIN, 0 };
		if (poll(pfd, nch + 1, ms < 200 ? ms : 200) <= 0)
			continue;
		if (pfd[0].revents) {
			struct child *c = &ch[nch];

			c->fd = accept4(fd, NULL, NULL, SOCK_NONBLOCK);
			if (c->fd >= 0) {
				c->got = 0;
				memset(&c->ti, 0, sizeof(c->ti));
				getsockopt(c->fd, IPPROTO_TCP, TCP_INFO,
					   &c->ti, &tl);
				nch++;
			}
		}
		for (i = 0; i < nch; i++) {
			struct child *c = &ch[i];

			if (c->fd < 0 || !pfd[i + 1].revents)
				continue;
			r = recv(c->fd, c->buf + c->got, MSG_LEN - c->got,
				 MSG_DONTWAIT);
			if (r > 0)
				c->got += r;
			if (c->got == MSG_LEN) {
				child_done(c);
			} else if (r == 0 || (r < 0 && errno != EAGAIN)) {
				printf("child transfer failed\n");
				close(c->fd);
				c->fd = -1;
			}
		}
	}
	close(fd);
	return 0;
}

static int connect_many(const char *addr, int port, int n, int ms)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	double deadline = now_s() + ms / 1000.0;
	int fd[MAX_CONNS], up[MAX_CONNS] = { 0 };
	char out[MSG_LEN], in[MSG_LEN];
	int i, j, ok = 0, pending = 0;

	if (n > MAX_CONNS || inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return 2;
	for (i = 0; i < n; i++) {
		fd[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK,
			       IPPROTO_MYTCP);
		if (fd[i] < 0 || (connect(fd[i], (struct sockaddr *)&sa,
					  sizeof(sa)) && errno != EINPROGRESS))
			return 2;
		pending++;
	}
	/* Every connection at once: a SYN each, then wait for them all. */
	while (pending) {
		struct pollfd pfd[MAX_CONNS];
		int left = (deadline - now_s()) * 1000;

		if (left <= 0)
			break;
		for (i = 0; i < n; i++)
			pfd[i] = (struct pollfd){ up[i] ? -1 : fd[i], POLLOUT, 0 };
		if (poll(pfd, n, left) <= 0)
			break;
		for (i = 0; i < n; i++) {
			int err = 0;
			socklen_t el = sizeof(err);

			if (up[i] || !pfd[i].revents)
				continue;
			getsockopt(fd[i], SOL_SOCKET, SO_ERROR, &err, &el);
			up[i] = err ? -1 : 1;
			pending--;
		}
	}
	for (i = 0; i < n; i++) {
		if (up[i] == 1) {
			struct tcp_info ti;
			socklen_t tl = sizeof(ti);

			for (j = 0; j < MSG_LEN; j++)
				out[j] = (char)(i * 31 + j * 7);
			getsockopt(fd[i], IPPROTO_TCP, TCP_INFO, &ti, &tl);
			if (!xfer(fd[i], out, MSG_LEN, 1, now_s() + 20) &&
			    !xfer(fd[i], in, MSG_LEN, 0, now_s() + 20) &&
			    !memcmp(in, out, MSG_LEN)) {
				if (!ok++)
					printf("client rcv_wscale=%u\n",
					       ti.tcpi_rcv_wscale);
			}
		}
		close(fd[i]);
	}
	printf("ok %d of %d\n", ok, n);
	return ok == n ? 0 : 1;
}

static int badack(const char *src, const char *dst, int port)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	__u32 saddr, ack = rnd() | 1, seq = rnd();
	__u16 sport = htons(20000 + getpid() % 20000);
	double deadline;
	struct pkt p;
	int fd, rx;
	size_t len;

	fd = raw_socket();
	/* A raw socket of our protocol sees every mytcp segment arriving. */
	rx = socket(AF_INET, SOCK_RAW, IPPROTO_MYTCP);
	if (fd < 0 || rx < 0 || inet_pton(AF_INET, src, &saddr) != 1 ||
	    inet_pton(AF_INET, dst, &to.sin_addr) != 1)
		return 2;
	len = build(&p, saddr, to.sin_addr.s_addr, sport, htons(port), seq,
		    ack, TH_ACK, 0);
	if (sendto(fd, &p, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return 2;
	deadline = now_s() + 2;
	for (;;) {
		struct pollfd pfd = { rx, POLLIN, 0 };
		int ms = (deadline - now_s()) * 1000;
		__u8 buf[1500];
		struct iphdr *ip = (struct iphdr *)buf;
		struct tcphdr *th;
		ssize_t n;

		if (ms <= 0 || poll(&pfd, 1, ms) <= 0)
			break;
		n = recv(rx, buf, sizeof(buf), 0);
		if (n < (ssize_t)sizeof(*ip) ||
		    n < ip->ihl * 4 + (ssize_t)sizeof(*th))
			continue;
		th = (struct tcphdr *)(buf + ip->ihl * 4);
		if (th->dest == sport && th->source == htons(port) &&
		    (buf[ip->ihl * 4 + 13] & TH_RST) && ntohl(th->seq) == ack) {
			printf("rst\n");
			return 0;
		}
	}
	printf("no rst\n");
	return 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && !strcmp(argv[1], "flood"))
		return flood(argv[2], atoi(argv[3]), atof(argv[4]),
			     atol(argv[5]));
	if (argc == 7 && !strcmp(argv[1], "serve"))
		return serve(argv[2], atoi(argv[3]), atoi(argv[4]),
			     atoi(argv[5]), atof(argv[6]));
	if (argc == 6 && !strcmp(argv[1], "connect"))
		return connect_many(argv[2], atoi(argv[3]), atoi(argv[4]),
				    atoi(argv[5]));
	if (argc == 5 && !strcmp(argv[1], "badack"))
		return badack(argv[2], argv[3], atoi(argv[4]));
	fprintf(stderr, "usage: see the comment at the top of %s.c\n",
		argv[0]);
	return 2;
}
