/*
 * spawn.c - running the helper programs the dashboard hands work to
 * (xdg-open or $BROWSER, a clipboard tool, $PAGER, $EDITOR).  Always an
 * argv, never a shell: a post's link or text cannot become a command.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dlrepro/util.h"
#include "ui.h"

const char *
spawn_which(const char *name)
{
	static char buf[4096];
	const char *path = getenv("PATH");
	const char *p;

	if (!name || !*name)
		return NULL;
	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? name : NULL;
	for (p = path; p && *p;) {
		size_t n = strcspn(p, ":");

		if (n && n + strlen(name) + 2 < sizeof(buf)) {
			memcpy(buf, p, n);
			buf[n] = '/';
			strcpy(buf + n + 1, name);
			if (access(buf, X_OK) == 0)
				return buf;
		}
		p += n;
		if (*p == ':')
			p++;
	}
	return NULL;
}

static void
null_stdio(int keep_stdin_fd)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		_exit(127);
	if (keep_stdin_fd < 0)
		dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

int
spawn_detached(char *const argv[])
{
	pid_t pid = fork(), pid2;
	int status;

	if (pid < 0)
		return error_set("fork: %s", strerror(errno));
	if (pid == 0) {
		setsid();
		pid2 = fork();
		if (pid2 != 0)
			_exit(pid2 < 0 ? 127 : 0);
		null_stdio(-1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return error_set("%s: could not start", argv[0]);
	return DL_OK;
}

int
spawn_wait_stdin(char *const argv[], const char *file)
{
	pid_t pid;
	int status, fd;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (file) {
			fd = open(file, O_RDONLY);
			if (fd < 0)
				_exit(127);
			dup2(fd, 0);
			close(fd);
			null_stdio(0);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
