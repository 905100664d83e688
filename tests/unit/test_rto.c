// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: RFC 6298 retransmission timer estimator.
 */
#include "unit.h"
#include "core/rto.h"

#define MS	1000U
#define SEC	1000000U

TEST(rto_init)
{
	struct mytcp_rto e;

	mytcp_rto_init(&e, MYTCP_RTO_INITIAL_US);
	EXPECT_EQ(mytcp_rto_current(&e), 1 * SEC);	/* RFC 6298 2.1 */
	EXPECT_FALSE(e.has_sample);
	EXPECT_EQ(e.backoff, 0);
	EXPECT_EQ(e.srtt_us, 0);
	EXPECT_EQ(e.rttvar_us, 0);
}

TEST(rto_first_sample)
{
	struct mytcp_rto e;

	/* RFC 6298 2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, 4V) */
	mytcp_rto_init(&e, SEC);
	mytcp_rto_sample(&e, 100 * MS, 1 * MS, 200 * MS, 120 * SEC);
	EXPECT_TRUE(e.has_sample);
	EXPECT_EQ(e.srtt_us, 100 * MS);
	EXPECT_EQ(e.rttvar_us, 50 * MS);
	EXPECT_EQ(mytcp_rto_current(&e), 300 * MS);
}

TEST(rto_first_sample_odd_halves_down)
{
	struct mytcp_rto e;

	mytcp_rto_init(&e, SEC);
	mytcp_rto_sample(&e, 333, 1, 0, 120 * SEC);
	EXPECT_EQ(e.rttvar_us, 166);
	EXPECT_EQ(mytcp_rto_current(&e), 333 + 4 * 166);
}

TEST(rto_second_sample_uses_old_srtt)
{
	struct mytcp_rto e;

	mytcp_rto_init(&e, SEC);
	mytcp_rto_sample(&e, 100 * MS, 1 * MS, 0, 120 * SEC);
	mytcp_rto_sample(&e, 120 * MS, 1 * MS, 0, 120 * SEC);
	/* RTTVAR = 3/4 * 50000 + 1/4 * |100000 - 120000| = 42500 */
	EXPECT_EQ(e.rttvar_us, 42500);
	/* SRTT = 7/8 * 100000 + 1/8 * 120000 = 102500 */
	EXPECT_EQ(e.srtt_us, 102500);
	EXPECT_EQ(mytcp_rto_current(&e), 102500 + 4 * 42500);
}

TEST(rto_sample_below_srtt)
{
	struct mytcp_rto e;

	mytcp_rto_init(&e, SEC);
	mytcp_rto_sample(&e, 80 * MS, 0, 0, 120 * SEC);
	mytcp_rto_sample(&e, 40 * MS, 0, 0, 120 * SEC);
	/* V = (3 * 40000 + 40000) / 4 = 40000, S = (7 * 80000 + 40000) / 8 */
	EXPECT_EQ(e.rttvar_us, 40000);
	EXPECT_EQ(e.srtt_us, 75000);
	EXPECT_EQ(mytcp_rto_current(&e), 75000 + 160000);
}

TEST(rto_granularity_dominates)
{
	struct mytcp_rto e;

	/* R = 0: SRTT = RTTVAR = 0, RTO = G */
	mytcp_rto_init(&e, SEC);
	mytcp_rto_sample(&e, 0, 4 * MS, 0, 120 * SEC);
	EXPECT_EQ(mytcp_rto_current(&e), 4 * MS);
	/* tiny RTT: 4 * RTTVAR = 400 < G = 10 ms */
	mytcp_rto_init(&e, SEC);
	mytcp_rto_sample(&e, 200, 10 * MS, 0, 120 * SEC);
	EXPECT_EQ(mytcp_rto_current(&e), 200 + 10 * MS);
}

TEST(rto_clamped_to_min)
{
	struct mytcp_rto e;

	/* RFC 6298 2.4 (Linux-like 200 ms floor here) */
	mytcp_rto_init(&e, SEC);
	mytcp_rto_sample(&e, 1 * MS, 1 * MS, 200 * MS, 120 * SEC);
	EXPECT_EQ(mytcp_rto_current(&e), 200 * MS);
	/* and the RFC's 1 s floor */
	mytcp_rto_sample(&e, 1 * MS, 1 * MS, 1 * SEC, 120 * SEC);
	EXPECT_EQ(mytcp_rto_current(&e), 1 * SEC);
}

TEST(rto_clamped_to_max)
{
	struct mytcp_rto e;

	mytcp_rto_init(&e, SEC);
	mytcp_rto_sample(&e, 100 * SEC, 1 * MS, 200 * MS, 60 * SEC);
	EXPECT_EQ(mytcp_rto_current(&e), 60 * SEC);
	EXPECT_EQ(e.srtt_us, 100 * SEC);
}

TEST(rto_min_above_max_max_wins)
{
	struct mytcp_rto e;

	mytcp_rto_init(&e, SEC);
	mytcp_rto_sample(&e, 10 * MS, 1 * MS, 5 * SEC, 2 * SEC);
	EXPECT_EQ(mytcp_rto_current(&e), 2 * SEC);
}

TEST(rto_no_overflow_on_huge_values)
{
	struct mytcp_rto e;

	mytcp_rto_init(&e, SEC);
	mytcp_rto_sample(&e, 0xffffffffu, 0xffffffffu, 0, 0xffffffffu);
	EXPECT_EQ(e.srtt_us, 0xffffffffu);
	EXPECT_EQ(e.rttvar_us, 0x7fffffffu);
	EXPECT_EQ(mytcp_rto_current(&e), 0xffffffffu);
	mytcp_rto_sample(&e, 0, 0, 0, 0xffffffffu);
	EXPECT_EQ(e.srtt_us, 0xffffffffu - 0xffffffffu / 8 - 1);
	EXPECT_EQ(mytcp_rto_current(&e), 0xffffffffu);
	EXPECT_EQ(mytcp_rto_backoff(&e, 0xffffffffu), 0xffffffffu);
}

TEST(rto_converges_on_constant_rtt)
{
	struct mytcp_rto e;
	int i;

	mytcp_rto_init(&e, SEC);
	for (i = 0; i < 200; i++)
		mytcp_rto_sample(&e, 50 * MS, 1 * MS, 0, 120 * SEC);
	EXPECT_EQ(e.srtt_us, 50 * MS);
	EXPECT_EQ(e.rttvar_us, 0);
	EXPECT_EQ(mytcp_rto_current(&e), 50 * MS + 1 * MS);
}

TEST(rto_backoff_doubles_up_to_max)
{
	struct mytcp_rto e;

	/* RFC 6298 5.5 */
	mytcp_rto_init(&e, SEC);
	EXPECT_EQ(mytcp_rto_backoff(&e, 60 * SEC), 2 * SEC);
	EXPECT_EQ(mytcp_rto_backoff(&e, 60 * SEC), 4 * SEC);
	EXPECT_EQ(mytcp_rto_backoff(&e, 60 * SEC), 8 * SEC);
	EXPECT_EQ(mytcp_rto_backoff(&e, 60 * SEC), 16 * SEC);
	EXPECT_EQ(mytcp_rto_backoff(&e, 60 * SEC), 32 * SEC);
	EXPECT_EQ(mytcp_rto_backoff(&e, 60 * SEC), 60 * SEC);
	EXPECT_EQ(mytcp_rto_backoff(&e, 60 * SEC), 60 * SEC);
	EXPECT_EQ(e.backoff, 7);
	EXPECT_EQ(mytcp_rto_current(&e), 60 * SEC);
}

TEST(rto_sample_clears_backoff)
{
	struct mytcp_rto e;

	mytcp_rto_init(&e, SEC);
	mytcp_rto_sample(&e, 100 * MS, 1 * MS, 200 * MS, 60 * SEC);
	mytcp_rto_backoff(&e, 60 * SEC);
	mytcp_rto_backoff(&e, 60 * SEC);
	EXPECT_EQ(mytcp_rto_current(&e), 1200 * MS);
	EXPECT_EQ(e.backoff, 2);
	/* Karn: only a sample from a non-retransmitted segment gets here */
	mytcp_rto_sample(&e, 100 * MS, 1 * MS, 200 * MS, 60 * SEC);
	EXPECT_EQ(e.backoff, 0);
	EXPECT_EQ(mytcp_rto_current(&e), 100 * MS + 4 * 37500);
}

TEST(rto_syn_loss_reinit)
{
	struct mytcp_rto e;

	/* RFC 6298 5.7: SYN lost, no sample: 3 s when data starts */
	mytcp_rto_init(&e, MYTCP_RTO_INITIAL_US);
	mytcp_rto_backoff(&e, 60 * SEC);
	mytcp_rto_init(&e, MYTCP_RTO_SYN_LOSS_US);
	EXPECT_EQ(mytcp_rto_current(&e), 3 * SEC);
	EXPECT_EQ(e.backoff, 0);
}

TEST(rto_unbackoff_recomputes_from_srtt)
{
	struct mytcp_rto e;

	mytcp_rto_init(&e, SEC);
	mytcp_rto_unbackoff(&e, 200 * MS, 120 * SEC);	/* no sample: no-op */
	EXPECT_EQ(mytcp_rto_current(&e), SEC);
	mytcp_rto_sample(&e, 100 * MS, 1, 200 * MS, 120 * SEC);
	mytcp_rto_backoff(&e, 120 * SEC);
	mytcp_rto_backoff(&e, 120 * SEC);
	EXPECT_EQ(mytcp_rto_current(&e), 1200 * MS);
	mytcp_rto_unbackoff(&e, 200 * MS, 120 * SEC);
	EXPECT_EQ(mytcp_rto_current(&e), 300 * MS);
	EXPECT_EQ(e.backoff, 0);
}

TEST(rto_sub_millisecond_floor)
{
	struct mytcp_rto e;

	/* A 1 us clock and a 50 us floor: RTOs far below a jiffy work. */
	mytcp_rto_init(&e, SEC);
	mytcp_rto_sample(&e, 20, 1, 50, 120 * SEC);
	EXPECT_EQ(mytcp_rto_current(&e), 60);	/* 20 + 4 * 10 */
	mytcp_rto_sample(&e, 20, 1, 50, 120 * SEC);
	EXPECT_EQ(mytcp_rto_current(&e), 50);	/* floored */
}
