/* SPDX-License-Identifier: Apache-2.0 */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/sys.h"

#define STATE_OCI_VERSION "1.3.0"

int state_id_check(const char *id, struct hull_error *err)
{
	size_t n = strlen(id);

	if (n == 0)
		return hull_err(err, EINVAL, "container id is empty");
	if (n > 1024)
		return hull_err(err, EINVAL, "container id is longer than 1024 bytes");
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || (i > 0 && strchr("_.+-", c));
		if (!ok)
			return hull_err(err, EINVAL,
					"invalid container id \"%s\": use letters, digits and _.+- "
					"(not first)",
					id);
	}
	return 0;
}

const char *state_default_root(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (geteuid() == 0 || !xdg || !*xdg)
		return "/run/hull";
	snprintf(buf, size, "%s/hull", xdg);
	return buf;
}

int state_create(const char *root, const char *id, struct hull_error *err)
{
	_cleanup_close_ int rootfd = -1;
	int fd;

	if (mkdir(root, 0700) < 0 && errno != EEXIST)
		return hull_err_sys(err, errno, "create state root %s", root);
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return hull_err_sys(err, errno, "open state root %s", root);
	if (mkdirat(rootfd, id, 0711) < 0) {
		if (errno == EEXIST)
			return hull_err(err, EEXIST, "container \"%s\" already exists", id);
		return hull_err_sys(err, errno, "create %s/%s", root, id);
	}
	fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		unlinkat(rootfd, id, AT_REMOVEDIR);
		return hull_err_sys(err, e, "lock %s/%s", root, id);
	}
	return fd;
}

static json_t *state_json(const struct hull_state *st)
{
	return json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:i, s:{s:I, s:b}}", "ociVersion",
			 STATE_OCI_VERSION, "id", st->id, "pid", (int)st->pid, "status",
			 st->status, "bundle", st->bundle, "rootfs", st->rootfs, "created",
			 st->created, "owner", (int)st->owner, "hull", "pidStart",
			 (json_int_t)st->pid_start, "detached", st->detached);
}

int state_write(int dirfd, const struct hull_state *st, struct hull_error *err)
{
	json_t *j = state_json(st);
	_cleanup_free_ char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	int ret;

	json_decref(j);
	if (!text)
		return hull_err(err, ENOMEM, "encode state of %s", st->id);
	_cleanup_close_ int fd =
		openat(dirfd, "state.json.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return hull_err_sys(err, errno, "write state of %s", st->id);
	if ((ret = write_all(fd, text, strlen(text))) < 0)
		return hull_err_sys(err, -ret, "write state of %s", st->id);
	if (renameat(dirfd, "state.json.tmp", dirfd, "state.json") < 0)
		return hull_err_sys(err, errno, "write state of %s", st->id);
	return 0;
}

int state_remove(const char *root, const char *id, int dirfd)
{
	char path[4096];

	if (dirfd >= 0) {
		unlinkat(dirfd, "state.json", 0);
		unlinkat(dirfd, "state.json.tmp", 0);
	}
	snprintf(path, sizeof(path), "%s/%s", root, id);
	return rmdir(path) < 0 ? -errno : 0;
}

void state_now(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;
	char base[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%09ldZ", base, ts.tv_nsec);
}

uint64_t state_pid_start(pid_t pid)
{
	char path[64];
	_cleanup_free_ char *buf = NULL;
	unsigned long long start = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_file_at(AT_FDCWD, path, 8192, &buf, NULL) < 0)
		return 0;
	/* Field 22; skip past the command, which may hold spaces and ')'. */
	char *p = strrchr(buf, ')');
	if (!p)
		return 0;
	p++;
	for (int field = 2; field < 21 && p; field++)
		p = strchr(p + 1, ' ');
	if (p)
		sscanf(p, " %llu", &start);
	return start;
}

int state_lock(const char *root, const char *id, struct hull_error *err)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, id);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return hull_err(err, ENOENT, "container \"%s\" does not exist", id);
		return hull_err_sys(err, errno, "open %s", path);
	}
	if (flock(fd, LOCK_EX) < 0) {
		int e = errno;
		close(fd);
		return hull_err_sys(err, e, "lock %s", path);
	}
	return fd;
}

int state_read_pid(const char *root, const char *id, pid_t *ret_pid, uint64_t *ret_start,
		   struct hull_error *err)
{
	char path[4096];
	json_error_t je;
	json_int_t pid = 0, start = 0;

	snprintf(path, sizeof(path), "%s/%s/state.json", root, id);
	json_t *j = json_load_file(path, 0, &je);
	if (!j) {
		if (access(path, F_OK) < 0 && errno == ENOENT) {
			/* A create that died before writing its state. */
			*ret_pid = 0;
			*ret_start = 0;
			return 0;
		}
		return hull_err(err, EINVAL, "%s:%d:%d: %s", path, je.line, je.column, je.text);
	}
	json_unpack(j, "{s?I, s?{s?I}}", "pid", &pid, "hull", "pidStart", &start);
	json_decref(j);
	*ret_pid = (pid_t)pid;
	*ret_start = (uint64_t)start;
	return 0;
}
