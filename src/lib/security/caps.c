/* SPDX-License-Identifier: Apache-2.0 */
/* Identity and capabilities: the order matters and follows runc. */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "security.h"

static int caps_bounding(uint64_t keep, struct hull_error *err)
{
	/* Requires CAP_SETPCAP, so it runs while still privileged. */
	for (int c = 0; c <= 63; c++) {
		if (keep & (1ULL << c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break; /* past the kernel's last capability */
			return hull_err_sys(err, errno, "drop capability %d from the bounding set",
			                    c);
		}
	}
	return 0;
}

static int caps_set(const struct hull_caps *c, struct hull_error *err)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2] = {
	    {(uint32_t)c->effective, (uint32_t)c->permitted, (uint32_t)c->inheritable},
	    {(uint32_t)(c->effective >> 32), (uint32_t)(c->permitted >> 32),
	     (uint32_t)(c->inheritable >> 32)},
	};

	if (syscall(SYS_capset, &h, d) < 0)
		return hull_err_sys(err, errno,
		                    "set capabilities (effective %#llx, permitted %#llx, "
		                    "inheritable %#llx)",
		                    (unsigned long long)c->effective,
		                    (unsigned long long)c->permitted,
		                    (unsigned long long)c->inheritable);
	return 0;
}

static int caps_ambient(uint64_t ambient, uint64_t allowed, struct hull_error *err)
{
	/* The kernel only lets a capability that is both permitted and
	 * inheritable be ambient. runc's default config lists ambient
	 * capabilities without inheritable ones and runc ignores the refusal;
	 * hull likewise raises only those the kernel can accept. */
	ambient &= allowed;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return hull_err_sys(err, errno, "clear ambient capabilities");
	for (int c = 0; c <= 63; c++)
		if ((ambient & (1ULL << c)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			return hull_err_sys(err, errno,
			                    "raise ambient capability %d (it must also be in the "
			                    "permitted and inheritable sets)",
			                    c);
	return 0;
}

static int ids_set(const struct hull_process *p, bool setgroups_allowed, struct hull_error *err)
{
	const struct hull_user *u = &p->user;

	/* Never let the host's supplementary groups into the container. */
	if (setgroups_allowed && setgroups(u->n_additional_gids, u->additional_gids) < 0)
		return hull_err_sys(err, errno, "setgroups (process.user.additionalGids)");
	if (!setgroups_allowed && u->n_additional_gids)
		return hull_err(err, EPERM,
		                "process.user.additionalGids: setgroups is denied in this user "
		                "namespace");
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		return hull_err_sys(err, errno, "setgid %u (is it mapped in the user namespace?)",
		                    u->gid);
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		return hull_err_sys(err, errno, "setuid %u (is it mapped in the user namespace?)",
		                    u->uid);
	return 0;
}

int sec_identity_apply(const struct hull_process *p, bool setgroups_allowed, struct hull_error *err)
{
	/* No capabilities object means no capabilities, bounding set included:
	 * otherwise uid 0 would regain the whole bounding set at execve. */
	static const struct hull_caps none;
	const struct hull_caps *c = p->caps.present ? &p->caps : &none;
	int ret;

	if ((ret = caps_bounding(c->bounding, err)) < 0)
		return ret;
	/* Keep the permitted set across the uid change; capset below
	 * narrows it to what the config asks for. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return hull_err_sys(err, errno, "prctl(PR_SET_KEEPCAPS)");
	if ((ret = ids_set(p, setgroups_allowed, err)) < 0)
		return ret;
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return hull_err_sys(err, errno, "prctl(PR_SET_KEEPCAPS)");
	if ((ret = caps_set(c, err)) < 0)
		return ret;
	return caps_ambient(c->ambient, c->permitted & c->inheritable, err);
}
