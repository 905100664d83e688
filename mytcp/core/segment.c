// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp core: TCP header parsing/validation and option building.
 * See segment.h for the rules.
 */
#include "segment.h"

#define MYTCP_OPT_BUILDABLE	(MYTCP_OPT_MSS | MYTCP_OPT_WSCALE | \
				 MYTCP_OPT_SACK_PERM | MYTCP_OPT_SACK | \
				 MYTCP_OPT_TS)

static const char * const mytcp_drop_names[MYTCP_DROP_MAX] = {
	[MYTCP_DROP_NONE]	= "NONE",
	[MYTCP_DROP_TOO_SHORT]	= "TOO_SHORT",
	[MYTCP_DROP_BAD_DOFF]	= "BAD_DOFF",
	[MYTCP_DROP_BAD_OPTION]	= "BAD_OPTION",
};

const char *mytcp_drop_reason_name(int reason)
{
	if (reason < 0 && reason > -MYTCP_DROP_MAX)
		reason = -reason;
	if (reason < 0 || reason >= MYTCP_DROP_MAX)
		return "UNKNOWN";
	return mytcp_drop_names[reason];
}

/* Store one option whose kind and (validated) length are known. */
static int mytcp_take_option(const u8 *p, u8 kind, u8 optlen,
			     struct mytcp_opts *out)
{
	u8 i, n;

	switch (kind) {
	case MYTCP_OPT_KIND_MSS:
		if (optlen != MYTCP_OPT_LEN_MSS)
			return -MYTCP_DROP_BAD_OPTION;
		out->mss = mytcp_get_be16(p + 2);
		out->present |= MYTCP_OPT_MSS;
		break;
	case MYTCP_OPT_KIND_WSCALE:
		if (optlen != MYTCP_OPT_LEN_WSCALE)
			return -MYTCP_DROP_BAD_OPTION;
		out->wscale_raw = p[2];
		if (p[2] > MYTCP_MAX_WSCALE) {
			/* RFC 7323 2.3: log it, but MUST use 14 instead. */
			out->wscale = MYTCP_MAX_WSCALE;
			out->present |= MYTCP_OPT_WSCALE_CLAMPED;
		} else {
			out->wscale = p[2];
			out->present &= ~(u32)MYTCP_OPT_WSCALE_CLAMPED;
		}
		out->present |= MYTCP_OPT_WSCALE;
		break;
	case MYTCP_OPT_KIND_SACK_PERM:
		if (optlen != MYTCP_OPT_LEN_SACK_PERM)
			return -MYTCP_DROP_BAD_OPTION;
		out->present |= MYTCP_OPT_SACK_PERM;
		break;
	case MYTCP_OPT_KIND_TS:
		if (optlen != MYTCP_OPT_LEN_TS)
			return -MYTCP_DROP_BAD_OPTION;
		out->ts_val = mytcp_get_be32(p + 2);
		out->ts_ecr = mytcp_get_be32(p + 6);
		out->present |= MYTCP_OPT_TS;
		break;
	case MYTCP_OPT_KIND_SACK:
		if (optlen < MYTCP_OPT_LEN_SACK_BASE + MYTCP_OPT_LEN_SACK_BLOCK ||
		    (optlen - MYTCP_OPT_LEN_SACK_BASE) % MYTCP_OPT_LEN_SACK_BLOCK)
			return -MYTCP_DROP_BAD_OPTION;
		n = (optlen - MYTCP_OPT_LEN_SACK_BASE) / MYTCP_OPT_LEN_SACK_BLOCK;
		if (n > MYTCP_MAX_SACK)
			return -MYTCP_DROP_BAD_OPTION;
		for (i = 0; i < n; i++) {
			const u8 *b = p + MYTCP_OPT_LEN_SACK_BASE +
				      i * MYTCP_OPT_LEN_SACK_BLOCK;

			out->sack[i].left = mytcp_get_be32(b);
			out->sack[i].right = mytcp_get_be32(b + 4);
		}
		out->nr_sack = n;
		out->present |= MYTCP_OPT_SACK;
		break;
	default:
		/* RFC 9293 3.1: unknown options are skipped by length. */
		out->present |= MYTCP_OPT_UNKNOWN;
		break;
	}
	return 0;
}

int mytcp_parse_options(const u8 *opt, u32 len, struct mytcp_opts *out)
{
	u32 off = 0;

	memset(out, 0, sizeof(*out));

	while (off < len) {
		u8 kind = opt[off];
		u8 optlen;
		int err;

		if (kind == MYTCP_OPT_KIND_EOL) {
			out->present |= MYTCP_OPT_EOL;
			break;
		}
		if (kind == MYTCP_OPT_KIND_NOP) {
			off++;
			continue;
		}
		/* Needs a length byte, inside the list. */
		if (len - off < 2)
			return -MYTCP_DROP_BAD_OPTION;
		optlen = opt[off + 1];
		if (optlen < 2 || optlen > len - off)
			return -MYTCP_DROP_BAD_OPTION;
		err = mytcp_take_option(opt + off, kind, optlen, out);
		if (err)
			return err;
		off += optlen;
	}
	return 0;
}

int mytcp_parse_header(const u8 *buf, u32 len, struct mytcp_hdr_view *out)
{
	u32 hdr_len;
	int err;

	if (len < MYTCP_HDR_MIN_LEN)
		return -MYTCP_DROP_TOO_SHORT;

	out->doff = buf[12] >> 4;
	hdr_len = (u32)out->doff * 4;
	if (hdr_len < MYTCP_HDR_MIN_LEN || hdr_len > len)
		return -MYTCP_DROP_BAD_DOFF;

	out->sport = mytcp_get_be16(buf);
	out->dport = mytcp_get_be16(buf + 2);
	out->seq = mytcp_get_be32(buf + 4);
	out->ack = mytcp_get_be32(buf + 8);
	out->reserved = buf[12] & 0x0f;
	out->flags = buf[13];
	out->window = mytcp_get_be16(buf + 14);
	out->checksum = mytcp_get_be16(buf + 16);
	out->urg_ptr = mytcp_get_be16(buf + 18);
	out->hdr_len = (u16)hdr_len;
	out->payload_len = len - hdr_len;

	err = mytcp_parse_options(buf + MYTCP_HDR_MIN_LEN,
				  hdr_len - MYTCP_HDR_MIN_LEN, &out->opts);
	return err;
}

static bool mytcp_opt_out_valid(const struct mytcp_opt_out *o)
{
	if (o->present & ~(u32)MYTCP_OPT_BUILDABLE)
		return false;
	if ((o->present & MYTCP_OPT_WSCALE) && o->wscale > MYTCP_MAX_WSCALE)
		return false;
	if ((o->present & MYTCP_OPT_SACK) &&
	    (o->nr_sack < 1 || o->nr_sack > MYTCP_MAX_SACK))
		return false;
	return true;
}

/* Size of everything except SACK blocks. */
static u32 mytcp_base_size(const struct mytcp_opt_out *o)
{
	u32 size = 0;

	if (o->present & MYTCP_OPT_MSS)
		size += 4;
	if (o->present & MYTCP_OPT_TS)
		size += 12;	/* SACK-perm rides in the TS padding */
	else if (o->present & MYTCP_OPT_SACK_PERM)
		size += 4;
	if (o->present & MYTCP_OPT_WSCALE)
		size += 4;
	return size;
}

int mytcp_options_size(const struct mytcp_opt_out *o)
{
	u32 size;

	if (!mytcp_opt_out_valid(o))
		return -MYTCP_BUILD_INVALID;
	size = mytcp_base_size(o);
	if (o->present & MYTCP_OPT_SACK)
		size += 4 + (u32)o->nr_sack * MYTCP_OPT_LEN_SACK_BLOCK;
	return (int)size;
}

u8 mytcp_sack_blocks_fit(const struct mytcp_opt_out *o)
{
	u32 base = mytcp_base_size(o);
	u32 n;

	if (base + 4 + MYTCP_OPT_LEN_SACK_BLOCK > MYTCP_MAX_OPT_LEN)
		return 0;
	n = (MYTCP_MAX_OPT_LEN - base - 4) / MYTCP_OPT_LEN_SACK_BLOCK;
	return (u8)mytcp_min_u32(n, MYTCP_MAX_SACK);
}

int mytcp_build_options(u8 *buf, u32 room, const struct mytcp_opt_out *o)
{
	int size = mytcp_options_size(o);
	u8 *p = buf;
	u8 i;

	if (size < 0)
		return size;
	if ((u32)size > room || size > MYTCP_MAX_OPT_LEN)
		return -MYTCP_BUILD_NOSPACE;

	if (o->present & MYTCP_OPT_MSS) {
		p[0] = MYTCP_OPT_KIND_MSS;
		p[1] = MYTCP_OPT_LEN_MSS;
		mytcp_put_be16(p + 2, o->mss);
		p += 4;
	}
	if (o->present & MYTCP_OPT_TS) {
		if (o->present & MYTCP_OPT_SACK_PERM) {
			p[0] = MYTCP_OPT_KIND_SACK_PERM;
			p[1] = MYTCP_OPT_LEN_SACK_PERM;
		} else {
			p[0] = MYTCP_OPT_KIND_NOP;
			p[1] = MYTCP_OPT_KIND_NOP;
		}
		p[2] = MYTCP_OPT_KIND_TS;
		p[3] = MYTCP_OPT_LEN_TS;
		mytcp_put_be32(p + 4, o->ts_val);
		mytcp_put_be32(p + 8, o->ts_ecr);
		p += 12;
	} else if (o->present & MYTCP_OPT_SACK_PERM) {
		p[0] = MYTCP_OPT_KIND_NOP;
		p[1] = MYTCP_OPT_KIND_NOP;
		p[2] = MYTCP_OPT_KIND_SACK_PERM;
		p[3] = MYTCP_OPT_LEN_SACK_PERM;
		p += 4;
	}
	if (o->present & MYTCP_OPT_WSCALE) {
		p[0] = MYTCP_OPT_KIND_NOP;
		p[1] = MYTCP_OPT_KIND_WSCALE;
		p[2] = MYTCP_OPT_LEN_WSCALE;
		p[3] = o->wscale;
		p += 4;
	}
	if (o->present & MYTCP_OPT_SACK) {
		p[0] = MYTCP_OPT_KIND_NOP;
		p[1] = MYTCP_OPT_KIND_NOP;
		p[2] = MYTCP_OPT_KIND_SACK;
		p[3] = (u8)(MYTCP_OPT_LEN_SACK_BASE +
			    o->nr_sack * MYTCP_OPT_LEN_SACK_BLOCK);
		p += 4;
		for (i = 0; i < o->nr_sack; i++) {
			mytcp_put_be32(p, o->sack[i].left);
			mytcp_put_be32(p + 4, o->sack[i].right);
			p += MYTCP_OPT_LEN_SACK_BLOCK;
		}
	}
	return (int)(p - buf);
}
