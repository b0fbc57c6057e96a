# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# The command line: --version, --help, `hull spec`.

test_version() {
	hull --version
	assert_ok
	assert_line_match "$OUT" '^hull version [0-9]+\.[0-9]+\.[0-9]+' "--version"
	assert_line_match "$OUT" '^commit: [0-9a-f]{7,}' "--version"
	assert_contains "$OUT" "spec: 1.3.0" "--version"
	assert_line_match "$OUT" '^features:' "--version"
	# The short form says the same.
	local long=$OUT
	hull -v
	assert_ok
	assert_eq "$long" "$OUT" "hull -v"
}

test_help() {
	hull --help
	assert_ok
	local c
	for c in run spec delete; do assert_contains "$OUT" "$c" "hull --help"; done
	hull run --help
	assert_ok
	for c in --bundle --pid-file --no-pivot --keep --detach; do
		assert_contains "$OUT" "$c" "hull run --help"
	done
	hull spec --help
	assert_ok
	for c in --bundle --rootless; do assert_contains "$OUT" "$c" "hull spec --help"; done
	hull delete --help
	assert_ok
	assert_contains "$OUT" "--force" "hull delete --help"
}

test_unknown_command() {
	hull frobnicate
	assert_rc 1
	assert_match "$(head -n1 "$T/err")" "^hull: .*frobnicate"
}

test_spec_default() {
	mkdir -p "$T/s"
	hull spec --bundle "$T/s"
	assert_ok
	local c="$T/s/config.json" ns
	jq -e . "$c" >/dev/null || fail "hull spec wrote invalid JSON"
	assert_eq '["sh"]' "$(jq -c .process.args "$c")" "process.args"
	assert_eq true "$(jq -c .process.terminal "$c")" "process.terminal"
	assert_eq '"hull"' "$(jq -c .hostname "$c")" "hostname"
	assert_eq '{"path":"rootfs","readonly":true}' "$(jq -c .root "$c")" "root"
	assert_eq '{"uid":0,"gid":0}' "$(jq -c '.process.user' "$c")" "process.user"
	assert_eq '"/"' "$(jq -c .process.cwd "$c")" "process.cwd"
	ns=$(jq -c '[.linux.namespaces[].type] | sort' "$c")
	assert_eq '["cgroup","ipc","mount","network","pid","uts"]' "$ns" "namespaces"
	assert_eq 0 "$(jq '[.linux.namespaces[] | select(.path)] | length' "$c")" "namespace paths"
	for set in bounding effective permitted; do
		assert_eq '["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]' \
			"$(jq -c ".process.capabilities.$set | sort" "$c")" "capabilities.$set"
	done
	assert_eq '[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}]' \
		"$(jq -c '[.process.rlimits[] | {type, hard, soft}]' "$c")" "rlimits"
	assert_eq true "$(jq .process.noNewPrivileges "$c")" "noNewPrivileges"
	assert_eq '["/dev","/dev/mqueue","/dev/pts","/dev/shm","/proc","/sys","/sys/fs/cgroup"]' \
		"$(jq -c '[.mounts[].destination] | sort' "$c")" "mount destinations"
	local p
	for p in /proc/kcore /proc/keys /proc/timer_list /sys/firmware /proc/acpi /proc/scsi; do
		jq -e --arg p "$p" '.linux.maskedPaths | index($p)' "$c" >/dev/null ||
			fail "maskedPaths lacks $p"
	done
	for p in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do
		jq -e --arg p "$p" '.linux.readonlyPaths | index($p)' "$c" >/dev/null ||
			fail "readonlyPaths lacks $p"
	done
}

test_spec_refuses_overwrite() {
	mkdir -p "$T/s"
	echo '{"mine": true}' >"$T/s/config.json"
	hull spec --bundle "$T/s"
	assert_rc 1
	assert_match "$(head -n1 "$T/err")" "^hull: .*config.json"
	assert_eq '{"mine": true}' "$(cat "$T/s/config.json")" "existing config.json"
}

test_spec_in_cwd() {
	mkdir -p "$T/s"
	(cd "$T/s" && "$HULL" spec) || fail "hull spec in the current directory failed"
	jq -e '.process.args == ["sh"]' "$T/s/config.json" >/dev/null || fail "no default config"
}

test_spec_rootless() {
	mkdir -p "$T/s"
	hull spec --rootless --bundle "$T/s"
	assert_ok
	local c="$T/s/config.json"
	jq -e '[.linux.namespaces[].type] | index("user")' "$c" >/dev/null ||
		fail "rootless spec has no user namespace"
	assert_eq '[{"containerID":0,"hostID":0,"size":1}]' \
		"$(jq -c '[.linux.uidMappings[] | {containerID, hostID, size}]' "$c")" "uidMappings"
	assert_eq '[{"containerID":0,"hostID":0,"size":1}]' \
		"$(jq -c '[.linux.gidMappings[] | {containerID, hostID, size}]' "$c")" "gidMappings"
}

# The default spec runs as is on this host once it has no terminal and runs the probe.
test_spec_output_runs() {
	mkbundle
	rm "$CFG"
	hull spec --bundle "$BUNDLE"
	assert_ok
	cfg '.process.terminal = false | .process.args = ["/usr/bin/probe"] |
	     .process.env += ["HULLTEST=" + $id]' --arg id "$ID"
	hull_run
	assert_ok
	assert_eq 1 "$(probe_field pid)" "pid"
	assert_eq hull "$(probe_field hostname)" "hostname"
	assert_eq 1 "$(probe_field root_readonly)" "root_readonly"
	assert_eq 1024:1024 "$(probe_field rlimit.nofile)" "rlimit.nofile"
	assert_clean
}
