#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mytcp on the wire, as tshark decodes it (protocol 253 as TCP):
#  - RFC 7323 window scaling and timestamps and RFC 2018 SACK-permitted
#    are offered as net.mytcp.{window_scaling,timestamps,sack} say and are
#    on only when both SYNs carry them; timestamps then ride on every
#    segment, and windows above 64 KiB appear once scaling is on;
#  - under loss, the receiver sends SACK blocks and the sender recovers
#    with them (TCPSackRecovery), or with NewReno when SACK is off
#    (TCPRenoRecovery);
#  - delayed ACKs: fewer ACKs than data segments, an ACK for every
#    segment with delack_ms=0, and a lone segment ACKed by the timer;
#  - a sub-millisecond RTO floor (rto_min_us) retransmits within
#    milliseconds where the default floor waits 200 ms;
#  - TCP_USER_TIMEOUT gives up on time, as Linux TCP does;
#  - PAWS drops a segment with an old timestamp, as Linux TCP does;
#  - an ACK at the right edge of the window is taken, and ACKs after a
#    FIN sent past the window carry SEQ = its edge, as in Linux TCP.
. "$(dirname "$0")/lib.sh"
require_root
require_ko

here=$(cd "$(dirname "$0")" && pwd)
PEER=$here/interop_peer
DRIVER=$here/wire_driver.py
A=mytcp-owa
B=mytcp-owb
ADDR_B=10.254.1.2
tmp=$(mktemp -d /tmp/optwire.XXXXXX)
cap_pid=
port=21000

# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	[ -n "$cap_pid" ] && kill "$cap_pid" 2>/dev/null && wait "$cap_pid"
	ns_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT

for t in tc dumpcap tshark python3; do
	command -v "$t" >/dev/null || { log "SKIP: $t missing"; exit "$KSFT_SKIP"; }
done
[ -x "$PEER" ] || { log "$PEER missing: make -C selftests"; exit "$KSFT_FAIL"; }
# shellcheck disable=SC2119 # no module parameters
mytcp_loaded || mytcp_load || { fail "insmod"; exit "$ret"; }
for m in veth sch_netem sch_ingress cls_u32; do
	modprobe -q "$m" 2>/dev/null
done
ns_create "$A" "$B" && veth_pair "$A" 10.254.1.1/24 "$B" "$ADDR_B/24" ||
	{ fail "namespaces"; exit "$ret"; }
# Segment by segment: the counts below (dupACKs for NewReno, ACKs per
# data segment) are about single segments; gso.sh covers super-packets.
for ns in "$A" "$B"; do
	ip netns exec "$ns" sysctl -qw net.mytcp.gso=0
done

# cap_start NS DEV NAME / cap_stop: record protocol 253 to $tmp/NAME.pcap.
cap_start() {
	ip netns exec "$1" dumpcap -q -i "$2" -f "ip proto 253" \
		-w "$tmp/$3.pcap" 2>"$tmp/$3.err" &
	cap_pid=$!
	wait_until 100 test -s "$tmp/$3.pcap" || fail "dumpcap did not start"
	nap 0.3
}

cap_stop() {
	nap 0.3
	kill -INT "$cap_pid" 2>/dev/null
	wait "$cap_pid" 2>/dev/null
	cap_pid=
}

# show NAME FILTER FIELD...: the fields of the matching packets.
show() {
	local name=$1 filter=$2 f args=()
	shift 2
	for f in "$@"; do
		args+=(-e "$f")
	done
	tshark -n -r "$tmp/$name.pcap" -d ip.proto==253,tcp \
		-d "tcp.port==$port,data" -o tcp.desegment_tcp_streams:FALSE \
		-Y "$filter" -T fields -E separator=, "${args[@]}" 2>/dev/null
}

# count NAME FILTER: how many packets match.
count() {
	show "$1" "$2" frame.number | wc -l
}

# opts NAME FILTER: option kinds of the first matching packet, sorted.
opts() {
	show "$1" "$2" tcp.option_kind | head -1 | tr ',' '\n' |
		grep -v '^1$' | sort -n | tr '\n' ' '
}

set_opts() {	# set_opts NS WS TS SACK
	ip netns exec "$1" sysctl -qw net.mytcp.window_scaling="$2" \
		net.mytcp.timestamps="$3" net.mytcp.sack="$4"
}

# transfer NAME BYTES: A sends BYTES to B over the veth, captured in A.
transfer() {
	port=$((port + 1))
	rm -f "$tmp/ready"
	cap_start "$A" veth0 "$1"
	timeout 90 "$PEER" -l "$ADDR_B:$port" -P 253 -N "/run/netns/$B" \
		-r "$2" -f "$tmp/ready" >"$tmp/$1.server" 2>&1 &
	local srv=$!
	wait_until 100 test -s "$tmp/ready" || fail "$1: server did not listen"
	timeout 90 "$PEER" -c "$ADDR_B:$port" -P 253 -N "/run/netns/$A" \
		-s "$2" >"$tmp/$1.client" 2>&1 || fail "$1: client: $(cat "$tmp/$1.client")"
	wait "$srv" || fail "$1: server: $(cat "$tmp/$1.server")"
	cap_stop
}

syn='tcp.flags.syn == 1 && tcp.flags.ack == 0'
synack='tcp.flags.syn == 1 && tcp.flags.ack == 1'
later='tcp.flags.syn == 0 && tcp.flags.reset == 0'

# --- negotiation --------------------------------------------------------

# Option kinds: 2 MSS, 3 window scale, 4 SACK-permitted, 8 timestamps.
transfer both 4M
check "SYN offers MSS, WS, SACK-permitted, TS" \
	test "$(opts both "$syn")" = "2 3 4 8 "
check "SYN-ACK answers all four" test "$(opts both "$synack")" = "2 3 4 8 "
n=$(count both "$later && !tcp.options.timestamp.tsval")
check "every later segment carries timestamps ($n without)" test "$n" -eq 0
n=$(show both "$later" tcp.window_size | sort -n | tail -1)
check "windows above 64 KiB once scaled (largest $n)" test "${n:-0}" -gt 65535

set_opts "$B" 0 0 0
transfer b_off 1M
check "SYN from a side that offers all" test "$(opts b_off "$syn")" = "2 3 4 8 "
check "SYN-ACK of a side with all three off: MSS only" \
	test "$(opts b_off "$synack")" = "2 "
n=$(count b_off "$later && tcp.options.timestamp.tsval")
check "no timestamps after a one-sided offer ($n with)" test "$n" -eq 0

set_opts "$B" 1 1 1
set_opts "$A" 0 0 0
transfer a_off 1M
check "SYN with all three off: MSS only" test "$(opts a_off "$syn")" = "2 "
check "SYN-ACK offers nothing the SYN did not" \
	test "$(opts a_off "$synack")" = "2 "
set_opts "$A" 1 1 1

# --- SACK and NewReno recovery ---------------------------------------------

counter() {	# counter NS NAME
	ip netns exec "$1" awk -v n="$2" '
		NR == 1 { for (i = 2; i <= NF; i++) col[$i] = i }
		NR == 2 { print $col[n] }' /proc/net/mytcp_snmp
}

netem "$A" veth0 delay 2ms loss 3% || fail "netem"
sack0=$(counter "$A" TCPSackRecovery)
transfer sack 2M
n=$(count sack "tcp.options.sack_le")
check "the receiver sends SACK blocks under loss ($n segments)" test "$n" -gt 0
n=$(($(counter "$A" TCPSackRecovery) - sack0))
check "the sender recovers with SACK ($n recoveries)" test "$n" -gt 0

set_opts "$B" 1 1 0
reno0=$(counter "$A" TCPRenoRecovery)
transfer reno 2M
n=$(count reno "tcp.options.sack_le")
check "no SACK blocks when SACK is off ($n segments)" test "$n" -eq 0
n=$(($(counter "$A" TCPRenoRecovery) - reno0))
check "NewReno recovery without SACK ($n recoveries)" test "$n" -gt 0
set_opts "$B" 1 1 1
ip netns exec "$A" tc qdisc del dev veth0 root

# --- delayed ACKs and the RTO floor, on loopback ---------------------------

# acks NAME: "data-segments pure-ACKs" of a one-way transfer on lo.
acks() {
	local d a
	d=$(count "$1" "tcp.len > 0")
	a=$(count "$1" "tcp.len == 0 && tcp.flags.syn == 0 && tcp.flags.fin == 0")
	echo "$d $a"
}

lo_run() {	# lo_run NAME DRIVER-ARGS...
	local name=$1 out
	shift
	cap_start "$A" lo "$name"
	out=$(ip netns exec "$A" timeout 60 python3 "$DRIVER" 253 "$@") ||
		fail "$name: $out"
	cap_stop
	echo "$out"
}

lo_run delack xfer 4194304 >/dev/null
read -r d a <<<"$(acks delack)"
check "delayed ACKs: $a ACKs for $d data segments" test $((a * 10)) -lt $((d * 8))
ip netns exec "$A" sysctl -qw net.mytcp.delack_ms=0
lo_run nodelack xfer 4194304 >/dev/null
read -r d a <<<"$(acks nodelack)"
check "delack_ms=0: $a ACKs for $d data segments" test $((a * 10)) -ge $((d * 9))

# The last byte of "lone" ("x") gets no answer: its ACK waits for the
# timer, set below the sender's 200 ms RTO floor.
ip netns exec "$A" sysctl -qw net.mytcp.delack_ms=100
lo_run lone lone >/dev/null
t=$(show lone "tcp.len == 1 && tcp.payload == 78" frame.time_relative | head -1)
t2=$(show lone "tcp.len == 0 && tcp.flags.fin == 0 && frame.time_relative > ${t:-0}" \
	frame.time_relative | head -1)
ms=$(awk -v a="${t:-0}" -v b="${t2:-0}" 'BEGIN { printf "%d", (b - a) * 1000 }')
check "a lone segment is ACKed by the 100 ms timer (after $ms ms)" \
	test "$ms" -ge 70 -a "$ms" -le $((100 + $(slow 90))) ||
	show lone "frame.time_relative >= ${t:-0}" frame.time_relative \
		tcp.srcport tcp.len tcp.flags.str | head -5 | sed 's/^/# /'
ip netns exec "$A" sysctl -qw net.mytcp.delack_ms=40

# "ok N MS": N retransmissions in the MS (300 or more) ms the driver took.
# With a 200 ms floor doubling each time, N is at most the number of
# k >= 1 with 200 * (2^k - 1) <= MS: 1 in 300 ms; a loaded machine that
# stretches the 300 ms allows more.
read -r _ n el <<<"$(ip netns exec "$A" timeout 60 python3 "$DRIVER" 253 rto)"
most=$(awk -v ms="${el:-0}" 'BEGIN { k = 0; while (200 * (2 ^ (k + 1) - 1) <= ms) k++; print k }')
log "default floor (200 ms): $n retransmissions in $el ms (at most $most)"
check "the default RTO floor waits ($n)" test "${n:-99}" -le "$most"
ip netns exec "$A" sysctl -qw net.mytcp.rto_min_us=1000
read -r _ n el <<<"$(ip netns exec "$A" timeout 60 python3 "$DRIVER" 253 rto)"
check "rto_min_us=1000 retransmits within milliseconds ($n in $el ms)" \
	test "${n:-0}" -ge 3

# TCP_USER_TIMEOUT (1500 ms) ends a connection whose data goes
# unacknowledged, at that time rather than at the next backed-off RTO;
# the same on Linux TCP.
for proto in 6 253; do
	out=$(ip netns exec "$A" timeout 60 python3 "$DRIVER" "$proto" usertimeout)
	read -r _ ms err <<<"$out"
	check "TCP_USER_TIMEOUT 1500 ms, protocol $proto: $err after ${ms:-?} ms" \
		test "$err" = ETIMEDOUT -a "${ms:-0}" -ge 1400 -a "${ms:-0}" -le $((1500 + $(slow 1100)))
done

# PAWS (RFC 7323 5.3): a byte at RCV.NXT whose timestamp is older than
# TS.Recent is dropped (and counted); the same byte with a newer one is
# taken. Linux TCP first, as the reference.
for proto in 6 253; do
	p0=$(counter "$A" PAWSEstabRejected)
	out=$(ip netns exec "$A" timeout 60 python3 "$DRIVER" "$proto" paws)
	check "PAWS, protocol $proto: old timestamp ${out#ok }" \
		test "$out" = "ok dropped taken"
	[ "$proto" = 253 ] || continue
	n=$(($(counter "$A" PAWSEstabRejected) - p0))
	check "PAWSEstabRejected counted it ($n)" test "$n" -ge 1
done

# An ACK without text whose SEQ is the right edge of the window
# (RCV.NXT + RCV.WND) is taken, as Linux's tcp_sequence() does: a peer
# that filled the window, part of which was dropped, ACKs from there.
# Refused, two such ends stalled (mem_pressure.sh, 2 KiB buffers).
for proto in 6 253; do
	out=$(ip netns exec "$A" timeout 60 python3 "$DRIVER" "$proto" edgeack)
	check "ACK at the right edge, protocol $proto: ${out#ok }" \
		test "$out" = "ok taken"
	# A FIN beyond a zero window (mytcp sends it, Linux holds it): the
	# ACKs that follow carry SEQ = the right edge, not SND.NXT.
	out=$(ip netns exec "$A" timeout 60 python3 "$DRIVER" "$proto" finseq)
	check "ACK after a FIN past the window, protocol $proto: SEQ - edge = ${out#ok }" \
		test "$out" = "ok 0"
done

exit "$ret"
