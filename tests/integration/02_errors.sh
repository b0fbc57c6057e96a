# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# Bad inputs: each gives one clear message on stderr, exit status 1, and leaves nothing (no
# state directory, no host mount, no process). assert_error checks all three.

# line_of PATTERN: the line number of the first line of $CFG containing PATTERN.
line_of() { grep -nF -m1 -- "$1" "$CFG" | cut -d: -f1; }

# The first stderr line names config.json, LINE, a column, then the JSON path and message.
assert_config_error() { # LINE JSONPATH MESSAGE
	local first
	first=$(head -n1 "$T/err")
	assert_match "$first" "config\.json:$1:[0-9]+: $(printf '%s' "$2" | sed 's/[].[]/\\&/g'): " \
		"config error"
	assert_contains "$first" "$3" "config error"
	assert_error
}

test_missing_bundle() {
	register_id "$ID"
	hull run --bundle "$T/no-such-bundle" "$ID"
	assert_error "$T/no-such-bundle"
}

test_missing_config() {
	mkbundle
	rm "$CFG"
	hull_run
	assert_error config.json
}

test_config_not_a_file() {
	mkbundle
	rm "$CFG"
	mkdir "$CFG"
	hull_run
	assert_error config.json
}

test_malformed_json() {
	mkbundle
	# A missing comma after line 3's value.
	{
		echo '{'
		echo '  "ociVersion": "1.0.2",'
		echo '  "hostname": "x"'
		echo '  "root": {"path": "rootfs"}'
		echo '}'
	} >"$CFG"
	hull_run
	assert_rc 1
	assert_match "$(head -n1 "$T/err")" 'config\.json:4:[0-9]+: ' "syntax error position"
	assert_error
}

test_truncated_json() {
	mkbundle
	config_template >"$T/full.json"
	head -n 20 "$T/full.json" >"$CFG" # not piped: head quitting early would be a SIGPIPE under pipefail
	hull_run
	assert_rc 1
	assert_match "$(head -n1 "$T/err")" 'config\.json:2[01]:[0-9]+: ' "position at the end"
	assert_error
}

test_empty_config() {
	mkbundle
	: >"$CFG"
	hull_run
	assert_error config.json
}

test_wrong_type_args() {
	mkbundle
	cfg '.process.args = "probe"'
	hull_run
	assert_config_error "$(line_of '"args"')" process.args "expected array of strings"
}

test_wrong_type_args_element() {
	mkbundle
	cfg '.process.args = ["probe", 5]'
	hull_run
	assert_rc 1
	assert_contains "$(head -n1 "$T/err")" "process.args" "error"
	assert_error
}

test_wrong_type_hostname() {
	mkbundle
	cfg '.hostname = 5'
	hull_run
	assert_config_error "$(line_of '"hostname"')" hostname "string"
}

test_wrong_type_uid() {
	mkbundle
	cfg '.process.user.uid = "root"'
	hull_run
	assert_config_error "$(line_of '"uid"')" process.user.uid ""
}

test_wrong_type_readonly() {
	mkbundle
	cfg '.root.readonly = "yes"'
	hull_run
	assert_config_error "$(line_of '"readonly"')" root.readonly ""
}

test_missing_process() {
	mkbundle
	cfg 'del(.process)'
	hull_run
	assert_error process
}

test_empty_args() {
	mkbundle
	cfg '.process.args = []'
	hull_run
	assert_error process.args
}

test_relative_cwd() {
	mkbundle
	cfg '.process.cwd = "tmp"'
	hull_run
	assert_error process.cwd
}

test_unknown_namespace_type() {
	mkbundle
	cfg '.linux.namespaces += [{"type": "bogus"}]'
	hull_run
	assert_config_error "$(line_of '"bogus"')" 'linux.namespaces[6].type' bogus
}

test_duplicate_namespace() {
	mkbundle
	cfg '.linux.namespaces += [{"type": "pid"}]'
	hull_run
	assert_error linux.namespaces pid
}

test_unknown_fields_ignored() {
	mkbundle
	cfg '.someFutureField = {"x": 1} | .process.whatever = true | .linux.newThing = [1]'
	set_args probe exit 0
	hull_run
	assert_ok
	assert_clean
}

test_missing_rootfs() {
	mkbundle
	cfg '.root.path = "no-such-rootfs"'
	hull_run
	assert_error no-such-rootfs
}

test_rootfs_is_a_file() {
	mkbundle
	echo x >"$BUNDLE/afile"
	cfg '.root.path = "afile"'
	hull_run
	assert_error afile
}

test_id_in_use() {
	mkbundle
	set_args probe sleep 30
	hull_run -d --pid-file "$T/pid"
	assert_ok
	local pid
	pid=$(cat "$T/pid")
	register_pid "$pid"
	# A second container with the same id is refused, and the first one is untouched.
	set_args probe exit 0
	hull_run
	assert_rc 1
	assert_match "$(head -n1 "$T/err")" "^hull: .*$ID" "error for an id in use"
	assert_contains "$ERR" "exists" "error for an id in use"
	kill -0 "$pid" || fail "the first container died"
	[ -d "$STATE/$ID" ] || fail "the first container's state was removed"
	hull delete --force "$ID"
	assert_ok
	assert_clean
}

test_invalid_ids() {
	mkbundle
	set_args probe exit 0
	local id p
	for id in ../x x/../.. a/b . .. '' 'a b' "$(printf 'a\nb')" -x; do
		hull run --bundle "$BUNDLE" -- "$id"
		assert_rc 1
		assert_match "$(head -n1 "$T/err")" "^hull: " "error for id '$id'"
		for p in "$(dirname "$STATE")/x" "$STATE/x" "$STATE/a" "$STATE/a b" "$STATE/-x" \
			"$STATE/$(printf 'a\nb')"; do
			[ ! -e "$p" ] || fail "id '$id' created $p"
		done
		[ -z "$(mount_diff "$T/mountinfo.before")" ] || fail "mounts left for id '$id'"
	done
}

test_missing_id() {
	mkbundle
	hull run --bundle "$BUNDLE"
	assert_rc 1
	assert_match "$(head -n1 "$T/err")" "^hull: .*id" "error"
}

test_unknown_option() {
	mkbundle
	register_id "$ID"
	hull run --bundle "$BUNDLE" --frobnicate "$ID"
	assert_error frobnicate
}

test_exec_not_found() {
	mkbundle
	set_args /no/such/program
	hull_run
	assert_error /no/such/program
}

test_exec_not_found_in_path() {
	mkbundle
	set_args no-such-program-anywhere
	hull_run
	assert_error no-such-program-anywhere
}

test_exec_not_executable() {
	mkbundle
	set_args /etc/passwd
	hull_run
	assert_error /etc/passwd
}

test_cwd_is_a_file() {
	mkbundle
	cfg '.process.cwd = "/etc/passwd"'
	hull_run
	assert_error /etc/passwd
}

test_bad_mount_source() {
	mkbundle
	add_bind /data "$T/no-such-source"
	hull_run
	assert_error "$T/no-such-source"
}

test_bad_mount_type() {
	mkbundle
	add_mount /data nosuchfs none
	hull_run
	assert_error /data
}

# An error late in the container's setup (after namespaces, mounts and /dev) still leaves
# nothing behind.
test_late_failure_leaves_nothing() {
	mkbundle
	mkdir -p "$T/src"
	add_bind /data "$T/src"
	add_mount /mnt/t tmpfs tmpfs size=1m
	set_args /no/such/program
	hull_run
	assert_error /no/such/program
	[ -z "$(ls -A "$T/src")" ] || fail "the bind source was modified"
}
