/* SPDX-License-Identifier: Apache-2.0 */
/* config.json "process" (also the whole of a process.json). */
#include "internal.h"

#include <errno.h>
#include <string.h>

_Static_assert(sizeof(int) == sizeof(int32_t), "oomScoreAdj is read as int32");
_Static_assert(sizeof(uid_t) == sizeof(uint32_t) && sizeof(gid_t) == sizeof(uint32_t),
               "uid/gid are read as uint32");

static int parse_cap_set(struct spec_ctx *c, json_t *v, const struct jpath *p, uint64_t *ret)
{
	uint64_t mask = 0;
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return spec_error(c, p, "expected array of strings");
	json_array_foreach(v, i, e)
	{
		struct jpath ep = JP_IDX(p, i);
		const char *name;
		int cap, r;

		r = sv_string(c, e, &ep, &name);
		if (r < 0)
			return r;
		cap = names_cap(name);
		if (cap < 0)
			return spec_error(c, &ep, "unknown capability \"%s\"", name);
		mask |= 1ULL << cap;
	}
	*ret = mask;
	return 0;
}

static int parse_caps(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_caps *ret)
{
	static const struct {
		const char *key;
		size_t off;
	} sets[] = {
	    {"effective", offsetof(struct hull_caps, effective)},
	    {"bounding", offsetof(struct hull_caps, bounding)},
	    {"inheritable", offsetof(struct hull_caps, inheritable)},
	    {"permitted", offsetof(struct hull_caps, permitted)},
	    {"ambient", offsetof(struct hull_caps, ambient)},
	};
	struct hull_caps caps = {.present = true};
	int r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		struct jpath kp = JP_KEY(p, sets[i].key);
		json_t *set = sj_get(v, sets[i].key);

		if (!set)
			continue;
		r = parse_cap_set(c, set, &kp, (uint64_t *)((char *)&caps + sets[i].off));
		if (r < 0)
			return r;
	}
	*ret = caps;
	return 0;
}

static int parse_rlimits(struct spec_ctx *c, json_t *v, const struct jpath *p,
                         struct hull_process *proc)
{
	static const struct field fields[] = {
	    FLD_REQ("type", F_STR, struct hull_rlimit, type),
	    FLD_REQ("soft", F_U64, struct hull_rlimit, soft),
	    FLD_REQ("hard", F_U64, struct hull_rlimit, hard),
	};
	size_t i, n = json_array_size(v);
	json_t *e;
	int r;

	proc->rlimits = spec_alloc(c, n, sizeof(*proc->rlimits));
	if (!proc->rlimits)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		struct jpath ep = JP_IDX(p, i), tp = JP_KEY(&ep, "type");
		struct hull_rlimit *rl = &proc->rlimits[i];

		r = sv_object(c, e, &ep);
		if (r < 0)
			return r;
		r = sj_fields(c, e, &ep, fields, sizeof(fields) / sizeof(fields[0]), rl);
		if (r < 0)
			return r;
		rl->resource = names_rlimit(rl->type);
		if (rl->resource < 0)
			return spec_error(c, &tp, "unknown resource limit \"%s\"", rl->type);
	}
	proc->n_rlimits = n;
	return 0;
}

static int parse_gids(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_user *u)
{
	size_t i, n;
	json_t *e;
	int r;

	r = sv_array(c, v, p);
	if (r < 0)
		return r;
	n = json_array_size(v);
	u->additional_gids = spec_alloc(c, n, sizeof(gid_t));
	if (!u->additional_gids)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		struct jpath ep = JP_IDX(p, i);

		r = sv_u32(c, e, &ep, &u->additional_gids[i]);
		if (r < 0)
			return r;
	}
	u->n_additional_gids = n;
	return 0;
}

static int parse_user(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_user *u)
{
	static const struct field fields[] = {
	    FLD("uid", F_U32, struct hull_user, uid),
	    FLD("gid", F_U32, struct hull_user, gid),
	    FLD_HAS("umask", F_U32, struct hull_user, umask, has_umask),
	};
	struct jpath gp = JP_KEY(p, "additionalGids");
	json_t *gids;
	int r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	r = sj_fields(c, v, p, fields, sizeof(fields) / sizeof(fields[0]), u);
	if (r < 0)
		return r;
	gids = sj_get(v, "additionalGids");
	return gids ? parse_gids(c, gids, &gp, u) : 0;
}

static int parse_sched_flags(struct spec_ctx *c, json_t *v, const struct jpath *p, uint64_t *ret)
{
	const char **names;
	uint64_t flags = 0;
	size_t n;
	int r;

	r = sv_strv(c, v, p, &names, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		struct jpath ep = JP_IDX(p, i);
		long f = names_sched_flag(names[i]);

		if (f < 0)
			return spec_error(c, &ep, "unknown scheduler flag \"%s\"", names[i]);
		flags |= (uint64_t)f;
	}
	*ret = flags;
	return 0;
}

static int parse_scheduler(struct spec_ctx *c, json_t *v, const struct jpath *p,
                           struct hull_scheduler *s)
{
	static const struct field fields[] = {
	    FLD("nice", F_I32, struct hull_scheduler, nice),
	    FLD("priority", F_I32, struct hull_scheduler, priority),
	    FLD("runtime", F_U64, struct hull_scheduler, runtime),
	    FLD("deadline", F_U64, struct hull_scheduler, deadline),
	    FLD("period", F_U64, struct hull_scheduler, period),
	};
	struct jpath pp = JP_KEY(p, "policy"), fp = JP_KEY(p, "flags");
	const char *policy;
	json_t *x;
	int r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	x = sj_get(v, "policy");
	if (!x)
		return sj_missing(c, p, "policy");
	r = sv_string(c, x, &pp, &policy);
	if (r < 0)
		return r;
	s->policy = names_sched_policy(policy);
	if (s->policy < 0)
		return spec_error(c, &pp, "unknown scheduler policy \"%s\"", policy);
	r = sj_fields(c, v, p, fields, sizeof(fields) / sizeof(fields[0]), s);
	if (r < 0)
		return r;
	x = sj_get(v, "flags");
	if (x) {
		r = parse_sched_flags(c, x, &fp, &s->flags);
		if (r < 0)
			return r;
	}
	s->present = true;
	return 0;
}

static int parse_io_priority(struct spec_ctx *c, json_t *v, const struct jpath *p,
                             struct hull_io_priority *io)
{
	struct jpath cp = JP_KEY(p, "class"), pp = JP_KEY(p, "priority");
	const char *cls;
	int32_t prio;
	json_t *x;
	int r;

	r = sv_object(c, v, p);
	if (r < 0)
		return r;
	x = sj_get(v, "class");
	if (!x)
		return sj_missing(c, p, "class");
	r = sv_string(c, x, &cp, &cls);
	if (r < 0)
		return r;
	io->class = names_ioprio_class(cls);
	if (io->class < 0)
		return spec_error(c, &cp, "unknown I/O priority class \"%s\"", cls);
	x = sj_get(v, "priority");
	if (!x)
		return sj_missing(c, p, "priority");
	r = sv_i32(c, x, &pp, &prio);
	if (r < 0)
		return r;
	io->priority = prio;
	io->present = true;
	return 0;
}

static int parse_console_size(struct spec_ctx *c, json_t *obj, const struct jpath *pp,
                              struct hull_process *proc)
{
	struct jpath p = JP_KEY(pp, "consoleSize");
	struct jpath hp = JP_KEY(&p, "height"), wp = JP_KEY(&p, "width");
	json_t *v = sj_get(obj, "consoleSize"), *h, *w;
	uint16_t height, width; /* struct winsize holds unsigned shorts */
	int r;

	if (!v)
		return 0;
	r = sv_object(c, v, &p);
	if (r < 0)
		return r;
	h = sj_get(v, "height");
	w = sj_get(v, "width");
	if (!h)
		return sj_missing(c, &p, "height");
	if (!w)
		return sj_missing(c, &p, "width");
	r = sv_u16(c, h, &hp, &height);
	if (r == 0)
		r = sv_u16(c, w, &wp, &width);
	if (r < 0)
		return r;
	proc->console_height = height;
	proc->console_width = width;
	/* config.md: "Runtimes MUST ignore consoleSize if terminal is false or unset." */
	proc->has_console_size = proc->terminal;
	return 0;
}

static int parse_cpu_affinity(struct spec_ctx *c, json_t *obj, const struct jpath *pp,
                              struct hull_process *proc)
{
	static const struct field fields[] = {
	    FLD("initial", F_STR, struct hull_process, exec_cpu_affinity_initial),
	    FLD("final", F_STR, struct hull_process, exec_cpu_affinity_final),
	};
	struct jpath p = JP_KEY(pp, "execCPUAffinity");
	json_t *v = sj_get(obj, "execCPUAffinity");
	int r;

	if (!v)
		return 0;
	r = sv_object(c, v, &p);
	return r < 0 ? r : sj_fields(c, v, &p, fields, sizeof(fields) / sizeof(fields[0]), proc);
}

/* The optional sub-objects of process: absent is fine, present must parse. */
static int parse_members(struct spec_ctx *c, json_t *v, const struct jpath *p,
                         struct hull_process *proc)
{
	struct jpath up = JP_KEY(p, "user"), cp = JP_KEY(p, "capabilities");
	struct jpath sp = JP_KEY(p, "scheduler"), ip = JP_KEY(p, "ioPriority");
	struct jpath rp = JP_KEY(p, "rlimits");
	json_t *x;
	int r;

	r = parse_console_size(c, v, p, proc);
	if (r == 0)
		r = parse_cpu_affinity(c, v, p, proc);
	if (r == 0 && (x = sj_get(v, "user")))
		r = parse_user(c, x, &up, &proc->user);
	if (r == 0 && (x = sj_get(v, "capabilities")))
		r = parse_caps(c, x, &cp, &proc->caps);
	if (r == 0 && (x = sj_get(v, "scheduler")))
		r = parse_scheduler(c, x, &sp, &proc->scheduler);
	if (r == 0 && (x = sj_get(v, "ioPriority")))
		r = parse_io_priority(c, x, &ip, &proc->io_priority);
	if (r == 0) {
		r = sj_array(c, v, p, "rlimits", &x);
		if (r > 0)
			r = parse_rlimits(c, x, &rp, proc);
	}
	return r;
}

int parse_process(struct spec_ctx *c, json_t *v, const struct jpath *p, struct hull_process *ret)
{
	static const struct field fields[] = {
	    FLD("terminal", F_BOOL, struct hull_process, terminal),
	    FLD("cwd", F_STR, struct hull_process, cwd),
	    FLD("args", F_STRV, struct hull_process, args),
	    FLD("env", F_STRV, struct hull_process, env),
	    FLD("apparmorProfile", F_STR, struct hull_process, apparmor_profile),
	    FLD("selinuxLabel", F_STR, struct hull_process, selinux_label),
	    FLD("noNewPrivileges", F_BOOL, struct hull_process, no_new_privileges),
	    FLD_HAS("oomScoreAdj", F_I32, struct hull_process, oom_score_adj, has_oom_score_adj),
	};
	struct hull_process proc = {0};
	int r;

	r = sv_object(c, v, p);
	if (r == 0)
		r = sj_fields(c, v, p, fields, sizeof(fields) / sizeof(fields[0]), &proc);
	if (r == 0)
		r = parse_members(c, v, p, &proc);
	if (r < 0)
		return r;
	if (!proc.env) {
		proc.env = spec_alloc(c, 1, sizeof(*proc.env));
		if (!proc.env)
			return -ENOMEM;
	}
	*ret = proc;
	return 0;
}
