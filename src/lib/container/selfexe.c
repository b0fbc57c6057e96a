/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CVE-2019-5736. A container whose /bin/sh is "#!/proc/self/exe" makes the
 * process hull is about to turn into the container's process run hull's own
 * binary again; another process in the container can then hold
 * /proc/PID/exe open and write through it once hull exits, replacing the
 * host's hull. hull therefore re-execs itself, once per invocation of a
 * command that creates container processes, from a view of its binary that
 * cannot be written: a detached read-only clone of the mount it lives on
 * (root: a few syscalls, nothing copied), or else a sealed memfd copy. It is
 * skipped when hull already runs from either (or from a read-only mount).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "util/cleanup.h"
#include "util/sys.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

static int memfd_copy(int src, struct hull_error *err)
{
	struct stat st;
	int fd = memfd_create("hull", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("hull", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return hull_err_sys(err, errno, "memfd_create");
	if (fstat(src, &st) < 0)
		goto fail;
	for (off_t left = st.st_size; left > 0;) {
		ssize_t n = sendfile(fd, src, NULL, (size_t)left);
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			goto fail;
		}
		left -= n;
	}
	/* Sealing against writes fails with EBUSY while pages are still
	 * pinned (sendfile's pipe buffers being released): retry briefly. */
	for (int tries = 0; fcntl(fd, F_ADD_SEALS, SEALS) < 0; tries++) {
		if (errno != EBUSY || tries == 200)
			goto fail;
		struct timespec ts = {0, 500 * 1000};
		nanosleep(&ts, NULL);
	}
	return fd;
fail:;
	int e = errno;
	close(fd);
	return hull_err_sys(err, e, "copy hull into a sealed memfd");
}

/* A read-only view of the binary: a detached clone of the mount it lives
 * on, made read-only, and the binary opened in it. Writes through
 * /proc/PID/exe then fail with EROFS; nothing is copied. Needs
 * CAP_SYS_ADMIN (root); -1 otherwise. A few syscalls instead of copying
 * the 1 MiB binary into a memfd on every start. */
static int readonly_view(int self)
{
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
	int tree = sys_open_tree(self, "", OPEN_TREE_CLONE | AT_EMPTY_PATH | OPEN_TREE_CLOEXEC);

	if (tree >= 0 && sys_mount_setattr(tree, "", AT_EMPTY_PATH, &attr) < 0) {
		close(tree);
		tree = -1;
	}
	return tree; /* O_PATH: execveat takes it */
}

int hull_selfexe_ensure_sealed(char **argv, struct hull_error *err)
{
	_cleanup_close_ int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct statvfs sv;
	int seals;

	if (self < 0)
		return hull_err_sys(err, errno, "open /proc/self/exe");
	/* Already safe: on a read-only mount (our view, or an installation on
	 * a read-only /usr), or a sealed copy. */
	if (fstatvfs(self, &sv) == 0 && (sv.f_flag & ST_RDONLY))
		return 0;
	seals = fcntl(self, F_GET_SEALS);
	if (seals >= 0 && (seals & SEALS) == SEALS)
		return 0;
	_cleanup_close_ int view = readonly_view(self);
	if (view >= 0) {
		execveat(view, "", argv, environ, AT_EMPTY_PATH);
		/* not executable from there (e.g. a noexec policy): copy */
	}
	_cleanup_close_ int copy = memfd_copy(self, err);
	if (copy < 0)
		return copy;
	execveat(copy, "", argv, environ, AT_EMPTY_PATH);
	return hull_err_sys(err, errno, "re-exec hull from its sealed copy");
}
