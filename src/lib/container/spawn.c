/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parent side of container creation. The common case is one clone3() with
 * every new namespace; joining namespaces by path or creating a time
 * namespace needs a short-lived stage 1 (setns/unshare only affect the
 * caller or its future children), which clones the container process and
 * exits; hull, a child subreaper on this path, inherits the process. (The
 * kernel refuses CLONE_PARENT here once stage 1 has unshared namespaces.)
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "ns/ns.h"
#include "sync.h"
#include "tty.h"
#include "util/cleanup.h"
#include "util/sys.h"

void ctx_kill(struct hull_ctx *c)
{
	if (c->pid <= 0)
		return;
	if (c->pidfd >= 0)
		sys_pidfd_send_signal(c->pidfd, SIGKILL);
	else
		kill(c->pid, SIGKILL);
	while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
		;
	c->pid = 0;
}

static int recv_expect(struct hull_ctx *c, enum sync_type want, struct sync_msg *m,
                       struct hull_error *err)
{
	int r = sync_recv(c->sync_parent, m);

	if (r < 0)
		return hull_err_sys(err, -r, "read from the container process");
	if (r == 0)
		return hull_err(err, EPIPE, "the container process exited during setup");
	if (m->type == SYNC_ERROR)
		return hull_err(err, m->code, "%s", m->msg);
	if (m->type != want)
		return hull_err(err, EPROTO, "unexpected message %u from the container process",
		                m->type);
	return 0;
}

static int spawn_two_stage(struct hull_ctx *c, struct hull_error *err)
{
	struct clone_args ca = {.exit_signal = SIGCHLD};
	struct sync_msg m;
	int ret = 0, status;
	long stage1;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return hull_err_sys(err, errno, "become a child subreaper");
	stage1 = sys_clone3(&ca);

	if (stage1 < 0)
		return hull_err_sys(err, errno, "clone");
	if (stage1 == 0) {
		close(c->sync_parent);
		ctx_stage1_main(c);
	}
	if (c->userns_new) {
		if ((ret = recv_expect(c, SYNC_MAPS, &m, err)) == 0 &&
		    (ret = ns_write_idmaps((pid_t)stage1, &c->spec->linux_, err)) == 0 &&
		    sync_send(c->sync_parent, SYNC_MAPS_DONE, 0) < 0)
			ret = hull_err_sys(err, errno, "write to the container process");
	}
	if (ret == 0 && (ret = recv_expect(c, SYNC_PID, &m, err)) == 0)
		c->pid = m.pid;
	if (ret < 0)
		kill((pid_t)stage1, SIGKILL);
	while (waitpid((pid_t)stage1, &status, 0) < 0 && errno == EINTR)
		;
	if (ret < 0)
		return ret;
	/* Reparented to us (subreaper): nobody else can reap it, so the pid
	 * cannot be reused before we open the pidfd. */
	c->pidfd = sys_pidfd_open(c->pid);
	if (c->pidfd < 0)
		return hull_err_sys(err, errno, "pidfd_open %d", c->pid);
	return 0;
}

static int spawn_one(struct hull_ctx *c, struct hull_error *err)
{
	int pidfd = -1;
	struct clone_args ca = {.flags = (uint64_t)c->new_flags | CLONE_PIDFD,
	                        .pidfd = (uint64_t)(uintptr_t)&pidfd,
	                        .exit_signal = SIGCHLD};
	if (c->cgfds.v2dir >= 0) { /* born in its cgroup: no migration */
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)c->cgfds.v2dir;
		c->cgfds.born_in_v2 = true; /* the child's copy too: set before clone */
	}
	long pid = sys_clone3(&ca);

	if (pid < 0)
		return hull_err_sys(err, errno, "clone into new namespaces (flags %#x)",
		                    c->new_flags);
	if (pid == 0) {
		close(c->sync_parent);
		ctx_child_main(c);
	}
	c->pid = (pid_t)pid;
	c->pidfd = pidfd;
	if (c->userns_new)
		return ns_write_idmaps(c->pid, &c->spec->linux_, err);
	return 0;
}

int ctx_write_oom_score_adj(struct hull_ctx *c, struct hull_error *err)
{
	char rel[64], val[16];
	const struct hull_process *p = c->proc;

	if (!p->has_oom_score_adj)
		return 0;
	snprintf(rel, sizeof(rel), "%d/oom_score_adj", c->pid);
	snprintf(val, sizeof(val), "%d", p->oom_score_adj);
	int ret = write_file_at(c->procfd, rel, val);
	if (ret == -EACCES || ret == -EPERM)
		return hull_err_sys(err, -ret,
		                    "process.oomScoreAdj %d: lowering it below the current value "
		                    "needs CAP_SYS_RESOURCE",
		                    p->oom_score_adj);
	if (ret < 0)
		return hull_err_sys(err, -ret, "process.oomScoreAdj %d", p->oom_score_adj);
	return 0;
}

/* After GO: the child's messages until it execs (EOF), is ready for start
 * (create), or fails. A pty master may come first. */
int ctx_wait_child(struct hull_ctx *c, struct hull_error *err)
{
	struct sync_msg m;
	int fd;

	for (;;) {
		int r = sync_recv_fd(c->sync_parent, &m, &fd);
		if (r < 0)
			return hull_err_sys(err, -r, "read from the container process");
		if (r == 0)
			return 0; /* exec'ed: the socket is close-on-exec */
		if (m.type == SYNC_TTY && fd >= 0 && c->tty_master < 0) {
			c->tty_master = fd;
			/* Relayed to our terminal: its size, before the program runs. */
			if (c->console_sock < 0)
				tty_copy_winsize(0, fd);
			if (sync_send(c->sync_parent, SYNC_TTY_DONE, 0) < 0)
				return hull_err_sys(err, errno, "write to the container process");
			continue;
		}
		if (m.type == SYNC_SECCOMP && fd >= 0) {
			int ret = ctx_seccomp_agent(c, fd, err);
			close(fd);
			if (ret < 0)
				return ret;
			if (sync_send(c->sync_parent, SYNC_SECCOMP_DONE, 0) < 0)
				return hull_err_sys(err, errno, "write to the container process");
			continue;
		}
		if (fd >= 0)
			close(fd);
		if (m.type == SYNC_READY)
			return 0;
		if (m.type == SYNC_ERROR)
			return hull_err(err, m.code, "%s", m.msg);
		return hull_err(err, EPROTO, "unexpected message %u", m.type);
	}
}

int ctx_spawn(struct hull_ctx *c, struct hull_error *err)
{
	int sv[2], ret;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return hull_err_sys(err, errno, "socketpair");
	c->sync_parent = sv[0];
	c->sync_child = sv[1];
	c->pidfd = -1;
	c->pid = 0;
	ret = c->two_stage ? spawn_two_stage(c, err) : spawn_one(c, err);
	close(c->sync_child);
	c->sync_child = -1;
	/* Steps that need the process but must precede its setup: the
	 * cgroup and network steps slot in here, and the prestart and
	 * createRuntime hooks (ctx->before_go). */
	if (ret == 0)
		ret = ctx_write_oom_score_adj(c, err);
	if (ret == 0 && c->before_go)
		ret = c->before_go(c, err);
	if (ret == 0 && sync_send(c->sync_parent, SYNC_GO, c->pid) < 0)
		ret = hull_err_sys(err, errno, "start the container process");
	if (ret == 0)
		ret = ctx_wait_child(c, err);
	close(c->sync_parent);
	c->sync_parent = -1;
	if (ret < 0)
		ctx_kill(c);
	return ret;
}
