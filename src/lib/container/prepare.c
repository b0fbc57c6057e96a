/* SPDX-License-Identifier: Apache-2.0 */
/* Checks and preparation shared by create and run: what is refused, paths, fds. */
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

#include "cgroup/cgroup.h"
#include "container.h"
#include "spec/spec_resources.h"
#include "internal.h"
#include "ns/ns.h"
#include "security/security.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "tty.h"
#include "util/sys.h"

/* An unprivileged hull makes no cgroup: limits would silently not apply. */
static int check_resources(const struct hull_resources *r, struct hull_error *err)
{
	const char *what = NULL;

	if (!r || geteuid() == 0)
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
		return hull_err(err, EPERM,
		                "linux.resources.%s: cgroup limits need hull to run as root (a "
		                "rootless hull makes no cgroups)",
		                what);
	return 0;
}

static int check_supported(const struct hull_spec *s, struct hull_error *err)
{
	int ret = check_resources(s->linux_.resources, err);

	if (ret < 0)
		return ret;
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
	         t == HULL_NS_UTS   ? "uts"
	         : t == HULL_NS_NET ? "net"
	                            : "ipc");
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
		enum hull_ns_type t = strncmp(k, "net.", 4) == 0 ? HULL_NS_NET
		                      : strncmp(k, "kernel.hostname", 15) == 0 ||
		                              strncmp(k, "kernel.domainname", 17) == 0
		                          ? HULL_NS_UTS
		                          : HULL_NS_IPC;
		if ((ret = check_not_host_ns(c, t, "linux.sysctl", err)) < 0)
			return ret;
	}
	return 0;
}

int ctx_prepare(struct hull_ctx *c, const struct hull_run_opts *o, struct hull_error *err)
{
	const struct hull_linux *l = &c->spec->linux_;
	int ret;

	if ((ret = check_supported(c->spec, err)) < 0 ||
	    (ret = resolve_paths(c, o->bundle, err)) < 0)
		return ret;
	if ((ret = ns_open_paths(l, c->ns_fds, err)) < 0 || (ret = check_joined(c, err)) < 0 ||
	    (ret = open_host_fds(c, err)) < 0)
		return ret;
	c->new_flags = ns_new_flags(l);
	/* A new cgroup namespace is made by the process itself once hull has
	 * moved it into its cgroup: the namespace's root is then that cgroup. */
	c->cgroupns_late = (c->new_flags & CLONE_NEWCGROUP) != 0;
	c->new_flags &= ~CLONE_NEWCGROUP;
	/* An unprivileged hull cannot create cgroups; it has no limits to
	 * apply (they are refused) and leaves the process where it is. */
	if (geteuid() == 0 && (ret = cgroup_path_for(l->cgroups_path, o->id, c->cgroup, err)) < 0)
		return ret;
	c->userns_new = c->new_flags & CLONE_NEWUSER;
	c->setgroups_denied = c->userns_new && geteuid() != 0;
	c->two_stage = (c->new_flags & CLONE_NEWTIME) != 0;
	for (int t = 0; t < HULL_NS__COUNT; t++)
		if (c->ns_fds[t] >= 0)
			c->two_stage = true;
	c->become_root = c->userns_new && !c->two_stage;
	c->no_pivot = o->no_pivot;
	c->no_new_keyring = o->no_new_keyring;
	c->preserve_fds = o->preserve_fds;
	if (c->proc->terminal && o->create_only && !o->console_socket)
		return hull_err(err, EINVAL,
		                "process.terminal is true: create needs --console-socket to hand "
		                "over the terminal");
	if (c->proc->terminal && o->detach && !o->console_socket)
		return hull_err(
		    err, EINVAL,
		    "process.terminal is true: run --detach needs --console-socket to hand "
		    "over the terminal");
	if (!c->proc->terminal && o->console_socket)
		return hull_err(
		    err, EINVAL,
		    "--console-socket given but process.terminal is false in the config");
	if (o->console_socket) {
		c->console_sock = tty_console_connect(o->console_socket, err);
		if (c->console_sock < 0)
			return c->console_sock;
	}
	return 0;
}

void ctx_release(struct hull_ctx *c)
{
	ns_close_fds(c->ns_fds);
	ctx_net_free(c);
	if (c->procfd >= 0)
		close(c->procfd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	if (c->start_listen >= 0)
		close(c->start_listen);
	if (c->console_sock >= 0)
		close(c->console_sock);
	if (c->tty_master >= 0)
		close(c->tty_master);
	c->procfd = c->pidfd = c->start_listen = c->console_sock = c->tty_master = -1;
	cgroup_fds_close(&c->cgfds);
	sec_seccomp_free(c->seccomp);
	c->seccomp = NULL;
}
