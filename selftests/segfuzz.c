// SPDX-License-Identifier: GPL-2.0
/*
 * segfuzz: an in-VM segment fuzzer for mytcp (selftests/segfuzz.sh).
 *
 *   segfuzz fuzz --dev DEV --victim A --peer A [--listen-port P]
 *                [--seed N] [--count N] [--seconds S] [--mode blind|exact]
 *   segfuzz xfer -l A:P | -c A:P [-n CONNS] [-t SECONDS] [-P PROTO]
 *   segfuzz idle -l A:P | -c A:P [-t SECONDS] [-P PROTO]
 *
 * fuzz runs in the attacker's namespace, on its end DEV of the veth that
 * leads to the victim. An AF_PACKET socket sniffs every mytcp segment on
 * DEV, so the fuzzer learns the live 4-tuples, sequence numbers, windows
 * and timestamps; it then sends mutated segments as the legitimate peer
 * (--peer) would, through a raw IP_HDRINCL socket, and through the packet
 * socket when the IP header itself is to be wrong. Targets: the listener
 * (--listen-port), connections in SYN-SENT (a SYN from the victim that
 * nobody answered) and established ones.
 *
 * --mode blind (default): the attacker knows the 4-tuples and roughly
 * where the sequence space is, never exactly: every ACK number it sends
 * to a synchronized connection is far outside [SND.UNA - MAX.SND.WND,
 * SND.NXT], and no RST comes within 128 KiB of RCV.NXT. Mytcp must then
 * keep every legitimate transfer intact (RFC 5961 3, 4, 5).
 * --mode exact: against one idle connection, with exact values: an
 * in-window RST and SYN each draw a challenge ACK and change nothing,
 * data with a blind ACK number is not taken, a timestamp from the far
 * future on a dropped segment does not poison TS.Recent, and finally an
 * RST at exactly RCV.NXT resets the connection. Each step is checked on
 * the wire; the output says "exact: ok" or what failed.
 *
 * xfer: legitimate transfers, -n connections each way at once (-l
 * accepts them, -c opens them), each side sending a seeded stream for -t
 * seconds, then FIN; every byte received is checked. Prints "sent N
 * received N" and exits 0, or 1 on a stream error or a reset.
 * idle: one connection that sends one byte and then reads until the
 * connection ends; prints how it ended (for --mode exact).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/types.h>

#include "mytcp_helpers.h"	/* F_* segment flags */

#define PROTO_MYTCP	253
#define MAX_FLOWS	64
#define BLIND_MARGIN	(128u << 10)
#define FUZZ_TTL	13	/* our segments; legitimate ones carry 64 */

static __u64 rng_state;

static __u64 rnd(void)
{
	/* xorshift64*: reproducible from the printed seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static __u32 rn(__u32 n)
{
	return n ? (__u32)(rnd() % n) : 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- what the sniffer learned ------------------------------------------- */

struct flow {
	__u32 vaddr, paddr;		/* network order */
	__u16 vport, pport;		/* network order */
	bool synsent;			/* victim's SYN, unanswered so far */
	bool est;			/* data or ACKs seen both ways */
	__u32 v_nxt;			/* victim's highest seq + len */
	__u32 p_nxt;			/* peer's highest seq + len */
	__u32 v_ack;			/* victim's latest ACK (its RCV.NXT) */
	__u32 v_win;			/* victim's window, scaled */
	__u8 v_wscale;
	__u32 p_tsval, v_tsval;	/* latest timestamps each way */
	bool ts;
	bool p_data;			/* the peer sent data */
	double seen;
};

static struct flow flows[MAX_FLOWS];
static int nflows;
static __u32 victim_addr, peer_addr;
static __u16 listen_port;		/* network order, 0: none */
static int pkt_fd, raw_fd, ifindex;
static __u8 our_mac[6], victim_mac[6];
static bool have_victim_mac;

static bool seq_after(__u32 a, __u32 b)
{
	return (__s32)(a - b) > 0;
}

static bool is_target(const struct flow *f)
{
	return f->est || f->synsent;
}

static struct flow *flow_get(__u32 va, __u16 vp, __u32 pa,
			     __u16 pp, bool create)
{
	int i;

	for (i = 0; i < nflows; i++)
		if (flows[i].vaddr == va && flows[i].vport == vp &&
		    flows[i].paddr == pa && flows[i].pport == pp)
			return &flows[i];
	if (!create)
		return NULL;
	if (nflows == MAX_FLOWS) {
		/* Reuse the stalest, one that is no target first. */
		int old = 0;

		for (i = 1; i < nflows; i++)
			if (is_target(&flows[i]) == is_target(&flows[old]) ?
			    flows[i].seen < flows[old].seen :
			    is_target(&flows[old]))
				old = i;
		i = old;
	} else {
		i = nflows++;
	}
	memset(&flows[i], 0, sizeof(flows[i]));
	flows[i].vaddr = va;
	flows[i].vport = vp;
	flows[i].paddr = pa;
	flows[i].pport = pp;
	return &flows[i];
}

/* TS and WS out of an option list (RFC 7323 2, 3). */
static void parse_opts(const __u8 *o, int len, int *ws, __u32 *tsval)
{
	int i = 0;

	while (i < len) {
		if (o[i] == 0)
			break;
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || o[i + 1] < 2 || i + o[i + 1] > len)
			break;
		if (o[i] == 3 && o[i + 1] == 3)
			*ws = o[i + 2];
		if (o[i] == 8 && o[i + 1] == 10) {
			memcpy(tsval, o + i + 2, 4);
			*tsval = ntohl(*tsval);
		}
		i += o[i + 1];
	}
}

static __u32 seg_end(__u32 seq, int plen, __u8 flags)
{
	return seq + plen + !!(flags & F_SYN) + !!(flags & F_FIN);
}

/* One captured frame: learn from it. Our own segments (TTL 13) are not news. */
static void sniff_one(const __u8 *f, int n, const struct sockaddr_ll *sll)
{
	const __u8 *ip = f + ETH_HLEN, *th;
	int ihl, doff, plen, ws = -1;
	__u32 seq, ack, tsval = 0;
	struct flow *fl;
	bool from_victim;
	__u8 flags;

	if (n < ETH_HLEN + 20 || f[12] != 0x08 || f[13] != 0x00)
		return;
	ihl = (ip[0] & 15) * 4;
	if (ip[9] != PROTO_MYTCP || ip[8] == FUZZ_TTL || ihl < 20 ||
	    n < ETH_HLEN + ihl + 20 || (ip[6] & 0x3f) || ip[7])
		return;
	th = ip + ihl;
	doff = (th[12] >> 4) * 4;
	if (doff < 20 || n < ETH_HLEN + ihl + doff)
		return;
	plen = ((ip[2] << 8) | ip[3]) - ihl - doff;
	if (plen < 0)
		return;
	from_victim = !memcmp(ip + 12, &victim_addr, 4);
	if (from_victim && sll->sll_pkttype != PACKET_OUTGOING) {
		memcpy(victim_mac, f + 6, 6);
		have_victim_mac = true;
	}
	memcpy(&seq, th + 4, 4);
	memcpy(&ack, th + 8, 4);
	seq = ntohl(seq);
	ack = ntohl(ack);
	flags = th[13];
	parse_opts(th + 20, doff - 20, &ws, &tsval);
	/* Flows are picked up mid-stream too: the fuzzer may start late. */
	if (from_victim)
		fl = flow_get(victim_addr, *(__u16 *)th, *(__u32 *)(ip + 16),
			      *(__u16 *)(th + 2), !(flags & F_RST));
	else if (!memcmp(ip + 16, &victim_addr, 4))
		fl = flow_get(victim_addr, *(__u16 *)(th + 2),
			      *(__u32 *)(ip + 12), *(__u16 *)th,
			      (flags & (F_SYN | F_ACK)) == (F_SYN | F_ACK));
	else
		return;
	if (!fl)
		return;
	fl->seen = now_s();
	if (tsval)
		fl->ts = true;
	if (from_victim) {
		if ((flags & (F_SYN | F_ACK)) == F_SYN) {
			fl->synsent = true;
			fl->est = false;
			fl->v_nxt = seq + 1;
			fl->v_wscale = ws > 0 ? ws : 0;
			return;
		}
		if (flags & F_SYN)
			fl->v_wscale = ws > 0 ? ws : 0;
		if (!fl->v_nxt || seq_after(seg_end(seq, plen, flags), fl->v_nxt))
			fl->v_nxt = seg_end(seq, plen, flags);
		if (flags & F_ACK) {
			fl->v_ack = ack;
			fl->v_win = ((th[14] << 8) | th[15]) <<
				    ((flags & F_SYN) ? 0 : fl->v_wscale);
		}
		if (tsval)
			fl->v_tsval = tsval;
	} else {
		if (!fl->p_nxt || seq_after(seg_end(seq, plen, flags), fl->p_nxt))
			fl->p_nxt = seg_end(seq, plen, flags);
		if (tsval)
			fl->p_tsval = tsval;
		if (plen)
			fl->p_data = true;
	}
	if ((flags & F_RST) || ((flags & F_FIN) && fl->est)) {
		fl->est = false;
		fl->synsent = false;
	} else if (!(flags & F_SYN) && (flags & F_ACK) && fl->p_nxt &&
		   fl->v_nxt) {
		fl->est = true;
		fl->synsent = false;
	}
}

static int sniff(int wait_ms)
{
	struct pollfd p = { .fd = pkt_fd, .events = POLLIN };
	struct sockaddr_ll sll;
	int n, got = 0;
	__u8 buf[2048];
	socklen_t sl;

	if (wait_ms && poll(&p, 1, wait_ms) <= 0)
		return 0;
	for (;;) {
		sl = sizeof(sll);
		n = recvfrom(pkt_fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&sll, &sl);
		if (n < 0)
			return got;
		sniff_one(buf, n, &sll);
		got++;
	}
}

/* --- building segments --------------------------------------------------- */

static __u16 csum_fold(__u32 s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

/* The TCP checksum: its pseudo-header says protocol 6 (a TCP segment). */
static __u16 tcp_csum(__u32 sa, __u32 da, const __u8 *seg, int len)
{
	__u8 ph[12];

	memcpy(ph, &sa, 4);
	memcpy(ph + 4, &da, 4);
	ph[8] = 0;
	ph[9] = 6;
	ph[10] = len >> 8;
	ph[11] = len;
	return csum_fold(csum_add(csum_add(0, ph, 12), seg, len));
}

static void ip_csum(__u8 *ip)
{
	__u16 c;

	ip[10] = 0;
	ip[11] = 0;
	c = csum_fold(csum_add(0, ip, 20));
	ip[10] = c >> 8;
	ip[11] = c;
}

static void ip_header(__u8 *ip, int tot, __u8 proto, __u32 sa, __u32 da,
		      __u16 frag)
{
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = tot >> 8;
	ip[3] = tot;
	ip[4] = rn(256);
	ip[5] = rn(255) + 1;	/* a non-zero id: the kernel keeps it */
	ip[6] = frag >> 8;
	ip[7] = frag;
	ip[8] = FUZZ_TTL;
	ip[9] = proto;
	memcpy(ip + 12, &sa, 4);
	memcpy(ip + 16, &da, 4);
	ip_csum(ip);
}

static unsigned long st_sent, st_err, st_frag, st_icmp, st_badip, st_badcsum;

static void send_raw(const __u8 *pkt, int len, __u32 da)
{
	struct sockaddr_in to = { .sin_family = AF_INET };

	to.sin_addr.s_addr = da;
	if (sendto(raw_fd, pkt, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		st_err++;
	else
		st_sent++;
}

/* A frame whose IP header may lie: through the packet socket. */
static void send_frame(const __u8 *pkt, int len)
{
	__u8 f[ETH_HLEN + 1600];
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET, .sll_ifindex = ifindex,
		.sll_halen = 6, .sll_protocol = htons(ETH_P_IP),
	};

	if (!have_victim_mac || len > 1600)
		return;
	memcpy(to.sll_addr, victim_mac, 6);
	memcpy(f, victim_mac, 6);
	memcpy(f + 6, our_mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memcpy(f + ETH_HLEN, pkt, len);
	if (sendto(pkt_fd, f, ETH_HLEN + len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		st_err++;
	else
		st_sent++;
}

static int put_opt(__u8 *o, int n, int room, int kind, int len)
{
	if (n + len > room)
		return -1;
	o[n] = kind;
	o[n + 1] = len;
	return n + len;
}

/* Options: valid, repeated, garbage, truncated, lengths 0, 1, 255. */
static int fuzz_options(__u8 *o, int room, const struct flow *fl)
{
	int n = 0, m, k, kinds = rn(5);
	__u32 v;

	while (kinds-- > 0 && n < room) {
		m = -1;
		switch (rn(10)) {
		case 0:		/* MSS */
			m = put_opt(o, n, room, 2, 4);
			if (m > 0) {
				o[n + 2] = rn(256);
				o[n + 3] = rn(256);
			}
			break;
		case 1:		/* window scale, sometimes > 14 */
			m = put_opt(o, n, room, 3, 3);
			if (m > 0)
				o[n + 2] = rn(20);
			break;
		case 2:		/* SACK-permitted */
			m = put_opt(o, n, room, 4, 2);
			break;
		case 3:		/* SACK blocks around the sequence space */
			k = 1 + rn(4);
			m = put_opt(o, n, room, 5, 2 + 8 * k);
			for (int i = 0; m > 0 && i < 2 * k; i++) {
				v = htonl(fl ? fl->v_nxt - rn(1 << 20) + rn(1 << 20) :
					  (__u32)rnd());
				memcpy(o + n + 2 + 4 * i, &v, 4);
			}
			break;
		case 4:		/* timestamps: near, far future, far past */
			m = put_opt(o, n, room, 8, 10);
			if (m < 0)
				break;
			v = fl && fl->p_tsval ? fl->p_tsval : (__u32)rnd();
			v += rn(3) == 0 ? 0x7fffff00u : rn(3) == 0 ?
			     0x80000100u : rn(2000) - 1000u;
			v = htonl(v);
			memcpy(o + n + 2, &v, 4);
			v = htonl(fl ? fl->v_tsval : (__u32)rnd());
			memcpy(o + n + 6, &v, 4);
			break;
		case 5:		/* NOPs and an early end */
			o[n] = rn(2);
			m = n + 1;
			break;
		case 6:		/* length 0 or 1: malformed */
			m = put_opt(o, n, room, 2 + rn(30), 2);
			if (m > 0)
				o[n + 1] = rn(2);
			break;
		case 7:		/* length past the header (255 included) */
			m = put_opt(o, n, room, rn(256), 2);
			if (m > 0)
				o[n + 1] = rn(2) ? 255 : room - n + 1 + rn(8);
			break;
		case 8:		/* a truncated option at the very end */
			o[n] = 2 + rn(7);
			return n + 1;
		default:	/* garbage */
			k = rn(room - n + 1);
			for (int i = 0; i < k; i++)
				o[n + i] = rn(256);
			m = n + k;
			break;
		}
		if (m > 0)
			n = m;
	}
	return n;
}

enum target { T_LISTEN, T_SYNSENT, T_EST, T_NONE };

static struct flow *pick_flow(enum target *t)
{
	int i, tries;

	for (tries = 0; tries < 4; tries++) {
		i = nflows ? (int)rn(nflows) : -1;
		if (i >= 0 && flows[i].est && now_s() - flows[i].seen < 5) {
			*t = T_EST;
			return &flows[i];
		}
		if (i >= 0 && flows[i].synsent) {
			*t = T_SYNSENT;
			return &flows[i];
		}
	}
	*t = listen_port ? T_LISTEN : T_NONE;
	return NULL;
}

/* A sequence number for a synchronized connection, near or far from RCV.NXT. */
static __u32 fuzz_seq(const struct flow *fl, bool rst, bool blind)
{
	__u32 base = fl->p_nxt, w = fl->v_win ?: 65535;
	__u32 s;

	for (;;) {
		switch (rn(6)) {
		case 0:
			s = base;
			break;
		case 1:		/* in window */
			s = base + 1 + rn(w);
			break;
		case 2:		/* old */
			s = base - 1 - rn(65536);
			break;
		case 3:		/* past the window */
			s = base + w + rn(1 << 20);
			break;
		case 4:		/* overlapping RCV.NXT */
			s = base - rn(1500);
			break;
		default:
			s = (__u32)rnd();
			break;
		}
		/* Blind: no RST near RCV.NXT, which moves on as we go. */
		if (!rst || !blind || s - base >= BLIND_MARGIN)
			return s;
	}
}

/* An ACK number: blind ones are far outside what RFC 5961 5.2 accepts. */
static __u32 fuzz_ack(const struct flow *fl, bool blind)
{
	if (blind)
		return rn(2) ? fl->v_nxt + (1u << 30) + rn(1u << 29) :
			       fl->v_nxt - (1u << 30) - rn(1u << 29);
	return (__u32)rnd();
}

static __u8 fuzz_flags(void)
{
	static const __u8 common[] = {
		F_SYN, F_SYN | F_ACK, F_RST, F_RST | F_ACK, F_ACK,
		F_ACK | F_PSH, F_FIN | F_ACK, F_SYN | F_FIN, F_SYN | F_RST,
		F_ACK | F_URG, 0,
	};

	return rn(3) ? common[rn(sizeof(common))] : rn(256);
}

/* An ICMP error quoting one of the victim's segments (RFC 5927). */
static void fuzz_icmp(const struct flow *fl, bool blind)
{
	static const __u8 types[][2] = {
		{ 3, 0 }, { 3, 1 }, { 3, 2 }, { 3, 3 }, { 3, 4 }, { 3, 9 },
		{ 3, 13 }, { 3, 15 }, { 3, 99 }, { 11, 0 }, { 12, 0 }, { 5, 1 },
		{ 4, 0 },
	};
	__u8 pkt[20 + 8 + 20 + 20];
	__u8 *icmp = pkt + 20, *q = icmp + 8, *qt = q + 20;
	int t = rn(sizeof(types) / 2), qlen = 8 + rn(13);
	__u32 seq;
	__u16 c;

	/* In flight (SND.UNA .. SND.NXT) or not. */
	seq = rn(2) ? fl->v_nxt - rn(2) : fl->v_nxt + 1 + rn(1 << 24);
	if (!fl->synsent && blind && rn(2))
		seq = (__u32)rnd();
	memset(icmp, 0, 8);
	icmp[0] = types[t][0];
	icmp[1] = types[t][1];
	if (icmp[0] == 3 && icmp[1] == 4) {
		/* fragmentation needed: a next-hop MTU */
		icmp[6] = 0x02;
		icmp[7] = rn(2) ? 0x40 : 0x00;
	}
	ip_header(q, 20 + 40, PROTO_MYTCP, fl->vaddr, fl->paddr, 0);
	q[8] = 64;
	memset(qt, 0, 20);
	memcpy(qt, &fl->vport, 2);
	memcpy(qt + 2, &fl->pport, 2);
	seq = htonl(seq);
	memcpy(qt + 4, &seq, 4);
	qt[12] = 0x50;
	qt[13] = F_ACK;
	c = csum_fold(csum_add(0, icmp, 8 + 20 + qlen));
	icmp[2] = c >> 8;
	icmp[3] = c;
	ip_header(pkt, 20 + 8 + 20 + qlen, IPPROTO_ICMP, fl->paddr, fl->vaddr, 0);
	send_raw(pkt, 20 + 8 + 20 + qlen, fl->vaddr);
	st_icmp++;
}

/* One IP fragment of @th: @len bytes from byte @off, MF if @more. */
static void send_fragment(const __u8 *th, int off, int len, bool more,
			  __u16 id, __u32 sa, __u32 da)
{
	__u8 fr[1600];

	ip_header(fr, 20 + len, PROTO_MYTCP, sa, da,
		  (more ? 0x2000 : 0) | (off / 8));
	fr[4] = id >> 8;
	fr[5] = id;
	ip_csum(fr);
	memcpy(fr + 20, th + off, len);
	send_raw(fr, 20 + len, da);
}

/* One mutated segment (or ICMP error, or fragments) at a target. */
static void fuzz_one(bool blind)
{
	__u8 pkt[1600], *th = pkt + 20;
	int optlen, doff, plen, len, tot;
	struct flow *fl, lst;
	__u32 seq, ack, sa, da;
	__u16 sp, dp, c;
	enum target t;
	__u8 flags;

	fl = pick_flow(&t);
	if (t == T_NONE)
		return;
	if (t == T_LISTEN) {
		/* SYNs and strays from the peer's address, random ports. */
		memset(&lst, 0, sizeof(lst));
		lst.vaddr = victim_addr;
		lst.paddr = peer_addr;
		lst.vport = listen_port;
		lst.pport = htons(45000 + rn(2000));
		lst.v_nxt = (__u32)rnd();
		lst.p_nxt = (__u32)rnd();
		fl = &lst;
	}
	if (t != T_LISTEN && rn(16) == 0) {
		fuzz_icmp(fl, blind);
		return;
	}
	sa = fl->paddr;
	da = fl->vaddr;
	sp = fl->pport;
	dp = fl->vport;
	flags = fuzz_flags();
	if (t == T_EST) {
		seq = fuzz_seq(fl, flags & F_RST, blind);
		/* Blind: never an acceptable ACK number, ACK bit or not. */
		ack = fuzz_ack(fl, blind);
	} else if (t == T_SYNSENT) {
		seq = (__u32)rnd();
		ack = rn(2) ? fl->v_nxt + rn(3) - 1u : (__u32)rnd();
	} else {
		seq = (__u32)rnd();
		ack = (__u32)rnd();
	}
	optlen = fuzz_options(th + 20, 40, t == T_EST ? fl : NULL);
	optlen = (optlen + 3) & ~3;
	doff = 20 + optlen;
	plen = rn(4) ? 0 : rn(3) ? rn(64) : rn(1400);
	if (doff + plen > 1480)
		plen = 1480 - doff;
	len = doff + plen;
	memcpy(th, &sp, 2);
	memcpy(th + 2, &dp, 2);
	seq = htonl(seq);
	ack = htonl(ack);
	memcpy(th + 4, &seq, 4);
	memcpy(th + 8, &ack, 4);
	th[12] = (doff / 4) << 4;
	th[13] = flags;
	th[14] = rn(256);
	th[15] = rn(256);
	th[16] = 0;
	th[17] = 0;
	th[18] = rn(4) ? 0 : rn(256);
	th[19] = rn(256);
	for (int i = 0; i < plen; i++)
		th[doff + i] = 'A' + rn(26);
	/* Data offset 0-15: below 5, or past the segment, now and then. */
	if (rn(12) == 0)
		th[12] = rn(16) << 4;
	c = tcp_csum(sa, da, th, len);
	th[16] = c >> 8;
	th[17] = c;
	if (rn(16) == 0) {
		th[16 + rn(2)] ^= 1 + rn(255);	/* bad checksum */
		st_badcsum++;
	}
	tot = 20 + len;

	switch (rn(20)) {
	case 0:	/* IP total length shorter or longer than the frame */
		ip_header(pkt, tot, PROTO_MYTCP, sa, da, 0);
		c = rn(2) ? tot - 1 - rn(40) : tot + 1 + rn(40);
		pkt[2] = c >> 8;
		pkt[3] = c;
		ip_csum(pkt);
		send_frame(pkt, tot);
		st_badip++;
		return;
	case 1: { /* fragments: in two, maybe overlapping, maybe one lost */
		int cut = 8 * (1 + rn((len - 1) / 8 + 1)), ov = rn(3) ? 0 : 8;
		__u16 id = rn(65535) + 1;

		if (cut >= len)
			cut = len > 8 ? (len - 1) & ~7 : 0;
		if (!cut)
			break;
		if (rn(8))
			send_fragment(th, 0, cut, true, id, sa, da);
		cut -= ov;
		send_fragment(th, cut, len - cut, !rn(8), id, sa, da);
		st_frag++;
		return;
	}
	default:
		break;
	}
	ip_header(pkt, tot, PROTO_MYTCP, sa, da, 0);
	send_raw(pkt, tot, da);
}

/* --- exact mode ----------------------------------------------------------- */

static struct flow *exact_flow(void)
{
	int i;

	for (i = 0; i < nflows; i++)
		if (flows[i].est && flows[i].ts)
			return &flows[i];
	for (i = 0; i < nflows; i++)
		if (flows[i].est)
			return &flows[i];
	return NULL;
}

static void send_seg(const struct flow *fl, __u32 seq, __u32 ack,
		     __u8 flags, __u32 tsval, const char *data)
{
	int doff = fl->ts ? 32 : 20, plen = data ? strlen(data) : 0;
	__u8 pkt[200], *th = pkt + 20;
	__u32 v;
	__u16 c;

	memset(th, 0, doff);
	memcpy(th, &fl->pport, 2);
	memcpy(th + 2, &fl->vport, 2);
	v = htonl(seq);
	memcpy(th + 4, &v, 4);
	v = htonl(ack);
	memcpy(th + 8, &v, 4);
	th[12] = (doff / 4) << 4;
	th[13] = flags;
	th[14] = 0xff;
	th[15] = 0xff;
	if (fl->ts) {
		th[20] = 1;
		th[21] = 1;
		th[22] = 8;
		th[23] = 10;
		v = htonl(tsval);
		memcpy(th + 24, &v, 4);
		v = htonl(fl->v_tsval);
		memcpy(th + 28, &v, 4);
	}
	memcpy(th + doff, data ? data : "", plen);
	c = tcp_csum(fl->paddr, fl->vaddr, th, doff + plen);
	th[16] = c >> 8;
	th[17] = c;
	ip_header(pkt, 20 + doff + plen, PROTO_MYTCP, fl->paddr, fl->vaddr, 0);
	sniff(0);	/* what came before is no answer to this one */
	send_raw(pkt, 20 + doff + plen, fl->vaddr);
}

/* Wait up to 2 s for a segment from the victim on @fl; its flags and ACK. */
static int expect_reply(const struct flow *fl, __u32 *ack)
{
	struct pollfd p = { .fd = pkt_fd, .events = POLLIN };
	double end = now_s() + 2;
	const __u8 *ip, *th;
	struct sockaddr_ll sll;
	__u8 buf[2048];
	socklen_t sl;
	int n;

	while (now_s() < end) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		sl = sizeof(sll);
		n = recvfrom(pkt_fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&sll, &sl);
		if (n < ETH_HLEN + 40)
			continue;
		ip = buf + ETH_HLEN;
		th = ip + (ip[0] & 15) * 4;
		if (ip[9] != PROTO_MYTCP || memcmp(ip + 12, &fl->vaddr, 4) ||
		    memcmp(th, &fl->vport, 2) || memcmp(th + 2, &fl->pport, 2))
			continue;
		memcpy(ack, th + 8, 4);
		*ack = ntohl(*ack);
		return th[13];
	}
	return -1;
}

/* One verdict of exact mode: 0 if @ok. */
static int step(bool ok, const char *what, int flags, __u32 ack)
{
	if (ok)
		printf("exact: %s: ok\n", what);
	else
		printf("exact: FAIL %s: reply flags %d ack %u\n", what, flags,
		       ack);
	return !ok;
}

static int exact_mode(void)
{
	struct flow *fl = NULL, f;
	double end = now_s() + 20;
	__u32 ack = 0, rcv_nxt, far;
	int fl_bits, bad = 0;

	while (!fl && now_s() < end) {
		sniff(200);
		fl = exact_flow();
	}
	if (!fl) {
		printf("exact: no connection seen\n");
		return 1;
	}
	/* Settle: the peer's 1-byte write, and the victim's ACK of it. */
	while (!(fl->p_data && fl->v_ack == fl->p_nxt) && now_s() < end)
		sniff(200);
	sniff(300);
	f = *fl;
	rcv_nxt = f.v_ack;	/* the victim's own word for RCV.NXT */
	far = f.v_nxt + (1u << 30);
	printf("exact: victim port %u rcv_nxt %u snd_nxt %u ts %d\n",
	       ntohs(f.vport), rcv_nxt, f.v_nxt, f.ts);

	/* RFC 5961 3.2: in-window RST, not exact: a challenge ACK. */
	send_seg(&f, rcv_nxt + 1 + rn(100), 0, F_RST, f.p_tsval, NULL);
	fl_bits = expect_reply(&f, &ack);
	bad += step(fl_bits == F_ACK && ack == rcv_nxt,
		    "in-window RST: challenge ACK", fl_bits, ack);

	/* RFC 5961 4.2: SYN in window: a challenge ACK. */
	send_seg(&f, rcv_nxt + 10, 0, F_SYN, f.p_tsval, NULL);
	fl_bits = expect_reply(&f, &ack);
	bad += step(fl_bits == F_ACK && ack == rcv_nxt,
		    "in-window SYN: challenge ACK", fl_bits, ack);

	/*
	 * RFC 5961 5.2: data overlapping RCV.NXT with an ACK number far off,
	 * and a timestamp from the far future: dropped, and its TSval must
	 * not become TS.Recent (RFC 7323 4.3 records only segments that are
	 * accepted) - or every later segment of the peer would fail PAWS.
	 */
	send_seg(&f, rcv_nxt - 1, far, F_ACK | F_PSH, f.p_tsval + 0x40000000u,
		 "xx");
	fl_bits = expect_reply(&f, &ack);
	bad += step(fl_bits >= 0 && ack == rcv_nxt,
		    "data with a blind ACK number dropped", fl_bits, ack);
	/* Now one byte exactly as the peer would send it: taken. */
	send_seg(&f, rcv_nxt, f.v_nxt, F_ACK | F_PSH, f.p_tsval + 1, "y");
	fl_bits = expect_reply(&f, &ack);
	bad += step(fl_bits >= 0 && ack == rcv_nxt + 1,
		    "TS.Recent not poisoned (the next byte is taken)", fl_bits,
		    ack);
	rcv_nxt++;

	/* RFC 5961 3.2: an RST at exactly RCV.NXT resets. */
	send_seg(&f, rcv_nxt, 0, F_RST, f.p_tsval + 1, NULL);
	usleep(200000);
	send_seg(&f, rcv_nxt, f.v_nxt, F_ACK, f.p_tsval + 1, NULL);
	fl_bits = expect_reply(&f, &ack);
	bad += step(fl_bits >= 0 && (fl_bits & F_RST),
		    "RST at RCV.NXT reset the connection (an RST answers)",
		    fl_bits, ack);
	printf(bad ? "exact: FAILED %d\n" : "exact: ok\n", bad);
	return !!bad;
}

/* --- fuzz main ------------------------------------------------------------- */

static int fuzz_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dev", 1, NULL, 'd' }, { "victim", 1, NULL, 'v' },
		{ "peer", 1, NULL, 'p' }, { "listen-port", 1, NULL, 'l' },
		{ "seed", 1, NULL, 's' }, { "count", 1, NULL, 'n' },
		{ "seconds", 1, NULL, 't' }, { "mode", 1, NULL, 'm' },
		{ "pps", 1, NULL, 'r' }, { NULL, 0, NULL, 0 },
	};
	unsigned long count = 100000, pps = 0, i;
	double seconds = 60, t0, tl;
	const char *dev = NULL;
	bool blind = true;
	__u64 seed = 0;
	struct ifreq ifr;
	int c, one = 1;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd':
			dev = optarg;
			break;
		case 'v':
			inet_pton(AF_INET, optarg, &victim_addr);
			break;
		case 'p':
			inet_pton(AF_INET, optarg, &peer_addr);
			break;
		case 'l':
			listen_port = htons(atoi(optarg));
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'r':
			pps = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			blind = strcmp(optarg, "exact");
			break;
		default:
			return 2;
		}
	}
	if (!dev || !victim_addr || !peer_addr) {
		fprintf(stderr, "fuzz needs --dev, --victim and --peer\n");
		return 2;
	}
	if (!seed)
		seed = (__u64)time(NULL) ^ ((__u64)getpid() << 32);
	rng_state = seed ?: 1;
	ifindex = if_nametoindex(dev);
	/* ETH_P_ALL: only such taps see what leaves DEV (the peer's side). */
	pkt_fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	raw_fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (!ifindex || pkt_fd < 0 || raw_fd < 0) {
		perror("segfuzz: sockets");
		return 1;
	}
	setsockopt(raw_fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one));
	{
		struct sockaddr_ll sll = {
			.sll_family = AF_PACKET, .sll_ifindex = ifindex,
			.sll_protocol = htons(ETH_P_ALL),
		};
		int rb = 32 << 20;

		/* GSO super-packets are 64 KiB each in the queue. */
		setsockopt(pkt_fd, SOL_SOCKET, SO_RCVBUFFORCE, &rb, sizeof(rb));
		if (bind(pkt_fd, (struct sockaddr *)&sll, sizeof(sll))) {
			perror("segfuzz: bind packet socket");
			return 1;
		}
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(pkt_fd, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(our_mac, ifr.ifr_hwaddr.sa_data, 6);

	/* Sniffing from here on: segfuzz.sh starts the peers after this line. */
	printf("segfuzz: seed %llu mode %s count %lu seconds %.0f\n",
	       (unsigned long long)seed, blind ? "blind" : "exact", count,
	       seconds);
	if (!blind)
		return exact_mode();

	t0 = now_s();
	tl = t0;
	for (i = 0; i < count; i++) {
		/* Learn the latest state before each burst. */
		if (!(i & 15))
			sniff(0);
		fuzz_one(true);
		if (pps && i % 64 == 63) {
			double want = t0 + (double)i / pps, n = now_s();

			if (want > n)
				usleep((want - n) * 1e6);
		}
		if (!(i & 255)) {
			double n = now_s();

			if (n - t0 > seconds)
				break;
			if (n - tl > 5) {
				printf("segfuzz: %lu sent, %d flows\n", st_sent,
				       nflows);
				fflush(stdout);
				tl = n;
			}
		}
	}
	t0 = now_s() - t0;
	printf("segfuzz: done: %lu packets in %.1f s (%.0f/s)\n", st_sent, t0,
	       st_sent / (t0 > 0 ? t0 : 1));
	printf("segfuzz: %lu ICMP, %lu fragmented, %lu bad IP length, ",
	       st_icmp, st_frag, st_badip);
	printf("%lu bad checksum, %lu send errors; %d flows seen\n",
	       st_badcsum, st_err, nflows);
	for (c = 0; c < nflows; c++)
		if (flows[c].est || flows[c].synsent)
			printf("segfuzz: flow %u -> %u %s\n",
			       ntohs(flows[c].pport), ntohs(flows[c].vport),
			       flows[c].est ? "established" : "syn-sent");
	return 0;
}

/* --- legitimate transfers --------------------------------------------------- */

/* Byte @off of the stream that side @seed sends. */
static __u8 stream_byte(__u64 off, __u32 seed)
{
	__u64 x = (off >> 3) * 0x9E3779B97F4A7C15ULL ^ seed;

	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ULL;
	x ^= x >> 32;
	return x >> ((off & 7) * 8);
}

static int parse_addr(const char *s, struct sockaddr_in *a)
{
	char buf[64], *colon;

	snprintf(buf, sizeof(buf), "%s", s);
	colon = strchr(buf, ':');
	if (!colon)
		return -1;
	*colon = 0;
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons(atoi(colon + 1));
	return inet_pton(AF_INET, buf, &a->sin_addr) == 1 ? 0 : -1;
}

struct conn {
	int fd;
	__u64 sent, rcvd;
	bool wdone, rdone;
};

static int xfer_main(int argc, char **argv, bool idle)
{
	int proto = PROTO_MYTCP, n = 4, c, i, ls = -1, left, one = 1;
	__u32 my_seed, peer_seed;
	struct sockaddr_in a;
	bool listen_side = false, bad = false;
	double secs = 20, t0, stop;
	__u64 tsent = 0, trcvd = 0;
	struct conn *cs;
	__u8 buf[16384];

	while ((c = getopt(argc, argv, "l:c:n:t:P:")) != -1) {
		switch (c) {
		case 'l':
		case 'c':
			listen_side = c == 'l';
			if (parse_addr(optarg, &a))
				return 2;
			break;
		case 'n':
			n = atoi(optarg);
			break;
		case 't':
			secs = atof(optarg);
			break;
		case 'P':
			proto = atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	if (idle)
		n = 1;
	cs = calloc(n, sizeof(*cs));
	my_seed = listen_side ? 2 : 1;
	peer_seed = listen_side ? 1 : 2;
	if (listen_side) {
		ls = socket(AF_INET, SOCK_STREAM, proto);
		setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) ||
		    listen(ls, n)) {
			perror("xfer: listen");
			return 1;
		}
		printf("listening\n");
		fflush(stdout);
	}
	for (i = 0; i < n; i++) {
		if (listen_side) {
			cs[i].fd = accept(ls, NULL, NULL);
		} else {
			cs[i].fd = socket(AF_INET, SOCK_STREAM, proto);
			t0 = now_s();
			for (;;) {
				if (!connect(cs[i].fd, (struct sockaddr *)&a,
					     sizeof(a)))
					break;
				/* SYN-SENT targets come back after each end. */
				if (errno != ECONNREFUSED && errno != ETIMEDOUT &&
				    errno != EHOSTUNREACH) {
					cs[i].fd = -1;
					break;
				}
				close(cs[i].fd);
				cs[i].fd = -1;
				if (now_s() - t0 > secs)
					break;
				cs[i].fd = socket(AF_INET, SOCK_STREAM, proto);
				usleep(100000);
			}
		}
		if (cs[i].fd < 0) {
			perror("xfer: connect/accept");
			return 1;
		}
		fcntl(cs[i].fd, F_SETFL, O_NONBLOCK);
	}
	if (ls >= 0)
		close(ls);
	if (idle) {
		/* One byte, so the fuzzer learns the timestamps; then read. */
		struct pollfd p = { .fd = cs[0].fd, .events = POLLIN };
		ssize_t r;

		if (send(cs[0].fd, "i", 1, 0) != 1)
			perror("idle: send");
		t0 = now_s();
		while (now_s() - t0 < secs) {
			poll(&p, 1, 200);
			r = recv(cs[0].fd, buf, sizeof(buf), 0);
			if (r > 0) {
				trcvd += r;
			} else if (r == 0) {
				printf("idle: EOF after %llu bytes\n",
				       (unsigned long long)trcvd);
				return 0;
			} else if (errno != EAGAIN) {
				printf("idle: %s after %llu bytes\n",
				       errno == ECONNRESET ? "ECONNRESET" :
				       strerror(errno),
				       (unsigned long long)trcvd);
				return 0;
			}
		}
		printf("idle: still open after %llu bytes\n",
		       (unsigned long long)trcvd);
		return 0;
	}

	t0 = now_s();
	stop = t0 + secs;
	left = n;
	while (left && now_s() < stop + 60) {
		struct pollfd ps[256];
		bool sending = now_s() < stop;

		for (i = 0; i < n && i < 256; i++) {
			ps[i].fd = cs[i].rdone ? -1 : cs[i].fd;
			ps[i].events = POLLIN | (cs[i].wdone ? 0 : POLLOUT);
			if (!cs[i].wdone && !sending) {
				shutdown(cs[i].fd, SHUT_WR);
				cs[i].wdone = true;
			}
		}
		if (poll(ps, i, 200) < 0)
			break;
		for (i = 0; i < n && i < 256; i++) {
			struct conn *k = &cs[i];
			ssize_t r;

			if (k->rdone)
				continue;
			if (!k->wdone && (ps[i].revents & POLLOUT)) {
				for (int j = 0; j < (int)sizeof(buf); j++)
					buf[j] = stream_byte(k->sent + j,
							     my_seed);
				r = send(k->fd, buf, sizeof(buf), MSG_NOSIGNAL);
				if (r > 0) {
					k->sent += r;
				} else if (r < 0 && errno != EAGAIN) {
					printf("xfer: conn %d send: %s\n", i,
					       strerror(errno));
					bad = true;
					k->wdone = true;
					k->rdone = true;
					left--;
					continue;
				}
			}
			r = recv(k->fd, buf, sizeof(buf), 0);
			if (r > 0) {
				for (int j = 0; j < r; j++)
					if (buf[j] != stream_byte(k->rcvd + j,
								  peer_seed)) {
						printf("xfer: conn %d: wrong byte at %llu\n",
						       i, (unsigned long long)(k->rcvd + j));
						bad = true;
						r = 0;
						break;
					}
				k->rcvd += r;
			} else if (r == 0 || errno != EAGAIN) {
				if (r < 0) {
					printf("xfer: conn %d recv: %s\n", i,
					       strerror(errno));
					bad = true;
				}
				k->rdone = true;
				left--;
			}
		}
	}
	for (i = 0; i < n; i++) {
		tsent += cs[i].sent;
		trcvd += cs[i].rcvd;
		if (!cs[i].rdone) {
			printf("xfer: conn %d never finished\n", i);
			bad = true;
		}
		close(cs[i].fd);
	}
	printf("xfer: sent %llu received %llu in %.1f s%s\n",
	       (unsigned long long)tsent, (unsigned long long)trcvd,
	       now_s() - t0, bad ? " FAILED" : "");
	return bad;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "fuzz"))
		return fuzz_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "xfer"))
		return xfer_main(argc - 1, argv + 1, false);
	if (argc > 1 && !strcmp(argv[1], "idle"))
		return xfer_main(argc - 1, argv + 1, true);
	fprintf(stderr, "usage: segfuzz fuzz|xfer|idle ... (see the source)\n");
	return 2;
}
