/* SPDX-License-Identifier: Apache-2.0 */
/*
 * linux.seccomp. libseccomp compiles the rules into a BPF program once, in
 * hull before the clone; the program and the kernel's filter flags are all
 * the container process inherits, and it loads them with one seccomp(2) call
 * as late as it can: right before exec with no_new_privs; otherwise before
 * the identity change, while it still has CAP_SYS_ADMIN (the kernel requires
 * one or the other). Loading by hand also gives every flag the kernel has
 * (WAIT_KILLABLE_RECV, which libseccomp 2.5 lacks) and the NOTIFY listener.
 * Syscall names this libseccomp does not know are skipped, as runc does
 * (profiles list syscalls of newer kernels).
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp_cache.h"
#include "security.h"
#include "spec/spec_seccomp.h"
#include "util/cleanup.h"

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
    [HULL_SCMP_CMP_NE] = SCMP_CMP_NE,
    [HULL_SCMP_CMP_LT] = SCMP_CMP_LT,
    [HULL_SCMP_CMP_LE] = SCMP_CMP_LE,
    [HULL_SCMP_CMP_EQ] = SCMP_CMP_EQ,
    [HULL_SCMP_CMP_GE] = SCMP_CMP_GE,
    [HULL_SCMP_CMP_GT] = SCMP_CMP_GT,
    [HULL_SCMP_CMP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

static int action(enum hull_seccomp_action a, bool has_errno, uint32_t errno_ret, uint32_t *ret,
                  struct hull_error *err)
{
	uint32_t e = has_errno ? errno_ret : EPERM;

	switch (a) {
	case HULL_SCMP_ACT_KILL:
	case HULL_SCMP_ACT_KILL_THREAD:
		*ret = SCMP_ACT_KILL_THREAD;
		return 0;
	case HULL_SCMP_ACT_KILL_PROCESS:
		*ret = SCMP_ACT_KILL_PROCESS;
		return 0;
	case HULL_SCMP_ACT_TRAP:
		*ret = SCMP_ACT_TRAP;
		return 0;
	case HULL_SCMP_ACT_ERRNO:
		*ret = SCMP_ACT_ERRNO(e);
		return 0;
	case HULL_SCMP_ACT_TRACE:
		*ret = SCMP_ACT_TRACE(e);
		return 0;
	case HULL_SCMP_ACT_ALLOW:
		*ret = SCMP_ACT_ALLOW;
		return 0;
	case HULL_SCMP_ACT_LOG:
		*ret = SCMP_ACT_LOG;
		return 0;
	case HULL_SCMP_ACT_NOTIFY:
		*ret = SCMP_ACT_NOTIFY;
		return 0;
	default:
		return hull_err(err, EINVAL, "linux.seccomp: unknown action %d", (int)a);
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
		cmp[i] = (struct scmp_arg_cmp){.arg = a->index,
		                               .op = ops[a->op],
		                               .datum_a = a->value,
		                               .datum_b = a->value_two};
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
			return hull_err_sys(err, -r, "linux.seccomp.syscalls[%zu]: add rule for %s",
			                    idx, sc->names[n]);
	}
	return 0;
}

struct sec_seccomp {
	struct sock_fprog prog;
	unsigned flags; /* SECCOMP_FILTER_FLAG_* */
};

static unsigned kernel_flags(const struct hull_seccomp *s, bool notify)
{
	unsigned f = 0;

	if (s->flags & HULL_SECCOMP_FLAG_TSYNC)
		f |= SECCOMP_FILTER_FLAG_TSYNC;
	if (s->flags & HULL_SECCOMP_FLAG_LOG)
		f |= SECCOMP_FILTER_FLAG_LOG;
	if (s->flags & HULL_SECCOMP_FLAG_SPEC_ALLOW)
		f |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (notify) {
		f |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		/* TSYNC and a listener: the kernel wants ESRCH for a failed sync */
		if (f & SECCOMP_FILTER_FLAG_TSYNC)
			f |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
		/* Only meaningful, and only accepted, with a listener (as libseccomp). */
		if (s->flags & HULL_SECCOMP_FLAG_WAIT_KILLABLE_RECV)
			f |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	}
	return f;
}

static bool uses_notify(const struct hull_seccomp *s)
{
	if (s->default_action == HULL_SCMP_ACT_NOTIFY)
		return true;
	for (size_t i = 0; i < s->n_syscalls; i++)
		if (s->syscalls[i].action == HULL_SCMP_ACT_NOTIFY)
			return true;
	return false;
}

static int compile(const struct hull_seccomp *s, scmp_filter_ctx ctx, uint32_t def,
                   struct hull_error *err)
{
	int r;

	/* no_new_privs is the config's business, not libseccomp's */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	for (size_t i = 0; i < s->n_architectures; i++) {
		uint32_t a = arches[s->architectures[i]];
		if (!a)
			return hull_err(err, EOPNOTSUPP,
			                "linux.seccomp.architectures[%zu]: %s is not supported by "
			                "this libseccomp",
			                i, hull_seccomp_arch_name(s->architectures[i]));
		if ((r = seccomp_arch_add(ctx, a)) < 0 && r != -EEXIST)
			return hull_err_sys(err, -r, "linux.seccomp.architectures[%zu]", i);
	}
	for (size_t i = 0; i < s->n_syscalls; i++)
		if ((r = add_rules(ctx, def, &s->syscalls[i], i, err)) < 0)
			return r;
	return 0;
}

/* The BPF program, through a memfd (libseccomp 2.5 exports only to an fd). */
static int export_prog(scmp_filter_ctx ctx, struct sock_fprog *prog, struct hull_error *err)
{
	_cleanup_close_ int fd = memfd_create("hull-seccomp", MFD_CLOEXEC);
	int r;

	if (fd < 0)
		return hull_err_sys(err, errno, "linux.seccomp: memfd_create");
	if ((r = seccomp_export_bpf(ctx, fd)) < 0)
		return hull_err_sys(err, -r, "linux.seccomp: compile the filter");
	off_t len = lseek(fd, 0, SEEK_CUR);
	if (len <= 0 || len % (off_t)sizeof(struct sock_filter) != 0)
		return hull_err(err, EIO, "linux.seccomp: the compiled filter has %lld bytes",
		                (long long)len);
	if (len / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS)
		return hull_err(err, E2BIG,
		                "linux.seccomp: the compiled filter has more than %d instructions",
		                BPF_MAXINSNS);
	_cleanup_free_ struct sock_filter *insns = malloc((size_t)len);
	if (!insns)
		return hull_err_sys(err, ENOMEM, "linux.seccomp: the compiled filter");
	if (pread(fd, insns, (size_t)len, 0) != len)
		return hull_err_sys(err, errno ? errno : EIO,
		                    "linux.seccomp: read the compiled filter");
	prog->len = (unsigned short)(len / (off_t)sizeof(*insns));
	prog->filter = take_ptr(insns);
	return 0;
}

int sec_seccomp_build(const struct hull_seccomp *s, const char *cache_root,
                      struct sec_seccomp **ret, struct hull_error *err)
{
	_cleanup_free_ char *key = NULL;
	_cleanup_close_ int dir = -1;
	size_t key_len = 0;
	uint32_t def = 0;
	int r;

	*ret = NULL;
	if (!s)
		return 0;
	if ((r = action(s->default_action, s->has_default_errno_ret, s->default_errno_ret, &def,
	                err)) < 0)
		return hull_err_prefix(err, "linux.seccomp.defaultAction");
	bool notify = uses_notify(s);
	if (notify && !s->listener_path)
		return hull_err(err, EINVAL,
		                "linux.seccomp: SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath");
	struct sec_seccomp *f = calloc(1, sizeof(*f));
	if (!f)
		return hull_err(err, ENOMEM, "linux.seccomp");
	f->flags = kernel_flags(s, notify);
	if (cache_root && (key = seccomp_cache_key(s, &key_len)) &&
	    (dir = seccomp_cache_open(cache_root)) >= 0 &&
	    seccomp_cache_load(dir, key, key_len, &f->prog) == 0) {
		*ret = f;
		return 0;
	}
	scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx)
		r = hull_err(err, ENOMEM, "linux.seccomp: seccomp_init");
	else if ((r = compile(s, ctx, def, err)) == 0)
		r = export_prog(ctx, &f->prog, err);
	if (ctx)
		seccomp_release(ctx);
	if (r < 0) {
		free(f);
		return r;
	}
	if (dir >= 0)
		seccomp_cache_store(dir, key, key_len, &f->prog);
	*ret = f;
	return 0;
}

bool sec_seccomp_notifies(const struct sec_seccomp *f)
{
	return f && (f->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER);
}

int sec_seccomp_load(const struct sec_seccomp *f, int *ret_listener, struct hull_error *err)
{
	long r;

	*ret_listener = -1;
	if (!f)
		return 0;
	r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f->flags, &f->prog);
	if (r < 0 && errno == EINVAL && (f->flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV))
		return hull_err_sys(
		    err, errno,
		    "load the seccomp filter (SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV "
		    "needs Linux 5.19)");
	if (r < 0)
		return hull_err_sys(err, errno, "load the seccomp filter");
	if (f->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)
		*ret_listener = (int)r;
	return 0;
}

void sec_seccomp_free(struct sec_seccomp *f)
{
	if (f) {
		free(f->prog.filter);
		free(f);
	}
}
