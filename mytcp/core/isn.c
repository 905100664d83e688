// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp core: initial sequence number composition (RFC 6528).
 */
#include "isn.h"

u32 mytcp_isn_compose(u32 hash, u64 clock_ns)
{
	u64 ticks = mytcp_div_u64(clock_ns, MYTCP_ISN_TICK_NS);

	/* Only the low 32 bits of M matter: the sum wraps modulo 2^32. */
	return hash + (u32)ticks;
}
