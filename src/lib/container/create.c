/* SPDX-License-Identifier: Apache-2.0 */
/* create, run and start: the one way a container comes to life. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "container.h"
#include "hooks/hooks.h"
#include "internal.h"
#include "security/security.h"
#include "state/state.h"
#include "sync.h"
#include "tty.h"
#include "util/cleanup.h"
#include "util/sys.h"

void ctx_init(struct hull_ctx *c)
{
	cgroup_fds_init(&c->cgfds);
	for (int t = 0; t < HULL_NS__COUNT; t++)
		c->ns_fds[t] = -1;
	c->procfd = c->pidfd = c->start_listen = c->console_sock = c->tty_master = -1;
	c->sync_parent = c->sync_child = c->statefd = -1;
}

int ctx_hooks(const struct hull_ctx *c, enum hull_hook_kind kind, const char *status, pid_t pid,
              struct hull_error *err)
{
	const struct hull_hooks *h = &c->spec->hooks[kind];
	struct hull_hook_state hs = {.id = c->id,
	                             .status = status,
	                             .pid = pid,
	                             .bundle = c->bundle,
	                             .annotations = c->spec->annotations,
	                             .n_annotations = c->spec->n_annotations};
	_cleanup_free_ char *json = NULL;
	int ret;

	if (h->n == 0)
		return 0;
	if ((ret = hooks_state_json(&hs, &json, err)) < 0)
		return ret;
	if (kind != HULL_HOOK_POSTSTOP)
		return hooks_run(kind, h, json, err);
	/* poststop: a failure is a warning; the remaining hooks still run. */
	for (size_t i = 0; i < h->n; i++) {
		struct hull_hooks one = {.v = &h->v[i], .n = 1};
		int r = hooks_run(kind, &one, json, err);
		if (r < 0 && ret == 0)
			ret = r;
	}
	return ret;
}

int ctx_saved_hooks(int statefd, const struct hull_state *st, enum hull_hook_kind kind,
                    const char *status, pid_t pid, struct hull_error *err)
{
	char path[64];
	struct hull_spec *spec = NULL;
	struct hull_ctx c = {.id = st->id};
	int ret;

	if (!(st->hooks & (1u << kind)))
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", statefd, STATE_CONFIG);
	if ((ret = hull_spec_load(path, &spec, err)) < 0)
		return hull_err_prefix(err, "container %s: saved config", st->id);
	c.spec = spec;
	snprintf(c.bundle, sizeof(c.bundle), "%s", st->bundle);
	ret = ctx_hooks(&c, kind, status, pid, err);
	hull_spec_free(spec);
	return ret;
}

int ctx_write_pid_file(const char *path, pid_t pid, struct hull_error *err)
{
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%d", pid);
	int r = write_file_atomic_at(AT_FDCWD, path, buf, (size_t)n, 0644);

	return r < 0 ? hull_err_sys(err, -r, "write pid file %s", path) : 0;
}

void ctx_signals_block(sigset_t *saved)
{
	sigset_t all;

	sigfillset(&all);
	static const int sync_sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT};
	for (size_t i = 0; i < ARRAY_SIZE(sync_sigs); i++)
		sigdelset(&all, sync_sigs[i]);
	sigprocmask(SIG_BLOCK, &all, saved);
}

int ctx_wait(struct hull_ctx *c, int *ret_status, struct hull_error *err)
{
	sigset_t all;
	siginfo_t si;
	int status, ret;

	if (c->tty_master >= 0) {
		ret = tty_relay(c->tty_master, c->pidfd, c->pid, &status, err);
		if (ret < 0)
			return ret;
	} else {
		sigfillset(&all);
		for (;;) {
			pid_t r = waitpid(c->pid, &status, WNOHANG);
			if (r == c->pid)
				break;
			if (r < 0 && errno != EINTR)
				return hull_err_sys(err, errno, "wait for container %s", c->id);
			int sig = sigwaitinfo(&all, &si);
			if (sig < 0 || sig == SIGCHLD || sig == SIGURG)
				continue;
			sys_pidfd_send_signal(c->pidfd, sig);
		}
	}
	c->pid = 0;
	*ret_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

/* Copy the validated config into the state directory: exec and delete's
 * poststop hooks read it, and later edits of the bundle change nothing. */
static int save_config(int statefd, const char *bundle, struct hull_error *err)
{
	char path[PATH_MAX];
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int ret;

	snprintf(path, sizeof(path), "%s/config.json", bundle);
	if ((ret = read_file_at(AT_FDCWD, path, 64 << 20, &buf, &len)) < 0)
		return hull_err_sys(err, -ret, "read %s", path);
	_cleanup_close_ int fd =
	    openat(statefd, STATE_CONFIG, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || (ret = write_all(fd, buf, len)) < 0)
		return hull_err_sys(err, fd < 0 ? errno : -ret, "save the config");
	return 0;
}

/* Path of `name` in a directory given by fd, short enough for sun_path. */
static void sock_path(struct sockaddr_un *sa, int dirfd, const char *name)
{
	sa->sun_family = AF_UNIX;
	snprintf(sa->sun_path, sizeof(sa->sun_path), "/proc/self/fd/%d/%s", dirfd, name);
}

/* create: the socket `hull start` connects to; the process accepts on it. */
static int make_start_socket(struct hull_ctx *c, struct hull_error *err)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return hull_err_sys(err, errno, "socket");
	sock_path(&sa, c->statefd, STATE_START_SOCK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
		int e = errno;
		close(fd);
		return hull_err_sys(err, e, "create the start socket");
	}
	c->start_listen = fd;
	return 0;
}

static unsigned hook_mask(const struct hull_spec *s)
{
	unsigned m = 0;

	for (int k = 0; k < HULL_HOOK__COUNT; k++)
		if (s->hooks[k].n)
			m |= 1u << k;
	return m;
}

struct build {
	const struct hull_run_opts *o;
	struct hull_state st;
	char created[64];
};

static int before_go(struct hull_ctx *c, struct hull_error *err)
{
	struct build *b = c->owner;
	int ret;

	if ((ret = ctx_net_attach(c, err)) < 0)
		return ret;
	if (!b->st.hooks)
		return 0;
	/* Hooks may ask `hull state`: tell them the pid. */
	b->st.pid = c->pid;
	b->st.pid_start = state_pid_start(c->pid);
	b->st.status = "creating";
	if ((ret = state_write(c->statefd, &b->st, err)) < 0)
		return ret;
	if ((ret = ctx_hooks(c, HULL_HOOK_PRESTART, "creating", c->pid, err)) < 0)
		return ret;
	return ctx_hooks(c, HULL_HOOK_CREATE_RUNTIME, "creating", c->pid, err);
}

/* Everything up to the process being ready (create) or exec'ed (run). On
 * failure nothing is left: process killed, state removed. */
static int build(struct hull_ctx *c, struct build *b, struct hull_spec **spec,
                 struct hull_error *err)
{
	const struct hull_run_opts *o = b->o;
	char cfg[PATH_MAX];
	int ret;

	if ((ret = state_id_check(o->id, err)) < 0)
		return ret;
	if (!o->bundle || strcmp(o->bundle, ".") == 0)
		snprintf(cfg, sizeof(cfg), "config.json");
	else
		snprintf(cfg, sizeof(cfg), "%s/config.json", o->bundle);
	if ((ret = hull_spec_load(cfg, spec, err)) < 0)
		return ret;
	c->spec = *spec;
	c->proc = &(*spec)->process;
	if ((ret = ctx_net_prepare(c, *spec, o->state_root, err)) < 0 ||
	    (ret = ctx_prepare(c, o, err)) < 0)
		return ret;
	c->statefd = state_create(o->state_root, o->id, err);
	if (c->statefd < 0)
		return c->statefd;
	/* After the cheap checks, and once the state root exists (its filter
	 * cache then too, from the first container on). */
	if ((ret = sec_seccomp_build(c->spec->linux_.seccomp, o->state_root, &c->seccomp, err)) <
	        0 ||
	    (ret = save_config(c->statefd, c->bundle, err)) < 0 ||
	    (o->create_only && (ret = make_start_socket(c, err)) < 0) ||
	    (ret = ctx_net_reserve(c, err)) < 0)
		goto fail;
	c->cgroup_made = *c->cgroup != '\0'; /* even half-made: destroy removes it */
	/* Made, limited (the process is born limited) and opened in one pass. */
	struct hull_cgroup_devs devs = {.v = c->spec->linux_.devices,
	                                .n = c->spec->linux_.n_devices};
	if (*c->cgroup && (ret = cgroup_open(c->cgroup, true, c->spec->linux_.resources, &devs,
	                                     &c->cgfds, err)) < 0)
		goto fail;
	c->saved_umask = umask(0022);
	umask(c->saved_umask);
	state_now(b->created, sizeof(b->created));
	b->st = (struct hull_state){.id = o->id,
	                            .bundle = c->bundle,
	                            .rootfs = c->rootfs,
	                            .created = b->created,
	                            .owner = geteuid(),
	                            .detached = o->detach || o->create_only,
	                            .own_pidns = c->spec->linux_.ns[HULL_NS_PID].present &&
	                                         !c->spec->linux_.ns[HULL_NS_PID].path,
	                            .cgroup = c->cgroup,
	                            .hooks = hook_mask(c->spec),
	                            .annotations = c->spec->annotations,
	                            .n_annotations = c->spec->n_annotations};
	c->before_go = before_go;
	c->owner = b;
	if ((ret = ctx_spawn(c, err)) < 0)
		goto fail;
	b->st.pid = c->pid;
	b->st.pid_start = state_pid_start(c->pid);
	b->st.status = o->create_only ? "created" : "running";
	if ((ret = state_write(c->statefd, &b->st, err)) < 0 ||
	    (o->pid_file && (ret = ctx_write_pid_file(o->pid_file, c->pid, err)) < 0))
		goto fail;
	return 0;
fail:
	/* runtime.md: a failed create continues the lifecycle at destroy,
	 * poststop hooks included (only warnings). */
	ctx_kill(c);
	struct hull_error ignored = {0};
	if (c->cgroup_made)
		cgroup_destroy(c->cgroup, &ignored);
	ctx_net_detach(o->id, c->statefd, &ignored);
	ctx_hooks(c, HULL_HOOK_POSTSTOP, "stopped", 0, &ignored);
	state_remove(o->state_root, o->id, c->statefd);
	return ret;
}

static void destroy(struct hull_ctx *c, const char *root)
{
	struct hull_error ignored = {0};

	ctx_kill(c);
	if (c->cgroup_made)
		cgroup_destroy(c->cgroup, &ignored);
	ctx_net_detach(c->id, c->statefd, &ignored);
	/* poststop failures are only warnings (runtime.md) */
	ctx_hooks(c, HULL_HOOK_POSTSTOP, "stopped", 0, &ignored);
	state_remove(root, c->id, c->statefd);
}

int hull_container_create(const struct hull_run_opts *o, struct hull_error *err)
{
	struct hull_ctx c = {.id = o->id};
	struct build b = {.o = o};
	struct hull_spec *spec = NULL;
	sigset_t saved;
	int ret;

	ctx_init(&c);
	ctx_signals_block(&saved);
	c.saved_sigmask = saved;
	ret = build(&c, &b, &spec, err);
	if (ret == 0 && c.console_sock >= 0 && c.tty_master >= 0 &&
	    (ret = tty_console_send(c.console_sock, c.tty_master, err)) < 0)
		destroy(&c, o->state_root);
	if (ret == 0)
		c.pid = 0; /* left to the caller (conmon, the shim are subreapers) */
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (c.statefd >= 0)
		close(c.statefd);
	ctx_release(&c);
	hull_spec_free(spec);
	return ret;
}

int hull_container_run(const struct hull_run_opts *o, int *ret_status, struct hull_error *err)
{
	struct hull_ctx c = {.id = o->id};
	struct build b = {.o = o};
	struct hull_spec *spec = NULL;
	sigset_t saved;
	int ret;

	ctx_init(&c);
	ctx_signals_block(&saved);
	c.saved_sigmask = saved;
	ret = build(&c, &b, &spec, err);
	if (ret < 0)
		goto out;
	if (c.console_sock >= 0 && c.tty_master >= 0) {
		ret = tty_console_send(c.console_sock, c.tty_master, err);
		close(c.tty_master);
		c.tty_master = -1;
	}
	if (ret == 0)
		ret = ctx_hooks(&c, HULL_HOOK_POSTSTART, "running", c.pid, err);
	if (ret < 0) {
		destroy(&c, o->state_root);
		goto out;
	}
	if (o->detach) {
		*ret_status = 0;
		c.pid = 0; /* left to the caller */
		goto out;
	}
	ret = ctx_wait(&c, ret_status, err);
	if (ret == 0 && o->keep) {
		b.st.pid = 0;
		b.st.status = "stopped";
		ret = state_write(c.statefd, &b.st, err);
	} else {
		destroy(&c, o->state_root);
	}
out:
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (c.statefd >= 0)
		close(c.statefd);
	ctx_release(&c);
	hull_spec_free(spec);
	return ret;
}
