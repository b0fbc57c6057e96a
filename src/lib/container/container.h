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
	bool detach;
	bool keep;
	int preserve_fds;
};

/*
 * `run`: create the container from the bundle and start its process. In the
 * foreground, wait for it with signals forwarded and store its exit status in
 * *ret_status (128+N when killed by signal N); detached, return once it runs.
 */
int hull_container_run(const struct hull_run_opts *o, int *ret_status, struct hull_error *err);

/*
 * CVE-2019-5736: a container process must never be able to reopen the hull
 * binary for writing through /proc/PID/exe. Unless hull already runs from a
 * sealed memfd copy of itself, make one and re-exec from it. Returns only on
 * error (or 0 when already sealed).
 */
int hull_selfexe_ensure_sealed(char **argv, struct hull_error *err);

/* `delete`: remove a stopped container (with force, kill it first). */
int hull_container_delete(const char *root, const char *id, bool force, struct hull_error *err);
