// SPDX-License-Identifier: GPL-2.0
/*
 * socket_try PROTO: create socket(AF_INET, SOCK_STREAM, PROTO) and print
 * "ok" or the errno name (EPROTONOSUPPORT ...). A helper of the shell
 * selftests: far faster than starting an interpreter under TCG.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>

static const char *errno_name(int e)
{
	switch (e) {
	case EPROTONOSUPPORT:	return "EPROTONOSUPPORT";
	case ENOPROTOOPT:	return "ENOPROTOOPT";
	case EAFNOSUPPORT:	return "EAFNOSUPPORT";
	case ESOCKTNOSUPPORT:	return "ESOCKTNOSUPPORT";
	case EPERM:		return "EPERM";
	case ENOMEM:		return "ENOMEM";
	default:		return strerror(e);
	}
}

int main(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PROTO\n", argv[0]);
		return 2;
	}
	fd = socket(AF_INET, SOCK_STREAM, atoi(argv[1]));
	if (fd < 0) {
		printf("%s\n", errno_name(errno));
		return 1;
	}
	close(fd);
	printf("ok\n");
	return 0;
}
