/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe: a small static program placed in test containers. It reports what the process sees
 * as `key=value` lines so the integration tests assert on facts, not on busybox output.
 * Every fact is gathered independently; a fact that cannot be read is reported as
 * `KEY.error=ERRNAME` and the probe carries on.
 *
 *   probe [info]            all facts (see do_info)
 *   probe exit N            exit with status N
 *   probe sleep SECONDS     sleep, then exit 0
 *   probe wait-signal       prints ready=1, then signal=N for the first of TERM INT HUP USR1 USR2
 *   probe cat FILE          file contents (errno=NAME and exit 1 on error)
 *   probe write FILE TEXT   create/truncate FILE with TEXT (errno=NAME and exit 1 on error)
 *   probe read FILE N       read up to N bytes: bytes=COUNT hex=...
 *   probe stat PATH         lstat: type mode uid gid rdev dev ino size nlink [target]
 *   probe stat-follow PATH  the same with stat(2)
 *   probe ls DIR            one name per line, sorted (no . and ..)
 *   probe mkdir DIR         mkdir 0755 (ok=1, or errno=NAME and exit 1)
 *   probe sethostname NAME  sets it, then prints hostname=...
 *   probe msgget KEY        creates a System V message queue: msqid=N
 *   probe msgls             msgkeys=K1,K2 (decimal keys of /proc/sysvipc/msg)
 *   probe mount-tmpfs DIR   mount=ok or errno=NAME (exit 1)
 *   probe chroot-escape M   the chroot escape of the seed tutorial, then escaped=1|0 for M
 *   probe ps                pids=1,... (numeric entries of /proc)
 *   probe ids               uid/gid/groups only
 *   probe caps              the five capability sets only
 *   probe monotonic         monotonic=SEC.NSEC boottime=SEC.NSEC (clock_gettime)
 *   probe netdevs           netdevs=lo,... (from /proc/net/dev)
 *   probe openpty           opens /dev/ptmx: pty=/dev/pts/N
 *   probe env               env.KEY=VALUE lines only
 *   probe fds               fds and fd.N lines only
 *   probe mounts            mount= lines only
 *   probe rlimits           rlimit lines only
 *   probe tty               the terminal: tty.N (isatty of fds 0-2), ttyname.N, pid, sid, pgrp,
 *                           tcpgrp (foreground group of fd 0), ctty (/dev/tty opens: 1, or the
 *                           errno), tty_nr (/proc/self/stat), winsize=ROWS COLS (of fd 0)
 *   probe winch             winsize=ROWS COLS, ready=1, then on SIGWINCH (20 s at most)
 *                           winsize=ROWS COLS again (or winch=timeout)
 *   probe keyring           session_keyring=ID and session_keyring_desc=... (keyctl)
 *   probe alloc MB          allocates MB MiB of anonymous memory one MiB at a time, touching
 *                           every page: alloc_mb=N after each MiB, then alloc=ok (errno=NAME
 *                           and exit 1 when mmap fails; killed by the OOM killer it just stops)
 *   probe fork N [HOLD]     forks up to N children that wait on a pipe: forked=K (children
 *                           made) and fork_errno=NAME of the first failed fork (or none); with
 *                           HOLD > 0 prints holding=1 and keeps them for HOLD seconds (or until
 *                           SIGTERM/SIGINT); then releases and reaps them, done=1
 *   probe spin SECONDS      busy loop for SECONDS of wall time: loops=N (work done),
 *                           cpu_ms=M (CPU time used), wall_ms=W
 *   probe open PATH r|w|rw  open(2) only: open=ok or errno=NAME (exit 1)
 *   probe mknod PATH c|b MAJ MIN
 *                           mknod(2) mode 0666: ok=1 or errno=NAME (exit 1)
 *   probe modload           CAP_SYS_MODULE checks, with nothing that could load or change:
 *                           finit_module= (fd -1) and init_module= (NULL image, length 0),
 *                           each "ok" or the errno name (EPERM: no CAP_SYS_MODULE; else
 *                           EBADF, ENOEXEC; ENOSYS: a kernel without modules), and
 *                           umh_bset_write= (/proc/sys/kernel/usermodehelper/bset written
 *                           back as read, a no-op: "ok", or EPERM without CAP_SYS_MODULE
 *                           and CAP_SETPCAP, EROFS, ...)
 *   probe settime           time setting, with values the kernel rejects after the
 *                           CAP_SYS_TIME check: settimeofday= (no time, a timezone 16 h
 *                           west) and adjtimex= (ADJ_TICK with tick 0), each "ok" or the
 *                           errno name (EPERM: no CAP_SYS_TIME; EINVAL: permitted)
 *   probe bind PORT         bind(2) of a TCP socket to 0.0.0.0:PORT: bind=ok or bind=ERRNAME
 *   probe hook OUT [ARG...] an OCI hook: reads the state from stdin and writes OUT (atomically):
 *                           argv.N, env.KEY=VALUE, stdin= (newlines as \n), pid, ppid, ns.*,
 *                           hostname, cwd, root (major:minor:ino of /) and, for the state's
 *                           pid: target.pid, target.alive, target.root and target.exe
 *                           (readlinks in /proc/PID), target.rootstat (major:minor:ino of
 *                           its root), target.ns.*. Its env steers it:
 *                           PROBE_HOOK_SEQ=FILE appends argv[0] as a line to FILE,
 *                           PROBE_HOOK_SLEEP=S sleeps after writing OUT, PROBE_HOOK_EXIT=N
 *                           exits N at the end.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

extern char **environ;

static int do_exe_write(const char *pidstr);
static const char *errname(int e)
{
	switch (e) {
		// clang-format off
#define E(x) case x: return #x;
	E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC) E(EBADF)
	E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(ENOTBLK) E(EBUSY) E(EEXIST)
	E(EXDEV) E(ENODEV) E(ENOTDIR) E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY)
	E(ETXTBSY) E(EFBIG) E(ENOSPC) E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(EDOM) E(ERANGE)
	E(ENAMETOOLONG) E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(ENODATA) E(EOVERFLOW) E(EOPNOTSUPP)
	E(EADDRINUSE) E(EADDRNOTAVAIL) E(ENETDOWN) E(ENETUNREACH) E(ECONNREFUSED) E(EDQUOT)
	E(ESTALE) E(ENOMSG) E(EIDRM) E(ENOKEY)
#undef E
		    // clang-format on
		    default:
		{
			static char buf[32];
			snprintf(buf, sizeof(buf), "E%d", e);
			return buf;
		}
	}
}

static void kv(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void kv(const char *key, const char *fmt, ...)
{
	va_list ap;

	fputs(key, stdout);
	fputc('=', stdout);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static void kerr(const char *key, int e)
{
	printf("%s.error=%s\n", key, errname(e));
}

/* Fails the subcommand: errno=NAME on stdout, exit 1. */
static int fail_errno(int e)
{
	printf("errno=%s\n", errname(e));
	fflush(stdout);
	return 1;
}

/* Reads a whole (small) file into a NUL-terminated malloc'd buffer. */
static char *read_file(const char *path, size_t *ret_len, int *ret_errno)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, len = 0;
	char *buf;

	if (fd < 0) {
		*ret_errno = errno;
		return NULL;
	}
	buf = malloc(cap + 1);
	if (!buf) {
		*ret_errno = ENOMEM;
		close(fd);
		return NULL;
	}
	for (;;) {
		ssize_t n;
		if (len == cap) {
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				close(fd);
				*ret_errno = ENOMEM;
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*ret_errno = errno;
			free(buf);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (ret_len)
		*ret_len = len;
	return buf;
}

/* Value of "Name:" in /proc/self/status, whitespace-trimmed, into out. */
static int status_field(const char *name, char *out, size_t outlen)
{
	int e = 0;
	char *s = read_file("/proc/self/status", NULL, &e);
	size_t nl = strlen(name);
	char *line;

	if (!s)
		return -e;
	for (line = s; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, name, nl) == 0 && line[nl] == ':') {
			char *v = line + nl + 1, *end;
			while (*v == ' ' || *v == '\t')
				v++;
			end = strchr(v, '\n');
			if (!end)
				end = v + strlen(v);
			snprintf(out, outlen, "%.*s", (int)(end - v), v);
			free(s);
			return 0;
		}
	}
	free(s);
	return -ENOENT;
}

static void print_status_field(const char *key, const char *name)
{
	char v[256];
	int r = status_field(name, v, sizeof(v));

	if (r < 0)
		kerr(key, -r);
	else
		kv(key, "%s", v);
}

static void fact_pids(void)
{
	kv("pid", "%d", (int)getpid());
	kv("ppid", "%d", (int)getppid());
}

static void fact_ids(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	gid_t groups[NGROUPS_MAX];
	int n, i;

	if (getresuid(&r, &e, &s) == 0) {
		kv("uid", "%u", r);
		kv("euid", "%u", e);
		kv("suid", "%u", s);
	} else {
		kerr("uid", errno);
	}
	/* setfsuid(-1) fails and returns the current fsuid without changing it. */
	kv("fsuid", "%d", setfsuid((uid_t)-1));
	if (getresgid(&gr, &ge, &gs) == 0) {
		kv("gid", "%u", gr);
		kv("egid", "%u", ge);
		kv("sgid", "%u", gs);
	} else {
		kerr("gid", errno);
	}
	kv("fsgid", "%d", setfsgid((gid_t)-1));
	n = getgroups(NGROUPS_MAX, groups);
	if (n < 0) {
		kerr("groups", errno);
	} else {
		fputs("groups=", stdout);
		for (i = 0; i < n; i++)
			printf("%s%u", i ? "," : "", groups[i]);
		fputc('\n', stdout);
	}
}

static void fact_caps(void)
{
	static const struct {
		const char *key, *name;
	} sets[] = {
	    {"cap_inh", "CapInh"}, {"cap_prm", "CapPrm"}, {"cap_eff", "CapEff"},
	    {"cap_bnd", "CapBnd"}, {"cap_amb", "CapAmb"},
	};
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2];
	bool have_capget = syscall(SYS_capget, &hdr, data) == 0;

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		char v[64];
		uint64_t m = 0;
		if (status_field(sets[i].name, v, sizeof(v)) == 0) {
			kv(sets[i].key, "%s", v);
			continue;
		}
		/* No procfs: ask the kernel directly. */
		if (i < 3 && have_capget) {
			uint32_t lo = i == 0   ? data[0].inheritable
			              : i == 1 ? data[0].permitted
			                       : data[0].effective;
			uint32_t hi = i == 0   ? data[1].inheritable
			              : i == 1 ? data[1].permitted
			                       : data[1].effective;
			m = (uint64_t)hi << 32 | lo;
		} else if (i >= 3) {
			for (int c = 0; c < 64; c++) {
				int r = i == 3
				            ? prctl(PR_CAPBSET_READ, c, 0, 0, 0)
				            : prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0);
				if (r < 0)
					break;
				if (r > 0)
					m |= 1ULL << c;
			}
		} else {
			kerr(sets[i].key, errno);
			continue;
		}
		kv(sets[i].key, "%016llx", (unsigned long long)m);
	}
}

static void fact_prctl(void)
{
	int r = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	char v[64];

	if (r < 0)
		kerr("no_new_privs", errno);
	else
		kv("no_new_privs", "%d", r);
	if (status_field("Seccomp", v, sizeof(v)) == 0) {
		kv("seccomp", "%s", v);
	} else {
		r = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
		if (r < 0)
			kerr("seccomp", errno);
		else
			kv("seccomp", "%d", r);
	}
	r = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	if (r < 0)
		kerr("dumpable", errno);
	else
		kv("dumpable", "%d", r);
	r = personality(0xffffffff);
	if (r < 0)
		kerr("personality", errno);
	else
		kv("personality", "0x%x", (unsigned)r);
}

static void fact_uts(void)
{
	struct utsname u;

	if (uname(&u) < 0) {
		kerr("hostname", errno);
		return;
	}
	kv("hostname", "%s", u.nodename);
	kv("domainname", "%s", u.domainname);
}

static void fact_cwd_umask(void)
{
	char buf[PATH_MAX], v[32];

	if (getcwd(buf, sizeof(buf)))
		kv("cwd", "%s", buf);
	else
		kerr("cwd", errno);
	if (status_field("Umask", v, sizeof(v)) == 0) {
		kv("umask", "%s", v);
	} else {
		mode_t m = umask(0);
		umask(m);
		kv("umask", "%04o", (unsigned)m);
	}
}

static const struct {
	const char *name;
	int res;
} rlimits[] = {
    {"cpu", RLIMIT_CPU},           {"fsize", RLIMIT_FSIZE},
    {"data", RLIMIT_DATA},         {"stack", RLIMIT_STACK},
    {"core", RLIMIT_CORE},         {"rss", RLIMIT_RSS},
    {"nproc", RLIMIT_NPROC},       {"nofile", RLIMIT_NOFILE},
    {"memlock", RLIMIT_MEMLOCK},   {"as", RLIMIT_AS},
    {"locks", RLIMIT_LOCKS},       {"sigpending", RLIMIT_SIGPENDING},
    {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
    {"rtprio", RLIMIT_RTPRIO},     {"rttime", RLIMIT_RTTIME},
};

static void print_rlim(rlim_t v)
{
	if (v == RLIM_INFINITY)
		fputs("unlimited", stdout);
	else
		printf("%llu", (unsigned long long)v);
}

static void fact_rlimits(void)
{
	for (size_t i = 0; i < sizeof(rlimits) / sizeof(rlimits[0]); i++) {
		struct rlimit rl;
		char key[64];
		snprintf(key, sizeof(key), "rlimit.%s", rlimits[i].name);
		if (getrlimit(rlimits[i].res, &rl) < 0) {
			kerr(key, errno);
			continue;
		}
		printf("%s=", key);
		print_rlim(rl.rlim_cur);
		fputc(':', stdout);
		print_rlim(rl.rlim_max);
		fputc('\n', stdout);
	}
}

static void fact_env(void)
{
	for (char **e = environ; e && *e; e++)
		printf("env.%s\n", *e);
}

static void fact_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int fds[1024], n = 0, self;

	if (!d) {
		kerr("fds", errno);
		return;
	}
	self = dirfd(d);
	while ((de = readdir(d)) && n < 1024) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);
		if (de->d_name[0] == '.' || *end || fd == self)
			continue;
		fds[n++] = (int)fd;
	}
	closedir(d);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			int t = fds[j];
			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	fputs("fds=", stdout);
	for (int i = 0; i < n; i++)
		printf("%s%d", i ? "," : "", fds[i]);
	fputc('\n', stdout);
	for (int i = 0; i < n; i++) {
		char p[64], t[PATH_MAX], key[32];
		ssize_t l;
		snprintf(p, sizeof(p), "/proc/self/fd/%d", fds[i]);
		snprintf(key, sizeof(key), "fd.%d", fds[i]);
		l = readlink(p, t, sizeof(t) - 1);
		if (l < 0) {
			kerr(key, errno);
			continue;
		}
		t[l] = '\0';
		kv(key, "%s", t);
	}
}

static void print_file_fact(const char *key, const char *path, bool join_lines)
{
	int e = 0;
	size_t len;
	char *s = read_file(path, &len, &e);

	if (!s) {
		kerr(key, e);
		return;
	}
	while (len && (s[len - 1] == '\n' || s[len - 1] == ' '))
		s[--len] = '\0';
	if (join_lines) {
		/* "0 1000 1\n1 2000 5" -> "0 1000 1;1 2000 5", runs of blanks squeezed. */
		char *w = s;
		bool blank = false;
		for (char *r = s; *r; r++) {
			char c = *r == '\n' ? ';' : *r;
			if (c == ' ' || c == '\t') {
				if (!blank && w != s && w[-1] != ';')
					*w++ = ' ';
				blank = true;
				continue;
			}
			if (c == ';' && w != s && w[-1] == ' ')
				w--;
			blank = false;
			*w++ = c;
		}
		*w = '\0';
	}
	kv(key, "%s", s);
	free(s);
}

static void fact_misc(void)
{
	struct statvfs sv;
	static const char *nss[] = {
	    "cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children",
	    "user",   "uts"};
	char v[64];

	print_file_fact("oom_score_adj", "/proc/self/oom_score_adj", false);
	if (statvfs("/", &sv) < 0)
		kerr("root_readonly", errno);
	else
		kv("root_readonly", "%d", (sv.f_flag & ST_RDONLY) ? 1 : 0);
	print_file_fact("uid_map", "/proc/self/uid_map", true);
	print_file_fact("gid_map", "/proc/self/gid_map", true);
	print_file_fact("setgroups", "/proc/self/setgroups", false);
	print_file_fact("cgroup", "/proc/self/cgroup", true);
	for (size_t i = 0; i < sizeof(nss) / sizeof(nss[0]); i++) {
		char p[64], key[64], t[128];
		ssize_t l;
		snprintf(p, sizeof(p), "/proc/self/ns/%s", nss[i]);
		snprintf(key, sizeof(key), "ns.%s", nss[i]);
		l = readlink(p, t, sizeof(t) - 1);
		if (l < 0) {
			kerr(key, errno);
			continue;
		}
		t[l] = '\0';
		kv(key, "%s", t);
	}
	print_status_field("sigblk", "SigBlk");
	print_status_field("sigign", "SigIgn");
	if (status_field("NSpid", v, sizeof(v)) == 0)
		kv("nspid", "%s", v);
	errno = 0;
	{
		int nice = getpriority(PRIO_PROCESS, 0);
		if (nice == -1 && errno)
			kerr("nice", errno);
		else
			kv("nice", "%d", nice);
	}
	{
		int pol = sched_getscheduler(0);
		if (pol < 0)
			kerr("sched_policy", errno);
		else
			kv("sched_policy", "%d", pol);
	}
	{
		long io = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, 0);
		if (io < 0)
			kerr("ioprio", errno);
		else
			kv("ioprio", "%ld:%ld", io >> 13, io & 0x1fff);
	}
}

/* mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS */
static void fact_mounts(void)
{
	int e = 0;
	char *s = read_file("/proc/self/mountinfo", NULL, &e), *save = NULL, *line;

	if (!s) {
		kerr("mount", e);
		return;
	}
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[64];
		int n = 0, dash = -1;
		char *sv2 = NULL;
		for (char *t = strtok_r(line, " ", &sv2); t && n < 64;
		     t = strtok_r(NULL, " ", &sv2)) {
			if (dash < 0 && strcmp(t, "-") == 0)
				dash = n;
			f[n++] = t;
		}
		if (dash < 6 || n < dash + 4)
			continue;
		printf("mount=%s %s %s %s\n", f[4], f[dash + 1], f[5], f[dash + 3]);
		fputs("mountprop=", stdout);
		fputs(f[4], stdout);
		if (dash == 6)
			fputs(" private", stdout);
		for (int i = 6; i < dash; i++)
			printf(" %s", f[i]);
		fputc('\n', stdout);
		printf("mountsrc=%s %s %s\n", f[4], f[dash + 2], f[3]);
	}
	free(s);
}

static int do_info(void)
{
	fact_pids();
	fact_ids();
	fact_caps();
	fact_prctl();
	fact_uts();
	fact_cwd_umask();
	fact_rlimits();
	fact_env();
	fact_fds();
	fact_misc();
	fact_mounts();
	return 0;
}

static int do_wait_signal(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	/* Blocked signals are queued even for a PID 1 without handlers. */
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return fail_errno(errno);
	kv("ready", "1");
	fflush(stdout);
	do
		sig = sigwaitinfo(&set, NULL);
	while (sig < 0 && errno == EINTR);
	if (sig < 0)
		return fail_errno(errno);
	kv("signal", "%d", sig);
	return 0;
}

static int do_cat(const char *path)
{
	int e = 0;
	size_t len;
	char *s = read_file(path, &len, &e);

	if (!s)
		return fail_errno(e);
	fwrite(s, 1, len, stdout);
	free(s);
	return 0;
}

static int do_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t len = strlen(text);

	if (fd < 0)
		return fail_errno(errno);
	if (write(fd, text, len) != (ssize_t)len) {
		int e = errno ? errno : EIO;
		close(fd);
		return fail_errno(e);
	}
	if (close(fd) < 0)
		return fail_errno(errno);
	kv("ok", "1");
	return 0;
}

static int do_read(const char *path, const char *count)
{
	size_t n = strtoul(count, NULL, 10);
	unsigned char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return fail_errno(errno);
	if (n > sizeof(buf))
		n = sizeof(buf);
	r = read(fd, buf, n);
	if (r < 0) {
		int e = errno;
		close(fd);
		return fail_errno(e);
	}
	close(fd);
	kv("bytes", "%zd", r);
	fputs("hex=", stdout);
	for (ssize_t i = 0; i < r; i++)
		printf("%02x", buf[i]);
	fputc('\n', stdout);
	return 0;
}

static const char *ftype(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG:
		return "file";
	case S_IFDIR:
		return "dir";
	case S_IFLNK:
		return "symlink";
	case S_IFCHR:
		return "chr";
	case S_IFBLK:
		return "blk";
	case S_IFIFO:
		return "fifo";
	case S_IFSOCK:
		return "sock";
	default:
		return "unknown";
	}
}

static int do_stat(const char *path, bool follow)
{
	struct stat st;

	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0)
		return fail_errno(errno);
	kv("type", "%s", ftype(st.st_mode));
	kv("mode", "%04o", (unsigned)(st.st_mode & 07777));
	kv("uid", "%u", st.st_uid);
	kv("gid", "%u", st.st_gid);
	kv("rdev", "%u:%u", major(st.st_rdev), minor(st.st_rdev));
	kv("dev", "%u:%u", major(st.st_dev), minor(st.st_dev));
	kv("ino", "%llu", (unsigned long long)st.st_ino);
	kv("size", "%lld", (long long)st.st_size);
	kv("nlink", "%lu", (unsigned long)st.st_nlink);
	if (S_ISLNK(st.st_mode)) {
		char t[PATH_MAX];
		ssize_t l = readlink(path, t, sizeof(t) - 1);
		if (l < 0) {
			kerr("target", errno);
		} else {
			t[l] = '\0';
			kv("target", "%s", t);
		}
	}
	return 0;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int do_ls(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!d)
		return fail_errno(errno);
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				return fail_errno(ENOMEM);
		}
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmpstr);
	for (size_t i = 0; i < n; i++) {
		puts(names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

static int do_msgls(void)
{
	int e = 0;
	char *s = read_file("/proc/sysvipc/msg", NULL, &e), *save = NULL, *line;
	bool first = true;

	if (!s)
		return fail_errno(e);
	fputs("msgkeys=", stdout);
	line = strtok_r(s, "\n", &save); /* header */
	for (line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		long key = strtol(line, NULL, 10);
		printf("%s%ld", first ? "" : ",", key);
		first = false;
	}
	fputc('\n', stdout);
	free(s);
	return 0;
}

static int do_chroot_escape(const char *marker)
{
	/* As in the seed tutorial: root escapes a plain chroot this way. */
	if (mkdir(".out", 0755) < 0 && errno != EEXIST)
		kerr("mkdir", errno);
	if (chroot(".out") < 0)
		kerr("chroot1", errno);
	if (chdir("../../../../..") < 0)
		kerr("chdir", errno);
	if (chroot(".") < 0)
		kerr("chroot2", errno);
	kv("escaped", "%d", access(marker, F_OK) == 0 ? 1 : 0);
	return 0;
}

static int do_ps(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	long pids[4096];
	int n = 0;

	if (!d)
		return fail_errno(errno);
	while ((de = readdir(d)) && n < 4096) {
		char *end;
		long p = strtol(de->d_name, &end, 10);
		if (*end || de->d_name[0] == '\0' || p <= 0)
			continue;
		pids[n++] = p;
	}
	closedir(d);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && pids[j - 1] > pids[j]; j--) {
			long t = pids[j];
			pids[j] = pids[j - 1];
			pids[j - 1] = t;
		}
	fputs("pids=", stdout);
	for (int i = 0; i < n; i++)
		printf("%s%ld", i ? "," : "", pids[i]);
	fputc('\n', stdout);
	return 0;
}

static int do_monotonic(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		kerr("monotonic", errno);
	else
		kv("monotonic", "%lld.%09ld", (long long)ts.tv_sec, ts.tv_nsec);
	if (clock_gettime(CLOCK_BOOTTIME, &ts) < 0)
		kerr("boottime", errno);
	else
		kv("boottime", "%lld.%09ld", (long long)ts.tv_sec, ts.tv_nsec);
	return 0;
}

static int do_netdevs(void)
{
	int e = 0;
	char *s = read_file("/proc/net/dev", NULL, &e), *save = NULL, *line;
	bool first = true;
	int n = 0;

	if (!s)
		return fail_errno(e);
	fputs("netdevs=", stdout);
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon;
		if (n++ < 2) /* two header lines */
			continue;
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		while (*line == ' ')
			line++;
		printf("%s%s", first ? "" : ",", line);
		first = false;
	}
	fputc('\n', stdout);
	free(s);
	return 0;
}

static int do_openpty(void)
{
	int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	char *name;
	struct stat st;

	if (fd < 0)
		return fail_errno(errno);
	if (grantpt(fd) < 0 || unlockpt(fd) < 0)
		return fail_errno(errno);
	name = ptsname(fd);
	if (!name)
		return fail_errno(errno);
	kv("pty", "%s", name);
	if (stat(name, &st) < 0)
		kerr("pty_stat", errno);
	else
		kv("pty_rdev", "%u:%u", major(st.st_rdev), minor(st.st_rdev));
	close(fd);
	return 0;
}

static void print_winsize(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) < 0)
		kerr("winsize", errno);
	else
		kv("winsize", "%u %u", ws.ws_row, ws.ws_col);
}

static int do_tty(void)
{
	for (int fd = 0; fd < 3; fd++) {
		char key[32], name[PATH_MAX];
		int r;
		snprintf(key, sizeof(key), "tty.%d", fd);
		kv(key, "%d", isatty(fd) ? 1 : 0);
		snprintf(key, sizeof(key), "ttyname.%d", fd);
		r = ttyname_r(fd, name, sizeof(name));
		if (r)
			kerr(key, r);
		else
			kv(key, "%s", name);
	}
	kv("pid", "%d", (int)getpid());
	kv("sid", "%d", (int)getsid(0));
	kv("pgrp", "%d", (int)getpgrp());
	{
		pid_t fg = tcgetpgrp(0);
		if (fg < 0)
			kerr("tcpgrp", errno);
		else
			kv("tcpgrp", "%d", (int)fg);
	}
	{
		int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd < 0) {
			kv("ctty", "%s", errname(errno));
		} else {
			kv("ctty", "1");
			close(fd);
		}
	}
	{
		int e = 0;
		char *s = read_file("/proc/self/stat", NULL, &e), *p;
		/* pid (comm) state ppid pgrp session tty_nr: comm may hold anything, so count
		   fields from the last ')'. */
		if (!s || !(p = strrchr(s, ')'))) {
			kerr("tty_nr", s ? EINVAL : e);
		} else {
			int state_ppid_pgrp_sid = 0;
			long nr = 0;
			char st;
			if (sscanf(p + 1, " %c %d %d %d %ld", &st, &state_ppid_pgrp_sid,
			           &state_ppid_pgrp_sid, &state_ppid_pgrp_sid, &nr) == 5)
				kv("tty_nr", "%ld", nr);
			else
				kerr("tty_nr", EINVAL);
		}
		free(s);
	}
	print_winsize(0);
	return 0;
}

static int do_winch(void)
{
	sigset_t set;
	struct timespec tmo = {.tv_sec = 20};
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return fail_errno(errno);
	print_winsize(0);
	kv("ready", "1");
	fflush(stdout);
	do
		sig = sigtimedwait(&set, NULL, &tmo);
	while (sig < 0 && errno == EINTR);
	if (sig < 0) {
		kv("winch", "timeout");
		return 1;
	}
	print_winsize(0);
	return 0;
}

static int do_keyring(void)
{
	/* KEYCTL_GET_KEYRING_ID (0) of KEY_SPEC_SESSION_KEYRING (-3), without creating one. */
	long id = syscall(SYS_keyctl, 0, -3, 0);
	char desc[256];
	long n;

	if (id < 0)
		return fail_errno(errno);
	kv("session_keyring", "%ld", id);
	n = syscall(SYS_keyctl, 6 /* KEYCTL_DESCRIBE */, id, desc, sizeof(desc));
	if (n < 0)
		kerr("session_keyring_desc", errno);
	else
		kv("session_keyring_desc", "%.*s", (int)(n > 0 ? n - 1 : 0), desc);
	return 0;
}

static void hook_ns(FILE *f, const char *prefix, const char *procdir)
{
	static const char *nss[] = {"cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"};

	for (size_t i = 0; i < sizeof(nss) / sizeof(nss[0]); i++) {
		char p[128], t[128];
		ssize_t l;
		snprintf(p, sizeof(p), "%s/ns/%s", procdir, nss[i]);
		l = readlink(p, t, sizeof(t) - 1);
		if (l < 0) {
			fprintf(f, "%sns.%s.error=%s\n", prefix, nss[i], errname(errno));
			continue;
		}
		t[l] = '\0';
		fprintf(f, "%sns.%s=%s\n", prefix, nss[i], t);
	}
}

static int do_hook(int argc, char **argv)
{
	const char *out = argv[2], *seq = getenv("PROBE_HOOK_SEQ");
	const char *slp = getenv("PROBE_HOOK_SLEEP"), *ex = getenv("PROBE_HOOK_EXIT");
	char tmp[PATH_MAX], buf[PATH_MAX];
	size_t cap = 65536, len = 0;
	char *in = malloc(cap + 1), *pidp;
	struct stat st;
	struct utsname u;
	FILE *f;
	ssize_t n;

	if (!in)
		return 1;
	while (len < cap && (n = read(0, in + len, cap - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)n;
	}
	in[len] = '\0';
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", out, (int)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return 1;
	for (int i = 0; i < argc; i++)
		fprintf(f, "argv.%d=%s\n", i, argv[i]);
	for (char **e = environ; e && *e; e++)
		fprintf(f, "env.%s\n", *e);
	fputs("stdin=", f);
	for (size_t i = 0; i < len; i++) {
		if (in[i] == '\n')
			fputs("\\n", f);
		else
			fputc(in[i], f);
	}
	fputc('\n', f);
	fprintf(f, "pid=%d\nppid=%d\n", (int)getpid(), (int)getppid());
	hook_ns(f, "", "/proc/self");
	if (uname(&u) == 0)
		fprintf(f, "hostname=%s\n", u.nodename);
	if (getcwd(buf, sizeof(buf)))
		fprintf(f, "cwd=%s\n", buf);
	if (stat("/", &st) == 0)
		fprintf(f, "root=%u:%u:%llu\n", major(st.st_dev), minor(st.st_dev),
		        (unsigned long long)st.st_ino);
	/* The state's pid: "pid": N (the state is runtime-written JSON, no need for a parser). */
	pidp = strstr(in, "\"pid\"");
	if (pidp) {
		long pid;
		pidp += 5;
		while (*pidp == ' ' || *pidp == ':')
			pidp++;
		pid = strtol(pidp, NULL, 10);
		fprintf(f, "target.pid=%ld\n", pid);
		if (pid > 0) {
			char procdir[64], t[PATH_MAX];
			ssize_t l;
			fprintf(f, "target.alive=%d\n", kill((pid_t)pid, 0) == 0 ? 1 : 0);
			snprintf(procdir, sizeof(procdir), "/proc/%ld", pid);
			snprintf(t, sizeof(t), "%s/root", procdir);
			l = readlink(t, buf, sizeof(buf) - 1);
			if (l < 0) {
				fprintf(f, "target.root.error=%s\n", errname(errno));
			} else {
				buf[l] = '\0';
				fprintf(f, "target.root=%s\n", buf);
			}
			snprintf(t, sizeof(t), "%s/root/", procdir);
			if (stat(t, &st) < 0)
				fprintf(f, "target.rootstat.error=%s\n", errname(errno));
			else
				fprintf(f, "target.rootstat=%u:%u:%llu\n", major(st.st_dev),
				        minor(st.st_dev), (unsigned long long)st.st_ino);
			snprintf(t, sizeof(t), "%s/exe", procdir);
			l = readlink(t, buf, sizeof(buf) - 1);
			if (l < 0) {
				fprintf(f, "target.exe.error=%s\n", errname(errno));
			} else {
				buf[l] = '\0';
				fprintf(f, "target.exe=%s\n", buf);
			}
			hook_ns(f, "target.", procdir);
		}
	}
	if (fclose(f) != 0 || rename(tmp, out) < 0)
		return 1;
	if (seq) {
		int fd = open(seq, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0) {
			dprintf(fd, "%s\n", argv[0]);
			close(fd);
		}
	}
	if (slp) {
		double s = strtod(slp, NULL);
		struct timespec ts = {.tv_sec = (time_t)s,
		                      .tv_nsec = (long)((s - (double)(time_t)s) * 1e9)};
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	free(in);
	return ex ? (int)strtol(ex, NULL, 10) : 0;
}

/* alloc MB: anonymous memory, touched page by page, one MiB at a time. */
static int do_alloc(const char *mbstr)
{
	long mb = strtol(mbstr, NULL, 10), page = sysconf(_SC_PAGESIZE);

	for (long i = 0; i < mb; i++) {
		char *p =
		    mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return fail_errno(errno);
		for (long off = 0; off < (1 << 20); off += page)
			p[off] = (char)(i + 1);
		kv("alloc_mb", "%ld", i + 1);
	}
	kv("alloc", "ok");
	return 0;
}

static volatile sig_atomic_t fork_stop;
static void on_fork_stop(int sig)
{
	(void)sig;
	fork_stop = 1;
}

/* fork N [HOLD]: children block on a pipe until the parent closes it. */
static int do_fork(const char *nstr, const char *holdstr)
{
	long n = strtol(nstr, NULL, 10), made = 0;
	double hold = holdstr ? strtod(holdstr, NULL) : 0;
	int pfd[2], e = 0;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return fail_errno(errno);
	fflush(stdout);
	for (; made < n; made++) {
		pid_t pid = fork();
		if (pid < 0) {
			e = errno;
			break;
		}
		if (pid == 0) {
			char c;
			close(pfd[1]);
			while (read(pfd[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
	}
	kv("forked", "%ld", made);
	kv("fork_errno", "%s", e ? errname(e) : "none");
	if (hold > 0) {
		struct sigaction sa = {.sa_handler = on_fork_stop};
		struct timespec ts = {.tv_sec = (time_t)hold,
		                      .tv_nsec = (long)((hold - (double)(time_t)hold) * 1e9)};
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		kv("holding", "1");
		fflush(stdout);
		while (!fork_stop && nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	close(pfd[1]);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	kv("done", "1");
	return 0;
}

static long long ns_of(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* spin SECONDS: burn CPU for SECONDS of wall time; report the work and CPU time. */
static int do_spin(const char *secstr)
{
	long long end = ns_of(CLOCK_MONOTONIC) + (long long)(strtod(secstr, NULL) * 1e9);
	long long start = ns_of(CLOCK_MONOTONIC), cpu0 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
	unsigned long long loops = 0;
	volatile unsigned long long sink = 0;

	while (ns_of(CLOCK_MONOTONIC) < end) {
		for (int i = 0; i < 10000; i++)
			sink += (unsigned long long)i * 2654435761ULL;
		loops++;
	}
	kv("loops", "%llu", loops);
	kv("cpu_ms", "%lld", (ns_of(CLOCK_PROCESS_CPUTIME_ID) - cpu0) / 1000000);
	kv("wall_ms", "%lld", (ns_of(CLOCK_MONOTONIC) - start) / 1000000);
	return 0;
}

static int do_open(const char *path, const char *mode)
{
	int flags = !strcmp(mode, "w") ? O_WRONLY : !strcmp(mode, "rw") ? O_RDWR : O_RDONLY;
	int fd = open(path, flags | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return fail_errno(errno);
	close(fd);
	kv("open", "ok");
	return 0;
}

static int do_mknod(const char *path, const char *type, const char *maj, const char *min)
{
	mode_t m = (type[0] == 'b' ? S_IFBLK : S_IFCHR) | 0666;
	dev_t dev = makedev((unsigned)strtoul(maj, NULL, 10), (unsigned)strtoul(min, NULL, 10));

	if (mknod(path, m, dev) < 0)
		return fail_errno(errno);
	kv("ok", "1");
	return 0;
}

/* "ok" for a syscall result r >= 0, else the errno name. */
static const char *outcome(long r)
{
	return r < 0 ? errname(errno) : "ok";
}

/* modload: the kernel checks CAP_SYS_MODULE (may_init_module) before it looks at the fd or
   the image, so without it both calls fail with EPERM and with it with EBADF / ENOEXEC.
   Neither can load anything. A kernel without CONFIG_MODULES answers ENOSYS to anyone. */
static int do_modload(void)
{
	static const char bset[] = "/proc/sys/kernel/usermodehelper/bset";
	int e = 0, fd;
	char *v;

	kv("finit_module", "%s", outcome(syscall(SYS_finit_module, -1, "", 0)));
	kv("init_module", "%s", outcome(syscall(SYS_init_module, NULL, 0UL, "")));
	/* The bounding set of usermode helpers (modprobe among them): a write needs
	   CAP_SETPCAP and CAP_SYS_MODULE (proc_cap_handler checks both first), and the kernel
	   intersects the set with what is written, so writing back what was read changes
	   nothing. It is there on kernels without module support too. */
	v = read_file(bset, NULL, &e);
	if (!v) {
		kerr("umh_bset_write", e);
		return 0;
	}
	fd = open(bset, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		kv("umh_bset_write", "%s", errname(errno));
	} else {
		kv("umh_bset_write", "%s", outcome(write(fd, v, strlen(v))));
		close(fd);
	}
	free(v);
	return 0;
}

/* settime: only calls whose permission check comes before the value check, with values that
   are then refused, so that even a process with CAP_SYS_TIME changes nothing:
   - settimeofday(NULL, tz): no time to validate, security_settime64 (CAP_SYS_TIME), then the
     timezone's +-15 h range check, before sys_tz is written;
   - adjtimex ADJ_TICK: "modes && !capable(CAP_SYS_TIME)" comes first in
     timekeeping_validate_timex, then the tick range (tick 0 is out of it), before anything
     is applied.
   (clock_settime(CLOCK_REALTIME) is no use here: it rejects an invalid time with EINVAL
   before the capability check, and a valid one would set the clock.) */
static int do_settime(void)
{
	struct timezone tz = {.tz_minuteswest = 16 * 60};
	struct timex tx = {.modes = ADJ_TICK, .tick = 0};

	kv("settimeofday", "%s", outcome(syscall(SYS_settimeofday, NULL, &tz)));
	kv("adjtimex", "%s", outcome(syscall(SYS_adjtimex, &tx)));
	return 0;
}

static int do_bind(const char *portstr)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
	                         .sin_port = htons((uint16_t)strtoul(portstr, NULL, 10)),
	                         .sin_addr.s_addr = htonl(INADDR_ANY)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return fail_errno(errno);
	kv("bind", "%s", outcome(bind(fd, (struct sockaddr *)&sa, sizeof(sa))));
	close(fd);
	return 0;
}

static int usage(void)
{
	fputs("usage: probe [info|exit N|sleep S|wait-signal|cat F|write F TEXT|read F N|stat P|"
	      "stat-follow P|ls D|mkdir D|sethostname N|msgget K|msgls|mount-tmpfs D|"
	      "chroot-escape M|ps|ids|caps|monotonic|netdevs|openpty|env|fds|mounts|rlimits|tty|"
	      "winch|keyring|hook OUT [ARG...]|alloc MB|fork N [HOLD]|spin S|open P r|w|rw|"
	      "mknod P c|b MAJ MIN|modload|settime|bind PORT]\n",
	      stderr);
	return 2;
}

static int run(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "info";
	const char *a = argc > 2 ? argv[2] : NULL, *b = argc > 3 ? argv[3] : NULL;

#define IS(name, nargs) (strcmp(cmd, name) == 0 && argc >= 2 + (nargs))
	if (argc < 2 || IS("info", 0))
		return do_info();
	if (IS("exit", 1))
		return (int)strtol(a, NULL, 10);
	if (IS("sleep", 1)) {
		double s = strtod(a, NULL);
		struct timespec ts = {.tv_sec = (time_t)s,
		                      .tv_nsec = (long)((s - (double)(time_t)s) * 1e9)};
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		return 0;
	}
	if (IS("wait-signal", 0))
		return do_wait_signal();
	if (IS("cat", 1))
		return do_cat(a);
	if (IS("write", 2))
		return do_write(a, b);
	if (IS("read", 2))
		return do_read(a, b);
	if (IS("stat", 1))
		return do_stat(a, false);
	if (IS("stat-follow", 1))
		return do_stat(a, true);
	if (IS("ls", 1))
		return do_ls(a);
	if (IS("mkdir", 1)) {
		if (mkdir(a, 0755) < 0)
			return fail_errno(errno);
		kv("ok", "1");
		return 0;
	}
	if (IS("sethostname", 1)) {
		if (sethostname(a, strlen(a)) < 0)
			return fail_errno(errno);
		fact_uts();
		return 0;
	}
	if (IS("msgget", 1)) {
		int id = msgget((key_t)strtol(a, NULL, 0), IPC_CREAT | 0600);
		if (id < 0)
			return fail_errno(errno);
		kv("msqid", "%d", id);
		return 0;
	}
	if (IS("msgls", 0))
		return do_msgls();
	if (IS("mount-tmpfs", 1)) {
		if (mount("tmpfs", a, "tmpfs", 0, "size=1m") < 0)
			return fail_errno(errno);
		kv("mount", "ok");
		return 0;
	}
	if (IS("chroot-escape", 1))
		return do_chroot_escape(a);
	if (IS("ps", 0))
		return do_ps();
	if (IS("ids", 0)) {
		fact_ids();
		return 0;
	}
	if (IS("caps", 0)) {
		fact_caps();
		return 0;
	}
	if (IS("monotonic", 0))
		return do_monotonic();
	if (IS("netdevs", 0))
		return do_netdevs();
	if (IS("openpty", 0))
		return do_openpty();
	if (IS("env", 0)) {
		fact_env();
		return 0;
	}
	if (IS("fds", 0)) {
		fact_fds();
		return 0;
	}
	if (IS("mounts", 0)) {
		fact_mounts();
		return 0;
	}
	if (IS("rlimits", 0)) {
		fact_rlimits();
		return 0;
	}
	if (IS("tty", 0))
		return do_tty();
	if (IS("winch", 0))
		return do_winch();
	if (IS("keyring", 0))
		return do_keyring();
	if (IS("hook", 1))
		return do_hook(argc, argv);
	if (IS("exe-write", 1))
		return do_exe_write(argv[2]);
	if (IS("alloc", 1))
		return do_alloc(a);
	if (IS("fork", 1))
		return do_fork(a, b);
	if (IS("spin", 1))
		return do_spin(a);
	if (IS("open", 2))
		return do_open(a, b);
	if (IS("mknod", 4))
		return do_mknod(a, b, argv[4], argv[5]);
	if (IS("modload", 0))
		return do_modload();
	if (IS("settime", 0))
		return do_settime();
	if (IS("bind", 1))
		return do_bind(a);
#undef IS
	return usage();
}

/* exe-write PID: the CVE-2019-5736 write. Hold /proc/PID/exe (O_PATH, as an
 * attacker in the container would), wait for PID to exit (the text is then
 * no longer busy), reopen the file for writing and append one byte.
 * Reports exe_open= and exe_write= ("ok" or the errno name). */
static const char *okname(int e)
{
	return e ? errname(e) : "ok";
}

static int do_exe_write(const char *pidstr)
{
	char path[64];
	int pid = atoi(pidstr), fd, w, e;

	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		printf("exe_open=%s\nexe_write=%s\n", okname(errno), okname(errno));
		return 1;
	}
	printf("ready=1\n");
	fflush(stdout);
	while (kill(pid, 0) == 0) {
		char st[64], buf[256];
		snprintf(st, sizeof(st), "/proc/%d/stat", pid);
		FILE *f = fopen(st, "re");
		if (f) {
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);
			fclose(f);
			buf[n] = '\0';
			char *p = strrchr(buf, ')');
			if (p && p[1] && p[2] == 'Z')
				break;
		}
		usleep(10000);
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	/* The text stays busy for a moment after the exit is visible: retry
	 * ETXTBSY, so that only a real defence (EROFS, seals) answers. */
	for (int tries = 0;; tries++) {
		w = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
		e = w < 0 ? errno : 0;
		if (e != ETXTBSY || tries == 1000)
			break;
		usleep(10000);
	}
	printf("exe_open=%s\n", okname(e));
	if (w >= 0) {
		e = write(w, "", 1) == 1 ? 0 : errno;
		close(w);
	}
	printf("exe_write=%s\n", okname(e));
	return 0;
}

int main(int argc, char **argv)
{
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	r = run(argc, argv);
	fflush(stdout);
	return r;
}
