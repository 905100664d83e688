// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: sequence number arithmetic (RFC 9293 3.4).
 */
#include "unit.h"
#include "core/seq.h"
#include "core/types.h"

TEST(seq_before_after_simple)
{
	EXPECT_TRUE(mytcp_seq_before(1, 2));
	EXPECT_FALSE(mytcp_seq_before(2, 1));
	EXPECT_FALSE(mytcp_seq_before(5, 5));
	EXPECT_TRUE(mytcp_seq_after(2, 1));
	EXPECT_FALSE(mytcp_seq_after(1, 2));
	EXPECT_FALSE(mytcp_seq_after(5, 5));
}

TEST(seq_eq_variants)
{
	EXPECT_TRUE(mytcp_seq_before_eq(5, 5));
	EXPECT_TRUE(mytcp_seq_before_eq(4, 5));
	EXPECT_FALSE(mytcp_seq_before_eq(6, 5));
	EXPECT_TRUE(mytcp_seq_after_eq(5, 5));
	EXPECT_TRUE(mytcp_seq_after_eq(6, 5));
	EXPECT_FALSE(mytcp_seq_after_eq(4, 5));
}

TEST(seq_wraparound)
{
	/* 2^32 - 1 is just before 0 (RFC 9293 3.4: arithmetic mod 2^32) */
	EXPECT_TRUE(mytcp_seq_before(0xffffffffu, 0));
	EXPECT_TRUE(mytcp_seq_after(0, 0xffffffffu));
	EXPECT_TRUE(mytcp_seq_before(0xfffffff0u, 0x10));
	EXPECT_TRUE(mytcp_seq_after(0x10, 0xfffffff0u));
	EXPECT_TRUE(mytcp_seq_before_eq(0xffffffffu, 0));
	EXPECT_TRUE(mytcp_seq_after_eq(0, 0xffffffffu));
}

TEST(seq_half_space_boundary)
{
	/* Just under 2^31 apart: ordered as expected. */
	EXPECT_TRUE(mytcp_seq_before(0, 0x7fffffffu));
	EXPECT_TRUE(mytcp_seq_after(0x7fffffffu, 0));
	/* Just over 2^31 apart: the order flips (the "shorter" way). */
	EXPECT_TRUE(mytcp_seq_after(0, 0x80000001u));
	EXPECT_TRUE(mytcp_seq_before(0x80000001u, 0));
	/* Exactly 2^31 apart: ambiguous, both say "before" (documented). */
	EXPECT_TRUE(mytcp_seq_before(0, 0x80000000u));
	EXPECT_TRUE(mytcp_seq_before(0x80000000u, 0));
}

TEST(seq_between_inclusive)
{
	EXPECT_TRUE(mytcp_seq_between(10, 10, 20));
	EXPECT_TRUE(mytcp_seq_between(20, 10, 20));
	EXPECT_TRUE(mytcp_seq_between(15, 10, 20));
	EXPECT_FALSE(mytcp_seq_between(9, 10, 20));
	EXPECT_FALSE(mytcp_seq_between(21, 10, 20));
}

TEST(seq_between_single_point)
{
	EXPECT_TRUE(mytcp_seq_between(7, 7, 7));
	EXPECT_FALSE(mytcp_seq_between(6, 7, 7));
	EXPECT_FALSE(mytcp_seq_between(8, 7, 7));
}

TEST(seq_between_wraps)
{
	u32 lo = 0xfffffff0u, hi = 0x10;

	EXPECT_TRUE(mytcp_seq_between(0xfffffff0u, lo, hi));
	EXPECT_TRUE(mytcp_seq_between(0xffffffffu, lo, hi));
	EXPECT_TRUE(mytcp_seq_between(0, lo, hi));
	EXPECT_TRUE(mytcp_seq_between(0x10, lo, hi));
	EXPECT_FALSE(mytcp_seq_between(0x11, lo, hi));
	EXPECT_FALSE(mytcp_seq_between(0xffffffefu, lo, hi));
}

TEST(seq_between_empty_when_hi_before_lo)
{
	EXPECT_FALSE(mytcp_seq_between(15, 20, 10));
	EXPECT_FALSE(mytcp_seq_between(20, 20, 10));
	EXPECT_FALSE(mytcp_seq_between(10, 20, 10));
}

TEST(seq_ack_acceptability_mapping)
{
	/* SND.UNA < SEG.ACK =< SND.NXT with una = 100, nxt = 200 */
	u32 una = 100, nxt = 200;

	EXPECT_FALSE(mytcp_seq_between(100, una + 1, nxt));
	EXPECT_TRUE(mytcp_seq_between(101, una + 1, nxt));
	EXPECT_TRUE(mytcp_seq_between(200, una + 1, nxt));
	EXPECT_FALSE(mytcp_seq_between(201, una + 1, nxt));
}

TEST(seq_min_max)
{
	EXPECT_EQ(mytcp_seq_max(1, 2), 2);
	EXPECT_EQ(mytcp_seq_max(0xffffffffu, 1), 1);
	EXPECT_EQ(mytcp_seq_min(0xffffffffu, 1), 0xffffffffu);
	EXPECT_EQ(mytcp_seq_min(3, 3), 3);
}

TEST(seq_be_helpers)
{
	u8 buf[4];

	mytcp_put_be16(buf, 0x1234);
	EXPECT_EQ(buf[0], 0x12);
	EXPECT_EQ(buf[1], 0x34);
	EXPECT_EQ(mytcp_get_be16(buf), 0x1234);
	mytcp_put_be32(buf, 0xdeadbeefu);
	EXPECT_EQ(buf[0], 0xde);
	EXPECT_EQ(buf[3], 0xef);
	EXPECT_EQ(mytcp_get_be32(buf), 0xdeadbeefu);
	EXPECT_EQ(mytcp_div_u64(8000000000ull, 4000), 2000000);
}

TEST(seq_acceptable_zero_len_zero_window)
{
	/* RFC 9293 3.10.7.4 first check, row 1 */
	EXPECT_TRUE(mytcp_seq_acceptable(100, 0, 100, 0));
	EXPECT_FALSE(mytcp_seq_acceptable(101, 0, 100, 0));
	EXPECT_FALSE(mytcp_seq_acceptable(99, 0, 100, 0));
}

TEST(seq_acceptable_zero_len_open_window)
{
	/* row 2: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND */
	EXPECT_TRUE(mytcp_seq_acceptable(100, 0, 100, 10));
	EXPECT_TRUE(mytcp_seq_acceptable(109, 0, 100, 10));
	EXPECT_FALSE(mytcp_seq_acceptable(110, 0, 100, 10));
	EXPECT_FALSE(mytcp_seq_acceptable(99, 0, 100, 10));
}

TEST(seq_acceptable_data_zero_window)
{
	/* row 3: never acceptable */
	EXPECT_FALSE(mytcp_seq_acceptable(100, 1, 100, 0));
	EXPECT_FALSE(mytcp_seq_acceptable(100, 1000, 100, 0));
}

TEST(seq_acceptable_data_open_window)
{
	/* row 4: first or last byte inside the window */
	EXPECT_TRUE(mytcp_seq_acceptable(100, 5, 100, 10));
	EXPECT_TRUE(mytcp_seq_acceptable(109, 50, 100, 10));
	EXPECT_FALSE(mytcp_seq_acceptable(110, 5, 100, 10));
	/* starts before, ends inside: partly new data */
	EXPECT_TRUE(mytcp_seq_acceptable(90, 11, 100, 10));
	/* entirely old duplicate */
	EXPECT_FALSE(mytcp_seq_acceptable(90, 10, 100, 10));
	/* across the wrap */
	EXPECT_TRUE(mytcp_seq_acceptable(0xfffffffau, 10, 0, 100));
	EXPECT_FALSE(mytcp_seq_acceptable(0xfffffff0u, 10, 0, 100));
}
