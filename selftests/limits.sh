#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Issue 8, "nothing grows without bound": net.mytcp.max_tw_buckets and
# net.mytcp.max_orphans (Linux's tcp_max_tw_buckets and tcp_max_orphans).
#
# TIME-WAIT: with max_tw_buckets=N, M>N active closes leave exactly N
# entries (/proc/net/mytcp rows and the tw count of mytcp_sockstat),
# TCPTimeWaitOverflow grows by M-N, the ports of the others are free at
# once, and the entries' expiry brings the count back to 0.
# Orphans: towards a peer that advertises a zero window, close() leaves
# orphans in FIN-WAIT-1 probing it forever; with max_orphans=N, closing
# M>N resets M-N of them at close() (the peer sees ECONNRESET,
# TCPAbortOnMemory grows), lowering the limit resets more at their next
# probe, and the peer's close brings the count back to 0.
# Bad values of both sysctls are refused with EINVAL.
. "$(dirname "$0")/lib.sh"
require_root
require_ko
mytcp_loaded || mytcp_load || { fail "insmod"; exit $ret; }
ns_create mytcp-limits

ip netns exec mytcp-limits python3 - "$(slow 20)" "$(slow 10000)" <<'PY' || fail "limits"
import errno, socket, sys, time

P = 253
LIMIT = float(sys.argv[1])	# seconds, for anything waited on
TW_MS = int(sys.argv[2])	# TIME-WAIT long enough for the checks
SYS = "/proc/sys/net/mytcp/"
bad = []


def check(ok, what):
    print("# %s: %s" % ("ok" if ok else "FAIL", what))
    if not ok:
        bad.append(what)


def sysctl(name, val):
    with open(SYS + name, "w") as f:
        f.write("%s\n" % val)


def sockstat():
    # "MYTCP: inuse N orphan N tw N ...": read by name, not position
    w = open("/proc/net/mytcp_sockstat").read().split()
    return {w[i]: int(w[i + 1]) for i in range(1, len(w) - 1, 2)}


def counter(name):
    names, vals = open("/proc/net/mytcp_snmp").read().splitlines()[:2]
    return int(dict(zip(names.split()[1:], vals.split()[1:]))[name])


def rows(state):
    return [l.split() for l in open("/proc/net/mytcp").readlines()[1:]
            if l.split()[3] == state]


def wait(cond):
    end = time.monotonic() + LIMIT
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


def sock():
    return socket.socket(socket.AF_INET, socket.SOCK_STREAM, P)


# Bad values: -1, past INT_MAX, text, trailing garbage.
for name in ("max_tw_buckets", "max_orphans"):
    before = open(SYS + name).read()
    for v in ("-1", "2147483648", "abc", "5x"):
        try:
            sysctl(name, v)
            check(False, "%s=%s refused" % (name, v))
        except OSError as e:
            check(e.errno == errno.EINVAL, "%s=%s: EINVAL (%s)" %
                  (name, v, errno.errorcode.get(e.errno)))
    check(open(SYS + name).read() == before, "%s unchanged" % name)

# TIME-WAIT bound: M active closes with max_tw_buckets=N.
N, M, BASE = 3, 8, 41000
sysctl("max_tw_buckets", N)
sysctl("tw_timeout_ms", TW_MS)
ls = sock()
ls.bind(("127.0.0.1", 7300))
ls.listen(64)
over0 = counter("TCPTimeWaitOverflow")
tw0 = counter("TimeWaits")
for i in range(M):
    c = sock()
    c.bind(("127.0.0.1", BASE + i))
    c.connect(("127.0.0.1", 7300))
    s, _ = ls.accept()
    c.close()			# we close first: TIME-WAIT is ours
    s.recv(1)
    s.close()
check(wait(lambda: not rows("04") and not rows("05") and not rows("09")),
      "every connection past its FIN exchange")
tw_rows = rows("06")
tw_ports = {int(r[1].split(":")[1], 16) for r in tw_rows}
st = sockstat()
print("# TIME-WAIT rows %d, sockstat %s, ports %s" % (len(tw_rows), st,
                                                      sorted(tw_ports)))
check(len(tw_rows) == N, "%d TIME-WAIT rows (max_tw_buckets %d)" %
      (len(tw_rows), N))
check(st["tw"] == N, "sockstat tw %d == %d" % (st["tw"], N))
check(counter("TCPTimeWaitOverflow") - over0 == M - N,
      "TCPTimeWaitOverflow grew by %d, expected %d" %
      (counter("TCPTimeWaitOverflow") - over0, M - N))
check(counter("TimeWaits") - tw0 == N, "TimeWaits grew by N")
# The ports of connections that skipped TIME-WAIT are free at once; those
# of the entries are not (no SO_REUSEADDR).
for i in range(M):
    port = BASE + i
    c = sock()
    try:
        c.bind(("127.0.0.1", port))
        c.connect(("127.0.0.1", 7300))
        s, _ = ls.accept()
        check(port not in tw_ports, "port %d reused" % port)
        s.close()
    except OSError as e:
        check(port in tw_ports and e.errno == errno.EADDRINUSE,
              "port %d: %s" % (port, errno.errorcode.get(e.errno)))
    c.close()
# 0: no TIME-WAIT at all.
sysctl("max_tw_buckets", 0)
before = sockstat()["tw"]
c = sock()
c.connect(("127.0.0.1", 7300))
s, _ = ls.accept()
c.close()
s.recv(1)
s.close()
check(wait(lambda: not rows("04") and not rows("05") and not rows("09")),
      "max_tw_buckets=0: connection closed")
check(sockstat()["tw"] <= before, "max_tw_buckets=0: no new entry")

# Orphans: a peer with a zero window keeps ours probing in FIN-WAIT-1.
N, M = 3, 6
sysctl("rto_max_ms", 500)	# probes at least every 0.5 s
sysctl("max_orphans", N)
ls.close()
ls = sock()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
ls.bind(("127.0.0.1", 7301))
ls.listen(64)
abort0 = counter("TCPAbortOnMemory")
pairs = []
for i in range(M):
    c = sock()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    c.connect(("127.0.0.1", 7301))
    s, _ = ls.accept()
    c.setblocking(False)
    try:
        while True:
            c.send(b"x" * 65536)
    except BlockingIOError:
        pass
    pairs.append((c, s))
for c, _ in pairs:
    c.close()


def resets():
    n = 0
    for _, s in pairs:
        if s.fileno() >= 0 and \
           s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == errno.ECONNRESET:
            s.close()
            n += 1
    return n


st = sockstat()
print("# after %d closes: %s" % (M, st))
check(st["orphan"] == N, "orphan count %d == max_orphans %d" %
      (st["orphan"], N))
check(len(rows("04")) == N, "%d FIN-WAIT-1 rows" % len(rows("04")))
check(counter("TCPAbortOnMemory") - abort0 == M - N,
      "TCPAbortOnMemory grew by %d, expected %d" %
      (counter("TCPAbortOnMemory") - abort0, M - N))
got = [0]


def more_resets(want):
    got[0] += resets()
    return got[0] >= want


check(wait(lambda: more_resets(M - N)) and got[0] == M - N,
      "the peer saw %d resets, expected %d" % (got[0], M - N))
# A lower limit: the next probe of each orphan over it resets it.
sysctl("max_orphans", 1)
check(wait(lambda: sockstat()["orphan"] == 1),
      "probe timer: orphans down to 1 (%d)" % sockstat()["orphan"])
check(counter("TCPAbortOnMemory") - abort0 == M - 1,
      "TCPAbortOnMemory grew by %d, expected %d" %
      (counter("TCPAbortOnMemory") - abort0, M - 1))
check(wait(lambda: more_resets(M - 1)) and got[0] == M - 1,
      "the peer saw %d resets, expected %d" % (got[0], M - 1))
# The peer closes with unread data: its RST ends the last orphan.
for _, s in pairs:
    if s.fileno() >= 0:
        s.close()
ls.close()
check(wait(lambda: sockstat()["orphan"] == 0), "orphans back to 0")
check(wait(lambda: sockstat()["tw"] == 0), "TIME-WAIT entries back to 0")
check(wait(lambda: sockstat()["inuse"] == 0), "no socket in use")
print("# final: %s" % sockstat())
sys.exit(1 if bad else 0)
PY

ns_cleanup
exit $ret
