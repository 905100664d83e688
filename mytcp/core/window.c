// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp core: window helpers (RFC 9293 3.8.6).
 */
#include "window.h"
#include "seq.h"
#include "segment.h"

u32 mytcp_rwnd_select(const struct mytcp_rwnd_in *in, u16 *field)
{
	u32 shift = mytcp_min_u32(in->wscale, MYTCP_MAX_WSCALE);
	u32 gran = 1U << shift;
	u32 max_wnd = MYTCP_MAX_WINDOW_FIELD << shift;
	u32 cur = 0, cur_up, avail, thresh, wnd;

	/* What is left of the window we already offered. */
	if (mytcp_seq_after(in->right_edge, in->rcv_nxt))
		cur = in->right_edge - in->rcv_nxt;
	cur = mytcp_min_u32(cur, max_wnd);
	/* Scaling must not cut the offered edge: round up (max_wnd is a
	 * multiple of gran, so this stays <= max_wnd).
	 */
	cur_up = (u32)(((u64)cur + gran - 1) & ~(u64)(gran - 1));

	/* What the buffer could take, representable in the field. */
	avail = mytcp_min_u32(in->free_space, max_wnd) & ~(gran - 1);

	/* RFC 9293 3.8.6.2.2 with Fr = 1/2 */
	thresh = mytcp_min_u32(in->rcv_buf / 2, in->mss);
	if (avail > cur && avail - cur >= thresh)
		wnd = avail;
	else
		wnd = cur_up;	/* keep the right edge where it is */
	wnd = mytcp_max_u32(wnd, cur_up);

	*field = (u16)(wnd >> shift);
	return wnd;
}

u32 mytcp_usable_window(u32 cwnd, u32 snd_wnd, u32 snd_una, u32 snd_nxt)
{
	u32 limit = mytcp_min_u32(cwnd, snd_wnd);
	u32 in_flight = snd_nxt - snd_una;

	return limit > in_flight ? limit - in_flight : 0;
}

bool mytcp_sws_send_ok(const struct mytcp_sws_in *in)
{
	u32 sendable = mytcp_min_u32(in->queued, in->usable);
	bool nagle_ok = !in->nagle || in->idle;

	if (!sendable)
		return false;
	/* (1) a full-sized segment */
	if (sendable >= in->mss)
		return true;
	/* (2) everything queued is pushed and fits */
	if (nagle_ok && in->push && in->queued <= in->usable)
		return true;
	/* (3) at least half of the largest window the peer ever offered */
	if (nagle_ok && in->max_snd_wnd && sendable >= in->max_snd_wnd / 2)
		return true;
	return false;
}
