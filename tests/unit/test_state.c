// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the RFC 9293 state machine (3.3.2 Figure 5 and 3.10).
 *
 * expected[] is the specification, written independently of the table in
 * state.c: each row is registered as its own test, and an exhaustive test
 * checks that every (state, event) pair NOT listed is invalid.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "core/state.h"

#define ANY	0	/* the same for passive and active connections */
#define PASSIVE	1
#define ACTIVE	2

struct expected_transition {
	const char *name;
	enum mytcp_state from;
	enum mytcp_event ev;
	int origin;		/* ANY, PASSIVE or ACTIVE */
	enum mytcp_state to;
};

/*
 * Every valid transition as { name, from, event, origin, to }; anything
 * not listed must be invalid.
 */
static const struct expected_transition expected[] = {
	/* CLOSED: 3.10.1 OPEN */
	{ "state_closed_passive_open",
	  MYTCP_CLOSE, MYTCP_EV_PASSIVE_OPEN, ANY, MYTCP_LISTEN },
	{ "state_closed_active_open",
	  MYTCP_CLOSE, MYTCP_EV_ACTIVE_OPEN, ANY, MYTCP_SYN_SENT },
	/* LISTEN: 3.10.1, 3.10.4, 3.10.5, 3.10.7.2 */
	{ "state_listen_send",
	  MYTCP_LISTEN, MYTCP_EV_ACTIVE_OPEN, ANY, MYTCP_SYN_SENT },
	{ "state_listen_close",
	  MYTCP_LISTEN, MYTCP_EV_CLOSE, ANY, MYTCP_CLOSE },
	{ "state_listen_abort",
	  MYTCP_LISTEN, MYTCP_EV_ABORT, ANY, MYTCP_CLOSE },
	{ "state_listen_rcv_syn",
	  MYTCP_LISTEN, MYTCP_EV_RCV_SYN, ANY, MYTCP_SYN_RECV },
	/* SYN-SENT: 3.10.4, 3.10.5, 3.10.7.3, 3.8.3 */
	{ "state_syn_sent_close",
	  MYTCP_SYN_SENT, MYTCP_EV_CLOSE, ANY, MYTCP_CLOSE },
	{ "state_syn_sent_shutdown",
	  MYTCP_SYN_SENT, MYTCP_EV_SHUTDOWN_WR, ANY, MYTCP_CLOSE },
	{ "state_syn_sent_abort",
	  MYTCP_SYN_SENT, MYTCP_EV_ABORT, ANY, MYTCP_CLOSE },
	{ "state_syn_sent_simultaneous_open",
	  MYTCP_SYN_SENT, MYTCP_EV_RCV_SYN, ANY, MYTCP_SYN_RECV },
	{ "state_syn_sent_rcv_syn_ack",
	  MYTCP_SYN_SENT, MYTCP_EV_RCV_SYN_ACK, ANY, MYTCP_ESTABLISHED },
	{ "state_syn_sent_rcv_rst",
	  MYTCP_SYN_SENT, MYTCP_EV_RCV_RST, ANY, MYTCP_CLOSE },
	{ "state_syn_sent_retries",
	  MYTCP_SYN_SENT, MYTCP_EV_RETRIES_EXCEEDED, ANY, MYTCP_CLOSE },
	/* SYN-RECEIVED: 3.10.4, 3.10.5, 3.10.7.4 */
	{ "state_syn_recv_close",
	  MYTCP_SYN_RECV, MYTCP_EV_CLOSE, ANY, MYTCP_FIN_WAIT1 },
	{ "state_syn_recv_shutdown",
	  MYTCP_SYN_RECV, MYTCP_EV_SHUTDOWN_WR, ANY, MYTCP_FIN_WAIT1 },
	{ "state_syn_recv_abort",
	  MYTCP_SYN_RECV, MYTCP_EV_ABORT, ANY, MYTCP_CLOSE },
	{ "state_syn_recv_rcv_syn_ack",
	  MYTCP_SYN_RECV, MYTCP_EV_RCV_SYN_ACK, ANY, MYTCP_ESTABLISHED },
	{ "state_syn_recv_rcv_ack",
	  MYTCP_SYN_RECV, MYTCP_EV_RCV_ACK_OF_SYN, ANY, MYTCP_ESTABLISHED },
	{ "state_syn_recv_rcv_fin",
	  MYTCP_SYN_RECV, MYTCP_EV_RCV_FIN, ANY, MYTCP_CLOSE_WAIT },
	{ "state_syn_recv_rst_passive",
	  MYTCP_SYN_RECV, MYTCP_EV_RCV_RST, PASSIVE, MYTCP_LISTEN },
	{ "state_syn_recv_rst_active",
	  MYTCP_SYN_RECV, MYTCP_EV_RCV_RST, ACTIVE, MYTCP_CLOSE },
	{ "state_syn_recv_retries_passive",
	  MYTCP_SYN_RECV, MYTCP_EV_RETRIES_EXCEEDED, PASSIVE, MYTCP_LISTEN },
	{ "state_syn_recv_retries_active",
	  MYTCP_SYN_RECV, MYTCP_EV_RETRIES_EXCEEDED, ACTIVE, MYTCP_CLOSE },
	/* ESTABLISHED */
	{ "state_estab_close",
	  MYTCP_ESTABLISHED, MYTCP_EV_CLOSE, ANY, MYTCP_FIN_WAIT1 },
	{ "state_estab_shutdown",
	  MYTCP_ESTABLISHED, MYTCP_EV_SHUTDOWN_WR, ANY, MYTCP_FIN_WAIT1 },
	{ "state_estab_abort",
	  MYTCP_ESTABLISHED, MYTCP_EV_ABORT, ANY, MYTCP_CLOSE },
	{ "state_estab_rcv_fin",
	  MYTCP_ESTABLISHED, MYTCP_EV_RCV_FIN, ANY, MYTCP_CLOSE_WAIT },
	{ "state_estab_rcv_rst",
	  MYTCP_ESTABLISHED, MYTCP_EV_RCV_RST, ANY, MYTCP_CLOSE },
	{ "state_estab_retries",
	  MYTCP_ESTABLISHED, MYTCP_EV_RETRIES_EXCEEDED, ANY, MYTCP_CLOSE },
	/* FIN-WAIT-1 */
	{ "state_fw1_close_again",
	  MYTCP_FIN_WAIT1, MYTCP_EV_CLOSE, ANY, MYTCP_FIN_WAIT1 },
	{ "state_fw1_shutdown_again",
	  MYTCP_FIN_WAIT1, MYTCP_EV_SHUTDOWN_WR, ANY, MYTCP_FIN_WAIT1 },
	{ "state_fw1_abort",
	  MYTCP_FIN_WAIT1, MYTCP_EV_ABORT, ANY, MYTCP_CLOSE },
	{ "state_fw1_rcv_ack_of_fin",
	  MYTCP_FIN_WAIT1, MYTCP_EV_RCV_ACK_OF_FIN, ANY, MYTCP_FIN_WAIT2 },
	{ "state_fw1_rcv_fin",
	  MYTCP_FIN_WAIT1, MYTCP_EV_RCV_FIN, ANY, MYTCP_CLOSING },
	{ "state_fw1_rcv_fin_ack",
	  MYTCP_FIN_WAIT1, MYTCP_EV_RCV_FIN_ACK_OF_FIN, ANY, MYTCP_TIME_WAIT },
	{ "state_fw1_rcv_rst",
	  MYTCP_FIN_WAIT1, MYTCP_EV_RCV_RST, ANY, MYTCP_CLOSE },
	{ "state_fw1_retries",
	  MYTCP_FIN_WAIT1, MYTCP_EV_RETRIES_EXCEEDED, ANY, MYTCP_CLOSE },
	/* FIN-WAIT-2 */
	{ "state_fw2_close_again",
	  MYTCP_FIN_WAIT2, MYTCP_EV_CLOSE, ANY, MYTCP_FIN_WAIT2 },
	{ "state_fw2_shutdown_again",
	  MYTCP_FIN_WAIT2, MYTCP_EV_SHUTDOWN_WR, ANY, MYTCP_FIN_WAIT2 },
	{ "state_fw2_abort",
	  MYTCP_FIN_WAIT2, MYTCP_EV_ABORT, ANY, MYTCP_CLOSE },
	{ "state_fw2_rcv_fin",
	  MYTCP_FIN_WAIT2, MYTCP_EV_RCV_FIN, ANY, MYTCP_TIME_WAIT },
	{ "state_fw2_rcv_fin_ack",
	  MYTCP_FIN_WAIT2, MYTCP_EV_RCV_FIN_ACK_OF_FIN, ANY, MYTCP_TIME_WAIT },
	{ "state_fw2_rcv_rst",
	  MYTCP_FIN_WAIT2, MYTCP_EV_RCV_RST, ANY, MYTCP_CLOSE },
	{ "state_fw2_timeout",
	  MYTCP_FIN_WAIT2, MYTCP_EV_FIN_WAIT2_TIMEOUT, ANY, MYTCP_CLOSE },
	{ "state_fw2_retries",
	  MYTCP_FIN_WAIT2, MYTCP_EV_RETRIES_EXCEEDED, ANY, MYTCP_CLOSE },
	/* CLOSE-WAIT */
	{ "state_cw_close",
	  MYTCP_CLOSE_WAIT, MYTCP_EV_CLOSE, ANY, MYTCP_LAST_ACK },
	{ "state_cw_shutdown",
	  MYTCP_CLOSE_WAIT, MYTCP_EV_SHUTDOWN_WR, ANY, MYTCP_LAST_ACK },
	{ "state_cw_abort",
	  MYTCP_CLOSE_WAIT, MYTCP_EV_ABORT, ANY, MYTCP_CLOSE },
	{ "state_cw_rcv_fin_again",
	  MYTCP_CLOSE_WAIT, MYTCP_EV_RCV_FIN, ANY, MYTCP_CLOSE_WAIT },
	{ "state_cw_rcv_rst",
	  MYTCP_CLOSE_WAIT, MYTCP_EV_RCV_RST, ANY, MYTCP_CLOSE },
	{ "state_cw_retries",
	  MYTCP_CLOSE_WAIT, MYTCP_EV_RETRIES_EXCEEDED, ANY, MYTCP_CLOSE },
	/* CLOSING */
	{ "state_closing_close",
	  MYTCP_CLOSING, MYTCP_EV_CLOSE, ANY, MYTCP_CLOSING },
	{ "state_closing_shutdown",
	  MYTCP_CLOSING, MYTCP_EV_SHUTDOWN_WR, ANY, MYTCP_CLOSING },
	{ "state_closing_abort",
	  MYTCP_CLOSING, MYTCP_EV_ABORT, ANY, MYTCP_CLOSE },
	{ "state_closing_rcv_ack_of_fin",
	  MYTCP_CLOSING, MYTCP_EV_RCV_ACK_OF_FIN, ANY, MYTCP_TIME_WAIT },
	{ "state_closing_rcv_fin_ack",
	  MYTCP_CLOSING, MYTCP_EV_RCV_FIN_ACK_OF_FIN, ANY, MYTCP_TIME_WAIT },
	{ "state_closing_rcv_fin_again",
	  MYTCP_CLOSING, MYTCP_EV_RCV_FIN, ANY, MYTCP_CLOSING },
	{ "state_closing_rcv_rst",
	  MYTCP_CLOSING, MYTCP_EV_RCV_RST, ANY, MYTCP_CLOSE },
	{ "state_closing_retries",
	  MYTCP_CLOSING, MYTCP_EV_RETRIES_EXCEEDED, ANY, MYTCP_CLOSE },
	/* LAST-ACK */
	{ "state_last_ack_close",
	  MYTCP_LAST_ACK, MYTCP_EV_CLOSE, ANY, MYTCP_LAST_ACK },
	{ "state_last_ack_shutdown",
	  MYTCP_LAST_ACK, MYTCP_EV_SHUTDOWN_WR, ANY, MYTCP_LAST_ACK },
	{ "state_last_ack_abort",
	  MYTCP_LAST_ACK, MYTCP_EV_ABORT, ANY, MYTCP_CLOSE },
	{ "state_last_ack_rcv_ack_of_fin",
	  MYTCP_LAST_ACK, MYTCP_EV_RCV_ACK_OF_FIN, ANY, MYTCP_CLOSE },
	{ "state_last_ack_rcv_fin_ack",
	  MYTCP_LAST_ACK, MYTCP_EV_RCV_FIN_ACK_OF_FIN, ANY, MYTCP_CLOSE },
	{ "state_last_ack_rcv_fin_again",
	  MYTCP_LAST_ACK, MYTCP_EV_RCV_FIN, ANY, MYTCP_LAST_ACK },
	{ "state_last_ack_rcv_rst",
	  MYTCP_LAST_ACK, MYTCP_EV_RCV_RST, ANY, MYTCP_CLOSE },
	{ "state_last_ack_retries",
	  MYTCP_LAST_ACK, MYTCP_EV_RETRIES_EXCEEDED, ANY, MYTCP_CLOSE },
	/* TIME-WAIT */
	{ "state_tw_close",
	  MYTCP_TIME_WAIT, MYTCP_EV_CLOSE, ANY, MYTCP_TIME_WAIT },
	{ "state_tw_shutdown",
	  MYTCP_TIME_WAIT, MYTCP_EV_SHUTDOWN_WR, ANY, MYTCP_TIME_WAIT },
	{ "state_tw_abort",
	  MYTCP_TIME_WAIT, MYTCP_EV_ABORT, ANY, MYTCP_CLOSE },
	{ "state_tw_rcv_fin_again",
	  MYTCP_TIME_WAIT, MYTCP_EV_RCV_FIN, ANY, MYTCP_TIME_WAIT },
	{ "state_tw_rcv_fin_ack_again",
	  MYTCP_TIME_WAIT, MYTCP_EV_RCV_FIN_ACK_OF_FIN, ANY, MYTCP_TIME_WAIT },
	{ "state_tw_rcv_rst",
	  MYTCP_TIME_WAIT, MYTCP_EV_RCV_RST, ANY, MYTCP_CLOSE },
	{ "state_tw_expired",
	  MYTCP_TIME_WAIT, MYTCP_EV_TIMEWAIT_EXPIRED, ANY, MYTCP_CLOSE },
};

/* One test per row: check it for the origins it applies to. */
static void check_valid(const void *arg)
{
	const struct expected_transition *t = arg;
	bool valid;

	if (t->origin != ACTIVE) {
		valid = false;
		EXPECT_EQ(mytcp_state_next(t->from, t->ev, true, &valid), t->to);
		EXPECT_TRUE(valid);
	}
	if (t->origin != PASSIVE) {
		valid = false;
		EXPECT_EQ(mytcp_state_next(t->from, t->ev, false, &valid),
			  t->to);
		EXPECT_TRUE(valid);
	}
}

__attribute__((constructor)) static void register_transition_tests(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(expected); i++)
		unit_register_case(expected[i].name, __FILE__, __LINE__,
				   check_valid, &expected[i]);
}

static bool listed(enum mytcp_state s, enum mytcp_event ev, bool passive)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(expected); i++) {
		const struct expected_transition *t = &expected[i];

		if (t->from != s || t->ev != ev)
			continue;
		if (t->origin == ANY)
			return true;
		if (passive ? t->origin == PASSIVE : t->origin != PASSIVE)
			return true;
	}
	return false;
}

/* Invalid events: same state back, valid == false. */
static void check_invalid(enum mytcp_state from, enum mytcp_event ev)
{
	bool valid = true;

	EXPECT_EQ(mytcp_state_next(from, ev, true, &valid), from);
	EXPECT_FALSE(valid);
	valid = true;
	EXPECT_EQ(mytcp_state_next(from, ev, false, &valid), from);
	EXPECT_FALSE(valid);
}

TEST(state_everything_else_is_invalid)
{
	int s, ev, p;

	for (s = MYTCP_ESTABLISHED; s < MYTCP_STATE_MAX; s++)
		for (ev = 0; ev < MYTCP_EV_MAX; ev++)
			for (p = 0; p < 2; p++) {
				bool valid = true;
				enum mytcp_state next;

				if (listed(s, ev, p))
					continue;
				next = mytcp_state_next(s, ev, p, &valid);
				if (!EXPECT_FALSE(valid) ||
				    !EXPECT_EQ(next, s))
					printf("#   state %s event %s\n",
					       mytcp_state_name(s),
					       mytcp_event_name(ev));
			}
}

/* A few invalid ones, spelled out with the RFC reason. */

TEST(state_invalid_closed_close)
{
	/* 3.10.4: "error: connection does not exist" */
	check_invalid(MYTCP_CLOSE, MYTCP_EV_CLOSE);
	check_invalid(MYTCP_CLOSE, MYTCP_EV_ABORT);
	check_invalid(MYTCP_CLOSE, MYTCP_EV_SHUTDOWN_WR);
}

TEST(state_invalid_closed_segments)
{
	/* 3.10.7.1: CLOSED answers with RST and stays CLOSED */
	check_invalid(MYTCP_CLOSE, MYTCP_EV_RCV_SYN);
	check_invalid(MYTCP_CLOSE, MYTCP_EV_RCV_RST);
	check_invalid(MYTCP_CLOSE, MYTCP_EV_RCV_FIN);
}

TEST(state_invalid_open_twice)
{
	/* 3.10.1: "error: connection already exists" */
	check_invalid(MYTCP_LISTEN, MYTCP_EV_PASSIVE_OPEN);
	check_invalid(MYTCP_ESTABLISHED, MYTCP_EV_ACTIVE_OPEN);
	check_invalid(MYTCP_SYN_SENT, MYTCP_EV_ACTIVE_OPEN);
}

TEST(state_invalid_listen_rst_ack_fin)
{
	/* 3.10.7.2: RST ignored, ACK gets RST, FIN not processed */
	check_invalid(MYTCP_LISTEN, MYTCP_EV_RCV_RST);
	check_invalid(MYTCP_LISTEN, MYTCP_EV_RCV_SYN_ACK);
	check_invalid(MYTCP_LISTEN, MYTCP_EV_RCV_ACK_OF_SYN);
	check_invalid(MYTCP_LISTEN, MYTCP_EV_RCV_FIN);
	check_invalid(MYTCP_LISTEN, MYTCP_EV_SHUTDOWN_WR);
}

TEST(state_invalid_syn_sent_fin)
{
	/* 3.10.7.4 eighth: FIN in SYN-SENT cannot be validated */
	check_invalid(MYTCP_SYN_SENT, MYTCP_EV_RCV_FIN);
	check_invalid(MYTCP_SYN_SENT, MYTCP_EV_RCV_ACK_OF_SYN);
}

TEST(state_invalid_syn_in_synchronized_states)
{
	/* 3.10.7.4 fourth: SYN there gets a challenge ACK, no change */
	check_invalid(MYTCP_SYN_RECV, MYTCP_EV_RCV_SYN);
	check_invalid(MYTCP_ESTABLISHED, MYTCP_EV_RCV_SYN);
	check_invalid(MYTCP_FIN_WAIT2, MYTCP_EV_RCV_SYN);
	check_invalid(MYTCP_TIME_WAIT, MYTCP_EV_RCV_SYN);
	check_invalid(MYTCP_ESTABLISHED, MYTCP_EV_RCV_SYN_ACK);
}

TEST(state_invalid_ack_of_fin_without_fin)
{
	/* we never sent a FIN in these states */
	check_invalid(MYTCP_ESTABLISHED, MYTCP_EV_RCV_ACK_OF_FIN);
	check_invalid(MYTCP_CLOSE_WAIT, MYTCP_EV_RCV_ACK_OF_FIN);
	check_invalid(MYTCP_ESTABLISHED, MYTCP_EV_RCV_FIN_ACK_OF_FIN);
	check_invalid(MYTCP_FIN_WAIT2, MYTCP_EV_RCV_ACK_OF_FIN);
	check_invalid(MYTCP_TIME_WAIT, MYTCP_EV_RCV_ACK_OF_FIN);
}

TEST(state_invalid_timers_elsewhere)
{
	check_invalid(MYTCP_ESTABLISHED, MYTCP_EV_TIMEWAIT_EXPIRED);
	check_invalid(MYTCP_FIN_WAIT1, MYTCP_EV_FIN_WAIT2_TIMEOUT);
	check_invalid(MYTCP_LISTEN, MYTCP_EV_RETRIES_EXCEEDED);
	check_invalid(MYTCP_TIME_WAIT, MYTCP_EV_RETRIES_EXCEEDED);
	check_invalid(MYTCP_CLOSE, MYTCP_EV_RETRIES_EXCEEDED);
}

TEST(state_invalid_inputs)
{
	bool valid = true;

	EXPECT_EQ(mytcp_state_next((enum mytcp_state)0, MYTCP_EV_CLOSE,
				   false, &valid), 0);
	EXPECT_FALSE(valid);
	valid = true;
	EXPECT_EQ(mytcp_state_next((enum mytcp_state)12, MYTCP_EV_CLOSE,
				   false, &valid), 12);
	EXPECT_FALSE(valid);
	valid = true;
	EXPECT_EQ(mytcp_state_next(MYTCP_ESTABLISHED, MYTCP_EV_MAX, false,
				   &valid), MYTCP_ESTABLISHED);
	EXPECT_FALSE(valid);
	valid = true;
	EXPECT_EQ(mytcp_state_next(MYTCP_ESTABLISHED, (enum mytcp_event)-1,
				   false, &valid), MYTCP_ESTABLISHED);
	EXPECT_FALSE(valid);
	/* valid may be NULL */
	EXPECT_EQ(mytcp_state_next(MYTCP_LISTEN, MYTCP_EV_RCV_SYN, true, NULL),
		  MYTCP_SYN_RECV);
}

/* ---- numbering and names ---- */

TEST(state_numbers_match_linux)
{
	/* include/net/tcp_states.h values, as /proc/net/tcp prints them */
	EXPECT_EQ(MYTCP_ESTABLISHED, 1);
	EXPECT_EQ(MYTCP_SYN_SENT, 2);
	EXPECT_EQ(MYTCP_SYN_RECV, 3);
	EXPECT_EQ(MYTCP_FIN_WAIT1, 4);
	EXPECT_EQ(MYTCP_FIN_WAIT2, 5);
	EXPECT_EQ(MYTCP_TIME_WAIT, 6);
	EXPECT_EQ(MYTCP_CLOSE, 7);
	EXPECT_EQ(MYTCP_CLOSE_WAIT, 8);
	EXPECT_EQ(MYTCP_LAST_ACK, 9);
	EXPECT_EQ(MYTCP_LISTEN, 10);
	EXPECT_EQ(MYTCP_CLOSING, 11);
	EXPECT_EQ(MYTCP_STATE_MAX, 12);
}

TEST(state_names_rfc_spelling)
{
	EXPECT_STREQ(mytcp_state_name(MYTCP_ESTABLISHED), "ESTABLISHED");
	EXPECT_STREQ(mytcp_state_name(MYTCP_SYN_SENT), "SYN-SENT");
	EXPECT_STREQ(mytcp_state_name(MYTCP_SYN_RECV), "SYN-RECEIVED");
	EXPECT_STREQ(mytcp_state_name(MYTCP_FIN_WAIT1), "FIN-WAIT-1");
	EXPECT_STREQ(mytcp_state_name(MYTCP_FIN_WAIT2), "FIN-WAIT-2");
	EXPECT_STREQ(mytcp_state_name(MYTCP_TIME_WAIT), "TIME-WAIT");
	EXPECT_STREQ(mytcp_state_name(MYTCP_CLOSE), "CLOSED");
	EXPECT_STREQ(mytcp_state_name(MYTCP_CLOSE_WAIT), "CLOSE-WAIT");
	EXPECT_STREQ(mytcp_state_name(MYTCP_LAST_ACK), "LAST-ACK");
	EXPECT_STREQ(mytcp_state_name(MYTCP_LISTEN), "LISTEN");
	EXPECT_STREQ(mytcp_state_name(MYTCP_CLOSING), "CLOSING");
	EXPECT_STREQ(mytcp_state_name(0), "UNKNOWN");
	EXPECT_STREQ(mytcp_state_name(12), "UNKNOWN");
	EXPECT_STREQ(mytcp_state_name(-1), "UNKNOWN");
}

TEST(state_event_names)
{
	int ev;

	EXPECT_STREQ(mytcp_event_name(MYTCP_EV_PASSIVE_OPEN), "PASSIVE_OPEN");
	EXPECT_STREQ(mytcp_event_name(MYTCP_EV_RCV_FIN_ACK_OF_FIN),
		     "RCV_FIN_ACK_OF_FIN");
	EXPECT_STREQ(mytcp_event_name(MYTCP_EV_RETRIES_EXCEEDED),
		     "RETRIES_EXCEEDED");
	EXPECT_STREQ(mytcp_event_name(MYTCP_EV_MAX), "UNKNOWN");
	EXPECT_STREQ(mytcp_event_name(-1), "UNKNOWN");
	for (ev = 0; ev < MYTCP_EV_MAX; ev++)
		EXPECT_TRUE(mytcp_event_name(ev) &&
			    strcmp(mytcp_event_name(ev), "UNKNOWN"));
}

TEST(state_synchronized_helper)
{
	EXPECT_FALSE(mytcp_state_synchronized(MYTCP_CLOSE));
	EXPECT_FALSE(mytcp_state_synchronized(MYTCP_LISTEN));
	EXPECT_FALSE(mytcp_state_synchronized(MYTCP_SYN_SENT));
	EXPECT_FALSE(mytcp_state_synchronized(MYTCP_SYN_RECV));
	EXPECT_TRUE(mytcp_state_synchronized(MYTCP_ESTABLISHED));
	EXPECT_TRUE(mytcp_state_synchronized(MYTCP_TIME_WAIT));
	EXPECT_FALSE(mytcp_state_synchronized(0));
}

/* ---- whole scenarios from the RFC figures ---- */

static enum mytcp_state run(enum mytcp_state s, const enum mytcp_event *evs,
			    size_t n, bool passive)
{
	size_t i;

	for (i = 0; i < n; i++) {
		bool valid = false;

		s = mytcp_state_next(s, evs[i], passive, &valid);
		if (!EXPECT_TRUE(valid))
			printf("#   at step %zu (%s)\n", i,
			       mytcp_event_name(evs[i]));
	}
	return s;
}

TEST(state_scenario_three_way_handshake_and_active_close)
{
	/* Figure 6 (TCP A) then Figure 12 (TCP A closes first) */
	static const enum mytcp_event a[] = {
		MYTCP_EV_ACTIVE_OPEN, MYTCP_EV_RCV_SYN_ACK, MYTCP_EV_CLOSE,
		MYTCP_EV_RCV_ACK_OF_FIN, MYTCP_EV_RCV_FIN,
		MYTCP_EV_TIMEWAIT_EXPIRED,
	};

	EXPECT_EQ(run(MYTCP_CLOSE, a, 2, false), MYTCP_ESTABLISHED);
	EXPECT_EQ(run(MYTCP_CLOSE, a, 4, false), MYTCP_FIN_WAIT2);
	EXPECT_EQ(run(MYTCP_CLOSE, a, 5, false), MYTCP_TIME_WAIT);
	EXPECT_EQ(run(MYTCP_CLOSE, a, 6, false), MYTCP_CLOSE);
}

TEST(state_scenario_passive_open_and_passive_close)
{
	/* Figure 6 (TCP B) then Figure 12 (TCP B) */
	static const enum mytcp_event b[] = {
		MYTCP_EV_PASSIVE_OPEN, MYTCP_EV_RCV_SYN,
		MYTCP_EV_RCV_ACK_OF_SYN, MYTCP_EV_RCV_FIN, MYTCP_EV_CLOSE,
		MYTCP_EV_RCV_ACK_OF_FIN,
	};

	EXPECT_EQ(run(MYTCP_CLOSE, b, 3, true), MYTCP_ESTABLISHED);
	EXPECT_EQ(run(MYTCP_CLOSE, b, 4, true), MYTCP_CLOSE_WAIT);
	EXPECT_EQ(run(MYTCP_CLOSE, b, 5, true), MYTCP_LAST_ACK);
	EXPECT_EQ(run(MYTCP_CLOSE, b, 6, true), MYTCP_CLOSE);
}

TEST(state_scenario_simultaneous_open)
{
	/* Figure 7: SYN-SENT -> SYN-RECEIVED -> ESTABLISHED */
	static const enum mytcp_event e[] = {
		MYTCP_EV_ACTIVE_OPEN, MYTCP_EV_RCV_SYN, MYTCP_EV_RCV_SYN_ACK,
	};

	EXPECT_EQ(run(MYTCP_CLOSE, e, 2, false), MYTCP_SYN_RECV);
	EXPECT_EQ(run(MYTCP_CLOSE, e, 3, false), MYTCP_ESTABLISHED);
}

TEST(state_scenario_simultaneous_close)
{
	/* Figure 13: FIN-WAIT-1 -> CLOSING -> TIME-WAIT -> CLOSED */
	static const enum mytcp_event e[] = {
		MYTCP_EV_CLOSE, MYTCP_EV_RCV_FIN, MYTCP_EV_RCV_ACK_OF_FIN,
		MYTCP_EV_TIMEWAIT_EXPIRED,
	};

	EXPECT_EQ(run(MYTCP_ESTABLISHED, e, 2, false), MYTCP_CLOSING);
	EXPECT_EQ(run(MYTCP_ESTABLISHED, e, 3, false), MYTCP_TIME_WAIT);
	EXPECT_EQ(run(MYTCP_ESTABLISHED, e, 4, false), MYTCP_CLOSE);
}

TEST(state_scenario_old_duplicate_syn_reset)
{
	/* Figure 8/11: SYN-RECEIVED + RST goes back to LISTEN (passive) */
	static const enum mytcp_event e[] = {
		MYTCP_EV_PASSIVE_OPEN, MYTCP_EV_RCV_SYN, MYTCP_EV_RCV_RST,
		MYTCP_EV_RCV_SYN, MYTCP_EV_RCV_ACK_OF_SYN,
	};

	EXPECT_EQ(run(MYTCP_CLOSE, e, 3, true), MYTCP_LISTEN);
	EXPECT_EQ(run(MYTCP_CLOSE, e, 5, true), MYTCP_ESTABLISHED);
}

TEST(state_abort_from_every_state_but_closed)
{
	int s;

	for (s = MYTCP_ESTABLISHED; s < MYTCP_STATE_MAX; s++) {
		bool valid = false;

		if (s == MYTCP_CLOSE)
			continue;
		EXPECT_EQ(mytcp_state_next(s, MYTCP_EV_ABORT, false, &valid),
			  MYTCP_CLOSE);
		EXPECT_TRUE(valid);
	}
}
