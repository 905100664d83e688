#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Memory pressure without a deadlock or a stall: tiny buffers everywhere
# (net.mytcp.rmem/wmem 4096 4096 8192, and SO_SNDBUF/SO_RCVBUF 2 KiB,
# below one full segment's truesize), many connections, full duplex with
# both ends writing before either reads (each side's buffers and windows
# fill: zero windows, the writers block in user space), then readers
# with MSG_WAITALL reads of 64 KiB, far above the buffer; writes of 1
# byte, odd sizes and 64 KiB. Every byte is checked and each run has a
# time bound (lifetime_load's watchdog): a stall fails and shows the
# sockets. Afterwards SIOCINQ/SIOCOUTQ read 0 on every socket, no
# tx_queue/rx_queue is left in /proc/net/mytcp and every entry drains.
# PROTO=6 runs the same on the kernel's TCP.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
require_root
require_ko

LOAD=$(cd "$(dirname "$0")" && pwd)/lifetime_load
[ -x "$LOAD" ] || { log "$LOAD missing: make -C selftests"; exit "$KSFT_FAIL"; }
proto=${PROTO:-253}
ns=mytcp-mem
procf=/proc/net/mytcp
[ "$proto" = 6 ] && procf=/proc/net/tcp

# shellcheck disable=SC2119 # no module parameters
mytcp_loaded || mytcp_load || { fail "insmod"; exit "$ret"; }
ns_create "$ns" || { fail "netns"; exit "$ret"; }
if [ "$proto" = 6 ]; then
	ip netns exec "$ns" sysctl -qw net.ipv4.tcp_rmem="4096 4096 8192" \
		net.ipv4.tcp_wmem="4096 4096 8192" || fail "sysctls"
else
	ip netns exec "$ns" sysctl -qw net.mytcp.rmem="4096 4096 8192" \
		net.mytcp.wmem="4096 4096 8192" net.mytcp.fin_timeout_ms=1000 \
		net.mytcp.tw_timeout_ms=1000 || fail "sysctls"
fi

# queues_empty: no tx_queue or rx_queue left in the namespace's table.
queues_empty() {
	ip netns exec "$ns" awk 'NR > 1 && $5 != "00000000:00000000" { print; bad = 1 }
		END { exit bad }' "$procf"
}

entries_gone() {
	[ "$(ip netns exec "$ns" awk 'NR > 1 && $4 != "0A"' "$procf" | wc -l)" = 0 ]
}

port=7500
# run WHAT ARGS...: one lifetime_load mem run; on failure the sockets'
# states and queues are shown (the stall's details).
run() {
	local what=$1 out t0=$EPOCHREALTIME
	shift
	port=$((port + 1))
	if out=$(ip netns exec "$ns" "$LOAD" mem -P "$proto" -p "$port" -w "$(slow 60)" "$@" 2>&1); then
		log "ok: $what: $out ($(elapsed "$t0") s)"
	else
		fail "$what: $out"
		ip netns exec "$ns" cat "$procf" | head -40
	fi
	check "$what: no queued bytes left" queues_empty
}

probes0=$(snmp_counter "$ns" "$proto" TCPWinProbe)
run "16 conns, SO_*BUF 2 KiB, 128 KiB each way" -n 16 -B 131072 -s 2048
run "8 conns, sysctl buffers only, 256 KiB each way" -n 8 -B 262144 -s 0
run "4 conns, SO_*BUF 4 KiB, 1 MiB each way" -n 4 -B 1048576 -s 4096
if [ "$proto" != 6 ]; then
	probes=$(snmp_counter "$ns" "$proto" TCPWinProbe)
	check "zero windows were probed (TCPWinProbe $probes0 -> $probes)" \
		test "$probes" -gt "$probes0"
fi
check "every connection drained" wait_until 100 entries_gone

ns_cleanup
exit "$ret"
