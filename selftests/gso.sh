#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Segmentation offload (mytcp/offload.c). Topology, all in namespaces:
#
#   gso-a (10.9.1.1) --veth-- gso-r (router) --veth-- gso-b (10.9.2.2)
#
# Each case sends 8 MiB from a to b with interop_peer (byte for byte) and
# looks at what crossed the veths:
#
#   on       net.mytcp.gso=1: a's veth carries super-packets (far fewer
#            skbs than segments), and so does the router's veth to b
#   off      net.mytcp.gso=0: one skb per segment
#   tso_off  TSO off on the router's veth to b: the router cuts the
#            super-packets with mytcp_gso_segment(); b's veth carries no
#            frame above the MTU and b counts as many segments as a sent
#   csum_off tx checksumming (and so TSO) off on that veth: the cut
#            segments get their checksum in software (b's InCsumErrors
#            stays 0)
#   lo       loopback in one namespace: runs of 16 KiB segments go as one
#            64 KiB packet
. "$(dirname "$0")/lib.sh"
require_root
require_ko
mytcp_loaded || mytcp_load || { fail "insmod"; exit $ret; }
peer=$(dirname "$0")/interop_peer
size=$((8 << 20))
port=5000	# a fresh port per run: no TIME-WAIT in the way

ns_create gso-a gso-r gso-b || { fail "netns"; exit $ret; }
ip link add va netns gso-a type veth peer name ra netns gso-r &&
ip link add vb netns gso-b type veth peer name rb netns gso-r &&
ip -n gso-a addr add 10.9.1.1/24 dev va &&
ip -n gso-r addr add 10.9.1.2/24 dev ra &&
ip -n gso-r addr add 10.9.2.1/24 dev rb &&
ip -n gso-b addr add 10.9.2.2/24 dev vb &&
for l in "gso-a va" "gso-r ra" "gso-r rb" "gso-b vb"; do
	set -- $l
	ip -n "$1" link set "$2" up || exit 1
done &&
ip -n gso-a route add default via 10.9.1.2 &&
ip -n gso-b route add default via 10.9.2.1 &&
ip netns exec gso-r sysctl -qw net.ipv4.ip_forward=1 ||
	{ fail "topology"; exit $ret; }

# tx_packets NS DEV
tx_packets() {
	ip -n "$1" -s -j link show dev "$2" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["packets"])'
}

# run CASE NS_SERVER ADDR NS_CLIENT: a transfer to the server; sets out_segs
# (the client's OutSegs grown) and in_segs (the server's InSegs grown).
run() {
	local name=$1 sns=$2 addr=$3 cns=$4 o0 i0 c0 rc
	port=$((port + 1))
	o0=$(snmp_counter "$cns" 253 OutSegs)
	i0=$(snmp_counter "$sns" 253 InSegs)
	c0=$(snmp_counter "$sns" 253 InCsumErrors)
	rm -f /tmp/gso-$name.up
	ip netns exec "$sns" "$peer" -P 253 -l "$addr:$port" -r $size \
		-t 60 -f /tmp/gso-$name.up >/tmp/gso-$name.srv 2>&1 &
	wait_until 100 [ -s /tmp/gso-$name.up ]
	ip netns exec "$cns" "$peer" -P 253 -c "$addr:$port" -s $size \
		-t 60 >/tmp/gso-$name.cli 2>&1
	rc=$?
	wait $! || rc=1
	check "$name: 8 MiB intact" [ $rc -eq 0 ] ||
		sed 's/^/#   /' /tmp/gso-$name.srv /tmp/gso-$name.cli
	out_segs=$(($(snmp_counter "$cns" 253 OutSegs) - o0))
	in_segs=$(($(snmp_counter "$sns" 253 InSegs) - i0))
	check "$name: no checksum errors" \
		[ "$(snmp_counter "$sns" 253 InCsumErrors)" -eq "$c0" ]
}

for ns in gso-a gso-b; do
	ip netns exec $ns sysctl -qw net.mytcp.gso=1
done

# on: super-packets end to end.
case_on() {
	p0=$(tx_packets gso-a va)
	r0=$(tx_packets gso-r rb)
	run on gso-b 10.9.2.2 gso-a
	pa=$(($(tx_packets gso-a va) - p0))
	pr=$(($(tx_packets gso-r rb) - r0))
	log "on: a sent $out_segs segments in $pa skbs; router forwarded $pr"
	check "on: super-packets leave a (skbs < segments / 4)" [ $((pa * 4)) -lt "$out_segs" ]
	check "on: and cross the router whole" [ $((pr * 4)) -lt "$out_segs" ]
}

# off: one skb per segment.
case_off() {
	ip netns exec gso-a sysctl -qw net.mytcp.gso=0
	p0=$(tx_packets gso-a va)
	run off gso-b 10.9.2.2 gso-a
	pa=$(($(tx_packets gso-a va) - p0))
	log "off: a sent $out_segs segments in $pa skbs"
	check "off: one skb per segment" [ "$pa" -ge "$out_segs" ]
	ip netns exec gso-a sysctl -qw net.mytcp.gso=1
}

# tso_off: the router's egress cuts them (mytcp_gso_segment, CHECKSUM_PARTIAL).
case_tso_off() {
	ip netns exec gso-r ethtool -K rb tso off gso off >/dev/null 2>&1
	r0=$(tx_packets gso-r rb)
	run tso_off gso-b 10.9.2.2 gso-a
	pr=$(($(tx_packets gso-r rb) - r0))
	log "tso_off: a sent $out_segs segments; router sent $pr frames; b got $in_segs"
	check "tso_off: the router sends one frame per segment" [ "$pr" -ge "$out_segs" ]
	check "tso_off: b counts every segment" [ "$in_segs" -ge "$out_segs" ]
}

# csum_off: the cut segments are summed in software.
case_csum_off() {
	ip netns exec gso-r ethtool -K rb tx off >/dev/null 2>&1
	run csum_off gso-b 10.9.2.2 gso-a
	check "csum_off: b counts every segment" [ "$in_segs" -ge "$out_segs" ]
	ip netns exec gso-r ethtool -K rb tx on tso on gso on >/dev/null 2>&1
}

# lo: 16 KiB write-queue segments leave as 64 KiB packets.
case_lo() {
	ip -n gso-a link set lo mtu 65536
	run lo gso-a 127.0.0.1 gso-a
	lo_segs=$out_segs
	ip netns exec gso-a sysctl -qw net.mytcp.gso=0
	run lo_off gso-a 127.0.0.1 gso-a
	log "lo: $lo_segs packets with gso, $out_segs without"
	check "lo: fewer, larger packets" [ $((lo_segs * 2)) -lt "$out_segs" ]
}

for c in ${GSO_CASES:-on off tso_off csum_off lo}; do
	case_$c
done

exit $ret
