// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: window advertisement (RFC 9293 3.8.6, RFC 7323 2.3) and the
 * sender-side usable window / SWS avoidance.
 */
#include "unit.h"
#include "core/window.h"
#include "core/seq.h"

static u32 rwnd(u32 free_space, u32 rcv_buf, u32 mss, u8 wscale,
		u32 rcv_nxt, u32 right_edge, u16 *field)
{
	struct mytcp_rwnd_in in = {
		.free_space = free_space,
		.rcv_buf = rcv_buf,
		.mss = mss,
		.wscale = wscale,
		.rcv_nxt = rcv_nxt,
		.right_edge = right_edge,
	};

	return mytcp_rwnd_select(&in, field);
}

TEST(window_initial_unscaled)
{
	u16 f;

	EXPECT_EQ(rwnd(65535, 65535, 1460, 0, 1000, 1000, &f), 65535);
	EXPECT_EQ(f, 65535);
	/* more buffer than the field can say: 65535 */
	EXPECT_EQ(rwnd(100000, 100000, 1460, 0, 1000, 1000, &f), 65535);
	EXPECT_EQ(f, 65535);
}

TEST(window_initial_scaled_rounds_down)
{
	u16 f;

	/* ws 7: 1000000 -> 7812 * 128 = 999936 */
	EXPECT_EQ(rwnd(1000000, 1000000, 1460, 7, 5, 5, &f), 999936);
	EXPECT_EQ(f, 7812);
	/* capped at 65535 << 7 */
	EXPECT_EQ(rwnd(0xffffffffu, 0xffffffffu, 1460, 7, 5, 5, &f),
		  65535u << 7);
	EXPECT_EQ(f, 65535);
}

TEST(window_wscale_above_14_treated_as_14)
{
	u16 f;

	EXPECT_EQ(rwnd(0xffffffffu, 0xffffffffu, 1460, 20, 0, 0, &f),
		  65535u << 14);
	EXPECT_EQ(f, 65535);
}

TEST(window_receiver_sws_holds_small_openings)
{
	u16 f;

	/*
	 * Offered 10000 at rcv_nxt 1000 (edge 11000).  5000 bytes arrived
	 * and were not read (rcv_nxt 6000, 5000 left); the user then read
	 * 100 bytes: free 5100.  Opening by 100 < min(10000/2, 1460):
	 * keep the edge (RFC 9293 3.8.6.2.2).
	 */
	EXPECT_EQ(rwnd(5100, 10000, 1460, 0, 6000, 11000, &f), 5000);
	EXPECT_EQ(f, 5000);
	/* 1459 more is still too small */
	EXPECT_EQ(rwnd(6459, 10000, 1460, 0, 6000, 11000, &f), 5000);
	/* a full MSS: open up */
	EXPECT_EQ(rwnd(6460, 10000, 1460, 0, 6000, 11000, &f), 6460);
	EXPECT_EQ(f, 6460);
}

TEST(window_sws_threshold_half_buffer)
{
	u16 f;

	/* small buffer: threshold is rcv_buf / 2 = 500, not the MSS */
	EXPECT_EQ(rwnd(499, 1000, 1460, 0, 50, 50, &f), 0);
	EXPECT_EQ(rwnd(500, 1000, 1460, 0, 50, 50, &f), 500);
}

TEST(window_zero_window_stays_closed_until_mss)
{
	u16 f;

	EXPECT_EQ(rwnd(0, 65536, 1460, 0, 7, 7, &f), 0);
	EXPECT_EQ(f, 0);
	EXPECT_EQ(rwnd(100, 65536, 1460, 0, 7, 7, &f), 0);
	EXPECT_EQ(rwnd(1460, 65536, 1460, 0, 7, 7, &f), 1460);
}

TEST(window_never_shrinks)
{
	u16 f;

	/* 5000 still offered, but free space fell to 1000: keep 5000 */
	EXPECT_EQ(rwnd(1000, 10000, 1460, 0, 6000, 11000, &f), 5000);
	EXPECT_EQ(f, 5000);
	/* free space 0: keep it too */
	EXPECT_EQ(rwnd(0, 10000, 1460, 0, 6000, 11000, &f), 5000);
}

TEST(window_scaling_rounds_kept_edge_up)
{
	u16 f;

	/* 1000 left, ws 7: 1000 >> 7 = 7 would pull the edge left by 104 */
	EXPECT_EQ(rwnd(1000, 1 << 20, 1460, 7, 0, 1000, &f), 1024);
	EXPECT_EQ(f, 8);
	/* exact multiple stays */
	EXPECT_EQ(rwnd(0, 1 << 20, 1460, 7, 0, 1024, &f), 1024);
	EXPECT_EQ(f, 8);
}

TEST(window_edge_across_wrap)
{
	u16 f;

	/* rcv_nxt 0xfffffff0, edge 0x10: 32 bytes still offered */
	EXPECT_EQ(rwnd(40, 65535, 1460, 0, 0xfffffff0u, 0x10, &f), 32);
	EXPECT_EQ(rwnd(40 + 1460, 65535, 1460, 0, 0xfffffff0u, 0x10, &f),
		  1500);
}

TEST(window_rcv_nxt_past_edge)
{
	u16 f;

	/* peer overran the window: nothing left, treat as 0 */
	EXPECT_EQ(rwnd(100, 65535, 1460, 0, 2000, 1000, &f), 0);
	EXPECT_EQ(rwnd(2000, 65535, 1460, 0, 2000, 1000, &f), 2000);
}

static u32 lcg(u32 *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 1;
}

TEST(window_property_edge_never_moves_left)
{
	u32 rnd = 42;
	int i;

	for (i = 0; i < 20000; i++) {
		u8 ws = (u8)(lcg(&rnd) % 15);
		u32 max_wnd = 65535u << ws;
		u32 rcv_nxt = lcg(&rnd) ^ (lcg(&rnd) << 16);
		u32 cur = lcg(&rnd) % (max_wnd + 1);
		u32 free_space = lcg(&rnd) % (2 * max_wnd + 1);
		u32 rcv_buf = free_space + lcg(&rnd) % 100000;
		u32 mss = 1 + lcg(&rnd) % 9000;
		u16 f;
		u32 w = rwnd(free_space, rcv_buf, mss, ws, rcv_nxt,
			     rcv_nxt + cur, &f);

		if (!EXPECT_TRUE(mytcp_seq_after_eq(rcv_nxt + w,
						    rcv_nxt + cur)) ||
		    !EXPECT_EQ((u32)f << ws, w) ||
		    !EXPECT_TRUE(w <= max_wnd))
			break;
		/* grows only by at least the SWS threshold, or to cur_up */
		if (w > cur + (1u << ws))
			EXPECT_TRUE(w - cur >= (rcv_buf / 2 < mss ?
						rcv_buf / 2 : mss));
	}
}

TEST(window_usable_basic)
{
	/* min(10000, 5000) - (1100 - 100) = 4000 */
	EXPECT_EQ(mytcp_usable_window(10000, 5000, 100, 1100), 4000);
	EXPECT_EQ(mytcp_usable_window(3000, 5000, 100, 1100), 2000);
}

TEST(window_usable_clamped_at_zero)
{
	EXPECT_EQ(mytcp_usable_window(10000, 5000, 100, 5100), 0);
	EXPECT_EQ(mytcp_usable_window(10000, 5000, 100, 9100), 0);
	EXPECT_EQ(mytcp_usable_window(10000, 0, 100, 100), 0);
	EXPECT_EQ(mytcp_usable_window(0, 5000, 100, 100), 0);
}

TEST(window_usable_across_wrap)
{
	/* 32 bytes in flight across the wrap */
	EXPECT_EQ(mytcp_usable_window(1000, 1000, 0xfffffff0u, 0x10), 968);
}

static bool sws(u32 usable, u32 queued, u32 mss, u32 max_wnd, bool push,
		bool idle, bool nagle)
{
	struct mytcp_sws_in in = {
		.usable = usable,
		.queued = queued,
		.mss = mss,
		.max_snd_wnd = max_wnd,
		.push = push,
		.idle = idle,
		.nagle = nagle,
	};

	return mytcp_sws_send_ok(&in);
}

TEST(window_sws_full_segment)
{
	/* (1) min(D, U) >= MSS, even with data in flight and Nagle */
	EXPECT_TRUE(sws(5000, 3000, 1460, 65535, false, false, true));
	EXPECT_FALSE(sws(1000, 3000, 1460, 65535, false, false, true));
}

TEST(window_sws_push_and_nagle)
{
	/* (2) pushed, all fits, nothing in flight */
	EXPECT_TRUE(sws(5000, 100, 1460, 65535, true, true, true));
	/* Nagle: small segment waits while data is in flight */
	EXPECT_FALSE(sws(5000, 100, 1460, 65535, true, false, true));
	/* TCP_NODELAY: it goes */
	EXPECT_TRUE(sws(5000, 100, 1460, 65535, true, false, false));
	/* pushed but does not all fit (D > U) */
	EXPECT_FALSE(sws(500, 1000, 1460, 65535, true, true, true));
	/* not pushed: waits */
	EXPECT_FALSE(sws(5000, 100, 1460, 65535, false, true, true));
}

TEST(window_sws_half_max_window)
{
	/* (3) min(D, U) >= Max(SND.WND) / 2 */
	EXPECT_TRUE(sws(600, 600, 1460, 1000, false, true, true));
	EXPECT_FALSE(sws(499, 600, 1460, 1000, false, true, true));
	EXPECT_FALSE(sws(600, 600, 1460, 1000, false, false, true));
	EXPECT_TRUE(sws(600, 600, 1460, 1000, false, false, false));
}

TEST(window_sws_nothing_to_send)
{
	EXPECT_FALSE(sws(5000, 0, 1460, 65535, true, true, false));
	EXPECT_FALSE(sws(0, 5000, 1460, 65535, true, true, false));
	EXPECT_FALSE(sws(0, 0, 0, 0, true, true, false));
}
