// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp core: congestion control framework and Reno (RFC 5681).
 *
 * The loss events are the same for every algorithm; only the new
 * ssthresh and the growth of cwnd come from the ops table.
 */
#include "cc.h"

static const struct mytcp_cc_ops *const mytcp_cc_all[] = {
	&mytcp_cc_reno,
	&mytcp_cc_cubic,
};

const struct mytcp_cc_ops *mytcp_cc_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mytcp_cc_all); i++) {
		const char *a = mytcp_cc_all[i]->name, *b = name;

		while (*a && *a == *b) {
			a++;
			b++;
		}
		if (!*a && !*b)
			return mytcp_cc_all[i];
	}
	return NULL;
}

u32 mytcp_cc_list(char *buf, u32 len)
{
	u32 n = 0;
	size_t i;

	if (!len)
		return 0;
	for (i = 0; i < ARRAY_SIZE(mytcp_cc_all); i++) {
		const char *p = mytcp_cc_all[i]->name;

		if (i && n + 1 < len)
			buf[n++] = ' ';
		while (*p && n + 1 < len)
			buf[n++] = *p++;
	}
	buf[n] = '\0';
	return n;
}

void mytcp_cc_init(const struct mytcp_cc_ops *ops, struct mytcp_cc *cc)
{
	memset(cc, 0, sizeof(*cc));
	cc->cwnd = MYTCP_CC_INIT_CWND;
	cc->ssthresh = MYTCP_CC_INFINITE_SSTHRESH;
	if (ops->init)
		ops->init(cc);
}

void mytcp_cc_on_ack(const struct mytcp_cc_ops *ops, struct mytcp_cc *cc,
		     const struct mytcp_cc_ack *ack)
{
	/* RFC 7661 idea, as Linux: no growth while the application limits us. */
	if (!ack->cwnd_limited || !ack->acked)
		return;
	ops->cong_avoid(cc, ack);
}

void mytcp_cc_enter_recovery(const struct mytcp_cc_ops *ops,
			     struct mytcp_cc *cc, u32 in_flight)
{
	cc->ssthresh = ops->ssthresh(cc, in_flight);
	cc->cwnd = cc->ssthresh;
	cc->cwnd_cnt = 0;
}

void mytcp_cc_exit_recovery(const struct mytcp_cc_ops *ops,
			    struct mytcp_cc *cc, u32 in_flight)
{
	/* RFC 6582 3.2 (3): min(ssthresh, max(FlightSize, SMSS) + SMSS) */
	u32 w = (u32)mytcp_min_u64(cc->ssthresh,
				   (u64)mytcp_max_u32(in_flight, 1) + 1);

	cc->cwnd = mytcp_max_u32(w, 1);
	cc->cwnd_cnt = 0;
}

void mytcp_cc_on_rto(const struct mytcp_cc_ops *ops, struct mytcp_cc *cc,
		     u32 in_flight)
{
	cc->ssthresh = ops->ssthresh(cc, in_flight);
	cc->cwnd = 1;		/* RFC 5681 3.1: the loss window */
	cc->cwnd_cnt = 0;
	if (ops->reset_epoch)
		ops->reset_epoch(cc);
}

void mytcp_cc_after_idle(const struct mytcp_cc_ops *ops, struct mytcp_cc *cc)
{
	cc->cwnd = mytcp_min_u32(cc->cwnd, MYTCP_CC_INIT_CWND);
	cc->cwnd_cnt = 0;
	if (ops->reset_epoch)
		ops->reset_epoch(cc);
}

u32 mytcp_cc_slow_start(struct mytcp_cc *cc, u32 acked)
{
	u32 cwnd = (u32)mytcp_min_u64((u64)cc->cwnd + acked, cc->ssthresh);

	acked -= cwnd - cc->cwnd;
	cc->cwnd = cwnd;
	return acked;
}

void mytcp_cc_cong_avoid_ai(struct mytcp_cc *cc, u32 w, u32 acked)
{
	if (!w)
		w = 1;
	/* A window shrunk since the count began: take the increase now. */
	if (cc->cwnd_cnt >= w) {
		cc->cwnd_cnt = 0;
		cc->cwnd++;
	}
	cc->cwnd_cnt += acked;
	if (cc->cwnd_cnt >= w) {
		u32 delta = cc->cwnd_cnt / w;

		cc->cwnd_cnt -= delta * w;
		cc->cwnd += delta;
	}
}

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS). */
static u32 mytcp_reno_ssthresh(struct mytcp_cc *cc, u32 in_flight)
{
	return mytcp_max_u32(in_flight / 2, MYTCP_CC_MIN_SSTHRESH);
}

/* RFC 5681 3.1: slow start below ssthresh, then +1 SMSS per window. */
static void mytcp_reno_cong_avoid(struct mytcp_cc *cc,
				  const struct mytcp_cc_ack *ack)
{
	u32 acked = ack->acked;

	if (mytcp_cc_in_slow_start(cc)) {
		acked = mytcp_cc_slow_start(cc, acked);
		if (!acked)
			return;
	}
	mytcp_cc_cong_avoid_ai(cc, cc->cwnd, acked);
}

const struct mytcp_cc_ops mytcp_cc_reno = {
	.name		= "reno",
	.ssthresh	= mytcp_reno_ssthresh,
	.cong_avoid	= mytcp_reno_cong_avoid,
};
