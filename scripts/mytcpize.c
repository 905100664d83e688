// SPDX-License-Identifier: GPL-2.0
/*
 * libmytcpize.so: an LD_PRELOAD library that gives a program mytcp
 * sockets where it asks for IPv4 TCP ones. scripts/mytcpize sets it up;
 * Documentation/mytcpize.rst says what is converted and what is not.
 *
 * Environment:
 *   MYTCP_PROTO       mytcp's IP protocol number (1-254, default 253),
 *                     as the module's "proto" parameter says
 *   MYTCPIZE_DEBUG=1  one line on stderr per converted socket
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MYTCPIZE_DEFAULT_PROTO	253

/* socket()'s type argument also carries these flags; the rest is the type. */
#define MYTCPIZE_TYPE_FLAGS	(SOCK_NONBLOCK | SOCK_CLOEXEC)

static int (*next_socket)(int domain, int type, int protocol);
static int (*next_getsockopt)(int fd, int level, int optname, void *optval,
			      socklen_t *optlen);
/* 0 when MYTCP_PROTO is invalid: convert nothing rather than guess. */
static int mytcp_proto;
static int debug;

static void mytcpize_init(void)
{
	const char *s = getenv("MYTCP_PROTO");
	char *end;
	long v;

	next_socket = dlsym(RTLD_NEXT, "socket");
	next_getsockopt = dlsym(RTLD_NEXT, "getsockopt");
	debug = getenv("MYTCPIZE_DEBUG") && !strcmp(getenv("MYTCPIZE_DEBUG"), "1");

	mytcp_proto = MYTCPIZE_DEFAULT_PROTO;
	if (s && *s) {
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || *end || v < 1 || v > 254 || v == IPPROTO_TCP) {
			fprintf(stderr,
				"mytcpize: MYTCP_PROTO=%s is not a protocol number (1-254, not 6); sockets stay TCP\n",
				s);
			v = 0;
		}
		mytcp_proto = v;
	}
}

/*
 * Also called from socket() and getsockopt(): another library's
 * constructor may create sockets before ours runs. Running it twice
 * stores the same values.
 */
__attribute__((constructor)) static void mytcpize_ctor(void)
{
	if (!next_socket)
		mytcpize_init();
}

static int is_ipv4_tcp(int domain, int type, int protocol)
{
	return domain == AF_INET &&
	       (type & ~MYTCPIZE_TYPE_FLAGS) == SOCK_STREAM &&
	       (protocol == 0 || protocol == IPPROTO_TCP);
}

int socket(int domain, int type, int protocol)
{
	int fd, err;

	mytcpize_ctor();
	if (!next_socket) {
		errno = ELIBACC;
		return -1;
	}
	if (!mytcp_proto || !is_ipv4_tcp(domain, type, protocol))
		return next_socket(domain, type, protocol);

	fd = next_socket(domain, type, mytcp_proto);
	if (debug) {
		err = errno;
		fprintf(stderr, "mytcpize[%d]: AF_INET type %#x protocol %d -> %d: %s %d\n",
			(int)getpid(), type, protocol, mytcp_proto,
			fd >= 0 ? "fd" : "errno", fd >= 0 ? fd : err);
		errno = err;
	}
	return fd;
}

/* A raw socket of protocol 253 is not mytcp: check domain and type too. */
static int is_mytcp_stream(int fd)
{
	int domain, type, err = errno;
	socklen_t len = sizeof(int), len2 = sizeof(int);
	int ok;

	ok = !next_getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) &&
	     !next_getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len2) &&
	     domain == AF_INET && type == SOCK_STREAM;
	errno = err;
	return ok;
}

/*
 * The program asked for TCP and mytcp is TCP: SO_PROTOCOL says
 * IPPROTO_TCP, so that checks such as "is this fd a TCP socket" (socket
 * activation, Python's socket(fileno=)) keep working.
 */
int getsockopt(int fd, int level, int optname, void *optval,
	       socklen_t *optlen)
{
	int ret;

	mytcpize_ctor();
	if (!next_getsockopt) {
		errno = ELIBACC;
		return -1;
	}
	ret = next_getsockopt(fd, level, optname, optval, optlen);
	if (ret == 0 && level == SOL_SOCKET && optname == SO_PROTOCOL &&
	    mytcp_proto && optval && optlen && *optlen >= sizeof(int) &&
	    *(int *)optval == mytcp_proto && is_mytcp_stream(fd))
		*(int *)optval = IPPROTO_TCP;
	return ret;
}
