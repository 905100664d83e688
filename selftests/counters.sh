#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every drop and defence has a number: the counters of
# /proc/net/mytcp_snmp that no other test moves, each made to move by
# the scenario Linux counts it for (selftests/counters.py), on mytcp and
# on Linux TCP, with the same expectations where Linux counts the same:
#  - TCPAbortOnClose: close() with unread data sends an RST;
#  - TCPAbortOnData: data for a socket shut down both ways (RFC 1122
#    4.2.2.13), open or orphaned, draws an RST (Linux's orphan in
#    FIN-WAIT-2 is a TIME-WAIT entry that resets without counting);
#  - TCPOFOMerge: an out-of-order segment already held, and one covering
#    a held one (the covered one is freed);
#  - TCPOFODrop: out-of-order segments beyond the receive buffer (Linux
#    6.12 counts as many; 6.1 collapses its queue and keeps them all);
#  - TCPZeroWindowDrop: data at RCV.NXT into a zero window;
#  - LockDroppedIcmps: ICMP errors while send() holds the socket (stopped
#    in its copy from user space by userfaultfd: deterministic), none
#    while the socket is free.
# Then every counter /proc/net/mytcp_snmp lists must be documented in
# the counter table of Documentation/architecture.rst.
. "$(dirname "$0")/lib.sh"
require_root
require_ko

here=$(cd "$(dirname "$0")" && pwd)
DRIVER=$here/counters.py
doc=$here/../Documentation/architecture.rst

command -v python3 >/dev/null || { log "SKIP: python3 missing"; exit "$KSFT_SKIP"; }
# shellcheck disable=SC2119 # no module parameters
mytcp_loaded || mytcp_load || { fail "insmod"; exit "$ret"; }
for m in sch_ingress cls_u32 act_pedit; do
	modprobe -q "$m" 2>/dev/null
done
trap 'ns_cleanup; rm -f /tmp/mytcp-cnt.253 /tmp/mytcp-cnt.6' EXIT

# Every scenario for one protocol, in a namespace of its own (one Python
# process: TCG starts Python slowly); "MODE: ok ..." lines.
for proto in 253 6; do
	ns=mytcp-cnt-$proto
	ns_create "$ns" || { fail "namespace"; exit "$ret"; }
	ip netns exec "$ns" timeout "$(slow 100)" python3 "$DRIVER" "$proto" all \
		>"/tmp/mytcp-cnt.$proto" 2>&1
	ns_cleanup
	grep "^# " "/tmp/mytcp-cnt.$proto" | sed "s/^# /# proto $proto: /"
done

# got PROTO MODE: that scenario's line, without "ok ".
got() {
	local out
	out=$(sed -n "s/^$2: //p" "/tmp/mytcp-cnt.$1")
	log "$2 proto $1: ${out:-nothing: $(tail -3 "/tmp/mytcp-cnt.$1")}" >&2
	echo "${out#ok }"
}

# same MODE WANT: mytcp's and Linux TCP's lines must both be WANT.
same() {
	local proto
	for proto in 253 6; do
		[ "$(got "$proto" "$1")" = "$2" ] ||
			fail "$1 proto $proto: want '$2'"
	done
}

same abortonclose "TCPAbortOnClose=1 TCPAbortOnData=0 ECONNRESET"
same abortshut "TCPAbortOnData=1 client=EPIPE server=ECONNRESET"
same ofomerge "dup: TCPOFOMerge=1 cover: TCPOFOMerge=1 intact"
same zerowindow "TCPZeroWindowDrop=1"
# Debian's kernels have userfaultfd; a kernel built without it
# (CONFIG_USERFAULTFD, as the debug kernel of check-debug) cannot hold the
# socket lock on cue.
if got 253 lockdropped 2>/dev/null | grep -q "userfaultfd: Function not implemented"; then
	log "SKIP lockdropped: no userfaultfd in this kernel"
else
	same lockdropped "free: LockDroppedIcmps=0 OutOfWindowIcmps=0 held: LockDroppedIcmps=5 OutOfWindowIcmps=0 sent 4096 err EHOSTUNREACH"
fi

[ "$(got 253 abortorphan)" = "TCPAbortOnData=1 client=EPIPE server=closed" ] ||
	fail "abortorphan: want TCPAbortOnData=1 and an RST"
out=$(got 6 abortorphan)
[ "${out#* }" = "client=EPIPE server=closed" ] || fail "abortorphan on TCP: no RST"

# Linux 6.12 drops about as many; 6.1 collapses its out-of-order queue
# into fewer buffers and holds all 100: only logged for TCP.
got 6 ofodrop >/dev/null
out=$(got 253 ofodrop)
drops=${out#TCPOFODrop=}
drops=${drops%% *}
[ "${drops:-0}" -gt 0 ] 2>/dev/null || fail "ofodrop: no TCPOFODrop"
rm -f /tmp/mytcp-cnt.253 /tmp/mytcp-cnt.6

# Documentation drift: each name must open a row of the counter table.
if [ -r "$doc" ]; then
	missing=
	# shellcheck disable=SC2016 # a sed address, not an expansion
	rows=" $(sed -n '/^``\/proc\/net\/mytcp_snmp``/,/^    Silent drops/s/^    \([A-Za-z0-9]\+\)\( .*\)\?$/\1/p' "$doc" | tr '\n' ' ')"
	read -ra names </proc/net/mytcp_snmp
	for name in "${names[@]:1}"; do
		[[ $rows == *" $name "* ]] || missing="$missing $name"
	done
	check "every counter in /proc/net/mytcp_snmp is documented" \
		[ -z "$missing" ] || log "undocumented:$missing"
else
	log "SKIP: $doc missing, documentation not checked"
fi

exit "$ret"
