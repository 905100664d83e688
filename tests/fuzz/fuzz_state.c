// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: random event sequences through mytcp_state_next().
 *
 * Byte 0 picks the start state (including invalid 0 and 12), every other
 * byte is one event (low bits, including out-of-range values) and the
 * passive flag (top bit).  Every result must be a valid state, invalid
 * events must leave the state alone, global rules of RFC 9293 must hold,
 * and every state must be entered only by its arcs of Figure 5.
 */
#include "core/state.h"
#include "fuzz.h"

/*
 * Each state entered from another by the arcs of RFC 9293 Figure 5 only
 * (and 3.10.1's SEND in LISTEN).
 */
static void check_entry(enum mytcp_state s, enum mytcp_event ev,
			enum mytcp_state next)
{
	bool close = ev == MYTCP_EV_CLOSE || ev == MYTCP_EV_SHUTDOWN_WR;

	switch (next) {
	case MYTCP_SYN_SENT:
		CHECK(ev == MYTCP_EV_ACTIVE_OPEN &&
		      (s == MYTCP_CLOSE || s == MYTCP_LISTEN));
		break;
	case MYTCP_SYN_RECV:
		CHECK(ev == MYTCP_EV_RCV_SYN &&
		      (s == MYTCP_LISTEN || s == MYTCP_SYN_SENT));
		break;
	case MYTCP_FIN_WAIT1:
		CHECK(close &&
		      (s == MYTCP_SYN_RECV || s == MYTCP_ESTABLISHED));
		break;
	case MYTCP_FIN_WAIT2:
		CHECK(ev == MYTCP_EV_RCV_ACK_OF_FIN && s == MYTCP_FIN_WAIT1);
		break;
	case MYTCP_CLOSING:
		CHECK(ev == MYTCP_EV_RCV_FIN && s == MYTCP_FIN_WAIT1);
		break;
	case MYTCP_CLOSE_WAIT:
		CHECK(ev == MYTCP_EV_RCV_FIN &&
		      (s == MYTCP_SYN_RECV || s == MYTCP_ESTABLISHED));
		break;
	case MYTCP_LAST_ACK:
		CHECK(close && s == MYTCP_CLOSE_WAIT);
		break;
	case MYTCP_TIME_WAIT:
		CHECK(ev == MYTCP_EV_RCV_FIN ||
		      ev == MYTCP_EV_RCV_FIN_ACK_OF_FIN ||
		      (ev == MYTCP_EV_RCV_ACK_OF_FIN && s == MYTCP_CLOSING));
		break;
	default:
		break;
	}
}

static void check_step(enum mytcp_state s, enum mytcp_event ev, bool passive,
		       enum mytcp_state next, bool valid)
{
	bool known_ev = (unsigned int)ev < MYTCP_EV_MAX;

	if (!mytcp_state_valid(s) || !known_ev) {
		CHECK(!valid && next == s);
		return;
	}
	CHECK(mytcp_state_valid(next));
	CHECK(strcmp(mytcp_state_name(next), "UNKNOWN"));
	if (!valid)
		CHECK(next == s);

	/* The answer does not depend on anything but its arguments. */
	CHECK(mytcp_state_next(s, ev, passive, NULL) == next);

	/* Only OPEN leaves CLOSED. */
	if (s == MYTCP_CLOSE)
		CHECK(valid == (ev == MYTCP_EV_PASSIVE_OPEN ||
				ev == MYTCP_EV_ACTIVE_OPEN));
	/* ABORT always ends in CLOSED, except there is nothing to abort. */
	if (ev == MYTCP_EV_ABORT)
		CHECK(s == MYTCP_CLOSE ? !valid : valid && next == MYTCP_CLOSE);
	/* RST never opens anything. */
	if (ev == MYTCP_EV_RCV_RST && valid)
		CHECK(next == MYTCP_CLOSE ||
		      (next == MYTCP_LISTEN && s == MYTCP_SYN_RECV && passive));
	/* LISTEN is entered only by a passive OPEN or a passive reset. */
	if (next == MYTCP_LISTEN && s != MYTCP_LISTEN)
		CHECK((s == MYTCP_CLOSE && ev == MYTCP_EV_PASSIVE_OPEN) ||
		      (s == MYTCP_SYN_RECV && passive));
	/* TIME-WAIT only follows a FIN exchange in which we sent a FIN. */
	if (next == MYTCP_TIME_WAIT)
		CHECK(s == MYTCP_FIN_WAIT1 || s == MYTCP_FIN_WAIT2 ||
		      s == MYTCP_CLOSING || s == MYTCP_TIME_WAIT);
	/* ESTABLISHED is reached only through the handshake. */
	if (next == MYTCP_ESTABLISHED && s != MYTCP_ESTABLISHED)
		CHECK(s == MYTCP_SYN_SENT || s == MYTCP_SYN_RECV);
	/* Synchronized states never go back to unsynchronized ones except
	 * by closing.
	 */
	if (mytcp_state_synchronized(s))
		CHECK(mytcp_state_synchronized(next) || next == MYTCP_CLOSE);
	/* The passive flag matters in SYN-RECEIVED only (3.10.7.4). */
	if (s != MYTCP_SYN_RECV)
		CHECK(mytcp_state_next(s, ev, !passive, NULL) == next);
	/* Timers belong to one state each. */
	if (ev == MYTCP_EV_TIMEWAIT_EXPIRED)
		CHECK(valid == (s == MYTCP_TIME_WAIT));
	if (ev == MYTCP_EV_FIN_WAIT2_TIMEOUT)
		CHECK(valid == (s == MYTCP_FIN_WAIT2));
	if (next != s)
		check_entry(s, ev, next);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	enum mytcp_state s;
	size_t i;

	if (!size)
		return 0;
	s = (enum mytcp_state)(data[0] % (MYTCP_STATE_MAX + 1));
	for (i = 1; i < size; i++) {
		enum mytcp_event ev = (enum mytcp_event)
				      ((data[i] & 0x7f) % (MYTCP_EV_MAX + 3));
		bool passive = data[i] & 0x80;
		bool valid = true;
		enum mytcp_state next = mytcp_state_next(s, ev, passive,
							 &valid);

		check_step(s, ev, passive, next, valid);
		s = next;
	}
	return 0;
}
