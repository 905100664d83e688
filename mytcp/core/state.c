// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp core: the RFC 9293 connection state machine as data.
 *
 * RFC 9293 Figure 5 (3.3.2), redrawn:
 *
 *                             +---------+ ---------\      active OPEN
 *                             |  CLOSED |            \    -----------
 *                             +---------+<---------\   \   create TCB
 *                               |     ^              \   \  snd SYN
 *                  passive OPEN |     |   CLOSE        \   \
 *                  ------------ |     | ----------       \   \
 *                   create TCB  |     | delete TCB         \   \
 *                               V     |                      \   \
 *           rcv RST (note 1)  +---------+            CLOSE    |    \
 *        -------------------->|  LISTEN |          ---------- |     |
 *       /                     +---------+          delete TCB |     |
 *      /           rcv SYN      |     |     SEND              |     |
 *     /           -----------   |     |    -------            |     V
 * +--------+      snd SYN,ACK  /       \   snd SYN          +--------+
 * |        |<-----------------           ------------------>|        |
 * |  SYN   |                    rcv SYN                     |  SYN   |
 * |  RCVD  |<-----------------------------------------------|  SENT  |
 * |        |                  snd SYN,ACK                   |        |
 * |        |------------------           -------------------|        |
 * +--------+   rcv ACK of SYN  \       /  rcv SYN,ACK       +--------+
 *    |         --------------   |     |   -----------
 *    |                x         |     |     snd ACK
 *    |                          V     V
 *    |  CLOSE               +---------+
 *    | -------              |  ESTAB  |
 *    | snd FIN              +---------+
 *    |                 CLOSE    |     |    rcv FIN
 *    V                -------   |     |    -------
 * +---------+         snd FIN  /       \   snd ACK         +---------+
 * |  FIN    |<----------------          ------------------>|  CLOSE  |
 * | WAIT-1  |------------------                            |   WAIT  |
 * +---------+          rcv FIN  \                          +---------+
 *   | rcv ACK of FIN   -------   |                          CLOSE  |
 *   | --------------   snd ACK   |                         ------- |
 *   V        x                   V                         snd FIN V
 * +---------+               +---------+                    +---------+
 * |FINWAIT-2|               | CLOSING |                    | LAST-ACK|
 * +---------+               +---------+                    +---------+
 *   |              rcv ACK of FIN |                 rcv ACK of FIN |
 *   |  rcv FIN     -------------- |    Timeout=2MSL -------------- |
 *   |  -------            x       V    ------------        x       V
 *    \ snd ACK              +---------+delete TCB          +---------+
 *      -------------------->|TIME-WAIT|------------------->| CLOSED  |
 *                           +---------+                    +---------+
 *
 * note 1: rcv RST in SYN-RECEIVED returns to LISTEN only if the connection
 * came from a passive OPEN, otherwise it goes to CLOSED.
 *
 * The table below is that figure plus the rest of 3.10 (ABORT, RST in
 * every state, FIN in the closing states, timeouts).  An entry that is not
 * written is 0 = MYTCP_T_INVALID: the event does not apply in that state.
 */
#include "state.h"

#define MYTCP_T_INVALID	0	/* event does not apply here */
#define MYTCP_T_ORIGIN	0xff	/* LISTEN if passive, else CLOSED */

static const u8 mytcp_transitions[MYTCP_STATE_MAX][MYTCP_EV_MAX] = {
	/*
	 * CLOSED: no TCB.  3.10.1 OPEN creates one.  CLOSE/ABORT/SHUTDOWN:
	 * "error: connection does not exist".  Segments: 3.10.7.1, answer
	 * with RST unless it is an RST, stay CLOSED.
	 */
	[MYTCP_CLOSE] = {
		[MYTCP_EV_PASSIVE_OPEN]		= MYTCP_LISTEN,
		[MYTCP_EV_ACTIVE_OPEN]		= MYTCP_SYN_SENT,   /* snd SYN */
	},

	/*
	 * LISTEN (3.10.7.2): a SYN creates the half-open connection.  RST is
	 * ignored, any ACK gets an RST, FIN cannot be validated: all invalid.
	 */
	[MYTCP_LISTEN] = {
		/* 3.10.1: "change the connection from passive to active" */
		[MYTCP_EV_ACTIVE_OPEN]		= MYTCP_SYN_SENT,   /* snd SYN */
		[MYTCP_EV_CLOSE]		= MYTCP_CLOSE,	    /* 3.10.4 */
		[MYTCP_EV_ABORT]		= MYTCP_CLOSE,	    /* 3.10.5 */
		[MYTCP_EV_RCV_SYN]		= MYTCP_SYN_RECV,   /* snd SYN,ACK */
	},

	/*
	 * SYN-SENT (3.10.7.3): waiting for the peer's SYN.
	 */
	[MYTCP_SYN_SENT] = {
		/* 3.10.4: "delete the TCB", 3.10.5: no RST is sent */
		[MYTCP_EV_CLOSE]		= MYTCP_CLOSE,
		[MYTCP_EV_SHUTDOWN_WR]		= MYTCP_CLOSE,
		[MYTCP_EV_ABORT]		= MYTCP_CLOSE,
		/* simultaneous open (Figure 7): snd SYN,ACK */
		[MYTCP_EV_RCV_SYN]		= MYTCP_SYN_RECV,
		/* our SYN acked and their SYN received: snd ACK */
		[MYTCP_EV_RCV_SYN_ACK]		= MYTCP_ESTABLISHED,
		/* acceptable ACK + RST: "error: connection reset" */
		[MYTCP_EV_RCV_RST]		= MYTCP_CLOSE,
		/* 3.8.3: R2 for a SYN (at least 3 minutes) */
		[MYTCP_EV_RETRIES_EXCEEDED]	= MYTCP_CLOSE,
	},

	/*
	 * SYN-RECEIVED (3.10.7.4): our SYN,ACK is out, waiting for its ACK.
	 */
	[MYTCP_SYN_RECV] = {
		/*
		 * 3.10.4: "If no SENDs have been issued and there is no
		 * pending data to send, then form a FIN segment and send it,
		 * and enter FIN-WAIT-1 state" (else queue the FIN until
		 * ESTABLISHED; the state is still FIN-WAIT-1 once it goes).
		 */
		[MYTCP_EV_CLOSE]		= MYTCP_FIN_WAIT1,
		[MYTCP_EV_SHUTDOWN_WR]		= MYTCP_FIN_WAIT1,
		[MYTCP_EV_ABORT]		= MYTCP_CLOSE,	    /* snd RST */
		/*
		 * Simultaneous open, Figure 7 line 5: the peer's SYN,ACK
		 * acknowledges our SYN.
		 */
		[MYTCP_EV_RCV_SYN_ACK]		= MYTCP_ESTABLISHED,
		/* fifth check, ACK: SND.UNA < SEG.ACK =< SND.NXT */
		[MYTCP_EV_RCV_ACK_OF_SYN]	= MYTCP_ESTABLISHED,
		/* eighth check, FIN: "Enter the CLOSE-WAIT state" */
		[MYTCP_EV_RCV_FIN]		= MYTCP_CLOSE_WAIT,
		/* second check, RST: passive -> LISTEN, active -> CLOSED */
		[MYTCP_EV_RCV_RST]		= MYTCP_T_ORIGIN,
		/*
		 * SYN,ACK retransmissions exhausted: the half-open
		 * connection is dropped; a passive one leaves the listener.
		 */
		[MYTCP_EV_RETRIES_EXCEEDED]	= MYTCP_T_ORIGIN,
	},

	/*
	 * ESTABLISHED: data transfer.
	 */
	[MYTCP_ESTABLISHED] = {
		[MYTCP_EV_CLOSE]		= MYTCP_FIN_WAIT1,  /* snd FIN */
		[MYTCP_EV_SHUTDOWN_WR]		= MYTCP_FIN_WAIT1,  /* snd FIN */
		[MYTCP_EV_ABORT]		= MYTCP_CLOSE,	    /* snd RST */
		[MYTCP_EV_RCV_FIN]		= MYTCP_CLOSE_WAIT, /* snd ACK */
		[MYTCP_EV_RCV_RST]		= MYTCP_CLOSE,
		/* 3.10.8 USER TIMEOUT / 3.8.3 R2 */
		[MYTCP_EV_RETRIES_EXCEEDED]	= MYTCP_CLOSE,
	},

	/*
	 * FIN-WAIT-1: our FIN is out, not yet acknowledged.
	 */
	[MYTCP_FIN_WAIT1] = {
		/*
		 * 3.10.4: "Strictly speaking, this is an error ... An 'ok'
		 * response would be acceptable, too, as long as a second FIN
		 * is not emitted".  We take the "ok": close() after
		 * shutdown() is normal for sockets.
		 */
		[MYTCP_EV_CLOSE]		= MYTCP_FIN_WAIT1,
		[MYTCP_EV_SHUTDOWN_WR]		= MYTCP_FIN_WAIT1,
		[MYTCP_EV_ABORT]		= MYTCP_CLOSE,	    /* snd RST */
		/* fifth check: "enter FIN-WAIT-2 and continue processing" */
		[MYTCP_EV_RCV_ACK_OF_FIN]	= MYTCP_FIN_WAIT2,
		/* eighth check: FIN, our FIN not acked -> simultaneous close */
		[MYTCP_EV_RCV_FIN]		= MYTCP_CLOSING,
		/* eighth check: "our FIN has been ACKed (perhaps in this
		 * segment), then enter TIME-WAIT, start the time-wait timer"
		 */
		[MYTCP_EV_RCV_FIN_ACK_OF_FIN]	= MYTCP_TIME_WAIT,
		[MYTCP_EV_RCV_RST]		= MYTCP_CLOSE,
		[MYTCP_EV_RETRIES_EXCEEDED]	= MYTCP_CLOSE,
	},

	/*
	 * FIN-WAIT-2: our FIN is acked, waiting for the peer's FIN.
	 */
	[MYTCP_FIN_WAIT2] = {
		[MYTCP_EV_CLOSE]		= MYTCP_FIN_WAIT2,  /* "ok" */
		[MYTCP_EV_SHUTDOWN_WR]		= MYTCP_FIN_WAIT2,
		[MYTCP_EV_ABORT]		= MYTCP_CLOSE,	    /* snd RST */
		/* eighth check: "Enter the TIME-WAIT state" (snd ACK) */
		[MYTCP_EV_RCV_FIN]		= MYTCP_TIME_WAIT,
		[MYTCP_EV_RCV_FIN_ACK_OF_FIN]	= MYTCP_TIME_WAIT,
		[MYTCP_EV_RCV_RST]		= MYTCP_CLOSE,
		/*
		 * Not in the RFC: an orphaned FIN-WAIT-2 (user closed, peer
		 * never sends FIN) is given up after a timeout, as BSD and
		 * Linux do.
		 */
		[MYTCP_EV_FIN_WAIT2_TIMEOUT]	= MYTCP_CLOSE,
		/* keepalive probes unanswered */
		[MYTCP_EV_RETRIES_EXCEEDED]	= MYTCP_CLOSE,
	},

	/*
	 * CLOSE-WAIT: the peer closed, we may still send.
	 */
	[MYTCP_CLOSE_WAIT] = {
		/* 3.10.4: "send a FIN ... enter LAST-ACK" */
		[MYTCP_EV_CLOSE]		= MYTCP_LAST_ACK,
		[MYTCP_EV_SHUTDOWN_WR]		= MYTCP_LAST_ACK,
		[MYTCP_EV_ABORT]		= MYTCP_CLOSE,	    /* snd RST */
		/* eighth check: "Remain in the CLOSE-WAIT state" */
		[MYTCP_EV_RCV_FIN]		= MYTCP_CLOSE_WAIT,
		[MYTCP_EV_RCV_RST]		= MYTCP_CLOSE,
		[MYTCP_EV_RETRIES_EXCEEDED]	= MYTCP_CLOSE,
	},

	/*
	 * CLOSING: both FINs crossed, waiting for the ACK of ours.
	 */
	[MYTCP_CLOSING] = {
		/* 3.10.4 says "error: connection closing"; sockets: "ok" */
		[MYTCP_EV_CLOSE]		= MYTCP_CLOSING,
		[MYTCP_EV_SHUTDOWN_WR]		= MYTCP_CLOSING,
		[MYTCP_EV_ABORT]		= MYTCP_CLOSE,	    /* 3.10.5 */
		/* fifth check: "enter the TIME-WAIT state" */
		[MYTCP_EV_RCV_ACK_OF_FIN]	= MYTCP_TIME_WAIT,
		[MYTCP_EV_RCV_FIN_ACK_OF_FIN]	= MYTCP_TIME_WAIT,
		/* eighth check: "Remain in the CLOSING state" */
		[MYTCP_EV_RCV_FIN]		= MYTCP_CLOSING,
		/* second check: "enter the CLOSED state" */
		[MYTCP_EV_RCV_RST]		= MYTCP_CLOSE,
		[MYTCP_EV_RETRIES_EXCEEDED]	= MYTCP_CLOSE,
	},

	/*
	 * LAST-ACK: we closed after the peer; waiting for the ACK of our FIN.
	 */
	[MYTCP_LAST_ACK] = {
		[MYTCP_EV_CLOSE]		= MYTCP_LAST_ACK,   /* "ok" */
		[MYTCP_EV_SHUTDOWN_WR]		= MYTCP_LAST_ACK,
		[MYTCP_EV_ABORT]		= MYTCP_CLOSE,	    /* 3.10.5 */
		/* fifth check: "delete the TCB, enter the CLOSED state" */
		[MYTCP_EV_RCV_ACK_OF_FIN]	= MYTCP_CLOSE,
		[MYTCP_EV_RCV_FIN_ACK_OF_FIN]	= MYTCP_CLOSE,
		/* eighth check: "Remain in the LAST-ACK state" */
		[MYTCP_EV_RCV_FIN]		= MYTCP_LAST_ACK,
		[MYTCP_EV_RCV_RST]		= MYTCP_CLOSE,
		[MYTCP_EV_RETRIES_EXCEEDED]	= MYTCP_CLOSE,
	},

	/*
	 * TIME-WAIT: waiting 2 MSL so old duplicates die out.
	 */
	[MYTCP_TIME_WAIT] = {
		[MYTCP_EV_CLOSE]		= MYTCP_TIME_WAIT,  /* "ok" */
		[MYTCP_EV_SHUTDOWN_WR]		= MYTCP_TIME_WAIT,
		[MYTCP_EV_ABORT]		= MYTCP_CLOSE,	    /* 3.10.5 */
		/*
		 * eighth check: a retransmitted FIN: "Remain in the
		 * TIME-WAIT state.  Restart the 2 MSL time-wait timeout."
		 */
		[MYTCP_EV_RCV_FIN]		= MYTCP_TIME_WAIT,
		[MYTCP_EV_RCV_FIN_ACK_OF_FIN]	= MYTCP_TIME_WAIT,
		/* second check: "enter the CLOSED state" (cf. RFC 1337) */
		[MYTCP_EV_RCV_RST]		= MYTCP_CLOSE,
		/* 3.10.8 TIME-WAIT TIMEOUT: "delete the TCB" */
		[MYTCP_EV_TIMEWAIT_EXPIRED]	= MYTCP_CLOSE,
	},
};

enum mytcp_state mytcp_state_next(enum mytcp_state state,
				  enum mytcp_event ev, bool passive,
				  bool *valid)
{
	u8 next;

	if (valid)
		*valid = false;
	if (!mytcp_state_valid(state) || (unsigned int)ev >= MYTCP_EV_MAX)
		return state;

	next = mytcp_transitions[state][ev];
	if (next == MYTCP_T_INVALID)
		return state;
	if (next == MYTCP_T_ORIGIN)
		next = passive ? MYTCP_LISTEN : MYTCP_CLOSE;
	if (valid)
		*valid = true;
	return (enum mytcp_state)next;
}

static const char * const mytcp_state_names[MYTCP_STATE_MAX] = {
	[MYTCP_ESTABLISHED]	= "ESTABLISHED",
	[MYTCP_SYN_SENT]	= "SYN-SENT",
	[MYTCP_SYN_RECV]	= "SYN-RECEIVED",
	[MYTCP_FIN_WAIT1]	= "FIN-WAIT-1",
	[MYTCP_FIN_WAIT2]	= "FIN-WAIT-2",
	[MYTCP_TIME_WAIT]	= "TIME-WAIT",
	[MYTCP_CLOSE]		= "CLOSED",
	[MYTCP_CLOSE_WAIT]	= "CLOSE-WAIT",
	[MYTCP_LAST_ACK]	= "LAST-ACK",
	[MYTCP_LISTEN]		= "LISTEN",
	[MYTCP_CLOSING]		= "CLOSING",
};

const char *mytcp_state_name(int state)
{
	if (!mytcp_state_valid(state))
		return "UNKNOWN";
	return mytcp_state_names[state];
}

static const char * const mytcp_event_names[MYTCP_EV_MAX] = {
	[MYTCP_EV_PASSIVE_OPEN]		= "PASSIVE_OPEN",
	[MYTCP_EV_ACTIVE_OPEN]		= "ACTIVE_OPEN",
	[MYTCP_EV_CLOSE]		= "CLOSE",
	[MYTCP_EV_SHUTDOWN_WR]		= "SHUTDOWN_WR",
	[MYTCP_EV_ABORT]		= "ABORT",
	[MYTCP_EV_RCV_SYN]		= "RCV_SYN",
	[MYTCP_EV_RCV_SYN_ACK]		= "RCV_SYN_ACK",
	[MYTCP_EV_RCV_ACK_OF_SYN]	= "RCV_ACK_OF_SYN",
	[MYTCP_EV_RCV_FIN]		= "RCV_FIN",
	[MYTCP_EV_RCV_ACK_OF_FIN]	= "RCV_ACK_OF_FIN",
	[MYTCP_EV_RCV_FIN_ACK_OF_FIN]	= "RCV_FIN_ACK_OF_FIN",
	[MYTCP_EV_RCV_RST]		= "RCV_RST",
	[MYTCP_EV_TIMEWAIT_EXPIRED]	= "TIMEWAIT_EXPIRED",
	[MYTCP_EV_FIN_WAIT2_TIMEOUT]	= "FIN_WAIT2_TIMEOUT",
	[MYTCP_EV_RETRIES_EXCEEDED]	= "RETRIES_EXCEEDED",
};

const char *mytcp_event_name(int ev)
{
	if (ev < 0 || ev >= MYTCP_EV_MAX)
		return "UNKNOWN";
	return mytcp_event_names[ev];
}
