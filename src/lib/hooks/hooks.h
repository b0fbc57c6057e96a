/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * OCI hooks (config.md "POSIX-platform Hooks"): the container state as JSON
 * on the hook's stdin, hooks run one after the other, each to completion,
 * with an optional timeout. The only place where hull executes programs
 * for the user.
 *
 * Each hook is a clone3() child with CLONE_PIDFD and no exit signal (so the
 * caller's SIGCHLD disposition and signal loop are left alone; it is reaped
 * with waitid(P_PIDFD, __WALL)). Nothing here needs /proc, environ or PATH.
 */
#include <stddef.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

/* Output kept per stream of a hook (the last bytes), for error messages. */
#define HOOKS_CAPTURE_MAX 4096

/* The container state passed to hooks (runtime.md "State"). */
struct hull_hook_state {
	const char *id;
	const char *status; /* "creating", "created", "running", "stopped" */
	pid_t pid;          /* 0: omitted from the JSON (stopped) */
	const char *bundle; /* absolute */
	const struct hull_kv *annotations;
	size_t n_annotations;
};

/*
 * The state JSON given to hooks on stdin:
 * {"ociVersion":"1.3.0","id":..,"status":..,"pid":..,"bundle":..,"annotations":{..}}
 * pid is present only when > 0, annotations only when there are any.
 * *ret_json is malloc'ed and NUL-terminated; the caller frees it.
 * EINVAL for a missing id/status/bundle or a string that is not UTF-8.
 */
int hooks_state_json(const struct hull_hook_state *st, char **ret_json, struct hull_error *err);

/*
 * The container process state for a seccomp agent (config-linux.md "The
 * Container Process State"): {"ociVersion":..,"fds":["seccompFd"],"pid":..,
 * "metadata":..,"state":{the state above}}; metadata omitted when NULL.
 */
int hooks_seccomp_state_json(const struct hull_hook_state *st, pid_t pid, const char *metadata,
                             char **ret_json, struct hull_error *err);

/*
 * Run hooks->v[0..n) of `kind` in order, each to completion, stopping at the
 * first failure. Every hook gets state_json on stdin (a pipe; a hook that
 * does not read it is fine), stdout and stderr captured (the last
 * HOOKS_CAPTURE_MAX bytes of each), an empty signal mask with default
 * dispositions, no fds but 0-2, args (or {path}) and env (or an empty
 * environment). With a timeout, the hook is killed (SIGKILL) when it expires.
 *
 * Returns 0 when every hook succeeded (or there are none). On failure, the
 * error names the kind, the 0-based index and the path, e.g.
 * "createRuntime hook #1 (/usr/bin/foo): exited with status 3; stderr: ...",
 * with code ECANCELED (non-zero exit, killed by a signal), ETIMEDOUT, the
 * errno of a failed execve (or of the step before it in the child), EINVAL
 * (relative path) or the errno of a failed syscall in the caller.
 * No fd or child process is left behind either way.
 *
 * Safe to call as PID 1 of a new pid namespace and with signals blocked.
 * Callers that have unshare(CLONE_NEWPID)ed but not forked yet would make
 * the hook the namespace's init: don't.
 */
int hooks_run(enum hull_hook_kind kind, const struct hull_hooks *hooks, const char *state_json,
              struct hull_error *err);
