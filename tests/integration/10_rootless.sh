# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# Rootless: hull run by an unprivileged user (nobody) with the `hull spec --rootless` config.

ROOTLESS_UID=65534

# A bundle with the rootless default config (made by hull spec --rootless as that user),
# running the probe.
mkbundle_rootless() {
	mkbundle
	rm "$CFG"
	mkdir -p "$T/xdg"
	chown "$ROOTLESS_UID" "$T/xdg" "$BUNDLE"
	as_user "$HULL" spec --rootless --bundle "$BUNDLE" || fail "hull spec --rootless failed"
	cfg '.process.terminal = false | .process.args = ["/usr/bin/probe"] |
	     .process.env += ["HULLTEST=" + $id]' --arg id "$ID"
	chmod 644 "$CFG"
}

as_user() {
	setpriv --reuid "$ROOTLESS_UID" --regid "$ROOTLESS_UID" --clear-groups \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin XDG_RUNTIME_DIR="$T/xdg" "$@"
}

# hull_run_rootless [RUN OPTIONS]: like hull_run, as the unprivileged user.
hull_run_rootless() {
	register_id "$ID"
	host_mounts >"$T/mountinfo.before"
	LAST_CMD="(as uid $ROOTLESS_UID) hull run --bundle $BUNDLE $* $ID"
	RC=0
	as_user "$HULL" run --bundle "$BUNDLE" "$@" "$ID" </dev/null >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

test_rootless_run() {
	mkbundle_rootless
	hull_run_rootless
	assert_ok
	assert_eq 1 "$(probe_field pid)" "pid"
	assert_eq 0 "$(probe_field uid)" "uid inside"
	assert_eq "0 $ROOTLESS_UID 1" "$(probe_field uid_map)" "uid_map"
	assert_eq "0 $ROOTLESS_UID 1" "$(probe_field gid_map)" "gid_map"
	# An unprivileged writer of gid_map must deny setgroups first.
	assert_eq deny "$(probe_field setgroups)" "setgroups"
	assert_eq hull "$(probe_field hostname)" "hostname"
	assert_ne "$(readlink /proc/self/ns/user)" "$(probe_field ns.user)" "ns.user"
	[ ! -e "$T/xdg/hull/$ID" ] || fail "state left in \$XDG_RUNTIME_DIR/hull"
	assert_clean
}

test_rootless_files_owned_by_the_user() {
	mkbundle_rootless
	chown_rootfs "$ROOTLESS_UID:$ROOTLESS_UID" # the user's own rootfs, where /shared is created
	mkdir -p "$T/shared"
	chown "$ROOTLESS_UID" "$T/shared"
	add_bind /shared "$T/shared" rbind
	set_args probe write /shared/by-root-inside x
	hull_run_rootless
	assert_ok
	assert_eq "$ROOTLESS_UID" "$(stat -c %u "$T/shared/by-root-inside")" "owner on the host"
}

# The state of an unprivileged user lives under $XDG_RUNTIME_DIR/hull.
test_rootless_state_root() {
	mkbundle_rootless
	set_args probe sleep 30
	hull_run_rootless -d --pid-file "$T/xdg/pid"
	assert_ok
	local pid
	pid=$(cat "$T/xdg/pid")
	register_pid "$pid"
	[ -d "$T/xdg/hull/$ID" ] || fail "no state in \$XDG_RUNTIME_DIR/hull/$ID"
	[ ! -e "$STATE/$ID" ] || fail "an unprivileged run wrote $STATE/$ID"
	kill -KILL "$pid"
	wait_until 10 dead "$pid"
	as_user "$HULL" delete --force "$ID" || fail "hull delete as the user failed"
	[ ! -e "$T/xdg/hull/$ID" ] || fail "hull delete left the state"
}

# The unprivileged user cannot get more than it has: mapping other host ids is refused.
test_rootless_cannot_map_other_ids() {
	mkbundle_rootless
	cfg '.linux.uidMappings = [{containerID: 0, hostID: 0, size: 1}]'
	hull_run_rootless
	assert_error uid
}

# Every run works, not most: the parent's id-map writes must not race the child.
test_rootless_repeated_runs() {
	mkbundle_rootless
	set_args probe exit 0
	local i
	for i in $(seq 25); do
		hull_run_rootless
		[ "$RC" = 0 ] || fail "run $i of 25 failed"
	done
	for i in $(seq 10); do
		hull_run_rootless -d
		[ "$RC" = 0 ] || fail "detached run $i of 10 failed"
		as_user "$HULL" delete --force "$ID" || fail "delete after detached run $i failed"
	done
}
