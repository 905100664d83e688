#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The "proto" module parameter: another free number works and 253 is then
# not mytcp; numbers held by another transport fail with EBUSY, invalid
# numbers with EINVAL, and a failed load leaves nothing behind.
. "$(dirname "$0")/lib.sh"
require_root
require_ko

mytcp_loaded && mytcp_unload

check "insmod proto=200" mytcp_load proto=200
check "parameter reads back 200" \
	test "$(cat /sys/module/mytcp/parameters/proto 2>/dev/null)" = 200
check "socket(..., 200) works" test "$(try_socket 200)" = ok
check "socket(..., 253) is not mytcp" test "$(try_socket 253)" = EPROTONOSUPPORT
check "rmmod" mytcp_unload

# insmod prints strerror of the init error (kmod says "Invalid
# parameters" for EINVAL).
expect_refused() {
	local param=$1 errtext=$2 out
	if out=$(insmod "$MYTCP_KO" "$param" 2>&1); then
		fail "insmod $param succeeded"
		mytcp_unload
		return
	fi
	log "insmod $param: $out"
	grep -q "$errtext" <<<"$out" || fail "insmod $param: expected '$errtext'"
	mytcp_loaded && fail "module present after failed insmod $param"
	[ -e /proc/net/mytcp ] && fail "/proc/net/mytcp left by insmod $param"
	return 0
}

# Held by the kernel's own transports.
expect_refused proto=6 "Device or resource busy"
expect_refused proto=17 "Device or resource busy"
expect_refused proto=1 "Device or resource busy"
# Invalid numbers.
expect_refused proto=0 "Invalid parameters"
expect_refused proto=255 "Invalid parameters"
expect_refused proto=256 "Invalid parameters"
expect_refused proto=-1 "Invalid parameters"

check "dmesg explains the taken number" \
	bash -c 'dmesg | grep -q "mytcp: IP protocol 6 is already registered"'
check "socket(..., 6) still is kernel TCP" test "$(try_socket 6)" = ok

mytcp_restore_loaded
exit $ret
