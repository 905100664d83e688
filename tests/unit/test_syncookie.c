// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: SYN cookie layout, age window, MSS table and the option
 * bits carried in TSval (core/syncookie.c).
 */
#include "unit.h"
#include "core/syncookie.h"

/* A stand-in for the kernel's keyed hash: any mixing will do here. */
static u32 fake_mac(u32 slot, unsigned int idx)
{
	u32 x = slot * 0x9e3779b1u ^ (idx + 1) * 0x85ebca6bu;

	return x ^ x >> 15;
}

TEST(syncookie_layout)
{
	u32 c = mytcp_cookie_encode(0xffffffffu, 6, 2);

	EXPECT_EQ(c >> 30, 2);			/* 6 & 3 */
	EXPECT_EQ((c >> 28) & 3, 2);
	EXPECT_EQ(c & MYTCP_COOKIE_MAC_MASK, 0x0fffffffu);
	EXPECT_EQ(mytcp_cookie_encode(0, 0, 0), 0);
	EXPECT_EQ(mytcp_cookie_encode(0x12345678u, 1, 3), 0x72345678u);
}

TEST(syncookie_roundtrip_each_mss)
{
	unsigned int i, idx;
	u32 slot;

	for (i = 0; i < MYTCP_COOKIE_NR_MSS; i++) {
		u32 c = mytcp_cookie_encode(fake_mac(1000, i), 1000, i);

		EXPECT_TRUE(mytcp_cookie_decode(c, 1000, &slot, &idx));
		EXPECT_EQ(slot, 1000);
		EXPECT_EQ(idx, i);
		EXPECT_EQ(mytcp_cookie_encode(fake_mac(slot, idx), slot, idx),
			  c);
	}
}

TEST(syncookie_age_window)
{
	u32 c = mytcp_cookie_encode(fake_mac(77, 1), 77, 1), slot;
	unsigned int idx;

	/* Same slot and the next: accepted, with the slot it was made in. */
	EXPECT_TRUE(mytcp_cookie_decode(c, 77, &slot, &idx));
	EXPECT_EQ(slot, 77);
	EXPECT_TRUE(mytcp_cookie_decode(c, 78, &slot, &idx));
	EXPECT_EQ(slot, 77);
	EXPECT_EQ(mytcp_cookie_encode(fake_mac(slot, idx), slot, idx), c);
	/* Two and three slots later, and one "ahead": too old. */
	EXPECT_FALSE(mytcp_cookie_decode(c, 79, &slot, &idx));
	EXPECT_FALSE(mytcp_cookie_decode(c, 80, &slot, &idx));
	EXPECT_FALSE(mytcp_cookie_decode(c, 76, &slot, &idx));
	/* Four slots later the bits match again, but the MAC does not. */
	EXPECT_TRUE(mytcp_cookie_decode(c, 81, &slot, &idx));
	EXPECT_EQ(slot, 81);
	EXPECT_NE(mytcp_cookie_encode(fake_mac(slot, idx), slot, idx), c);
}

TEST(syncookie_slot_wraps)
{
	u32 c = mytcp_cookie_encode(5, 0xffffffffu, 0), slot;
	unsigned int idx;

	EXPECT_TRUE(mytcp_cookie_decode(c, 0, &slot, &idx));
	EXPECT_EQ(slot, 0xffffffffu);
}

/* f(in) is want: the slot of a time, the index or MSS of the table. */
struct u64_row {
	unsigned long long in, want;
};

static void check_slot(const struct u64_row *r)
{
	EXPECT_EQ(mytcp_cookie_slot(r->in), r->want);
}

/* Nanoseconds to 64-second slots. */
static const struct u64_row slots[] = {
	{ 0, 0 },
	{ 63999999999ull, 0 },
	{ 64000000000ull, 1 },
	{ 640000000000ull, 10 },
	{ MYTCP_COOKIE_SLOT_NS * 3 + 1, 3 },
};

TABLE_TEST(syncookie_slot_is_64_seconds, slots, check_slot)

static void check_mss_index(const struct u64_row *r)
{
	EXPECT_EQ(mytcp_cookie_mss_index(r->in), r->want);
}

/* The peer's MSS to the index of the largest table entry not above it. */
static const struct u64_row mss_index[] = {
	{ 0, 0 }, { 535, 0 }, { 536, 0 }, { 1299, 0 },
	{ 1300, 1 }, { 1459, 1 },
	{ 1460, 2 }, { 8959, 2 },
	{ 8960, 3 }, { 65495, 3 },
};

TABLE_TEST(syncookie_mss_index, mss_index, check_mss_index)

TEST(syncookie_mss_table)
{
	EXPECT_EQ(mytcp_cookie_mss(0), 536);
	EXPECT_EQ(mytcp_cookie_mss(2), 1460);
	EXPECT_EQ(mytcp_cookie_mss(3), 8960);
	/* Never above what the peer said, except below the smallest. */
	for (u32 m = 536; m <= 65535; m += 7)
		EXPECT_TRUE(mytcp_cookie_mss(mytcp_cookie_mss_index(m)) <= m);
}

TEST(syncookie_ts_bits_roundtrip)
{
	struct mytcp_cookie_opts in, out;
	unsigned int ws, sack;

	for (ws = 0; ws <= 15; ws++) {
		for (sack = 0; sack < 2; sack++) {
			u32 now = 0x12345678u, ts;

			in.wscale_ok = ws < 15;
			in.snd_wscale = ws < 15 ? ws : 0;
			in.sack_ok = sack;
			ts = mytcp_cookie_tsval(now, &in);
			EXPECT_TRUE((s32)(ts - now) <= 0);
			EXPECT_TRUE(now - ts < 2 * (MYTCP_COOKIE_TS_MASK + 1));
			mytcp_cookie_ts_decode(ts, &out);
			EXPECT_EQ(out.wscale_ok, in.wscale_ok);
			EXPECT_EQ(out.snd_wscale, in.snd_wscale);
			EXPECT_EQ(out.sack_ok, in.sack_ok);
		}
	}
}

TEST(syncookie_tsval_never_ahead)
{
	struct mytcp_cookie_opts o = { .wscale_ok = false, .sack_ok = true };

	/* Bits 31 (no wscale | SACK) above the clock's 0: step back 32. */
	EXPECT_EQ(mytcp_cookie_tsval(0x1000, &o), 0x1000 - 32 + 31);
	EXPECT_EQ(mytcp_cookie_tsval(0x101f, &o), 0x101f);
	/* Wraps below zero as a TSval clock does. */
	EXPECT_EQ(mytcp_cookie_tsval(3, &o), 0xffffffffu);
	o.wscale_ok = true;
	o.snd_wscale = 0;
	o.sack_ok = false;
	EXPECT_EQ(mytcp_cookie_tsval(0x1000, &o), 0x1000);
}
