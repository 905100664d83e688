// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: RFC 6528 ISN composition, M = clock_ns / 4000.
 */
#include "unit.h"
#include "core/isn.h"

TEST(isn_zero)
{
	EXPECT_EQ(mytcp_isn_compose(0, 0), 0);
	EXPECT_EQ(mytcp_isn_compose(0x12345678, 0), 0x12345678);
}

TEST(isn_tick_is_4_microseconds)
{
	EXPECT_EQ(MYTCP_ISN_TICK_NS, 4000);
	EXPECT_EQ(mytcp_isn_compose(100, 3999), 100);
	EXPECT_EQ(mytcp_isn_compose(100, 4000), 101);
	EXPECT_EQ(mytcp_isn_compose(100, 7999), 101);
	EXPECT_EQ(mytcp_isn_compose(100, 8000), 102);
}

TEST(isn_one_second_is_250000_ticks)
{
	EXPECT_EQ(mytcp_isn_compose(0, 1000000000ull), 250000);
	EXPECT_EQ(mytcp_isn_compose(7, 4000000000ull), 1000007);
}

TEST(isn_sum_wraps_mod_2_32)
{
	EXPECT_EQ(mytcp_isn_compose(0xffffffffu, 4000), 0);
	EXPECT_EQ(mytcp_isn_compose(0xfffffff0u, 20 * 4000), 4);
}

TEST(isn_clock_period_4_77_hours)
{
	/* 2^32 ticks of 4 us later, M is back where it was */
	u64 period_ns = (1ull << 32) * 4000;

	EXPECT_EQ(mytcp_isn_compose(0xabcdef01u, period_ns), 0xabcdef01u);
	EXPECT_EQ(mytcp_isn_compose(5, period_ns + 4000), 6);
}

TEST(isn_huge_clock)
{
	/* (2^64 - 1) / 4000 = 0x10624dd2f1a9fb: low 32 bits 0xd2f1a9fb */
	EXPECT_EQ(mytcp_isn_compose(0, ~0ull), 0xd2f1a9fbu);
	EXPECT_EQ(mytcp_isn_compose(5, ~0ull), 0xd2f1aa00u);
}

TEST(isn_different_hash_different_isn)
{
	u64 t = 123456789012345ull;

	EXPECT_NE(mytcp_isn_compose(1, t), mytcp_isn_compose(2, t));
	EXPECT_EQ(mytcp_isn_compose(2, t) - mytcp_isn_compose(1, t), 1);
}
