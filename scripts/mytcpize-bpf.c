// SPDX-License-Identifier: GPL-2.0
/*
 * mytcpize-bpf PROTO CMD [ARGS...]: run CMD in a new cgroup while
 * mytcpize.bpf.c turns the IPv4 TCP sockets of that cgroup's tasks into
 * protocol PROTO (mytcp). CMD's children stay in the cgroup and are
 * converted too; nothing outside it is. The program is detached and the
 * cgroup removed when CMD ends. Exits with CMD's status.
 * scripts/mytcpize runs it as "mytcpize bpf".
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>
#include <bpf/libbpf.h>
#include "mytcpize.skel.h"

#define CGROUP_ROOT	"/sys/fs/cgroup"

/* libbpf's own messages only with MYTCPIZE_DEBUG=1: ours say what failed. */
static int libbpf_log(enum libbpf_print_level level, const char *fmt,
		      va_list ap)
{
	const char *debug = getenv("MYTCPIZE_DEBUG");

	if (level == LIBBPF_DEBUG || !debug || strcmp(debug, "1"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Move the calling process into the cgroup at dir. */
static int join_cgroup(const char *dir)
{
	char path[128], pid[32];
	int fd, len, ok;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	len = snprintf(pid, sizeof(pid), "%d", (int)getpid());
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = write(fd, pid, len) == len;
	close(fd);
	return ok ? 0 : -1;
}

static int run(char **argv, const char *dir)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		perror("mytcpize-bpf: fork");
		return 126;
	}
	if (pid == 0) {
		if (join_cgroup(dir)) {
			perror("mytcpize-bpf: joining the cgroup");
			_exit(126);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "mytcpize-bpf: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	/* The terminal's ^C reaches CMD; we wait for it to end and clean up. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("mytcpize-bpf: waitpid");
			return 126;
		}
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	struct mytcpize_bpf *skel;
	char dir[64];
	struct statfs fs;
	struct stat st;
	char *end;
	long proto;
	int err, ret;

	if (argc < 3) {
		fprintf(stderr, "usage: mytcpize-bpf PROTO CMD [ARGS...]\n");
		return 2;
	}
	errno = 0;
	proto = strtol(argv[1], &end, 10);
	if (errno || *end || proto < 1 || proto > 254 || proto == 6) {
		fprintf(stderr, "mytcpize-bpf: %s: not a protocol number (1-254, not 6)\n",
			argv[1]);
		return 2;
	}
	if (statfs(CGROUP_ROOT, &fs) || fs.f_type != CGROUP2_SUPER_MAGIC) {
		fprintf(stderr, "mytcpize-bpf: no cgroup2 file system at %s\n",
			CGROUP_ROOT);
		return 126;
	}
	snprintf(dir, sizeof(dir), "%s/mytcpize-%d", CGROUP_ROOT, (int)getpid());
	if (mkdir(dir, 0755) || stat(dir, &st)) {
		fprintf(stderr, "mytcpize-bpf: %s: %s\n", dir, strerror(errno));
		return 126;
	}

	ret = 126;
	libbpf_set_print(libbpf_log);
	skel = mytcpize_bpf__open();
	if (!skel) {
		perror("mytcpize-bpf: opening the BPF object");
		goto out_rmdir;
	}
	/* A cgroup2 directory's inode number is the id BPF sees. */
	skel->bss->target_cgroup = st.st_ino;
	skel->data->mytcp_proto = proto;
	err = mytcpize_bpf__load(skel);
	if (!err)
		err = mytcpize_bpf__attach(skel);
	if (err) {
		fprintf(stderr,
			"mytcpize-bpf: cannot attach to update_socket_protocol (Linux 6.6 or later): %s\n",
			strerror(-err));
		goto out_destroy;
	}
	ret = run(argv + 2, dir);

out_destroy:
	mytcpize_bpf__destroy(skel);
out_rmdir:
	/* Fails while a process CMD left behind is still in the cgroup. */
	if (rmdir(dir))
		fprintf(stderr, "mytcpize-bpf: %s not removed: %s\n", dir,
			strerror(errno));
	return ret;
}
