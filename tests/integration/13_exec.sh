# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# hull exec: a new process in a running container — its namespaces, root, capabilities,
# no_new_privs, environment, cwd, user; --process, --detach, --pid-file, --preserve-fds;
# exit statuses (the process's, 128+N for signal N, 255 when exec itself fails).

# sleeper: a running container (probe sleep 60), CPID its process.
sleeper() {
	set_args probe sleep 60
	run_container
}

# hull_exec ARGS...: hull GOPTS exec ARGS (sets RC, OUT, ERR).
hull_exec() { hull "${GOPTS[@]}" exec "$@"; }

test_exec_joins_namespaces() {
	mkbundle
	sleeper
	hull_exec "$ID" probe
	assert_ok
	local ns
	for ns in pid mnt net ipc uts cgroup user time; do
		assert_eq "$(readlink "/proc/$CPID/ns/$ns")" "$(probe_field "ns.$ns")" "ns.$ns of exec"
	done
	# The namespaces are the container's own, not the host's.
	for ns in pid mnt net ipc uts cgroup; do
		assert_ne "$(readlink "/proc/self/ns/$ns")" "$(readlink "/proc/$CPID/ns/$ns")" "ns.$ns (host's)"
	done
	assert_eq hull "$(probe_field hostname)" "hostname"
	local pid
	pid=$(probe_field pid)
	[ "$pid" -gt 1 ] || fail "exec'd process has pid $pid in the container"
	assert_eq 0 "$(probe_field ppid)" "ppid (its parent is outside the pid namespace)"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

test_exec_joins_user_namespace() {
	mkbundle
	userns 100000 65536
	chown_rootfs 100000:100000
	sleeper
	hull_exec "$ID" probe
	assert_ok
	local ns
	for ns in user pid mnt net ipc uts cgroup; do
		assert_eq "$(readlink "/proc/$CPID/ns/$ns")" "$(probe_field "ns.$ns")" "ns.$ns of exec"
	done
	assert_ne "$(readlink /proc/self/ns/user)" "$(readlink "/proc/$CPID/ns/user")" "ns.user (host's)"
	assert_eq "0 100000 65536" "$(probe_field uid_map)" "uid_map"
	assert_eq 0 "$(probe_field uid)" "uid inside"
	# On the host the process runs as the mapped uid.
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# (runc 1.1 has no time namespaces: hull only.)
test_exec_joins_time_namespace() {
	mkbundle
	add_ns time
	cfg '.linux.timeOffsets = {monotonic: {secs: 86400000, nanosecs: 0}}'
	sleeper
	hull_exec "$ID" probe
	assert_ok
	assert_eq "$(readlink "/proc/$CPID/ns/time")" "$(probe_field ns.time)" "ns.time of exec"
	assert_ne "$(readlink /proc/self/ns/time)" "$(readlink "/proc/$CPID/ns/time")" "ns.time (host's)"
	hull_exec "$ID" probe monotonic
	assert_ok
	local h c
	h=$(host_field monotonic monotonic)
	c=$(probe_field monotonic)
	[ $((${c%.*} - ${h%.*})) -ge 86400000 ] || fail "exec's CLOCK_MONOTONIC has no offset: $c (host $h)"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_sees_container_root() {
	mkbundle
	echo "in-the-rootfs-$ID" >"$BUNDLE/rootfs/marker"
	echo host >"$T/host-only"
	sleeper
	hull_exec "$ID" probe cat /marker
	assert_ok
	assert_eq "in-the-rootfs-$ID" "$OUT" "a file of the rootfs"
	hull_exec "$ID" probe stat "$T/host-only"
	assert_rc 1
	assert_eq ENOENT "$(probe_field errno)" "a host file from exec"
	hull_exec "$ID" probe stat /
	assert_ok
	assert_eq "$(stat -c %i "/proc/$CPID/root/")" "$(probe_field ino)" "inode of exec's /"
	hull_exec "$ID" probe mounts
	assert_ok
	assert_eq proc "$(mount_type /proc)" "exec's /proc"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_capabilities_of_container() {
	mkbundle
	set_caps KILL CHOWN
	sleeper
	hull_exec "$ID" probe caps
	assert_ok
	local want
	want=$(capmask KILL CHOWN)
	assert_eq "$want" "$(probe_field cap_eff)" "effective"
	assert_eq "$want" "$(probe_field cap_prm)" "permitted"
	assert_eq "$want" "$(probe_field cap_bnd)" "bounding"
	assert_eq "$(awk '/^CapEff:/{print $2}' "/proc/$CPID/status")" "$(probe_field cap_eff)" \
		"effective (the container's process)"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_cap_adds() {
	mkbundle
	set_caps KILL CHOWN
	sleeper
	hull_exec --cap CAP_SYS_ADMIN --cap CAP_NET_ADMIN "$ID" probe caps
	assert_ok
	local want
	want=$(capmask KILL CHOWN SYS_ADMIN NET_ADMIN)
	assert_eq "$want" "$(probe_field cap_eff)" "effective with --cap"
	assert_eq "$want" "$(probe_field cap_prm)" "permitted with --cap"
	assert_eq "$want" "$(probe_field cap_bnd)" "bounding with --cap"
	hull_exec -c CAP_SYS_PTRACE "$ID" probe caps
	assert_ok
	assert_eq "$(capmask KILL CHOWN SYS_PTRACE)" "$(probe_field cap_eff)" "effective with -c"
	# The container's own process is unchanged.
	assert_eq "$(capmask KILL CHOWN)" "$(awk '/^CapEff:/{print $2}' "/proc/$CPID/status")" \
		"the container's process"
	hullg delete --force "$ID"
	assert_ok
}

# --process: the process is the file's (args, env, cwd, user, capabilities), not the config's.
test_exec_process_json() {
	mkbundle
	set_caps KILL CHOWN
	sleeper
	jq -n --arg id "$ID" '{args: ["probe"], env: ["PATH=/usr/bin:/bin", "FROM=process.json",
		"HULLTEST=\($id)"], cwd: "/tmp", user: {uid: 0, gid: 7, additionalGids: [11, 12]},
		capabilities: {bounding: ["CAP_SETUID"], effective: ["CAP_SETUID"],
		permitted: ["CAP_SETUID"]}, noNewPrivileges: true,
		rlimits: [{type: "RLIMIT_NOFILE", hard: 333, soft: 222}]}' >"$T/process.json"
	hull_exec --process "$T/process.json" "$ID"
	assert_ok
	assert_eq /tmp "$(probe_field cwd)" "cwd"
	assert_eq 7 "$(probe_field gid)" "gid"
	assert_eq 11,12 "$(probe_field groups)" "groups"
	assert_eq "$(capmask SETUID)" "$(probe_field cap_eff)" "effective"
	assert_eq "$(capmask SETUID)" "$(probe_field cap_prm)" "permitted"
	assert_eq "$(capmask SETUID)" "$(probe_field cap_bnd)" "bounding"
	assert_eq 1 "$(probe_field no_new_privs)" "no_new_privs"
	assert_eq 222:333 "$(probe_field rlimit.nofile)" "RLIMIT_NOFILE"
	# The file's environment and nothing else (HOME may be added, as runc does).
	assert_eq "FROM=process.json HULLTEST=$ID PATH=/usr/bin:/bin" \
		"$(sed -n 's/^env\.//p' "$T/out" | grep -v '^HOME=' | sort | tr '\n' ' ' | sed 's/ $//')" \
		"environment"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_process_json_short_option() {
	mkbundle
	sleeper
	jq -n '{args: ["/usr/bin/probe", "exit", "9"], cwd: "/"}' >"$T/p.json"
	hull_exec -p "$T/p.json" "$ID"
	assert_rc 9
	hullg delete --force "$ID"
	assert_ok
}

test_exec_bad_process_json() {
	mkbundle
	sleeper
	echo '{"args": "probe"' >"$T/p.json"
	hull_exec --process "$T/p.json" "$ID"
	assert_fails 255
	hull_exec --process "$T/nonexistent.json" "$ID"
	assert_fails 255
	cstate
	assert_eq running "$STATUS" "the container after bad exec"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_user() {
	mkbundle
	sleeper
	hull_exec -u 1000:1001 "$ID" probe ids
	assert_ok
	assert_eq 1000 "$(probe_field uid)" "uid with -u 1000:1001"
	assert_eq 1000 "$(probe_field euid)" "euid with -u 1000:1001"
	assert_eq 1001 "$(probe_field gid)" "gid with -u 1000:1001"
	hull_exec --user 1002 "$ID" probe ids
	assert_ok
	assert_eq 1002 "$(probe_field uid)" "uid with --user 1002"
	assert_eq 0 "$(probe_field gid)" "gid with --user 1002"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_additional_gids() {
	mkbundle
	sleeper
	hull_exec --additional-gids 10 --additional-gids 20 -u 1000:1000 "$ID" probe ids
	assert_ok
	assert_eq 1000 "$(probe_field gid)" "gid"
	assert_eq 10,20 "$(probe_field groups)" "supplementary groups"
	hull_exec -g 30 "$ID" probe ids
	assert_ok
	assert_eq 30 "$(probe_field groups)" "supplementary groups with -g"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_cwd() {
	mkbundle
	cfg '.process.cwd = "/etc"'
	sleeper
	hull_exec "$ID" probe
	assert_ok
	assert_eq /etc "$(probe_field cwd)" "cwd (the container's)"
	hull_exec --cwd /tmp "$ID" probe
	assert_ok
	assert_eq /tmp "$(probe_field cwd)" "cwd with --cwd /tmp"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_env() {
	mkbundle
	sleeper
	hull_exec -e FOO=bar -e TERM=dumb -e 'SPACED=a b' "$ID" probe env
	assert_ok
	assert_eq bar "$(probe_field env.FOO)" "FOO"
	assert_eq "a b" "$(probe_field env.SPACED)" "SPACED"
	assert_eq dumb "$(probe_field env.TERM)" "TERM (overridden)"
	assert_eq 1 "$(grep -c '^env\.TERM=' "$T/out")" "TERM entries"
	assert_eq "$ID" "$(probe_field env.HULLTEST)" "HULLTEST (the container's)"
	assert_eq /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		"$(probe_field env.PATH)" "PATH (the container's)"
	hull_exec --env FOO=long-form "$ID" probe env
	assert_ok
	assert_eq long-form "$(probe_field env.FOO)" "FOO with --env"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_no_new_privs() {
	mkbundle
	cfg '.process.noNewPrivileges = false'
	sleeper
	hull_exec "$ID" probe
	assert_ok
	assert_eq 0 "$(probe_field no_new_privs)" "no_new_privs (the container's: off)"
	hull_exec --no-new-privs "$ID" probe
	assert_ok
	assert_eq 1 "$(probe_field no_new_privs)" "no_new_privs with --no-new-privs"
	hullg delete --force "$ID"
	assert_ok
	cfg '.process.noNewPrivileges = true'
	sleeper
	hull_exec "$ID" probe
	assert_ok
	assert_eq 1 "$(probe_field no_new_privs)" "no_new_privs (the container's: on)"
	hullg delete --force "$ID"
	assert_ok
}

# The container's process settings apply (runc copies the config's process): rlimits.
test_exec_rlimits_of_container() {
	mkbundle
	cfg '.process.rlimits = [{type: "RLIMIT_NOFILE", hard: 888, soft: 777}]'
	sleeper
	assert_ne 777:888 "$(host_field rlimit.nofile rlimits)" "the host's RLIMIT_NOFILE"
	hull_exec "$ID" probe rlimits
	assert_ok
	assert_eq 777:888 "$(probe_field rlimit.nofile)" "RLIMIT_NOFILE of exec"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_exit_status() {
	mkbundle
	sleeper
	hull_exec "$ID" probe exit 0
	assert_ok
	hull_exec "$ID" probe exit 7
	assert_rc 7
	hull_exec "$ID" sh -c 'kill -KILL $$'
	assert_rc 137
	hull_exec "$ID" sh -c 'kill -TERM $$'
	assert_rc 143
	cstate
	assert_eq running "$STATUS" "the container after execs"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_stdio() {
	mkbundle
	sleeper
	printf 'one\ntwo\n' >"$T/in"
	HULL_STDIN=$T/in hull_exec "$ID" cat
	assert_ok
	assert_eq $'one\ntwo' "$OUT" "stdout of cat"
	hull_exec "$ID" sh -c 'echo to-out; echo to-err >&2; exit 3'
	assert_rc 3
	assert_eq to-out "$OUT" "stdout"
	assert_eq to-err "$ERR" "stderr"
	hullg delete --force "$ID"
	assert_ok
}

# Everything after the command is the command's, even what looks like exec's options.
test_exec_args_after_command() {
	mkbundle
	sleeper
	hull_exec --cwd /tmp "$ID" sh -c 'echo "$PWD $*"' sh -e X=1 --cwd /nowhere -t -d
	assert_ok
	assert_eq "/tmp -e X=1 --cwd /nowhere -t -d" "$OUT" "output"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_command_not_found() {
	mkbundle
	sleeper
	hull_exec "$ID" no-such-command
	assert_fails 255 "executable file not found in"
	hull_exec "$ID" /no/such/file
	assert_fails 255 "no such file or directory"
	cstate
	assert_eq running "$STATUS" "the container after failed execs"
	assert_eq "$CPID" "$(container_pids)" "processes of the container after failed execs"
	hullg delete --force "$ID"
	assert_ok
}

# Engines run exec with --log-format json --log F: one JSON line per failure, and stderr.
test_exec_failure_logged_as_json() {
	mkbundle
	sleeper
	hull --log "$T/log.json" --log-format json exec "$ID" no-such-command
	assert_fails 255 "executable file not found in"
	assert_eq 1 "$(wc -l <"$T/log.json")" "lines in the log"
	jq -e '.level == "error" and (.msg | contains("executable file not found in")) and
	       (.time | type) == "string"' "$T/log.json" >/dev/null || fail "log: $(cat "$T/log.json")"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_unknown_container() {
	hull exec "$ID-nosuch" probe
	assert_fails 255 "container does not exist"
}

test_exec_stopped_container() {
	mkbundle
	set_args probe exit 0
	run_container
	wait_status stopped
	hull_exec "$ID" probe
	assert_fails 255 stopped
	hullg delete "$ID"
	assert_ok
}

test_exec_detach_pid_file() {
	mkbundle
	sleeper
	local start end pid
	start=$(date +%s%N)
	hull_exec -d --pid-file "$T/e.pid" "$ID" probe sleep 30
	end=$(date +%s%N)
	assert_ok
	[ $(((end - start) / 1000000)) -lt 5000 ] || fail "exec -d did not return at once"
	pid=$(cat "$T/e.pid")
	register_pid "$pid"
	assert_match "$pid" '^[1-9][0-9]*$' "pid file"
	assert_eq "${#pid}" "$(wc -c <"$T/e.pid")" "pid file size (no newline)"
	kill -0 "$pid" || fail "the exec'd process is not running"
	runs_program "$pid" || fail "pid $pid is not the exec'd probe"
	assert_eq "$(readlink "/proc/$CPID/ns/pid")" "$(readlink "/proc/$pid/ns/pid")" "its pid namespace"
	grep -qaxzF "HULLTEST=$ID" "/proc/$pid/environ" || fail "pid $pid lacks the container's env"
	hullg ps --format json "$ID"
	assert_ok
	jq -e --argjson p "$pid" 'index($p) != null' <<<"$OUT" >/dev/null ||
		fail "ps does not list the exec'd process $pid: $OUT"
	hullg delete --force "$ID"
	assert_ok
	assert_gone "$ID" "$CPID" "$pid"
}

test_exec_detach_stdio_and_status() {
	mkbundle
	sleeper
	RC=0
	"$HULL" "${GOPTS[@]}" exec --detach "$ID" sh -c 'echo detached-out; echo detached-err >&2; exit 5' \
		</dev/null >"$T/d.out" 2>"$T/d.err" || RC=$?
	LAST_CMD="hull exec --detach $ID sh -c ..."
	assert_rc 0
	wait_until 10 file_has "$T/d.out" detached-out
	wait_until 10 file_has "$T/d.err" detached-err
	hullg delete --force "$ID"
	assert_ok
}

test_exec_preserve_fds() {
	mkbundle
	sleeper
	exec 3>"$T/fd3" 4>"$T/fd4"
	hull_exec --preserve-fds 2 "$ID" probe fds
	exec 3>&- 4>&-
	assert_ok
	assert_eq 0,1,2,3,4 "$(probe_field fds)" "fds with --preserve-fds 2"
	assert_eq "$T/fd3" "$(probe_field fd.3)" "fd 3"
	assert_eq "$T/fd4" "$(probe_field fd.4)" "fd 4"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_no_fd_leak() {
	mkbundle
	sleeper
	exec 7>"$T/fd7" 9<"$CFG"
	hull_exec "$ID" probe fds
	exec 7>&- 9<&-
	assert_ok
	assert_eq 0,1,2 "$(probe_field fds)" "fds of exec"
	# Detached too.
	exec 7>"$T/fd7"
	RC=0
	"$HULL" "${GOPTS[@]}" exec -d "$ID" probe fds </dev/null >"$T/d.out" 2>"$T/d.err" || RC=$?
	exec 7>&-
	assert_rc 0
	wait_until 10 file_has "$T/d.out" fds=
	assert_eq 0,1,2 "$(probe_field fds "$T/d.out")" "fds of exec -d"
	hullg delete --force "$ID"
	assert_ok
}

# Signals to a foreground exec reach the process.
test_exec_signal_forwarding() {
	mkbundle
	sleeper
	hull_bg "${GOPTS[@]}" exec "$ID" probe wait-signal
	wait_until 10 file_has "$T/out" ready=1
	kill -USR1 "$HPID"
	hull_wait
	assert_rc 0
	assert_eq 10 "$(probe_field signal)" "signal received"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_concurrent() {
	mkbundle
	sleeper
	local i rc
	for i in $(seq 1 10); do
		(
			rc=0
			timeout -k 1 10 "$HULL" "${GOPTS[@]}" exec "$ID" sh -c "echo run-$i; exit $i" \
				</dev/null >"$T/par.$i.out" 2>"$T/par.$i.err" || rc=$?
			echo "$rc" >"$T/par.$i.rc"
		) &
		register_pid "$!"
	done
	wait
	for i in $(seq 1 10); do
		assert_eq "$i" "$(cat "$T/par.$i.rc")" "exit status of exec $i"
		assert_eq "run-$i" "$(cat "$T/par.$i.out")" "output of exec $i"
	done
	cstate
	assert_eq running "$STATUS" "the container after concurrent execs"
	hullg delete --force "$ID"
	assert_ok
}

# The exec'd process goes away with the container.
test_exec_process_killed_with_container() {
	mkbundle
	sleeper
	hull_exec -d --pid-file "$T/e.pid" "$ID" probe sleep 60
	assert_ok
	local pid
	pid=$(cat "$T/e.pid")
	register_pid "$pid"
	hullg kill "$ID" KILL
	assert_ok
	wait_status stopped
	wait_until 10 gone "$pid"
	hullg delete "$ID"
	assert_ok
	assert_gone "$ID" "$CPID" "$pid"
}
