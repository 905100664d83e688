#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Goodput of mytcp next to the kernel's TCP on the same path and in the same
# VM: GOODPUT_BYTES (50M: 50 MiB) one way, client to server, over a veth
# pair whose client end has netem "delay 20ms loss 1%" (20 ms RTT, 1% of
# the data segments lost, ACKs untouched), no TSO/GSO. Runs alternate TCP
# and mytcp; each stream is checked byte for byte (interop_peer) and its
# goodput is the server's: bytes received * 8 / time from accept() to the
# client's FIN. Prints Mbit/s median, min and max per protocol. Not part of
# `make check` (minutes under TCG): `make goodput` runs it.
#
# Environment: GOODPUT_RUNS (3 per protocol; 1 with GOODPUT_QUICK=1),
# GOODPUT_BYTES, GOODPUT_NETEM (the netem arguments), GOODPUT_LIMIT (600:
# seconds per run), MYTCP_KO.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
require_root
require_ko

PEER=$(cd "$(dirname "$0")" && pwd)/interop_peer
runs=${GOODPUT_RUNS:-$([ -n "${GOODPUT_QUICK:-}" ] && echo 1 || echo 3)}
bytes=${GOODPUT_BYTES:-50M}
read -r -a path <<<"${GOODPUT_NETEM:-delay 20ms loss 1%}"
limit=${GOODPUT_LIMIT:-600}
tmp=$(mktemp -d /tmp/goodput.XXXXXX)
declare -A rates=([6]="" [253]="")
declare -A names=([6]=TCP [253]=mytcp)

# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	ns_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT

[ -x "$PEER" ] || { log "$PEER missing: make -C selftests"; exit "$KSFT_FAIL"; }
# shellcheck disable=SC2119 # no module parameters
mytcp_loaded || mytcp_load || { fail "insmod"; exit "$ret"; }
modprobe -q veth 2>/dev/null
modprobe -q sch_netem 2>/dev/null
if ! path_pair gp-cli 10.202.1.1/24 gp-srv 10.202.1.2/24 ||
   ! netem gp-cli veth0 "${path[@]}"; then
	fail "set-up"
	exit "$ret"
fi

# one PROTO RUN: one transfer; its Mbit/s appended to rates[PROTO].
one() {
	local proto=$1 port=$((6000 + $2)) out=$tmp/$1.$2 spid crc src mbit
	rm -f "$out.ready"
	"$PEER" -N /run/netns/gp-srv -P "$proto" -l "10.202.1.2:$port" \
		-f "$out.ready" -r "$bytes" -t "$limit" >"$out.srv" 2>&1 &
	spid=$!
	wait_until 300 test -s "$out.ready" || { fail "server did not start"; return; }
	"$PEER" -N /run/netns/gp-cli -P "$proto" -c "10.202.1.2:$port" \
		-s "$bytes" -t "$limit" >"$out.cli" 2>&1
	crc=$?
	wait "$spid"
	src=$?
	if [ "$crc" -ne 0 ] || [ "$src" -ne 0 ]; then
		fail "${names[$proto]} run $2: client exit $crc, server exit $src"
		sed 's/^/#   /' "$out.cli" "$out.srv"
		return
	fi
	# "server: ok: sent 0 received N in T s (R Mbit/s) end fin"
	mbit=$(sed -n 's/.*(\([0-9.]*\) Mbit\/s).*/\1/p' "$out.srv")
	log "${names[$proto]} run $2: $(sed -n 's/^server: ok: //p' "$out.srv")"
	rates[$proto]+=" $mbit"
}

log "$bytes one way, netem '${path[*]}' on the client's veth, $runs run(s) per protocol"
for ((run = 1; run <= runs; run++)); do
	one 6 "$run"
	one 253 "$run"
done

log "protocol  runs  median Mbit/s  min    max"
for proto in 6 253; do
	# shellcheck disable=SC2086 # the list of numbers
	printf '%s\n' ${rates[$proto]} | sort -n | awk -v p="${names[$proto]}" '
		{ v[NR] = $1 }
		END {
			if (!NR) { printf "# %-8s  0\n", p; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "# %-8s  %4d  %13.1f  %-5.1f  %.1f\n", p, NR, m, v[1], v[NR]
		}'
done
exit "$ret"
