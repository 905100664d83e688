#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module lifetime: 20 insmod/rmmod cycles with everything the module
# registers appearing and disappearing with it; socket() works only while
# loaded; a second load fails cleanly; rmmod is refused while a socket is
# open and succeeds once it is closed.
. "$(dirname "$0")/lib.sh"
require_root
require_ko

# What a loaded module must show in the current namespace.
registered() {
	[ -n "$(proto_line)" ] && [ -r /proc/net/mytcp ] &&
		[ -r /proc/net/mytcp_snmp ] &&
		[ "$(cat /proc/sys/net/mytcp/enabled)" = 1 ] &&
		[ "$(try_socket 253)" = ok ]
}

# And nothing of it once unloaded.
unregistered() {
	[ -z "$(proto_line)" ] && [ ! -e /proc/net/mytcp ] &&
		[ ! -e /proc/net/mytcp_snmp ] && [ ! -e /proc/sys/net/mytcp ] &&
		[ "$(try_socket 253)" = EPROTONOSUPPORT ]
}

if mytcp_loaded; then
	mytcp_unload || fail "initial rmmod"
fi
check "nothing registered before insmod" unregistered

for i in $(seq 1 20); do
	if ! mytcp_load; then
		fail "insmod, cycle $i"
		break
	fi
	registered || fail "registered after insmod, cycle $i"
	if ! mytcp_unload; then
		fail "rmmod, cycle $i"
		break
	fi
	unregistered || fail "gone after rmmod, cycle $i"
done
log "20 load/unload cycles done"

mytcp_load || fail "insmod after cycles"
out=$(insmod "$MYTCP_KO" 2>&1) && fail "second insmod succeeded"
log "second insmod: $out"
check "second insmod reports EEXIST" grep -q "File exists" <<<"$out"
check "still registered after a failed second insmod" registered

# A socket holds a module reference: rmmod must be refused, then succeed
# as soon as the socket is closed.
python3 -c '
import socket, subprocess, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
r = subprocess.run(["rmmod", "mytcp"], capture_output=True, text=True)
print("# rmmod with an open socket:", r.returncode, r.stderr.strip())
s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, 0x10)
ok = r.returncode != 0 and "in use" in r.stderr and \
	s.getsockopt(socket.IPPROTO_IP, socket.IP_TOS) == 0x10
s.close()
sys.exit(0 if ok else 1)
' || fail "rmmod refused while a socket is open"
check "rmmod after the socket closed" mytcp_unload
check "nothing left after rmmod" unregistered

mytcp_restore_loaded
exit $ret
