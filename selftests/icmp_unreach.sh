#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ICMP errors (RFC 9293 3.10.7, RFC 5927): a router answers each SYN
# with "host unreachable"; connect() must fail with EHOSTUNREACH, as for
# Linux TCP, instead of retrying until ETIMEDOUT. With every address
# resolved the ICMP error comes back while connect() still holds the
# socket; for both protocols that is only a soft error, and the answer to
# the first retransmission (1 s later) ends the attempt.
. "$(dirname "$0")/lib.sh"
require_root
require_ko
mytcp_loaded || mytcp_load || { fail "insmod"; exit $ret; }

ns_create mytcp-icmp-c mytcp-icmp-r
veth_pair mytcp-icmp-c 10.251.1.1/24 mytcp-icmp-r 10.251.1.2/24 ||
	{ fail "veth set-up"; exit $ret; }
ip -n mytcp-icmp-c route add 10.251.2.0/24 via 10.251.1.2
ip netns exec mytcp-icmp-r sysctl -qw net.ipv4.ip_forward=1
# One ICMP error per second per host by default: both protocols need theirs.
ip netns exec mytcp-icmp-r sysctl -qw net.ipv4.icmp_ratelimit=0
ip -n mytcp-icmp-r route add unreachable 10.251.2.0/24
# Static neighbour entries both ways: no ARP delay, so both protocols
# meet exactly the same timing.
neigh_pin mytcp-icmp-c 10.251.1.1 mytcp-icmp-r 10.251.1.2 ||
	fail "static neighbour"

for proto in 6 253; do
	out=$(ip netns exec mytcp-icmp-c timeout 20 python3 -c '
import errno, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(sys.argv[1]))
s.settimeout(15)
t = time.time()
try:
    s.connect(("10.251.2.2", 80))
    print("connected")
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno), "%.1f" % (time.time() - t))
' "$proto")
	log "proto $proto: $out"
	case $out in
	"EHOSTUNREACH "*) ;;
	*) fail "proto $proto: expected EHOSTUNREACH, got '$out'" ;;
	esac
	# From the ICMP errors, long before the retries run out (~127 s).
	secs=${out#* }
	[ "${secs%.*}" -lt "$(slow 3)" ] || fail "proto $proto: took $secs s"
done

ns_cleanup
exit $ret
