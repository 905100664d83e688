// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: mytcp_parse_header() on arbitrary bytes.
 *
 * On success the parsed view is checked against the raw bytes, the options
 * are rebuilt with mytcp_build_options() and parsed again, and the two
 * parses must agree.  On failure the reason must be the right one.
 */
#include "core/segment.h"
#include "fuzz.h"

#define PARSE_ONLY_BITS	(MYTCP_OPT_EOL | MYTCP_OPT_UNKNOWN |		\
			 MYTCP_OPT_WSCALE_CLAMPED)

static void check_opts_sane(const struct mytcp_opts *o)
{
	CHECK(!(o->present & ~(u32)(PARSE_ONLY_BITS | MYTCP_OPT_MSS |
				    MYTCP_OPT_WSCALE | MYTCP_OPT_SACK_PERM |
				    MYTCP_OPT_SACK | MYTCP_OPT_TS)));
	if (o->present & MYTCP_OPT_WSCALE) {
		CHECK(o->wscale <= MYTCP_MAX_WSCALE);
		if (o->present & MYTCP_OPT_WSCALE_CLAMPED)
			CHECK(o->wscale_raw > MYTCP_MAX_WSCALE &&
			      o->wscale == MYTCP_MAX_WSCALE);
		else
			CHECK(o->wscale == o->wscale_raw);
	} else {
		CHECK(!(o->present & MYTCP_OPT_WSCALE_CLAMPED));
	}
	if (o->present & MYTCP_OPT_SACK)
		CHECK(o->nr_sack >= 1 && o->nr_sack <= MYTCP_MAX_SACK);
	else
		CHECK(o->nr_sack == 0);
}

static void roundtrip(const u8 *data, const struct mytcp_hdr_view *v)
{
	struct mytcp_opt_out out;
	struct mytcp_hdr_view v2;
	u8 buf[MYTCP_HDR_MAX_LEN];
	int size, n, i;

	memset(&out, 0, sizeof(out));
	out.present = v->opts.present & ~(u32)PARSE_ONLY_BITS;
	out.mss = v->opts.mss;
	out.wscale = v->opts.wscale;
	out.ts_val = v->opts.ts_val;
	out.ts_ecr = v->opts.ts_ecr;
	out.nr_sack = v->opts.nr_sack;
	memcpy(out.sack, v->opts.sack, sizeof(out.sack));

	size = mytcp_options_size(&out);
	CHECK(size >= 0 && size % 4 == 0);

	n = mytcp_build_options(buf + MYTCP_HDR_MIN_LEN, MYTCP_MAX_OPT_LEN,
				&out);
	if (size > MYTCP_MAX_OPT_LEN) {
		/* e.g. packed input options: Linux layout needs padding */
		CHECK(n == -MYTCP_BUILD_NOSPACE);
		return;
	}
	CHECK(n == size);
	if (n > 0)
		CHECK(mytcp_build_options(buf + MYTCP_HDR_MIN_LEN,
					  (u32)n - 1, &out) ==
		      -MYTCP_BUILD_NOSPACE);

	memcpy(buf, data, MYTCP_HDR_MIN_LEN);
	buf[12] = (u8)((((MYTCP_HDR_MIN_LEN + n) / 4) << 4) | (data[12] & 0xf));
	CHECK(mytcp_parse_header(buf, (u32)(MYTCP_HDR_MIN_LEN + n), &v2) == 0);

	CHECK(v2.sport == v->sport && v2.dport == v->dport);
	CHECK(v2.seq == v->seq && v2.ack == v->ack);
	CHECK(v2.flags == v->flags && v2.reserved == v->reserved);
	CHECK(v2.window == v->window && v2.urg_ptr == v->urg_ptr);
	CHECK(v2.payload_len == 0);
	CHECK(v2.opts.present == out.present);
	if (out.present & MYTCP_OPT_MSS)
		CHECK(v2.opts.mss == out.mss);
	if (out.present & MYTCP_OPT_WSCALE)
		CHECK(v2.opts.wscale == out.wscale &&
		      v2.opts.wscale_raw == out.wscale);
	if (out.present & MYTCP_OPT_TS)
		CHECK(v2.opts.ts_val == out.ts_val &&
		      v2.opts.ts_ecr == out.ts_ecr);
	CHECK(v2.opts.nr_sack == out.nr_sack);
	for (i = 0; i < out.nr_sack; i++)
		CHECK(v2.opts.sack[i].left == out.sack[i].left &&
		      v2.opts.sack[i].right == out.sack[i].right);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct mytcp_hdr_view v;
	struct mytcp_opts opts;
	u32 len = size > 0xffff ? 0xffff : (u32)size;
	u32 doff;
	int err;

	err = mytcp_parse_header(data, len, &v);
	if (len < MYTCP_HDR_MIN_LEN) {
		CHECK(err == -MYTCP_DROP_TOO_SHORT);
		return 0;
	}
	doff = data[12] >> 4;
	if (doff < 5 || doff * 4 > len) {
		CHECK(err == -MYTCP_DROP_BAD_DOFF);
		return 0;
	}
	/* Same answer from the option parser alone. */
	CHECK(mytcp_parse_options(data + MYTCP_HDR_MIN_LEN,
				  doff * 4 - MYTCP_HDR_MIN_LEN, &opts) == err);
	if (err) {
		CHECK(err == -MYTCP_DROP_BAD_OPTION);
		return 0;
	}
	CHECK(!memcmp(&opts, &v.opts, sizeof(opts)));

	CHECK(v.doff == doff && v.hdr_len == doff * 4);
	CHECK(v.payload_len == len - v.hdr_len);
	CHECK(v.sport == (u16)(data[0] << 8 | data[1]));
	CHECK(v.dport == (u16)(data[2] << 8 | data[3]));
	CHECK(v.seq == mytcp_get_be32(data + 4));
	CHECK(v.ack == mytcp_get_be32(data + 8));
	CHECK(v.flags == data[13] && v.reserved == (data[12] & 0xf));
	CHECK(v.window == mytcp_get_be16(data + 14));
	CHECK(v.checksum == mytcp_get_be16(data + 16));
	CHECK(v.urg_ptr == mytcp_get_be16(data + 18));
	check_opts_sane(&v.opts);

	roundtrip(data, &v);
	return 0;
}
