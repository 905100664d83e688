#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mytcp_bench works: each mode once, briefly, on TCP and on mytcp, each in
# a fresh namespace over loopback, and every figure it prints is a sane
# number (rates and sizes above zero, TIME-WAIT entries after the
# closes). Judges nothing about speed: `make bench` measures.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
require_root
require_ko

BENCH=$(cd "$(dirname "$0")" && pwd)/mytcp_bench
[ -x "$BENCH" ] || { log "$BENCH missing: make -C selftests"; exit "$KSFT_FAIL"; }
# shellcheck disable=SC2119 # no module parameters
mytcp_loaded || mytcp_load || { fail "insmod"; exit "$ret"; }

n=0
# one PROTO ARGS...: one measurement in a namespace of its own; the JSON
# must parse and the fields named by the mode must be positive.
one() {
	local proto=$1 ns json
	shift
	n=$((n + 1))
	ns=bsmoke$n
	ns_create "$ns" || { fail "netns $ns"; return; }
	if ! json=$("$BENCH" --proto "$proto" --srv-ns "$ns" --cli-ns "$ns" \
			--server 127.0.0.1:5001 --json "$@" 2>&1); then
		fail "$proto $*: $json"
		return
	fi
	log "$json"
	check "$proto $*: sane JSON" python3 -c '
import json, sys
r = json.loads(sys.argv[1])
need = {"stream": ["bytes", "seconds", "gbps", "cpu_s_per_gb"],
	"rr": ["transactions", "tps", "p50_us", "p99_us"],
	"crr": ["connections", "cps", "p50_us", "p99_us"],
	"conns": ["timewait_objsize", "sock_objsize"]}[r["mode"]]
bad = [k for k in need if not r.get(k, 0) > 0]
# CPU time is read in scheduler ticks (4 ms at HZ=250): a transfer of a
# few ms may honestly measure none. Judged only when it took 20 ms.
if r["mode"] == "stream" and r["seconds"] < 0.02 and \
		r.get("cpu_s_per_gb") == 0 and "cpu_s_per_gb" in bad:
	bad.remove("cpu_s_per_gb")
# The slab growth of 50 sockets drowns in the rest of the slab churn
# (it came out negative for TCP once): a number, not judged.
if r["mode"] == "conns":
	if not isinstance(r.get("slab_bytes_per_socket"), (int, float)):
		bad.append("slab_bytes_per_socket")
	# Linux may still be moving them to TIME-WAIT when counted.
	if not r["timewait"] > 0:
		bad.append("timewait")
sys.exit("not sane: " + " ".join(bad) if bad else 0)
' "$json"
	ip netns del "$ns"
}

for proto in tcp mytcp; do
	one "$proto" --mode stream --size 65536 --bytes 4000000
	one "$proto" --mode stream --size 1024 --bytes 1000000
	one "$proto" --mode rr --count 200
	one "$proto" --mode crr --close fin --count 50
	one "$proto" --mode crr --close rst --count 50
	one "$proto" --mode conns --count 50
done
exit "$ret"
