#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# In-VM segment fuzzing (selftests/segfuzz.c). An attacker namespace on
# the far end of a veth sniffs the victim's mytcp connections and sends
# mutated segments as their peer would (flags, data offsets, options,
# sequence and ACK numbers near and far, IP lengths, checksums, fragments,
# ICMP errors quoting the live connections) at a listener, a connection in
# SYN-SENT and established connections carrying transfers both ways.
#
# Blind run: every transfer completes byte for byte, the counters name
# the defences (InErrs, InCsumErrors, InHdrErrors, TCPChallengeACK,
# TCPSYNChallenge, TCPACKSkippedChallenge, InvalidSeqDrops,
# AckUnsentDrops, TooOldAckDrops, FlagDrops, OutOfWindowIcmps,
# IcmpIgnored, TCPAbortOnTimeout), and afterwards the victim has no
# socket, /proc/net/mytcp row or mytcp timer left and the protocol slab
# is back to its start. Exact run: RFC 5961 with the exact sequence
# numbers: an in-window RST or SYN draws a challenge ACK, data with a
# blind ACK number is dropped without poisoning TS.Recent, an RST at
# RCV.NXT resets, and the injected byte starts no ACK loop with the peer.
#
# SEGFUZZ_COUNT (default 150000) and SEGFUZZ_SECONDS (default 25) bound
# the blind run; SEGFUZZ_SEED repeats one.
. "$(dirname "$0")/lib.sh"
require_root
require_ko
mytcp_loaded || mytcp_load || { fail "insmod"; exit $ret; }

here=$(cd "$(dirname "$0")" && pwd)
fz=$here/segfuzz
count=${SEGFUZZ_COUNT:-150000}
secs=${SEGFUZZ_SECONDS:-25}
seed=${SEGFUZZ_SEED:-0}
V=mytcp-sfz-v
A=mytcp-sfz-a
out=$(mktemp -d)

# Objects of the protocol's slab caches: sockets, request and TIME-WAIT
# entries (a merged cache's other objects count too; they rarely grow).
slab_objects() {
	echo "$(slab_objs MYTCP) $(slab_objs mytcp_request) $(slab_objs mytcp_tw)"
}
slab_back() {
	local now base
	read -r -a now <<<"$(slab_objects)"
	read -r -a base <<<"$base_slab"
	[ "${now[0]}" -le "${base[0]}" ] && [ "${now[1]}" -le "${base[1]}" ] &&
		[ "${now[2]}" -le "${base[2]}" ]
}
mytcp_timers() { grep -c mytcp /proc/timer_list; }
rows() { ip netns exec "$V" awk 'NR > 1' /proc/net/mytcp | wc -l; }
settled() {
	[ "$(rows)" -eq 0 ] && [ "$(proto_inuse "$V")" -eq 0 ] &&
		[ "$(proto_inuse "$A")" -eq 0 ] &&
		[ "$(mytcp_timers)" -le "$base_timers" ] && slab_back
}

base_slab=$(slab_objects)
base_timers=$(mytcp_timers)

ns_create "$V" "$A"
veth_pair "$V" 10.99.0.1/24 "$A" 10.99.0.2/24 || { fail "veth"; exit $ret; }
mac_a=$(ip -n "$A" -o link show veth0 | sed -n 's|.*link/ether \([0-9a-f:]*\).*|\1|p')
# 10.99.0.3 leads into the attacker's namespace, where nothing answers:
# the victim's connect() there stays in SYN-SENT.
ip -n "$V" neigh replace 10.99.0.3 lladdr "$mac_a" dev veth0 nud permanent
# 20 challenge ACKs a second, so that TCPACKSkippedChallenge moves. A debug
# kernel sends about 150 segments a second, not 4,500, and draws about one
# challenge a second: there the blind run allows one.
ack_limit=20
[ "$MYTCP_SLOW" -le 1 ] || ack_limit=1
ip netns exec "$V" sysctl -qw net.mytcp.tw_timeout_ms=1000 \
	net.mytcp.syn_retries=2 net.mytcp.challenge_ack_limit=$ack_limit

declare -A c0 c1
counters_load c0 <(ip netns exec "$V" cat /proc/net/mytcp_snmp)

# Legitimate transfers, victim as server (4) and as client (2).
ip netns exec "$V" "$fz" xfer -l 10.99.0.1:5000 -n 4 -t "$secs" >"$out/vs" &
pv1=$!
ip netns exec "$A" "$fz" xfer -l 10.99.0.2:5001 -n 2 -t "$secs" >"$out/as" &
pa1=$!
# Targets: a listener nobody accepts from, a connect() nobody answers
# (retried until -t runs out: they must outlive a long fuzz run).
ip netns exec "$V" "$fz" idle -l 10.99.0.1:5002 -t $((secs + 600)) >/dev/null &
pv3=$!
ip netns exec "$V" "$fz" idle -c 10.99.0.3:5003 -t $((secs + 600)) >/dev/null 2>&1 &
pv4=$!
# The fuzzer sniffs from the start: it sees the handshakes.
ip netns exec "$A" "$fz" fuzz --dev veth0 --victim 10.99.0.1 \
	--peer 10.99.0.2 --listen-port 5002 --seed "$seed" --count "$count" \
	--seconds "$secs" >"$out/fz" 2>&1 &
pf=$!
wait_until 100 grep -q seed "$out/fz"
ip netns exec "$A" "$fz" xfer -c 10.99.0.1:5000 -n 4 -t "$secs" >"$out/ac" &
pa2=$!
ip netns exec "$V" "$fz" xfer -c 10.99.0.2:5001 -n 2 -t "$secs" >"$out/vc" &
pv2=$!

wait $pf; rf=$?
cat "$out/fz"
check "fuzzer ran" [ "$rf" -eq 0 ]
grep -q 'established' "$out/fz" || fail "the fuzzer saw no established connection"
for p in $pv1 $pa1 $pa2 $pv2; do
	wait "$p" || fail "a transfer failed (pid $p)"
done
for f in vs as ac vc; do
	log "$f: $(cat "$out/$f")"
done
# Bytes one side sent are the bytes the other received.
sent_of() { sed -n 's/^xfer: sent \([0-9]*\) received \([0-9]*\).*/\1/p' "$out/$1"; }
rcvd_of() { sed -n 's/^xfer: sent \([0-9]*\) received \([0-9]*\).*/\2/p' "$out/$1"; }
intact() {
	[ -n "$(sent_of "$1")" ] && [ "$(sent_of "$1")" -gt 0 ] &&
		[ "$(sent_of "$1")" = "$(rcvd_of "$2")" ] &&
		[ "$(sent_of "$2")" = "$(rcvd_of "$1")" ]
}
check "victim as server: every byte arrived, both ways" intact vs ac
check "victim as client: every byte arrived, both ways" intact vc as
kill "$pv3" "$pv4" 2>/dev/null
wait "$pv3" "$pv4" 2>/dev/null

counters_load c1 <(ip netns exec "$V" cat /proc/net/mytcp_snmp)
moved=""
for n in InErrs InCsumErrors InHdrErrors TCPChallengeACK TCPSYNChallenge \
	 TCPACKSkippedChallenge InvalidSeqDrops AckUnsentDrops TooOldAckDrops \
	 FlagDrops OutOfWindowIcmps IcmpIgnored; do
	d=$(( ${c1[Mytcp$n]:-0} - ${c0[Mytcp$n]:-0} ))
	moved+=" $n=$d"
	[ "$d" -gt 0 ] || fail "counter $n did not move"
done
log "counters:$moved"
[ "$((c1[MytcpInErrs] - c0[MytcpInErrs]))" -eq \
  "$((c1[MytcpInCsumErrors] + c1[MytcpInHdrErrors] - c0[MytcpInCsumErrors] - c0[MytcpInHdrErrors]))" ] ||
	fail "InErrs is not InCsumErrors + InHdrErrors"

# Exact run: one idle connection, RFC 5961 with exact numbers.
ip netns exec "$V" sysctl -qw net.mytcp.challenge_ack_limit=20
counters_load c0 <(ip netns exec "$V" cat /proc/net/mytcp_snmp)
ip netns exec "$V" "$fz" idle -l 10.99.0.1:5004 -t 30 >"$out/ie" &
pi=$!
ip netns exec "$A" "$fz" fuzz --dev veth0 --victim 10.99.0.1 \
	--peer 10.99.0.2 --mode exact --seed "$seed" >"$out/ex" 2>&1 &
pe=$!
wait_until 100 grep -q seed "$out/ex"
ip netns exec "$A" "$fz" idle -c 10.99.0.1:5004 -t 30 >/dev/null &
pc=$!
wait "$pe"
cat "$out/ex"
check "exact: RFC 5961 checks" grep -q '^exact: ok' "$out/ex"
# The injected byte is one the peer never sent: its ACK of our ACK (of
# unsent data) is below our RCV.NXT. Without the rate limit of those
# duplicate ACKs the two ends bounced ACKs until a backlog overflowed,
# dropping the RST at RCV.NXT with them (9 to 440 round trips).
counters_load c1 <(ip netns exec "$V" cat /proc/net/mytcp_snmp)
d=$((c1[MytcpInvalidSeqDrops] - c0[MytcpInvalidSeqDrops]))
check "exact: no ACK loop (InvalidSeqDrops +$d)" [ "$d" -le 4 ]
wait "$pi"
log "victim: $(cat "$out/ie")"
check "exact: the RST at RCV.NXT reset the victim" grep -q ECONNRESET "$out/ie"
kill "$pc" 2>/dev/null
wait "$pc" 2>/dev/null

# A connect() nobody answers gives up: TCPAbortOnTimeout.
ip netns exec "$V" sysctl -qw net.mytcp.syn_retries=1
t0=$(snmp_counter "$V" 253 TCPAbortOnTimeout)
ip netns exec "$V" "$fz" idle -c 10.99.0.3:5005 -t 0 >/dev/null 2>&1
check "TCPAbortOnTimeout counts a SYN-SENT timeout" \
	[ "$(snmp_counter "$V" 253 TCPAbortOnTimeout)" -gt "$t0" ]

# Everything back where it started: no socket, row or timer left.
# 10.99.0.3 now answers (with RSTs), so nothing retransmits into it.
ip -n "$A" addr add 10.99.0.3/24 dev veth0
# Bounded by wall time: each try starts several processes (slow in TCG).
t_end=$((SECONDS + $(slow 60)))
until settled || [ "$SECONDS" -ge "$t_end" ]; do
	nap 0.5
done
settled ||
	fail "not back to baseline: rows $(rows), in use $(proto_inuse "$V")/$(proto_inuse "$A"), timers $(mytcp_timers)/$base_timers, slab (sock req tw) $(slab_objects)/$base_slab"
log "back to baseline: rows $(rows), timers $(mytcp_timers)/$base_timers, slab (sock req tw) $(slab_objects)/$base_slab"

rm -rf "$out"
ns_cleanup
exit $ret
