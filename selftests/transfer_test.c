// SPDX-License-Identifier: GPL-2.0
/*
 * Data transfer over loopback, on "tcp" (the reference) and "mytcp":
 * sizes from 1 byte to 64 MiB sent both ways at once and compared byte
 * for byte, blocking with odd-sized writes and MSG_WAITALL reads of
 * random sizes; non-blocking with edge-triggered epoll; throughput
 * printed per variant; and a leak check: after 100 connections the
 * in-use count (/proc/net/protocols) and the objects of the protocol's
 * slab cache (/sys/kernel/slab) are back where they started.
 *
 * The data is a PRNG stream that the receiver regenerates, so nothing
 * is held twice and a difference is reported at its first offset.
 */
#include <pthread.h>
#include <sys/epoll.h>

#include "kselftest_harness.h"
#include "mytcp_helpers.h"

/* No progress for this long fails a transfer. */
#define STALL_MS	10000

#define MiB		(1024 * 1024)
#define MAX_CHUNK	(256 * 1024)

FIXTURE(transfer) {
	struct sysctl_log sysctls;
	int lfd;
	struct sockaddr_in srv;
};

FIXTURE_VARIANT(transfer) {
	int proto;
	const char *name;	/* in /proc/net/protocols and /proc/slabinfo */
	const char *states;
	const char *tw_timeout;	/* NULL: fixed (tcp) */
	const char *snmp;	/* counters, and the prefix of their lines */
	const char *snmp_prefix;
};

FIXTURE_VARIANT_ADD(transfer, tcp) {
	.proto = IPPROTO_TCP,
	.name = "TCP",
	.states = "/proc/net/tcp",
	.snmp = "/proc/net/snmp",
	.snmp_prefix = "Tcp:",
};

FIXTURE_VARIANT_ADD(transfer, mytcp) {
	.proto = IPPROTO_MYTCP,
	.name = "MYTCP",
	.states = "/proc/net/mytcp",
	.tw_timeout = "/proc/sys/net/mytcp/tw_timeout_ms",
	.snmp = "/proc/net/mytcp_snmp",
	.snmp_prefix = "Mytcp:",
};

FIXTURE_SETUP(transfer)
{
	int err = test_ns_setup(variant->proto);

	self->sysctls.n = 0;
	self->lfd = -1;
	if (err == -EPROTONOSUPPORT)
		SKIP(return, "protocol %d unavailable (module not loaded?)",
		     variant->proto);
	ASSERT_EQ(0, err) TH_LOG("namespace setup: %s", strerror(-err));
	self->lfd = listener(variant->proto, 0, &self->srv);
	ASSERT_OK(self->lfd);
}

FIXTURE_TEARDOWN(transfer)
{
	if (self->lfd >= 0)
		close(self->lfd);
	EXPECT_EQ(0, sysctl_restore(&self->sysctls));
}

/* xorshift64*: the data, and the sizes of writes and reads. */
struct prng {
	__u64 x;
	__u64 word;	/* bytes of the stream not handed out yet */
	int left;
};

static void prng_init(struct prng *p, __u64 seed)
{
	p->x = (seed + 1) * 0x9e3779b97f4a7c15ULL;
	p->left = 0;
}

static __u64 prng_next(struct prng *p)
{
	p->x ^= p->x >> 12;
	p->x ^= p->x << 25;
	p->x ^= p->x >> 27;
	return p->x * 0x2545f4914f6cdd1dULL;
}

/* The next len bytes of the stream. */
static void prng_fill(struct prng *p, unsigned char *buf, size_t len)
{
	__u64 w;

	while (len && p->left) {
		*buf++ = p->word;
		p->word >>= 8;
		p->left--;
		len--;
	}
	while (len >= 8) {
		w = prng_next(p);
		memcpy(buf, &w, 8);
		buf += 8;
		len -= 8;
	}
	if (len) {
		p->word = prng_next(p);
		p->left = 8;
		prng_fill(p, buf, len);
	}
}

/* An odd size in [1, max]: mostly small, sometimes large. */
static size_t odd_size(struct prng *p, size_t max)
{
	__u64 r = prng_next(p);
	size_t lim;

	switch (r & 3) {
	case 0:
		lim = 256;
		break;
	case 3:
		lim = MAX_CHUNK;
		break;
	default:
		lim = 16384;
		break;
	}
	if (lim > max)
		lim = max;
	return ((r >> 8) % lim) | 1;
}

/* One direction of a transfer: what it sends, how, what went wrong. */
struct flow {
	int tx_fd, rx_fd;
	size_t len;
	__u64 seed;
	size_t sent, got;
	int tx_err, rx_err;	/* errno values */
	size_t bad_at;		/* first wrong byte (when rx_err EBADMSG) */
	size_t short_reads;	/* MSG_WAITALL reads that came back short */
	size_t chunk_len, chunk_off;	/* the write being sent */
	struct prng tx_data, tx_size, rx_data, rx_size;
	unsigned char *tx_buf, *rx_buf, *want;
};

static int flow_init(struct flow *f, int tx_fd, int rx_fd, size_t len,
		     __u64 seed)
{
	memset(f, 0, sizeof(*f));
	f->tx_fd = tx_fd;
	f->rx_fd = rx_fd;
	f->len = len;
	f->seed = seed;
	prng_init(&f->tx_data, seed);
	prng_init(&f->rx_data, seed);
	prng_init(&f->tx_size, seed ^ 0x5555);
	prng_init(&f->rx_size, seed ^ 0xaaaa);
	f->tx_buf = malloc(MAX_CHUNK);
	f->rx_buf = malloc(MAX_CHUNK);
	f->want = malloc(MAX_CHUNK);
	return f->tx_buf && f->rx_buf && f->want ? 0 : -ENOMEM;
}

static void flow_free(struct flow *f)
{
	free(f->tx_buf);
	free(f->rx_buf);
	free(f->want);
}

/* Compare n received bytes with the stream: false (and bad_at) if wrong. */
static bool flow_verify(struct flow *f, size_t n)
{
	size_t i;

	prng_fill(&f->rx_data, f->want, n);
	if (!memcmp(f->want, f->rx_buf, n))
		return true;
	for (i = 0; f->want[i] == f->rx_buf[i]; i++)
		;
	f->bad_at = f->got + i;
	f->rx_err = EBADMSG;
	return false;
}

/*
 * Send (some of) the current chunk, first making a new one, of an odd
 * size, if it is all gone: what send() returned, or 0 at the end.
 */
static ssize_t flow_send(struct flow *f, int flags)
{
	ssize_t r;

	if (f->chunk_off == f->chunk_len) {
		if (f->sent == f->len)
			return 0;
		f->chunk_len = odd_size(&f->tx_size, f->len - f->sent);
		f->chunk_off = 0;
		prng_fill(&f->tx_data, f->tx_buf, f->chunk_len);
	}
	r = send(f->tx_fd, f->tx_buf + f->chunk_off, f->chunk_len - f->chunk_off,
		 flags | MSG_NOSIGNAL);
	if (r > 0) {
		f->chunk_off += r;
		f->sent += r;
	}
	return r;
}

/* Blocking sender: odd-sized sends, then shutdown(SHUT_WR). */
static void *tx_thread(void *arg)
{
	struct flow *f = arg;
	ssize_t r;

	while (f->sent < f->len) {
		r = flow_send(f, 0);
		if (r <= 0) {
			f->tx_err = r ? errno : EPIPE;
			return NULL;
		}
	}
	if (shutdown(f->tx_fd, SHUT_WR))
		f->tx_err = errno;
	return NULL;
}

/* Blocking receiver: MSG_WAITALL reads of random sizes, then EOF. */
static void *rx_thread(void *arg)
{
	struct flow *f = arg;
	size_t n;
	ssize_t r;

	while (f->got < f->len) {
		n = odd_size(&f->rx_size, f->len - f->got);
		r = recv(f->rx_fd, f->rx_buf, n, MSG_WAITALL);
		if (r <= 0) {
			f->rx_err = r ? errno : EPIPE;
			return NULL;
		}
		if ((size_t)r != n)
			f->short_reads++;
		if (!flow_verify(f, r))
			return NULL;
		f->got += r;
	}
	r = recv(f->rx_fd, f->rx_buf, 1, 0);
	if (r != 0)
		f->rx_err = r < 0 ? errno : EOVERFLOW;
	return NULL;
}

static void flow_report(struct __test_metadata *_metadata, const char *what,
			struct flow *f)
{
	EXPECT_EQ(0, f->tx_err) TH_LOG("%s send: %s", what, strerror(f->tx_err));
	EXPECT_EQ(0, f->rx_err)
		TH_LOG("%s recv: %s (first bad byte %zu)", what,
		       strerror(f->rx_err), f->bad_at);
	EXPECT_EQ(f->len, f->sent) TH_LOG("%s", what);
	EXPECT_EQ(f->len, f->got) TH_LOG("%s", what);
	EXPECT_EQ(0, (int)f->short_reads) TH_LOG("%s: short MSG_WAITALL reads", what);
}

/*
 * A counter of a /proc/net/snmp-style file (a line of names, then one
 * of values, both starting with prefix), -1 if not found.
 */
static long snmp_counter(const char *file, const char *prefix,
			 const char *name)
{
	char names[2048], values[2048], *n, *v, *sn, *sv;
	size_t plen = strlen(prefix);
	long found = -1;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	while (fgets(names, sizeof(names), f)) {
		if (strncmp(names, prefix, plen) ||
		    !fgets(values, sizeof(values), f))
			continue;
		n = strtok_r(names, "\n ", &sn);
		v = strtok_r(values, "\n ", &sv);
		while (n && v && strcmp(n, name)) {
			n = strtok_r(NULL, "\n ", &sn);
			v = strtok_r(NULL, "\n ", &sv);
		}
		if (n && v)
			found = strtol(v, NULL, 10);
		break;
	}
	fclose(f);
	return found;
}

/*
 * Print the rate, and the segments retransmitted so far in this test's
 * namespace: none are lost on lo, so retransmissions mean the receiver
 * dropped data it had room for in its window.
 */
static void log_rate(struct __test_metadata *_metadata, const char *proto,
		     long retrans, const char *what, size_t bytes, long long ms)
{
	TH_LOG("%s %s: %zu bytes in %lld ms: %.1f MB/s (%ld segments retransmitted)",
	       proto, what, bytes, ms, ms ? bytes / 1000.0 / ms : 0.0, retrans);
}

#define LOG_RATE(what, bytes, ms) \
	log_rate(_metadata, variant->name, \
		 snmp_counter(variant->snmp, variant->snmp_prefix, \
			      "RetransSegs"), what, bytes, ms)

/*
 * len bytes each way at once between a new client of the listener at
 * srv and its accepted end, four blocking threads; the sockets'
 * timeouts bound every call. The elapsed time in *ms.
 */
static void both_ways(struct __test_metadata *_metadata, int proto, int lfd,
		      const struct sockaddr_in *srv, size_t len, __u64 seed,
		      long long *ms)
{
	struct flow f[2];
	pthread_t t[4];
	long long t0;
	int c, s, i;

	ASSERT_OK(connect_pair(proto, lfd, srv, &c, &s));
	ASSERT_EQ(0, sock_timeouts(c, STALL_MS));
	ASSERT_EQ(0, sock_timeouts(s, STALL_MS));
	ASSERT_EQ(0, flow_init(&f[0], c, s, len, seed));
	ASSERT_EQ(0, flow_init(&f[1], s, c, len, ~seed));
	t0 = now_ms();
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pthread_create(&t[2 * i], NULL, tx_thread, &f[i]));
		ASSERT_EQ(0, pthread_create(&t[2 * i + 1], NULL, rx_thread,
					    &f[i]));
	}
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	*ms = now_ms() - t0;
	flow_report(_metadata, "client->server", &f[0]);
	flow_report(_metadata, "server->client", &f[1]);
	flow_free(&f[0]);
	flow_free(&f[1]);
	close(c);
	close(s);
}

/* Each size both ways, one connection each; the rate of the large ones. */
#define SIZES_BOTH_WAYS(...) do { \
	static const size_t __sizes[] = { __VA_ARGS__ }; \
	long long __ms; \
	int __i; \
	for (__i = 0; __i < (int)ARRAY_SIZE(__sizes); __i++) { \
		both_ways(_metadata, variant->proto, self->lfd, &self->srv, \
			  __sizes[__i], __i + 1, &__ms); \
		if (__sizes[__i] >= MiB) \
			LOG_RATE("each way", __sizes[__i], __ms); \
	} \
} while (0)

/* Small sizes, up to the 64 KiB boundary, each way at once. */
TEST_F(transfer, small_sizes)
{
	SIZES_BOTH_WAYS(1, 2, 3, 1000, 65535, 65536, 65537);
}

TEST_F(transfer, size_1mib_plus_1)
{
	SIZES_BOTH_WAYS(MiB + 1);
}

TEST_F_TIMEOUT(transfer, size_16mib, 60)
{
	SIZES_BOTH_WAYS(16 * MiB);
}

TEST_F_TIMEOUT(transfer, size_64mib, 90)
{
	SIZES_BOTH_WAYS(64 * MiB);
}

/* One way only, for a throughput figure without the reverse traffic. */
TEST_F_TIMEOUT(transfer, one_way_64mib, 90)
{
	struct flow f;
	pthread_t t;
	long long t0;
	int c, s;

	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	ASSERT_EQ(0, sock_timeouts(c, STALL_MS));
	ASSERT_EQ(0, sock_timeouts(s, STALL_MS));
	ASSERT_EQ(0, flow_init(&f, c, s, 64 * MiB, 99));
	t0 = now_ms();
	ASSERT_EQ(0, pthread_create(&t, NULL, tx_thread, &f));
	rx_thread(&f);
	pthread_join(t, NULL);
	LOG_RATE("one way", f.len, now_ms() - t0);
	flow_report(_metadata, "client->server", &f);
	flow_free(&f);
	close(c);
	close(s);
}

/*
 * Non-blocking, both ways, one thread, epoll edge-triggered: each
 * event is served until EAGAIN, so a missed wakeup shows as a stall.
 * Reads are of random odd sizes too. 0 or -errno; *ms the time taken.
 */
static int epoll_both_ways(int c, int s, size_t len, __u64 seed, long long *ms,
			   struct flow *f)
{
	struct epoll_event ev[2];
	bool tx_done[2] = {}, eof[2] = {};
	long long t0 = now_ms(), moved = t0;
	int ep, i, n, k, err = 0;
	ssize_t r;
	size_t m;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return -errno;
	if (flow_init(&f[0], c, s, len, seed) ||
	    flow_init(&f[1], s, c, len, ~seed)) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < 2; i++) {
		ev[0].events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
		ev[0].data.u32 = i;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, i ? s : c, &ev[0])) {
			err = -errno;
			goto out;
		}
	}
	while (!eof[0] || !eof[1] || !tx_done[0] || !tx_done[1]) {
		if (now_ms() - moved > STALL_MS) {
			err = -ETIMEDOUT;
			goto out;
		}
		n = epoll_wait(ep, ev, 2, STALL_MS);
		if (n < 0) {
			err = -errno;
			goto out;
		}
		for (k = 0; k < n; k++) {
			i = ev[k].data.u32;
			/* flow i sends from this socket, flow !i reads it */
			while (!tx_done[i]) {
				struct flow *t = &f[i];

				if (t->sent == t->len) {
					if (shutdown(t->tx_fd, SHUT_WR)) {
						err = -errno;
						goto out;
					}
					tx_done[i] = true;
					break;
				}
				r = flow_send(t, MSG_DONTWAIT);
				if (r < 0 && errno == EAGAIN)
					break;
				if (r <= 0) {
					err = r ? -errno : -EPIPE;
					goto out;
				}
				moved = now_ms();
			}
			while (!eof[!i]) {
				struct flow *v = &f[!i];

				m = odd_size(&v->rx_size, MAX_CHUNK);
				r = recv(v->rx_fd, v->rx_buf, m, MSG_DONTWAIT);
				if (r < 0 && errno == EAGAIN)
					break;
				if (r < 0) {
					err = -errno;
					goto out;
				}
				if (r == 0) {
					eof[!i] = true;
					break;
				}
				if (v->got + r > v->len) {
					err = -EOVERFLOW;
					goto out;
				}
				if (!flow_verify(v, r)) {
					err = -EBADMSG;
					goto out;
				}
				v->got += r;
				moved = now_ms();
			}
		}
	}
	if (f[0].got != len || f[1].got != len)
		err = -EPIPE;
out:
	*ms = now_ms() - t0;
	close(ep);
	return err;
}

/*
 * 4 MiB + 1 each way, non-blocking with edge-triggered epoll; and the
 * same with 1 byte, where the last wakeup is what matters.
 */
TEST_F_TIMEOUT(transfer, epoll_edge_triggered, 60)
{
	static const size_t sizes[] = { 1, 4 * MiB + 1 };
	struct flow f[2];
	long long ms;
	int c, s, i, err;

	for (i = 0; i < (int)ARRAY_SIZE(sizes); i++) {
		ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv,
				       &c, &s));
		err = epoll_both_ways(c, s, sizes[i], 7 + i, &ms, f);
		EXPECT_EQ(0, err) TH_LOG("%zu B: %s: sent %zu/%zu, got %zu/%zu, bad at %zu/%zu",
					 sizes[i], strerror(-err), f[0].sent,
					 f[1].sent, f[0].got, f[1].got,
					 f[0].bad_at, f[1].bad_at);
		if (sizes[i] >= MiB)
			LOG_RATE("epoll, each way", sizes[i], ms);
		flow_free(&f[0]);
		flow_free(&f[1]);
		close(c);
		close(s);
	}
}

/*
 * Objects in use in the slab cache of this name, -1 if unknown. The
 * per-CPU slabs are flushed first: their free objects would count as in
 * use. /sys/kernel/slab/NAME works when the cache was merged into
 * another one (then NAME is a link and not in /proc/slabinfo): MYTCP
 * is, proto_register() asking for no SLAB_* flag that prevents it. The
 * count is then the merged cache's; its other users are idle here.
 */
static long slab_objects(const char *name)
{
	char path[128], text[64];

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", name);
	if (write_file(path, "1"))
		return -1;
	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/objects", name);
	if (read_file(path, text, sizeof(text)))
		return -1;
	return strtol(text, NULL, 10);
}

/* slab_objects() once two reads 200 ms apart agree (RCU frees done). */
static long slab_settled(const char *name)
{
	long long end = now_ms() + 3000;
	long prev = slab_objects(name), now;

	for (;;) {
		sleep_ms(200);
		now = slab_objects(name);
		if (now == prev || now_ms() > end)
			return now;
		prev = now;
	}
}

#define ROUNDS	100

/*
 * 100 rounds of connect, accept, 20000 bytes each way (epoll), close
 * (client first in even rounds, server first in odd ones). Then, within
 * a few seconds (RCU-deferred frees, mytcp's TIME-WAIT shortened to
 * 500 ms), the sockets in use and the objects in use in the protocol's
 * slab cache are back at their start. TIME-WAIT entries are not sockets: Linux
 * keeps them in tw_sock_TCP, mytcp in kmalloc memory.
 */
TEST_F_TIMEOUT(transfer, leak_check, 90)
{
	long base_inuse, base_slab, inuse = -1, slab = -1, peak;
	struct flow f[2];
	long long ms, end;
	int c, s, i, err;

	if (variant->tw_timeout)
		ASSERT_EQ(0, sysctl_set(&self->sysctls, variant->tw_timeout,
					"500"));
	close(self->lfd);
	self->lfd = -1;
	base_inuse = proto_inuse(variant->name);
	base_slab = slab_settled(variant->name);
	ASSERT_LE(0, base_inuse);
	if (base_slab < 0)
		SKIP(return, "no /sys/kernel/slab/%s/objects", variant->name);
	self->lfd = listener(variant->proto, 0, &self->srv);
	ASSERT_OK(self->lfd);
	/* The counters see our sockets: listener, client, server. */
	ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv, &c, &s));
	EXPECT_EQ(base_inuse + 3, proto_inuse(variant->name));
	peak = slab_objects(variant->name);
	EXPECT_LE(base_slab + 3, peak);
	close(c);
	close(s);

	for (i = 0; i < ROUNDS; i++) {
		ASSERT_OK(connect_pair(variant->proto, self->lfd, &self->srv,
				       &c, &s));
		err = epoll_both_ways(c, s, 20000, i, &ms, f);
		flow_free(&f[0]);
		flow_free(&f[1]);
		ASSERT_EQ(0, err) TH_LOG("round %d: %s", i, strerror(-err));
		close(i & 1 ? s : c);
		close(i & 1 ? c : s);
	}
	close(self->lfd);
	self->lfd = -1;

	end = now_ms() + 5000;
	do {
		inuse = proto_inuse(variant->name);
		slab = slab_objects(variant->name);
		if (inuse == base_inuse && slab == base_slab)
			break;
		sleep_ms(50);
	} while (now_ms() < end);
	TH_LOG("%s sockets in use %ld -> %ld, slab objects %ld -> %ld (%ld with a connection)",
	       variant->name, base_inuse, inuse, base_slab, slab, peak);
	EXPECT_EQ(base_inuse, inuse);
	EXPECT_EQ(base_slab, slab);
	/* Nothing but TIME-WAIT entries left (none for mytcp by now). */
	EXPECT_EQ(sk_count(variant->states, TCP_TIME_WAIT),
		  sk_count(variant->states, -1));
	if (variant->tw_timeout) {
		while (sk_count(variant->states, -1) && now_ms() < end)
			sleep_ms(50);
		EXPECT_EQ(0, sk_count(variant->states, -1));
	}
}

TEST_HARNESS_MAIN
