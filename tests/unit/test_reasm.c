// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: reassembly decisions (RFC 9293 3.10.7.4), the SACK blocks a
 * receiver sends (RFC 2018 4) and the sender's check of received blocks.
 */
#include "unit.h"
#include "core/reasm.h"

/* Near the wrap: 0xfffffff0 + 0x20 = 0x10. */
#define W 0xfffffff0u

/* mytcp_reasm_classify(rcv_nxt, seq, end, fin) gives want and fin_next. */
struct classify_row {
	u32 rcv_nxt, seq, end;
	bool fin;
	enum mytcp_reasm_verdict want;
	bool fin_next;
};

static void check_classify(const struct classify_row *r)
{
	bool f = !r->fin_next;	/* must be written on every path */

	EXPECT_EQ(mytcp_reasm_classify(r->rcv_nxt, r->seq, r->end, r->fin, &f),
		  r->want);
	EXPECT_EQ(f, r->fin_next);
}

static const struct classify_row ahead_new_old[] = {
	{ 1000, 1001, 1100, false, MYTCP_REASM_AHEAD, false },
	/* A FIN ahead of RCV.NXT is not in order yet. */
	{ 1000, 1001, 1100, true, MYTCP_REASM_AHEAD, false },
	{ 1000, 1000, 1100, false, MYTCP_REASM_NEW, false },
	{ 1000, 1000, 1100, true, MYTCP_REASM_NEW, true },
	/* Overlapping RCV.NXT: new, untrimmed. */
	{ 1000, 900, 1001, false, MYTCP_REASM_NEW, false },
	{ 1000, 900, 1000, false, MYTCP_REASM_OLD, false },
	{ 1000, 900, 950, false, MYTCP_REASM_OLD, false },
};

TABLE_TEST(reasm_classify_ahead_new_old, ahead_new_old, check_classify)

static const struct classify_row fin_on_duplicate[] = {
	/* Retransmitted data whose FIN we have not seen: the FIN is news. */
	{ 1000, 900, 1000, true, MYTCP_REASM_OLD, true },
	/* A bare FIN at RCV.NXT. */
	{ 1000, 1000, 1000, true, MYTCP_REASM_OLD, true },
	/* A FIN below RCV.NXT is an old one (or a liar): not in order. */
	{ 1000, 900, 999, true, MYTCP_REASM_OLD, false },
	{ 1000, 999, 999, true, MYTCP_REASM_OLD, false },
	/* Zero-length without FIN at RCV.NXT: nothing. */
	{ 1000, 1000, 1000, false, MYTCP_REASM_OLD, false },
};

TABLE_TEST(reasm_classify_fin_on_duplicate, fin_on_duplicate, check_classify)

static const struct classify_row wraparound[] = {
	{ W, 0x5, 0x20, false, MYTCP_REASM_AHEAD, false },
	{ W, W - 4, 0x10, true, MYTCP_REASM_NEW, true },
	{ 0x10, W, 0x10, true, MYTCP_REASM_OLD, true },
	{ 0x10, W, 0x8, false, MYTCP_REASM_OLD, false },
	{ 0xffffffffu, 0xffffffffu, 0, false, MYTCP_REASM_NEW, false },
	{ 0, 0xffffffffu, 0, true, MYTCP_REASM_OLD, true },
};

TABLE_TEST(reasm_classify_wraparound, wraparound, check_classify)

/* mytcp_ooo_place() of [seq, end) next to a held [hseq, hend). */
struct place_row {
	u32 seq, end;
	bool fin;
	u32 hseq, hend;
	bool hfin;
	enum mytcp_ooo_place want;
};

static void check_place(const struct place_row *r)
{
	EXPECT_EQ(mytcp_ooo_place(r->seq, r->end, r->fin, r->hseq, r->hend,
				  r->hfin), r->want);
}

static const struct place_row place_order[] = {
	/* Starts before the held one: goes in front. */
	{ 100, 200, false, 150, 300, false, MYTCP_OOO_BEFORE },
	/* Starts after, or at the same place and longer: look further. */
	{ 160, 400, false, 150, 300, false, MYTCP_OOO_NEXT },
	{ 150, 301, false, 150, 300, false, MYTCP_OOO_NEXT },
	{ 400, 500, false, 150, 300, false, MYTCP_OOO_NEXT },
	/* Covering a held one is not a duplicate: it has more. */
	{ 100, 400, false, 150, 300, false, MYTCP_OOO_BEFORE },
};

TABLE_TEST(reasm_ooo_place_order, place_order, check_place)

static const struct place_row place_duplicates[] = {
	/* Exact overlap, and inside. */
	{ 150, 300, false, 150, 300, false, MYTCP_OOO_DUP },
	{ 160, 290, false, 150, 300, false, MYTCP_OOO_DUP },
	{ 150, 300, false, 150, 300, true, MYTCP_OOO_DUP },
	{ 150, 300, true, 150, 300, true, MYTCP_OOO_DUP },
	/* A bare FIN at the end of held data that had none. */
	{ 300, 300, true, 150, 300, false, MYTCP_OOO_NEXT },
	/* Same bytes, now with the FIN: kept, after the held one. */
	{ 150, 300, true, 150, 300, false, MYTCP_OOO_NEXT },
	/* A duplicate across the wrap. */
	{ W + 8, 0x4, false, W, 0x10, false, MYTCP_OOO_DUP },
	{ W - 8, 0x4, false, W, 0x10, false, MYTCP_OOO_BEFORE },
};

TABLE_TEST(reasm_ooo_place_duplicates, place_duplicates, check_place)

struct range {
	u32 seq, end;
};

static u8 build(u32 latest, u8 max, const struct range *r, int n,
		struct mytcp_sack_block *blk)
{
	struct mytcp_sack_builder b;
	int i;

	memset(blk, 0xa5, sizeof(*blk) * MYTCP_MAX_SACK);
	mytcp_sack_build_init(&b, latest, max);
	for (i = 0; i < n; i++)
		mytcp_sack_build_add(&b, r[i].seq, r[i].end);
	return mytcp_sack_build_finish(&b, blk);
}

static bool block_is(const struct mytcp_sack_block *b, u32 left, u32 right)
{
	return EXPECT_EQ(b->left, left) && EXPECT_EQ(b->right, right);
}

TEST(reasm_sack_empty_queue)
{
	struct mytcp_sack_block blk[MYTCP_MAX_SACK];

	EXPECT_EQ(build(100, 4, NULL, 0, blk), 0);
}

TEST(reasm_sack_merges_touching_and_overlapping)
{
	static const struct range r[] = {
		{ 100, 200 }, { 200, 300 }, { 250, 280 }, { 290, 350 },
		{ 400, 500 },
	};
	struct mytcp_sack_block blk[MYTCP_MAX_SACK];

	/* Latest arrival at 100: its range first. */
	if (!EXPECT_EQ(build(100, 4, r, 5, blk), 2))
		return;
	block_is(&blk[0], 100, 350);
	block_is(&blk[1], 400, 500);
}

TEST(reasm_sack_latest_first_then_in_order)
{
	static const struct range r[] = {
		{ 100, 200 }, { 300, 400 }, { 500, 600 }, { 700, 800 },
		{ 900, 1000 },
	};
	struct mytcp_sack_block blk[MYTCP_MAX_SACK];

	/* The latest arrival is inside the fourth range (not at its start). */
	if (!EXPECT_EQ(build(750, 4, r, 5, blk), 4))
		return;
	block_is(&blk[0], 700, 800);
	block_is(&blk[1], 100, 200);
	block_is(&blk[2], 300, 400);
	block_is(&blk[3], 500, 600);
	/* Only 2 fit (with timestamps and data): latest plus the lowest. */
	if (!EXPECT_EQ(build(950, 2, r, 5, blk), 2))
		return;
	block_is(&blk[0], 900, 1000);
	block_is(&blk[1], 100, 200);
	/* The right edge of a range is not in it. */
	if (!EXPECT_EQ(build(800, 1, r, 5, blk), 1))
		return;
	block_is(&blk[0], 100, 200);
}

TEST(reasm_sack_latest_gone_keeps_order)
{
	static const struct range r[] = {
		{ 100, 200 }, { 300, 400 }, { 500, 600 }, { 700, 800 },
		{ 900, 1000 },
	};
	struct mytcp_sack_block blk[MYTCP_MAX_SACK];

	/* The latest arrival was delivered since: sequence order, 4 max. */
	if (!EXPECT_EQ(build(50, 9, r, 5, blk), 4))
		return;
	block_is(&blk[0], 100, 200);
	block_is(&blk[3], 700, 800);
	EXPECT_EQ(build(50, 0, r, 5, blk), 0);
}

/* Found by fuzz_reasm: a bare FIN ahead of a hole made a block [F, F). */
TEST(reasm_sack_bare_fin_is_no_block)
{
	static const struct range fin_only[] = { { 1100, 1100 } };
	static const struct range r[] = {
		{ 100, 200 }, { 500, 500 }, { 700, 800 },
	};
	static const struct range touching[] = { { 100, 200 }, { 200, 200 } };
	struct mytcp_sack_block blk[MYTCP_MAX_SACK];

	EXPECT_EQ(build(1100, 4, fin_only, 1, blk), 0);
	/* Nor does it take the place of a real one. */
	if (!EXPECT_EQ(build(500, 2, r, 3, blk), 2))
		return;
	block_is(&blk[0], 100, 200);
	block_is(&blk[1], 700, 800);
	if (!EXPECT_EQ(build(200, 4, touching, 2, blk), 1))
		return;
	block_is(&blk[0], 100, 200);
}

TEST(reasm_sack_wraparound)
{
	static const struct range r[] = {
		{ W, W + 8 }, { W + 8, 0x8 }, { 0x20, 0x30 },
	};
	struct mytcp_sack_block blk[MYTCP_MAX_SACK];

	if (!EXPECT_EQ(build(0x20, 4, r, 3, blk), 2))
		return;
	block_is(&blk[0], 0x20, 0x30);
	block_is(&blk[1], W, 0x8);
	if (!EXPECT_EQ(build(0x2, 4, r, 3, blk), 2))
		return;
	block_is(&blk[0], W, 0x8);
}

/* f(a, b, c, d) is want: mytcp_sack_block_valid() or mytcp_sack_covers(). */
struct four_row {
	u32 a, b, c, d;
	bool want;
};

static void check_block_valid(const struct four_row *r)
{
	EXPECT_EQ(mytcp_sack_block_valid(r->a, r->b, r->c, r->d), r->want);
}

/* Blocks [a, b) against (SND.UNA, SND.NXT] = (c, d]. */
static const struct four_row block_valid[] = {
	{ 1001, 2000, 1000, 2000, true },
	{ 1500, 1501, 1000, 2000, true },
	/* Empty or reversed. */
	{ 1500, 1500, 1000, 2000, false },
	{ 1600, 1500, 1000, 2000, false },
	/* At or below SND.UNA (a D-SACK, RFC 2883), past SND.NXT. */
	{ 1000, 1500, 1000, 2000, false },
	{ 500, 900, 1000, 2000, false },
	{ 1500, 2001, 1000, 2000, false },
	/* Across the wrap. */
	{ W + 1, 0x8, W, 0x10, true },
	{ W + 1, 0x11, W, 0x10, false },
	{ W - 1, 0x8, W, 0x10, false },
};

TABLE_TEST(reasm_sack_block_valid, block_valid, check_block_valid)

static void check_covers(const struct four_row *r)
{
	EXPECT_EQ(mytcp_sack_covers(r->a, r->b, r->c, r->d), r->want);
}

/* Does [a, b) cover [c, d)? */
static const struct four_row covers[] = {
	{ 100, 200, 100, 200, true },
	{ 100, 200, 150, 160, true },
	{ 100, 200, 99, 150, false },
	{ 100, 200, 150, 201, false },
	{ W, 0x10, 0xfffffffeu, 0x2, true },
	{ W, 0x10, 0x8, 0x11, false },
};

TABLE_TEST(reasm_sack_covers, covers, check_covers)
