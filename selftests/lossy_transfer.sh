#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Transfers over a bad path (netem on lo in a private namespace: 5 ms
# delay, 25% reordering, 2% loss), both directions at once, on TCP and on
# mytcp: every byte arrives once and in order (SHA-256 compared), and
# mytcp's counters show the out-of-order queue and fast retransmit at
# work (TCPOFOQueue, TCPFastRetrans), not only retransmission timeouts.
. "$(dirname "$0")/lib.sh"
require_root
require_ko
mytcp_loaded || mytcp_load || { fail "insmod"; exit $ret; }
modprobe sch_netem 2>/dev/null

ns_create mytcp-lossy
ip netns exec mytcp-lossy sysctl -qw net.mytcp.rto_min_us=50000
# Segment by segment (16 KiB on lo, not 64 KiB runs): enough segments in
# 2 MiB for reordering and dupACKs to show; gso.sh covers super-packets.
ip netns exec mytcp-lossy sysctl -qw net.mytcp.gso=0
ip netns exec mytcp-lossy tc qdisc add dev lo root netem delay 5ms \
	reorder 25% 50% loss 2% || { fail "netem"; exit $ret; }

# counter NAME: one /proc/net/mytcp_snmp counter in the namespace.
counter() {
	ip netns exec mytcp-lossy awk -v n="$1" '
		NR == 1 { for (i = 2; i <= NF; i++) col[$i] = i }
		NR == 2 { print $col[n] }' /proc/net/mytcp_snmp
}

# The transfer reads through wire_driver.py's recv_sha256().
SELFTESTS_DIR=$(cd "$(dirname "$0")" && pwd)
export SELFTESTS_DIR
for proto in 6 253; do
	out=$(ip netns exec mytcp-lossy timeout 120 python3 - "$proto" <<'PY'
import hashlib, os, socket, sys, threading
sys.path.insert(0, os.environ["SELFTESTS_DIR"])
from wire_driver import recv_sha256
proto, total = int(sys.argv[1]), 2 << 20
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
ls.bind(("127.0.0.1", 0))
ls.listen(1)
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
c.settimeout(60)
c.connect(ls.getsockname())
s, _ = ls.accept()
s.settimeout(60)
data = {c: os.urandom(total), s: os.urandom(total)}
ok = {}
def send(sock):
    sock.sendall(data[sock])
    sock.shutdown(socket.SHUT_WR)
def recv(sock, peer):
    n, h = recv_sha256(sock)
    ok[sock] = n == total and h.digest() == hashlib.sha256(data[peer]).digest()
ts = [threading.Thread(target=send, args=(c,)),
      threading.Thread(target=send, args=(s,)),
      threading.Thread(target=recv, args=(c, s)),
      threading.Thread(target=recv, args=(s, c))]
for t in ts:
    t.start()
for t in ts:
    t.join(100)
print("ok" if len(ok) == 2 and all(ok.values()) else "corrupt or incomplete")
PY
)
	log "proto $proto: ${out:-no result}"
	[ "$out" = ok ] || fail "proto $proto: 2 MiB each way over the lossy path"
done

ofo=$(counter TCPOFOQueue)
fast=$(counter TCPFastRetrans)
log "mytcp: TCPOFOQueue $ofo, TCPFastRetrans $fast"
[ "${ofo:-0}" -gt 0 ] || fail "no segment was held out of order"
[ "${fast:-0}" -gt 0 ] || fail "no fast retransmit happened"

ns_cleanup
exit $ret
