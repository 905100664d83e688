// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: segmentation offload. __mytcp_push() may send a run of queued
 * segments as one super-packet: a clone of the first segment with clones
 * of the following ones on its frag_list, marked SKB_GSO_TCPV4 with
 * gso_size = the MSS when it is longer than one segment. Loopback and
 * veth pass it whole to the receiver (as they pass Linux TCP's TSO
 * packets); a device that cannot take it makes the stack call
 * mytcp_gso_segment() below, registered for our IP protocol number,
 * which cuts it back into MSS-sized TCP segments.
 *
 * Only devices that are known to be software (loopback, veth), that
 * finish checksums of any protocol (NETIF_F_HW_CSUM) and that have GSO or
 * TSO on get super-packets:
 * a hardware TSO engine would be handed a packet whose IP protocol is not
 * TCP.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/protocol.h>

#include "mytcp.h"
#include "compat.h"

bool mytcp_dev_gso_ok(const struct net_device *dev)
{
	/* As Linux TCP: "ethtool -K DEV gso off tso off" means one by one. */
	if (!dev || !(dev->features & NETIF_F_HW_CSUM) ||
	    !(dev->features & (NETIF_F_GSO | NETIF_F_TSO)))
		return false;
	if (dev->flags & IFF_LOOPBACK)
		return true;
	return dev->rtnl_link_ops && !strcmp(dev->rtnl_link_ops->kind, "veth");
}

/*
 * skb_segment() takes a frag_list apart by cloning its members, which is
 * only right when every member holds exactly one MSS (the last may hold
 * less) and the head holds the first MSS. __mytcp_push() builds them that
 * way; anything else (a packet that came from elsewhere) is flattened.
 */
static bool mytcp_gso_list_aligned(struct sk_buff *skb, unsigned int mss)
{
	struct sk_buff *m;

	if (!skb_has_frag_list(skb))
		return true;
	if (skb_headlen(skb) != mss || skb_shinfo(skb)->nr_frags)
		return false;
	skb_walk_frags(skb, m) {
		if (skb_shinfo(m)->nr_frags || skb_has_frag_list(m) ||
		    skb_headlen(m) > mss || (m->next && skb_headlen(m) != mss))
			return false;
	}
	return true;
}

/*
 * Cut a super-packet into MSS-sized segments (called with skb->data at
 * the TCP header). Each segment gets its own sequence number and
 * checksum; FIN and PSH stay on the last one, as if it had been sent as
 * separate segments (RFC 9293 3.10.4: the FIN follows all the data).
 */
static struct sk_buff *mytcp_gso_segment(struct sk_buff *skb,
					 netdev_features_t features)
{
	struct sk_buff *segs, *seg;
	unsigned int thlen, mss;
	struct tcphdr *th;
	u32 seq;

	if (!(skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4) ||
	    !pskb_may_pull(skb, sizeof(*th)))
		return ERR_PTR(-EINVAL);
	th = tcp_hdr(skb);
	thlen = th->doff * 4;
	if (thlen < sizeof(*th) || !pskb_may_pull(skb, thlen))
		return ERR_PTR(-EINVAL);
	mss = skb_shinfo(skb)->gso_size;
	if (skb->len - thlen <= mss)
		return NULL;	/* one segment: nothing to cut */

	/* Pull the header out of the way so that the payload starts at data. */
	__skb_pull(skb, thlen);
	if (!mytcp_gso_list_aligned(skb, mss) && __skb_linearize(skb)) {
		__skb_push(skb, thlen);
		return ERR_PTR(-ENOMEM);
	}
	segs = skb_segment(skb, features);
	if (IS_ERR_OR_NULL(segs))
		return segs;

	seq = ntohl(tcp_hdr(segs)->seq);
	for (seg = segs; seg; seg = seg->next) {
		const struct iphdr *iph = ip_hdr(seg);
		unsigned int len = seg->len - skb_transport_offset(seg);

		__wsum pseudo;

		th = tcp_hdr(seg);
		th->seq = htonl(seq);
		seq += len - th->doff * 4;
		if (seg != segs)
			th->cwr = 0;
		if (seg->next) {
			th->fin = 0;
			th->psh = 0;
		}
		/* RFC 9293 3.1: the pseudo-header says TCP, as on every segment. */
		pseudo = csum_tcpudp_nofold(iph->saddr, iph->daddr, len,
					    IPPROTO_TCP, 0);
		th->check = ~csum_fold(pseudo);
		if (seg->ip_summed == CHECKSUM_PARTIAL)
			gso_reset_checksum(seg, pseudo);
		else
			th->check = gso_make_checksum(seg, pseudo);
	}
	return segs;
}

static const struct net_offload mytcp_offload = {
	.callbacks = {
		.gso_segment	= mytcp_gso_segment,
	},
};

static bool mytcp_offload_registered;

/*
 * Without our gso_segment in the slot, super-packets cannot be cut: then
 * every segment goes alone (mytcp_gso_enabled() says no).
 */
void mytcp_offload_init(void)
{
	mytcp_offload_registered =
		!inet_add_offload(&mytcp_offload, mytcp_proto_num);
	if (!mytcp_offload_registered)
		pr_info("mytcp: IP protocol %d has an offload handler already; no GSO\n",
			mytcp_proto_num);
}

void mytcp_offload_exit(void)
{
	if (mytcp_offload_registered)
		inet_del_offload(&mytcp_offload, mytcp_proto_num);
}

bool mytcp_gso_enabled(void)
{
	return mytcp_offload_registered;
}
