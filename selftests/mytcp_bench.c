// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp_bench: one benchmark measurement of the kernel's TCP or of mytcp,
 * for scripts/bench (the driver) and selftests/bench_smoke.sh. The server
 * is a forked child (an epoll loop that discards or echoes what it reads),
 * the client the parent; each may join a network namespace of its own, so
 * that the same run goes over loopback or over veth.
 *
 *   mytcp_bench --mode MODE --proto tcp|mytcp [options]
 *     --mode stream  one connection, client to server: --size bytes per
 *                    write for --seconds or --bytes; Gbit/s and CPU time
 *                    per GB (whole VM from /proc/stat, and the two
 *                    processes from getrusage)
 *     --mode rr      1-byte request/response on one connection with
 *                    TCP_NODELAY, --count transactions or --seconds;
 *                    rate, p50 and p99 latency (1 us histogram)
 *     --mode crr     per transaction: connect, 1-byte request/response,
 *                    close (--close fin, the client ends in TIME-WAIT,
 *                    or rst: SO_LINGER 0); connections per second
 *     --mode conns   open --count idle connections; slab bytes per socket
 *                    and the protocol's armed hrtimers while they exist;
 *                    then close them from the client and measure the
 *                    TIME-WAIT entries they leave
 *     --server A:P   where the server listens (127.0.0.1:5001)
 *     --local A      (client) bind to this source address first
 *     --srv-ns N, --cli-ns N   join /run/netns/N (server, client)
 *     --json         one JSON object on stdout instead of text
 *
 * Exits 0 on success, 1 on a failed measurement, 2 on a usage error.
 * Slab figures need root (/proc/slabinfo, /proc/timer_list).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/mytcp.h>

#include "kselftest.h"	/* __printf */

#define BUF_SIZE	(256 * 1024)
#define HIST_US		100000	/* 1 us buckets up to 100 ms, then one more */
#define MAX_CACHES	512
#define TOP_CACHES	6

enum mode { MODE_STREAM, MODE_RR, MODE_CRR, MODE_CONNS };

static const char * const mode_names[] = {
	[MODE_STREAM] = "stream", [MODE_RR] = "rr", [MODE_CRR] = "crr",
	[MODE_CONNS] = "conns",
};

static struct {
	enum mode mode;
	int proto;
	struct sockaddr_in srv;
	struct sockaddr_in local;
	bool has_local;
	const char *srv_ns, *cli_ns;
	size_t size;
	double seconds;
	unsigned long long bytes;
	unsigned long count;
	bool rst;
	bool json;
} opt = {
	.mode = MODE_STREAM, .proto = IPPROTO_TCP, .size = 65536,
	.count = 0, .seconds = 0,
};

static char buf[BUF_SIZE];
static unsigned int hist[HIST_US + 1];
static unsigned long hist_n;

/* The result, printed as "key value" text or as one JSON object. */
static char out[8192];
static size_t out_len;

static __printf(1, 2) void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "mytcp_bench: ");
	vfprintf(stderr, fmt, ap);
	if (fmt[strlen(fmt) - 1] != '\n')
		fprintf(stderr, ": %s\n", strerror(errno));
	va_end(ap);
	exit(1);
}

static __printf(2, 3) void put(const char *key, const char *fmt, ...)
{
	char val[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	out_len += snprintf(out + out_len, sizeof(out) - out_len,
			    opt.json ? "%s\"%s\": %s" : "%s%s %s",
			    out_len ? (opt.json ? ", " : "\n") : "", key, val);
}

static void put_str(const char *key, const char *s)
{
	put(key, opt.json ? "\"%s\"" : "%s", s);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void join_ns(const char *name)
{
	char path[256];
	int fd;

	if (!name)
		return;
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		die("join %s", path);
	close(fd);
}

static void parse_addr(const char *s, struct sockaddr_in *sa, bool port)
{
	char host[64], *colon;

	snprintf(host, sizeof(host), "%s", s);
	colon = strrchr(host, ':');
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (port) {
		if (!colon)
			die("%s: ADDR:PORT expected\n", s);
		*colon = '\0';
		sa->sin_port = htons(atoi(colon + 1));
	}
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		die("%s: not an IPv4 address\n", s);
}

static void set_int(int fd, int level, int name, int val)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)))
		die("setsockopt %d/%d", level, name);
}

/* --- the server: a forked child, one epoll loop ------------------------ */

/* Tell the parent: 'r' listening, 'a' --count connections accepted. */
static void serve(int note)
{
	bool echo = opt.mode == MODE_RR || opt.mode == MODE_CRR;
	unsigned long accepted = 0;
	struct epoll_event ev, evs[64];
	int lfd, ep, i, n;

	join_ns(opt.srv_ns);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, opt.proto);
	if (lfd < 0)
		die("server socket");
	set_int(lfd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (bind(lfd, (struct sockaddr *)&opt.srv, sizeof(opt.srv)) ||
	    listen(lfd, 65535))
		die("server bind/listen");
	ep = epoll_create1(0);
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev))
		die("epoll");
	if (write(note, "r", 1) != 1)
		die("note");

	for (;;) {
		n = epoll_wait(ep, evs, 64, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("epoll_wait");
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			ssize_t r;

			if (fd == lfd) {
				while ((fd = accept4(lfd, NULL, NULL,
						     SOCK_NONBLOCK)) >= 0) {
					if (echo)
						set_int(fd, IPPROTO_TCP,
							TCP_NODELAY, 1);
					ev.events = EPOLLIN;
					ev.data.fd = fd;
					if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
						die("epoll_ctl");
					if (++accepted == opt.count &&
					    opt.mode == MODE_CONNS &&
					    write(note, "a", 1) != 1)
						die("note");
				}
				if (errno != EAGAIN)
					die("accept");
				continue;
			}
			while ((r = read(fd, buf, sizeof(buf))) > 0)
				/* Requests are 1 byte: the reply never blocks. */
				if (echo && write(fd, buf, r) != r)
					break;
			if (r == 0 || (r < 0 && errno != EAGAIN))
				close(fd);	/* also leaves the epoll set */
		}
	}
}

/* --- client helpers ------------------------------------------------------ */

static int connect_one(bool nodelay)
{
	int fd = socket(AF_INET, SOCK_STREAM, opt.proto);

	if (fd < 0)
		die("socket");
	if (nodelay)
		set_int(fd, IPPROTO_TCP, TCP_NODELAY, 1);
	if (opt.has_local &&
	    bind(fd, (struct sockaddr *)&opt.local, sizeof(opt.local)))
		die("bind local");
	if (connect(fd, (struct sockaddr *)&opt.srv, sizeof(opt.srv)))
		die("connect");
	return fd;
}

static void read_exact(int fd, size_t len)
{
	size_t got = 0;
	ssize_t r;

	while (got < len) {
		r = read(fd, buf + got, len - got);
		if (r <= 0)
			die(r ? "read" : "read: early end of stream\n");
		got += r;
	}
}

static void hist_add(double seconds)
{
	long us = (long)(seconds * 1e6);

	hist[us < HIST_US ? us : HIST_US]++;
	hist_n++;
}

/* The latency at quantile @q in microseconds (bucket middle). */
static double hist_quantile(double q)
{
	unsigned long want = (unsigned long)(q * hist_n), sum = 0;
	long i;

	for (i = 0; i <= HIST_US; i++) {
		sum += hist[i];
		if (sum > want)
			break;
	}
	return i + 0.5;
}

/* Jiffies of all CPUs (the "cpu" line of /proc/stat): total, busy, softirq. */
struct cpu_ticks {
	unsigned long long total, busy, softirq;
};

static void cpu_ticks(struct cpu_ticks *c)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int i;

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			 &v[7]) != 8)
		die("/proc/stat");
	fclose(f);
	c->total = 0;
	for (i = 0; i < 8; i++)
		c->total += v[i];
	/* user nice system [idle iowait] irq softirq steal */
	c->busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	c->softirq = v[6];
}

static double rusage_s(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* rr and crr: --count transactions, else --seconds. */
static bool running(unsigned long done, double t0)
{
	if (opt.count)
		return done < opt.count;
	return now() - t0 < opt.seconds;
}

/* --- the modes ----------------------------------------------------------- */

static pid_t srv_pid;

static void stop_server(void)
{
	kill(srv_pid, SIGTERM);
	waitpid(srv_pid, NULL, 0);
}

static void run_stream(void)
{
	struct cpu_ticks c0, c1;
	unsigned long long sent = 0, ticks;
	double t0, t, self0, busy, cpu_vm, cpu_proc, gb;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int fd = connect_one(false);
	ssize_t r;

	memset(buf, 'x', opt.size);
	self0 = rusage_s(RUSAGE_SELF);
	cpu_ticks(&c0);
	t0 = now();
	while (opt.bytes ? sent < opt.bytes : now() - t0 < opt.seconds) {
		r = write(fd, buf, opt.size);
		if (r <= 0)
			die("write");
		sent += r;
	}
	/* Done once the server has read everything and closed. */
	shutdown(fd, SHUT_WR);
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		;
	t = now() - t0;
	cpu_ticks(&c1);
	close(fd);
	stop_server();
	/*
	 * The busy share of the ticks times CPUs times wall time: a VM may
	 * lose ticks when its host is busy, and the share survives that.
	 */
	ticks = c1.total - c0.total;
	busy = ticks ? (double)(c1.busy - c0.busy) / ticks : 0;
	cpu_vm = busy * ncpu * t;
	cpu_proc = rusage_s(RUSAGE_SELF) - self0 + rusage_s(RUSAGE_CHILDREN);
	gb = sent / 1e9;
	put("size", "%zu", opt.size);
	put("bytes", "%llu", sent);
	put("seconds", "%.3f", t);
	put("gbps", "%.4f", sent * 8 / t / 1e9);
	put("cpu_busy", "%.3f", busy);
	put("cpu_vm_s", "%.3f", cpu_vm);
	put("softirq_s", "%.3f", ticks ? (double)(c1.softirq - c0.softirq) /
	    ticks * ncpu * t : 0);
	put("cpu_proc_s", "%.3f", cpu_proc);
	put("cpu_s_per_gb", "%.3f", cpu_vm / gb);
	put("cpu_proc_s_per_gb", "%.3f", cpu_proc / gb);
}

static void run_rr(void)
{
	int fd = connect_one(true);
	unsigned long n = 0;
	double t0, t1, t;

	t0 = now();
	t1 = t0;
	while (running(n, t0)) {
		if (write(fd, "q", 1) != 1)
			die("write");
		read_exact(fd, 1);
		t = now();
		hist_add(t - t1);
		t1 = t;
		n++;
	}
	t = now() - t0;
	close(fd);
	stop_server();
	put("transactions", "%lu", n);
	put("seconds", "%.3f", t);
	put("tps", "%.1f", n / t);
	put("p50_us", "%.1f", hist_quantile(0.50));
	put("p99_us", "%.1f", hist_quantile(0.99));
}

static void run_crr(void)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	unsigned long n = 0;
	double t0, t1, t;
	int fd;

	t0 = now();
	while (running(n, t0)) {
		t1 = now();
		fd = connect_one(true);
		if (write(fd, "q", 1) != 1)
			die("write");
		read_exact(fd, 1);
		if (opt.rst &&
		    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
			die("SO_LINGER");
		close(fd);
		hist_add(now() - t1);
		n++;
	}
	t = now() - t0;
	stop_server();
	put_str("close", opt.rst ? "rst" : "fin");
	put("connections", "%lu", n);
	put("seconds", "%.3f", t);
	put("cps", "%.1f", n / t);
	put("p50_us", "%.1f", hist_quantile(0.50));
	put("p99_us", "%.1f", hist_quantile(0.99));
}

/* One /proc/slabinfo snapshot: object bytes in use per cache. */
struct slab_snap {
	int n;
	struct {
		char name[64];
		long long bytes;
	} c[MAX_CACHES];
};

static long long slab_read(struct slab_snap *s)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	char line[512];
	long long total = 0;
	long active, objsize;

	if (!f)
		die("/proc/slabinfo");
	s->n = 0;
	while (fgets(line, sizeof(line), f)) {
		char name[64];

		if (sscanf(line, "%63s %ld %*d %ld", name, &active,
			   &objsize) != 3 || name[0] == '#')
			continue;
		if (s->n < MAX_CACHES) {
			snprintf(s->c[s->n].name, sizeof(s->c[0].name), "%s",
				 name);
			s->c[s->n].bytes = (long long)active * objsize;
			s->n++;
		}
		total += (long long)active * objsize;
	}
	fclose(f);
	return total;
}

/*
 * Bytes per object of cache @name, @what "slab_size" (with alignment and
 * metadata) or "object_size" (the struct). From SLUB's sysfs, which keeps
 * the name of a cache merged into another one (/proc/slabinfo does not).
 */
static long slab_attr(const char *name, const char *what)
{
	char path[256];
	long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/%s", name, what);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%ld", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/* The caches that grew most from @a to @b, as a JSON object or text. */
static void put_slab_growth(const char *key, const struct slab_snap *a,
			    const struct slab_snap *b)
{
	char list[1024];
	size_t len = 0;
	bool used[MAX_CACHES] = { false };
	int k, i, j;

	list[0] = '\0';
	for (k = 0; k < TOP_CACHES; k++) {
		long long best = 0, d;
		int bi = -1;

		for (i = 0; i < b->n; i++) {
			if (used[i])
				continue;
			d = b->c[i].bytes;
			for (j = 0; j < a->n; j++)
				if (!strcmp(a->c[j].name, b->c[i].name))
					d -= a->c[j].bytes;
			if (d > best) {
				best = d;
				bi = i;
			}
		}
		if (bi < 0)
			break;
		used[bi] = true;
		len += snprintf(list + len, sizeof(list) - len,
				opt.json ? "%s\"%s\": %lld" : "%s%s=%lld",
				len ? (opt.json ? ", " : " ") : "",
				b->c[bi].name, best);
	}
	put(key, opt.json ? "{%s}" : "%s", list);
}

static long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	size_t kl = strlen(key);
	long v = -1;

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':')
			v = atol(line + kl + 1);
	fclose(f);
	return v;
}

/* Armed hrtimers whose function belongs to the protocol under test. */
static long proto_hrtimers(char *names, size_t size)
{
	const char *prefix = opt.proto == IPPROTO_TCP ? "tcp" : "mytcp";
	FILE *f = fopen("/proc/timer_list", "r");
	char line[512], fn[128];
	size_t len = 0;
	long n = 0;

	if (!f)
		die("/proc/timer_list");
	names[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		/* " #3: <0000000012345678>, mytcp_rtx_timer_fn, S:01" */
		if (sscanf(line, " #%*d: <%*[0-9a-f]>, %127[^,]", fn) != 1)
			continue;
		if (strncmp(fn, prefix, strlen(prefix)) &&
		    (opt.proto != IPPROTO_TCP || strncmp(fn, "inet_", 5)))
			continue;
		if (!strstr(names, fn) && len + strlen(fn) + 2 < size)
			len += snprintf(names + len, size - len, "%s%s",
					len ? " " : "", fn);
		n++;
	}
	fclose(f);
	return n;
}

/* Sockets of the protocol in /proc/net/{tcp,mytcp}: all, TIME-WAIT. */
static void proto_sockets(long *all, long *tw)
{
	FILE *f = fopen(opt.proto == IPPROTO_TCP ? "/proc/net/tcp" :
			"/proc/net/mytcp", "r");
	char line[512];
	unsigned int st;

	*all = 0;
	*tw = 0;
	if (!f)
		die("/proc/net/tcp or mytcp");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %*d: %*x:%*x %*x:%*x %x", &st) != 1)
			continue;
		if (st == 0x0a)		/* the listener */
			continue;
		(*all)++;
		if (st == 0x06)
			(*tw)++;
	}
	fclose(f);
}

static void run_conns(int note)
{
	static struct slab_snap s0, s1;
	long long b0, b1;
	long kb0, kb1, timers, timers0, all, tw;
	unsigned long i, socks = 2 * opt.count;
	bool tcp = opt.proto == IPPROTO_TCP;
	char names[512], names0[512];
	int *fds = calloc(opt.count, sizeof(int));
	double t;
	char c;

	if (!fds)
		die("calloc");
	b0 = slab_read(&s0);
	kb0 = meminfo_kb("Slab");
	timers0 = proto_hrtimers(names0, sizeof(names0));
	t = now();
	for (i = 0; i < opt.count; i++)
		fds[i] = connect_one(false);
	if (read(note, &c, 1) != 1 || c != 'a')
		die("server did not accept them all\n");
	t = now() - t;
	/* Idle: any delayed ACK or handshake timer has had time to end. */
	nap(1);
	timers = proto_hrtimers(names, sizeof(names)) - timers0;
	b1 = slab_read(&s1);
	kb1 = meminfo_kb("Slab");

	for (i = 0; i < opt.count; i++)
		close(fds[i]);
	/* Wait for the client ends in TIME-WAIT, the server ends gone. */
	for (i = 0; i < 300; i++) {
		proto_sockets(&all, &tw);
		if (tw >= (long)opt.count && all == tw)
			break;
		nap(0.1);
	}
	stop_server();

	put("connections", "%lu", opt.count);
	put("connect_seconds", "%.3f", t);
	put("slab_bytes_per_socket", "%.1f", (double)(b1 - b0) / socks);
	put("meminfo_slab_bytes_per_socket", "%.1f",
	    (kb1 - kb0) * 1024.0 / socks);
	put_slab_growth("slab_growth", &s0, &s1);
	put("armed_hrtimers", "%ld", timers);
	put_str("hrtimer_functions", timers ? names : "");
	put("timewait", "%ld", tw);
	put("sock_objsize", "%ld", slab_attr(tcp ? "TCP" : "MYTCP", "slab_size"));
	put("timewait_objsize", "%ld",
	    slab_attr(tcp ? "tw_sock_TCP" : "mytcp_tw", "slab_size"));
	put("timewait_struct_size", "%ld",
	    slab_attr(tcp ? "tw_sock_TCP" : "mytcp_tw", "object_size"));
	put("request_objsize", "%ld",
	    slab_attr(tcp ? "request_sock_TCP" : "mytcp_request", "slab_size"));
	free(fds);
}

/* --- main ---------------------------------------------------------------- */

static void print_usage(void)
{
	fprintf(stderr,
		"usage: mytcp_bench --mode stream|rr|crr|conns --proto tcp|mytcp\n"
		"  [--server A:P] [--local A] [--srv-ns N] [--cli-ns N]\n"
		"  [--size N] [--seconds S] [--bytes N] [--count N]\n"
		"  [--close fin|rst] [--json]\n");
	exit(2);
}

static void parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "mode", 1, NULL, 'm' }, { "proto", 1, NULL, 'p' },
		{ "server", 1, NULL, 's' }, { "local", 1, NULL, 'l' },
		{ "srv-ns", 1, NULL, 'S' }, { "cli-ns", 1, NULL, 'C' },
		{ "size", 1, NULL, 'z' }, { "seconds", 1, NULL, 't' },
		{ "bytes", 1, NULL, 'b' }, { "count", 1, NULL, 'n' },
		{ "close", 1, NULL, 'c' }, { "json", 0, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	int c, i;

	parse_addr("127.0.0.1:5001", &opt.srv, true);
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'm':
			for (i = 0; i < 4; i++)
				if (!strcmp(optarg, mode_names[i]))
					break;
			if (i == 4)
				print_usage();
			opt.mode = i;
			break;
		case 'p':
			if (!strcmp(optarg, "tcp"))
				opt.proto = IPPROTO_TCP;
			else if (!strcmp(optarg, "mytcp"))
				opt.proto = IPPROTO_MYTCP;
			else
				print_usage();
			break;
		case 's':
			parse_addr(optarg, &opt.srv, true);
			break;
		case 'l':
			parse_addr(optarg, &opt.local, false);
			opt.has_local = true;
			break;
		case 'S':
			opt.srv_ns = optarg;
			break;
		case 'C':
			opt.cli_ns = optarg;
			break;
		case 'z':
			opt.size = strtoul(optarg, NULL, 0);
			break;
		case 't':
			opt.seconds = atof(optarg);
			break;
		case 'b':
			opt.bytes = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			opt.count = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			opt.rst = !strcmp(optarg, "rst");
			if (!opt.rst && strcmp(optarg, "fin"))
				print_usage();
			break;
		case 'j':
			opt.json = true;
			break;
		default:
			print_usage();
		}
	}
	if (optind != argc || !opt.size || opt.size > BUF_SIZE)
		print_usage();
	if (!opt.count && !opt.bytes && opt.seconds <= 0)
		opt.seconds = opt.mode == MODE_CONNS ? 0 : 3;
	if (opt.mode == MODE_CONNS && !opt.count)
		opt.count = 1000;
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	struct utsname u;
	int note[2];
	char c;

	parse(argc, argv);
	/* Two descriptors per connection at most, one per process. */
	rl.rlim_cur = opt.count + 1024;
	rl.rlim_max = rl.rlim_cur;
	if (opt.mode == MODE_CONNS && setrlimit(RLIMIT_NOFILE, &rl))
		die("RLIMIT_NOFILE %lu", (unsigned long)rl.rlim_cur);
	signal(SIGPIPE, SIG_IGN);
	if (pipe(note))
		die("pipe");
	srv_pid = fork();
	if (srv_pid < 0)
		die("fork");
	if (!srv_pid) {
		close(note[0]);
		serve(note[1]);
	}
	close(note[1]);
	join_ns(opt.cli_ns);
	if (read(note[0], &c, 1) != 1 || c != 'r') {
		waitpid(srv_pid, NULL, 0);
		die("the server did not start\n");
	}

	uname(&u);
	put_str("mode", mode_names[opt.mode]);
	put_str("proto", opt.proto == IPPROTO_TCP ? "tcp" : "mytcp");
	put_str("kernel", u.release);
	switch (opt.mode) {
	case MODE_STREAM:
		run_stream();
		break;
	case MODE_RR:
		run_rr();
		break;
	case MODE_CRR:
		run_crr();
		break;
	case MODE_CONNS:
		run_conns(note[0]);
		break;
	}
	printf(opt.json ? "{%s}\n" : "%s\n", out);
	return 0;
}
