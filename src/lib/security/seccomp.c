/* SPDX-License-Identifier: Apache-2.0 */
/*
 * linux.seccomp with libseccomp. The filter is built once, in hull before the
 * clone (the container process inherits it) and loaded by the process as late
 * as it can: right before exec with no_new_privs; otherwise before the
 * identity change, while it still has CAP_SYS_ADMIN (the kernel requires one
 * or the other). Syscall names this libseccomp does not know are skipped, as
 * runc does (profiles list syscalls of newer kernels).
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "security.h"
#include "spec/spec_seccomp.h"

static const uint32_t arches[HULL_SCMP_ARCH__COUNT] = {
	[HULL_SCMP_ARCH_X86] = SCMP_ARCH_X86,
	[HULL_SCMP_ARCH_X86_64] = SCMP_ARCH_X86_64,
	[HULL_SCMP_ARCH_X32] = SCMP_ARCH_X32,
	[HULL_SCMP_ARCH_ARM] = SCMP_ARCH_ARM,
	[HULL_SCMP_ARCH_AARCH64] = SCMP_ARCH_AARCH64,
	[HULL_SCMP_ARCH_MIPS] = SCMP_ARCH_MIPS,
	[HULL_SCMP_ARCH_MIPS64] = SCMP_ARCH_MIPS64,
	[HULL_SCMP_ARCH_MIPS64N32] = SCMP_ARCH_MIPS64N32,
	[HULL_SCMP_ARCH_MIPSEL] = SCMP_ARCH_MIPSEL,
	[HULL_SCMP_ARCH_MIPSEL64] = SCMP_ARCH_MIPSEL64,
	[HULL_SCMP_ARCH_MIPSEL64N32] = SCMP_ARCH_MIPSEL64N32,
	[HULL_SCMP_ARCH_PPC] = SCMP_ARCH_PPC,
	[HULL_SCMP_ARCH_PPC64] = SCMP_ARCH_PPC64,
	[HULL_SCMP_ARCH_PPC64LE] = SCMP_ARCH_PPC64LE,
	[HULL_SCMP_ARCH_S390] = SCMP_ARCH_S390,
	[HULL_SCMP_ARCH_S390X] = SCMP_ARCH_S390X,
	[HULL_SCMP_ARCH_PARISC] = SCMP_ARCH_PARISC,
	[HULL_SCMP_ARCH_PARISC64] = SCMP_ARCH_PARISC64,
	[HULL_SCMP_ARCH_RISCV64] = SCMP_ARCH_RISCV64,
};

static const enum scmp_compare ops[HULL_SCMP_CMP__COUNT] = {
	[HULL_SCMP_CMP_NE] = SCMP_CMP_NE,	  [HULL_SCMP_CMP_LT] = SCMP_CMP_LT,
	[HULL_SCMP_CMP_LE] = SCMP_CMP_LE,	  [HULL_SCMP_CMP_EQ] = SCMP_CMP_EQ,
	[HULL_SCMP_CMP_GE] = SCMP_CMP_GE,	  [HULL_SCMP_CMP_GT] = SCMP_CMP_GT,
	[HULL_SCMP_CMP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

static int action(enum hull_seccomp_action a, bool has_errno, uint32_t errno_ret, uint32_t *ret,
		  struct hull_error *err)
{
	uint32_t e = has_errno ? errno_ret : EPERM;

	switch (a) {
	case HULL_SCMP_ACT_KILL:
	case HULL_SCMP_ACT_KILL_THREAD: *ret = SCMP_ACT_KILL_THREAD; return 0;
	case HULL_SCMP_ACT_KILL_PROCESS: *ret = SCMP_ACT_KILL_PROCESS; return 0;
	case HULL_SCMP_ACT_TRAP: *ret = SCMP_ACT_TRAP; return 0;
	case HULL_SCMP_ACT_ERRNO: *ret = SCMP_ACT_ERRNO(e); return 0;
	case HULL_SCMP_ACT_TRACE: *ret = SCMP_ACT_TRACE(e); return 0;
	case HULL_SCMP_ACT_ALLOW: *ret = SCMP_ACT_ALLOW; return 0;
	case HULL_SCMP_ACT_LOG: *ret = SCMP_ACT_LOG; return 0;
	default:
		return hull_err(err, EOPNOTSUPP,
				"linux.seccomp: SCMP_ACT_NOTIFY (listenerPath) is not supported by "
				"this build yet");
	}
}

static bool repeated_index(const struct hull_seccomp_syscall *sc)
{
	for (size_t i = 0; i < sc->n_args; i++)
		for (size_t j = i + 1; j < sc->n_args; j++)
			if (sc->args[i].index == sc->args[j].index)
				return true;
	return false;
}

static int add_rules(scmp_filter_ctx ctx, uint32_t def, const struct hull_seccomp_syscall *sc,
		     size_t idx, struct hull_error *err)
{
	struct scmp_arg_cmp cmp[6];
	uint32_t act = 0;
	int r;

	if ((r = action(sc->action, sc->has_errno_ret, sc->errno_ret, &act, err)) < 0)
		return r;
	if (act == def)
		return 0; /* libseccomp refuses a rule with the default action */
	for (size_t i = 0; i < sc->n_args && i < 6; i++) {
		const struct hull_seccomp_arg *a = &sc->args[i];
		cmp[i] = (struct scmp_arg_cmp){.arg = a->index, .op = ops[a->op],
					       .datum_a = a->value, .datum_b = a->value_two};
	}
	for (size_t n = 0; n < sc->n_names; n++) {
		int nr = seccomp_syscall_resolve_name(sc->names[n]);
		if (nr == __NR_SCMP_ERROR)
			continue; /* unknown to this libseccomp: skipped (runc) */
		if (repeated_index(sc)) {
			/* Conditions on one argument are alternatives (runc): a rule each. */
			for (size_t i = 0; i < sc->n_args && r >= 0; i++)
				r = seccomp_rule_add_array(ctx, act, nr, 1, &cmp[i]);
		} else {
			r = seccomp_rule_add_array(ctx, act, nr, (unsigned)sc->n_args, cmp);
		}
		if (r < 0)
			return hull_err_sys(err, -r, "linux.seccomp.syscalls[%zu]: add rule for %s", idx,
					    sc->names[n]);
	}
	return 0;
}

int sec_seccomp_build(const struct hull_seccomp *s, void **ret, struct hull_error *err)
{
	uint32_t def = 0;
	int r;

	*ret = NULL;
	if (!s)
		return 0;
	if ((r = action(s->default_action, s->has_default_errno_ret, s->default_errno_ret, &def,
			err)) < 0)
		return hull_err_prefix(err, "linux.seccomp.defaultAction");
	scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx)
		return hull_err(err, ENOMEM, "linux.seccomp: seccomp_init");
	/* no_new_privs is the config's business, not libseccomp's */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	for (size_t i = 0; i < s->n_architectures; i++) {
		uint32_t a = arches[s->architectures[i]];
		if (!a) {
			r = hull_err(err, EOPNOTSUPP, "linux.seccomp.architectures[%zu]: %s is not "
				     "supported by this libseccomp", i,
				     hull_seccomp_arch_name(s->architectures[i]));
			goto fail;
		}
		if ((r = seccomp_arch_add(ctx, a)) < 0 && r != -EEXIST) {
			r = hull_err_sys(err, -r, "linux.seccomp.architectures[%zu]", i);
			goto fail;
		}
	}
	if (s->flags & HULL_SECCOMP_FLAG_TSYNC)
		seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	if (s->flags & HULL_SECCOMP_FLAG_LOG)
		seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
	if (s->flags & HULL_SECCOMP_FLAG_SPEC_ALLOW)
		seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1);
	if (s->flags & HULL_SECCOMP_FLAG_WAIT_KILLABLE_RECV) {
		r = hull_err(err, EOPNOTSUPP,
			     "linux.seccomp.flags: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs a "
			     "newer libseccomp");
		goto fail;
	}
	for (size_t i = 0; i < s->n_syscalls; i++)
		if ((r = add_rules(ctx, def, &s->syscalls[i], i, err)) < 0)
			goto fail;
	*ret = ctx;
	return 0;
fail:
	seccomp_release(ctx);
	return r;
}

int sec_seccomp_load(void *filter, struct hull_error *err)
{
	int r;

	if (!filter)
		return 0;
	if ((r = seccomp_load(filter)) < 0)
		return hull_err_sys(err, -r, "load the seccomp filter");
	return 0;
}

void sec_seccomp_free(void *filter)
{
	if (filter)
		seccomp_release(filter);
}
