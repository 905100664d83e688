// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: segment arrival — the IP protocol handler.
 */
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "mytcp.h"

/*
 * Receive handler for the mytcp IP protocol, softirq context. The segment
 * is a TCP segment byte for byte: its checksum covers a pseudo-header
 * with protocol 6 (IPPROTO_TCP), not the protocol number in the IP header.
 */
int mytcp_v4_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	const struct tcphdr *th;

	if (skb->pkt_type != PACKET_HOST)
		goto discard;

	MYTCP_INC_STATS(net, INSEGS);

	if (!pskb_may_pull(skb, sizeof(struct tcphdr)))
		goto bad_header;
	th = (const struct tcphdr *)skb->data;
	/* RFC 9293 3.1: the data offset counts 32-bit words, at least 5. */
	if (th->doff < sizeof(struct tcphdr) / 4)
		goto bad_header;
	if (!pskb_may_pull(skb, th->doff * 4))
		goto bad_header;

	if (skb_checksum_init(skb, IPPROTO_TCP, inet_compute_pseudo) ||
	    skb_checksum_complete(skb))
		goto csum_error;

	/* No connection can exist yet: every valid segment reaches no socket. */
	MYTCP_INC_STATS(net, NOSOCKETDROPS);
	consume_skb(skb);
	return 0;

csum_error:
	MYTCP_INC_STATS(net, INCSUMERRORS);
	MYTCP_INC_STATS(net, INERRS);
	goto discard;
bad_header:
	MYTCP_INC_STATS(net, INHDRERRORS);
	MYTCP_INC_STATS(net, INERRS);
discard:
	kfree_skb(skb);
	return 0;
}
