/* SPDX-License-Identifier: Apache-2.0 */
/* The config's mounts, applied in order inside the rootfs. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "resolve.h"
#include "rootfs.h"
#include "util/cleanup.h"
#include "util/sys.h"

#define PROPAGATION_MASK (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

/* MS_* flags of a bind mount expressed as mount_setattr attributes. */
static void ms_to_attr(unsigned long set, unsigned long clr, struct mount_attr *a)
{
	static const struct {
		unsigned long ms;
		uint64_t attr;
	} map[] = {
	    {MS_RDONLY, MOUNT_ATTR_RDONLY},         {MS_NOSUID, MOUNT_ATTR_NOSUID},
	    {MS_NODEV, MOUNT_ATTR_NODEV},           {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
	    {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
	};
	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		if (set & map[i].ms)
			a->attr_set |= map[i].attr;
		else if (clr & map[i].ms)
			a->attr_clr |= map[i].attr;
	}
	if (set & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)) {
		a->attr_clr |= MOUNT_ATTR__ATIME;
		a->attr_set |= set & MS_NOATIME    ? MOUNT_ATTR_NOATIME
		               : set & MS_RELATIME ? MOUNT_ATTR_RELATIME
		                                   : MOUNT_ATTR_STRICTATIME;
	}
}

static const char *bind_source(const struct hull_rootfs *r, const char *src, char *buf, size_t size)
{
	if (src[0] == '/')
		return src;
	snprintf(buf, size, "%s/%s", r->bundle, src);
	return buf;
}

static int dest_kind(const struct hull_rootfs *r, const struct hull_mount *m,
                     enum fs_create_kind *kind, struct hull_error *err)
{
	char buf[PATH_MAX];
	struct stat st;

	*kind = FS_CREATE_DIR;
	if (!m->opts.bind)
		return 0;
	if (!m->source)
		return hull_err(err, EINVAL, "bind mount on %s: no source", m->destination);
	if (stat(bind_source(r, m->source, buf, sizeof(buf)), &st) < 0)
		return hull_err_sys(err, errno, "bind mount source %s", m->source);
	if (!S_ISDIR(st.st_mode))
		*kind = FS_CREATE_FILE;
	return 0;
}

static int mount_bind(struct hull_rootfs *r, const struct hull_mount *m, int dfd,
                      struct hull_error *err)
{
	char buf[PATH_MAX];
	const char *src = bind_source(r, m->source, buf, sizeof(buf));
	unsigned tree_flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;
	struct mount_attr attr = {0};
	struct mount_attr rattr = {.attr_set = m->opts.rec_attr_set,
	                           .attr_clr = m->opts.rec_attr_clr};

	if (m->opts.recursive_bind)
		tree_flags |= AT_RECURSIVE;
	_cleanup_close_ int tree = sys_open_tree(AT_FDCWD, src, tree_flags);
	if (tree < 0)
		return hull_err_sys(err, errno, "bind mount %s on %s", m->source, m->destination);
	/* Attributes go on the detached tree, so the mount is never visible
	 * in the container with the wrong flags. */
	ms_to_attr(m->opts.flags, m->opts.clear, &attr);
	if ((attr.attr_set || attr.attr_clr) &&
	    sys_mount_setattr(tree, "", AT_EMPTY_PATH, &attr) < 0)
		return hull_err_sys(err, errno, "set options of bind mount %s", m->destination);
	if ((rattr.attr_set || rattr.attr_clr) &&
	    sys_mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &rattr) < 0)
		return hull_err_sys(err, errno, "set recursive options of bind mount %s",
		                    m->destination);
	if (sys_move_mount(tree, "", dfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
	    0)
		return hull_err_sys(err, errno, "attach bind mount %s", m->destination);
	return 0;
}

static int mount_fs(struct hull_rootfs *r, const struct hull_mount *m, int dfd,
                    struct hull_error *err)
{
	char p[FD_PATH_MAX];
	unsigned long flags = m->opts.flags & ~(PROPAGATION_MASK | MS_BIND | MS_REC);

	if (m->type && strcmp(m->type, "cgroup") == 0)
		return fs_mount_cgroup(r, m, dfd, err);
	if (mount(m->source ? m->source : "none", fd_path(p, dfd), m->type, flags, m->opts.data) <
	    0)
		return hull_err_sys(err, errno, "mount %s (type %s) on %s",
		                    m->source ? m->source : "none", m->type ? m->type : "none",
		                    m->destination);
	return 0;
}

/* Changes that need the new mount itself, found again by path in the root. */
static int mount_post(struct hull_rootfs *r, const struct hull_mount *m, struct hull_error *err)
{
	char p[FD_PATH_MAX];
	bool rec = !m->opts.bind && (m->opts.rec_attr_set || m->opts.rec_attr_clr);

	if (!rec && !m->opts.propagation)
		return 0;
	_cleanup_close_ int fd = fs_open_in_root(r->rootfd, m->destination, O_PATH);
	if (fd < 0)
		return hull_err_sys(err, -fd, "reopen mount %s", m->destination);
	if (rec) {
		struct mount_attr a = {.attr_set = m->opts.rec_attr_set,
		                       .attr_clr = m->opts.rec_attr_clr};
		if (sys_mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &a) < 0)
			return hull_err_sys(err, errno, "set recursive options of %s",
			                    m->destination);
	}
	if (m->opts.propagation && mount(NULL, fd_path(p, fd), NULL, m->opts.propagation, NULL) < 0)
		return hull_err_sys(err, errno, "set propagation of %s", m->destination);
	return 0;
}

static int mount_one(struct hull_rootfs *r, const struct hull_mount *m, struct hull_error *err)
{
	enum fs_create_kind kind;
	int ret = dest_kind(r, m, &kind, err);

	if (ret < 0)
		return ret;
	_cleanup_close_ int dfd = fs_mkpath_in_root(r->rootfd, m->destination, kind, err);
	if (dfd < 0)
		return hull_err_prefix(err, "mount destination %s", m->destination);
	ret = m->opts.bind ? mount_bind(r, m, dfd, err) : mount_fs(r, m, dfd, err);
	if (ret < 0)
		return ret;
	return mount_post(r, m, err);
}

int fs_mounts_apply(struct hull_rootfs *r, struct hull_error *err)
{
	const struct hull_spec *s = r->spec;

	for (size_t i = 0; i < s->n_mounts; i++) {
		int ret = mount_one(r, &s->mounts[i], err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int fs_attach_tree(int rootfd, int tree, const char *dest, struct hull_error *err)
{
	_cleanup_close_ int target = fs_mkpath_in_root(rootfd, dest, FS_CREATE_FILE, err);
	if (target < 0)
		return target;
	if (sys_move_mount(tree, "", target, "",
	                   MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return hull_err_sys(err, errno, "mount %s", dest);
	return 0;
}
