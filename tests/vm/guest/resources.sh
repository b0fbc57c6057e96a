# shellcheck shell=sh disable=SC2016,SC3043
# The cgroup v2 lane, group 2: linux.resources limits enforced on cgroup2 (memory, pids, cpu).
# Only in the image when run.sh runs with HULL_VM_RESOURCES=1. Each limit test has its
# control: the same workload without the limit does what the limit must prevent.

# The controller file FILE of the container's cgroup exists (else: say which controller is not
# delegated to /hull).
need_file() { # FILE
	[ -e "$CG/hull/$ID/$1" ] || fail "no $1 in $CG/hull/$ID: controller not enabled \
(subtree_control of $CG/hull: '$(cat "$CG/hull/cgroup.subtree_control" 2>/dev/null)')"
}

field() { # FILE KEY: the last KEY=VALUE of the probe's output in FILE
	grep "^$2=" "$1" | tail -n1 | cut -d= -f2-
}

# memory.limit 16 MiB: a process that allocates and touches 64 MiB is OOM-killed (128+9).
test_memory_limit_oom() {
	mkbundle
	set_args /usr/bin/probe alloc 64
	hull_id "$ID"
	hullc run --bundle "$BUNDLE" "$ID"
	assert_ok # control: 64 MiB is fine without a limit
	assert_eq ok "$(field "$T/out" alloc)" "alloc without a limit"

	cfg '.linux.resources.memory = {"limit": 16777216}'
	hullc run --bundle "$BUNDLE" "$ID"
	assert_rc 137
	assert_eq "" "$(field "$T/out" alloc)" "alloc=ok with a 16 MiB limit"
	local mb
	mb=$(field "$T/out" alloc_mb)
	[ "${mb:-0}" -lt 17 ] || fail "allocated ${mb} MiB with a 16 MiB limit"

	hull_create
	need_file memory.max
	assert_eq 16777216 "$(cat "$CG/hull/$ID/memory.max")" "memory.max"
	hullc start "$ID"
	assert_ok
	wait_status stopped
	local k
	k=$(cg_field "$CG/hull/$ID/memory.events" oom_kill)
	[ "${k:-0}" -ge 1 ] || fail "memory.events oom_kill: expected >= 1, got '$k'"
	hullc delete "$ID"
	assert_ok
}

# pids.limit 20: of 40 forks only 19 succeed (the probe itself is the 20th), the next one
# fails with EAGAIN and pids.events counts it.
test_pids_limit() {
	mkbundle
	set_args /usr/bin/probe fork 40
	hull_id "$ID"
	hullc run --bundle "$BUNDLE" "$ID"
	assert_ok # control
	assert_eq 40 "$(field "$T/out" forked)" "forked without a limit"
	assert_eq none "$(field "$T/out" fork_errno)" "fork_errno without a limit"

	cfg '.linux.resources.pids = {"limit": 20}'
	set_args /usr/bin/probe fork 40 30
	hull_create
	need_file pids.max
	assert_eq 20 "$(cat "$CG/hull/$ID/pids.max")" "pids.max"
	hullc start "$ID"
	assert_ok
	wait_for 'grep -q "^holding=1" "$T/c.out"' "the probe to hold its children"
	assert_eq 19 "$(field "$T/c.out" forked)" "forked with pids.max 20"
	assert_eq EAGAIN "$(field "$T/c.out" fork_errno)" "fork_errno with pids.max 20"
	assert_eq 20 "$(cat "$CG/hull/$ID/pids.current")" "pids.current"
	local m
	m=$(cg_field "$CG/hull/$ID/pids.events" max)
	[ "${m:-0}" -ge 1 ] || fail "pids.events max: expected >= 1, got '$m'"
	hullc delete --force "$ID"
	assert_ok
}

# cpu quota 10000/100000: a 2 s busy loop is throttled (cpu.stat nr_throttled and
# throttled_usec grow) and gets at most ~10% of a CPU (30% allowed for TCG's clocks);
# unlimited, it gets more than half.
test_cpu_quota() {
	mkbundle
	set_args /usr/bin/probe spin 2
	hull_id "$ID"
	hullc run --bundle "$BUNDLE" "$ID"
	assert_ok # control
	local cpu wall
	cpu=$(field "$T/out" cpu_ms)
	wall=$(field "$T/out" wall_ms)
	[ $((cpu * 2)) -ge "$wall" ] || fail "control: no limit, yet ${cpu} ms of CPU in ${wall} ms"

	cfg '.linux.resources.cpu = {"quota": 10000, "period": 100000}'
	hull_create
	need_file cpu.max
	assert_eq "10000 100000" "$(cat "$CG/hull/$ID/cpu.max")" "cpu.max"
	hullc start "$ID"
	assert_ok
	wait_status stopped
	cpu=$(field "$T/c.out" cpu_ms)
	wall=$(field "$T/c.out" wall_ms)
	if [ -z "$cpu" ] || [ -z "$wall" ]; then
		fail "no cpu_ms/wall_ms from the probe: $(cat "$T/c.out" "$T/c.err")"
	fi
	[ $((cpu * 10)) -le $((wall * 3)) ] || fail "a 10% quota, yet ${cpu} ms of CPU in ${wall} ms"
	local n t
	n=$(cg_field "$CG/hull/$ID/cpu.stat" nr_throttled)
	t=$(cg_field "$CG/hull/$ID/cpu.stat" throttled_usec)
	[ "${n:-0}" -gt 0 ] || fail "cpu.stat nr_throttled: expected > 0, got '$n'"
	[ "${t:-0}" -gt 0 ] || fail "cpu.stat throttled_usec: expected > 0, got '$t'"
	hullc delete "$ID"
	assert_ok
}

# Device rules on cgroup v2 are an eBPF program: with an allow-all rule a node opens; after a
# deny-all rule it does not while /dev/null (a default allow) still does; allowing it "r"
# lets it be opened for reading only. The node is the serial console ttyS0 (c 4:64: the
# guest has it, and it is not a default).
opens() { grep -E '^(open|errno)=' "$T/out" | tr '\n' ' ' | sed 's/ $//'; }
test_devices_ebpf() {
	[ -e /vm/rootfs/ttynode ] || mknod -m 0666 /vm/rootfs/ttynode c 4 64
	mkbundle
	set_sh 'probe open /dev/null rw; probe open /ttynode r; probe open /ttynode rw; echo end=1'
	hull_id "$ID"
	cfg '.linux.resources.devices = [{"allow": true, "access": "rwm"}]'
	hullc run --bundle "$BUNDLE" "$ID"
	assert_ok # control: everything allowed
	assert_eq "open=ok open=ok open=ok" "$(opens)" "allow all"
	cfg '.linux.resources.devices = [{"allow": false, "access": "rwm"}]'
	hullc run --bundle "$BUNDLE" "$ID"
	assert_ok
	assert_eq "open=ok errno=EPERM errno=EPERM" "$(opens)" "deny all"
	cfg '.linux.resources.devices = [{"allow": false, "access": "rwm"},
		{"allow": true, "type": "c", "major": 4, "minor": 64, "access": "r"}]'
	hullc run --bundle "$BUNDLE" "$ID"
	assert_ok
	assert_eq "open=ok open=ok errno=EPERM" "$(opens)" "deny all, c 4:64 r"
}

# events --stats on cgroup v2: runc's shape, with the numbers of the container's cgroup.
test_events_stats_v2() {
	mkbundle
	set_args /usr/bin/probe sleep 30
	run_detached
	hullc events --stats "$ID"
	assert_ok
	assert_eq stats "$(echo "$OUT" | jq -r .type)" "type"
	assert_eq "$ID" "$(echo "$OUT" | jq -r .id)" "id"
	local cur usage
	cur=$(echo "$OUT" | jq -r .data.pids.current)
	assert_eq "$(wc -l <"$CG/hull/$ID/cgroup.procs")" "$cur" "pids.current"
	usage=$(echo "$OUT" | jq -r .data.memory.usage.usage)
	[ "${usage:-0}" -gt 0 ] || fail "memory usage: '$usage'"
	assert_eq object "$(echo "$OUT" | jq -r '.data.hugetlb | type')" "hugetlb"
	assert_eq array "$(echo "$OUT" | jq -r '.data.blkio.ioServiceBytesRecursive | type')" "blkio"
	hullc delete --force "$ID"
	assert_ok
}

# update on cgroup v2: memory.max and pids.max change live.
test_update_v2() {
	mkbundle
	set_args /usr/bin/probe sleep 30
	cfg '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 50}'
	run_detached
	hullc update --memory 32m --pids-limit 20 "$ID"
	assert_ok
	assert_eq 33554432 "$(cat "$CG/hull/$ID/memory.max")" "memory.max"
	assert_eq 20 "$(cat "$CG/hull/$ID/pids.max")" "pids.max"
	hullc delete --force "$ID"
	assert_ok
}
