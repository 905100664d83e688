# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Which Debian kernels mytcp supports, and how a short name ("6.12",
# "6.1") maps to an installed kernel release. Sourced by the scripts.

MYTCP_KERNELS="6.12 6.1"

# mytcp_kver NAME: print the installed kernel release for NAME (a short
# series like 6.12, or a full release). Fails when none is installed.
mytcp_kver() {
	local name=$1 k
	if [ -e "/boot/vmlinuz-$name" ] || [ -d "/usr/src/linux-headers-$name" ]; then
		echo "$name"
		return 0
	fi
	# "6.1" must not match "6.12": the series is followed by '.' or '-'.
	k=$(ls -d /usr/src/linux-headers-"$name"[.-]*-amd64 2>/dev/null |
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
	[ -n "$k" ] || { echo "no installed kernel headers for $name" >&2; return 1; }
	echo "$k"
}

mytcp_kdir() {
	echo "/usr/src/linux-headers-$(mytcp_kver "$1")"
}
