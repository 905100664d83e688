// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: protocol-wide memory accounting, as Linux's tcp_mem. Every skb
 * on a socket's queues (write and retransmit queue, receive queue,
 * out-of-order queue) is charged to the socket's forward allocation,
 * which takes whole pages from one global count; net.mytcp.mem ("min
 * pressure max", pages) bounds that count for all sockets together.
 *
 * The kernel's own helpers (__sk_mem_schedule, sk_mem_reclaim) cannot
 * be used: they batch the count per CPU by net.core.mem_pcpu_rsv (at
 * least 1 MB per CPU), so small limits would not hold, and they charge
 * memory cgroups through functions not exported to modules, so that a
 * reclaim by them would uncharge what was never charged. Here every
 * page goes straight to one atomic count, and memory cgroups are not
 * charged (Documentation/architecture.rst). All functions taking @sk
 * run with the socket locked, as its queues are changed.
 */
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/percpu_counter.h>
#include <linux/swap.h>
#include <net/sock.h>

#include "mytcp.h"
#include "compat.h"

atomic_long_t mytcp_memory_allocated;		/* pages */
/*
 * Required by the kernel's inlines; only its paths that mytcp never
 * takes (SO_RESERVE_MEM is TCP's alone) would batch pages here.
 */
DEFINE_PER_CPU(int, mytcp_memory_per_cpu_fw_alloc);
struct percpu_counter mytcp_sockets_allocated;
unsigned long mytcp_memory_pressure;		/* jiffies it began, 0: none */
long mytcp_sysctl_mem[3];			/* net.mytcp.mem, pages */

/* Pages charged now, by every mytcp socket of every namespace. */
long mytcp_mem_pages(void)
{
	long sum = atomic_long_read(&mytcp_memory_allocated);
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(&mytcp_memory_per_cpu_fw_alloc,
					      cpu));
	return max(sum, 0L);
}

bool mytcp_under_memory_pressure(void)
{
	return READ_ONCE(mytcp_memory_pressure);
}

/* proto.enter_memory_pressure; counted once per episode, as Linux. */
void mytcp_enter_memory_pressure(struct sock *sk)
{
	unsigned long start = jiffies ?: 1;

	if (READ_ONCE(mytcp_memory_pressure))
		return;
	if (!cmpxchg(&mytcp_memory_pressure, 0, start))
		MYTCP_INC_STATS(sock_net(sk), MEMORYPRESSURES);
}

void mytcp_leave_memory_pressure(struct sock *sk)
{
	if (READ_ONCE(mytcp_memory_pressure) &&
	    atomic_long_read(&mytcp_memory_allocated) <
	    READ_ONCE(mytcp_sysctl_mem[0]))
		WRITE_ONCE(mytcp_memory_pressure, 0);
}

static void mytcp_mem_add(struct sock *sk, long pages)
{
	sk_forward_alloc_add(sk, pages << PAGE_SHIFT);
	atomic_long_add(pages, &mytcp_memory_allocated);
}

/*
 * Take the pages for @size bytes more than the forward allocation holds
 * (@kind: SK_MEM_SEND or SK_MEM_RECV), following Linux's rules: under
 * min always; above pressure the pressure state begins; above max never,
 * except that a sender may go one skb over its (then reduced) sndbuf;
 * in between, a socket below its floor (net.mytcp.rmem[0]/wmem[0]) or
 * below an even share of max still grows (RFC 7323 needs some buffer).
 */
static bool mytcp_mem_raise(struct sock *sk, int size, int kind)
{
	const struct mytcp_net *mn = mytcp_pernet(sock_net(sk));
	long pages = sk_mem_pages(size), now, share;

	now = atomic_long_add_return(pages, &mytcp_memory_allocated);
	if (now <= READ_ONCE(mytcp_sysctl_mem[0])) {
		mytcp_leave_memory_pressure(sk);
		goto ok;
	}
	if (now > READ_ONCE(mytcp_sysctl_mem[1]))
		mytcp_enter_memory_pressure(sk);
	if (now > READ_ONCE(mytcp_sysctl_mem[2]))
		goto refuse;
	if (kind == SK_MEM_RECV ?
	    atomic_read(&sk->sk_rmem_alloc) < READ_ONCE(mn->sysctl_rmem[0]) :
	    sk->sk_wmem_queued < READ_ONCE(mn->sysctl_wmem[0]))
		goto ok;
	if (!mytcp_under_memory_pressure())
		goto ok;
	share = sk_mem_pages(sk->sk_wmem_queued +
			     atomic_read(&sk->sk_rmem_alloc) +
			     sk->sk_forward_alloc);
	if (READ_ONCE(mytcp_sysctl_mem[2]) >
	    percpu_counter_read_positive(&mytcp_sockets_allocated) * share)
		goto ok;
refuse:
	if (kind == SK_MEM_SEND) {
		/*
		 * Halve sndbuf towards what is queued: the writer then waits
		 * for ACKs to drain it. One skb over that is let through, or
		 * a socket with nothing queued could never send.
		 */
		sk_stream_moderate_sndbuf(sk);
		if (sk->sk_wmem_queued + size >= READ_ONCE(sk->sk_sndbuf))
			goto ok;
	}
	atomic_long_sub(pages, &mytcp_memory_allocated);
	return false;
ok:
	sk_forward_alloc_add(sk, pages << PAGE_SHIFT);
	return true;
}

/* Room for @size bytes more on @sk's queues: false if over the limits. */
bool mytcp_mem_schedule(struct sock *sk, int size, int kind)
{
	int delta = size - sk->sk_forward_alloc;

	return delta <= 0 || mytcp_mem_raise(sk, delta, kind);
}

/*
 * Room for @size bytes whatever the limits: a FIN, a split segment, the
 * in-order skb that keeps a connection moving (as Linux's
 * sk_forced_mem_schedule()).
 */
void mytcp_mem_force(struct sock *sk, int size)
{
	int delta = size - sk->sk_forward_alloc;

	if (delta > 0)
		mytcp_mem_add(sk, sk_mem_pages(delta));
}

void mytcp_mem_charge_forced(struct sock *sk, int size)
{
	mytcp_mem_force(sk, size);
	sk_mem_charge(sk, size);
}

/* Give back the whole pages of the forward allocation nothing uses. */
void mytcp_mem_reclaim(struct sock *sk)
{
	int pages = sk->sk_forward_alloc >> PAGE_SHIFT;

	if (pages <= 0)
		return;
	sk_forward_alloc_add(sk, -(pages << PAGE_SHIFT));
	atomic_long_sub(pages, &mytcp_memory_allocated);
	mytcp_leave_memory_pressure(sk);
}

void mytcp_mem_uncharge(struct sock *sk, int size)
{
	sk_forward_alloc_add(sk, size);
	mytcp_mem_reclaim(sk);
}

/* Receive-side skb owner, as skb_set_owner_r() with our accounting. */
static void mytcp_rfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;

	atomic_sub(skb->truesize, &sk->sk_rmem_alloc);
	mytcp_mem_uncharge(sk, skb->truesize);
}

void mytcp_set_owner_r(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = mytcp_rfree;
	atomic_add(skb->truesize, &sk->sk_rmem_alloc);
	sk_mem_charge(sk, skb->truesize);
}

/*
 * Defaults from the memory there is (nr_free_buffer_pages(): low memory
 * not yet used): max is an eighth of it, at least 512 pages; pressure
 * begins at three quarters of max, and min is half of max.
 */
int mytcp_mem_init(void)
{
	long max = max_t(long, nr_free_buffer_pages() / 8, 512);

	mytcp_sysctl_mem[0] = max / 2;
	mytcp_sysctl_mem[1] = max / 4 * 3;
	mytcp_sysctl_mem[2] = max;
	return percpu_counter_init(&mytcp_sockets_allocated, 0, GFP_KERNEL);
}

void mytcp_mem_exit(void)
{
	percpu_counter_destroy(&mytcp_sockets_allocated);
}
