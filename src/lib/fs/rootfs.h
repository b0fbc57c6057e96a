/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * Building the container's filesystem view, run by the container process in
 * its new mount namespace, before pivot_root. Steps, in order:
 *   fs_rootfs_prepare  propagation of "/", rootfs bind-mounted on itself
 *   fs_mounts_apply    config mounts, in order
 *   fs_dev_setup       default and configured devices, /dev symlinks
 *   fs_paths_protect   maskedPaths and readonlyPaths
 *   fs_rootfs_enter    pivot_root (or MS_MOVE + chroot), old root detached
 *   fs_rootfs_finish   root.readonly, rootfsPropagation
 */
#include <stdbool.h>

#include "spec/spec.h"
#include "util/error.h"

struct hull_rootfs {
	const struct hull_spec *spec;
	const char *bundle; /* absolute */
	const char *path;   /* absolute host path of the rootfs */
	int rootfd;         /* O_PATH fd of the rootfs mount, set by prepare */
	int devnull;        /* O_PATH fd of the host's /dev/null, set by prepare */
	bool userns;        /* in a new user namespace: devices are bind mounts */
	bool no_pivot;
	bool dev_is_bind; /* the config bind-mounts /dev: leave it alone */
};

int fs_rootfs_prepare(struct hull_rootfs *r, struct hull_error *err);
int fs_mounts_apply(struct hull_rootfs *r, struct hull_error *err);
/* After pivot_root, with a terminal: bind the pty `slave` (by fd) onto
 * /dev/console (config-linux.md). The target is resolved in the root and
 * never followed (CVE-2025-52565); fs_dev_setup made it (an empty regular
 * file) when missing; a symlink or anything but a regular file or char device
 * is refused. */
int fs_console_mount(int slave, struct hull_error *err);

/* Attach a detached mount of a file (open_tree OPEN_TREE_CLONE) onto `dest`
 * in the root, creating dest as an empty file when missing (network.c's
 * /etc files). */
int fs_attach_tree(int rootfd, int tree, const char *dest, struct hull_error *err);

int fs_dev_setup(struct hull_rootfs *r, struct hull_error *err);
int fs_paths_protect(struct hull_rootfs *r, struct hull_error *err);
int fs_rootfs_enter(struct hull_rootfs *r, struct hull_error *err);
int fs_rootfs_finish(struct hull_rootfs *r, struct hull_error *err);

/* Mount the "cgroup" type entry at dfd (the destination, O_PATH). */
int fs_mount_cgroup(struct hull_rootfs *r, const struct hull_mount *m, int dfd,
                    struct hull_error *err);
