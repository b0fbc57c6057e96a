/* SPDX-License-Identifier: Apache-2.0 */
/* state.json read back (state_load's parser) and `hull state`'s output. Apart
 * from state.c so the fuzz target (tests/fuzz/fuzz_state.c) links only this. */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/sys.h"

int state_from_doc(void *doc, const char *name, struct hull_state_info *ret, struct hull_error *err)
{
	json_t *j = doc;
	json_error_t je;
	json_int_t pid = 0, start = 0, owner = 0;
	int detached = 0, own_pidns = 0, hooks = 0;
	struct hull_state *st = &ret->st;

	st->status = "stopped";
	st->bundle = st->rootfs = st->created = "";
	st->cgroup = "";
	if (json_unpack_ex(j, &je, 0,
	                   "{s:s, s?I, s?s, s?s, s?s, s?s, s?I, s?{s?I, s?b, s?b, s?s, s?i}}", "id",
	                   &st->id, "pid", &pid, "status", &st->status, "bundle", &st->bundle,
	                   "rootfs", &st->rootfs, "created", &st->created, "owner", &owner, "hull",
	                   "pidStart", &start, "detached", &detached, "ownPidns", &own_pidns,
	                   "cgroup", &st->cgroup, "hooks", &hooks) < 0) {
		json_decref(j);
		return hull_err(err, EINVAL, "%s: %s", name, je.text);
	}
	st->pid = (pid_t)pid;
	st->pid_start = (uint64_t)start;
	st->owner = (uid_t)owner;
	st->detached = detached;
	st->own_pidns = own_pidns;
	st->hooks = (unsigned)hooks;
	ret->doc = j;
	ret->annotations_json = json_object_get(j, "annotations");
	st->annotations_doc = ret->annotations_json;
	return 0;
}

void state_info_free(struct hull_state_info *info)
{
	json_decref(info->doc);
	info->doc = NULL;
}

/* The name of uid from /etc/passwd (no NSS in a static binary), "#UID" otherwise. */
static void owner_name(uid_t uid, char *buf, size_t size)
{
	_cleanup_free_ char *pw = NULL;

	snprintf(buf, size, "#%u", uid);
	if (read_file_at(AT_FDCWD, "/etc/passwd", 1 << 20, &pw, NULL) < 0)
		return;
	for (char *line = pw, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *name = line, *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c1 = '\0';
		if ((uid_t)strtoul(c2 + 1, NULL, 10) == uid && c2[1] != ':') {
			snprintf(buf, size, "%s", name);
			return;
		}
	}
}

char *state_to_json(const struct hull_state_info *info, const char *status, bool pretty)
{
	const struct hull_state *st = &info->st;
	char owner[256];
	bool stopped = strcmp(status, "stopped") == 0 || info->missing;

	owner_name(st->owner, owner, sizeof(owner));
	json_t *j =
	    json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "ociVersion", STATE_OCI_VERSION, "id",
	              st->id, "pid", stopped ? 0 : (int)st->pid, "status", status, "bundle",
	              st->bundle, "rootfs", st->rootfs, "created", st->created);
	if (!j)
		return NULL;
	if (info->annotations_json)
		json_object_set(j, "annotations", (json_t *)info->annotations_json);
	json_object_set_new(j, "owner", json_string(owner));
	char *text = json_dumps(j, pretty ? JSON_INDENT(2) | JSON_PRESERVE_ORDER
	                                  : JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	return text;
}
