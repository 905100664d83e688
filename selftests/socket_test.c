// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp socket basics, run with the module loaded: socket creation and
 * its identity, the in-use count of /proc/net/protocols, poll on a fresh
 * socket, IP-level options, the
 * per-namespace net.mytcp.enabled switch and its range check, and the
 * receive handler's validation counters.
 */
#include <netinet/ip.h>

#include "kselftest_harness.h"
#include "mytcp_helpers.h"

static int mytcp_socket(void)
{
	return socket(AF_INET, SOCK_STREAM, IPPROTO_MYTCP);
}

/* One counter of /proc/net/mytcp_snmp by name, or -1. */
static long snmp_counter(const char *counter)
{
	char names[2048], values[2048];
	char *np, *vp, *n, *v;
	FILE *f = fopen("/proc/net/mytcp_snmp", "r");
	long found = -1;

	if (!f)
		return -1;
	if (fgets(names, sizeof(names), f) && fgets(values, sizeof(values), f)) {
		n = strtok_r(names, "\n ", &np);
		v = strtok_r(values, "\n ", &vp);
		while (n && v) {
			if (!strcmp(n, counter))
				found = strtol(v, NULL, 10);
			n = strtok_r(NULL, "\n ", &np);
			v = strtok_r(NULL, "\n ", &vp);
		}
	}
	fclose(f);
	return found;
}

static int read_int_file(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

TEST(identity)
{
	int fd = mytcp_socket(), v;
	socklen_t len = sizeof(v);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len));
	EXPECT_EQ(SOCK_STREAM, v);
	len = sizeof(v);
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len));
	EXPECT_EQ(IPPROTO_MYTCP, v);
	len = sizeof(v);
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len));
	EXPECT_EQ(AF_INET, v);
	close(fd);
}

TEST(inuse_count)
{
	int fds[16], i;
	long base = proto_inuse("MYTCP");

	ASSERT_LE(0, base);
	for (i = 0; i < 16; i++) {
		fds[i] = mytcp_socket();
		ASSERT_LE(0, fds[i]);
	}
	EXPECT_EQ(base + 16, proto_inuse("MYTCP"));
	for (i = 0; i < 8; i++)
		close(fds[i]);
	EXPECT_EQ(base + 8, proto_inuse("MYTCP"));
	for (; i < 16; i++)
		close(fds[i]);
	EXPECT_EQ(base, proto_inuse("MYTCP"));
}

/* A fresh Linux TCP socket polls as writable and hung up; so does mytcp. */
TEST(poll_fresh_socket)
{
	struct pollfd pfd = { .events = POLLIN | POLLOUT | POLLRDHUP };

	pfd.fd = mytcp_socket();
	ASSERT_LE(0, pfd.fd);
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLOUT | POLLHUP, pfd.revents);
	close(pfd.fd);
}

TEST(ip_options)
{
	int fd = mytcp_socket(), v = 0x20, got = 0;
	socklen_t len = sizeof(got);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setsockopt(fd, IPPROTO_IP, IP_TOS, &v, sizeof(v)));
	ASSERT_EQ(0, getsockopt(fd, IPPROTO_IP, IP_TOS, &got, &len));
	EXPECT_EQ(0x20, got);
	v = 17;
	ASSERT_EQ(0, setsockopt(fd, IPPROTO_IP, IP_TTL, &v, sizeof(v)));
	len = sizeof(got);
	ASSERT_EQ(0, getsockopt(fd, IPPROTO_IP, IP_TTL, &got, &len));
	EXPECT_EQ(17, got);
	/* No mytcp-level option exists yet. */
	EXPECT_EQ(-1, setsockopt(fd, SOL_MYTCP, 1, &v, sizeof(v)));
	EXPECT_EQ(ENOPROTOOPT, errno);
	close(fd);
}

#define ENABLED_PATH "/proc/sys/net/mytcp/enabled"

/*
 * net.mytcp.enabled is per namespace: 0 in a child namespace refuses
 * sockets there only. Out-of-range writes fail with EINVAL and change
 * nothing.
 */
TEST(enabled_sysctl)
{
	int status, fd;
	pid_t pid;

	ASSERT_EQ(1, read_int_file(ENABLED_PATH));
	EXPECT_EQ(-EINVAL, write_file(ENABLED_PATH, "2"));
	EXPECT_EQ(-EINVAL, write_file(ENABLED_PATH, "-1"));
	EXPECT_EQ(1, read_int_file(ENABLED_PATH));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (unshare(CLONE_NEWNET))
			_exit(10);
		if (read_int_file(ENABLED_PATH) != 1)
			_exit(11);
		if (write_file(ENABLED_PATH, "0"))
			_exit(12);
		fd = mytcp_socket();
		if (fd >= 0 || errno != ENOPROTOOPT)
			_exit(13);
		if (write_file(ENABLED_PATH, "1"))
			_exit(14);
		fd = mytcp_socket();
		if (fd < 0)
			_exit(15);
		close(fd);
		if (write_file(ENABLED_PATH, "0"))
			_exit(16);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* The child's namespace is gone; this one was never disabled. */
	EXPECT_EQ(1, read_int_file(ENABLED_PATH));
	fd = mytcp_socket();
	ASSERT_LE(0, fd);
	close(fd);
}

/* Internet checksum over the TCP pseudo-header (protocol 6) and segment. */
static __u16 tcp_checksum(struct in_addr src, struct in_addr dst,
			  const __u8 *seg, size_t len)
{
	__u32 sum = 0;
	size_t i;

	sum += ntohs(src.s_addr >> 16) + ntohs(src.s_addr & 0xffff);
	sum += ntohs(dst.s_addr >> 16) + ntohs(dst.s_addr & 0xffff);
	sum += IPPROTO_TCP + len;
	for (i = 0; i + 1 < len; i += 2)
		sum += (seg[i] << 8) | seg[i + 1];
	if (len & 1)
		sum += seg[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

enum segment_kind { SEG_GOOD, SEG_BAD_CSUM, SEG_SHORT_DOFF, SEG_LONG_DOFF };

/* Send one 20-byte TCP header as IP protocol 253 to 127.0.0.1. */
static int send_segment(enum segment_kind kind)
{
	struct sockaddr_in dst = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	__u8 seg[20] = {
		0x30, 0x39, 0x13, 0x88,		/* ports 12345 -> 5000 */
		0, 0, 0, 1, 0, 0, 0, 0,		/* seq 1, ack 0 */
		5 << 4, 0x02, 0xff, 0xff,	/* doff 5, SYN, window */
		0, 0, 0, 0,			/* checksum, urgent */
	};
	__u16 csum;
	int fd, n;

	if (kind == SEG_SHORT_DOFF)
		seg[12] = 4 << 4;
	if (kind == SEG_LONG_DOFF)
		seg[12] = 6 << 4;
	csum = tcp_checksum(dst.sin_addr, dst.sin_addr, seg, sizeof(seg));
	if (kind == SEG_BAD_CSUM)
		csum ^= 0x0101;
	memcpy(&seg[16], &csum, 2);

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_MYTCP);
	if (fd < 0)
		return -errno;
	n = sendto(fd, seg, sizeof(seg), 0, (struct sockaddr *)&dst, sizeof(dst));
	close(fd);
	return n == sizeof(seg) ? 0 : -errno;
}

/* Wait briefly for the softirq to count a looped-back segment. */
static long wait_counter(const char *name, long want)
{
	long v = -1;
	int i;

	for (i = 0; i < 100; i++) {
		v = snmp_counter(name);
		if (v >= want)
			break;
		usleep(10000);
	}
	return v;
}

/*
 * A valid SYN to a port nobody listens on is answered with an RST
 * (RFC 9293 3.10.7.1); that RST loops back and reaches no socket either,
 * but gets no answer. Malformed segments are dropped and counted, never
 * answered.
 */
TEST(receive_validation)
{
	long insegs = snmp_counter("InSegs");
	long csum = snmp_counter("InCsumErrors");
	long hdr = snmp_counter("InHdrErrors");
	long inerrs = snmp_counter("InErrs");
	long nosock = snmp_counter("NoSocketDrops");
	long rsts = snmp_counter("OutRsts");

	ASSERT_LE(0, insegs);
	ASSERT_LE(0, csum);
	ASSERT_LE(0, rsts);

	ASSERT_EQ(0, send_segment(SEG_GOOD));
	EXPECT_EQ(nosock + 2, wait_counter("NoSocketDrops", nosock + 2));
	EXPECT_EQ(rsts + 1, snmp_counter("OutRsts"));
	ASSERT_EQ(0, send_segment(SEG_BAD_CSUM));
	EXPECT_EQ(csum + 1, wait_counter("InCsumErrors", csum + 1));
	ASSERT_EQ(0, send_segment(SEG_SHORT_DOFF));
	ASSERT_EQ(0, send_segment(SEG_LONG_DOFF));
	EXPECT_EQ(hdr + 2, wait_counter("InHdrErrors", hdr + 2));
	EXPECT_EQ(inerrs + 3, snmp_counter("InErrs"));
	/* Four sent, plus the RST that answered the good one. */
	EXPECT_EQ(insegs + 5, snmp_counter("InSegs"));
	/* A bad segment never reaches the lookup, nor gets an RST. */
	EXPECT_EQ(nosock + 2, snmp_counter("NoSocketDrops"));
	EXPECT_EQ(rsts + 1, snmp_counter("OutRsts"));
}

TEST_HARNESS_MAIN
