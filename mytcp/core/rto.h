/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp core: retransmission timeout estimator (RFC 6298), in microseconds.
 *
 *   first sample R:   SRTT <- R, RTTVAR <- R/2
 *   later sample R':  RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'|   (old SRTT)
 *                     SRTT   <- 7/8 SRTT   + 1/8 R'
 *   always:           RTO <- SRTT + max(G, 4 * RTTVAR), clamped [min, max]
 *
 * Integer arithmetic; the divisions by 8 and 4 round down.
 *
 * What the CALLER must do (not done here):
 *  - Karn's rule (RFC 6298 3): never feed an RTT measured on a segment
 *    that was retransmitted (its ACK is ambiguous).  With timestamps
 *    (RFC 7323 4.3) a sample from TSecr is fine even after retransmission.
 *  - Take at least one sample per RTT (RFC 6298 3), not per ACK.
 *  - Back off (mytcp_rto_backoff) each time the retransmission timer
 *    fires (RFC 6298 5.5) and keep the backed-off RTO until a new valid
 *    sample arrives: mytcp_rto_sample() then clears the backoff.
 *  - RFC 6298 5.7: if the SYN or SYN,ACK was retransmitted and no sample
 *    was taken, re-initialise with mytcp_rto_init(e, 3 s) once data starts.
 *  - Choose min (RFC 6298 2.4 says 1 s; Linux uses 200 ms), max (at least
 *    60 s, RFC 6298 2.5) and G, the clock granularity in microseconds.
 */
#ifndef MYTCP_CORE_RTO_H
#define MYTCP_CORE_RTO_H

#include "types.h"

#define MYTCP_RTO_INITIAL_US	1000000U	/* RFC 6298 2.1: 1 second */
#define MYTCP_RTO_SYN_LOSS_US	3000000U	/* RFC 6298 5.7: 3 seconds */

struct mytcp_rto {
	u32 srtt_us;		/* smoothed RTT, 0 until the first sample */
	u32 rttvar_us;		/* RTT variation */
	u32 rto_us;		/* current RTO, backoff included */
	u32 backoff;		/* times doubled since the last sample */
	bool has_sample;	/* at least one RTT sample taken */
};

/* Start with no sample and RTO = @initial_us (RFC 6298 2.1: 1 second). */
void mytcp_rto_init(struct mytcp_rto *e, u32 initial_us);

/*
 * Feed one RTT measurement (RFC 6298 2.2 / 2.3) and recompute RTO =
 * SRTT + max(@granularity_us, 4 * RTTVAR), clamped to [@min_us, @max_us].
 * Clears the backoff.  If @min_us > @max_us, @max_us wins.
 */
void mytcp_rto_sample(struct mytcp_rto *e, u32 rtt_us, u32 granularity_us,
		      u32 min_us, u32 max_us);

/*
 * The retransmission timer fired: RTO <- min(2 * RTO, @max_us)
 * (RFC 6298 5.5).  Returns the new RTO.
 */
u32 mytcp_rto_backoff(struct mytcp_rto *e, u32 max_us);

/*
 * mytcp_rto_unbackoff - the peer answered (e.g. a window probe): drop the
 * backoff and recompute the RTO from SRTT/RTTVAR, clamped to
 * [@min_us, @max_us]. Without an RTT sample nothing changes.
 */
void mytcp_rto_unbackoff(struct mytcp_rto *e, u32 min_us, u32 max_us);

/* The RTO to arm the retransmission timer with, in microseconds. */
static inline u32 mytcp_rto_current(const struct mytcp_rto *e)
{
	return e->rto_us;
}

#endif /* MYTCP_CORE_RTO_H */
