/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp core: sequence number arithmetic (RFC 9293 section 3.4).
 *
 * Sequence numbers live in a circle of 2^32 values, so "a is before b" is
 * only meaningful for numbers less than 2^31 apart.  Every comparison here
 * computes the 32-bit difference and looks at its sign: (s32)(a - b) < 0
 * means a comes before b.  The subtraction is done on u32 (well defined
 * wrap-around), only the result is reinterpreted as signed.
 *
 * When a and b are exactly 2^31 apart, both before(a, b) and before(b, a)
 * are true; TCP never lets two live sequence numbers get that far apart
 * (windows are at most 2^30 bytes, RFC 7323 2.3).
 */
#ifndef MYTCP_CORE_SEQ_H
#define MYTCP_CORE_SEQ_H

#include "types.h"

/* a < b in sequence space */
static inline bool mytcp_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/* a > b in sequence space */
static inline bool mytcp_seq_after(u32 a, u32 b)
{
	return (s32)(b - a) < 0;
}

/* a =< b in sequence space */
static inline bool mytcp_seq_before_eq(u32 a, u32 b)
{
	return (s32)(a - b) <= 0;
}

/* a >= b in sequence space */
static inline bool mytcp_seq_after_eq(u32 a, u32 b)
{
	return (s32)(b - a) <= 0;
}

/*
 * lo =< seq =< hi, both ends INCLUSIVE, walking forward from lo.
 *
 * Equivalent to before_eq(lo, seq) && before_eq(seq, hi) whenever hi is not
 * before lo.  If lo == hi only seq == lo is inside.  If hi is before lo the
 * range is empty and the result is false.
 *
 * The RFC 9293 3.4 checks map as follows:
 *   SND.UNA < SEG.ACK =< SND.NXT       -> mytcp_seq_between(ack, una + 1, nxt)
 *   RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
 *                                      -> wnd && mytcp_seq_between(seq, nxt,
 *                                                            nxt + wnd - 1)
 */
static inline bool mytcp_seq_between(u32 seq, u32 lo, u32 hi)
{
	if ((s32)(hi - lo) < 0)
		return false;
	return seq - lo <= hi - lo;
}

/* The later of two sequence numbers. */
static inline u32 mytcp_seq_max(u32 a, u32 b)
{
	return mytcp_seq_after(a, b) ? a : b;
}

/* The earlier of two sequence numbers. */
static inline u32 mytcp_seq_min(u32 a, u32 b)
{
	return mytcp_seq_before(a, b) ? a : b;
}

/*
 * RFC 9293 3.10.7.4, first check: is a segment occupying @seg_len sequence
 * numbers from @seg_seq (data plus 1 for SYN plus 1 for FIN) acceptable
 * with the receive window [@rcv_nxt, @rcv_nxt + @rcv_wnd)?
 *
 *   Segment Length  Receive Window  Test
 *   0               0               SEG.SEQ = RCV.NXT
 *   0               >0              RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
 *   >0              0               not acceptable
 *   >0              >0              RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
 *                                or RCV.NXT =< SEG.SEQ+SEG.LEN-1
 *                                                   < RCV.NXT+RCV.WND
 */
static inline bool mytcp_seq_acceptable(u32 seg_seq, u32 seg_len,
					u32 rcv_nxt, u32 rcv_wnd)
{
	u32 last = rcv_nxt + rcv_wnd - 1;

	if (!rcv_wnd)
		return !seg_len && seg_seq == rcv_nxt;
	if (mytcp_seq_between(seg_seq, rcv_nxt, last))
		return true;
	return seg_len && mytcp_seq_between(seg_seq + seg_len - 1, rcv_nxt,
					    last);
}

#endif /* MYTCP_CORE_SEQ_H */
