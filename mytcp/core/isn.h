/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp core: initial sequence number composition (RFC 6528).
 *
 *   ISN = M + F(localip, localport, remoteip, remoteport, secretkey)
 *
 * RFC 6528 section 3: "M is the 4 microsecond timer", F a pseudorandom
 * function of the connection 4-tuple and a secret key.  The core only does
 * the addition.  F is computed by the kernel glue (siphash over the 4-tuple
 * with a load-time random key) and passed in as @hash.
 *
 * M is exactly one tick per 4 microseconds: clock_ns / 4000.  It wraps
 * every 2^32 * 4 us, about 4.77 hours, the ISN clock of RFC 793 / 9293
 * 3.4.1.  The clock should be monotonic (e.g. ktime_get_ns()).
 */
#ifndef MYTCP_CORE_ISN_H
#define MYTCP_CORE_ISN_H

#include "types.h"

#define MYTCP_ISN_TICK_NS	4000U	/* RFC 6528: 4 microsecond timer */

/* hash + clock_ns / 4000, modulo 2^32. */
u32 mytcp_isn_compose(u32 hash, u64 clock_ns);

#endif /* MYTCP_CORE_ISN_H */
