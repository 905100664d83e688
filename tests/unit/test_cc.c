// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: congestion control framework, Reno (RFC 5681) and CUBIC
 * (RFC 9438). CUBIC is checked against a double-precision model of the
 * RFC's per-ACK rules fed with the very same ACKs.
 */
#include "unit.h"
#include "core/cc.h"

#define MS	1000ULL
#define SEC	1000000ULL

static const struct mytcp_cc_ops *const reno = &mytcp_cc_reno;
static const struct mytcp_cc_ops *const cubic = &mytcp_cc_cubic;

static struct mytcp_cc_ack ack_of(u32 acked, u64 now_us, u32 rtt_us)
{
	struct mytcp_cc_ack a = {
		.acked = acked,
		.in_flight = 0,
		.now_us = now_us,
		.rtt_us = rtt_us,
		.min_rtt_us = rtt_us,
		.cwnd_limited = true,
	};

	return a;
}

static void ack(const struct mytcp_cc_ops *ops, struct mytcp_cc *cc,
		u32 acked, u64 now_us, u32 rtt_us)
{
	struct mytcp_cc_ack a = ack_of(acked, now_us, rtt_us);

	mytcp_cc_on_ack(ops, cc, &a);
}

/* A fresh connection of @ops at @cwnd and @ssthresh, @cwnd_cnt counted. */
static void cc_at(const struct mytcp_cc_ops *ops, struct mytcp_cc *cc,
		  u32 cwnd, u32 ssthresh, u32 cwnd_cnt)
{
	mytcp_cc_init(ops, cc);
	cc->cwnd = cwnd;
	cc->ssthresh = ssthresh;
	cc->cwnd_cnt = cwnd_cnt;
}

/* cwnd, ssthresh and cwnd_cnt of @cc all at once. */
#define EXPECT_WINDOW(cc, want_cwnd, want_ssthresh, want_cnt)		\
	do {								\
		const struct mytcp_cc *w_cc = (cc);			\
									\
		EXPECT_EQ(w_cc->cwnd, (want_cwnd));			\
		EXPECT_EQ(w_cc->ssthresh, (want_ssthresh));		\
		EXPECT_EQ(w_cc->cwnd_cnt, (want_cnt));			\
	} while (0)

/* ---- framework and Reno ---- */

TEST(cc_init_values)
{
	struct mytcp_cc cc;

	memset(&cc, 0xa5, sizeof(cc));
	mytcp_cc_init(reno, &cc);
	EXPECT_EQ(cc.cwnd, 10);		/* RFC 6928 */
	EXPECT_EQ(cc.ssthresh, 0x7fffffff);
	EXPECT_EQ(cc.cwnd_cnt, 0);
	EXPECT_TRUE(mytcp_cc_in_slow_start(&cc));

	memset(&cc, 0xa5, sizeof(cc));
	mytcp_cc_init(cubic, &cc);
	EXPECT_EQ(cc.cwnd, MYTCP_CC_INIT_CWND);
	EXPECT_EQ(cc.ssthresh, MYTCP_CC_INFINITE_SSTHRESH);
	EXPECT_EQ(cc.cwnd_cnt, 0);
	EXPECT_EQ(cc.priv.cubic.w_max, 0);
	EXPECT_FALSE(cc.priv.cubic.in_epoch);
}

TEST(cc_find)
{
	EXPECT_TRUE(mytcp_cc_find("reno") == reno);
	EXPECT_TRUE(mytcp_cc_find("cubic") == cubic);
	EXPECT_TRUE(!mytcp_cc_find(""));
	EXPECT_TRUE(!mytcp_cc_find("ren"));
	EXPECT_TRUE(!mytcp_cc_find("renoo"));
	EXPECT_TRUE(!mytcp_cc_find("cubic "));
	EXPECT_TRUE(!mytcp_cc_find("CUBIC"));
	EXPECT_TRUE(!mytcp_cc_find("bbr"));
}

TEST(cc_list)
{
	char buf[32];

	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(mytcp_cc_list(buf, sizeof(buf)), 10);
	EXPECT_STREQ(buf, "reno cubic");
	/* exactly enough room */
	EXPECT_EQ(mytcp_cc_list(buf, 11), 10);
	EXPECT_STREQ(buf, "reno cubic");
	/* truncated, always terminated */
	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(mytcp_cc_list(buf, 4), 3);
	EXPECT_STREQ(buf, "ren");
	EXPECT_EQ(mytcp_cc_list(buf, 1), 0);
	EXPECT_STREQ(buf, "");
	buf[0] = 'x';
	EXPECT_EQ(mytcp_cc_list(buf, 0), 0);
	EXPECT_EQ(buf[0], 'x');
}

TEST(cc_names_fit)
{
	EXPECT_TRUE(strlen(reno->name) < MYTCP_CC_NAME_MAX);
	EXPECT_TRUE(strlen(cubic->name) < MYTCP_CC_NAME_MAX);
}

TEST(cc_slow_start_exact_growth)
{
	struct mytcp_cc cc;

	/* RFC 5681 3.1: cwnd += acked while below ssthresh */
	cc_at(reno, &cc, 10, 100, 0);
	EXPECT_EQ(mytcp_cc_slow_start(&cc, 5), 0);
	EXPECT_EQ(cc.cwnd, 15);
	EXPECT_EQ(mytcp_cc_slow_start(&cc, 1), 0);
	EXPECT_EQ(cc.cwnd, 16);
}

TEST(cc_slow_start_stops_at_ssthresh)
{
	struct mytcp_cc cc;

	cc_at(reno, &cc, 10, 12, 0);
	EXPECT_EQ(mytcp_cc_slow_start(&cc, 5), 3);
	EXPECT_EQ(cc.cwnd, 12);
	EXPECT_FALSE(mytcp_cc_in_slow_start(&cc));
	/* exactly reaching it leaves nothing */
	cc.cwnd = 10;
	EXPECT_EQ(mytcp_cc_slow_start(&cc, 2), 0);
	EXPECT_EQ(cc.cwnd, 12);
}

/* One mytcp_cc_cong_avoid_ai() step and the window and count after it. */
#define EXPECT_AI(cc, w, acked, want_cwnd, want_cnt)			\
	do {								\
		struct mytcp_cc *ai_cc = (cc);				\
									\
		mytcp_cc_cong_avoid_ai(ai_cc, (w), (acked));		\
		EXPECT_EQ(ai_cc->cwnd, (want_cwnd));			\
		EXPECT_EQ(ai_cc->cwnd_cnt, (want_cnt));			\
	} while (0)

TEST(cc_cong_avoid_ai_one_per_window)
{
	struct mytcp_cc cc;
	int i;

	mytcp_cc_init(reno, &cc);
	for (i = 0; i < 8; i++)
		mytcp_cc_cong_avoid_ai(&cc, 10, 1);
	EXPECT_AI(&cc, 10, 1, 10, 9);
	EXPECT_AI(&cc, 10, 1, 11, 0);
	/* a stretch ACK of 2.5 windows: +2, half a window left */
	EXPECT_AI(&cc, 10, 25, 13, 5);
}

TEST(cc_cong_avoid_ai_window_shrunk)
{
	struct mytcp_cc cc;

	/* counted towards a larger window: that +1 comes first */
	cc_at(reno, &cc, 10, 10, 15);
	EXPECT_AI(&cc, 10, 1, 11, 1);
	/* w = 0 counts as 1 */
	EXPECT_AI(&cc, 0, 3, 15, 0);
}

TEST(cc_reno_one_segment_per_rtt)
{
	struct mytcp_cc cc;
	u32 i, w;

	cc_at(reno, &cc, 20, 20, 0);
	for (w = 20; w < 25; w++) {
		for (i = 0; i < w; i++)
			ack(reno, &cc, 1, 0, 0);
		EXPECT_EQ(cc.cwnd, w + 1);
	}
}

TEST(cc_reno_slow_start_leftover_counts)
{
	struct mytcp_cc cc;

	cc_at(reno, &cc, 10, 12, 0);
	ack(reno, &cc, 5, 0, 0);
	EXPECT_EQ(cc.cwnd, 12);
	EXPECT_EQ(cc.cwnd_cnt, 3);
}

TEST(cc_reno_ssthresh)
{
	struct mytcp_cc cc;

	/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS) */
	cc_at(reno, &cc, 40, 40, 0);
	EXPECT_EQ(reno->ssthresh(&cc, 21), 10);
	EXPECT_EQ(reno->ssthresh(&cc, 40), 20);
	EXPECT_EQ(reno->ssthresh(&cc, 5), 2);
	EXPECT_EQ(reno->ssthresh(&cc, 0), 2);
	EXPECT_EQ(reno->ssthresh(&cc, 0xffffffff), 0x7fffffff);
}

TEST(cc_enter_exit_recovery)
{
	struct mytcp_cc cc;

	cc_at(reno, &cc, 40, MYTCP_CC_INFINITE_SSTHRESH, 7);
	mytcp_cc_enter_recovery(reno, &cc, 30);
	EXPECT_WINDOW(&cc, 15, 15, 0);
	/* RFC 6582 3.2 (3): min(ssthresh, max(FlightSize, SMSS) + SMSS) */
	mytcp_cc_exit_recovery(reno, &cc, 30);
	EXPECT_WINDOW(&cc, 15, 15, 0);
	mytcp_cc_exit_recovery(reno, &cc, 4);
	EXPECT_WINDOW(&cc, 5, 15, 0);
	mytcp_cc_exit_recovery(reno, &cc, 0);
	EXPECT_WINDOW(&cc, 2, 15, 0);
}

TEST(cc_on_rto)
{
	struct mytcp_cc cc;

	cc_at(reno, &cc, 40, MYTCP_CC_INFINITE_SSTHRESH, 3);
	/* RFC 5681 3.1: the loss window, ssthresh = max(flight / 2, 2) */
	mytcp_cc_on_rto(reno, &cc, 33);
	EXPECT_WINDOW(&cc, 1, 16, 0);
	mytcp_cc_on_rto(reno, &cc, 1);
	EXPECT_WINDOW(&cc, 1, 2, 0);
}

TEST(cc_after_idle)
{
	struct mytcp_cc cc;

	/* RFC 5681 4.1: cwnd = min(RW, cwnd), RW = min(IW, cwnd) */
	cc_at(reno, &cc, 50, 30, 9);
	mytcp_cc_after_idle(reno, &cc);
	EXPECT_WINDOW(&cc, 10, 30, 0);
	cc.cwnd = 4;
	mytcp_cc_after_idle(reno, &cc);
	EXPECT_EQ(cc.cwnd, 4);
}

TEST(cc_on_ack_needs_cwnd_limited)
{
	const struct mytcp_cc_ops *const both[] = { reno, cubic };
	struct mytcp_cc_ack a;
	struct mytcp_cc cc;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(both); i++) {
		mytcp_cc_init(both[i], &cc);
		a = ack_of(5, 0, 0);
		a.cwnd_limited = false;
		mytcp_cc_on_ack(both[i], &cc, &a);
		EXPECT_EQ(cc.cwnd, 10);
		a = ack_of(0, 0, 0);
		mytcp_cc_on_ack(both[i], &cc, &a);
		EXPECT_EQ(cc.cwnd, 10);
		a = ack_of(5, 0, 0);
		mytcp_cc_on_ack(both[i], &cc, &a);
		EXPECT_EQ(cc.cwnd, 15);
	}
}

/* ---- CUBIC ---- */

/* RFC 9438 4.6: beta_cubic = 0.7 */
TEST(cubic_ssthresh_is_0_7_cwnd)
{
	struct mytcp_cc cc;

	cc_at(cubic, &cc, 100, MYTCP_CC_INFINITE_SSTHRESH, 0);
	EXPECT_EQ(cubic->ssthresh(&cc, 100), 70);
	/* from cwnd, not from the flight size */
	EXPECT_EQ(cubic->ssthresh(&cc, 10), 70);
	cc.cwnd = 1001;
	EXPECT_EQ(cubic->ssthresh(&cc, 0), 700);
	/* ssthresh = max(ssthresh, 2) */
	cc.cwnd = 2;
	EXPECT_EQ(cubic->ssthresh(&cc, 2), 2);
	cc.cwnd = 1;
	EXPECT_EQ(cubic->ssthresh(&cc, 1), 2);
	cc.cwnd = 0xffffffff;
	EXPECT_EQ(cubic->ssthresh(&cc, 0xffffffff), 3006477106U);

	cc_at(cubic, &cc, 300, MYTCP_CC_INFINITE_SSTHRESH, 0);
	mytcp_cc_enter_recovery(cubic, &cc, 250);
	EXPECT_EQ(cc.ssthresh, 210);
	EXPECT_EQ(cc.cwnd, 210);
	EXPECT_EQ(cc.priv.cubic.w_max, 300 << 10);
	EXPECT_EQ(cc.priv.cubic.cwnd_prior, 300);
}

TEST(cubic_slow_start)
{
	struct mytcp_cc cc;

	cc_at(cubic, &cc, 10, 30, 0);
	ack(cubic, &cc, 5, 0, 0);
	EXPECT_EQ(cc.cwnd, 15);
	EXPECT_FALSE(cc.priv.cubic.in_epoch);
	ack(cubic, &cc, 10, 0, 0);
	EXPECT_EQ(cc.cwnd, 25);
	/* reaches ssthresh; the 2 left over start congestion avoidance */
	ack(cubic, &cc, 7, 5 * MS, 0);
	EXPECT_EQ(cc.cwnd, 30);
	EXPECT_TRUE(cc.priv.cubic.in_epoch);
	EXPECT_EQ(cc.priv.cubic.epoch_us, 5 * MS);
}

/* floor(cbrt(x)) in double, by Newton's method (no libm) */
static double dcbrt(double x)
{
	double r = x > 1 ? x / 3 : 1;
	int i;

	if (x <= 0)
		return 0;
	for (i = 0; i < 200; i++)
		r = (2 * r + x / (r * r)) / 3;
	return r;
}

static double dcube(double x)
{
	return x * x * x;
}

/* A loss at @w_max segments and its recovery, in CUBIC. */
static void cubic_after_loss(struct mytcp_cc *cc, u32 w_max)
{
	cc_at(cubic, cc, w_max, MYTCP_CC_INFINITE_SSTHRESH, 0);
	mytcp_cc_enter_recovery(cubic, cc, w_max);
	mytcp_cc_exit_recovery(cubic, cc, w_max);
}

/* RFC 9438 4.2 (Figure 2): K = cbrt((W_max - cwnd_epoch) / C) */
TEST(cubic_k_for_known_w_max)
{
	static const u32 w_maxes[] = { 10, 100, 1000, 4000, 123457, 1000000 };
	struct mytcp_cc cc;
	size_t i;

	/* 1333 -> 933: (1333 - 933) / 0.4 = 1000 s^3, K = 10 s exactly */
	cubic_after_loss(&cc, 1333);
	EXPECT_EQ(cc.cwnd, 933);
	ack(cubic, &cc, 1, 0, 0);
	EXPECT_EQ(cc.priv.cubic.k_ms, 10000);
	EXPECT_EQ(cc.priv.cubic.epoch_us, 0);

	for (i = 0; i < ARRAY_SIZE(w_maxes); i++) {
		u32 ssthresh = (u32)((u64)w_maxes[i] * 7 / 10);
		double k_ms = dcbrt((w_maxes[i] - ssthresh) / 0.4 * 1e9);

		cubic_after_loss(&cc, w_maxes[i]);
		ack(cubic, &cc, 1, 1 * SEC, 0);
		EXPECT_EQ(cc.priv.cubic.k_ms, (u32)k_ms);
		/* K = cbrt(W_max * (1 - beta) / C), ssthresh rounded down */
		EXPECT_TRUE(k_ms + 0.000001 >= dcbrt(w_maxes[i] * 0.3 / 0.4 * 1e9));
		EXPECT_TRUE(k_ms < dcbrt((w_maxes[i] * 0.3 + 1) / 0.4 * 1e9));
	}
}

/*
 * The RFC 9438 4 rules with real numbers, fed with the same ACKs as the
 * implementation.
 */
struct cubic_model {
	double cwnd, w_max, k, w_est, cwnd_prior, epoch;
	bool in_epoch;
};

static double model_w_cubic(const struct cubic_model *m, double t)
{
	return 0.4 * dcube(t - m->k) + m->w_max;	/* 4.2, Figure 1 */
}

static void model_loss(struct cubic_model *m, double cwnd)
{
	m->cwnd_prior = cwnd;
	m->w_max = cwnd < m->w_max ? cwnd * 0.85 : cwnd;	/* 4.7 */
	m->cwnd = cwnd * 0.7;					/* 4.6 */
	m->in_epoch = false;
}

static void model_ack(struct cubic_model *m, const struct mytcp_cc_ack *a)
{
	double now = a->now_us / 1e6, rtt = a->min_rtt_us / 1e6;
	double t, target;

	if (!m->in_epoch) {
		m->in_epoch = true;
		m->epoch = now;
		m->w_est = m->cwnd;				/* 4.3 */
		if (m->w_max > m->cwnd) {
			m->k = dcbrt((m->w_max - m->cwnd) / 0.4);	/* 4.2 */
		} else {
			m->k = 0;				/* 4.8 */
			m->w_max = m->cwnd;
		}
	}
	t = now - m->epoch;
	/* 4.3: W_est += alpha * acked / cwnd, alpha = 1 past cwnd_prior */
	m->w_est += (m->w_est >= m->cwnd_prior ? 1 : 9.0 / 17) *
		    a->acked / m->cwnd;
	if (model_w_cubic(m, t) < m->w_est) {
		if (m->w_est > m->cwnd)
			m->cwnd = m->w_est;
		return;
	}
	/* 4.4, 4.5 */
	target = model_w_cubic(m, t + rtt);
	if (target < m->cwnd)
		target = m->cwnd;
	if (target > 1.5 * m->cwnd)
		target = 1.5 * m->cwnd;
	m->cwnd += (target - m->cwnd) / m->cwnd * a->acked;
}

/*
 * One round trip of a cwnd-limited flow: every segment of the window
 * is acked on its own, the ACKs spread evenly over the RTT.
 */
static void cubic_rtt(struct mytcp_cc *cc, struct cubic_model *m,
		      u64 *now_us, u32 rtt_us)
{
	u32 n = cc->cwnd, i;
	u64 start = *now_us;

	for (i = 1; i <= n; i++) {
		struct mytcp_cc_ack a = ack_of(1, start + (u64)rtt_us * i / n,
					       rtt_us);

		a.in_flight = n;
		mytcp_cc_on_ack(cubic, cc, &a);
		if (m)
			model_ack(m, &a);
	}
	*now_us = start + rtt_us;
}

static double dabs(double x)
{
	return x < 0 ? -x : x;
}

/*
 * After a loss at W_max = 1000 with RTT = 100 ms, cwnd climbs the
 * concave side (increments shrinking), flattens at W_max around t = K
 * (9.09 s), then probes convexly (increments growing), all within a
 * fraction of a segment... of the real-number model, and close to
 * W_cubic(t + RTT) itself.
 */
TEST(cubic_follows_the_curve)
{
	struct cubic_model m = { 0 };
	struct mytcp_cc cc;
	u64 now = 0;
	u32 prev, prev_inc = 1000, rtt = 100 * MS;
	double max_err = 0, k;
	int r;

	cubic_after_loss(&cc, 1000);
	model_loss(&m, 1000);
	EXPECT_EQ(cc.cwnd, 700);
	k = dcbrt(300 / 0.4);
	for (r = 1; r <= 130; r++) {
		double t = r * 0.1, err;

		prev = cc.cwnd;
		cubic_rtt(&cc, &m, &now, rtt);
		err = dabs(cc.cwnd - m.cwnd);
		if (err > max_err)
			max_err = err;
		if (!EXPECT_TRUE(err <= 1.0 + m.cwnd / 1000))
			return;
		/* cwnd sits between W_cubic(t) and W_cubic(t + RTT) */
		EXPECT_TRUE(cc.cwnd + 1.5 >= model_w_cubic(&m, t));
		EXPECT_TRUE(cc.cwnd <= model_w_cubic(&m, t + 0.1) + 1);
		if (t < k - 1.5) {
			/* concave: below W_max, increments never growing */
			EXPECT_TRUE(cc.cwnd < 1000);
			EXPECT_TRUE(cc.cwnd - prev <= prev_inc + 1);
			prev_inc = cc.cwnd - prev;
		} else if (t > k - 0.6 && t < k + 0.6) {
			/* plateau: within half a percent of W_max */
			EXPECT_TRUE(cc.cwnd >= 995 && cc.cwnd <= 1005);
			EXPECT_TRUE(cc.cwnd - prev <= 2);
			prev_inc = 0;
		} else if (t > k + 1.5) {
			/* convex: past W_max, increments never shrinking */
			EXPECT_TRUE(cc.cwnd > 1000);
			EXPECT_TRUE(cc.cwnd - prev + 1 >= prev_inc);
			prev_inc = cc.cwnd - prev;
		}
	}
	/* t = 13 s: W_cubic(13.1) = 0.4 * 4.01^3 + 1000 = 1025.8 */
	EXPECT_TRUE(cc.cwnd >= 1024 && cc.cwnd <= 1027);
	EXPECT_TRUE(max_err < 1.5);
	EXPECT_EQ(cc.priv.cubic.k_ms, (u32)(k * 1000));
}

/*
 * RFC 9438 4.3: with a short RTT and a small window the Reno estimate
 * W_est = cwnd_epoch + 9/17 per RTT (1 per RTT past cwnd_prior) outruns
 * W_cubic(t), and cwnd follows W_est.
 */
TEST(cubic_reno_friendly_region)
{
	struct cubic_model m = { 0 };
	struct mytcp_cc cc;
	u64 now = 0;
	u32 rtt = 10 * MS;
	int r;

	cubic_after_loss(&cc, 20);
	model_loss(&m, 20);
	EXPECT_EQ(cc.cwnd, 14);
	for (r = 1; r <= 60; r++) {
		cubic_rtt(&cc, &m, &now, rtt);
		if (!EXPECT_TRUE(dabs(cc.cwnd - m.cwnd) <= 1.0))
			return;
		/* ahead of the cubic curve: Reno-friendly all along */
		if (r >= 2)
			EXPECT_TRUE(cc.cwnd >= model_w_cubic(&m, r * 0.01));
		if (r >= 10)
			EXPECT_TRUE(cc.cwnd >= model_w_cubic(&m, r * 0.01) + 4);
	}
	/*
	 * 14 -> 20 at 9/17 per RTT takes ~11.3 RTTs, then +1 per RTT for
	 * the other 48.7: W_est ~ 68.7 at t = 0.6 s, W_cubic(0.6) ~ 17.4
	 */
	EXPECT_TRUE(cc.cwnd >= 67 && cc.cwnd <= 69);
	EXPECT_EQ(cc.priv.cubic.w_est, cc.cwnd);
}

/* RFC 9438 4.7: a loss below the last W_max lowers W_max further. */
TEST(cubic_fast_convergence)
{
	struct mytcp_cc cc;

	cubic_after_loss(&cc, 1000);
	EXPECT_EQ(cc.priv.cubic.w_max, 1000 << 10);
	/* the next loss at 800 < W_max: W_max = 800 * (1 + 0.7) / 2 = 680 */
	cc.cwnd = 800;
	mytcp_cc_enter_recovery(cubic, &cc, 800);
	EXPECT_EQ(cc.priv.cubic.w_max, 680 << 10);
	EXPECT_EQ(cc.priv.cubic.cwnd_prior, 800);
	EXPECT_EQ(cc.ssthresh, 560);
	EXPECT_EQ(cc.cwnd, 560);
	/* K now heads for 680: cbrt(120 / 0.4) = 6.694 s */
	mytcp_cc_exit_recovery(cubic, &cc, 800);
	ack(cubic, &cc, 1, 0, 0);
	EXPECT_EQ(cc.priv.cubic.k_ms, (u32)(dcbrt(120 / 0.4 * 1e9)));

	/* a loss at or above W_max just remembers the window */
	cc.cwnd = 680;
	mytcp_cc_enter_recovery(cubic, &cc, 680);
	EXPECT_EQ(cc.priv.cubic.w_max, 680 << 10);
	cc.cwnd = 900;
	mytcp_cc_enter_recovery(cubic, &cc, 900);
	EXPECT_EQ(cc.priv.cubic.w_max, 900 << 10);
	/* fractional W_max: 101 * 0.85 = 85.85 */
	cc.cwnd = 101;
	mytcp_cc_enter_recovery(cubic, &cc, 101);
	EXPECT_EQ(cc.priv.cubic.w_max, 101 * 1024 * 17 / 20);
}

/* RFC 9438 4.4, 4.5: the target is capped at 1.5 * cwnd. */
TEST(cubic_growth_per_rtt_at_most_1_5x)
{
	struct mytcp_cc cc;
	u64 now = 0;
	u32 prev;
	int r;

	/* K = 0 at 100 segments (4.8), then far up the convex side */
	cc_at(cubic, &cc, 100, 100, 0);
	ack(cubic, &cc, 1, 0, 0);
	EXPECT_EQ(cc.priv.cubic.k_ms, 0);
	EXPECT_EQ(cc.priv.cubic.w_max, 100 << 10);
	now = 60 * SEC;		/* W_cubic(60 s) = 86500 */
	for (r = 0; r < 8; r++) {
		prev = cc.cwnd;
		cubic_rtt(&cc, NULL, &now, 50 * MS);
		EXPECT_TRUE(cc.cwnd <= prev + prev / 2 + 1);
		EXPECT_TRUE(cc.cwnd + 1 >= prev + prev / 2);
	}
	/* a stretch ACK of a whole window is held to 1.5x as well */
	prev = cc.cwnd;
	ack(cubic, &cc, prev, now + 50 * MS, 50 * MS);
	EXPECT_TRUE(cc.cwnd <= prev + prev / 2 + 1);
}

TEST(cubic_reset_epoch_restarts_curve)
{
	struct mytcp_cc cc;
	u64 now = 0;
	int r;

	cubic_after_loss(&cc, 1000);
	for (r = 0; r < 20; r++)
		cubic_rtt(&cc, NULL, &now, 100 * MS);
	EXPECT_TRUE(cc.priv.cubic.in_epoch);
	EXPECT_TRUE(cc.cwnd > 850);	/* W_cubic(2 s) = 857.7 */

	/* idle: cwnd back to IW, slow start to ssthresh = 700 */
	mytcp_cc_after_idle(cubic, &cc);
	EXPECT_FALSE(cc.priv.cubic.in_epoch);
	EXPECT_EQ(cc.cwnd, 10);
	EXPECT_EQ(cc.ssthresh, 700);
	now += 10 * SEC;
	ack(cubic, &cc, 690, now, 100 * MS);
	EXPECT_EQ(cc.cwnd, 700);
	EXPECT_FALSE(cc.priv.cubic.in_epoch);
	/* the new epoch starts at this ACK with K = 0 at 700 (4.8) */
	ack(cubic, &cc, 1, now + 1, 100 * MS);
	EXPECT_TRUE(cc.priv.cubic.in_epoch);
	EXPECT_EQ(cc.priv.cubic.epoch_us, now + 1);
	EXPECT_EQ(cc.priv.cubic.k_ms, 0);
	EXPECT_EQ(cc.priv.cubic.w_max, 700 << 10);
	EXPECT_EQ(cc.priv.cubic.w_est, 700);
	/* convex from the start: slow first, W_cubic(1.1 s) = 700.5 */
	for (r = 0; r < 10; r++)
		cubic_rtt(&cc, NULL, &now, 100 * MS);
	EXPECT_TRUE(cc.cwnd >= 700 && cc.cwnd <= 706);
}

TEST(cubic_rto_restarts_curve)
{
	struct mytcp_cc cc;
	u64 now = 0;
	int r;

	cubic_after_loss(&cc, 1000);
	for (r = 0; r < 20; r++)
		cubic_rtt(&cc, NULL, &now, 100 * MS);
	/* RFC 9438 4.8: ssthresh from beta_cubic, cwnd = 1 */
	cc.cwnd = 950;
	mytcp_cc_on_rto(cubic, &cc, 900);
	EXPECT_EQ(cc.cwnd, 1);
	EXPECT_EQ(cc.ssthresh, 665);
	EXPECT_FALSE(cc.priv.cubic.in_epoch);
	EXPECT_EQ(cc.priv.cubic.cwnd_prior, 950);
	/* 664 to ssthresh, 36 into CA: the epoch starts, K = 0 */
	ack(cubic, &cc, 700, now, 100 * MS);
	EXPECT_EQ(cc.cwnd, 665);
	EXPECT_TRUE(cc.priv.cubic.in_epoch);
	EXPECT_EQ(cc.priv.cubic.k_ms, 0);
	EXPECT_EQ(cc.priv.cubic.w_max, 665 << 10);
}

/* Hours, days and a wrapped clock in us, and windows up to the cap. */
TEST(cubic_huge_values_do_not_overflow)
{
	static const u64 times[] = {
		3600 * SEC, 5 * 3600 * SEC, 24 * 3600 * SEC, 1ULL << 40,
		1ULL << 62, ~0ULL - 1, ~0ULL,
	};
	static const u32 windows[] = { 2, 1000, 1000000, 4194302, 4194303,
				       0x7fffffff, 0xffffffff };
	struct mytcp_cc cc;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(windows); i++) {
		for (j = 0; j < ARRAY_SIZE(times); j++) {
			u32 before, ssthresh = (u64)windows[i] * 7 / 10;

			if (ssthresh < 2)
				ssthresh = 2;

			cubic_after_loss(&cc, windows[i]);
			EXPECT_EQ(cc.cwnd, ssthresh);
			EXPECT_EQ(cc.priv.cubic.cwnd_prior,
				  windows[i] < 4194303 ? windows[i] : 4194303);
			ack(cubic, &cc, 1, 0, 0xffffffff);
			/* a window's worth of ACK: at most 1.5x */
			before = cc.cwnd;
			ack(cubic, &cc, before, times[j], 0xffffffff);
			EXPECT_TRUE(cc.cwnd >= before);
			EXPECT_TRUE(cc.cwnd <= (u64)before * 3 / 2 + 1);
			EXPECT_TRUE(cc.cwnd == before || cc.cwnd <= 4194303);
			/* absurd ACKs: no wrap, no shrinking */
			before = cc.cwnd;
			ack(cubic, &cc, 0xffffffff, times[j], 0xffffffff);
			EXPECT_TRUE(cc.cwnd >= before);
			EXPECT_TRUE(cc.cwnd == before || cc.cwnd <= 4194303);
			/* a clock that went backwards: t = 0 */
			before = cc.cwnd;
			ack(cubic, &cc, 1, 0, 0);
			EXPECT_TRUE(cc.cwnd >= before);
		}
	}
}

TEST(cubic_hours_after_epoch_saturates)
{
	struct mytcp_cc cc;
	u64 now;
	int r;

	/* 3 hours on the convex side: the window grows 1.5x per RTT */
	cubic_after_loss(&cc, 1000);
	ack(cubic, &cc, 1, 0, 100 * MS);
	now = 3 * 3600 * SEC;
	for (r = 0; r < 40; r++) {
		u32 prev = cc.cwnd;

		/* one stretch ACK for the whole window per RTT */
		now += 100 * MS;
		ack(cubic, &cc, cc.cwnd, now, 100 * MS);
		EXPECT_TRUE(cc.cwnd == 4194303 ||
			    (cc.cwnd >= prev + prev / 2 &&
			     cc.cwnd <= prev + prev / 2 + 1));
	}
	EXPECT_EQ(cc.cwnd, 4194303);	/* (1 << 22) - 1: the fixed-point cap */
	ack(cubic, &cc, cc.cwnd, now + 100 * MS, 100 * MS);
	EXPECT_EQ(cc.cwnd, 4194303);
	/* a loss up there still works */
	mytcp_cc_enter_recovery(cubic, &cc, cc.cwnd);
	EXPECT_EQ(cc.ssthresh, 2936012);
	EXPECT_EQ(cc.priv.cubic.w_max, 4194303U << 10);
}
