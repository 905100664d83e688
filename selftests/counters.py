#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Scenarios for selftests/counters.sh, run inside a fresh namespace: each
makes one drop or defence happen on a loopback connection of PROTO (6:
Linux TCP, its TcpExt counters; 253: mytcp, /proc/net/mytcp_snmp) and
prints "ok NAME=DELTA ... [detail]" with the counters' deltas.

  counters.py PROTO abortonclose    close() with unread data
  counters.py PROTO abortorphan     data for an orphan in FIN-WAIT-2
  counters.py PROTO abortshut       data after shutdown(SHUT_RDWR)
  counters.py PROTO ofomerge        an out-of-order segment twice, then
                                    one covering it
  counters.py PROTO ofodrop         1-byte out-of-order segments into a
                                    small receive buffer
  counters.py PROTO zerowindow      data at RCV.NXT into a zero window
  counters.py PROTO lockdropped     ICMP errors while the socket is free,
                                    then while send() holds it (stopped
                                    in copy_from_user by userfaultfd)
  counters.py PROTO all             each of them, one "MODE: ok ..." line
                                    each (one namespace: deltas only)

Exits 1 on any error.
"""
import ctypes
import errno
import gc
import mmap
import select
import socket
import struct
import sys
import threading
import time

from wire_driver import (captured, csum16, filter_from, inject, pair,
                         unblackhole, watched_pair)


def ctr(proto, name):
    """NAME from mytcp's counters, or Linux's TcpExt or Tcp group."""
    files = ["/proc/net/mytcp_snmp"] if proto != 6 else \
        ["/proc/net/netstat", "/proc/net/snmp"]
    for path in files:
        with open(path) as f:
            rows = [line.split() for line in f]
        for names, values in zip(rows[::2], rows[1::2]):
            if name in names[1:]:
                return int(values[names.index(name)])
    sys.exit("no counter " + name)


class Delta:
    def __init__(self, proto, *names):
        self.proto, self.names = proto, names
        self.start = [ctr(proto, n) for n in names]

    def __str__(self):
        return " ".join("%s=%d" % (n, ctr(self.proto, n) - v)
                        for n, v in zip(self.names, self.start))


def sock_err(sk):
    e = sk.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    return errno.errorcode.get(e, str(e)) if e else "none"


def wait_counter(proto, name, start, secs=3.0):
    end = time.monotonic() + secs
    while ctr(proto, name) == start and time.monotonic() < end:
        time.sleep(0.01)


def abortonclose(proto):
    c, s = pair(proto)
    d = Delta(proto, "TCPAbortOnClose", "TCPAbortOnData")
    c.sendall(b"never read")
    select.select([s], [], [], 5)
    s.close()
    c.settimeout(5)
    try:
        got = "eof" if c.recv(100) == b"" else "data"
    except OSError as e:
        got = errno.errorcode.get(e.errno, str(e.errno))
    print("ok %s %s" % (d, got))


def abort_on_data(proto, how):
    """The server's user closes (orphan) or shuts down both ways (still
    open); data then arrives: RST (RFC 1122 4.2.2.13)."""
    c, s = pair(proto)
    if how == "close":
        s.close()
    else:
        s.shutdown(socket.SHUT_RDWR)
    assert c.recv(1) == b""         # the FIN, ACKed: FIN-WAIT-2
    time.sleep(0.1)
    d = Delta(proto, "TCPAbortOnData")
    start = ctr(proto, "TCPAbortOnData")
    c.sendall(b"late")
    wait_counter(proto, "TCPAbortOnData", start)
    time.sleep(0.1)
    srv = "closed" if how == "close" else sock_err(s)
    print("ok %s client=%s server=%s" % (d, sock_err(c), srv))


def ahead(cli):
    """The client's SND.NXT and a TSval safely past its last one: a pure
    ACK may have followed the data it was read from (RFC 7323 5.3 PAWS
    drops anything older than TS.Recent)."""
    return cli[0], cli[1] + 1000


def ofomerge(proto):
    """An out-of-order segment twice (the second adds nothing), then one
    covering it; then the hole is filled and the stream read back."""
    cap, c, s, cli, srv = watched_pair(proto)
    cport, sport = c.getsockname()[1], s.getsockname()[1]
    seq, tsval = ahead(cli)
    data = bytes(range(65, 65 + 30))
    filter_from(proto, sport, "divert")     # no ACKs of unsent data to c
    try:
        d = Delta(proto, "TCPOFOMerge")

        def seg(lo, hi, ts):
            inject(proto, cport, sport, (seq + lo) & 0xffffffff, srv,
                   (tsval + ts) & 0xffffffff, 0, data[lo:hi])
            time.sleep(0.05)
        seg(10, 20, 1)
        seg(10, 20, 2)
        dup = str(d)
        d = Delta(proto, "TCPOFOMerge")
        seg(5, 25, 3)
        cover = str(d)
        seg(0, 5, 4)
        s.settimeout(2)
        got = b""
        while len(got) < 25:
            got += s.recv(25 - len(got))
    finally:
        unblackhole()
    print("ok dup: %s cover: %s %s" % (dup, cover,
                                       "intact" if got == data[:25] else
                                       "corrupt %r" % got))


def ofodrop(proto):
    """1-byte segments with holes between them, all within the window,
    into a receive buffer of a few KiB: its truesize runs out long before
    the window does."""
    cap, c, s, cli, srv = watched_pair(proto, rcvbuf=2048)
    cport, sport = c.getsockname()[1], s.getsockname()[1]
    seq, tsval = ahead(cli)
    filter_from(proto, sport, "divert")
    try:
        d = Delta(proto, "TCPOFODrop", "TCPOFOQueue")
        for i in range(1, 101):
            inject(proto, cport, sport, (seq + 2 * i) & 0xffffffff, srv,
                   (tsval + 1) & 0xffffffff, 0, b"o", win=65535)
        time.sleep(0.1)
    finally:
        unblackhole()
    print("ok %s" % d)


def from_port(cap, proto, sport):
    """(ack, window field) of the last segment from SPORT captured on lo."""
    last = None
    for tcp in captured(cap, proto):
        if struct.unpack("!H", tcp[:2])[0] == sport:
            last = struct.unpack("!IH", tcp[8:12] + tcp[14:16])
    return last


def zerowindow(proto):
    """In-order data until the server's window is zero, then one byte
    more at RCV.NXT."""
    cap, c, s, cli, srv = watched_pair(proto, rcvbuf=2048)
    cport, sport = c.getsockname()[1], s.getsockname()[1]
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    wscale = info[6] >> 4
    seq, tsval = ahead(cli)
    rcv_nxt, win = seq, 1
    filter_from(proto, sport, "divert")
    try:
        for i in range(60):
            if proto == 6:      # no delayed ACK: see each window
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            tsval += 1
            inject(proto, cport, sport, rcv_nxt, srv, tsval & 0xffffffff, 0,
                   b"z" * max(1, min(win, 1000)))
            time.sleep(0.05)
            last = from_port(cap, proto, sport)
            if last:
                rcv_nxt, win = last[0], last[1] << wscale
            if not win:
                break
        else:
            sys.exit("the window never closed")
        d = Delta(proto, "TCPZeroWindowDrop")
        tsval += 1
        inject(proto, cport, sport, rcv_nxt, srv, tsval & 0xffffffff, 0, b"Z")
        time.sleep(0.1)
    finally:
        unblackhole()
    print("ok %s" % d)


# userfaultfd(2): a page whose first touch stops the toucher until we
# supply it. A send() from it stops inside the copy from user space,
# with the socket lock held (lock_sock) - a window as long as we like.
NR_USERFAULTFD = 323
UFFD_API = 0xAA
UFFDIO_API = 0xC018AA3F
UFFDIO_REGISTER = 0xC020AA00
UFFDIO_ZEROPAGE = 0xC020AA04
UFFDIO_REGISTER_MODE_MISSING = 1


def uffd_page():
    import fcntl
    import os
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.syscall(NR_USERFAULTFD, os.O_CLOEXEC | os.O_NONBLOCK)
    if fd < 0:
        sys.exit("userfaultfd: " + os.strerror(ctypes.get_errno()))
    fcntl.ioctl(fd, UFFDIO_API, bytearray(struct.pack("QQQ", UFFD_API, 0, 0)))
    page = mmap.mmap(-1, mmap.PAGESIZE,
                     flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    addr = ctypes.addressof(ctypes.c_char.from_buffer(page))
    fcntl.ioctl(fd, UFFDIO_REGISTER, bytearray(struct.pack(
        "QQQQ", addr, mmap.PAGESIZE, UFFDIO_REGISTER_MODE_MISSING, 0)))
    return fd, page, addr


def icmp_unreach(proto, cport, sport, seq):
    """ICMP host unreachable quoting our segment from CPORT to SPORT."""
    lo = socket.inet_aton("127.0.0.1")
    quote = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 0, 0x4000, 64, proto,
                        0, lo, lo)
    quote = quote[:10] + struct.pack("!H", csum16(quote)) + quote[12:]
    quote += struct.pack("!HHI", cport, sport, seq)
    msg = struct.pack("!BBHI", 3, 1, 0, 0) + quote
    msg = msg[:2] + struct.pack("!H", csum16(msg)) + msg[4:]
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    raw.sendto(msg, ("127.0.0.1", 0))
    raw.close()


def lockdropped(proto):
    import os
    n = 5
    cap, c, s, cli, srv = watched_pair(proto)
    cport, sport = c.getsockname()[1], s.getsockname()[1]
    seq = cli[0]        # SND.UNA = SND.NXT: in flight (RFC 5927 4.1)
    names = ("LockDroppedIcmps", "OutOfWindowIcmps")
    d = Delta(proto, *names)
    for _ in range(n):
        icmp_unreach(proto, cport, sport, seq)
    time.sleep(0.1)
    free = str(d)
    fd, page, addr = uffd_page()
    t = threading.Thread(target=c.send, args=(memoryview(page),))
    t.start()
    # The fault's message: send() is inside the copy, socket locked.
    if not select.select([fd], [], [], 5)[0]:
        sys.exit("send() never touched the page")
    d = Delta(proto, *names)
    for _ in range(n):
        icmp_unreach(proto, cport, sport, seq)
    time.sleep(0.1)
    held = str(d)
    import fcntl
    fcntl.ioctl(fd, UFFDIO_ZEROPAGE, bytearray(struct.pack(
        "QQQq", addr, mmap.PAGESIZE, 0, 0)))
    t.join(5)
    os.close(fd)
    got = 0
    s.settimeout(5)
    while got < mmap.PAGESIZE:
        got += len(s.recv(mmap.PAGESIZE))
    print("ok free: %s held: %s sent %d err %s" % (free, held, got,
                                                   sock_err(c)))


MODES = {
    "abortonclose": abortonclose,
    "abortorphan": lambda p: abort_on_data(p, "close"),
    "abortshut": lambda p: abort_on_data(p, "shutdown"),
    "ofomerge": ofomerge,
    "ofodrop": ofodrop,
    "zerowindow": zerowindow,
    "lockdropped": lockdropped,
}


def main():
    proto, mode = int(sys.argv[1]), sys.argv[2]
    if mode != "all":
        if mode not in MODES:
            sys.exit("unknown mode " + mode)
        MODES[mode](proto)
        return
    # One process for all (TCG runs Python slowly): "MODE: ok ..." lines.
    # Each scenario closes its sockets before the next one counts.
    t0 = time.monotonic()
    for name, fn in MODES.items():
        print(name + ": ", end="", flush=True)
        t = time.monotonic()
        try:
            fn(proto)
        except (Exception, SystemExit) as e:
            print("failed: %r" % e, flush=True)
        gc.collect()
        time.sleep(0.1)
        print("# %s took %.1f s" % (name, time.monotonic() - t))
    print("# all took %.1f s" % (time.monotonic() - t0))


if __name__ == "__main__":
    main()
