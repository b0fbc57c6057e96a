/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI hooks. One hook at a time: clone3(CLONE_PIDFD, no exit signal), the
 * child resets its signals, moves its pipe ends to 0-2, marks every other fd
 * close-on-exec and execs; a close-on-exec pipe carries the errno of a failed
 * step back. The parent feeds stdin, collects stdout/stderr and watches the
 * pidfd in one poll loop (so neither side can deadlock the other, and the
 * timeout needs no signal), then reaps with waitid(P_PIDFD).
 */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "util/cleanup.h"
#include "util/sys.h"

/* Output read after the hook exited (a daemonized grandchild may keep writing). */
#define DRAIN_MAX (1024 * 1024)
/* Parts of the captured output quoted in an error message. */
#define QUOTE_STDERR 480
#define QUOTE_STDOUT 240

/* ---- state JSON ---- */

static int set_string(json_t *obj, const char *key, const char *value)
{
	return json_object_set_new(obj, key, value ? json_string(value) : NULL);
}

static json_t *annotations_json(const struct hull_hook_state *st)
{
	json_t *obj = json_object();

	for (size_t i = 0; obj && i < st->n_annotations; i++) {
		const struct hull_kv *kv = &st->annotations[i];
		if (!kv->key || set_string(obj, kv->key, kv->value) < 0) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

static json_t *state_object(const struct hull_hook_state *st)
{
	json_t *root = json_object();

	if (!root || set_string(root, "ociVersion", HULL_OCI_VERSION) < 0 ||
	    set_string(root, "id", st->id) < 0 || set_string(root, "status", st->status) < 0 ||
	    (st->pid > 0 && json_object_set_new(root, "pid", json_integer(st->pid)) < 0) ||
	    set_string(root, "bundle", st->bundle) < 0 ||
	    (st->n_annotations > 0 &&
	     json_object_set_new(root, "annotations", annotations_json(st)) < 0)) {
		json_decref(root);
		return NULL;
	}
	return root;
}

int hooks_state_json(const struct hull_hook_state *st, char **ret_json, struct hull_error *err)
{
	if (!st->id || !st->status || !st->bundle)
		return hull_err(err, EINVAL, "hook state: id, status and bundle are required");
	if (st->n_annotations > 0 && !st->annotations)
		return hull_err(err, EINVAL, "hook state of %s: annotations missing", st->id);

	json_auto_t *root = state_object(st);
	if (!root)
		return hull_err(err, EINVAL, "hook state of %s: strings must be valid UTF-8",
		                st->id);
	char *text = json_dumps(root, JSON_COMPACT);
	if (!text)
		return hull_err(err, ENOMEM, "hook state of %s: encode JSON", st->id);
	*ret_json = text;
	return 0;
}

int hooks_seccomp_state_json(const struct hull_hook_state *st, pid_t pid, const char *metadata,
                             char **ret_json, struct hull_error *err)
{
	json_t *state = state_object(st);
	json_auto_t *root =
	    state ? json_pack("{s:s, s:[s], s:I, s:o}", "ociVersion", HULL_OCI_VERSION, "fds",
	                      "seccompFd", "pid", (json_int_t)pid, "state", state)
	          : NULL;

	if (!root || (metadata && set_string(root, "metadata", metadata) < 0))
		return hull_err(err, EINVAL,
		                "seccomp agent state of %s: strings must be valid UTF-8", st->id);
	if (!(*ret_json = json_dumps(root, JSON_COMPACT)))
		return hull_err(err, ENOMEM, "seccomp agent state of %s: encode JSON", st->id);
	return 0;
}

/* ---- the hook process ---- */

/* Pipe ends: pipe2(&fd[X_R]) fills X_R (read) and X_W (write). */
enum { IN_R, IN_W, OUT_R, OUT_W, ERR_R, ERR_W, FAIL_R, FAIL_W, N_FDS };

/* The steps of the child that can fail, reported through the FAIL pipe. */
enum { STEP_FDS, STEP_CLOSE_RANGE, STEP_EXEC };
static const char *const step_names[] = {"set up stdio", "close_range", "execve"};

struct child_fail {
	int step, err;
};

struct capture {
	char buf[HOOKS_CAPTURE_MAX];
	size_t len;
};

struct hook_proc {
	const struct hull_hook *hook;
	int fd[N_FDS];
	int pidfd;
	bool reaped, timed_out;
	siginfo_t info;
	const char *data; /* state JSON */
	size_t len, off;
	struct capture out, err;
	struct child_fail fail;
	bool failed_in_child;
};

static void close_fd(int *fd)
{
	hull_closep(fd);
	*fd = -1;
}

static int reap(struct hook_proc *p)
{
	memset(&p->info, 0, sizeof(p->info));
	while (waitid((idtype_t)P_PIDFD, (id_t)p->pidfd, &p->info, WEXITED | __WALL) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	p->reaped = true;
	return 0;
}

static void hook_proc_cleanup(struct hook_proc *p)
{
	if (p->pidfd >= 0 && !p->reaped) {
		sys_pidfd_send_signal(p->pidfd, SIGKILL);
		reap(p);
	}
	close_fd(&p->pidfd);
	for (int i = 0; i < N_FDS; i++)
		close_fd(&p->fd[i]);
}

/* ---- child side: async-signal-safe syscalls only ---- */

static _Noreturn void child_fail(int fd, int step, int e)
{
	struct child_fail f = {.step = step, .err = e};
	ssize_t n;

	do
		n = write(fd, &f, sizeof(f));
	while (n < 0 && errno == EINTR);
	_exit(127);
}

/* Called with every signal blocked (the parent blocked them around clone). */
static void child_reset_signals(void)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL); /* EINVAL for libc-internal ones: fine */
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Move the stdio pipe ends to 0-2. They are first duplicated above 2, so
 * that none of them is overwritten when the caller's own 0-2 were closed. */
static int child_stdio(const int *fd)
{
	int in = fcntl(fd[IN_R], F_DUPFD_CLOEXEC, 3);
	int out = fcntl(fd[OUT_W], F_DUPFD_CLOEXEC, 3);
	int er = fcntl(fd[ERR_W], F_DUPFD_CLOEXEC, 3);

	if (in < 0 || out < 0 || er < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(er, 2) < 0)
		return -1;
	return 0;
}

static _Noreturn void child_main(const struct hull_hook *h, const int *fd)
{
	char *const default_argv[] = {(char *)h->path, NULL};
	char *const empty_env[] = {NULL};
	char *const *argv = h->args && h->args[0] ? (char *const *)h->args : default_argv;
	char *const *envp = h->env ? (char *const *)h->env : empty_env;
	int fail = fcntl(fd[FAIL_W], F_DUPFD_CLOEXEC, 3);

	if (fail < 0)
		_exit(127);
	child_reset_signals();
	if (child_stdio(fd) < 0)
		child_fail(fail, STEP_FDS, errno);
	/* Everything above 2, including `fail`, is closed by a successful execve. */
	if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		child_fail(fail, STEP_CLOSE_RANGE, errno);
	execve(h->path, argv, envp);
	child_fail(fail, STEP_EXEC, errno);
}

/* ---- parent side ---- */

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

static int make_pipes(struct hook_proc *p, struct hull_error *err)
{
	for (int i = 0; i < N_FDS; i += 2) {
		if (pipe2(&p->fd[i], O_CLOEXEC) < 0)
			return hull_err_sys(err, errno, "pipe");
	}
	/* Only the parent's ends: O_NONBLOCK is per open file description. */
	int ret = set_nonblock(p->fd[IN_W]);
	if (ret == 0)
		ret = set_nonblock(p->fd[OUT_R]);
	if (ret == 0)
		ret = set_nonblock(p->fd[ERR_R]);
	if (ret == 0)
		ret = set_nonblock(p->fd[FAIL_R]);
	return ret < 0 ? hull_err_sys(err, -ret, "fcntl O_NONBLOCK") : 0;
}

static int spawn(struct hook_proc *p, struct hull_error *err)
{
	struct clone_args ca = {.flags = CLONE_PIDFD, .pidfd = (uint64_t)(uintptr_t)&p->pidfd};
	sigset_t all, old;
	long pid;
	int ret;

	if ((ret = make_pipes(p, err)) < 0)
		return ret;
	/* No handler of the caller may run in the child before it resets them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = sys_clone3(&ca);
	if (pid == 0)
		child_main(p->hook, p->fd);
	ret = pid < 0 ? -errno : 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret < 0)
		return hull_err_sys(err, -ret, "clone3");
	close_fd(&p->fd[IN_R]);
	close_fd(&p->fd[OUT_W]);
	close_fd(&p->fd[ERR_W]);
	close_fd(&p->fd[FAIL_W]);
	return 0;
}

/* write(2) that never raises SIGPIPE in the caller: SIGPIPE is blocked
 * around it, and one it generated is consumed before unblocking. */
static ssize_t write_nosigpipe(int fd, const void *buf, size_t len)
{
	const struct timespec zero = {0, 0};
	sigset_t pipe_set, old, pending;
	bool was_pending;
	ssize_t n;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EPIPE && !was_pending) {
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
			;
		errno = EPIPE;
	}
	int saved = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return n;
}

/* Write what the pipe takes; close it when done or when the hook stopped reading. */
static void feed_stdin(struct hook_proc *p)
{
	if (p->off < p->len) {
		ssize_t n = write_nosigpipe(p->fd[IN_W], p->data + p->off, p->len - p->off);
		if (n < 0 && errno == EAGAIN)
			return;
		if (n > 0)
			p->off += (size_t)n;
		if (n > 0 && p->off < p->len)
			return;
	}
	close_fd(&p->fd[IN_W]);
}

/* Keep the last HOOKS_CAPTURE_MAX bytes. */
static void capture_add(struct capture *c, const char *data, size_t n)
{
	if (n >= sizeof(c->buf)) {
		memcpy(c->buf, data + n - sizeof(c->buf), sizeof(c->buf));
		c->len = sizeof(c->buf);
		return;
	}
	if (c->len + n > sizeof(c->buf)) {
		size_t drop = c->len + n - sizeof(c->buf);
		memmove(c->buf, c->buf + drop, c->len - drop);
		c->len -= drop;
	}
	memcpy(c->buf + c->len, data, n);
	c->len += n;
}

/* One read; returns the bytes read, 0 when the fd is done (EOF or error, then closed),
 * -1 when nothing is available now. */
static ssize_t collect(int *fd, struct capture *c)
{
	char buf[4096];
	ssize_t n;

	do
		n = read(*fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return -1;
	if (n <= 0) {
		close_fd(fd);
		return 0;
	}
	capture_add(c, buf, (size_t)n);
	return n;
}

/* After the hook exited: what is already in the pipe, not what a grandchild may still write. */
static void drain(int *fd, struct capture *c)
{
	size_t total = 0;
	ssize_t n;

	while (*fd >= 0 && total < DRAIN_MAX && (n = collect(fd, c)) > 0)
		total += (size_t)n;
	close_fd(fd);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* poll(2) timeout until deadline (-1: none). */
static int poll_timeout(int64_t deadline)
{
	if (deadline < 0)
		return -1;
	int64_t left = deadline - now_ms();
	return left <= 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int)left;
}

/* Until the hook exits (or its timeout kills it): feed stdin, collect output. */
static int io_loop(struct hook_proc *p, struct hull_error *err)
{
	const struct hull_hook *h = p->hook;
	int64_t deadline = h->has_timeout ? now_ms() + (int64_t)h->timeout * 1000 : -1;

	for (;;) {
		struct pollfd pfd[] = {{.fd = p->pidfd, .events = POLLIN},
		                       {.fd = p->fd[IN_W], .events = POLLOUT},
		                       {.fd = p->fd[OUT_R], .events = POLLIN},
		                       {.fd = p->fd[ERR_R], .events = POLLIN}};
		int ms = poll_timeout(deadline);
		int r = poll(pfd, ARRAY_SIZE(pfd), ms);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return hull_err_sys(err, errno, "poll");
		if (r == 0 && ms == 0) {
			p->timed_out = true;
			sys_pidfd_send_signal(p->pidfd, SIGKILL);
			return 0;
		}
		if (pfd[1].revents)
			feed_stdin(p);
		if (pfd[2].revents)
			collect(&p->fd[OUT_R], &p->out);
		if (pfd[3].revents)
			collect(&p->fd[ERR_R], &p->err);
		if (pfd[0].revents)
			return 0;
	}
}

/* The child's report of a failed step, if any (it is gone: the read cannot block). */
static void read_child_fail(struct hook_proc *p)
{
	ssize_t n;

	do
		n = read(p->fd[FAIL_R], &p->fail, sizeof(p->fail));
	while (n < 0 && errno == EINTR);
	p->failed_in_child = n == (ssize_t)sizeof(p->fail) && p->fail.step >= 0 &&
	                     p->fail.step < (int)ARRAY_SIZE(step_names);
}

static int wait_hook(struct hook_proc *p, struct hull_error *err)
{
	int ret = io_loop(p, err);

	if (ret < 0)
		return ret;
	close_fd(&p->fd[IN_W]);
	drain(&p->fd[OUT_R], &p->out);
	drain(&p->fd[ERR_R], &p->err);
	if ((ret = reap(p)) < 0)
		return hull_err_sys(err, -ret, "waitid");
	read_child_fail(p);
	return 0;
}

/* ---- the verdict ---- */

/* The last `max` bytes of the capture on one line: trimmed, control characters and runs of
 * whitespace as one space, "..." when cut. */
static void quote_output(const struct capture *c, size_t max, char *out, size_t size)
{
	size_t start = 0, end = c->len, o = 0;

	while (start < end && (unsigned char)c->buf[start] <= ' ')
		start++;
	while (end > start && (unsigned char)c->buf[end - 1] <= ' ')
		end--;
	if (end - start > max) {
		start = end - max;
		while (start < end && ((unsigned char)c->buf[start] & 0xc0) == 0x80)
			start++; /* not in the middle of a UTF-8 sequence */
		o = (size_t)snprintf(out, size, "...");
	}
	for (size_t i = start; i < end && o + 1 < size; i++) {
		unsigned char ch = (unsigned char)c->buf[i];
		bool space = ch < ' ' || ch == 0x7f || ch == ' ';
		if (space && o > 0 && out[o - 1] == ' ')
			continue;
		out[o++] = space ? ' ' : (char)ch;
	}
	out[o] = '\0';
}

static void append_output(struct hull_error *e, const char *label, const struct capture *c,
                          size_t max)
{
	char text[QUOTE_STDERR + 8];
	size_t n = strlen(e->msg);

	quote_output(c, max, text, sizeof(text));
	if (text[0])
		snprintf(e->msg + n, sizeof(e->msg) - n, "; %s: %s", label, text);
}

static int verdict_reason(const struct hook_proc *p, struct hull_error *err)
{
	const siginfo_t *si = &p->info;

	if (p->failed_in_child)
		return hull_err_sys(err, p->fail.err, "%s", step_names[p->fail.step]);
	if (p->timed_out)
		return hull_err(err, ETIMEDOUT, "timeout of %d s expired (killed)",
		                p->hook->timeout);
	if (si->si_code == CLD_EXITED && si->si_status == 0)
		return 0;
	if (si->si_code == CLD_EXITED)
		return hull_err(err, ECANCELED, "exited with status %d", si->si_status);
	const char *abbrev = sigabbrev_np(si->si_status);
	return hull_err(err, ECANCELED, "killed by signal %d (SIG%s)%s", si->si_status,
	                abbrev ? abbrev : "?", si->si_code == CLD_DUMPED ? ", core dumped" : "");
}

static int verdict(const struct hook_proc *p, struct hull_error *err)
{
	int ret = verdict_reason(p, err);

	if (ret < 0 && err) {
		append_output(err, "stderr", &p->err, QUOTE_STDERR);
		append_output(err, "stdout", &p->out, QUOTE_STDOUT);
	}
	return ret;
}

static int run_one(const struct hull_hook *h, const char *state_json, struct hull_error *err)
{
	__attribute__((cleanup(hook_proc_cleanup))) struct hook_proc p = {
	    .hook = h,
	    .fd = {-1, -1, -1, -1, -1, -1, -1, -1},
	    .pidfd = -1,
	    .data = state_json,
	    .len = strlen(state_json),
	};
	int ret;

	if (!h->path || h->path[0] != '/')
		return hull_err(err, EINVAL, "path must be absolute");
	if (h->has_timeout && h->timeout <= 0)
		return hull_err(err, EINVAL, "timeout must be greater than zero");
	if ((ret = spawn(&p, err)) < 0 || (ret = wait_hook(&p, err)) < 0)
		return ret;
	return verdict(&p, err);
}

int hooks_run(enum hull_hook_kind kind, const struct hull_hooks *hooks, const char *state_json,
              struct hull_error *err)
{
	for (size_t i = 0; hooks && i < hooks->n; i++) {
		const struct hull_hook *h = &hooks->v[i];
		int ret = run_one(h, state_json ? state_json : "", err);
		if (ret < 0) {
			if (err)
				hull_err_prefix(err, "%s hook #%zu (%s)", hull_hook_kind_name(kind),
				                i, h->path ? h->path : "(null)");
			return ret;
		}
	}
	return 0;
}
