// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: module init/exit and registration with the IPv4 stack.
 *
 * Registration order is: the mini-socket caches, the memory accounting
 * (net.mytcp.mem defaults), struct proto (slab),
 * per-netns state, the IP protocol handler (receive path) and last the
 * socket switch entry, so that no socket can be created before
 * everything it needs exists.
 * Unregistration runs in exactly the reverse order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/in.h>
#include <net/protocol.h>

#include "mytcp.h"

int mytcp_proto_num = IPPROTO_MYTCP;
module_param_named(proto, mytcp_proto_num, int, 0444);
MODULE_PARM_DESC(proto, "IP protocol number to register (1-254, default 253)");

static const struct net_protocol mytcp_net_protocol = {
	.handler	= mytcp_v4_rcv,
	.err_handler	= mytcp_v4_err,
	/* We look up the socket and check the quoted sequence number. */
	.icmp_strict_tag_validation = 1,
};

static struct inet_protosw mytcp_protosw = {
	.type		= SOCK_STREAM,
	.prot		= &mytcp_prot,
	.ops		= &mytcp_stream_ops,
};

static int __init mytcp_init(void)
{
	int err;

	/*
	 * 0 is the wildcard protocol of socket() and 255 is IPPROTO_RAW;
	 * neither can name a transport.
	 */
	if (mytcp_proto_num < 1 || mytcp_proto_num > 254) {
		pr_err("proto=%d is invalid: use an IP protocol number from 1 to 254\n",
		       mytcp_proto_num);
		return -EINVAL;
	}
	mytcp_protosw.protocol = mytcp_proto_num;

	/* The ISN and cookie secrets must not come from an unseeded RNG. */
	err = wait_for_random_bytes();
	if (err)
		return err;
	mytcp_output_secrets_init();
	mytcp_syncookie_secret_init();

	err = mytcp_hash_init();
	if (err)
		return err;

	err = mytcp_minisocks_init();
	if (err)
		goto err_hash;

	err = mytcp_mem_init();
	if (err)
		goto err_mini;

	err = proto_register(&mytcp_prot, 1);
	if (err)
		goto err_mem;
	mytcp_orphan_creator_init();

	err = mytcp_ctrl_init();
	if (err)
		goto err_proto;

	/* inet_add_protocol() returns -1, not an errno, when the slot is taken. */
	if (inet_add_protocol(&mytcp_net_protocol, mytcp_proto_num) < 0) {
		pr_err("IP protocol %d is already registered by another transport\n",
		       mytcp_proto_num);
		err = -EBUSY;
		goto err_ctrl;
	}

	mytcp_offload_init();
	inet_register_protosw(&mytcp_protosw);
	pr_info("registered as IP protocol %d\n", mytcp_proto_num);
	return 0;

err_ctrl:
	mytcp_ctrl_exit();
err_proto:
	proto_unregister(&mytcp_prot);
err_mem:
	mytcp_mem_exit();
err_mini:
	mytcp_minisocks_exit();
err_hash:
	mytcp_hash_exit();
	return err;
}

static void __exit mytcp_exit(void)
{
	inet_unregister_protosw(&mytcp_protosw);
	inet_del_protocol(&mytcp_net_protocol, mytcp_proto_num);
	mytcp_offload_exit();
	/* No receive handler may still run on another CPU past this point. */
	synchronize_net();
	/* Orphans hold no module reference: abort those still alive. */
	mytcp_abort_orphans();
	/* Closed sockets whose packets still wait in a queue, too. */
	mytcp_wait_sockets_freed();
	/* Every namespace's exit removes its TIME-WAIT entries. */
	mytcp_ctrl_exit();
	/* Sockets and entries freed after a grace period must be gone. */
	rcu_barrier();
	proto_unregister(&mytcp_prot);
	mytcp_mem_exit();
	mytcp_minisocks_exit();
	mytcp_hash_exit();
	pr_info("unregistered\n");
}

module_init(mytcp_init);
module_exit(mytcp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The mytcp developers");
MODULE_DESCRIPTION("TCP (RFC 9293) as a loadable transport on its own IP protocol number");
/*
 * socket(AF_INET, SOCK_STREAM, 253) loads the module on demand. The type
 * is spelled as a number: SOCK_STREAM is an enum in the kernel and would
 * be stringified by name.
 */
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET, IPPROTO_MYTCP, 1 /* SOCK_STREAM */);
