/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "container.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/sys.h"

/* Alive and the same process (pid + start time): never guess from the pid. */
static int pidfd_of(pid_t pid, uint64_t start)
{
	if (pid <= 0)
		return -1;
	int fd = sys_pidfd_open(pid);
	if (fd < 0)
		return -1;
	if (state_pid_start(pid) != start) {
		close(fd);
		return -1;
	}
	return fd;
}

int hull_container_delete(const char *root, const char *id, bool force, struct hull_error *err)
{
	pid_t pid;
	uint64_t start;
	int ret;

	if ((ret = state_id_check(id, err)) < 0)
		return ret;
	_cleanup_close_ int dirfd = state_lock(root, id, err);
	if (dirfd < 0)
		return dirfd;
	if ((ret = state_read_pid(root, id, &pid, &start, err)) < 0)
		return ret;
	_cleanup_close_ int pidfd = pidfd_of(pid, start);
	if (pidfd >= 0) {
		struct pollfd p = {.fd = pidfd, .events = POLLIN};
		if (!force)
			return hull_err(err, EBUSY,
					"cannot delete container \"%s\" that is not stopped: it is "
					"running (use --force)",
					id);
		if (sys_pidfd_send_signal(pidfd, SIGKILL) < 0 && errno != ESRCH)
			return hull_err_sys(err, errno, "kill container %s", id);
		while (poll(&p, 1, 10000) < 0 && errno == EINTR)
			;
	}
	ret = state_remove(root, id, dirfd);
	if (ret < 0)
		return hull_err_sys(err, -ret, "remove state of %s", id);
	return 0;
}
