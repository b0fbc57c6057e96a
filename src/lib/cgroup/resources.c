/* SPDX-License-Identifier: Apache-2.0 */
/*
 * linux.resources -> cgroup files. v1 writes each controller's own files; v2
 * converts v1-style values the way runc and crun do:
 *   cpu.weight = 1 + ((shares - 2) * 9999) / 262142          (shares 2..262144)
 *   cpu.max    = "quota period" ("max" for quota -1; period default 100000)
 *   io.weight  = 1 + ((weight - 10) * 9999) / 990             (blkio weight 10..1000)
 *   memory.swap.max = swap - limit (v1's swap is memory+swap; -1 = "max")
 * A field the host cannot take (no such controller or file) is an error that
 * names the field, never a silent skip.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "spec/spec.h"
#include "util/cleanup.h"
#include "util/sys.h"

struct target {
	char dir[PATH_MAX];
	bool ok;
};

static bool v1_dir(const struct layout *l, const char *path, const char *controller,
                   struct target *t)
{
	return t->ok = cg_v1_dir(l, path, controller, t->dir, sizeof(t->dir));
}

/* Write `value` to dir/file; errors name the JSON field. */
static int put(const struct target *t, const char *file, const char *value, const char *field,
               struct hull_error *err)
{
	char p[PATH_MAX + 64];

	if (!t->ok)
		return hull_err(err, ENOTSUP,
		                "linux.resources.%s: the host has no cgroup controller for it",
		                field);
	snprintf(p, sizeof(p), "%s/%s", t->dir, file);
	int r = write_file_at(AT_FDCWD, p, value);
	if (r == -ENOENT)
		return hull_err(err, ENOTSUP,
		                "linux.resources.%s: not supported by this host (no %s)", field,
		                file);
	if (r < 0)
		return hull_err_sys(err, -r, "linux.resources.%s: write \"%s\" to %s", field, value,
		                    p);
	return 0;
}

static int put_i64(const struct target *t, const char *file, int64_t v, const char *field,
                   struct hull_error *err)
{
	char b[32];

	snprintf(b, sizeof(b), "%" PRId64, v);
	return put(t, file, b, field, err);
}

static int64_t read_i64(const struct target *t, const char *file);

/* Write, then read back: the kernel clamps some values (cpu.shares) and
 * ignores others (kmem limits on recent kernels) without an error. */
static int put_checked(const struct target *t, const char *file, int64_t v, const char *field,
                       struct hull_error *err)
{
	int r = put_i64(t, file, v, field, err);

	if (r < 0)
		return r;
	int64_t got = read_i64(t, file);
	if (got != v && !(v < 0 && got == INT64_MAX))
		return hull_err(err, EINVAL,
		                "linux.resources.%s: %" PRId64 " is not accepted by this host (%s "
		                "reads %" PRId64 ")",
		                field, v, file, got);
	return 0;
}

static int64_t read_i64(const struct target *t, const char *file)
{
	char p[PATH_MAX + 64];
	_cleanup_free_ char *v = NULL;

	snprintf(p, sizeof(p), "%s/%s", t->dir, file);
	if (!t->ok || read_file_at(AT_FDCWD, p, 64, &v, NULL) < 0)
		return -1;
	if (strncmp(v, "max", 3) == 0)
		return INT64_MAX;
	return strtoll(v, NULL, 10);
}

static int check_before_update(const struct target *t, const char *usage_file, int64_t limit,
                               struct hull_error *err)
{
	int64_t usage = read_i64(t, usage_file);

	if (limit >= 0 && usage > limit)
		return hull_err(err, EBUSY,
		                "linux.resources.memory.limit: %" PRId64
		                " is below the current usage "
		                "%" PRId64 " (checkBeforeUpdate)",
		                limit, usage);
	return 0;
}

/* ---- v1 ---- */

static int v1_memory(const struct layout *l, const char *path, const struct hull_memory *m,
                     bool update, struct hull_error *err)
{
	struct target t;
	int r = 0;

	if (!m->present)
		return 0;
	v1_dir(l, path, "memory", &t);
	if (update && m->has_check_before_update && m->check_before_update && m->has_limit &&
	    (r = check_before_update(&t, "memory.usage_in_bytes", m->limit, err)) < 0)
		return r;
	/* memsw must stay >= the limit: raise it first when it grows. */
	bool swap_first = m->has_swap && m->has_limit &&
	                  (m->swap == -1 || read_i64(&t, "memory.memsw.limit_in_bytes") < m->swap);
	if (swap_first &&
	    (r = put_i64(&t, "memory.memsw.limit_in_bytes", m->swap, "memory.swap", err)) < 0)
		return r;
	if (m->has_limit &&
	    (r = put_i64(&t, "memory.limit_in_bytes", m->limit, "memory.limit", err)) < 0)
		return r;
	if (m->has_swap && !swap_first &&
	    (r = put_i64(&t, "memory.memsw.limit_in_bytes", m->swap, "memory.swap", err)) < 0)
		return r;
	if (m->has_reservation && (r = put_i64(&t, "memory.soft_limit_in_bytes", m->reservation,
	                                       "memory.reservation", err)) < 0)
		return r;
	if (m->has_kernel && (r = put_checked(&t, "memory.kmem.limit_in_bytes", m->kernel,
	                                      "memory.kernel", err)) < 0)
		return r;
	if (m->has_kernel_tcp && (r = put_checked(&t, "memory.kmem.tcp.limit_in_bytes",
	                                          m->kernel_tcp, "memory.kernelTCP", err)) < 0)
		return r;
	if (m->has_swappiness && (r = put_i64(&t, "memory.swappiness", (int64_t)m->swappiness,
	                                      "memory.swappiness", err)) < 0)
		return r;
	if (m->has_disable_oom_killer &&
	    (r = put(&t, "memory.oom_control", m->disable_oom_killer ? "1" : "0",
	             "memory.disableOOMKiller", err)) < 0)
		return r;
	if (m->has_use_hierarchy && !m->use_hierarchy)
		return hull_err(
		    err, ENOTSUP,
		    "linux.resources.memory.useHierarchy: false is not supported by this "
		    "kernel (always hierarchical)");
	return 0;
}

static int v1_cpu(const struct layout *l, const char *path, const struct hull_cpu *c,
                  struct hull_error *err)
{
	struct target t, cs;
	int r = 0;

	if (!c->present)
		return 0;
	v1_dir(l, path, "cpu", &t);
	v1_dir(l, path, "cpuset", &cs);
	if (c->has_shares &&
	    (r = put_checked(&t, "cpu.shares", (int64_t)c->shares, "cpu.shares", err)) < 0)
		return r;
	if (c->has_period &&
	    (r = put_i64(&t, "cpu.cfs_period_us", (int64_t)c->period, "cpu.period", err)) < 0)
		return r;
	if (c->has_quota && (r = put_i64(&t, "cpu.cfs_quota_us", c->quota, "cpu.quota", err)) < 0)
		return r;
	if (c->has_burst &&
	    (r = put_i64(&t, "cpu.cfs_burst_us", (int64_t)c->burst, "cpu.burst", err)) < 0)
		return r;
	if (c->has_realtime_period &&
	    (r = put_i64(&t, "cpu.rt_period_us", (int64_t)c->realtime_period, "cpu.realtimePeriod",
	                 err)) < 0)
		return r;
	if (c->has_realtime_runtime && (r = put_i64(&t, "cpu.rt_runtime_us", c->realtime_runtime,
	                                            "cpu.realtimeRuntime", err)) < 0)
		return r;
	if (c->has_idle && (r = put_i64(&t, "cpu.idle", c->idle, "cpu.idle", err)) < 0)
		return r;
	if (c->cpus && (r = put(&cs, "cpuset.cpus", c->cpus, "cpu.cpus", err)) < 0)
		return r;
	if (c->mems && (r = put(&cs, "cpuset.mems", c->mems, "cpu.mems", err)) < 0)
		return r;
	return 0;
}

static int throttle(const struct target *t, const char *file, const struct hull_blkio_throttles *v,
                    const char *field, struct hull_error *err)
{
	char b[96];
	int r;

	for (size_t i = 0; i < v->n; i++) {
		snprintf(b, sizeof(b), "%" PRId64 ":%" PRId64 " %" PRIu64, v->v[i].major,
		         v->v[i].minor, v->v[i].rate);
		if ((r = put(t, file, b, field, err)) < 0)
			return r;
	}
	return 0;
}

static int v1_blkio(const struct layout *l, const char *path, const struct hull_blkio *b,
                    struct hull_error *err)
{
	struct target t;
	char buf[96];
	int r;

	if (!b->present)
		return 0;
	v1_dir(l, path, "blkio", &t);
	/* CFQ's blkio.weight, or BFQ's blkio.bfq.weight */
	const char *wf = read_i64(&t, "blkio.weight") < 0 && read_i64(&t, "blkio.bfq.weight") >= 0
	                     ? "blkio.bfq.weight"
	                     : "blkio.weight";
	if (b->has_weight && (r = put_i64(&t, wf, b->weight, "blockIO.weight", err)) < 0)
		return r;
	if (b->has_leaf_weight &&
	    (r = put_i64(&t, "blkio.leaf_weight", b->leaf_weight, "blockIO.leafWeight", err)) < 0)
		return r;
	for (size_t i = 0; i < b->n_weight_devices; i++) {
		const struct hull_blkio_weight_device *d = &b->weight_devices[i];
		if (d->has_weight) {
			snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %u", d->major, d->minor,
			         d->weight);
			if ((r = put(&t, "blkio.weight_device", buf, "blockIO.weightDevice", err)) <
			    0)
				return r;
		}
		if (d->has_leaf_weight) {
			snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %u", d->major, d->minor,
			         d->leaf_weight);
			if ((r = put(&t, "blkio.leaf_weight_device", buf, "blockIO.weightDevice",
			             err)) < 0)
				return r;
		}
	}
	if ((r = throttle(&t, "blkio.throttle.read_bps_device", &b->throttle_read_bps,
	                  "blockIO.throttleReadBpsDevice", err)) < 0 ||
	    (r = throttle(&t, "blkio.throttle.write_bps_device", &b->throttle_write_bps,
	                  "blockIO.throttleWriteBpsDevice", err)) < 0 ||
	    (r = throttle(&t, "blkio.throttle.read_iops_device", &b->throttle_read_iops,
	                  "blockIO.throttleReadIOPSDevice", err)) < 0 ||
	    (r = throttle(&t, "blkio.throttle.write_iops_device", &b->throttle_write_iops,
	                  "blockIO.throttleWriteIOPSDevice", err)) < 0)
		return r;
	return 0;
}

static void dev_rule(const struct hull_device_cgroup *d, char *buf, size_t size)
{
	char maj[24] = "*", min[24] = "*";

	if (d->has_major && d->major >= 0)
		snprintf(maj, sizeof(maj), "%" PRId64, d->major);
	if (d->has_minor && d->minor >= 0)
		snprintf(min, sizeof(min), "%" PRId64, d->minor);
	if (d->type == 'a')
		snprintf(buf, size, "a");
	else
		snprintf(buf, size, "%c %s:%s %s", d->type, maj, min,
		         d->access ? d->access : "rwm");
}

/* What every container may use whatever its rules say (runc's defaults):
 * mknod of any node, the nodes hull makes in /dev, the console, the pty
 * multiplexer and slaves, /dev/net/tun. */
static const char *const default_allow[] = {
    "c *:* m",   "b *:* m",   "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm",   "c 1:8 rwm",
    "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:200 rwm",
};

static int v1_devices(const struct layout *l, const char *path, const struct hull_resources *r,
                      const struct hull_cgroup_devs *devs, struct hull_error *err)
{
	struct target t;
	char rule[96];
	int ret;

	if (!devs && !r->n_devices)
		return 0; /* update without device rules */
	v1_dir(l, path, "devices", &t);
	/* Deny by default (runc): the rules, then what every container needs. */
	if (devs && (ret = put(&t, "devices.deny", "a", "devices", err)) < 0)
		return ret;
	for (size_t i = 0; i < r->n_devices; i++) {
		dev_rule(&r->devices[i], rule, sizeof(rule));
		if ((ret = put(&t, r->devices[i].allow ? "devices.allow" : "devices.deny", rule,
		               "devices", err)) < 0)
			return ret;
	}
	for (size_t i = 0; devs && i < ARRAY_SIZE(default_allow); i++)
		if ((ret = put(&t, "devices.allow", default_allow[i], "devices", err)) < 0)
			return ret;
	for (size_t i = 0; devs && i < devs->n; i++) {
		const struct hull_device *d = &devs->v[i];
		snprintf(rule, sizeof(rule), "%c %" PRId64 ":%" PRId64 " rwm",
		         d->type == 'b' ? 'b' : 'c', d->major, d->minor);
		if ((ret = put(&t, "devices.allow", rule, "devices", err)) < 0)
			return ret;
	}
	return 0;
}

/* rdma.max: "DEVICE [hca_handle=N] [hca_object=N]" */
static void rdma_line(const struct hull_rdma *d, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s", d->device);

	if (d->has_hca_handles)
		n += snprintf(buf + n, size - (size_t)n, " hca_handle=%u", d->hca_handles);
	if (d->has_hca_objects)
		snprintf(buf + n, size - (size_t)n, " hca_object=%u", d->hca_objects);
}

static int v1_others(const struct layout *l, const char *path, const struct hull_resources *r,
                     struct hull_error *err)
{
	struct target t;
	char buf[160];
	int ret;

	if (r->pids.present && r->pids.has_limit) {
		v1_dir(l, path, "pids", &t);
		if (r->pids.limit < 0)
			ret = put(&t, "pids.max", "max", "pids.limit", err);
		else
			ret = put_i64(&t, "pids.max", r->pids.limit, "pids.limit", err);
		if (ret < 0)
			return ret;
	}
	if (r->n_hugepage_limits)
		v1_dir(l, path, "hugetlb", &t);
	for (size_t i = 0; i < r->n_hugepage_limits; i++) {
		snprintf(buf, sizeof(buf), "hugetlb.%s.limit_in_bytes",
		         r->hugepage_limits[i].page_size);
		if ((ret = put_i64(&t, buf, (int64_t)r->hugepage_limits[i].limit, "hugepageLimits",
		                   err)) < 0)
			return ret;
	}
	if (r->network.present && r->network.has_class_id) {
		v1_dir(l, path, "net_cls", &t);
		if ((ret = put_i64(&t, "net_cls.classid", r->network.class_id, "network.classID",
		                   err)) < 0)
			return ret;
	}
	if (r->network.present && r->network.n_priorities)
		v1_dir(l, path, "net_prio", &t);
	for (size_t i = 0; r->network.present && i < r->network.n_priorities; i++) {
		snprintf(buf, sizeof(buf), "%s %u", r->network.priorities[i].name,
		         r->network.priorities[i].priority);
		if ((ret = put(&t, "net_prio.ifpriomap", buf, "network.priorities", err)) < 0)
			return ret;
	}
	if (r->n_rdma)
		v1_dir(l, path, "rdma", &t);
	for (size_t i = 0; i < r->n_rdma; i++) {
		rdma_line(&r->rdma[i], buf, sizeof(buf));
		if ((ret = put(&t, "rdma.max", buf, "rdma", err)) < 0)
			return ret;
	}
	if (r->n_unified)
		return hull_err(err, ENOTSUP,
		                "linux.resources.unified: needs a cgroup v2 host (this one is v1)");
	return 0;
}

int cg_apply_v1(const struct layout *l, const char *path, const struct hull_resources *r,
                const struct hull_cgroup_devs *devs, bool update, struct hull_error *err)
{
	int ret;

	if ((ret = v1_devices(l, path, r, devs, err)) < 0 ||
	    (ret = v1_memory(l, path, &r->memory, update, err)) < 0 ||
	    (ret = v1_cpu(l, path, &r->cpu, err)) < 0 ||
	    (ret = v1_blkio(l, path, &r->blkio, err)) < 0)
		return ret;
	return v1_others(l, path, r, err);
}

/* ---- v2 ---- */

static int v2_memory(const struct target *t, const struct hull_memory *m, bool update,
                     struct hull_error *err)
{
	char b[32];
	int r;

	if (!m->present)
		return 0;
	if (update && m->has_check_before_update && m->check_before_update && m->has_limit &&
	    (r = check_before_update(t, "memory.current", m->limit, err)) < 0)
		return r;
	if (m->has_limit) {
		if (m->limit < 0)
			snprintf(b, sizeof(b), "max");
		else
			snprintf(b, sizeof(b), "%" PRId64, m->limit);
		if ((r = put(t, "memory.max", b, "memory.limit", err)) < 0)
			return r;
	}
	if (m->has_swap) {
		if (m->swap < 0)
			snprintf(b, sizeof(b), "max");
		else if (!m->has_limit || m->limit < 0 || m->swap < m->limit)
			return hull_err(err, EINVAL,
			                "linux.resources.memory.swap: on cgroup v2 it needs a "
			                "memory.limit not above it (swap is memory+swap)");
		else
			snprintf(b, sizeof(b), "%" PRId64, m->swap - m->limit);
		if ((r = put(t, "memory.swap.max", b, "memory.swap", err)) < 0)
			return r;
	}
	if (m->has_reservation) {
		snprintf(b, sizeof(b), "%" PRId64, m->reservation < 0 ? 0 : m->reservation);
		if ((r = put(t, "memory.low", b, "memory.reservation", err)) < 0)
			return r;
	}
	if (m->has_swappiness || (m->has_disable_oom_killer && m->disable_oom_killer) ||
	    m->has_kernel || m->has_kernel_tcp)
		return hull_err(err, ENOTSUP,
		                "linux.resources.memory: swappiness, disableOOMKiller and kernel "
		                "limits do not exist on cgroup v2");
	return 0;
}

static int v2_cpu(const struct target *t, const struct hull_cpu *c, struct hull_error *err)
{
	char b[64];
	int r;

	if (!c->present)
		return 0;
	if (c->has_shares) {
		uint64_t s = c->shares < 2 ? 2 : c->shares > 262144 ? 262144 : c->shares;
		snprintf(b, sizeof(b), "%" PRIu64, 1 + ((s - 2) * 9999) / 262142);
		if ((r = put(t, "cpu.weight", b, "cpu.shares", err)) < 0)
			return r;
	}
	if (c->has_quota || c->has_period) {
		uint64_t period = c->has_period ? c->period : 100000;
		if (c->has_quota && c->quota >= 0)
			snprintf(b, sizeof(b), "%" PRId64 " %" PRIu64, c->quota, period);
		else
			snprintf(b, sizeof(b), "max %" PRIu64, period);
		if ((r = put(t, "cpu.max", b, "cpu.quota", err)) < 0)
			return r;
	}
	if (c->has_burst &&
	    (r = put_i64(t, "cpu.max.burst", (int64_t)c->burst, "cpu.burst", err)) < 0)
		return r;
	if (c->has_idle && (r = put_i64(t, "cpu.idle", c->idle, "cpu.idle", err)) < 0)
		return r;
	if (c->has_realtime_period || c->has_realtime_runtime)
		return hull_err(err, ENOTSUP,
		                "linux.resources.cpu.realtime*: not available on cgroup v2");
	if (c->cpus && (r = put(t, "cpuset.cpus", c->cpus, "cpu.cpus", err)) < 0)
		return r;
	if (c->mems && (r = put(t, "cpuset.mems", c->mems, "cpu.mems", err)) < 0)
		return r;
	return 0;
}

static int v2_io_max(const struct target *t, const struct hull_blkio_throttles *v, const char *key,
                     const char *field, struct hull_error *err)
{
	char b[96];
	int r;

	for (size_t i = 0; i < v->n; i++) {
		snprintf(b, sizeof(b), "%" PRId64 ":%" PRId64 " %s=%" PRIu64, v->v[i].major,
		         v->v[i].minor, key, v->v[i].rate);
		if ((r = put(t, "io.max", b, field, err)) < 0)
			return r;
	}
	return 0;
}

static uint64_t io_weight(uint16_t w)
{
	return 1 + ((uint64_t)(w < 10 ? 10 : w) - 10) * 9999 / 990;
}

static int v2_io(const struct target *t, const struct hull_blkio *b, struct hull_error *err)
{
	char buf[96];
	int r;

	if (!b->present)
		return 0;
	if (b->has_weight &&
	    (r = put_i64(t, "io.weight", (int64_t)io_weight(b->weight), "blockIO.weight", err)) < 0)
		return r;
	if (b->has_leaf_weight)
		return hull_err(err, ENOTSUP,
		                "linux.resources.blockIO.leafWeight: not on cgroup v2");
	for (size_t i = 0; i < b->n_weight_devices; i++) {
		const struct hull_blkio_weight_device *d = &b->weight_devices[i];
		if (!d->has_weight)
			return hull_err(err, ENOTSUP,
			                "linux.resources.blockIO.weightDevice.leafWeight: not on "
			                "cgroup v2");
		snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %" PRIu64, d->major, d->minor,
		         io_weight(d->weight));
		if ((r = put(t, "io.weight", buf, "blockIO.weightDevice", err)) < 0)
			return r;
	}
	if ((r = v2_io_max(t, &b->throttle_read_bps, "rbps", "blockIO.throttleReadBpsDevice",
	                   err)) < 0 ||
	    (r = v2_io_max(t, &b->throttle_write_bps, "wbps", "blockIO.throttleWriteBpsDevice",
	                   err)) < 0 ||
	    (r = v2_io_max(t, &b->throttle_read_iops, "riops", "blockIO.throttleReadIOPSDevice",
	                   err)) < 0 ||
	    (r = v2_io_max(t, &b->throttle_write_iops, "wiops", "blockIO.throttleWriteIOPSDevice",
	                   err)) < 0)
		return r;
	return 0;
}

/* Controllers must be enabled in the subtree_control of every ancestor of
 * the container's cgroup, from the hierarchy's root down. */
static void v2_enable_controllers(const struct hier *h, const char *dir)
{
	char p[PATH_MAX], file[PATH_MAX + 32], *names[32];
	_cleanup_free_ char *avail = NULL;
	size_t n = 0;

	snprintf(file, sizeof(file), "%s/cgroup.controllers", h->dir);
	if (read_file_at(AT_FDCWD, file, 4096, &avail, NULL) < 0)
		return;
	for (char *save, *c = strtok_r(avail, " \n", &save); c && n < 32;
	     c = strtok_r(NULL, " \n", &save))
		names[n++] = c;
	snprintf(p, sizeof(p), "%s", dir);
	char *leaf = strrchr(p, '/');
	for (char *s = p + strlen(h->dir); s && s <= leaf; s = strchr(s + 1, '/')) {
		char saved = *s;
		*s = '\0';
		snprintf(file, sizeof(file), "%s/cgroup.subtree_control", p);
		*s = saved;
		for (size_t i = 0; i < n; i++) {
			char v[64];
			snprintf(v, sizeof(v), "+%s", names[i]);
			write_file_at(AT_FDCWD, file, v);
		}
	}
}

int cg_apply_v2(const struct layout *l, const char *path, const struct hull_resources *r,
                const struct hull_cgroup_devs *devs, bool update, struct hull_error *err)
{
	struct target t = {.ok = false};
	char buf[160];
	int ret;

	for (size_t i = 0; i < l->n; i++)
		if (l->h[i].v2) {
			cg_full_path(&l->h[i], path, t.dir, sizeof(t.dir));
			t.ok = true;
			if (!update)
				v2_enable_controllers(&l->h[i], t.dir);
		}
	if ((ret = v2_memory(&t, &r->memory, update, err)) < 0 ||
	    (ret = v2_cpu(&t, &r->cpu, err)) < 0 || (ret = v2_io(&t, &r->blkio, err)) < 0)
		return ret;
	if (r->pids.present && r->pids.has_limit) {
		ret = r->pids.limit < 0 ? put(&t, "pids.max", "max", "pids.limit", err)
		                        : put_i64(&t, "pids.max", r->pids.limit, "pids.limit", err);
		if (ret < 0)
			return ret;
	}
	for (size_t i = 0; i < r->n_hugepage_limits; i++) {
		snprintf(buf, sizeof(buf), "hugetlb.%s.max", r->hugepage_limits[i].page_size);
		if ((ret = put_i64(&t, buf, (int64_t)r->hugepage_limits[i].limit, "hugepageLimits",
		                   err)) < 0)
			return ret;
	}
	if (r->network.present && (r->network.has_class_id || r->network.n_priorities))
		return hull_err(
		    err, ENOTSUP,
		    "linux.resources.network: net_cls/net_prio do not exist on cgroup v2");
	for (size_t i = 0; i < r->n_rdma; i++) {
		rdma_line(&r->rdma[i], buf, sizeof(buf));
		if ((ret = put(&t, "rdma.max", buf, "rdma", err)) < 0)
			return ret;
	}
	for (size_t i = 0; i < r->n_unified; i++) {
		snprintf(buf, sizeof(buf), "unified.%s", r->unified[i].key);
		if ((ret = put(&t, r->unified[i].key, r->unified[i].value, buf, err)) < 0)
			return ret;
	}
	/* devices: an eBPF program (on create; update does not change them) */
	if (devs && t.ok)
		return cg_devices_bpf(t.dir, r, devs, err);
	return 0;
}

int cg_apply_loaded(const struct layout *l, const char *path, const struct hull_resources *r,
                    const struct hull_cgroup_devs *devs, bool update, struct hull_error *err)
{
	static const struct hull_resources none;

	if (!r && !devs)
		return 0;
	return l->ops->apply(l, path, r ? r : &none, devs, update, err); /* none: default devices */
}

int cgroup_apply(const char *path, const struct hull_resources *r,
                 const struct hull_cgroup_devs *devs, bool update, struct hull_error *err)
{
	struct layout l;
	int ret;

	if (!r && !devs)
		return 0;
	if ((ret = cg_layout_load(&l, err)) < 0)
		return ret;
	return cg_apply_loaded(&l, path, r, devs, update, err);
}
