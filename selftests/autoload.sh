#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module alias: socket(AF_INET, SOCK_STREAM, 253) makes the kernel
# ask modprobe for net-pf-2-proto-253-type-1, which must resolve to
# mytcp. A private module tree (depmod -b) keeps the test fast and leaves
# the system's /lib/modules untouched; the kernel's modprobe helper is
# pointed at a wrapper that logs each request.
. "$(dirname "$0")/lib.sh"
require_root
require_ko

kver=$(uname -r)
base=$(mktemp -d)
old_helper=$(cat /proc/sys/kernel/modprobe)
cleanup() {
	echo "$old_helper" >/proc/sys/kernel/modprobe
	rm -rf "$base"
	ns_cleanup
}
trap cleanup EXIT

mkdir -p "$base/lib/modules/$kver/extra"
cp "$MYTCP_KO" "$base/lib/modules/$kver/extra/"
depmod -b "$base" "$kver" 2>/dev/null
check "module tree has the alias" \
	grep -q '^alias net-pf-2-proto-253-type-1 mytcp$' \
	"$base/lib/modules/$kver/modules.alias"

cat >"$base/modprobe" <<EOS
#!/bin/sh
echo "\$*" >>"$base/requests"
exec /sbin/modprobe -d "$base" "\$@"
EOS
chmod +x "$base/modprobe"
echo "$base/modprobe" >/proc/sys/kernel/modprobe

mytcp_loaded && mytcp_unload
check "socket() loads the module" test "$(try_socket 253)" = ok
check "module is loaded" mytcp_loaded
log "modprobe requests: $(tr '\n' ';' <"$base/requests" 2>/dev/null)"
check "kernel asked for the alias" \
	grep -q -- 'net-pf-2-proto-253-type-1' "$base/requests"
check "rmmod" mytcp_unload

mytcp_restore_loaded
exit $ret
