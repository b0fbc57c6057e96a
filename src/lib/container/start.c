/* SPDX-License-Identifier: Apache-2.0 */
/* start: let a created container's process go on to exec. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "container.h"
#include "internal.h"
#include "state/state.h"
#include "sync.h"
#include "util/cleanup.h"
#include "util/sys.h"

static int status_refusal(const char *id, const char *status, struct hull_error *err)
{
	if (strcmp(status, "stopped") == 0)
		return hull_err(err, EINVAL, "cannot start a container that has stopped (%s)", id);
	if (strcmp(status, "running") == 0)
		return hull_err(err, EINVAL, "cannot start an already running container (%s)", id);
	return hull_err(err, EINVAL, "cannot start container %s in state %s", id, status);
}

/* Connect to the process's start socket, send GO, and read the outcome:
 * EOF = exec'ed; an error = a startContainer hook or the exec failed. */
static int go(int statefd, const char *id, struct hull_error *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct sync_msg m;
	int r;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/%s", statefd,
	         STATE_START_SOCK);
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return hull_err_sys(err, errno, "socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno == ECONNREFUSED || errno == ENOENT)
			return status_refusal(id, "stopped", err);
		return hull_err_sys(err, errno, "connect to container %s", id);
	}
	if (sync_send(fd, SYNC_GO, 0) < 0)
		return hull_err_sys(err, errno, "start container %s", id);
	r = sync_recv(fd, &m);
	if (r < 0)
		return hull_err_sys(err, -r, "start container %s", id);
	if (r == 1 && m.type == SYNC_ERROR)
		return hull_err(err, m.code ? m.code : EIO, "%s", m.msg);
	if (r == 1)
		return hull_err(err, EPROTO, "start container %s: unexpected message %u", id,
		                m.type);
	return 0;
}

int hull_container_start(const char *root, const char *id, struct hull_error *err)
{
	struct hull_state_info info;
	int ret, pidfd = -1;

	if ((ret = state_id_check(id, err)) < 0)
		return ret;
	_cleanup_close_ int statefd = state_lock(root, id, err);
	if (statefd < 0)
		return statefd;
	if ((ret = state_load(root, id, &info, err)) < 0)
		return ret;
	const char *status = state_status(statefd, &info);
	if (strcmp(status, "created") != 0) {
		ret = status_refusal(id, status, err);
		goto out;
	}
	pidfd = state_pidfd(info.st.pid, info.st.pid_start);
	ret = go(statefd, id, err);
	unlinkat(statefd, STATE_START_SOCK, 0);
	if (ret == 0) {
		struct hull_state st = info.st;
		st.status = "running";
		ret = state_write(statefd, &st, err);
	}
	if (ret == 0)
		ret = ctx_saved_hooks(statefd, &info.st, HULL_HOOK_POSTSTART, "running",
		                      info.st.pid, err);
	if (ret < 0 && pidfd >= 0)
		sys_pidfd_send_signal(pidfd, SIGKILL); /* runtime.md: stop the container */
out:
	if (pidfd >= 0)
		close(pidfd);
	state_info_free(&info);
	return ret;
}
