/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Everything about a config that can be checked without touching the system.
 * The parser already enforced JSON types, required members and the spec's
 * lists of names; this is the cross-field and value checking.
 */
#include "internal.h"
#include "spec_linux.h"
#include "spec_resources.h"
#include "spec_seccomp.h"

#include <errno.h>
#include <linux/mempolicy.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#ifndef MPOL_PREFERRED_MANY
#define MPOL_PREFERRED_MANY 5
#endif
#ifndef MPOL_WEIGHTED_INTERLEAVE
#define MPOL_WEIGHTED_INTERLEAVE 6
#endif

/* kernel/user_namespace.c: UID_GID_MAP_MAX_EXTENTS */
#define IDMAP_MAX_EXTENTS 340

static bool is_abs(const char *s)
{
	return s && s[0] == '/';
}

/* ---- cpu and node lists ---- */

static const char *list_skip_ws(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

static const char *list_number(const char *s, unsigned long *ret)
{
	unsigned long v = 0;
	const char *start = s;

	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 1000000000ul)
			return NULL;
	}
	*ret = v;
	return s == start ? NULL : s;
}

/* One "N", "N-M" or "N-M:used/group" (bitmap_parselist's stride form). */
static const char *list_item(const char *s)
{
	unsigned long lo, hi, used, group;

	s = list_number(list_skip_ws(s), &lo);
	if (!s)
		return NULL;
	s = list_skip_ws(s);
	if (*s != '-')
		return s;
	s = list_number(list_skip_ws(s + 1), &hi);
	if (!s || hi < lo)
		return NULL;
	if (*s != ':')
		return list_skip_ws(s);
	s = list_number(s + 1, &used);
	if (!s || *s != '/')
		return NULL;
	s = list_number(s + 1, &group);
	if (!s || used == 0 || group == 0 || used > group)
		return NULL;
	return list_skip_ws(s);
}

bool cpulist_valid(const char *s)
{
	if (!*list_skip_ws(s))
		return true;
	for (;;) {
		s = list_item(s);
		if (!s)
			return false;
		if (*s == '\0')
			return true;
		if (*s++ != ',')
			return false;
	}
}

static int check_list(struct spec_ctx *c, const char *s, const struct jpath *p)
{
	if (!s || cpulist_valid(s))
		return 0;
	return spec_error(c, p, "invalid list \"%s\" (expected e.g. \"0-3,7\")", s);
}

/* ---- process ---- */

static int validate_args(struct spec_ctx *c, const struct hull_process *proc, const struct jpath *p)
{
	struct jpath ap = JP_KEY(p, "args"), a0 = JP_IDX(&ap, 0), cp = JP_KEY(p, "cwd");
	struct jpath ep = JP_KEY(p, "env");

	if (!proc->args)
		return sj_missing(c, p, "args");
	if (!proc->args[0])
		return spec_error(c, &ap, "must not be empty");
	if (!proc->args[0][0])
		return spec_error(c, &a0, "empty program name");
	if (!proc->cwd)
		return sj_missing(c, p, "cwd");
	if (!is_abs(proc->cwd))
		return spec_error(c, &cp, "must be an absolute path");
	for (size_t i = 0; proc->env[i]; i++) {
		const char *eq = strchr(proc->env[i], '=');
		struct jpath ip = JP_IDX(&ep, i);

		if (!eq || eq == proc->env[i])
			return spec_error(c, &ip, "expected NAME=value");
	}
	return 0;
}

static int validate_rlimits(struct spec_ctx *c, const struct hull_process *proc,
                            const struct jpath *p)
{
	struct jpath rp = JP_KEY(p, "rlimits");
	long first[64];

	for (size_t i = 0; i < 64; i++)
		first[i] = -1;
	for (size_t i = 0; i < proc->n_rlimits; i++) {
		const struct hull_rlimit *rl = &proc->rlimits[i];
		struct jpath ep = JP_IDX(&rp, i), tp = JP_KEY(&ep, "type");

		if (first[rl->resource] >= 0)
			return spec_error(c, &tp, "duplicate %s (also in rlimits[%ld])", rl->type,
			                  first[rl->resource]);
		first[rl->resource] = (long)i;
		if (rl->soft > rl->hard)
			return spec_error(c, &ep, "soft limit %llu exceeds hard limit %llu",
			                  (unsigned long long)rl->soft,
			                  (unsigned long long)rl->hard);
	}
	return 0;
}

static bool sched_is_rt(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

/* The kernel's sched_setattr(2) rules, so a typo fails here, with a path. */
static int validate_scheduler(struct spec_ctx *c, const struct hull_scheduler *s,
                              const struct jpath *pp)
{
	struct jpath p = JP_KEY(pp, "scheduler"), np = JP_KEY(&p, "nice");
	struct jpath rp = JP_KEY(&p, "priority"), dp = JP_KEY(&p, "deadline");
	struct jpath tp = JP_KEY(&p, "runtime");

	if (!s->present)
		return 0;
	if (s->nice < -20 || s->nice > 19)
		return spec_error(c, &np, "must be between -20 and 19");
	if (sched_is_rt(s->policy) && (s->priority < 1 || s->priority > 99))
		return spec_error(c, &rp, "must be between 1 and 99 for SCHED_FIFO and SCHED_RR");
	if (!sched_is_rt(s->policy) && s->priority != 0)
		return spec_error(c, &rp, "only SCHED_FIFO and SCHED_RR take a priority");
	if (s->policy != SCHED_DEADLINE) {
		if (s->runtime || s->deadline || s->period)
			return spec_error(c, &p,
			                  "runtime, deadline and period are for "
			                  "SCHED_DEADLINE only");
		return 0;
	}
	if (s->deadline == 0)
		return spec_error(c, &dp, "SCHED_DEADLINE needs a deadline");
	if (s->runtime > s->deadline)
		return spec_error(c, &tp, "must not exceed the deadline");
	if (s->period && s->deadline > s->period)
		return spec_error(c, &dp, "must not exceed the period");
	return 0;
}

static int validate_process_misc(struct spec_ctx *c, const struct hull_process *proc,
                                 const struct jpath *p)
{
	struct jpath op = JP_KEY(p, "oomScoreAdj"), ip = JP_KEY(p, "ioPriority");
	struct jpath ipp = JP_KEY(&ip, "priority"), up = JP_KEY(p, "user");
	struct jpath ump = JP_KEY(&up, "umask"), ap = JP_KEY(p, "execCPUAffinity");
	struct jpath aip = JP_KEY(&ap, "initial"), afp = JP_KEY(&ap, "final");
	int r;

	if (proc->has_oom_score_adj && (proc->oom_score_adj < -1000 || proc->oom_score_adj > 1000))
		return spec_error(c, &op, "must be between -1000 and 1000");
	if (proc->io_priority.present &&
	    (proc->io_priority.priority < 0 || proc->io_priority.priority > 7))
		return spec_error(c, &ipp, "must be between 0 (highest) and 7 (lowest)");
	if (proc->user.has_umask && proc->user.umask > 0777)
		return spec_error(c, &ump, "must be at most 0777 (511)");
	r = check_list(c, proc->exec_cpu_affinity_initial, &aip);
	if (r == 0)
		r = check_list(c, proc->exec_cpu_affinity_final, &afp);
	return r;
}

int validate_process(struct spec_ctx *c, const struct hull_process *proc, const struct jpath *p)
{
	int r;

	r = validate_args(c, proc, p);
	if (r == 0)
		r = validate_rlimits(c, proc, p);
	if (r == 0)
		r = validate_scheduler(c, &proc->scheduler, p);
	if (r == 0)
		r = validate_process_misc(c, proc, p);
	return r;
}

/* ---- id mappings ---- */

static bool ranges_overlap(uint32_t a, uint32_t b, uint32_t size_a, uint32_t size_b)
{
	return (uint64_t)a < (uint64_t)b + size_b && (uint64_t)b < (uint64_t)a + size_a;
}

/* user_namespaces(7): non-empty ranges, no id 4294967295, no overlaps in
 * either direction, at most 340 lines. */
static int validate_idmaps(struct spec_ctx *c, const struct hull_idmaps *m, const struct jpath *p)
{
	if (m->n > IDMAP_MAX_EXTENTS)
		return spec_error(c, p, "at most %d mappings are possible", IDMAP_MAX_EXTENTS);
	for (size_t i = 0; i < m->n; i++) {
		const struct hull_idmap *x = &m->v[i];
		struct jpath ep = JP_IDX(p, i), sp = JP_KEY(&ep, "size");

		if (x->size == 0)
			return spec_error(c, &sp, "must be greater than zero");
		if ((uint64_t)x->container_id + x->size > UINT32_MAX ||
		    (uint64_t)x->host_id + x->size > UINT32_MAX)
			return spec_error(c, &ep, "range goes beyond id 4294967294");
		for (size_t j = 0; j < i; j++) {
			const struct hull_idmap *y = &m->v[j];

			if (ranges_overlap(x->container_id, y->container_id, x->size, y->size) ||
			    ranges_overlap(x->host_id, y->host_id, x->size, y->size))
				return spec_error(c, &ep, "overlaps mapping [%zu]", j);
		}
	}
	return 0;
}

/* ---- mounts, hooks, annotations ---- */

static int validate_mount(struct spec_ctx *c, const struct hull_spec *s, const struct hull_mount *m,
                          const struct jpath *p)
{
	struct jpath dp = JP_KEY(p, "destination"), op = JP_KEY(p, "options");
	struct jpath up = JP_KEY(p, "uidMappings"), gp = JP_KEY(p, "gidMappings");
	struct jpath sp = JP_KEY(p, "source");
	int r;

	if (!m->destination[0])
		return spec_error(c, &dp, "must not be empty");
	if (m->opts.bind && !m->source)
		return spec_error(c, &sp, "missing (required for bind mounts)");
	if (!m->uid_mappings.n != !m->gid_mappings.n)
		return spec_error(c, p, "uidMappings and gidMappings must be given together");
	r = validate_idmaps(c, &m->uid_mappings, &up);
	if (r == 0)
		r = validate_idmaps(c, &m->gid_mappings, &gp);
	if (r < 0)
		return r;
	/* config.md: without mappings, idmap uses the container's user namespace,
	 * and without one either, it is an error. */
	if ((m->opts.idmap || m->opts.ridmap) && !m->uid_mappings.n &&
	    !s->linux_.ns[HULL_NS_USER].present)
		return spec_error(c, &op,
		                  "%s needs uidMappings and gidMappings or a user namespace",
		                  m->opts.ridmap ? "ridmap" : "idmap");
	return 0;
}

static int validate_hooks(struct spec_ctx *c, const struct hull_spec *s)
{
	struct jpath hp = JP_KEY(NULL, "hooks");

	for (int k = 0; k < HULL_HOOK__COUNT; k++) {
		struct jpath kp = JP_KEY(&hp, hull_hook_kind_name((enum hull_hook_kind)k));

		for (size_t i = 0; i < s->hooks[k].n; i++) {
			const struct hull_hook *h = &s->hooks[k].v[i];
			struct jpath ep = JP_IDX(&kp, i), pp = JP_KEY(&ep, "path");
			struct jpath tp = JP_KEY(&ep, "timeout");

			if (!is_abs(h->path))
				return spec_error(c, &pp, "must be an absolute path");
			if (h->has_timeout && h->timeout <= 0)
				return spec_error(c, &tp, "must be greater than zero");
		}
	}
	return 0;
}

static int validate_top(struct spec_ctx *c, const struct hull_spec *s)
{
	struct jpath mp = JP_KEY(NULL, "mounts"), ap = JP_KEY(NULL, "annotations");
	struct jpath rp = JP_KEY(NULL, "root"), rpp = JP_KEY(&rp, "path");
	int r;

	if (!s->root_path[0])
		return spec_error(c, &rpp, "must not be empty");
	for (size_t i = 0; i < s->n_mounts; i++) {
		struct jpath ep = JP_IDX(&mp, i);

		r = validate_mount(c, s, &s->mounts[i], &ep);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < s->n_annotations; i++) {
		struct jpath kp = JP_KEY(&ap, s->annotations[i].key);

		if (!s->annotations[i].key[0])
			return spec_error(c, &kp, "annotation keys must not be empty");
	}
	return validate_hooks(c, s);
}

/* ---- namespaces ---- */

/*
 * hostname, domainname and namespaced sysctls need the namespace in
 * linux.namespaces, new or joined by path, as runc checks: CRI-O sets the
 * hostname in every container of a pod, which joins the pod's UTS namespace
 * by path, and containerd's pod sandbox joins the network namespace it
 * created beforehand and carries the pod's net.* sysctls. Whether a joined
 * namespace is the host's own can only be checked on the system (core).
 */
static bool ns_present(const struct hull_spec *s, enum hull_ns_type t)
{
	return s->linux_.ns[t].present;
}

static int validate_uts(struct spec_ctx *c, const struct hull_spec *s)
{
	struct jpath hp = JP_KEY(NULL, "hostname"), dp = JP_KEY(NULL, "domainname");

	if (s->hostname && s->hostname[0] && !ns_present(s, HULL_NS_UTS))
		return spec_error(c, &hp, "unable to set hostname without a private UTS namespace");
	if (s->domainname && s->domainname[0] && !ns_present(s, HULL_NS_UTS))
		return spec_error(c, &dp,
		                  "unable to set domainname without a private UTS namespace");
	return 0;
}

static int validate_userns(struct spec_ctx *c, const struct hull_linux *lx, const struct jpath *lp)
{
	struct jpath up = JP_KEY(lp, "uidMappings"), gp = JP_KEY(lp, "gidMappings");
	const struct hull_namespace *user = &lx->ns[HULL_NS_USER];
	int r;

	if (!user->present && (lx->uid_mappings.n || lx->gid_mappings.n))
		return spec_error(c, lx->uid_mappings.n ? &up : &gp,
		                  "mappings need a user namespace in linux.namespaces");
	if (user->present && !user->path && !lx->uid_mappings.n)
		return spec_error(c, &up,
		                  "missing (a new user namespace needs uid and gid "
		                  "mappings)");
	if (user->present && !user->path && !lx->gid_mappings.n)
		return spec_error(c, &gp,
		                  "missing (a new user namespace needs uid and gid "
		                  "mappings)");
	r = validate_idmaps(c, &lx->uid_mappings, &up);
	return r < 0 ? r : validate_idmaps(c, &lx->gid_mappings, &gp);
}

static int validate_time_offset(struct spec_ctx *c, const struct hull_time_offset *t,
                                const struct jpath *tp, const char *clock)
{
	struct jpath cp = JP_KEY(tp, clock), np = JP_KEY(&cp, "nanosecs");

	if (t->present && t->nanosecs >= 1000000000u)
		return spec_error(c, &np, "must be less than 1000000000");
	return 0;
}

static int validate_timens(struct spec_ctx *c, const struct hull_linux *lx, const struct jpath *lp)
{
	struct jpath tp = JP_KEY(lp, "timeOffsets");
	int r;

	if (!lx->time_monotonic.present && !lx->time_boottime.present)
		return 0;
	/* Offsets can only be written before any process enters the namespace. */
	if (!lx->ns[HULL_NS_TIME].present || lx->ns[HULL_NS_TIME].path)
		return spec_error(c, &tp,
		                  "needs a new time namespace (a \"time\" entry without "
		                  "path in linux.namespaces)");
	r = validate_time_offset(c, &lx->time_monotonic, &tp, "monotonic");
	return r < 0 ? r : validate_time_offset(c, &lx->time_boottime, &tp, "boottime");
}

/* ---- sysctl ---- */

enum sysctl_class { SYSCTL_INVALID, SYSCTL_HOST, SYSCTL_IPC, SYSCTL_NET, SYSCTL_UTS };

/* sysctl(8) takes '.' or '/' as separators; normalize to '.', refusing empty
 * components (which also refuses ".." tricks against /proc/sys paths). */
static bool sysctl_normalize(const char *key, char *out, size_t size)
{
	size_t n = strlen(key);

	if (n == 0 || n >= size)
		return false;
	for (size_t i = 0; i <= n; i++) {
		char ch = key[i] == '/' ? '.' : key[i];

		if ((ch == '.' || ch == '\0') && (i == 0 || out[i - 1] == '.'))
			return false;
		out[i] = ch;
	}
	return true;
}

static enum sysctl_class sysctl_classify(const char *key)
{
	static const char *const ipc[] = {
	    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
	    "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
	};
	char k[256];

	if (!sysctl_normalize(key, k, sizeof(k)))
		return SYSCTL_INVALID;
	for (size_t i = 0; i < sizeof(ipc) / sizeof(ipc[0]); i++)
		if (strcmp(k, ipc[i]) == 0)
			return SYSCTL_IPC;
	if (strncmp(k, "fs.mqueue.", 10) == 0)
		return SYSCTL_IPC;
	if (strncmp(k, "net.", 4) == 0)
		return SYSCTL_NET;
	if (strcmp(k, "kernel.hostname") == 0 || strcmp(k, "kernel.domainname") == 0)
		return SYSCTL_UTS;
	return SYSCTL_HOST;
}

static int validate_sysctl(struct spec_ctx *c, const struct hull_spec *s, const struct jpath *lp)
{
	static const struct {
		enum hull_ns_type ns;
		const char *what;
	} need[] = {
	    [SYSCTL_IPC] = {HULL_NS_IPC, "an IPC"},
	    [SYSCTL_NET] = {HULL_NS_NET, "a network"},
	    [SYSCTL_UTS] = {HULL_NS_UTS, "a UTS"},
	};
	struct jpath sp = JP_KEY(lp, "sysctl");

	for (size_t i = 0; i < s->linux_.n_sysctl; i++) {
		const char *key = s->linux_.sysctl[i].key;
		enum sysctl_class cls = sysctl_classify(key);
		struct jpath kp = JP_KEY(&sp, key);

		if (cls == SYSCTL_INVALID)
			return spec_error(c, &kp, "invalid sysctl name");
		if (cls == SYSCTL_HOST)
			return spec_error(c, &kp,
			                  "not a namespaced sysctl, refusing to change it "
			                  "for the whole host");
		if (!ns_present(s, need[cls].ns))
			return spec_error(c, &kp,
			                  "needs %s namespace in linux.namespaces, or it "
			                  "would change the host's setting",
			                  need[cls].what);
		if (cls == SYSCTL_UTS && s->hostname && strstr(key, "hostname"))
			return spec_error(c, &kp, "conflicts with \"hostname\"");
		if (cls == SYSCTL_UTS && s->domainname && strstr(key, "domainname"))
			return spec_error(c, &kp, "conflicts with \"domainname\"");
	}
	return 0;
}

/* ---- devices, network devices, paths ---- */

static int validate_devices(struct spec_ctx *c, const struct hull_linux *lx, const struct jpath *lp)
{
	struct jpath dp = JP_KEY(lp, "devices");

	for (size_t i = 0; i < lx->n_devices; i++) {
		const struct hull_device *d = &lx->devices[i];
		struct jpath ep = JP_IDX(&dp, i), pp = JP_KEY(&ep, "path");
		struct jpath mp = JP_KEY(&ep, "fileMode");

		if (!is_abs(d->path))
			return spec_error(c, &pp, "must be an absolute path");
		if (d->type != 'p' && (d->major < 0 || d->major > UINT32_MAX || d->minor < 0 ||
		                       d->minor > UINT32_MAX))
			return spec_error(c, &ep,
			                  "major and minor must be between 0 and 4294967295");
		if (d->has_file_mode && d->file_mode > 07777)
			return spec_error(c, &mp,
			                  "must be a permission mode (at most 07777, "
			                  "written in decimal)");
	}
	return 0;
}

/* The kernel's dev_valid_name(); "%d" in a new name asks it for a free number. */
static bool ifname_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= 16 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s == ' ' || (*s >= '\t' && *s <= '\r'))
			return false;
	return true;
}

static int validate_net_devices(struct spec_ctx *c, const struct hull_linux *lx,
                                const struct jpath *lp)
{
	struct jpath np = JP_KEY(lp, "netDevices");

	if (lx->n_net_devices && !lx->ns[HULL_NS_NET].present)
		return spec_error(c, &np, "needs a network namespace in linux.namespaces");
	for (size_t i = 0; i < lx->n_net_devices; i++) {
		const struct hull_net_device *d = &lx->net_devices[i];
		const char *name = d->name && d->name[0] ? d->name : d->host_name;
		struct jpath dp = JP_KEY(&np, d->host_name), nnp = JP_KEY(&dp, "name");

		if (!ifname_valid(d->host_name))
			return spec_error(c, &dp, "invalid interface name");
		if (!ifname_valid(name))
			return spec_error(c, &nnp, "invalid interface name");
		for (size_t j = 0; j < i && !strstr(name, "%d"); j++) {
			const struct hull_net_device *o = &lx->net_devices[j];
			const char *oname = o->name && o->name[0] ? o->name : o->host_name;

			if (strcmp(name, oname) == 0)
				return spec_error(c, &dp, "same name in the container as \"%s\"",
				                  o->host_name);
		}
	}
	return 0;
}

static int validate_abs_paths(struct spec_ctx *c, const char **paths, const struct jpath *p)
{
	for (size_t i = 0; paths && paths[i]; i++) {
		struct jpath ep = JP_IDX(p, i);

		if (!is_abs(paths[i]))
			return spec_error(c, &ep, "must be an absolute path");
	}
	return 0;
}

static int validate_paths(struct spec_ctx *c, const struct hull_linux *lx, const struct jpath *lp)
{
	struct jpath mp = JP_KEY(lp, "maskedPaths"), rp = JP_KEY(lp, "readonlyPaths");
	int r;

	r = validate_abs_paths(c, lx->masked_paths, &mp);
	if (r == 0)
		r = validate_abs_paths(c, lx->readonly_paths, &rp);
	if (r < 0)
		return r;
	/* without a mount namespace these would mask the host's /proc */
	if (((lx->masked_paths && lx->masked_paths[0]) ||
	     (lx->readonly_paths && lx->readonly_paths[0])) &&
	    !lx->ns[HULL_NS_MNT].present)
		return spec_error(c, lx->masked_paths && lx->masked_paths[0] ? &mp : &rp,
		                  "unable to restrict sys entries without a private MNT namespace");
	return 0;
}

/* ---- resources ---- */

static bool access_valid(const char *s)
{
	bool seen[3] = {false, false, false};

	if (!*s)
		return false;
	for (; *s; s++) {
		const char *at = strchr("rwm", *s);

		if (!at || seen[at - "rwm"])
			return false;
		seen[at - "rwm"] = true;
	}
	return true;
}

static int validate_device_rules(struct spec_ctx *c, const struct hull_resources *res,
                                 const struct jpath *rp)
{
	struct jpath dp = JP_KEY(rp, "devices");

	for (size_t i = 0; i < res->n_devices; i++) {
		const struct hull_device_cgroup *d = &res->devices[i];
		struct jpath ep = JP_IDX(&dp, i), ap = JP_KEY(&ep, "access");
		struct jpath mp = JP_KEY(&ep, "major"), np = JP_KEY(&ep, "minor");

		if (d->access && !access_valid(d->access))
			return spec_error(c, &ap, "expected a combination of r, w and m");
		/* at most 32 bits, as linux.devices: the v2 device program compares
		 * 32-bit immediates, so 4294967297 would be major 1 there */
		if (d->has_major && (d->major < -1 || d->major > UINT32_MAX))
			return spec_error(c, &mp, "must be a device number or -1 (any)");
		if (d->has_minor && (d->minor < -1 || d->minor > UINT32_MAX))
			return spec_error(c, &np, "must be a device number or -1 (any)");
	}
	return 0;
}

static int validate_memory(struct spec_ctx *c, const struct hull_memory *m, const struct jpath *rp)
{
	static const struct {
		const char *key;
		size_t has, val;
	} limits[] = {
#define L(k, f) {k, offsetof(struct hull_memory, has_##f), offsetof(struct hull_memory, f)}
	    L("limit", limit),   L("reservation", reservation), L("swap", swap),
	    L("kernel", kernel), L("kernelTCP", kernel_tcp),
#undef L
	};
	struct jpath mp = JP_KEY(rp, "memory"), sp = JP_KEY(&mp, "swappiness");

	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		struct jpath kp = JP_KEY(&mp, limits[i].key);

		if (*(const bool *)((const char *)m + limits[i].has) &&
		    *(const int64_t *)((const char *)m + limits[i].val) < -1)
			return spec_error(c, &kp, "must be a number of bytes or -1 (unlimited)");
	}
	if (m->has_swappiness && m->swappiness > 100)
		return spec_error(c, &sp, "must be between 0 and 100");
	return 0;
}

static int validate_cpu(struct spec_ctx *c, const struct hull_cpu *cpu, const struct jpath *rp)
{
	struct jpath p = JP_KEY(rp, "cpu"), qp = JP_KEY(&p, "quota"), bp = JP_KEY(&p, "burst");
	struct jpath ip = JP_KEY(&p, "idle"), cp = JP_KEY(&p, "cpus"), mp = JP_KEY(&p, "mems");
	int r;

	if (cpu->has_quota && cpu->quota < -1)
		return spec_error(c, &qp, "must be a number of microseconds or -1 (unlimited)");
	if (cpu->has_burst && cpu->has_quota && cpu->quota > 0 && cpu->burst > (uint64_t)cpu->quota)
		return spec_error(c, &bp, "must not exceed the quota");
	if (cpu->has_idle && cpu->idle != 0 && cpu->idle != 1)
		return spec_error(c, &ip, "must be 0 or 1");
	r = check_list(c, cpu->cpus, &cp);
	return r < 0 ? r : check_list(c, cpu->mems, &mp);
}

static int validate_blkio(struct spec_ctx *c, const struct hull_blkio *b, const struct jpath *rp)
{
	struct jpath p = JP_KEY(rp, "blockIO"), wp = JP_KEY(&p, "weightDevice");

	for (size_t i = 0; i < b->n_weight_devices; i++) {
		const struct hull_blkio_weight_device *w = &b->weight_devices[i];
		struct jpath ep = JP_IDX(&wp, i);

		if (!w->has_weight && !w->has_leaf_weight)
			return spec_error(c, &ep, "needs weight or leafWeight");
	}
	return 0;
}

/* unified keys name files in the container's cgroup directory */
static bool cgroup_file_valid(const char *k)
{
	return k[0] && !strchr(k, '/') && strcmp(k, ".") != 0 && strcmp(k, "..") != 0;
}

int validate_resources(struct spec_ctx *c, const struct hull_resources *res, const struct jpath *lp)
{
	/* lp NULL: a bare resources document (update --resources), paths from its root */
	struct jpath res_key = JP_KEY(lp, "resources");
	const struct jpath *rp = lp ? &res_key : NULL;
	struct jpath pp = JP_KEY(rp, "pids");
	struct jpath plp = JP_KEY(&pp, "limit"), dp = JP_KEY(rp, "rdma");
	struct jpath up = JP_KEY(rp, "unified");
	int r;

	if (!res)
		return 0;
	r = validate_device_rules(c, res, rp);
	if (r == 0)
		r = validate_memory(c, &res->memory, rp);
	if (r == 0)
		r = validate_cpu(c, &res->cpu, rp);
	if (r == 0)
		r = validate_blkio(c, &res->blkio, rp);
	if (r < 0)
		return r;
	if (res->pids.has_limit && res->pids.limit < -1)
		return spec_error(c, &plp, "must be a number of tasks or -1 (unlimited)");
	for (size_t i = 0; i < res->n_rdma; i++) {
		struct jpath ep = JP_KEY(&dp, res->rdma[i].device);

		if (!res->rdma[i].has_hca_handles && !res->rdma[i].has_hca_objects)
			return spec_error(c, &ep, "needs hcaHandles or hcaObjects");
	}
	for (size_t i = 0; i < res->n_unified; i++) {
		struct jpath kp = JP_KEY(&up, res->unified[i].key);

		if (!cgroup_file_valid(res->unified[i].key))
			return spec_error(c, &kp, "must be a file name of the container's cgroup");
	}
	return 0;
}

/* ---- seccomp ---- */

static bool action_takes_errno(enum hull_seccomp_action a)
{
	return a == HULL_SCMP_ACT_ERRNO || a == HULL_SCMP_ACT_TRACE;
}

static int validate_syscall(struct spec_ctx *c, const struct hull_seccomp *sc,
                            const struct hull_seccomp_syscall *s, const struct jpath *p)
{
	struct jpath np = JP_KEY(p, "names"), ep = JP_KEY(p, "errnoRet");
	struct jpath ap = JP_KEY(p, "action"), argp = JP_KEY(p, "args");

	if (s->n_names == 0)
		return spec_error(c, &np, "must not be empty");
	for (size_t i = 0; i < s->n_names; i++) {
		struct jpath ip = JP_IDX(&np, i);

		if (!s->names[i][0])
			return spec_error(c, &ip, "empty syscall name");
		/* runc: the runtime itself still writes after loading the filter */
		if (s->action == HULL_SCMP_ACT_NOTIFY && strcmp(s->names[i], "write") == 0)
			return spec_error(c, &ip, "SCMP_ACT_NOTIFY cannot be used for write");
	}
	if (s->has_errno_ret && !action_takes_errno(s->action))
		return spec_error(c, &ep, "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno");
	if (s->action == HULL_SCMP_ACT_NOTIFY && !sc->listener_path)
		return spec_error(c, &ap, "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath");
	for (size_t i = 0; i < s->n_args; i++) {
		struct jpath ip = JP_IDX(&argp, i), xp = JP_KEY(&ip, "index");

		if (s->args[i].index > 5)
			return spec_error(c, &xp, "must be between 0 and 5");
	}
	return 0;
}

static int validate_seccomp(struct spec_ctx *c, const struct hull_seccomp *sc,
                            const struct jpath *lp)
{
	struct jpath p = JP_KEY(lp, "seccomp"), dp = JP_KEY(&p, "defaultAction");
	struct jpath ep = JP_KEY(&p, "defaultErrnoRet"), mp = JP_KEY(&p, "listenerMetadata");
	struct jpath sp = JP_KEY(&p, "syscalls");

	if (!sc)
		return 0;
	if (sc->default_action == HULL_SCMP_ACT_NOTIFY)
		return spec_error(c, &dp, "SCMP_ACT_NOTIFY cannot be the default action");
	if (sc->has_default_errno_ret && !action_takes_errno(sc->default_action))
		return spec_error(c, &ep, "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno");
	if (sc->listener_metadata && !sc->listener_path)
		return spec_error(c, &mp, "needs listenerPath");
	for (size_t i = 0; i < sc->n_syscalls; i++) {
		struct jpath ip = JP_IDX(&sp, i);
		int r = validate_syscall(c, sc, &sc->syscalls[i], &ip);

		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- intelRdt, memoryPolicy ---- */

static int validate_intel_rdt(struct spec_ctx *c, const struct hull_intel_rdt *rdt,
                              const struct jpath *lp)
{
	struct jpath p = JP_KEY(lp, "intelRdt"), cp = JP_KEY(&p, "closID");
	struct jpath lp3 = JP_KEY(&p, "l3CacheSchema"), mp = JP_KEY(&p, "memBwSchema");
	struct jpath sp = JP_KEY(&p, "schemata");

	if (!rdt)
		return 0;
	/* a directory name under the resctrl mount; "/" is its root */
	if (rdt->clos_id && strcmp(rdt->clos_id, "/") != 0 && !cgroup_file_valid(rdt->clos_id))
		return spec_error(c, &cp, "must be \"/\" or a plain directory name");
	if (rdt->l3_cache_schema && strchr(rdt->l3_cache_schema, '\n'))
		return spec_error(c, &lp3, "must not contain newlines");
	if (rdt->mem_bw_schema &&
	    (strncmp(rdt->mem_bw_schema, "MB:", 3) != 0 || strchr(rdt->mem_bw_schema, '\n')))
		return spec_error(c, &mp, "must start with \"MB:\" and not contain newlines");
	for (size_t i = 0; rdt->schemata && rdt->schemata[i]; i++) {
		struct jpath ep = JP_IDX(&sp, i);

		if (strchr(rdt->schemata[i], '\n'))
			return spec_error(c, &ep, "must not contain newlines");
	}
	return 0;
}

static int validate_memory_policy(struct spec_ctx *c, const struct hull_memory_policy *m,
                                  const struct jpath *lp)
{
	struct jpath p = JP_KEY(lp, "memoryPolicy"), np = JP_KEY(&p, "nodes");
	struct jpath fp = JP_KEY(&p, "flags");
	bool has_nodes;

	if (!m)
		return 0;
	has_nodes = m->nodes && m->nodes[0];
	if (check_list(c, m->nodes, &np) < 0)
		return -EINVAL;
	if ((m->mode == MPOL_DEFAULT || m->mode == MPOL_LOCAL) && has_nodes)
		return spec_error(c, &np, "must be empty for MPOL_DEFAULT and MPOL_LOCAL");
	if ((m->mode == MPOL_BIND || m->mode == MPOL_INTERLEAVE ||
	     m->mode == MPOL_WEIGHTED_INTERLEAVE || m->mode == MPOL_PREFERRED_MANY) &&
	    !has_nodes)
		return spec_error(c, &np, "%sthis mode needs at least one node",
		                  m->nodes ? "" : "missing: ");
	if ((m->flags & MPOL_F_STATIC_NODES) && (m->flags & MPOL_F_RELATIVE_NODES))
		return spec_error(c, &fp,
		                  "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES are "
		                  "mutually exclusive");
	return 0;
}

static int validate_linux(struct spec_ctx *c, const struct hull_spec *s)
{
	const struct hull_linux *lx = &s->linux_;
	struct jpath lp = JP_KEY(NULL, "linux");
	int r;

	r = validate_userns(c, lx, &lp);
	if (r == 0)
		r = validate_timens(c, lx, &lp);
	if (r == 0)
		r = validate_sysctl(c, s, &lp);
	if (r == 0)
		r = validate_devices(c, lx, &lp);
	if (r == 0)
		r = validate_net_devices(c, lx, &lp);
	if (r == 0)
		r = validate_paths(c, lx, &lp);
	if (r == 0)
		r = validate_resources(c, lx->resources, &lp);
	if (r == 0)
		r = validate_seccomp(c, lx->seccomp, &lp);
	if (r == 0)
		r = validate_intel_rdt(c, lx->intel_rdt, &lp);
	if (r == 0)
		r = validate_memory_policy(c, lx->memory_policy, &lp);
	return r;
}

int validate_spec(struct spec_ctx *c, const struct hull_spec *s)
{
	struct jpath pp = JP_KEY(NULL, "process");
	int r;

	/* optional in config.md, but create/run cannot do without it (as runc) */
	if (!s->has_process)
		return sj_missing(c, NULL, "process");
	r = validate_process(c, &s->process, &pp);
	if (r == 0)
		r = validate_top(c, s);
	if (r == 0)
		r = validate_uts(c, s);
	if (r == 0)
		r = validate_linux(c, s);
	return r;
}
