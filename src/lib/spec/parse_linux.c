/* SPDX-License-Identifier: Apache-2.0 */
/* config.json "linux" (config-linux.md), except resources and seccomp. */
#include "internal.h"
#include "spec_linux.h"

#include <errno.h>
#include <string.h>

#define NFIELDS(f) (sizeof(f) / sizeof((f)[0]))

static int parse_namespace(struct spec_ctx *c, json_t *v, const struct jpath *p,
                           struct hull_linux *lx)
{
	struct jpath tp = JP_KEY(p, "type"), pp = JP_KEY(p, "path");
	const char *type, *path = NULL;
	json_t *x;
	int t, r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	x = sj_get(v, "type");
	if (!x)
		return sj_missing(c, p, "type");
	r = sv_string(c, x, &tp, &type);
	if (r < 0)
		return r;
	t = names_ns(type);
	if (t < 0)
		return spec_error(c, &tp, "unknown namespace type \"%s\"", type);
	if (lx->ns[t].present)
		return spec_error(c, &tp, "duplicate namespace \"%s\"", type);
	x = sj_get(v, "path");
	if (x) {
		r = sv_string(c, x, &pp, &path);
		if (r < 0)
			return r;
		if (*path && *path != '/')
			return spec_error(c, &pp, "must be an absolute path");
	}
	lx->ns[t].present = true;
	lx->ns[t].path = path && *path ? path : NULL; /* runc: "" means create */
	return 0;
}

static int parse_namespaces(struct spec_ctx *c, json_t *v, const struct jpath *p,
                            struct hull_linux *lx)
{
	size_t i;
	json_t *e;

	json_array_foreach(v, i, e)
	{
		struct jpath ep = JP_IDX(p, i);
		int r = parse_namespace(c, e, &ep, lx);

		if (r < 0)
			return r;
	}
	return 0;
}

int parse_idmaps(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_idmaps *ret)
{
	static const struct field fields[] = {
	    FLD_REQ("containerID", F_U32, struct hull_idmap, container_id),
	    FLD_REQ("hostID", F_U32, struct hull_idmap, host_id),
	    FLD_REQ("size", F_U32, struct hull_idmap, size),
	};
	size_t i, n;
	json_t *e;
	int r;

	r = sv_array(c, v, p);
	if (r < 0)
		return r;
	n = json_array_size(v);
	ret->v = spec_alloc(c, n, sizeof(*ret->v));
	if (!ret->v)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		struct jpath ep = JP_IDX(p, i);

		r = sv_object(c, e, &ep);
		if (r == 0)
			r = sj_fields(c, e, &ep, fields, NFIELDS(fields), &ret->v[i]);
		if (r < 0)
			return r;
	}
	ret->n = n;
	return 0;
}

static int parse_time_offsets(struct spec_ctx *c, json_t *v, const struct jpath *p,
                              struct hull_linux *lx)
{
	static const struct field fields[] = {
	    FLD("secs", F_I64, struct hull_time_offset, secs),
	    FLD("nanosecs", F_U32, struct hull_time_offset, nanosecs),
	};
	const char *clock;
	json_t *off;
	int r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	json_object_foreach(v, clock, off)
	{
		struct jpath cp = JP_KEY(p, clock);
		struct hull_time_offset *t;

		/* time_namespaces(7): only these two clocks can be offset */
		if (strcmp(clock, "monotonic") == 0)
			t = &lx->time_monotonic;
		else if (strcmp(clock, "boottime") == 0)
			t = &lx->time_boottime;
		else
			return spec_error(c, &cp, "unknown clock (expected monotonic or boottime)");
		r = sv_object(c, off, &cp);
		if (r == 0)
			r = sj_fields(c, off, &cp, fields, NFIELDS(fields), t);
		if (r < 0)
			return r;
		t->present = true;
	}
	return 0;
}

static int parse_device(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_device *d)
{
	static const struct field fields[] = {
	    FLD_REQ("path", F_STR, struct hull_device, path),
	    FLD_HAS("fileMode", F_U32, struct hull_device, file_mode, has_file_mode),
	    FLD_HAS("uid", F_U32, struct hull_device, uid, has_uid),
	    FLD_HAS("gid", F_U32, struct hull_device, gid, has_gid),
	    FLD("major", F_I64, struct hull_device, major),
	    FLD("minor", F_I64, struct hull_device, minor),
	};
	struct jpath tp = JP_KEY(p, "type"), majp = JP_KEY(p, "major"), minp = JP_KEY(p, "minor");
	const char *type;
	json_t *x;
	int r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	x = sj_get(v, "type");
	if (!x)
		return sj_missing(c, p, "type");
	r = sv_string(c, x, &tp, &type);
	if (r < 0)
		return r;
	if (strlen(type) != 1 || !strchr("cbup", type[0]))
		return spec_error(c, &tp, "unknown device type \"%s\" (expected c, b, u or p)",
		                  type);
	d->type = type[0];
	r = sj_fields(c, v, p, fields, NFIELDS(fields), d);
	if (r < 0)
		return r;
	if (d->type != 'p' && !sj_get(v, "major"))
		return spec_error(c, &majp, "missing (required for type %c devices)", d->type);
	if (d->type != 'p' && !sj_get(v, "minor"))
		return spec_error(c, &minp, "missing (required for type %c devices)", d->type);
	return 0;
}

static int parse_devices(struct spec_ctx *c, json_t *v, const struct jpath *p,
                         struct hull_linux *lx)
{
	size_t i, n = json_array_size(v);
	json_t *e;

	lx->devices = spec_alloc(c, n, sizeof(*lx->devices));
	if (!lx->devices)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		struct jpath ep = JP_IDX(p, i);
		int r = parse_device(c, e, &ep, &lx->devices[i]);

		if (r < 0)
			return r;
	}
	lx->n_devices = n;
	return 0;
}

static int parse_net_devices(struct spec_ctx *c, json_t *v, const struct jpath *p,
                             struct hull_linux *lx)
{
	static const struct field fields[] = {
	    FLD("name", F_STR, struct hull_net_device, name),
	};
	const char *host;
	size_t i = 0;
	json_t *d;
	int r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	lx->net_devices = spec_alloc(c, json_object_size(v), sizeof(*lx->net_devices));
	if (!lx->net_devices)
		return -ENOMEM;
	json_object_foreach(v, host, d)
	{
		struct jpath dp = JP_KEY(p, host);

		lx->net_devices[i].host_name = host;
		r = sv_object(c, d, &dp);
		if (r == 0)
			r = sj_fields(c, d, &dp, fields, NFIELDS(fields), &lx->net_devices[i]);
		if (r < 0)
			return r;
		i++;
	}
	lx->n_net_devices = i;
	return 0;
}

static int parse_intel_rdt(struct spec_ctx *c, json_t *v, const struct jpath *p,
                           struct hull_linux *lx)
{
	static const struct field fields[] = {
	    FLD("closID", F_STR, struct hull_intel_rdt, clos_id),
	    FLD("l3CacheSchema", F_STR, struct hull_intel_rdt, l3_cache_schema),
	    FLD("memBwSchema", F_STR, struct hull_intel_rdt, mem_bw_schema),
	    FLD("schemata", F_STRV, struct hull_intel_rdt, schemata),
	    FLD("enableMonitoring", F_BOOL, struct hull_intel_rdt, enable_monitoring),
	};
	struct hull_intel_rdt *rdt;
	int r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	rdt = spec_alloc(c, 1, sizeof(*rdt));
	if (!rdt)
		return -ENOMEM;
	r = sj_fields(c, v, p, fields, NFIELDS(fields), rdt);
	if (r < 0)
		return r;
	lx->intel_rdt = rdt;
	return 0;
}

static int parse_memory_policy(struct spec_ctx *c, json_t *v, const struct jpath *p,
                               struct hull_linux *lx)
{
	struct jpath mp = JP_KEY(p, "mode"), np = JP_KEY(p, "nodes"), fp = JP_KEY(p, "flags");
	struct hull_memory_policy *mpol;
	const char *mode, **flags = NULL;
	size_t n = 0;
	json_t *x;
	int r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	mpol = spec_alloc(c, 1, sizeof(*mpol));
	if (!mpol)
		return -ENOMEM;
	x = sj_get(v, "mode");
	if (!x)
		return sj_missing(c, p, "mode");
	r = sv_string(c, x, &mp, &mode);
	if (r < 0)
		return r;
	mpol->mode = names_mpol_mode(mode);
	if (mpol->mode < 0)
		return spec_error(c, &mp, "unknown memory policy mode \"%s\"", mode);
	if ((x = sj_get(v, "nodes")) && (r = sv_string(c, x, &np, &mpol->nodes)) < 0)
		return r;
	if ((x = sj_get(v, "flags")) && (r = sv_strv(c, x, &fp, &flags, &n)) < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		struct jpath ep = JP_IDX(&fp, i);
		long f = names_mpol_flag(flags[i]);

		if (f < 0)
			return spec_error(c, &ep, "unknown memory policy flag \"%s\"", flags[i]);
		mpol->flags |= (unsigned)f;
	}
	lx->memory_policy = mpol;
	return 0;
}

static int parse_personality(struct spec_ctx *c, json_t *v, const struct jpath *p,
                             struct hull_linux *lx)
{
	struct jpath dp = JP_KEY(p, "domain"), fp = JP_KEY(p, "flags");
	const char *domain, **flags = NULL;
	size_t n = 0;
	json_t *x;
	int d, r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	x = sj_get(v, "domain");
	if (!x)
		return sj_missing(c, p, "domain");
	r = sv_string(c, x, &dp, &domain);
	if (r < 0)
		return r;
	d = names_personality(domain);
	if (d < 0)
		return spec_error(c, &dp, "unknown domain \"%s\" (expected LINUX or LINUX32)",
		                  domain);
	if ((x = sj_get(v, "flags")) && (r = sv_strv(c, x, &fp, &flags, &n)) < 0)
		return r;
	if (n > 0) { /* config-linux.md: "Currently no flag values are supported." */
		struct jpath ep = JP_IDX(&fp, 0);
		return spec_error(c, &ep, "unsupported personality flag \"%s\"", flags[0]);
	}
	lx->personality.present = true;
	lx->personality.domain = (unsigned long)d;
	return 0;
}

static int parse_propagation(struct spec_ctx *c, json_t *obj, const struct jpath *pp,
                             struct hull_linux *lx)
{
	struct jpath p = JP_KEY(pp, "rootfsPropagation");
	json_t *v = sj_get(obj, "rootfsPropagation");
	const char *s;
	long flags;
	int r;

	if (!v)
		return 0;
	r = sv_string(c, v, &p, &s);
	if (r < 0)
		return r;
	flags = names_propagation(s);
	if (flags < 0)
		return spec_error(c, &p,
		                  "unknown propagation \"%s\" (expected shared, slave, "
		                  "private or unbindable, or the r-prefixed forms)",
		                  s);
	lx->rootfs_propagation = (unsigned long)flags;
	return 0;
}

/* The members that are a plain object or array handed to one parser. */
static int parse_linux_members(struct spec_ctx *c, json_t *v, const struct jpath *p,
                               struct hull_linux *lx)
{
	struct jpath np = JP_KEY(p, "namespaces"), up = JP_KEY(p, "uidMappings");
	struct jpath gp = JP_KEY(p, "gidMappings"), tp = JP_KEY(p, "timeOffsets");
	struct jpath dp = JP_KEY(p, "devices"), ndp = JP_KEY(p, "netDevices");
	struct jpath rp = JP_KEY(p, "resources"), sp = JP_KEY(p, "seccomp");
	struct jpath ip = JP_KEY(p, "intelRdt"), mp = JP_KEY(p, "memoryPolicy");
	struct jpath pp = JP_KEY(p, "personality"), yp = JP_KEY(p, "sysctl");
	json_t *x;
	int r = 0;

	if ((x = sj_get(v, "namespaces")) && (r = sv_array(c, x, &np)) == 0)
		r = parse_namespaces(c, x, &np, lx);
	if (r == 0 && (x = sj_get(v, "uidMappings")))
		r = parse_idmaps(c, x, &up, &lx->uid_mappings);
	if (r == 0 && (x = sj_get(v, "gidMappings")))
		r = parse_idmaps(c, x, &gp, &lx->gid_mappings);
	if (r == 0 && (x = sj_get(v, "timeOffsets")))
		r = parse_time_offsets(c, x, &tp, lx);
	if (r == 0 && (x = sj_get(v, "devices")) && (r = sv_array(c, x, &dp)) == 0)
		r = parse_devices(c, x, &dp, lx);
	if (r == 0 && (x = sj_get(v, "netDevices")))
		r = parse_net_devices(c, x, &ndp, lx);
	if (r == 0 && (x = sj_get(v, "resources")))
		r = parse_resources(c, x, &rp, &lx->resources);
	if (r == 0 && (x = sj_get(v, "seccomp")))
		r = parse_seccomp(c, x, &sp, &lx->seccomp);
	if (r == 0 && (x = sj_get(v, "intelRdt")))
		r = parse_intel_rdt(c, x, &ip, lx);
	if (r == 0 && (x = sj_get(v, "memoryPolicy")))
		r = parse_memory_policy(c, x, &mp, lx);
	if (r == 0 && (x = sj_get(v, "personality")))
		r = parse_personality(c, x, &pp, lx);
	if (r == 0 && (x = sj_get(v, "sysctl")))
		r = sv_kv(c, x, &yp, &lx->sysctl, &lx->n_sysctl);
	return r;
}

int parse_linux(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_linux *ret)
{
	static const struct field fields[] = {
	    FLD("cgroupsPath", F_STR, struct hull_linux, cgroups_path),
	    FLD("maskedPaths", F_STRV, struct hull_linux, masked_paths),
	    FLD("readonlyPaths", F_STRV, struct hull_linux, readonly_paths),
	    FLD("mountLabel", F_STR, struct hull_linux, mount_label),
	};
	int r;

	r = sv_object(c, v, p);
	if (r == 0)
		r = sj_fields(c, v, p, fields, NFIELDS(fields), ret);
	if (r == 0)
		r = parse_propagation(c, v, p, ret);
	if (r == 0)
		r = parse_linux_members(c, v, p, ret);
	return r;
}
