# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# The lifecycle (runc's contract): create, start, kill, delete, their errors and concurrency,
# and the global options --root, --log, --log-format, --debug. `create` leaves the container
# process to its caller: every test removes what it made (hull_create registers it for the
# runner too).

# ------------------------------------------------------------------------ create / start --

test_create_start_delete() {
	mkbundle_id
	set_sh 'echo started; exec probe sleep 60'
	hull_create
	assert_ok
	assert_match "$CPID" '^[1-9][0-9]*$' "pid file"
	kill -0 "$CPID" || fail "the created container's process is not alive"
	[ -d "$STATE/$ID" ] || fail "no state directory $STATE/$ID"
	assert_eq "$CPID" "$(uts_pids "$ID")" "the container's processes"
	# The program must not run before start: nothing is printed, the process is not the
	# program and has not the container's environment (give a wrong start a moment to show).
	sleep 0.2
	assert_eq "" "$(cat "$COUT")" "the container's output before start"
	! runs_program "$CPID" || fail "the program runs before start"
	assert_eq "" "$(container_pids)" "processes with the container's environment before start"
	cstate
	assert_eq created "$STATUS" "status after create"
	assert_eq "$CPID" "$SPID" "pid after create"

	hull_start
	assert_ok
	assert_eq "" "$OUT" "stdout of start"
	wait_until 10 file_has "$COUT" started
	assert_eq started "$(cat "$COUT")" "the container's output"
	wait_until 10 runs_program "$CPID"
	assert_eq "$CPID" "$(container_pids)" "the container's process"
	cstate
	assert_eq running "$STATUS" "status after start"
	assert_eq "$CPID" "$SPID" "pid after start"

	kill -KILL "$CPID"
	wait_status stopped
	assert_eq 0 "$SPID" "pid of a stopped container"
	hullg delete "$ID"
	assert_ok
	assert_gone
	assert_eq "" "$(uts_pids "$ID")" "processes after delete"
	cstate
	assert_fails 1 "container does not exist"
}

test_pid_file_format() {
	mkbundle
	set_args probe sleep 60
	hull_create --pid-file "$T/c.pid"
	assert_ok
	local pid
	pid=$(cat "$T/c.pid")
	assert_match "$pid" '^[1-9][0-9]*$' "pid file content"
	assert_eq "${#pid}" "$(wc -c <"$T/c.pid")" "pid file size (no newline)"
	kill -0 "$pid" || fail "pid $pid from the pid file is not alive"
	cstate
	assert_eq "$pid" "$SPID" "state pid"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# A relative --pid-file is relative to the caller's directory.
test_pid_file_relative() {
	mkbundle
	set_args probe sleep 60
	mkdir "$T/wd"
	register_id "$ID"
	RC=0
	(cd "$T/wd" && "$HULL" create --bundle "$BUNDLE" --pid-file rel.pid "$ID" \
		</dev/null >"$T/out" 2>"$T/err") || RC=$?
	assert_ok
	[ -s "$T/wd/rel.pid" ] || fail "no pid file $T/wd/rel.pid"
	CPID=$(cat "$T/wd/rel.pid")
	register_pid "$CPID"
	cstate
	assert_eq "$CPID" "$SPID" "state pid"
	hull delete --force "$ID"
	assert_ok
	assert_gone
}

test_create_bundle_defaults_to_cwd() {
	mkbundle
	set_args probe sleep 60
	register_id "$ID"
	RC=0
	(cd "$BUNDLE" && "$HULL" create --pid-file "$T/c.pid" "$ID" </dev/null >"$T/out" 2>"$T/err") ||
		RC=$?
	assert_ok
	register_pid "$(cat "$T/c.pid")"
	cstate
	assert_eq "$BUNDLE" "$(jq -r .bundle <<<"$OUT")" "state bundle"
	assert_eq created "$STATUS" "status"
	hull delete --force "$ID"
	assert_ok
}

test_create_relative_bundle() {
	mkbundle
	set_args probe sleep 60
	register_id "$ID"
	RC=0
	(cd "$T" && "$HULL" create -b bundle --pid-file c.pid "$ID" </dev/null >"$T/out" 2>"$T/err") ||
		RC=$?
	assert_ok
	register_pid "$(cat "$T/c.pid")"
	cstate
	assert_eq "$BUNDLE" "$(jq -r .bundle <<<"$OUT")" "state bundle (absolute)"
	assert_eq "$BUNDLE/rootfs" "$(jq -r .rootfs <<<"$OUT")" "state rootfs (absolute)"
	hull delete --force "$ID"
	assert_ok
}

# Options may follow the id.
test_create_options_after_id() {
	mkbundle
	set_args probe sleep 60
	register_id "$ID"
	hull create "$ID" --bundle "$BUNDLE" --pid-file "$T/c.pid"
	assert_ok
	CPID=$(cat "$T/c.pid")
	register_pid "$CPID"
	cstate
	assert_eq created "$STATUS" "status"
	assert_eq "$CPID" "$SPID" "pid"
	hull delete --force "$ID"
	assert_ok
	assert_gone
}

# The container's stdio are create's: output after start goes there, not to start's.
test_create_stdio_are_the_callers() {
	mkbundle
	set_sh 'read line; echo "out:$line"; echo err >&2'
	echo from-stdin >"$T/in"
	HULL_STDIN=$T/in hull_create
	assert_ok
	hull_start
	assert_ok
	assert_eq "" "$OUT$ERR" "output of start"
	wait_status stopped
	assert_eq out:from-stdin "$(cat "$COUT")" "the container's stdout"
	assert_eq err "$(cat "$CERR")" "the container's stderr"
	hullg delete "$ID"
	assert_ok
	assert_gone
}

# start returns once the program runs; its exit status is not start's.
test_start_does_not_wait() {
	mkbundle
	set_args probe exit 3
	hull_create
	assert_ok
	hull_start
	assert_ok
	wait_status stopped
	assert_eq 0 "$SPID" "pid when stopped"
	hullg delete "$ID"
	assert_ok
	assert_gone
}

test_start_running_fails() {
	mkbundle
	set_sh 'echo started; exec probe sleep 60'
	run_container
	wait_until 10 file_has "$COUT" started
	hull_start
	assert_fails 1 running
	# No effect on the container.
	cstate
	assert_eq running "$STATUS" "status after a second start"
	assert_eq "$CPID" "$SPID" "pid after a second start"
	kill -0 "$CPID" || fail "the container died"
	sleep 0.1
	assert_eq 1 "$(count_lines "$COUT" started)" "times the program started"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

test_start_stopped_fails() {
	mkbundle
	set_sh 'echo started'
	run_container
	wait_status stopped
	hull_start
	assert_fails 1 stopped
	cstate
	assert_eq stopped "$STATUS" "status after start of a stopped container"
	assert_eq 1 "$(count_lines "$COUT" started)" "times the program started"
	hullg delete "$ID"
	assert_ok
	assert_gone
}

test_start_unknown_container() {
	hull start "$ID-nosuch"
	assert_fails 1 "container does not exist"
}

test_start_without_id() {
	hull start
	assert_rc 1
	[ -s "$T/err" ] || fail "no message for start without an id"
}

test_create_id_in_use() {
	mkbundle
	set_args probe sleep 60
	hull_create
	assert_ok
	local first=$CPID
	hull_create --pid-file "$T/second.pid"
	assert_fails 1 exists
	kill -0 "$first" || fail "the first container died"
	cstate
	assert_eq created "$STATUS" "status of the first container"
	assert_eq "$first" "$SPID" "pid of the first container"
	hullg delete --force "$ID"
	assert_ok
	assert_gone "$ID" "$first"
}

test_create_missing_bundle() {
	register_id "$ID"
	hull create --bundle "$T/no-such-bundle" --pid-file "$T/c.pid" "$ID"
	assert_fails 1 "$T/no-such-bundle"
	assert_gone
	[ ! -e "$T/c.pid" ] || fail "a failed create wrote the pid file"
}

test_create_bad_config() {
	mkbundle_id
	cfg '.process.args = "probe"'
	hull_create
	assert_fails 1 process.args
	assert_gone
	assert_eq "" "$(uts_pids "$ID")" "processes after a failed create"
}

# A failure inside the container process (here: the cwd is a file) comes back from create.
test_create_fails_in_container_leaves_nothing() {
	mkbundle_id
	cfg '.process.cwd = "/etc/passwd"'
	hull_create
	assert_rc 1
	[ -s "$T/err" ] || fail "no error message"
	assert_gone
	assert_eq "" "$(uts_pids "$ID")" "processes after a failed create"
}

test_create_preserve_fds() {
	mkbundle
	set_args probe fds
	exec 3>"$T/fd3" 4>"$T/fd4"
	hull_create --preserve-fds 1
	exec 3>&- 4>&-
	assert_ok
	hull_start
	assert_ok
	wait_status stopped
	assert_eq 0,1,2,3 "$(probe_field fds "$COUT")" "fds of the container"
	assert_eq "$T/fd3" "$(probe_field fd.3 "$COUT")" "fd 3"
	hullg delete "$ID"
	assert_ok
}

test_create_no_fd_leak() {
	mkbundle
	set_args probe fds
	exec 7>"$T/fd7"
	hull_create
	exec 7>&-
	assert_ok
	hull_start
	assert_ok
	wait_status stopped
	assert_eq 0,1,2 "$(probe_field fds "$COUT")" "fds of the container"
	hullg delete "$ID"
	assert_ok
}

test_create_no_pivot() {
	mkbundle
	set_args probe
	hull_create --no-pivot
	assert_ok
	hull_start
	assert_ok
	wait_status stopped
	assert_eq 1 "$(probe_field pid "$COUT")" "pid of the program"
	assert_eq 1 "$(probe_field root_readonly "$COUT")" "the container's root is its rootfs"
	hullg delete "$ID"
	assert_ok
	assert_gone
}

# A new session keyring unless --no-new-keyring (then the caller's).
test_create_session_keyring() {
	mkbundle
	set_args probe keyring
	local mine
	mine=$(host_field session_keyring keyring)
	[ -n "$mine" ] || fail "no session keyring on the host"
	hull_create
	assert_ok
	hull_start
	assert_ok
	wait_status stopped
	local theirs
	theirs=$(probe_field session_keyring "$COUT")
	assert_ne "$mine" "$theirs" "session keyring by default"
	hullg delete "$ID"
	assert_ok
	hull_create --no-new-keyring
	assert_ok
	hull_start
	assert_ok
	wait_status stopped
	assert_eq "$mine" "$(probe_field session_keyring "$COUT")" "session keyring with --no-new-keyring"
	hullg delete "$ID"
	assert_ok
}

# ---------------------------------------------------------------------------------- kill --

# kill_waiting_container SIGNAL_ARG EXPECTED_NUMBER: a fresh container waiting for a signal
# gets it from `kill ID SIGNAL_ARG` ("" for no signal argument).
kill_waiting_container() {
	set_args probe wait-signal
	run_container
	wait_until 10 file_has "$COUT" ready=1
	if [ -n "$1" ]; then hullg kill "$ID" "$1"; else hullg kill "$ID"; fi
	assert_ok
	wait_until 10 file_has "$COUT" signal=
	assert_eq "$2" "$(probe_field signal "$COUT")" "signal received for 'kill $ID $1'"
	wait_status stopped
	hullg delete "$ID"
	assert_ok
	assert_gone
}

test_kill_default_is_sigterm() {
	mkbundle
	kill_waiting_container "" 15
}

test_kill_signal_forms() {
	mkbundle
	local base=$ID form num
	for form in 10 USR2 SIGHUP SIGINT; do
		case $form in 10) num=10 ;; *) num=$(kill -l "${form#SIG}") ;; esac
		ID=$base-$form
		kill_waiting_container "$form" "$num"
	done
}

test_kill_sigkill_by_name() {
	mkbundle
	set_args probe sleep 60
	run_container
	hullg kill "$ID" KILL
	assert_ok
	wait_status stopped
	gone "$CPID" || fail "the process survived kill KILL"
	hullg delete "$ID"
	assert_ok
	assert_gone
}

# A created container can be killed: it is stopped then, and cannot be started.
test_kill_created_container() {
	mkbundle
	set_sh 'echo started; exec probe sleep 60'
	hull_create
	assert_ok
	hullg kill "$ID" SIGKILL
	assert_ok
	wait_status stopped
	assert_eq 0 "$SPID" "pid after kill"
	hull_start
	assert_fails 1 stopped
	assert_eq "" "$(cat "$COUT")" "output of a killed created container"
	hullg delete "$ID"
	assert_ok
	assert_gone
}

test_kill_stopped_fails() {
	mkbundle
	set_args probe exit 0
	run_container
	wait_status stopped
	hullg kill "$ID" KILL
	assert_fails 1 "container not running"
	hullg delete "$ID"
	assert_ok
}

test_kill_unknown_container() {
	hull kill "$ID-nosuch" KILL
	assert_fails 1 "container does not exist"
}

test_kill_unknown_signal() {
	mkbundle
	set_args probe sleep 60
	run_container
	local sig
	for sig in FOO SIGFOO 999; do
		hullg kill "$ID" "$sig"
		assert_rc 1
		[ -s "$T/err" ] || fail "no message for signal '$sig'"
		[ "$sig" = 999 ] || assert_fails 1 "$sig"
	done
	cstate
	assert_eq running "$STATUS" "status after bad kills"
	kill -0 "$CPID" || fail "the container died"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# kill --all / -a signals every process of the container; without it only the container's
# process (here a pid 1 that ignores the signal) gets it.
kill_all_with() { # FLAG
	mkbundle
	set_sh 'probe wait-signal & probe wait-signal & wait'
	run_container
	wait_until 10 has_lines "$COUT" ready=1 2
	hullg kill "$ID" USR2
	assert_ok
	hullg kill "$1" "$ID" USR1
	assert_ok
	wait_until 10 has_lines "$COUT" signal=10 2
	assert_eq 0 "$(count_lines "$COUT" signal=12)" "children signalled by a kill without $1"
	wait_status stopped
	hullg delete "$ID"
	assert_ok
	assert_gone
}

test_kill_all() { kill_all_with --all; }
test_kill_all_short() { kill_all_with -a; }

# -------------------------------------------------------------------------------- delete --

test_delete_running_fails() {
	mkbundle
	set_args probe sleep 60
	run_container
	hullg delete "$ID"
	assert_fails 1 running
	kill -0 "$CPID" || fail "delete without --force killed the container"
	cstate
	assert_eq running "$STATUS" "status after a refused delete"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

test_delete_force_running() {
	mkbundle_id
	set_sh 'probe sleep 60 & probe sleep 60 & wait'
	run_container
	wait_until 10 ns_count_is "$CPID" 3
	local all
	all=$(ns_pids "$CPID" | tr '\n' ' ')
	hullg delete --force "$ID"
	assert_ok
	# shellcheck disable=SC2086
	assert_gone "$ID" $all
	assert_eq "" "$(uts_pids "$ID")" "processes after delete --force"
}

test_delete_force_short_flag() {
	mkbundle
	set_args probe sleep 60
	run_container
	hullg delete -f "$ID"
	assert_ok
	assert_gone
}

# Deleting a created container kills its process.
test_delete_created() {
	mkbundle_id
	set_args probe sleep 60
	hull_create
	assert_ok
	hullg delete "$ID"
	assert_ok
	assert_gone
	assert_eq "" "$(uts_pids "$ID")" "processes after delete"
}

test_delete_stopped_then_reuse_id() {
	mkbundle
	set_args probe exit 0
	run_container
	wait_status stopped
	hullg delete "$ID"
	assert_ok
	assert_gone
	set_args probe sleep 60
	hull_create
	assert_ok
	cstate
	assert_eq created "$STATUS" "status of the new container with the same id"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

test_delete_force_stopped() {
	mkbundle
	set_args probe exit 0
	run_container
	wait_status stopped
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

test_delete_unknown() {
	hull delete "$ID-nosuch"
	assert_fails 1 "container does not exist"
	hull delete --force "$ID-nosuch"
	assert_ok
	assert_eq "" "$OUT" "stdout of delete --force of an unknown id"
}

# ----------------------------------------------------------------------------- concurrency --

# par N CMD...: runs `hull CMD` N times at once ("{}" in CMD is replaced by the run's index),
# each for 10 s at most (then its status is 124); results in $T/par.I.{rc,out,err}.
par() {
	local n=$1 i a args pids=()
	shift
	for ((i = 1; i <= n; i++)); do
		args=()
		for a in "$@"; do args+=("${a//\{\}/$i}"); done
		(
			rc=0
			timeout -k 1 10 "$HULL" "${args[@]}" </dev/null >"$T/par.$i.out" \
				2>"$T/par.$i.err" || rc=$?
			echo "$rc" >"$T/par.$i.rc"
		) &
		pids+=($!)
		register_pid "$!"
	done
	wait "${pids[@]}" || true
}

# No crash: every run exited 0 or 1.
assert_par_clean() { # N
	local i rc
	for ((i = 1; i <= $1; i++)); do
		rc=$(cat "$T/par.$i.rc")
		[ "$rc" = 0 ] || [ "$rc" = 1 ] || {
			cat "$T/par.$i.err" >&2
			fail "run $i exited $rc"
		}
	done
}

# 20 state/kill/delete --force at once on one running container: no crash, each outcome
# consistent, nothing left.
test_concurrent_state_kill_delete() {
	mkbundle_id
	set_args probe sleep 60
	run_container
	local i rc ops=() op
	for ((i = 1; i <= 20; i++)); do
		case $((i % 3)) in
		0) op="state $ID" ;; 1) op="kill $ID KILL" ;; 2) op="delete --force $ID" ;;
		esac
		ops[i]=$op
		(
			rc=0
			# shellcheck disable=SC2086
			timeout -k 1 10 "$HULL" $op </dev/null >"$T/par.$i.out" 2>"$T/par.$i.err" || rc=$?
			echo "$rc" >"$T/par.$i.rc"
		) &
		register_pid "$!"
	done
	wait
	assert_par_clean 20
	for ((i = 1; i <= 20; i++)); do
		rc=$(cat "$T/par.$i.rc")
		case ${ops[i]} in
		state*)
			if [ "$rc" = 0 ]; then
				jq -e --arg id "$ID" '.id == $id and (.status | IN("running", "stopped"))' \
					"$T/par.$i.out" >/dev/null || fail "state $i: $(cat "$T/par.$i.out")"
			else
				grep -qF "container does not exist" "$T/par.$i.err" ||
					fail "state $i: $(cat "$T/par.$i.err")"
			fi
			;;
		kill*)
			[ "$rc" = 0 ] || grep -qiE "not running|does not exist|no such process" \
				"$T/par.$i.err" || fail "kill $i: $(cat "$T/par.$i.err")"
			;;
		delete*)
			[ "$rc" = 0 ] || fail "delete --force $i exited $rc: $(cat "$T/par.$i.err")"
			;;
		esac
	done
	cstate
	assert_fails 1 "container does not exist"
	assert_gone
	assert_eq "" "$(uts_pids "$ID")" "processes left"
}

# 20 starts at once: exactly one starts the program.
test_concurrent_start_once() {
	mkbundle
	set_sh 'echo started; exec probe sleep 60'
	hull_create
	assert_ok
	par 20 "${GOPTS[@]}" start "$ID"
	assert_par_clean 20
	assert_eq 1 "$(grep -lx 0 "$T"/par.*.rc | wc -l)" "starts that succeeded"
	wait_until 10 file_has "$COUT" started
	sleep 0.1
	assert_eq 1 "$(count_lines "$COUT" started)" "times the program started"
	cstate
	assert_eq running "$STATUS" "status"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# 10 creates of one id at once: exactly one container, the others fail and leave nothing.
test_concurrent_create_same_id() {
	mkbundle_id
	set_args probe sleep 60
	register_id "$ID"
	on_cleanup "$(printf '%q ' "$HULL" delete --force "$ID")"
	host_mounts >"$T/mountinfo.create"
	par 10 create --bundle "$BUNDLE" --pid-file "$T/p.{}" "$ID"
	assert_par_clean 10
	local winners
	winners=$(grep -lx 0 "$T"/par.*.rc | wc -l)
	assert_eq 1 "$winners" "creates that succeeded"
	local w
	w=$(grep -lx 0 "$T"/par.*.rc | sed 's|.*/par\.\([0-9]*\)\.rc|\1|')
	CPID=$(cat "$T/p.$w")
	register_pid "$CPID"
	assert_eq "$CPID" "$(uts_pids "$ID")" "processes of the container"
	cstate
	assert_eq created "$STATUS" "status"
	assert_eq "$CPID" "$SPID" "pid"
	hull delete --force "$ID"
	assert_ok
	assert_gone
	assert_eq "" "$(uts_pids "$ID")" "processes left"
}

# --------------------------------------------------------------------------- global options --

test_root_option() {
	mkbundle
	set_args probe sleep 60
	mkdir "$T/root"
	GOPTS=(--root "$T/root")
	run_container
	[ -d "$T/root/$ID" ] || fail "no state directory under --root"
	[ ! -e "$STATE/$ID" ] || fail "state directory in the default root despite --root"
	hull state "$ID"
	assert_fails 1 "container does not exist"
	hull "--root=$T/root" state "$ID"
	assert_rc 0
	assert_eq running "$(jq -r .status <<<"$OUT")" "status with --root=DIR"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# A --root that does not exist yet is made.
test_root_option_created() {
	mkbundle
	set_args probe exit 0
	GOPTS=(--root "$T/newroot/sub")
	run_container
	[ -d "$T/newroot/sub/$ID" ] || fail "no state directory under the new --root"
	wait_status stopped
	hullg delete "$ID"
	assert_ok
	assert_gone
}

test_log_json() {
	hull --log "$T/log.json" --log-format json start "$ID-nosuch"
	assert_fails 1 "container does not exist"
	assert_eq 1 "$(wc -l <"$T/log.json")" "lines in the log"
	jq -e '(keys | sort) == ["level", "msg", "time"] and .level == "error" and
	       (.msg | contains("container does not exist"))' "$T/log.json" >/dev/null ||
		fail "log line: $(cat "$T/log.json")"
	assert_match "$(jq -r .time "$T/log.json")" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}' \
		"log time"
	# Appended, one line per failure; the --opt=value form works too.
	hull --log="$T/log.json" --log-format=json kill "$ID-nosuch" KILL
	assert_fails 1 "container does not exist"
	assert_eq 2 "$(wc -l <"$T/log.json")" "lines in the log"
	jq -se 'length == 2 and all(.level == "error")' "$T/log.json" >/dev/null ||
		fail "log: $(cat "$T/log.json")"
}

test_log_text() {
	hull --log "$T/log.txt" state "$ID-nosuch"
	assert_fails 1 "container does not exist"
	grep -qF "container does not exist" "$T/log.txt" || fail "log: $(cat "$T/log.txt")"
}

# Success writes no error to the log and only the result to stdout.
test_log_success_is_quiet() {
	mkbundle
	set_args probe sleep 60
	run_container
	hull --log "$T/log.json" --log-format json state "$ID"
	assert_ok
	jq -e --arg id "$ID" '.id == $id' <<<"$OUT" >/dev/null || fail "state output: $OUT"
	if [ -s "$T/log.json" ]; then
		jq -se 'all(.level != "error")' "$T/log.json" >/dev/null ||
			fail "errors logged for a success: $(cat "$T/log.json")"
	fi
	hull delete --force "$ID"
	assert_ok
}

test_log_format_invalid() {
	hull --log-format xml state "$ID-nosuch"
	assert_fails 1 xml
}

test_debug_option() {
	mkbundle
	set_args probe sleep 60
	run_container
	hull --debug state "$ID"
	assert_rc 0
	jq -e --arg id "$ID" '.id == $id and .status == "running"' <<<"$OUT" >/dev/null ||
		fail "state output with --debug: $OUT"
	hull delete --force "$ID"
	assert_ok
	assert_gone
}
