// SPDX-License-Identifier: GPL-2.0
/*
 * What a blind attacker can guess: initial sequence numbers (RFC 6528)
 * and ephemeral ports (RFC 6056). Each test runs on "tcp" and "mytcp".
 *
 * The ISNs are read off lo (AF_PACKET): the client's from its SYN, the
 * server's from its SYN-ACK. RFC 6528 3: ISN = M + F(4-tuple, secret),
 * M a 4 us clock. So connections on different 4-tuples must have
 * unrelated ISNs (a counter, or a clock alone, puts consecutive ones
 * close together), and one 4-tuple used twice must see its ISN move
 * forward by about the time between (what TIME-WAIT reuse relies on).
 *
 * Ephemeral ports: mytcp picks each from a random start (RFC 6056 3.3.1
 * Algorithm 1). Linux uses a per-destination sequence (RFC 6056
 * Algorithm 4, perturbed), so its consecutive ports to one server may be
 * close together by design: only mytcp is checked there.
 */
#include "kselftest_harness.h"
#include "mytcp_helpers.h"

#define N_CONN		48
/*
 * Two random 32-bit ISNs are within 2^24 of each other with probability
 * 2^-7; of N_CONN - 1 consecutive pairs more than 8 such pairs happen
 * by chance less than once in 10^7 runs.
 */
#define NEAR_ISN	0x01000000U	/* 2^24 */
#define MAX_NEAR	8

FIXTURE(isn) {
	int lfd, sn;
	struct sockaddr_in srv;
};

FIXTURE_VARIANT(isn) {
	int proto;
};

FIXTURE_VARIANT_ADD(isn, tcp) {
	.proto = IPPROTO_TCP,
};

FIXTURE_VARIANT_ADD(isn, mytcp) {
	.proto = IPPROTO_MYTCP,
};

FIXTURE_SETUP(isn)
{
	int err = test_ns_setup(variant->proto);

	if (err == -EPROTONOSUPPORT)
		SKIP(return, "protocol %d not available", variant->proto);
	ASSERT_OK(err);
	self->lfd = listener_backlog(variant->proto, 0, N_CONN, &self->srv);
	ASSERT_OK(self->lfd);
	self->sn = sniff_open();
	ASSERT_OK(self->sn);
}

FIXTURE_TEARDOWN(isn)
{
	close(self->sn);
	close(self->lfd);
}

/* |a - b| in sequence space (mod 2^32). */
static __u32 seq_dist(__u32 a, __u32 b)
{
	__u32 d = a - b;

	return d < 0x80000000U ? d : -d;
}

static int near_pairs(const __u32 *v, int n, __u32 near)
{
	int i, c = 0;

	for (i = 1; i < n; i++)
		c += seq_dist(v[i], v[i - 1]) < near;
	return c;
}

/*
 * One connection from *cl (port 0: ephemeral) to srv, closed with a RST
 * (no TIME-WAIT: the 4-tuple is free again at once). The ISNs of the
 * SYN and of the SYN-ACK, and the client's address, are returned.
 */
static int isn_probe(int proto, int lfd, int sn, const struct sockaddr_in *srv,
		     struct sockaddr_in *cl, __u32 *c_isn, __u32 *s_isn)
{
	int one = 1, c, s, err;
	struct seg seg;

	sniff_drain(sn);
	c = stream_sock(proto, 0);
	if (c < 0)
		return c;
	if (setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (cl->sin_port && bind(c, (struct sockaddr *)cl, sizeof(*cl)))) {
		err = -errno;
		goto out;
	}
	err = connect_alarm(c, srv);
	if (err)
		goto out;
	err = sock_name(c, cl);
	if (err)
		goto out;
	s = accept_wait(lfd, IO_TIMEOUT_MS);
	if (s < 0) {
		err = s;
		goto out;
	}
	linger_zero(s);
	close(s);
	err = sniff_for(sn, proto, cl, srv, 0xff, F_SYN, &seg, 1000);
	if (err == 1) {
		*c_isn = seg.seq;
		err = sniff_for(sn, proto, srv, cl, 0xff, F_SYN | F_ACK, &seg,
				1000);
		*s_isn = seg.seq;
	}
	err = err == 1 ? 0 : err ? err : -ETIMEDOUT;
out:
	close(c);
	return err;
}

/* Different 4-tuples: unrelated ISNs, on both ends. */
TEST_F(isn, unrelated_across_tuples)
{
	__u32 c_isn[N_CONN], s_isn[N_CONN];
	int i;

	for (i = 0; i < N_CONN; i++) {
		struct sockaddr_in cl = lo_addr(0);

		ASSERT_OK(isn_probe(variant->proto, self->lfd, self->sn,
				    &self->srv, &cl, &c_isn[i], &s_isn[i]));
	}
	EXPECT_GE(MAX_NEAR, near_pairs(c_isn, N_CONN, NEAR_ISN))
		TH_LOG("client ISNs follow each other");
	EXPECT_GE(MAX_NEAR, near_pairs(s_isn, N_CONN, NEAR_ISN))
		TH_LOG("server ISNs follow each other");
}

/*
 * One 4-tuple twice, 100 ms apart: both ends' ISNs move forward, by
 * about the clock (4 us ticks: 25,000; Linux ticks faster, 64 ns), far
 * less than 2^24, never backwards.
 */
TEST_F(isn, same_tuple_follows_the_clock)
{
	struct sockaddr_in cl = lo_addr(0);
	__u32 c1, s1, c2, s2;

	ASSERT_OK(isn_probe(variant->proto, self->lfd, self->sn, &self->srv,
			    &cl, &c1, &s1));
	sleep_ms(100);
	ASSERT_OK(isn_probe(variant->proto, self->lfd, self->sn, &self->srv,
			    &cl, &c2, &s2));
	EXPECT_LT(c2 - c1, NEAR_ISN) TH_LOG("client ISN %u then %u", c1, c2);
	EXPECT_LT(0, (int)(c2 - c1));
	EXPECT_LT(s2 - s1, NEAR_ISN) TH_LOG("server ISN %u then %u", s1, s2);
	EXPECT_LT(0, (int)(s2 - s1));
}

/* mytcp's ephemeral ports to one server: no sequence to follow. */
TEST_F(isn, ephemeral_ports_random)
{
	__u32 port[N_CONN];
	int i, fd[N_CONN];

	if (variant->proto != IPPROTO_MYTCP)
		SKIP(return, "Linux sequences ports per destination (RFC 6056 Algorithm 4)");
	for (i = 0; i < N_CONN; i++) {
		struct sockaddr_in cl;

		fd[i] = stream_sock(variant->proto, 0);
		ASSERT_OK(fd[i]);
		ASSERT_OK(connect_alarm(fd[i], &self->srv));
		ASSERT_OK(sock_name(fd[i], &cl));
		port[i] = ntohs(cl.sin_port);
	}
	for (i = 0; i < N_CONN; i++)
		close(fd[i]);
	/*
	 * Ports spread over the range (28,232 by default): two random ones
	 * are within 64 of each other with probability < 1/200.
	 */
	EXPECT_GE(MAX_NEAR, near_pairs(port, N_CONN, 64))
		TH_LOG("consecutive ephemeral ports are close together");
}

TEST_HARNESS_MAIN
