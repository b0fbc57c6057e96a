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

struct hull_state {
	const char *id;
	pid_t pid;
	uint64_t pid_start; /* start time of pid (clock ticks since boot, /proc/PID/stat) */
	const char *status;  /* creating, created, running, stopped */
	const char *bundle;
	const char *rootfs;
	const char *created; /* RFC 3339 */
	uid_t owner;
	bool detached;
};

/* Container ids: [A-Za-z0-9][A-Za-z0-9_.+-]*, at most 1024 bytes. */
int state_id_check(const char *id, struct hull_error *err);

/* Default root for the current user. */
const char *state_default_root(char *buf, size_t size);

/* Create and lock <root>/<id>; EEXIST when the container exists. Returns the dir fd. */
int state_create(const char *root, const char *id, struct hull_error *err);

int state_write(int dirfd, const struct hull_state *st, struct hull_error *err);

/* Remove <root>/<id> (state.json and the directory). */
int state_remove(const char *root, const char *id, int dirfd);

/* RFC 3339 timestamp of now with nanoseconds, UTC. */
void state_now(char *buf, size_t size);

/* Start time of pid from /proc/PID/stat (0 when gone). */
uint64_t state_pid_start(pid_t pid);

/* Read <root>/<id>/state.json: pid and its start time (0 when stopped). */
int state_read_pid(const char *root, const char *id, pid_t *ret_pid, uint64_t *ret_start,
		   struct hull_error *err);

/* Lock <root>/<id> (flock on the directory). Returns the locked dir fd. */
int state_lock(const char *root, const char *id, struct hull_error *err);
