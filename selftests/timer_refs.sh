#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Timer references under load: bulk streams B -> A over veth (delayed-ACK
# and retransmission timers re-armed and stopped while their callbacks
# wait for the socket lock) with connection churn on A's loopback to keep
# both CPUs busy, then everything A sends is dropped for a second. A connection's
# refcount (/proc/net/mytcp) must stay small: the owner, the hash table,
# three timers and three deferred timer works. Then everything is killed
# and rmmod must finish within 20 s: module exit waits for every socket
# to be freed, so a leaked reference would hang it.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
require_root
require_ko

LOAD=$(cd "$(dirname "$0")" && pwd)/lifetime_load
[ -x "$LOAD" ] || { log "$LOAD missing: make -C selftests"; exit "$KSFT_FAIL"; }
secs=${TIMER_REFS_SECONDS:-10}
pids=()

# shellcheck disable=SC2119 # no module parameters
mytcp_loaded || mytcp_load || { fail "insmod"; exit "$ret"; }
modprobe -q sch_ingress 2>/dev/null; modprobe -q cls_u32 2>/dev/null
path_pair mytcp-tra 10.9.1.1/24 mytcp-trb 10.9.1.2/24 || { fail "namespaces"; exit "$ret"; }

ip netns exec mytcp-tra "$LOAD" bulk -n 4 -a 10.9.1.1 -p 7501 -N mytcp-trb >/dev/null &
pids+=($!)
ip netns exec mytcp-tra "$LOAD" churn -t 600 -b 50 -c csrR -p 7502 >/dev/null &
pids+=($!)
# max_ref: the largest refcount of A's connections to the bulk port.
max_ref() {
	ip netns exec mytcp-tra awk 'NR > 1 && $2 ~ /:1D4D$/ && $4 != "0A" {
		if ($11 > m) m = $11 } END { print m + 0 }' /proc/net/mytcp
}

worst=0
t0=$EPOCHREALTIME
while (($(elapsed "$t0" | cut -d. -f1) < secs)); do
	r=$(max_ref)
	((r > worst)) && worst=$r
	nap 0.2
done
# Then everything A sends is lost; B keeps retransmitting.
tc -n mytcp-tra qdisc add dev veth0 clsact &&
tc -n mytcp-tra filter add dev veth0 egress protocol ip prio 1 u32 \
	match ip protocol 253 0xff action drop || fail "drop filter"
nap 1
r=$(max_ref)
((r > worst)) && worst=$r
log "largest refcount of a bulk connection in A: $worst"
check "refcounts stay bounded (at most 8)" test "$worst" -le 8

kill -9 "${pids[@]}" 2>/dev/null
wait "${pids[@]}" 2>/dev/null
# The processes' sockets close; orphans (FIN-WAIT-1, dropped FINs) are
# aborted by module exit, which then waits until every socket is freed.
rmmod mytcp 2>/dev/null &
rpid=$!
n=0 hung=0
while kill -0 "$rpid" 2>/dev/null; do
	n=$((n + 1))
	((n < 200)) || { hung=1; break; }
	nap 0.1
done
if ((hung)); then
	fail "rmmod still running after 20 s: $(cat /proc/$rpid/stack)"
	exit "$ret"
fi
wait "$rpid" || {
	# Refused: a process's socket still closing. Once more, bounded.
	nap 1
	timeout 20 rmmod mytcp || fail "rmmod"
}
check "module gone" bash -c '! test -d /sys/module/mytcp'
ns_cleanup
mytcp_restore_loaded
exit "$ret"
