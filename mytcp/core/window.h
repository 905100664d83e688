/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp core: window helpers (RFC 9293 3.8.6).
 *
 * Receiver: choose the window to advertise so that
 *  - the right edge RCV.NXT + RCV.WND never moves left (3.8.6, SHLD-14);
 *  - small openings are not advertised: receiver-side silly window
 *    syndrome avoidance (3.8.6.2.2) keeps the right edge where it is until
 *        RCV.BUFF - RCV.USER - RCV.WND >= min(RCV.BUFF / 2, Eff.snd.MSS)
 *  - the value fits the 16-bit field after window scaling (RFC 7323 2.3).
 *
 * Sender: usable window and the sender-side SWS test (3.8.6.2.1).
 */
#ifndef MYTCP_CORE_WINDOW_H
#define MYTCP_CORE_WINDOW_H

#include "types.h"

#define MYTCP_MAX_WINDOW_FIELD	65535U

struct mytcp_rwnd_in {
	u32 free_space;	/* RCV.BUFF - RCV.USER: bytes we can still queue */
	u32 rcv_buf;	/* RCV.BUFF: the whole receive buffer */
	u32 mss;	/* Eff.snd.MSS: the segment size we expect */
	u8 wscale;	/* our receive shift (sent in our SYN), 0..14; */
			/* use 0 for SYN and SYN,ACK (never scaled) */
	u32 rcv_nxt;	/* RCV.NXT */
	u32 right_edge;	/* RCV.NXT + RCV.WND as last advertised */
};

/*
 * mytcp_rwnd_select - the window to advertise now.
 * @field: set to the value for the header's window field (wnd >> wscale)
 *
 * Return: the new RCV.WND in bytes, counted from @in->rcv_nxt; it equals
 * *@field << wscale.  The caller then remembers
 * right_edge = rcv_nxt + returned value for the next call.
 *
 * For the very first advertisement pass right_edge = rcv_nxt.
 * Because the edge never moves left, the returned window may be larger
 * than free_space (data already allowed in flight); the caller must still
 * accept in-window data or drop it only under real memory pressure.
 */
u32 mytcp_rwnd_select(const struct mytcp_rwnd_in *in, u16 *field);

/*
 * mytcp_usable_window - how many new bytes the sender may put in flight:
 * min(cwnd, snd_wnd) - (snd_nxt - snd_una), or 0 if that is negative.
 * @snd_wnd is the peer's window already scaled to bytes.
 */
u32 mytcp_usable_window(u32 cwnd, u32 snd_wnd, u32 snd_una, u32 snd_nxt);

struct mytcp_sws_in {
	u32 usable;	/* U: mytcp_usable_window() */
	u32 queued;	/* D: bytes queued by the user, not yet sent */
	u32 mss;	/* Eff.snd.MSS */
	u32 max_snd_wnd; /* Max(SND.WND): largest window the peer offered */
	bool push;	/* the queued data is pushed (end of a write) */
	bool idle;	/* SND.NXT == SND.UNA: nothing unacknowledged */
	bool nagle;	/* Nagle on: the [SND.NXT = SND.UNA] parts apply */
};

/*
 * mytcp_sws_send_ok - sender-side SWS avoidance, RFC 9293 3.8.6.2.1: may a
 * segment be sent now?  True if there is something to send and
 *  (1) min(D, U) >= Eff.snd.MSS, or
 *  (2) [idle and] pushed and D <= U, or
 *  (3) [idle and] min(D, U) >= Max(SND.WND) / 2.
 * The bracketed conditions apply only when @nagle is set.  Rule (4), the
 * override timeout (0.1 - 1 s), is the caller's timer.
 */
bool mytcp_sws_send_ok(const struct mytcp_sws_in *in);

#endif /* MYTCP_CORE_WINDOW_H */
