/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp core: the sequence-range decisions of reassembly (RFC 9293
 * 3.10.7.4, seventh check), the SACK blocks a receiver reports (RFC 2018
 * 4) and the check a sender applies to the blocks it receives (RFC 2018
 * 5). The kernel glue keeps the skbs and walks its queues; these helpers
 * decide, from sequence numbers only, what happens to each segment.
 *
 * A segment here is [seq, end): its payload; the FIN is not counted in
 * end but given by @fin, and sits at sequence number end.
 *
 * They run per segment and per ACK: short ones are inline.
 */
#ifndef MYTCP_CORE_REASM_H
#define MYTCP_CORE_REASM_H

#include "types.h"
#include "seq.h"
#include "segment.h"

/* What a segment (or the head of the out-of-order queue) means at RCV.NXT. */
enum mytcp_reasm_verdict {
	MYTCP_REASM_AHEAD,	/* starts after RCV.NXT: a hole before it */
	MYTCP_REASM_NEW,	/* brings bytes at RCV.NXT: then RCV.NXT = end */
	MYTCP_REASM_OLD,	/* brings no new byte: drop */
};

/*
 * mytcp_reasm_classify - where [@seq, @end) stands against @rcv_nxt.
 * @fin_next: set when, once the verdict is acted on, the segment's FIN is
 *            the next thing in the stream (RFC 9293 3.10.7.4, eighth
 *            check): a NEW segment's FIN, or an OLD one's FIN exactly at
 *            RCV.NXT (a retransmitted FIN, or the FIN of data already in).
 *
 * Data that overlaps RCV.NXT is NEW: the receiver keeps the old bytes in
 * front and the reader skips them, so no trimming is decided here.
 */
static inline enum mytcp_reasm_verdict
mytcp_reasm_classify(u32 rcv_nxt, u32 seq, u32 end, bool fin, bool *fin_next)
{
	*fin_next = false;
	if (mytcp_seq_after(seq, rcv_nxt))
		return MYTCP_REASM_AHEAD;
	if (mytcp_seq_after(end, rcv_nxt)) {
		*fin_next = fin;
		return MYTCP_REASM_NEW;
	}
	*fin_next = fin && end == rcv_nxt;
	return MYTCP_REASM_OLD;
}

/* Where a segment goes in the out-of-order queue, against one held there. */
enum mytcp_ooo_place {
	MYTCP_OOO_NEXT,		/* look at the next held segment */
	MYTCP_OOO_BEFORE,	/* insert it before this one */
	MYTCP_OOO_DUP,		/* this one holds all it has: drop it */
};

/*
 * mytcp_ooo_place - walking the queue in sequence order, what a new
 * segment [@seq, @end) (@fin) does at held segment [@hseq, @hend) (@hfin).
 * The queue stays sorted by start; a segment with the start of a held one
 * goes after it. A duplicate is one a single held segment covers, FIN
 * included: a FIN is news even on bytes already held.
 */
static inline enum mytcp_ooo_place
mytcp_ooo_place(u32 seq, u32 end, bool fin, u32 hseq, u32 hend, bool hfin)
{
	if (mytcp_seq_after_eq(seq, hseq) && mytcp_seq_before_eq(end, hend) &&
	    (hfin || !fin))
		return MYTCP_OOO_DUP;
	if (mytcp_seq_before(seq, hseq))
		return MYTCP_OOO_BEFORE;
	return MYTCP_OOO_NEXT;
}

/*
 * The SACK blocks we send (RFC 2018 4), built while walking the
 * out-of-order queue in sequence order:
 *
 *	mytcp_sack_build_init(&b, latest_seq, max);
 *	for each held segment: mytcp_sack_build_add(&b, seq, end);
 *	n = mytcp_sack_build_finish(&b, blocks);
 *
 * Held segments are merged into ranges of contiguous data; the first
 * block is the range holding @latest_seq (the start of the latest
 * out-of-order arrival), the rest follow in sequence order, at most @max
 * in all. A range with no byte (a FIN alone) is no block: RFC 2018 3
 * blocks are bytes received, and the sender ignores an empty one.
 */
struct mytcp_sack_builder {
	struct mytcp_sack_block cur;	/* the range being merged */
	struct mytcp_sack_block latest;
	struct mytcp_sack_block others[MYTCP_MAX_SACK];
	u32 latest_seq;
	u8 max;
	u8 n_others;
	bool open;			/* cur holds a range */
	bool found;			/* latest is set */
};

static inline void mytcp_sack_build_init(struct mytcp_sack_builder *b,
					 u32 latest_seq, u8 max)
{
	b->latest_seq = latest_seq;
	b->max = (u8)mytcp_min_u32(max, MYTCP_MAX_SACK);
	b->n_others = 0;
	b->open = false;
	b->found = false;
}

/* The range in cur is complete: keep it as the first block or another. */
static inline void mytcp_sack_build_close(struct mytcp_sack_builder *b)
{
	const struct mytcp_sack_block *r = &b->cur;

	b->open = false;
	/* A bare FIN held out of order has no byte to report. */
	if (r->left == r->right)
		return;
	if (!b->found && mytcp_seq_after_eq(b->latest_seq, r->left) &&
	    mytcp_seq_before(b->latest_seq, r->right)) {
		b->latest = *r;
		b->found = true;
	} else if (b->n_others < b->max) {
		b->others[b->n_others++] = *r;
	}
}

static inline void mytcp_sack_build_add(struct mytcp_sack_builder *b,
					u32 seq, u32 end)
{
	if (b->open && !mytcp_seq_after(seq, b->cur.right)) {
		/* Touches or overlaps the range: one block. */
		b->cur.right = mytcp_seq_max(b->cur.right, end);
		return;
	}
	if (b->open)
		mytcp_sack_build_close(b);	/* a hole before @seq */
	b->cur.left = seq;
	b->cur.right = end;
	b->open = true;
}

/* Write the blocks to @blk (room for MYTCP_MAX_SACK); returns how many. */
u8 mytcp_sack_build_finish(struct mytcp_sack_builder *b,
			   struct mytcp_sack_block *blk);

/*
 * mytcp_sack_block_valid - may the sender mark a received SACK block
 * [@left, @right) on its scoreboard? Only when it is not empty and lies
 * within (SND.UNA, SND.NXT]: a block at or below SND.UNA is a D-SACK
 * (RFC 2883) or stale, one past SND.NXT is junk (RFC 2018 5 leaves both
 * to the sender; we ignore them).
 */
static inline bool mytcp_sack_block_valid(u32 left, u32 right,
					  u32 snd_una, u32 snd_nxt)
{
	return mytcp_seq_before(left, right) &&
	       mytcp_seq_after(left, snd_una) &&
	       !mytcp_seq_after(right, snd_nxt);
}

/* Does SACK block [@left, @right) cover sent segment [@seq, @end) whole? */
static inline bool mytcp_sack_covers(u32 left, u32 right, u32 seq, u32 end)
{
	return !mytcp_seq_before(seq, left) && !mytcp_seq_after(end, right);
}

#endif /* MYTCP_CORE_REASM_H */
