/* SPDX-License-Identifier: Apache-2.0 */
/* /dev: default devices, linux.devices, the standard symlinks. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "resolve.h"
#include "rootfs.h"
#include "util/cleanup.h"
#include "util/sys.h"

static const struct hull_device default_devices[] = {
    {.type = 'c', .path = "/dev/null", .major = 1, .minor = 3},
    {.type = 'c', .path = "/dev/zero", .major = 1, .minor = 5},
    {.type = 'c', .path = "/dev/full", .major = 1, .minor = 7},
    {.type = 'c', .path = "/dev/random", .major = 1, .minor = 8},
    {.type = 'c', .path = "/dev/urandom", .major = 1, .minor = 9},
    {.type = 'c', .path = "/dev/tty", .major = 5, .minor = 0},
};

static const struct {
	const char *target, *name;
} dev_links[] = {
    {"/proc/self/fd", "fd"},       {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
    {"/proc/self/fd/2", "stderr"}, {"/proc/kcore", "core"},
};

static mode_t dev_mode(const struct hull_device *d)
{
	mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
	mode_t perm = d->has_file_mode ? (d->file_mode & 07777) : 0666;
	return type | perm;
}

/* In a user namespace mknod is not allowed: bind the host's node instead. */
static int dev_bind(int parent, const char *name, const struct hull_device *d,
                    struct hull_error *err)
{
	char p[FD_PATH_MAX];
	int fd = openat(parent, name, O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_WRONLY, 0000);
	if (fd < 0)
		return hull_err_sys(err, errno, "create %s", d->path);
	close(fd);
	_cleanup_close_ int dst = openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (dst < 0)
		return hull_err_sys(err, errno, "open %s", d->path);
	if (mount(d->path, fd_path(p, dst), NULL, MS_BIND, NULL) < 0)
		return hull_err_sys(err, errno, "bind mount device %s from the host", d->path);
	return 0;
}

static int dev_create(struct hull_rootfs *r, const struct hull_device *d, struct hull_error *err)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(d->path, '/');
	const char *name = slash ? slash + 1 : d->path;
	size_t dlen = slash ? (size_t)(slash - d->path) : 0;

	if (dlen >= sizeof(dir) || !*name)
		return hull_err(err, EINVAL, "device path %s: invalid", d->path);
	memcpy(dir, d->path, dlen);
	dir[dlen] = '\0';
	_cleanup_close_ int parent =
	    fs_mkpath_in_root(r->rootfd, dlen ? dir : "/", FS_CREATE_DIR, err);
	if (parent < 0)
		return hull_err_prefix(err, "device %s", d->path);
	if (r->userns && d->type != 'p')
		return dev_bind(parent, name, d, err);
	if (mknodat(parent, name, dev_mode(d), makedev(d->major, d->minor)) < 0) {
		if (errno != EEXIST)
			return hull_err_sys(err, errno, "mknod %s", d->path);
		/* Replace whatever the image put there with the real node. */
		if (unlinkat(parent, name, 0) < 0 ||
		    mknodat(parent, name, dev_mode(d), makedev(d->major, d->minor)) < 0)
			return hull_err_sys(err, errno, "mknod %s", d->path);
	}
	if ((d->has_uid || d->has_gid) &&
	    fchownat(parent, name, d->has_uid ? d->uid : (uid_t)-1, d->has_gid ? d->gid : (gid_t)-1,
	             AT_SYMLINK_NOFOLLOW) < 0)
		return hull_err_sys(err, errno, "chown %s", d->path);
	return 0;
}

static bool has_pts(const struct hull_spec *s)
{
	for (size_t i = 0; i < s->n_mounts; i++)
		if (strcmp(s->mounts[i].destination, "/dev/pts") == 0)
			return true;
	return false;
}

static int dev_links_create(struct hull_rootfs *r, struct hull_error *err)
{
	_cleanup_close_ int dev = fs_mkpath_in_root(r->rootfd, "/dev", FS_CREATE_DIR, err);
	if (dev < 0)
		return dev;
	for (size_t i = 0; i < ARRAY_SIZE(dev_links); i++)
		if (symlinkat(dev_links[i].target, dev, dev_links[i].name) < 0 && errno != EEXIST)
			return hull_err_sys(err, errno, "symlink /dev/%s", dev_links[i].name);
	if (has_pts(r->spec)) {
		/* The container's ptmx is the one of its own devpts instance. */
		if (unlinkat(dev, "ptmx", 0) < 0 && errno != ENOENT)
			return hull_err_sys(err, errno, "remove /dev/ptmx");
		if (symlinkat("pts/ptmx", dev, "ptmx") < 0)
			return hull_err_sys(err, errno, "symlink /dev/ptmx");
	}
	return 0;
}

/* The mount point of /dev/console, made now, while the root is still
 * writable (a read-only root is remounted before the terminal exists). An
 * existing entry is left for fs_console_mount to judge. */
static int console_placeholder(struct hull_rootfs *r, struct hull_error *err)
{
	_cleanup_close_ int dev = fs_mkpath_in_root(r->rootfd, "/dev", FS_CREATE_DIR, err);
	if (dev < 0)
		return dev;
	int fd = openat(dev, "console", O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST)
		return hull_err_sys(err, errno, "create /dev/console for process.terminal");
	if (fd >= 0)
		close(fd);
	return 0;
}

int fs_dev_setup(struct hull_rootfs *r, struct hull_error *err)
{
	const struct hull_spec *s = r->spec;
	mode_t old = umask(0);
	int ret = 0;

	if (!r->dev_is_bind) {
		for (size_t i = 0; i < ARRAY_SIZE(default_devices) && ret == 0; i++)
			ret = dev_create(r, &default_devices[i], err);
		if (ret == 0)
			ret = dev_links_create(r, err);
	}
	for (size_t i = 0; i < s->linux_.n_devices && ret == 0; i++)
		ret = dev_create(r, &s->linux_.devices[i], err);
	if (ret == 0 && s->process.terminal)
		ret = console_placeholder(r, err);
	umask(old);
	return ret;
}

/* /dev/console as it is in the root (made by fs_dev_setup when missing),
 * opened O_PATH without following it. */
static int console_target(int dev, struct hull_error *err)
{
	struct stat st;
	int fd = openat(dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return hull_err_sys(err, errno, "open /dev/console");
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return hull_err_sys(err, e, "/dev/console");
	}
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
		close(fd);
		return hull_err(err, ELOOP,
		                "/dev/console in the container is not a file or a device (%s): "
		                "refusing to mount the terminal on it",
		                S_ISLNK(st.st_mode) ? "a symlink" : "another kind of file");
	}
	return fd;
}

int fs_console_mount(int slave, struct hull_error *err)
{
	_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return hull_err_sys(err, errno, "open /");
	_cleanup_close_ int dev = fs_open_in_root(root, "/dev", O_PATH | O_DIRECTORY);
	if (dev < 0)
		return hull_err_sys(err, -dev, "open /dev for /dev/console");
	_cleanup_close_ int target = console_target(dev, err);
	if (target < 0)
		return target;
	/* The pty by fd: no /dev/pts/N path for anyone to swap. */
	_cleanup_close_ int tree =
	    sys_open_tree(slave, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (tree < 0)
		return hull_err_sys(err, errno, "bind the terminal to /dev/console");
	if (sys_move_mount(tree, "", target, "",
	                   MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return hull_err_sys(err, errno, "mount the terminal on /dev/console");
	return 0;
}
