/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * Paths inside the container's rootfs are resolved relative to the rootfs fd
 * with openat2(RESOLVE_IN_ROOT): ".." and absolute symlinks stop at the
 * rootfs, so a hostile image cannot make hull touch anything outside it
 * (CVE-2021-30465 class). Magic links (/proc/self/...) are refused.
 */
#include <stdbool.h>
#include <sys/types.h>

#include "util/error.h"

/* Open `path` inside root; flags are O_* (O_CLOEXEC added). -errno, no message. */
int fs_open_in_root(int rootfd, const char *path, int flags);

enum fs_create_kind { FS_CREATE_DIR, FS_CREATE_FILE };

/*
 * Open `path` inside root as O_PATH, creating missing components as
 * directories (mode 0755) and the last one as `kind`. Returns the fd or a
 * negative errno with a message naming the path.
 */
int fs_mkpath_in_root(int rootfd, const char *path, enum fs_create_kind kind,
                      struct hull_error *err);
