# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# Queries: state, list, ps, features; pause/resume until cgroups land.

STATE_KEYS='["ociVersion","id","pid","status","bundle","rootfs","created","owner"]'
RFC3339='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'

# assert_state_json JSON STATUS PID: the shape of a state object (key order and types).
assert_state_json() {
	local j=$1
	jq -e . >/dev/null <<<"$j" || fail "state is not JSON: $j"
	assert_eq "$STATE_KEYS" "$(jq -c '[keys_unsorted[] | select(. != "annotations")]' <<<"$j")" \
		"state keys (in order)"
	jq -e '(.ociVersion | type) == "string" and (.ociVersion | test("^[0-9]+\\.[0-9]+\\.[0-9]+")) and
	       (.pid | type) == "number" and (.owner | type) == "string"' <<<"$j" >/dev/null ||
		fail "state field types: $j"
	assert_eq "$ID" "$(jq -r .id <<<"$j")" "state id"
	assert_eq "$2" "$(jq -r .status <<<"$j")" "state status"
	assert_eq "$3" "$(jq -r .pid <<<"$j")" "state pid"
	assert_eq "$BUNDLE" "$(jq -r .bundle <<<"$j")" "state bundle"
	assert_eq "$BUNDLE/rootfs" "$(jq -r .rootfs <<<"$j")" "state rootfs"
	assert_match "$(jq -r .created <<<"$j")" "$RFC3339" "state created"
}

# --------------------------------------------------------------------------------- state --

# created -> running -> stopped, pid 0 when stopped; `created` never changes.
test_state_transitions() {
	mkbundle
	set_args probe wait-signal
	local before after
	before=$(date -u +%s)
	hull_create
	assert_ok
	after=$(date -u +%s)
	hullg state "$ID"
	assert_ok
	assert_state_json "$OUT" created "$CPID"
	local created t
	created=$(jq -r .created <<<"$OUT")
	t=$(date -u -d "$created" +%s) || fail "created: not a date: $created"
	[ "$t" -ge "$before" ] && [ "$t" -le "$after" ] ||
		fail "created $created is not between $before and $after"
	hull_start
	assert_ok
	hullg state "$ID"
	assert_ok
	assert_state_json "$OUT" running "$CPID"
	assert_eq "$created" "$(jq -r .created <<<"$OUT")" "created after start"
	wait_until 10 file_has "$COUT" ready=1
	kill -USR1 "$CPID"
	wait_status stopped
	hullg state "$ID"
	assert_ok
	assert_state_json "$OUT" stopped 0
	assert_eq "$created" "$(jq -r .created <<<"$OUT")" "created when stopped"
	hullg delete "$ID"
	assert_ok
	assert_gone
}

# A container whose process was killed behind the runtime's back is stopped.
test_state_stopped_when_killed_outside() {
	mkbundle
	set_args probe sleep 60
	run_container
	kill -KILL "$CPID"
	wait_status stopped
	assert_eq 0 "$SPID" "pid"
	# A created one too.
	hullg delete "$ID"
	assert_ok
	hull_create
	assert_ok
	kill -KILL "$CPID"
	wait_status stopped
	assert_eq 0 "$SPID" "pid"
	hullg delete "$ID"
	assert_ok
	assert_gone
}

test_state_annotations() {
	mkbundle
	set_args probe sleep 60
	cfg '.annotations = {"com.example.a": "1", "org.example.b": "two words", "c": ""}'
	hull_create
	assert_ok
	hullg state "$ID"
	assert_ok
	assert_state_json "$OUT" created "$CPID"
	assert_eq '{"c":"","com.example.a":"1","org.example.b":"two words"}' \
		"$(jq -cS .annotations <<<"$OUT")" "annotations"
	hullg delete --force "$ID"
	assert_ok
}

# No annotations in the config: no "annotations" key (or an empty map).
test_state_no_annotations() {
	mkbundle
	set_args probe sleep 60
	hull_create
	assert_ok
	hullg state "$ID"
	assert_ok
	jq -e '(.annotations // {}) == {}' <<<"$OUT" >/dev/null || fail "annotations: $OUT"
	hullg delete --force "$ID"
	assert_ok
}

# An absolute root.path is reported as it is.
test_state_rootfs_absolute_path() {
	mkbundle
	mkrootfs_copy "$T/elsewhere"
	cfg '.root.path = $p' --arg p "$T/elsewhere"
	set_args probe sleep 60
	hull_create
	assert_ok
	hullg state "$ID"
	assert_ok
	assert_eq "$T/elsewhere" "$(jq -r .rootfs <<<"$OUT")" "rootfs"
	hullg delete --force "$ID"
	assert_ok
}

test_state_unknown() {
	hull state "$ID-nosuch"
	assert_fails 1 "container does not exist"
	assert_eq "" "$OUT" "stdout of a failed state"
}

test_state_without_id() {
	hull state
	assert_rc 1
	[ -s "$T/err" ] || fail "no message for state without an id"
}

# ---------------------------------------------------------------------------------- list --

# Two containers (one created, one running) in a private state root.
two_containers() {
	mkdir -p "$T/root"
	GOPTS=(--root "$T/root")
	mkbundle
	set_args probe sleep 60
	BASE=$ID
	ID=$BASE-a
	hull_create
	assert_ok
	PID_A=$CPID
	ID=$BASE-b
	run_container
	PID_B=$CPID
	ID=$BASE
}

# Removes them (their processes have HULLTEST=$BASE: the runner would call them leaks).
two_containers_done() {
	local id
	for id in "$BASE-a" "$BASE-b"; do
		hullg delete --force "$id"
		assert_ok
	done
	assert_gone "$BASE-a" "$PID_A"
	assert_gone "$BASE-b" "$PID_B"
}

test_list_quiet() {
	two_containers
	hullg list -q
	assert_ok
	assert_eq "$(printf '%s\n' "$BASE-a" "$BASE-b")" "$(sort <<<"$OUT")" "list -q"
	hullg list --quiet
	assert_ok
	assert_eq "$(printf '%s\n' "$BASE-a" "$BASE-b")" "$(sort <<<"$OUT")" "list --quiet"
	two_containers_done
}

test_list_json() {
	two_containers
	hullg list --format json
	assert_ok
	jq -e 'type == "array" and length == 2' <<<"$OUT" >/dev/null || fail "list json: $OUT"
	local list=$OUT id
	for id in "$BASE-a" "$BASE-b"; do
		ID=$id
		hullg state "$id"
		assert_ok
		assert_eq "$(jq -cS 'del(.owner)' <<<"$OUT")" \
			"$(jq -cS --arg id "$id" '.[] | select(.id == $id) | del(.owner)' <<<"$list")" \
			"list entry of $id (state without owner)"
		jq -e --arg id "$id" '.[] | select(.id == $id) | .owner | type == "string"' \
			<<<"$list" >/dev/null || fail "owner of $id in list json"
	done
	ID=$BASE
	assert_eq created "$(jq -r --arg id "$BASE-a" '.[] | select(.id == $id) | .status' <<<"$list")"
	assert_eq running "$(jq -r --arg id "$BASE-b" '.[] | select(.id == $id) | .status' <<<"$list")"
	assert_eq "$PID_A" "$(jq -r --arg id "$BASE-a" '.[] | select(.id == $id) | .pid' <<<"$list")"
	two_containers_done
}

test_list_table() {
	two_containers
	hullg list
	assert_ok
	local header row
	header=$(head -n1 <<<"$OUT")
	assert_match "$header" '^ID +PID +STATUS +BUNDLE +CREATED +OWNER *$' "list header"
	assert_eq 3 "$(wc -l <<<"$OUT")" "lines of list"
	row=$(awk -v id="$BASE-a" '$1 == id' <<<"$OUT")
	assert_eq "$PID_A created $BUNDLE" "$(awk '{print $2, $3, $4}' <<<"$row")" "row of $BASE-a"
	row=$(awk -v id="$BASE-b" '$1 == id' <<<"$OUT")
	assert_eq "$PID_B running $BUNDLE" "$(awk '{print $2, $3, $4}' <<<"$row")" "row of $BASE-b"
	# --format table is the default.
	local def=$OUT
	hullg list --format table
	assert_ok
	assert_eq "$def" "$OUT" "list --format table"
	two_containers_done
}

test_list_stopped_pid_zero() {
	two_containers
	kill -KILL "$PID_B"
	ID=$BASE-b
	wait_status stopped
	hullg list --format json
	assert_ok
	assert_eq "stopped 0" "$(jq -r --arg id "$BASE-b" '.[] | select(.id == $id) |
		"\(.status) \(.pid)"' <<<"$OUT")" "stopped container in list"
	two_containers_done
}

test_list_empty_root() {
	mkdir "$T/root"
	GOPTS=(--root "$T/root")
	hullg list -q
	assert_ok
	assert_eq "" "$OUT" "list -q"
	hullg list --format json
	assert_ok
	jq -e '(. // []) | length == 0' <<<"$OUT" >/dev/null || fail "list json of nothing: $OUT"
	hullg list
	assert_ok
	assert_eq 1 "$(wc -l <<<"$OUT")" "list of nothing: the header only"
}

# The default root lists what create made there.
test_list_default_root() {
	mkbundle
	set_args probe sleep 60
	hull_create
	assert_ok
	hull list -q
	assert_ok
	grep -qxF "$ID" <<<"$OUT" || fail "list -q lacks $ID"
	hull delete --force "$ID"
	assert_ok
	hull list -q
	assert_ok
	! grep -qxF "$ID" <<<"$OUT" || fail "list -q still has $ID after delete"
}

test_list_bad_format() {
	hull list --format xml
	assert_fails 1 format
}

# ------------------------------------------------------------------------------------ ps --

test_ps_json() {
	mkbundle
	set_sh 'probe sleep 60 & probe sleep 60 & wait'
	run_container
	wait_until 10 ns_count_is "$CPID" 3
	local want
	want=$(ns_pids "$CPID" | tr '\n' ' ')
	hullg ps --format json "$ID"
	assert_ok
	jq -e 'type == "array" and all(type == "number")' <<<"$OUT" >/dev/null ||
		fail "ps json: $OUT"
	assert_eq "$want" "$(jq -r '.[]' <<<"$OUT" | sort -n | tr '\n' ' ')" "pids of ps --format json"
	jq -e --argjson p "$CPID" 'index($p) != null' <<<"$OUT" >/dev/null ||
		fail "ps lacks the container's process $CPID"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

test_ps_created() {
	mkbundle
	set_args probe sleep 60
	hull_create
	assert_ok
	hullg ps --format json "$ID"
	assert_ok
	assert_eq "[$CPID]" "$(jq -c . <<<"$OUT")" "ps of a created container"
	hullg delete --force "$ID"
	assert_ok
}

test_ps_table() {
	mkbundle
	set_sh 'probe sleep 60 & probe sleep 60 & wait'
	run_container
	wait_until 10 ns_count_is "$CPID" 3
	local want col
	want=$(ns_pids "$CPID" | tr '\n' ' ')
	hullg ps "$ID"
	assert_ok
	col=$(head -n1 <<<"$OUT" | awk '{for (i = 1; i <= NF; i++) if ($i == "PID") print i}')
	[ -n "$col" ] || fail "ps: no PID column in '$(head -n1 <<<"$OUT")'"
	assert_eq "$want" "$(tail -n +2 <<<"$OUT" | awk -v c="$col" '{print $c}' | sort -n |
		tr '\n' ' ')" "pids in the ps table"
	hullg delete --force "$ID"
	assert_ok
}

test_ps_unknown() {
	hull ps "$ID-nosuch"
	assert_fails 1 "container does not exist"
	hull ps --format json "$ID-nosuch"
	assert_fails 1 "container does not exist"
}

# ------------------------------------------------------------------------------ features --

test_features() {
	hull features
	assert_ok
	local f=$OUT
	jq -e . >/dev/null <<<"$f" || fail "features: not JSON: $f"
	jq -e '(.ociVersionMin | type) == "string" and (.ociVersionMax | type) == "string"' \
		<<<"$f" >/dev/null || fail "features: ociVersionMin/Max: $f"
	local min max
	min=$(jq -r .ociVersionMin <<<"$f")
	max=$(jq -r .ociVersionMax <<<"$f")
	assert_eq "$min" "$(printf '%s\n%s\n' "$min" "$max" | sort -V | head -n1)" "ociVersionMin <= Max"
	assert_eq '["createContainer","createRuntime","poststart","poststop","prestart","startContainer"]' \
		"$(jq -c '.hooks | sort' <<<"$f")" "hooks"
	local o
	for o in bind rbind ro rw nosuid nodev noexec relatime strictatime private rprivate \
		shared rshared slave rslave unbindable rro; do
		jq -e --arg o "$o" '.mountOptions | index($o) != null' <<<"$f" >/dev/null ||
			fail "features: mountOptions lack $o"
	done
	local ns
	for ns in cgroup ipc mount network pid user uts; do
		jq -e --arg n "$ns" '.linux.namespaces | index($n) != null' <<<"$f" >/dev/null ||
			fail "features: linux.namespaces lack $ns"
	done
	# hull has time namespaces (runc 1.1 has not).
	is_runc || jq -e '.linux.namespaces | index("time") != null' <<<"$f" >/dev/null ||
		fail "features: linux.namespaces lack time"
	local c
	for c in $(host_caps); do
		jq -e --arg c "$c" '.linux.capabilities | index($c) != null' <<<"$f" >/dev/null ||
			fail "features: linux.capabilities lack $c"
	done
}

# A runtime must accept its own ociVersionMin and ociVersionMax in config.json.
test_features_versions_accepted() {
	hull features
	assert_ok
	local v min max
	min=$(jq -r .ociVersionMin <<<"$OUT")
	max=$(jq -r .ociVersionMax <<<"$OUT")
	mkbundle
	set_args probe exit 0
	for v in "$min" "$max"; do
		cfg '.ociVersion = $v' --arg v "$v"
		hull_run
		assert_ok
		assert_clean
	done
}

# ------------------------------------------------------------------------- pause / resume --

# Until hull has cgroups, pause and resume fail cleanly and leave the container running. Where
# they work (runc, or hull later) the container is paused and resumed.
test_pause_resume() {
	mkbundle
	set_args probe sleep 60
	run_container
	hullg pause "$ID"
	if [ "$RC" = 0 ]; then
		cstate
		assert_eq paused "$STATUS" "status after pause"
		hullg resume "$ID"
		assert_ok
		cstate
		assert_eq running "$STATUS" "status after resume"
	else
		assert_fails 1
		cstate
		assert_eq running "$STATUS" "status after a failed pause"
		kill -0 "$CPID" || fail "the container died"
		hullg resume "$ID"
		assert_fails 1
		cstate
		assert_eq running "$STATUS" "status after a failed resume"
	fi
	hullg pause "$ID-nosuch"
	assert_rc 1
	hullg resume "$ID-nosuch"
	assert_rc 1
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}
