/* SPDX-License-Identifier: Apache-2.0 */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "resolve.h"
#include "util/cleanup.h"
#include "util/sys.h"

#define PROPAGATION_MASK (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

int fs_rootfs_prepare(struct hull_rootfs *r, struct hull_error *err)
{
	unsigned long prop = r->spec->linux_.rootfs_propagation;
	unsigned long rootprop = MS_SLAVE | MS_REC;

	/* "/" must not stay shared with the host: our mounts would leak out
	 * and pivot_root refuses shared parents. A private or unbindable
	 * request can be honoured right away; shared is applied to the new
	 * root after pivot_root (a new peer group, as the spec says). */
	if (prop & (MS_PRIVATE | MS_UNBINDABLE))
		rootprop = MS_PRIVATE | MS_REC;
	if (mount(NULL, "/", NULL, rootprop, NULL) < 0)
		return hull_err_sys(err, errno, "make / %s",
		                    rootprop & MS_SLAVE ? "rslave" : "rprivate");
	/* pivot_root needs the new root to be a mount point. */
	if (mount(r->path, r->path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return hull_err_sys(err, errno, "bind mount rootfs %s", r->path);
	r->rootfd = open(r->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r->rootfd < 0)
		return hull_err_sys(err, errno, "open rootfs %s", r->path);
	/* The source of masks: /dev/null of this (copied, not yet reachable
	 * by the container) host mount tree, checked to be the null device.
	 * The container's own /dev/null is never trusted (CVE-2025-31133). */
	struct stat st;
	r->devnull = open("/dev/null", O_PATH | O_CLOEXEC);
	if (r->devnull < 0 || fstat(r->devnull, &st) < 0 || !S_ISCHR(st.st_mode) ||
	    st.st_rdev != makedev(1, 3))
		return hull_err(err, ENODEV, "the host's /dev/null is not the null device");
	return 0;
}

int fs_rootfs_enter(struct hull_rootfs *r, struct hull_error *err)
{
	if (fchdir(r->rootfd) < 0)
		return hull_err_sys(err, errno, "chdir to rootfs %s", r->path);
	if (r->no_pivot) {
		/* For initramfs, where pivot_root is impossible. Weaker: the old
		 * root stays reachable with CAP_SYS_CHROOT (documented). */
		if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
			return hull_err_sys(err, errno, "move rootfs %s to /", r->path);
		if (chroot(".") < 0)
			return hull_err_sys(err, errno, "chroot to rootfs %s", r->path);
	} else {
		/* pivot_root(".", ".") stacks the old root on top of the new
		 * one; detaching it leaves nothing of the host reachable. */
		if (sys_pivot_root(".", ".") < 0)
			return hull_err_sys(err, errno, "pivot_root to %s", r->path);
		if (umount2(".", MNT_DETACH) < 0)
			return hull_err_sys(err, errno, "detach the old root");
	}
	if (chdir("/") < 0)
		return hull_err_sys(err, errno, "chdir to /");
	return 0;
}

int fs_rootfs_finish(struct hull_rootfs *r, struct hull_error *err)
{
	unsigned long prop = r->spec->linux_.rootfs_propagation;

	if (r->spec->root_readonly) {
		/* mount_setattr changes only the read-only bit: flags such as
		 * nosuid that the rootfs mount carries (or that are locked in
		 * a user namespace) are preserved, unlike MS_REMOUNT. */
		struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
		if (sys_mount_setattr(AT_FDCWD, "/", 0, &attr) < 0)
			return hull_err_sys(err, errno, "make the root filesystem read-only");
	}
	/* The root is already rslave or rprivate from fs_rootfs_prepare; the
	 * configured type is applied to the new root as the last step, as
	 * runc does, so that "unbindable" and "shared" take effect there. */
	if (prop & PROPAGATION_MASK) {
		if (mount(NULL, "/", NULL, prop & (PROPAGATION_MASK | MS_REC), NULL) < 0)
			return hull_err_sys(err, errno, "set rootfsPropagation");
	}
	return 0;
}
