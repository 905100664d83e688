// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a receiver built from the reassembly decisions of
 * core/reasm.h, walked through the same steps as input.c's
 * mytcp_queue_data(), mytcp_ooo_insert() and mytcp_ooo_drain() (with
 * arrays in place of skb queues), fed random segments near RCV.NXT and
 * judged against a byte map of what arrived.
 *
 * Input: 4 bytes ISN, 1 byte mode, 2 bytes stream length, then 5 bytes
 * per segment: a signed offset from RCV.NXT (16 bits, /16), a length
 * (16 bits), flags (bit 0 FIN, bit 1 "receive buffer full", bits 2-4 the
 * SACK blocks that fit). Mode: bit 0 "liar" (FINs anywhere, data past
 * them), bit 1 ISN just below 2^32, bits 2-4 the receive window.
 *
 * Checked after every segment: the bytes delivered are the stream's, in
 * order; RCV.NXT is the end of the bytes received without a hole (the
 * byte map's), the FIN is reported exactly when it and every byte before
 * it have arrived; the out-of-order queue holds exactly the received bytes
 * past RCV.NXT, sorted; the SACK blocks are the runs of those bytes, the
 * latest arrival's first, the rest in order, no more than allowed, each
 * one the sender would accept (mytcp_sack_block_valid()). A liar peer
 * leaves only the checks that do not need a stream end, and that a FIN
 * reported is one sent at RCV.NXT.
 */
#include "core/reasm.h"
#include "fuzz.h"

#define MAP		4096	/* stream bytes, FIN excluded, at most */
#define MAX_SEG		1024	/* longest segment */
#define MAX_HELD	256	/* segments one input can send */
#define ARENA		(MAX_HELD * MAX_SEG)

struct seg {
	u32 seq;
	u32 end;
	bool fin;
	const u8 *data;		/* end - seq bytes, a copy made on arrival */
};

struct sim {
	u32 isn;		/* sequence number of stream byte 0 */
	u32 rcv_nxt;
	u32 latest;		/* ooo_last_seq */
	int n;			/* held segments */
	struct seg q[MAX_HELD];	/* the out-of-order queue */
	u16 cnt[MAP];		/* held segments covering each byte */
	u8 out[MAP];		/* bytes delivered in order */
};

/* Receive windows the mode byte chooses from. */
static const u32 windows[8] = {
	0, 1, 536, 1460, 4096, 8192, 65535, 1U << 20,
};

static struct sim sim;
static u8 arena[ARENA];
static size_t arena_used;
static bool recv_map[MAP];	/* the oracle: bytes received */
static bool fin_at[MAP + 1];	/* ... and where FINs were sent */

/* Stream byte at offset @off: position-dependent, to catch misplacing. */
static u8 pay(u32 off)
{
	return (u8)((off >> 8) * 37 + off * 13 + 5);
}

static u32 off_of(u32 seq)
{
	return seq - sim.isn;
}

static void held_count(const struct seg *g, int d)
{
	u32 o;

	for (o = off_of(g->seq); o != off_of(g->end); o++) {
		CHECK(o < MAP);
		sim.cnt[o] += d;
	}
}

/* RCV.NXT reaches @g's end: the bytes past RCV.NXT go to the reader. */
static void deliver(const struct seg *g)
{
	u32 from = sim.rcv_nxt - g->seq, len = g->end - g->seq;
	u32 o = off_of(sim.rcv_nxt);

	CHECK(from < len && off_of(g->end) <= MAP);
	memcpy(&sim.out[o], g->data + from, len - from);
	for (; o != off_of(g->end); o++)
		CHECK(sim.out[o] == pay(o));
	sim.rcv_nxt = g->end;
}

/* As mytcp_ooo_insert(). */
static void ooo_insert(const struct seg *g, bool refuse)
{
	int i;

	for (i = 0; i < sim.n; i++) {
		const struct seg *h = &sim.q[i];
		enum mytcp_ooo_place p;

		p = mytcp_ooo_place(g->seq, g->end, g->fin, h->seq, h->end,
				    h->fin);
		if (p == MYTCP_OOO_DUP)
			return;
		if (p == MYTCP_OOO_BEFORE)
			break;
	}
	if (refuse)
		return;
	CHECK(sim.n < MAX_HELD);
	memmove(&sim.q[i + 1], &sim.q[i], (sim.n - i) * sizeof(sim.q[0]));
	sim.q[i] = *g;
	sim.n++;
	held_count(g, 1);
}

/* As mytcp_ooo_drain(): true when the FIN was reached. */
static bool ooo_drain(void)
{
	while (sim.n) {
		struct seg g = sim.q[0];
		enum mytcp_reasm_verdict v;
		bool fin;

		v = mytcp_reasm_classify(sim.rcv_nxt, g.seq, g.end, g.fin,
					 &fin);
		if (v == MYTCP_REASM_AHEAD)
			break;
		held_count(&g, -1);
		sim.n--;
		memmove(&sim.q[0], &sim.q[1], sim.n * sizeof(sim.q[0]));
		if (v == MYTCP_REASM_NEW)
			deliver(&g);
		if (fin) {
			while (sim.n)
				held_count(&sim.q[--sim.n], -1);
			return true;
		}
	}
	return false;
}

/* As mytcp_queue_data(): true when the FIN is now in order. */
static bool queue_data(const struct seg *g, bool refuse)
{
	bool fin;

	switch (mytcp_reasm_classify(sim.rcv_nxt, g->seq, g->end, g->fin,
				     &fin)) {
	case MYTCP_REASM_AHEAD:
		sim.latest = g->seq;
		ooo_insert(g, refuse);
		return false;
	case MYTCP_REASM_OLD:
		return fin;
	case MYTCP_REASM_NEW:
		break;
	}
	if (refuse)
		return false;
	deliver(g);
	if (!fin && sim.n)
		fin = ooo_drain();
	return fin;
}

/* The queue is sorted, past RCV.NXT, and the counts match it. */
static void check_queue(u32 hi)
{
	int i;

	for (i = 0; i < sim.n; i++) {
		CHECK(mytcp_seq_after(sim.q[i].seq, sim.rcv_nxt));
		CHECK(!mytcp_seq_before(sim.q[i].end, sim.q[i].seq));
		CHECK(off_of(sim.q[i].end) <= hi);
		if (i)
			CHECK(!mytcp_seq_before(sim.q[i].seq,
						sim.q[i - 1].seq));
	}
}

/*
 * The SACK blocks for @max slots against the runs of held bytes in
 * [RCV.NXT, @hi), found from the byte counts, not from the queue.
 */
static void check_sack(u8 max, u32 hi, u32 snd_nxt)
{
	struct mytcp_sack_block blk[MYTCP_MAX_SACK], exp[MYTCP_MAX_SACK];
	struct mytcp_sack_block runs[MAP / 2 + 1];
	struct mytcp_sack_builder b;
	u32 o, lo = off_of(sim.rcv_nxt), latest = off_of(sim.latest);
	int nruns = 0, nexp = 0, first = -1, i;
	u8 n, cap = max < MYTCP_MAX_SACK ? max : MYTCP_MAX_SACK;

	for (o = lo; o < hi; o++) {
		if (!sim.cnt[o])
			continue;
		if (!nruns || runs[nruns - 1].right != sim.isn + o)
			runs[nruns++].left = sim.isn + o;
		runs[nruns - 1].right = sim.isn + o + 1;
		if (o == latest)
			first = nruns - 1;
	}
	if (first >= 0 && cap)
		exp[nexp++] = runs[first];
	for (i = 0; i < nruns && nexp < cap; i++)
		if (i != first)
			exp[nexp++] = runs[i];

	mytcp_sack_build_init(&b, sim.latest, max);
	for (i = 0; i < sim.n; i++)
		mytcp_sack_build_add(&b, sim.q[i].seq, sim.q[i].end);
	n = mytcp_sack_build_finish(&b, blk);

	CHECK(n <= cap);
	for (i = 0; i < n; i++) {
		/* RFC 2018 4: a block is received data, never empty. */
		CHECK(mytcp_seq_before(blk[i].left, blk[i].right));
		CHECK(mytcp_sack_block_valid(blk[i].left, blk[i].right,
					     sim.rcv_nxt, snd_nxt));
	}
	CHECK(n == nexp);
	for (i = 0; i < n; i++)
		CHECK(blk[i].left == exp[i].left &&
		      blk[i].right == exp[i].right);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u32 stream_len, wnd, right_edge, pre = 0, hi = 0;
	bool liar, fin_known = false, fin = false;
	size_t pos;
	u8 mode;

	if (size < 7)
		return 0;
	mode = data[4];
	liar = mode & 1;
	sim.isn = mytcp_get_be32(data);
	if (mode & 2)
		sim.isn = 0U - 1 - (sim.isn & 0xfff);
	wnd = windows[(mode >> 2) & 7];
	stream_len = mytcp_get_be16(data + 5) % MAP;
	sim.rcv_nxt = sim.isn;
	sim.latest = 0;
	sim.n = 0;
	memset(sim.cnt, 0, sizeof(sim.cnt));
	memset(recv_map, 0, sizeof(recv_map));
	memset(fin_at, 0, sizeof(fin_at));
	arena_used = 0;
	right_edge = sim.isn + wnd;

	/* One segment per 5 bytes, no more than the queue can hold. */
	for (pos = 7; pos + 5 <= size && pos < 7 + 5 * MAX_HELD; pos += 5) {
		const u8 *p = data + pos;
		s32 start = (s32)off_of(sim.rcv_nxt) +
			    (s16)mytcp_get_be16(p) / 16;
		u32 len = mytcp_get_be16(p + 2) % (MAX_SEG + 1);
		u32 last = liar ? MAP : stream_len;	/* no byte at last */
		bool refuse = p[4] & 2;
		u32 end, wnd_now, o, rcv_off;
		struct seg g;

		if (start < 0)
			start = 0;
		if ((u32)start > last)
			start = last;
		end = mytcp_min_u32(start + len, last);
		g.seq = sim.isn + start;
		g.end = sim.isn + end;
		/* An honest FIN ends the stream; a liar's goes anywhere. */
		g.fin = (p[4] & 1) && (liar || end == stream_len);
		if (g.end == g.seq && !g.fin)
			continue;	/* no text: input.c skips it */
		if (arena_used + (end - start) > ARENA)
			break;
		for (o = start; o < end; o++)
			arena[arena_used + o - start] = pay(o);
		g.data = arena + arena_used;
		arena_used += end - start;

		/* RFC 9293 3.10.7.4, first check, as input.c applies it. */
		wnd_now = mytcp_seq_after(right_edge, sim.rcv_nxt) ?
			  right_edge - sim.rcv_nxt : 0;
		if (!mytcp_seq_acceptable(g.seq, end - start + g.fin,
					  sim.rcv_nxt, wnd_now))
			continue;

		/* The oracle: which bytes and FIN the receiver now has. */
		fin_at[end] |= g.fin;
		if (!(refuse && end > pre)) {
			for (o = start; o < end; o++)
				recv_map[o] = true;
			fin_known |= g.fin;
		}
		while (pre < stream_len && recv_map[pre])
			pre++;
		if ((u32)start > off_of(sim.rcv_nxt) && !refuse)
			hi = mytcp_max_u32(hi, end);

		rcv_off = off_of(sim.rcv_nxt);
		fin = queue_data(&g, refuse);
		CHECK(off_of(sim.rcv_nxt) >= rcv_off);
		CHECK(off_of(sim.rcv_nxt) <= last);
		right_edge = mytcp_seq_max(right_edge, sim.rcv_nxt + wnd);
		if (fin) {
			/* Even a liar's FIN counts only where it was sent. */
			CHECK(fin_at[off_of(sim.rcv_nxt)]);
			break;
		}
		check_queue(liar ? MAP : stream_len);
		check_sack((p[4] >> 2) & 7, hi,
			   sim.isn + (liar ? MAP : stream_len + 1));
		if (liar)
			continue;
		CHECK(off_of(sim.rcv_nxt) == pre);
		CHECK(!(fin_known && pre == stream_len));
		/* Held bytes are exactly the received ones past RCV.NXT. */
		for (o = pre; o < hi; o++)
			CHECK(!sim.cnt[o] == !recv_map[o]);
	}
	if (fin && !liar) {
		CHECK(fin_known);
		CHECK(off_of(sim.rcv_nxt) == stream_len && pre == stream_len);
	}
	return 0;
}
