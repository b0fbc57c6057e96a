/* SPDX-License-Identifier: Apache-2.0 */
/* `run`: load, validate, reserve the state, spawn, wait. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "spec/spec_resources.h"
#include "internal.h"
#include "ns/ns.h"
#include "security/security.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/sys.h"

/* Seam for the cgroup module: until it lands, limits are refused, never
 * silently dropped. Device rules are accepted (every engine sends them) and
 * not yet enforced; see docs/architecture.md. */
static int check_resources(const struct hull_resources *r, struct hull_error *err)
{
	const char *what = NULL;

	if (!r)
		return 0;
	if (r->memory.present)
		what = "memory";
	else if (r->cpu.present)
		what = "cpu";
	else if (r->blkio.present)
		what = "blockIO";
	else if (r->n_hugepage_limits)
		what = "hugepageLimits";
	else if (r->network.present)
		what = "network";
	else if (r->pids.present)
		what = "pids";
	else if (r->n_rdma)
		what = "rdma";
	else if (r->n_unified)
		what = "unified";
	if (what)
		return hull_err(err, EOPNOTSUPP,
				"linux.resources.%s: cgroup limits are not supported by this build "
				"yet",
				what);
	return 0;
}

static int check_supported(const struct hull_spec *s, struct hull_error *err)
{
	int ret = check_resources(s->linux_.resources, err);

	if (ret < 0)
		return ret;
	if (s->process.terminal)
		return hull_err(err, EOPNOTSUPP,
				"process.terminal: terminals are not supported by this build yet "
				"(set \"terminal\": false)");
	if (s->linux_.seccomp)
		return hull_err(err, EOPNOTSUPP, "linux.seccomp: not supported by this build yet");
	return sec_lsm_check(&s->process, err);
}

static int resolve_paths(struct hull_ctx *c, const char *bundle, struct hull_error *err)
{
	char buf[PATH_MAX];
	struct stat st;

	if (!realpath(bundle, c->bundle))
		return hull_err_sys(err, errno, "bundle %s", bundle);
	const char *root = c->spec->root_path;
	if (root[0] != '/') {
		snprintf(buf, sizeof(buf), "%s/%s", c->bundle, root);
		root = buf;
	}
	if (!realpath(root, c->rootfs))
		return hull_err_sys(err, errno, "root.path %s", c->spec->root_path);
	if (stat(c->rootfs, &st) < 0 || !S_ISDIR(st.st_mode))
		return hull_err(err, ENOTDIR, "root.path %s: not a directory", c->spec->root_path);
	return 0;
}

static int open_host_fds(struct hull_ctx *c, struct hull_error *err)
{
	c->procfd = sec_procfs_open("/proc", err);
	return c->procfd < 0 ? c->procfd : 0;
}

/* hostname and sysctls may target a namespace joined by path (pods), but
 * never the host's own: that would change the host. */
static int check_not_host_ns(const struct hull_ctx *c, enum hull_ns_type t, const char *what,
			     struct hull_error *err)
{
	char self[64];
	struct stat a, b;

	if (c->ns_fds[t] < 0)
		return 0;
	snprintf(self, sizeof(self), "/proc/self/ns/%s",
		 t == HULL_NS_UTS ? "uts" : t == HULL_NS_NET ? "net" : "ipc");
	if (fstat(c->ns_fds[t], &a) == 0 && stat(self, &b) == 0 && a.st_ino == b.st_ino &&
	    a.st_dev == b.st_dev)
		return hull_err(err, EPERM,
				"%s: the %s namespace joined by path is the host's own; refusing "
				"to change the host",
				what, hull_ns_type_name(t));
	return 0;
}

static int check_joined(const struct hull_ctx *c, struct hull_error *err)
{
	const struct hull_spec *s = c->spec;
	int ret;

	if ((s->hostname || s->domainname) &&
	    (ret = check_not_host_ns(c, HULL_NS_UTS, "hostname", err)) < 0)
		return ret;
	for (size_t i = 0; i < s->linux_.n_sysctl; i++) {
		const char *k = s->linux_.sysctl[i].key;
		enum hull_ns_type t = strncmp(k, "net.", 4) == 0	 ? HULL_NS_NET
				      : strncmp(k, "kernel.hostname", 15) == 0 ||
						strncmp(k, "kernel.domainname", 17) == 0
					      ? HULL_NS_UTS
					      : HULL_NS_IPC;
		if ((ret = check_not_host_ns(c, t, "linux.sysctl", err)) < 0)
			return ret;
	}
	return 0;
}

static int ctx_prepare(struct hull_ctx *c, const struct hull_run_opts *o, struct hull_error *err)
{
	const struct hull_linux *l = &c->spec->linux_;
	int ret;

	if ((ret = check_supported(c->spec, err)) < 0 || (ret = resolve_paths(c, o->bundle, err)) < 0)
		return ret;
	if ((ret = ns_open_paths(l, c->ns_fds, err)) < 0 || (ret = check_joined(c, err)) < 0 ||
	    (ret = open_host_fds(c, err)) < 0)
		return ret;
	c->new_flags = ns_new_flags(l);
	c->userns_new = c->new_flags & CLONE_NEWUSER;
	c->setgroups_denied = c->userns_new && geteuid() != 0;
	c->two_stage = (c->new_flags & CLONE_NEWTIME) != 0;
	for (int t = 0; t < HULL_NS__COUNT; t++)
		if (c->ns_fds[t] >= 0)
			c->two_stage = true;
	c->become_root = c->userns_new && !c->two_stage;
	c->no_pivot = o->no_pivot;
	c->preserve_fds = o->preserve_fds;
	return 0;
}

static void ctx_release(struct hull_ctx *c)
{
	ns_close_fds(c->ns_fds);
	if (c->procfd >= 0)
		close(c->procfd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->procfd = c->pidfd = -1;
}

static int write_pid_file(const char *path, pid_t pid, struct hull_error *err)
{
	char tmp[PATH_MAX], buf[16];
	int n = snprintf(buf, sizeof(buf), "%d", pid);

	if (snprintf(tmp, sizeof(tmp), "%s.hull-tmp", path) >= (int)sizeof(tmp))
		return hull_err(err, ENAMETOOLONG, "pid file %s", path);
	_cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, buf, (size_t)n) < 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return hull_err_sys(err, e, "write pid file %s", path);
	}
	return 0;
}

/* Block every signal we forward, so that none is lost between clone and
 * the wait loop; the container process restores the mask before exec. */
static void signals_block(sigset_t *saved)
{
	sigset_t all;

	sigfillset(&all);
	static const int sync_sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT};
	for (size_t i = 0; i < sizeof(sync_sigs) / sizeof(sync_sigs[0]); i++)
		sigdelset(&all, sync_sigs[i]);
	sigprocmask(SIG_BLOCK, &all, saved);
}

static int wait_forwarding(struct hull_ctx *c, int *ret_status)
{
	sigset_t all;
	siginfo_t si;
	int status;

	sigfillset(&all);
	for (;;) {
		pid_t r = waitpid(c->pid, &status, WNOHANG);
		if (r == c->pid)
			break;
		if (r < 0 && errno != EINTR)
			return -errno;
		int sig = sigwaitinfo(&all, &si);
		if (sig < 0 || sig == SIGCHLD || sig == SIGURG)
			continue;
		sys_pidfd_send_signal(c->pidfd, sig);
	}
	c->pid = 0;
	*ret_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

static int run_started(struct hull_ctx *c, const struct hull_run_opts *o, int dirfd,
		       struct hull_state *st, int *ret_status, struct hull_error *err)
{
	int ret;

	st->pid = c->pid;
	st->pid_start = state_pid_start(c->pid);
	st->status = "running";
	if ((ret = state_write(dirfd, st, err)) < 0)
		return ret;
	if (o->pid_file && (ret = write_pid_file(o->pid_file, c->pid, err)) < 0)
		return ret;
	if (o->detach) {
		*ret_status = 0;
		c->pid = 0; /* left to the caller */
		return 0;
	}
	if ((ret = wait_forwarding(c, ret_status)) < 0)
		return hull_err_sys(err, -ret, "wait for container %s", o->id);
	if (o->keep) {
		st->pid = 0;
		st->status = "stopped";
		return state_write(dirfd, st, err);
	}
	return 0;
}

int hull_container_run(const struct hull_run_opts *o, int *ret_status, struct hull_error *err)
{
	char cfg[PATH_MAX], created[64];
	struct hull_spec *spec = NULL;
	struct hull_ctx c = {.procfd = -1, .pidfd = -1, .id = o->id};
	int ret, dirfd = -1;

	for (int t = 0; t < HULL_NS__COUNT; t++)
		c.ns_fds[t] = -1;
	if ((ret = state_id_check(o->id, err)) < 0)
		return ret;
	if (!o->bundle || strcmp(o->bundle, ".") == 0)
		snprintf(cfg, sizeof(cfg), "config.json");
	else
		snprintf(cfg, sizeof(cfg), "%s/config.json", o->bundle);
	if ((ret = hull_spec_load(cfg, &spec, err)) < 0)
		return ret;
	c.spec = spec;
	if ((ret = ctx_prepare(&c, o, err)) < 0)
		goto out;
	dirfd = state_create(o->state_root, o->id, err);
	if (dirfd < 0) {
		ret = dirfd;
		goto out;
	}
	c.saved_umask = umask(0022);
	umask(c.saved_umask);
	sigset_t saved;
	signals_block(&saved);
	c.saved_sigmask = saved;
	state_now(created, sizeof(created));
	struct hull_state st = {.id = o->id, .bundle = c.bundle, .rootfs = c.rootfs,
				.created = created, .owner = geteuid(), .detached = o->detach};
	ret = ctx_spawn(&c, err);
	if (ret == 0)
		ret = run_started(&c, o, dirfd, &st, ret_status, err);
	ctx_kill(&c);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (ret < 0 || (!o->detach && !o->keep))
		state_remove(o->state_root, o->id, dirfd);
	close(dirfd);
out:
	ctx_release(&c);
	hull_spec_free(spec);
	return ret;
}
