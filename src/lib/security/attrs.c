/* SPDX-License-Identifier: Apache-2.0 */
/* rlimits, scheduler, I/O priority, personality, sysctl, LSM labels. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "security.h"

/* <linux/sched/types.h> clashes with glibc's sched.h. */
struct hull_sched_attr {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
};
#include "util/cleanup.h"
#include "util/sys.h"

int sec_rlimits_apply(const struct hull_process *p, struct hull_error *err)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct hull_rlimit *l = &p->rlimits[i];
		struct rlimit rl = {.rlim_cur = l->soft, .rlim_max = l->hard};
		struct rlimit cur;

		if (setrlimit(l->resource, &rl) == 0)
			continue;
		if (errno == EPERM && getrlimit(l->resource, &cur) == 0 && l->hard > cur.rlim_max)
			return hull_err(err, EPERM,
			                "process.rlimits: %s hard limit %llu is above the current "
			                "%llu: raising it needs CAP_SYS_RESOURCE, which hull does "
			                "not have here",
			                l->type, (unsigned long long)l->hard,
			                (unsigned long long)cur.rlim_max);
		return hull_err_sys(err, errno, "setrlimit %s (soft %llu, hard %llu)", l->type,
		                    (unsigned long long)l->soft, (unsigned long long)l->hard);
	}
	return 0;
}

int sec_sched_apply(const struct hull_process *p, struct hull_error *err)
{
	const struct hull_scheduler *s = &p->scheduler;

	if (s->present) {
		struct hull_sched_attr a = {
		    .size = sizeof(a),
		    .sched_policy = (uint32_t)s->policy,
		    .sched_flags = s->flags,
		    .sched_nice = s->nice,
		    .sched_priority = (uint32_t)s->priority,
		    .sched_runtime = s->runtime,
		    .sched_deadline = s->deadline,
		    .sched_period = s->period,
		};
		if (syscall(SYS_sched_setattr, 0, &a, 0) < 0)
			return hull_err_sys(err, errno, "process.scheduler: sched_setattr");
	}
	if (p->io_priority.present) {
		int prio = (p->io_priority.class << 13) | p->io_priority.priority;
		if (syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, prio) < 0)
			return hull_err_sys(err, errno, "process.ioPriority: ioprio_set");
	}
	return 0;
}

int sec_personality_apply(const struct hull_linux *l, struct hull_error *err)
{
	if (!l->personality.present)
		return 0;
	if (personality(l->personality.domain | l->personality.flags) < 0)
		return hull_err_sys(err, errno, "linux.personality");
	return 0;
}

int sec_procfs_open(const char *path, struct hull_error *err)
{
	struct statfs sf;
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return hull_err_sys(err, errno, "open %s", path);
	if (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC) {
		close(fd);
		return hull_err(err, EXDEV, "%s is not procfs", path);
	}
	return fd;
}

/* Only below procfd, no symlinks, never onto another filesystem: what is
 * written is what the config named, in procfs. */
static int proc_write(int procfd, const char *rel, const char *value)
{
	_cleanup_close_ int fd = sys_openat2(procfd, rel, O_WRONLY | O_CLOEXEC | O_NOCTTY,
	                                     RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
	                                         RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
	if (fd < 0)
		return -errno;
	return write_all(fd, value, strlen(value));
}

int sec_sysctl_apply(int procfd, const struct hull_linux *l, struct hull_error *err)
{
	char rel[512];

	for (size_t i = 0; i < l->n_sysctl; i++) {
		const char *k = l->sysctl[i].key;
		size_t n = strlen(k);
		int ret;
		if (n + 5 >= sizeof(rel))
			return hull_err(err, ENAMETOOLONG, "linux.sysctl: key %s too long", k);
		memcpy(rel, "sys/", 4);
		for (size_t j = 0; j <= n; j++)
			rel[4 + j] = k[j] == '.' ? '/' : k[j];
		ret = proc_write(procfd, rel, l->sysctl[i].value);
		if (ret < 0)
			return hull_err_sys(err, -ret, "linux.sysctl: set %s to \"%s\"", k,
			                    l->sysctl[i].value);
	}
	return 0;
}

bool sec_lsm_enabled(const char *name)
{
	_cleanup_free_ char *lsms = NULL;

	if (read_file_at(AT_FDCWD, "/sys/kernel/security/lsm", 4096, &lsms, NULL) < 0) {
		/* securityfs not mounted: ask the LSMs' own interfaces. */
		if (strcmp(name, "apparmor") == 0)
			return read_file_at(AT_FDCWD, "/sys/module/apparmor/parameters/enabled", 16,
			                    &lsms, NULL) == 0 &&
			       lsms[0] == 'Y';
		return access("/sys/fs/selinux/enforce", F_OK) == 0;
	}
	for (char *t = strtok(lsms, ",\n"); t; t = strtok(NULL, ",\n"))
		if (strcmp(t, name) == 0)
			return true;
	return false;
}

int sec_lsm_check(const struct hull_process *p, struct hull_error *err)
{
	if (p->apparmor_profile && *p->apparmor_profile && !sec_lsm_enabled("apparmor"))
		return hull_err(
		    err, EOPNOTSUPP,
		    "process.apparmorProfile \"%s\": AppArmor is not enabled on this host",
		    p->apparmor_profile);
	if (p->selinux_label && *p->selinux_label && !sec_lsm_enabled("selinux"))
		return hull_err(err, EOPNOTSUPP,
		                "process.selinuxLabel \"%s\": SELinux is not enabled on this host",
		                p->selinux_label);
	return 0;
}

int sec_lsm_apply(int procfd, pid_t hostpid, const struct hull_process *p, struct hull_error *err)
{
	char rel[64], val[4096];
	int ret;

	if (p->apparmor_profile && *p->apparmor_profile) {
		snprintf(rel, sizeof(rel), "%d/attr/apparmor/exec", hostpid);
		snprintf(val, sizeof(val), "exec %s", p->apparmor_profile);
		if ((ret = proc_write(procfd, rel, val)) < 0)
			return hull_err_sys(err, -ret, "set AppArmor profile %s",
			                    p->apparmor_profile);
	}
	if (p->selinux_label && *p->selinux_label) {
		snprintf(rel, sizeof(rel), "%d/attr/exec", hostpid);
		if ((ret = proc_write(procfd, rel, p->selinux_label)) < 0)
			return hull_err_sys(err, -ret, "set SELinux label %s", p->selinux_label);
	}
	return 0;
}
