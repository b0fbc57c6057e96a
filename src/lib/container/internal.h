/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "cgroup/cgroup.h"
#include "container.h"
#include "spec/spec.h"
#include "util/error.h"

struct sec_seccomp;
struct ctx_net;

/* The container's network files, bound over the image's (network.c). */
enum { NET_FILE_HOSTS, NET_FILE_HOSTNAME, NET_FILE_RESOLV, NET_FILE__COUNT };

/* Everything the parent and the container process share (the child gets a
 * copy at clone time). */
struct hull_ctx {
	const struct hull_spec *spec;
	const struct hull_process *proc; /* the process to run: spec->process, or exec's */
	const char *id;
	char bundle[PATH_MAX]; /* absolute */
	char rootfs[PATH_MAX]; /* absolute */
	int sync_parent, sync_child;
	int ns_fds[HULL_NS__COUNT];
	int new_flags;  /* CLONE_NEW* to create */
	bool two_stage; /* joins by path or a time namespace: stage 1 + container process */
	bool userns_new;
	bool become_root;      /* container process must setuid(0) in its new user namespace */
	bool setgroups_denied; /* an unprivileged hull wrote "deny" to setgroups */
	int procfd;            /* host /proc, verified procfs, O_PATH */
	bool no_pivot;
	bool no_new_keyring;
	bool cgroupns_late;           /* unshare the cgroup namespace after placement (GO) */
	char cgroup[1024];            /* the container's cgroup path, "" when none (rootless) */
	bool cgroup_made;             /* created: destroy it on failure */
	struct sec_seccomp *seccomp;  /* the compiled filter, loaded by the process */
	const char *state_status;     /* exec: the container's status and init pid, for */
	pid_t state_pid;              /* a seccomp agent (create/run: "creating", pid) */
	struct hull_cgroup_fds cgfds; /* to be born in / join the cgroup */
	struct ctx_net *net;          /* io.hull.network, NULL without */
	int preserve_fds;
	mode_t saved_umask;
	sigset_t saved_sigmask;
	pid_t hostpid; /* container process, in hull's pid namespace */
	pid_t pid;
	int pidfd;
	int start_listen; /* create: listening start socket, accepted after READY; else -1 */
	int console_sock; /* connected --console-socket, or -1 */
	int tty_master;   /* the pty master received from the child, or -1 */
	int statefd;      /* the container's state directory */
	/* Called after the clone, before the process sets itself up. */
	int (*before_go)(struct hull_ctx *c, struct hull_error *err);
	void *owner; /* for before_go */
};

/* Checks, paths and fds for create/run (prepare.c); release undoes it. */
int ctx_prepare(struct hull_ctx *c, const struct hull_run_opts *o, struct hull_error *err);
void ctx_release(struct hull_ctx *c);
void ctx_init(struct hull_ctx *c);

/* process.oomScoreAdj of c->proc for c->pid, through the verified procfs. */
int ctx_write_oom_score_adj(struct hull_ctx *c, struct hull_error *err);

/* Write `pid` to `path` (bare decimal, no newline) atomically. */
int ctx_write_pid_file(const char *path, pid_t pid, struct hull_error *err);

/* Block every signal hull forwards (all but the synchronous ones). */
void ctx_signals_block(sigset_t *saved);

/* Foreground: forward signals to the process until it exits; its status
 * (128+N for signal N) in *ret_status. With a pty master, relay it too. */
int ctx_wait(struct hull_ctx *c, int *ret_status, struct hull_error *err);

/* After GO: read the child's messages until it execs (EOF) or is ready
 * for start; a pty master may come first (kept in tty_master). */
int ctx_wait_child(struct hull_ctx *c, struct hull_error *err);

/* The file to execute for p (PATH search in p->env), and the execve. */
int ctx_exec_resolve(const struct hull_process *p, char buf[PATH_MAX], struct hull_error *err);
int ctx_exec(const struct hull_process *p, const char *path, struct hull_error *err);

/* Run the hooks of `kind` from the config saved in the state directory;
 * nothing to load when the state says there are none. */
struct hull_state;
int ctx_saved_hooks(int statefd, const struct hull_state *st, enum hull_hook_kind kind,
                    const char *status, pid_t pid, struct hull_error *err);

/* Run the hooks of `kind` with the state (`status`, `pid`) on stdin. */
int ctx_hooks(const struct hull_ctx *c, enum hull_hook_kind kind, const char *status, pid_t pid,
              struct hull_error *err);

/* Parent side: clone the container process and take it to exec (or to an
 * error, after which nothing of it remains). */
int ctx_spawn(struct hull_ctx *c, struct hull_error *err);

/* Container process: set everything up and exec; never returns. */
__attribute__((noreturn)) void ctx_child_main(struct hull_ctx *c);

/* Stage 1 of the two-stage path; never returns. */
__attribute__((noreturn)) void ctx_stage1_main(struct hull_ctx *c);

/* Container process: load the seccomp filter; a NOTIFY listener goes to
 * hull, which must answer SYNC_SECCOMP_DONE. */
int ctx_seccomp_load(struct hull_ctx *c, struct hull_error *err);

/* hull: send the listener and the container process state to
 * linux.seccomp.listenerPath. */
int ctx_seccomp_agent(struct hull_ctx *c, int listener, struct hull_error *err);

/* io.hull.* network annotations (network.c). prepare: parse them and set
 * the spec's network namespace (before ctx_prepare); reserve: lease the
 * address, record it and write the files (state directory made); attach:
 * veth, routes, NAT (after the clone, before GO); files: the O_PATH fds the
 * container process binds at ctx_net_file_dest(i), or NULL; detach: undo
 * what the state directory records (delete, failed create); free. */
int ctx_net_prepare(struct hull_ctx *c, struct hull_spec *s, const char *state_root,
                    struct hull_error *err);
int ctx_net_reserve(struct hull_ctx *c, struct hull_error *err);
int ctx_net_attach(struct hull_ctx *c, struct hull_error *err);
const int *ctx_net_files(const struct hull_ctx *c);
int ctx_net_loopback(const struct hull_ctx *c, struct hull_error *err);
const char *ctx_net_file_dest(int i);
int ctx_net_detach(const char *id, int statefd, struct hull_error *err);
void ctx_net_free(struct hull_ctx *c);

/* Kill (SIGKILL) and reap the container process, if any. */
void ctx_kill(struct hull_ctx *c);
