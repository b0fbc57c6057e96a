# shellcheck shell=sh disable=SC2016,SC2013,SC3043
# The cgroup v2 lane, group 1 (always runs): placement, cgroup namespace, freezer, exec, ps,
# kill and delete on a host whose only cgroup hierarchy is cgroup2 (see lib.sh).

# The lane itself: one cgroup2 hierarchy and nothing else, or every test below proves nothing.
test_host_is_pure_v2() {
	assert_eq "0::/" "$(cat /proc/self/cgroup)" "/proc/self/cgroup of the test"
	assert_eq "cgroup2" "$(awk '$3 ~ /^cgroup/ { print $3 }' /proc/mounts | sort -u | tr '\n' ' ' | sed 's/ $//')" \
		"cgroup filesystems mounted"
	assert_contains "$(grep ' /sys/fs/cgroup ' /proc/mounts)" nsdelegate "cgroup2 mount options"
	for c in cpu memory pids; do
		assert_contains " $(cat "$CG/cgroup.subtree_control") " " $c " "root subtree_control"
	done
}

# hull run of the probe in the foreground: exit 0, PID 1, the cgroup namespace rooted at the
# container's cgroup, and no cgroup, state or process left when it returns.
test_run_probe() {
	mkbundle
	hull_id "$ID"
	hullc run --bundle "$BUNDLE" "$ID"
	assert_ok
	assert_eq 1 "$(grep '^pid=' "$T/out" | head -n1 | cut -d= -f2)" "pid inside"
	assert_eq "0::/" "$(grep '^cgroup=' "$T/out" | head -n1 | cut -d= -f2-)" "cgroup inside"
	[ ! -e "$CG/hull/$ID" ] || fail "cgroup $CG/hull/$ID still there after run"
	[ ! -e "/run/hull/$ID" ] || fail "state dir still there after run"
}

# The exit status comes through (and the cgroup is still removed).
test_run_exit_status() {
	mkbundle
	set_args /usr/bin/probe exit 7
	hull_id "$ID"
	hullc run --bundle "$BUNDLE" "$ID"
	assert_rc 7
	[ ! -e "$CG/hull/$ID" ] || fail "cgroup $CG/hull/$ID still there after run"
}

# run -d: the container gets /hull/ID on the v2 hierarchy, its process is in it (and only it),
# its own view is 0::/hull/ID from outside and 0::/ from inside (cgroup namespace).
test_detached_placement() {
	mkbundle
	set_args /usr/bin/probe sleep 60
	run_detached
	assert_eq running "$STATUS" "status"
	[ -d "$CG/hull/$ID" ] || fail "no cgroup $CG/hull/$ID"
	assert_eq "$CPID" "$(procs "$CG/hull/$ID")" "cgroup.procs of $CG/hull/$ID"
	assert_eq "0::/hull/$ID" "$(cat "/proc/$CPID/cgroup")" "/proc/$CPID/cgroup (host view)"
	hullc exec "$ID" cat /proc/self/cgroup
	assert_ok
	assert_eq "0::/" "$OUT" "/proc/self/cgroup inside (exec)"
	hullc delete --force "$ID"
	assert_ok
}

# create + start: the process is in the cgroup already while it waits for start; delete of the
# stopped container removes the cgroup.
test_create_start_delete() {
	mkbundle
	set_args /usr/bin/probe sleep 60
	hull_create
	cpid
	assert_eq created "$STATUS" "status after create"
	assert_eq "$CPID" "$(procs "$CG/hull/$ID")" "cgroup.procs after create"
	hullc start "$ID"
	assert_ok
	wait_status running
	assert_eq "$CPID" "$(procs "$CG/hull/$ID")" "cgroup.procs after start"
	local pid="$CPID"
	hullc kill "$ID" KILL
	assert_ok
	wait_status stopped
	[ -d "$CG/hull/$ID" ] || fail "cgroup removed before delete"
	assert_eq "" "$(procs "$CG/hull/$ID")" "cgroup.procs of the stopped container"
	hullc delete "$ID"
	assert_ok
	[ ! -e "$CG/hull/$ID" ] || fail "cgroup $CG/hull/$ID still there after delete"
	alive "$pid" && fail "process $pid still alive"
	true
}

# linux.cgroupsPath, absolute and relative (to hull's own cgroup, here the root).
test_cgroups_path() {
	mkbundle
	set_args /usr/bin/probe sleep 60
	cfg '.linux.cgroupsPath = $p' --arg p "/vmtest/$ID"
	run_detached
	assert_eq "$CPID" "$(procs "$CG/vmtest/$ID")" "cgroup.procs of /vmtest/$ID"
	assert_eq "0::/vmtest/$ID" "$(cat "/proc/$CPID/cgroup")" "/proc/$CPID/cgroup"
	[ ! -e "$CG/hull/$ID" ] || fail "a /hull/$ID cgroup too"
	hullc delete --force "$ID"
	assert_ok
	[ ! -e "$CG/vmtest/$ID" ] || fail "cgroup /vmtest/$ID still there after delete"
	rmdir "$CG/vmtest"

	cfg '.linux.cgroupsPath = $p' --arg p "vmrel/$ID"
	run_detached
	assert_eq "0::/vmrel/$ID" "$(cat "/proc/$CPID/cgroup")" "/proc/$CPID/cgroup (relative path)"
	hullc delete --force "$ID"
	assert_ok
	[ ! -e "$CG/vmrel/$ID" ] || fail "cgroup /vmrel/$ID still there after delete"
	rmdir "$CG/vmrel"
}

# Inside: /sys/fs/cgroup is a cgroup2 mount of the container's own cgroup (read-only, as the
# spec says), whose cgroup.procs lists PID 1.
test_cgroup_mount_inside() {
	mkbundle
	set_sh 'grep " /sys/fs/cgroup " /proc/self/mountinfo; echo procs=$(cat /sys/fs/cgroup/cgroup.procs); echo x > /sys/fs/cgroup/cgroup.freeze && echo write=ok || echo write=failed'
	hull_id "$ID"
	hullc run --bundle "$BUNDLE" "$ID"
	assert_rc 0
	local line
	line=$(grep ' /sys/fs/cgroup ' "$T/out") || fail "no /sys/fs/cgroup mount inside"
	assert_contains "$line" " - cgroup2 " "mountinfo of /sys/fs/cgroup"
	assert_contains "$line" " / /sys/fs/cgroup " "root of the cgroup2 mount (the namespace's root)"
	assert_contains "$line" " ro," "mount options"
	assert_contains "$OUT" "procs=1" "cgroup.procs inside"
	assert_contains "$OUT" "write=failed" "writing to the read-only cgroup mount"
}

# pause/resume through cgroup.freeze: status paused, a counter stops; resumed, it goes on.
test_pause_resume() {
	mkbundle
	set_sh 'i=0; while :; do i=$((i + 1)); echo $i > /dev/shm/c; sleep 0.05; done'
	run_detached
	local c="/proc/$CPID/root/dev/shm/c" a b
	wait_for '[ -s "$c" ]' "the counter"
	a=$(cat "$c")
	wait_for '[ "$(cat "$c")" != "$a" ]' "the counter to move (control)"
	hullc pause "$ID"
	assert_ok
	cpid
	assert_eq paused "$STATUS" "status after pause"
	assert_eq 1 "$(cat "$CG/hull/$ID/cgroup.freeze")" "cgroup.freeze"
	assert_eq 1 "$(cg_field "$CG/hull/$ID/cgroup.events" frozen)" "frozen in cgroup.events"
	a=$(cat "$c")
	sleep 1
	b=$(cat "$c")
	assert_eq "$a" "$b" "counter while paused"
	hullc resume "$ID"
	assert_ok
	cpid
	assert_eq running "$STATUS" "status after resume"
	assert_eq 0 "$(cat "$CG/hull/$ID/cgroup.freeze")" "cgroup.freeze after resume"
	wait_for '[ "$(cat "$c")" != "$b" ]' "the counter to move after resume"
	hullc delete --force "$ID"
	assert_ok
}

# delete --force of a paused container: thawed, killed, the cgroup removed.
test_delete_paused() {
	mkbundle
	set_args /usr/bin/probe sleep 60
	run_detached
	local pid="$CPID"
	hullc pause "$ID"
	assert_ok
	hullc delete --force "$ID"
	assert_ok
	[ ! -e "$CG/hull/$ID" ] || fail "cgroup still there after delete --force of a paused container"
	wait_for '! alive $pid' "process $pid to die" 50
}

# hull exec joins the container's cgroup: seen from the host (its pid in cgroup.procs, its
# /proc/PID/cgroup) and from inside (0::/, its own pid in the namespace's cgroup.procs).
test_exec_joins_cgroup() {
	mkbundle
	set_args /usr/bin/probe sleep 60
	run_detached
	hullc exec "$ID" /bin/sh -c 'cat /proc/self/cgroup; grep -qx $$ /sys/fs/cgroup/cgroup.procs && echo self_in_procs=1'
	assert_ok
	assert_contains "$OUT" "0::/" "/proc/self/cgroup of the exec'd process"
	assert_contains "$OUT" "self_in_procs=1" "exec'd process in the cgroup.procs seen inside"
	hull exec "$ID" /usr/bin/probe sleep 30 </dev/null >"$T/exec.out" 2>&1 &
	local epid="" p
	wait_for '[ "$(wc -l < "$CG/hull/$ID/cgroup.procs")" -ge 2 ]' "a second process in the cgroup"
	for p in $(cat "$CG/hull/$ID/cgroup.procs"); do [ "$p" = "$CPID" ] || epid=$p; done
	assert_contains "$(tr '\0' ' ' <"/proc/$epid/cmdline")" "probe sleep 30" "cmdline of $epid"
	assert_eq "0::/hull/$ID" "$(cat "/proc/$epid/cgroup")" "/proc/$epid/cgroup (exec, host view)"
	hullc delete --force "$ID"
	assert_ok
	wait
}

# ps --format json lists exactly the pids of the container's cgroup.
test_ps_json() {
	mkbundle
	set_sh 'sleep 60 & sleep 60 & wait'
	run_detached
	wait_for '[ "$(wc -l < "$CG/hull/$ID/cgroup.procs")" -ge 3 ]' "3 processes in the cgroup"
	hullc ps --format json "$ID"
	assert_ok
	assert_eq "$(procs "$CG/hull/$ID")" "$(echo "$OUT" | jq -r 'sort | map(tostring) | join(" ")')" \
		"hull ps --format json vs cgroup.procs"
	hullc ps "$ID"
	assert_ok
	assert_contains "$OUT" "$CPID" "hull ps (table)"
	hullc delete --force "$ID"
	assert_ok
}

# Without a pid namespace only the cgroup knows every process: kill --all reaches them all and
# delete leaves none (nor the cgroup).
test_no_pidns_kill_all_delete() {
	mkbundle
	cfg '.linux.namespaces |= map(select(.type != "pid"))'
	set_sh 'sleep 60 & sleep 60 & wait'
	run_detached
	wait_for '[ "$(wc -l < "$CG/hull/$ID/cgroup.procs")" -ge 3 ]' "3 processes in the cgroup"
	local all
	all=$(procs "$CG/hull/$ID")
	hullc kill --all "$ID" STOP
	assert_ok
	local p
	for p in $all; do
		wait_for 'grep -q "^State:.*T" /proc/$p/status' "process $p to stop (kill --all STOP)"
	done
	hullc delete --force "$ID"
	assert_ok
	[ ! -e "$CG/hull/$ID" ] || fail "cgroup still there after delete --force"
	for p in $all; do wait_for '! alive $p' "process $p to die" 50; done
}
