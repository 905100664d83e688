// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp core: SYN cookie layout, age check and option bits (syncookie.h).
 */
#include "syncookie.h"

/*
 * The common MSS values: RFC 9293 3.7.1's default, IPv6-in-something
 * and tunnel paths, Ethernet, and jumbo frames. A peer between two
 * entries gets the lower one; it can only lose a little per segment.
 */
static const u16 mytcp_cookie_mss_tab[MYTCP_COOKIE_NR_MSS] = {
	536, 1300, 1460, 8960,
};

u16 mytcp_cookie_mss(unsigned int idx)
{
	return mytcp_cookie_mss_tab[idx % MYTCP_COOKIE_NR_MSS];
}

unsigned int mytcp_cookie_mss_index(u16 peer_mss)
{
	unsigned int i;

	for (i = MYTCP_COOKIE_NR_MSS - 1; i > 0; i--)
		if (peer_mss >= mytcp_cookie_mss_tab[i])
			break;
	return i;
}

u32 mytcp_cookie_slot(u64 clock_ns)
{
	return (u32)(mytcp_div_u64(clock_ns, 1000000000U) / 64);
}

u32 mytcp_cookie_encode(u32 mac, u32 slot, unsigned int mss_idx)
{
	return (slot & 3U) << MYTCP_COOKIE_SLOT_SHIFT |
	       (mss_idx & 3U) << MYTCP_COOKIE_MSS_SHIFT |
	       (mac & MYTCP_COOKIE_MAC_MASK);
}

bool mytcp_cookie_decode(u32 cookie, u32 now_slot, u32 *slot,
			 unsigned int *mss_idx)
{
	u32 age = (now_slot - (cookie >> MYTCP_COOKIE_SLOT_SHIFT)) & 3U;

	if (age > MYTCP_COOKIE_MAX_AGE)
		return false;
	*slot = now_slot - age;
	*mss_idx = (cookie >> MYTCP_COOKIE_MSS_SHIFT) & 3U;
	return true;
}

u32 mytcp_cookie_tsval(u32 now, const struct mytcp_cookie_opts *o)
{
	u32 bits = o->wscale_ok ? o->snd_wscale : MYTCP_COOKIE_NO_WSCALE;
	u32 ts;

	if (o->sack_ok)
		bits |= MYTCP_COOKIE_TS_SACK;
	ts = (now & ~MYTCP_COOKIE_TS_MASK) | bits;
	/* Never ahead of our clock: later TSvals must not go backwards. */
	if ((s32)(ts - now) > 0)
		ts -= MYTCP_COOKIE_TS_MASK + 1;
	return ts;
}

void mytcp_cookie_ts_decode(u32 tsecr, struct mytcp_cookie_opts *o)
{
	u32 ws = tsecr & 15U;

	/* Shifts above 14 are clamped at parsing (RFC 7323 2.3): no clash. */
	o->wscale_ok = ws != MYTCP_COOKIE_NO_WSCALE;
	o->snd_wscale = o->wscale_ok ? ws : 0;
	o->sack_ok = tsecr & MYTCP_COOKIE_TS_SACK;
}
