#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# net.mytcp.* sysctls: documented defaults, out-of-range writes refused
# with EINVAL leaving the value unchanged, and values private to each
# network namespace.
. "$(dirname "$0")/lib.sh"
require_root
require_ko
mytcp_loaded || mytcp_load || { fail "insmod"; exit $ret; }

dir=/proc/sys/net/mytcp
MYTCP_DEFAULT_CC=${MYTCP_DEFAULT_CC:-cubic}
# max_tw_buckets and max_orphans default to half of Linux's ehash size for
# this RAM: one bucket per 128 KiB, 256..512 Ki, a power of two.
ram_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
buckets=$((ram_kb / 128))
((buckets < 256)) && buckets=256
((buckets > 524288)) && buckets=524288
pow=1
while ((pow < buckets)); do pow=$((pow * 2)); done
limit_def=$((pow / 2))
# name default lowest highest (Documentation/sysctl.rst)
table="enabled 1 0 1
syn_retries 6 1 127
synack_retries 5 1 127
retries2 15 1 127
tw_timeout_ms 60000 1 600000
fin_timeout_ms 60000 1 600000
rto_initial_ms 1000 1 120000
rto_min_us 200000 1 120000000
rto_max_ms 120000 1 120000
challenge_ack_limit 1000 0 2147483647
rfc1337 1 0 1
window_scaling 1 0 1
timestamps 1 0 1
sack 1 0 1
delack_ms 40 0 1000
gso 1 0 1
syncookies 1 0 2
keepalive_time_ms 7200000 1 32767000
keepalive_intvl_ms 75000 1 32767000
keepalive_probes 9 1 127
max_tw_buckets $limit_def 0 2147483647
max_orphans $limit_def 0 2147483647"

ns_create mytcp-sysctl

# Every knob there is must be in the table above or checked below.
# mem (global, initial namespace only): memlimit.sh
others="rmem wmem congestion_control available_congestion_control mem"
for f in "$dir"/*; do
	name=$(basename "$f")
	grep -q "^$name " <<<"$table" || [[ " $others " == *" $name "* ]] ||
		fail "$name has no range check in this test"
done

# write_refused FILE VALUE: the write must fail and change nothing.
write_refused() {
	local before after
	before=$(cat "$1")
	if echo "$2" 2>/dev/null >"$1"; then
		fail "$(basename "$1") accepted $2"
	fi
	after=$(cat "$1")
	[ "$before" = "$after" ] || fail "$(basename "$1") changed to $after by a refused write"
}

while read -r name def lo hi; do
	f=$dir/$name
	[ -w "$f" ] || { fail "$f missing"; continue; }
	[ "$(cat "$f")" = "$def" ] || fail "$name default $(cat "$f"), documented $def"
	write_refused "$f" $((lo - 1))
	# Past INT_MAX too: the parser refuses what an int cannot hold.
	write_refused "$f" $((hi + 1))
	write_refused "$f" "abc"
	write_refused "$f" "${def}x"
	# The extremes are accepted.
	echo "$lo" >"$f" || fail "$name refused its lowest value $lo"
	echo "$hi" >"$f" || fail "$name refused its highest value $hi"
	echo "$def" >"$f"
	# Another namespace has its own copy, starting from the default.
	echo "$lo" >"$f"
	got=$(ip netns exec mytcp-sysctl cat "$f")
	[ "$got" = "$def" ] || fail "$name in a new namespace is $got, not $def"
	ip netns exec mytcp-sysctl sh -c "echo $hi > $f"
	[ "$(cat "$f")" = "$lo" ] || fail "$name leaked across namespaces"
	echo "$def" >"$f"
	log "ok: $name (default $def, range $lo-$hi)"
done <<<"$table"

# Buffer triples "min default max" like tcp_rmem/tcp_wmem: each value in
# 4096..1 GiB, in order, or the write is refused and changes nothing.
for name in "rmem 4096 131072 6291456" "wmem 4096 16384 4194304"; do
	set -- $name
	f=$dir/$1
	[ -w "$f" ] || { fail "$f missing"; continue; }
	[ "$(cat "$f" | tr -s '\t ' ' ')" = "$2 $3 $4" ] ||
		fail "$1 default '$(cat "$f")', documented '$2 $3 $4'"
	write_refused "$f" "8192 4096 16384"
	write_refused "$f" "4096 8192 4095"
	write_refused "$f" "4095 8192 16384"
	write_refused "$f" "4096 8192 1073741825"
	echo "4096 8192 1073741824" >"$f" || fail "$1 refused an ordered triple"
	echo "$2 $3 $4" >"$f"
	log "ok: $1"
done

# Congestion control: a known name, else EINVAL; the list is read only.
f=$dir/congestion_control
avail=$(cat $dir/available_congestion_control)
log "available: $avail"
[ "$(cat "$f")" = "$MYTCP_DEFAULT_CC" ] ||
	fail "congestion_control default $(cat "$f"), documented $MYTCP_DEFAULT_CC"
for cc in $avail; do
	echo "$cc" >"$f" && [ "$(cat "$f")" = "$cc" ] || fail "cannot select $cc"
done
write_refused "$f" "nosuchcc"
write_refused "$dir/available_congestion_control" "reno"
echo "$MYTCP_DEFAULT_CC" >"$f"

ns_cleanup
exit $ret
