#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Conformance probes (RFC 9293 3.10.7, RFC 5961): conformance.py, a Scapy
# prober, plays the peer segment by segment against a target socket in
# every state from LISTEN to TIME-WAIT (and CLOSED), on Linux TCP as the
# reference and on mytcp, and checks each reply against the RFC and
# against Linux. Documentation/conformance.rst has the probe list and the
# differences that are allowed.
#
#   mytcp-ct  10.253.5.1 veth0 <----> veth0 10.253.5.2  mytcp-cp
#   (target sockets: TCP, mytcp)        (the prober; tc ingress drops
#                                        IP protocols 6 and 253, so its
#                                        own kernel never answers)
#
# The prober reads the target's segments with an AF_PACKET tap, which
# sees them before tc ingress. TX checksum offload is off on the target's
# veth so that every reply carries a real checksum, checked by the prober.
#
# Environment: MYTCP_KO (mytcp.ko); CONFORMANCE_ARGS: more arguments for
# conformance.py (-v prints every reply; --states LISTEN,ESTABLISHED).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
require_root
require_ko

HERE=$(cd "$(dirname "$0")" && pwd)
NS_T=mytcp-ct
NS_P=mytcp-cp
ADDR_T=10.253.5.1
ADDR_P=10.253.5.2
PYTHON=/usr/bin/python3

for t in tc ethtool "$PYTHON"; do
	command -v "$t" >/dev/null || { log "SKIP: $t missing"; exit "$KSFT_SKIP"; }
done
[ -d /usr/lib/python3/dist-packages/scapy ] ||
	{ log "SKIP: python3-scapy missing"; exit "$KSFT_SKIP"; }
# shellcheck disable=SC2119 # no module parameters
mytcp_loaded || mytcp_load || { fail "insmod"; exit "$ret"; }
for m in veth sch_ingress cls_u32 act_gact; do
	modprobe -q "$m" 2>/dev/null
done

setup() {
	local dev=veth0 p
	ns_create "$NS_T" "$NS_P" &&
	veth_pair "$NS_T" "$ADDR_T/24" "$NS_P" "$ADDR_P/24" || return 1
	MAC_T=$(mac_of "$NS_T") && MAC_P=$(mac_of "$NS_P") || return 1
	neigh_pin "$NS_T" "$ADDR_T" "$NS_P" "$ADDR_P" &&
	ip netns exec "$NS_T" ethtool -K $dev tx off >/dev/null &&
	ip netns exec "$NS_P" tc qdisc add dev $dev clsact || return 1
	for p in 6 253; do
		ip netns exec "$NS_P" tc filter add dev $dev ingress protocol ip \
			prio 1 u32 match ip protocol $p 0xff action drop || return 1
	done
}

setup || { fail "set-up"; exit "$ret"; }

# shellcheck disable=SC2086 # CONFORMANCE_ARGS is a list of arguments
ip netns exec "$NS_P" timeout 300 "$PYTHON" "$HERE/conformance.py" \
	--target-ns "/run/netns/$NS_T" --prober-ns "/run/netns/$NS_P" \
	--src "$ADDR_P" --dst "$ADDR_T" --src-mac "$MAC_P" --dst-mac "$MAC_T" \
	${CONFORMANCE_ARGS:-} || fail "conformance.py: status $?"

# Nothing the prober sent may have reached its own kernel's stacks.
drops=$(ip netns exec "$NS_P" tc -s filter show dev veth0 ingress |
	awk '/Sent/ { n += $4 } END { print n + 0 }')
log "tc ingress drops in $NS_P: $drops packets"
exit "$ret"
