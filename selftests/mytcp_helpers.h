/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the selftests: lifecycle_test, rst_test, timers_test
 * and transfer_test run each test twice, on IPPROTO_TCP (the reference)
 * and on IPPROTO_MYTCP, in a network namespace of its own. Everything here is static inline so that
 * a test may use any subset of it.
 *
 * Sockets: every blocking call is bounded (SO_RCVTIMEO/SO_SNDTIMEO,
 * poll timeouts, alarm() around connect). Functions return a result
 * >= 0 or -errno.
 *
 * Packets: lo_drop() installs a u32 drop filter on lo (clsact, egress
 * or ingress), lo_netem() a netem qdisc (both directions); sniff_*()
 * read lo through an AF_PACKET socket; inject_seg() sends a hand-made
 * segment through a raw socket. A cleaner process removes the filters
 * and netem if the test dies with them in place, so that orphans
 * retransmitting into them do not keep the namespace (and the module)
 * busy. The fixture's teardown is no help: the harness skips it after
 * a failed ASSERT when built with -O2 (its fork result does not survive
 * the longjmp).
 */
#ifndef MYTCP_SELFTEST_HELPERS_H
#define MYTCP_SELFTEST_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/types.h>
#include <linux/mytcp.h>

/* Bound of one wait on a socket, and of the alarm() around connect(). */
#define IO_TIMEOUT_MS	5000
#define GUARD_S		10

/* sk_state() of a line that is not there. */
#define NO_LINE		(-1)

/* Segment flags (byte 13 of the TCP header). */
#define F_FIN		0x01
#define F_SYN		0x02
#define F_RST		0x04
#define F_PSH		0x08
#define F_ACK		0x10
#define F_URG		0x20

/* A helper's result must be >= 0; on failure, name the errno. */
#define ASSERT_OK(expr) do { \
	int __r = (expr); \
	ASSERT_LE(0, __r) TH_LOG("%s: %s", #expr, strerror(-__r)); \
} while (0)

/* A helper's result must be -err (0 for success). */
#define EXPECT_ERRNO(err, expr) do { \
	int __r = (expr); \
	EXPECT_EQ(-(err), __r) TH_LOG("%s: %s", #expr, strerror(-__r)); \
} while (0)

/* The result of one call that must fail with err. */
#define EXPECT_FAIL(err, call) do { \
	errno = 0; \
	EXPECT_EQ(-1, (long)(call)); \
	EXPECT_EQ(err, errno) TH_LOG("%s: %s", #call, strerror(errno)); \
} while (0)

static inline long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * MYTCP_SLOW (a whole number, default 1): how much slower than Debian's
 * kernel under TCG this one runs (scripts/check-debug). For upper bounds
 * on wall-clock time only.
 */
static inline long slow(long n)
{
	const char *s = getenv("MYTCP_SLOW");
	long f = s ? strtol(s, NULL, 10) : 1;

	return n * (f > 1 ? f : 1);
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static inline void on_alarm_signal(int sig)
{
}

static int sigpipe_count;

static inline void on_sigpipe_signal(int sig)
{
	__atomic_fetch_add(&sigpipe_count, 1, __ATOMIC_SEQ_CST);
}

static inline int sigpipes(void)
{
	return __atomic_load_n(&sigpipe_count, __ATOMIC_SEQ_CST);
}

/* Run a shell command quietly; its exit status, 128 if it died. */
static inline int sh(const char *fmt, ...)
{
	char cmd[600];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	status = system(cmd);
	if (status == -1)
		return 127;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static inline int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static inline int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

#define SYSCTLS_MAX	6

/* The first value of every sysctl a test writes, for the teardown. */
struct sysctl_log {
	int n;
	char path[SYSCTLS_MAX][96];
	char old[SYSCTLS_MAX][32];
};

static inline int sysctl_set(struct sysctl_log *log, const char *path,
			     const char *val)
{
	int i = log->n, err;

	if (i >= SYSCTLS_MAX)
		return -ENOSPC;
	err = read_file(path, log->old[i], sizeof(log->old[i]));
	if (err)
		return err;
	snprintf(log->path[i], sizeof(log->path[i]), "%s", path);
	log->n++;
	return write_file(path, val);
}

/* Put every sysctl back, last written first: 0 or the first -errno. */
static inline int sysctl_restore(struct sysctl_log *log)
{
	int err = 0, e;

	while (log->n > 0) {
		log->n--;
		e = write_file(log->path[log->n], log->old[log->n]);
		if (e && !err)
			err = e;
	}
	return err;
}

static inline int iface_up(const char *dev)
{
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int err = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		err = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr))
		err = -errno;
	close(fd);
	return err;
}

/* Shared with the cleaner process: the qdiscs left on lo. */
struct lo_qdiscs {
	bool netem;	/* root netem, lo_netem() */
	bool clsact;	/* lo_drop() filters */
};

static struct lo_qdiscs *lo_qdiscs;

/*
 * A process that stays in the test's namespace, outside its process
 * group (the harness kills the group on timeout), and removes the
 * qdiscs of lo left in place once the test and all its children are
 * gone, which closes the pipe.
 */
static inline int cleaner_start(void)
{
	int p[2];
	pid_t pid;
	char c;

	lo_qdiscs = mmap(NULL, sizeof(*lo_qdiscs), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (lo_qdiscs == MAP_FAILED)
		return -errno;
	memset(lo_qdiscs, 0, sizeof(*lo_qdiscs));
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		close(p[1]);
		setpgid(0, 0);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		if (lo_qdiscs->netem)
			sh("tc qdisc del dev lo root 2>/dev/null");
		if (lo_qdiscs->clsact)
			sh("tc qdisc del dev lo clsact 2>/dev/null");
		_exit(0);
	}
	close(p[0]);
	return 0;
}

/*
 * Make a fresh namespace with lo up for this test, the cleaner, the
 * signal handlers: 0, or -errno (-EPROTONOSUPPORT: no such protocol).
 */
static inline int test_ns_setup(int proto)
{
	struct sigaction sa = { .sa_handler = on_alarm_signal };
	struct sigaction sp = { .sa_handler = on_sigpipe_signal };
	int fd;

	if (unshare(CLONE_NEWNET))
		return -errno;
	if (iface_up("lo"))
		return -ENETDOWN;
	if (cleaner_start())
		return -ECHILD;
	/* No SA_RESTART: alarm() breaks a blocked call with EINTR. */
	if (sigaction(SIGALRM, &sa, NULL) || sigaction(SIGPIPE, &sp, NULL))
		return -errno;
	fd = socket(AF_INET, SOCK_STREAM, proto);
	if (fd < 0)
		return errno == ESOCKTNOSUPPORT ? -EPROTONOSUPPORT : -errno;
	close(fd);
	return 0;
}

/*
 * Drop, on lo, the segments of this IP protocol from sport to dport
 * (0: any) whose flags masked with fmask equal fval (fmask 0: all).
 * dir is "egress" (before any tap sees the packet) or "ingress" (after
 * AF_PACKET sockets saw it on its way in). IP header of 20 bytes: the
 * protocol at 9, ports at 20 and 22, flags at 33.
 */
static inline int lo_drop(const char *dir, int proto, int sport, int dport,
			  int fmask, int fval)
{
	char m[256];
	int n;

	if (!lo_qdiscs->clsact) {
		if (sh("tc qdisc add dev lo clsact"))
			return -ENOENT;
		lo_qdiscs->clsact = true;
	}
	n = snprintf(m, sizeof(m), "match u8 %d 0xff at 9", proto);
	if (sport)
		n += snprintf(m + n, sizeof(m) - n,
			      " match u16 %d 0xffff at 20", sport);
	if (dport)
		n += snprintf(m + n, sizeof(m) - n,
			      " match u16 %d 0xffff at 22", dport);
	if (fmask)
		snprintf(m + n, sizeof(m) - n, " match u8 %d 0x%x at 33",
			 fval, fmask);
	if (sh("tc filter add dev lo %s protocol ip prio 1 u32 %s action drop",
	       dir, m))
		return -EINVAL;
	return 0;
}

/* Remove every filter (the clsact qdisc of lo). */
static inline int lo_drop_off(void)
{
	if (!lo_qdiscs->clsact)
		return 0;
	lo_qdiscs->clsact = false;
	return sh("tc qdisc del dev lo clsact") ? -EINVAL : 0;
}

/* netem on lo, both directions of every packet: tc's exit status. */
static inline int lo_netem(const char *args)
{
	int ret = sh("tc qdisc replace dev lo root netem %s", args);

	if (!ret)
		lo_qdiscs->netem = true;
	return ret;
}

static inline int lo_netem_off(void)
{
	lo_qdiscs->netem = false;
	return sh("tc qdisc del dev lo root");
}

static inline struct sockaddr_in lo_addr(unsigned short port)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	return a;
}

static inline int sock_timeouts(int fd, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		return -errno;
	return 0;
}

/* A stream socket of this protocol, its blocking calls bounded. */
static inline int stream_sock(int proto, int flags)
{
	int fd = socket(AF_INET, SOCK_STREAM | flags, proto);
	int err;

	if (fd < 0)
		return -errno;
	err = sock_timeouts(fd, IO_TIMEOUT_MS);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

static inline int sock_name(int fd, struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);

	memset(a, 0, sizeof(*a));
	return getsockname(fd, (struct sockaddr *)a, &len) ? -errno : 0;
}

/* A listener on 127.0.0.1, any port; its address in *a: fd or -errno. */
static inline int listener_backlog(int proto, int flags, int backlog,
				   struct sockaddr_in *a)
{
	struct sockaddr_in any = lo_addr(0);
	int fd = stream_sock(proto, flags);
	int err = 0;

	if (fd < 0)
		return fd;
	if (bind(fd, (struct sockaddr *)&any, sizeof(any)) ||
	    listen(fd, backlog))
		err = -errno;
	if (!err)
		err = sock_name(fd, a);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

static inline int listener(int proto, int flags, struct sockaddr_in *a)
{
	return listener_backlog(proto, flags, 16, a);
}

/* connect(), a blocking one bounded by alarm(): 0 or -errno. */
static inline int connect_alarm(int fd, const struct sockaddr_in *a)
{
	int ret;

	alarm(GUARD_S);
	ret = connect(fd, (const struct sockaddr *)a, sizeof(*a)) ? -errno : 0;
	alarm(0);
	return ret;
}

/* poll() one fd: its revents, 0 on timeout, -errno. */
static inline int poll_fd(int fd, short events, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n = poll(&pfd, 1, ms);

	if (n < 0)
		return -errno;
	return n ? pfd.revents : 0;
}

/* accept() once the listener is readable: fd, -ETIMEDOUT, -errno. */
static inline int accept_wait(int lfd, int ms)
{
	int n = poll_fd(lfd, POLLIN, ms), fd;

	if (n <= 0)
		return n ? n : -ETIMEDOUT;
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		return -errno;
	sock_timeouts(fd, IO_TIMEOUT_MS);
	return fd;
}

/* A client connected to the listener at srv, and its accepted end. */
static inline int connect_pair(int proto, int lfd, const struct sockaddr_in *srv,
			       int *c, int *s)
{
	int err;

	*s = -1;
	*c = stream_sock(proto, 0);
	if (*c < 0)
		return *c;
	err = connect_alarm(*c, srv);
	if (!err) {
		*s = accept_wait(lfd, IO_TIMEOUT_MS);
		if (*s < 0)
			err = *s;
	}
	if (err) {
		close(*c);
		*c = -1;
	}
	return err;
}

/* One non-blocking recv() once readable: bytes, 0 on EOF, -errno. */
static inline int recv_wait(int fd, void *buf, size_t len)
{
	int n = poll_fd(fd, POLLIN, IO_TIMEOUT_MS);

	if (n <= 0)
		return n ? n : -ETIMEDOUT;
	n = recv(fd, buf, len, MSG_DONTWAIT);
	return n < 0 ? -errno : n;
}

static inline int send_all(int fd, const char *s)
{
	ssize_t n = send(fd, s, strlen(s), MSG_NOSIGNAL);

	if (n < 0)
		return -errno;
	return n == (ssize_t)strlen(s) ? 0 : -EMSGSIZE;
}

/* SO_LINGER {1, 0}: close() aborts the connection with a RST. */
static inline int linger_zero(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	return setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) ? -errno : 0;
}

static inline int so_error(int fd)
{
	socklen_t len = sizeof(int);
	int err = -1;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return -errno;
	return err;
}

/*
 * Look for the state-file line with this local and remote address: its
 * state (the st column), NO_LINE, or -errno. *when, if given, gets the
 * tm->when column (timer left, 1/100 s).
 */
static inline int sk_line(const char *file, const struct sockaddr_in *l,
			  const struct sockaddr_in *r, long *when)
{
	unsigned int la, lp, ra, rp, st, tr;
	unsigned long tm;
	char line[256];
	int found = NO_LINE;
	FILE *f = fopen(file, "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %*u: %x:%x %x:%x %x %*x:%*x %x:%lx",
			   &la, &lp, &ra, &rp, &st, &tr, &tm) != 7)
			continue;
		if (la != l->sin_addr.s_addr || lp != ntohs(l->sin_port) ||
		    ra != r->sin_addr.s_addr || rp != ntohs(r->sin_port))
			continue;
		found = st;
		if (when)
			*when = tm;
		break;
	}
	fclose(f);
	return found;
}

static inline int sk_state(const char *file, const struct sockaddr_in *l,
			   const struct sockaddr_in *r)
{
	return sk_line(file, l, r, NULL);
}

/* Poll the line until it is in state want (NO_LINE: gone); the last seen. */
static inline int sk_wait(const char *file, const struct sockaddr_in *l,
			  const struct sockaddr_in *r, int want, int ms)
{
	long long end = now_ms() + ms;
	int st;

	for (;;) {
		st = sk_state(file, l, r);
		if (st == want || now_ms() >= end)
			return st;
		sleep_ms(2);
	}
}

/* Lines in the state file (st < 0: any state; else only that one). */
static inline int sk_count(const char *file, int st)
{
	unsigned int s;
	char line[256];
	int n = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %*u: %*x:%*x %*x:%*x %x", &s) != 1)
			continue;
		if (st < 0 || (int)s == st)
			n++;
	}
	fclose(f);
	return n;
}

/* The sockets column of this protocol in /proc/net/protocols, or -1. */
static inline long proto_inuse(const char *name)
{
	char line[512], proto[64];
	long size, sockets, found = -1;
	FILE *f = fopen("/proc/net/protocols", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %ld %ld", proto, &size, &sockets) == 3 &&
		    !strcmp(proto, name))
			found = sockets;
	}
	fclose(f);
	return found;
}

/* One segment seen on lo. */
struct seg {
	long long t_us;		/* kernel receive timestamp, realtime */
	int pkttype;		/* PACKET_OUTGOING or PACKET_HOST */
	struct sockaddr_in src, dst;
	__u32 seq, ack;
	__u8 flags;
	__u16 win;
	__u16 urp;		/* urgent pointer field */
	int len;		/* payload bytes */
};

static inline __u16 get16(const unsigned char *p)
{
	return p[0] << 8 | p[1];
}

static inline __u32 get32(const unsigned char *p)
{
	return (__u32)get16(p) << 16 | get16(p + 2);
}

static inline void put16(unsigned char *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void put32(unsigned char *p, __u32 v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/*
 * An AF_PACKET socket seeing every packet of lo, timestamped. ETH_P_ALL
 * makes it a tap: it sees packets going out (after the egress qdisc)
 * and coming in before the ingress filters; an ETH_P_IP socket would
 * see only those that passed ingress.
 */
static inline int sniff_open(void)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
	};
	int fd, one = 1;

	sll.sll_ifindex = if_nametoindex("lo");
	if (!sll.sll_ifindex)
		return -ENODEV;
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/*
 * The next segment of IP protocol proto within ms: 1 (in *s), 0 on
 * timeout, -errno.
 */
static inline int sniff_next(int fd, int proto, struct seg *s, int ms)
{
	long long end = now_ms() + ms;
	unsigned char pkt[128];
	char ctl[CMSG_SPACE(sizeof(struct timespec))];
	struct sockaddr_ll sll;
	struct iovec iov = { pkt, sizeof(pkt) };
	struct msghdr m = {
		.msg_name = &sll, .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl,
	};
	struct cmsghdr *cm;
	struct timespec ts;
	int n, ihl, doff, tot;

	for (;;) {
		m.msg_namelen = sizeof(sll);
		m.msg_controllen = sizeof(ctl);
		n = recvmsg(fd, &m, MSG_TRUNC);
		if (n < 0 && errno != EAGAIN)
			return -errno;
		if (n < 0) {
			if (now_ms() >= end)
				return 0;
			n = poll_fd(fd, POLLIN, end - now_ms());
			if (n < 0)
				return n;
			continue;
		}
		if (n < 40 || sll.sll_protocol != htons(ETH_P_IP) ||
		    pkt[9] != proto || (pkt[0] >> 4) != 4)
			continue;
		ihl = (pkt[0] & 15) * 4;
		tot = get16(pkt + 2);
		if (ihl + 20 > (int)sizeof(pkt) || ihl + 20 > tot)
			continue;
		memset(s, 0, sizeof(*s));
		clock_gettime(CLOCK_REALTIME, &ts);
		for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm))
			if (cm->cmsg_level == SOL_SOCKET &&
			    cm->cmsg_type == SO_TIMESTAMPNS)
				memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
		s->t_us = ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
		s->pkttype = sll.sll_pkttype;
		s->src.sin_family = AF_INET;
		s->dst.sin_family = AF_INET;
		memcpy(&s->src.sin_addr, pkt + 12, 4);
		memcpy(&s->dst.sin_addr, pkt + 16, 4);
		s->src.sin_port = htons(get16(pkt + ihl));
		s->dst.sin_port = htons(get16(pkt + ihl + 2));
		s->seq = get32(pkt + ihl + 4);
		s->ack = get32(pkt + ihl + 8);
		doff = (pkt[ihl + 12] >> 4) * 4;
		s->flags = pkt[ihl + 13];
		s->win = get16(pkt + ihl + 14);
		s->urp = get16(pkt + ihl + 18);
		s->len = tot - ihl - doff;
		return 1;
	}
}

/* Forget the packets seen so far. */
static inline void sniff_drain(int fd)
{
	char b[64];

	while (recv(fd, b, sizeof(b), MSG_DONTWAIT | MSG_TRUNC) >= 0)
		;
}

static inline bool same_addr(const struct sockaddr_in *a,
			     const struct sockaddr_in *b)
{
	return a->sin_family == b->sin_family && a->sin_port == b->sin_port &&
	       a->sin_addr.s_addr == b->sin_addr.s_addr;
}

/*
 * The next segment from src to dst whose flags masked with fmask equal
 * fval, seen once (PACKET_HOST: on its way in): 1, 0 on timeout, -errno.
 */
static inline int sniff_for(int fd, int proto, const struct sockaddr_in *src,
			    const struct sockaddr_in *dst, int fmask, int fval,
			    struct seg *s, int ms)
{
	long long end = now_ms() + ms;
	int n;

	/* Packets already queued are all looked at, even with ms == 0. */
	for (;;) {
		n = sniff_next(fd, proto, s, end > now_ms() ? end - now_ms() : 0);
		if (n <= 0)
			return n;
		if (s->pkttype == PACKET_HOST && same_addr(&s->src, src) &&
		    same_addr(&s->dst, dst) && (s->flags & fmask) == fval)
			return 1;
	}
}

static inline __u32 csum_add(__u32 sum, const unsigned char *p, int len)
{
	int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

/*
 * Send a segment with no options or data from src to dst through a raw
 * socket, IP protocol proto. The checksum is TCP's for both protocols:
 * the pseudo-header names protocol 6.
 */
static inline int inject_seg(int proto, const struct sockaddr_in *src,
			     const struct sockaddr_in *dst, __u32 seq,
			     __u32 ack, __u8 flags, __u16 win)
{
	unsigned char pkt[40] = {}, pseudo[12] = {};
	unsigned char *th = pkt + 20;
	__u32 sum;
	int fd, err = 0;

	pkt[0] = 0x45;
	put16(pkt + 2, sizeof(pkt));
	pkt[8] = 64;
	pkt[9] = proto;
	memcpy(pkt + 12, &src->sin_addr, 4);
	memcpy(pkt + 16, &dst->sin_addr, 4);
	put16(th, ntohs(src->sin_port));
	put16(th + 2, ntohs(dst->sin_port));
	put32(th + 4, seq);
	put32(th + 8, ack);
	th[12] = 5 << 4;
	th[13] = flags;
	put16(th + 14, win);

	memcpy(pseudo, pkt + 12, 8);
	pseudo[9] = IPPROTO_TCP;
	put16(pseudo + 10, 20);
	sum = csum_add(csum_add(0, pseudo, sizeof(pseudo)), th, 20);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(th + 16, ~sum);

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0)
		return -errno;
	if (sendto(fd, pkt, sizeof(pkt), 0, (const struct sockaddr *)dst,
		   sizeof(*dst)) != sizeof(pkt))
		err = -errno;
	close(fd);
	return err;
}

#endif /* MYTCP_SELFTEST_HELPERS_H */
