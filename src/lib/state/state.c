/* SPDX-License-Identifier: Apache-2.0 */
#include "state.h"

#include <dirent.h>
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

#include "cgroup/cgroup.h"
#include "spec/spec.h"
#include "util/cleanup.h"
#include "util/sys.h"

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

	if (mkdir_parents(root, 0700) < 0)
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

static json_t *annotations_json(const struct hull_state *st)
{
	json_t *a = json_object();

	for (size_t i = 0; a && i < st->n_annotations; i++)
		json_object_set_new(a, st->annotations[i].key,
		                    json_string(st->annotations[i].value));
	return a;
}

static json_t *state_json(const struct hull_state *st)
{
	json_t *j = json_pack(
	    "{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:i, s:{s:I, s:b, s:b, s:s, s:i}}", "ociVersion",
	    STATE_OCI_VERSION, "id", st->id, "pid", (int)st->pid, "status", st->status, "bundle",
	    st->bundle, "rootfs", st->rootfs, "created", st->created, "owner", (int)st->owner,
	    "hull", "pidStart", (json_int_t)st->pid_start, "detached", st->detached, "ownPidns",
	    st->own_pidns, "cgroup", st->cgroup ? st->cgroup : "", "hooks", (int)st->hooks);

	if (j && st->n_annotations)
		json_object_set_new(j, "annotations", annotations_json(st));
	else if (j && st->annotations_doc)
		json_object_set(j, "annotations", (json_t *)st->annotations_doc);
	return j;
}

int state_write(int dirfd, const struct hull_state *st, struct hull_error *err)
{
	json_t *j = state_json(st);
	_cleanup_free_ char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	int ret;

	json_decref(j);
	if (!text)
		return hull_err(err, ENOMEM, "encode state of %s", st->id);
	if ((ret = write_file_atomic_at(dirfd, "state.json", text, strlen(text), 0600)) < 0)
		return hull_err_sys(err, -ret, "write state of %s", st->id);
	return 0;
}

int state_remove(const char *root, const char *id, int dirfd)
{
	char path[4096], gone[4096];

	/* First out of sight in one step (readers see the container or
	 * nothing, never a half-removed one), then emptied and removed. */
	snprintf(path, sizeof(path), "%s/%s", root, id);
	snprintf(gone, sizeof(gone), "%s/.gone.%d.%s", root, getpid(), id);
	if (rename(path, gone) < 0)
		snprintf(gone, sizeof(gone), "%s", path);
	/* Every file: state, config, start socket, and those of other
	 * modules (the network's record and /etc files). */
	int fd = dirfd >= 0 ? openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	for (struct dirent *e; d && (e = readdir(d));)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dirfd, e->d_name, 0);
	if (d)
		closedir(d);
	else if (fd >= 0)
		close(fd);
	return rmdir(gone) < 0 ? -errno : 0;
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
	/* Field 3 is the state, field 22 the start time; skip past the
	 * command, which may hold spaces and ')'. */
	char *p = strrchr(buf, ')');
	if (!p || !p[1] || !p[2] || p[2] == 'Z' || p[2] == 'X')
		return 0;
	p++;
	for (int field = 2; field < 21 && p; field++)
		p = strchr(p + 1, ' ');
	if (p)
		sscanf(p, " %llu", &start);
	return start;
}

int state_pidfd(pid_t pid, uint64_t start)
{
	if (pid <= 0 || start == 0)
		return -1;
	int fd = sys_pidfd_open(pid);
	if (fd < 0)
		return -1;
	/* Checked after opening: the pidfd pins this very process. */
	if (state_pid_start(pid) != start) {
		close(fd);
		return -1;
	}
	return fd;
}

int state_open(const char *root, const char *id, struct hull_error *err)
{
	char path[4096];
	int fd;

	if (state_id_check(id, err) < 0)
		return -err->code;
	snprintf(path, sizeof(path), "%s/%s", root, id);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return hull_err(err, ENOENT, "%s: container does not exist", id);
		return hull_err_sys(err, errno, "open %s", path);
	}
	return fd;
}

int state_lock(const char *root, const char *id, struct hull_error *err)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, id);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return hull_err(err, ENOENT, "%s: container does not exist", id);
		return hull_err_sys(err, errno, "open %s", path);
	}
	if (flock(fd, LOCK_EX) < 0) {
		int e = errno;
		close(fd);
		return hull_err_sys(err, e, "lock %s", path);
	}
	return fd;
}

int state_load(const char *root, const char *id, struct hull_state_info *ret,
               struct hull_error *err)
{
	char path[4096];
	json_error_t je;
	struct hull_state *st = &ret->st;

	memset(ret, 0, sizeof(*ret));
	snprintf(path, sizeof(path), "%s/%s/state.json", root, id);
	json_t *j = json_load_file(path, 0, &je);
	if (!j) {
		struct stat sb;
		snprintf(path, sizeof(path), "%s/%s", root, id);
		if (stat(path, &sb) < 0)
			return hull_err(err, ENOENT, "%s: container does not exist", id);
		/* A create in progress, or one that died before its state. */
		ret->missing = true;
		st->id = id;
		st->status = "creating";
		st->bundle = st->rootfs = st->created = "";
		st->owner = sb.st_uid;
		return 0;
	}
	return state_from_doc(j, path, ret, err);
}

const char *state_status(int dirfd, const struct hull_state_info *info)
{
	if (info->missing) {
		/* create holds the lock until it has written the state */
		if (dirfd >= 0 && flock(dirfd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK)
			return "creating";
		if (dirfd >= 0)
			flock(dirfd, LOCK_UN);
		return "stopped";
	}
	int fd = state_pidfd(info->st.pid, info->st.pid_start);
	if (fd < 0)
		return "stopped";
	close(fd);
	/* Written while the prestart/createRuntime hooks run. */
	if (strcmp(info->st.status, "creating") == 0)
		return "creating";
	if (dirfd >= 0 && faccessat(dirfd, STATE_START_SOCK, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return "created";
	if (info->st.cgroup && *info->st.cgroup && cgroup_frozen(info->st.cgroup))
		return "paused";
	return "running";
}
