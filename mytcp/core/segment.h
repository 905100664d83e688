/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp core: TCP header parsing/validation and option building.
 *
 * A mytcp segment is a TCP segment byte for byte (RFC 9293 3.1):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |       Destination Port        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                        Sequence Number                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Acknowledgment Number                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Data |       |C|E|U|A|P|R|S|F|                               |
 *   | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *   |       |       |R|E|G|K|H|T|N|N|                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           Checksum            |         Urgent Pointer        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    [Options]                                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The parser only checks STRUCTURE (lengths, data offset, option encoding).
 * It does not verify the checksum and makes no policy decision about flag
 * combinations, ports or sequence numbers; that is the caller's job.
 */
#ifndef MYTCP_CORE_SEGMENT_H
#define MYTCP_CORE_SEGMENT_H

#include "types.h"

#define MYTCP_HDR_MIN_LEN	20	/* header without options, bytes */
#define MYTCP_HDR_MAX_LEN	60	/* data offset 15 * 4 */
#define MYTCP_MAX_OPT_LEN	40	/* MYTCP_HDR_MAX_LEN - MYTCP_HDR_MIN_LEN */
#define MYTCP_MAX_SACK		4	/* SACK blocks that fit in 40 bytes */
#define MYTCP_MAX_WSCALE	14	/* RFC 7323 2.3 */

/* Control bits, byte 13 of the header, same values as on the wire. */
#define MYTCP_FLAG_FIN		0x01
#define MYTCP_FLAG_SYN		0x02
#define MYTCP_FLAG_RST		0x04
#define MYTCP_FLAG_PSH		0x08
#define MYTCP_FLAG_ACK		0x10
#define MYTCP_FLAG_URG		0x20
#define MYTCP_FLAG_ECE		0x40
#define MYTCP_FLAG_CWR		0x80

/* Option kinds (IANA "TCP Option Kind Numbers"). */
#define MYTCP_OPT_KIND_EOL		0
#define MYTCP_OPT_KIND_NOP		1
#define MYTCP_OPT_KIND_MSS		2
#define MYTCP_OPT_KIND_WSCALE		3
#define MYTCP_OPT_KIND_SACK_PERM	4
#define MYTCP_OPT_KIND_SACK		5
#define MYTCP_OPT_KIND_TS		8

/* Option lengths (kind and length bytes included). */
#define MYTCP_OPT_LEN_MSS		4
#define MYTCP_OPT_LEN_WSCALE		3
#define MYTCP_OPT_LEN_SACK_PERM		2
#define MYTCP_OPT_LEN_TS		10
#define MYTCP_OPT_LEN_SACK_BASE		2	/* plus 8 per block */
#define MYTCP_OPT_LEN_SACK_BLOCK	8

/* Bits of mytcp_opts.present and mytcp_opt_out.present. */
#define MYTCP_OPT_MSS		BIT(0)
#define MYTCP_OPT_WSCALE	BIT(1)
#define MYTCP_OPT_SACK_PERM	BIT(2)
#define MYTCP_OPT_SACK		BIT(3)
#define MYTCP_OPT_TS		BIT(4)
#define MYTCP_OPT_EOL		BIT(5)	/* parse only: list ended by EOL */
#define MYTCP_OPT_UNKNOWN	BIT(6)	/* parse only: unknown kind skipped */
#define MYTCP_OPT_WSCALE_CLAMPED BIT(7) /* parse only: shift > 14 seen */

/*
 * Why a segment was rejected.  Parse functions return the NEGATED value
 * (e.g. -MYTCP_DROP_BAD_DOFF); 0 means success.
 */
enum mytcp_drop_reason {
	MYTCP_DROP_NONE = 0,
	MYTCP_DROP_TOO_SHORT,	/* fewer than 20 bytes */
	MYTCP_DROP_BAD_DOFF,	/* data offset < 5, or doff * 4 > segment */
	MYTCP_DROP_BAD_OPTION,	/* malformed option list, see below */
	MYTCP_DROP_MAX
};

/* Errors returned (negated) by mytcp_build_options(). */
enum mytcp_build_err {
	MYTCP_BUILD_NOSPACE = 1,	/* does not fit in room or in 40 bytes */
	MYTCP_BUILD_INVALID,		/* bad request, e.g. nr_sack > 4 */
};

/* One SACK block (RFC 2018): [left, right) in sequence space. */
struct mytcp_sack_block {
	u32 left;
	u32 right;
};

/* Options found by the parser.  Only fields whose bit is set are valid. */
struct mytcp_opts {
	u32 present;		/* MYTCP_OPT_* bits */
	u16 mss;		/* MSS option value */
	u8 wscale;		/* shift count, already clamped to 14 */
	u8 wscale_raw;		/* shift count as received */
	u32 ts_val;		/* TSval */
	u32 ts_ecr;		/* TSecr */
	u8 nr_sack;		/* 1..4 when MYTCP_OPT_SACK is set */
	struct mytcp_sack_block sack[MYTCP_MAX_SACK];
};

/* A parsed header.  All multi-byte fields are in host byte order. */
struct mytcp_hdr_view {
	u16 sport;
	u16 dport;
	u32 seq;
	u32 ack;
	u8 doff;		/* data offset in 32-bit words, 5..15 */
	u8 flags;		/* MYTCP_FLAG_* */
	u8 reserved;		/* the 4 reserved bits, 0..15 */
	u16 window;		/* raw 16-bit window field, NOT scaled */
	u16 checksum;		/* raw checksum field (not verified) */
	u16 urg_ptr;
	u16 hdr_len;		/* doff * 4, bytes */
	u32 payload_len;	/* len - hdr_len */
	struct mytcp_opts opts;
};

/* What mytcp_build_options() should write.  Only bits in present matter. */
struct mytcp_opt_out {
	u32 present;		/* MYTCP_OPT_MSS|WSCALE|SACK_PERM|TS|SACK */
	u16 mss;
	u8 wscale;		/* must be 0..14 */
	u32 ts_val;
	u32 ts_ecr;
	u8 nr_sack;		/* 1..4 when MYTCP_OPT_SACK is set */
	struct mytcp_sack_block sack[MYTCP_MAX_SACK];
};

/*
 * mytcp_parse_header - parse and validate a TCP header.
 * @buf: first byte of the TCP header
 * @len: length of the whole TCP segment (header + payload) in bytes, as
 *       given by the IP layer (NOT including any link-layer padding)
 * @out: filled on success; contents unspecified on failure
 *
 * Return: 0, or -MYTCP_DROP_TOO_SHORT, -MYTCP_DROP_BAD_DOFF,
 * -MYTCP_DROP_BAD_OPTION.  Options are parsed as mytcp_parse_options().
 */
int mytcp_parse_header(const u8 *buf, u32 len, struct mytcp_hdr_view *out);

/*
 * mytcp_parse_options - parse an option list (the bytes after the fixed
 * 20-byte header, @len = hdr_len - 20).
 *
 * Rules (RFC 9293 3.1 and 3.2, RFC 7323, RFC 2018):
 *  - EOL (0) ends the list; bytes after it are ignored.
 *  - NOP (1) is one byte.
 *  - Every other option has a length byte that counts kind and length
 *    bytes; it must be >= 2 and must not run past the end of the list.
 *  - MSS must have length 4, WS 3, SACK-permitted 2, timestamps 10 and
 *    SACK 2 + 8 * n with n in 1..4.  A known option with any other length
 *    is BAD_OPTION (RFC 9293 3.1 allows rejecting illegal option lengths).
 *  - A window scale shift above 14 is used as 14 (RFC 7323 2.3); the raw
 *    value stays in wscale_raw and MYTCP_OPT_WSCALE_CLAMPED is set.
 *  - Unknown kinds are skipped by their length; MYTCP_OPT_UNKNOWN is set.
 *  - If an option appears twice, the later one wins.
 *  - Whether an option is allowed in this kind of segment (e.g. MSS or WS
 *    only on SYN) is NOT checked here.
 *
 * Return: 0 or -MYTCP_DROP_BAD_OPTION.
 */
int mytcp_parse_options(const u8 *opt, u32 len, struct mytcp_opts *out);

/*
 * mytcp_options_size - bytes mytcp_build_options() would write for @o
 * (a multiple of 4), or a negative mytcp_build_err.  Does not check 40.
 */
int mytcp_options_size(const struct mytcp_opt_out *o);

/*
 * mytcp_build_options - write the options in @o at @buf.
 * @room: bytes available at @buf
 *
 * The layout is the one Linux uses, so captures look familiar:
 *   MSS                       02 04 <MSS>
 *   SACK-permitted + TS       04 02 08 0a <TSval> <TSecr>
 *   TS alone                  01 01 08 0a <TSval> <TSecr>
 *   SACK-permitted alone      01 01 04 02
 *   window scale              01 03 03 <shift>
 *   SACK blocks               01 01 05 <len> <left right>...
 * in this order.  A typical SYN is
 *   02 04 05 b4 04 02 08 0a <TSval> <TSecr> 01 03 03 07   (20 bytes).
 *
 * Return: bytes written (a multiple of 4, at most 40), or
 * -MYTCP_BUILD_NOSPACE if the options need more than @room or more than 40
 * bytes (nothing is written then), or -MYTCP_BUILD_INVALID.
 */
int mytcp_build_options(u8 *buf, u32 room, const struct mytcp_opt_out *o);

/*
 * mytcp_sack_blocks_fit - how many SACK blocks fit next to the other
 * options in @o (ignoring o->nr_sack), 0..4.
 */
u8 mytcp_sack_blocks_fit(const struct mytcp_opt_out *o);

/* Short constant name of a drop reason ("TOO_SHORT", ...), never NULL. */
const char *mytcp_drop_reason_name(int reason);

#endif /* MYTCP_CORE_SEGMENT_H */
