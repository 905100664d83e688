#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/mytcpize: unmodified programs on mytcp. In a fresh namespace,
# over loopback:
#  - which sockets the preload library converts (IPv4 stream, protocol 0
#    or 6, flags kept; IPv6 and datagram sockets left alone), -p and
#    MYTCP_PROTO honoured, SO_PROTOCOL reads IPPROTO_TCP;
#  - iperf3 server and client (plain, -R, -P 2): JSON says bytes moved
#    and no error; mytcp's ActiveOpens/PassiveOpens grew by the number of
#    connections iperf3 makes, the kernel TCP's did not, the listener is
#    in /proc/net/mytcp and not in /proc/net/tcp;
#  - curl fetching 5 MiB from python3's http.server, SHA-256 equal; curl
#    without mytcpize cannot reach that server;
#  - netcat (OpenBSD) sending a file each way at once, SHA-256 equal;
#  - the control: curl without mytcpize fetches the same file from netcat
#    over kernel TCP and leaves mytcp's counters alone;
#  - "mytcpize bpf" (kernels with update_socket_protocol, 6.6+): curl
#    fetches over mytcp, a raw socket syscall (which LD_PRELOAD cannot
#    see) is converted, IPv6 and tasks outside the cgroup are not, -p is
#    honoured, the cgroup is removed afterwards; on older kernels it
#    fails cleanly.
# shellcheck disable=SC2317,SC2016 # helpers run through check; awk programs
. "$(dirname "$0")/lib.sh"
require_root

here=$(cd "$(dirname "$0")" && pwd -P)
mz=$here/../scripts/mytcpize
py=/usr/bin/python3
for tool in iperf3 nc curl "$py" sha256sum timeout; do
	command -v "$tool" >/dev/null ||
		{ log "SKIP: $tool is not installed"; exit $KSFT_SKIP; }
done
[ -f "$here/../build/libmytcpize.so" ] ||
	{ log "build/libmytcpize.so is missing: run make mytcpize"; exit $KSFT_FAIL; }
mytcp_loaded || { log "mytcp is not loaded"; exit $KSFT_FAIL; }

ns=mytcpize
ns_create "$ns" || { log "cannot create namespace $ns"; exit $KSFT_FAIL; }
tmp=$(mktemp -d /tmp/mytcpize.XXXXXX)
pids=()
# Servers are ours to stop; the namespace goes last (lib.sh's trap).
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${pids[@]}"; do
		wait_until 50 gone "$p" || kill -9 "$p" 2>/dev/null
	done
	rm -rf "$tmp"
	ns_cleanup
}
trap cleanup EXIT

t0=$EPOCHREALTIME
section() { log "--- $* (at $(elapsed "$t0") s)"; }

# Not for background jobs: $! must be the program's pid (ip netns exec
# and mytcpize exec it), not a subshell's.
nsx() { ip netns exec "$ns" "$@"; }

# counters: "MYTCP_ACTIVE MYTCP_PASSIVE TCP_ACTIVE TCP_PASSIVE" in $ns.
counters() {
	local -A c=()
	counters_load c <(nsx cat /proc/net/mytcp_snmp /proc/net/snmp)
	echo "${c[MytcpActiveOpens]} ${c[MytcpPassiveOpens]}" \
		"${c[TcpActiveOpens]} ${c[TcpPassiveOpens]}"
}

# opened_since "BEFORE" "A P TA TP": the counters grew by exactly that.
opened_since() {
	local -a b n e
	read -r -a b <<<"$1"
	read -r -a e <<<"$2"
	read -r -a n <<<"$(counters)"
	local i
	for i in 0 1 2 3; do
		if [ $((n[i] - b[i])) -ne "${e[i]}" ]; then
			log "opens (mytcp active passive, tcp active passive):" \
				"before ${b[*]}, after ${n[*]}, expected +${e[*]}"
			return 1
		fi
	done
}

# listening FILE PORT: FILE (/proc/net/tcp layout) in $ns has a
# listener on PORT.
listening() {
	nsx awk -v p="$(printf ':%04X' "$2")" \
		'$4 == "0A" && substr($2, 9) == p { f = 1 } END { exit !f }' "$1"
}

not_listening() { ! listening "$@"; }

# prints DESCRIPTION EXPECTED CMD...: CMD's output, lines joined by
# spaces, is EXPECTED; else show what it was.
prints() {
	local what=$1 want=$2 got
	shift 2
	got=$("$@" | tr '\n' ' ')
	check "$what" test "$got" = "$want" || log "got: $got"
}

not_in() { ! grep -qi "$2" "$1"; }

same_file() { [ "$(sha256sum <"$1")" = "$(sha256sum <"$2")" ]; }

# The servers start first: their start-up (slow under TCG) overlaps the
# checks before their turn comes.
ip netns exec "$ns" "$mz" run iperf3 -4 -s -B 127.0.0.1 -p 5201 \
	>"$tmp/iperf3-s.log" 2>&1 &
pids+=($!)
mkdir "$tmp/www"
head -c $((5 << 20)) /dev/urandom >"$tmp/www/blob"
ip netns exec "$ns" "$mz" run "$py" -m http.server --bind 127.0.0.1 \
	--directory "$tmp/www" 8080 >"$tmp/http.log" 2>&1 &
pids+=($!)
# The control, on kernel TCP: netcat answering one HTTP request with
# the same file (a second python3 costs too much under TCG); it waits
# for the whole test, which the debug kernel stretches past 120 s.
{
	printf 'HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n' $((5 << 20))
	cat "$tmp/www/blob"
} >"$tmp/http-tcp.resp"
ip netns exec "$ns" timeout "$(slow 120)" nc -4 -N -l 127.0.0.1 8081 \
	<"$tmp/http-tcp.resp" >/dev/null &
pids+=($!)

# ---- which sockets are converted -------------------------------------
section "conversions"
cat >"$tmp/probe.py" <<'EOF'
import ctypes, errno, fcntl, os, socket as S, sys
libc = ctypes.CDLL(None, use_errno=True)
def inuse():
    for line in open('/proc/net/protocols'):
        f = line.split()
        if f[0] == 'MYTCP':
            return int(f[2])
    return -1
for name, fam, typ, proto in (
        ('inet-stream-0', S.AF_INET, S.SOCK_STREAM, 0),
        ('inet-stream-6', S.AF_INET, S.SOCK_STREAM, S.IPPROTO_TCP),
        ('inet-stream-nonblock', S.AF_INET, S.SOCK_STREAM | S.SOCK_NONBLOCK, 0),
        ('inet6-stream-0', S.AF_INET6, S.SOCK_STREAM, 0),
        ('inet-dgram-0', S.AF_INET, S.SOCK_DGRAM, 0)):
    n = inuse()
    s = S.socket(fam, typ, proto)
    fd = s.fileno()
    # socket(fileno=) asks the kernel: getsockopt(SO_PROTOCOL).
    seen = S.socket(fileno=os.dup(fd))
    print(name, 'mytcp' if inuse() == n + 1 else 'kernel',
          'nonblock=%d' % bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK),
          'cloexec=%d' % bool(fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC),
          'so_protocol=%d' % seen.proto)
    seen.close()
    s.close()
# socket(2) without the C library's socket(), as static binaries and Go do.
def raw(name, family):
    n = inuse()
    fd = libc.syscall(41, family, S.SOCK_STREAM, 0)
    print(name, 'mytcp' if inuse() == n + 1 else 'kernel')
    os.close(fd)
raw('raw', S.AF_INET)
raw('raw6', S.AF_INET6)
sys.stdout.flush()
if len(sys.argv) > 1:
    # A task that leaves mytcpize's cgroup: no longer converted.
    pid = os.fork()
    if pid == 0:
        with open(sys.argv[1] + '/cgroup.procs', 'w') as f:
            f.write(str(os.getpid()))
        raw('outside', S.AF_INET)
        sys.stdout.flush()
        os._exit(0)
    os.waitpid(pid, 0)
EOF
# conversions SO_PROTOCOL: what probe.py prints for the C library's socket().
conversions() {
	echo "inet-stream-0 mytcp nonblock=0 cloexec=1 so_protocol=$1" \
		"inet-stream-6 mytcp nonblock=0 cloexec=1 so_protocol=$1" \
		"inet-stream-nonblock mytcp nonblock=1 cloexec=1 so_protocol=$1" \
		"inet6-stream-0 kernel nonblock=0 cloexec=1 so_protocol=6" \
		"inet-dgram-0 kernel nonblock=0 cloexec=1 so_protocol=17"
}
prints "IPv4 stream sockets converted, flags kept, SO_PROTOCOL 6; raw syscalls not" \
	"$(conversions 6) raw kernel raw6 kernel " \
	"$mz" run -d "$py" "$tmp/probe.py" 2>"$tmp/probe.err"
check "-d logs the three conversions" \
	test "$(grep -c '^mytcpize\[[0-9]*\]: AF_INET type .* -> 253: fd ' \
		"$tmp/probe.err")" = 3
# dev_tcp CMD...: CMD bash opening /dev/tcp/127.0.0.1/1: what bash (and
# the library) say, less the line naming the file (its wording varies).
# Nothing has 252: "Protocol not supported" from socket(); kernel TCP:
# "Connection refused".
dev_tcp() { "$@" bash -c ': <>/dev/tcp/127.0.0.1/1' 2>&1 | grep -v /dev/tcp; }
no_proto="bash: socket: Protocol not supported "
prints "-p 252 asks for protocol 252" "$no_proto" dev_tcp "$mz" run -p 252
prints "MYTCP_PROTO=6 is refused, the socket stays TCP" \
	"mytcpize: MYTCP_PROTO=6 is not a protocol number (1-254, not 6); sockets stay TCP bash: connect: Connection refused " \
	dev_tcp ip netns exec "$ns" \
	env MYTCP_PROTO=6 LD_PRELOAD="$here/../build/libmytcpize.so"
refuses_tcp() { ! "$mz" run -p 6 true 2>/dev/null; }
check "mytcpize refuses -p 6" refuses_tcp

# ---- the BPF route ------------------------------------------------------
section "bpf"
# fmod_ret needs the hook and the kernel's BTF (the debug kernel of
# scripts/build-debug-kernel has no BTF).
if grep -qw update_socket_protocol /proc/kallsyms && [ -e /sys/kernel/btf/vmlinux ]; then
	has_bpf=1
	# The kernel converts: SO_PROTOCOL tells the truth (253).
	prints "bpf: stream sockets and raw syscalls converted; IPv6, outside tasks not" \
		"$(conversions 253) raw mytcp raw6 kernel outside kernel " \
		"$mz" bpf "$py" "$tmp/probe.py" /sys/fs/cgroup
	prints "bpf: -p 252 asks for protocol 252" "$no_proto" dev_tcp "$mz" bpf -p 252
	bpf_status() { "$mz" bpf sh -c 'exit 7'; [ $? = 7 ]; }
	check "bpf: exits with the command's status" bpf_status
else
	has_bpf=0
	log "no update_socket_protocol or no BTF in this kernel: mytcpize bpf must refuse"
	bpf_refused() { ! "$mz" bpf true; }
	check "bpf: refused on this kernel" bpf_refused
fi
check "bpf: no cgroup left behind" \
	test -z "$(find /sys/fs/cgroup -maxdepth 1 -name 'mytcpize-*')"

# ---- iperf3 -------------------------------------------------------------
section "iperf3"
# iperf3_ok JSON STREAMS CC: bytes sent and received, no error, STREAMS
# data streams, both ends on congestion control CC (read back through
# TCP_CONGESTION; "-" for any).
iperf3_ok() {
	"$py" - "$@" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
end = j.get('end', {})
sent = end.get('sum_sent', {}).get('bytes', 0)
rcvd = end.get('sum_received', {}).get('bytes', 0)
cc = (end.get('sender_tcp_congestion'), end.get('receiver_tcp_congestion'))
print('# %s: sent %d received %d bytes, %d streams, cc %s/%s, error %r' %
      (sys.argv[1].split('/')[-1], sent, rcvd, len(end.get('streams', [])),
       cc[0], cc[1], j.get('error')))
sys.exit(0 if 'error' not in j and sent > 0 and rcvd > 0 and
         len(end.get('streams', [])) == int(sys.argv[2]) and
         (sys.argv[3] == '-' or cc == (sys.argv[3], sys.argv[3])) else 1)
EOF
}

if check "iperf3 server listens on mytcp" wait_until "$(slow 100)" listening /proc/net/mytcp 5201; then
	check "iperf3 server not in /proc/net/tcp" \
		not_listening /proc/net/tcp 5201
	# A control connection plus one per stream, each both ends here.
	# -C: iperf3 sets TCP_CONGESTION on both ends and reads it back.
	for run in "plain 2 1 2 reno -C reno" "reverse 1 1 2 - -R" \
		   "parallel 1 2 3 - -P 2"; do
		read -r name secs streams conns cc args <<<"$run"
		before=$(counters)
		# shellcheck disable=SC2086 # the run's iperf3 flags
		nsx timeout 60 "$mz" run iperf3 -4 -c 127.0.0.1 -p 5201 -t "$secs" -J \
			$args >"$tmp/iperf3-$name.json" 2>"$tmp/iperf3-$name.err"
		check "iperf3 $name: exit 0, bytes moved, no error" \
			iperf3_ok "$tmp/iperf3-$name.json" "$streams" "$cc" ||
			sed 's/^/# /' "$tmp/iperf3-$name.err"
		check "iperf3 $name: $conns mytcp connections, no TCP" \
			opened_since "$before" "$conns $conns 0 0"
	done
fi
check "iperf3 server logged no error" \
	not_in "$tmp/iperf3-s.log" error
# Kernel TCP has the control server's listener, nothing else.
check "no other kernel TCP socket in the namespace" \
	test "$(nsx awk 'NR > 1 && substr($2, 9) != ":1F91"' /proc/net/tcp)" = ""

# ---- curl from python3's http.server --------------------------------------
section "curl from http.server"
plain_curl_fails() { ! nsx curl -4 -s --max-time 10 -o /dev/null "$1"; }

if check "http.server listens on mytcp" wait_until "$(slow 200)" listening /proc/net/mytcp 8080; then
	before=$(counters)
	nsx timeout 60 "$mz" run curl -4 -sS --fail --max-time 50 \
		-o "$tmp/blob.curl" http://127.0.0.1:8080/blob
	check "curl fetched 5 MiB, SHA-256 equal" same_file "$tmp/www/blob" "$tmp/blob.curl"
	check "curl: one mytcp connection, no TCP" opened_since "$before" "1 1 0 0"
	check "curl without mytcpize does not reach it (kernel TCP)" \
		plain_curl_fails http://127.0.0.1:8080/blob
	if [ $has_bpf = 1 ]; then
		before=$(counters)
		# The loader needs /sys/fs/cgroup, which ip netns exec hides:
		# the namespace is entered inside the cgroup.
		timeout 60 "$mz" bpf ip netns exec "$ns" curl -4 -sS --fail \
			--max-time 50 -o "$tmp/blob.bpf" http://127.0.0.1:8080/blob
		check "bpf: curl fetched 5 MiB, SHA-256 equal" \
			same_file "$tmp/www/blob" "$tmp/blob.bpf"
		check "bpf: curl made one mytcp connection, no TCP" \
			opened_since "$before" "1 1 0 0"
	fi
fi

# ---- netcat, both directions at once ----------------------------------------
section "netcat"
head -c $((2 << 20)) /dev/urandom >"$tmp/nc-a"
head -c $((3 << 20)) /dev/urandom >"$tmp/nc-b"
ip netns exec "$ns" timeout 60 "$mz" run nc -4 -N -l 127.0.0.1 9000 \
	<"$tmp/nc-a" >"$tmp/nc-at-listener" &
pids+=($!)
ncl=$!
if check "nc listens on mytcp" wait_until "$(slow 100)" listening /proc/net/mytcp 9000; then
	before=$(counters)
	nsx timeout 60 "$mz" run nc -4 -N 127.0.0.1 9000 \
		<"$tmp/nc-b" >"$tmp/nc-at-client"
	check "nc listener ended" wait_until "$(slow 300)" gone "$ncl"
	check "nc: 2 MiB to the client, SHA-256 equal" same_file "$tmp/nc-a" "$tmp/nc-at-client"
	check "nc: 3 MiB to the listener, SHA-256 equal" same_file "$tmp/nc-b" "$tmp/nc-at-listener"
	check "nc: one mytcp connection, no TCP" opened_since "$before" "1 1 0 0"
fi

# ---- control: no mytcpize, kernel TCP --------------------------------------
section "control over kernel TCP"
if check "plain nc listens on TCP" wait_until "$(slow 200)" listening /proc/net/tcp 8081; then
	before=$(counters)
	nsx timeout 60 curl -4 -sS --fail --max-time 50 \
		-o "$tmp/blob.tcp" http://127.0.0.1:8081/blob
	check "control: fetched over TCP, SHA-256 equal" same_file "$tmp/www/blob" "$tmp/blob.tcp"
	check "control: one TCP connection, mytcp counters unchanged" \
		opened_since "$before" "0 0 1 1"
fi

section "done"
[ $ret -eq 0 ] || { log "http.server:"; sed 's/^/# /' "$tmp/http.log"; }
exit $ret
