# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# linux.resources applied at create (config-linux.md "Control groups"), on this host's cgroup
# v1 hierarchies: the values land in the container's cgroup files (/sys/fs/cgroup/CTRL/hull/ID,
# already at `created`, before the program runs), the limits are enforced (each with its
# control), and what cannot be applied fails create with exit 1, a message naming the JSON
# field, and nothing left (state, process, mount, cgroup on any hierarchy). Validated against
# runc 1.1 (HULL=/usr/sbin/runc tests/integration/run.sh 17_), where runc's needles are its
# own words (mostly the cgroup file); tests marked hull_only encode where runc 1.1 differs.
#
# Host facts (Debian 12 VM, kernel 6.18, 2 CPUs, one NUMA node 0), found 2026-11:
#   /proc/self/cgroup: v1 hierarchies cpu, cpuacct (separate, not "cpu,cpuacct"), cpuset,
#     memory, devices, freezer, blkio, pids, name=systemd; cgroup2 at /sys/fs/cgroup/unified
#     with only "hugetlb" in cgroup.controllers and an empty subtree_control.
#   Compiled in but NOT mounted (hierarchy 0 in /proc/cgroups): net_cls, net_prio, hugetlb,
#     perf_event. Not compiled at all: rdma (absent from /proc/cgroups), misc.
#   memory: memory.memsw.* present (swap accounting on) although no swap is configured;
#     memory.kmem.limit_in_bytes present (writes ignored by runc 1.1 with a warning);
#     limits are rounded down to the page (5000000 -> 4997120); unlimited reads
#     9223372036854771712.
#   cpu: cpu.shares, cpu.cfs_quota_us, cpu.cfs_period_us, cpu.cfs_burst_us, cpu.idle,
#     cpu.rt_runtime_us, cpu.rt_period_us, cpu.stat (nr_periods, nr_throttled,
#     throttled_time); root rt_runtime_us 950000, /hull rt_runtime_us 0 (so a realtimeRuntime
#     under /hull is EINVAL).
#   cpuset: cpus 0-1, mems 0.   pids: pids.max.   devices: devices.allow/deny/list.
#   blkio: NO blkio.weight, blkio.weight_device or blkio.leaf_weight (no CFQ); BFQ is built
#     in, so non-root cgroups have blkio.bfq.weight and blkio.bfq.weight_device, but vda
#     (254:0) runs mq-deadline (loops: none), so a per-device weight is EOPNOTSUPP;
#     blkio.throttle.{read,write}_{bps,iops}_device present.
#   hugepages: 2048kB and 1048576kB sizes, none reserved.
#   kernel 6.x accepts writes to memory.kmem.limit_in_bytes and ignores them (reads stay max).
# runc 1.1.5 differs from hull (hull_only tests): it ignores cpu.burst, cpu.idle, memory.kernel
# and memory.kernelTCP (the latter two with a warning), accepts unknown letters in a device
# rule's access ("rwz" -> "rw"), and writes "max" for any negative pids.limit. Not encoded
# either way: pids.limit 0 (runc 1.1: unset, so max; the spec: a real limit of 0).

# ------------------------------------------------------------------------------ memory --

# All memory fields land in their v1 files at create, before start.
test_memory_files() {
	local res='{memory: {limit: 8388608, reservation: 4194304, swap: 16777216, swappiness: 10,
	            disableOOMKiller: false}}'
	if [ ! -e "$CGROOT/memory/hull/memory.memsw.limit_in_bytes" ]; then
		# No swap accounting on this host: swap cannot be applied, so create must fail.
		res_rejected "$res" 'linux.resources.memory.swap' 'memsw'
		return 0
	fi
	res_create "$res"
	assert_ok
	cstate
	assert_eq created "$STATUS" "status"
	assert_cg 8388608 memory memory.limit_in_bytes
	assert_cg 4194304 memory memory.soft_limit_in_bytes
	assert_cg 16777216 memory memory.memsw.limit_in_bytes
	assert_cg 10 memory memory.swappiness
	assert_eq 0 "$(cg_key memory memory.oom_control oom_kill_disable)" "oom_kill_disable"
	# The container's process is in that cgroup.
	grep -qx "$CPID" "$(cgdir memory)/cgroup.procs" || fail "pid $CPID not in the memory cgroup"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
	assert_no_cgroup
}

# -1 means unlimited: accepted, and the v1 files read the kernel's maximum. (A new cgroup is
# unlimited anyway: 18's test_update_memory shows -1 lifting a limit.)
test_memory_unlimited() {
	res_create '{memory: {limit: -1, swap: -1, reservation: -1}}'
	assert_ok
	local max=9223372036854771712
	assert_cg $max memory memory.limit_in_bytes
	assert_cg $max memory memory.memsw.limit_in_bytes
	assert_cg $max memory memory.soft_limit_in_bytes
	hullg delete --force "$ID"
	assert_ok
}

# A process allocating 50 MiB is OOM-killed under a 6 MiB limit, and the kill shows in the
# cgroup (oom_control oom_kill, failcnt). Control first: the same allocation with 100 MiB.
test_memory_limit_kills_allocator() {
	res_bundle
	set_sh 'probe alloc 50; echo status=$?; exec probe sleep 60'
	res_create '{memory: {limit: 104857600}}'
	assert_ok
	hull_start
	assert_ok
	wait_until 10 file_has "$COUT" status=
	assert_eq 0 "$(probe_field status "$COUT")" "control: alloc 50 under 100 MiB"
	assert_eq ok "$(probe_field alloc "$COUT")" "control: alloc"
	local max
	max=$(cgf memory memory.max_usage_in_bytes)
	[ "$max" -ge $((50 << 20)) ] || fail "control: max_usage_in_bytes $max < 50 MiB"
	assert_eq 0 "$(cg_key memory memory.oom_control oom_kill)" "control: oom_kill"
	hullg delete --force "$ID"
	assert_ok
	assert_gone

	res_create '{memory: {limit: 6291456}}'
	assert_ok
	assert_cg 6291456 memory memory.limit_in_bytes
	hull_start
	assert_ok
	wait_until 10 file_has "$COUT" status=
	assert_eq 137 "$(probe_field status "$COUT")" "exit status of alloc 50 under 6 MiB"
	! grep -q '^alloc=ok' "$COUT" || fail "the allocation succeeded under the limit"
	local got
	got=$(probe_fields alloc_mb "$COUT" | tail -n1)
	[ "${got:-0}" -lt 6 ] || fail "allocated $got MiB under a 6 MiB limit"
	[ "$(cg_key memory memory.oom_control oom_kill)" -ge 1 ] ||
		fail "memory.oom_control: no oom_kill: $(cgf memory memory.oom_control)"
	[ "$(cgf memory memory.failcnt)" -gt 0 ] || fail "memory.failcnt is 0"
	max=$(cgf memory memory.max_usage_in_bytes)
	[ "$max" -le 6291456 ] || fail "max_usage_in_bytes $max above the limit"
	# The container itself survives (only the allocating child was killed).
	cstate
	assert_eq running "$STATUS" "status after the OOM kill of a child"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
	assert_no_cgroup
}

under_oom() { [ "$(cg_key memory memory.oom_control under_oom)" = 1 ]; }

# disableOOMKiller: the allocating process is not killed but waits in the cgroup's OOM state
# (under_oom 1); delete --force still removes everything.
test_memory_disable_oom_killer() {
	res_bundle
	set_sh 'probe alloc 50; echo status=$?; exec probe sleep 60'
	res_create '{memory: {limit: 6291456, disableOOMKiller: true}}'
	assert_ok
	assert_eq 1 "$(cg_key memory memory.oom_control oom_kill_disable)" "oom_kill_disable"
	hull_start
	assert_ok
	wait_until 10 under_oom
	sleep 0.2
	assert_eq 0 "$(cg_key memory memory.oom_control oom_kill)" "oom_kill with the killer off"
	! grep -q '^status=' "$COUT" || fail "the allocator ended: $(cat "$COUT")"
	assert_eq 2 "$(wc -l <"$(cgdir memory)/cgroup.procs")" "processes in the cgroup (sh, probe)"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
	assert_no_cgroup
}

# The kernel refuses memsw below the memory limit (EINVAL): create fails naming swap.
test_memory_swap_below_limit_fails() {
	[ -e "$CGROOT/memory/hull/memory.memsw.limit_in_bytes" ] || return 0 # covered above
	res_rejected '{memory: {limit: 10485760, swap: 5242880}}' \
		'linux.resources.memory.swap' 'memory.memsw.limit_in_bytes'
	# swap alone is memory+swap: below the (unlimited) memory limit it is refused as well.
	res_rejected '{memory: {swap: 5242880}}' 'linux.resources.memory.swap' 'memsw'
}

test_memory_invalid_values() {
	res_rejected '{memory: {limit: -2}}' 'linux.resources.memory.limit' 'memory.limit_in_bytes'
	res_rejected '{memory: {reservation: -7}}' 'linux.resources.memory.reservation' \
		'memory.soft_limit_in_bytes'
	res_rejected '{memory: {swappiness: 101}}' 'linux.resources.memory.swappiness' \
		'swappiness'
}

# kernel and kernelTCP (NOT RECOMMENDED in the spec): kernelTCP lands in
# memory.kmem.tcp.limit_in_bytes; kernel 6.x accepts writes to memory.kmem.limit_in_bytes but
# ignores them (it keeps reading the maximum), so a kernel limit is either really applied or
# refused naming the field, never dropped in silence.
test_memory_kernel() {
	hull_only "runc 1.1 ignores kernel and kernelTCP with a warning"
	res_create '{memory: {kernelTCP: 8388608}}'
	assert_ok
	assert_cg 8388608 memory memory.kmem.tcp.limit_in_bytes
	hullg delete --force "$ID"
	assert_ok
	res_create '{memory: {kernel: 8388608}}'
	if [ "$RC" = 0 ]; then
		assert_cg 8388608 memory memory.kmem.limit_in_bytes
		hullg delete --force "$ID"
		assert_ok
	else
		assert_res_error 'linux.resources.memory.kernel' ''
	fi
}

# --------------------------------------------------------------------------------- cpu --

test_cpu_files() {
	res_create '{cpu: {shares: 512, quota: 20000, period: 50000, realtimePeriod: 500000,
	             cpus: "1", mems: "0"}}'
	assert_ok
	assert_cg 512 cpu cpu.shares
	assert_cg 20000 cpu cpu.cfs_quota_us
	assert_cg 50000 cpu cpu.cfs_period_us
	assert_cg 500000 cpu cpu.rt_period_us
	assert_cg 1 cpuset cpuset.cpus
	assert_cg 0 cpuset cpuset.mems
	# The process runs where cpuset says.
	hull_start
	assert_ok
	hull exec "$ID" probe cat /proc/self/status
	assert_ok
	assert_line_match "$OUT" $'^Cpus_allowed_list:\t1$' "the container's allowed CPUs"
	hullg delete --force "$ID"
	assert_ok
	assert_no_cgroup
}

# quota -1 is "no limit": accepted and lands as -1 (18's test_update_cpu lifts a quota with it).
test_cpu_quota_unlimited() {
	res_create '{cpu: {quota: -1, period: 100000}}'
	assert_ok
	assert_cg -1 cpu cpu.cfs_quota_us
	assert_cg 100000 cpu cpu.cfs_period_us
	hullg delete --force "$ID"
	assert_ok
}

# burst and idle (runtime-spec 1.1): cpu.cfs_burst_us and cpu.idle.
test_cpu_burst_idle() {
	hull_only "runc 1.1 ignores cpu.burst and cpu.idle"
	res_create '{cpu: {quota: 20000, period: 100000, burst: 10000, idle: 1}}'
	assert_ok
	assert_cg 10000 cpu cpu.cfs_burst_us
	assert_cg 1 cpu cpu.idle
	hullg delete --force "$ID"
	assert_ok
}

# A quota of 20% measurably throttles a busy loop: it gets at most half of what the same loop
# gets unlimited (control: the probe on the host), and cpu.stat counts throttled periods.
test_cpu_quota_throttles() {
	local c_cpu c_wall
	host_probe spin 0.5 >"$T/control"
	c_cpu=$(probe_field cpu_ms "$T/control")
	c_wall=$(probe_field wall_ms "$T/control")
	[ $((c_cpu * 100 / c_wall)) -ge 60 ] ||
		fail "control: the spin got only ${c_cpu} ms of CPU in ${c_wall} ms on the host"

	res_bundle
	set_args probe spin 1
	res_create '{cpu: {quota: 10000, period: 50000}}'
	assert_ok
	assert_eq 0 "$(cg_key cpu cpu.stat nr_throttled)" "nr_throttled before start"
	hull_start
	assert_ok
	wait_until 10 file_has "$COUT" wall_ms=
	local cpu wall
	cpu=$(probe_field cpu_ms "$COUT")
	wall=$(probe_field wall_ms "$COUT")
	[ $((cpu * 100 / wall)) -le 35 ] ||
		fail "quota 20%: the spin got ${cpu} ms of CPU in ${wall} ms (control: $c_cpu/$c_wall)"
	[ "$(cg_key cpu cpu.stat nr_throttled)" -ge 5 ] ||
		fail "cpu.stat shows no throttling: $(cgf cpu cpu.stat | tr '\n' ' ')"
	[ "$(cg_key cpu cpu.stat throttled_time)" -gt 0 ] || fail "throttled_time is 0"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# realtimeRuntime needs RT budget in the parent: directly under the root (950000 us) it is
# applied; under /hull (0 us) the kernel refuses it and create fails naming the field.
test_cpu_realtime() {
	local cg=$CGROOT/cpu/$ID
	mkbundle
	cfg '.linux.cgroupsPath = $p' --arg p "/$ID"
	set_args probe sleep 60
	on_cleanup "rmdir $CGROOT/*/$ID"
	set_res '{cpu: {realtimeRuntime: 10000, realtimePeriod: 1000000}}'
	hull_create
	assert_ok
	assert_eq 10000 "$(cat "$cg/cpu.rt_runtime_us")" "cpu.rt_runtime_us"
	assert_eq 1000000 "$(cat "$cg/cpu.rt_period_us")" "cpu.rt_period_us"
	hullg delete --force "$ID"
	assert_ok
	for cg in "$CGROOT"/*/"$ID"; do
		[ ! -d "$cg" ] || fail "cgroup $cg left behind"
	done

	res_rejected '{cpu: {realtimeRuntime: 10000}}' \
		'linux.resources.cpu.realtimeRuntime' 'cpu.rt_runtime_us'
}

# Values the kernel (or runc's checks) refuse: each create fails naming the field. The kernel
# silently clamps cpu.shares to 2..262144; runc reads the value back and refuses the clamp.
test_cpu_invalid_values() {
	res_rejected '{cpu: {shares: 1}}' 'linux.resources.cpu.shares' 'cpu-shares'
	res_rejected '{cpu: {shares: 300000}}' 'linux.resources.cpu.shares' 'cpu-shares'
	res_rejected '{cpu: {quota: 500}}' 'linux.resources.cpu.quota' 'cpu.cfs_quota_us'
	res_rejected '{cpu: {quota: 20000, period: 500}}' 'linux.resources.cpu.period' \
		'cpu.cfs_period_us'
	res_rejected '{cpu: {cpus: "7"}}' 'linux.resources.cpu.cpus' 'cpuset.cpus'
	res_rejected '{cpu: {cpus: "abc"}}' 'linux.resources.cpu.cpus' 'cpuset.cpus'
	res_rejected '{cpu: {mems: "3"}}' 'linux.resources.cpu.mems' 'cpuset.mems'
}

# -------------------------------------------------------------------------------- pids --

# At pids.limit 8 the container's init (1) can fork 7 children, the 8th fork fails with
# EAGAIN. Control: without the limit all 20 forks work.
test_pids_limit_stops_fork() {
	res_bundle
	set_args probe fork 20
	hull_run
	assert_ok
	assert_eq 20 "$(probe_field forked)" "control: forks without a limit"
	assert_eq none "$(probe_field fork_errno)" "control: fork error"

	res_create '{pids: {limit: 8}}'
	assert_ok
	assert_cg 8 pids pids.max
	hull_start
	assert_ok
	wait_until 10 file_has "$COUT" done=1
	assert_eq 7 "$(probe_field forked "$COUT")" "children forked at pids.max 8"
	assert_eq EAGAIN "$(probe_field fork_errno "$COUT")" "the failed fork"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
	assert_no_cgroup
}

# -1 is max: accepted (18's test_update_pids_unblocks_fork lifts a limit with it).
test_pids_unlimited() {
	res_create '{pids: {limit: -1}}'
	assert_ok
	assert_cg max pids pids.max
	hullg delete --force "$ID"
	assert_ok
}

test_pids_invalid_limit() {
	hull_only "runc 1.1 writes max for any negative pids.limit"
	res_rejected '{pids: {limit: -5}}' 'linux.resources.pids.limit' ''
}

# ------------------------------------------------------------------------------- blkio --

# The first real disk (not loop, zram, ram): MAJ:MIN.
disk_dev() {
	local d
	for d in /sys/block/*; do
		case ${d##*/} in loop* | zram* | ram* | nbd*) continue ;; esac
		[ -r "$d/dev" ] && cat "$d/dev" && return 0
	done
	fail "no block device for the throttle tests"
}

# weight goes to blkio.weight (CFQ) or, without it, blkio.bfq.weight (runc's choice).
test_blkio_weight() {
	local f=blkio.weight
	[ -e "$CGROOT/blkio/hull/blkio.weight" ] || f=blkio.bfq.weight
	if [ ! -e "$CGROOT/blkio/hull/$f" ]; then
		res_rejected '{blockIO: {weight: 500}}' 'linux.resources.blockIO.weight' 'weight'
		return 0
	fi
	res_create '{blockIO: {weight: 500}}'
	assert_ok
	assert_cg 500 blkio "$f"
	hullg delete --force "$ID"
	assert_ok
}

test_blkio_throttle_files() {
	local dev
	dev=$(disk_dev)
	res_create "{blockIO: {
	  throttleReadBpsDevice: [{major: ${dev%:*}, minor: ${dev#*:}, rate: 1048576}],
	  throttleWriteBpsDevice: [{major: ${dev%:*}, minor: ${dev#*:}, rate: 2097152}],
	  throttleReadIOPSDevice: [{major: ${dev%:*}, minor: ${dev#*:}, rate: 100}],
	  throttleWriteIOPSDevice: [{major: ${dev%:*}, minor: ${dev#*:}, rate: 200}]}}"
	assert_ok
	assert_cg "$dev 1048576" blkio blkio.throttle.read_bps_device
	assert_cg "$dev 2097152" blkio blkio.throttle.write_bps_device
	assert_cg "$dev 100" blkio blkio.throttle.read_iops_device
	assert_cg "$dev 200" blkio blkio.throttle.write_iops_device
	hullg delete --force "$ID"
	assert_ok
}

# What this host's blkio cannot do fails create, naming the field.
test_blkio_unsupported() {
	local dev
	dev=$(disk_dev)
	if [ ! -e "$CGROOT/blkio/hull/blkio.leaf_weight" ]; then
		res_rejected '{blockIO: {leafWeight: 500}}' 'linux.resources.blockIO.leafWeight' \
			'blkio.leaf_weight'
	fi
	# A per-device weight on a disk whose scheduler has none (mq-deadline here).
	if [ ! -e "$CGROOT/blkio/hull/blkio.weight_device" ] &&
		! grep -q '\[bfq\]' "/sys/dev/block/$dev/queue/scheduler"; then
		res_rejected "{blockIO: {weightDevice: [{major: ${dev%:*}, minor: ${dev#*:},
		              weight: 300}]}}" 'linux.resources.blockIO.weightDevice' 'weight_device'
	fi
	# A device that does not exist (major 250 is unassigned here).
	! sed -n '/^Block devices:/,$p' /proc/devices | grep -qE '^ *250 ' ||
		fail "block major 250 exists on this host"
	res_rejected '{blockIO: {throttleReadBpsDevice: [{major: 250, minor: 0, rate: 1048576}]}}' \
		'linux.resources.blockIO.throttleReadBpsDevice' 'read_bps_device'
}

# -------------------------------------------------------- controllers this host lacks --

test_hugetlb() {
	if has_v1 hugetlb; then
		res_create '{hugepageLimits: [{pageSize: "2MB", limit: 4194304}]}'
		assert_ok
		assert_cg 4194304 hugetlb hugetlb.2MB.limit_in_bytes
		hullg delete --force "$ID"
		assert_ok
		return 0
	fi
	res_rejected '{hugepageLimits: [{pageSize: "2MB", limit: 4194304}]}' \
		'linux.resources.hugepageLimits' 'hugetlb'
}

test_network_classid() {
	if has_v1 net_cls; then
		res_create '{network: {classID: 1048577}}'
		assert_ok
		assert_cg 1048577 net_cls net_cls.classid
		hullg delete --force "$ID"
		assert_ok
		return 0
	fi
	res_rejected '{network: {classID: 1048577}}' 'linux.resources.network.classID' 'net_cls'
}

test_network_priorities() {
	if has_v1 net_prio; then
		res_create '{network: {priorities: [{name: "lo", priority: 5}]}}'
		assert_ok
		assert_line_match "$(cgf net_prio net_prio.ifpriomap)" '^lo 5$' "net_prio.ifpriomap"
		hullg delete --force "$ID"
		assert_ok
		return 0
	fi
	res_rejected '{network: {priorities: [{name: "lo", priority: 5}]}}' \
		'linux.resources.network.priorities' 'net_prio'
}

test_rdma() {
	grep -qw '^rdma' /proc/cgroups && has_v1 rdma && return 0 # no RDMA device to test with
	res_rejected '{rdma: {mlx5_0: {hcaHandles: 3}}}' 'linux.resources.rdma' 'rdma'
}

# unified holds cgroup v2 files: on this host memory is a v1 controller, so memory.max has
# nowhere to go; a key that is no file name is refused whatever the host.
test_unified_refused() {
	res_rejected '{unified: {"memory.max": "10485760"}}' 'linux.resources.unified' 'unified'
	res_rejected '{unified: {"../../memory.max": "1"}}' 'linux.resources.unified' 'unified'
}

# ----------------------------------------------------------------------------- devices --

# mknod on the host: a fuse node (c 10:229, not among the default allowed devices) in the
# container's rootfs, mode 0666.
fuse_node() { mknod -m 0666 "$BUNDLE/rootfs/fusenode" c 10 229; }

# After a deny-all rule a device the rules do not allow cannot be opened, while the default
# devices (/dev/null) still work; allowing it "r" lets it be opened for reading only.
test_devices_deny_blocks_node() {
	res_bundle
	fuse_node
	set_sh 'probe open /dev/null rw; probe open /fusenode r; probe open /fusenode rw; echo end=1'
	set_res '{devices: [{allow: false, access: "rwm"}]}'
	hull_run
	assert_ok
	assert_eq "open=ok errno=EPERM errno=EPERM" "$(grep -E '^(open|errno)=' "$T/out" | tr '\n' ' ' |
		sed 's/ $//')" "/dev/null rw, fusenode r, fusenode rw"

	set_res '{devices: [{allow: false, access: "rwm"},
	                    {allow: true, type: "c", major: 10, minor: 229, access: "r"}]}'
	hull_run
	assert_ok
	assert_eq "open=ok open=ok errno=EPERM" "$(grep -E '^(open|errno)=' "$T/out" | tr '\n' ' ' |
		sed 's/ $//')" "/dev/null rw, fusenode r, fusenode rw with c 10:229 r allowed"
}

# The rules land in devices.list, followed by runc's default allowed devices: after a deny-all,
# mknod of any node (c *:* m, b *:* m), null, zero, full, random, urandom, tty, ptmx and the
# pts are allowed (runc 1.1 also allows c 10:200, tun; not required here). Being appended
# after the rules, the defaults win over a rule that denies one of them (runc: a config cannot
# deny /dev/null); not asserted.
test_devices_list() {
	res_create '{devices: [{allow: false, access: "rwm"},
	                       {allow: true, type: "b", major: 7, minor: 0, access: "r"}]}'
	assert_ok
	local list l
	list=$(cgf devices devices.list)
	for l in 'b *:* m' 'c *:* m' 'c 1:3 rwm' 'c 1:5 rwm' 'c 1:7 rwm' 'c 1:8 rwm' 'c 1:9 rwm' \
		'c 5:0 rwm' 'c 5:2 rwm' 'c 136:* rwm' 'b 7:0 r'; do
		grep -qxF "$l" <<<"$list" || fail "devices.list lacks '$l': $(tr '\n' ';' <<<"$list")"
	done
	assert_not_contains "$list" 'a *:* rwm' "devices.list"
	hullg delete --force "$ID"
	assert_ok
}

# runc restricts devices even when the config has no rules (and no resources at all): the
# default allowed devices only.
test_devices_restricted_without_rules() {
	res_bundle
	hull_create
	assert_ok
	local list
	list=$(cgf devices devices.list)
	assert_not_contains "$list" 'a *:* rwm' "devices.list without rules"
	grep -qxF 'c 1:3 rwm' <<<"$list" || fail "devices.list lacks /dev/null: $list"
	hullg delete --force "$ID"
	assert_ok
}

test_devices_invalid_rules() {
	res_rejected '{devices: [{allow: false, type: "x", access: "rwm"}]}' \
		'linux.resources.devices[0].type' 'device type'
	res_rejected '{devices: [{allow: true, type: "c", major: 1, minor: 3, access: ""}]}' \
		'linux.resources.devices[0].access' 'access'
}

test_devices_invalid_access_letter() {
	hull_only "runc 1.1 drops unknown access letters"
	res_rejected '{devices: [{allow: false, access: "rwm"},
	                         {allow: true, type: "b", major: 7, minor: 0, access: "rwz"}]}' \
		'linux.resources.devices[1].access' ''
}
