/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec: a new process in a running container. hull joins the container's
 * pid namespace for its children (setns on the init's pidfd), clones the
 * process, which joins every other namespace of the init at once (setns on
 * the pidfd), enters the container's root, and applies the process's
 * attributes and identity as the container's init had them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "container.h"
#include "internal.h"
#include "ns/ns.h"
#include "security/security.h"
#include "spec/spec_names.h"
#include "state/state.h"
#include "sync.h"
#include "tty.h"
#include "util/cleanup.h"
#include "util/sys.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

struct exec_ctx {
	struct hull_ctx c;
	int init_pidfd;
	int rootfd;
	int join_flags; /* CLONE_NEW* of the namespaces that differ from hull's */
	struct hull_process proc;
	const char *cgroup; /* the container's, "" when none */
	const char **env;   /* owned */
	const char **args;  /* borrowed */
};

static const struct {
	const char *name;
	int flag;
} ns_files[] = {
    {"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},    {"pid", CLONE_NEWPID},
    {"net", CLONE_NEWNET},       {"ipc", CLONE_NEWIPC},   {"uts", CLONE_NEWUTS},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

/* Namespaces of the init that are not hull's own (setns refuses joining
 * one's own user namespace, and joining the others again is waste). */
static int differing_namespaces(int procfd, pid_t pid, struct hull_error *err)
{
	char path[64];
	struct stat theirs, ours;
	int flags = 0;

	for (size_t i = 0; i < ARRAY_SIZE(ns_files); i++) {
		snprintf(path, sizeof(path), "%d/ns/%s", pid, ns_files[i].name);
		if (fstatat(procfd, path, &theirs, 0) < 0) {
			if (errno == ENOENT)
				continue; /* kernel without this namespace type */
			return hull_err_sys(err, errno, "namespace %s of the container",
			                    ns_files[i].name);
		}
		snprintf(path, sizeof(path), "self/ns/%s%s", ns_files[i].name,
		         ns_files[i].flag == CLONE_NEWPID || ns_files[i].flag == CLONE_NEWTIME
		             ? "_for_children"
		             : "");
		if (fstatat(procfd, path, &ours, 0) < 0 || theirs.st_ino != ours.st_ino ||
		    theirs.st_dev != ours.st_dev)
			flags |= ns_files[i].flag;
	}
	return flags;
}

static bool setgroups_allowed(int procfd, pid_t pid)
{
	char path[64];
	_cleanup_free_ char *buf = NULL;

	snprintf(path, sizeof(path), "%d/setgroups", pid);
	if (read_file_at(procfd, path, 64, &buf, NULL) < 0)
		return true;
	return strncmp(buf, "deny", 4) != 0;
}

__attribute__((noreturn)) static void exec_fail(struct hull_ctx *c, struct hull_error *err)
{
	sync_send_error(c->sync_child, err);
	_exit(1);
}

static int exec_child_setup(struct exec_ctx *x, struct hull_error *err)
{
	struct hull_ctx *c = &x->c;
	const struct hull_process *p = c->proc;
	int ret;

	if ((x->join_flags & ~CLONE_NEWPID) &&
	    setns(x->init_pidfd, x->join_flags & ~CLONE_NEWPID) < 0)
		return hull_err_sys(err, errno, "join the namespaces of container %s", c->id);
	/* The init's root, by fd: right with pivot_root and with --no-pivot. */
	if (fchdir(x->rootfd) < 0 || chroot(".") < 0)
		return hull_err_sys(err, errno, "enter the root of container %s", c->id);
	if ((ret = sec_lsm_apply(c->procfd, c->hostpid, p, err)) < 0)
		return ret;
	if (p->terminal && (ret = tty_child_setup(p, c->sync_child, false, err)) < 0)
		return ret;
	if ((ret = sec_rlimits_apply(p, err)) < 0 || (ret = sec_sched_apply(p, err)) < 0)
		return ret;
	umask(p->user.has_umask ? p->user.umask : 0022);
	if (chdir(p->cwd) < 0)
		return hull_err_sys(err, errno, "chdir to %s", p->cwd);
	if (syscall(SYS_close_range, 3 + c->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return hull_err_sys(err, errno, "close_range");
	if (!p->no_new_privileges && (ret = ctx_seccomp_load(c, err)) < 0)
		return ret;
	if ((ret = sec_identity_apply(p, !c->setgroups_denied, err)) < 0)
		return ret;
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return hull_err_sys(err, errno, "set no_new_privs");
	if (p->no_new_privileges && (ret = ctx_seccomp_load(c, err)) < 0)
		return ret;
	return 0;
}

__attribute__((noreturn)) static void exec_child_main(struct exec_ctx *x)
{
	struct hull_ctx *c = &x->c;
	struct hull_error err = {0};
	struct sync_msg m;
	char exe[PATH_MAX];

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (sync_recv(c->sync_child, &m) != 1 || m.type != SYNC_GO)
		_exit(1);
	c->hostpid = m.pid;
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (cgroup_join_self(&c->cgfds, &err) < 0)
		exec_fail(c, &err);
	cgroup_fds_close(&c->cgfds);
	if (exec_child_setup(x, &err) < 0 || ctx_exec_resolve(c->proc, exe, &err) < 0)
		exec_fail(c, &err);
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	sigprocmask(SIG_SETMASK, &c->saved_sigmask, NULL);
	ctx_exec(c->proc, exe, &err);
	exec_fail(c, &err);
}

static int exec_spawn(struct exec_ctx *x, struct hull_error *err)
{
	struct hull_ctx *c = &x->c;
	int sv[2], pidfd = -1, ret = 0;

	/* The next child of hull is born in the container's pid namespace;
	 * hull itself stays where it is, and goes back to its own namespace
	 * for children right after (nothing else it forks may land there). */
	_cleanup_close_ int ownpid = -1;
	if (x->join_flags & CLONE_NEWPID) {
		ownpid = openat(c->procfd, "self/ns/pid", O_RDONLY | O_CLOEXEC);
		if (ownpid < 0 || setns(x->init_pidfd, CLONE_NEWPID) < 0)
			return hull_err_sys(err, errno, "join the pid namespace of container %s",
			                    c->id);
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return hull_err_sys(err, errno, "socketpair");
	c->sync_parent = sv[0];
	c->sync_child = sv[1];
	struct clone_args ca = {
	    .flags = CLONE_PIDFD, .pidfd = (uint64_t)(uintptr_t)&pidfd, .exit_signal = SIGCHLD};
	if (c->cgfds.v2dir >= 0) {
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)c->cgfds.v2dir;
		c->cgfds.born_in_v2 = true;
	}
	long pid = sys_clone3(&ca);
	if (pid < 0) {
		ret = hull_err_sys(err, errno, "clone");
	} else if (pid == 0) {
		close(c->sync_parent);
		exec_child_main(x);
	}
	close(c->sync_child);
	c->sync_child = -1;
	if (ownpid >= 0 && setns(ownpid, CLONE_NEWPID) < 0 && ret == 0)
		ret = hull_err_sys(err, errno, "return to hull's pid namespace");
	if (ret == 0) {
		c->pid = (pid_t)pid;
		c->pidfd = pidfd;
		ret = ctx_write_oom_score_adj(c, err);
		if (ret == 0 && sync_send(c->sync_parent, SYNC_GO, c->pid) < 0)
			ret = hull_err_sys(err, errno, "start the process");
		if (ret == 0)
			ret = ctx_wait_child(c, err);
	}
	close(c->sync_parent);
	c->sync_parent = -1;
	if (ret < 0)
		ctx_kill(c);
	return ret;
}

/* --cap NAME: added to every set, as runc does. */
static int add_caps(struct hull_caps *caps, const char **names, struct hull_error *err)
{
	for (const char **n = names; n && *n; n++) {
		int cap = hull_cap_from_name(*n);
		if (cap < 0)
			return hull_err(err, EINVAL, "--cap %s: unknown capability", *n);
		uint64_t bit = 1ULL << cap;
		caps->effective |= bit;
		caps->bounding |= bit;
		caps->permitted |= bit;
		caps->inheritable |= bit;
		caps->ambient |= bit;
		caps->present = true;
	}
	return 0;
}

/* The container's process with exec's overrides (runc's flags). */
static int build_process(struct exec_ctx *x, const struct hull_exec_opts *o, struct hull_spec *spec,
                         struct hull_error *err)
{
	struct hull_process *p = &x->proc;
	size_t n = 0, k = 0;

	if (o->process_file)
		return hull_process_load(o->process_file, spec, p, err);
	*p = spec->process;
	if (!o->args || !o->args[0])
		return hull_err(err, EINVAL, "exec: no command given (arguments or --process)");
	p->args = o->args;
	for (const char **e = spec->process.env; *e; e++)
		n++;
	for (const char **e = o->env; e && *e; e++)
		n++;
	x->env = calloc(n + 1, sizeof(*x->env));
	if (!x->env)
		return hull_err(err, ENOMEM, "exec: environment");
	for (const char **e = spec->process.env; *e; e++)
		x->env[k++] = *e;
	for (const char **e = o->env; e && *e; e++) {
		if (!strchr(*e, '='))
			return hull_err(err, EINVAL, "--env %s: expected KEY=VALUE", *e);
		size_t kl = (size_t)(strchr(*e, '=') - *e) + 1;
		size_t j = 0;
		while (j < k && strncmp(x->env[j], *e, kl) != 0)
			j++;
		x->env[j] = *e; /* replaces the container's value */
		if (j == k)
			k++;
	}
	p->env = x->env;
	if (o->cwd) {
		if (o->cwd[0] != '/')
			return hull_err(err, EINVAL, "--cwd %s: must be an absolute path", o->cwd);
		p->cwd = o->cwd;
	}
	if (o->has_user) {
		p->user.uid = o->uid;
		p->user.gid = o->has_gid ? o->gid : 0;
		p->user.additional_gids = NULL;
		p->user.n_additional_gids = 0;
	}
	if (o->n_additional_gids) {
		p->user.additional_gids = (gid_t *)o->additional_gids;
		p->user.n_additional_gids = o->n_additional_gids;
	}
	if (o->no_new_privs)
		p->no_new_privileges = true;
	if (o->apparmor)
		p->apparmor_profile = o->apparmor;
	if (o->process_label)
		p->selinux_label = o->process_label;
	p->terminal = o->tty;
	return add_caps(&p->caps, o->caps, err);
}

static int exec_prepare(struct exec_ctx *x, const struct hull_exec_opts *o,
                        struct hull_state_info *info, int statefd, struct hull_spec **spec,
                        struct hull_error *err)
{
	struct hull_ctx *c = &x->c;
	char path[64];
	int ret;

	const char *status = state_status(statefd, info);
	if (strcmp(status, "running") != 0 && strcmp(status, "created") != 0)
		return hull_err(err, ESRCH, "cannot exec in a %s container (%s)", status, o->id);
	x->init_pidfd = state_pidfd(info->st.pid, info->st.pid_start);
	if (x->init_pidfd < 0)
		return hull_err(err, ESRCH, "cannot exec in a stopped container (%s)", o->id);
	snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", statefd, STATE_CONFIG);
	if ((ret = hull_spec_load(path, spec, err)) < 0)
		return hull_err_prefix(err, "container %s: saved config", o->id);
	c->spec = *spec;
	c->proc = &x->proc;
	snprintf(c->bundle, sizeof(c->bundle), "%s", info->st.bundle);
	c->state_status = status;
	c->state_pid = info->st.pid;
	if ((ret = build_process(x, o, *spec, err)) < 0 || (ret = sec_lsm_check(c->proc, err)) < 0)
		return ret;
	if (c->proc->terminal && o->detach && !o->console_socket)
		return hull_err(
		    err, EINVAL,
		    "--tty with --detach needs --console-socket to hand over the terminal");
	if (!c->proc->terminal && o->console_socket)
		return hull_err(err, EINVAL, "--console-socket needs --tty");
	/* exec'd processes get the container's filter */
	if ((ret = sec_seccomp_build((*spec)->linux_.seccomp, o->state_root, &c->seccomp, err)) < 0)
		return ret;
	c->procfd = sec_procfs_open("/proc", err);
	if (c->procfd < 0)
		return c->procfd;
	ret = differing_namespaces(c->procfd, info->st.pid, err);
	if (ret < 0)
		return ret;
	x->join_flags = ret;
	c->setgroups_denied = !setgroups_allowed(c->procfd, info->st.pid);
	snprintf(path, sizeof(path), "%d/root", info->st.pid);
	x->rootfd = openat(c->procfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (x->rootfd < 0)
		return hull_err_sys(err, errno, "open the root of container %s", o->id);
	/* Still the same process: the pidfd pins it, recheck its start time. */
	if (state_pid_start(info->st.pid) != info->st.pid_start)
		return hull_err(err, ESRCH, "cannot exec in a stopped container (%s)", o->id);
	c->preserve_fds = o->preserve_fds;
	x->cgroup = info->st.cgroup ? info->st.cgroup : "";
	if (*x->cgroup && (ret = cgroup_open(x->cgroup, false, NULL, NULL, &c->cgfds, err)) < 0)
		return ret;
	if (o->console_socket) {
		c->console_sock = tty_console_connect(o->console_socket, err);
		if (c->console_sock < 0)
			return c->console_sock;
	}
	return 0;
}

int hull_container_exec(const struct hull_exec_opts *o, int *ret_status, struct hull_error *err)
{
	struct exec_ctx x = {.init_pidfd = -1, .rootfd = -1};
	struct hull_ctx *c = &x.c;
	struct hull_state_info info = {0};
	struct hull_spec *spec = NULL;
	sigset_t saved;
	int ret;

	ctx_init(c);
	c->id = o->id;
	*ret_status = 255;
	int statefd = state_open(o->state_root, o->id, err);
	if (statefd < 0)
		return statefd;
	if ((ret = state_load(o->state_root, o->id, &info, err)) < 0)
		goto out_state;
	if ((ret = exec_prepare(&x, o, &info, statefd, &spec, err)) < 0)
		goto out;
	ctx_signals_block(&saved);
	c->saved_sigmask = saved;
	ret = exec_spawn(&x, err);
	if (ret == 0 && c->console_sock >= 0 && c->tty_master >= 0) {
		ret = tty_console_send(c->console_sock, c->tty_master, err);
		close(c->tty_master);
		c->tty_master = -1;
	}
	if (ret == 0 && o->pid_file)
		ret = ctx_write_pid_file(o->pid_file, c->pid, err);
	if (ret < 0)
		ctx_kill(c);
	else if (o->detach)
		*ret_status = 0, c->pid = 0; /* left to the caller */
	else
		ret = ctx_wait(c, ret_status, err);
	sigprocmask(SIG_SETMASK, &saved, NULL);
out:
	state_info_free(&info);
out_state:
	close(statefd);
	if (x.init_pidfd >= 0)
		close(x.init_pidfd);
	if (x.rootfd >= 0)
		close(x.rootfd);
	free(x.env);
	ctx_release(c);
	hull_spec_free(spec);
	return ret;
}
