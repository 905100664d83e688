#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mytcp against the kernel's own TCP. Two namespaces joined by a veth
# pair: "m" opens mytcp sockets (protocol 253), "l" plain TCP ones. tc
# filters on m's veth rewrite the IP protocol byte (tcp_wire in lib.sh),
# so l only ever sees protocol 6 and mytcp only 253. Every transfer is a
# seeded pseudo-random stream checked byte for byte (interop_peer).
#
# Covered, with mytcp as client and as server: the handshake with Linux's
# SACK, timestamps, window scaling and ECN on and off; bulk transfers each
# way and full duplex; the same over netem loss and reordering; close
# started by either end; simultaneous close; shutdown(SHUT_WR) half-close; RST both ways
# (SO_LINGER 0); a receiver that stops reading (zero window); keepalive
# probes both ways; a smaller
# MSS on Linux's side; urgent data both ways, inline and out of line;
# a new SYN reopening a
# TIME-WAIT entry of either stack. Around every step Linux's SNMP
# counters in l (nstat's) and mytcp's in m must show no error. A capture
# on l's veth must hold only protocol 6, no malformed packet, no bad
# checksum (tshark), SYN options as RFC 7323/2018 negotiate them (a SYN-ACK
# answers only what the SYN offered; timestamps and SACK blocks later only
# when agreed, timestamps then on every mytcp segment), no mytcp segment
# past Linux's window or MSS. Documentation/interop.rst
# has the details.
#
# Two passes: veth's TX checksum offload on (the default; both stacks
# hand CHECKSUM_PARTIAL packets to veth, so the capture holds pseudo-header
# sums, checked as such), then off on both ends (software checksums
# everywhere: tshark must find every one good). netem runs in the first.
#
# Environment: MYTCP_KO (mytcp.ko); INTEROP_BULK (default 4M) and
# INTEROP_DUPLEX (2M): bulk sizes of the first pass, one way and each way
# at once; INTEROP_BULK_OFF (1M): both in the second pass;
# INTEROP_NETEM_BYTES (default 1M); INTEROP_PASSES (default "on off");
# INTEROP_KEEP: a directory to copy the captures and peer logs to.
# INTEROP_ONLY: run only these steps (e.g. "urgent"; names as the
# step_* functions), in each pass; the capture checks still run.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
require_root
require_ko

HERE=$(cd "$(dirname "$0")" && pwd)
PEER=$HERE/interop_peer
NS_M=mytcp-im
NS_L=mytcp-il
ADDR_M=10.253.1.1
ADDR_L=10.253.1.2
REF_M=10.253.2.1
REF_L=10.253.2.2
NETEM_BYTES=${INTEROP_NETEM_BYTES:-1M}
PASSES=${INTEROP_PASSES:-on off}
# tshark hands every payload to "data": the payload is random bytes that
# port-based or heuristic dissectors (Thrift, ...) would misread.
TSHARK=(tshark -n -d "tcp.port==20000-20999,data"
	-o tcp.check_checksum:TRUE -o tcp.desegment_tcp_streams:FALSE)
# Malformed packets and bad TCP checksums. 0xffff where 0x0000 is due is
# the same sum (RFC 1624 5): the kernel's skb_checksum_help() writes it
# (CSUM_MANGLED_0) when it finishes a CHECKSUM_PARTIAL packet in software.
BAD_FILTER='_ws.malformed || (tcp.checksum.status == "Bad" && !(tcp.checksum == 0xffff && tcp.checksum_calculated == 0x0000))'
port=20000
runs=0
tmp=$(mktemp -d /tmp/interop.XXXXXX)
cap_pid=
anchor_m=
anchor_l=
summary=()
challenged=()

# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	local pid
	for pid in $cap_pid $anchor_m $anchor_l; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	ns_cleanup
	rm -f "$tmp/ready"
	if [ -n "${INTEROP_KEEP:-}" ]; then
		mkdir -p "$INTEROP_KEEP" && cp -r "$tmp"/. "$INTEROP_KEEP"/
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

for t in tc ethtool nstat dumpcap tshark nsenter; do
	command -v "$t" >/dev/null || { log "SKIP: $t missing"; exit "$KSFT_SKIP"; }
done
[ -x "$PEER" ] || { log "$PEER missing: make -C selftests"; exit "$KSFT_FAIL"; }
# shellcheck disable=SC2119 # no module parameters
mytcp_loaded || mytcp_load || { fail "insmod"; exit "$ret"; }
for m in veth sch_netem; do
	modprobe -q "$m" 2>/dev/null
done

# --- counters ---------------------------------------------------------------

# Linux's counters that no mytcp segment may move, ever (unless a step
# expects it to: the RST steps). Anything malformed, refused, reset,
# aborted or dropped shows up in one of these.
LINUX_ERRORS="IpInHdrErrors IpInAddrErrors IpInUnknownProtos IpInDiscards
IpExtInCsumErrors IcmpInErrors IcmpOutErrors IcmpInDestUnreachs
IcmpOutDestUnreachs TcpAttemptFails TcpEstabResets TcpInErrs
TcpInCsumErrors TcpExtEmbryonicRsts TcpExtListenOverflows
TcpExtListenDrops TcpExtTCPReqQFullDrop TcpExtTCPAbortOnData
TcpExtTCPAbortOnClose TcpExtTCPAbortOnMemory TcpExtTCPAbortOnTimeout
TcpExtTCPAbortOnLinger TcpExtTCPAbortFailed TcpExtTCPBacklogDrop
TcpExtTCPRcvQDrop TcpExtTCPZeroWindowDrop TcpExtTCPOFODrop
TcpExtTCPMinTTLDrop TcpExtTCPChallengeACK TcpExtTCPSYNChallenge
TcpExtTCPSACKReneging TcpExtTCPSACKDiscard TcpExtPAWSActive
TcpExtTCPACKSkippedSynRecv TcpExtTCPACKSkippedChallenge TcpExtTCPMD5Unexpected
TcpExtOutOfWindowIcmps TcpExtLockDroppedIcmps"
# Zero on a clean path; with netem only reported: an old ACK reordered
# behind the last ACK of a connection meets a closed socket (an RST) or
# falls out of window, a lost retransmission ends recovery.
LINUX_CLEAN="TcpOutRsts TcpExtTCPTimeouts TcpExtTCPACKSkippedFinWait2
TcpExtTCPACKSkippedTimeWait TcpExtTCPRenoFailures TcpExtTCPLossFailures
TcpExtTCPSpuriousRTOs"
# Reported, never judged. veth reorders now and then even without netem
# (packets sent on two CPUs wait in two backlogs): retransmissions on
# duplicate ACKs are no error, nor is an ACK that a reordered older one
# overtook (out of window: ACKSkippedSeq; with timestamps an older TSval,
# so PAWSEstab and ACKSkippedPAWS on either side: a pure ACK is sent from
# softirq and from the reader's context, on two CPUs), nor a zero window
# probe.
LINUX_INFO="TcpExtPAWSEstab TcpExtTCPACKSkippedPAWS TcpRetransSegs TcpExtTCPACKSkippedSeq TcpExtTCPLossProbes TcpExtTCPRenoRecovery
TcpExtTCPFastRetrans TcpExtTCPSlowStartRetrans TcpExtTCPLostRetransmit
TcpExtTCPRenoReorder TcpExtTCPOFOQueue TcpExtTCPToZeroWindowAdv
TcpExtTCPFromZeroWindowAdv"
# The same for mytcp: m's /proc/net/mytcp_snmp.
MYTCP_ERRORS="MytcpInErrs MytcpInCsumErrors MytcpInHdrErrors
MytcpAttemptFails MytcpEstabResets MytcpListenOverflows MytcpListenDrops
MytcpTCPChallengeACK MytcpTCPTimeouts MytcpTCPKeepAliveTimeouts"
MYTCP_CLEAN="MytcpOutRsts MytcpNoSocketDrops MytcpTCPBacklogDrop
MytcpTCPRcvQDrop"
MYTCP_INFO="MytcpRetransSegs MytcpTCPFastRetrans MytcpTCPOFOQueue
MytcpTCPSackRecovery MytcpTCPRenoRecovery MytcpTCPWinProbe MytcpDelayedACKs
MytcpTCPKeepAliveProbes MytcpPAWSEstabRejected"

# snap NAME: every counter of l (/proc/net/snmp and netstat, the files
# nstat reads) and of mytcp in m, read through the anchor processes
# living in those namespaces, into the associative array NAME.
snap() {
	[ "$1" = before ] && snap_port=$port
	unset "$1"
	declare -gA "$1=()"
	counters_load "$1" "/proc/$anchor_l/net/snmp" \
		"/proc/$anchor_l/net/netstat" "/proc/$anchor_m/net/mytcp_snmp"
}

# judge STEP EXPECT [lossy]: compare the snapshots "before" and "after".
# EXPECT lists NAME=N for counters that must grow by exactly N; every
# other error counter must not move. "lossy" (netem on the path) turns
# the *_CLEAN counters into a report.
judge() {
	local step=$1 lossy=${3:-} name d kv
	local errs="$LINUX_ERRORS $MYTCP_ERRORS" rep=
	local info="$LINUX_INFO $MYTCP_INFO"
	local -A want=()
	for kv in $2; do
		want[${kv%%=*}]=${kv#*=}
	done
	if [ -n "$lossy" ]; then
		info="$info $LINUX_CLEAN $MYTCP_CLEAN"
	else
		errs="$errs $LINUX_CLEAN $MYTCP_CLEAN"
	fi
	local chal=0
	for name in $errs "${!want[@]}"; do
		d=$((${after[$name]:-0} - ${before[$name]:-0}))
		[ "$d" -eq "${want[$name]:-0}" ] && continue
		# Challenge ACKs (sent or rate-limited) are judged once the
		# capture says which mytcp segments drew them: see
		# challenge_suspects.
		if [ -n "$cap_pid" ] && [ -z "${want[$name]:-}" ] && [ "$d" -gt 0 ] &&
		   { [ "$name" = TcpExtTCPChallengeACK ] ||
		     [ "$name" = TcpExtTCPACKSkippedChallenge ]; }; then
			chal=$((chal + d))
			log "  $name grew by $d: judged after the capture"
			continue
		fi
		fail "$step: $name grew by $d, expected ${want[$name]:-0}"
	done
	((chal == 0)) ||
		challenged+=("$step|$((snap_port < last_port ? snap_port + 1 : last_port))|$last_port|$chal")
	for name in $info; do
		d=$((${after[$name]:-0} - ${before[$name]:-0}))
		[ "$d" -eq 0 ] || rep="$rep ${name#TcpExt}=$d"
	done
	[ -z "$rep" ] || log "  counters:$rep"
}

# challenge_suspects LO HI: the mytcp segments in the capture, on
# connections with a port in [LO, HI], that Linux answers with a challenge
# ACK (RFC 5961; tcp_validate_incoming(), tcp_ack()): an RST, a SYN after
# the handshake, an ACK of data Linux never sent, an ACK below one mytcp
# had already delivered (Linux challenges it when it is older than
# SND.UNA - MAX.SND.WND) - with the frame number, the ACK and TSval, and
# whether either end's FIN had passed. The capture is taken in l, in the
# order Linux received the segments. An ACK below an earlier one whose
# TSval is not above that one's was sent no later than it: veth delivered
# them out of order (each CPU's backlog; a vCPU the host preempts holds
# its own back), which Linux TCP's ACKs meet too. One with a later TSval
# was built with a stale ACK: a mytcp bug. The last line is
# "verdict REORDERED OTHER": OTHER counts every segment not explained by
# reordering.
challenge_suspects() {
	"${TSHARK[@]}" -r "$tmp/cap.pcapng" -o tcp.relative_sequence_numbers:FALSE \
		-T fields -E separator='|' -e frame.number -e ip.src \
		-e tcp.srcport -e tcp.dstport -e tcp.flags.syn -e tcp.flags.fin \
		-e tcp.flags.ack -e tcp.flags.reset -e tcp.seq -e tcp.ack \
		-e tcp.len -e tcp.options.timestamp.tsval 2>/dev/null |
	awk -F'|' -v m="$ADDR_M" -v lo="$1" -v hi="$2" '
	function on(x) { return x == "1" || x == "True" }
	# b - a in sequence space, as a signed 32-bit number
	function diff(a, b,  d) {
		d = (b - a) % 4294967296
		if (d < 0) d += 4294967296
		return d >= 2147483648 ? d - 4294967296 : d
	}
	function say(what, reordered) {
		printf "#   frame %s, mytcp port %s: %s (ACK %s, TSval %s%s)\n",
			$1, k, what, $10, $12, (k in fin) ? ", after a FIN" : ""
		if (reordered) nr++; else nb++
	}
	$3 == "" { next }
	{
		if ($2 == m) { mp = $3; lp = $4 } else { mp = $4; lp = $3 }
		if ((mp < lo || mp > hi) && (lp < lo || lp > hi)) next
		k = mp
		if ($2 != m) {
			if (on($5)) {
				delete top[k]; delete fin[k]; delete est[k]
				lnxt[k] = $9 + 1
				next
			}
			est[k] = 1
			e = $9 + $11 + on($6)
			if (!(k in lnxt) || diff(lnxt[k], e) > 0) lnxt[k] = e
			if (on($6)) fin[k] = 1
			next
		}
		if (on($5)) {
			if ((k in est) && !(k in fin)) say("SYN after the handshake")
			if (k in fin) {
				delete top[k]; delete fin[k]; delete est[k]; delete lnxt[k]
			}
			next
		}
		est[k] = 1
		if (on($8)) say("RST, SEQ " $9)
		if (on($7)) {
			if ((k in lnxt) && diff(lnxt[k], $10) > 0)
				say("ACK of " diff(lnxt[k], $10) " bytes Linux never sent")
			if ((k in top) && diff(top[k], $10) < 0) {
				r = $12 != "" && topts[k] != "" && diff($12, topts[k]) >= 0
				say("ACK " (-diff(top[k], $10)) " bytes below one already delivered, " \
				    (r ? "reordered, TSval not above that of the higher ACK, " : "stale, built after the higher ACK with TSval ") topts[k], r)
			} else {
				top[k] = $10
				topts[k] = $12
			}
		}
		if (on($6)) fin[k] = 1
	}
	END {
		if (!nr && !nb) print "#   none found"
		print "verdict", nr + 0, nb + 0
	}'
}

# After the pass (the capture complete): what drew each step's N challenge
# ACKs. Reordering by veth explains them only when no suspect is anything
# else and at least N suspects were reordered; otherwise the step fails.
explain_challenges() {
	local entry step lo hi n out nr nb
	for entry in "${challenged[@]}"; do
		IFS='|' read -r step lo hi n <<<"$entry"
		log "$step: mytcp segments that draw challenge ACKs (ports $lo-$hi):"
		out=$(challenge_suspects "$lo" "$hi")
		grep -v '^verdict' <<<"$out"
		read -r _ nr nb < <(grep '^verdict' <<<"$out")
		check "$step: $n challenge ACKs, all drawn by ACKs veth reordered ($nr reordered, ${nb:-?} other)" \
			test "${nb:-1}" -eq 0 -a "${nr:-0}" -ge "$n"
	done
	challenged=()
}

# nstat_pass FILE: Linux's own view, "nstat -az" in l, for the pass report.
nstat_pass() {
	ip netns exec "$NS_L" nstat -az >"$1" 2>&1
}

# nstat_report BEFORE AFTER: the checked counters that moved in a pass.
nstat_report() {
	local -A b=() a=()
	local name v rest out=
	while read -r name v rest; do b[$name]=$v; done <"$1"
	while read -r name v rest; do a[$name]=$v; done <"$2"
	for name in $LINUX_ERRORS $LINUX_CLEAN; do
		v=$((${a[$name]:-0} - ${b[$name]:-0}))
		[ "$v" -eq 0 ] || out="$out $name=$v"
	done
	log "nstat -az in $NS_L over the pass, checked counters that moved:${out:- none}"
}

# --- set-up -----------------------------------------------------------------

setup() {
	ns_create "$NS_M" "$NS_L" || return 1
	# One idle process in each namespace: /proc/PID/net/ shows that
	# namespace's files to this shell without starting anything.
	ip netns exec "$NS_M" sleep 900 &
	anchor_m=$!
	ip netns exec "$NS_L" sleep 900 &
	anchor_l=$!
	mkfifo "$tmp/ready" && exec {ready_fd}<>"$tmp/ready" || return 1
	veth_pair "$NS_M" "$ADDR_M/24" "$NS_L" "$ADDR_L/24" || return 1
	neigh_pin "$NS_M" "$ADDR_M" "$NS_L" "$ADDR_L" || return 1
	tcp_wire "$NS_M" veth0 || return 1
	# A second, unfiltered pair: kernel TCP to kernel TCP, the reference.
	ip link add veth1 netns "$NS_M" type veth peer name veth1 netns "$NS_L" &&
	ip -n "$NS_M" addr add "$REF_M/24" dev veth1 &&
	ip -n "$NS_L" addr add "$REF_L/24" dev veth1 &&
	ip -n "$NS_M" link set veth1 up &&
	ip -n "$NS_L" link set veth1 up
}

# offload on|off: veth's TX checksum offload (TSO goes with it) on both
# ends of the mytcp pair.
offload() {
	ip netns exec "$NS_M" ethtool -K veth0 tx "$1" >/dev/null 2>&1 &&
	ip netns exec "$NS_L" ethtool -K veth0 tx "$1" >/dev/null 2>&1
}

# linux_options 0|1|default: SACK, timestamps, window scaling and (1:
# asked for in SYNs) ECN in l.
linux_options() {
	local v=$1 ecn=$1
	[ "$v" = default ] && v=1 ecn=2
	ip netns exec "$NS_L" sysctl -q -w net.ipv4.tcp_sack="$v" \
		net.ipv4.tcp_timestamps="$v" net.ipv4.tcp_window_scaling="$v" \
		net.ipv4.tcp_ecn="$ecn"
}

capture_start() {
	rm -f "$tmp/cap.pcapng"
	ip netns exec "$NS_L" dumpcap -q -B 64 -i veth0 \
		-w "$tmp/cap.pcapng" 2>"$tmp/dumpcap.err" &
	cap_pid=$!
	wait_until 300 test -s "$tmp/cap.pcapng" ||
		{ fail "dumpcap did not start"; cat "$tmp/dumpcap.err"; }
	# The file header is written before the socket is bound.
	nap 1
}

capture_stop() {
	nap 0.5
	kill -INT "$cap_pid" 2>/dev/null
	wait_until 100 capture_gone || kill -KILL "$cap_pid" 2>/dev/null
	wait "$cap_pid" 2>/dev/null
	cap_pid=
	sed -n 's/^Packets received\/dropped/# dumpcap: &/p' "$tmp/dumpcap.err"
}

# shellcheck disable=SC2317 # called through wait_until
capture_gone() {
	! kill -0 "$cap_pid" 2>/dev/null
}

# --- one connection ---------------------------------------------------------

# run_pair LABEL SIDE "SERVER ARGS" "CLIENT ARGS" [LIMIT] [HOW]: one
# connection whose server runs in SIDE (m: mytcp, l: Linux) and whose
# client runs in the other namespace. Each run has its own server port
# and streams; HOW "again" reuses the last port, "ref" puts kernel TCP on
# both ends of the unfiltered pair. Sets $last_port and $last_out (the
# outputs, $tmp/<n>.{srv,cli}). The peers enforce LIMIT themselves (poll
# time-outs on non-blocking sockets).
run_pair() {
	local label=$1 side=$2 sargs=$3 cargs=$4 limit=${5:-30} path=${6:-}
	local sns cns sproto cproto saddr spid src crc t0
	[ "$path" = again ] || port=$((port + 1))
	runs=$((runs + 1))
	last_port=$port
	last_out=$tmp/$runs
	if [ "$side" = m ]; then
		sns=$NS_M cns=$NS_L sproto=253 cproto=6 saddr=$ADDR_M
	else
		sns=$NS_L cns=$NS_M sproto=6 cproto=253 saddr=$ADDR_L
	fi
	if [ "$path" = ref ]; then
		sproto=6 cproto=6 saddr=$REF_L
	fi
	t0=$EPOCHREALTIME
	# shellcheck disable=SC2086 # the argument strings are word lists
	"$PEER" -N "/run/netns/$sns" -P "$sproto" -l "$saddr:$port" \
		-f "$tmp/ready" -t "$limit" -S $((port * 2 + 1)) -R $((port * 2)) \
		$sargs >"$last_out.srv" 2>&1 &
	spid=$!
	if ! read -r -t 30 -u "$ready_fd" _; then
		fail "$label: server did not start"
		kill "$spid" 2>/dev/null
		wait "$spid"
		prefix "$last_out.srv"
		return 1
	fi
	# shellcheck disable=SC2086
	"$PEER" -N "/run/netns/$cns" -P "$cproto" -c "$saddr:$port" \
		-t "$limit" -S $((port * 2)) -R $((port * 2 + 1)) \
		$cargs >"$last_out.cli" 2>&1
	crc=$?
	# A failed client may leave the server waiting for its time limit.
	[ "$crc" -eq 0 ] || wait_until 20 gone "$spid" || kill "$spid" 2>/dev/null
	wait "$spid"
	src=$?
	if [ "$crc" -ne 0 ] || [ "$src" -ne 0 ]; then
		fail "$label (port $port): client rc=$crc, server rc=$src"
		prefix "$last_out.srv" "$last_out.cli"
		return 1
	fi
	log "ok: $label (port $port, $(elapsed "$t0") s)"
	summary+=("$label|$port|$runs")
	return 0
}

# prefix FILE...: the files' lines as "#   " comments.
prefix() {
	local f line
	for f in "$@"; do
		while IFS= read -r line; do
			echo "#   $line"
		done <"$f"
	done
}

# result RUN srv|cli: "T s, R Mbit/s" from that end's "ok:" line, if
# that end received anything (status 1 otherwise).
result() {
	local line re='received ([0-9]+) in ([0-9.]+) s \(([0-9.]+) Mbit/s\)'
	while IFS= read -r line; do
		if [[ $line =~ $re ]] && [ "${BASH_REMATCH[1]}" != 0 ]; then
			echo "${BASH_REMATCH[2]} s, ${BASH_REMATCH[3]} Mbit/s"
			return 0
		fi
	done <"$tmp/$1.$2"
	return 1
}

# established RUN srv|cli: that end's connection set-up time, in ms.
established() {
	local line re='established in ([0-9]+)'
	while IFS= read -r line; do
		if [[ $line =~ $re ]]; then
			echo "${BASH_REMATCH[1]}"
			return 0
		fi
	done <"$tmp/$1.$2"
	echo 999999
}

# state_of PID FILE PORT: the states (hex, as in /proc/net/tcp) of the
# sockets in /proc/PID/net/FILE with PORT at either end.
state_of() {
	local hex f out=
	local -A seen=()
	printf -v hex '%04X' "$3"
	while read -r -a f; do
		if [[ ${f[1]} == *:"$hex" || ${f[2]} == *:"$hex" ]]; then
			seen[${f[3]}]=1
		fi
	done <"/proc/$1/net/$2"
	for f in "${!seen[@]}"; do
		out="$out$f "
	done
	echo "$out"
}

# shellcheck disable=SC2317 # called through wait_until
no_socket_left() {
	[ -z "$(state_of "$1" "$2" "$3")" ]
}

name_of() {
	if [ "$1" = m ]; then echo mytcp; else echo Linux; fi
}

other_of() {
	if [ "$1" = m ]; then echo Linux; else echo mytcp; fi
}

# to_server SIDE / from_server SIDE: "X client -> Y server" and back.
to_server() {
	echo "$(other_of "$1") client -> $(name_of "$1") server"
}

from_server() {
	echo "$(name_of "$1") server -> $(other_of "$1") client"
}

# --- the steps --------------------------------------------------------------

step_handshake() {
	local opt=$1 v=1 side
	[ "$opt" = off ] && v=0
	linux_options $v
	for side in l m; do
		snap before
		run_pair "handshake, Linux options $opt, $(to_server "$side")" \
			"$side" "-s 64K -r 64K" "-s 64K -r 64K"
		snap after
		judge "handshake $opt $side" ""
	done
	linux_options default
}

# step_bulk SIZE DUPLEX: SIZE one way, each way and with either end as
# server, then DUPLEX each way at once.
step_bulk() {
	local size=$1 duplex=$2 side
	for side in m l; do
		snap before
		run_pair "bulk $size $(to_server "$side")" "$side" \
			"-r $size" "-s $size" 60
		snap after
		judge "bulk to $side" ""
		snap before
		run_pair "bulk $size $(from_server "$side")" "$side" \
			"-s $size" "-r $size" 60
		snap after
		judge "bulk from $side" ""
		snap before
		run_pair "duplex $duplex each way, $(name_of "$side") server" \
			"$side" "-s $duplex -r $duplex" "-s $duplex -r $duplex" 60
		snap after
		judge "duplex $side" ""
	done
}

# Kernel TCP on both ends of the unfiltered pair, for comparison.
step_reference() {
	local size=$1
	snap before
	run_pair "reference: Linux -> Linux $size" l "-r $size" "-s $size" \
		60 ref
	snap after
	judge "reference" "" lossy
}

step_netem() {
	local name=$1 side
	shift
	# TSO/GSO packets (Linux's and mytcp's) would make netem drop 64 KB
	# at a time.
	ip netns exec "$NS_L" ethtool -K veth0 gso off tso off >/dev/null 2>&1
	ip netns exec "$NS_M" ethtool -K veth0 gso off tso off >/dev/null 2>&1
	if ! netem "$NS_M" veth0 "$@" || ! netem "$NS_L" veth0 "$@"; then
		fail "netem $*"
		return
	fi
	for side in m l; do
		snap before
		run_pair "netem $name: $NETEM_BYTES $(to_server "$side")" \
			"$side" "-r $NETEM_BYTES" "-s $NETEM_BYTES" 90
		snap after
		judge "netem $name to $side" "" lossy
		snap before
		run_pair "netem $name: $NETEM_BYTES $(from_server "$side")" \
			"$side" "-s $NETEM_BYTES" "-r $NETEM_BYTES" 90
		snap after
		judge "netem $name from $side" "" lossy
	done
	ip netns exec "$NS_M" tc qdisc del dev veth0 root
	ip netns exec "$NS_L" tc qdisc del dev veth0 root
	ip netns exec "$NS_L" ethtool -K veth0 gso on tso on >/dev/null 2>&1
	ip netns exec "$NS_M" ethtool -K veth0 gso on tso on >/dev/null 2>&1
}

# Close started by one end: that end ends in TIME-WAIT (06), the other
# keeps nothing once its LAST-ACK is answered.
step_close() {
	local side who sargs cargs act pas
	local -A file=([m]=mytcp [l]=tcp) pid=([m]=$anchor_m [l]=$anchor_l)
	for side in m l; do
		for who in server client; do
			if [ "$who" = server ]; then
				sargs="-e close" cargs="-e wait"
				act=$side
			else
				sargs="-e wait" cargs="-e close"
				act=$([ "$side" = m ] && echo l || echo m)
			fi
			pas=$([ "$act" = m ] && echo l || echo m)
			snap before
			run_pair "close started by the $(name_of "$act") $who, $(to_server "$side")" \
				"$side" "-s 16K -r 16K $sargs" "-s 16K -r 16K $cargs" ||
				continue
			wait_until 30 no_socket_left "${pid[$pas]}" "${file[$pas]}" "$last_port" ||
				fail "close: the passive end still has a socket in state $(state_of "${pid[$pas]}" "${file[$pas]}" "$last_port")"
			[ "$(state_of "${pid[$act]}" "${file[$act]}" "$last_port")" = "06 " ] ||
				fail "close: the active end is in state '$(state_of "${pid[$act]}" "${file[$act]}" "$last_port")', not TIME-WAIT (06)"
			snap after
			judge "close $who $side" ""
		done
	done
}

# in_state PID FILE PORT STATE: the connection on PORT is in STATE.
# shellcheck disable=SC2317 # called through wait_until
in_state() {
	[ "$(state_of "$1" "$2" "$3")" = "$4" ]
}

# Simultaneous close (RFC 9293 3.6, Figure 13): both ends shut down
# right after their last byte. With D = 250 ms of delay each way, the
# client idling 600 ms from its set-up (T) and the server 350 ms from
# its own (T + D), then each sending 1K: the server's FIN leaves at
# T + 850 (the client's 1K in), the client's at T + 850 too (the
# server's 1K in); each arrives D later, so either end may be up to
# 250 ms late and the FINs still cross (100 ms was too tight for a
# loaded TCG guest): both pass CLOSING and both end in TIME-WAIT.
step_simclose() {
	local side who
	local -A file=([m]=mytcp [l]=tcp) pid=([m]=$anchor_m [l]=$anchor_l)
	if ! netem "$NS_M" veth0 delay 250ms || ! netem "$NS_L" veth0 delay 250ms; then
		fail "netem delay 250ms"
		return
	fi
	for side in m l; do
		snap before
		run_pair "simultaneous close, $(to_server "$side")" "$side" \
			"-I 350 -s 1K -r 1K -e fin" "-I 600 -s 1K -r 1K -e fin" ||
			continue
		# Both left in CLOSING (0B) until the delayed ACKs of the FINs
		# arrive.
		for who in m l; do
			wait_until 30 in_state "${pid[$who]}" "${file[$who]}" "$last_port" "06 " ||
				fail "simultaneous close: the $(name_of "$who") end is in state '$(state_of "${pid[$who]}" "${file[$who]}" "$last_port")', not TIME-WAIT (06)"
		done
		snap after
		judge "simultaneous close $side" ""
	done
	ip netns exec "$NS_M" tc qdisc del dev veth0 root
	ip netns exec "$NS_L" tc qdisc del dev veth0 root
}

# shutdown(SHUT_WR) by the client after its data; the server sends its
# own only after the client's FIN, then closes.
step_halfclose() {
	local side
	for side in m l; do
		snap before
		run_pair "half-close by the $(other_of "$side") client" "$side" \
			"-a -r 256K -s 128K -e close" "-s 256K -r 128K -e fin"
		snap after
		judge "half-close $side" ""
	done
}

# SO_LINGER {1, 0} close by the end that received the data; the sender
# must read ECONNRESET once all its data was read.
step_rst() {
	snap before
	run_pair "RST mytcp -> Linux (mytcp server aborts)" m \
		"-r 256K -e rst" "-s 256K -e reset"
	snap after
	judge "RST from mytcp" "TcpEstabResets=1 MytcpOutRsts=1"
	snap before
	run_pair "RST Linux -> mytcp (Linux server aborts)" l \
		"-r 256K -e rst" "-s 256K -e reset"
	snap after
	judge "RST from Linux" \
		"TcpEstabResets=1 TcpOutRsts=1 TcpExtTCPAbortOnData=1 MytcpEstabResets=1"
}

# The receiver reads nothing for a second: its window closes, the
# sender probes it, and the transfer must go on promptly once reading
# starts (a window update, or the answer to a probe).
step_zero_window() {
	local side t
	for side in m l; do
		snap before
		run_pair "zero window: $(name_of "$side") server reads after 1 s, 512K from the $(other_of "$side") client" \
			"$side" "-r 512K -d 1000" "-s 512K" || continue
		# Reading starts at 1 s; without a prompt window update the
		# sender's probes (backing off from 200 ms) are all that is left.
		t=$(result "$runs" srv)
		[ "${t%%.*}" -lt "$(slow 2)" ] ||
			fail "zero window: the transfer took $t after a 1 s stall"
		snap after
		judge "zero window $side" ""
	done
}

# Keepalive both ways (RFC 9293 3.8.4): the server of each stack idles
# 3.5 s with SO_KEEPALIVE and TCP_KEEPIDLE/INTVL/CNT 1/1/3, the other
# stack answers its probes, and the connection carries data afterwards.
step_keepalive() {
	local side n
	for side in m l; do
		snap before
		run_pair "keepalive: $(name_of "$side") server idles 3.5 s probing, then 64K from the $(other_of "$side") client" \
			"$side" "-K 1,1,3 -I 3500 -r 64K" "-I 3500 -s 64K" || continue
		snap after
		judge "keepalive $side" ""
		[ "$side" = m ] || continue
		n=$((${after[MytcpTCPKeepAliveProbes]:-0} - ${before[MytcpTCPKeepAliveProbes]:-0}))
		[ "$n" -ge 2 ] || fail "keepalive: mytcp sent $n probes in 3.5 s"
	done
}

# One byte sent with MSG_OOB (RFC 9293 3.8.5, RFC 6093 pointer), both
# ways: read inline with SO_OOBINLINE, where it was in the stream, and
# out of line through recv(MSG_OOB), the stream read then skipping it.
step_urgent() {
	snap before
	run_pair "urgent: Linux client sends 256K with MSG_OOB at 128K, mytcp server reads it inline" \
		m "-r 256K -O inline" "-s 256K -U"
	run_pair "urgent: Linux client sends 256K with MSG_OOB at 128K, mytcp server reads it with MSG_OOB" \
		m "-r 256K -O oob" "-s 256K -U"
	run_pair "urgent: mytcp client sends 256K with MSG_OOB at 128K, Linux server reads it with MSG_OOB" \
		l "-r 256K -O oob" "-s 256K -U"
	snap after
	judge "urgent" ""
}

# A SYN from the same port reopens a connection in TIME-WAIT when its
# sequence number is above the old one (RFC 9293 3.6.1, RFC 6191; Linux's
# tcp_timewait_state_process): both stacks' ISNs grow with time, so the
# first SYN must be taken, well before a SYN retransmission (1 s).
step_reuse() {
	local side cport=40000 ms
	local -A file=([m]=mytcp [l]=tcp) pid=([m]=$anchor_m [l]=$anchor_l)
	for side in m l; do
		cport=$((cport + 1))
		snap before
		run_pair "TIME-WAIT: the $(name_of "$side") server closes first, $(other_of "$side") client from port $cport" \
			"$side" "-s 1K -r 1K -e close" "-b $cport -s 1K -r 1K -e wait" ||
			continue
		[ "$(state_of "${pid[$side]}" "${file[$side]}" "$cport")" = "06 " ] ||
			fail "TIME-WAIT: the $(name_of "$side") server is in '$(state_of "${pid[$side]}" "${file[$side]}" "$cport")', not 06"
		run_pair "TIME-WAIT reopened by a new SYN from port $cport" \
			"$side" "-s 1K -r 1K -e close" "-b $cport -s 1K -r 1K -e wait" \
			30 again || continue
		ms=$(established "$runs" cli)
		[ "$ms" -lt "$(slow 900)" ] ||
			fail "TIME-WAIT reopen took $ms ms: the first SYN was refused"
		snap after
		if [ "$side" = m ]; then
			judge "TIME-WAIT reopen $side" "MytcpTimeWaits=2"
		else
			judge "TIME-WAIT reopen $side" ""
		fi
	done
}

# Linux's veth at MTU 1400: its SYN or SYN-ACK says MSS 1360, and a
# larger mytcp segment would be dropped by veth on the way in (the
# capture check holds mytcp's segments to the peer's MSS).
step_mss() {
	local side
	ip -n "$NS_L" link set veth0 mtu 1400 || { fail "mtu 1400"; return; }
	for side in l m; do
		snap before
		run_pair "MSS 1360: Linux at MTU 1400, $(to_server "$side"), 256K each way" \
			"$side" "-s 256K -r 256K" "-s 256K -r 256K"
		snap after
		judge "mss $side" ""
	done
	ip -n "$NS_L" link set veth0 mtu 1500
}

# --- the capture ------------------------------------------------------------

# check_capture PASS: on l's veth only protocol 6, nothing malformed, no
# bad checksum (with offload on, a checksum tshark calls bad must be
# exactly the pseudo-header sum a CHECKSUM_PARTIAL packet carries before
# a device finishes it), SYN options as negotiated and none after. On the
# paths without netem (where the capture order is causal), mytcp never
# sends past Linux's window nor pulls its own right edge back (RFC 9293
# 3.8.6). With offload off, neither sends more than the other's MSS per
# segment (with it on, both hand veth 64 KB TSO/GSO super-packets; see
# gso.sh for how mytcp's are cut).
# No RST outside the RST steps.
check_capture() {
	local pass=$1 f=$tmp/fields.$1 entry label p run bad
	: >"$tmp/ports.list"
	for entry in "${summary[@]}"; do
		IFS='|' read -r label p run <<<"$entry"
		echo "$p|$label" >>"$tmp/ports.list"
	done
	if [ "$pass" = off ]; then
		"${TSHARK[@]}" -r "$tmp/cap.pcapng" -Y "$BAD_FILTER" \
			>"$tmp/bad.$pass" 2>"$tmp/tshark.err"
		mapfile -t bad <"$tmp/bad.$pass"
		log "capture ($pass): tshark -Y '$BAD_FILTER': ${#bad[@]} packets"
		if [ "${#bad[@]}" -ne 0 ]; then
			fail "capture ($pass): malformed or bad checksum"
			printf '#   %s\n' "${bad[@]:0:5}"
		fi
	fi
	"${TSHARK[@]}" -r "$tmp/cap.pcapng" -T fields -E separator='|' \
		-E occurrence=a -E aggregator=';' \
		-e frame.number -e ip.proto -e ip.src -e ip.dst -e ip.len \
		-e ip.hdr_len -e tcp.srcport -e tcp.dstport -e tcp.flags.syn \
		-e tcp.flags.ack -e tcp.checksum -e tcp.checksum.status \
		-e tcp.option_kind -e _ws.expert.message -e tcp.stream \
		-e tcp.seq -e tcp.ack -e tcp.len -e tcp.window_size \
		-e tcp.options.mss_val -e tcp.flags.reset -e tcp.flags.fin \
		-e tcp.flags.ece -e tcp.flags.cwr -e ip.dsfield.ecn \
		-e tcp.checksum_calculated \
		>"$f" 2>>"$tmp/tshark.err" ||
		fail "tshark failed: $(head -3 "$tmp/tshark.err")"
	# shellcheck disable=SC2016
	awk -F'|' -v pass="$pass" -v m="$ADDR_M" -v edges="$tmp/edges.$pass" \
	    -v sorter="sort -n -k1,1 -k2,2 >$tmp/edges.$pass" '
	function hex(s,  i, v) {
		s = tolower(s); sub(/^0x/, "", s)
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	function w(a,  o) { split(a, o, "."); return o[1] * 256 + o[2] + o[3] * 256 + o[4] }
	function on(x) { return x == "1" || x == "True" }
	function names(k, mss,  a, i, s, n) {
		n = split(k, a, ";")
		for (i = 1; i <= n; i++) {
			if (a[i] == 1) continue
			s = s (s ? "," : "") (a[i] == 2 ? "MSS=" mss : a[i] == 3 ? "WS" : a[i] == 4 ? "SACK_PERM" : a[i] == 8 ? "TS" : a[i] == 5 ? "SACK" : "kind" a[i])
		}
		return s ? s : "none"
	}
	function failed(msg) { printf "# FAIL: capture (%s): %s\n", pass, msg; bad = 1 }
	FILENAME == ARGV[1] { split($0, h, "|"); label[h[1]] = h[2]; next }
	$2 == "" { other++; next }
	{
		pkts++
		who = ($3 == m) ? "mytcp" : "Linux"
		if ($2 != 6) { nontcp++; next }
		if (($12 == "0" || $12 == "Bad") && hex($11) == 65535 && $26 != "" && hex($26) == 0) {
			mangled[who]++
		} else if ($12 == "0" || $12 == "Bad") {
			s = w($3) + w($4) + 6 + ($5 - $6)
			while (s > 65535) s = int(s / 65536) + s % 65536
			c = hex($11)
			if (c == s || (s == 65535 && c == 0)) partial[who]++
			else { wrong++; if (wrong <= 3) ex = ex " " $1 }
		}
		p = ($7 in label) ? $7 : $8
		st = $15
		syn = on($9)
		# After the SYNs: never WS or SACK-permitted; timestamps and
		# SACK blocks only when both SYNs offered them (RFC 7323 2.2,
		# 3.2; RFC 2018 2); and once negotiated, mytcp stamps every
		# segment but RSTs (RFC 7323 3.2: MUST).
		if (!syn) {
			if ($13 ~ /(^|;)(3|4)(;|$)/ ||
			    ($13 ~ /(^|;)8(;|$)/ && !((st, 8) in agreed)) ||
			    ($13 ~ /(^|;)5(;|$)/ && !((st, 4) in agreed))) {
				late++; if (late <= 3) lex = lex " " $1
			}
			if (who == "mytcp" && (st, 8) in agreed && !on($21) &&
			    $13 !~ /(^|;)8(;|$)/) {
				nots++; if (nots <= 3) tex = tex " " $1
			}
		}
		if (who == "Linux" && $25 != "" && $25 != 0) { ect++; if (ect <= 3) eex = eex " " $1 }
		if (syn) {
			what = on($10) ? "SYN-ACK" : "SYN"
			o = names($13, $20)
			fl = (on($23) ? "+ECE" : "") (on($24) ? "+CWR" : "")
			if (who == "mytcp" && fl != "")
				failed("mytcp " what " with flags " fl " (port " p ")")
			if (who == "Linux" && what == "SYN-ACK" && fl != "")
				failed("Linux SYN-ACK to mytcp with flags " fl " (port " p ")")
			if (index(synline[p], who " " what " ") == 0)
				synline[p] = synline[p] sprintf("; %s %s [%s]%s", who, what, o, fl)
			# mytcp offers all it has (its sysctls are on); a
			# SYN-ACK answers only with what the SYN offered.
			if (who == "mytcp" && what == "SYN" &&
			    o !~ /^MSS=[0-9]+,SACK_PERM,TS,WS$/)
				failed("mytcp SYN with options " o " (port " p ")")
			nk = split($13, kinds, ";")
			for (i = 1; i <= nk; i++) {
				if (kinds[i] < 2) continue
				if (what == "SYN") {
					offered[st, kinds[i]] = 1
				} else if ((st, kinds[i]) in offered) {
					agreed[st, kinds[i]] = 1
				} else {
					failed(who " SYN-ACK with option " kinds[i] " the SYN did not offer (port " p ")")
				}
			}
			mss[st, who] = $20
		}
		if ($18 > maxlen[who]) { maxlen[who] = $18; maxat[who] = $1 }
		if ((st, "mytcp") in mss && (st, "Linux") in mss) {
			peer = (who == "mytcp") ? "Linux" : "mytcp"
			if ($18 > mss[st, peer] && pass == "off") {
				over++; if (over <= 3) oex = oex " " $1
			}
		}
		n = split($14, e, ";")
		for (i = 1; i <= n; i++) {
			if (e[i] == "" || e[i] ~ /^(Bad checksum|Connection (establish|finish))/) continue
			if (e[i] ~ /Malformed/) { malformed++; continue }
			x = e[i]; gsub(/[0-9]+(#[0-9]+)?/, "N", x)
			expert[who ": " x]++
		}
		if (label[p] ~ /^netem/) next
		# Outside the RST steps an RST is an error (the counters of
		# either side say so too): name the frames for the post-mortem.
		if (on($21) && label[p] !~ /^RST/) {
			rst++
			if (rst <= 3) rex = rex sprintf(" %d (%s, port %s)", $1, who, p)
		}
		if (on($21) || !on($10)) next
		# Right edges, in relative sequence numbers; windows as tshark
		# scales them (it saw both SYNs).
		edge = $17 + $19
		if (who == "Linux") {
			if (edge > ledge[st]) ledge[st] = edge
			next
		}
		# veth may swap packets sent on different CPUs: judge the
		# edges in the order of the ACK numbers, which mytcp only raises.
		print st, $17, edge, $1, p | sorter
		end = $16 + $18 + on($22)
		# One byte past a zero window is a window probe (RFC 9293 3.8.6.1).
		if (!syn && end > ledge[st] + 1) {
			past++
			if (past <= 3) pex = pex sprintf(" %d (%d > %d, port %s)", $1, end, ledge[st], p)
		}
	}
	END {
		# An ACK number carries a right edge below one that came with a
		# smaller ACK number, so sent earlier: the edge moved back.
		close(sorter)
		while ((getline l < edges) > 0) {
			split(l, q, " ")
			if (q[1] != cst) { cst = q[1]; run = -1; gack = q[2]; gmax = -1 }
			if (q[2] != gack) { if (gmax > run) run = gmax; gack = q[2]; gmax = -1 }
			if (run >= 0 && q[3] + 0 < run) {
				shrink++
				if (shrink <= 3) sex = sex sprintf(" %d (edge %d < %d, port %s)", q[4], q[3], run, q[5])
			}
			if (q[3] + 0 > gmax) gmax = q[3] + 0
		}
		printf "# capture (%s): %d IPv4 packets (%d others); checksums left as CHECKSUM_PARTIAL pseudo-header sums: %d from mytcp, %d from Linux; wrong: %d\n", pass, pkts, other, partial["mytcp"], partial["Linux"], wrong
		if (mangled["mytcp"] + mangled["Linux"])
			printf "# capture (%s): checksum 0xffff for 0x0000 (skb_checksum_help): %d from mytcp, %d from Linux\n", pass, mangled["mytcp"], mangled["Linux"]
		printf "# capture (%s): largest TCP payload: mytcp %d bytes (frame %d), Linux %d bytes (frame %d)\n", pass, maxlen["mytcp"], maxat["mytcp"], maxlen["Linux"], maxat["Linux"]
		if (pkts < 100) failed("only " pkts " packets")
		if (nontcp) failed(nontcp " IPv4 packets with a protocol other than 6")
		if (wrong) failed(wrong " wrong TCP checksums, frames" ex)
		if (pass == "off" && partial["mytcp"] + partial["Linux"])
			failed("unfinished checksums with TX offload off")
		if (malformed) failed(malformed " malformed packets")
		if (late) failed(late " segments after the SYNs carry options not negotiated, frames" lex)
		if (nots) failed(nots " mytcp segments without the negotiated timestamps, frames" tex)
		if (rst) failed(rst " RSTs outside the RST steps, frames" rex)
		if (ect) failed(ect " Linux packets with ECN codepoints (ECN is not negotiated), frames" eex)
		if (over) failed(over " segments larger than the peer MSS, frames" oex)
		if (shrink) failed("mytcp pulled its right window edge back " shrink " times, frames" sex)
		if (past) failed("mytcp sent past the window Linux offered " past " times, frames" pex)
		for (p in label)
			if (label[p] ~ /^(handshake|MSS)/)
				printf "#   %s (port %s):%s\n", label[p], p, substr(synline[p], 2)
		for (x in expert) printf "#   tshark expert, %s: %d\n", x, expert[x]
		exit bad
	}' "$tmp/ports.list" "$f" || ret=$KSFT_FAIL
}

# --- main -------------------------------------------------------------------

# want STEP: STEP is to run (INTEROP_ONLY unset, or naming it).
want() {
	[ -z "${INTEROP_ONLY:-}" ] || [[ " $INTEROP_ONLY " == *" $1 "* ]]
}

setup || { fail "set-up"; exit "$ret"; }
log "tc filters on $NS_M veth0 (egress, ingress):"
for dir in egress ingress; do
	ip netns exec "$NS_M" tc filter show dev veth0 "$dir" |
		grep -E 'match|key|action order' | sed 's/^[[:space:]]*/#   /'
done

for pass in $PASSES; do
	log "=== pass: veth TX checksum offload $pass"
	offload "$pass" || fail "ethtool -K veth0 tx $pass"
	summary=()
	nstat_pass "$tmp/nstat.$pass.before"
	capture_start
	t0=$EPOCHREALTIME
	if want handshake; then
		step_handshake on
		step_handshake off
	fi
	if [ "$pass" = on ]; then
		want bulk && step_bulk "${INTEROP_BULK:-4M}" "${INTEROP_DUPLEX:-2M}"
		if want netem; then
			step_netem "loss 1%" loss 1%
			step_netem "reorder" delay 1ms reorder 25% 50%
		fi
	else
		want bulk && step_bulk "${INTEROP_BULK_OFF:-1M}" "${INTEROP_BULK_OFF:-1M}"
	fi
	want close && step_close
	want simclose && step_simclose
	want halfclose && step_halfclose
	want rst && step_rst
	if [ "$pass" = on ]; then
		want zero_window && step_zero_window
		want keepalive && step_keepalive
		want mss && step_mss
		want urgent && step_urgent
		want reuse && step_reuse
	fi
	capture_stop
	nstat_pass "$tmp/nstat.$pass.after"
	nstat_report "$tmp/nstat.$pass.before" "$tmp/nstat.$pass.after"
	t1=$EPOCHREALTIME
	check_capture "$pass"
	explain_challenges
	log "pass $pass: steps $(elapsed "$t0") s, capture check $(elapsed "$t1") s"
	[ "$pass" = on ] && want reference && step_reference "${INTEROP_BULK:-4M}"
	log "transfer times (receiving end):"
	for entry in "${summary[@]}"; do
		IFS='|' read -r label p run <<<"$entry"
		case $label in
		bulk*|netem*|reference*|zero*|urgent*)
			log "  $label: $(result "$run" srv || result "$run" cli)" ;;
		duplex*)
			log "  $label: server $(result "$run" srv), client $(result "$run" cli)" ;;
		esac
	done
	mv "$tmp/cap.pcapng" "$tmp/cap.$pass.pcapng"
done

exit "$ret"
