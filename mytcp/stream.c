// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the byte stream seen by the user — sendmsg() queues data as
 * segments on the write queue, recvmsg() copies in-order data from the
 * receive queue. Memory is charged to the socket: sk_wmem_queued against
 * SO_SNDBUF, sk_rmem_alloc against SO_RCVBUF, and both to the protocol's
 * pages (mem.c, net.mytcp.mem).
 */
#include <linux/sched/signal.h>
#include <linux/skbuff.h>
#include <linux/sockios.h>
#include <linux/uio.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <asm/ioctls.h>

#include "mytcp.h"
#include "compat.h"

/*
 * Linear payload per skb: the whole head (headers, payload, shared info)
 * fits a 16 KiB allocation, so truesize stays close to the payload and
 * the receive window (half the free buffer) never promises more than the
 * peer's buffer holds.
 */
#define MYTCP_SKB_PAYLOAD_MAX	(SKB_WITH_OVERHEAD(16384) - MYTCP_MAX_HEADER)

/*
 * Free receive space, as payload: the buffer counts skb truesize, so scale
 * by the payload share of what arrived lately (mytcp_rcv_ratio_update()).
 */
u32 mytcp_rcv_space(const struct sock *sk)
{
	int space = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);

	if (space <= 0)
		return 0;
	return ((u64)space * READ_ONCE(mytcp_sk(sk)->rcv_ratio)) >> 8;
}

/* The tail skb if it is unsent and can take more payload. */
static struct sk_buff *mytcp_tail_for_append(struct sock *sk, u32 size_goal)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);

	if (!skb || !msk->send_head ||
	    MYTCP_SKB_CB(skb)->flags & (MYTCP_FLAG_SYN | MYTCP_FLAG_FIN) ||
	    skb->len >= size_goal || !skb_tailroom(skb))
		return NULL;
	return skb;
}

/*
 * send(MSG_OOB): the last byte sent so far is urgent. The urgent pointer
 * we send points to the byte after it (RFC 6093 4: what every stack
 * does); a later MSG_OOB send moves it on.
 */
static void mytcp_mark_urg(struct sock *sk, int flags)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (!(flags & MSG_OOB))
		return;
	msk->snd_up = msk->write_seq;
	msk->snd_urg = true;
}

int mytcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int flags = msg->msg_flags;
	size_t copied = 0;
	struct sk_buff *skb;
	u32 size_goal;
	long timeo;
	int err;

	lock_sock(sk);
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);

	/* Wait for the handshake to finish (RFC 9293 3.10.2: queue in SYN-SENT). */
	if ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto out_err;
	}

	err = -EPIPE;
	if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
		goto do_error;

	size_goal = min_t(u32, msk->mss_cache, MYTCP_SKB_PAYLOAD_MAX);
	while (msg_data_left(msg)) {
		size_t copy;

		skb = mytcp_tail_for_append(sk, size_goal);
		if (!skb) {
			if (!sk_stream_memory_free(sk))
				goto wait_for_space;
			/*
			 * Sized to the data: small writes make small skbs -
			 * unless data is in flight, a stream of small writes
			 * will fill it while the ACKs come back.
			 */
			skb = alloc_skb_fclone(MYTCP_MAX_HEADER +
					       min_t(size_t, size_goal,
						     msk->packets_out ?
						     size_goal :
						     max_t(size_t, msg_data_left(msg),
							   2048)),
					       sk->sk_allocation);
			if (!skb)
				goto wait_for_space;
			/* net.mytcp.mem: over the limit, wait as for sndbuf. */
			if (!mytcp_mem_schedule(sk, skb->truesize,
						SK_MEM_SEND)) {
				__kfree_skb(skb);
				goto wait_for_space;
			}
			skb_reserve(skb, MYTCP_MAX_HEADER);
			MYTCP_SKB_CB(skb)->seq = msk->write_seq;
			MYTCP_SKB_CB(skb)->end_seq = msk->write_seq;
			MYTCP_SKB_CB(skb)->flags = MYTCP_FLAG_PSH;
			MYTCP_SKB_CB(skb)->tx_ns = 0;
			MYTCP_SKB_CB(skb)->retrans = 0;
			__skb_queue_tail(&sk->sk_write_queue, skb);
			sk_wmem_queued_add(sk, skb->truesize);
			sk_mem_charge(sk, skb->truesize);
			if (!msk->send_head)
				msk->send_head = skb;
		}
		copy = min_t(size_t, msg_data_left(msg), size_goal - skb->len);
		copy = min_t(size_t, copy, skb_tailroom(skb));
		if (copy_from_iter(skb_put(skb, copy), copy, &msg->msg_iter) != copy) {
			skb_trim(skb, skb->len - copy);
			err = -EFAULT;
			goto do_error;
		}
		MYTCP_SKB_CB(skb)->end_seq += copy;
		msk->write_seq += copy;
		copied += copy;
		continue;

wait_for_space:
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		if (copied)
			mytcp_mark_urg(sk, flags);
		mytcp_push(sk);
		err = sk_stream_wait_memory(sk, &timeo);
		if (err)
			goto do_error;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN)) {
			err = -EPIPE;
			goto do_error;
		}
	}
	if (copied)
		mytcp_mark_urg(sk, flags);
	/* MSG_MORE: more is coming, hold a short segment as TCP_CORK does. */
	__mytcp_push(sk, msk->nonagle | (flags & MSG_MORE ? MYTCP_NAGLE_CORK : 0));
	release_sock(sk);
	return copied;

do_error:
	if (copied) {
		mytcp_mark_urg(sk, flags);
		mytcp_push(sk);
		release_sock(sk);
		return copied;
	}
out_err:
	/* EPIPE becomes sk_err first (ECONNRESET), then SIGPIPE unless asked not. */
	err = sk_stream_error(sk, flags, err);
	release_sock(sk);
	return err;
}

/*
 * Receive buffer autotuning (as Linux's tcp_rcv_space_adjust()): once per
 * round trip, make room for twice what the reader took in the last one,
 * in truesize, up to net.mytcp.rmem[2], unless SO_RCVBUF fixed the size.
 */
static void mytcp_rcvbuf_adjust(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u64 now = ktime_get_ns(), rtt_ns, want;
	u32 copied;

	/* Not while memory is short (net.mytcp.mem), as Linux. */
	if ((sk->sk_userlocks & SOCK_RCVBUF_LOCK) ||
	    mytcp_under_memory_pressure())
		return;
	if (!msk->rcvq_ns) {
		msk->rcvq_ns = now;
		msk->rcvq_seq = msk->copied_seq;
		return;
	}
	rtt_ns = (u64)max_t(u32, msk->rto.srtt_us, 100) * NSEC_PER_USEC;
	if (now - msk->rcvq_ns < rtt_ns)
		return;
	copied = msk->copied_seq - msk->rcvq_seq;
	want = ((u64)copied * 2 + 16 * msk->rcv_mss) * 256 /
	       max_t(u32, READ_ONCE(msk->rcv_ratio), 8);
	want = min_t(u64, want,
		     READ_ONCE(mytcp_pernet(sock_net(sk))->sysctl_rmem[2]));
	if (want > READ_ONCE(sk->sk_rcvbuf))
		WRITE_ONCE(sk->sk_rcvbuf, want);
	msk->rcvq_ns = now;
	msk->rcvq_seq = msk->copied_seq;
}

/* After the user read data: advertise the window again if it grew a lot. */
static void mytcp_cleanup_rbuf(struct sock *sk, int copied)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u32 advertised, space;

	if (copied <= 0 || !mytcp_state_synchronized(sk->sk_state) ||
	    (sk->sk_shutdown & RCV_SHUTDOWN))
		return;
	mytcp_rcvbuf_adjust(sk);
	advertised = msk->rcv_wup + msk->rcv_wnd - msk->rcv_nxt;
	space = min_t(u32, mytcp_rcv_space(sk), U16_MAX << msk->rcv_wscale);
	/* RFC 9293 3.8.6.2.2: an update worth sending: a segment or half. */
	if (space > advertised &&
	    (space - advertised >= msk->rcv_mss ||
	     space - advertised >= READ_ONCE(sk->sk_rcvbuf) / 4 ||
	     advertised < msk->rcv_mss))
		mytcp_send_ack(sk);
}

/*
 * recv(MSG_OOB), BSD semantics as in Linux's tcp_recv_urg(): the urgent
 * byte, once, unless SO_OOBINLINE left it in the stream. Never blocks.
 */
static int mytcp_recv_urg(struct sock *sk, struct msghdr *msg, size_t len,
			  int flags)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u16 urg = msk->urg_data;
	u8 c = urg & 0xff;

	if (sock_flag(sk, SOCK_URGINLINE) || !urg || urg == MYTCP_URG_READ)
		return -EINVAL;
	if (sk->sk_state == MYTCP_CLOSE && !sock_flag(sk, SOCK_DONE))
		return -ENOTCONN;
	if (urg & MYTCP_URG_VALID) {
		if (!(flags & MSG_PEEK))
			WRITE_ONCE(msk->urg_data, MYTCP_URG_READ);
		msg->msg_flags |= MSG_OOB;
		if (!len) {
			msg->msg_flags |= MSG_TRUNC;
			return 0;
		}
		if (!(flags & MSG_TRUNC) && memcpy_to_msg(msg, &c, 1))
			return -EFAULT;
		return 1;
	}
	if (sk->sk_state == MYTCP_CLOSE || (sk->sk_shutdown & RCV_SHUTDOWN))
		return 0;
	/* Announced by the urgent pointer, not arrived yet. */
	return -EAGAIN;
}

int mytcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
		  int flags, int *addr_len)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb, *last;
	u32 peek_seq = 0, *seq;
	int copied = 0, target;
	bool found, at_mark;
	long timeo;
	int err;

	/* Nothing is ever put on the error queue (no IP_RECVERR reports). */
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;

	lock_sock(sk);
	err = -ENOTCONN;
	if (sk->sk_state == MYTCP_LISTEN)
		goto out;
	if (flags & MSG_OOB) {
		err = mytcp_recv_urg(sk, msg, len, flags);
		goto out;
	}

	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	seq = &msk->copied_seq;
	if (flags & MSG_PEEK) {
		/* SO_PEEK_OFF (6.9+, compat.h): peeks start past the offset. */
		peek_seq = msk->copied_seq + max(sk_peek_offset(sk, flags), 0);
		seq = &peek_seq;
	}

	do {
		/*
		 * A read stops at the urgent mark, so that SIOCATMARK can
		 * tell the reader it got there (RFC 6093 3, BSD). A SIGURG
		 * waiting there interrupts a read that got nothing.
		 */
		if (msk->urg_data && msk->urg_seq == *seq) {
			if (copied)
				break;
			if (signal_pending(current)) {
				copied = timeo ? sock_intr_errno(timeo) : -EAGAIN;
				break;
			}
		}
		at_mark = false;
		last = NULL;
		found = false;
		skb_queue_walk(&sk->sk_receive_queue, skb) {
			u32 offset = *seq - MYTCP_SKB_CB(skb)->seq;
			u32 avail, chunk;

			last = skb;
			if (offset >= skb->len)
				continue;
			found = true;
			/* Out of line, the urgent byte is not in the stream. */
			if (msk->urg_data && msk->urg_seq == *seq &&
			    !sock_flag(sk, SOCK_URGINLINE)) {
				(*seq)++;
				if (++offset >= skb->len)
					continue;
			}
			avail = skb->len - offset;
			chunk = min_t(u32, avail, len - copied);
			if (msk->urg_data && msk->urg_seq != *seq &&
			    msk->urg_seq - *seq < chunk)
				chunk = msk->urg_seq - *seq;
			/* MSG_TRUNC: as Linux TCP, consume without copying. */
			if (!(flags & MSG_TRUNC) &&
			    skb_copy_datagram_msg(skb, offset, msg, chunk)) {
				if (!copied)
					copied = -EFAULT;
				goto done;
			}
			*seq += chunk;
			copied += chunk;
			if (flags & MSG_PEEK)
				sk_peek_offset_fwd(sk, chunk);
			else
				sk_peek_offset_bwd(sk, chunk);
			if (msk->urg_data && msk->urg_seq == *seq) {
				at_mark = true;
				break;
			}
			if (copied >= len)
				break;
		}
		/* Past the mark, the urgent byte is history (read or not). */
		if (msk->urg_data &&
		    mytcp_seq_after(msk->copied_seq, msk->urg_seq))
			WRITE_ONCE(msk->urg_data, 0);
		/* Free what the reader consumed. */
		if (!(flags & MSG_PEEK)) {
			while ((skb = skb_peek(&sk->sk_receive_queue)) &&
			       !mytcp_seq_before(msk->copied_seq,
						 MYTCP_SKB_CB(skb)->end_seq)) {
				__skb_unlink(skb, &sk->sk_receive_queue);
				__kfree_skb(skb);
			}
			mytcp_cleanup_rbuf(sk, copied);
		}
		/* A zero-length read still waits for data, as Linux's does. */
		if ((copied >= len && (len || found)) || at_mark)
			break;
		if (copied >= target && !READ_ONCE(sk->sk_backlog.tail))
			break;

		if (copied) {
			if (sk->sk_err || sk->sk_state == MYTCP_CLOSE ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
			    signal_pending(current))
				break;
		} else {
			if (sock_flag(sk, SOCK_DONE))
				break;
			if (sk->sk_err) {
				copied = sock_error(sk);
				break;
			}
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				break;
			if (sk->sk_state == MYTCP_CLOSE) {
				copied = -ENOTCONN;
				break;
			}
			if (!timeo) {
				copied = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				copied = sock_intr_errno(timeo);
				break;
			}
		}
		if (copied >= target) {
			/* Let the backlog in, then look again. */
			release_sock(sk);
			lock_sock(sk);
		} else {
			sk_wait_data(sk, &timeo, last);
		}
	} while (copied < len);
done:
	err = copied;
out:
	release_sock(sk);
	return err;
}

/*
 * Bytes a read can return now (Linux's tcp_inq()): not the FIN, and,
 * with an out-of-line urgent byte ahead, only the bytes before it.
 */
static int mytcp_inq(const struct sock *sk)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);
	int answ;

	if (msk->urg_data && !sock_flag(sk, SOCK_URGINLINE) &&
	    !mytcp_seq_before(msk->urg_seq, msk->copied_seq) &&
	    mytcp_seq_before(msk->urg_seq, msk->rcv_nxt))
		return msk->urg_seq - msk->copied_seq;
	answ = msk->rcv_nxt - msk->copied_seq;
	if (answ && sock_flag(sk, SOCK_DONE))
		answ--;
	return answ;
}

/*
 * proto.ioctl (via compat.h's mytcp_ioctl()): SIOCINQ, SIOCOUTQ (sent
 * but unacknowledged plus unsent), SIOCOUTQNSD (unsent) and SIOCATMARK,
 * with Linux TCP's answers: EINVAL on a listener, 0 during the handshake.
 */
int mytcp_ioctl_karg(struct sock *sk, int cmd, int *karg)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int answ = 0;

	switch (cmd) {
	case SIOCATMARK:
		*karg = mytcp_urg_at_mark(sk);
		return 0;
	case SIOCINQ:
	case SIOCOUTQ:
	case SIOCOUTQNSD:
		break;
	default:
		return -ENOIOCTLCMD;
	}
	lock_sock(sk);
	if (sk->sk_state == MYTCP_LISTEN) {
		release_sock(sk);
		return -EINVAL;
	}
	if (!((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))) {
		if (cmd == SIOCINQ)
			answ = mytcp_inq(sk);
		else if (cmd == SIOCOUTQ)
			answ = msk->write_seq - msk->snd_una;
		else
			answ = msk->write_seq - msk->snd_nxt;
	}
	release_sock(sk);
	*karg = answ;
	return 0;
}
