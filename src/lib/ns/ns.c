/* SPDX-License-Identifier: Apache-2.0 */
#include "ns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/sys.h"

int ns_new_flags(const struct hull_linux *l)
{
	int flags = 0;

	for (int t = 0; t < HULL_NS__COUNT; t++)
		if (l->ns[t].present && !l->ns[t].path)
			flags |= hull_ns_clone_flag((enum hull_ns_type)t);
	return flags;
}

void ns_close_fds(int fds[HULL_NS__COUNT])
{
	for (int t = 0; t < HULL_NS__COUNT; t++)
		if (fds[t] >= 0) {
			close(fds[t]);
			fds[t] = -1;
		}
}

int ns_open_paths(const struct hull_linux *l, int fds[HULL_NS__COUNT], struct hull_error *err)
{
	for (int t = 0; t < HULL_NS__COUNT; t++)
		fds[t] = -1;
	for (int t = 0; t < HULL_NS__COUNT; t++) {
		const char *path = l->ns[t].path;
		const char *name = hull_ns_type_name((enum hull_ns_type)t);
		int type;

		if (!l->ns[t].present || !path)
			continue;
		fds[t] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[t] < 0) {
			int e = errno;
			ns_close_fds(fds);
			return hull_err_sys(err, e, "linux.namespaces: %s namespace path %s", name,
			                    path);
		}
		type = ioctl(fds[t], NS_GET_NSTYPE);
		if (type != hull_ns_clone_flag((enum hull_ns_type)t)) {
			ns_close_fds(fds);
			return hull_err(err, EINVAL, "linux.namespaces: %s is not a %s namespace",
			                path, name);
		}
	}
	return 0;
}

int ns_join(const int fds[HULL_NS__COUNT], struct hull_error *err)
{
	/* The user namespace first: the others may belong to it. The mount
	 * namespace last, as joining it changes how paths resolve. */
	static const enum hull_ns_type order[] = {HULL_NS_USER, HULL_NS_IPC, HULL_NS_UTS,
	                                          HULL_NS_NET,  HULL_NS_PID, HULL_NS_CGROUP,
	                                          HULL_NS_TIME, HULL_NS_MNT};

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		int t = order[i];
		if (fds[t] < 0)
			continue;
		if (setns(fds[t], hull_ns_clone_flag((enum hull_ns_type)t)) < 0)
			return hull_err_sys(err, errno, "join %s namespace",
			                    hull_ns_type_name((enum hull_ns_type)t));
	}
	return 0;
}

static int idmap_write(pid_t pid, const char *file, const struct hull_idmaps *m,
                       struct hull_error *err)
{
	char path[64], buf[4096];
	size_t len = 0;
	int ret;

	for (size_t i = 0; i < m->n; i++) {
		int n = snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", m->v[i].container_id,
		                 m->v[i].host_id, m->v[i].size);
		if (n < 0 || (size_t)n >= sizeof(buf) - len)
			return hull_err(err, E2BIG, "linux.%s: too many mappings",
			                file[0] == 'u' ? "uidMappings" : "gidMappings");
		len += (size_t)n;
	}
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return hull_err_sys(err, errno, "open %s", path);
	ret = write_all(fd, buf, len);
	if (ret < 0)
		return hull_err_sys(err, -ret, "write %s (linux.%s)", path,
		                    file[0] == 'u' ? "uidMappings" : "gidMappings");
	return 0;
}

int ns_write_idmaps(pid_t pid, const struct hull_linux *l, struct hull_error *err)
{
	char path[64];
	int ret;

	if (geteuid() != 0) {
		/* An unprivileged writer of gid_map must deny setgroups first. */
		snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
		ret = write_file_at(AT_FDCWD, path, "deny");
		if (ret < 0 && ret != -ENOENT)
			return hull_err_sys(err, -ret, "write %s", path);
	}
	if (l->uid_mappings.n && (ret = idmap_write(pid, "uid_map", &l->uid_mappings, err)) < 0)
		return ret;
	if (l->gid_mappings.n && (ret = idmap_write(pid, "gid_map", &l->gid_mappings, err)) < 0)
		return ret;
	return 0;
}

int ns_write_time_offsets(const struct hull_linux *l, struct hull_error *err)
{
	char buf[128];
	int n = 0, ret;

	if (l->time_monotonic.present)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "monotonic %lld %u\n",
		              (long long)l->time_monotonic.secs, l->time_monotonic.nanosecs);
	if (l->time_boottime.present)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "boottime %lld %u\n",
		              (long long)l->time_boottime.secs, l->time_boottime.nanosecs);
	if (!n)
		return 0;
	_cleanup_close_ int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return hull_err_sys(err, errno, "open /proc/self/timens_offsets");
	/* One write per clock: the kernel parses a single line per write. */
	for (char *line = buf, *nl; (nl = strchr(line, '\n')); line = nl + 1)
		if ((ret = write_all(fd, line, (size_t)(nl - line + 1))) < 0)
			return hull_err_sys(err, -ret, "linux.timeOffsets: write %.*s",
			                    (int)(nl - line), line);
	return 0;
}
