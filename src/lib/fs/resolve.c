/* SPDX-License-Identifier: Apache-2.0 */
#include "resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "util/cleanup.h"
#include "util/sys.h"

#define IN_ROOT (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)

int fs_open_in_root(int rootfd, const char *path, int flags)
{
	int fd = sys_openat2(rootfd, path, (uint64_t)(flags | O_CLOEXEC), IN_ROOT);
	return fd < 0 ? -errno : fd;
}

/* Create `name` in the directory parentfd; EEXIST is success (a racing or
 * pre-existing entry is resolved again by the caller, inside the root). */
static int create_entry(int parentfd, const char *name, enum fs_create_kind kind)
{
	if (kind == FS_CREATE_DIR) {
		if (mkdirat(parentfd, name, 0755) < 0 && errno != EEXIST)
			return -errno;
		return 0;
	}
	int fd = openat(parentfd, name, O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_WRONLY, 0644);
	if (fd < 0)
		return errno == EEXIST ? 0 : -errno;
	close(fd);
	return 0;
}

int fs_mkpath_in_root(int rootfd, const char *path, enum fs_create_kind kind,
                      struct hull_error *err)
{
	char buf[PATH_MAX];
	int fd;
	size_t len = strlen(path);

	fd = fs_open_in_root(rootfd, path, O_PATH);
	if (fd >= 0 || fd != -ENOENT) {
		if (fd < 0)
			return hull_err_sys(err, -fd, "open %s in the rootfs", path);
		return fd;
	}
	if (len >= sizeof(buf))
		return hull_err(err, ENAMETOOLONG, "%s: path too long", path);
	memcpy(buf, path, len + 1);

	/* Walk the components, creating what is missing. Each prefix is
	 * resolved again inside the root so symlinks stay contained. */
	_cleanup_close_ int parent = fs_open_in_root(rootfd, "/", O_PATH);
	if (parent < 0)
		return hull_err_sys(err, -parent, "open the rootfs");
	char *p = buf;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		char *end = strchr(p, '/');
		bool last;
		if (end)
			*end = '\0';
		last = !end || !end[1 + strspn(end + 1, "/")];
		if (strcmp(p, "..") == 0 || strcmp(p, ".") == 0) {
			if (end)
				*end = '/';
			p = end ? end : p + strlen(p);
			continue;
		}
		int r = create_entry(parent, p, last ? kind : FS_CREATE_DIR);
		if (r < 0)
			return hull_err_sys(err, -r, "create %s in the rootfs", path);
		fd = fs_open_in_root(rootfd, buf, O_PATH);
		if (fd < 0) {
			if (fd == -ENOENT)
				return hull_err(err, ENOENT,
				                "create %s in the rootfs: %s is a dangling symlink",
				                path, buf);
			return hull_err_sys(err, -fd, "open %s in the rootfs", buf);
		}
		close(parent);
		parent = fd;
		if (!end)
			break;
		*end = '/';
		p = end;
	}
	return take_fd(parent);
}
