/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * The state root (/run/hull, $XDG_RUNTIME_DIR/hull rootless) holds one
 * directory per container with state.json (written atomically: temp file +
 * rename) and is locked with flock(2) on the directory for every change.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"

struct hull_kv;

#define STATE_OCI_VERSION "1.3.0" /* the runtime spec version of `hull state` */

struct hull_state {
	const char *id;
	pid_t pid;
	uint64_t pid_start; /* start time of pid (clock ticks since boot, /proc/PID/stat) */
	const char *status; /* as last written: creating, created, running, stopped */
	const char *bundle;
	const char *rootfs;
	const char *created; /* RFC 3339 */
	uid_t owner;
	bool detached;
	bool own_pidns;     /* the container has a pid namespace of its own */
	const char *cgroup; /* its cgroup path, "" when it has none (rootless) */
	unsigned hooks;     /* bit k: the config has hooks of kind k (start and delete read
	                     * the saved config only then) */
	const struct hull_kv *annotations; /* written only; see hull_state_info */
	size_t n_annotations;
	const void *annotations_doc; /* json_t object from state_load, written as is */
};

/* A state read back: the strings belong to the info until state_info_free. */
struct hull_state_info {
	struct hull_state st;
	bool missing;           /* no state.json: a create in progress, or one that died */
	void *doc;              /* private (json_t *) */
	void *annotations_json; /* private: the annotations object or NULL */
};

/* Status of a container from its real process (pid + start time, zombie =
 * gone), never guessed: "creating" (no state.json, create still holds the
 * lock), "created" (alive, start socket present), "paused" (its cgroup is
 * frozen), "running", "stopped". */
const char *state_status(int dirfd, const struct hull_state_info *info);

/* Read <root>/<id>/state.json (ENOENT: "ID: container does not exist"). */
int state_load(const char *root, const char *id, struct hull_state_info *ret,
               struct hull_error *err);
void state_info_free(struct hull_state_info *info);

/* state_load's parser: fill `ret` from a loaded state.json (a json_t *, which
 * passes to ret on success and is released on failure; `name` is used in
 * messages). The strings point into the document. */
int state_from_doc(void *doc, const char *name, struct hull_state_info *ret,
                   struct hull_error *err);

/* Serialize a state as `hull state` prints it (runc's keys and order):
 * ociVersion, id, pid, status, bundle, rootfs, created, [annotations], owner.
 * malloc'ed; pid 0 when stopped. */
char *state_to_json(const struct hull_state_info *info, const char *status, bool pretty);

/* A pidfd for pid if it is alive, not a zombie and started at `start`; -1 otherwise. */
int state_pidfd(pid_t pid, uint64_t start);

/* Open <root>/<id> (O_DIRECTORY); ENOENT as "does not exist". No lock. */
int state_open(const char *root, const char *id, struct hull_error *err);

/* Container ids: [A-Za-z0-9][A-Za-z0-9_.+-]*, at most 1024 bytes. */
int state_id_check(const char *id, struct hull_error *err);

/* Default root for the current user. */
const char *state_default_root(char *buf, size_t size);

/* Create and lock <root>/<id>; EEXIST when the container exists. Returns the dir fd. */
int state_create(const char *root, const char *id, struct hull_error *err);

int state_write(int dirfd, const struct hull_state *st, struct hull_error *err);

/* Remove <root>/<id> (every file in it and the directory). */
int state_remove(const char *root, const char *id, int dirfd);

/* RFC 3339 timestamp of now with nanoseconds, UTC. */
void state_now(char *buf, size_t size);

/* Start time of pid from /proc/PID/stat (0 when gone or a zombie). */
uint64_t state_pid_start(pid_t pid);

/* Name of the start socket in a created container's state directory. */
#define STATE_START_SOCK "start.sock"
/* The container's config.json, copied at create (exec and hooks read it). */
#define STATE_CONFIG "config.json"

/* Lock <root>/<id> (flock on the directory). Returns the locked dir fd. */
int state_lock(const char *root, const char *id, struct hull_error *err);
