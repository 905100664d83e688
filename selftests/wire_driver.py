#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Connections for selftests/options_wire.sh, run inside its namespace.

  wire_driver.py PROTO xfer BYTES   send BYTES one way over loopback,
                                    checked by SHA-256
  wire_driver.py PROTO lone         20 one-byte round trips, then one
                                    byte nobody answers (its ACK is a
                                    delayed ACK), then close
  wire_driver.py PROTO rto          after 20 round trips, drop every
                                    arriving segment of PROTO for 300 ms
                                    while one write waits for its ACK;
                                    print the retransmissions counted
  wire_driver.py PROTO usertimeout  TCP_USER_TIMEOUT 1500 ms, then drop
                                    every arriving segment of PROTO while
                                    a write waits: print the ms until the
                                    socket fails and the errno name

Prints "ok ..." on success; exits 1 on any error.
"""
import hashlib
import os
import socket
import subprocess
import sys
import threading
import time


def counter(name):
    with open("/proc/net/mytcp_snmp") as f:
        names, values = f.readline().split(), f.readline().split()
    return int(values[names.index(name)])


def pair(proto):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    c.settimeout(30)
    c.connect(ls.getsockname())
    s, _ = ls.accept()
    s.settimeout(30)
    ls.close()
    return c, s


def round_trips(c, s, n):
    for _ in range(n):
        c.sendall(b"q")
        assert s.recv(1) == b"q"
        s.sendall(b"a")
        assert c.recv(1) == b"a"


def xfer(proto, total):
    c, s = pair(proto)
    data = os.urandom(total)
    t = threading.Thread(target=lambda: (c.sendall(data), c.shutdown(socket.SHUT_WR)))
    t.start()
    h, n = hashlib.sha256(), 0
    while True:
        b = s.recv(1 << 16)
        if not b:
            break
        h.update(b)
        n += len(b)
    t.join(30)
    if n != total or h.digest() != hashlib.sha256(data).digest():
        sys.exit("corrupt or incomplete: %d of %d bytes" % (n, total))
    c.close()
    s.close()
    print("ok %d bytes" % total)


def lone(proto):
    c, s = pair(proto)
    round_trips(c, s, 20)
    c.sendall(b"x")
    assert s.recv(1) == b"x"
    time.sleep(0.5)
    c.close()
    s.close()
    print("ok")


def blackhole(proto):
    """Drop every segment of PROTO arriving on lo (our sends still go)."""
    subprocess.run(["tc", "qdisc", "add", "dev", "lo", "clsact"], check=True)
    subprocess.run(["tc", "filter", "add", "dev", "lo", "ingress", "protocol",
                    "ip", "prio", "1", "u32", "match", "ip", "protocol",
                    str(proto), "0xff", "action", "drop"], check=True)


def unblackhole():
    subprocess.run(["tc", "qdisc", "del", "dev", "lo", "clsact"], check=True)


def rto(proto):
    c, s = pair(proto)
    round_trips(c, s, 20)
    before = counter("RetransSegs")
    blackhole(proto)
    c.sendall(b"r" * 1000)
    time.sleep(0.3)
    retrans = counter("RetransSegs") - before
    unblackhole()
    got = b""
    while len(got) < 1000:
        got += s.recv(1000 - len(got))
    c.close()
    s.close()
    print("ok %d" % retrans)


def usertimeout(proto):
    import errno
    c, s = pair(proto)
    round_trips(c, s, 5)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 1500)
    blackhole(proto)
    t0 = time.monotonic()
    c.sendall(b"u" * 1000)
    c.settimeout(10)
    err = "none"
    try:
        c.recv(1)
    except OSError as e:
        err = errno.errorcode.get(e.errno, str(e.errno))
    ms = int((time.monotonic() - t0) * 1000)
    unblackhole()
    c.close()
    s.close()
    print("ok %d %s" % (ms, err))


def main():
    proto, mode = int(sys.argv[1]), sys.argv[2]
    if mode == "xfer":
        xfer(proto, int(sys.argv[3]))
    elif mode == "lone":
        lone(proto)
    elif mode == "rto":
        rto(proto)
    elif mode == "usertimeout":
        usertimeout(proto)
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
