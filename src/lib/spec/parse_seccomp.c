/* SPDX-License-Identifier: Apache-2.0 */
/* linux.seccomp (config-linux.md "Seccomp"). */
#include "internal.h"
#include "spec_seccomp.h"

#include <errno.h>

#define NFIELDS(f) (sizeof(f) / sizeof((f)[0]))

/* Member `key` of obj, a string from the spec's list (lookup), into *ret. */
static int parse_enum(struct spec_ctx *c, json_t *obj, const struct jpath *p, const char *key,
                      int (*lookup)(const char *), const char *what, int *ret)
{
	struct jpath kp = JP_KEY(p, key);
	json_t *v = sj_get(obj, key);
	const char *s;
	int r, x;

	if (!v)
		return sj_missing(c, p, key);
	r = sv_string(c, v, &kp, &s);
	if (r < 0)
		return r;
	x = lookup(s);
	if (x < 0)
		return spec_error(c, &kp, "unknown %s \"%s\"", what, s);
	*ret = x;
	return 0;
}

static int parse_arg(struct spec_ctx *c, json_t *v, const struct jpath *p,
                     struct hull_seccomp_arg *a)
{
	static const struct field fields[] = {
	    FLD_REQ("index", F_U32, struct hull_seccomp_arg, index),
	    FLD_REQ("value", F_U64, struct hull_seccomp_arg, value),
	    FLD_HAS("valueTwo", F_U64, struct hull_seccomp_arg, value_two, has_value_two),
	};
	int op = 0, r;

	r = sv_object(c, v, p);
	if (r == 0)
		r = sj_fields(c, v, p, fields, NFIELDS(fields), a);
	if (r == 0)
		r = parse_enum(c, v, p, "op", names_seccomp_op, "operator", &op);
	if (r < 0)
		return r;
	a->op = (enum hull_seccomp_op)op;
	return 0;
}

static int parse_syscall(struct spec_ctx *c, json_t *v, const struct jpath *p,
                         struct hull_seccomp_syscall *s)
{
	static const struct field fields[] = {
	    FLD_HAS("errnoRet", F_U32, struct hull_seccomp_syscall, errno_ret, has_errno_ret),
	};
	struct jpath np = JP_KEY(p, "names"), ap = JP_KEY(p, "args");
	json_t *x;
	size_t i;
	int action = 0, r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	x = sj_get(v, "names");
	if (!x)
		return sj_missing(c, p, "names");
	r = sv_strv(c, x, &np, &s->names, &s->n_names);
	if (r == 0)
		r = parse_enum(c, v, p, "action", names_seccomp_action, "action", &action);
	if (r == 0)
		r = sj_fields(c, v, p, fields, NFIELDS(fields), s);
	if (r < 0)
		return r;
	s->action = (enum hull_seccomp_action)action;
	r = sj_array(c, v, p, "args", &x);
	if (r <= 0)
		return r;
	s->args = spec_alloc(c, json_array_size(x), sizeof(*s->args));
	if (!s->args)
		return -ENOMEM;
	json_array_foreach(x, i, v)
	{
		struct jpath ep = JP_IDX(&ap, i);

		r = parse_arg(c, v, &ep, &s->args[i]);
		if (r < 0)
			return r;
	}
	s->n_args = i;
	return 0;
}

static int parse_syscalls(struct spec_ctx *c, json_t *v, const struct jpath *p,
                          struct hull_seccomp *sc)
{
	size_t i;
	json_t *e;

	sc->syscalls = spec_alloc(c, json_array_size(v), sizeof(*sc->syscalls));
	if (!sc->syscalls)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		struct jpath ep = JP_IDX(p, i);
		int r = parse_syscall(c, e, &ep, &sc->syscalls[i]);

		if (r < 0)
			return r;
	}
	sc->n_syscalls = i;
	return 0;
}

static int parse_arches(struct spec_ctx *c, json_t *v, const struct jpath *p,
                        struct hull_seccomp *sc)
{
	const char **names;
	size_t n;
	int r;

	r = sv_strv(c, v, p, &names, &n);
	if (r < 0)
		return r;
	sc->architectures = spec_alloc(c, n, sizeof(*sc->architectures));
	if (!sc->architectures)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct jpath ep = JP_IDX(p, i);
		int a = names_seccomp_arch(names[i]);

		if (a < 0)
			return spec_error(c, &ep, "unknown architecture \"%s\"", names[i]);
		sc->architectures[i] = (enum hull_seccomp_arch)a;
	}
	sc->n_architectures = n;
	return 0;
}

static int parse_flags(struct spec_ctx *c, json_t *v, const struct jpath *p,
                       struct hull_seccomp *sc)
{
	const char **names;
	size_t n;
	int r;

	r = sv_strv(c, v, p, &names, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		struct jpath ep = JP_IDX(p, i);
		long f = names_seccomp_flag(names[i]);

		if (f < 0)
			return spec_error(c, &ep, "unknown seccomp flag \"%s\"", names[i]);
		sc->flags |= (unsigned)f;
	}
	sc->has_flags = true;
	return 0;
}

int parse_seccomp(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_seccomp **ret)
{
	static const struct field fields[] = {
	    FLD_HAS("defaultErrnoRet", F_U32, struct hull_seccomp, default_errno_ret,
	            has_default_errno_ret),
	    FLD("listenerPath", F_STR, struct hull_seccomp, listener_path),
	    FLD("listenerMetadata", F_STR, struct hull_seccomp, listener_metadata),
	};
	struct jpath ap = JP_KEY(p, "architectures"), fp = JP_KEY(p, "flags");
	struct jpath sp = JP_KEY(p, "syscalls");
	struct hull_seccomp *sc;
	json_t *x;
	int action = 0, r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	sc = spec_alloc(c, 1, sizeof(*sc));
	if (!sc)
		return -ENOMEM;
	r = parse_enum(c, v, p, "defaultAction", names_seccomp_action, "action", &action);
	if (r == 0)
		r = sj_fields(c, v, p, fields, NFIELDS(fields), sc);
	if (r == 0 && (x = sj_get(v, "architectures")))
		r = parse_arches(c, x, &ap, sc);
	if (r == 0 && (x = sj_get(v, "flags")))
		r = parse_flags(c, x, &fp, sc);
	if (r == 0 && (r = sj_array(c, v, p, "syscalls", &x)) > 0)
		r = parse_syscalls(c, x, &sp, sc);
	if (r < 0)
		return r;
	sc->default_action = (enum hull_seccomp_action)action;
	*ret = sc;
	return 0;
}
