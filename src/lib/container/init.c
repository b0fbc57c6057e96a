/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The container process, from clone to execve. Setup is an explicit sequence
 * of steps; the first failure is sent to the parent and the process exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/keyctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/resolve.h"
#include "fs/rootfs.h"
#include "internal.h"
#include "ns/ns.h"
#include "security/security.h"
#include "sync.h"
#include "tty.h"
#include "util/cleanup.h"
#include "util/sys.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

struct init_state {
	struct hull_ctx *c;
	struct hull_rootfs fs;
};

static int step_identity_ns(struct init_state *s, struct hull_error *err)
{
	/* Become root of the new user namespace (maps are written by now). */
	if (s->c->become_root && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		return hull_err_sys(err, errno,
		                    "become root in the user namespace (is 0 mapped in "
		                    "linux.uidMappings and linux.gidMappings?)");
	return 0;
}

static int step_cgroupns(struct init_state *s, struct hull_error *err)
{
	/* Born in the v2 cgroup; join the v1 ones by our own thread. The
	 * namespace comes after, rooted at the container's cgroup. */
	int ret = cgroup_join_self(&s->c->cgfds, err);
	cgroup_fds_close(&s->c->cgfds);
	if (ret < 0)
		return ret;
	if (s->c->cgroupns_late && unshare(CLONE_NEWCGROUP) < 0)
		return hull_err_sys(err, errno, "create the cgroup namespace");
	return 0;
}

static int step_keyring(struct init_state *s, struct hull_error *err)
{
	char name[64];

	/* A session keyring of its own (runc's default), so that keys are not
	 * shared with the caller's session or with other containers. */
	if (s->c->no_new_keyring)
		return 0;
	snprintf(name, sizeof(name), "_ses.%.40s", s->c->id);
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name) < 0 && errno != ENOSYS)
		return hull_err_sys(err, errno, "join a new session keyring");
	return 0;
}

static int step_loopback(struct init_state *s, struct hull_error *err)
{
	return ctx_net_loopback(s->c, err);
}

static int step_uts(struct init_state *s, struct hull_error *err)
{
	const struct hull_spec *sp = s->c->spec;

	if (sp->hostname && sethostname(sp->hostname, strlen(sp->hostname)) < 0)
		return hull_err_sys(err, errno, "set hostname \"%s\"", sp->hostname);
	if (sp->domainname && setdomainname(sp->domainname, strlen(sp->domainname)) < 0)
		return hull_err_sys(err, errno, "set domainname \"%s\"", sp->domainname);
	return 0;
}

static int step_sysctl(struct init_state *s, struct hull_error *err)
{
	/* The host's procfs, opened and verified by the parent: namespaced
	 * sysctls follow the writer's namespaces, so this sets the
	 * container's values and a hostile rootfs cannot redirect it. */
	return sec_sysctl_apply(s->c->procfd, &s->c->spec->linux_, err);
}

static bool mount_ns_new(const struct hull_ctx *c)
{
	return c->new_flags & CLONE_NEWNS;
}

/* /etc/hosts, hostname, resolv.conf of a built-in network, over the image's. */
static int step_net_files(struct init_state *s, struct hull_error *err)
{
	const int *files = ctx_net_files(s->c);
	int ret;

	for (int i = 0; files && i < NET_FILE__COUNT; i++)
		if ((ret = fs_attach_tree(s->fs.rootfd, files[i], ctx_net_file_dest(i), err)) < 0)
			return ret;
	return 0;
}

static int step_rootfs(struct init_state *s, struct hull_error *err)
{
	int ret;

	if (!mount_ns_new(s->c))
		return 0; /* a joined mount namespace is already set up */
	if ((ret = fs_rootfs_prepare(&s->fs, err)) < 0 ||
	    (ret = fs_mounts_apply(&s->fs, err)) < 0 || (ret = step_net_files(s, err)) < 0 ||
	    (ret = fs_dev_setup(&s->fs, err)) < 0 || (ret = fs_paths_protect(&s->fs, err)) < 0)
		return ret;
	/* The working directory is created if missing, inside the rootfs. */
	int fd = fs_mkpath_in_root(s->fs.rootfd, s->c->proc->cwd, FS_CREATE_DIR, err);
	if (fd < 0)
		return hull_err_prefix(err, "process.cwd");
	close(fd);
	return 0;
}

static int step_lsm(struct init_state *s, struct hull_error *err)
{
	return sec_lsm_apply(s->c->procfd, s->c->hostpid, s->c->proc, err);
}

static int step_create_container_hooks(struct init_state *s, struct hull_error *err)
{
	/* In the container's namespaces, before pivot_root: paths resolve in
	 * the runtime's filesystem view. */
	return ctx_hooks(s->c, HULL_HOOK_CREATE_CONTAINER, "creating", s->c->hostpid, err);
}

static int step_enter(struct init_state *s, struct hull_error *err)
{
	int ret;

	if (!mount_ns_new(s->c))
		return chdir("/") < 0 ? hull_err_sys(err, errno, "chdir /") : 0;
	if ((ret = fs_rootfs_enter(&s->fs, err)) < 0)
		return ret;
	close(s->fs.rootfd);
	s->fs.rootfd = -1;
	return fs_rootfs_finish(&s->fs, err);
}

static int step_terminal(struct init_state *s, struct hull_error *err)
{
	/* After pivot_root: the pty comes from the container's devpts. */
	if (!s->c->proc->terminal)
		return 0;
	return tty_child_setup(s->c->proc, s->c->sync_child, mount_ns_new(s->c), err);
}

static int step_process_attrs(struct init_state *s, struct hull_error *err)
{
	const struct hull_spec *sp = s->c->spec;
	const struct hull_process *p = s->c->proc;
	int ret;

	if ((ret = sec_rlimits_apply(p, err)) < 0 || (ret = sec_sched_apply(p, err)) < 0 ||
	    (ret = sec_personality_apply(&sp->linux_, err)) < 0)
		return ret;
	umask(p->user.has_umask ? p->user.umask : s->c->saved_umask);
	if (chdir(p->cwd) < 0)
		return hull_err_sys(err, errno, "chdir to process.cwd %s", p->cwd);
	/* Nothing of the host's survives exec: every fd beyond stdio and the
	 * preserved ones is marked close-on-exec (CVE-2024-21626). */
	if (syscall(SYS_close_range, 3 + s->c->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return hull_err_sys(err, errno, "close_range");
	return 0;
}

/* Without no_new_privs the kernel wants CAP_SYS_ADMIN to load a filter:
 * load it before the identity change drops it. */
static int step_seccomp_early(struct init_state *s, struct hull_error *err)
{
	if (s->c->proc->no_new_privileges)
		return 0;
	return ctx_seccomp_load(s->c, err);
}

static int step_identity(struct init_state *s, struct hull_error *err)
{
	const struct hull_process *p = s->c->proc;

	return sec_identity_apply(p, !s->c->setgroups_denied, err);
}

static int step_nnp(struct init_state *s, struct hull_error *err)
{
	if (s->c->proc->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return hull_err_sys(err, errno, "set no_new_privs");
	return 0;
}

static const struct {
	int (*fn)(struct init_state *, struct hull_error *);
} init_steps[] = {
    {step_identity_ns},   {step_cgroupns}, {step_keyring},
    {step_loopback},      {step_uts},      {step_sysctl},
    {step_rootfs},        {step_lsm},      {step_create_container_hooks},
    {step_enter},         {step_terminal}, {step_process_attrs},
    {step_seccomp_early}, {step_identity}, {step_nnp},
};

static void lower_first(char *s)
{
	if (s[0] >= 'A' && s[0] <= 'Z')
		s[0] = (char)(s[0] - 'A' + 'a');
}

static int exec_error(const char *file, int e, struct hull_error *err)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "%s", strerror(e));
	lower_first(msg);
	return hull_err(err, e, "exec: \"%s\": %s", file, msg);
}

/* An executable regular file (as execve would accept), errno otherwise. */
static int exec_candidate(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno;
	if (!S_ISREG(st.st_mode))
		return EACCES;
	return faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0 ? errno : 0;
}

/* The file execvpe would run, with the container's PATH, resolved before
 * the process waits for start so that `create` reports a missing binary.
 * Error words as runc's (engines map them to exit codes). */
int ctx_exec_resolve(const struct hull_process *p, char buf[PATH_MAX], struct hull_error *err)
{
	const char *file = p->args[0], *path = NULL;
	int saved = ENOENT, e;

	if (strchr(file, '/')) {
		if ((e = exec_candidate(file)) != 0)
			return exec_error(file, e, err);
		snprintf(buf, PATH_MAX, "%s", file);
		return 0;
	}
	for (const char **v = p->env; *v; v++)
		if (strncmp(*v, "PATH=", 5) == 0)
			path = *v + 5;
	if (!path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (const char *d = path; d;) {
		const char *end = strchr(d, ':');
		size_t n = end ? (size_t)(end - d) : strlen(d);
		if (n + strlen(file) + 2 < PATH_MAX) {
			if (n == 0)
				snprintf(buf, PATH_MAX, "%s", file);
			else
				snprintf(buf, PATH_MAX, "%.*s/%s", (int)n, d, file);
			if ((e = exec_candidate(buf)) == 0)
				return 0;
			if (e != ENOENT && e != ENOTDIR)
				saved = e;
		}
		d = end ? end + 1 : NULL;
	}
	if (saved == ENOENT)
		return hull_err(err, ENOENT, "exec: \"%s\": executable file not found in $PATH",
		                file);
	return exec_error(file, saved, err);
}

int ctx_exec(const struct hull_process *p, const char *path, struct hull_error *err)
{
	execve(path, (char *const *)p->args, (char *const *)p->env);
	return exec_error(p->args[0], errno, err);
}

/* create: tell hull we are ready, then wait for `hull start` to connect to
 * the start socket; the accepted connection becomes the sync channel (EOF
 * at exec, an error message otherwise). */
static int wait_for_start(struct hull_ctx *c, struct hull_error *err)
{
	struct sync_msg m;
	int conn;

	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0); /* hull create exits now */
	if (sync_send(c->sync_child, SYNC_READY, 0) < 0)
		_exit(1);
	close(c->sync_child);
	c->sync_child = -1;
	for (;;) {
		conn = accept4(c->start_listen, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0 && errno == EINTR)
			continue;
		if (conn < 0)
			_exit(1); /* nobody to report to */
		if (sync_recv(conn, &m) == 1 && m.type == SYNC_GO)
			break;
		close(conn); /* not `hull start`: keep waiting */
	}
	close(c->start_listen);
	c->start_listen = -1;
	c->sync_child = conn;
	return ctx_hooks(c, HULL_HOOK_START_CONTAINER, "created", c->hostpid, err);
}

__attribute__((noreturn)) static void child_fail(struct hull_ctx *c, struct hull_error *err)
{
	sync_send_error(c->sync_child, err);
	_exit(1);
}

void ctx_child_main(struct hull_ctx *c)
{
	struct hull_error err = {0};
	struct init_state s = {.c = c};
	struct sync_msg m;

	/* The state directory's fd carries hull's flock: a waiting process
	 * must not keep the container locked after create returns. */
	if (c->statefd >= 0)
		close(c->statefd);
	if (c->console_sock >= 0)
		close(c->console_sock);
	c->statefd = c->console_sock = -1;
	/* Stage 1 is our parent on the two-stage path and exits at once;
	 * hull, which inherits us, kills us itself on failure. */
	if (!c->two_stage)
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (sync_recv(c->sync_child, &m) != 1 || m.type != SYNC_GO)
		_exit(1);
	c->hostpid = m.pid;
	/* Until exec, no process in the container may ptrace us or open our
	 * /proc entries (exe, fds, mem). Not earlier: an unprivileged hull
	 * writes our id maps before GO, and a non-dumpable process's /proc
	 * files belong to the host's root until the maps exist. Nothing runs
	 * in the container before GO. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	s.fs = (struct hull_rootfs){.spec = c->spec,
	                            .bundle = c->bundle,
	                            .path = c->rootfs,
	                            .rootfd = -1,
	                            .devnull = -1,
	                            .userns = c->spec->linux_.ns[HULL_NS_USER].present,
	                            .no_pivot = c->no_pivot};
	for (size_t i = 0; i < c->spec->n_mounts; i++)
		if (strcmp(c->spec->mounts[i].destination, "/dev") == 0 &&
		    c->spec->mounts[i].opts.bind)
			s.fs.dev_is_bind = true;
	for (size_t i = 0; i < sizeof(init_steps) / sizeof(init_steps[0]); i++)
		if (init_steps[i].fn(&s, &err) < 0)
			child_fail(c, &err);
	char exe[PATH_MAX];
	if (ctx_exec_resolve(c->proc, exe, &err) < 0)
		child_fail(c, &err);
	/* With no_new_privs the filter is loaded as late as possible, right
	 * before exec; but on create, a listener must reach the agent while
	 * hull create still listens, before the wait for start. */
	bool nnp = c->proc->no_new_privileges;
	bool early = nnp && sec_seccomp_notifies(c->seccomp) && c->start_listen >= 0;
	if (early && ctx_seccomp_load(c, &err) < 0)
		child_fail(c, &err);
	if (c->start_listen >= 0) {
		if (wait_for_start(c, &err) < 0)
			child_fail(c, &err);
	} else if (ctx_hooks(c, HULL_HOOK_START_CONTAINER, "created", c->hostpid, &err) < 0) {
		child_fail(c, &err);
	}
	if (nnp && !early && ctx_seccomp_load(c, &err) < 0)
		child_fail(c, &err);
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	sigprocmask(SIG_SETMASK, &c->saved_sigmask, NULL);
	ctx_exec(c->proc, exe, &err);
	child_fail(c, &err);
}

void ctx_stage1_main(struct hull_ctx *c)
{
	struct hull_error err = {0};
	struct sync_msg m;
	int rest = c->new_flags & ~CLONE_NEWUSER;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (ns_join(c->ns_fds, &err) < 0)
		child_fail(c, &err);
	if (c->ns_fds[HULL_NS_USER] >= 0 && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
		hull_err_sys(&err, errno, "become root in the joined user namespace");
		child_fail(c, &err);
	}
	if (c->userns_new) {
		if (unshare(CLONE_NEWUSER) < 0) {
			hull_err_sys(&err, errno, "create user namespace");
			child_fail(c, &err);
		}
		/* Ask the parent to write our maps, and wait for it. */
		if (sync_send(c->sync_child, SYNC_MAPS, 0) < 0 ||
		    sync_recv(c->sync_child, &m) != 1 || m.type != SYNC_MAPS_DONE)
			_exit(1);
	}
	/* Only now (see ctx_child_main): the maps had to be writable by an
	 * unprivileged hull. The container process inherits this. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (rest && unshare(rest) < 0) {
		hull_err_sys(&err, errno, "create namespaces (flags %#x)", rest);
		child_fail(c, &err);
	}
	/* Before the uid change: being non-dumpable, our /proc entries belong
	 * to the host's root, which we still are. */
	if ((c->new_flags & CLONE_NEWTIME) && ns_write_time_offsets(&c->spec->linux_, &err) < 0)
		child_fail(c, &err);
	if (c->userns_new && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
		hull_err_sys(&err, errno, "become root in the user namespace");
		child_fail(c, &err);
	}
	/* No CLONE_INTO_CGROUP here: from inside a user namespace the kernel
	 * refuses it; the process joins by the cgroup.procs fd instead. */
	struct clone_args ca = {.exit_signal = SIGCHLD};
	long pid = sys_clone3(&ca);
	if (pid < 0) {
		hull_err_sys(&err, errno, "clone the container process");
		child_fail(c, &err);
	}
	if (pid == 0)
		ctx_child_main(c);
	sync_send(c->sync_child, SYNC_PID, (int32_t)pid);
	_exit(0);
}
