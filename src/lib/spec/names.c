/* SPDX-License-Identifier: Apache-2.0 */
/* The spec's string constants and what they map to. */
#include "internal.h"
#include "spec_names.h"
#include "spec_seccomp.h"

#include <linux/capability.h>
#include <linux/ioprio.h>
#include <linux/mempolicy.h>
#include <linux/sched.h>
#include <sched.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>

#ifndef MPOL_PREFERRED_MANY
#define MPOL_PREFERRED_MANY 5
#endif
#ifndef MPOL_WEIGHTED_INTERLEAVE
#define MPOL_WEIGHTED_INTERLEAVE 6
#endif
#ifndef MPOL_F_NUMA_BALANCING
#define MPOL_F_NUMA_BALANCING (1 << 13)
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef SCHED_ISO
#define SCHED_ISO 4 /* reserved by the kernel, never implemented; the spec lists it */
#endif

struct name_value {
	const char *name;
	long value;
};

static long lookup(const struct name_value *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].value;
	return -1;
}

#define LOOKUP(table, name) lookup(table, sizeof(table) / sizeof(table[0]), name)
/* clang-format off */
#define NV(x) {#x, x}
/* clang-format on */

static const struct name_value rlimits[] = {
    NV(RLIMIT_AS),     NV(RLIMIT_CORE),   NV(RLIMIT_CPU),        NV(RLIMIT_DATA),
    NV(RLIMIT_FSIZE),  NV(RLIMIT_LOCKS),  NV(RLIMIT_MEMLOCK),    NV(RLIMIT_MSGQUEUE),
    NV(RLIMIT_NICE),   NV(RLIMIT_NOFILE), NV(RLIMIT_NPROC),      NV(RLIMIT_RSS),
    NV(RLIMIT_RTPRIO), NV(RLIMIT_RTTIME), NV(RLIMIT_SIGPENDING), NV(RLIMIT_STACK),
};

int names_rlimit(const char *name)
{
	return (int)LOOKUP(rlimits, name);
}

const char *hull_rlimit_name(int resource)
{
	for (size_t i = 0; i < sizeof(rlimits) / sizeof(rlimits[0]); i++)
		if (rlimits[i].value == resource)
			return rlimits[i].name;
	return NULL;
}

#define CAP(x) [CAP_##x] = "CAP_" #x
static const char *const caps[HULL_CAP_LAST + 1] = {
    CAP(CHOWN),
    CAP(DAC_OVERRIDE),
    CAP(DAC_READ_SEARCH),
    CAP(FOWNER),
    CAP(FSETID),
    CAP(KILL),
    CAP(SETGID),
    CAP(SETUID),
    CAP(SETPCAP),
    CAP(LINUX_IMMUTABLE),
    CAP(NET_BIND_SERVICE),
    CAP(NET_BROADCAST),
    CAP(NET_ADMIN),
    CAP(NET_RAW),
    CAP(IPC_LOCK),
    CAP(IPC_OWNER),
    CAP(SYS_MODULE),
    CAP(SYS_RAWIO),
    CAP(SYS_CHROOT),
    CAP(SYS_PTRACE),
    CAP(SYS_PACCT),
    CAP(SYS_ADMIN),
    CAP(SYS_BOOT),
    CAP(SYS_NICE),
    CAP(SYS_RESOURCE),
    CAP(SYS_TIME),
    CAP(SYS_TTY_CONFIG),
    CAP(MKNOD),
    CAP(LEASE),
    CAP(AUDIT_WRITE),
    CAP(AUDIT_CONTROL),
    CAP(SETFCAP),
    CAP(MAC_OVERRIDE),
    CAP(MAC_ADMIN),
    CAP(SYSLOG),
    CAP(WAKE_ALARM),
    CAP(BLOCK_SUSPEND),
    CAP(AUDIT_READ),
    CAP(PERFMON),
    CAP(BPF),
    CAP(CHECKPOINT_RESTORE),
};

int hull_cap_from_name(const char *name)
{
	/* case-insensitive, like libcap's cap_from_name() (crun accepts "cap_kill") */
	for (int i = 0; i <= HULL_CAP_LAST; i++)
		if (caps[i] && strcasecmp(caps[i], name) == 0)
			return i;
	return -1;
}

int names_cap(const char *name)
{
	return hull_cap_from_name(name);
}

const char *hull_cap_name(int cap)
{
	return cap >= 0 && cap <= HULL_CAP_LAST ? caps[cap] : NULL;
}

static const char *const ns_names[HULL_NS__COUNT] = {
    [HULL_NS_PID] = "pid",       [HULL_NS_NET] = "network", [HULL_NS_MNT] = "mount",
    [HULL_NS_IPC] = "ipc",       [HULL_NS_UTS] = "uts",     [HULL_NS_USER] = "user",
    [HULL_NS_CGROUP] = "cgroup", [HULL_NS_TIME] = "time",
};

static const int ns_flags[HULL_NS__COUNT] = {
    [HULL_NS_PID] = CLONE_NEWPID,       [HULL_NS_NET] = CLONE_NEWNET,
    [HULL_NS_MNT] = CLONE_NEWNS,        [HULL_NS_IPC] = CLONE_NEWIPC,
    [HULL_NS_UTS] = CLONE_NEWUTS,       [HULL_NS_USER] = CLONE_NEWUSER,
    [HULL_NS_CGROUP] = CLONE_NEWCGROUP, [HULL_NS_TIME] = CLONE_NEWTIME,
};

const char *hull_ns_type_name(enum hull_ns_type t)
{
	return (unsigned)t < HULL_NS__COUNT ? ns_names[t] : NULL;
}

int hull_ns_clone_flag(enum hull_ns_type t)
{
	return (unsigned)t < HULL_NS__COUNT ? ns_flags[t] : 0;
}

int names_ns(const char *name)
{
	for (int i = 0; i < HULL_NS__COUNT; i++)
		if (strcmp(ns_names[i], name) == 0)
			return i;
	return -1;
}

static const char *const hook_names[HULL_HOOK__COUNT] = {
    [HULL_HOOK_PRESTART] = "prestart",
    [HULL_HOOK_CREATE_RUNTIME] = "createRuntime",
    [HULL_HOOK_CREATE_CONTAINER] = "createContainer",
    [HULL_HOOK_START_CONTAINER] = "startContainer",
    [HULL_HOOK_POSTSTART] = "poststart",
    [HULL_HOOK_POSTSTOP] = "poststop",
};

const char *hull_hook_kind_name(enum hull_hook_kind k)
{
	return (unsigned)k < HULL_HOOK__COUNT ? hook_names[k] : NULL;
}

static const struct name_value sched_policies[] = {
    {"SCHED_OTHER", SCHED_OTHER},
    NV(SCHED_FIFO),
    NV(SCHED_RR),
    NV(SCHED_BATCH),
    NV(SCHED_ISO),
    NV(SCHED_IDLE),
    NV(SCHED_DEADLINE),
};

int names_sched_policy(const char *name)
{
	return (int)LOOKUP(sched_policies, name);
}

static const struct name_value sched_flags[] = {
    NV(SCHED_FLAG_RESET_ON_FORK),  NV(SCHED_FLAG_RECLAIM),     NV(SCHED_FLAG_DL_OVERRUN),
    NV(SCHED_FLAG_KEEP_POLICY),    NV(SCHED_FLAG_KEEP_PARAMS), NV(SCHED_FLAG_UTIL_CLAMP_MIN),
    NV(SCHED_FLAG_UTIL_CLAMP_MAX),
};

long names_sched_flag(const char *name)
{
	return LOOKUP(sched_flags, name);
}

static const struct name_value ioprio_classes[] = {
    NV(IOPRIO_CLASS_RT),
    NV(IOPRIO_CLASS_BE),
    NV(IOPRIO_CLASS_IDLE),
};

int names_ioprio_class(const char *name)
{
	return (int)LOOKUP(ioprio_classes, name);
}

/* The spec lists four; runc also takes the recursive forms (and "" as unset). */
static const struct name_value propagations[] = {
    {"", 0},
    {"private", MS_PRIVATE},
    {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},
    {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},
    {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE},
    {"runbindable", MS_UNBINDABLE | MS_REC},
};

long names_propagation(const char *name)
{
	return LOOKUP(propagations, name);
}

static const struct name_value personalities[] = {
    {"LINUX", PER_LINUX},
    {"LINUX32", PER_LINUX32},
};

int names_personality(const char *name)
{
	return (int)LOOKUP(personalities, name);
}

static const struct name_value mpol_modes[] = {
    NV(MPOL_DEFAULT),   NV(MPOL_BIND),           NV(MPOL_INTERLEAVE), NV(MPOL_WEIGHTED_INTERLEAVE),
    NV(MPOL_PREFERRED), NV(MPOL_PREFERRED_MANY), NV(MPOL_LOCAL),
};

int names_mpol_mode(const char *name)
{
	return (int)LOOKUP(mpol_modes, name);
}

static const struct name_value mpol_flags[] = {
    NV(MPOL_F_NUMA_BALANCING),
    NV(MPOL_F_RELATIVE_NODES),
    NV(MPOL_F_STATIC_NODES),
};

long names_mpol_flag(const char *name)
{
	return LOOKUP(mpol_flags, name);
}

static const char *const scmp_actions[HULL_SCMP_ACT__COUNT] = {
    [HULL_SCMP_ACT_KILL] = "SCMP_ACT_KILL",
    [HULL_SCMP_ACT_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
    [HULL_SCMP_ACT_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
    [HULL_SCMP_ACT_TRAP] = "SCMP_ACT_TRAP",
    [HULL_SCMP_ACT_ERRNO] = "SCMP_ACT_ERRNO",
    [HULL_SCMP_ACT_TRACE] = "SCMP_ACT_TRACE",
    [HULL_SCMP_ACT_ALLOW] = "SCMP_ACT_ALLOW",
    [HULL_SCMP_ACT_LOG] = "SCMP_ACT_LOG",
    [HULL_SCMP_ACT_NOTIFY] = "SCMP_ACT_NOTIFY",
};

static const char *const scmp_ops[HULL_SCMP_CMP__COUNT] = {
    [HULL_SCMP_CMP_NE] = "SCMP_CMP_NE",
    [HULL_SCMP_CMP_LT] = "SCMP_CMP_LT",
    [HULL_SCMP_CMP_LE] = "SCMP_CMP_LE",
    [HULL_SCMP_CMP_EQ] = "SCMP_CMP_EQ",
    [HULL_SCMP_CMP_GE] = "SCMP_CMP_GE",
    [HULL_SCMP_CMP_GT] = "SCMP_CMP_GT",
    [HULL_SCMP_CMP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

#define ARCH(x) [HULL_SCMP_ARCH_##x] = "SCMP_ARCH_" #x
static const char *const scmp_arches[HULL_SCMP_ARCH__COUNT] = {
    ARCH(X86),         ARCH(X86_64), ARCH(X32),       ARCH(ARM),     ARCH(AARCH64),
    ARCH(MIPS),        ARCH(MIPS64), ARCH(MIPS64N32), ARCH(MIPSEL),  ARCH(MIPSEL64),
    ARCH(MIPSEL64N32), ARCH(PPC),    ARCH(PPC64),     ARCH(PPC64LE), ARCH(S390),
    ARCH(S390X),       ARCH(PARISC), ARCH(PARISC64),  ARCH(RISCV64), ARCH(LOONGARCH64),
    ARCH(M68K),        ARCH(SH),     ARCH(SHEB),
};

static const struct name_value scmp_flags[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", HULL_SECCOMP_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", HULL_SECCOMP_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", HULL_SECCOMP_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", HULL_SECCOMP_FLAG_WAIT_KILLABLE_RECV},
};

static int index_of(const char *const *t, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(t[i], name) == 0)
			return i;
	return -1;
}

int names_seccomp_action(const char *name)
{
	return index_of(scmp_actions, HULL_SCMP_ACT__COUNT, name);
}

int names_seccomp_op(const char *name)
{
	return index_of(scmp_ops, HULL_SCMP_CMP__COUNT, name);
}

int names_seccomp_arch(const char *name)
{
	return index_of(scmp_arches, HULL_SCMP_ARCH__COUNT, name);
}

long names_seccomp_flag(const char *name)
{
	return LOOKUP(scmp_flags, name);
}

const char *hull_seccomp_action_name(enum hull_seccomp_action a)
{
	return (unsigned)a < HULL_SCMP_ACT__COUNT ? scmp_actions[a] : NULL;
}

const char *hull_seccomp_op_name(enum hull_seccomp_op op)
{
	return (unsigned)op < HULL_SCMP_CMP__COUNT ? scmp_ops[op] : NULL;
}

const char *hull_seccomp_arch_name(enum hull_seccomp_arch arch)
{
	return (unsigned)arch < HULL_SCMP_ARCH__COUNT ? scmp_arches[arch] : NULL;
}

const char *hull_seccomp_flag_name(unsigned flag)
{
	for (size_t i = 0; i < sizeof(scmp_flags) / sizeof(scmp_flags[0]); i++)
		if ((unsigned long)scmp_flags[i].value == flag)
			return scmp_flags[i].name;
	return NULL;
}
