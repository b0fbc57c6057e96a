/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* Shared between the cgroup module's files: the host layout and the ops. */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "cgroup.h"
#include "spec/spec_resources.h"

#define CG_ROOT  "/sys/fs/cgroup"
#define MAX_HIER HULL_CGROUP_MAX_HIER

struct hier {
	char dir[PATH_MAX]; /* mount point of the hierarchy */
	char own[PATH_MAX]; /* hull's own cgroup in it (for relative paths) */
	bool v2;
	bool freezer;          /* v1 freezer controller */
	char controllers[128]; /* v1: "cpu,cpuacct", "name=systemd"; v2: "" */
};

struct layout {
	struct hier h[MAX_HIER];
	size_t n;
	const struct cgroup_ops *ops;
};

/* What differs between v1 and v2: the freezer and the resource files. */
struct cgroup_ops {
	const char *name;
	int (*freeze)(const struct layout *l, const char *path, bool freeze,
	              struct hull_error *err);
	bool (*frozen)(const struct layout *l, const char *path);
	int (*apply)(const struct layout *l, const char *path, const struct hull_resources *r,
	             const struct hull_cgroup_devs *devs, bool update, struct hull_error *err);
};

extern const struct cgroup_ops cg_ops_v1, cg_ops_v2;

int cg_layout_load(struct layout *l, struct hull_error *err);
/* The cgroup `path` on hierarchy h. */
void cg_full_path(const struct hier *h, const char *path, char *out, size_t size);

/* v2 device rules: build, load and attach the eBPF program (devices_bpf.c). */
int cg_devices_bpf(const char *dir, const struct hull_resources *r,
                   const struct hull_cgroup_devs *devs, struct hull_error *err);

/* cgroup_apply on a layout already loaded. */
int cg_apply_loaded(const struct layout *l, const char *path, const struct hull_resources *r,
                    const struct hull_cgroup_devs *devs, bool update, struct hull_error *err);

/* The cgroup `path` on the v1 hierarchy that has `controller`; false when none. */
bool cg_v1_dir(const struct layout *l, const char *path, const char *controller, char *out,
               size_t size);

int cg_apply_v1(const struct layout *l, const char *path, const struct hull_resources *r,
                const struct hull_cgroup_devs *devs, bool update, struct hull_error *err);
int cg_apply_v2(const struct layout *l, const char *path, const struct hull_resources *r,
                const struct hull_cgroup_devs *devs, bool update, struct hull_error *err);
