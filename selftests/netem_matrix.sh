#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Reliable transfer over a bad network. Every scenario gets its own pair
# of namespaces ("nmx-NAME-a", the client, and "nmx-NAME-b", the server)
# joined by a veth pair with netem (or tbf, or a tc drop filter) on the
# path, and all scenarios run at once: the script lasts as long as its
# slowest scenario (the 30 s blackout). Each transfer goes both ways at
# once and is checked byte for byte by interop_peer (seeded streams).
#
#   loss1, loss5, loss20   netem loss 1%, 5%, 20% on both ends
#   burst                  Gilbert-Elliott burst loss (netem gemodel)
#   jitter                 50 ms delay, 10 ms jitter
#   reorder                10 ms delay, 25% of the packets sent at once
#   dup                    5% duplicated
#   corrupt                1% with a flipped bit: the checksum rejects
#                          them (InCsumErrors grows), the stream is intact
#   rate                   tbf 4 Mbit/s with an 8 KB queue
#   slowread               both readers take 128 KiB/s in 4 KiB reads
#   zerowin                both readers stop for 10 s (zero window,
#                          persist probes) and must resume promptly
#   parallel               20 connections at once over 2% loss
#   rto                    a 6 s blackhole (tc ingress drop on the
#                          server's veth, behind dumpcap's tap): the
#                          capture shows one segment retransmitted with
#                          gaps that double (RFC 6298 5.5)
#   ka_alive               an idle connection with SO_KEEPALIVE (idle 1 s,
#                          interval 1 s, 3 probes): probes and their ACKs
#                          on the wire, the connection still works after
#   ka_dead                the same with the server blackholed: the client
#                          fails with ETIMEDOUT after idle + probes * intvl
#   blackout               30 s of 100% loss with rto_max 2 s and retries2
#                          30: the transfer resumes within about rto_max
#                          of the end and completes
#   blackout_die           the same blackout with retries2 5: both ends
#                          fail with ETIMEDOUT within the bounds computed
#                          from the RTO backoff
#
# Environment: PROTO (or the first argument): 253, mytcp (default), or 6,
# the kernel's TCP as the reference (its net.ipv4.tcp_* sysctls, keepalive
# socket options, and the rto_min route attribute where there is no
# tcp_rto_min_us); NETEM_ONLY: the scenarios to run (names, space
# separated; default all); NETEM_KEEP: a directory to copy the logs and
# captures to. MYTCP_KO as for every test.
# shellcheck disable=SC2317 # the scenarios are called as "sc_$name"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
require_root

PROTO=${PROTO:-${1:-253}}
HERE=$(cd "$(dirname "$0")" && pwd)
PEER=$HERE/interop_peer
# The longest first: they bound the wall time.
ALL="blackout blackout_die rto ka_dead ka_alive zerowin parallel loss20
loss1 loss5 burst jitter reorder dup corrupt rate slowread"
read -r -d '' -a SCENARIOS <<<"${NETEM_ONLY:-$ALL}"
# Whole-run limit: no scenario waits longer than its peers' -t (<= 100 s).
LIMIT=${NETEM_LIMIT:-$(slow 150)}
tmp=$(mktemp -d /tmp/netem_matrix.XXXXXX)
declare -A sc_pid=()

# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	local pid
	for pid in "${sc_pid[@]}"; do
		kill -- "$pid" 2>/dev/null
	done
	ns_cleanup
	if [ -n "${NETEM_KEEP:-}" ]; then
		mkdir -p "$NETEM_KEEP" && cp -r "$tmp"/. "$NETEM_KEEP"/
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

for t in tc dumpcap tshark; do
	command -v "$t" >/dev/null || { log "SKIP: $t missing"; exit "$KSFT_SKIP"; }
done
[ -x "$PEER" ] || { log "$PEER missing: make -C selftests"; exit "$KSFT_FAIL"; }
case $PROTO in
6) ;;
253)
	require_ko
	# shellcheck disable=SC2119 # no module parameters
	mytcp_loaded || mytcp_load || { fail "insmod"; exit "$ret"; } ;;
*) log "PROTO must be 6 or 253"; exit "$KSFT_FAIL" ;;
esac
for m in veth sch_netem sch_tbf sch_ingress cls_matchall act_gact; do
	modprobe -q "$m" 2>/dev/null
done
# tshark reads mytcp's protocol number as TCP.
TSHARK=(tshark -n -d "ip.proto==$PROTO,tcp" -o tcp.desegment_tcp_streams:FALSE)

# --- inside a scenario (a background subshell) -----------------------------
# sc: its name; A, B: the client's and server's namespaces; AA, AB: their
# addresses. note/bad append to the scenario's report and failure list.

note() { echo "$*" >>"$tmp/$sc.log"; }
bad() { echo "$*" >>"$tmp/$sc.fail"; }

# both CMD ARGS...: CMD NS ARGS... for the client's and the server's side.
both() {
	local cmd=$1
	shift
	"$cmd" "$A" "$@" && "$cmd" "$B" "$@"
}

netem_both() { both netem veth0 "$@" || bad "tc netem $*"; }

# tbf NS ARGS...: a token bucket filter as veth0's root qdisc.
tbf() {
	local ns=$1
	shift
	tc -n "$ns" qdisc replace dev veth0 root tbf "$@"
}

# blackhole NS on|off: drop everything arriving on NS's veth0 (tc ingress,
# after the capture tap) or stop doing so.
blackhole() {
	if [ "$2" = on ]; then
		tc -n "$1" qdisc add dev veth0 clsact &&
		tc -n "$1" filter add dev veth0 ingress prio 1 matchall \
			action drop
	else
		tc -n "$1" qdisc del dev veth0 clsact
	fi
}

# start_pair PORT "SERVER ARGS" "CLIENT ARGS" [LIMIT]: a server in B on
# PORT, then a client in A, both in the background (spid[PORT],
# cpid[PORT]); outputs in $tmp/$sc.PORT.{srv,cli}.
declare -A spid=() cpid=()
start_pair() {
	local port=$1 limit=${4:-60} out=$tmp/$sc.$1
	# shellcheck disable=SC2086 # the argument strings are word lists
	"$PEER" -N "/run/netns/$B" -P "$PROTO" -l "$AB:$port" -f "$out.ready" \
		-t "$limit" $2 >"$out.srv" 2>&1 &
	spid[$port]=$!
	wait_until 300 test -s "$out.ready" ||
		{ bad "port $port: the server did not start"; return 1; }
	# shellcheck disable=SC2086
	"$PEER" -N "/run/netns/$A" -P "$PROTO" -c "$AB:$port" -t "$limit" \
		$3 >"$out.cli" 2>&1 &
	cpid[$port]=$!
}

# end_pair PORT [fail]: wait for both peers (their -t bounds it); both
# must succeed, or with "fail" both must have failed.
end_pair() {
	local port=$1 want=${2:-ok} out=$tmp/$sc.$1 crc src
	wait "${cpid[$port]}"
	crc=$?
	wait "${spid[$port]}"
	src=$?
	if [ "$want" = ok ] && [ $((crc + src)) -eq 0 ]; then
		note "port $port: $(peer_line "$out.srv" ok:)"
		return 0
	fi
	[ "$want" = fail ] && [ "$crc" -ne 0 ] && [ "$src" -ne 0 ] && return 0
	bad "port $port: client exit $crc, server exit $src"
	sed 's/^/  /' "$out.cli" "$out.srv" >>"$tmp/$sc.fail"
	return 1
}

# peer_line FILE WORD: the first line of FILE containing WORD.
peer_line() {
	local line
	while IFS= read -r line; do
		[[ $line == *"$2"* ]] && { echo "$line"; return 0; }
	done <"$1"
	return 1
}

# shellcheck disable=SC2317 # called through wait_until
established() { peer_line "$tmp/$sc.$1.cli" established >/dev/null 2>&1; }

# transfer SIZE [LIMIT] [SERVER ARGS] [CLIENT ARGS]: SIZE bytes each way at
# once on port 5000.
transfer() {
	start_pair 5000 "-s $1 -r $1 ${3:-}" "-s $1 -r $1 ${4:-}" "${2:-60}" &&
		end_pair 5000
}

# alive PID...: every PID still runs.
alive() {
	local p
	for p in "$@"; do
		kill -0 "$p" 2>/dev/null || return 1
	done
}

# exit_times T0 LIMIT PID...: wait (at most LIMIT tenths of a second) for
# the PIDs to end; print, per PID, the ms from T0 to its end seen in 0.1 s
# steps, or "-" if it did not end.
exit_times() {
	local t0=$1 n=$2 p
	local -A at=()
	shift 2
	while [ "$n" -gt 0 ] && [ "${#at[@]}" -lt $# ]; do
		for p in "$@"; do
			[ -z "${at[$p]:-}" ] && ! kill -0 "$p" 2>/dev/null &&
				at[$p]=$(((${EPOCHREALTIME/./} - ${t0/./}) / 1000))
		done
		n=$((n - 1))
		nap 0.1
	done
	for p in "$@"; do
		echo "${at[$p]:--}"
	done
}

# capture_start / capture_stop: dumpcap on B's veth0 into $tmp/$sc.pcapng.
capture_start() {
	ip netns exec "$B" dumpcap -q -i veth0 -f "ip proto $PROTO" \
		-w "$tmp/$sc.pcapng" 2>"$tmp/$sc.dumpcap" &
	cap=$!
	wait_until 300 test -s "$tmp/$sc.pcapng" ||
		{ bad "dumpcap did not start: $(<"$tmp/$sc.dumpcap")"; return 1; }
	nap 1	# the file header comes before the capture socket
}

capture_stop() {
	nap 0.5
	kill -INT "$cap" 2>/dev/null
	wait_until 100 gone "$cap" ||
		kill -KILL "$cap" 2>/dev/null
	wait "$cap" 2>/dev/null
}

# count_pkts FILTER: packets of the capture matching a tshark filter.
count_pkts() {
	"${TSHARK[@]}" -r "$tmp/$sc.pcapng" -Y "$1" 2>/dev/null | wc -l
}

# both_sysctl NAME=VALUE...: proto_sysctl on both sides; a knob that the
# protocol lacks is noted, not fatal.
both_sysctl() {
	both proto_sysctl "$PROTO" "$@" 2>/dev/null ||
		{ note "sysctl $* not (all) available for protocol $PROTO"; return 1; }
}

# --- the scenarios ----------------------------------------------------------

# Short RTOs keep lossy transfers quick under TCG, as lossy_transfer.sh.
fast_rto() { both rto_min "$PROTO" 50 || bad "rto_min 50 ms"; }

sc_loss1() { fast_rto; netem_both loss 1% && transfer 2M; }
sc_loss5() { fast_rto; netem_both loss 5% && transfer 1M; }
sc_loss20() { fast_rto; netem_both loss 20% && transfer 256K 90; }
# Good -> bad 2%, bad -> good 40%, 70% lost in bad, 0.1% in good: bursts
# of 2.5 packets on average, about 3.4% lost.
sc_burst() { fast_rto; netem_both loss gemodel 2% 40% 70% 0.1% && transfer 1M; }
sc_jitter() { netem_both delay 50ms 10ms && transfer 1M; }
sc_reorder() { fast_rto; netem_both delay 10ms reorder 25% 50% && transfer 1M; }
sc_dup() { netem_both duplicate 5% && transfer 2M; }

# csum_errors: InCsumErrors of both namespaces, summed.
csum_errors() {
	echo $(($(snmp_counter "$A" "$PROTO" InCsumErrors) +
		$(snmp_counter "$B" "$PROTO" InCsumErrors)))
}

sc_corrupt() {
	local before after
	fast_rto
	before=$(csum_errors)
	netem_both corrupt 1% && transfer 1M
	after=$(csum_errors)
	note "InCsumErrors of both namespaces: $before -> $after"
	[ "$after" -gt "$before" ] ||
		bad "no checksum error counted (InCsumErrors $before -> $after)"
}

sc_rate() {
	both tbf rate 4mbit burst 4k limit 8k || bad "tc tbf"
	transfer 1M
	note "tbf drops: $(tc -n "$A" -s qdisc show dev veth0 |
		grep -o 'dropped [0-9]*') (client), $(tc -n "$B" -s qdisc show \
		dev veth0 | grep -o 'dropped [0-9]*') (server)"
}

sc_slowread() {
	local t0=$EPOCHREALTIME t
	transfer 512K 60 "-L 128K" "-L 128K" || return
	t=$(elapsed "$t0")
	# 512 KiB at 128 KiB/s: 4 s at least, unless a reader cheated.
	[ "${t%.*}" -ge 3 ] || bad "512 KiB read at 128 KiB/s in $t s"
}

sc_zerowin() {
	local t0 t
	t0=$EPOCHREALTIME
	transfer 1M 60 "-d 10000" "-d 10000" || return
	t=$(elapsed "$t0")
	note "1 MiB each way with both readers stopped for 10 s: $t s"
	# Reading resumes at 10 s; the window must reopen on the receiver's
	# update, not wait for the sender's backed-off persist probe.
	if [ "${t%.*}" -lt 10 ] || [ "${t%.*}" -ge $((10 + $(slow 8))) ]; then
		bad "took $t s, expected 10 s + the transfer (< $((10 + $(slow 8))) s)"
	fi
}

sc_parallel() {
	local port n=20 rc=0
	fast_rto
	netem_both loss 2% || return
	for ((port = 5001; port <= 5000 + n; port++)); do
		start_pair "$port" "-s 128K -r 128K" "-s 128K -r 128K" 90 ||
			return
	done
	for ((port = 5001; port <= 5000 + n; port++)); do
		end_pair "$port" || rc=1
	done
	[ "$rc" -ne 0 ] || note "all $n connections complete"
}

# rto_gaps: the transmissions of the client's most often sent segment, the
# gaps between its retransmissions and whether each about doubles.
rto_gaps() {
	"${TSHARK[@]}" -r "$tmp/$sc.pcapng" \
		-Y "ip.src == $AA && tcp.len > 0" -T fields \
		-e frame.time_epoch -e tcp.seq_raw 2>/dev/null |
	awk '{ n[$2]++; t[$2] = t[$2] " " $1 }
	END {
		for (s in n) if (n[s] > best) { best = n[s]; seq = s }
		k = split(t[seq], x, " ")
		printf "segment %s sent %d times; gaps (s):", seq, k
		for (i = 2; i <= k; i++) printf " %.3f", x[i] - x[i - 1]
		# The first gap (original to first retransmission) includes
		# the time the original spent queued: judge the later ones.
		for (i = 4; i <= k; i++) {
			r = (x[i] - x[i - 1]) / (x[i - 1] - x[i - 2])
			printf "%s%.2f", i == 4 ? "; ratios " : " ", r
			if (r < 1.5 || r > 2.7) bad = 1
		}
		printf "\n"
		exit (k < 5 || bad)
	}'
}

sc_rto() {
	local out
	# Slow enough to be under way at the blackhole, with a short queue
	# so that the RTO stays near rto_min.
	netem_both rate 2mbit limit 10 || return
	capture_start || return
	start_pair 5000 "-s 1M -r 1M" "-s 1M -r 1M" 60 || return
	wait_until 300 established 5000 || bad "no connection"
	nap 0.5
	alive "${spid[5000]}" "${cpid[5000]}" || bad "transfer over before the blackhole"
	blackhole "$B" on || bad "blackhole on"
	# RTO >= 200 ms: at least 4 retransmissions in 6 s, and the 5th
	# (at 6.2 s or later) gets through.
	nap 6
	blackhole "$B" off || bad "blackhole off"
	end_pair 5000
	capture_stop
	out=$(rto_gaps) || bad "RTO backoff: $out"
	note "RTO backoff: $out"
}

# keepalive IDLE INTVL CNT: the client namespace's keepalive sysctls (ms)
# to the values its socket options ask for.
keepalive() {
	proto_sysctl "$A" "$PROTO" keepalive_time_ms=$(($1 * 1000)) \
		keepalive_intvl_ms=$(($2 * 1000)) keepalive_probes="$3" ||
		note "keepalive sysctls missing for protocol $PROTO"
}

sc_ka_alive() {
	local probes acks
	keepalive 1 1 3
	capture_start || return
	transfer 64K 40 "-I 6000" "-I 6000 -K 1,1,3"
	capture_stop
	probes=$(count_pkts "ip.src == $AA && tcp.analysis.keep_alive")
	acks=$(count_pkts "ip.src == $AB && tcp.analysis.keep_alive_ack")
	note "6 s idle, keepalive 1 s: $probes probes, $acks answers"
	if [ "$probes" -lt 3 ] || [ "$acks" -lt 3 ]; then
		bad "$probes keepalive probes and $acks answers in 6 s idle (want >= 3 each)"
	fi
}

sc_ka_dead() {
	local idle=2 intvl=1 cnt=3 out ms probes
	keepalive "$idle" "$intvl" "$cnt"
	capture_start || return
	start_pair 5000 "-I 30000" "-I 30000 -K $idle,$intvl,$cnt" 40 || return
	wait_until 300 established 5000 || bad "no connection"
	blackhole "$B" on || bad "blackhole on"
	# The expected end plus slack, then neither peer is waited for.
	wait_until $(((idle + (cnt + 1) * intvl) * 10 + 30)) gone "${cpid[5000]}"
	kill "${spid[5000]}" "${cpid[5000]}" 2>/dev/null
	end_pair 5000 fail
	capture_stop
	probes=$(count_pkts "ip.src == $AA && tcp.analysis.keep_alive")
	# "quiet for 5.003 s, then: Connection timed out" (interop_peer -I)
	out=$(peer_line "$tmp/$sc.5000.cli" "quiet for") ||
		{ bad "the client did not fail while idle"; return; }
	note "client: ${out#*: }; $probes probes seen"
	[[ $out == *"Connection timed out" ]] || bad "not ETIMEDOUT: $out"
	ms=$(awk '{ for (i = 1; i < NF; i++) if ($i == "for") print int($(i + 1) * 1000) }' <<<"$out")
	if [ "${ms:-0}" -lt $(((idle + cnt * intvl) * 1000 - 500)) ] ||
	   [ "${ms:-0}" -gt "$(slow $(((idle + (cnt + 1) * intvl) * 1000 + 2000)))" ]; then
		bad "ETIMEDOUT after $ms ms, expected about $(((idle + cnt * intvl) * 1000))"
	fi
	[ "$probes" -ge $((cnt - 1)) ] || bad "$probes probes on the wire, expected $cnt"
}

# blackout_setup RETRIES2: rto_max 2 s where the protocol has the knob
# (sets has_rto_max), retries2, a 4 Mbit/s 5 ms path with a 10 packet
# queue (the RTO stays near rto_min) and a transfer of
# 1 MiB each way on port 5000 that is under way when it returns.
blackout_setup() {
	has_rto_max=1
	both_sysctl rto_max_ms=2000 || has_rto_max=
	both_sysctl retries2="$1" || bad "retries2"
	netem_both delay 5ms rate 4mbit limit 10 || return 1
	start_pair 5000 "-s 1M -r 1M" "-s 1M -r 1M" 100 || return 1
	wait_until 300 established 5000 || bad "no connection"
	nap 0.5
	alive "${spid[5000]}" "${cpid[5000]}" ||
		{ bad "transfer over before the blackout"; return 1; }
}

sc_blackout() {
	local t
	blackout_setup 30 || return
	netem_both loss 100%
	nap 30
	netem_both delay 5ms rate 4mbit limit 10
	t=$EPOCHREALTIME
	end_pair 5000 || return
	t=$(elapsed "$t")
	note "finished $t s after the 30 s blackout"
	if [ -n "$has_rto_max" ]; then
		# The next retransmission comes within rto_max (2 s); the
		# rest of the transfer takes at most a few seconds.
		[ "${t%.*}" -lt "$(slow 8)" ] || bad "finished too late: $t s after the blackout"
	else
		note "no rto_max knob for protocol $PROTO: resume time not judged"
	fi
}

# death_bounds R: lowest and highest ms from the start of a blackout to
# ETIMEDOUT with retries2 R. mytcp gives up at the (R+1)th expiry: the sum
# of RTO * 2^i, each capped at rto_max (2 s), for i = 0..R; RTO is at least
# rto_min (200 ms), at most 4 * rto_min here (5 ms path, small queue).
# Linux converts tcp_retries2 into a time, (2^(R+1) - 1) * 200 ms, and
# gives up at the first expiry past it: at most about twice that. The
# highest is scaled by MYTCP_SLOW: a debug kernel running the 17
# scenarios at once fires every timer late.
death_bounds() {
	local r=$1 i lo=0 hi=0 model
	if [ "$PROTO" = 6 ]; then
		model=$((((2 << r) - 1) * 200))
		echo $((model - 500)) $(slow $((2 * model + 2000)))
		return
	fi
	for ((i = 0; i <= r; i++)); do
		lo=$((lo + ((200 << i) < 2000 ? (200 << i) : 2000)))
		hi=$((hi + ((800 << i) < 2000 ? (800 << i) : 2000)))
	done
	echo $((lo - 500)) $(slow $((hi + 2000)))
}

sc_blackout_die() {
	local r=5 t lo hi ms role
	blackout_setup "$r" || return
	[ -n "$has_rto_max" ] || [ "$PROTO" = 6 ] ||
		bad "no rto_max_ms knob (the bounds assume rto_max_ms 2000)"
	read -r lo hi <<<"$(death_bounds "$r")"
	t=$EPOCHREALTIME
	netem_both loss 100%
	read -r -d '' -a ms < <(exit_times "$t" 450 "${cpid[5000]}" "${spid[5000]}")
	end_pair 5000 fail || return
	note "ETIMEDOUT expected $lo-$hi ms into the blackout; client ${ms[0]} ms, server ${ms[1]} ms"
	for role in cli srv; do
		peer_line "$tmp/$sc.5000.$role" "Connection timed out" >/dev/null ||
			bad "$role: not ETIMEDOUT: $(<"$tmp/$sc.5000.$role")"
	done
	for t in "${ms[@]}"; do
		if [ "$t" = - ] || [ "$t" -lt "$lo" ] || [ "$t" -gt "$hi" ]; then
			bad "ETIMEDOUT after $t ms, expected $lo-$hi ms"
		fi
	done
}

# --- the run ----------------------------------------------------------------

# run_scenario NAME INDEX: set up NAME's namespaces and run it.
run_scenario() {
	sc=$1 A=nmx-$1-a B=nmx-$1-b AA=10.201.$2.1 AB=10.201.$2.2
	local t0=$EPOCHREALTIME
	if path_pair "$A" "$AA/24" "$B" "$AB/24"; then
		"sc_$sc"
	else
		bad "namespaces and veth"
	fi
	elapsed "$t0" >"$tmp/$sc.time"
	[ ! -s "$tmp/$sc.fail" ]
}

# shellcheck disable=SC2317 # called through wait_until
all_done() {
	local p
	for p in "${sc_pid[@]}"; do
		kill -0 "$p" 2>/dev/null && return 1
	done
	return 0
}

nap 0	# one FIFO for every scenario's naps
log "protocol $PROTO, scenarios: ${SCENARIOS[*]}"
t0=$EPOCHREALTIME
i=0
for sc in "${SCENARIOS[@]}"; do
	i=$((i + 1))
	declare -F "sc_$sc" >/dev/null || { fail "no scenario '$sc'"; continue; }
	# The parent removes the namespaces even if a scenario is killed.
	_mytcp_netns+=("nmx-$sc-a" "nmx-$sc-b")
	run_scenario "$sc" "$i" &
	sc_pid[$sc]=$!
done
if ! wait_until $((LIMIT * 10)) all_done; then
	fail "scenarios still running after $LIMIT s: killed"
	kill -- "${sc_pid[@]}" 2>/dev/null
fi
wait
for sc in "${SCENARIOS[@]}"; do
	[ -n "${sc_pid[$sc]:-}" ] || continue
	t=$(cat "$tmp/$sc.time" 2>/dev/null || echo '?')
	if [ -s "$tmp/$sc.fail" ] || [ ! -e "$tmp/$sc.time" ]; then
		fail "$sc ($t s)"
		sed 's/^/#   /' "$tmp/$sc.fail" "$tmp/$sc.log" 2>/dev/null
	else
		log "ok: $sc ($t s)"
		sed 's/^/#   /' "$tmp/$sc.log" 2>/dev/null
	fi
done
log "protocol $PROTO: wall time $(elapsed "$t0") s"
exit "$ret"
