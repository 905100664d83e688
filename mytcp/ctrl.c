// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: per network namespace state — sysctls (net.mytcp.*), MIB
 * counters and the /proc/net files.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "mytcp.h"
#include "compat.h"

static unsigned int mytcp_net_id __read_mostly;

struct mytcp_net *mytcp_pernet(const struct net *net)
{
	return net_generic(net, mytcp_net_id);
}

/*
 * The template's .data holds the offset of the value inside struct
 * mytcp_net; each namespace gets its own copy with .data rebased.
 */
#define MYTCP_SYSCTL_DATA(field)	((void *)offsetof(struct mytcp_net, field))

static const struct ctl_table mytcp_sysctl_template[] = {
	{
		/* 0: socket() fails with ENOPROTOOPT in this namespace */
		.procname	= "enabled",
		.data		= MYTCP_SYSCTL_DATA(sysctl_enabled),
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{ }	/* sentinel, needed by 6.1 */
};

#define MYTCP_SYSCTL_COUNT	(ARRAY_SIZE(mytcp_sysctl_template) - 1)

static void mytcp_net_set_defaults(struct mytcp_net *mn)
{
	mn->sysctl_enabled = 1;
}

static int mytcp_sysctl_register(struct net *net, struct mytcp_net *mn)
{
	struct ctl_table *table;
	size_t i;

	table = kmemdup(mytcp_sysctl_template, sizeof(mytcp_sysctl_template),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < MYTCP_SYSCTL_COUNT; i++)
		table[i].data = (char *)mn + (uintptr_t)table[i].data;

	mn->sysctl_hdr = mytcp_register_net_sysctl_sz(net, "net/mytcp", table,
						      MYTCP_SYSCTL_COUNT);
	if (!mn->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

static void mytcp_sysctl_unregister(struct mytcp_net *mn)
{
	const struct ctl_table *table = mn->sysctl_hdr->ctl_table_arg;

	unregister_net_sysctl_table(mn->sysctl_hdr);
	kfree(table);
}

static const char * const mytcp_mib_names[MYTCP_MIB_MAX] = {
	[MYTCP_MIB_INSEGS]		= "InSegs",
	[MYTCP_MIB_INERRS]		= "InErrs",
	[MYTCP_MIB_INCSUMERRORS]	= "InCsumErrors",
	[MYTCP_MIB_INHDRERRORS]		= "InHdrErrors",
	[MYTCP_MIB_NOSOCKETDROPS]	= "NoSocketDrops",
};

/* /proc/net/mytcp_snmp: the two-line layout of /proc/net/snmp, for nstat. */
static int mytcp_snmp_show(struct seq_file *seq, void *v)
{
	struct mytcp_net *mn = mytcp_pernet(seq_file_single_net(seq));
	int i, cpu;

	seq_puts(seq, "Mytcp:");
	for (i = 0; i < MYTCP_MIB_MAX; i++)
		seq_printf(seq, " %s", mytcp_mib_names[i]);
	seq_puts(seq, "\nMytcp:");
	for (i = 0; i < MYTCP_MIB_MAX; i++) {
		unsigned long sum = 0;

		for_each_possible_cpu(cpu)
			sum += per_cpu_ptr(mn->mib, cpu)->mibs[i];
		seq_printf(seq, " %lu", sum);
	}
	seq_putc(seq, '\n');
	return 0;
}

/*
 * /proc/net/mytcp: the columns of /proc/net/tcp. Sockets are listed once
 * they are hashed (bound, listening or connected); no socket can be
 * hashed yet, so only the header is printed.
 */
static int mytcp_seq_show(struct seq_file *seq, void *v)
{
	seq_printf(seq, "%-*s\n", 149,
		   "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode");
	return 0;
}

static int __net_init mytcp_net_init(struct net *net)
{
	struct mytcp_net *mn = mytcp_pernet(net);
	int err;

	mytcp_net_set_defaults(mn);

	mn->mib = alloc_percpu(struct mytcp_mib);
	if (!mn->mib)
		return -ENOMEM;

	err = mytcp_sysctl_register(net, mn);
	if (err)
		goto err_mib;

	err = -ENOMEM;
	if (!proc_create_net_single("mytcp", 0444, net->proc_net,
				    mytcp_seq_show, NULL))
		goto err_sysctl;
	if (!proc_create_net_single("mytcp_snmp", 0444, net->proc_net,
				    mytcp_snmp_show, NULL))
		goto err_proc;
	return 0;

err_proc:
	remove_proc_entry("mytcp", net->proc_net);
err_sysctl:
	mytcp_sysctl_unregister(mn);
err_mib:
	free_percpu(mn->mib);
	return err;
}

static void __net_exit mytcp_net_exit(struct net *net)
{
	struct mytcp_net *mn = mytcp_pernet(net);

	remove_proc_entry("mytcp_snmp", net->proc_net);
	remove_proc_entry("mytcp", net->proc_net);
	mytcp_sysctl_unregister(mn);
	free_percpu(mn->mib);
}

static struct pernet_operations mytcp_net_ops = {
	.init	= mytcp_net_init,
	.exit	= mytcp_net_exit,
	.id	= &mytcp_net_id,
	.size	= sizeof(struct mytcp_net),
};

int mytcp_ctrl_init(void)
{
	return register_pernet_subsys(&mytcp_net_ops);
}

void mytcp_ctrl_exit(void)
{
	unregister_pernet_subsys(&mytcp_net_ops);
}
