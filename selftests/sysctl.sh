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
# name default lowest highest (Documentation/sysctl.rst)
table="enabled 1 0 1
syn_retries 6 1 127
synack_retries 5 1 127
retries2 15 1 127
tw_timeout_ms 60000 1 600000
fin_timeout_ms 60000 1 600000
rto_initial_ms 1000 1 120000
rto_min_ms 200 1 120000
rto_max_ms 120000 1 120000
challenge_ack_limit 1000 0 2147483647
rfc1337 1 0 1"

ns_create mytcp-sysctl

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
	[ "$hi" -lt 2147483647 ] && write_refused "$f" $((hi + 1))
	write_refused "$f" "abc"
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

ns_cleanup
exit $ret
