# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# OCI hooks: when each kind runs, in which namespaces, with what state on stdin, args, env and
# timeout; what a failing hook does. The hooks are the probe's `hook` mode (add_hook): each
# writes a record $T/hooks/NAME.rec and appends NAME to $T/hooks/seq.

host_root() { stat -c '%Hd:%Ld:%i' /; }

# The state a hook got on stdin, as one line of JSON.
hook_state() { hook_field "$1" stdin | sed 's/\\n$//'; }

# A hook record exists (for wait_until).
hook_ran() { [ -f "$T/hooks/$1.rec" ]; }

# assert_hook_state NAME STATUS PID: the state on hook NAME's stdin.
assert_hook_state() {
	local s
	s=$(hook_state "$1")
	jq -e . >/dev/null <<<"$s" || fail "hook $1: state on stdin is not JSON: $s"
	jq -e '(.ociVersion | type) == "string"' <<<"$s" >/dev/null || fail "hook $1: ociVersion: $s"
	assert_eq "$ID" "$(jq -r .id <<<"$s")" "hook $1: id"
	assert_eq "$BUNDLE" "$(jq -r .bundle <<<"$s")" "hook $1: bundle"
	[[ " $2 " == *" $(jq -r .status <<<"$s") "* ]] || fail "hook $1: status is not $2: $s"
	[ -z "$3" ] || assert_eq "$3" "$(jq -r .pid <<<"$s")" "hook $1: pid"
}

# The hook ran in the runtime's namespaces.
assert_hook_in_runtime_ns() { # NAME
	local ns
	for ns in mnt pid net uts ipc; do
		assert_eq "$(readlink "/proc/self/ns/$ns")" "$(hook_field "$1" "ns.$ns")" "hook $1: ns.$ns"
	done
}

# The hook ran in the container's namespaces (those of CPID).
assert_hook_in_container_ns() { # NAME
	local ns
	for ns in mnt pid net uts ipc; do
		assert_eq "$(readlink "/proc/$CPID/ns/$ns")" "$(hook_field "$1" "ns.$ns")" "hook $1: ns.$ns"
	done
}

# ------------------------------------------------------------------------------ ordering --

# Kinds in lifecycle order, hooks of a kind in array order.
test_hooks_order() {
	mkbundle
	local k
	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		add_hook "$k" "$k-1"
		add_hook "$k" "$k-2"
	done
	set_sh 'cat /hooks/seq >/hooks/seen-by-program; exec probe sleep 60'
	hull_create
	assert_ok
	assert_eq "prestart-1 prestart-2 createRuntime-1 createRuntime-2 createContainer-1 createContainer-2" \
		"$(hook_seq)" "hooks run by create"
	hull_start
	assert_ok
	# poststart hooks have run when start returns.
	local created="prestart-1 prestart-2 createRuntime-1 createRuntime-2 createContainer-1 createContainer-2"
	assert_eq "$created startContainer-1 startContainer-2 poststart-1 poststart-2" "$(hook_seq)" \
		"hooks run by create and start"
	# startContainer hooks ran before the program.
	wait_until 10 test -s "$T/hooks/seen-by-program"
	assert_eq "$created startContainer-1 startContainer-2" \
		"$(head -n 8 "$T/hooks/seen-by-program" | tr '\n' ' ' | sed 's/ $//')" \
		"hooks run before the program"
	hullg delete --force "$ID"
	assert_ok
	assert_eq "$created startContainer-1 startContainer-2 poststart-1 poststart-2 poststop-1 poststop-2" \
		"$(hook_seq)" "all hooks"
	assert_gone
}

# `run` runs every kind too, poststop once the container is gone.
test_hooks_run() {
	mkbundle
	local k
	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		add_hook "$k" "$k"
	done
	set_args probe exit 0
	hull_run
	assert_ok
	assert_eq "prestart createRuntime createContainer startContainer poststart poststop" \
		"$(hook_seq)" "hooks of run"
	assert_hook_state poststop stopped ""
	assert_clean
}

# ------------------------------------------------------------------- each kind: where, what --

# prestart and createRuntime: runtime namespace, after the namespaces exist, before pivot_root;
# status "creating" and the container process's host pid.
test_hook_prestart_and_create_runtime() {
	mkbundle
	cfg '.annotations = {"com.example.k": "v"}'
	add_hook prestart pre
	add_hook createRuntime cr
	set_args probe sleep 60
	hull_create
	assert_ok
	local h
	for h in pre cr; do
		assert_hook_state "$h" creating "$CPID"
		assert_eq '{"com.example.k":"v"}' "$(hook_state "$h" | jq -c .annotations)" "hook $h: annotations"
		assert_hook_in_runtime_ns "$h"
		assert_eq 1 "$(hook_field "$h" target.alive)" "hook $h: the container process is alive"
		# Its namespaces exist: they are the container's, not the host's.
		assert_eq "$(readlink "/proc/$CPID/ns/mnt")" "$(hook_field "$h" target.ns.mnt)" \
			"hook $h: the process's mount namespace"
		assert_ne "$(readlink /proc/self/ns/mnt)" "$(readlink "/proc/$CPID/ns/mnt")" \
			"hook $h: the process's mount namespace (host's)"
		assert_eq "$(readlink "/proc/$CPID/ns/pid")" "$(hook_field "$h" target.ns.pid)" \
			"hook $h: the process's pid namespace"
		# Not pivoted yet: the process's root is still the host's.
		assert_eq "$(host_root)" "$(hook_field "$h" target.rootstat)" "hook $h: the process's root"
	done
	# (Its root is the rootfs now.)
	assert_eq "$(stat -c '%Hd:%Ld:%i' "$BUNDLE/rootfs")" "$(stat -Lc '%Hd:%Ld:%i' "/proc/$CPID/root/")" \
		"the process's root after create"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# createContainer: the container's namespaces, before pivot_root (path in the runtime's
# namespace: the host's probe).
test_hook_create_container() {
	mkbundle
	add_hook createContainer cc
	set_args probe sleep 60
	hull_create
	assert_ok
	assert_hook_state cc creating ""
	assert_hook_in_container_ns cc
	assert_ne "$(readlink /proc/self/ns/mnt)" "$(readlink "/proc/$CPID/ns/mnt")" "hook cc: ns.mnt (host's)"
	assert_eq "$(host_root)" "$(hook_field cc root)" "hook cc: its root (before pivot_root)"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# startContainer: in the container after start, before the program; its path is the
# container's (/usr/bin/probe is not on the host).
test_hook_start_container() {
	mkbundle
	[ ! -e /usr/bin/probe ] || fail "/usr/bin/probe exists on the host: the test proves nothing"
	add_hook startContainer sc
	set_args probe sleep 60
	hull_create
	assert_ok
	! hook_ran sc || fail "startContainer hook ran at create"
	hull_start
	assert_ok
	wait_until 10 hook_ran sc
	assert_hook_state sc "created running" ""
	assert_hook_in_container_ns sc
	assert_eq "$(stat -c '%Hd:%Ld:%i' "$BUNDLE/rootfs")" "$(hook_field sc root)" "hook sc: its root"
	assert_eq hull "$(hook_field sc hostname)" "hook sc: hostname"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# poststart: runtime namespace, after the program started, before start returns.
test_hook_poststart() {
	mkbundle
	add_hook poststart ps
	set_args probe sleep 60
	hull_create
	assert_ok
	! hook_ran ps || fail "poststart hook ran at create"
	hull_start
	assert_ok
	hook_ran ps || fail "poststart hook had not run when start returned"
	assert_hook_state ps "created running" "$CPID"
	assert_hook_in_runtime_ns ps
	assert_match "$(hook_field ps target.exe)" '/usr/bin/probe$' "hook ps: the process runs the program"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# poststop: runtime namespace, after delete (before delete returns), status stopped.
test_hook_poststop() {
	mkbundle
	add_hook poststop po
	set_args probe exit 0
	run_container
	wait_status stopped
	! hook_ran po || fail "poststop hook ran before delete"
	hullg delete "$ID"
	assert_ok
	hook_ran po || fail "poststop hook had not run when delete returned"
	assert_hook_state po stopped ""
	assert_hook_in_runtime_ns po
	assert_gone
}

# Each hook gets exactly its args (argv[0] included) and its env: nothing of hull's or of the
# container's.
test_hook_args_and_env() {
	mkbundle
	local k name
	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		add_hook "$k" "$k" "A=1" "B=two words" "EMPTY="
		cfg '.hooks[$k][0].args += ["x", "y z", ""]' --arg k "$k"
	done
	set_args probe sleep 60
	run_container
	hullg delete --force "$ID"
	assert_ok
	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		wait_until 5 hook_ran "$k"
		local dir=$T/hooks
		[ "$k" != startContainer ] || dir=/hooks
		assert_eq "0=$k|1=hook|2=$dir/$k.rec|3=x|4=y z|5=" \
			"$(sed -n 's/^argv\.//p' "$T/hooks/$k.rec" | tr '\n' '|' | sed 's/|$//')" "hook $k: argv"
		assert_eq "A=1|B=two words|EMPTY=|PROBE_HOOK_SEQ=$dir/seq" \
			"$(sed -n 's/^env\.//p' "$T/hooks/$k.rec" | sort | tr '\n' '|' | sed 's/|$//')" \
			"hook $k: environment"
	done
	assert_gone
}

# ------------------------------------------------------------------------------- failures --

# A failing hook of KIND (at create) fails create and leaves nothing: no state, no process,
# no mount, no pid file; the hooks after it do not run, poststop hooks do (the lifecycle goes
# on with destroy, then poststop).
create_hook_fails() { # KIND NEXT_KIND
	mkbundle_id
	# The container process's host pid: the failing hook's state has it, except in the
	# container's namespaces (createContainer), where a createRuntime hook records it.
	[ "$1" != createContainer ] || add_hook createRuntime witness
	add_hook "$1" failing PROBE_HOOK_EXIT=3
	add_hook "$1" after-failing
	[ -z "$2" ] || add_hook "$2" later
	add_hook poststop po
	set_args probe sleep 60
	hull_create
	assert_fails 1
	[ ! -e "$T/$ID.pid" ] || fail "a failed create wrote the pid file"
	local tpid
	if [ "$1" = createContainer ]; then
		tpid=$(hook_field witness target.pid)
	else
		tpid=$(hook_field failing target.pid)
	fi
	assert_gone "$ID" "$tpid"
	assert_eq "" "$(uts_pids "$ID")" "processes after a failed create"
	! hook_ran after-failing || fail "the hook after the failing one ran"
	[ -z "$2" ] || ! hook_ran later || fail "a $2 hook ran after a failed $1 hook"
	hook_ran po || fail "poststop hooks did not run after the failed create"
	cstate
	assert_fails 1 "container does not exist"
}

test_hook_prestart_fails() { create_hook_fails prestart createRuntime; }
test_hook_create_runtime_fails() { create_hook_fails createRuntime createContainer; }
test_hook_create_container_fails() { create_hook_fails createContainer ""; }

# A failing startContainer hook fails start; the program never runs; delete --force cleans up.
test_hook_start_container_fails() {
	mkbundle
	add_hook startContainer failing PROBE_HOOK_EXIT=3
	add_hook startContainer after-failing
	add_hook poststart ps
	set_sh 'echo started; exec probe sleep 60'
	hull_create
	assert_ok
	hull_start
	assert_fails 1
	hook_ran failing || fail "the startContainer hook did not run"
	! hook_ran after-failing || fail "the hook after the failing one ran"
	! hook_ran ps || fail "poststart hooks ran after a failed start"
	wait_status stopped
	assert_eq "" "$(cat "$COUT")" "output of the program"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# A failing poststart hook fails start and stops the container.
test_hook_poststart_fails() {
	mkbundle
	add_hook poststart failing PROBE_HOOK_EXIT=3
	set_args probe sleep 60
	hull_create
	assert_ok
	hull_start
	assert_fails 1
	wait_status stopped
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# A failing poststop hook is a warning: delete succeeds, the other poststop hooks run.
test_hook_poststop_fails_warns() {
	mkbundle
	add_hook poststop failing PROBE_HOOK_EXIT=3
	add_hook poststop after-failing
	set_args probe sleep 60
	run_container
	hullg delete --force "$ID"
	assert_rc 0
	hook_ran failing || fail "the poststop hook did not run"
	hook_ran after-failing || fail "the poststop hook after the failing one did not run"
	assert_gone
}

test_hook_timeout() {
	mkbundle_id
	add_hook createRuntime slow PROBE_HOOK_SLEEP=30
	cfg '.hooks.createRuntime[0].timeout = 1'
	set_args probe sleep 60
	local start end
	start=$(date +%s%N)
	hull_create
	end=$(date +%s%N)
	assert_fails 1 timeout
	[ $(((end - start) / 1000000)) -lt 5000 ] || fail "create took $(((end - start) / 1000000)) ms"
	local hpid tpid
	hpid=$(hook_field slow pid)
	tpid=$(hook_field slow target.pid)
	register_pid "$hpid"
	gone "$hpid" || fail "the timed-out hook (pid $hpid) is still running"
	gone "$tpid" || fail "the container process $tpid is alive"
	assert_gone
	assert_eq "" "$(uts_pids "$ID")" "processes after a failed create"
}

test_hook_missing_binary() {
	mkbundle_id
	cfg '.hooks.createRuntime = [{path: "/nonexistent/hook", args: ["hook"]}]'
	set_args probe sleep 60
	hull_create
	assert_fails 1 /nonexistent/hook
	assert_gone
	assert_eq "" "$(uts_pids "$ID")" "processes after a failed create"
}

# hull create SIGKILLed while a createRuntime hook runs: delete --force removes everything.
test_create_killed_during_hook() {
	mkbundle_id
	add_hook createRuntime slow PROBE_HOOK_SLEEP=30
	set_args probe sleep 60
	register_id "$ID"
	host_mounts >"$T/mountinfo.create"
	hull_bg create --bundle "$BUNDLE" --pid-file "$T/c.pid" "$ID"
	wait_until 10 hook_ran slow
	local hookpid tpid
	hookpid=$(hook_field slow pid)
	tpid=$(hook_field slow target.pid)
	register_pid "$hookpid"
	register_pid "$tpid"
	# Meanwhile the container is "creating" (or not there yet, as runc says).
	local hpid=$HPID
	hull state "$ID"
	if [ "$RC" = 0 ]; then
		jq -e --arg id "$ID" --arg b "$BUNDLE" '.id == $id and .status == "creating" and
			.bundle == $b' <<<"$OUT" >/dev/null || fail "state while creating: $OUT"
	else
		assert_fails 1 "container does not exist"
	fi
	HPID=$hpid
	kill -KILL "$HPID"
	hull_wait
	assert_rc 137
	kill -KILL "$hookpid" # the hook is an orphan now: not the runtime's to know
	hull delete --force "$ID"
	assert_ok
	assert_gone "$ID" "$tpid"
	assert_eq "" "$(uts_pids "$ID")" "processes after delete --force"
	hull state "$ID"
	assert_fails 1 "container does not exist"
}
