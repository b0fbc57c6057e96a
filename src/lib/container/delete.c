/* SPDX-License-Identifier: Apache-2.0 */
/* delete: kill what is left (created, or running with --force), run the
 * poststop hooks, remove the state. Safe after a create that died half-way. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "container.h"
#include "internal.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/sys.h"

static void kill_and_wait(int pidfd)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};

	if (sys_pidfd_send_signal(pidfd, SIGKILL) < 0)
		return;
	while (poll(&p, 1, 10000) < 0 && errno == EINTR)
		;
}

int hull_container_delete(const char *root, const char *id, bool force, struct hull_error *err)
{
	struct hull_state_info info;
	int ret;

	if ((ret = state_id_check(id, err)) < 0)
		return ret;
	_cleanup_close_ int statefd = state_lock(root, id, err);
	if (statefd < 0)
		return statefd;
	if ((ret = state_load(root, id, &info, err)) < 0)
		return ret;
	_cleanup_close_ int pidfd = info.missing ? -1 : state_pidfd(info.st.pid, info.st.pid_start);
	if (pidfd >= 0) {
		bool created = faccessat(statefd, STATE_START_SOCK, F_OK, 0) == 0;
		if (!force && !created) {
			ret = hull_err(err, EBUSY,
			               "cannot delete container %s that is not stopped: running "
			               "(use --force)",
			               id);
			goto out;
		}
		/* A frozen process dies only once thawed. */
		if (sys_pidfd_send_signal(pidfd, SIGKILL) == 0 && info.st.cgroup &&
		    *info.st.cgroup && cgroup_frozen(info.st.cgroup))
			cgroup_freeze(info.st.cgroup, false, err);
		kill_and_wait(pidfd);
	}
	/* Lingering processes (forked and left behind, or still frozen) go
	 * with the cgroup. */
	if (!info.missing && info.st.cgroup && *info.st.cgroup &&
	    (ret = cgroup_destroy(info.st.cgroup, err)) < 0)
		goto out;
	/* veth, NAT rules and lease; also after a create that died half-way */
	if ((ret = ctx_net_detach(id, statefd, err)) < 0)
		goto out;
	if (!info.missing) {
		/* poststop failures are only warnings (runtime.md) */
		struct hull_error ignored = {0};
		ctx_saved_hooks(statefd, &info.st, HULL_HOOK_POSTSTOP, "stopped", 0, &ignored);
	}
	ret = state_remove(root, id, statefd);
	if (ret < 0)
		ret = hull_err_sys(err, -ret, "remove state of %s", id);
out:
	state_info_free(&info);
	return ret;
}
