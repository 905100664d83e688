#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rmmod under load: either refused or clean, never a crash.
#
# 1. Load between two namespaces over veth and on A's loopback: bulk
#    streams, connection churn closing by FIN and RST from either end,
#    and a TIME-WAIT pile-up (thousands of entries, tw_timeout_ms 60 s).
#    rmmod is tried every half second: each try must be refused (user
#    sockets hold the module) and a new connection must work right after.
# 2. The path A -> B starts losing everything and connections are left
#    half-open in SYN-RECEIVED (requests); then every process is killed at
#    once and rmmod is tried at once, in a loop: refused while the
#    processes' sockets are being closed, then it succeeds while
#    orphans in FIN-WAIT-1, TIME-WAIT entries and whatever else is left
#    still exist. The module and its slab caches must be gone, and after
#    insmod a transfer works.
# 3. RMMOD_CYCLES (default 20) insmod/rmmod cycles, each with a connection that leaves a
#    TIME-WAIT entry behind.
# The kernel log must stay clean (vm-run and the runner check it).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
require_root
require_ko

LOAD=$(cd "$(dirname "$0")" && pwd)/lifetime_load
[ -x "$LOAD" ] || { log "$LOAD missing: make -C selftests"; exit "$KSFT_FAIL"; }
load_s=${RMMOD_LOAD_SECONDS:-10}
ncycles=${RMMOD_CYCLES:-20}
start=$EPOCHREALTIME
caches=(MYTCP mytcp_tw mytcp_request)
pids=()

# shellcheck disable=SC2119 # no module parameters
mytcp_loaded || mytcp_load || { fail "insmod"; exit "$ret"; }
modprobe -q sch_netem 2>/dev/null

setup() {
	path_pair mytcp-rla 10.9.0.1/24 mytcp-rlb 10.9.0.2/24 || return 1
	# The module's sysctls start from the defaults at every load.
	ip netns exec mytcp-rla sysctl -qw net.mytcp.tw_timeout_ms=60000 &&
	ip netns exec mytcp-rlb sysctl -qw net.mytcp.tw_timeout_ms=60000
}

# in NS ARGS...: lifetime_load in a namespace, in the background.
bg_load() {
	local ns=$1
	shift
	ip netns exec "$ns" "$LOAD" "$@" >/dev/null &
	pids+=($!)
}

count_state() {
	ip netns exec "$1" awk -v st="$2" 'NR > 1 && $4 == st' /proc/net/mytcp |
		wc -l
}

# caches_gone: /proc/slabinfo lists none of our caches. (SLUB may have
# merged one into a cache of another user's: its /sys/kernel/slab alias
# stays behind; kmem_cache_destroy() itself warns if objects were left.)
caches_gone() {
	local c
	for c in "${caches[@]}"; do
		! grep -q "^$c " /proc/slabinfo || { log "$c still in slabinfo"; return 1; }
	done
}

# try_rmmod: one rmmod, bounded: module exit must not hang (it waits
# for sockets to be freed: a leaked reference would hang it for ever).
try_rmmod() {
	local pid n=0
	rmmod mytcp 2>/dev/null &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		n=$((n + 1))
		if ((n == 300)); then
			fail "rmmod still running after 30 s: $(cat /proc/$pid/stack)"
			dmesg | tail -20
			exit "$ret"
		fi
		nap 0.1
	done
	wait "$pid"
}

setup || { fail "namespaces"; exit "$ret"; }

# --- 1: refused under load ----------------------------------------------
# Servers in A, clients in B (lifetime_load -N).
bg_load mytcp-rla bulk -n 4 -a 10.9.0.1 -p 7401 -N mytcp-rlb
bg_load mytcp-rla churn -t 600 -b 50 -c csrR -a 10.9.0.1 -p 7402 -N mytcp-rlb
# TIME-WAIT pile-up on A's loopback: every close leaves one.
bg_load mytcp-rla churn -t 600 -b 100 -c cs -p 7403
nap 2
refused=0 tries=0
t0=$EPOCHREALTIME
# At least 3 tries, however slow the machine, and on past load_s until
# the pile-up has its 1000 entries (the debug kernel, ten times slower,
# needs it), for at most 120 s.
pile_short() { (($(count_state mytcp-rla 06) < 1000)); }
under_load() {
	local s
	s=$(elapsed "$t0" | cut -d. -f1)
	((tries < 3 || s < load_s)) || { ((s < 120)) && pile_short; }
}
while under_load; do
	tries=$((tries + 1))
	if rmmod mytcp 2>/dev/null; then
		fail "rmmod succeeded while user sockets exist"
		break
	fi
	mytcp_loaded || { fail "rmmod failed but the module is gone"; break; }
	refused=$((refused + 1))
	if ! out=$(ip netns exec mytcp-rla "$LOAD" churn -n 1 -p 7404 -w 20 2>&1); then
		fail "a new connection after refused rmmod $tries: $out"
		break
	fi
	nap 0.5
done
tw=$(count_state mytcp-rla 06)
log "$refused of $tries rmmod tries refused under load; A: $tw TIME-WAIT, $(count_state mytcp-rla 01) established"
check "rmmod refused under load, every time" test "$refused" = "$tries"
check "TIME-WAIT pile-up: $tw entries in A" test "$tw" -ge 1000
for p in "${pids[@]}"; do
	kill -0 "$p" 2>/dev/null || fail "a load process died under load (pid $p)"
done

log "phase 1 done at $(elapsed "$start") s"

# --- 2: rmmod as the load is killed --------------------------------------
# Everything A sends is lost: the clients' FINs and data are never
# acknowledged (FIN-WAIT-1 orphans in B once killed), new connections from
# B stay in SYN-RECEIVED in A.
# A filter, not netem: ARP must still pass.
modprobe -q sch_ingress 2>/dev/null; modprobe -q cls_u32 2>/dev/null
tc -n mytcp-rla qdisc add dev veth0 clsact &&
tc -n mytcp-rla filter add dev veth0 egress protocol ip prio 1 u32 \
	match ip protocol 253 0xff action drop || fail "drop filter"
bg_load mytcp-rla half -n 20 -a 10.9.0.1 -p 7405 -N mytcp-rlb
wait_until "$(slow 300)" test "$(count_state mytcp-rla 03)" -ge 20 ||
	fail "no requests in SYN-RECEIVED"
log "before the kill: A $(count_state mytcp-rla 06) TIME-WAIT," \
	"$(count_state mytcp-rla 03) SYN-RECEIVED; B $(count_state mytcp-rlb 06)" \
	"TIME-WAIT, $(count_state mytcp-rlb 01) established"
kill -9 "${pids[@]}" 2>/dev/null
t0=$EPOCHREALTIME
refused=0
while ! try_rmmod; do
	refused=$((refused + 1))
	mytcp_loaded || { fail "rmmod failed but the module is gone"; break; }
	((refused < 300)) || { fail "rmmod refused for 30 s after the kill"; break; }
	nap 0.1
done
wait "${pids[@]}" 2>/dev/null
pids=()
log "rmmod succeeded $(elapsed "$t0") s after the kill ($refused refusals)"
check "module gone" bash -c '! test -d /sys/module/mytcp'
check "slab caches gone" caches_gone
check "/proc/net/mytcp gone" bash -c '! test -e /proc/net/mytcp'
ns_cleanup

mytcp_load || fail "insmod after the unload"
setup || fail "namespaces again"
check "a transfer after insmod" ip netns exec mytcp-rla "$LOAD" mem -n 2 \
	-B 200000 -s 0 -a 10.9.0.1 -p 7406 -N mytcp-rlb -w 30
ns_cleanup

log "phase 2 done at $(elapsed "$start") s"

# --- 3: insmod/rmmod cycles ----------------------------------------------
ns_create mytcp-rlc || fail "netns"
cycles=0 refusals=0
for ((i = 1; i <= ncycles; i++)); do
	mytcp_loaded || mytcp_load || { fail "insmod $i"; break; }
	ip netns exec mytcp-rlc sysctl -qw net.mytcp.tw_timeout_ms=60000
	ip netns exec mytcp-rlc "$LOAD" churn -n 1 -c c -p 7407 -w 20 >/dev/null ||
		{ fail "connection in cycle $i"; break; }
	[ "$(count_state mytcp-rlc 06)" = 1 ] || fail "cycle $i: no TIME-WAIT entry"
	# An orphan gives its module reference back after a grace period.
	n=0
	while ! try_rmmod; do
		n=$((n + 1))
		((n < 100)) || { fail "rmmod $i refused for 10 s"; break 2; }
		nap 0.1
	done
	refusals=$((refusals + n))
	caches_gone || fail "cycle $i: slab caches left"
	cycles=$((cycles + 1))
done
log "phase 3 done at $(elapsed "$start") s"
check "$ncycles insmod/rmmod cycles ($refusals refusals on the way)" test "$cycles" = "$ncycles"

mytcp_restore_loaded
exit "$ret"
