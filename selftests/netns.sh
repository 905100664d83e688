#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Network namespaces: ports, connections, counters and net.mytcp.*
# sysctls are private to each namespace, a new one starts from the
# defaults; deleting a namespace that holds listeners, connections with
# unread and unsent data, FIN-WAIT orphans and TIME-WAIT entries, or
# one in the middle of a transfer, releases everything: the MYTCP slab
# objects return to their count before, rmmod succeeds at once, and no
# TIME-WAIT timer fires after its namespace is gone (vm-run checks the
# kernel log).
. "$(dirname "$0")/lib.sh"
require_root
require_ko
mytcp_loaded || mytcp_load || { fail "insmod"; exit $ret; }

here=$(cd "$(dirname "$0")" && pwd)
peer=$here/interop_peer
slab=/sys/kernel/slab/MYTCP

# slab_objects: objects in use in the protocol's slab (per-CPU slabs
# flushed first); the cache may be merged, its other users are idle.
slab_objects() {
	echo 1 >"$slab/shrink" 2>/dev/null
	awk '{ print $1 }' "$slab/objects"
}

slab_back() { [ "$(slab_objects)" -le "$base_slab" ]; }

# has_state NS HEX: /proc/net/mytcp of NS has a line in that state.
has_state() {
	ip netns exec "$1" awk -v s="$2" 'NR > 1 && $4 == s { f = 1 } END { exit !f }' \
		/proc/net/mytcp
}

[ -r "$slab/objects" ] || { fail "$slab/objects missing"; exit $ret; }
start=$EPOCHREALTIME
base_slab=$(slab_objects)
base_inuse=$(proto_inuse)
log "baseline: $base_slab MYTCP slab objects, $base_inuse sockets in init_net"

# --- isolation ------------------------------------------------------------

ns_create mytcp-na mytcp-nb
ready=$(mktemp -u /tmp/netns.XXXXXX)
# In A: a listener on 7000 and a connection to it; in B a listener on
# the same port (one process: setns between them); held until killed.
ip netns exec mytcp-na python3 -c '
import ctypes, os, socket, sys, time
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
ls.bind(("127.0.0.1", 7000)); ls.listen(4)
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
c.connect(("127.0.0.1", 7000)); s, _ = ls.accept()
fd = os.open("/run/netns/mytcp-nb", os.O_RDONLY)
if ctypes.CDLL(None, use_errno=True).setns(fd, 0x40000000):
    sys.exit("setns")
lb = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
try:
    lb.bind(("127.0.0.1", 7000)); lb.listen(4); r = "ready"
except OSError as e:
    r = "B: " + e.strerror
open(sys.argv[1], "w").write(r)
time.sleep(120)' "$ready" &
holder=$!
wait_until 150 test -s "$ready"
check "the same port in B binds and listens" test "$(cat "$ready")" = ready
rm -f "$ready"
check "A sees its connection" has_state mytcp-na 01
check "B sees its listener" has_state mytcp-nb 0A
check "B does not see A's connection" bash -c "! ip netns exec mytcp-nb grep -q ' 01 ' /proc/net/mytcp"
check "B counts no active open" \
	test "$(snmp_counter mytcp-nb 253 ActiveOpens)" = 0
check "A counts its active open" \
	test "$(snmp_counter mytcp-na 253 ActiveOpens)" = 1
check "B's in-use count is its listener" test "$(proto_inuse mytcp-nb)" = 1
check "A's in-use count is 3" test "$(proto_inuse mytcp-na)" = 3
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# Sysctls changed in A stay in A; init_net's values do not seed a new one.
declare -A setv=([syn_retries]=syn_retries=3
		 [tw_timeout_ms]=tw_timeout_ms=1234 [delack_ms]=delack_ms=0
		 [rmem]="rmem=4096 8192 16384"
		 [congestion_control]=congestion_control=reno)
# ns_sysctls NS: every net.mytcp value of NS as "name=value" lines, with
# a single process.
ns_sysctls() {
	ip netns exec "$1" bash -c 'for f in /proc/sys/net/mytcp/*; do
		read -r v <"$f"; echo "${f##*/}=${v//[[:space:]]/ }"; done'
}
declare -A defv
while IFS== read -r k v; do defv[$k]=$v; done < <(ns_sysctls mytcp-nb)
ip netns exec mytcp-na sysctl -qw "${setv[@]/#/net.mytcp.}" ||
	fail "sysctl -w in A"
seen=0
while IFS== read -r k v; do
	if [ -n "${setv[$k]:-}" ]; then
		[ "$v" = "${setv[$k]#*=}" ] || fail "$k in A is '$v'"
		seen=$((seen + 1))
	fi
done < <(ns_sysctls mytcp-na)
check "A holds the ${#setv[@]} values set there" test "$seen" = ${#setv[@]}
seen=0
while IFS== read -r k v; do
	[ "$v" = "${defv[$k]}" ] || fail "$k in B changed to '$v'"
	seen=$((seen + 1))
done < <(ns_sysctls mytcp-nb)
check "B's $seen values unchanged" test "$seen" -ge 20
ip netns exec mytcp-na sysctl -qw net.mytcp.enabled=0
check "enabled=0 in A: socket() fails with ENOPROTOOPT" \
	test "$(try_socket 253 mytcp-na)" = ENOPROTOOPT
check "... and works in B" test "$(try_socket 253 mytcp-nb)" = ok
check "... and in init_net" test "$(try_socket 253)" = ok
old=$(cat /proc/sys/net/mytcp/syn_retries)
sysctl -qw net.mytcp.syn_retries=2 net.mytcp.enabled=1
ns_create mytcp-nc
check "a new namespace starts from the defaults, not init_net's" \
	test "$(ip netns exec mytcp-nc cat /proc/sys/net/mytcp/syn_retries)" = 6
sysctl -qw net.mytcp.syn_retries="$old"
ns_cleanup
log "isolation done at $(elapsed "$start") s"

# --- deleting namespaces that hold everything ---------------------------

# populate: in the current namespace, every kind of mytcp state, held by
# this process until it is killed. TIME-WAIT lasts 3 s here: were an
# entry to outlive its namespace, its timer would fire during this test.
populate='
import socket, sys, time, errno
P = 253
open("/proc/sys/net/mytcp/tw_timeout_ms", "w").write("3000")
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, P)
ls.bind(("127.0.0.1", 7000)); ls.listen(16)
def pair():
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, P)
    c.connect(("127.0.0.1", 7000))
    s, _ = ls.accept()
    return c, s
def fill(c):
    c.setblocking(False)
    try:
        while True:
            c.send(b"u" * 65536)
    except BlockingIOError:
        pass
keep = []
c, s = pair(); c.send(b"a" * 1000); s.send(b"b" * 1000); keep += [c, s]
c, s = pair(); fill(c); keep += [c, s]           # unsent data
c, s = pair(); c.close(); keep.append(s)          # FIN-WAIT-2 orphan
c, s = pair(); fill(c); c.close(); keep.append(s) # FIN-WAIT-1 orphan
c, s = pair(); c.close(); s.recv(1); s.close()    # TIME-WAIT
for _ in range(2):                                # in the accept queue
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, P)
    c.connect(("127.0.0.1", 7000)); keep.append(c)
time.sleep(0.2)
st = sorted({l.split()[3] for l in open("/proc/net/mytcp").readlines()[1:]})
print("# states:", " ".join(st)); sys.stdout.flush()
ok = all(x in st for x in ("01", "04", "05", "06", "0A"))
open(sys.argv[1], "w").write("ready" if ok else "bad")
time.sleep(120)'

for round in 1 2; do
	ns_create mytcp-nd
	ip netns exec mytcp-nd python3 -c "$populate" "$ready" &
	holder=$!
	wait_until 150 test -s "$ready" || fail "round $round: set-up"
	[ "$(cat "$ready" 2>/dev/null)" = ready ] ||
		fail "round $round: not every state was reached"
	rm -f "$ready"
	check "round $round: objects allocated" test "$(slab_objects)" -gt "$base_slab"
	# Delete it while the process still holds its sockets; the
	# namespace goes once the process does.
	ip netns del mytcp-nd
	_mytcp_netns=()
	kill -9 "$holder"
	wait "$holder" 2>/dev/null
	t0=$EPOCHREALTIME
	wait_until 100 slab_back ||
		fail "round $round: $(slab_objects) slab objects left, $base_slab before"
	log "round $round: released in $(elapsed "$t0") s"
done

log "deletions done at $(elapsed "$start") s"

# A transfer running when its namespace goes: one namespace over lo, or
# two joined by veth deleted together; odd rounds kill the peers first.
# A kill landing as the server's handshake completes once left a child
# on the accept queue of a closed listener, never freed (NETNS_TRANSFERS
# sets the number of rounds).
for ((round = 1; round <= ${NETNS_TRANSFERS:-5}; round++)); do
	if [ $((round % 2)) = 1 ]; then
		ns_create mytcp-nt
		sns=mytcp-nt cns=mytcp-nt addr=127.0.0.1
	else
		path_pair mytcp-nu 10.9.0.1/24 mytcp-nv 10.9.0.2/24
		sns=mytcp-nv cns=mytcp-nu addr=10.9.0.2
	fi
	"$peer" -l $addr:7001 -P 253 -s 1000000000 -r 1000000000 -t 30 \
		-f "$ready" -N /run/netns/$sns >/dev/null 2>&1 &
	srv=$!
	wait_until 100 test -s "$ready" || fail "transfer $round: no listener"
	rm -f "$ready"
	"$peer" -c $addr:7001 -P 253 -s 1000000000 -r 1000000000 -t 30 \
		-N /run/netns/$cns >/dev/null 2>&1 &
	cli=$!
	nap 0.5
	has_state "$cns" 01 || fail "transfer $round: not established"
	if [ $((round % 2)) = 1 ]; then
		kill -9 $srv $cli
		ns_cleanup
	else
		ns_cleanup
		kill -9 $srv $cli
	fi
	wait $srv $cli 2>/dev/null
	t0=$EPOCHREALTIME
	wait_until 100 slab_back ||
		fail "transfer $round: $(slab_objects) slab objects left, $base_slab before"
	log "transfer $round: released in $(elapsed "$t0") s"
done

log "transfers done at $(elapsed "$start") s"
check "init_net's in-use count unchanged" test "$(proto_inuse)" = "$base_inuse"
t0=$EPOCHREALTIME
check "rmmod succeeds" mytcp_unload
took=$(elapsed "$t0")
log "rmmod took $took s"
# Module exit waits for sockets still alive: a leak would show here.
check "rmmod within $(slow 5) s" test "${took%.*}" -lt "$(slow 5)"
# The deleted namespaces' TIME-WAIT entries (3 s) would fire now.
nap 3.5
mytcp_restore_loaded
exit $ret
