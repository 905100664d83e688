#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Conformance prober: play the peer, segment by segment, against a TCP.

Run by conformance.sh inside the prober namespace; the target sockets
(Linux TCP, protocol 6, or mytcp, protocol 253) are made in the target
namespace by this same process through setns(2), so no helper process and
no IPC are needed: a socket stays in the namespace it was made in.

For every state from LISTEN to TIME-WAIT (and CLOSED) and every probe of
PROBES, one fresh connection is driven into the state by crafted segments
(Scapy) and the target's own socket calls, then the probe is sent and the
reply recorded: nothing, or each segment's flags, seq (relative to the
target's ISS), ack (relative to ours), window and option kinds. All the
connections of a state are set up and probed at once, one per probe, and
a SYN to a closed port ends each step: its RST arrives after the replies
to everything sent before it (one sending CPU, one veth backlog).

Each reply is checked against the RFC 9293 3.10.7 / RFC 5961 rules of
rfc_expect() and compared with Linux's reply to the same probe; the
differences RFC allows are in ALLOW, known mytcp bugs in XFAIL
(Documentation/conformance.rst renders both). Output: one line per
(state, probe), "# ok", "# ALLOW", "# XFAIL" or "# FAIL", and a summary;
exit status 1 on any FAIL.
"""
import argparse
import ctypes
import os
import random
import select
import socket
import struct
import sys
import time

# Scapy imports the cryptography package to know whether TLS layers can
# work; under TCG that alone takes seconds. Nothing here needs it.
sys.modules["cryptography"] = None
import logging  # noqa: E402

logging.getLogger("scapy").setLevel(logging.ERROR)
from scapy.layers.inet import IP, TCP  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4

F, S, R, P, A, U = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
FLAG_NAMES = ((S, "S"), (F, "F"), (R, "R"), (P, "P"), (A, "A"), (U, "U"))
OPT_NAMES = {2: "MSS", 3: "WS", 4: "SACKOK", 5: "SACK", 8: "TS"}

PROBER_WND = 8192    # the window the prober offers: MAX.SND.WND for RFC 5961 5.2
LISTEN_PORT = 7000   # a listener per state and stack: LISTEN_PORT + index
CLOSED_PORT = 6999   # nothing listens here
MARK_PORT = 9        # nor here: the end-of-step marker
MARK_SPORT = 999


def seqdiff(a, b):
    """a - b in sequence space, as a signed number."""
    d = (a - b) & 0xFFFFFFFF
    return d - (1 << 32) if d & 0x80000000 else d


def flagstr(fl):
    return "".join(n for b, n in FLAG_NAMES if fl & b) or "."


# --- network namespaces -----------------------------------------------------

_libc = ctypes.CDLL(None, use_errno=True)


class Netns:
    def __init__(self, path):
        self.fd = os.open(path, os.O_RDONLY)

    def enter(self):
        if _libc.setns(self.fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns: " + os.strerror(err))


# --- the wire ----------------------------------------------------------------


class Seg:
    """A TCP segment from the target, parsed from the IP packet."""

    __slots__ = ("sport", "dport", "seq", "ack", "flags", "win", "urp",
                 "opts", "dlen", "csum_ok", "t")

    def __init__(self, ip, proto_ok, t):
        ihl = (ip[0] & 15) * 4
        tot = struct.unpack_from("!H", ip, 2)[0]
        tcp = ip[ihl:tot]
        (self.sport, self.dport, self.seq, self.ack, off, self.flags,
         self.win, csum, self.urp) = struct.unpack_from("!HHIIBBHHH", tcp)
        doff = (off >> 4) * 4
        self.dlen = len(tcp) - doff
        self.opts = []
        o = tcp[20:doff]
        i = 0
        while i < len(o) and o[i] != 0:
            if o[i] == 1:
                i += 1
                continue
            if i + 1 >= len(o) or o[i + 1] < 2:
                self.opts.append("BAD")
                break
            self.opts.append(OPT_NAMES.get(o[i], "kind%d" % o[i]))
            i += o[i + 1]
        # The TCP checksum, pseudo-header with protocol 6 whatever the
        # IP header says (a mytcp segment is a TCP segment byte for byte).
        self.csum_ok = cksum(ip[12:20] + struct.pack("!BBH", 0, 6, len(tcp))
                             + tcp) == 0
        self.t = t


def cksum(b):
    if len(b) & 1:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s ^ 0xFFFF


class Wire:
    """An AF_PACKET tap on the prober's veth: it sees the target's
    segments before tc ingress drops them, so the prober's own kernel
    never answers."""

    def __init__(self, ifname, src_mac, dst_mac, src, dst):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                  socket.htons(ETH_P_ALL))
        self.sock.bind((ifname, ETH_P_ALL))
        self.sock.setblocking(False)
        self.src_mac, self.dst_mac = src_mac, dst_mac
        self.src, self.dst = src, dst
        self.proto = 6
        self.handlers = {}
        self.templates = {}

    def send(self, frame):
        self.sock.send(frame)

    def pump(self, until):
        """Read segments until time `until`; hand each to the handler of
        its destination port. Returns early when a handler returns True."""
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return False
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                return False
            while True:
                try:
                    data, addr = self.sock.recvfrom(65535)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING or len(data) < 34:
                    continue
                if data[12:14] != b"\x08\x00":
                    continue
                ip = data[14:]
                if ip[9] != self.proto or socket.inet_ntoa(ip[12:16]) != self.dst:
                    continue
                seg = Seg(ip, True, time.monotonic())
                h = self.handlers.get(seg.dport)
                if h and h(seg):
                    return True

    def mark(self, timeout=5.0):
        """Barrier: a SYN to a closed port. Its RST comes back after the
        replies to everything sent before it."""
        got = []
        seq = random.getrandbits(32)
        self.handlers[MARK_SPORT] = lambda s: got.append(s) or True
        self.send(self.build(MARK_SPORT, MARK_PORT, S, seq, 0))
        self.pump(time.monotonic() + timeout)
        del self.handlers[MARK_SPORT]
        if not got:
            raise RuntimeError("no RST from the closed port marker")
        # The replies were sent before the marker's RST, but may be read
        # after it: drain what is left.
        self.pump(time.monotonic() + 0.02)

    def build(self, sport, dport, flags, seq, ack, data=b"", options=None,
              win=PROBER_WND, urp=0, badsum=False, doff=None, rawopts=b""):
        """The frame of one segment. Scapy builds each shape once; ports,
        seq, ack and the checksum are then written into a copy."""
        shape = (self.proto, flags, repr(options), data, win, urp, doff,
                 rawopts)
        tmpl = self.templates.get(shape)
        if tmpl is None:
            tmpl = self.templates[shape] = self._scapy(
                flags, data, options, win, urp, doff, rawopts)
        raw = bytearray(tmpl)
        t = 14 + (raw[14] & 15) * 4
        struct.pack_into("!HHII", raw, t, sport, dport, seq & 0xFFFFFFFF,
                         ack & 0xFFFFFFFF)
        raw[t + 16:t + 18] = b"\0\0"
        # The pseudo-header says protocol 6 whatever the IP header says
        # (a mytcp segment is a TCP segment byte for byte).
        c = cksum(bytes(raw[26:34]) + struct.pack("!BBH", 0, 6, len(raw) - t)
                  + bytes(raw[t:]))
        if badsum:
            c ^= 0x5A5A
        struct.pack_into("!H", raw, t + 16, c)
        return bytes(raw)

    def _scapy(self, flags, data, options, win, urp, doff, rawopts):
        tcp = TCP(sport=1, dport=1, flags=flags, seq=0, ack=0, window=win,
                  urgptr=urp,
                  options=(options or []) + [("NOP", None)] * len(rawopts))
        pkt = (Ether(src=self.src_mac, dst=self.dst_mac, type=0x0800)
               / IP(src=self.src, dst=self.dst, proto=self.proto, ttl=64)
               / tcp)
        if data:
            pkt = pkt / Raw(data)
        if doff is not None:
            pkt[TCP].dataofs = doff
        raw = bytearray(bytes(pkt))
        if rawopts:
            # Over the NOPs at the end of the option space.
            t = 14 + (raw[14] & 15) * 4
            end = t + (raw[t + 12] >> 4) * 4
            raw[end - len(rawopts):end] = rawopts
        return bytes(raw)


# --- connections ---------------------------------------------------------------


class Conn:
    """One connection to the target, seen from the prober."""

    def __init__(self, pport, tport):
        self.pport, self.tport = pport, tport
        self.p_iss = random.getrandbits(32)
        self.p_nxt = (self.p_iss + 1) & 0xFFFFFFFF  # the target's RCV.NXT
        self.p_acked = None    # the last ack the prober sent
        self.t_iss = None
        self.t_nxt = None      # the target's SND.NXT
        self.wnd = 0           # the target's last window
        self.edge = None       # its right edge, ack + window
        self.fin_seq = None    # the seq of the target's FIN
        self.segs = []         # what the target sent since the last clear
        self.sock = None
        self.state = None
        self.broken = None     # why the set-up failed
        self.state = self.probe = self.ctx = self.synack_t = None
        self.p_nxt_probe = None

    def rx(self, seg):
        self.segs.append(seg)
        return False

    def learn(self, seg):
        """Take the target's variables from a segment of the set-up."""
        if self.t_iss is None and seg.flags & S:
            self.t_iss = seg.seq
        end = (seg.seq + seg.dlen + bool(seg.flags & S)
               + bool(seg.flags & F)) & 0xFFFFFFFF
        if self.t_nxt is None or seqdiff(end, self.t_nxt) > 0:
            self.t_nxt = end
        if seg.flags & F and self.fin_seq is None:
            self.fin_seq = (end - 1) & 0xFFFFFFFF
        if seg.flags & A:
            self.wnd = seg.win
            e = (seg.ack + seg.win) & 0xFFFFFFFF
            if self.edge is None or seqdiff(e, self.edge) > 0:
                self.edge = e

    def last(self, flags):
        for s in reversed(self.segs):
            if s.flags & (S | F | R | A) == flags:
                return s
        return None


# --- the probes -------------------------------------------------------------------

SYNC = ("SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2",
        "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT")
STATES = ("CLOSED", "LISTEN", "SYN-SENT") + SYNC
FIN_SENT = ("FIN-WAIT-1", "CLOSING", "LAST-ACK")
UNSYNC = ("CLOSED", "LISTEN", "SYN-SENT")

MSS_OPT = [("MSS", 1460)]
ALL_OPTS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (12345, 0)),
            ("WScale", 7)]
# Raw option bytes, written over NOPs after Scapy built the segment.
ZERO_LEN = b"\x02\x00\x01\x01"   # kind 2, length 0 (RFC 9293 3.1, MUST-7)
OVERLONG = b"\x02\x08\x05\xb4"   # kind 2, length 8 with 4 bytes left
UNKNOWN = b"\x63\x04\xab\xcd"    # kind 99, length 4 (MUST-6: ignore it)


class Probe:
    """A segment relative to a connection: flags, where its seq lies
    (nxt-1, nxt, wnd-1, wnd: RCV.NXT-1 ... RCV.NXT+RCV.WND), its ack
    (acked: what the prober acknowledged so far, sndnxt, unsent: SND.NXT+1,
    old: more than MAX.SND.WND below SND.UNA, bad: = ISS) and the rest."""

    def __init__(self, name, states, flags, pos="nxt", ack="acked",
                 data=b"", opts=None, rawopts=b"", badsum=False, doff=None,
                 urp=0, badopt=False):
        self.name, self.states, self.flags = name, states, flags
        self.pos, self.ackv, self.data = pos, ack, data
        self.opts, self.badsum, self.doff, self.urp = opts, badsum, doff, urp
        self.rawopts, self.badopt = rawopts, badopt

    def seglen(self):
        return len(self.data) + bool(self.flags & S) + bool(self.flags & F)


def _probes():
    out = []
    kinds = (("syn", S, b""), ("synack", S | A, b""), ("ack", A, b""),
             ("fin", F | A, b""), ("rst", R, b""), ("data", P | A, b"x"))
    for kname, fl, data in kinds:
        for pos in ("nxt-1", "nxt", "wnd-1", "wnd"):
            out.append(Probe("%s@%s" % (kname, pos), SYNC, fl, pos=pos,
                             data=data, opts=MSS_OPT if fl & S else None))
    out += [
        Probe("data2@nxt-1", SYNC, P | A, pos="nxt-1", data=b"xy"),
        Probe("rstack@nxt", SYNC, R | A),
        Probe("ack-sndnxt", FIN_SENT, A, ack="sndnxt"),
        Probe("ack-snduna", ("SYN-RECEIVED",), A, ack="una"),
        Probe("ack-unsent", SYNC, A, ack="unsent"),
        Probe("data-ack-unsent", SYNC, P | A, ack="unsent", data=b"x"),
        Probe("ack-old", SYNC, A, ack="old"),
        Probe("data-ack-old", SYNC, P | A, ack="old", data=b"x"),
        Probe("data-noack", SYNC, P, data=b"x"),
        Probe("data-badsum", SYNC, P | A, data=b"x", badsum=True),
        Probe("data-doff4", SYNC, P | A, data=b"x", doff=4),
        Probe("data-doff15", SYNC, P | A, data=b"x", doff=15),
        Probe("data-optlen0", SYNC, P | A, data=b"x", rawopts=ZERO_LEN, badopt=True),
        Probe("data-optlong", SYNC, P | A, data=b"x", rawopts=OVERLONG, badopt=True),
        Probe("data-optunknown", SYNC, P | A, data=b"x", rawopts=UNKNOWN),
        Probe("synfin@nxt", SYNC, S | F, opts=MSS_OPT),
        Probe("synrst@nxt", SYNC, S | R),
        Probe("data-urp-past", SYNC, P | A | U, data=b"x", urp=100),
    ]
    # LISTEN and CLOSED: no connection yet, so no window: the seq is the
    # prober's ISS, the ack an arbitrary number.
    for st in ("LISTEN", "CLOSED"):
        out += [
            Probe("syn", (st,), S, opts=MSS_OPT),
            Probe("syn-allopts", (st,), S, opts=ALL_OPTS),
            Probe("syn-data", (st,), S, data=b"x", opts=MSS_OPT),
            Probe("synack", (st,), S | A, opts=MSS_OPT),
            Probe("ack", (st,), A),
            Probe("fin", (st,), F | A),
            Probe("fin-noack", (st,), F),
            Probe("rst", (st,), R),
            Probe("rstack", (st,), R | A),
            Probe("data", (st,), P | A, data=b"x"),
            Probe("data-noack", (st,), P, data=b"x"),
            Probe("synfin", (st,), S | F, opts=MSS_OPT),
            Probe("synrst", (st,), S | R),
            Probe("syn-badsum", (st,), S, opts=MSS_OPT, badsum=True),
            Probe("syn-doff4", (st,), S, doff=4),
            Probe("syn-doff15", (st,), S, doff=15),
            Probe("syn-optlen0", (st,), S, rawopts=ZERO_LEN, badopt=True),
            Probe("syn-optlong", (st,), S, rawopts=OVERLONG, badopt=True),
            Probe("syn-optunknown", (st,), S, opts=MSS_OPT, rawopts=UNKNOWN),
            Probe("syn-urp-past", (st,), S | U, urp=100, opts=MSS_OPT),
        ]
    # SYN-SENT: the target's SYN is out; the prober answers for itself.
    st = ("SYN-SENT",)
    out += [
        Probe("synack", st, S | A, ack="sndnxt", opts=MSS_OPT),
        Probe("synack-allopts", st, S | A, ack="sndnxt", opts=ALL_OPTS),
        Probe("synack-ack-iss", st, S | A, ack="bad", opts=MSS_OPT),
        Probe("synack-ack-unsent", st, S | A, ack="unsent", opts=MSS_OPT),
        Probe("synack-data", st, S | A | P, ack="sndnxt", data=b"x",
              opts=MSS_OPT),
        Probe("synack-fin", st, S | A | F, ack="sndnxt", opts=MSS_OPT),
        Probe("syn", st, S, opts=MSS_OPT),
        Probe("ack", st, A, ack="sndnxt"),
        Probe("ack-unsent", st, A, ack="unsent"),
        Probe("rst", st, R),
        Probe("rstack", st, R | A, ack="sndnxt"),
        Probe("rstack-ack-unsent", st, R | A, ack="unsent"),
        Probe("fin", st, F | A, ack="sndnxt"),
        Probe("data", st, P | A, ack="sndnxt", data=b"x"),
        Probe("synfin", st, S | F, opts=MSS_OPT),
        Probe("synrst", st, S | R),
        Probe("synack-badsum", st, S | A, ack="sndnxt", opts=MSS_OPT,
              badsum=True),
        Probe("synack-doff4", st, S | A, ack="sndnxt", doff=4),
        Probe("synack-doff15", st, S | A, ack="sndnxt", doff=15),
        Probe("synack-optlen0", st, S | A, ack="sndnxt", rawopts=ZERO_LEN,
              badopt=True),
        Probe("synack-optlong", st, S | A, ack="sndnxt", rawopts=OVERLONG,
              badopt=True),
        Probe("synack-optunknown", st, S | A, ack="sndnxt",
              opts=MSS_OPT, rawopts=UNKNOWN),
    ]
    return out


PROBES = _probes()


# --- what RFC 9293 and RFC 5961 say ---------------------------------------------

T_BASE = 0x40000000  # LISTEN and CLOSED: the ack probes carry, as if an ISS


class Ctx:
    """The target's variables just before a probe, as the prober knows
    them, and the probe segment itself."""

    def __init__(self, state, c, pr):
        self.state = state
        self.iss = c.t_iss
        self.snd_nxt = c.t_nxt
        self.snd_una = c.p_acked if c.p_acked is not None else c.t_iss
        self.rcv_nxt = c.p_nxt
        self.rcv_wnd = c.wnd
        pos = {"nxt-1": -1, "nxt": 0, "wnd-1": c.wnd - 1, "wnd": c.wnd}
        self.seq = (c.p_nxt + pos[pr.pos]) & 0xFFFFFFFF
        if state == "SYN-SENT":
            self.seq = c.p_iss
        acks = {"acked": self.snd_una if state != "SYN-RECEIVED"
                else (c.t_iss + 1) & 0xFFFFFFFF,
                "sndnxt": c.t_nxt,
                "una": c.t_iss,
                "unsent": (c.t_nxt + 1) & 0xFFFFFFFF,
                "old": (self.snd_una - PROBER_WND - 10000) & 0xFFFFFFFF,
                "bad": c.t_iss}
        self.ack = acks[pr.ackv] if pr.flags & A else 0


def rfc_expect(ctx, pr):
    """(rule, alternatives): the replies RFC 9293 3.10.7 (with RFC 5961)
    allows for probe pr in ctx; each alternative is a list of segments
    (flags, seq, ack); seq "ISS" is any new ISS."""
    st, fl, seq, ack = ctx.state, pr.flags, ctx.seq, ctx.ack
    L = pr.seglen()
    if pr.badsum:
        return "3.1: a bad checksum -> discard (MUST-2, MUST-3)", [[]]
    if pr.doff is not None:
        return "3.1: data offset < 5 or past the segment -> discard", [[]]
    rule, alts = _expect(st, ctx, pr, fl, seq, ack, L)
    if pr.badopt:
        rule += ("; 3.1 MUST-7: an illegal option length is handled as the"
                 " implementation likes (suggested: reset), or ignored")
        alts = alts + [[]] + [a for a in _rst_alts(ctx) if a not in alts]
    return rule, alts


def _rst_alts(ctx):
    if ctx.snd_nxt is None:
        return []
    return [[(R, ctx.snd_nxt, None)], [(R | A, ctx.snd_nxt, ctx.rcv_nxt)]]


def _ack(ctx, rcv=None):
    return [(A, ctx.snd_nxt, ctx.rcv_nxt if rcv is None else rcv)]


def _expect(st, ctx, pr, fl, seq, ack, L):
    if st == "CLOSED":
        if fl & R:
            return "3.10.7.1: an RST -> discard", [[]]
        if fl & A:
            return "3.10.7.1: ACK on -> <SEQ=SEG.ACK><CTL=RST>", \
                [[(R, ack, None)]]
        return "3.10.7.1: ACK off -> <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>", \
            [[(R | A, 0, seq + L)]]
    if st == "LISTEN":
        if fl & R:
            return "3.10.7.2 first: an RST -> ignore", [[]]
        if fl & A:
            return "3.10.7.2 second: an ACK -> <SEQ=SEG.ACK><CTL=RST>", \
                [[(R, ack, None)]]
        if fl & S:
            alts = [[(S | A, "ISS", seq + 1)]]
            rule = ("3.10.7.2 third: a SYN -> <SEQ=ISS><ACK=RCV.NXT>"
                    "<CTL=SYN,ACK>, RCV.NXT = SEG.SEQ+1, other control or"
                    " text queued")
            if fl & F:
                rule += ("; a listener may refuse any SYN (3.10.7.2 does not"
                         " oblige it to take one, and SYN+FIN is no real"
                         " connection request)")
                alts.append([])
            return rule, alts
        return "3.10.7.2 fourth: no SYN, RST or ACK -> drop", [[]]
    if st == "SYN-SENT":
        iss, nxt = ctx.iss, ctx.snd_nxt
        ack_ok = seqdiff(ack, iss) > 0 and seqdiff(ack, nxt) <= 0
        if fl & A and not ack_ok:
            if fl & R:
                return "3.10.7.3 first: unacceptable ACK, RST on -> drop", [[]]
            return ("3.10.7.3 first: SEG.ACK =< ISS or > SND.NXT ->"
                    " <SEQ=SEG.ACK><CTL=RST>"), [[(R, ack, None)]]
        if fl & R:
            if fl & A:
                return ("3.10.7.3 second: RST with an acceptable ACK ->"
                        " CLOSED, no reply"), [[]]
            return "3.10.7.3 second: RST without ACK -> drop", [[]]
        if fl & S:
            rnxt = seq + 1
            if fl & A:
                full = rnxt + len(pr.data) + bool(fl & F)
                alts = [[(A, nxt, full)]]
                if full != rnxt:
                    alts.append([(A, nxt, rnxt)])
                return ("3.10.7.3 fourth: SYN and acceptable ACK ->"
                        " ESTABLISHED, <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>;"
                        " text and FIN go on to the sixth step (a receiver"
                        " may also leave them unacknowledged)"), alts
            return ("3.10.7.3 fourth: SYN without ACK -> SYN-RECEIVED,"
                    " <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, other controls"
                    " or text queued"), [[(S | A, iss, rnxt)]]
        return "3.10.7.3 fifth: neither SYN nor RST -> drop", [[]]
    return _expect_sync(st, ctx, pr, fl, seq, ack, L)


def _expect_sync(st, ctx, pr, fl, seq, ack, L):
    nxt, wnd = ctx.rcv_nxt, ctx.rcv_wnd
    off = seqdiff(seq, nxt)
    if L == 0:
        ok = off == 0 if wnd == 0 else 0 <= off < wnd
    else:
        ok = wnd > 0 and (0 <= off < wnd or 0 <= off + L - 1 < wnd)
    if st == "TIME-WAIT" and fl & (S | A | R) == S and off > 0:
        return ("3.10.7.4 fourth: in TIME-WAIT a new SYN may open a new"
                " connection; RFC 1122 4.2.2.13: if its seq is above the old"
                " one and the new ISS above the old SND.NXT; else challenge"
                " ACK"), [_ack(ctx), [(S | A, "ISS", seq + 1)]]
    if fl & R:
        if st == "TIME-WAIT" and 0 < off < max(wnd, 1):
            return ("RFC 5961 3.2 (3): challenge ACK; or nothing: RFC 1337"
                    " has TIME-WAIT ignore RSTs"), [_ack(ctx), []]
        if not 0 <= off < max(wnd, 1):
            return "RFC 5961 3.2 (1): an RST outside the window -> drop", [[]]
        if off == 0:
            return ("RFC 5961 3.2 (2): an RST at RCV.NXT -> reset"
                    " (3.10.7.4 second: SYN-RECEIVED from LISTEN goes back"
                    " to LISTEN), no reply"), [[]]
        return ("RFC 5961 3.2 (3): an RST in the window, not at RCV.NXT ->"
                " challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"), \
            [_ack(ctx)]
    if not ok:
        rule = ("3.10.7.4 first: not acceptable -> <SEQ=SND.NXT>"
                "<ACK=RCV.NXT><CTL=ACK>, drop")
        alts = [_ack(ctx)]
        if L == 0 and wnd > 0 and off == wnd:
            # A connection takes an ACK at the right edge as Linux does
            # (mytcp_rcv_seq_ok()): else two ends whose windows were
            # filled and partly dropped refuse each other's ACKs forever.
            rule += ("; or, as Linux's tcp_sequence(), take an ACK"
                     " starting at the right edge: nothing to answer")
            alts.append([])
        if st == "SYN-RECEIVED" and fl == S and off == -1:
            rule += ("; or the SYN-ACK again: the SYN is a retransmission"
                     " and the SYN-ACK is not acknowledged (3.8.1)")
            alts.append([(S | A, ctx.iss, nxt)])
        return rule, alts
    if fl & S:
        if st == "SYN-RECEIVED":
            return ("3.10.7.4 fourth: a SYN in SYN-RECEIVED from a passive"
                    " OPEN -> back to LISTEN, no reply"), [[]]
        return ("3.10.7.4 fourth, RFC 5961 4.2: a SYN in a synchronized"
                " state -> challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"), \
            [_ack(ctx)]
    if not fl & A:
        return "3.10.7.4 fifth: ACK off -> drop", [[]]
    una = ctx.snd_una
    if st in ("LAST-ACK", "TIME-WAIT") and (
            seqdiff(ack, ctx.snd_nxt) > 0 or
            seqdiff(ack, una - PROBER_WND) < 0):
        return ("3.10.7.4 fifth, %s: only our FIN's ACK (or the peer's FIN)"
                " is expected; the ESTABLISHED rules for a bad ACK, and"
                " RFC 5961 5.2, are not stated for it: ACK or nothing" % st), \
            [_ack(ctx), []]
    if st == "SYN-RECEIVED":
        if not (seqdiff(ack, una) > 0 and seqdiff(ack, ctx.snd_nxt) <= 0):
            return ("3.10.7.4 fifth, SYN-RECEIVED: an unacceptable ACK ->"
                    " <SEQ=SEG.ACK><CTL=RST>"), [[(R, ack, None)]]
        st = "ESTABLISHED"
    elif seqdiff(ack, ctx.snd_nxt) > 0:
        return ("3.10.7.4 fifth: SEG.ACK > SND.NXT -> send an ACK, drop"), \
            [_ack(ctx)]
    elif seqdiff(ack, una - PROBER_WND) < 0:
        return ("RFC 5961 5.2: SEG.ACK < SND.UNA - MAX.SND.WND -> discard,"
                " send an ACK"), [_ack(ctx)]
    fin_acked = ack == ctx.snd_nxt and st in FIN_SENT
    if st == "FIN-WAIT-1" and fin_acked:
        st = "FIN-WAIT-2"
    if st == "CLOSING":
        if fin_acked:
            return "3.10.7.4 fifth, CLOSING: our FIN acked -> TIME-WAIT", [[]]
        return ("3.10.7.4 fifth, CLOSING: FIN not acked -> ignore the segment"
                " (no reply named; an ACK of RCV.NXT changes nothing)"), \
            [[], _ack(ctx)]
    if st == "LAST-ACK" and fin_acked:
        return "3.10.7.4 fifth, LAST-ACK: our FIN acked -> CLOSED", [[]]
    # Seventh: text; eighth: FIN.
    dlen = len(pr.data)
    if dlen and st in ("ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2"):
        if off > 0:
            # Held for later; RFC 5681 4.2: an immediate duplicate ACK.
            return ("3.10.7.4 seventh: out-of-order text is held; RFC 5681"
                    " 4.2: SHOULD send an immediate duplicate ACK"), \
                [_ack(ctx)]
        new = seq + dlen
        if fl & F:
            new += 1
        return ("3.10.7.4 seventh: text at RCV.NXT is taken -> <SEQ=SND.NXT>"
                "<ACK=RCV.NXT><CTL=ACK> (3.8.6.3: the ACK may be delayed)"), \
            [_ack(ctx, new), []]
    if dlen and not fl & F:
        return ("3.10.7.4 seventh, %s: \"This should not occur since a FIN"
                " has been received from the remote side. Ignore the segment"
                " text.\" (no reply named; an ACK of RCV.NXT changes"
                " nothing)" % st), [[], _ack(ctx)]
    if fl & F:
        if off > 0:
            return ("3.10.7.4 eighth: a FIN out of order waits for the text"
                    " before it; RFC 5681 4.2: duplicate ACK"), [_ack(ctx), []]
        if st in ("ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2"):
            return ("3.10.7.4 eighth: a FIN -> RCV.NXT+1, <SEQ=SND.NXT>"
                    "<ACK=RCV.NXT><CTL=ACK>"), [_ack(ctx, seq + 1)]
        if st == "TIME-WAIT":
            return ("3.10.7.4 eighth, TIME-WAIT: a FIN -> acknowledge it,"
                    " restart the 2 MSL timeout"), [_ack(ctx), _ack(ctx, seq + 1)]
        return ("3.10.7.4 eighth, %s: remain; a second FIN beyond the first"
                " has no RFC answer (ACK or nothing)" % st), \
            [_ack(ctx), _ack(ctx, seq + 1), []]
    return "3.10.7.4 fifth: an acceptable ACK, nothing to answer", [[]]


# --- driving the target into each state --------------------------------------------

PROC_STATE = {"ESTABLISHED": 1, "SYN-SENT": 2, "SYN-RECEIVED": 3,
              "FIN-WAIT-1": 4, "FIN-WAIT-2": 5, "TIME-WAIT": 6,
              "CLOSE-WAIT": 8, "LAST-ACK": 9, "CLOSING": 11}

# The set-up steps of each state, in order (the target listens unless it
# is SYN-SENT): syn: the prober's SYN, answered by a SYN-ACK; ack: the
# ACK that completes the handshake; accept: the target accepts; shut: the
# target's shutdown(SHUT_WR), its FIN; ackfin: the prober ACKs that FIN;
# fin: the prober's FIN, not ACKing the target's; finack: the prober's FIN
# ACKing the target's; connect: the target's connect(), its SYN.
RECIPES = {
    "CLOSED": (),
    "LISTEN": (),
    "SYN-SENT": ("connect",),
    "SYN-RECEIVED": ("syn",),
    "ESTABLISHED": ("syn", "ack", "accept"),
    "FIN-WAIT-1": ("syn", "ack", "accept", "shut"),
    "FIN-WAIT-2": ("syn", "ack", "accept", "shut", "ackfin"),
    "CLOSE-WAIT": ("syn", "ack", "accept", "fin"),
    "LAST-ACK": ("syn", "ack", "accept", "fin", "shut"),
    "CLOSING": ("syn", "ack", "accept", "shut", "fin"),
    "TIME-WAIT": ("syn", "ack", "accept", "shut", "finack"),
}


class Stack:
    """One target stack: Linux TCP (6) or mytcp (253)."""

    def __init__(self, name, proto, wire, tns, pns, verbose):
        self.name, self.proto, self.wire = name, proto, wire
        self.tns, self.pns, self.verbose = tns, pns, verbose
        self.next_port = 20000 if proto == 6 else 40000
        self.listeners = []

    def tsocket(self):
        self.tns.enter()
        try:
            return socket.socket(socket.AF_INET, socket.SOCK_STREAM,
                                 self.proto)
        finally:
            self.pns.enter()

    def proc_states(self):
        """{prober port: state code} from the target's /proc/net file."""
        self.tns.enter()
        try:
            with open("/proc/net/tcp" if self.proto == 6
                      else "/proc/net/mytcp") as f:
                lines = f.readlines()[1:]
        finally:
            self.pns.enter()
        out = {}
        for line in lines:
            fld = line.split()
            out[int(fld[2].split(":")[1], 16)] = int(fld[3], 16)
        return out

    def port(self):
        self.next_port += 1
        return self.next_port

    def run_state(self, state, probes):
        for attempt in range(3):
            res = self._run_state(state, probes)
            if res is not None:
                return res
            print("# %s %s: set-up too slow (SYN-ACK timer), again"
                  % (self.name, state))
        raise RuntimeError("%s %s: set-up too slow three times"
                           % (self.name, state))

    def _run_state(self, state, probes):
        w = self.wire
        w.proto = self.proto
        conns = []
        lport = LISTEN_PORT + STATES.index(state) + (0 if self.proto == 6 else 100)
        lsock = None
        if state not in ("CLOSED", "SYN-SENT"):
            lsock = self.tsocket()
            lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            lsock.bind((w.dst, lport))
            lsock.listen(256)
            lsock.setblocking(False)
            self.listeners.append(lsock)
        for pr in probes:
            c = Conn(self.port(), CLOSED_PORT if state == "CLOSED" else lport)
            c.probe, c.state = pr, state
            conns.append(c)
            w.handlers[c.pport] = c.rx
        if state in ("CLOSED", "LISTEN"):
            for c in conns:
                c.t_iss = T_BASE
                c.t_nxt = c.p_acked = (T_BASE + 1) & 0xFFFFFFFF
                c.p_nxt = c.p_iss
        t_first = None
        for step in RECIPES[state]:
            for c in conns:
                c.segs = []
            getattr(self, "step_" + step)(conns, lsock)
            for c in conns:
                for seg in c.segs:
                    c.learn(seg)
                if step == "syn" and c.segs:
                    c.synack_t = c.segs[0].t
                    t_first = min(t_first or c.synack_t, c.synack_t)
            self.check_step(step, conns)
        if state in PROC_STATE:
            seen = self.proc_states()
            for c in conns:
                if not c.broken and seen.get(c.pport) != PROC_STATE[state]:
                    c.broken = "in state %s, not %02X" % (
                        "%02X" % seen[c.pport] if c.pport in seen else "none",
                        PROC_STATE[state])
        # The probes, all at once.
        frames = []
        for c in conns:
            c.segs = []
            c.ctx = Ctx(state, c, c.probe)
            c.p_nxt_probe = c.p_nxt
            if not c.broken:
                frames.append(self.frame(c, c.probe, c.ctx))
        t_probe = time.monotonic()
        for fr in frames:
            w.send(fr)
        w.mark()
        t_end = time.monotonic()
        for c in conns:
            del w.handlers[c.pport]
        if state == "SYN-RECEIVED" and t_end - t_first > 0.9:
            self.cleanup(conns)
            return None
        if self.verbose:
            print("# %s %s: set-up and probes %.2f s, probes %.2f s"
                  % (self.name, state, t_end - (t_first or t_probe),
                     t_end - t_probe))
        self.cleanup(conns)
        return conns

    def cleanup(self, conns):
        for c in conns:
            if c.sock:
                # No RST to the prober (nobody listens there): SO_LINGER
                # would send one, a plain close() may send a FIN; either
                # lands in the tc drop. Linux keeps nothing visible.
                c.sock.close()
                c.sock = None

    def frame(self, c, pr, ctx):
        return self.wire.build(c.pport, c.tport, pr.flags, ctx.seq, ctx.ack,
                               data=pr.data, options=pr.opts, urp=pr.urp,
                               badsum=pr.badsum, doff=pr.doff,
                               rawopts=pr.rawopts)

    # Set-up steps: send, then wait for the marker.

    def step_syn(self, conns, lsock):
        for c in conns:
            self.wire.send(self.wire.build(c.pport, c.tport, S, c.p_iss, 0,
                                           options=MSS_OPT))
        self.wire.mark()

    def step_ack(self, conns, lsock):
        for c in conns:
            if c.t_iss is None:
                continue
            c.p_acked = (c.t_iss + 1) & 0xFFFFFFFF
            self.wire.send(self.wire.build(c.pport, c.tport, A, c.p_nxt,
                                           c.p_acked))
        self.wire.mark()

    def step_accept(self, conns, lsock):
        byport = {c.pport: c for c in conns}
        left = sum(1 for c in conns if c.t_iss is not None)
        deadline = time.monotonic() + 5
        while left and time.monotonic() < deadline:
            try:
                s, peer = lsock.accept()
            except BlockingIOError:
                select.select([lsock], [], [], 0.1)
                continue
            c = byport.get(peer[1])
            if c:
                c.sock = s
                left -= 1
            else:
                s.close()

    def step_shut(self, conns, lsock):
        for c in conns:
            if c.sock:
                c.sock.shutdown(socket.SHUT_WR)
        self.wire.mark()

    def step_ackfin(self, conns, lsock):
        for c in conns:
            if c.fin_seq is None:
                continue
            c.p_acked = c.t_nxt
            self.wire.send(self.wire.build(c.pport, c.tport, A, c.p_nxt,
                                           c.p_acked))
        self.wire.mark()

    def _fin(self, conns, ack_fin):
        for c in conns:
            if c.t_iss is None:
                continue
            if ack_fin:
                c.p_acked = c.t_nxt
            self.wire.send(self.wire.build(c.pport, c.tport, F | A, c.p_nxt,
                                           c.p_acked))
            c.p_nxt = (c.p_nxt + 1) & 0xFFFFFFFF
        self.wire.mark()

    def step_fin(self, conns, lsock):
        self._fin(conns, False)

    def step_finack(self, conns, lsock):
        self._fin(conns, True)

    def step_connect(self, conns, lsock):
        for c in conns:
            c.sock = self.tsocket()
            c.sock.setblocking(False)
            c.sock.connect_ex((self.wire.src, c.pport))
        self.wire.mark()
        for c in conns:
            c.p_nxt = c.p_iss
            if c.segs:
                c.tport = c.segs[0].sport

    def check_step(self, step, conns):
        """Each step's answer, as in any TCP: else the connection is
        marked broken and its probe fails."""
        want = {"syn": S | A, "shut": F | A, "connect": S,
                "fin": A, "finack": A}.get(step)
        for c in conns:
            if c.broken or want is None:
                continue
            got = [s for s in c.segs if s.flags & (S | F | R | A) == want]
            if step in ("fin", "finack"):
                got = [s for s in got if s.ack == c.p_nxt]
            if not got:
                c.broken = "set-up step %s: no %s, got %s" % (
                    step, flagstr(want), fmt_segs(c, c.segs) or "nothing")


# --- judging ---------------------------------------------------------------------------


def rel(v, base):
    d = seqdiff(v, base)
    return str(d) if -(1 << 20) < d < (1 << 20) else "#%08x" % v


def seg_key(c, flags, seq, ack, dlen=0):
    if seq == "ISS" or (flags & S and c.state in ("LISTEN", "CLOSED")) or \
            (flags & S and c.state == "TIME-WAIT"
             and seqdiff(seq, c.t_nxt) > 0):
        s = "iss"
    else:
        s = rel(seq, c.t_iss)
    a = ack_rel(c, ack) if flags & A else "-"
    return (flagstr(flags), s, a, dlen)


def ack_rel(c, ack):
    """An ack as N+k (N: RCV.NXT before the probe) or S+k (S: the probe's
    seq), so that it reads the same for stacks with different windows."""
    if c.ctx is None:       # still in the set-up
        return rel(ack, c.p_iss)
    for name, base in (("N", c.p_nxt_probe), ("S", c.ctx.seq)):
        d = seqdiff(ack, base)
        if -16 < d < 16:
            return name + ("%+d" % d if d else "")
    return rel(ack, c.p_iss)


def key_str(k, seg=None):
    out = "%s s=%s" % (k[0], k[1])
    if k[2] != "-":
        out += " a=%s" % k[2]
    if k[3]:
        out += " len=%d" % k[3]
    if seg is not None:
        out += " w=%d" % seg.win
        if seg.opts:
            out += " o=" + ",".join(seg.opts)
    return out


def fmt_segs(c, segs):
    return " + ".join(key_str(seg_key(c, s.flags, s.seq, s.ack, s.dlen), s)
                      for s in segs)


def is_retransmission(c, seg):
    """A segment the target's timers sent, not an answer to the probe."""
    if seg.flags & (S | A | R | F) == S and seg.seq == c.t_iss:
        return True         # SYN-SENT: the SYN again
    if seg.flags & F and c.fin_seq is not None and \
            (seg.seq + seg.dlen) & 0xFFFFFFFF == c.fin_seq:
        return True         # our FIN again
    if c.state == "SYN-RECEIVED" and seg.flags & (S | A | R | F) == S | A \
            and seg.seq == c.t_iss and c.synack_t is not None \
            and seg.t - c.synack_t > 0.9:
        return True         # the SYN-ACK timer
    return False


class Result:
    def __init__(self, c):
        self.c = c
        self.replies = [s for s in c.segs if not is_retransmission(c, s)]
        self.retrans = len(c.segs) - len(self.replies)
        self.keys = [seg_key(c, s.flags, s.seq, s.ack, s.dlen)
                     for s in self.replies]
        self.opts = [tuple(s.opts) for s in self.replies if s.flags & S]
        self.text = fmt_segs(c, self.replies) or "-"
        self.rule, alts = rfc_expect(c.ctx, c.probe)
        self.expect = [[seg_key(c, *seg) + () for seg in alt] for alt in alts]
        self.expect = [[k[:3] + (0,) for k in alt] for alt in self.expect]
        self.problems = []
        if c.broken:
            self.problems.append(c.broken)
            return
        if self.keys not in self.expect:
            self.problems.append("RFC: " + " or ".join(
                " + ".join(key_str(k) for k in alt) or "nothing"
                for alt in self.expect))
        for s in self.replies:
            if not s.csum_ok:
                self.problems.append("bad checksum (3.1 MUST-2)")
            if s.flags & R and s.dlen:
                self.problems.append("data on an RST")
            if s.flags & A and not s.flags & (R | S) and c.edge is not None:
                e = (s.ack + s.win) & 0xFFFFFFFF
                if seqdiff(e, c.edge) < 0:
                    self.problems.append(
                        "window edge moved back by %d (3.8.6 SHLD-14)"
                        % -seqdiff(e, c.edge))


def _each(states, probes):
    return tuple("%s %s" % (st, pr) for st in states for pr in probes)


AFTER_FIN = ("CLOSE-WAIT", "CLOSING", "LAST-ACK")

# Differences from Linux that the RFC allows: (fnmatch patterns over
# "STATE probe", the RFC text that decides it). Rendered in
# Documentation/conformance.rst; keep the two in step.
ALLOW = [
    (("* *-optlen0", "* *-optlong"),
     "RFC 9293 3.1: \"TCP implementations MUST be prepared to handle an"
     " illegal option length (e.g., zero); a suggested procedure is to reset"
     " the connection and log the error cause (MUST-7)\". mytcp drops the"
     " segment (InHdrErrors); Linux stops parsing the options and goes on"),
    (("SYN-SENT syn", "SYN-SENT synfin"),
     "option kinds in a simultaneous open: the SYN,ACK mytcp sends carries"
     " only the options both SYNs offered (RFC 7323 2.2: a WS option \"MAY"
     " be sent in a <SYN,ACK> segment only if a WS option was received in"
     " the initial <SYN>\"; 3.2 likewise for timestamps, RFC 2018 2 for"
     " SACK-permitted); Linux repeats its own SYN's offer"),
    (("TIME-WAIT data-noack",),
     "RFC 9293 3.10.7.4 fifth check: \"if the ACK bit is off, drop the"
     " segment and return\". mytcp drops it; Linux ACKs it"
     " (tcp_timewait_state_process())"),
    (_each(SYNC, ("ack@wnd", "rst@wnd", "fin@wnd", "data@wnd", "syn@wnd")),
     "RFC 9293 3.10.7.4 first check: a segment is acceptable if"
     " \"RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND\": one starting at the right"
     " edge is not (mytcp: ACK it, drop an RST silently as RFC 5961 3.2"
     " says); Linux's tcp_sequence() takes it (!after(seq, rcv_nxt +"
     " window)), so it sends nothing for an ACK or FIN there and a"
     " challenge ACK for an RST. A mytcp connection takes an ACK without"
     " text there too, as Linux (a peer that filled the window sends its"
     " ACKs there); a request and a TIME-WAIT entry ACK it"),
    (_each(SYNC, ("ack-unsent", "data-ack-unsent")),
     "RFC 9293 3.10.7.4 fifth check: \"If the ACK acks something not yet"
     " sent (SEG.ACK > SND.NXT), then send an ACK, drop the segment, and"
     " return.\" mytcp does; Linux drops it silently (tcp_ack():"
     " TCP_ACK_UNSENT_DATA)"),
    (_each(("SYN-RECEIVED",), ("syn@nxt", "syn@wnd-1", "synack@nxt",
                               "synack@wnd-1", "synfin@nxt")),
     "RFC 9293 3.10.7.4 fourth check, SYN-RECEIVED: \"If the connection"
     " was initiated with a passive OPEN, then return this connection to"
     " the LISTEN state and return.\" No reply (mytcp); Linux sends an"
     " RST as RFC 793 did (\"If the SYN is in the window it is an error,"
     " send a reset\", tcp_check_req())"),
    (_each(AFTER_FIN, ("data@nxt", "data@wnd-1", "data2@nxt-1",
                       "data-optunknown", "data-urp-past", "fin@nxt",
                       "fin@wnd-1")),
     "RFC 9293 3.10.7.4 seventh check, CLOSE-WAIT, CLOSING, LAST-ACK:"
     " \"This should not occur since a FIN has been received from the"
     " remote side. Ignore the segment text.\" (CLOSING: \"otherwise,"
     " ignore the segment\"). No reply is named: mytcp ACKs RCV.NXT,"
     " Linux sends nothing, or an RST for new data"
     " (tcp_rcv_state_process(), RCV_SHUTDOWN)"),
    (("TIME-WAIT ack@wnd-1", "LAST-ACK ack-old"),
     "nothing to answer: an acceptable ACK in TIME-WAIT (RFC 9293 3.10.7.4"
     " fifth check: \"The only thing that can arrive in this state is a"
     " retransmission of the remote FIN\"), and in LAST-ACK, where RFC"
     " 5961 5.2 (written for ESTABLISHED processing) does not apply. mytcp"
     " sends nothing; Linux ACKs (tcp_timewait_state_process(),"
     " tcp_send_challenge_ack())"),
]

# Known mytcp bugs, each a difference from Linux the RFC does not allow or
# an RFC violation: (patterns, reason). They still print, as XFAIL; remove
# an entry when its bug is fixed (an XFAIL that passes prints "XPASS" and
# fails the test, so the list cannot go stale).
XFAIL = [
]


def match(table, state, name):
    import fnmatch
    for entry in table:
        for pat in entry[0]:
            if fnmatch.fnmatchcase("%s %s" % (state, name), pat):
                return entry
    return None


def judge(state, pr, ref, res):
    """(verdict, line): ok, ALLOW, XFAIL or FAIL for mytcp's result res
    against the RFC and Linux's result ref."""
    same = ref is not None and ref.keys == res.keys
    same_opts = ref is None or ref.opts == res.opts
    what = []
    if ref is not None and ref.problems and not ref.c.broken:
        what.append("Linux: " + "; ".join(ref.problems))
    if res.problems:
        verdict = "FAIL"
        why = "; ".join(res.problems)
    elif ref is not None and not same:
        verdict = "DIFF"
        why = "differs from Linux"
    elif not same_opts:
        verdict = "DIFF"
        why = "option kinds differ from Linux"
    else:
        verdict, why = "ok", ""
    if verdict == "ok" and ref is not None and match(XFAIL, state, pr.name):
        verdict, why = "FAIL", "XPASS: fixed? remove it from XFAIL"
    elif verdict != "ok":
        a = match(XFAIL, state, pr.name)
        if a:
            verdict, why = "XFAIL", why + " [XFAIL X%d: %s]" % (
                XFAIL.index(a) + 1, a[1])
        elif verdict == "DIFF":
            a = match(ALLOW, state, pr.name)
            verdict = "ALLOW" if a else "FAIL"
            why += " [allowed: A%d in ALLOW, %s]" % (
                ALLOW.index(a) + 1, a[1].split(":")[0]) if a else \
                " (not in ALLOW, and the RFC allows it)"
    line = "%s %s: mytcp %s" % (state, pr.name, res.text)
    if ref is not None and (not same or not same_opts or verdict != "ok"):
        line += " | Linux %s" % ref.text
    if verdict != "ok":
        line += " | %s | %s" % (why, res.rule)
    if what:
        line += " | " + "; ".join(what)
    return verdict, line


def print_rst():
    """The ALLOW and XFAIL tables as reStructuredText, for
    Documentation/conformance.rst."""
    import textwrap
    for title, tag, table in (("Allowed differences from Linux", "A", ALLOW),
                              ("Expected failures (mytcp bugs)", "X", XFAIL)):
        print(title)
        print("-" * len(title))
        print()
        for i, (pats, text) in enumerate(table):
            print("%s%d." % (tag, i + 1))
            print()
            byprobe = {}
            for pat in pats:
                st, name = pat.split(" ", 1)
                byprobe.setdefault(name, []).append(st)
            for name, sts in byprobe.items():
                if sorted(sts) == sorted(SYNC):
                    where = "SYN-RECEIVED to TIME-WAIT"
                elif sts == ["*"]:
                    where = "any state"
                else:
                    where = ", ".join(sorted(sts, key=STATES.index))
                print("* ``%s``: %s" % (name, where))
            print()
            print(textwrap.fill(text, 72, initial_indent="  ",
                                subsequent_indent="  "))
            print()


def main():
    if sys.argv[1:] == ["--rst"]:
        print_rst()
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target-ns", required=True)
    ap.add_argument("--prober-ns", required=True)
    ap.add_argument("--ifname", default="veth0")
    ap.add_argument("--src", required=True, help="the prober's address")
    ap.add_argument("--dst", required=True, help="the target's address")
    ap.add_argument("--src-mac", required=True)
    ap.add_argument("--dst-mac", required=True)
    ap.add_argument("--stacks", default="tcp:6,mytcp:253")
    ap.add_argument("--states", default=",".join(STATES))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    # One sending CPU: the probes reach the target's softirq in order,
    # through one backlog, and the marker comes last.
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    random.seed(os.getpid() ^ int(time.time()))
    tns, pns = Netns(args.target_ns), Netns(args.prober_ns)
    pns.enter()
    wire = Wire(args.ifname, args.src_mac, args.dst_mac, args.src, args.dst)
    states = args.states.split(",")
    t0 = time.monotonic()
    results = {}
    for spec in args.stacks.split(","):
        name, proto = spec.split(":")
        st = Stack(name, int(proto), wire, tns, pns, args.verbose)
        t1 = time.monotonic()
        for state in states:
            probes = [pr for pr in PROBES if state in pr.states]
            for c in st.run_state(state, probes):
                results[(name, state, c.probe.name)] = Result(c)
        for s in st.listeners:
            s.close()
        print("# %s: %d probes in %.1f s" % (
            name, sum(1 for k in results if k[0] == name),
            time.monotonic() - t1))

    counts = {}
    for state in states:
        for pr in PROBES:
            if state not in pr.states:
                continue
            res = results.get(("mytcp", state, pr.name))
            ref = results.get(("tcp", state, pr.name))
            if res is None:     # only the reference ran
                res, ref = ref, None
            verdict, line = judge(state, pr, ref, res)
            counts[verdict] = counts.get(verdict, 0) + 1
            if verdict != "ok" or args.verbose:
                print("# %s %s" % (verdict, line))
            else:
                print("# ok %s %s" % (state, pr.name))
    total = sum(counts.values())
    print("# conformance: %d (state, probe) pairs in %.1f s: %s" % (
        total, time.monotonic() - t0,
        ", ".join("%d %s" % (counts.get(v, 0), v)
                  for v in ("ok", "ALLOW", "XFAIL", "FAIL"))))
    return 1 if counts.get("FAIL") else 0


if __name__ == "__main__":
    sys.exit(main())
