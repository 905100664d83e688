/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp core: congestion control (RFC 5681, RFC 9438) behind an ops table.
 *
 * The window is counted in segments, as Linux TCP counts it: one queued
 * skb is one segment. The glue owns loss detection and recovery (RFC 6582
 * NewReno, RFC 6675 SACK); it calls the helpers below at the events, and
 * the algorithm decides how the window grows and how far it falls.
 *
 *   connection set up       mytcp_cc_init()
 *   ACK advances SND.UNA    mytcp_cc_on_ack()        (not in recovery)
 *   3 dup ACKs / SACK loss  mytcp_cc_enter_recovery()
 *   ACK covers high_seq     mytcp_cc_exit_recovery()
 *   RTO expiry              mytcp_cc_on_rto()
 *   send after idle > RTO   mytcp_cc_after_idle()    (RFC 5681 4.1)
 */
#ifndef MYTCP_CORE_CC_H
#define MYTCP_CORE_CC_H

#include "types.h"

#define MYTCP_CC_NAME_MAX	16	/* as TCP_CA_NAME_MAX, NUL included */
#define MYTCP_CC_INIT_CWND	10	/* RFC 6928 */
#define MYTCP_CC_MIN_SSTHRESH	2	/* RFC 5681 (4): at least 2 SMSS */
#define MYTCP_CC_INFINITE_SSTHRESH 0x7fffffffU

/*
 * CUBIC's own state (RFC 9438 4). Windows inside the cubic formula are
 * segments << 10; a W_max of 0 means "none", so the next epoch starts
 * with K = 0 at cwnd (RFC 9438 4.8).
 */
struct mytcp_cubic {
	u64 epoch_us;		/* start of this congestion-avoidance epoch */
	u32 w_max;		/* W_max (4.2, 4.7), segments << 10 */
	u32 k_ms;		/* K (4.2): ms from the epoch start to W_max */
	u32 cwnd_prior;		/* cwnd before the last reduction (4.6) */
	u32 w_est;		/* W_est (4.3), whole segments */
	u32 w_est_frac;		/* W_est fraction, 1/(17 * cwnd) segments */
	u32 cwnd_frac;		/* growth towards cwnd + 1, 1/(cwnd << 10) */
	bool in_epoch;		/* epoch_us, k_ms and w_est are valid */
};

struct mytcp_cc {
	u32 cwnd;		/* congestion window, segments, >= 1 */
	u32 ssthresh;		/* slow-start threshold, segments */
	u32 cwnd_cnt;		/* acked segments towards the next +1 in CA */
	union {
		struct mytcp_cubic cubic;
	} priv;
};

/* What an ACK tells the algorithm. */
struct mytcp_cc_ack {
	u32 acked;		/* segments newly acknowledged, >= 1 */
	u32 in_flight;		/* segments in flight before this ACK */
	u64 now_us;		/* a monotonic clock */
	u32 rtt_us;		/* RTT sample of this ACK, 0 if none */
	u32 min_rtt_us;		/* smallest RTT seen so far, 0 if none */
	bool cwnd_limited;	/* the window, not the application, limited us */
};

struct mytcp_cc_ops {
	const char *name;	/* shorter than MYTCP_CC_NAME_MAX */
	/* Fresh connection: cwnd and ssthresh are already set. */
	void (*init)(struct mytcp_cc *cc);
	/* ssthresh after a loss event with @in_flight segments out. */
	u32 (*ssthresh)(struct mytcp_cc *cc, u32 in_flight);
	/* Grow cwnd on an ACK outside recovery (slow start included). */
	void (*cong_avoid)(struct mytcp_cc *cc, const struct mytcp_cc_ack *ack);
	/* Optional: the connection was idle, or an RTO happened. */
	void (*reset_epoch)(struct mytcp_cc *cc);
};

extern const struct mytcp_cc_ops mytcp_cc_reno;
extern const struct mytcp_cc_ops mytcp_cc_cubic;

/* The algorithm called @name ("reno", "cubic"), or NULL. */
const struct mytcp_cc_ops *mytcp_cc_find(const char *name);

/*
 * Names of every algorithm, space separated, in @buf of @len bytes
 * (always NUL terminated): "reno cubic". Returns the string length.
 */
u32 mytcp_cc_list(char *buf, u32 len);

/* cwnd = MYTCP_CC_INIT_CWND, ssthresh = infinite, then ops->init. */
void mytcp_cc_init(const struct mytcp_cc_ops *ops, struct mytcp_cc *cc);

/* An ACK advanced SND.UNA outside recovery: ops->cong_avoid if cwnd_limited. */
void mytcp_cc_on_ack(const struct mytcp_cc_ops *ops, struct mytcp_cc *cc,
		     const struct mytcp_cc_ack *ack);

/* Fast retransmit (RFC 5681 3.2 (2)/(3)): ssthresh from ops, cwnd = ssthresh. */
void mytcp_cc_enter_recovery(const struct mytcp_cc_ops *ops,
			     struct mytcp_cc *cc, u32 in_flight);

/* Full ACK ends recovery (RFC 6582 3.2 (3)): cwnd = min(ssthresh, in_flight + 1). */
void mytcp_cc_exit_recovery(const struct mytcp_cc_ops *ops,
			    struct mytcp_cc *cc, u32 in_flight);

/* RTO (RFC 5681 (4), 3.1): ssthresh from ops, cwnd = 1, epoch reset. */
void mytcp_cc_on_rto(const struct mytcp_cc_ops *ops, struct mytcp_cc *cc,
		     u32 in_flight);

/* Restart after idle (RFC 5681 4.1): cwnd = min(cwnd, initial), epoch reset. */
void mytcp_cc_after_idle(const struct mytcp_cc_ops *ops, struct mytcp_cc *cc);

/*
 * Slow start helper (RFC 5681 3.1): grow by @acked up to ssthresh; returns
 * the acked segments left over.
 */
u32 mytcp_cc_slow_start(struct mytcp_cc *cc, u32 acked);

/* Additive increase: cwnd += 1 for every @w segments acked. */
void mytcp_cc_cong_avoid_ai(struct mytcp_cc *cc, u32 w, u32 acked);

static inline bool mytcp_cc_in_slow_start(const struct mytcp_cc *cc)
{
	return cc->cwnd < cc->ssthresh;
}

#endif /* MYTCP_CORE_CC_H */
