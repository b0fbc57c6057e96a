/* SPDX-License-Identifier: Apache-2.0 */
/* `features` (runtime-spec features.md, features-linux.md): what this build
 * really does. Whatever is refused at create is reported as unsupported. */
#include <jansson.h>
#include <stdlib.h>

#include "config.h"
#include "container.h"
#include "security/security.h"
#include "spec/mountopt.h"
#include "spec/spec_names.h"

static json_t *strings(const char *const *v)
{
	json_t *a = json_array();

	for (; *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

char *hull_features_json(void)
{
	static const char *const hooks[] = {"prestart",
	                                    "createRuntime",
	                                    "createContainer",
	                                    "startContainer",
	                                    "poststart",
	                                    "poststop",
	                                    NULL};
	static const char *const namespaces[] = {"cgroup", "ipc", "mount", "network", "pid",
	                                         "user",   "uts", "time",  NULL};
	json_t *opts = json_array(), *caps = json_array();
	const char *name;

	for (size_t i = 0; (name = hull_mount_opt_name(i)); i++)
		json_array_append_new(opts, json_string(name));
	for (int c = 0; c <= HULL_CAP_LAST; c++)
		if ((name = hull_cap_name(c)))
			json_array_append_new(caps, json_string(name));
	json_t *linux_ =
	    json_pack("{s:o, s:o, s:{s:b, s:b, s:b, s:b, s:b}, s:{s:b}, s:{s:b}, s:{s:b}, s:{s:b}, "
	              "s:{s:{s:b}}}",
	              "namespaces", strings(namespaces), "capabilities", caps, "cgroup", "v1", 1,
	              "v2", 1, "systemd", 0, "systemdUser", 0, "rdma", 0, "seccomp", "enabled", 1,
	              "apparmor", "enabled", sec_lsm_enabled("apparmor"), "selinux", "enabled",
	              sec_lsm_enabled("selinux"), "intelRdt", "enabled", 0, "mountExtensions",
	              "idmap", "enabled", 0);
	json_t *j = json_pack("{s:s, s:s, s:o, s:o, s:o, s:{s:s, s:s}}", "ociVersionMin", "1.0.0",
	                      "ociVersionMax", HULL_OCI_VERSION, "hooks", strings(hooks),
	                      "mountOptions", opts, "linux", linux_, "annotations",
	                      "io.hull.version", HULL_VERSION, "io.hull.features", HULL_FEATURES);
	/* seccomp: what this build takes */
	static const char *const actions[] = {"SCMP_ACT_KILL",        "SCMP_ACT_KILL_PROCESS",
	                                      "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
	                                      "SCMP_ACT_ERRNO",       "SCMP_ACT_TRACE",
	                                      "SCMP_ACT_ALLOW",       "SCMP_ACT_LOG",
	                                      "SCMP_ACT_NOTIFY",      NULL};
	static const char *const operators[] = {"SCMP_CMP_NE",        "SCMP_CMP_LT", "SCMP_CMP_LE",
	                                        "SCMP_CMP_EQ",        "SCMP_CMP_GE", "SCMP_CMP_GT",
	                                        "SCMP_CMP_MASKED_EQ", NULL};
	static const char *const sflags[] = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
	                                     "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	                                     "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", NULL};
	json_t *sc = json_object_get(linux_, "seccomp");
	json_object_set_new(sc, "actions", strings(actions));
	json_object_set_new(sc, "operators", strings(operators));
	json_object_set_new(sc, "supportedFlags", strings(sflags));
	char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	return text;
}
