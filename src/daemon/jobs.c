#include "daemon/jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/err.h"
#include "util/log.h"

#define CHILD_OUT_MAX (1 << 20)

extern char **environ;

int child_spawn(struct child *c, char *const argv[])
{
	posix_spawn_file_actions_t fa;
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int pfd[2], rc;

	int efd[2];

	memset(c, 0, sizeof(*c));
	buf_init(&c->out, CHILD_OUT_MAX);
	buf_init(&c->err, 64 * 1024);
	c->out_fd = c->err_fd = -1;
	if (n <= 0 || pipe2(pfd, O_CLOEXEC) < 0)
		return RP_EIO;
	if (pipe2(efd, O_CLOEXEC) < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return RP_EIO;
	}
	self[n] = '\0';
	/* the binary was replaced (an upgrade): run the new one at that path */
	if (n > 10 && strcmp(self + n - 10, " (deleted)") == 0)
		self[n - 10] = '\0';
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, efd[1], 2);
	rc = posix_spawn(&c->pid, self, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	close(efd[1]);
	if (rc != 0) {
		close(pfd[0]);
		close(efd[0]);
		log_error("cannot start %s: %s", argv[1] ? argv[1] : "?",
			  strerror(rc));
		return RP_EIO;
	}
	c->out_fd = pfd[0];
	c->err_fd = efd[0];
	fcntl(c->out_fd, F_SETFL, fcntl(c->out_fd, F_GETFL) | O_NONBLOCK);
	fcntl(c->err_fd, F_SETFL, fcntl(c->err_fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

static void drain_err(struct child *c)
{
	char tmp[4096];
	ssize_t n = -1;

	while (c->err_fd >= 0 && (n = read(c->err_fd, tmp, sizeof(tmp))) > 0)
		if (buf_add(&c->err, tmp, (size_t)n) < 0) {
			buf_reset(&c->err); /* a line longer than 64 KiB */
			buf_add(&c->err, tmp, (size_t)n);
		}
	if (c->err_fd >= 0 && n == 0) {
		close(c->err_fd);
		c->err_fd = -1;
	}
}

void child_err_lines(struct child *c, void (*fn)(const char *line, void *arg),
		     void *arg)
{
	char *s, *nl;
	size_t used = 0;

	drain_err(c);
	s = (char *)buf_cstr(&c->err);
	while ((nl = memchr(s + used, '\n', c->err.len - used)) != NULL) {
		*nl = '\0';
		if (nl > s + used)
			fn(s + used, arg);
		used = (size_t)(nl - s) + 1;
	}
	if (c->done && used < c->err.len) {
		fn(s + used, arg);
		used = c->err.len;
	}
	memmove(c->err.p, c->err.p + used, c->err.len - used);
	c->err.len -= used;
	c->err.p[c->err.len] = '\0';
}

static void drain(struct child *c)
{
	char tmp[4096];
	ssize_t n = -1;

	while (c->out_fd >= 0 && (n = read(c->out_fd, tmp, sizeof(tmp))) > 0)
		if (buf_add(&c->out, tmp, (size_t)n) < 0)
			buf_reset(&c->out); /* keep the tail: the summary */
	if (c->out_fd >= 0 && n == 0) {
		close(c->out_fd);
		c->out_fd = -1;
	}
}

int child_poll(struct child *c)
{
	int st;
	pid_t r;

	if (c->done)
		return 1;
	drain(c);
	r = waitpid(c->pid, &st, WNOHANG);
	if (r != c->pid)
		return 0;
	drain(c);
	c->done = 1;
	c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 1;
}

void child_signal(struct child *c, int sig)
{
	if (!c->done && c->pid > 0)
		kill(c->pid, sig);
}

void child_release(struct child *c)
{
	if (c->out_fd >= 0)
		close(c->out_fd);
	if (c->err_fd >= 0)
		close(c->err_fd);
	buf_release(&c->out);
	buf_release(&c->err);
	memset(c, 0, sizeof(*c));
	c->out_fd = c->err_fd = -1;
}
