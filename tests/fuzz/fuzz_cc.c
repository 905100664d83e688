// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: random event sequences through the congestion
 * control framework, Reno and CUBIC.
 *
 * Byte 0 picks the algorithm; then each event is an opcode byte and its
 * arguments: an ACK (acked, in flight, clock step, RTT, cwnd-limited),
 * entering or leaving recovery, an RTO, idle, or a clock that is set
 * anywhere, backwards included. Events follow the calling rules of cc.h
 * (no ACKs and no second loss inside recovery), and after each one the
 * window must obey the rules checked below.
 */
#include "core/cc.h"
#include "fuzz.h"

#define CUBIC_WND_MAX	((1U << 22) - 1)

enum fuzz_op {
	OP_ACK,
	OP_ENTER_RECOVERY,
	OP_EXIT_RECOVERY,
	OP_RTO,
	OP_IDLE,
	OP_SET_CLOCK,
	OP_MAX,
};

struct fuzz_input {
	const u8 *p;
	size_t n;
};

/* @bytes little-endian bytes of input, zeros once it runs out. */
static u64 take(struct fuzz_input *in, unsigned int bytes)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (u64)in->p[0] << (8 * i);
	return v;
}

static u32 take_acked(struct fuzz_input *in, unsigned int mode, u32 cwnd)
{
	switch (mode) {
	case 0:
		return 1;
	case 1:
		return 1 + (u32)take(in, 1);
	case 2:
		return 1 + (u32)(take(in, 2) % cwnd);
	default:
		return (u32)take(in, 4);	/* anything, 0 included */
	}
}

static void fuzz_ack(const struct mytcp_cc_ops *ops, struct mytcp_cc *cc,
		     struct fuzz_input *in, u64 *now_us, u32 *min_rtt_us)
{
	u32 flags = (u32)take(in, 1);
	struct mytcp_cc_ack ack = { 0 };
	struct mytcp_cc before = *cc;

	ack.cwnd_limited = (flags & 7) != 0;
	ack.acked = take_acked(in, (flags >> 3) & 3, cc->cwnd);
	ack.in_flight = mytcp_max_u32(ack.acked, (u32)take(in, 2));
	*now_us += take(in, 2) << ((flags >> 5) * 4);
	ack.now_us = *now_us;
	ack.rtt_us = (u32)take(in, 2) * 16;
	if (ack.rtt_us && (!*min_rtt_us || ack.rtt_us < *min_rtt_us))
		*min_rtt_us = ack.rtt_us;
	ack.min_rtt_us = *min_rtt_us;

	mytcp_cc_on_ack(ops, cc, &ack);

	/* An application-limited or empty ACK changes nothing at all. */
	if (!ack.cwnd_limited || !ack.acked) {
		CHECK(!memcmp(&before, cc, sizeof(*cc)));
		return;
	}
	CHECK(cc->ssthresh == before.ssthresh);
	/* An ACK never shrinks cwnd, nor grows it by more than it acked. */
	CHECK(cc->cwnd >= before.cwnd);
	CHECK(cc->cwnd - before.cwnd <= ack.acked);
	/* Slow start (RFC 5681 3.1): exactly +acked while it fits. */
	if ((u64)before.cwnd + ack.acked <= before.ssthresh)
		CHECK(cc->cwnd == before.cwnd + ack.acked);
	if (ops != &mytcp_cc_cubic || before.cwnd < before.ssthresh)
		return;
	/* CUBIC congestion avoidance: under the cap, 1.5x (RFC 9438 4.4). */
	CHECK(cc->cwnd <= mytcp_max_u32(before.cwnd, CUBIC_WND_MAX));
	if (ack.acked <= before.cwnd)
		CHECK(cc->cwnd <= (u64)before.cwnd + before.cwnd / 2 + 2);
	CHECK(cc->priv.cubic.in_epoch || before.cwnd >= CUBIC_WND_MAX);
}

static void fuzz_loss(const struct mytcp_cc_ops *ops, struct mytcp_cc *cc,
		      u32 in_flight, bool rto)
{
	u32 cwnd = cc->cwnd, expect;

	if (rto)
		mytcp_cc_on_rto(ops, cc, in_flight);
	else
		mytcp_cc_enter_recovery(ops, cc, in_flight);

	if (ops == &mytcp_cc_cubic)	/* RFC 9438 4.6 */
		expect = (u32)((u64)cwnd * 7 / 10);
	else				/* RFC 5681 (4) */
		expect = in_flight / 2;
	CHECK(cc->ssthresh == mytcp_max_u32(expect, MYTCP_CC_MIN_SSTHRESH));
	CHECK(cc->cwnd == (rto ? 1 : cc->ssthresh));
	CHECK(cc->cwnd_cnt == 0);
	if (ops == &mytcp_cc_cubic) {
		const struct mytcp_cubic *cu = &cc->priv.cubic;

		CHECK(!cu->in_epoch);
		CHECK(cu->cwnd_prior == mytcp_min_u32(cwnd, CUBIC_WND_MAX));
		/* RFC 9438 4.7: W_max never above the window at the loss */
		CHECK(cu->w_max <= (u64)cu->cwnd_prior << 10);
		if (rto)	/* RFC 9438 4.8 */
			CHECK(cu->w_max == 0);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_input in = { data, size };
	const struct mytcp_cc_ops *ops;
	bool in_recovery = false;
	struct mytcp_cc cc;
	u32 min_rtt_us = 0;
	u64 now_us = 0, floor;

	if (!size)
		return 0;
	ops = take(&in, 1) & 1 ? &mytcp_cc_cubic : &mytcp_cc_reno;
	CHECK(mytcp_cc_find(ops->name) == ops);
	mytcp_cc_init(ops, &cc);
	CHECK(cc.cwnd == MYTCP_CC_INIT_CWND);
	CHECK(cc.ssthresh == MYTCP_CC_INFINITE_SSTHRESH);

	while (in.n) {
		enum fuzz_op op = (enum fuzz_op)(take(&in, 1) % OP_MAX);
		u32 cwnd = cc.cwnd, in_flight;

		switch (op) {
		case OP_ACK:
			/* The glue calls on_ack only outside recovery. */
			if (!in_recovery)
				fuzz_ack(ops, &cc, &in, &now_us, &min_rtt_us);
			break;
		case OP_ENTER_RECOVERY:
			in_flight = (u32)take(&in, 4);
			if (!in_recovery)
				fuzz_loss(ops, &cc, in_flight, false);
			in_recovery = true;
			break;
		case OP_EXIT_RECOVERY:
			in_flight = (u32)take(&in, 4);
			if (!in_recovery)
				break;
			mytcp_cc_exit_recovery(ops, &cc, in_flight);
			/* RFC 6582 3.2 (3): min(ssthresh, max(flight, 1) + 1) */
			floor = mytcp_max_u64(in_flight, 1) + 1;
			CHECK(cc.cwnd == mytcp_min_u64(cc.ssthresh, floor) ||
			      (cc.cwnd == 1 && !cc.ssthresh));
			in_recovery = false;
			break;
		case OP_RTO:
			fuzz_loss(ops, &cc, (u32)take(&in, 4), true);
			in_recovery = false;
			break;
		case OP_IDLE:
			mytcp_cc_after_idle(ops, &cc);
			/* RFC 5681 4.1 */
			CHECK(cc.cwnd == mytcp_min_u32(cwnd, MYTCP_CC_INIT_CWND));
			if (ops == &mytcp_cc_cubic)
				CHECK(!cc.priv.cubic.in_epoch);
			break;
		case OP_SET_CLOCK:
			now_us = take(&in, 8);
			break;
		default:
			CHECK(0);
		}
		CHECK(cc.cwnd >= 1);
		CHECK(cc.ssthresh >= MYTCP_CC_MIN_SSTHRESH);
	}
	return 0;
}
