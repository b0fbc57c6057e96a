/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

/* Everything the parent and the container process share (the child gets a
 * copy at clone time). */
struct hull_ctx {
	const struct hull_spec *spec;
	const char *id;
	char bundle[PATH_MAX]; /* absolute */
	char rootfs[PATH_MAX]; /* absolute */
	int sync_parent, sync_child;
	int ns_fds[HULL_NS__COUNT];
	int new_flags;   /* CLONE_NEW* to create */
	bool two_stage;  /* joins by path or a time namespace: stage 1 + container process */
	bool userns_new;
	bool become_root;      /* container process must setuid(0) in its new user namespace */
	bool setgroups_denied; /* an unprivileged hull wrote "deny" to setgroups */
	int procfd;      /* host /proc, verified procfs, O_PATH */
	bool no_pivot;
	int preserve_fds;
	mode_t saved_umask;
	sigset_t saved_sigmask;
	pid_t hostpid;   /* container process, in hull's pid namespace */
	pid_t pid;
	int pidfd;
};

/* Parent side: clone the container process and take it to exec (or to an
 * error, after which nothing of it remains). */
int ctx_spawn(struct hull_ctx *c, struct hull_error *err);

/* Container process: set everything up and exec; never returns. */
__attribute__((noreturn)) void ctx_child_main(struct hull_ctx *c);

/* Stage 1 of the two-stage path; never returns. */
__attribute__((noreturn)) void ctx_stage1_main(struct hull_ctx *c);

/* Kill (SIGKILL) and reap the container process, if any. */
void ctx_kill(struct hull_ctx *c);
