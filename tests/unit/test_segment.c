// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: TCP header parsing and option building (RFC 9293 3.1/3.2,
 * RFC 7323, RFC 2018).  Every segment is written out byte by byte.
 */
#include <limits.h>

#include "unit.h"
#include "core/segment.h"

/* A Linux-style SYN: MSS 1460, SACK-permitted, TS, NOP, WS 7. */
static const u8 syn_linux[] = {
	0xa2, 0xf4, 0x00, 0x50,	/* ports 41716 -> 80 */
	0x12, 0x34, 0x56, 0x78,	/* seq 0x12345678 */
	0x00, 0x00, 0x00, 0x00,	/* ack 0 */
	0xa0, 0x02, 0xfa, 0xf0,	/* doff 10, SYN, window 64240 */
	0x1c, 0x46, 0x00, 0x00,	/* checksum 0x1c46, urgent 0 */
	0x02, 0x04, 0x05, 0xb4,	/* MSS 1460 */
	0x04, 0x02, 0x08, 0x0a,	/* SACK-permitted, TS kind/len */
	0x00, 0x01, 0xe2, 0x40,	/* TSval 123456 */
	0x00, 0x00, 0x00, 0x00,	/* TSecr 0 */
	0x01, 0x03, 0x03, 0x07,	/* NOP, WS 7 */
};

/* A bare ACK+PSH with 5 bytes of payload "hello", urgent pointer set. */
static const u8 ack_data[] = {
	0x00, 0x50, 0xa2, 0xf4,	/* ports 80 -> 41716 */
	0xff, 0xff, 0xff, 0xfe,	/* seq 0xfffffffe */
	0x12, 0x34, 0x56, 0x79,	/* ack 0x12345679 */
	0x50, 0x18, 0x01, 0xf5,	/* doff 5, ACK|PSH, window 501 */
	0xab, 0xcd, 0x00, 0x03,	/* checksum, urgent 3 */
	'h', 'e', 'l', 'l', 'o',
};

/* Header template: doff and options are patched per test. */
static void fill_base(u8 *h, u8 doff)
{
	static const u8 base[20] = {
		0x04, 0xd2, 0x16, 0x2e,	/* ports 1234 -> 5678 */
		0x00, 0x00, 0x00, 0x01,	/* seq 1 */
		0x00, 0x00, 0x00, 0x02,	/* ack 2 */
		0x00, 0x10, 0xff, 0xff,	/* doff patched, ACK, window */
		0x00, 0x00, 0x00, 0x00,
	};

	memcpy(h, base, sizeof(base));
	h[12] = (u8)(doff << 4);
}

/* Parse a header whose option bytes are @opt (a multiple of 4). */
static int parse_with_opts(const u8 *opt, u32 optlen, u32 extra_payload,
			   struct mytcp_hdr_view *v)
{
	u8 buf[MYTCP_HDR_MAX_LEN + 64];

	memset(buf, 0xee, sizeof(buf));
	fill_base(buf, (u8)((20 + optlen) / 4));
	memcpy(buf + 20, opt, optlen);
	return mytcp_parse_header(buf, 20 + optlen + extra_payload, v);
}

/* ---- parsing the fixed header ---- */

TEST(segment_parse_linux_syn)
{
	struct mytcp_hdr_view v;

	if (!EXPECT_EQ(mytcp_parse_header(syn_linux, sizeof(syn_linux), &v), 0))
		return;
	EXPECT_EQ(v.sport, 41716);
	EXPECT_EQ(v.dport, 80);
	EXPECT_EQ(v.seq, 0x12345678);
	EXPECT_EQ(v.ack, 0);
	EXPECT_EQ(v.doff, 10);
	EXPECT_EQ(v.hdr_len, 40);
	EXPECT_EQ(v.payload_len, 0);
	EXPECT_EQ(v.flags, MYTCP_FLAG_SYN);
	EXPECT_EQ(v.window, 64240);
	EXPECT_EQ(v.checksum, 0x1c46);
	EXPECT_EQ(v.urg_ptr, 0);
	EXPECT_EQ(v.opts.present, MYTCP_OPT_MSS | MYTCP_OPT_SACK_PERM |
				  MYTCP_OPT_TS | MYTCP_OPT_WSCALE);
	EXPECT_EQ(v.opts.mss, 1460);
	EXPECT_EQ(v.opts.ts_val, 123456);
	EXPECT_EQ(v.opts.ts_ecr, 0);
	EXPECT_EQ(v.opts.wscale, 7);
	EXPECT_EQ(v.opts.wscale_raw, 7);
}

TEST(segment_parse_ack_with_payload)
{
	struct mytcp_hdr_view v;

	if (!EXPECT_EQ(mytcp_parse_header(ack_data, sizeof(ack_data), &v), 0))
		return;
	EXPECT_EQ(v.sport, 80);
	EXPECT_EQ(v.dport, 41716);
	EXPECT_EQ(v.seq, 0xfffffffe);
	EXPECT_EQ(v.ack, 0x12345679);
	EXPECT_EQ(v.doff, 5);
	EXPECT_EQ(v.hdr_len, 20);
	EXPECT_EQ(v.payload_len, 5);
	EXPECT_EQ(v.flags, MYTCP_FLAG_ACK | MYTCP_FLAG_PSH);
	EXPECT_EQ(v.window, 501);
	EXPECT_EQ(v.checksum, 0xabcd);
	EXPECT_EQ(v.urg_ptr, 3);
	EXPECT_EQ(v.reserved, 0);
	EXPECT_EQ(v.opts.present, 0);
}

TEST(segment_parse_all_flags_and_reserved)
{
	static const u8 h[] = {
		0x00, 0x01, 0x00, 0x02,
		0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,
		0x5f, 0xff, 0x00, 0x00,	/* doff 5, reserved 0xf, all 8 */
		0x00, 0x00, 0x00, 0x00,
	};
	struct mytcp_hdr_view v;

	if (!EXPECT_EQ(mytcp_parse_header(h, sizeof(h), &v), 0))
		return;
	EXPECT_EQ(v.flags, 0xff);
	EXPECT_EQ(v.reserved, 0xf);
	EXPECT_TRUE(v.flags & MYTCP_FLAG_FIN);
	EXPECT_TRUE(v.flags & MYTCP_FLAG_SYN);
	EXPECT_TRUE(v.flags & MYTCP_FLAG_RST);
	EXPECT_TRUE(v.flags & MYTCP_FLAG_PSH);
	EXPECT_TRUE(v.flags & MYTCP_FLAG_ACK);
	EXPECT_TRUE(v.flags & MYTCP_FLAG_URG);
	EXPECT_TRUE(v.flags & MYTCP_FLAG_ECE);
	EXPECT_TRUE(v.flags & MYTCP_FLAG_CWR);
}

TEST(segment_flag_bit_values)
{
	/* RFC 9293 3.1 / RFC 3168 6.1: CWR ECE URG ACK PSH RST SYN FIN */
	EXPECT_EQ(MYTCP_FLAG_FIN, 0x01);
	EXPECT_EQ(MYTCP_FLAG_SYN, 0x02);
	EXPECT_EQ(MYTCP_FLAG_RST, 0x04);
	EXPECT_EQ(MYTCP_FLAG_PSH, 0x08);
	EXPECT_EQ(MYTCP_FLAG_ACK, 0x10);
	EXPECT_EQ(MYTCP_FLAG_URG, 0x20);
	EXPECT_EQ(MYTCP_FLAG_ECE, 0x40);
	EXPECT_EQ(MYTCP_FLAG_CWR, 0x80);
}

/* ---- malformed fixed header ---- */

TEST(segment_too_short)
{
	struct mytcp_hdr_view v;

	EXPECT_EQ(mytcp_parse_header(ack_data, 0, &v), -MYTCP_DROP_TOO_SHORT);
	EXPECT_EQ(mytcp_parse_header(ack_data, 1, &v), -MYTCP_DROP_TOO_SHORT);
	EXPECT_EQ(mytcp_parse_header(ack_data, 19, &v), -MYTCP_DROP_TOO_SHORT);
	EXPECT_EQ(mytcp_parse_header(ack_data, 20, &v), 0);
	EXPECT_EQ(v.payload_len, 0);
}

TEST(segment_doff_4_rejected)
{
	static const u8 h[] = {
		0x00, 0x01, 0x00, 0x02,
		0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00,
		0x40, 0x02, 0x10, 0x00,	/* doff 4 < 5 */
		0x00, 0x00, 0x00, 0x00,
	};
	struct mytcp_hdr_view v;

	EXPECT_EQ(mytcp_parse_header(h, sizeof(h), &v), -MYTCP_DROP_BAD_DOFF);
}

TEST(segment_doff_0_rejected)
{
	static const u8 h[] = {
		0x00, 0x01, 0x00, 0x02,
		0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00,
		0x00, 0x10, 0x10, 0x00,	/* doff 0 */
		0x00, 0x00, 0x00, 0x00,
	};
	struct mytcp_hdr_view v;

	EXPECT_EQ(mytcp_parse_header(h, sizeof(h), &v), -MYTCP_DROP_BAD_DOFF);
}

TEST(segment_doff_past_end)
{
	/* doff 6 says 24 header bytes, only 22 present */
	static const u8 h[] = {
		0x00, 0x01, 0x00, 0x02,
		0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00,
		0x60, 0x10, 0x10, 0x00,
		0x00, 0x00, 0x00, 0x00,
		0x01, 0x01,
	};
	struct mytcp_hdr_view v;

	EXPECT_EQ(mytcp_parse_header(h, sizeof(h), &v), -MYTCP_DROP_BAD_DOFF);
	/* a 40-byte header (doff 10) cut to 39 bytes */
	EXPECT_EQ(mytcp_parse_header(syn_linux, 39, &v), -MYTCP_DROP_BAD_DOFF);
}

TEST(segment_doff_15_max)
{
	u8 buf[60];
	struct mytcp_hdr_view v;

	fill_base(buf, 15);
	memset(buf + 20, MYTCP_OPT_KIND_NOP, 40);
	EXPECT_EQ(mytcp_parse_header(buf, 59, &v), -MYTCP_DROP_BAD_DOFF);
	if (!EXPECT_EQ(mytcp_parse_header(buf, 60, &v), 0))
		return;
	EXPECT_EQ(v.hdr_len, 60);
	EXPECT_EQ(v.payload_len, 0);
	EXPECT_EQ(v.opts.present, 0);
}

TEST(segment_len_is_trusted_for_payload)
{
	/* 20-byte header, segment length says 100: payload is 80 bytes */
	u8 buf[100];
	struct mytcp_hdr_view v;

	memset(buf, 0, sizeof(buf));
	fill_base(buf, 5);
	if (!EXPECT_EQ(mytcp_parse_header(buf, sizeof(buf), &v), 0))
		return;
	EXPECT_EQ(v.payload_len, 80);
}

/* ---- options: good ---- */

TEST(segment_opt_nop_only)
{
	static const u8 o[] = { 1, 1, 1, 1, 1, 1, 1, 1 };
	struct mytcp_hdr_view v;

	if (!EXPECT_EQ(parse_with_opts(o, sizeof(o), 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.present, 0);
	EXPECT_EQ(v.doff, 7);
}

TEST(segment_opt_mss_only)
{
	static const u8 o[] = { 0x02, 0x04, 0x21, 0x98 };	/* MSS 8600 */
	struct mytcp_hdr_view v;

	if (!EXPECT_EQ(parse_with_opts(o, sizeof(o), 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.present, MYTCP_OPT_MSS);
	EXPECT_EQ(v.opts.mss, 8600);
}

TEST(segment_opt_ts_data_segment)
{
	static const u8 o[] = {
		0x01, 0x01, 0x08, 0x0a,
		0x80, 0x00, 0x00, 0x01,	/* TSval */
		0xfe, 0xdc, 0xba, 0x98,	/* TSecr */
	};
	struct mytcp_hdr_view v;

	if (!EXPECT_EQ(parse_with_opts(o, sizeof(o), 100, &v), 0))
		return;
	EXPECT_EQ(v.opts.present, MYTCP_OPT_TS);
	EXPECT_EQ(v.opts.ts_val, 0x80000001u);
	EXPECT_EQ(v.opts.ts_ecr, 0xfedcba98u);
	EXPECT_EQ(v.payload_len, 100);
}

TEST(segment_opt_packed_without_padding)
{
	/* MSS, WS, SACK-perm back to back, then EOL + zero padding */
	static const u8 o[] = {
		0x02, 0x04, 0x05, 0x78,	/* MSS 1400 */
		0x03, 0x03, 0x02,	/* WS 2 */
		0x04, 0x02,		/* SACK-permitted */
		0x00, 0x00, 0x00,	/* EOL, padding */
	};
	struct mytcp_hdr_view v;

	if (!EXPECT_EQ(parse_with_opts(o, sizeof(o), 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.present, MYTCP_OPT_MSS | MYTCP_OPT_WSCALE |
				  MYTCP_OPT_SACK_PERM | MYTCP_OPT_EOL);
	EXPECT_EQ(v.opts.mss, 1400);
	EXPECT_EQ(v.opts.wscale, 2);
}

TEST(segment_opt_sack_one_to_four_blocks)
{
	static const u8 one[] = {
		0x01, 0x01, 0x05, 0x0a,
		0x00, 0x00, 0x03, 0xe8,	/* 1000 */
		0x00, 0x00, 0x07, 0xd0,	/* 2000 */
	};
	static const u8 four[] = {
		0x01, 0x01, 0x05, 0x22,
		0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x20,
		0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x40,
		0x00, 0x00, 0x00, 0x50, 0x00, 0x00, 0x00, 0x60,
		0xff, 0xff, 0xff, 0xf0, 0x00, 0x00, 0x00, 0x10,
	};
	struct mytcp_hdr_view v;

	if (!EXPECT_EQ(parse_with_opts(one, sizeof(one), 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.present, MYTCP_OPT_SACK);
	EXPECT_EQ(v.opts.nr_sack, 1);
	EXPECT_EQ(v.opts.sack[0].left, 1000);
	EXPECT_EQ(v.opts.sack[0].right, 2000);

	if (!EXPECT_EQ(parse_with_opts(four, sizeof(four), 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.nr_sack, 4);
	EXPECT_EQ(v.opts.sack[1].left, 0x30);
	EXPECT_EQ(v.opts.sack[2].right, 0x60);
	EXPECT_EQ(v.opts.sack[3].left, 0xfffffff0u);
	EXPECT_EQ(v.opts.sack[3].right, 0x10);
}

TEST(segment_opt_wscale_clamped_to_14)
{
	static const u8 ws15[] = { 0x01, 0x03, 0x03, 0x0f };
	static const u8 ws14[] = { 0x01, 0x03, 0x03, 0x0e };
	static const u8 ws255[] = { 0x01, 0x03, 0x03, 0xff };
	struct mytcp_hdr_view v;

	/* RFC 7323 2.3: larger than 14 -> MUST use 14 */
	if (!EXPECT_EQ(parse_with_opts(ws15, 4, 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.wscale, 14);
	EXPECT_EQ(v.opts.wscale_raw, 15);
	EXPECT_TRUE(v.opts.present & MYTCP_OPT_WSCALE_CLAMPED);

	if (!EXPECT_EQ(parse_with_opts(ws14, 4, 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.wscale, 14);
	EXPECT_FALSE(v.opts.present & MYTCP_OPT_WSCALE_CLAMPED);

	if (!EXPECT_EQ(parse_with_opts(ws255, 4, 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.wscale, 14);
	EXPECT_EQ(v.opts.wscale_raw, 255);
}

TEST(segment_opt_wscale_duplicate_clears_clamp)
{
	/* WS 15 (clamped) then WS 3: the later one wins, no clamp flag */
	static const u8 o[] = {
		0x01, 0x03, 0x03, 0x0f,
		0x01, 0x03, 0x03, 0x03,
	};
	struct mytcp_hdr_view v;

	if (!EXPECT_EQ(parse_with_opts(o, sizeof(o), 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.wscale, 3);
	EXPECT_EQ(v.opts.wscale_raw, 3);
	EXPECT_EQ(v.opts.present, MYTCP_OPT_WSCALE);
}

TEST(segment_opt_unknown_kinds_skipped)
{
	static const u8 o[] = {
		0x1e, 0x04, 0xaa, 0xbb,	/* kind 30 (MPTCP), len 4 */
		0xfd, 0x02,		/* kind 253 (experiment), len 2 */
		0x02, 0x04, 0x02, 0x18,	/* MSS 536 after them */
		0x13, 0x06, 0x00, 0x00,	/* kind 19, len 6 */
		0x00, 0x00,
	};
	struct mytcp_hdr_view v;

	if (!EXPECT_EQ(parse_with_opts(o, sizeof(o), 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.present, MYTCP_OPT_UNKNOWN | MYTCP_OPT_MSS);
	EXPECT_EQ(v.opts.mss, 536);
}

TEST(segment_opt_eol_ends_list)
{
	/* Anything after EOL, even garbage, is ignored. */
	static const u8 o[] = {
		0x00, 0x02, 0x04, 0x05,	/* EOL first: no MSS */
		0xb4, 0x02, 0x00, 0x63,	/* would be bad options */
	};
	static const u8 o2[] = {
		0x01, 0x03, 0x03, 0x05,	/* NOP WS 5 */
		0x00, 0x08, 0x01, 0x00,	/* EOL, then a truncated TS */
	};
	struct mytcp_hdr_view v;

	if (!EXPECT_EQ(parse_with_opts(o, sizeof(o), 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.present, MYTCP_OPT_EOL);

	if (!EXPECT_EQ(parse_with_opts(o2, sizeof(o2), 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.present, MYTCP_OPT_EOL | MYTCP_OPT_WSCALE);
	EXPECT_EQ(v.opts.wscale, 5);
}

TEST(segment_opt_duplicate_last_wins)
{
	static const u8 o[] = {
		0x02, 0x04, 0x05, 0xb4,	/* MSS 1460 */
		0x02, 0x04, 0x02, 0x18,	/* MSS 536 */
	};
	struct mytcp_hdr_view v;

	if (!EXPECT_EQ(parse_with_opts(o, sizeof(o), 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.mss, 536);
}

/* ---- options: malformed ---- */

TEST(segment_opt_len_0_rejected)
{
	static const u8 o[] = { 0x02, 0x00, 0x05, 0xb4 };
	static const u8 unk[] = { 0x63, 0x00, 0x01, 0x01 };
	struct mytcp_hdr_view v;

	EXPECT_EQ(parse_with_opts(o, 4, 0, &v), -MYTCP_DROP_BAD_OPTION);
	EXPECT_EQ(parse_with_opts(unk, 4, 0, &v), -MYTCP_DROP_BAD_OPTION);
}

TEST(segment_opt_len_1_rejected)
{
	static const u8 o[] = { 0x08, 0x01, 0x01, 0x01 };
	static const u8 unk[] = { 0x01, 0x01, 0x63, 0x01 };
	struct mytcp_hdr_view v;

	EXPECT_EQ(parse_with_opts(o, 4, 0, &v), -MYTCP_DROP_BAD_OPTION);
	EXPECT_EQ(parse_with_opts(unk, 4, 0, &v), -MYTCP_DROP_BAD_OPTION);
}

TEST(segment_opt_wrong_length_for_kind_rejected)
{
	static const u8 mss6[] = {
		0x02, 0x06, 0x05, 0xb4, 0x00, 0x00, 0x01, 0x01,
	};
	static const u8 mss3[] = { 0x02, 0x03, 0x05, 0x01 };
	static const u8 ws4[] = { 0x03, 0x04, 0x07, 0x00 };
	static const u8 ws2[] = { 0x03, 0x02, 0x01, 0x01 };
	static const u8 sackp3[] = { 0x04, 0x03, 0x00, 0x01 };
	static const u8 ts8[] = {
		0x08, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	};
	static const u8 ts12[] = {
		0x08, 0x0c, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
	};
	struct mytcp_hdr_view v;

	EXPECT_EQ(parse_with_opts(mss6, 8, 0, &v), -MYTCP_DROP_BAD_OPTION);
	EXPECT_EQ(parse_with_opts(mss3, 4, 0, &v), -MYTCP_DROP_BAD_OPTION);
	EXPECT_EQ(parse_with_opts(ws4, 4, 0, &v), -MYTCP_DROP_BAD_OPTION);
	EXPECT_EQ(parse_with_opts(ws2, 4, 0, &v), -MYTCP_DROP_BAD_OPTION);
	EXPECT_EQ(parse_with_opts(sackp3, 4, 0, &v), -MYTCP_DROP_BAD_OPTION);
	EXPECT_EQ(parse_with_opts(ts8, 8, 0, &v), -MYTCP_DROP_BAD_OPTION);
	EXPECT_EQ(parse_with_opts(ts12, 12, 0, &v), -MYTCP_DROP_BAD_OPTION);
}

TEST(segment_opt_bad_sack_lengths_rejected)
{
	static const u8 sack2[] = { 0x01, 0x01, 0x05, 0x02 };	/* 0 blocks */
	static const u8 sack11[] = {
		0x01, 0x05, 0x0b, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x02, 0x00,		/* 9 data bytes */
	};
	struct mytcp_hdr_view v;

	EXPECT_EQ(parse_with_opts(sack2, 4, 0, &v), -MYTCP_DROP_BAD_OPTION);
	EXPECT_EQ(parse_with_opts(sack11, 12, 0, &v), -MYTCP_DROP_BAD_OPTION);
}

TEST(segment_opt_sack_five_blocks_cannot_fit)
{
	/* 5 blocks = 42 bytes > 40: the length runs past the header */
	u8 o[40];
	struct mytcp_hdr_view v;

	memset(o, 0, sizeof(o));
	o[0] = MYTCP_OPT_KIND_SACK;
	o[1] = 42;
	EXPECT_EQ(parse_with_opts(o, 40, 0, &v), -MYTCP_DROP_BAD_OPTION);
}

TEST(segment_opt_crossing_header_end)
{
	/* TS needs 10 bytes, only 6 remain in the header */
	static const u8 o[] = {
		0x01, 0x01, 0x08, 0x0a,
		0x00, 0x00, 0x00, 0x01,
	};
	/* MSS straddles the header end into the payload */
	static const u8 straddle[] = { 0x01, 0x01, 0x02, 0x04 };
	/* an option kind in the last byte with no room for its length */
	static const u8 nolen[] = { 0x01, 0x01, 0x01, 0x02 };
	struct mytcp_hdr_view v;

	EXPECT_EQ(parse_with_opts(o, 8, 0, &v), -MYTCP_DROP_BAD_OPTION);
	/* payload bytes after the header must not be used as options */
	EXPECT_EQ(parse_with_opts(straddle, 4, 16, &v),
		  -MYTCP_DROP_BAD_OPTION);
	EXPECT_EQ(parse_with_opts(nolen, 4, 16, &v), -MYTCP_DROP_BAD_OPTION);
}

TEST(segment_opt_unknown_overlong_rejected)
{
	/* unknown kind 99 claims 9 bytes, only 8 in the list */
	static const u8 o[] = {
		0x63, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct mytcp_hdr_view v;

	EXPECT_EQ(parse_with_opts(o, 8, 4, &v), -MYTCP_DROP_BAD_OPTION);
}

TEST(segment_opt_exactly_fills_header)
{
	/* unknown kind with length 40 fills the option space exactly */
	u8 o[40];
	struct mytcp_hdr_view v;

	memset(o, 0x5a, sizeof(o));
	o[0] = 0x63;
	o[1] = 40;
	if (!EXPECT_EQ(parse_with_opts(o, 40, 0, &v), 0))
		return;
	EXPECT_EQ(v.opts.present, MYTCP_OPT_UNKNOWN);
}

TEST(segment_parse_options_direct)
{
	static const u8 o[] = { 0x02, 0x04, 0x05, 0xb4, 0x01, 0x00 };
	struct mytcp_opts opts;

	if (!EXPECT_EQ(mytcp_parse_options(o, sizeof(o), &opts), 0))
		return;
	EXPECT_EQ(opts.present, MYTCP_OPT_MSS | MYTCP_OPT_EOL);
	EXPECT_EQ(mytcp_parse_options(o, 3, &opts), -MYTCP_DROP_BAD_OPTION);
	if (!EXPECT_EQ(mytcp_parse_options(o, 0, &opts), 0))
		return;
	EXPECT_EQ(opts.present, 0);
}

TEST(segment_parse_options_kind_in_last_byte)
{
	/* exact-size array: reading a length byte would overflow it */
	static const u8 o[] = { 0x01, 0x02 };
	static const u8 o1[] = { 0x08 };
	struct mytcp_opts opts;

	EXPECT_EQ(mytcp_parse_options(o, sizeof(o), &opts),
		  -MYTCP_DROP_BAD_OPTION);
	EXPECT_EQ(mytcp_parse_options(o1, sizeof(o1), &opts),
		  -MYTCP_DROP_BAD_OPTION);
}

TEST(segment_parse_options_five_sack_blocks_direct)
{
	/* a list longer than 40 bytes (direct call): 5 blocks still bad */
	u8 o[42];
	struct mytcp_opts opts;

	memset(o, 0, sizeof(o));
	o[0] = MYTCP_OPT_KIND_SACK;
	o[1] = 42;
	EXPECT_EQ(mytcp_parse_options(o, sizeof(o), &opts),
		  -MYTCP_DROP_BAD_OPTION);
}

TEST(segment_drop_reason_names)
{
	EXPECT_STREQ(mytcp_drop_reason_name(MYTCP_DROP_NONE), "NONE");
	EXPECT_STREQ(mytcp_drop_reason_name(-MYTCP_DROP_TOO_SHORT),
		     "TOO_SHORT");
	EXPECT_STREQ(mytcp_drop_reason_name(MYTCP_DROP_BAD_DOFF), "BAD_DOFF");
	EXPECT_STREQ(mytcp_drop_reason_name(-MYTCP_DROP_BAD_OPTION),
		     "BAD_OPTION");
	EXPECT_STREQ(mytcp_drop_reason_name(MYTCP_DROP_MAX), "UNKNOWN");
	EXPECT_STREQ(mytcp_drop_reason_name(-1000), "UNKNOWN");
	EXPECT_STREQ(mytcp_drop_reason_name(INT_MIN), "UNKNOWN");
}

/* ---- building ---- */

TEST(segment_build_linux_syn_layout)
{
	struct mytcp_opt_out o = {
		.present = MYTCP_OPT_MSS | MYTCP_OPT_SACK_PERM |
			   MYTCP_OPT_TS | MYTCP_OPT_WSCALE,
		.mss = 1460,
		.wscale = 7,
		.ts_val = 123456,
		.ts_ecr = 0,
	};
	u8 buf[40];

	if (!EXPECT_EQ(mytcp_build_options(buf, sizeof(buf), &o), 20))
		return;
	EXPECT_MEMEQ(buf, syn_linux + 20, 20);
	EXPECT_EQ(mytcp_options_size(&o), 20);
}

TEST(segment_build_ts_only)
{
	static const u8 want[] = {
		0x01, 0x01, 0x08, 0x0a,
		0x01, 0x02, 0x03, 0x04,
		0xa1, 0xa2, 0xa3, 0xa4,
	};
	struct mytcp_opt_out o = {
		.present = MYTCP_OPT_TS,
		.ts_val = 0x01020304,
		.ts_ecr = 0xa1a2a3a4,
	};
	u8 buf[12];

	if (!EXPECT_EQ(mytcp_build_options(buf, sizeof(buf), &o), 12))
		return;
	EXPECT_MEMEQ(buf, want, 12);
}

TEST(segment_build_syn_without_ts)
{
	/* MSS, NOP NOP SACK-perm, NOP WS: what Linux sends w/o timestamps */
	static const u8 want[] = {
		0x02, 0x04, 0x05, 0xb4,
		0x01, 0x01, 0x04, 0x02,
		0x01, 0x03, 0x03, 0x0e,
	};
	struct mytcp_opt_out o = {
		.present = MYTCP_OPT_MSS | MYTCP_OPT_SACK_PERM |
			   MYTCP_OPT_WSCALE,
		.mss = 1460,
		.wscale = 14,
	};
	u8 buf[40];

	if (!EXPECT_EQ(mytcp_build_options(buf, sizeof(buf), &o), 12))
		return;
	EXPECT_MEMEQ(buf, want, 12);
}

TEST(segment_build_sack_blocks)
{
	static const u8 want[] = {
		0x01, 0x01, 0x08, 0x0a,
		0x00, 0x00, 0x00, 0x05,
		0x00, 0x00, 0x00, 0x06,
		0x01, 0x01, 0x05, 0x12,	/* 2 blocks: len 18 */
		0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x20, 0x00,
		0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00,
	};
	struct mytcp_opt_out o = {
		.present = MYTCP_OPT_TS | MYTCP_OPT_SACK,
		.ts_val = 5,
		.ts_ecr = 6,
		.nr_sack = 2,
		.sack = {
			{ .left = 0x1000, .right = 0x2000 },
			{ .left = 0xffffff00u, .right = 0x100 },
		},
	};
	u8 buf[40];

	if (!EXPECT_EQ(mytcp_build_options(buf, sizeof(buf), &o), 32))
		return;
	EXPECT_MEMEQ(buf, want, 32);
}

TEST(segment_build_empty)
{
	struct mytcp_opt_out o = { .present = 0 };
	u8 buf[1] = { 0x77 };

	EXPECT_EQ(mytcp_build_options(buf, 0, &o), 0);
	EXPECT_EQ(buf[0], 0x77);
}

TEST(segment_build_no_room_writes_nothing)
{
	struct mytcp_opt_out o = {
		.present = MYTCP_OPT_MSS | MYTCP_OPT_TS,
		.mss = 1000,
	};
	u8 buf[40];
	u8 untouched[40];

	memset(buf, 0xcc, sizeof(buf));
	memset(untouched, 0xcc, sizeof(untouched));
	EXPECT_EQ(mytcp_build_options(buf, 15, &o), -MYTCP_BUILD_NOSPACE);
	EXPECT_MEMEQ(buf, untouched, sizeof(buf));
	EXPECT_EQ(mytcp_build_options(buf, 16, &o), 16);
}

TEST(segment_build_over_40_bytes)
{
	struct mytcp_opt_out o = {
		.present = MYTCP_OPT_TS | MYTCP_OPT_SACK,
		.nr_sack = 4,		/* 12 + 4 + 32 = 48 */
	};
	u8 buf[64];

	EXPECT_EQ(mytcp_options_size(&o), 48);
	EXPECT_EQ(mytcp_build_options(buf, sizeof(buf), &o),
		  -MYTCP_BUILD_NOSPACE);
	o.nr_sack = 3;			/* 12 + 4 + 24 = 40: fits */
	EXPECT_EQ(mytcp_build_options(buf, sizeof(buf), &o), 40);
	o.present = MYTCP_OPT_SACK;
	o.nr_sack = 4;			/* 4 + 32 = 36 */
	EXPECT_EQ(mytcp_build_options(buf, sizeof(buf), &o), 36);
}

TEST(segment_build_invalid_requests)
{
	struct mytcp_opt_out o = { .present = MYTCP_OPT_WSCALE, .wscale = 15 };
	u8 buf[40];

	EXPECT_EQ(mytcp_build_options(buf, 40, &o), -MYTCP_BUILD_INVALID);
	o.present = MYTCP_OPT_SACK;
	o.nr_sack = 0;
	EXPECT_EQ(mytcp_build_options(buf, 40, &o), -MYTCP_BUILD_INVALID);
	o.nr_sack = 5;
	EXPECT_EQ(mytcp_build_options(buf, 40, &o), -MYTCP_BUILD_INVALID);
	o.present = MYTCP_OPT_EOL;
	EXPECT_EQ(mytcp_build_options(buf, 40, &o), -MYTCP_BUILD_INVALID);
	EXPECT_EQ(mytcp_options_size(&o), -MYTCP_BUILD_INVALID);
}

TEST(segment_sack_blocks_fit)
{
	struct mytcp_opt_out o = { .present = 0 };

	EXPECT_EQ(mytcp_sack_blocks_fit(&o), 4);
	o.present = MYTCP_OPT_TS;
	EXPECT_EQ(mytcp_sack_blocks_fit(&o), 3);
	o.present = MYTCP_OPT_TS | MYTCP_OPT_MSS | MYTCP_OPT_WSCALE;
	EXPECT_EQ(mytcp_sack_blocks_fit(&o), 2);
	o.present = MYTCP_OPT_TS | MYTCP_OPT_MSS | MYTCP_OPT_WSCALE |
		    MYTCP_OPT_SACK_PERM;
	EXPECT_EQ(mytcp_sack_blocks_fit(&o), 2);
}

TEST(segment_build_then_parse_roundtrip)
{
	struct mytcp_opt_out o = {
		.present = MYTCP_OPT_MSS | MYTCP_OPT_TS | MYTCP_OPT_SACK,
		.mss = 9000,
		.ts_val = 0xffffffffu,
		.ts_ecr = 1,
		.nr_sack = 2,
		.sack = {
			{ .left = 1, .right = 2 },
			{ .left = 3, .right = 4 },
		},
	};
	u8 opt[40];
	struct mytcp_hdr_view v;
	int n = mytcp_build_options(opt, sizeof(opt), &o);

	if (!EXPECT_EQ(n, 36))
		return;
	if (!EXPECT_EQ(parse_with_opts(opt, (u32)n, 7, &v), 0))
		return;
	EXPECT_EQ(v.opts.present, o.present);
	EXPECT_EQ(v.opts.mss, 9000);
	EXPECT_EQ(v.opts.ts_val, 0xffffffffu);
	EXPECT_EQ(v.opts.ts_ecr, 1);
	EXPECT_EQ(v.opts.nr_sack, 2);
	EXPECT_EQ(v.opts.sack[1].left, 3);
	EXPECT_EQ(v.opts.sack[1].right, 4);
	EXPECT_EQ(v.payload_len, 7);
}
