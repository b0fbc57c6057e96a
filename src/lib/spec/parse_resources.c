/* SPDX-License-Identifier: Apache-2.0 */
/* linux.resources (config-linux.md "Control groups"). */
#include "internal.h"
#include "spec_resources.h"

#include <errno.h>
#include <string.h>

#define NFIELDS(f) (sizeof(f) / sizeof((f)[0]))

/* Parse each element of array `v` (already checked to be an array) as an
 * object with `fields` into a fresh arena array of elements of `size`. */
static int parse_object_array(struct spec_ctx *c, json_t *v, const struct jpath *p,
                              const struct field *fields, size_t nfields, size_t size, void **ret,
                              size_t *ret_n)
{
	size_t i, n = json_array_size(v);
	char *arr;
	json_t *e;
	int r;

	arr = spec_alloc(c, n, size);
	if (!arr)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		struct jpath ep = JP_IDX(p, i);

		r = sv_object(c, e, &ep);
		if (r == 0)
			r = sj_fields(c, e, &ep, fields, nfields, arr + i * size);
		if (r < 0)
			return r;
	}
	*ret = arr;
	*ret_n = n;
	return 0;
}

static int parse_device_rules(struct spec_ctx *c, json_t *v, const struct jpath *p,
                              struct hull_resources *res)
{
	static const struct field fields[] = {
	    FLD_REQ("allow", F_BOOL, struct hull_device_cgroup, allow),
	    FLD_HAS("major", F_I64, struct hull_device_cgroup, major, has_major),
	    FLD_HAS("minor", F_I64, struct hull_device_cgroup, minor, has_minor),
	    FLD("access", F_STR, struct hull_device_cgroup, access),
	};
	size_t i;
	json_t *e;
	int r;

	r = parse_object_array(c, v, p, fields, NFIELDS(fields), sizeof(*res->devices),
	                       (void **)&res->devices, &res->n_devices);
	if (r < 0)
		return r;
	json_array_foreach(v, i, e)
	{
		struct jpath ep = JP_IDX(p, i), tp = JP_KEY(&ep, "type");
		json_t *t = sj_get(e, "type");
		const char *type = "a";

		if (t && (r = sv_string(c, t, &tp, &type)) < 0)
			return r;
		if (strlen(type) != 1 || !strchr("acb", type[0]))
			return spec_error(c, &tp, "unknown device type \"%s\" (expected a, c or b)",
			                  type);
		res->devices[i].type = type[0];
	}
	return 0;
}

static int parse_memory(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_memory *m)
{
#define M(k, t, f) FLD_HAS(k, t, struct hull_memory, f, has_##f)
	static const struct field fields[] = {
	    M("limit", F_I64, limit),
	    M("reservation", F_I64, reservation),
	    M("swap", F_I64, swap),
	    M("kernel", F_I64, kernel),
	    M("kernelTCP", F_I64, kernel_tcp),
	    M("swappiness", F_U64, swappiness),
	    M("disableOOMKiller", F_BOOL, disable_oom_killer),
	    M("useHierarchy", F_BOOL, use_hierarchy),
	    M("checkBeforeUpdate", F_BOOL, check_before_update),
	};
#undef M
	int r = sv_object(c, v, p);

	if (r == 0)
		r = sj_fields(c, v, p, fields, NFIELDS(fields), m);
	m->present = r == 0;
	return r;
}

static int parse_cpu(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_cpu *cpu)
{
#define C(k, t, f) FLD_HAS(k, t, struct hull_cpu, f, has_##f)
	static const struct field fields[] = {
	    C("shares", F_U64, shares),
	    C("quota", F_I64, quota),
	    C("burst", F_U64, burst),
	    C("period", F_U64, period),
	    C("realtimeRuntime", F_I64, realtime_runtime),
	    C("realtimePeriod", F_U64, realtime_period),
	    C("idle", F_I64, idle),
	    FLD("cpus", F_STR, struct hull_cpu, cpus),
	    FLD("mems", F_STR, struct hull_cpu, mems),
	};
#undef C
	int r = sv_object(c, v, p);

	if (r == 0)
		r = sj_fields(c, v, p, fields, NFIELDS(fields), cpu);
	cpu->present = r == 0;
	return r;
}

static int parse_throttles(struct spec_ctx *c, json_t *obj, const struct jpath *p, const char *key,
                           struct hull_blkio_throttles *t)
{
	static const struct field fields[] = {
	    FLD_REQ("major", F_I64, struct hull_blkio_throttle_device, major),
	    FLD_REQ("minor", F_I64, struct hull_blkio_throttle_device, minor),
	    FLD_REQ("rate", F_U64, struct hull_blkio_throttle_device, rate),
	};
	struct jpath kp = JP_KEY(p, key);
	json_t *v;
	int r;

	r = sj_array(c, obj, p, key, &v);
	if (r <= 0)
		return r;
	return parse_object_array(c, v, &kp, fields, NFIELDS(fields), sizeof(*t->v), (void **)&t->v,
	                          &t->n);
}

static int parse_blkio(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_blkio *b)
{
	static const struct field fields[] = {
	    FLD_HAS("weight", F_U16, struct hull_blkio, weight, has_weight),
	    FLD_HAS("leafWeight", F_U16, struct hull_blkio, leaf_weight, has_leaf_weight),
	};
	static const struct field wfields[] = {
	    FLD_REQ("major", F_I64, struct hull_blkio_weight_device, major),
	    FLD_REQ("minor", F_I64, struct hull_blkio_weight_device, minor),
	    FLD_HAS("weight", F_U16, struct hull_blkio_weight_device, weight, has_weight),
	    FLD_HAS("leafWeight", F_U16, struct hull_blkio_weight_device, leaf_weight,
	            has_leaf_weight),
	};
	struct jpath wp = JP_KEY(p, "weightDevice");
	json_t *w;
	int r;

	r = sv_object(c, v, p);
	if (r == 0)
		r = sj_fields(c, v, p, fields, NFIELDS(fields), b);
	if (r == 0 && (r = sj_array(c, v, p, "weightDevice", &w)) > 0)
		r = parse_object_array(c, w, &wp, wfields, NFIELDS(wfields),
		                       sizeof(*b->weight_devices), (void **)&b->weight_devices,
		                       &b->n_weight_devices);
	if (r == 0)
		r = parse_throttles(c, v, p, "throttleReadBpsDevice", &b->throttle_read_bps);
	if (r == 0)
		r = parse_throttles(c, v, p, "throttleWriteBpsDevice", &b->throttle_write_bps);
	if (r == 0)
		r = parse_throttles(c, v, p, "throttleReadIOPSDevice", &b->throttle_read_iops);
	if (r == 0)
		r = parse_throttles(c, v, p, "throttleWriteIOPSDevice", &b->throttle_write_iops);
	b->present = r == 0;
	return r;
}

/* "<size><K|M|G>B", base 1024, like the hugetlb.<size>.* cgroup file names. */
static bool page_size_parse(const char *s, uint64_t *ret)
{
	uint64_t v = 0;
	const char *p = s;
	unsigned shift;

	if (*p < '1' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p[0] == 'K')
		shift = 10;
	else if (p[0] == 'M')
		shift = 20;
	else if (p[0] == 'G')
		shift = 30;
	else
		return false;
	if (p[1] != 'B' || p[2] != '\0' || v > (UINT64_MAX >> shift))
		return false;
	*ret = v << shift;
	return true;
}

static int parse_hugepages(struct spec_ctx *c, json_t *v, const struct jpath *p,
                           struct hull_resources *res)
{
	static const struct field fields[] = {
	    FLD_REQ("pageSize", F_STR, struct hull_hugepage_limit, page_size),
	    FLD_REQ("limit", F_U64, struct hull_hugepage_limit, limit),
	};
	int r;

	r = parse_object_array(c, v, p, fields, NFIELDS(fields), sizeof(*res->hugepage_limits),
	                       (void **)&res->hugepage_limits, &res->n_hugepage_limits);
	for (size_t i = 0; r == 0 && i < res->n_hugepage_limits; i++) {
		struct hull_hugepage_limit *h = &res->hugepage_limits[i];
		struct jpath ep = JP_IDX(p, i), sp = JP_KEY(&ep, "pageSize");

		if (!page_size_parse(h->page_size, &h->page_size_bytes))
			r = spec_error(c, &sp,
			               "invalid page size \"%s\" (expected e.g. 64KB, 2MB, 1GB)",
			               h->page_size);
	}
	return r;
}

static int parse_network(struct spec_ctx *c, json_t *v, const struct jpath *p,
                         struct hull_network *n)
{
	static const struct field fields[] = {
	    FLD_HAS("classID", F_U32, struct hull_network, class_id, has_class_id),
	};
	static const struct field pfields[] = {
	    FLD_REQ("name", F_STR, struct hull_net_priority, name),
	    FLD_REQ("priority", F_U32, struct hull_net_priority, priority),
	};
	struct jpath pp = JP_KEY(p, "priorities");
	json_t *prio;
	int r;

	r = sv_object(c, v, p);
	if (r == 0)
		r = sj_fields(c, v, p, fields, NFIELDS(fields), n);
	if (r == 0 && (r = sj_array(c, v, p, "priorities", &prio)) > 0)
		r = parse_object_array(c, prio, &pp, pfields, NFIELDS(pfields),
		                       sizeof(*n->priorities), (void **)&n->priorities,
		                       &n->n_priorities);
	n->present = r == 0;
	return r;
}

static int parse_rdma(struct spec_ctx *c, json_t *v, const struct jpath *p,
                      struct hull_resources *res)
{
	static const struct field fields[] = {
	    FLD_HAS("hcaHandles", F_U32, struct hull_rdma, hca_handles, has_hca_handles),
	    FLD_HAS("hcaObjects", F_U32, struct hull_rdma, hca_objects, has_hca_objects),
	};
	const char *dev;
	size_t i = 0;
	json_t *e;
	int r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	res->rdma = spec_alloc(c, json_object_size(v), sizeof(*res->rdma));
	if (!res->rdma)
		return -ENOMEM;
	json_object_foreach(v, dev, e)
	{
		struct jpath dp = JP_KEY(p, dev);

		res->rdma[i].device = dev;
		r = sv_object(c, e, &dp);
		if (r == 0)
			r = sj_fields(c, e, &dp, fields, NFIELDS(fields), &res->rdma[i]);
		if (r < 0)
			return r;
		i++;
	}
	res->n_rdma = i;
	return 0;
}

int parse_resources(struct spec_ctx *c, json_t *v, const struct jpath *p,
                    struct hull_resources **ret)
{
	struct jpath dp = JP_KEY(p, "devices"), mp = JP_KEY(p, "memory"), cp = JP_KEY(p, "cpu");
	struct jpath bp = JP_KEY(p, "blockIO"), hp = JP_KEY(p, "hugepageLimits");
	struct jpath np = JP_KEY(p, "network"), pp = JP_KEY(p, "pids");
	struct jpath rp = JP_KEY(p, "rdma"), up = JP_KEY(p, "unified");
	static const struct field pfields[] = {
	    FLD_HAS("limit", F_I64, struct hull_pids, limit, has_limit),
	};
	struct hull_resources *res;
	json_t *x;
	int r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	res = spec_alloc(c, 1, sizeof(*res));
	if (!res)
		return -ENOMEM;
	if ((r = sj_array(c, v, p, "devices", &x)) > 0)
		r = parse_device_rules(c, x, &dp, res);
	if (r == 0 && (x = sj_get(v, "memory")))
		r = parse_memory(c, x, &mp, &res->memory);
	if (r == 0 && (x = sj_get(v, "cpu")))
		r = parse_cpu(c, x, &cp, &res->cpu);
	if (r == 0 && (x = sj_get(v, "blockIO")))
		r = parse_blkio(c, x, &bp, &res->blkio);
	if (r == 0 && (r = sj_array(c, v, p, "hugepageLimits", &x)) > 0)
		r = parse_hugepages(c, x, &hp, res);
	if (r == 0 && (x = sj_get(v, "network")))
		r = parse_network(c, x, &np, &res->network);
	if (r == 0 && (x = sj_get(v, "pids")) && (r = sv_object(c, x, &pp)) == 0) {
		r = sj_fields(c, x, &pp, pfields, NFIELDS(pfields), &res->pids);
		res->pids.present = r == 0;
	}
	if (r == 0 && (x = sj_get(v, "rdma")))
		r = parse_rdma(c, x, &rp, res);
	if (r == 0 && (x = sj_get(v, "unified")))
		r = sv_kv(c, x, &up, &res->unified, &res->n_unified);
	if (r < 0)
		return r;
	*ret = res;
	return 0;
}
