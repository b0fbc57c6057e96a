/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * cgroups: placement of a container in its own cgroup on every hierarchy of
 * the host (v1, hybrid = v1 + an empty cgroup2 at /sys/fs/cgroup/unified, or
 * unified v2), the freezer, the member processes, and removal. One ops table
 * per layout (cgroup.c: v1, v2); callers never ask which layout it is.
 * Resource limits (linux.resources) are not applied yet: see issue 4.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"

#define HULL_CGROUP_PATH_MAX 1024

/*
 * The container's cgroup path (the same in every hierarchy): cgroupsPath when
 * absolute; relative to hull's own cgroup when relative (resolved per
 * hierarchy at use, kept relative here); "/hull/ID" when absent. ".." is
 * refused. Writes the normalized path to out.
 */
int cgroup_path_for(const char *cgroups_path, const char *id, char out[HULL_CGROUP_PATH_MAX],
                    struct hull_error *err);

/*
 * Joining without the cost of a migration by pid: moving a process by pid
 * (cgroup.procs) takes the kernel's global threadgroup lock, an RCU grace
 * period (milliseconds). Instead hull opens the v1 `tasks` files and the v2
 * directory before the clone; the new process is born in the v2 cgroup
 * (clone3 CLONE_INTO_CGROUP with `v2dir`) and, single-threaded, moves its own
 * thread on each v1 hierarchy by writing "0" to the inherited `tasks` fds
 * (no global lock; permission is the opener's, hull's).
 */
#define HULL_CGROUP_MAX_HIER 24
struct hull_cgroup_fds {
	int tasks[HULL_CGROUP_MAX_HIER]; /* v1 hierarchies */
	size_t n;
	int v2dir;       /* the cgroup's directory on the cgroup2 hierarchy, or -1 */
	int v2procs;     /* its cgroup.procs, for a process not born there, or -1 */
	bool born_in_v2; /* set by the cloner that used CLONE_INTO_CGROUP */
};

struct hull_resources;
struct hull_cgroup_devs;
/* Create the cgroup in every hierarchy (when `create`, then also applying
 * `res` and `devs` as cgroup_apply does) and open the fds above. On failure,
 * the caller calls cgroup_destroy (created) and cgroup_fds_close. */
int cgroup_open(const char *path, bool create, const struct hull_resources *res,
                const struct hull_cgroup_devs *devs, struct hull_cgroup_fds *fds,
                struct hull_error *err);

/* In the new process (single-threaded): join the v1 hierarchies, and the v2
 * one by cgroup.procs unless born there (the two-stage path clones from a
 * user namespace, where CLONE_INTO_CGROUP is refused). */
int cgroup_join_self(const struct hull_cgroup_fds *fds, struct hull_error *err);

void cgroup_fds_close(struct hull_cgroup_fds *fds);
void cgroup_fds_init(struct hull_cgroup_fds *fds);

struct hull_resources;
struct hull_device;
/* linux.devices: the nodes the container gets, allowed with the defaults
 * (null, zero, full, random, urandom, tty, ptmx, pts) after the rules. */
struct hull_cgroup_devs {
	const struct hull_device *v;
	size_t n;
};
/* Apply linux.resources to the (existing) cgroup: every field given, in
 * the files of the host's layout (v1 values converted for v2 as runc does).
 * A field that cannot be applied is an error naming it. `devs` (create):
 * device rules end with the default allows and linux.devices; NULL on
 * update. `update`: a later change (memory.checkBeforeUpdate honoured). */
int cgroup_apply(const char *path, const struct hull_resources *r,
                 const struct hull_cgroup_devs *devs, bool update, struct hull_error *err);

/* Statistics as runc's `events` "data" object (JSON text, malloc'ed). */
int cgroup_stats(const char *path, char **ret_json, struct hull_error *err);

/* How many processes the OOM killer has killed in the cgroup (-1: unknown). */
int64_t cgroup_oom_kills(const char *path);

/* Freeze (or thaw) every process of the cgroup, waiting until it is done. */
int cgroup_freeze(const char *path, bool freeze, struct hull_error *err);

/* Whether the cgroup is frozen (false when it does not exist). */
bool cgroup_frozen(const char *path);

/* The pids of the cgroup (malloc'ed; none when it does not exist). */
int cgroup_pids(const char *path, pid_t **ret, size_t *ret_n, struct hull_error *err);

/* Kill what is left in the cgroup (SIGKILL, thawing first), then remove it
 * from every hierarchy. A missing cgroup is not an error. */
int cgroup_destroy(const char *path, struct hull_error *err);
