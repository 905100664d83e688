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
  wire_driver.py PROTO paws         inject, as the client, one byte at
                                    RCV.NXT with a timestamp older than
                                    TS.Recent (must be dropped, RFC 7323
                                    5.3) and then with a newer one (taken);
                                    print "dropped taken" or what happened
  wire_driver.py PROTO edgeack      the server's next 100 bytes are
                                    dropped on their way to the client;
                                    inject, as the client, their ACK with
                                    SEQ at the right edge of the server's
                                    window (RCV.NXT + RCV.WND): print
                                    "taken" if it acknowledged them
  wire_driver.py PROTO finseq       a zero window from the client, the
                                    server shuts down, then one byte
                                    arrives: print the SEQ of the
                                    server's ACK less the window's right
                                    edge (0: not SND.NXT past its FIN)
  wire_driver.py PROTO usertimeout  TCP_USER_TIMEOUT 1500 ms, then drop
                                    every arriving segment of PROTO while
                                    a write waits: print the ms until the
                                    socket fails and the errno name

Prints "ok ..." on success; exits 1 on any error.
"""
import hashlib
import os
import socket
import struct
import subprocess
import sys
import threading
import time


def counter(name):
    with open("/proc/net/mytcp_snmp") as f:
        names, values = f.readline().split(), f.readline().split()
    return int(values[names.index(name)])


def pair(proto, rcvbuf=0):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    if rcvbuf:      # the accepted socket inherits it, window included
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
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


def recv_sha256(sock):
    """Read sock to EOF: (bytes read, their SHA-256). Also used by pmtu.sh
    and lossy_transfer.sh, which import this file."""
    h, n = hashlib.sha256(), 0
    while True:
        b = sock.recv(1 << 16)
        if not b:
            break
        h.update(b)
        n += len(b)
    return n, h


def xfer(proto, total):
    c, s = pair(proto)
    data = os.urandom(total)
    t = threading.Thread(target=lambda: (c.sendall(data), c.shutdown(socket.SHUT_WR)))
    t.start()
    n, h = recv_sha256(s)
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
    t0 = time.monotonic()
    c.sendall(b"r" * 1000)
    time.sleep(0.3)
    retrans = counter("RetransSegs") - before
    # A loaded or debug kernel may stretch the 300 ms: say by how much.
    elapsed = int((time.monotonic() - t0) * 1000)
    unblackhole()
    got = b""
    while len(got) < 1000:
        got += s.recv(1000 - len(got))
    c.close()
    s.close()
    print("ok %d %d" % (retrans, elapsed))


def csum16(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def filter_from(proto, port, action):
    """A tc ACTION on segments of PROTO from source port PORT arriving on
    lo: "drop", or "divert" to port 9, where nothing listens (nor answers:
    the RST it draws matches no connection); unlike dropped ones,
    diverted segments still reach AF_PACKET."""
    act = ["drop"] if action == "drop" else \
        ["pedit", "munge", "offset", "22", "u16", "set", "9"]
    subprocess.run(["tc", "qdisc", "add", "dev", "lo", "clsact"], check=True)
    subprocess.run(["tc", "filter", "add", "dev", "lo", "ingress", "protocol",
                    "ip", "prio", "1", "u32", "match", "ip", "protocol",
                    str(proto), "0xff", "match", "ip", "sport", str(port),
                    "0xffff", "action"] + act, check=True)


def last_segments(cap, proto, cport):
    """(seq_end, tsval) of the client's last data and the server's
    snd_nxt, from the packets of PROTO captured on lo."""
    cli = srv = None
    while True:
        try:
            frame = cap.recv(65535)
        except BlockingIOError:
            return cli, srv
        ip = frame[14:]
        if len(ip) < 40 or ip[9] != proto:
            continue
        ihl = (ip[0] & 15) * 4
        tot = struct.unpack("!H", ip[2:4])[0]
        tcp = ip[ihl:tot]
        sport, dport, seq = struct.unpack("!HHI", tcp[:8])
        doff = (tcp[12] >> 4) * 4
        plen = len(tcp) - doff
        opts, tsval, i = tcp[20:doff], None, 0
        while i < len(opts) and opts[i] != 0:
            if opts[i] == 1:
                i += 1
                continue
            if opts[i] == 8:
                tsval = struct.unpack("!I", opts[i + 2:i + 6])[0]
            i += max(opts[i + 1], 2)
        if sport == cport and plen:
            cli = (seq + plen, tsval)
        elif dport == cport:
            srv = seq + plen
            last_segments.srv_win = struct.unpack("!H", tcp[14:16])[0]


def watched_pair(proto, rcvbuf=0):
    """A connection (closed by RST) after 3 round trips, and a capture on
    lo: (cap, c, s, (client's SND.NXT, its last TSval), server's SND.NXT)."""
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
    cap.bind(("lo", 0))
    c, s = pair(proto, rcvbuf)
    for sk in (c, s):
        sk.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                      struct.pack("ii", 1, 0))
    round_trips(c, s, 3)
    time.sleep(0.2)
    cap.setblocking(False)
    cli, srv = last_segments(cap, proto, c.getsockname()[1])
    if not cli or cli[1] is None or srv is None:
        sys.exit("no timestamps seen: %r %r" % (cli, srv))
    return cap, c, s, cli, srv


def inject(proto, cport, sport, seq, ack, tsval, tsecr, data, win=65535):
    opts = struct.pack("!BBBBII", 1, 1, 8, 10, tsval, tsecr)
    hdr = struct.pack("!HHIIBBHHH", cport, sport, seq, ack,
                      (20 + len(opts)) // 4 << 4, 0x18, win, 0, 0)
    seg = hdr + opts + data
    lo = socket.inet_aton("127.0.0.1")
    pseudo = lo + lo + struct.pack("!BBH", 0, 6, len(seg))
    seg = seg[:16] + struct.pack("!H", csum16(pseudo + seg)) + seg[18:]
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), 0, 0x4000,
                      64, proto, 0, lo, lo)
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    raw.sendto(iph + seg, ("127.0.0.1", 0))
    raw.close()


def paws(proto):
    cap, c, s, cli, srv = watched_pair(proto)
    seq, tsval = cli
    sport = s.getsockname()[1]
    s.settimeout(0.5)
    verdict = []
    for ts in (tsval - 100, tsval + 100):
        inject(proto, c.getsockname()[1], sport, seq, srv, ts & 0xffffffff, 0,
               b"Z")
        try:
            verdict.append("taken" if s.recv(1) == b"Z" else "other")
        except socket.timeout:
            verdict.append("dropped")
    c.close()
    s.close()
    print("ok " + " ".join(verdict))


def edgeack(proto):
    """RFC 9293 3.10.7.4's test refuses an ACK whose SEQ is the right edge
    of the window; Linux's tcp_sequence() takes it. A peer that filled
    the window and had part of that data dropped sends its ACKs there:
    refused, two such ends never hear each other again (a mytcp stall
    under memory pressure, selftests/mem_pressure.sh)."""
    import fcntl
    import termios
    cap, c, s, cli, srv = watched_pair(proto)
    sport = s.getsockname()[1]
    filter_from(proto, sport, "drop")
    try:
        s.sendall(b"e" * 100)
        srv += 100
        time.sleep(0.1)
        info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
        rcv_wscale = info[6] >> 4
        wnd = last_segments.srv_win << rcv_wscale
        if not wnd:
            sys.exit("the server offers no window")
        seq, tsval = cli
        inject(proto, c.getsockname()[1], sport, (seq + wnd) & 0xffffffff,
               srv, (tsval + 100) & 0xffffffff, 0, b"")
        outq = struct.pack("i", 0)
        for _ in range(50):
            time.sleep(0.01)
            left = struct.unpack("i", fcntl.ioctl(s.fileno(), termios.TIOCOUTQ,
                                                  outq))[0]
            if not left:
                break
    finally:
        unblackhole()
    c.close()
    s.close()
    print("ok " + ("taken" if not left else "refused (%d unacked)" % left))


def captured(cap, proto):
    """The TCP header and text of each segment of PROTO the (non-blocking)
    capture on lo holds, until it holds no more."""
    while True:
        try:
            frame = cap.recv(65535)
        except BlockingIOError:
            return
        ip = frame[14:]
        if len(ip) < 40 or ip[9] != proto:
            continue
        ihl = (ip[0] & 15) * 4
        yield ip[ihl:struct.unpack("!H", ip[2:4])[0]]


def acks_from(cap, proto, sport, ack):
    """SEQ of each pure ACK (no text, no SYN, FIN or RST) from SPORT
    acknowledging ACK, captured on lo."""
    out = []
    for tcp in captured(cap, proto):
        port, seq, acked = struct.unpack("!HII", tcp[0:2] + tcp[4:12])
        if port == sport and acked == ack and \
                len(tcp) == (tcp[12] >> 4) * 4 and tcp[13] & 0x17 == 0x10:
            out.append(seq)
    return out


def finseq(proto):
    """The server's peer closes its window, the server shuts down (mytcp
    sends a bare FIN even into a zero window, Linux holds it), then data
    arrives: the server's ACK must carry SEQ = the window's right edge,
    as Linux's tcp_acceptable_seq(), not the SND.NXT past the FIN, which
    the peer's acceptability test (RFC 9293 3.10.7.4) would refuse.
    Prints the ACK's SEQ less the edge."""
    cap, c, s, cli, srv = watched_pair(proto)
    cport, sport = c.getsockname()[1], s.getsockname()[1]
    seq, tsval = cli
    filter_from(proto, sport, "divert")
    try:
        # A byte first: the zero window then rides on a newer SEQ, which
        # Linux 6.1 needs to take a smaller window (SND.WL1, 3.10.7.4).
        inject(proto, cport, sport, seq, srv, (tsval + 100) & 0xffffffff, 0,
               b"Y")
        seq = (seq + 1) & 0xffffffff
        inject(proto, cport, sport, seq, srv, (tsval + 101) & 0xffffffff, 0,
               b"", win=0)
        for _ in range(100):
            time.sleep(0.01)
            info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 232)
            if not struct.unpack("I", info[228:232])[0]:    # tcpi_snd_wnd
                break
        else:
            sys.exit("the zero window was not taken")
        s.shutdown(socket.SHUT_WR)
        time.sleep(0.05)
        acks_from(cap, proto, sport, 0)     # what came before
        inject(proto, cport, sport, seq, srv, (tsval + 102) & 0xffffffff, 0,
               b"Z", win=0)
        time.sleep(0.3)
        acks = acks_from(cap, proto, sport, (seq + 1) & 0xffffffff)
    finally:
        unblackhole()
    c.close()
    s.close()
    # SEQ = SND.UNA - 1 is a zero-window probe (Linux holds its FIN and
    # probes), not the answer to the data.
    acks = [a for a in acks if a != (srv - 1) & 0xffffffff]
    if not acks:
        sys.exit("no ACK of the data seen")
    print("ok %d" % ((acks[0] - srv + 2**31) % 2**32 - 2**31))


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
    elif mode == "paws":
        paws(proto)
    elif mode == "edgeack":
        edgeack(proto)
    elif mode == "finseq":
        finseq(proto)
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
