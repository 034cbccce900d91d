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

/*
 * The child tells why it could not start (exec's errno) through a pipe
 * that exec closes: a program that ran and exited 127 is not confused
 * with one that is not there, which the user must be told about.
 */
int
spawn_wait_stdin(char *const argv[], const char *file)
{
	pid_t pid;
	int status, fd, p[2], err = 0;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) != 0)
		return error_set("%s: cannot run: %s", argv[0],
				 strerror(errno)), SPAWN_NOT_RUN;
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(p[0]);
		close(p[1]);
		return error_set("%s: cannot run: %s", argv[0],
				 strerror(err)), SPAWN_NOT_RUN;
	}
	if (pid == 0) {
		close(p[0]);
		if (file) {
			fd = open(file, O_RDONLY);
			if (fd < 0)
				goto fail;
			dup2(fd, 0);
			close(fd);
			null_stdio(0);
		}
		execvp(argv[0], argv);
fail:
		err = errno;
		if (write(p[1], &err, sizeof err) < 0)
			_exit(127);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], &err, sizeof err)) < 0 && errno == EINTR)
		;
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (n == (ssize_t)sizeof err)
		return error_set("%s: cannot run: %s", argv[0],
				 strerror(err)), SPAWN_NOT_RUN;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void
spawn_command(const char *value, const char *arg, struct strvec *sv)
{
	char *buf, *save = NULL, *tok;

	if (strpbrk(value, " \t") == NULL || spawn_which(value) != NULL) {
		sv_push(sv, value);
	} else {
		buf = xstrdup(value);
		for (tok = strtok_r(buf, " \t", &save); tok;
		     tok = strtok_r(NULL, " \t", &save))
			sv_push(sv, tok);
		free(buf);
	}
	if (arg)
		sv_push(sv, arg);
}
