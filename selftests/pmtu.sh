#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Path MTU discovery (RFC 1191, RFC 5927 7). client - r1 - r2 - server,
# every link at MTU 1500 but r1 - r2 at 1280: each end advertises an MSS
# of 1460, its full-size segments (DF) die at the narrow link and the
# router says so with ICMP "fragmentation needed". 4 MiB each way must
# arrive intact (SHA-256) in bounded time, on TCP and on mytcp, with both
# ends' MSS (tcpi_snd_mss) down to fit 1280. Then forged frag-needed
# errors: quoting a sequence number not in flight changes nothing
# (RFC 5927 4.1; counted as OutOfWindowIcmps), quoting SND.UNA lowers
# the MSS.
. "$(dirname "$0")/lib.sh"
require_root
require_ko
mytcp_loaded || mytcp_load || { fail "insmod"; exit $ret; }

# topo TAG: namespaces pm$TAG-{c,r1,r2,s}, 10.25$TAG.{1,2,3}.0/24.
topo() {
	local p=pm$1 n=10.25$1 l
	ns_create "$p-c" "$p-r1" "$p-r2" "$p-s" || return 1
	for l in "c 1.1 r1 1.2 1500" "r1 2.1 r2 2.2 1280" "r2 3.1 s 3.2 1500"; do
		# shellcheck disable=SC2086 # the link's words
		set -- $l
		ip link add "v$1$3" netns "$p-$1" mtu "$5" type veth \
			peer name "v$3$1" netns "$p-$3" mtu "$5" &&
		ip -n "$p-$1" addr add "$n.$2/24" dev "v$1$3" &&
		ip -n "$p-$3" addr add "$n.$4/24" dev "v$3$1" &&
		ip -n "$p-$1" link set "v$1$3" up &&
		ip -n "$p-$3" link set "v$3$1" up || return 1
		neigh_pin_dev "$p-$1" "$n.$2" "v$1$3" "$p-$3" "$n.$4" "v$3$1" ||
			return 1
	done
	ip -n "$p-c" route add default via "$n.1.2" &&
	ip -n "$p-r1" route add "$n.3.0/24" via "$n.2.2" &&
	ip -n "$p-r2" route add "$n.1.0/24" via "$n.2.1" &&
	ip -n "$p-s" route add default via "$n.3.1" || return 1
	for l in r1 r2; do
		# Every frag-needed goes out: no ICMP rate limit.
		ip netns exec "$p-$l" sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_ratemask=0 ||
			return 1
	done
}

# neigh_pin_dev NS1 ADDR1 DEV1 NS2 ADDR2 DEV2: static ARP both ways.
neigh_pin_dev() {
	local m1 m2
	m1=$(mac_of "$1" "$3") && m2=$(mac_of "$4" "$6") || return 1
	ip -n "$1" neigh replace "$5" lladdr "$m2" dev "$3" nud permanent &&
	ip -n "$4" neigh replace "$2" lladdr "$m1" dev "$6" nud permanent
}

# TCP_INFO's tcpi_snd_mss, and the 4 MiB exchange of one end (reading
# through wire_driver.py's recv_sha256()).
SELFTESTS_DIR=$(cd "$(dirname "$0")" && pwd)
export SELFTESTS_DIR
PY='
import hashlib, os, socket, struct, sys, threading
sys.path.insert(0, os.environ["SELFTESTS_DIR"])
from wire_driver import recv_sha256
def mss(s):
    return struct.unpack_from("I", s.getsockopt(6, 11, 104), 16)[0]
def run(s):
    total = 4 << 20
    data = os.urandom(total)
    res = {}
    def send():
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
    t = threading.Thread(target=send)
    t.start()
    n, h = recv_sha256(s)
    t.join()
    sys.stdout.write("%d %s %s\n" % (n, h.hexdigest(),
                     hashlib.sha256(data).hexdigest()))
'

# xfer TAG PROTO: the exchange; checks bytes, hashes, time and MSS.
xfer() {
	local p=pm$1 n=10.25$1 proto=$2 t0 srv cli sout
	t0=$EPOCHREALTIME
	sout=$(mktemp)
	ip netns exec "$p-s" timeout 90 python3 -c "$PY"'
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(sys.argv[1]))
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("0.0.0.0", 5001))
ls.listen(1)
print("ready", flush=True)
s, _ = ls.accept()
s.settimeout(60)
m0 = mss(s)
run(s)
print("mss", m0, mss(s))
' "$proto" >"$sout" &
	srv=$!
	wait_until 100 grep -q ready "$sout" || fail "proto $proto: no server"
	cli=$(ip netns exec "$p-c" timeout 90 python3 -c "$PY"'
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(sys.argv[1]))
s.settimeout(60)
s.connect((sys.argv[2], 5001))
m0 = mss(s)
run(s)
print("mss", m0, mss(s))
' "$proto" "$n.3.2")
	wait "$srv"
	log "proto $proto in $(elapsed "$t0") s: client: ${cli//$'\n'/; }"
	log "proto $proto server: $(tail -n 2 "$sout" | tr '\n' ';')"
	check_end "proto $proto client" "$cli"
	check_end "proto $proto server" "$(tail -n 2 "$sout")"
	rm -f "$sout"
}

# check_end WHAT OUTPUT: "BYTES HASH HASH" of the peer's data (compared
# by the peer's own hash line) and "mss BEFORE AFTER".
check_end() {
	local what=$1 out=$2 n h1 h2 w m0 m1
	read -r n h1 h2 <<<"$(head -n 1 <<<"$out")"
	read -r w m0 m1 <<<"$(tail -n 1 <<<"$out")"
	[ "$n" = $((4 << 20)) ] || fail "$what: received ${n:-nothing}"
	RECV_HASH+=("$h1") SENT_HASH+=("$h2")
	[ "$w" = mss ] || { fail "$what: no MSS"; return; }
	# 1460 less 12 bytes of timestamps before; 1280 - 40 - 12 after.
	[ "$m0" -gt 1240 ] || fail "$what: MSS $m0 at the start"
	[ "$m1" -le 1228 ] || fail "$what: MSS still $m1 after frag-needed"
}

hashes_cross() {
	# Each side's received hash is the other side's sent hash.
	[ "${#RECV_HASH[@]}" = 2 ] && [ "${RECV_HASH[0]}" = "${SENT_HASH[1]}" ] &&
		[ "${RECV_HASH[1]}" = "${SENT_HASH[0]}" ]
}

modprobe -q veth 2>/dev/null
i=0
for proto in 253 6; do
	i=$((i + 1))
	topo $i || { fail "set-up"; exit $ret; }
	RECV_HASH=() SENT_HASH=()
	xfer $i "$proto"
	hashes_cross || fail "proto $proto: data corrupt"
done
red_c=$(snmp_counter pm1-c 253 TCPMTUReduced)
red_s=$(snmp_counter pm1-s 253 TCPMTUReduced)
log "mytcp TCPMTUReduced: client $red_c, server $red_s"
[ "${red_c:-0}" -ge 1 ] && [ "${red_s:-0}" -ge 1 ] ||
	fail "TCPMTUReduced not counted"

# Forged frag-needed errors from r1 to a mytcp connection client -> r1
# (no route exception there yet), idle: SND.UNA = SND.NXT = the ACK of
# the SYN-ACK, read from the state history (SOL_MYTCP).
before=$(snmp_counter pm1-c 253 TCPMTUReduced)
oow0=$(snmp_counter pm1-c 253 OutOfWindowIcmps)
out=$(ip netns exec pm1-r1 timeout 20 python3 -c '
import socket, struct, subprocess, sys, time
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
ls.bind(("10.251.1.2", 5002))
ls.listen(1)
cl = subprocess.Popen(["ip", "netns", "exec", "pm1-c", "python3", "-c", """
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
s.connect(("10.251.1.2", 5002))
mss = lambda: struct.unpack_from("I", s.getsockopt(6, 11, 104), 16)[0]
h = s.getsockopt(253, 1, 8 + 16 * 32)
n = struct.unpack_from("I", h, 4)[0]
una = struct.unpack_from("I", h, 8 + (n - 1) * 32 + 20)[0]
print(s.getsockname()[1], una, mss(), flush=True)
for line in sys.stdin:
    print(mss(), flush=True)
"""], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
a, _ = ls.accept()
port, una, mss0 = map(int, cl.stdout.readline().split())
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s & 0xffff) + (s >> 16)
    return ~((s & 0xffff) + (s >> 16)) & 0xffff
def frag_needed(seq, mtu):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 1500, 0, 0x4000, 64, 253,
                     0, socket.inet_aton("10.251.1.1"),
                     socket.inet_aton("10.251.1.2"))
    q = ip + struct.pack("!HHI", port, 5002, seq & 0xffffffff)
    m = struct.pack("!BBHHH", 3, 4, 0, 0, mtu) + q
    m = m[:2] + struct.pack("!H", csum(m)) + m[4:]
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    r.sendto(m, ("10.251.1.1", 0))
    time.sleep(0.3)
    cl.stdin.write("\n")
    cl.stdin.flush()
    return int(cl.stdout.readline())
res = [mss0, frag_needed(una + 0x40000000, 1000), frag_needed(una - 5000, 1000),
       frag_needed(una, 1000)]
print(*res)
cl.stdin.close()
cl.wait()
')
log "forged frag-needed: MSS at start, after two not in flight, after SND.UNA: $out"
read -r m0 m1 m2 m3 <<<"$out"
[ -n "$m3" ] || fail "forged frag-needed: no result"
[ "$m0" = 1448 ] || fail "MSS $m0 at the start, not 1448"
[ "$m1" = "$m0" ] && [ "$m2" = "$m0" ] ||
	fail "frag-needed quoting a sequence number not in flight: MSS $m1 $m2"
[ "$m3" = 948 ] || fail "frag-needed quoting SND.UNA: MSS $m3, not 948"
after=$(snmp_counter pm1-c 253 TCPMTUReduced)
[ "$after" = $((before + 1)) ] ||
	fail "TCPMTUReduced $before -> $after, not one more"
oow1=$(snmp_counter pm1-c 253 OutOfWindowIcmps)
[ "$oow1" = $((oow0 + 2)) ] ||
	fail "OutOfWindowIcmps $oow0 -> $oow1, not two more"

ns_cleanup
exit $ret
