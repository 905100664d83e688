/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp core: the RFC 9293 connection state machine as data.
 *
 * The transitions of RFC 9293 3.3.2 (Figure 5) and the event processing of
 * 3.10 are one table, mytcp_transitions[state][event], in state.c.  This
 * file only decides the NEXT STATE.  Sending segments, timers, queues and
 * telling the user are the caller's job; the comments in state.c say what
 * the RFC wants done alongside each transition.
 *
 * The caller classifies what happened into one event.  For segments that
 * means: after the segment passed the RFC 9293 3.10.7 acceptability,
 * RST, security and SYN checks.  One segment can yield several events, fed
 * in the RFC order (ACK processing before FIN processing), e.g. in
 * SYN-RECEIVED an ACK+FIN is RCV_ACK_OF_SYN then RCV_FIN.
 */
#ifndef MYTCP_CORE_STATE_H
#define MYTCP_CORE_STATE_H

#include "types.h"

/*
 * States.  The numbers are those of Linux's TCP_* constants so that
 * /proc/net/mytcp can print the same "st" codes as /proc/net/tcp.
 * 0 is not a state.
 */
enum mytcp_state {
	MYTCP_ESTABLISHED = 1,
	MYTCP_SYN_SENT = 2,
	MYTCP_SYN_RECV = 3,
	MYTCP_FIN_WAIT1 = 4,
	MYTCP_FIN_WAIT2 = 5,
	MYTCP_TIME_WAIT = 6,
	MYTCP_CLOSE = 7,
	MYTCP_CLOSE_WAIT = 8,
	MYTCP_LAST_ACK = 9,
	MYTCP_LISTEN = 10,
	MYTCP_CLOSING = 11,
	MYTCP_STATE_MAX		/* one past the last state */
};

/* Events fed to mytcp_state_next(). */
enum mytcp_event {
	/* User calls (RFC 9293 3.10.1 - 3.10.5) */
	MYTCP_EV_PASSIVE_OPEN,		/* OPEN passive: listen() */
	MYTCP_EV_ACTIVE_OPEN,		/* OPEN active / SEND in LISTEN */
	MYTCP_EV_CLOSE,			/* CLOSE: close() */
	MYTCP_EV_SHUTDOWN_WR,		/* CLOSE of the send side only */
	MYTCP_EV_ABORT,			/* ABORT: sends RST if synchronized */

	/* Segment arrivals (RFC 9293 3.10.7), already found acceptable */
	MYTCP_EV_RCV_SYN,		/* SYN without ACK */
	MYTCP_EV_RCV_SYN_ACK,		/* SYN+ACK that acknowledges our SYN */
	MYTCP_EV_RCV_ACK_OF_SYN,	/* ACK that acknowledges our SYN */
	MYTCP_EV_RCV_FIN,		/* FIN that does not ack our FIN */
	MYTCP_EV_RCV_ACK_OF_FIN,	/* ACK that acknowledges our FIN */
	MYTCP_EV_RCV_FIN_ACK_OF_FIN,	/* FIN that also acks our FIN */
	MYTCP_EV_RCV_RST,		/* acceptable RST */

	/* Timers (RFC 9293 3.10.8 and implementation timers) */
	MYTCP_EV_TIMEWAIT_EXPIRED,	/* 2 MSL elapsed in TIME-WAIT */
	MYTCP_EV_FIN_WAIT2_TIMEOUT,	/* orphaned FIN-WAIT-2 gave up */
	MYTCP_EV_RETRIES_EXCEEDED,	/* R2 / user timeout / keepalive */

	MYTCP_EV_MAX			/* number of events */
};

/* True for the 11 real states. */
static inline bool mytcp_state_valid(int state)
{
	return state >= MYTCP_ESTABLISHED && state < MYTCP_STATE_MAX;
}

/*
 * "Synchronized" states of RFC 9293 3.5.2: the connection has exchanged
 * SYNs both ways (everything except CLOSED, LISTEN, SYN-SENT and
 * SYN-RECEIVED).
 */
static inline bool mytcp_state_synchronized(int state)
{
	return mytcp_state_valid(state) && state != MYTCP_CLOSE &&
	       state != MYTCP_LISTEN && state != MYTCP_SYN_SENT &&
	       state != MYTCP_SYN_RECV;
}

/*
 * mytcp_state_next - the state after @ev happens in @state.
 * @passive: true if this connection came out of a passive OPEN (a LISTEN
 *           state).  Only matters in SYN-RECEIVED, where RST (and giving
 *           up on retransmissions) go back to LISTEN for a passive
 *           connection but to CLOSED for an active one (RFC 9293 3.10.7.4,
 *           first check, and 3.5.2).
 * @valid:   optional (may be NULL); set to true if the event applies in
 *           this state, false if it does not.
 *
 * "Valid" means the RFC gives the event a meaning here; the new state may
 * equal the old one (e.g. a retransmitted FIN in TIME-WAIT: stay and
 * restart the 2 MSL timer).  "Invalid" means the event does not apply:
 * an error for a user call ("connection does not exist", "already
 * exists"), or for a segment that it is to be dropped (possibly after
 * sending an RST or a challenge ACK) without any state change.  Invalid
 * events, unknown states and unknown events return @state unchanged.
 */
enum mytcp_state mytcp_state_next(enum mytcp_state state,
				  enum mytcp_event ev, bool passive,
				  bool *valid);

/* RFC 9293 spelling: "ESTABLISHED", "SYN-SENT", ...; "UNKNOWN" if bad. */
const char *mytcp_state_name(int state);

/* Constant-style event name: "PASSIVE_OPEN", ...; "UNKNOWN" if bad. */
const char *mytcp_event_name(int ev);

#endif /* MYTCP_CORE_STATE_H */
