/* SPDX-License-Identifier: Apache-2.0 */
/* Loading config.json / process.json: every field lands where it should. */
#include <errno.h>
#include <linux/ioprio.h>
#include <linux/mempolicy.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>

#include "spec/mountopt.h"
#include "spec/spec.h"
#include "spec/spec_linux.h"
#include "spec/spec_names.h"
#include "spec/spec_resources.h"
#include "spec/spec_seccomp.h"
#include "tap.h"

#define CAPBIT(n) (1ULL << (n))

static struct hull_spec *full;

static struct hull_spec *load_file(const char *name)
{
	struct hull_error err = {0};
	struct hull_spec *s = NULL;
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	if (hull_spec_load(path, &s, &err) < 0)
		fprintf(stderr, "# load %s: %s\n", name, err.msg);
	return s;
}

static void test_full_top(void)
{
	REQUIRE(full);
	CHECK_STR(full->oci_version, "1.3.0");
	CHECK_STR(full->root_path, "rootfs");
	CHECK(full->root_readonly);
	CHECK_STR(full->hostname, "full-host");
	CHECK_STR(full->domainname, "example.test");
	CHECK(full->has_process);
	CHECK(full->has_linux);
	CHECK(full->doc != NULL);
	CHECK_INT(full->n_annotations, 3);
	CHECK_STR(hull_spec_annotation(full, "com.example.key1"), "value1");
	CHECK_STR(hull_spec_annotation(full, "com.example.empty"), "");
	CHECK_STR(hull_spec_annotation(full, "nope"), NULL);
	/* document order is kept */
	CHECK_STR(full->annotations[2].key, "org.opencontainers.image.os");
}

static void test_full_process(void)
{
	const struct hull_process *p;

	REQUIRE(full);
	p = &full->process;
	CHECK(p->terminal);
	CHECK(p->has_console_size);
	CHECK_INT(p->console_height, 25);
	CHECK_INT(p->console_width, 80);
	CHECK_INT(p->user.uid, 1000);
	CHECK_INT(p->user.gid, 1001);
	CHECK(p->user.has_umask);
	CHECK_INT(p->user.umask, 18);
	CHECK_INT(p->user.n_additional_gids, 3);
	CHECK_U64(p->user.additional_gids[2], 4294967294u);
	REQUIRE(p->args);
	CHECK_STR(p->args[0], "/bin/sh");
	CHECK_STR(p->args[2], "echo \"hi\" \xc3\xa9");
	CHECK(p->args[3] == NULL);
	CHECK_STR(p->env[2], "EMPTY=");
	CHECK(p->env[3] == NULL);
	CHECK_STR(p->cwd, "/work");
	CHECK_STR(p->apparmor_profile, "acme_secure_profile");
	CHECK_STR(p->selinux_label, "system_u:system_r:svirt_lxc_net_t:s0:c124,c675");
	CHECK(p->no_new_privileges);
	CHECK(p->has_oom_score_adj);
	CHECK_INT(p->oom_score_adj, -500);
	CHECK_STR(p->exec_cpu_affinity_initial, "7");
	CHECK_STR(p->exec_cpu_affinity_final, "0-3,7");
}

static void test_full_caps_rlimits(void)
{
	const struct hull_process *p;

	REQUIRE(full);
	p = &full->process;
	CHECK(p->caps.present);
	CHECK_U64(p->caps.bounding, CAPBIT(0) | CAPBIT(5) | CAPBIT(10) | CAPBIT(40));
	CHECK_U64(p->caps.effective, CAPBIT(5));
	CHECK_U64(p->caps.inheritable, 0);
	CHECK_U64(p->caps.permitted, CAPBIT(5) | CAPBIT(0)); /* "cap_chown": any case */
	CHECK_U64(p->caps.ambient, CAPBIT(10));
	REQUIRE(p->n_rlimits == 3);
	CHECK_INT(p->rlimits[0].resource, RLIMIT_NOFILE);
	CHECK_STR(p->rlimits[0].type, "RLIMIT_NOFILE");
	CHECK_U64(p->rlimits[0].soft, 1024);
	CHECK_U64(p->rlimits[0].hard, 4096);
	CHECK_INT(p->rlimits[1].resource, RLIMIT_CORE);
	/* beyond jansson's int64: read exactly from the text */
	CHECK_U64(p->rlimits[1].soft, UINT64_MAX);
	CHECK_U64(p->rlimits[1].hard, UINT64_MAX);
	CHECK_INT(p->rlimits[2].resource, RLIMIT_MSGQUEUE);
	CHECK_U64(p->rlimits[2].hard, 9223372036854775808ull);
}

static void test_full_sched_io(void)
{
	const struct hull_process *p;

	REQUIRE(full);
	p = &full->process;
	CHECK(p->scheduler.present);
	CHECK_INT(p->scheduler.policy, SCHED_DEADLINE);
	CHECK_INT(p->scheduler.nice, -5);
	CHECK_INT(p->scheduler.priority, 0);
	CHECK_U64(p->scheduler.flags, 0x01 | 0x02);
	CHECK_U64(p->scheduler.runtime, 1000000);
	CHECK_U64(p->scheduler.deadline, 2000000);
	CHECK_U64(p->scheduler.period, 3000000);
	CHECK(p->io_priority.present);
	CHECK_INT(p->io_priority.class, IOPRIO_CLASS_BE);
	CHECK_INT(p->io_priority.priority, 4);
}

static void test_full_mounts(void)
{
	const struct hull_mount *m;

	REQUIRE(full);
	REQUIRE(full->n_mounts == 5);
	m = full->mounts;
	CHECK_STR(m[0].destination, "/proc");
	CHECK_STR(m[0].type, "proc");
	CHECK_STR(m[0].source, "proc");
	CHECK(m[0].options == NULL);
	CHECK_U64(m[0].opts.flags, 0);
	CHECK_STR(m[1].options[3], "size=65536k");
	CHECK_U64(m[1].opts.flags, MS_NOSUID | MS_STRICTATIME);
	CHECK_STR(m[1].opts.data, "mode=755,size=65536k");
	CHECK(m[2].opts.bind && m[2].opts.recursive_bind && m[2].opts.ridmap && !m[2].opts.idmap);
	CHECK_U64(m[2].opts.flags, MS_BIND | MS_REC | MS_RDONLY);
	CHECK_U64(m[2].opts.rec_attr_set, MOUNT_ATTR_NOEXEC);
	CHECK_U64(m[2].opts.propagation, MS_PRIVATE | MS_REC);
	CHECK_STR(m[2].opts.data, NULL);
	REQUIRE(m[2].uid_mappings.n == 1 && m[2].gid_mappings.n == 1);
	CHECK_INT(m[2].uid_mappings.v[0].host_id, 100000);
	CHECK_INT(m[2].gid_mappings.v[0].host_id, 200000);
	CHECK_INT(m[2].gid_mappings.v[0].size, 65536);
	/* mappings without idmap/ridmap imply idmap (runc 1.2) */
	CHECK(m[3].opts.idmap && !m[3].opts.ridmap);
	CHECK(m[3].type == NULL);
	/* null means absent */
	CHECK(m[4].source == NULL && m[4].options == NULL);
}

static void test_full_hooks(void)
{
	const struct hull_hooks *h;

	REQUIRE(full);
	h = full->hooks;
	CHECK_INT(h[HULL_HOOK_PRESTART].n, 1);
	CHECK_STR(h[HULL_HOOK_PRESTART].v[0].path, "/usr/bin/fix-mounts");
	CHECK_STR(h[HULL_HOOK_PRESTART].v[0].args[1], "arg1");
	CHECK_STR(h[HULL_HOOK_PRESTART].v[0].env[0], "key1=value1");
	CHECK(!h[HULL_HOOK_PRESTART].v[0].has_timeout);
	CHECK(h[HULL_HOOK_CREATE_RUNTIME].v[0].has_timeout);
	CHECK_INT(h[HULL_HOOK_CREATE_RUNTIME].v[0].timeout, 7);
	CHECK_STR(h[HULL_HOOK_CREATE_CONTAINER].v[0].path, "/usr/bin/mount-hook");
	CHECK_STR(h[HULL_HOOK_START_CONTAINER].v[0].path, "/usr/bin/refresh-ldcache");
	CHECK_INT(h[HULL_HOOK_POSTSTART].n, 2);
	CHECK_INT(h[HULL_HOOK_POSTSTART].v[0].timeout, 5);
	CHECK(h[HULL_HOOK_POSTSTART].v[1].args == NULL);
	CHECK_STR(h[HULL_HOOK_POSTSTOP].v[0].args[1], "-f");
}

static void test_full_linux_ns(void)
{
	const struct hull_linux *lx;

	REQUIRE(full);
	lx = &full->linux_;
	for (int t = 0; t < HULL_NS__COUNT; t++)
		CHECK(lx->ns[t].present);
	CHECK_STR(lx->ns[HULL_NS_NET].path, "/var/run/netns/test");
	CHECK(lx->ns[HULL_NS_CGROUP].path == NULL); /* "" means a new one */
	CHECK(lx->ns[HULL_NS_PID].path == NULL);
	REQUIRE(lx->uid_mappings.n == 2 && lx->gid_mappings.n == 1);
	CHECK_INT(lx->uid_mappings.v[1].container_id, 32000);
	CHECK_INT(lx->uid_mappings.v[1].host_id, 100000);
	CHECK_INT(lx->uid_mappings.v[1].size, 1000);
	CHECK(lx->time_monotonic.present);
	CHECK_INT(lx->time_monotonic.secs, 172800);
	CHECK_INT(lx->time_boottime.secs, -604800);
	CHECK_INT(lx->time_boottime.nanosecs, 999999999);
	CHECK_STR(lx->cgroups_path, "/myRuntime/myContainer");
	CHECK_INT(lx->rootfs_propagation, MS_SLAVE | MS_REC);
	CHECK_STR(lx->masked_paths[1], "/proc/latency_stats");
	CHECK_STR(lx->readonly_paths[1], "/proc/sysrq-trigger");
	CHECK(lx->readonly_paths[2] == NULL);
	CHECK_STR(lx->mount_label, "system_u:object_r:svirt_sandbox_file_t:s0:c715,c811");
	CHECK(lx->personality.present);
	CHECK_INT(lx->personality.domain, PER_LINUX32);
	CHECK_INT(lx->personality.flags, 0);
}

static void test_full_linux_devices(void)
{
	const struct hull_linux *lx;

	REQUIRE(full);
	lx = &full->linux_;
	REQUIRE(lx->n_devices == 3);
	CHECK_INT(lx->devices[0].type, 'c');
	CHECK_STR(lx->devices[0].path, "/dev/fuse");
	CHECK_INT(lx->devices[0].major, 10);
	CHECK_INT(lx->devices[0].minor, 229);
	CHECK(lx->devices[0].has_file_mode && lx->devices[0].has_uid && lx->devices[0].has_gid);
	CHECK_INT(lx->devices[0].file_mode, 0666);
	CHECK_INT(lx->devices[1].type, 'b');
	CHECK(!lx->devices[1].has_file_mode && !lx->devices[1].has_uid);
	CHECK_INT(lx->devices[2].type, 'p');
	REQUIRE(lx->n_net_devices == 2);
	CHECK_STR(lx->net_devices[0].host_name, "eth1");
	CHECK_STR(lx->net_devices[0].name, "container_eth1");
	CHECK_STR(lx->net_devices[1].host_name, "dummy0");
	CHECK(lx->net_devices[1].name == NULL);
	REQUIRE(lx->n_sysctl == 4);
	CHECK_STR(lx->sysctl[0].key, "net.ipv4.ip_forward");
	CHECK_STR(lx->sysctl[0].value, "1");
	CHECK_STR(lx->sysctl[1].key, "net/core/somaxconn");
	CHECK_STR(lx->sysctl[3].value, "20");
}

static void test_full_resources_a(void)
{
	const struct hull_resources *r;

	REQUIRE(full && full->linux_.resources);
	r = full->linux_.resources;
	REQUIRE(r->n_devices == 3);
	CHECK(!r->devices[0].allow);
	CHECK_INT(r->devices[0].type, 'a');
	CHECK(!r->devices[0].has_major && !r->devices[0].has_minor);
	CHECK_STR(r->devices[0].access, "rwm");
	CHECK(r->devices[1].allow);
	CHECK_INT(r->devices[1].type, 'c');
	CHECK_INT(r->devices[1].major, 10);
	CHECK_INT(r->devices[2].minor, -1);
	CHECK(r->memory.present);
	CHECK(r->memory.has_limit && r->memory.has_reservation && r->memory.has_swap);
	CHECK_INT(r->memory.limit, 536870912);
	CHECK_INT(r->memory.reservation, 268435456);
	CHECK_INT(r->memory.swap, -1);
	CHECK_INT(r->memory.kernel, -1);
	CHECK(r->memory.has_kernel_tcp);
	CHECK_INT(r->memory.kernel_tcp, 0);
	CHECK(r->memory.has_swappiness);
	CHECK_U64(r->memory.swappiness, 0);
	CHECK(r->memory.has_disable_oom_killer && !r->memory.disable_oom_killer);
	CHECK(r->memory.has_use_hierarchy && r->memory.use_hierarchy);
	CHECK(r->memory.has_check_before_update && r->memory.check_before_update);
	CHECK(r->cpu.present);
	CHECK_U64(r->cpu.shares, 1024);
	CHECK_INT(r->cpu.quota, 1000000);
	CHECK_U64(r->cpu.burst, 500000);
	CHECK_U64(r->cpu.period, 500000);
	CHECK_INT(r->cpu.realtime_runtime, 950000);
	CHECK_U64(r->cpu.realtime_period, 1000000);
	CHECK_STR(r->cpu.cpus, "2-3");
	CHECK_STR(r->cpu.mems, "0-7");
	CHECK(r->cpu.has_idle);
	CHECK_INT(r->cpu.idle, 1);
}

static void test_full_resources_b(void)
{
	const struct hull_resources *r;

	REQUIRE(full && full->linux_.resources);
	r = full->linux_.resources;
	CHECK(r->blkio.present);
	CHECK_INT(r->blkio.weight, 10);
	CHECK_INT(r->blkio.leaf_weight, 20);
	REQUIRE(r->blkio.n_weight_devices == 2);
	CHECK_INT(r->blkio.weight_devices[0].leaf_weight, 300);
	CHECK(!r->blkio.weight_devices[1].has_leaf_weight);
	CHECK_INT(r->blkio.weight_devices[1].minor, 16);
	CHECK_U64(r->blkio.throttle_read_bps.v[0].rate, 600);
	CHECK_U64(r->blkio.throttle_write_bps.v[0].rate, 601);
	CHECK_U64(r->blkio.throttle_read_iops.v[0].rate, 602);
	CHECK_INT(r->blkio.throttle_write_iops.v[0].minor, 16);
	REQUIRE(r->n_hugepage_limits == 3);
	CHECK_U64(r->hugepage_limits[0].page_size_bytes, 2ull << 20);
	CHECK_U64(r->hugepage_limits[0].limit, 9223372036854772000ull);
	CHECK_U64(r->hugepage_limits[1].page_size_bytes, 64ull << 10);
	CHECK_U64(r->hugepage_limits[2].page_size_bytes, 1ull << 30);
	CHECK(r->network.present && r->network.has_class_id);
	CHECK_INT(r->network.class_id, 1048577);
	CHECK_INT(r->network.n_priorities, 2);
	CHECK_STR(r->network.priorities[1].name, "eth1");
	CHECK_INT(r->network.priorities[1].priority, 1000);
	CHECK(r->pids.present && r->pids.has_limit);
	CHECK_INT(r->pids.limit, 32771);
	REQUIRE(r->n_rdma == 2);
	CHECK_STR(r->rdma[0].device, "mlx5_1");
	CHECK_INT(r->rdma[0].hca_handles, 3);
	CHECK(!r->rdma[1].has_hca_handles && r->rdma[1].has_hca_objects);
	REQUIRE(r->n_unified == 2);
	CHECK_STR(r->unified[1].key, "hugetlb.1GB.max");
	CHECK_STR(r->unified[0].value,
	          "259:0 rbps=2097152 wiops=120\n253:0 rbps=2097152 wiops=120");
}

static void test_full_rdt_mpol(void)
{
	const struct hull_intel_rdt *rdt;
	const struct hull_memory_policy *mp;

	REQUIRE(full && full->linux_.intel_rdt && full->linux_.memory_policy);
	rdt = full->linux_.intel_rdt;
	CHECK_STR(rdt->clos_id, "guaranteed_group");
	CHECK_STR(rdt->l3_cache_schema, "L3:0=7f0;1=1f");
	CHECK_STR(rdt->mem_bw_schema, "MB:0=20;1=70");
	CHECK_STR(rdt->schemata[0], "L2:0=f;1=f;2=f;3=f");
	CHECK(rdt->enable_monitoring);
	mp = full->linux_.memory_policy;
	CHECK_INT(mp->mode, MPOL_INTERLEAVE);
	CHECK_STR(mp->nodes, "2-3");
	CHECK_INT(mp->flags, MPOL_F_STATIC_NODES);
}

static void test_full_seccomp(void)
{
	const struct hull_seccomp *sc;

	REQUIRE(full && full->linux_.seccomp);
	sc = full->linux_.seccomp;
	CHECK_INT(sc->default_action, HULL_SCMP_ACT_ERRNO);
	CHECK(sc->has_default_errno_ret);
	CHECK_INT(sc->default_errno_ret, 38);
	REQUIRE(sc->n_architectures == 3);
	CHECK_INT(sc->architectures[0], HULL_SCMP_ARCH_X86_64);
	CHECK_INT(sc->architectures[2], HULL_SCMP_ARCH_X32);
	CHECK(sc->has_flags);
	CHECK_INT(sc->flags, HULL_SECCOMP_FLAG_LOG | HULL_SECCOMP_FLAG_SPEC_ALLOW);
	CHECK_STR(sc->listener_path, "/run/seccomp-agent.sock");
	CHECK_STR(sc->listener_metadata, "MKNOD=/dev/null");
	REQUIRE(sc->n_syscalls == 5);
	CHECK_INT(sc->syscalls[0].n_names, 3);
	CHECK_STR(sc->syscalls[0].names[2], "exit_group");
	CHECK(sc->syscalls[0].names[3] == NULL);
	CHECK_INT(sc->syscalls[0].action, HULL_SCMP_ACT_ALLOW);
	CHECK(!sc->syscalls[0].has_errno_ret);
	CHECK(sc->syscalls[1].has_errno_ret);
	CHECK_INT(sc->syscalls[1].errno_ret, 1);
	REQUIRE(sc->syscalls[2].n_args == 2);
	CHECK_INT(sc->syscalls[2].args[0].op, HULL_SCMP_CMP_EQ);
	CHECK_U64(sc->syscalls[2].args[0].value, 4294967295u);
	CHECK(!sc->syscalls[2].args[0].has_value_two);
	CHECK_INT(sc->syscalls[2].args[1].index, 5);
	CHECK_U64(sc->syscalls[2].args[1].value, UINT64_MAX);
	CHECK_U64(sc->syscalls[2].args[1].value_two, 8);
	CHECK_INT(sc->syscalls[2].args[1].op, HULL_SCMP_CMP_MASKED_EQ);
	CHECK_INT(sc->syscalls[3].action, HULL_SCMP_ACT_NOTIFY);
	CHECK_STR(hull_seccomp_action_name(sc->syscalls[4].action), "SCMP_ACT_KILL_PROCESS");
}

static void test_process_json(void)
{
	struct hull_error err = {0};
	struct hull_process proc;
	char path[4096];
	int r;

	REQUIRE(full);
	snprintf(path, sizeof(path), "%s/process.json", FIXTURES);
	r = hull_process_load(path, full, &proc, &err);
	if (r < 0)
		fprintf(stderr, "# %s\n", err.msg);
	REQUIRE(r == 0);
	CHECK(!proc.terminal);
	CHECK_INT(proc.user.uid, 33);
	CHECK_INT(proc.user.additional_gids[0], 4);
	CHECK_STR(proc.args[1], "-b");
	CHECK_STR(proc.env[1], "HOME=/var/www");
	CHECK_STR(proc.cwd, "/var/www");
	CHECK_U64(proc.caps.bounding, CAPBIT(5));
	CHECK_INT(proc.rlimits[0].resource, RLIMIT_NPROC);
	CHECK_INT(proc.oom_score_adj, 1000);
	/* the container's own process is untouched */
	CHECK_STR(full->process.cwd, "/work");
}

static void test_process_json_errors(void)
{
	static const char bad[] = "{\"args\": [\"sh\"],\n \"cwd\": \"relative\"}";
	static const char noargs[] = "{\"cwd\": \"/\"}";
	struct hull_error err = {0};
	struct hull_process proc = {.cwd = "untouched"};

	REQUIRE(full);
	CHECK_INT(hull_process_load_buffer("p.json", bad, strlen(bad), full, &proc, &err), -EINVAL);
	CHECK_STR(err.msg, "p.json:2:9: cwd: must be an absolute path");
	CHECK_STR(proc.cwd, "untouched");
	CHECK_INT(hull_process_load_buffer("p.json", noargs, strlen(noargs), full, &proc, &err),
	          -EINVAL);
	CHECK_STR(err.msg, "p.json:1:1: args: missing");
	CHECK_INT(hull_process_load_buffer("p.json", "[]", 2, full, &proc, &err), -EINVAL);
	CHECK_STR(err.msg, "p.json:1:1: expected an object");
	CHECK_INT(hull_process_load_buffer("p.json", "{}", 2, NULL, &proc, &err), -EINVAL);
}

/* update --resources: a bare LinuxResources document, errors at their place in it */
static void test_resources_json(void)
{
	static const char good[] = "{\"memory\": {\"limit\": 1048576}, \"pids\": {\"limit\": -1}}";
	static const char bad_type[] = "{\n \"memory\": {\"limit\": \"x\"}}";
	static const char bad_value[] = "{\n \"memory\": {\"swappiness\": 101}}";
	static const char bad_major[] = "{\"devices\": [{\"allow\": true, \"major\": 4294967297}]}";
	struct hull_error err = {0};
	struct hull_resources *r = NULL;

	REQUIRE(full);
	CHECK_INT(hull_resources_load_buffer("r.json", good, strlen(good), full, &r, &err), 0);
	REQUIRE(r);
	CHECK(r->memory.has_limit && r->memory.limit == 1048576);
	CHECK(r->pids.has_limit && r->pids.limit == -1);
	CHECK_INT(hull_resources_load_buffer("r.json", bad_type, strlen(bad_type), full, &r, &err),
	          -EINVAL);
	CHECK_STR(err.msg, "r.json:2:22: memory.limit: expected integer");
	/* validation errors too are relative to the document (not "resources.memory...") */
	CHECK_INT(
	    hull_resources_load_buffer("r.json", bad_value, strlen(bad_value), full, &r, &err),
	    -EINVAL);
	CHECK_STR(err.msg, "r.json:2:27: memory.swappiness: must be between 0 and 100");
	CHECK_INT(
	    hull_resources_load_buffer("r.json", bad_major, strlen(bad_major), full, &r, &err),
	    -EINVAL);
	CHECK_STR(err.msg, "r.json:1:39: devices[0].major: must be a device number or -1 (any)");
}

static void test_load_missing_file(void)
{
	struct hull_error err = {0};
	struct hull_spec *s = (struct hull_spec *)0x1;

	CHECK_INT(hull_spec_load("/nonexistent/config.json", &s, &err), -ENOENT);
	CHECK_STR(err.msg, "open /nonexistent/config.json: No such file or directory");
	CHECK(s == (struct hull_spec *)0x1);
	CHECK_INT(hull_spec_load(FIXTURES, &s, &err), -EISDIR);
}

static void test_default_roundtrip(void)
{
	struct hull_error err = {0};
	struct hull_spec *s = NULL;
	char *text = hull_spec_default_json(false, 0, 0);
	int r;

	REQUIRE(text);
	r = hull_spec_load_buffer("config.json", text, strlen(text), &s, &err);
	if (r < 0)
		fprintf(stderr, "# %s\n", err.msg);
	free(text);
	REQUIRE(r == 0);
	CHECK_STR(s->oci_version, "1.3.0");
	CHECK_STR(s->hostname, "hull");
	CHECK(s->process.terminal);
	CHECK_STR(s->process.args[0], "sh");
	CHECK_STR(s->process.cwd, "/");
	CHECK_U64(s->process.caps.bounding, CAPBIT(29) | CAPBIT(5) | CAPBIT(10));
	CHECK_U64(s->process.caps.ambient, s->process.caps.bounding);
	CHECK_U64(s->process.caps.inheritable, 0);
	CHECK_INT(s->process.n_rlimits, 1);
	CHECK(s->process.no_new_privileges);
	CHECK_INT(s->n_mounts, 7);
	CHECK_STR(s->mounts[6].destination, "/sys/fs/cgroup");
	CHECK_U64(s->mounts[5].opts.flags, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY);
	CHECK_STR(s->mounts[2].opts.data, "newinstance,ptmxmode=0666,mode=0620,gid=5");
	CHECK(s->linux_.ns[HULL_NS_NET].present && !s->linux_.ns[HULL_NS_USER].present);
	CHECK(!s->linux_.ns[HULL_NS_TIME].present);
	CHECK_INT(s->linux_.resources->n_devices, 1);
	CHECK_STR(s->linux_.masked_paths[9], "/proc/scsi");
	CHECK_STR(s->linux_.readonly_paths[4], "/proc/sysrq-trigger");
	hull_spec_free(s);
}

static void test_default_rootless_roundtrip(void)
{
	struct hull_error err = {0};
	struct hull_spec *s = NULL;
	char *text = hull_spec_default_json(true, 1234, 5678);
	int r;

	REQUIRE(text);
	r = hull_spec_load_buffer("config.json", text, strlen(text), &s, &err);
	if (r < 0)
		fprintf(stderr, "# %s\n", err.msg);
	free(text);
	REQUIRE(r == 0);
	CHECK(s->linux_.ns[HULL_NS_USER].present && !s->linux_.ns[HULL_NS_NET].present);
	CHECK_INT(s->linux_.uid_mappings.v[0].host_id, 1234);
	CHECK_INT(s->linux_.gid_mappings.v[0].host_id, 5678);
	CHECK_INT(s->linux_.uid_mappings.v[0].size, 1);
	CHECK(s->linux_.resources == NULL);
	CHECK_INT(s->n_mounts, 6);
	CHECK_STR(s->mounts[5].source, "/sys");
	CHECK(s->mounts[5].opts.recursive_bind);
	CHECK_STR(s->mounts[2].opts.data, "newinstance,ptmxmode=0666,mode=0620");
	hull_spec_free(s);
}

static void test_minimal_and_nulls(void)
{
	static const char text[] =
	    "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"r\"}, \"hostname\": null,"
	    " \"process\": {\"cwd\": \"/\", \"args\": [\"x\"], \"env\": null, \"user\": null,"
	    " \"capabilities\": {\"bounding\": null}}, \"linux\": {\"resources\": null,"
	    " \"seccomp\": null, \"namespaces\": null}, \"mounts\": null}";
	struct hull_error err = {0};
	struct hull_spec *s = NULL;
	int r;

	r = hull_spec_load_buffer("c.json", text, strlen(text), &s, &err);
	if (r < 0)
		fprintf(stderr, "# %s\n", err.msg);
	REQUIRE(r == 0);
	CHECK(s->hostname == NULL);
	CHECK(s->process.env && s->process.env[0] == NULL); /* never NULL */
	CHECK(s->process.caps.present && s->process.caps.bounding == 0);
	CHECK(!s->process.has_oom_score_adj && !s->process.has_console_size);
	CHECK(!s->process.scheduler.present && !s->process.io_priority.present);
	CHECK(s->has_linux && s->linux_.resources == NULL && s->linux_.seccomp == NULL);
	CHECK(s->mounts == NULL && s->n_mounts == 0);
	CHECK(!s->root_readonly);
	hull_spec_free(s);
}

/* Load a text written with ' for " (readability). */
static struct hull_spec *load_text(const char *text)
{
	struct hull_error err = {0};
	struct hull_spec *s = NULL;
	char *t = strdup(text);

	for (char *p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	if (hull_spec_load_buffer("config.json", t, strlen(t), &s, &err) < 0)
		fprintf(stderr, "# %s\n", err.msg);
	free(t);
	return s;
}

#define HEAD "{'ociVersion':'1.0.0','root':{'path':'r'},'process':{'cwd':'/','args':['sh']"

static void test_unknown_fields_ignored(void)
{
	struct hull_spec *s = load_text(
	    "{'ociVersion':'1.0.0','future':{'x':[1,{'y':null}]},'windows':{'layerFolders':[]},"
	    "'vm':7,'root':{'path':'r','z':1},'process':{'cwd':'/','args':['sh'],"
	    "'commandLine':'x','user':{'username':'u','q':[]},'capabilities':{'x':1},"
	    "'scheduler':{'policy':'SCHED_OTHER','w':1}},'mounts':[{'destination':'/a','w':{}}],"
	    "'hooks':{'later':[1],'poststop':[{'path':'/x','q':2}]},"
	    "'linux':{'unknown':'x','resources':{'cpu':{'zz':1},'misc':{'a':1}},"
	    "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','zz':[]},"
	    "'intelRdt':{'enableCMT':true,'enableMBM':true}}}");

	REQUIRE(s);
	CHECK_INT(s->n_mounts, 1);
	CHECK_STR(s->hooks[HULL_HOOK_POSTSTOP].v[0].path, "/x");
	CHECK(s->linux_.resources && s->linux_.resources->cpu.present);
	CHECK(s->linux_.intel_rdt && !s->linux_.intel_rdt->enable_monitoring);
	hull_spec_free(s);
}

static void test_sysctl_accepted(void)
{
	/* namespaced sysctls with their namespace, new or joined by path (as runc) */
	struct hull_spec *s = load_text(
	    HEAD
	    "},'linux':{'namespaces':[{'type':'network','path':'/var/run/netns/cni-1'},"
	    "{'type':'ipc'},{'type':'uts','path':'/proc/7/ns/uts'}],'sysctl':{"
	    "'net.ipv4.ip_unprivileged_port_start':'0','net/ipv4/ping_group_range':'0 1',"
	    "'kernel.msgmax':'1','kernel.msgmnb':'1','kernel.msgmni':'1','kernel.sem':'1 2 3 4',"
	    "'kernel.shmall':'1','kernel.shmmax':'1','kernel.shmmni':'1',"
	    "'kernel.shm_rmid_forced':'1','fs.mqueue.msg_max':'1','kernel.domainname':'d',"
	    "'kernel.hostname':'h'}}}");

	REQUIRE(s);
	CHECK_INT(s->linux_.n_sysctl, 13);
	hull_spec_free(s);
}

static void test_hostname_joined_uts(void)
{
	/* CRI-O sets hostname in pod containers that join the pod's UTS namespace */
	struct hull_spec *s =
	    load_text(HEAD "},'hostname':'pod','domainname':'','linux':{'namespaces':["
	                   "{'type':'uts','path':'/proc/1234/ns/uts'}]}}");

	REQUIRE(s);
	CHECK_STR(s->hostname, "pod");
	CHECK_STR(s->linux_.ns[HULL_NS_UTS].path, "/proc/1234/ns/uts");
	hull_spec_free(s);
}

static void test_console_size_needs_terminal(void)
{
	struct hull_spec *s = load_text(HEAD ",'consoleSize':{'height':1,'width':2}}}");

	REQUIRE(s);
	CHECK(!s->process.has_console_size); /* config.md: MUST be ignored */
	hull_spec_free(s);
}

static void test_userns_joined_no_mappings(void)
{
	struct hull_spec *s =
	    load_text(HEAD "},'linux':{'namespaces':[{'type':'user','path':'/proc/1/ns/user'},"
	                   "{'type':'mount'}],'maskedPaths':['/proc/kcore']}}");

	REQUIRE(s);
	CHECK(s->linux_.ns[HULL_NS_USER].present);
	CHECK_INT(s->linux_.uid_mappings.n, 0);
	hull_spec_free(s);
}

static void test_names(void)
{
	CHECK_STR(hull_ns_type_name(HULL_NS_NET), "network");
	CHECK_STR(hull_ns_type_name(HULL_NS_MNT), "mount");
	CHECK_INT(hull_ns_clone_flag(HULL_NS_PID), CLONE_NEWPID);
	CHECK_INT(hull_ns_clone_flag(HULL_NS_MNT), CLONE_NEWNS);
	CHECK_INT(hull_ns_clone_flag(HULL_NS_TIME), 0x80);
	CHECK_INT(hull_ns_clone_flag(HULL_NS__COUNT), 0);
	CHECK_STR(hull_hook_kind_name(HULL_HOOK_CREATE_CONTAINER), "createContainer");
	CHECK_STR(hull_hook_kind_name(HULL_HOOK__COUNT), NULL);
	CHECK_INT(hull_cap_from_name("CAP_SYS_ADMIN"), 21);
	CHECK_INT(hull_cap_from_name("cap_bpf"), 39);
	CHECK_INT(hull_cap_from_name("CAP_NOPE"), -1);
	CHECK_INT(hull_cap_from_name("SYS_ADMIN"), -1);
	CHECK_STR(hull_cap_name(40), "CAP_CHECKPOINT_RESTORE");
	CHECK_STR(hull_cap_name(41), NULL);
	for (int i = 0; i <= HULL_CAP_LAST; i++)
		CHECK_INT(hull_cap_from_name(hull_cap_name(i)), i);
	CHECK_STR(hull_rlimit_name(RLIMIT_RTTIME), "RLIMIT_RTTIME");
	CHECK_STR(hull_seccomp_op_name(HULL_SCMP_CMP_MASKED_EQ), "SCMP_CMP_MASKED_EQ");
	CHECK_STR(hull_seccomp_arch_name(HULL_SCMP_ARCH_SHEB), "SCMP_ARCH_SHEB");
	CHECK_STR(hull_seccomp_flag_name(HULL_SECCOMP_FLAG_TSYNC), "SECCOMP_FILTER_FLAG_TSYNC");
}

int main(void)
{
	full = load_file("full.json");
	RUN(test_full_top);
	RUN(test_full_process);
	RUN(test_full_caps_rlimits);
	RUN(test_full_sched_io);
	RUN(test_full_mounts);
	RUN(test_full_hooks);
	RUN(test_full_linux_ns);
	RUN(test_full_linux_devices);
	RUN(test_full_resources_a);
	RUN(test_full_resources_b);
	RUN(test_full_rdt_mpol);
	RUN(test_full_seccomp);
	RUN(test_process_json);
	RUN(test_process_json_errors);
	RUN(test_load_missing_file);
	RUN(test_default_roundtrip);
	RUN(test_default_rootless_roundtrip);
	RUN(test_minimal_and_nulls);
	RUN(test_unknown_fields_ignored);
	RUN(test_sysctl_accepted);
	RUN(test_hostname_joined_uts);
	RUN(test_console_size_needs_terminal);
	RUN(test_userns_joined_no_mappings);
	RUN(test_names);
	RUN(test_resources_json);
	hull_spec_free(full);
	return tap_done();
}
