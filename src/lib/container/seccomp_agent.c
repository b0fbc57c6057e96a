/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SCMP_ACT_NOTIFY: the container process loads its filter and hands the
 * listener fd to hull over the sync socket; hull sends it with the container
 * process state to linux.seccomp.listenerPath (one connection, one message,
 * closed), then lets the process go on. As runc: the agent has the fd before
 * the process runs anything of the user's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hooks/hooks.h"
#include "internal.h"
#include "security/security.h"
#include "spec/spec_seccomp.h"
#include "sync.h"
#include "util/cleanup.h"
#include "util/sys.h"

int ctx_seccomp_load(struct hull_ctx *c, struct hull_error *err)
{
	struct sync_msg m;
	int listener, ret;

	if ((ret = sec_seccomp_load(c->seccomp, &listener, err)) < 0 || listener < 0)
		return ret;
	ret = sync_send_fd(c->sync_child, SYNC_SECCOMP, listener);
	close(listener);
	if (ret < 0)
		return hull_err_sys(err, -ret, "send the seccomp listener to hull");
	if (sync_recv(c->sync_child, &m) != 1 || m.type != SYNC_SECCOMP_DONE)
		return hull_err(err, EPROTO, "hull did not take the seccomp listener");
	return 0;
}

int ctx_seccomp_agent(struct hull_ctx *c, int listener, struct hull_error *err)
{
	const struct hull_seccomp *s = c->spec->linux_.seccomp;
	struct hull_hook_state hs = {.id = c->id,
	                             .status = c->state_status ? c->state_status : "creating",
	                             .pid = c->state_pid ? c->state_pid : c->pid,
	                             .bundle = c->bundle,
	                             .annotations = c->spec->annotations,
	                             .n_annotations = c->spec->n_annotations};
	_cleanup_free_ char *json = NULL;
	int ret;

	if (!s || !s->listener_path)
		return hull_err(err, EPROTO,
		                "a seccomp listener without linux.seccomp.listenerPath");
	if ((ret = hooks_seccomp_state_json(&hs, c->pid, s->listener_metadata, &json, err)) < 0)
		return ret;
	_cleanup_close_ int sock = unix_connect(s->listener_path);
	if (sock < 0)
		return hull_err_sys(err, -sock, "linux.seccomp.listenerPath %s", s->listener_path);
	if ((ret = send_fd(sock, json, strlen(json), listener)) < 0)
		return hull_err_sys(err, -ret, "linux.seccomp.listenerPath %s: send the state",
		                    s->listener_path);
	return 0;
}
