// SPDX-License-Identifier: GPL-2.0
/*
 * -- CMD: finding it, starting it held at a gate, and holding its output;
 * and a command run to its end (mymemtrace validate's benchmark and tracer).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"

bool command_exists(const char *cmd)
{
	char buf[4096];
	const char *path = getenv("PATH");
	const char *p, *end;

	if (strchr(cmd, '/'))
		return !access(cmd, X_OK);
	for (p = path ? path : "/usr/bin:/bin"; p; p = end ? end + 1 : NULL) {
		end = strchr(p, ':');
		snprintf(buf, sizeof(buf), "%.*s/%s", end ? (int)(end - p) : (int)strlen(p), p, cmd);
		if (!access(buf, X_OK))
			return true;
	}
	return false;
}

/*
 * Forks CMD, held until a byte is written to @gate so that it is traced from its
 * first call. Returns the child's pid; @gate is the pipe that holds it.
 */
pid_t spawn_command(char **cmd, int *gate, int out_fd, int err_fd)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[1]);
		/* EOF without a byte: the tracer gave up, so do not run. */
		if (read(fds[0], &c, 1) != 1)
			_exit(127);
		close(fds[0]);
		signal(SIGPIPE, SIG_DFL);	/* ignored here; CMD gets the default */
		if (out_fd >= 0) {
			dup2(out_fd, STDOUT_FILENO);
			close(out_fd);
		}
		if (err_fd >= 0) {
			dup2(err_fd, STDERR_FILENO);
			close(err_fd);
		}
		execvp(cmd[0], cmd);
		fprintf(stderr, "mymemtrace: cannot run %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	*gate = fds[1];
	return pid;
}

/* CMD's output, held while the live view has the screen, then shown. */
int hold_output(void)
{
	char path[] = "/tmp/mymemtrace-cmd-XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	return fd;
}

void show_held_output(int fd, int to)
{
	char buf[65536];
	ssize_t n;

	if (fd < 0 || lseek(fd, 0, SEEK_SET))
		return;
	fflush(stdout);
	fflush(stderr);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(to, buf, n) != n)
			break;
}

/* @pid's exit status, 128 + the signal that ended it, or -1. */
static int wait_command(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run_command(char **cmd, const char *out_path, int err_fd)
{
	int out_fd, gate, saved;
	pid_t pid;

	out_fd = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		      0600);
	if (out_fd < 0)
		return -1;
	/* What we printed comes before what CMD prints on our stderr. */
	fflush(NULL);
	pid = spawn_command(cmd, &gate, out_fd, err_fd);
	saved = errno;
	close(out_fd);
	if (pid < 0) {
		errno = saved;
		return -1;
	}
	/* Nothing to attach first: the gate opens at once. */
	if (write(gate, "", 1) != 1)
		fprintf(stderr, "mymemtrace: cannot start %s: %s\n", cmd[0], strerror(errno));
	close(gate);
	return wait_command(pid);
}
