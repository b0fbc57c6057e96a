# shellcheck shell=sh disable=SC2016,SC3043
# The cgroup v2 lane, group 2: linux.resources limits enforced on cgroup2 (memory, pids, cpu).
# Only in the image when run.sh runs with HULL_VM_RESOURCES=1 (until hull applies limits,
# a config with them is refused and these fail). Each limit test has its control: the same
# workload without the limit does what the limit must prevent.

# The controller file FILE of the container's cgroup exists (else: say which controller is not
# delegated to /hull).
need_file() { # FILE
	[ -e "$CG/hull/$ID/$1" ] || fail "no $1 in $CG/hull/$ID: controller not enabled \
(subtree_control of $CG/hull: '$(cat "$CG/hull/cgroup.subtree_control" 2>/dev/null)')"
}

# memory.limit 16 MiB: a process that allocates and touches 64 MiB is OOM-killed (128+9).
test_memory_limit_oom() {
	mkbundle
	set_args /bin/dd if=/dev/zero of=/dev/null bs=64M count=1
	hull_id "$ID"
	hullc run --bundle "$BUNDLE" "$ID"
	assert_rc 0 # control: 64 MiB is fine without a limit

	cfg '.linux.resources.memory = {"limit": 16777216}'
	hullc run --bundle "$BUNDLE" "$ID"
	assert_rc 137

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

# pids.limit 20: a shell that forks 40 sleeps gets no more than 20 processes in the cgroup.
test_pids_limit() {
	mkbundle
	set_sh 'i=0; while [ $i -lt 40 ]; do sleep 60 & i=$((i + 1)); done; wait'
	run_detached # control: 41 processes without a limit
	wait_for '[ "$(wc -l < "$CG/hull/$ID/cgroup.procs")" -ge 41 ]' "41 processes (control)"
	hullc delete --force "$ID"
	assert_ok

	cfg '.linux.resources.pids = {"limit": 20}'
	hull_create
	need_file pids.max
	assert_eq 20 "$(cat "$CG/hull/$ID/pids.max")" "pids.max"
	hullc start "$ID"
	assert_ok
	wait_for '[ "$(cg_field "$CG/hull/$ID/pids.events" max)" -ge 1 ]' "pids.events max >= 1"
	local n
	n=$(wc -l <"$CG/hull/$ID/cgroup.procs")
	[ "$n" -le 20 ] || fail "$n processes in the cgroup with pids.max 20"
	hullc delete --force "$ID"
	assert_ok
}

# cpu quota 10000/100000: a busy loop is throttled (cpu.stat nr_throttled and throttled_usec
# grow) and gets at most ~10% of a CPU (30% allowed for TCG's clock); unlimited, it gets >50%.
busy_usage() { # SECONDS: usage_usec the container's cgroup gains in that time
	local a b
	a=$(cg_field "$CG/hull/$ID/cpu.stat" usage_usec)
	sleep "$1"
	b=$(cg_field "$CG/hull/$ID/cpu.stat" usage_usec)
	echo $((b - a))
}

test_cpu_quota() {
	mkbundle
	set_sh 'while :; do :; done'
	run_detached # control
	local u
	u=$(busy_usage 2)
	[ "$u" -ge 1000000 ] || fail "control: an unlimited busy loop used only ${u}us of CPU in 2 s"
	hullc delete --force "$ID"
	assert_ok

	cfg '.linux.resources.cpu = {"quota": 10000, "period": 100000}'
	run_detached
	need_file cpu.max
	assert_eq "10000 100000" "$(cat "$CG/hull/$ID/cpu.max")" "cpu.max"
	local t0 n0 t1 n1
	t0=$(cg_field "$CG/hull/$ID/cpu.stat" throttled_usec)
	n0=$(cg_field "$CG/hull/$ID/cpu.stat" nr_throttled)
	u=$(busy_usage 2)
	t1=$(cg_field "$CG/hull/$ID/cpu.stat" throttled_usec)
	n1=$(cg_field "$CG/hull/$ID/cpu.stat" nr_throttled)
	[ "$n1" -gt "$n0" ] || fail "cpu.stat nr_throttled did not grow ($n0 -> $n1)"
	[ "$t1" -gt "$t0" ] || fail "cpu.stat throttled_usec did not grow ($t0 -> $t1)"
	[ "$u" -le 600000 ] || fail "a busy loop with a 10% quota used ${u}us of CPU in 2 s"
	hullc delete --force "$ID"
	assert_ok
}
