#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Connection churn leaves nothing behind: CHURN_ROUNDS rounds (default 3)
# of CHURN_CONNS connections (default 10,000) opened and closed over
# loopback in a namespace, CHURN_BATCH at a time, closed by FIN from either end (TIME-WAIT on
# either side) or by RST from either end. tw_timeout_ms is short, so after
# each round every entry drains; then the round's leftovers are counted:
# objects of the protocol's slab caches (MYTCP, mytcp_tw, mytcp_request),
# sockets in use (/proc/net/protocols), lines of /proc/net/mytcp and
# armed mytcp hrtimers (/proc/timer_list). No round may leave more than
# the first did, and the last must be back at the start exactly: no
# socket, entry or timer of ours anywhere.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
require_root
require_ko

LOAD=$(cd "$(dirname "$0")" && pwd)/lifetime_load
[ -x "$LOAD" ] || { log "$LOAD missing: make -C selftests"; exit "$KSFT_FAIL"; }
conns=${CHURN_CONNS:-10000}
rounds=${CHURN_ROUNDS:-3}
batch=${CHURN_BATCH:-200}
# Slab objects a round may leave over the first: per-CPU partial slabs
# without slub_debug (with it, the counts are exact).
slack=${CHURN_SLACK:-64}
ns=mytcp-churn

# shellcheck disable=SC2119 # no module parameters
mytcp_loaded || mytcp_load || { fail "insmod"; exit "$ret"; }
ns_create "$ns" || { fail "netns"; exit "$ret"; }
ip netns exec "$ns" sysctl -qw net.mytcp.tw_timeout_ms=500 \
	net.mytcp.fin_timeout_ms=500 || fail "sysctls"

# slab_objs (lib.sh) counts a merged cache's other objects too: the slack.
mytcp_timers() {
	grep -c ', mytcp_' /proc/timer_list
}

# entries: lines of /proc/net/mytcp in the namespace (header excluded).
entries() {
	ip netns exec "$ns" awk 'NR > 1' /proc/net/mytcp | wc -l
}

snapshot() {
	echo "sock=$(slab_objs MYTCP) tw=$(slab_objs mytcp_tw)" \
		"req=$(slab_objs mytcp_request) inuse=$(proto_inuse "$ns")" \
		"entries=$(entries) timers=$(mytcp_timers)"
}

drained() {
	[ "$(entries)" = 0 ] && [ "$(proto_inuse "$ns")" = 0 ]
}

# objs_total: the three caches' objects together.
objs_total() {
	echo $(($(slab_objs MYTCP) + $(slab_objs mytcp_tw) + $(slab_objs mytcp_request)))
}

base=$(snapshot)
base_objs=$(objs_total)
base_timers=$(mytcp_timers)
log "start: $base"
first=
for ((r = 1; r <= rounds; r++)); do
	t0=$EPOCHREALTIME
	if ! out=$(ip netns exec "$ns" "$LOAD" churn -n "$conns" -b "$batch" \
			-w 300 2>&1); then
		fail "round $r: $out"
		ip netns exec "$ns" cat /proc/net/mytcp | head -20
		break
	fi
	log "round $r: $out"
	wait_until 300 drained || fail "round $r: entries left after 30 s: $(snapshot)"
	# Objects freed after an RCU grace period: lazy RCU batches them for
	# up to 10 s.
	wait_until 150 test "$(objs_total)" -le "$base_objs"
	now_objs=$(objs_total)
	log "round $r: $(elapsed "$t0") s, left: $(snapshot)"
	[ -n "$first" ] || first=$now_objs
	check "round $r: slab objects $now_objs within $slack of round 1's $first" \
		test "$now_objs" -le $((first + slack))
	# Another test's namespace may still be going away: its timers count.
	check "round $r: no mytcp hrtimer armed (start: $base_timers)" \
		test "$(mytcp_timers)" -le "$base_timers"
done

check "back to the start: $(snapshot) (start $base)" \
	test "$(objs_total)" -le $((base_objs + slack))
check "nothing in /proc/net/mytcp, nothing in use" drained

ns_cleanup
exit "$ret"
