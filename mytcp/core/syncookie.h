/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp core: SYN cookies, the stateless SYN-ACK of a flooded listener.
 *
 * Instead of keeping a request entry, the listener puts what it must
 * remember into the ISN of its SYN-ACK and gets it back in the ACK
 * (ACK - 1).  Our layout of the 32-bit cookie:
 *
 *   bits 31..30  time slot, low 2 bits (a slot is 64 s)
 *   bits 29..28  index into the MSS table below
 *   bits 27..0   MAC: low 28 bits of a keyed hash of the 4-tuple, the
 *                peer's ISN, the full slot number and the MSS index
 *
 * The core does the bit work only; the kernel glue computes the MAC
 * (siphash with a load-time random key) and passes it in, so that the
 * layout, the age check and the option encoding are tested on the host.
 *
 * A cookie is accepted in its own slot and the next one: it lives at
 * least 64 s and less than 128 s.  A forged ACK matches with probability
 * 2^-28.
 *
 * With timestamps (RFC 7323) the options of the SYN ride in the low bits
 * of our TSval, which the peer echoes in TSecr: bits 3..0 the peer's
 * window shift (0-14; 15 = no window scaling), bit 4 SACK-permitted.
 * Without timestamps a cookie connection has neither.
 */
#ifndef MYTCP_CORE_SYNCOOKIE_H
#define MYTCP_CORE_SYNCOOKIE_H

#include "types.h"

#define MYTCP_COOKIE_SLOT_SHIFT	30
#define MYTCP_COOKIE_MSS_SHIFT	28
#define MYTCP_COOKIE_MAC_MASK	((1U << MYTCP_COOKIE_MSS_SHIFT) - 1)
#define MYTCP_COOKIE_SLOT_NS	(64ULL * 1000000000ULL)
#define MYTCP_COOKIE_MAX_AGE	1	/* slots: the current and previous */
#define MYTCP_COOKIE_NR_MSS	4

#define MYTCP_COOKIE_TS_BITS	5	/* low TSval bits we use */
#define MYTCP_COOKIE_TS_MASK	((1U << MYTCP_COOKIE_TS_BITS) - 1)
#define MYTCP_COOKIE_NO_WSCALE	15
#define MYTCP_COOKIE_TS_SACK	16

/* What a cookie remembers of a SYN, besides the peer's ISN. */
struct mytcp_cookie_opts {
	bool wscale_ok;
	u8 snd_wscale;		/* the peer's shift */
	bool sack_ok;
};

/* The MSS an index stands for. */
u16 mytcp_cookie_mss(unsigned int idx);

/* The largest table entry not above @peer_mss (the first if none). */
unsigned int mytcp_cookie_mss_index(u16 peer_mss);

/* The slot number of a monotonic clock. */
u32 mytcp_cookie_slot(u64 clock_ns);

/* The cookie for a MAC computed over (@slot, @mss_idx). */
u32 mytcp_cookie_encode(u32 mac, u32 slot, unsigned int mss_idx);

/*
 * Read the slot and MSS index back from @cookie at slot @now_slot.
 * False if the cookie is too old (or from a slot ahead of now).  The
 * caller then computes the MAC over *@slot and *@mss_idx and compares
 * mytcp_cookie_encode() of it with the cookie.
 */
bool mytcp_cookie_decode(u32 cookie, u32 now_slot, u32 *slot,
			 unsigned int *mss_idx);

/* Our SYN-ACK's TSval: at most @now, its low bits saying @o. */
u32 mytcp_cookie_tsval(u32 now, const struct mytcp_cookie_opts *o);

/* The options from an echoed TSval. */
void mytcp_cookie_ts_decode(u32 tsecr, struct mytcp_cookie_opts *o);

#endif /* MYTCP_CORE_SYNCOOKIE_H */
