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

test_seccomp_notify_refused() {
	mkbundle
	cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: "/tmp/none.sock",
		syscalls: [{names: ["mkdir"], action: "SCMP_ACT_NOTIFY"}]}'
	hull_run
	assert_error "SCMP_ACT_NOTIFY"
}
