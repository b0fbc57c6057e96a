/* SPDX-License-Identifier: Apache-2.0 */
/* config.json top level: root, mounts, hooks, annotations, ... (config.md). */
#include "internal.h"
#include "mountopt.h"

#include <errno.h>

#define NFIELDS(f) (sizeof(f) / sizeof((f)[0]))

static int parse_mount(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_mount *m)
{
	static const struct field fields[] = {
	    FLD_REQ("destination", F_STR, struct hull_mount, destination),
	    FLD("source", F_STR, struct hull_mount, source),
	    FLD("type", F_STR, struct hull_mount, type),
	    FLD("options", F_STRV, struct hull_mount, options),
	};
	struct jpath up = JP_KEY(p, "uidMappings"), gp = JP_KEY(p, "gidMappings");
	struct jpath op = JP_KEY(p, "options");
	struct hull_error e = {0};
	json_t *x;
	int r;

	r = sv_object(c, v, p);
	if (r == 0)
		r = sj_fields(c, v, p, fields, NFIELDS(fields), m);
	if (r == 0 && (x = sj_get(v, "uidMappings")))
		r = parse_idmaps(c, x, &up, &m->uid_mappings);
	if (r == 0 && (x = sj_get(v, "gidMappings")))
		r = parse_idmaps(c, x, &gp, &m->gid_mappings);
	if (r < 0)
		return r;
	r = hull_mount_opts_parse(m->options, &m->opts, &e);
	if (r == -ENOMEM)
		return hull_err(c->err, ENOMEM, "%s: out of memory", c->name);
	if (r < 0)
		return spec_error(c, &op, "%s", e.msg);
	/* Mappings without idmap/ridmap: runc 1.2 implies a (non-recursive) idmap;
	 * config.md asks for the option only so older runtimes fail loudly. */
	if ((m->uid_mappings.n || m->gid_mappings.n) && !m->opts.idmap && !m->opts.ridmap)
		m->opts.idmap = true;
	return 0;
}

int parse_mounts(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_spec *s)
{
	size_t i, n;
	json_t *e;
	int r;

	r = sv_array(c, v, p);
	if (r < 0)
		return r;
	n = json_array_size(v);
	s->mounts = spec_alloc(c, n, sizeof(*s->mounts));
	if (!s->mounts)
		return -ENOMEM;
	/* set first: hull_spec_free() releases opts.data of mounts parsed so far */
	s->n_mounts = n;
	json_array_foreach(v, i, e)
	{
		struct jpath ep = JP_IDX(p, i);

		r = parse_mount(c, e, &ep, &s->mounts[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_hook_list(struct spec_ctx *c, json_t *v, const struct jpath *p,
                           struct hull_hooks *ret)
{
	static const struct field fields[] = {
	    FLD_REQ("path", F_STR, struct hull_hook, path),
	    FLD("args", F_STRV, struct hull_hook, args),
	    FLD("env", F_STRV, struct hull_hook, env),
	    FLD_HAS("timeout", F_I32, struct hull_hook, timeout, has_timeout),
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

static int parse_hooks(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_spec *s)
{
	int r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	for (int k = 0; k < HULL_HOOK__COUNT; k++) {
		const char *name = hull_hook_kind_name((enum hull_hook_kind)k);
		struct jpath kp = JP_KEY(p, name);
		json_t *list = sj_get(v, name);

		if (list && (r = parse_hook_list(c, list, &kp, &s->hooks[k])) < 0)
			return r;
	}
	return 0;
}

static int parse_root(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_spec *s)
{
	static const struct field fields[] = {
	    FLD_REQ("path", F_STR, struct hull_spec, root_path),
	    FLD("readonly", F_BOOL, struct hull_spec, root_readonly),
	};
	int r = sv_object(c, v, p);

	return r < 0 ? r : sj_fields(c, v, p, fields, NFIELDS(fields), s);
}

int parse_spec(struct spec_ctx *c, json_t *doc, struct hull_spec *s)
{
	static const struct field fields[] = {
	    FLD_REQ("ociVersion", F_STR, struct hull_spec, oci_version),
	    FLD("hostname", F_STR, struct hull_spec, hostname),
	    FLD("domainname", F_STR, struct hull_spec, domainname),
	};
	struct jpath rp = JP_KEY(NULL, "root"), mp = JP_KEY(NULL, "mounts");
	struct jpath pp = JP_KEY(NULL, "process"), hp = JP_KEY(NULL, "hooks");
	struct jpath ap = JP_KEY(NULL, "annotations"), lp = JP_KEY(NULL, "linux");
	json_t *x;
	int r;

	r = sj_fields(c, doc, NULL, fields, NFIELDS(fields), s);
	if (r < 0)
		return r;
	/* config.md: root is optional only on Windows (Hyper-V) */
	x = sj_get(doc, "root");
	r = x ? parse_root(c, x, &rp, s) : sj_missing(c, NULL, "root");
	if (r == 0 && (x = sj_get(doc, "mounts")))
		r = parse_mounts(c, x, &mp, s);
	if (r == 0 && (x = sj_get(doc, "process"))) {
		r = parse_process(c, x, &pp, &s->process);
		s->has_process = r == 0;
	}
	if (r == 0 && (x = sj_get(doc, "hooks")))
		r = parse_hooks(c, x, &hp, s);
	if (r == 0 && (x = sj_get(doc, "annotations")))
		r = sv_kv(c, x, &ap, &s->annotations, &s->n_annotations);
	if (r == 0 && (x = sj_get(doc, "linux"))) {
		r = parse_linux(c, x, &lp, &s->linux_);
		s->has_linux = r == 0;
	}
	return r;
}
