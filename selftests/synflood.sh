#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SYN flood defence (net.mytcp.syncookies). A flooder sends spoofed SYNs
# (random sources in 10.253.0.0/16, random ports) as fast as it can at a
# listener with backlog 8 while 12 legitimate clients connect at once
# and each echo 4 KiB, checked byte for byte:
#   syncookies=1: all connect; cookies sent and received; the request
#                 entries never exceed the backlog and drain afterwards
#   syncookies=0: the same flood costs legitimate connections (fewer than
#                 12 within 2.5 s) and ListenDrops/TCPReqQFullDrop grow
#   syncookies=2: all connect and no request entry ever exists; a cookie
#                 child keeps window scaling, SACK and timestamps, and has
#                 none of them when the SYN had no timestamps
# A forged ACK with a wrong cookie gets an RST (RFC 9293 3.10.7.2) and
# counts SyncookiesFailed; with no cookie sent recently it is not checked.
. "$(dirname "$0")/lib.sh"
require_root
require_ko
mytcp_loaded || mytcp_load || { fail "insmod"; exit $ret; }

tool="$(cd "$(dirname "$0")" && pwd)/synflood"
S=mytcp-sf-s
C=mytcp-sf-c
SADDR=10.252.1.2
CADDR=10.252.1.1
BACKLOG=8
NCONN=12
FLOOD_S=${FLOOD_S:-6}
tmp=$(mktemp -d /tmp/synflood.XXXXXX)
trap 'ns_cleanup; rm -rf "$tmp"' EXIT

ns_create $C $S
veth_pair $C $CADDR/24 $S $SADDR/24 || { fail "veth set-up"; exit $ret; }
# The SYN-ACKs to spoofed sources go to the client's side and die there.
ip -n $S route add 10.253.0.0/16 via $CADDR
# Spoofed requests then expire after 1 + 2 s: the drain is quick.
ip netns exec $S sysctl -qw net.mytcp.synack_retries=1

check "syncookies defaults to 1" \
	test "$(ip netns exec $S cat /proc/sys/net/mytcp/syncookies)" = 1

# Request entries (SYN-RECEIVED, st 03) of the server's namespace.
nreq() { ip netns exec $S awk '$4 == "03" { n++ } END { print n + 0 }' \
	/proc/net/mytcp; }
noreq() { [ "$(nreq)" = 0 ]; }
slab=/sys/kernel/slab/mytcp_request
slab_objects() {
	echo 1 >"$slab/shrink" 2>/dev/null
	awk '{ print $1 }' "$slab/objects" 2>/dev/null || echo 0
}
base_slab=$(slab_objects)
slab_back() { [ "$(slab_objects)" -le "$base_slab" ]; }

# snap ... measure, then delta NAME: how much a counter grew in between
# (the counters read once each time: every exec is slow under TCG).
declare -A before after
snap() {
	before=()
	counters_load before <(ip netns exec $S cat /proc/net/mytcp_snmp)
}
measure() {
	after=()
	counters_load after <(ip netns exec $S cat /proc/net/mytcp_snmp)
}
delta() { echo $((${after[Mytcp$1]} - ${before[Mytcp$1]})); }

# start_server PORT N: a listener in the background, ready on return.
start_server() {
	ip netns exec $S "$tool" serve $SADDR "$1" $BACKLOG "$2" 60 \
		>"$tmp/serve" 2>&1 &
	spid=$!
	wait_until 50 grep -q listening "$tmp/serve" || fail "server up"
}

stop_server() {
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
}

# run MODE PORT FLOOD_SECONDS CONNECT_MS: a listener (left running), the
# flood (if any) and NCONN clients at once during it; sets ok (clients
# that echoed), maxreq (most request entries seen) and maxslab (most
# mytcp_request slab objects).
run() {
	local mode=$1 port=$2 secs=$3 ms=$4 fpid=
	ip netns exec $S sysctl -qw net.mytcp.syncookies="$mode"
	start_server "$port" $NCONN
	snap
	maxreq=0
	maxslab=$base_slab
	if [ "$secs" != 0 ]; then
		ip netns exec $C "$tool" flood $SADDR "$port" "$secs" 50000000 \
			>"$tmp/flood" 2>&1 &
		fpid=$!
		nap 1
	fi
	ip netns exec $C "$tool" connect $SADDR "$port" $NCONN "$ms" \
		>"$tmp/client" 2>&1 &
	local cpid=$! n t0=$EPOCHREALTIME
	# Sample the request entries while the flood lasts (bounded: 60 s).
	while { ! gone $cpid || { [ -n "$fpid" ] && ! gone "$fpid"; }; } &&
	      [ "$(elapsed "$t0" | cut -d. -f1)" -lt 60 ]; do
		n=$(nreq)
		[ "$n" -gt "$maxreq" ] && maxreq=$n
		n=$(slab_objects)
		[ "$n" -gt "$maxslab" ] && maxslab=$n
		nap 0.2
	done
	wait $cpid
	[ -n "$fpid" ] && { wait "$fpid"; log "syncookies=$mode: $(cat "$tmp/flood")"; }
	ok=$(sed -n 's/^ok \([0-9]*\) of .*/\1/p' "$tmp/client")
	ok=${ok:-0}
	measure
	log "syncookies=$mode: $ok of $NCONN legitimate connections;" \
	    "max $maxreq request entries, slab $base_slab -> $maxslab;" \
	    "SyncookiesSent +$(delta SyncookiesSent)" \
	    "Recv +$(delta SyncookiesRecv) TCPReqQFullDoCookies" \
	    "+$(delta TCPReqQFullDoCookies) TCPReqQFullDrop" \
	    "+$(delta TCPReqQFullDrop) ListenDrops +$(delta ListenDrops)" \
	    "ListenOverflows +$(delta ListenOverflows)"
}

# bad_cookie MODE PORT: a forged ACK to the listener on PORT, which
# checks cookies: an RST, and SyncookiesFailed counts it.
bad_cookie() {
	snap
	check "syncookies=$1: bad cookie gets an RST" \
		ip netns exec $C "$tool" badack $CADDR $SADDR "$2"
	measure
	check "syncookies=$1: SyncookiesFailed counted" \
		test "$(delta SyncookiesFailed)" = 1
}

# A forged ACK before any cookie was sent: an RST, not checked as one.
ip netns exec $S sysctl -qw net.mytcp.syncookies=1
start_server 7000 1
snap
check "bad ACK, no recent cookie: RST" \
	ip netns exec $C "$tool" badack $CADDR $SADDR 7000
measure
check "no recent cookie: ACK not checked" test "$(delta SyncookiesFailed)" = 0
stop_server

# syncookies=1 under the flood.
run 1 7001 "$FLOOD_S" 15000
check "syncookies=1: all $NCONN connections under the flood" test "$ok" = $NCONN
check "syncookies=1: cookies sent" test "$(delta SyncookiesSent)" -gt 100
check "syncookies=1: sent on overflow" \
	test "$(delta TCPReqQFullDoCookies)" -gt 100
check "syncookies=1: cookies validated" test "$(delta SyncookiesRecv)" -gt 0
check "syncookies=1: no SYN dropped for the request queue" \
	test "$(delta TCPReqQFullDrop)" = 0
check "syncookies=1: request entries within the backlog ($maxreq)" \
	test "$maxreq" -le $BACKLOG
check "syncookies=1: request entries were at the backlog" \
	test "$maxreq" -ge $((BACKLOG / 2))
# A forged ACK while cookies are recent: checked, failed, RST.
bad_cookie 1 7001
stop_server
check "requests drain after the flood" wait_until 100 noreq
if [ -r "$slab/objects" ]; then
	check "mytcp_request slab back to $base_slab" wait_until 100 slab_back
fi

# syncookies=0: the same flood hurts.
run 0 7002 "$FLOOD_S" 2500
check "syncookies=0: legitimate connections lost ($ok of $NCONN)" \
	test "$ok" -lt $NCONN
check "syncookies=0: ListenDrops grows" test "$(delta ListenDrops)" -gt 100
check "syncookies=0: TCPReqQFullDrop grows" \
	test "$(delta TCPReqQFullDrop)" -gt 100
check "syncookies=0: no cookies" test "$(delta SyncookiesSent)" = 0
stop_server
check "requests drain after the flood" wait_until 100 noreq

# syncookies=2: no request entries at all, flood or not.
run 2 7003 "$FLOOD_S" 15000
check "syncookies=2: all $NCONN connections under the flood" test "$ok" = $NCONN
check "syncookies=2: no request entry" test "$maxreq" = 0
check "syncookies=2: every client through a cookie" \
	test "$(delta SyncookiesRecv)" -ge $NCONN
wscale=$(sed -n 's/^client rcv_wscale=//p' "$tmp/client")
# TCPI_OPT_TIMESTAMPS | TCPI_OPT_SACK | TCPI_OPT_WSCALE, the client's shift
check "syncookies=2: children keep timestamps, SACK, wscale $wscale" \
	test "$(grep -c "^child options=7 snd_wscale=$wscale " "$tmp/serve")" = $NCONN
bad_cookie 2 7003
stop_server

# Without timestamps in the SYN a cookie keeps no options.
ip netns exec $C sysctl -qw net.mytcp.timestamps=0
NCONN=2 run 2 7004 0 15000
check "syncookies=2, no timestamps: connections" test "$ok" = 2
check "syncookies=2, no timestamps: no options on the child" \
	test "$(grep -c "^child options=0 snd_wscale=0 " "$tmp/serve")" = 2
stop_server

exit $ret
