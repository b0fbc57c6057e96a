/* SPDX-License-Identifier: Apache-2.0 */
/* state, list, kill, ps: read-only views and signals, computed from the real
 * processes. Until the cgroup module lands, "the container's processes" are
 * those of its pid namespace (or, sharing the host's, the init's descendants). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "container.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/sys.h"

int hull_container_state(const char *root, const char *id, char **ret_json, struct hull_error *err)
{
	struct hull_state_info info;
	int ret;

	_cleanup_close_ int dirfd = state_open(root, id, err);
	if (dirfd < 0)
		return dirfd;
	if ((ret = state_load(root, id, &info, err)) < 0)
		return ret;
	*ret_json = state_to_json(&info, state_status(dirfd, &info), true);
	state_info_free(&info);
	return *ret_json ? 0 : hull_err(err, ENOMEM, "encode state of %s", id);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int hull_container_list(const char *root, char **ret_json, struct hull_error *err)
{
	char **ids = NULL;
	size_t n = 0, cap = 0;
	json_t *arr = json_array();
	DIR *d = opendir(root);
	struct dirent *e;

	if (!d && errno != ENOENT) {
		json_decref(arr);
		return hull_err_sys(err, errno, "open state root %s", root);
	}
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || state_id_check(e->d_name, &(struct hull_error){0}) < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **grown = realloc(ids, cap * sizeof(*ids));
			if (!grown)
				break;
			ids = grown;
		}
		ids[n++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	if (n)
		qsort(ids, n, sizeof(*ids), cmp_str);
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *text = NULL;
		struct hull_error ignored = {0};
		if (ids[i] && hull_container_state(root, ids[i], &text, &ignored) == 0)
			json_array_append_new(arr, json_loads(text, 0, NULL));
		free(ids[i]);
	}
	free(ids);
	*ret_json = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(arr);
	return *ret_json ? 0 : hull_err(err, ENOMEM, "encode the list");
}

/* ppid of pid from /proc/PID/stat, -1 when gone. */
static pid_t ppid_of(pid_t pid)
{
	char path[64];
	_cleanup_free_ char *buf = NULL;
	int ppid = -1;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_file_at(AT_FDCWD, path, 8192, &buf, NULL) < 0)
		return -1;
	char *p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return ppid;
}

static bool same_pidns(pid_t pid, const struct stat *ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	return stat(path, &st) == 0 && st.st_ino == ns->st_ino && st.st_dev == ns->st_dev;
}

static bool descends_from(pid_t pid, pid_t init)
{
	for (int depth = 0; pid > 1 && depth < 4096; depth++) {
		if (pid == init)
			return true;
		pid = ppid_of(pid);
	}
	return pid == init;
}

static int scan_pids(const struct hull_state *st, pid_t **ret, size_t *ret_n,
                     struct hull_error *err);

/* Host pids of the processes of the container: its cgroup's members, or
 * (rootless, no cgroup) its pid namespace's or the init's descendants. */
static int container_pids(const struct hull_state *st, pid_t **ret, size_t *ret_n,
                          struct hull_error *err)
{
	if (st->cgroup && *st->cgroup)
		return cgroup_pids(st->cgroup, ret, ret_n, err);
	return scan_pids(st, ret, ret_n, err);
}

/* Host pids of the processes of the container whose init is `init`. */
static int scan_pids(const struct hull_state *st, pid_t **ret, size_t *ret_n,
                     struct hull_error *err)
{
	char path[64];
	struct stat ns;
	size_t n = 0, cap = 64;
	pid_t *v = malloc(cap * sizeof(*v));
	DIR *d = opendir("/proc");
	struct dirent *e;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", st->pid);
	if (!v || !d || stat(path, &ns) < 0) {
		int code = errno ? errno : ENOMEM;
		free(v);
		if (d)
			closedir(d);
		return hull_err_sys(err, code, "list the processes of %s", st->id);
	}
	while ((e = readdir(d))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		bool mine = st->own_pidns ? same_pidns((pid_t)pid, &ns)
		                          : descends_from((pid_t)pid, st->pid);
		if (!mine)
			continue;
		if (n == cap) {
			pid_t *grown = realloc(v, (cap *= 2) * sizeof(*v));
			if (!grown)
				break;
			v = grown;
		}
		v[n++] = (pid_t)pid;
	}
	closedir(d);
	*ret = v;
	*ret_n = n;
	return 0;
}

/* Open, load and check that the container has a live process. */
static int load_live(const char *root, const char *id, struct hull_state_info *info, int *ret_pidfd,
                     struct hull_error *err)
{
	int ret;

	if ((ret = state_id_check(id, err)) < 0)
		return ret;
	_cleanup_close_ int dirfd = state_open(root, id, err);
	if (dirfd < 0)
		return dirfd;
	if ((ret = state_load(root, id, info, err)) < 0)
		return ret;
	*ret_pidfd = info->missing ? -1 : state_pidfd(info->st.pid, info->st.pid_start);
	if (*ret_pidfd < 0) {
		state_info_free(info);
		return hull_err(err, ESRCH, "container %s: container not running", id);
	}
	return 0;
}

int hull_container_kill(const char *root, const char *id, int sig, bool all, struct hull_error *err)
{
	struct hull_state_info info;
	int pidfd, ret = 0;

	if ((ret = load_live(root, id, &info, &pidfd, err)) < 0)
		return ret;
	bool frozen = all && info.st.cgroup && *info.st.cgroup && cgroup_frozen(info.st.cgroup);
	if (all && !(info.st.own_pidns && sig == SIGKILL && !frozen)) {
		/* (SIGKILL to the init of a pid namespace kills all of it.) */
		pid_t *pids = NULL;
		size_t n = 0;
		if ((ret = container_pids(&info.st, &pids, &n, err)) == 0) {
			for (size_t i = 0; i < n; i++)
				if (pids[i] != info.st.pid)
					kill(pids[i], sig);
		}
		free(pids);
	}
	if (ret == 0 && sys_pidfd_send_signal(pidfd, sig) < 0 && !(all && errno == ESRCH))
		ret = errno == ESRCH
		          ? hull_err(err, ESRCH, "container %s: container not running", id)
		          : hull_err_sys(err, errno, "kill container %s", id);
	close(pidfd);
	state_info_free(&info);
	return ret;
}

int hull_container_pids(const char *root, const char *id, pid_t **ret_pids, size_t *ret_n,
                        struct hull_error *err)
{
	struct hull_state_info info;
	int pidfd, r;

	*ret_pids = NULL;
	*ret_n = 0;
	r = load_live(root, id, &info, &pidfd, err);
	if (r == -ESRCH) {
		/* runc: a stopped container has no processes. */
		hull_err_clear(err);
		return 0;
	}
	if (r < 0)
		return r;
	r = container_pids(&info.st, ret_pids, ret_n, err);
	close(pidfd);
	state_info_free(&info);
	return r;
}

int hull_container_pause(const char *root, const char *id, bool pause, struct hull_error *err)
{
	struct hull_state_info info;
	int ret;

	if ((ret = state_id_check(id, err)) < 0)
		return ret;
	_cleanup_close_ int statefd = state_lock(root, id, err);
	if (statefd < 0)
		return statefd;
	if ((ret = state_load(root, id, &info, err)) < 0)
		return ret;
	const char *status = state_status(statefd, &info);
	if (!info.st.cgroup || !*info.st.cgroup)
		ret = hull_err(err, ENOTSUP,
		               "container %s has no cgroup of its own (rootless): cannot %s it", id,
		               pause ? "pause" : "resume");
	else if (pause && strcmp(status, "running") != 0 && strcmp(status, "created") != 0)
		ret = hull_err(err, EINVAL,
		               "container %s is %s: only a running container can be "
		               "paused",
		               id, status);
	else if (!pause && strcmp(status, "paused") != 0)
		ret = hull_err(err, EINVAL, "container %s is %s, not paused", id, status);
	else
		ret = cgroup_freeze(info.st.cgroup, pause, err);
	state_info_free(&info);
	return ret;
}

/* Load and check a live container with a cgroup; `info` to be freed. */
static int load_cgroup(const char *root, const char *id, struct hull_state_info *info,
                       struct hull_error *err)
{
	int pidfd, ret = load_live(root, id, info, &pidfd, err);

	if (ret < 0)
		return ret;
	close(pidfd);
	if (!info->st.cgroup || !*info->st.cgroup) {
		state_info_free(info);
		return hull_err(err, ENOTSUP, "container %s has no cgroup of its own (rootless)",
		                id);
	}
	return 0;
}

int hull_container_update(const char *root, const char *id, const char *name, const char *json,
                          size_t len, struct hull_error *err)
{
	struct hull_state_info info;
	struct hull_spec *spec = NULL;
	struct hull_resources *res = NULL;
	char path[4096];
	int ret;

	if ((ret = load_cgroup(root, id, &info, err)) < 0)
		return ret;
	/* The saved config owns the parsed resources. */
	snprintf(path, sizeof(path), "%s/%s/%s", root, id, STATE_CONFIG);
	if ((ret = hull_spec_load(path, &spec, err)) == 0 &&
	    (ret = hull_resources_load_buffer(name, json, len, spec, &res, err)) == 0)
		ret = cgroup_apply(info.st.cgroup, res, NULL, true, err);
	hull_spec_free(spec);
	state_info_free(&info);
	return ret;
}

int hull_container_events(const char *root, const char *id, bool stats_once, int interval_ms,
                          int (*emit)(const char *line, void *arg), void *arg,
                          struct hull_error *err)
{
	struct hull_state_info info;
	int ret;

	if ((ret = load_cgroup(root, id, &info, err)) < 0)
		return ret;
	int64_t ooms = cgroup_oom_kills(info.st.cgroup);
	for (;;) {
		_cleanup_free_ char *data = NULL, *line = NULL;
		int64_t now = cgroup_oom_kills(info.st.cgroup);
		if (!stats_once && now > ooms && ooms >= 0) {
			json_t *j = json_pack("{s:s, s:s}", "type", "oom", "id", id);
			line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
			json_decref(j);
			if (line && emit(line, arg) < 0)
				break;
			free(line);
			line = NULL;
		}
		ooms = now;
		if ((ret = cgroup_stats(info.st.cgroup, &data, err)) < 0)
			break;
		json_t *d = json_loads(data, 0, NULL);
		json_t *j = json_pack("{s:s, s:s, s:o}", "type", "stats", "id", id, "data",
		                      d ? d : json_object());
		line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(j);
		if (!line || emit(line, arg) < 0 || stats_once)
			break;
		struct timespec ts = {interval_ms / 1000, (long)(interval_ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
		int fd = state_pidfd(info.st.pid, info.st.pid_start);
		if (fd < 0)
			break; /* the container stopped */
		close(fd);
	}
	state_info_free(&info);
	return ret;
}
