/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* Process attributes applied by the container process before exec. */
#include <stdbool.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

/* Checked before anything is created: an LSM label asked for on a host
 * without that LSM is an error, not a silent skip. */
/* Whether the host has the LSM "apparmor" or "selinux" enabled. */
bool sec_lsm_enabled(const char *name);

int sec_lsm_check(const struct hull_process *p, struct hull_error *err);
/* Label for the next execve, written through the verified procfs fd. */
int sec_lsm_apply(int procfd, pid_t hostpid, const struct hull_process *p, struct hull_error *err);

int sec_sysctl_apply(int procfd, const struct hull_linux *l, struct hull_error *err);
int sec_rlimits_apply(const struct hull_process *p, struct hull_error *err);
int sec_sched_apply(const struct hull_process *p, struct hull_error *err);
int sec_personality_apply(const struct hull_linux *l, struct hull_error *err);

/* supplementary groups, gid, uid, then the five capability sets. */
int sec_identity_apply(const struct hull_process *p, bool setgroups_allowed,
                       struct hull_error *err);

struct hull_seccomp;
struct sec_seccomp; /* a compiled filter: BPF program and kernel flags */
/* Compile linux.seccomp (*ret NULL when absent). cache_root: a state root
 * whose .seccomp directory keeps compiled filters (seccomp_cache.c); the same
 * filter is then compiled once, not per container and exec. NULL: no cache. */
int sec_seccomp_build(const struct hull_seccomp *s, const char *cache_root,
                      struct sec_seccomp **ret, struct hull_error *err);
/* True when the filter has NOTIFY actions: loading it yields a listener. */
bool sec_seccomp_notifies(const struct sec_seccomp *f);
/* Load it into the calling process (needs no_new_privs or CAP_SYS_ADMIN);
 * *ret_listener: the notify fd (close-on-exec), or -1. */
int sec_seccomp_load(const struct sec_seccomp *f, int *ret_listener, struct hull_error *err);
void sec_seccomp_free(struct sec_seccomp *f);

/* Open /proc and make sure it really is procfs (CVE-2025-52881). */
int sec_procfs_open(const char *path, struct hull_error *err);
