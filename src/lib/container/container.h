/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* Container lifecycle orchestration: the one way a container comes to life. */
#include <stdbool.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

struct hull_run_opts {
	const char *id;
	const char *bundle;     /* as given; made absolute internally */
	const char *state_root; /* e.g. /run/hull */
	const char *pid_file;   /* NULL: none */
	bool no_pivot;
	bool no_new_keyring;
	bool detach;
	bool keep;
	int preserve_fds;
	bool create_only;           /* `create`: stop before the user process, wait for start */
	const char *console_socket; /* NULL: none */
};

/*
 * `run`: create the container from the bundle and start its process. In the
 * foreground, wait for it with signals forwarded and store its exit status in
 * *ret_status (128+N when killed by signal N); detached, return once it runs.
 */
int hull_container_run(const struct hull_run_opts *o, int *ret_status, struct hull_error *err);

/* `create`: build the container; its process waits for `start`. */
int hull_container_create(const struct hull_run_opts *o, struct hull_error *err);

/* `start`: let a created container's process run (startContainer and
 * poststart hooks included). */
int hull_container_start(const char *root, const char *id, struct hull_error *err);

/* `state`: the state JSON (runc's shape), malloc'ed. */
int hull_container_state(const char *root, const char *id, char **ret_json, struct hull_error *err);

/* `list`: a JSON array of the states of every container, sorted by id. */
int hull_container_list(const char *root, char **ret_json, struct hull_error *err);

/* `kill`: send sig to the container process, or with `all` to every process
 * of the container. ESRCH "container not running" when it is stopped. */
int hull_container_kill(const char *root, const char *id, int sig, bool all,
                        struct hull_error *err);

/* `pause` (freeze every process of the container) or `resume`. */
int hull_container_pause(const char *root, const char *id, bool pause, struct hull_error *err);

/* `update`: apply a LinuxResources JSON document (`name` for messages) to
 * a running container's cgroup. */
int hull_container_update(const char *root, const char *id, const char *name, const char *json,
                          size_t len, struct hull_error *err);

/* `events`: statistics (runc's {"type":"stats","id","data"} lines) every
 * interval until the container stops, and {"type":"oom"} lines when the OOM
 * killer strikes; with stats_once, one stats line. */
int hull_container_events(const char *root, const char *id, bool stats_once, int interval_ms,
                          int (*emit)(const char *line, void *arg), void *arg,
                          struct hull_error *err);

/* `ps`: host pids of the container's processes (malloc'ed array). */
int hull_container_pids(const char *root, const char *id, pid_t **ret, size_t *ret_n,
                        struct hull_error *err);

struct hull_exec_opts {
	const char *id;
	const char *state_root;
	const char *process_file; /* --process, or NULL: args and the overrides below */
	const char **args;        /* NULL-terminated */
	const char **env;         /* -e K=V, NULL-terminated or NULL */
	const char *cwd;
	bool has_user;
	uid_t uid;
	gid_t gid;
	bool has_gid;
	const gid_t *additional_gids;
	size_t n_additional_gids;
	const char **caps; /* --cap, added to every set; NULL-terminated or NULL */
	bool no_new_privs;
	bool tty;
	bool detach;
	const char *pid_file;
	const char *console_socket;
	int preserve_fds;
	const char *apparmor;
	const char *process_label;
};

/* `exec`: run a new process in a running container. In the foreground,
 * *ret_status is its status (128+N when killed by signal N). */
int hull_container_exec(const struct hull_exec_opts *o, int *ret_status, struct hull_error *err);

/* `features`: the runtime-spec features document (malloc'ed JSON). */
char *hull_features_json(void);

/*
 * CVE-2019-5736: a container process must never be able to reopen the hull
 * binary for writing through /proc/PID/exe. Unless hull already runs from a
 * sealed memfd copy of itself, make one and re-exec from it. Returns only on
 * error (or 0 when already sealed).
 */
int hull_selfexe_ensure_sealed(char **argv, struct hull_error *err);

/* `delete`: remove a stopped container (with force, kill it first). */
int hull_container_delete(const char *root, const char *id, bool force, struct hull_error *err);
