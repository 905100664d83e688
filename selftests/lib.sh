# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared helpers of the mytcp shell selftests: module load state, network
# namespaces, veth pairs and netem. Sourced, never run.
#
# Environment: MYTCP_KO is the mytcp.ko built for the running kernel.

readonly KSFT_PASS=0
readonly KSFT_FAIL=1
readonly KSFT_SKIP=4

MYTCP_KO=${MYTCP_KO:-}
ret=$KSFT_PASS
_mytcp_netns=()

log() { echo "# $*"; }

# fail MSG: record a failure and keep going, so one run shows them all.
fail() {
	echo "# FAIL: $*"
	ret=$KSFT_FAIL
}

# check DESCRIPTION CMD...: run CMD, fail with DESCRIPTION when it fails
# (and return 1, for a caller that wants to show more).
check() {
	local what=$1
	shift
	if "$@"; then
		log "ok: $what"
	else
		fail "$what"
		return 1
	fi
}

require_root() {
	[ "$(id -u)" -eq 0 ] || { log "SKIP: needs root"; exit $KSFT_SKIP; }
}

require_ko() {
	[ -n "$MYTCP_KO" ] && [ -f "$MYTCP_KO" ] ||
		{ log "MYTCP_KO must name mytcp.ko (got '$MYTCP_KO')"; exit $KSFT_FAIL; }
}

mytcp_loaded() { [ -d /sys/module/mytcp ]; }

mytcp_load() { insmod "$MYTCP_KO" "$@"; }

mytcp_unload() { rmmod mytcp; }

# Leave the module as the runner expects between tests: loaded with its
# default parameters.
mytcp_restore_loaded() {
	if mytcp_loaded &&
	   [ "$(cat /sys/module/mytcp/parameters/proto)" != 253 ]; then
		mytcp_unload || fail "rmmod while restoring"
	fi
	mytcp_loaded || mytcp_load || fail "insmod while restoring"
}

# proto_line: the MYTCP line of /proc/net/protocols (empty when absent).
proto_line() { awk '$1 == "MYTCP"' /proc/net/protocols; }

# proto_inuse [NETNS]: the sockets column of that line.
proto_inuse() {
	if [ -n "${1:-}" ]; then
		ip netns exec "$1" awk '$1 == "MYTCP" { print $3 }' /proc/net/protocols
	else
		awk '$1 == "MYTCP" { print $3 }' /proc/net/protocols
	fi
}

# try_socket PROTO [NETNS]: create socket(AF_INET, SOCK_STREAM, PROTO) and
# print "ok" or the errno name.
try_socket() {
	local tool
	tool="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/socket_try"
	if [ -n "${2:-}" ]; then
		ip netns exec "$2" "$tool" "$1"
	else
		"$tool" "$1"
	fi
}

# ns_create NAME...: fresh namespaces with lo up, removed by ns_cleanup.
ns_create() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || return 1
		_mytcp_netns+=("$ns")
		ip -n "$ns" link set lo up || return 1
	done
}

ns_cleanup() {
	local ns
	for ns in "${_mytcp_netns[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	_mytcp_netns=()
}

# veth_pair NS1 ADDR1 NS2 ADDR2: a veth link between two namespaces,
# addresses given with their prefix (10.0.1.1/24).
veth_pair() {
	local ns1=$1 a1=$2 ns2=$3 a2=$4
	ip link add veth0 netns "$ns1" type veth peer name veth0 netns "$ns2" ||
		return 1
	ip -n "$ns1" addr add "$a1" dev veth0 &&
	ip -n "$ns2" addr add "$a2" dev veth0 &&
	ip -n "$ns1" link set veth0 up &&
	ip -n "$ns2" link set veth0 up
}

# mac_of NS [DEV]: the MAC address of DEV (veth0) in NS.
mac_of() {
	ip -n "$1" -br link show dev "${2:-veth0}" | awk '{ print $3 }'
}

# neigh_pin NS1 ADDR1 NS2 ADDR2: permanent neighbour entries both ways
# over veth0, so no first packet waits for ARP (under netem delay that
# wait alone can outlast an initial RTO).
neigh_pin() {
	local mac1 mac2
	mac1=$(mac_of "$1") && mac2=$(mac_of "$3") || return 1
	ip -n "$1" neigh replace "$4" lladdr "$mac2" dev veth0 nud permanent &&
	ip -n "$3" neigh replace "$2" lladdr "$mac1" dev veth0 nud permanent
}

# netem NS DEV ARGS...: replace DEV's root qdisc with netem ARGS.
netem() {
	local ns=$1 dev=$2
	shift 2
	tc -n "$ns" qdisc replace dev "$dev" root netem "$@"
}

trap ns_cleanup EXIT

# nap SECONDS: sleep without starting a process (a read with a time-out
# on a FIFO nobody writes to); under TCG every exec costs ~0.1 s.
nap() {
	local f
	if [ -z "${_nap_fd:-}" ]; then
		f=$(mktemp -u /tmp/nap.XXXXXX) && mkfifo "$f" || return 1
		exec {_nap_fd}<>"$f"
		rm -f "$f"
	fi
	read -r -t "$1" -u "$_nap_fd" _ || true
}

# wait_until TENTHS CMD...: run CMD every 0.1 s until it succeeds, at most
# TENTHS times; the status of the last try.
wait_until() {
	local n=$1
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		nap 0.1
	done
}

# tcp_wire NS DEV [PROTO]: make DEV in NS carry the sockets of IP protocol
# PROTO (default 253, mytcp) as protocol 6 on the wire. clsact filters
# rewrite the IP protocol byte, PROTO -> 6 on egress and 6 -> PROTO on
# ingress, and fix the IP header checksum; the TCP checksum needs no
# change (its pseudo-header says 6 either way). Every IPPROTO_TCP packet
# arriving on DEV is handed to PROTO: keep the kernel's TCP off DEV.
tcp_wire() {
	local ns=$1 dev=$2 proto=${3:-253} m
	for m in sch_ingress cls_u32 act_pedit act_csum; do
		modprobe -q "$m" 2>/dev/null
	done
	ip netns exec "$ns" tc qdisc add dev "$dev" clsact &&
	ip netns exec "$ns" tc filter add dev "$dev" egress protocol ip \
		prio 1 u32 match ip protocol "$proto" 0xff \
		action pedit ex munge ip protocol set 6 pipe \
		action csum ip &&
	ip netns exec "$ns" tc filter add dev "$dev" ingress protocol ip \
		prio 1 u32 match ip protocol 6 0xff \
		action pedit ex munge ip protocol set "$proto" pipe \
		action csum ip
}

# counters_load ARRAY FILE...: add the counters of files in the layout of
# /proc/net/snmp (a "Group: names" line, then "Group: values") to the
# associative ARRAY as GroupName=value, the names nstat prints
# (TcpInErrs, TcpExtTCPAbortOnData, MytcpInErrs). No process started.
counters_load() {
	local -n _cnt=$1
	local f names vals i
	shift
	for f in "$@"; do
		while read -r -a names && read -r -a vals; do
			for ((i = 1; i < ${#names[@]}; i++)); do
				_cnt[${names[0]%:}${names[i]}]=${vals[i]}
			done
		done <"$f"
	done
}

# gone PID: that process has ended (for wait_until).
gone() {
	! kill -0 "$1" 2>/dev/null
}

# MYTCP_SLOW (a whole number, default 1): how much slower than Debian's
# kernel under TCG this one runs (scripts/check-debug: 4, KASAN and
# lockdep). slow N prints N times that: for upper bounds on wall-clock
# time only, never for what a test expects the protocol to do.
MYTCP_SLOW=${MYTCP_SLOW:-1}
slow() {
	echo $(($1 * MYTCP_SLOW))
}

# elapsed T0: seconds since $EPOCHREALTIME was T0, one decimal.
elapsed() {
	local us=$((${EPOCHREALTIME/./} - ${1/./}))
	printf '%d.%d' $((us / 1000000)) $((us % 1000000 / 100000))
}

# path_pair NS_A ADDR_A NS_B ADDR_B: two fresh namespaces joined by a veth
# pair (veth0 in each, addresses with their prefix), removed by
# ns_cleanup. gso_max_segs 1: no TSO/GSO, so netem sees, drops and delays
# single segments on either stack. Fixed MACs and permanent neighbour
# entries: under netem loss a lost ARP exchange would fail a connect()
# with EHOSTUNREACH. Five processes in all (under TCG every exec counts
# when many pairs are set up at once).
path_pair() {
	local ns mac_a=02:6d:79:00:00:01 mac_b=02:6d:79:00:00:02
	local up='link set lo up\naddr add %s dev veth0\nlink set veth0 up\n'
	local pin='neigh replace %s lladdr %s dev veth0 nud permanent\n'
	for ns in "$1" "$3"; do
		ip netns add "$ns" || return 1
		_mytcp_netns+=("$ns")
	done
	ip link add veth0 netns "$1" address $mac_a gso_max_segs 1 type veth \
		peer name veth0 netns "$3" address $mac_b gso_max_segs 1 ||
		return 1
	# shellcheck disable=SC2059 # the formats are the local strings
	printf "$up$pin" "$2" "${4%/*}" $mac_b | ip -n "$1" -b - &&
	# shellcheck disable=SC2059
	printf "$up$pin" "$4" "${2%/*}" $mac_a | ip -n "$3" -b -
}

# proto_sysctl NS PROTO NAME=VALUE...: set net.mytcp.NAME for PROTO 253,
# the matching net.ipv4.tcp_* sysctl for 6 (the *_ms keepalive values in
# seconds there). Fails on a name that PROTO lacks: the caller decides.
proto_sysctl() {
	local ns=$1 proto=$2 kv name val
	local -a set=()
	shift 2
	for kv in "$@"; do
		name=${kv%%=*} val=${kv#*=}
		if [ "$proto" != 6 ]; then
			name=net/mytcp/$name
		else
			case $name in
			keepalive_time_ms|keepalive_intvl_ms)
				name=${name%_ms} val=$((val / 1000)) ;;
			keepalive_probes|retries2|syn_retries|rto_max_ms) ;;
			*) return 1 ;;
			esac
			name=net/ipv4/tcp_$name
		fi
		[ -e "/proc/sys/$name" ] || return 1
		set+=("${name//\//.}=$val")
	done
	ip netns exec "$ns" sysctl -qw "${set[@]}"
}

# rto_min NS PROTO MS: the lower bound of the RTO in NS: mytcp's rto_min_us
# (rto_min_ms before it), Linux's tcp_rto_min_us where the kernel has it,
# else the rto_min attribute of veth0's connected route.
rto_min() {
	local ns=$1 proto=$2 ms=$3 route
	if [ "$proto" != 6 ] && [ -e /proc/sys/net/mytcp/rto_min_us ]; then
		ip netns exec "$ns" sysctl -qw net.mytcp.rto_min_us=$((ms * 1000))
	elif [ "$proto" != 6 ]; then
		ip netns exec "$ns" sysctl -qw net.mytcp.rto_min_ms="$ms"
	elif [ -e /proc/sys/net/ipv4/tcp_rto_min_us ]; then
		ip netns exec "$ns" sysctl -qw net.ipv4.tcp_rto_min_us=$((ms * 1000))
	else
		route=$(ip -n "$ns" -4 route show dev veth0 scope link | head -n 1)
		# shellcheck disable=SC2086 # the route's words
		[ -n "$route" ] &&
			ip -n "$ns" route replace $route dev veth0 rto_min "${ms}ms"
	fi
}

# snmp_counter NS PROTO NAME: one counter of PROTO's SNMP group in NS
# (MytcpNAME from /proc/net/mytcp_snmp, TcpNAME from /proc/net/snmp).
snmp_counter() {
	local -A c=()
	if [ "$2" = 6 ]; then
		counters_load c <(ip netns exec "$1" cat /proc/net/snmp)
		echo "${c[Tcp$3]:-}"
	else
		counters_load c <(ip netns exec "$1" cat /proc/net/mytcp_snmp)
		echo "${c[Mytcp$3]:-}"
	fi
}

# slab_objs CACHE: objects allocated in a cache (0 once it is gone).
# Free objects in per-CPU partial slabs count as allocated: shrink first.
# SLUB may have merged the cache with another of the same size; the
# other's objects then count too.
slab_objs() {
	local d=/sys/kernel/slab/$1 v=0
	[ -w "$d/shrink" ] && echo 1 >"$d/shrink"
	[ -r "$d/objects" ] && read -r v _ <"$d/objects"
	echo "${v:-0}"
}
