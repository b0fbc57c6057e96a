/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* Namespaces: which to create, which to join by path, user namespace maps. */
#include <stdbool.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

/* CLONE_NEW* flags of the namespaces the config asks to create. */
int ns_new_flags(const struct hull_linux *l);

/*
 * Open every namespace `path` of the config (before anything is created, so a
 * bad path fails early) and check it is a namespace of the declared type.
 * fds[t] is -1 for namespaces that are not joined.
 */
int ns_open_paths(const struct hull_linux *l, int fds[HULL_NS__COUNT], struct hull_error *err);
void ns_close_fds(int fds[HULL_NS__COUNT]);

/* setns() into every opened namespace, the user namespace first. */
int ns_join(const int fds[HULL_NS__COUNT], struct hull_error *err);

/* Write uid_map/gid_map (and setgroups "deny" when hull is unprivileged) of pid. */
int ns_write_idmaps(pid_t pid, const struct hull_linux *l, struct hull_error *err);

/* Write /proc/self/timens_offsets: after unshare(CLONE_NEWTIME), before any fork. */
int ns_write_time_offsets(const struct hull_linux *l, struct hull_error *err);
