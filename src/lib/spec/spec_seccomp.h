/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * linux.seccomp (config-linux.md "Seccomp"), parsed and validated against the
 * spec's lists of actions, operators, architectures and flags. Syscall names
 * are kept as strings: resolving them needs libseccomp and the target
 * architectures, which is the security module's job.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hull_seccomp_action {
	HULL_SCMP_ACT_KILL, /* libseccomp's SCMP_ACT_KILL is KILL_THREAD */
	HULL_SCMP_ACT_KILL_PROCESS,
	HULL_SCMP_ACT_KILL_THREAD,
	HULL_SCMP_ACT_TRAP,
	HULL_SCMP_ACT_ERRNO,
	HULL_SCMP_ACT_TRACE,
	HULL_SCMP_ACT_ALLOW,
	HULL_SCMP_ACT_LOG,
	HULL_SCMP_ACT_NOTIFY,
	HULL_SCMP_ACT__COUNT
};

enum hull_seccomp_op {
	HULL_SCMP_CMP_NE,
	HULL_SCMP_CMP_LT,
	HULL_SCMP_CMP_LE,
	HULL_SCMP_CMP_EQ,
	HULL_SCMP_CMP_GE,
	HULL_SCMP_CMP_GT,
	HULL_SCMP_CMP_MASKED_EQ,
	HULL_SCMP_CMP__COUNT
};

enum hull_seccomp_arch {
	HULL_SCMP_ARCH_X86,
	HULL_SCMP_ARCH_X86_64,
	HULL_SCMP_ARCH_X32,
	HULL_SCMP_ARCH_ARM,
	HULL_SCMP_ARCH_AARCH64,
	HULL_SCMP_ARCH_MIPS,
	HULL_SCMP_ARCH_MIPS64,
	HULL_SCMP_ARCH_MIPS64N32,
	HULL_SCMP_ARCH_MIPSEL,
	HULL_SCMP_ARCH_MIPSEL64,
	HULL_SCMP_ARCH_MIPSEL64N32,
	HULL_SCMP_ARCH_PPC,
	HULL_SCMP_ARCH_PPC64,
	HULL_SCMP_ARCH_PPC64LE,
	HULL_SCMP_ARCH_S390,
	HULL_SCMP_ARCH_S390X,
	HULL_SCMP_ARCH_PARISC,
	HULL_SCMP_ARCH_PARISC64,
	HULL_SCMP_ARCH_RISCV64,
	HULL_SCMP_ARCH_LOONGARCH64,
	HULL_SCMP_ARCH_M68K,
	HULL_SCMP_ARCH_SH,
	HULL_SCMP_ARCH_SHEB,
	HULL_SCMP_ARCH__COUNT
};

/* Bits of hull_seccomp.flags. */
enum {
	HULL_SECCOMP_FLAG_TSYNC = 1u << 0,
	HULL_SECCOMP_FLAG_LOG = 1u << 1,
	HULL_SECCOMP_FLAG_SPEC_ALLOW = 1u << 2,
	HULL_SECCOMP_FLAG_WAIT_KILLABLE_RECV = 1u << 3,
};

struct hull_seccomp_arg {
	uint32_t index; /* 0..5 */
	uint64_t value;
	bool has_value_two;
	uint64_t value_two;
	enum hull_seccomp_op op;
};

struct hull_seccomp_syscall {
	const char **names; /* NULL-terminated, at least one */
	size_t n_names;
	enum hull_seccomp_action action;
	bool has_errno_ret; /* only with ERRNO or TRACE */
	uint32_t errno_ret;
	struct hull_seccomp_arg *args;
	size_t n_args;
};

struct hull_seccomp {
	enum hull_seccomp_action default_action;
	bool has_default_errno_ret; /* only with ERRNO or TRACE */
	uint32_t default_errno_ret;
	enum hull_seccomp_arch *architectures;
	size_t n_architectures;
	bool has_flags;                /* "flags" given (possibly empty): use exactly these */
	unsigned flags;                /* HULL_SECCOMP_FLAG_* */
	const char *listener_path;     /* required when any action is NOTIFY */
	const char *listener_metadata; /* only with listener_path */
	struct hull_seccomp_syscall *syscalls;
	size_t n_syscalls;
};

/* "SCMP_ACT_ERRNO", "SCMP_CMP_EQ", "SCMP_ARCH_X86_64", "SECCOMP_FILTER_FLAG_LOG" */
const char *hull_seccomp_action_name(enum hull_seccomp_action a);
const char *hull_seccomp_op_name(enum hull_seccomp_op op);
const char *hull_seccomp_arch_name(enum hull_seccomp_arch arch);
const char *hull_seccomp_flag_name(unsigned flag);
