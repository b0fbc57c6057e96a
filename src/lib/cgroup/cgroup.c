/* SPDX-License-Identifier: Apache-2.0 */
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "util/cleanup.h"
#include "util/sys.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

void cg_full_path(const struct hier *h, const char *path, char *out, size_t size)
{
	if (path[0] == '/')
		snprintf(out, size, "%s%s", h->dir, path);
	else
		snprintf(out, size, "%s%s/%s", h->dir, strcmp(h->own, "/") ? h->own : "", path);
}

/* The mount point of a v1 hierarchy named by its /proc/self/cgroup field. */
static bool v1_dir(const char *controllers, char *out, size_t size)
{
	struct statfs sf;
	char names[256];

	if (strncmp(controllers, "name=", 5) == 0)
		controllers += 5;
	snprintf(out, size, CG_ROOT "/%s", controllers);
	if (statfs(out, &sf) == 0)
		return true;
	/* "cpu,cpuacct" may be mounted under either name */
	snprintf(names, sizeof(names), "%s", controllers);
	for (char *save, *c = strtok_r(names, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		snprintf(out, size, CG_ROOT "/%s", c);
		if (statfs(out, &sf) == 0)
			return true;
	}
	return false;
}

int cg_layout_load(struct layout *l, struct hull_error *err)
{
	struct statfs sf;
	_cleanup_free_ char *self = NULL;
	int ret;

	memset(l, 0, sizeof(*l));
	if (statfs(CG_ROOT, &sf) < 0)
		return hull_err_sys(err, errno, "statfs " CG_ROOT);
	bool unified = sf.f_type == CGROUP2_SUPER_MAGIC;
	l->ops = unified ? &cg_ops_v2 : &cg_ops_v1;
	if ((ret = read_file_at(AT_FDCWD, "/proc/self/cgroup", 1 << 16, &self, NULL)) < 0)
		return hull_err_sys(err, -ret, "read /proc/self/cgroup");
	for (char *save, *line = strtok_r(self, "\n", &save); line && l->n < MAX_HIER;
	     line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		struct hier *h = &l->h[l->n];
		const char *controllers = c1 + 1;
		snprintf(h->own, sizeof(h->own), "%s", c2 + 1);
		if (!*controllers) {
			h->v2 = true;
			snprintf(h->dir, sizeof(h->dir), "%s",
			         unified ? CG_ROOT : CG_ROOT "/unified");
			if (statfs(h->dir, &sf) < 0 || sf.f_type != CGROUP2_SUPER_MAGIC)
				continue; /* hybrid without the cgroup2 mount */
		} else if (unified || !v1_dir(controllers, h->dir, sizeof(h->dir))) {
			continue;
		}
		h->freezer = !h->v2 && strstr(controllers, "freezer") != NULL;
		snprintf(h->controllers, sizeof(h->controllers), "%s", h->v2 ? "" : controllers);
		l->n++;
	}
	if (l->n == 0)
		return hull_err(err, ENOENT, "no cgroup hierarchy found under " CG_ROOT);
	return 0;
}

int cgroup_path_for(const char *cgroups_path, const char *id, char out[HULL_CGROUP_PATH_MAX],
                    struct hull_error *err)
{
	char buf[HULL_CGROUP_PATH_MAX];
	size_t n = 0;

	if (!cgroups_path || !*cgroups_path) {
		snprintf(out, HULL_CGROUP_PATH_MAX, "/hull/%s", id);
		return 0;
	}
	if (strchr(cgroups_path, ':'))
		return hull_err(
		    err, EINVAL,
		    "linux.cgroupsPath \"%s\": the systemd form (slice:prefix:name) needs "
		    "--systemd-cgroup, which is not supported yet",
		    cgroups_path);
	/* Normalize: no empty or "." components, ".." refused. */
	snprintf(buf, sizeof(buf), "%s", cgroups_path);
	out[0] = '\0';
	if (cgroups_path[0] == '/')
		out[n++] = '/', out[n] = '\0';
	for (char *save, *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0)
			return hull_err(err, EINVAL,
			                "linux.cgroupsPath \"%s\": \"..\" is not allowed",
			                cgroups_path);
		int w = snprintf(out + n, HULL_CGROUP_PATH_MAX - n, "%s%s",
		                 n && out[n - 1] != '/' ? "/" : "", c);
		if (w < 0 || (size_t)w >= HULL_CGROUP_PATH_MAX - n)
			return hull_err(err, ENAMETOOLONG, "linux.cgroupsPath is too long");
		n += (size_t)w;
	}
	if (n == 0 || strcmp(out, "/") == 0)
		return hull_err(err, EINVAL,
		                "linux.cgroupsPath \"%s\": the root cgroup cannot be a container's",
		                cgroups_path);
	return 0;
}

static void cpuset_inherit(const char *dir);

/* mkdir -p below the hierarchy's mount point `base`; every v1 cpuset level
 * with empty cpus or mems gets its parent's (it is unusable without them). */
static int mkdir_p(char *path, size_t base, bool cpuset)
{
	for (char *p = path + base + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int r = mkdir(path, 0755) < 0 ? errno : 0;
		if ((r == 0 || r == EEXIST) && cpuset)
			cpuset_inherit(path); /* also one an older run left empty */
		*p = '/';
		if (r != 0 && r != EEXIST)
			return -r;
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (cpuset)
		cpuset_inherit(path);
	return 0;
}

/* v1: a new cgroup inherits nothing for cpuset until cpus and mems are set. */
static void cpuset_inherit(const char *dir)
{
	static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
	char parent[PATH_MAX], file[PATH_MAX + 16];

	snprintf(parent, sizeof(parent), "%s", dir);
	char *slash = strrchr(parent, '/');
	if (!slash)
		return;
	*slash = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *cur = NULL, *val = NULL;
		snprintf(file, sizeof(file), "%s/%s", dir, files[i]);
		if (read_file_at(AT_FDCWD, file, 4096, &cur, NULL) < 0 ||
		    (cur[0] && cur[0] != '\n'))
			continue;
		snprintf(file, sizeof(file), "%s/%s", parent, files[i]);
		if (read_file_at(AT_FDCWD, file, 4096, &val, NULL) < 0)
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, files[i]);
		write_file_at(AT_FDCWD, file, val);
	}
}

bool cg_v1_dir(const struct layout *l, const char *path, const char *controller, char *out,
               size_t size)
{
	for (size_t i = 0; i < l->n; i++) {
		char names[sizeof(l->h[i].controllers)];
		if (l->h[i].v2)
			continue;
		snprintf(names, sizeof(names), "%s", l->h[i].controllers);
		for (char *s, *c = strtok_r(names, ",", &s); c; c = strtok_r(NULL, ",", &s))
			if (strcmp(c, controller) == 0) {
				cg_full_path(&l->h[i], path, out, size);
				return true;
			}
	}
	return false;
}

void cgroup_fds_init(struct hull_cgroup_fds *fds)
{
	fds->n = 0;
	fds->v2dir = fds->v2procs = -1;
	fds->born_in_v2 = false;
}

void cgroup_fds_close(struct hull_cgroup_fds *fds)
{
	for (size_t i = 0; i < fds->n; i++)
		close(fds->tasks[i]);
	if (fds->v2dir >= 0)
		close(fds->v2dir);
	if (fds->v2procs >= 0)
		close(fds->v2procs);
	cgroup_fds_init(fds);
}

int cgroup_open(const char *path, bool create, const struct hull_resources *res,
                const struct hull_cgroup_devs *devs, struct hull_cgroup_fds *fds,
                struct hull_error *err)
{
	struct layout l;
	char dir[PATH_MAX], file[PATH_MAX + 16];
	int ret;

	cgroup_fds_init(fds);
	if ((ret = cg_layout_load(&l, err)) < 0)
		return ret;
	for (size_t i = 0; i < l.n; i++) {
		const struct hier *h = &l.h[i];
		cg_full_path(h, path, dir, sizeof(dir));
		bool cpuset = !h->v2 && strcmp(h->dir, CG_ROOT "/cpuset") == 0;
		if (create && (ret = mkdir_p(dir, strlen(h->dir), cpuset)) < 0)
			return hull_err_sys(err, -ret, "create cgroup %s", dir);
		if (h->v2) {
			fds->v2dir = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fds->v2dir < 0)
				return hull_err_sys(err, errno, "open cgroup %s", dir);
			snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
			fds->v2procs = open(file, O_WRONLY | O_CLOEXEC);
			if (fds->v2procs < 0)
				return hull_err_sys(err, errno, "open %s", file);
			continue;
		}
		snprintf(file, sizeof(file), "%s/tasks", dir);
		int fd = open(file, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return hull_err_sys(err, errno, "open %s", file);
		fds->tasks[fds->n++] = fd;
	}
	/* Limits before the process exists: it is born limited. */
	if (create && (res || devs) && (ret = cg_apply_loaded(&l, path, res, devs, false, err)) < 0)
		return ret;
	return 0;
}

int cgroup_join_self(const struct hull_cgroup_fds *fds, struct hull_error *err)
{
	for (size_t i = 0; i < fds->n; i++)
		if (write(fds->tasks[i], "0", 1) != 1)
			return hull_err_sys(err, errno, "join the container's cgroup");
	if (!fds->born_in_v2 && fds->v2procs >= 0 && write(fds->v2procs, "0", 1) != 1)
		return hull_err_sys(err, errno, "join the container's cgroup");
	return 0;
}

/* Poll `file` until it reads `want` (the freezer acts asynchronously). */
static int wait_for(const char *file, const char *want, struct hull_error *err)
{
	for (int i = 0; i < 2000; i++) {
		_cleanup_free_ char *v = NULL;
		if (read_file_at(AT_FDCWD, file, 4096, &v, NULL) == 0 && strstr(v, want))
			return 0;
		struct timespec ts = {0, 5 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return hull_err(err, ETIMEDOUT, "%s did not become %s within 10 s", file, want);
}

static const struct hier *find(const struct layout *l, bool v2, bool freezer)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->h[i].v2 == v2 && (!freezer || l->h[i].freezer))
			return &l->h[i];
	return NULL;
}

static int v1_freeze(const struct layout *l, const char *path, bool freeze, struct hull_error *err)
{
	const struct hier *h = find(l, false, true);
	char file[PATH_MAX + 32], dir[PATH_MAX];
	int ret;

	if (!h)
		return hull_err(err, ENOTSUP, "no freezer cgroup hierarchy on this host");
	cg_full_path(h, path, dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/freezer.state", dir);
	if ((ret = write_file_at(AT_FDCWD, file, freeze ? "FROZEN" : "THAWED")) < 0)
		return hull_err_sys(err, -ret, "write %s", file);
	return wait_for(file, freeze ? "FROZEN" : "THAWED", err);
}

static bool v1_frozen(const struct layout *l, const char *path)
{
	const struct hier *h = find(l, false, true);
	char file[PATH_MAX + 32], dir[PATH_MAX];
	_cleanup_free_ char *v = NULL;

	if (!h)
		return false;
	cg_full_path(h, path, dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/freezer.state", dir);
	return read_file_at(AT_FDCWD, file, 64, &v, NULL) == 0 && strncmp(v, "FROZEN", 6) == 0;
}

static int v2_freeze(const struct layout *l, const char *path, bool freeze, struct hull_error *err)
{
	const struct hier *h = find(l, true, false);
	char file[PATH_MAX + 32], dir[PATH_MAX];
	int ret;

	if (!h)
		return hull_err(err, ENOTSUP, "no cgroup2 hierarchy on this host");
	cg_full_path(h, path, dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/cgroup.freeze", dir);
	if ((ret = write_file_at(AT_FDCWD, file, freeze ? "1" : "0")) < 0)
		return hull_err_sys(err, -ret, "write %s", file);
	snprintf(file, sizeof(file), "%s/cgroup.events", dir);
	return wait_for(file, freeze ? "frozen 1" : "frozen 0", err);
}

static bool v2_frozen(const struct layout *l, const char *path)
{
	const struct hier *h = find(l, true, false);
	char file[PATH_MAX + 32], dir[PATH_MAX];
	_cleanup_free_ char *v = NULL;

	if (!h)
		return false;
	cg_full_path(h, path, dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/cgroup.events", dir);
	return read_file_at(AT_FDCWD, file, 4096, &v, NULL) == 0 && strstr(v, "frozen 1");
}

const struct cgroup_ops cg_ops_v1 = {"v1", v1_freeze, v1_frozen, cg_apply_v1};
const struct cgroup_ops cg_ops_v2 = {"v2", v2_freeze, v2_frozen, cg_apply_v2};

int cgroup_freeze(const char *path, bool freeze, struct hull_error *err)
{
	struct layout l;
	int ret = cg_layout_load(&l, err);

	return ret < 0 ? ret : l.ops->freeze(&l, path, freeze, err);
}

bool cgroup_frozen(const char *path)
{
	struct layout l;
	struct hull_error ignored;

	return cg_layout_load(&l, &ignored) == 0 && l.ops->frozen(&l, path);
}

static int read_pids(const struct hier *h, const char *path, pid_t **ret, size_t *ret_n)
{
	char file[PATH_MAX + 16], dir[PATH_MAX];
	_cleanup_free_ char *buf = NULL;
	size_t n = 0, cap = 0;
	pid_t *v = NULL;

	cg_full_path(h, path, dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
	int r = read_file_at(AT_FDCWD, file, 16 << 20, &buf, NULL);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	for (char *save, *t = strtok_r(buf, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
		if (n == cap) {
			pid_t *g = realloc(v, (cap = cap ? cap * 2 : 32) * sizeof(*v));
			if (!g) {
				free(v);
				return -ENOMEM;
			}
			v = g;
		}
		v[n++] = (pid_t)atoi(t);
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

int cgroup_pids(const char *path, pid_t **ret, size_t *ret_n, struct hull_error *err)
{
	struct layout l;
	int r;

	*ret = NULL;
	*ret_n = 0;
	if ((r = cg_layout_load(&l, err)) < 0)
		return r;
	/* Any hierarchy holds every member; prefer v2, else the first. */
	const struct hier *h = find(&l, true, false);
	if ((r = read_pids(h ? h : &l.h[0], path, ret, ret_n)) < 0)
		return hull_err_sys(err, -r, "read the processes of cgroup %s", path);
	return 0;
}

static int remove_dirs(const struct layout *l, const char *path)
{
	char dir[PATH_MAX];
	int ret = 0;

	for (size_t i = 0; i < l->n; i++) {
		cg_full_path(&l->h[i], path, dir, sizeof(dir));
		/* An exiting process may keep it busy for a moment. */
		for (int tries = 0; rmdir(dir) < 0 && errno == EBUSY && tries < 200; tries++) {
			struct timespec ts = {0, 5 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		if (access(dir, F_OK) == 0)
			ret = -EBUSY;
	}
	return ret;
}

int cgroup_destroy(const char *path, struct hull_error *err)
{
	struct layout l;
	pid_t *pids = NULL;
	size_t n = 0;
	int r;

	if ((r = cg_layout_load(&l, err)) < 0)
		return r;
	const struct hier *h = find(&l, true, false);
	if (read_pids(h ? h : &l.h[0], path, &pids, &n) == 0 && n) {
		for (size_t i = 0; i < n; i++)
			kill(pids[i], SIGKILL);
		if (l.ops->frozen(&l, path))
			l.ops->freeze(&l, path, false, err);
	}
	free(pids);
	if (remove_dirs(&l, path) < 0)
		return hull_err(err, EBUSY, "remove cgroup %s: still busy", path);
	return 0;
}
