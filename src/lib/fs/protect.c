/* SPDX-License-Identifier: Apache-2.0 */
/* maskedPaths and readonlyPaths. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "resolve.h"
#include "rootfs.h"
#include "util/cleanup.h"
#include "util/sys.h"

/*
 * A masked file gets the host's /dev/null bound over it, opened by hull
 * before the container existed: the container's own /dev/null could be a
 * planted symlink or a different node (CVE-2025-31133). A masked directory
 * gets an empty read-only tmpfs.
 */
static int mask_one(struct hull_rootfs *r, const char *path, struct hull_error *err)
{
	char dst[FD_PATH_MAX], src[FD_PATH_MAX];
	struct stat st;
	_cleanup_close_ int fd = fs_open_in_root(r->rootfd, path, O_PATH);

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return hull_err_sys(err, -fd, "masked path %s", path);
	if (fstat(fd, &st) < 0)
		return hull_err_sys(err, errno, "masked path %s", path);
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", fd_path(dst, fd), "tmpfs",
		          MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0,nr_inodes=1") < 0)
			return hull_err_sys(err, errno, "mask %s", path);
		return 0;
	}
	if (mount(fd_path(src, r->devnull), fd_path(dst, fd), NULL, MS_BIND, NULL) < 0)
		return hull_err_sys(err, errno, "mask %s", path);
	return 0;
}

static int readonly_one(struct hull_rootfs *r, const char *path, struct hull_error *err)
{
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
	_cleanup_close_ int fd = fs_open_in_root(r->rootfd, path, O_PATH);

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return hull_err_sys(err, -fd, "readonly path %s", path);
	_cleanup_close_ int tree = sys_open_tree(
	    fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (tree < 0)
		return hull_err_sys(err, errno, "bind %s", path);
	if (sys_mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr) < 0)
		return hull_err_sys(err, errno, "make %s read-only", path);
	if (sys_move_mount(tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return hull_err_sys(err, errno, "attach read-only %s", path);
	return 0;
}

int fs_paths_protect(struct hull_rootfs *r, struct hull_error *err)
{
	const char **p;
	int ret;

	for (p = r->spec->linux_.readonly_paths; p && *p; p++)
		if ((ret = readonly_one(r, *p, err)) < 0)
			return ret;
	for (p = r->spec->linux_.masked_paths; p && *p; p++)
		if ((ret = mask_one(r, *p, err)) < 0)
			return ret;
	return 0;
}
