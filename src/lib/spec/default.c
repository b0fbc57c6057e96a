/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The config `hull spec` writes: runc 1.1's `runc spec` (and `--rootless`),
 * byte for byte in layout (tab indentation, Go's key order), with our
 * ociVersion and hostname.
 */
#include "spec.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static json_t *default_caps(void)
{
	return json_pack("[sss]", "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
}

static json_t *default_process(void)
{
	return json_pack("{s:b, s:{s:i, s:i}, s:[s], s:[s, s], s:s, s:{s:o, s:o, s:o, s:o}, "
	                 "s:[{s:s, s:i, s:i}], s:b}",
	                 "terminal", 1, "user", "uid", 0, "gid", 0, "args", "sh", "env",
	                 "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	                 "TERM=xterm", "cwd", "/", "capabilities", "bounding", default_caps(),
	                 "effective", default_caps(), "permitted", default_caps(), "ambient",
	                 default_caps(), "rlimits", "type", "RLIMIT_NOFILE", "hard", 1024, "soft",
	                 1024, "noNewPrivileges", 1);
}

/* One mount, Go's field order: destination, type, source, options. Rootless
 * drops uid=/gid= options, which would name ids the user namespace lacks. */
static int add_mount(json_t *mounts, bool rootless, const char *dest, const char *type,
                     const char *source, const char *const *options)
{
	json_t *m =
	    json_pack("{s:s, s:s, s:s}", "destination", dest, "type", type, "source", source);
	json_t *opts = json_array();

	if (!m || !opts)
		goto fail;
	for (size_t i = 0; options && options[i]; i++) {
		if (rootless &&
		    (!strncmp(options[i], "uid=", 4) || !strncmp(options[i], "gid=", 4)))
			continue;
		if (json_array_append_new(opts, json_string(options[i])) < 0)
			goto fail;
	}
	if (json_array_size(opts) && json_object_set(m, "options", opts) < 0)
		goto fail;
	json_decref(opts);
	return json_array_append_new(mounts, m);
fail:
	json_decref(m);
	json_decref(opts);
	return -1;
}

static json_t *default_mounts(bool rootless)
{
	static const char *const dev[] = {"nosuid", "strictatime", "mode=755", "size=65536k", NULL};
	static const char *const pts[] = {"nosuid",    "noexec", "newinstance", "ptmxmode=0666",
	                                  "mode=0620", "gid=5",  NULL};
	static const char *const shm[] = {"nosuid",    "noexec",      "nodev",
	                                  "mode=1777", "size=65536k", NULL};
	static const char *const mq[] = {"nosuid", "noexec", "nodev", NULL};
	static const char *const sys[] = {"nosuid", "noexec", "nodev", "ro", NULL};
	static const char *const rsys[] = {"rbind", "nosuid", "noexec", "nodev", "ro", NULL};
	static const char *const cg[] = {"nosuid", "noexec", "nodev", "relatime", "ro", NULL};
	json_t *m = json_array();
	int r;

	if (!m)
		return NULL;
	r = add_mount(m, rootless, "/proc", "proc", "proc", NULL);
	r |= add_mount(m, rootless, "/dev", "tmpfs", "tmpfs", dev);
	r |= add_mount(m, rootless, "/dev/pts", "devpts", "devpts", pts);
	r |= add_mount(m, rootless, "/dev/shm", "tmpfs", "shm", shm);
	r |= add_mount(m, rootless, "/dev/mqueue", "mqueue", "mqueue", mq);
	/* Without its own network namespace a rootless container may not mount
	 * sysfs; it gets the host's /sys read-only instead, cgroups included. */
	if (rootless) {
		r |= add_mount(m, rootless, "/sys", "none", "/sys", rsys);
	} else {
		r |= add_mount(m, rootless, "/sys", "sysfs", "sysfs", sys);
		r |= add_mount(m, rootless, "/sys/fs/cgroup", "cgroup", "cgroup", cg);
	}
	if (r) {
		json_decref(m);
		return NULL;
	}
	return m;
}

static json_t *default_namespaces(bool rootless)
{
	static const char *const all[] = {"pid", "network", "ipc", "uts", "mount", "cgroup"};
	json_t *ns = json_array();

	for (size_t i = 0; ns && i < sizeof(all) / sizeof(all[0]); i++) {
		if (rootless && !strcmp(all[i], "network"))
			continue;
		if (json_array_append_new(ns, json_pack("{s:s}", "type", all[i])) < 0) {
			json_decref(ns);
			return NULL;
		}
	}
	if (ns && rootless && json_array_append_new(ns, json_pack("{s:s}", "type", "user")) < 0) {
		json_decref(ns);
		return NULL;
	}
	return ns;
}

static json_t *default_linux(bool rootless, uid_t uid, gid_t gid)
{
	json_t *lx = json_object();
	int r = 0;

	if (!lx)
		return NULL;
	if (rootless) {
		r |= json_object_set_new(lx, "uidMappings",
		                         json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID",
		                                   (json_int_t)uid, "size", 1));
		r |= json_object_set_new(lx, "gidMappings",
		                         json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID",
		                                   (json_int_t)gid, "size", 1));
	} else {
		r |= json_object_set_new(
		    lx, "resources",
		    json_pack("{s:[{s:b, s:s}]}", "devices", "allow", 0, "access", "rwm"));
	}
	r |= json_object_set_new(lx, "namespaces", default_namespaces(rootless));
	r |= json_object_set_new(lx, "maskedPaths",
	                         json_pack("[ssssssssss]", "/proc/acpi", "/proc/asound",
	                                   "/proc/kcore", "/proc/keys", "/proc/latency_stats",
	                                   "/proc/timer_list", "/proc/timer_stats",
	                                   "/proc/sched_debug", "/sys/firmware", "/proc/scsi"));
	r |= json_object_set_new(lx, "readonlyPaths",
	                         json_pack("[sssss]", "/proc/bus", "/proc/fs", "/proc/irq",
	                                   "/proc/sys", "/proc/sysrq-trigger"));
	if (r) {
		json_decref(lx);
		return NULL;
	}
	return lx;
}

/* Go's json.MarshalIndent(spec, "", "\t"): jansson indents with spaces, one
 * per level here; turn each line's leading spaces into tabs. */
static char *indent_with_tabs(char *text)
{
	char *out = text, *in = text;

	while (*in) {
		while (*in == ' ') {
			*out++ = '\t';
			in++;
		}
		while (*in && *in != '\n')
			*out++ = *in++;
		if (*in)
			*out++ = *in++;
	}
	*out = '\0';
	return text;
}

char *hull_spec_default_json(bool rootless, uid_t uid, gid_t gid)
{
	json_t *root;
	char *text = NULL;

	root = json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}", "ociVersion", HULL_OCI_VERSION,
	                 "process", default_process(), "root", "path", "rootfs", "readonly", 1,
	                 "hostname", "hull", "mounts", default_mounts(rootless), "linux",
	                 default_linux(rootless, uid, gid));
	if (root)
		text = json_dumps(root, JSON_INDENT(1));
	json_decref(root);
	return text ? indent_with_tabs(text) : NULL;
}
