# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# `update` (runc's flags and --resources FILE|-) changes the limits of a live container, and
# `events` reports its statistics and OOM kills in runc's JSON shapes. Host facts: see
# 17_resources.sh (cgroup v1 hybrid; memsw present; no blkio.weight, blkio.bfq.weight
# instead). Validated against runc 1.1 (HULL=/usr/sbin/runc tests/integration/run.sh 18_);
# hull_only marks where runc 1.1 differs.
#
# runc 1.1's contract encoded here:
#   update: --memory, --memory-reservation, --memory-swap (bytes, k/m/g suffixes in either
#     case, binary; -1 unlimited), --cpu-share (singular in runc), --cpu-quota, --cpu-period,
#     --cpu-rt-runtime, --cpu-rt-period, --cpuset-cpus, --cpuset-mems, --pids-limit (-1:
#     max), --blkio-weight; -r/--resources FILE or - (stdin), after which the flags are
#     ignored; no option at all is a no-op (exit 0); created and paused containers can be
#     updated; memory and memory+swap changed together are written in the order the kernel
#     accepts (memsw first when growing, the limit first when shrinking). Errors exit 1:
#     "container does not exist", "not running" (stopped), a value the kernel refuses (the
#     old value stays).
#   events --stats ID: one line {"type":"stats","id":ID,"data":{"cpu":{"usage":{"total",
#     "percpu":[one per CPU],...},"throttling":{"periods","throttledPeriods",
#     "throttledTime"}},"memory":{"usage":{"limit","usage","max","failcnt"},"swap":{...},...},
#     "pids":{"current","limit"},"blkio":{...},"hugetlb":{...}}}, exit 0. runc omits zero
#     values (throttling is {} until the cgroup is throttled) and prints "hugetlb":{} even
#     without a hugetlb hierarchy.
#   events [--interval D] ID: a stats line every D (Go durations: 100ms, 1s; default 5s;
#     none at time 0) and {"type":"oom","id":ID} (no data) when the OOM killer kills in it.

# A running container with resources JSON and the given shell script (in res_bundle's bundle,
# made unless there is one already).
res_running() { # JSON SCRIPT
	[ -f "$CFG" ] || res_bundle
	set_sh "$2"
	res_create "$1"
	assert_ok
	hull_start
	assert_ok
}

# hull update ARGS... $ID, which must succeed.
update_ok() {
	hullg update "$@" "$ID"
	assert_ok
}

# ------------------------------------------------------------------------------ update --

test_update_memory() {
	res_running '{memory: {limit: 10485760, swap: 20971520}}' 'exec probe sleep 60'
	assert_cg 10485760 memory memory.limit_in_bytes
	# Both grow past the old memsw: memsw must be written first.
	update_ok --memory 50M --memory-swap 100m
	assert_cg 52428800 memory memory.limit_in_bytes
	assert_cg 104857600 memory memory.memsw.limit_in_bytes
	# Only the limit: memsw stays.
	update_ok --memory 20971520
	assert_cg 20971520 memory memory.limit_in_bytes
	assert_cg 104857600 memory memory.memsw.limit_in_bytes
	update_ok --memory-reservation 4M
	assert_cg 4194304 memory memory.soft_limit_in_bytes
	# Both shrink below the old limit: the limit must be written first.
	update_ok --memory 8M --memory-swap 16M
	assert_cg 8388608 memory memory.limit_in_bytes
	assert_cg 16777216 memory memory.memsw.limit_in_bytes
	update_ok --memory -1 --memory-swap -1
	assert_cg 9223372036854771712 memory memory.limit_in_bytes
	assert_cg 9223372036854771712 memory memory.memsw.limit_in_bytes
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# A limit above the current memory+swap limit is refused by the kernel: exit 1, nothing changes.
test_update_memory_above_swap_fails() {
	res_running '{memory: {limit: 10485760, swap: 20971520}}' 'exec probe sleep 60'
	hullg update --memory 50M "$ID"
	assert_fails 1 memory
	assert_cg 10485760 memory memory.limit_in_bytes
	assert_cg 20971520 memory memory.memsw.limit_in_bytes
	cstate
	assert_eq running "$STATUS" "status after a failed update"
	hullg delete --force "$ID"
	assert_ok
}

# The limit changes for the running process: an allocation the old limit killed succeeds once
# it is raised.
test_update_memory_live() {
	res_bundle
	add_gates a b
	res_running '{memory: {limit: 6291456}}' \
		'read g </gate/a; probe alloc 20; echo status=$?; read g </gate/b; probe alloc 20;
		 echo status=$?; exec probe sleep 60'
	open_gate a
	wait_until 10 has_lines "$COUT" status=137 1
	update_ok --memory 100M
	assert_cg 104857600 memory memory.limit_in_bytes
	open_gate b
	wait_until 10 has_lines "$COUT" status=0 1
	assert_eq 1 "$(count_lines "$COUT" alloc=ok)" "allocations that succeeded"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# pids.max 3: sh + probe leave room for one child, the second fork fails; raised to 20, all
# five forks work; -1 is max.
test_update_pids_unblocks_fork() {
	res_bundle
	add_gates a b
	res_running '{pids: {limit: 3}}' \
		'read g </gate/a; probe fork 5; read g </gate/b; probe fork 5; exec probe sleep 60'
	assert_cg 3 pids pids.max
	open_gate a
	wait_until 10 has_lines "$COUT" done=1 1
	assert_eq "1 EAGAIN" "$(probe_field forked "$COUT") $(probe_field fork_errno "$COUT")" \
		"forks at pids.max 3"
	update_ok --pids-limit 20
	assert_cg 20 pids pids.max
	open_gate b
	wait_until 10 has_lines "$COUT" done=1 2
	assert_eq "5 none" "$(probe_fields forked "$COUT" | tail -n1) $(probe_fields fork_errno \
		"$COUT" | tail -n1)" "forks after update --pids-limit 20"
	update_ok --pids-limit -1
	assert_cg max pids pids.max
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

test_update_cpu() {
	res_running '{cpu: {shares: 1024, quota: 20000, period: 100000}}' 'exec probe sleep 60'
	update_ok --cpu-share 256 --cpu-quota 30000 --cpu-period 60000 --cpu-rt-period 500000 \
		--cpuset-cpus 0 --cpuset-mems 0
	assert_cg 256 cpu cpu.shares
	assert_cg 30000 cpu cpu.cfs_quota_us
	assert_cg 60000 cpu cpu.cfs_period_us
	assert_cg 500000 cpu cpu.rt_period_us
	assert_cg 0 cpuset cpuset.cpus
	assert_cg 0 cpuset cpuset.mems
	assert_line_match "$(cat "/proc/$CPID/status")" $'^Cpus_allowed_list:\t0$' \
		"the container's allowed CPUs after update"
	update_ok --cpu-quota -1
	assert_cg -1 cpu cpu.cfs_quota_us
	hullg delete --force "$ID"
	assert_ok
}

# hull also takes --cpu-shares (the name of the field); runc only has --cpu-share.
test_update_cpu_shares_alias() {
	hull_only "runc 1.1 has only --cpu-share"
	res_running '{cpu: {shares: 1024}}' 'exec probe sleep 60'
	update_ok --cpu-shares 300
	assert_cg 300 cpu cpu.shares
	hullg delete --force "$ID"
	assert_ok
}

test_update_blkio_weight() {
	local f=blkio.weight
	[ -e "$CGROOT/blkio/hull/blkio.weight" ] || f=blkio.bfq.weight
	[ -e "$CGROOT/blkio/hull/$f" ] || return 0 # no weight on this host (17 covers the error)
	res_running '{}' 'exec probe sleep 60'
	update_ok --blkio-weight 300
	assert_cg 300 blkio "$f"
	hullg delete --force "$ID"
	assert_ok
}

# --resources FILE and - (stdin): a LinuxResources document; the flags are then ignored.
test_update_resources_file() {
	res_running '{pids: {limit: 5}, memory: {limit: 20971520}}' 'exec probe sleep 60'
	echo '{"pids": {"limit": 7}, "memory": {"limit": 31457280}}' >"$T/r.json"
	update_ok --resources "$T/r.json" --pids-limit 99
	assert_cg 7 pids pids.max
	assert_cg 31457280 memory memory.limit_in_bytes
	echo '{"pids": {"limit": 11}, "cpu": {"shares": 300}}' >"$T/r2.json"
	HULL_STDIN=$T/r2.json update_ok -r -
	assert_cg 11 pids pids.max
	assert_cg 300 cpu cpu.shares
	assert_cg 31457280 memory memory.limit_in_bytes # unchanged: not in the document
	hullg delete --force "$ID"
	assert_ok
}

# Created and paused containers can be updated too; no option at all changes nothing.
test_update_created_and_paused() {
	res_create '{pids: {limit: 5}}'
	assert_ok
	update_ok --pids-limit 9
	assert_cg 9 pids pids.max
	cstate
	assert_eq created "$STATUS" "status after update"
	hull_start
	assert_ok
	hullg pause "$ID"
	assert_ok
	update_ok --pids-limit 10
	assert_cg 10 pids pids.max
	cstate
	assert_eq paused "$STATUS" "status after update"
	update_ok
	assert_cg 10 pids pids.max
	# delete --force of a paused container is prompt (it thaws, kills, removes).
	local start end
	start=$(date +%s%N)
	hullg delete --force "$ID"
	end=$(date +%s%N)
	assert_ok
	assert_gone
	[ $(((end - start) / 1000000)) -lt 2000 ] ||
		fail "delete --force of a paused container took $(((end - start) / 1000000)) ms"
}

test_update_errors() {
	res_running '{cpu: {quota: 30000}, pids: {limit: 5}}' 'exec probe sleep 60'
	# A value the kernel refuses: exit 1, the old value stays.
	hullg update --cpu-quota 500 "$ID"
	assert_fails 1 quota
	assert_cg 30000 cpu cpu.cfs_quota_us
	hullg update --memory abc "$ID"
	assert_fails 1 memory
	echo '{"pids": ' >"$T/bad.json"
	hullg update -r "$T/bad.json" "$ID"
	assert_rc 1
	hullg update -r "$T/none.json" "$ID"
	assert_fails 1 none.json
	echo '{"pids": {"limit": "x"}}' >"$T/bad.json"
	hullg update -r "$T/bad.json" "$ID"
	assert_fails 1 pids
	assert_cg 5 pids pids.max
	hullg update --pids-limit 9 "$ID-nosuch"
	assert_fails 1 "container does not exist"
	kill -KILL "$CPID"
	wait_status stopped
	hullg update --pids-limit 9 "$ID"
	assert_fails 1 "not running"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# ------------------------------------------------------------------------------ events --

# stats_field JQ: a value of the stats document in $T/out (one line).
stats_field() { jq -er "$1" <<<"$OUT" || fail "events --stats: no $1 in $OUT"; }

test_events_stats() {
	res_running '{memory: {limit: 52428800}, pids: {limit: 20}}' \
		'exec probe fork 3 60'
	wait_until 10 file_has "$COUT" holding=1
	hullg events --stats "$ID"
	assert_ok
	assert_eq 1 "$(wc -l <"$T/out")" "lines of events --stats"
	assert_eq stats "$(stats_field .type)" "type"
	assert_eq "$ID" "$(stats_field .id)" "id"
	local v
	v=$(stats_field .data.memory.usage.usage)
	[ "$v" -gt 0 ] || fail "memory usage $v"
	assert_eq 52428800 "$(stats_field .data.memory.usage.limit)" "memory limit"
	v=$(stats_field .data.memory.usage.max)
	[ "$v" -gt 0 ] || fail "memory max usage $v"
	assert_eq 4 "$(stats_field .data.pids.current)" "pids.current (probe + 3 children)"
	assert_eq 20 "$(stats_field .data.pids.limit)" "pids.limit"
	v=$(stats_field .data.cpu.usage.total)
	[ "$v" -gt 0 ] || fail "cpu usage total $v"
	assert_eq "$(nproc)" "$(stats_field '.data.cpu.usage.percpu | length')" "percpu entries"
	assert_eq object "$(stats_field '.data.cpu.throttling | type')" "cpu.throttling"
	assert_eq object "$(stats_field '.data.blkio | type')" "blkio"
	assert_eq object "$(stats_field '.data.hugetlb | type')" "hugetlb"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# A throttled container shows it in the stats.
test_events_stats_throttling() {
	res_running '{cpu: {quota: 10000, period: 50000}}' 'probe spin 0.5; exec probe sleep 60'
	wait_until 10 file_has "$COUT" wall_ms=
	hullg events --stats "$ID"
	assert_ok
	local v
	v=$(stats_field .data.cpu.throttling.throttledPeriods)
	[ "$v" -ge 2 ] || fail "throttledPeriods $v"
	v=$(stats_field .data.cpu.throttling.periods)
	[ "$v" -ge 5 ] || fail "periods $v"
	v=$(stats_field .data.cpu.throttling.throttledTime)
	[ "$v" -gt 0 ] || fail "throttledTime $v"
	hullg delete --force "$ID"
	assert_ok
}

# events streams stats every interval and reports the OOM kill of a process in the container
# as {"type":"oom","id":ID}.
test_events_oom() {
	res_bundle
	add_gates a
	res_running '{memory: {limit: 8388608}}' \
		'read g </gate/a; probe alloc 50; echo status=$?; exec probe sleep 60'
	hull_bg "${GOPTS[@]}" events --interval 200ms "$ID"
	# The first stats line: events is watching (runc prints none at time 0).
	wait_until 10 grep -q '"type":"stats"' "$T/out"
	open_gate a
	wait_until 10 file_has "$COUT" status=
	assert_eq 137 "$(probe_field status "$COUT")" "exit status of the allocator"
	wait_until 10 grep -q '"type":"oom"' "$T/out"
	kill "$HPID"
	wait_until 5 dead "$HPID"
	assert_eq "{\"type\":\"oom\",\"id\":\"$ID\"}" \
		"$(grep '"type":"oom"' "$T/out" | head -n1 | jq -c .)" "the oom event"
	assert_eq 1 "$(grep -c '"type":"oom"' "$T/out")" "oom events"
	# Every line is one JSON document of a known type.
	local types
	types=$(jq -r .type <"$T/out" | sort -u | tr '\n' ' ') || fail "events printed non-JSON"
	assert_eq "oom stats " "$types" "event types"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# --interval D: lines come every D, not faster (Go durations: 100ms).
test_events_interval() {
	res_running '{}' 'exec probe sleep 60'
	local start end
	start=$(date +%s%N)
	hull_bg "${GOPTS[@]}" events --interval 100ms "$ID"
	wait_until 10 n_stats_ge 4
	end=$(date +%s%N)
	kill "$HPID"
	[ $(((end - start) / 1000000)) -ge 250 ] ||
		fail "4 stats lines after $(((end - start) / 1000000)) ms with --interval 100ms"
	assert_eq "stats $ID" "$(head -n1 "$T/out" | jq -r '.type + " " + .id')" "first line"
	hullg delete --force "$ID"
	assert_ok
}
n_stats_ge() { [ "$(grep -c '"type":"stats"' "$T/out")" -ge "$1" ]; }

test_events_errors() {
	hullg events --stats "$ID-nosuch"
	assert_fails 1 "container does not exist"
	res_running '{}' 'exit 0'
	wait_status stopped
	hullg events --stats "$ID"
	assert_fails 1 "not running"
	hullg delete "$ID"
	assert_ok
	assert_gone
}

# hull's stream ends when the container stops (runc 1.1 keeps printing forever).
test_events_end_with_container() {
	hull_only "runc 1.1 never ends the stream"
	res_bundle
	add_gates a
	res_running '{}' 'read g </gate/a'
	hull_bg "${GOPTS[@]}" events --interval 100ms "$ID"
	wait_until 10 n_stats_ge 1
	open_gate a
	wait_status stopped
	hull_wait 5
	assert_rc 0
	hullg delete "$ID"
	assert_ok
}
