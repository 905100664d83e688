// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp core: retransmission timeout estimator (RFC 6298).
 */
#include "rto.h"

void mytcp_rto_init(struct mytcp_rto *e, u32 initial_us)
{
	e->srtt_us = 0;
	e->rttvar_us = 0;
	e->rto_us = initial_us;
	e->backoff = 0;
	e->has_sample = false;
}

void mytcp_rto_sample(struct mytcp_rto *e, u32 rtt_us, u32 granularity_us,
		      u32 min_us, u32 max_us)
{
	u64 rto;

	if (!e->has_sample) {
		/* RFC 6298 2.2 */
		e->srtt_us = rtt_us;
		e->rttvar_us = rtt_us / 2;
		e->has_sample = true;
	} else {
		/* RFC 6298 2.3, beta = 1/4 then alpha = 1/8, old SRTT first */
		u32 diff = e->srtt_us > rtt_us ? e->srtt_us - rtt_us :
						  rtt_us - e->srtt_us;

		e->rttvar_us = (u32)(((u64)e->rttvar_us * 3 + diff) >> 2);
		e->srtt_us = (u32)(((u64)e->srtt_us * 7 + rtt_us) >> 3);
	}

	rto = (u64)e->srtt_us +
	      mytcp_max_u64(granularity_us, (u64)e->rttvar_us * 4);
	/* RFC 6298 2.4 / 2.5: lower and upper bound */
	rto = mytcp_max_u64(rto, min_us);
	rto = mytcp_min_u64(rto, max_us);
	e->rto_us = (u32)rto;
	e->backoff = 0;
}

u32 mytcp_rto_backoff(struct mytcp_rto *e, u32 max_us)
{
	u64 rto = (u64)e->rto_us * 2;

	e->rto_us = (u32)mytcp_min_u64(rto, max_us);
	if (e->backoff != ~0U)
		e->backoff++;
	return e->rto_us;
}

void mytcp_rto_unbackoff(struct mytcp_rto *e, u32 min_us, u32 max_us)
{
	u64 rto;

	if (!e->has_sample || !e->backoff)
		return;
	rto = (u64)e->srtt_us + mytcp_max_u64(1, (u64)e->rttvar_us * 4);
	rto = mytcp_max_u64(rto, min_us);
	e->rto_us = (u32)mytcp_min_u64(rto, max_us);
	e->backoff = 0;
}
