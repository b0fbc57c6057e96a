/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* Thin wrappers for syscalls glibc 2.36 does not wrap, and small fd helpers. */
#include <linux/mount.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static inline long sys_clone3(struct clone_args *args)
{
	return syscall(SYS_clone3, args, sizeof(*args));
}

static inline int sys_openat2(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct open_how how = {.flags = flags, .mode = 0, .resolve = resolve};
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

static inline int sys_open_tree(int dirfd, const char *path, unsigned flags)
{
	return (int)syscall(SYS_open_tree, dirfd, path, flags);
}

static inline int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to,
                                 unsigned flags)
{
	return (int)syscall(SYS_move_mount, from_dfd, from, to_dfd, to, flags);
}

static inline int sys_mount_setattr(int dfd, const char *path, unsigned flags,
                                    struct mount_attr *attr)
{
	return (int)syscall(SYS_mount_setattr, dfd, path, flags, attr, sizeof(*attr));
}

static inline int sys_pidfd_send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

static inline int sys_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static inline int sys_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

/* "/proc/self/fd/N": a path naming exactly the object behind fd, for syscalls
 * (mount(2)) that only take paths. Resolved through the host's procfs before
 * pivot_root, which the container cannot influence. */
#define FD_PATH_MAX 32
const char *fd_path(char buf[FD_PATH_MAX], int fd);

/* A SOCK_STREAM connection to the AF_UNIX socket at path (close-on-exec),
 * paths longer than sun_path included; fd or -errno. */
int unix_connect(const char *path);

/* One sendmsg of buf (len > 0) with `pass` in SCM_RIGHTS; 0 or -errno. */
int send_fd(int sock, const void *buf, size_t len, int pass);

/* Write all of buf to fd (retrying short writes and EINTR); returns 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);

/* Replace dirfd/path with len bytes of buf, atomically: written to
 * "<path>.<pid>.tmp" (mode for a new file), then renamed over path; the
 * temporary file is removed on failure. 0 or -errno. */
int write_file_atomic_at(int dirfd, const char *path, const void *buf, size_t len, mode_t mode);

/* Open dirfd/path with O_WRONLY|O_CLOEXEC (no create), write str, close. 0 or -errno. */
int write_file_at(int dirfd, const char *path, const char *str);

/* mkdir -p: missing parents 0755, the last component `mode` (existing ones are
 * left as they are). 0 or -errno (errno set too). */
int mkdir_parents(const char *path, mode_t mode);

/* Read a whole file (at most max bytes) into a malloc'ed NUL-terminated buffer. */
int read_file_at(int dirfd, const char *path, size_t max, char **ret_buf, size_t *ret_len);
