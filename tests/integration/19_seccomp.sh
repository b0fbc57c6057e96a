# shellcheck shell=bash
# linux.seccomp (issue 5 extends this file). Each filter test has its control: the same
# command without the filter succeeds.

SC_MKDIR='{defaultAction: "SCMP_ACT_ALLOW",
	syscalls: [{names: ["mkdir", "mkdirat", "no_such_syscall_hull"], action: "SCMP_ACT_ERRNO",
	errnoRet: 13}]}'

mkdir_script='if mkdir /dev/shm/sc 2>/dev/shm/err; then echo mkdir=ok; else echo mkdir=failed; fi; echo "mkdir_err=$(cat /dev/shm/err)"; probe'

test_seccomp_errno_rule() {
	mkbundle
	set_sh "$mkdir_script"
	hull_run
	assert_ok
	assert_eq ok "$(probe_field mkdir)" "mkdir without a filter"
	assert_eq 0 "$(probe_field seccomp)" "seccomp mode without a filter"
	cfg ".linux.seccomp = $SC_MKDIR"
	hull_run
	assert_ok
	assert_eq failed "$(probe_field mkdir)" "mkdir with an ERRNO rule"
	assert_eq 2 "$(probe_field seccomp)" "seccomp mode (filter)"
	assert_contains "$(probe_field mkdir_err)" "Permission denied" "errnoRet 13 (EACCES)"
}

# Without no_new_privs the filter is loaded while the process can (CAP_SYS_ADMIN), before it
# becomes an unprivileged user.
test_seccomp_without_nnp_as_user() {
	mkbundle
	set_sh "$mkdir_script"
	cfg ".linux.seccomp = $SC_MKDIR | .process.noNewPrivileges = false | .process.user.uid = 1000"
	hull_run
	assert_ok
	assert_eq failed "$(probe_field mkdir)" "mkdir with the filter"
	assert_eq 2 "$(probe_field seccomp)" "seccomp mode"
	assert_eq 0 "$(probe_field no_new_privs)" "no_new_privs stays off"
}

test_seccomp_exec_gets_filter() {
	mkbundle
	set_args probe sleep 60
	cfg ".linux.seccomp = $SC_MKDIR"
	hull_run_bg --pid-file "$T/pid"
	wait_until 10 test -s "$T/pid"
	hull exec "$ID" sh -c "$mkdir_script"
	assert_rc 0
	assert_eq failed "$(probe_field mkdir)" "mkdir in an exec'd process"
	assert_eq 2 "$(probe_field seccomp)" "seccomp mode of the exec'd process"
	kill -KILL "$(cat "$T/pid")"
	hull_wait
}

test_seccomp_arg_condition() {
	mkbundle
	# kill(pid, 0) refused, other signals allowed: the control is kill -0 without the filter
	set_sh 'if kill -0 $$ 2>/dev/null; then echo k0=ok; else echo k0=failed; fi; echo end=1'
	hull_run
	assert_ok
	assert_eq ok "$(probe_field k0)" "kill -0 without a filter"
	cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["kill"],
		action: "SCMP_ACT_ERRNO", errnoRet: 1, args: [{index: 1, value: 0, op: "SCMP_CMP_EQ"}]}]}'
	hull_run
	assert_ok
	assert_eq failed "$(probe_field k0)" "kill(pid, 0) with the argument rule"
}

# start_agent ERRNO: tests/tools/seccompagent on $T/agent.sock (AGPID), writing what it received
# to $T/agent.state and each notification to $T/agent.state.log.
start_agent() {
	rm -f "$T/agent.sock" "$T/agent.state" "$T/agent.state.log"
	"$TOOLS/seccompagent" "$T/agent.sock" "$T/agent.state" "$1" >"$T/agent.err" 2>&1 &
	AGPID=$!
	register_pid "$AGPID"
	wait_until 5 test -S "$T/agent.sock"
}

SC_NOTIFY_MKDIR='{defaultAction: "SCMP_ACT_ALLOW", listenerPath: $l, listenerMetadata: "meta-1",
	syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}'

# The agent gets the listener and the container process state, and answers mkdir for the
# container (EHOSTDOWN, 112); the control runs the same command without the filter.
test_seccomp_notify_agent() {
	mkbundle
	set_sh "$mkdir_script"
	cfg '.annotations = {"org.test": "a1"}'
	hull_run
	assert_ok
	assert_eq ok "$(probe_field mkdir)" "mkdir without a filter (control)"
	start_agent 112
	cfg ".linux.seccomp = $SC_NOTIFY_MKDIR" --arg l "$T/agent.sock"
	hull_run
	assert_ok
	assert_eq failed "$(probe_field mkdir)" "mkdir answered by the agent"
	assert_contains "$(probe_field mkdir_err)" "Host is down" "the agent's errno"
	wait_until 10 dead "$AGPID"
	local st
	st=$(head -n1 "$T/agent.state")
	assert_eq 1 "$(grep -c '^fds=1$' "$T/agent.state")" "one fd passed"
	assert_eq 1 "$(grep -c '^closed=yes$' "$T/agent.state")" "connection closed after the state"
	assert_eq '["seccompFd"]' "$(jq -c .fds <<<"$st")" "fds names"
	assert_eq meta-1 "$(jq -r .metadata <<<"$st")" "metadata"
	assert_eq "$ID" "$(jq -r .state.id <<<"$st")" "state.id"
	assert_eq creating "$(jq -r .state.status <<<"$st")" "state.status"
	assert_eq a1 "$(jq -r '.state.annotations["org.test"]' <<<"$st")" "state.annotations"
	assert_match "$(jq -r .pid <<<"$st")" '^[1-9][0-9]*$' "pid"
	assert_eq "$(jq -r .pid <<<"$st")" "$(jq -r .state.pid <<<"$st")" "pid is the init's"
	assert_eq 1 "$(jq -r .ociVersion <<<"$st" | grep -c '^1\.')" "ociVersion"
	assert_contains "$(cat "$T/agent.state.log")" "nr=" "the agent saw the mkdir"
}

# Without no_new_privs the filter is loaded before the identity change (the kernel wants
# CAP_SYS_ADMIN then); the listener still reaches the agent, for a non-root user too.
test_seccomp_notify_without_nnp() {
	mkbundle
	set_sh "$mkdir_script"
	start_agent 112
	cfg ".linux.seccomp = $SC_NOTIFY_MKDIR | .process.noNewPrivileges = false |
		.process.user.uid = 1000" --arg l "$T/agent.sock"
	hull_run
	assert_ok
	assert_eq failed "$(probe_field mkdir)" "mkdir answered by the agent"
	assert_contains "$(probe_field mkdir_err)" "Host is down" "the agent's errno"
	assert_eq 0 "$(probe_field no_new_privs)" "no_new_privs stays off"
	assert_eq 1 "$(grep -c '^fds=1$' "$T/agent.state")" "one fd passed"
}

# create/start: the agent has the listener once create returns, before start (no_new_privs
# loads the filter right before the start wait in that case).
test_seccomp_notify_create_start() {
	mkbundle
	set_sh "$mkdir_script"
	start_agent 112
	cfg ".linux.seccomp = $SC_NOTIFY_MKDIR" --arg l "$T/agent.sock"
	hull create --bundle "$BUNDLE" "$ID"
	assert_ok
	register_id "$ID"
	assert_eq 1 "$(grep -c '^fds=1$' "$T/agent.state")" "the agent has the fd after create"
	hull state "$ID"
	assert_eq created "$(jq -r .status "$T/out")" "status"
	hull start "$ID"
	assert_ok
	wait_until 10 dead "$AGPID"
	hull delete "$ID"
	assert_contains "$(cat "$T/agent.state.log")" "nr=" "the agent answered after start"
}

# exec'd processes get a listener of their own, sent with the container's state.
test_seccomp_notify_exec() {
	mkbundle
	set_args probe sleep 60
	start_agent 112
	cfg ".linux.seccomp = $SC_NOTIFY_MKDIR" --arg l "$T/agent.sock"
	hull_run_bg --pid-file "$T/pid"
	wait_until 10 test -s "$T/pid"
	wait_until 5 test -s "$T/agent.state"
	mv "$T/agent.state" "$T/agent.state.run"
	kill "$AGPID" 2>/dev/null
	start_agent 112
	hull exec "$ID" sh -c "$mkdir_script"
	assert_rc 0
	assert_eq failed "$(probe_field mkdir)" "mkdir of the exec'd process answered by the agent"
	assert_contains "$(probe_field mkdir_err)" "Host is down" "the agent's errno"
	local st
	st=$(head -n1 "$T/agent.state")
	assert_eq running "$(jq -r .state.status <<<"$st")" "state.status for exec"
	assert_eq "$(cat "$T/pid")" "$(jq -r .state.pid <<<"$st")" "state.pid is the init's"
	assert_ne "$(cat "$T/pid")" "$(jq -r .pid <<<"$st")" "pid is the exec'd process"
	kill -KILL "$(cat "$T/pid")"
	hull_wait
}

# Nobody listening: the runtime must fail (config-linux.md) and leave nothing behind.
test_seccomp_notify_no_listener() {
	mkbundle
	cfg ".linux.seccomp = $SC_NOTIFY_MKDIR" --arg l "$T/none.sock"
	hull_run
	assert_error "listenerPath" "$T/none.sock"
	assert_clean
}

test_seccomp_notify_needs_listener_path() {
	mkbundle
	cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["mkdir"], action: "SCMP_ACT_NOTIFY"}]}'
	hull_run
	assert_error "SCMP_ACT_NOTIFY" "listenerPath"
}

# WAIT_KILLABLE_RECV reaches the kernel with a listener (strace shows the flag in the one
# seccomp(2) call); without a listener it is moot and left out, as libseccomp does.
test_seccomp_wait_killable_recv() {
	command -v strace >/dev/null || fail "strace is needed (scripts/deps.sh test group)"
	mkbundle
	set_sh "$mkdir_script"
	start_agent 112
	cfg ".linux.seccomp = $SC_NOTIFY_MKDIR | .linux.seccomp.flags = [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]" \
		--arg l "$T/agent.sock"
	# LeakSanitizer cannot run under ptrace (the sanitizer lane)
	env "ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -qq -e trace=seccomp \
		-o "$T/strace" "$HULL" run --bundle "$BUNDLE" "$ID" >"$T/out" 2>"$T/err" ||
		fail "run: $(cat "$T/err")"
	assert_contains "$(grep SECCOMP_SET_MODE_FILTER "$T/strace")" \
		"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" "the flag in seccomp(2)"
	assert_contains "$(probe_field mkdir_err)" "Host is down" "the agent's errno"
	cfg ".linux.seccomp = $SC_MKDIR | .linux.seccomp.flags = [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]"
	hull_run
	assert_ok
	assert_eq failed "$(probe_field mkdir)" "the filter without a listener"
}

# Compiled filters are cached under the state root (.seccomp): the same linux.seccomp is
# compiled once, not per container and exec. libseccomp runs in hull only on a miss, which
# strace shows as its memfd "hull-seccomp". A damaged cache file is a miss and is rewritten,
# another filter is another file, and the filter from the cache works as the compiled one.
test_seccomp_filter_cache() {
	command -v strace >/dev/null || fail "strace is needed (scripts/deps.sh test group)"
	local root=$T/root compiles f size
	mkbundle
	set_sh "$mkdir_script"
	cfg ".linux.seccomp = $SC_MKDIR"
	# LeakSanitizer cannot run under ptrace (the sanitizer lane): off for the strace'd runs.
	local lsan_off="ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0"
	# sc_run: run the bundle under strace; compiles = filters compiled
	sc_run() {
		env "$lsan_off" strace -f -qq -e trace=memfd_create -o "$T/strace" \
			"$HULL" --root "$root" run --bundle "$BUNDLE" "$ID" >"$T/out" 2>"$T/err" ||
			fail "run: $(cat "$T/err")"
		compiles=$(grep -c '"hull-seccomp"' "$T/strace" || true)
	}
	sc_run
	assert_eq 1 "$compiles" "the first run compiles"
	assert_eq failed "$(probe_field mkdir)" "mkdir with the compiled filter"
	assert_eq 1 "$(find "$root/.seccomp" -name '*.bpf' | wc -l)" "cached filters (the state root did not exist before this run)"
	f=$(find "$root/.seccomp" -name '*.bpf')
	sc_run
	assert_eq 0 "$compiles" "the second run takes the filter from the cache"
	assert_eq failed "$(probe_field mkdir)" "mkdir with the cached filter"
	assert_contains "$(probe_field mkdir_err)" "Permission denied" "errnoRet 13 from the cache"
	# exec'd processes take it from the cache too
	set_args probe sleep 60
	"$HULL" --root "$root" run -d --bundle "$BUNDLE" "$ID" >/dev/null 2>&1 || fail "run -d"
	on_cleanup "'$HULL' --root '$root' delete --force '$ID'"
	env "$lsan_off" strace -f -qq -e trace=memfd_create -o "$T/strace" \
		"$HULL" --root "$root" exec "$ID" sh -c "$mkdir_script" >"$T/out" 2>&1 || fail "exec"
	assert_eq 0 "$(grep -c '"hull-seccomp"' "$T/strace" || true)" "exec compiles nothing"
	assert_eq failed "$(probe_field mkdir)" "mkdir in the exec'd process"
	"$HULL" --root "$root" delete --force "$ID"
	set_sh "$mkdir_script"
	# damage in the program (its last byte): a miss, compiled and stored again
	size=$(stat -c %s "$f")
	printf '\377' | dd of="$f" bs=1 seek=$((size - 1)) conv=notrunc status=none
	sc_run
	assert_eq 1 "$compiles" "a damaged cache file is compiled again"
	assert_eq failed "$(probe_field mkdir)" "mkdir after the damaged cache file"
	sc_run
	assert_eq 0 "$compiles" "and the rewritten file is used"
	# a truncated file: a miss as well
	truncate -s 20 "$f"
	sc_run
	assert_eq 1 "$compiles" "a truncated cache file is compiled again"
	# another filter: compiled, cached beside the first
	cfg '.linux.seccomp.syscalls[0].errnoRet = 1'
	sc_run
	assert_eq 1 "$compiles" "another filter is compiled"
	assert_contains "$(probe_field mkdir_err)" "Operation not permitted" "errnoRet 1"
	assert_eq 2 "$(find "$root/.seccomp" -name '*.bpf' | wc -l)" "cached filters"
	# bounded: 70 more distinct filters leave at most 64 files
	set_args true
	local i
	for i in $(seq 2 71); do
		cfg '.linux.seccomp.syscalls[0].errnoRet = $e' --argjson e "$i"
		"$HULL" --root "$root" run --bundle "$BUNDLE" "$ID" >/dev/null 2>"$T/err" ||
			fail "run $i: $(cat "$T/err")"
	done
	assert_eq 64 "$(find "$root/.seccomp" -name '*.bpf' | wc -l)" "cached filters after 72"
}
