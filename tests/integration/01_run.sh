# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# `hull run`: stdio, exit status, signals, --pid-file, -d, --keep.

test_run_probe_defaults() {
	mkbundle
	hull_run
	assert_ok
	assert_eq 1 "$(probe_field pid)" "pid"
	assert_eq 0 "$(probe_field ppid)" "ppid"
	assert_eq 0 "$(probe_field uid)" "uid"
	assert_eq / "$(probe_field cwd)" "cwd"
	assert_eq 0 "$(probe_field seccomp)" "seccomp mode"
	assert_eq 1 "$(probe_field no_new_privs)" "no_new_privs"
	assert_clean
}

test_exit_status() {
	mkbundle
	local n
	for n in 0 3 42 255; do
		set_args probe exit "$n"
		hull_run
		assert_rc "$n"
		assert_clean
	done
}

test_stdout_stderr_passthrough() {
	mkbundle
	set_sh 'echo to-stdout; echo to-stderr >&2; exit 5'
	hull_run
	assert_rc 5
	assert_eq to-stdout "$OUT" "stdout"
	assert_eq to-stderr "$ERR" "stderr"
}

test_stdin_passthrough() {
	mkbundle
	set_args /bin/cat
	printf 'line one\nline two\n' >"$T/in"
	HULL_STDIN=$T/in hull_run
	assert_ok
	assert_eq $'line one\nline two' "$OUT" "stdout of cat"
}

# The container's stdio are hull's own: the very same open files.
test_stdio_are_the_callers() {
	mkbundle
	set_args probe fds
	hull_run
	assert_ok
	assert_eq /dev/null "$(probe_field fd.0)" "fd 0"
	assert_eq "$T/out" "$(probe_field fd.1 | sed 's| (deleted)$||')" "fd 1"
}

test_killed_by_sigkill_is_137() {
	mkbundle
	set_args probe sleep 60
	hull_run_bg --pid-file "$T/pid"
	wait_until 10 test -s "$T/pid"
	kill -KILL "$(cat "$T/pid")"
	hull_wait
	assert_rc 137
	assert_clean
}

# Without a pid namespace the process is not an init, so SIGTERM forwarded by hull kills it.
test_killed_by_forwarded_sigterm_is_143() {
	mkbundle
	remove_ns pid
	set_args probe sleep 60
	hull_run_bg --pid-file "$T/pid"
	wait_until 10 test -s "$T/pid"
	kill -TERM "$HPID"
	hull_wait
	assert_rc 143
	assert_clean
}

# Signals sent to `hull run` reach the container process (here an init with handlers).
test_signal_forwarding() {
	mkbundle
	local sig num
	for sig in TERM INT HUP USR1 USR2; do
		num=$(kill -l "$sig")
		set_args probe wait-signal
		hull_run_bg
		wait_until 10 file_has "$T/out" "ready=1"
		echo "sending SIG$sig"
		kill -"$sig" "$HPID"
		hull_wait
		assert_rc 0
		assert_eq "$num" "$(probe_field signal)" "signal received for SIG$sig"
		assert_clean
	done
}

test_pid_file_foreground() {
	mkbundle
	set_args probe sleep 60
	hull_run_bg --pid-file "$T/pid"
	wait_until 10 test -s "$T/pid"
	local pid
	pid=$(cat "$T/pid")
	assert_match "$pid" '^[0-9]+$' "pid file"
	# That host pid is the container's process (its environment is the config's).
	grep -qaxzF "HULLTEST=$ID" "/proc/$pid/environ" || fail "pid $pid is not the container process"
	assert_eq "$(readlink "/proc/$pid/ns/pid")" "$(readlink "/proc/$pid/ns/pid_for_children")"
	assert_ne "$(readlink /proc/self/ns/pid)" "$(readlink "/proc/$pid/ns/pid")" "pid namespace"
	kill -KILL "$pid"
	hull_wait
	assert_rc 137
}

test_detach() {
	mkbundle
	set_args probe sleep 30
	local start end
	start=$(date +%s%N)
	hull_run -d --pid-file "$T/pid"
	end=$(date +%s%N)
	assert_ok
	[ $(((end - start) / 1000000)) -lt 5000 ] || fail "hull run -d did not return at once"
	local pid
	pid=$(cat "$T/pid")
	register_pid "$pid"
	# Bare pid, no newline (runc's format).
	assert_match "$pid" '^[0-9]+$' "pid file content"
	assert_eq "$(printf %s "$pid" | wc -c)" "$(wc -c <"$T/pid")" "pid file has no newline"
	kill -0 "$pid" || fail "the detached container process is not running"
	grep -qaxzF "HULLTEST=$ID" "/proc/$pid/environ" || fail "pid $pid is not the container process"
	[ -d "$STATE/$ID" ] || fail "no state for the running detached container"
	# Tear down.
	kill -KILL "$pid"
	wait_until 10 dead "$pid"
	hull delete "$ID"
	assert_ok
	assert_clean
}

test_detach_stdio() {
	mkbundle
	set_sh 'echo detached-out; echo detached-err >&2'
	hull_run -d --pid-file "$T/pid"
	assert_rc 0
	register_pid "$(cat "$T/pid")"
	wait_until 10 file_has "$T/out" detached-out
	wait_until 10 file_has "$T/err" detached-err
	assert_eq detached-out "$(cat "$T/out")"
	assert_eq detached-err "$(cat "$T/err")"
	hull delete --force "$ID"
	assert_ok
	assert_clean
}

test_keep() {
	mkbundle
	set_args probe exit 7
	hull_run --keep
	assert_rc 7
	[ -d "$STATE/$ID" ] || fail "--keep: no state directory after the container exited"
	# The id stays taken until deleted.
	hull_run
	assert_rc 1
	assert_contains "$ERR" "$ID" "error for an id in use"
	[ -d "$STATE/$ID" ] || fail "the kept state was removed by a failed run"
	hull delete "$ID"
	assert_ok
	[ ! -e "$STATE/$ID" ] || fail "hull delete left $STATE/$ID"
	hull_run
	assert_rc 7
	assert_clean
}

test_state_removed_after_run() {
	mkbundle
	set_args probe exit 0
	hull_run
	assert_ok
	assert_clean
	# The same id can be used again at once.
	hull_run
	assert_ok
	assert_clean
}

# Options may follow the id (runc's CLI accepts both orders).
test_options_after_id() {
	mkbundle
	set_args probe exit 4
	register_id "$ID"
	hull run "$ID" --bundle "$BUNDLE"
	assert_rc 4
	assert_clean
}

test_bundle_defaults_to_cwd() {
	mkbundle
	set_args probe exit 6
	register_id "$ID"
	RC=0
	(cd "$BUNDLE" && "$HULL" run "$ID" </dev/null >"$T/out" 2>"$T/err") || RC=$?
	assert_rc 6
	assert_clean
}

test_relative_bundle_path() {
	mkbundle
	set_args probe exit 0
	register_id "$ID"
	RC=0
	(cd "$T" && "$HULL" run --bundle bundle "$ID" </dev/null >"$T/out" 2>"$T/err") || RC=$?
	assert_rc 0
	assert_clean
}

# The container process is hull's child: a parent that dies takes nothing with it, and no
# fd of hull's leaks into the container (only stdio).
test_no_fd_leak() {
	mkbundle
	set_args probe fds
	exec 7>"$T/extra-fd"
	hull_run
	exec 7>&-
	assert_ok
	assert_eq 0,1,2 "$(probe_field fds)" "open fds in the container"
}

test_preserve_fds() {
	mkbundle
	set_args probe fds
	exec 3>"$T/fd3" 4>"$T/fd4"
	hull_run --preserve-fds 1
	exec 3>&- 4>&-
	assert_ok
	assert_eq 0,1,2,3 "$(probe_field fds)" "open fds with --preserve-fds 1"
	assert_eq "$T/fd3" "$(probe_field fd.3)" "fd 3"
}

test_signal_mask_and_dispositions_clean() {
	mkbundle
	hull_run
	assert_ok
	assert_eq 0000000000000000 "$(probe_field sigblk)" "blocked signals"
	# hull ignores nothing itself: at most what its caller ignored is still ignored.
	local mine theirs
	mine=$(host_field sigign info)
	theirs=$(probe_field sigign)
	(((16#$theirs & ~16#$mine) == 0)) || fail "ignored signals: $theirs (hull's caller: $mine)"
}

test_large_output() {
	mkbundle
	set_sh 'dd if=/dev/zero bs=4096 count=1024 2>/dev/null'
	hull_run
	assert_ok
	assert_eq 4194304 "$(wc -c <"$T/out")" "bytes of output"
}

# Two containers at the same time, from the same bundle.
test_two_containers_at_once() {
	mkbundle
	set_args probe sleep 30
	hull_run -d --pid-file "$T/pid1"
	assert_ok
	local first=$ID pid1 pid2
	pid1=$(cat "$T/pid1")
	register_pid "$pid1"
	ID=$first-2
	hull_run -d --pid-file "$T/pid2"
	assert_ok
	pid2=$(cat "$T/pid2")
	register_pid "$pid2"
	assert_ne "$pid1" "$pid2" "pids"
	assert_ne "$(readlink "/proc/$pid1/ns/pid")" "$(readlink "/proc/$pid2/ns/pid")" "pid namespaces"
	kill -KILL "$pid1" "$pid2"
	wait_until 10 dead "$pid1"
	wait_until 10 dead "$pid2"
	hull delete --force "$first"
	assert_ok
	hull delete --force "$ID"
	assert_ok
	assert_clean "$first"
	assert_clean "$ID"
}
