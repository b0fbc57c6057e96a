/* SPDX-License-Identifier: Apache-2.0 */
/* Statistics in runc's `events` shape (cpu, memory, pids, blkio, hugetlb),
 * read from whichever layout the host has; and the OOM-kill counter. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "util/cleanup.h"
#include "util/sys.h"

static char *slurp(const char *dir, const char *file)
{
	char p[PATH_MAX + 64];
	char *buf = NULL;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	if (read_file_at(AT_FDCWD, p, 1 << 20, &buf, NULL) < 0)
		return NULL;
	return buf;
}

/* A number file ("max" = 0 as runc reports unlimited pids), -1 when absent. */
static json_int_t num(const char *dir, const char *file)
{
	_cleanup_free_ char *v = slurp(dir, file);

	if (!v)
		return -1;
	if (strncmp(v, "max", 3) == 0)
		return 0;
	return (json_int_t)strtoull(v, NULL, 10);
}

/* "key value" lines -> value of key, -1 when absent. */
static json_int_t keyed(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, key, n) == 0 && l[n] == ' ')
			return (json_int_t)strtoull(l + n + 1, NULL, 10);
	return -1;
}

static json_t *raw_stat(const char *text)
{
	json_t *o = json_object();
	char key[128];
	unsigned long long v;

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (sscanf(l, "%127s %llu", key, &v) == 2)
			json_object_set_new(o, key, json_integer((json_int_t)v));
	return o;
}

static const char *v1_dir(const struct layout *l, const char *path, const char *ctrl, char *out,
                          size_t size)
{
	return cg_v1_dir(l, path, ctrl, out, size) ? out : NULL;
}

static json_t *percpu(const char *text)
{
	json_t *a = json_array();

	for (char *p = (char *)text, *end; p && *p; p = end) {
		unsigned long long v = strtoull(p, &end, 10);
		if (end == p)
			break;
		json_array_append_new(a, json_integer((json_int_t)v));
	}
	return a;
}

static json_t *blkio_entries(const char *text)
{
	json_t *a = json_array();
	unsigned maj, min;
	char op[32];
	unsigned long long v;

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (sscanf(l, "%u:%u %31s %llu", &maj, &min, op, &v) == 4)
			json_array_append_new(a, json_pack("{s:i, s:i, s:s, s:I}", "major", maj,
			                                   "minor", min, "op", op, "value",
			                                   (json_int_t)v));
	return a;
}

static json_t *stats_v1(const struct layout *l, const char *path)
{
	char d[PATH_MAX];
	json_t *data = json_object();

	if (v1_dir(l, path, "cpuacct", d, sizeof(d))) {
		_cleanup_free_ char *pc = slurp(d, "cpuacct.usage_percpu");
		_cleanup_free_ char *st = slurp(d, "cpuacct.stat");
		json_t *usage =
		    json_pack("{s:I, s:o}", "total", num(d, "cpuacct.usage"), "percpu", percpu(pc));
		/* cpuacct.stat is in clock ticks; runc reports nanoseconds */
		long hz = sysconf(_SC_CLK_TCK);
		if (st && hz > 0) {
			json_object_set_new(usage, "kernel",
			                    json_integer(keyed(st, "system") * (1000000000 / hz)));
			json_object_set_new(usage, "user",
			                    json_integer(keyed(st, "user") * (1000000000 / hz)));
		}
		json_t *cpu = json_pack("{s:o}", "usage", usage);
		if (v1_dir(l, path, "cpu", d, sizeof(d))) {
			_cleanup_free_ char *cs = slurp(d, "cpu.stat");
			if (cs)
				json_object_set_new(
				    cpu, "throttling",
				    json_pack("{s:I, s:I, s:I}", "periods", keyed(cs, "nr_periods"),
				              "throttledPeriods", keyed(cs, "nr_throttled"),
				              "throttledTime", keyed(cs, "throttled_time")));
		}
		json_object_set_new(data, "cpu", cpu);
	}
	if (v1_dir(l, path, "memory", d, sizeof(d))) {
		_cleanup_free_ char *ms = slurp(d, "memory.stat");
		json_t *mem = json_pack(
		    "{s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I}}", "usage", "limit",
		    num(d, "memory.limit_in_bytes"), "usage", num(d, "memory.usage_in_bytes"),
		    "max", num(d, "memory.max_usage_in_bytes"), "failcnt", num(d, "memory.failcnt"),
		    "swap", "limit", num(d, "memory.memsw.limit_in_bytes"), "usage",
		    num(d, "memory.memsw.usage_in_bytes"), "max",
		    num(d, "memory.memsw.max_usage_in_bytes"), "failcnt",
		    num(d, "memory.memsw.failcnt"));
		if (ms)
			json_object_set_new(mem, "raw", raw_stat(ms));
		json_object_set_new(data, "memory", mem);
	}
	if (v1_dir(l, path, "pids", d, sizeof(d)))
		json_object_set_new(data, "pids",
		                    json_pack("{s:I, s:I}", "current", num(d, "pids.current"),
		                              "limit", num(d, "pids.max")));
	if (v1_dir(l, path, "blkio", d, sizeof(d))) {
		_cleanup_free_ char *b = slurp(d, "blkio.throttle.io_service_bytes_recursive");
		_cleanup_free_ char *o = slurp(d, "blkio.throttle.io_serviced_recursive");
		json_object_set_new(data, "blkio",
		                    json_pack("{s:o, s:o}", "ioServiceBytesRecursive",
		                              blkio_entries(b), "ioServicedRecursive",
		                              blkio_entries(o)));
	}
	json_t *h = json_object();
	json_object_set_new(data, "hugetlb", h);
	if (v1_dir(l, path, "hugetlb", d, sizeof(d))) {
		static const char *const sizes[] = {"2MB", "1GB"};
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			char u[64], m[64], f[64];
			snprintf(u, sizeof(u), "hugetlb.%s.usage_in_bytes", sizes[i]);
			snprintf(m, sizeof(m), "hugetlb.%s.max_usage_in_bytes", sizes[i]);
			snprintf(f, sizeof(f), "hugetlb.%s.failcnt", sizes[i]);
			if (num(d, u) >= 0)
				json_object_set_new(h, sizes[i],
				                    json_pack("{s:I, s:I, s:I}", "usage", num(d, u),
				                              "max", num(d, m), "failcnt",
				                              num(d, f)));
		}
	}
	return data;
}

static json_t *stats_v2(const struct layout *l, const char *path)
{
	char d[PATH_MAX] = "";
	json_t *data = json_object();

	for (size_t i = 0; i < l->n; i++)
		if (l->h[i].v2)
			cg_full_path(&l->h[i], path, d, sizeof(d));
	_cleanup_free_ char *cs = slurp(d, "cpu.stat");
	if (cs)
		json_object_set_new(data, "cpu",
		                    json_pack("{s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I}}", "usage",
		                              "total", keyed(cs, "usage_usec") * 1000, "kernel",
		                              keyed(cs, "system_usec") * 1000, "user",
		                              keyed(cs, "user_usec") * 1000, "throttling",
		                              "periods", keyed(cs, "nr_periods"),
		                              "throttledPeriods", keyed(cs, "nr_throttled"),
		                              "throttledTime", keyed(cs, "throttled_usec") * 1000));
	_cleanup_free_ char *ms = slurp(d, "memory.stat");
	_cleanup_free_ char *me = slurp(d, "memory.events");
	if (ms)
		json_object_set_new(
		    data, "memory",
		    json_pack("{s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I}, s:o}", "usage", "limit",
		              num(d, "memory.max"), "usage", num(d, "memory.current"), "max",
		              num(d, "memory.peak"), "failcnt", me ? keyed(me, "max") : -1, "swap",
		              "limit", num(d, "memory.swap.max"), "usage",
		              num(d, "memory.swap.current"), "raw", raw_stat(ms)));
	if (num(d, "pids.current") >= 0)
		json_object_set_new(data, "pids",
		                    json_pack("{s:I, s:I}", "current", num(d, "pids.current"),
		                              "limit", num(d, "pids.max")));
	/* io.stat "MAJ:MIN rbytes=.. wbytes=.. rios=.. wios=.." as runc's blkio lists */
	_cleanup_free_ char *io = slurp(d, "io.stat");
	json_t *bytes = json_array(), *ios = json_array();
	for (const char *l = io; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		unsigned maj, min;
		unsigned long long rb = 0, wb = 0, ri = 0, wi = 0;
		if (sscanf(l, "%u:%u rbytes=%llu wbytes=%llu rios=%llu wios=%llu", &maj, &min, &rb,
		           &wb, &ri, &wi) < 2)
			continue;
		json_array_append_new(bytes,
		                      json_pack("{s:i, s:i, s:s, s:I}", "major", maj, "minor", min,
		                                "op", "Read", "value", (json_int_t)rb));
		json_array_append_new(bytes,
		                      json_pack("{s:i, s:i, s:s, s:I}", "major", maj, "minor", min,
		                                "op", "Write", "value", (json_int_t)wb));
		json_array_append_new(ios, json_pack("{s:i, s:i, s:s, s:I}", "major", maj, "minor",
		                                     min, "op", "Read", "value", (json_int_t)ri));
		json_array_append_new(ios, json_pack("{s:i, s:i, s:s, s:I}", "major", maj, "minor",
		                                     min, "op", "Write", "value", (json_int_t)wi));
	}
	json_object_set_new(
	    data, "blkio",
	    json_pack("{s:o, s:o}", "ioServiceBytesRecursive", bytes, "ioServicedRecursive", ios));
	json_t *h = json_object();
	static const char *const sizes[] = {"2MB", "1GB"};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char cur[64], ev[64];
		snprintf(cur, sizeof(cur), "hugetlb.%s.current", sizes[i]);
		snprintf(ev, sizeof(ev), "hugetlb.%s.events", sizes[i]);
		_cleanup_free_ char *e = slurp(d, ev);
		if (num(d, cur) >= 0)
			json_object_set_new(h, sizes[i],
			                    json_pack("{s:I, s:I}", "usage", num(d, cur), "failcnt",
			                              e ? keyed(e, "max") : 0));
	}
	json_object_set_new(data, "hugetlb", h);
	return data;
}

int cgroup_stats(const char *path, char **ret_json, struct hull_error *err)
{
	struct layout l;
	int r;

	if ((r = cg_layout_load(&l, err)) < 0)
		return r;
	json_t *data = l.ops == &cg_ops_v2 ? stats_v2(&l, path) : stats_v1(&l, path);
	*ret_json = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(data);
	return *ret_json ? 0 : hull_err(err, ENOMEM, "encode statistics");
}

int64_t cgroup_oom_kills(const char *path)
{
	struct layout l;
	struct hull_error ignored;
	char d[PATH_MAX];
	_cleanup_free_ char *t = NULL;

	if (cg_layout_load(&l, &ignored) < 0)
		return -1;
	if (l.ops == &cg_ops_v2) {
		for (size_t i = 0; i < l.n; i++)
			if (l.h[i].v2)
				cg_full_path(&l.h[i], path, d, sizeof(d));
		t = slurp(d, "memory.events");
	} else if (v1_dir(&l, path, "memory", d, sizeof(d))) {
		t = slurp(d, "memory.oom_control");
	}
	return t ? keyed(t, "oom_kill") : -1;
}
