#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# net.mytcp.mem, the protocol-wide page limit (as tcp_mem): visible in
# the initial namespace only; bad triples refused with EINVAL. With a tiny
# limit (64 96 128 pages), 16 full-duplex connections (32 streams, both
# ends writing before either reads) still deliver every byte intact; the
# pages in use (/proc/net/mytcp_sockstat "mem", sampled all along) stay
# within max plus a few pages a socket (each may always charge one skb to
# keep moving); TCPMemoryPressures counts the pressure; afterwards the
# pages return to exactly 0.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
require_root
require_ko

LOAD=$(cd "$(dirname "$0")" && pwd)/lifetime_load
[ -x "$LOAD" ] || { log "$LOAD missing: make -C selftests"; exit "$KSFT_FAIL"; }
# shellcheck disable=SC2119 # no module parameters
mytcp_loaded || mytcp_load || { fail "insmod"; exit "$ret"; }

f=/proc/sys/net/mytcp/mem
ns=mytcp-memlimit
CONNS=16
BYTES=$((768 * 1024))
# Pages a socket may hold beyond max: one send skb over its reduced
# sndbuf and one forced in-order receive skb (16 KiB heads: 5 pages
# each), and the partial page of its forward allocation.
SLACK_PER_SOCK=6

mem_pages() { awk '$1 == "MYTCP:" { for (i = 2; i < NF; i++) if ($i == "mem") print $(i + 1) }' /proc/net/mytcp_sockstat; }

ns_create "$ns" || { fail "netns"; exit "$ret"; }
saved=$(cat "$f")
trap 'echo "$saved" > "$f"; ns_cleanup' EXIT

# --- the sysctl ----------------------------------------------------------
read -r lo pr hi <<<"$saved"
check "defaults ordered and nonzero ($saved)" \
	test "$lo" -ge 1 -a "$lo" -le "$pr" -a "$pr" -le "$hi"
check "global: not shown in another namespace" \
	ip netns exec "$ns" test ! -e "$f"
for bad in "0 1 2" "3 2 1" "1 3 2" "-1 2 3" "abc" "1 2 3x"; do
	if echo "$bad" 2>/dev/null >"$f"; then
		fail "mem accepted '$bad'"
	fi
	[ "$(cat "$f")" = "$saved" ] || fail "refused '$bad' changed mem to $(cat "$f")"
done
log "ok: bad triples refused"
echo "1 1 1" >"$f" && [ "$(cat "$f")" = "1	1	1" ] ||
	fail "mem refused or misread 1 1 1"
echo "$saved" >"$f"

# --- a tiny limit under load -----------------------------------------------
ip netns exec "$ns" sysctl -qw net.mytcp.fin_timeout_ms=1000 \
	net.mytcp.tw_timeout_ms=1000 net.mytcp.rto_min_us=20000 \
	net.mytcp.rto_initial_ms=200 || fail "sysctls"
check "nothing charged before" test "$(mem_pages)" = 0
echo "64 96 128" >"$f" || fail "set mem 64 96 128"
press0=$(snmp_counter "$ns" 253 TCPMemoryPressures)

peakf=$(mktemp)
(
	peak=0
	while :; do
		m=$(mem_pages)
		[ "${m:-0}" -gt "$peak" ] && { peak=$m; echo "$peak" >"$peakf"; }
		sleep 0.02
	done
) &
sampler=$!
t0=$EPOCHREALTIME
if out=$(ip netns exec "$ns" "$LOAD" mem -p 7600 -w "$(slow 55)" -n "$CONNS" -B "$BYTES" -s 0 2>&1); then
	log "ok: $out ($(elapsed "$t0") s)"
else
	fail "transfer: $out"
	ip netns exec "$ns" cat /proc/net/mytcp | head -40
fi
kill "$sampler"
wait "$sampler" 2>/dev/null
peak=$(cat "$peakf")
rm -f "$peakf"
limit=$((128 + 2 * CONNS * SLACK_PER_SOCK))
check "pages never above max + slack (peak $peak, bound $limit)" \
	test "${peak:-0}" -le "$limit"
check "the limit was reached (peak $peak > 96)" test "${peak:-0}" -gt 96
press=$(snmp_counter "$ns" 253 TCPMemoryPressures)
check "TCPMemoryPressures moved ($press0 -> $press)" test "$press" -gt "$press0"
log "counters: $(for c in TCPRcvQDrop OfoPruned TCPOFODrop TCPSACKReneging RetransSegs; do
	printf '%s %s ' "$c" "$(snmp_counter "$ns" 253 "$c")"; done)"

# queued LIMIT PORT: bytes a non-blocking writer gets queued towards a
# peer that does not read, with net.mytcp.mem LIMIT; then the reader
# must still get every one of them (dropped data is resent).
queued() {
	echo "$1" >"$f"
	ip netns exec "$ns" python3 - "$2" <<'P'
import socket, sys
port = int(sys.argv[1])
l = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
l.bind(("127.0.0.1", port))
l.listen()
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
c.connect(("127.0.0.1", port))
s, _ = l.accept()
c.setblocking(False)
n = 0
try:
    for _ in range(2000):
        n += c.send(b"x" * 65536)
except BlockingIOError:
    pass
s.settimeout(30)
got = 0
while got < n:
    got += len(s.recv(65536))
print(n)
P
}
full=$(queued "$saved" 7701)
tiny=$(queued "1 1 1" 7702)
echo "$saved" >"$f"
check "a non-blocking writer gets EAGAIN sooner past max ($tiny bytes queued, $full without the limit)" \
	test "${tiny:-0}" -gt 0 -a "$((${tiny:-0} * 4))" -lt "${full:-0}"

zero() { [ "$(mem_pages)" = 0 ]; }
check "pages back to exactly 0 (now $(mem_pages))" wait_until 150 zero
echo "$saved" >"$f"
exit "$ret"
