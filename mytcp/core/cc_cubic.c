// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp core: CUBIC congestion control (RFC 9438) in integer arithmetic.
 *
 * Inside the cubic formula windows are segments << CUBIC_SHIFT and time
 * is in milliseconds, so C = 0.4 and beta_cubic = 0.7 become ratios:
 *
 *   W_cubic(t) = C * (t - K)^3 + W_max            (4.2, Figure 1)
 *     C * dt^3 << 10 = dt_ms^3 * 4 / 9765625
 *   K = cbrt((W_max - cwnd_epoch) / C)           (4.2, Figure 2)
 *     K_ms^3 = ((W_max - cwnd_epoch) << 10) * 9765625 / 4
 *
 * A window << 10 must fit in u32, so CUBIC stops growing the window at
 * CUBIC_WND_MAX segments (4M, far beyond any real path) and clamps |t - K|
 * where the curve is past that anyway.
 */
#include "cc.h"

#define CUBIC_SHIFT		10
#define CUBIC_WND_MAX		((1U << (32 - CUBIC_SHIFT)) - 1)

/* beta_cubic = 7/10 (4.6); fast convergence uses (1 + beta) / 2 (4.7). */
#define CUBIC_BETA_NUM		7
#define CUBIC_BETA_DEN		10

/* alpha_cubic = 3 * (1 - beta) / (1 + beta) = 9/17 (4.3). */
#define CUBIC_ALPHA_NUM		9
#define CUBIC_ALPHA_DEN		17

/* 10^9 ms^3 per s^3 over (C << 10), times 4 to stay an integer. */
#define CUBIC_C_INV_X4		9765625U

/* C * (2^18 ms)^3 is 7.2M segments, past CUBIC_WND_MAX; cubing it fits. */
#define CUBIC_DT_MAX_MS		262144ULL
/* t beyond 12 days is as good as 12 days, and t + RTT cannot wrap. */
#define CUBIC_T_MAX_US		(12 * 86400 * 1000000ULL)

/* floor(cbrt(x)), one root bit for every three bits of x. */
static u32 mytcp_cubic_cbrt(u64 x)
{
	u64 root = 0;
	int shift;

	for (shift = 63; shift >= 0; shift -= 3) {
		u64 b;

		root <<= 1;
		/* (root + 1)^3 - root^3, for root the doubled partial root */
		b = 3 * root * (root + 1) + 1;
		if ((x >> shift) >= b) {
			x -= b << shift;
			root++;
		}
	}
	return (u32)root;
}

/* W_cubic(t) (4.2, Figure 1), segments << 10, t in ms from the epoch. */
static u64 mytcp_cubic_w(const struct mytcp_cubic *cu, u64 t_ms)
{
	bool concave = t_ms < cu->k_ms;
	u64 dt = concave ? cu->k_ms - t_ms : t_ms - cu->k_ms;
	u64 delta;

	dt = mytcp_min_u64(dt, CUBIC_DT_MAX_MS);
	delta = mytcp_div_u64(dt * dt * dt * 4, CUBIC_C_INV_X4);
	if (!concave)
		return cu->w_max + delta;
	return cu->w_max > delta ? cu->w_max - delta : 0;
}

/*
 * A congestion-avoidance epoch starts on its first ACK (4.2): K from
 * cwnd_epoch, and W_est = cwnd_epoch (4.3). Without a W_max above the
 * window (after an RTO or idle, 4.8) K = 0 and W_max = cwnd_epoch, so
 * the curve starts flat here and turns convex.
 */
static void mytcp_cubic_start_epoch(struct mytcp_cc *cc, u64 now_us)
{
	struct mytcp_cubic *cu = &cc->priv.cubic;
	u32 cwnd_fp = cc->cwnd << CUBIC_SHIFT;

	cu->in_epoch = true;
	cu->epoch_us = now_us;
	cu->w_est = cc->cwnd;
	cu->w_est_frac = 0;
	cu->cwnd_frac = 0;
	if (cu->w_max > cwnd_fp) {
		u64 k3 = (u64)(cu->w_max - cwnd_fp) * CUBIC_C_INV_X4;

		cu->k_ms = mytcp_cubic_cbrt(k3 >> 2);
	} else {
		cu->k_ms = 0;
		cu->w_max = cwnd_fp;
	}
}

/*
 * W_est += alpha_cubic * segments_acked / cwnd (4.3), kept exactly as
 * whole segments plus a fraction in 1/(17 * cwnd); alpha_cubic becomes 1
 * once W_est has reached cwnd_prior. Returns W_est in segments << 10.
 */
static u64 mytcp_cubic_update_w_est(struct mytcp_cc *cc, u32 acked)
{
	struct mytcp_cubic *cu = &cc->priv.cubic;
	u32 alpha = cu->w_est >= cu->cwnd_prior ? CUBIC_ALPHA_DEN :
						  CUBIC_ALPHA_NUM;
	u32 unit = CUBIC_ALPHA_DEN * cc->cwnd;
	u64 frac = cu->w_est_frac + (u64)acked * alpha;
	u64 whole = mytcp_div_u64(frac, unit);

	cu->w_est_frac = (u32)(frac - whole * unit);
	cu->w_est = (u32)mytcp_min_u64(cu->w_est + whole, CUBIC_WND_MAX);
	return ((u64)cu->w_est << CUBIC_SHIFT) +
	       mytcp_div_u64((u64)cu->w_est_frac << CUBIC_SHIFT, unit);
}

static void mytcp_cubic_init(struct mytcp_cc *cc)
{
	memset(&cc->priv.cubic, 0, sizeof(cc->priv.cubic));
}

/* A loss event: new W_max (4.7) and ssthresh (4.6); the epoch ends. */
static u32 mytcp_cubic_ssthresh(struct mytcp_cc *cc, u32 in_flight)
{
	struct mytcp_cubic *cu = &cc->priv.cubic;
	u32 cwnd = mytcp_min_u32(cc->cwnd, CUBIC_WND_MAX);
	u32 cwnd_fp = cwnd << CUBIC_SHIFT;
	u64 ssthresh;

	/*
	 * 4.7: a loss below the previous W_max means another flow is taking
	 * its share; give up more with W_max = cwnd * (1 + beta) / 2.
	 */
	if (cwnd_fp < cu->w_max)
		cu->w_max = (u32)mytcp_div_u64((u64)cwnd_fp *
					       (CUBIC_BETA_DEN + CUBIC_BETA_NUM),
					       2 * CUBIC_BETA_DEN);
	else
		cu->w_max = cwnd_fp;
	cu->cwnd_prior = cwnd;
	cu->in_epoch = false;

	/*
	 * 4.6: ssthresh = max(cwnd * beta, 2). The RFC allows cwnd for
	 * flight_size when cwnd cannot outgrow the data in flight, which
	 * mytcp_cc_on_ack() ensures by growing only cwnd-limited flows.
	 */
	ssthresh = mytcp_div_u64((u64)cc->cwnd * CUBIC_BETA_NUM, CUBIC_BETA_DEN);
	return (u32)mytcp_max_u64(ssthresh, MYTCP_CC_MIN_SSTHRESH);
}

static void mytcp_cubic_cong_avoid(struct mytcp_cc *cc,
				   const struct mytcp_cc_ack *ack)
{
	struct mytcp_cubic *cu = &cc->priv.cubic;
	u32 acked = ack->acked;
	u32 rtt_us, cwnd_fp;
	u64 t_us, w_est, target, inc, whole;

	/* 4.10: standard slow start below ssthresh */
	if (mytcp_cc_in_slow_start(cc)) {
		acked = mytcp_cc_slow_start(cc, acked);
		if (!acked)
			return;
	}
	/* Hold the window rather than leave the fixed-point range. */
	if (cc->cwnd >= CUBIC_WND_MAX)
		return;
	if (!cu->in_epoch)
		mytcp_cubic_start_epoch(cc, ack->now_us);

	t_us = ack->now_us > cu->epoch_us ? ack->now_us - cu->epoch_us : 0;
	t_us = mytcp_min_u64(t_us, CUBIC_T_MAX_US);
	w_est = mytcp_cubic_update_w_est(cc, acked);

	/*
	 * 4.3: where W_cubic(t) < W_est CUBIC is Reno-friendly and cwnd
	 * follows W_est. It never shrinks here, and never grows faster than
	 * slow start would, even if cwnd was cut under W_est mid-epoch.
	 */
	if (mytcp_cubic_w(cu, mytcp_div_u64(t_us, 1000)) < w_est) {
		if (cu->w_est > cc->cwnd) {
			cc->cwnd = (u32)mytcp_min_u64(cu->w_est,
						      (u64)cc->cwnd + acked);
			cu->cwnd_frac = 0;
		}
		return;
	}

	/*
	 * 4.4, 4.5: head for W_cubic(t + RTT), RTT the minimum RTT as in
	 * Linux, but never beyond 1.5 * cwnd within one RTT.
	 */
	rtt_us = ack->min_rtt_us ? ack->min_rtt_us : ack->rtt_us;
	target = mytcp_cubic_w(cu, mytcp_div_u64(t_us + rtt_us, 1000));
	cwnd_fp = cc->cwnd << CUBIC_SHIFT;
	target = mytcp_max_u64(target, cwnd_fp);
	target = mytcp_min_u64(target, (u64)cwnd_fp + cwnd_fp / 2);

	/* cwnd += (target - cwnd) / cwnd for every segment acked. */
	inc = cu->cwnd_frac + (target - cwnd_fp) * acked;
	whole = mytcp_div_u64(inc, cwnd_fp);
	cu->cwnd_frac = (u32)(inc - whole * cwnd_fp);
	cc->cwnd = (u32)mytcp_min_u64(cc->cwnd + whole, CUBIC_WND_MAX);
}

/*
 * After an RTO the next congestion-avoidance stage starts with K = 0 and
 * W_max = cwnd_epoch (4.8); after idle we do the same, since the old
 * W_max says little about the path any more (FreeBSD does too).
 */
static void mytcp_cubic_reset_epoch(struct mytcp_cc *cc)
{
	struct mytcp_cubic *cu = &cc->priv.cubic;

	cu->in_epoch = false;
	cu->w_max = 0;
}

const struct mytcp_cc_ops mytcp_cc_cubic = {
	.name		= "cubic",
	.init		= mytcp_cubic_init,
	.ssthresh	= mytcp_cubic_ssthresh,
	.cong_avoid	= mytcp_cubic_cong_avoid,
	.reset_epoch	= mytcp_cubic_reset_epoch,
};
