/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The "cgroup" mount type. On a unified (v2) host it is a cgroup2 mount. On a
 * v1 or hybrid host it is a tmpfs holding one mount per hierarchy of
 * /proc/self/cgroup, as runc lays it out. With a new cgroup namespace each
 * hierarchy is mounted fresh (the kernel roots it at the namespace's
 * cgroup); without one, only the container's own cgroup subtree is bound
 * from the host's /sys/fs/cgroup, so the host's tree is not exposed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "resolve.h"
#include "rootfs.h"
#include "util/cleanup.h"
#include "util/sys.h"

#define PROPAGATION_MASK (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

struct cg_line {
	char *controllers; /* "cpu,cpuacct", "name=systemd", "" for v2 */
	char *path;
};

static const char *cg_dirname(const char *controllers)
{
	if (!*controllers)
		return "unified";
	if (strncmp(controllers, "name=", 5) == 0)
		return controllers + 5;
	return controllers;
}

static int cg_mount_one(const struct cg_line *l, int dirfd, unsigned long flags, bool newns,
                        struct hull_error *err)
{
	char p[FD_PATH_MAX], src[PATH_MAX], opts[256];
	const char *name = cg_dirname(l->controllers);

	if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
		return hull_err_sys(err, errno, "mkdir cgroup hierarchy %s", name);
	_cleanup_close_ int fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return hull_err_sys(err, errno, "open cgroup hierarchy %s", name);
	if (!newns) {
		snprintf(src, sizeof(src), "/sys/fs/cgroup/%s%s", name, l->path);
		if (mount(src, fd_path(p, fd), NULL, MS_BIND | MS_REC, NULL) < 0)
			return hull_err_sys(err, errno, "bind %s", src);
		if (flags & MS_RDONLY) {
			struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
			_cleanup_close_ int top =
			    openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (top < 0 || sys_mount_setattr(top, "", AT_EMPTY_PATH, &a) < 0)
				return hull_err_sys(err, errno, "make %s read-only", src);
		}
		return 0;
	}
	if (!*l->controllers) {
		if (mount("cgroup2", fd_path(p, fd), "cgroup2", flags, NULL) < 0)
			return hull_err_sys(err, errno, "mount cgroup2 on %s", name);
		return 0;
	}
	snprintf(opts, sizeof(opts), "%s%s",
	         strncmp(l->controllers, "name=", 5) == 0 ? "none," : "", l->controllers);
	if (mount("cgroup", fd_path(p, fd), "cgroup", flags, opts) < 0)
		return hull_err_sys(err, errno, "mount cgroup %s", l->controllers);
	return 0;
}

/* cpu,cpuacct gets cpu -> cpu,cpuacct and cpuacct -> cpu,cpuacct. */
static int cg_links(const char *controllers, int dirfd, struct hull_error *err)
{
	char buf[256], *save = NULL;

	if (!strchr(controllers, ',') || strlen(controllers) >= sizeof(buf))
		return 0;
	strcpy(buf, controllers);
	for (char *c = strtok_r(buf, ",", &save); c; c = strtok_r(NULL, ",", &save))
		if (symlinkat(controllers, dirfd, c) < 0 && errno != EEXIST)
			return hull_err_sys(err, errno, "symlink cgroup %s", c);
	return 0;
}

static int cg_hierarchies(struct hull_rootfs *r, const struct hull_mount *m, int dfd, char *self,
                          struct hull_error *err)
{
	char p[FD_PATH_MAX], *save = NULL;
	unsigned long flags = m->opts.flags & ~(PROPAGATION_MASK | MS_BIND | MS_REC);
	bool newns = r->spec->linux_.ns[HULL_NS_CGROUP].present;
	int ret;

	if (mount("tmpfs", fd_path(p, dfd), "tmpfs",
	          (flags & ~MS_RDONLY) | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755") < 0)
		return hull_err_sys(err, errno, "mount tmpfs on %s", m->destination);
	/* dfd names the directory under the tmpfs; find the tmpfs by path. */
	_cleanup_close_ int top = fs_open_in_root(r->rootfd, m->destination, O_PATH | O_DIRECTORY);
	if (top < 0)
		return hull_err_sys(err, -top, "open %s", m->destination);
	for (char *line = strtok_r(self, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		struct cg_line l = {.controllers = c1 + 1, .path = c2 + 1};
		if (!*l.controllers && faccessat(AT_FDCWD, "/sys/fs/cgroup/unified", F_OK, 0) < 0)
			continue;
		if ((ret = cg_mount_one(&l, top, flags, newns, err)) < 0 ||
		    (ret = cg_links(l.controllers, top, err)) < 0)
			return ret;
	}
	if (flags & MS_RDONLY) {
		struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
		if (sys_mount_setattr(top, "", AT_EMPTY_PATH, &a) < 0)
			return hull_err_sys(err, errno, "make %s read-only", m->destination);
	}
	return 0;
}

int fs_mount_cgroup(struct hull_rootfs *r, const struct hull_mount *m, int dfd,
                    struct hull_error *err)
{
	char p[FD_PATH_MAX];
	_cleanup_free_ char *self = NULL;
	unsigned long flags = m->opts.flags & ~(PROPAGATION_MASK | MS_BIND | MS_REC);
	int ret = read_file_at(AT_FDCWD, "/proc/self/cgroup", 1 << 16, &self, NULL);

	if (ret < 0)
		return hull_err_sys(err, -ret, "read /proc/self/cgroup");
	char *nl = strchr(self, '\n');
	if (strncmp(self, "0::", 3) == 0 && (!nl || !nl[1])) {
		if (mount("cgroup2", fd_path(p, dfd), "cgroup2", flags, NULL) < 0)
			return hull_err_sys(err, errno, "mount cgroup2 on %s", m->destination);
		return 0;
	}
	return cg_hierarchies(r, m, dfd, self, err);
}
