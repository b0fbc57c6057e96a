/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * config.json as typed, validated structures (runtime-spec config.md and
 * config-linux.md, Linux fields only). Loading never touches the system.
 *
 * Memory: strings point into the parsed JSON document, which the spec owns
 * (spec->doc); arrays are allocated. hull_spec_free() releases everything.
 * Absent optional scalars are marked by a has_* flag; absent strings are NULL.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../util/error.h"

struct hull_idmap {
	uint32_t container_id, host_id, size;
};

struct hull_idmaps {
	struct hull_idmap *v;
	size_t n;
};

/* Parsed form of mounts[].options (see spec/mountopt.h). */
struct hull_mount_opts {
	unsigned long flags;       /* MS_* to set (MS_RDONLY, MS_NOSUID, ... MS_BIND, MS_REC) */
	unsigned long clear;       /* MS_* explicitly cleared (rw, suid, dev, exec, ...) */
	unsigned long propagation; /* MS_SHARED|MS_SLAVE|MS_PRIVATE|MS_UNBINDABLE [|MS_REC] or 0 */
	uint64_t rec_attr_set;     /* MOUNT_ATTR_* for r* options (rro, rnosuid, ...) */
	uint64_t rec_attr_clr;     /* MOUNT_ATTR_* cleared by rrw, rsuid, ... */
	char *data;                /* filesystem specific options joined by ',', or NULL (owned) */
	bool bind;                 /* bind or rbind */
	bool recursive_bind;       /* rbind */
	bool idmap, ridmap;
	bool tmpcopyup;
	bool remount;
};

struct hull_mount {
	const char *destination; /* as written; absolute or (deprecated) relative to "/" */
	const char *source;      /* NULL when absent */
	const char *type;        /* NULL when absent */
	const char **options;    /* NULL-terminated, may be NULL */
	struct hull_idmaps uid_mappings, gid_mappings;
	struct hull_mount_opts opts;
};

struct hull_rlimit {
	int resource; /* RLIMIT_* */
	const char *type;
	uint64_t soft, hard;
};

/* Capability sets as bitmasks of CAP_* numbers (bit n = capability n). */
struct hull_caps {
	bool present; /* process.capabilities given at all */
	uint64_t effective, bounding, inheritable, permitted, ambient;
};

struct hull_user {
	uid_t uid;
	gid_t gid;
	bool has_umask;
	mode_t umask;
	gid_t *additional_gids;
	size_t n_additional_gids;
};

struct hull_scheduler {
	bool present;
	int policy; /* SCHED_* */
	int32_t nice, priority;
	uint64_t flags; /* SCHED_FLAG_* */
	uint64_t runtime, deadline, period;
};

struct hull_io_priority {
	bool present;
	int class; /* IOPRIO_CLASS_* */
	int priority;
};

struct hull_process {
	bool terminal;
	bool has_console_size;
	unsigned console_height, console_width;
	const char *cwd;
	const char **args; /* NULL-terminated */
	const char **env;  /* NULL-terminated, never NULL after parsing (may be empty) */
	struct hull_rlimit *rlimits;
	size_t n_rlimits;
	const char *apparmor_profile;
	const char *selinux_label;
	struct hull_caps caps;
	bool no_new_privileges;
	bool has_oom_score_adj;
	int oom_score_adj;
	struct hull_scheduler scheduler;
	struct hull_io_priority io_priority;
	const char *exec_cpu_affinity_initial, *exec_cpu_affinity_final;
	struct hull_user user;
};

enum hull_ns_type {
	HULL_NS_PID,
	HULL_NS_NET,
	HULL_NS_MNT,
	HULL_NS_IPC,
	HULL_NS_UTS,
	HULL_NS_USER,
	HULL_NS_CGROUP,
	HULL_NS_TIME,
	HULL_NS__COUNT
};

struct hull_namespace {
	bool present;
	const char *path; /* NULL: create a new one */
};

struct hull_device {
	char type; /* 'c', 'b', 'u', 'p' */
	const char *path;
	int64_t major, minor;
	bool has_file_mode, has_uid, has_gid;
	uint32_t file_mode;
	uint32_t uid, gid;
};

struct hull_time_offset {
	bool present;
	int64_t secs;
	uint32_t nanosecs;
};

struct hull_kv {
	const char *key, *value;
};

struct hull_hook {
	const char *path;
	const char **args; /* NULL-terminated or NULL */
	const char **env;  /* NULL-terminated or NULL */
	bool has_timeout;
	int timeout; /* seconds, > 0 */
};

struct hull_hooks {
	struct hull_hook *v;
	size_t n;
};

enum hull_hook_kind {
	HULL_HOOK_PRESTART,
	HULL_HOOK_CREATE_RUNTIME,
	HULL_HOOK_CREATE_CONTAINER,
	HULL_HOOK_START_CONTAINER,
	HULL_HOOK_POSTSTART,
	HULL_HOOK_POSTSTOP,
	HULL_HOOK__COUNT
};

struct hull_personality {
	bool present;
	unsigned long domain; /* PER_LINUX or PER_LINUX32 */
	unsigned long flags;
};

struct hull_net_device {
	const char *host_name; /* key of linux.netDevices */
	const char *name;      /* name inside the container (NULL = same) */
};

/* Defined in spec_resources.h, spec_seccomp.h and spec_linux.h (owned by the spec module). */
struct hull_resources;
struct hull_seccomp;
struct hull_intel_rdt;
struct hull_memory_policy;
struct hull_spec_priv;

struct hull_linux {
	struct hull_namespace ns[HULL_NS__COUNT];
	struct hull_idmaps uid_mappings, gid_mappings;
	struct hull_time_offset time_monotonic, time_boottime;
	struct hull_device *devices;
	size_t n_devices;
	struct hull_net_device *net_devices;
	size_t n_net_devices;
	const char *cgroups_path;
	struct hull_resources *resources;         /* NULL when absent */
	struct hull_seccomp *seccomp;             /* NULL when absent */
	struct hull_intel_rdt *intel_rdt;         /* NULL when absent */
	struct hull_memory_policy *memory_policy; /* NULL when absent */
	unsigned long rootfs_propagation;         /* MS_* | MS_REC, 0 when absent */
	const char **masked_paths;                /* NULL-terminated or NULL */
	const char **readonly_paths;              /* NULL-terminated or NULL */
	const char *mount_label;
	struct hull_kv *sysctl;
	size_t n_sysctl;
	struct hull_personality personality;
};

struct hull_spec {
	void *doc; /* json_t *, owned */
	const char *oci_version;
	const char *root_path; /* as written (relative to the bundle or absolute) */
	bool root_readonly;
	struct hull_mount *mounts;
	size_t n_mounts;
	bool has_process;
	struct hull_process process;
	const char *hostname, *domainname;
	struct hull_hooks hooks[HULL_HOOK__COUNT];
	struct hull_kv *annotations;
	size_t n_annotations;
	bool has_linux;
	struct hull_linux linux_;
	struct hull_spec_priv *priv; /* arena and extra documents; private to spec/ */
};

/*
 * Load and validate `path` (a config.json). On failure the message has the
 * form "config.json:14:9: process.args: expected array of strings" (the file
 * name as given, line and column of the offending value, the JSON path).
 */
int hull_spec_load(const char *path, struct hull_spec **ret_spec, struct hull_error *err);

/* Same, from a buffer; `name` is used in messages. */
int hull_spec_load_buffer(const char *name, const char *buf, size_t len,
                          struct hull_spec **ret_spec, struct hull_error *err);

void hull_spec_free(struct hull_spec *spec);

/*
 * Parse and validate a process.json (the `exec --process` file): a bare
 * "process" object, checked like config.json's. Its strings and arrays belong
 * to `owner` (e.g. the container's spec) and live until hull_spec_free(owner).
 */
int hull_process_load(const char *path, struct hull_spec *owner, struct hull_process *ret,
                      struct hull_error *err);

/* Same, from a buffer; `name` is used in messages. */
int hull_process_load_buffer(const char *name, const char *buf, size_t len, struct hull_spec *owner,
                             struct hull_process *ret, struct hull_error *err);

/* Parse and validate a bare LinuxResources object (`update --resources`),
 * owned by `owner` like hull_process_load's result. */
int hull_resources_load_buffer(const char *name, const char *buf, size_t len,
                               struct hull_spec *owner, struct hull_resources **ret,
                               struct hull_error *err);

/* The default config `hull spec` writes (runc's), as a JSON text (malloc'ed). */
char *hull_spec_default_json(bool rootless, uid_t uid, gid_t gid);

const char *hull_ns_type_name(enum hull_ns_type t); /* "pid", "network", ... */
int hull_ns_clone_flag(enum hull_ns_type t);        /* CLONE_NEWPID, ... */
const char *hull_hook_kind_name(enum hull_hook_kind k);

/* Value of annotation `key` or NULL. */
const char *hull_spec_annotation(const struct hull_spec *spec, const char *key);
