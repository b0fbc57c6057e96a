# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# The process: args, env, cwd, user, umask, rlimits, oom_score_adj, noNewPrivileges,
# capabilities, LSM labels, scheduler, ioPriority, personality.

test_args_preserved() {
	mkbundle
	set_args probe write /tmp/x "two  spaces, a 'quote' and \"dq\" \$HOME"
	cfg '.root.readonly = false'
	hull_run
	assert_ok
	assert_eq "two  spaces, a 'quote' and \"dq\" \$HOME" "$(cat "$BUNDLE/rootfs/tmp/x")" "argument"
}

test_args_path_search() {
	mkbundle
	set_args probe exit 12
	hull_run
	assert_rc 12
}

test_args_path_from_container_env() {
	mkbundle
	mkdir -p "$BUNDLE/rootfs/opt/bin"
	cp "$PROBE" "$BUNDLE/rootfs/opt/bin/only-here"
	cfg '.process.env = ["PATH=/opt/bin", "HULLTEST=" + $id]' --arg id "$ID"
	set_args only-here exit 13
	hull_run
	assert_rc 13
}

test_env_exact() {
	mkbundle
	cfg '.process.env = ["PATH=/bin:/usr/bin", "FOO=bar baz", "EMPTY=", "WITH_EQ=a=b",
	     "HULLTEST=" + $id]' --arg id "$ID"
	set_args /usr/bin/probe env
	HULL_LEAK_CHECK=from-the-host hull_run
	assert_ok
	assert_eq "bar baz" "$(probe_field env.FOO)" "FOO"
	assert_eq "" "$(probe_field env.EMPTY)" "EMPTY"
	assert_eq "a=b" "$(probe_field env.WITH_EQ)" "WITH_EQ"
	assert_eq /bin:/usr/bin "$(probe_field env.PATH)" "PATH"
	assert_not_contains "$OUT" HULL_LEAK_CHECK "the container's environment"
	# Nothing but the configured variables (HOME may be added, as runc does).
	local k
	for k in $(sed -n 's/^env\.\([^=]*\)=.*/\1/p' "$T/out"); do
		case $k in PATH | FOO | EMPTY | WITH_EQ | HULLTEST | HOME) ;;
		*) fail "unexpected variable $k in the environment" ;;
		esac
	done
}

test_cwd() {
	mkbundle
	cfg '.process.cwd = "/tmp"'
	hull_run
	assert_ok
	assert_eq /tmp "$(probe_field cwd)" "cwd"
}

test_user_uid_gid() {
	mkbundle
	cfg '.process.user = {uid: 1000, gid: 1001}'
	hull_run
	assert_ok
	local k
	for k in uid euid suid fsuid; do assert_eq 1000 "$(probe_field "$k")" "$k"; done
	for k in gid egid sgid fsgid; do assert_eq 1001 "$(probe_field "$k")" "$k"; done
	assert_eq "" "$(probe_field groups)" "supplementary groups"
}

test_additional_gids() {
	mkbundle
	cfg '.process.user = {uid: 1000, gid: 1001, additionalGids: [1234, 5, 6]}'
	hull_run
	assert_ok
	assert_eq 5,6,1234 "$(probe_field groups)" "supplementary groups"
	assert_eq 1001 "$(probe_field gid)" "gid"
}

test_additional_gids_root() {
	mkbundle
	cfg '.process.user = {uid: 0, gid: 0, additionalGids: [10, 20]}'
	hull_run
	assert_ok
	assert_eq 10,20 "$(probe_field groups)" "supplementary groups"
}

# Root's supplementary groups are not inherited from hull's caller.
test_no_inherited_groups() {
	mkbundle
	RC=0
	register_id "$ID"
	setpriv --groups 4,24,27 -- "$HULL" run --bundle "$BUNDLE" "$ID" </dev/null >"$T/out" \
		2>"$T/err" || RC=$?
	assert_rc 0
	assert_eq "" "$(probe_field groups)" "supplementary groups"
}

test_umask() {
	mkbundle
	cfg '.process.user.umask = 63'
	cfg '.root.readonly = false'
	set_sh 'probe; probe write /tmp/f x; probe stat /tmp/f'
	hull_run
	assert_ok
	assert_eq 0077 "$(probe_field umask)" "umask"
	assert_eq 0600 "$(probe_fields mode | tail -n1)" "mode of a new file"
}

# Unset, the umask is the calling process' (config.md).
test_umask_unset_is_the_callers() {
	mkbundle
	register_id "$ID"
	(umask 0027 && "$HULL" run --bundle "$BUNDLE" "$ID" </dev/null >"$T/out" 2>"$T/err")
	assert_eq 0027 "$(probe_field umask)" "umask"
}

test_rlimits() {
	mkbundle
	cfg '.process.rlimits = [
	  {type: "RLIMIT_NOFILE", soft: 512, hard: 1024},
	  {type: "RLIMIT_CORE", soft: 1000, hard: 2000},
	  {type: "RLIMIT_NPROC", soft: 300, hard: 400},
	  {type: "RLIMIT_MSGQUEUE", soft: 4096, hard: 8192},
	  {type: "RLIMIT_STACK", soft: 4194304, hard: 8388608},
	  {type: "RLIMIT_CPU", soft: 100, hard: 200}]'
	hull_run
	assert_ok
	assert_eq 512:1024 "$(probe_field rlimit.nofile)" "RLIMIT_NOFILE"
	assert_eq 1000:2000 "$(probe_field rlimit.core)" "RLIMIT_CORE"
	assert_eq 300:400 "$(probe_field rlimit.nproc)" "RLIMIT_NPROC"
	assert_eq 4096:8192 "$(probe_field rlimit.msgqueue)" "RLIMIT_MSGQUEUE"
	assert_eq 4194304:8388608 "$(probe_field rlimit.stack)" "RLIMIT_STACK"
	assert_eq 100:200 "$(probe_field rlimit.cpu)" "RLIMIT_CPU"
}

# A limit not in the config is hull's caller's.
test_rlimits_unset_are_inherited() {
	mkbundle
	cfg '.process.rlimits = []'
	hull_run
	assert_ok
	assert_eq "$(host_field rlimit.nofile rlimits)" "$(probe_field rlimit.nofile)" "RLIMIT_NOFILE"
	assert_eq "$(host_field rlimit.memlock rlimits)" "$(probe_field rlimit.memlock)" "RLIMIT_MEMLOCK"
}

# Raising a hard limit above the current one needs CAP_SYS_RESOURCE, which this VM's
# bounding set lacks: a clear error naming the limit and the reason.
test_rlimit_raise_hard_refused() {
	mkbundle
	local hard
	hard=$(ulimit -Hn)
	[ "$hard" != unlimited ] || fail "the hard RLIMIT_NOFILE is unlimited here: cannot test"
	cfg '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 1024, hard: $h}]' \
		--argjson h "$((hard * 2))"
	hull_run
	assert_error RLIMIT_NOFILE
	grep -qiE 'EPERM|not permitted|CAP_SYS_RESOURCE' "$T/err" ||
		fail "the error does not say why (EPERM / CAP_SYS_RESOURCE)"
}

test_rlimit_unknown_type() {
	mkbundle
	cfg '.process.rlimits = [{type: "RLIMIT_BOGUS", soft: 1, hard: 1}]'
	hull_run
	assert_error RLIMIT_BOGUS
}

test_oom_score_adj() {
	mkbundle
	cfg '.process.oomScoreAdj = 500'
	hull_run
	assert_ok
	assert_eq 500 "$(probe_field oom_score_adj)" "oom_score_adj"
	assert_ne 500 "$(cat /proc/self/oom_score_adj)" "the caller's oom_score_adj"
}

test_oom_score_adj_unset_is_inherited() {
	mkbundle
	hull_run
	assert_ok
	assert_eq "$(cat /proc/self/oom_score_adj)" "$(probe_field oom_score_adj)" "oom_score_adj"
}

test_no_new_privileges() {
	mkbundle
	cfg '.process.noNewPrivileges = true'
	hull_run
	assert_ok
	assert_eq 1 "$(probe_field no_new_privs)" "no_new_privs"
	cfg '.process.noNewPrivileges = false'
	hull_run
	assert_ok
	assert_eq 0 "$(probe_field no_new_privs)" "no_new_privs"
}

# noNewPrivileges really stops privilege gain: a setuid-root copy of the probe does not make
# a non-root user root.
test_no_new_privileges_blocks_setuid() {
	mkbundle
	cp "$PROBE" "$BUNDLE/rootfs/usr/bin/suid-probe"
	chmod 4755 "$BUNDLE/rootfs/usr/bin/suid-probe"
	cfg '.process.user = {uid: 1000, gid: 1000}'
	set_args suid-probe ids
	cfg '.process.noNewPrivileges = false'
	hull_run
	assert_ok
	assert_eq 0 "$(probe_field euid)" "euid of a setuid-root program without no_new_privs"
	cfg '.process.noNewPrivileges = true'
	hull_run
	assert_ok
	assert_eq 1000 "$(probe_field euid)" "euid of a setuid-root program with no_new_privs"
}

test_capabilities_default() {
	mkbundle
	hull_run
	assert_ok
	local m
	m=$(capmask AUDIT_WRITE KILL NET_BIND_SERVICE)
	assert_eq "$m" "$(probe_field cap_bnd)" "bounding"
	assert_eq "$m" "$(probe_field cap_prm)" "permitted"
	assert_eq "$m" "$(probe_field cap_eff)" "effective"
	assert_eq 0000000000000000 "$(probe_field cap_inh)" "inheritable"
	assert_eq 0000000000000000 "$(probe_field cap_amb)" "ambient"
}

test_capabilities_none() {
	mkbundle
	cfg '.process.capabilities = {}'
	hull_run
	assert_ok
	local s
	for s in cap_bnd cap_prm cap_eff cap_inh cap_amb; do
		assert_eq 0000000000000000 "$(probe_field "$s")" "$s"
	done
}

# All five sets for a non-root user, where execve keeps what hull set: bounding and
# inheritable as configured, ambient as configured, and permitted = effective = ambient (the
# kernel's rule for a non-root exec of a file without capabilities).
test_capabilities_five_sets_nonroot() {
	mkbundle
	cfg '.process.user = {uid: 1000, gid: 1000} | .process.capabilities = {
	  bounding: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_SETUID"],
	  permitted: ["CAP_CHOWN", "CAP_KILL", "CAP_SYS_CHROOT", "CAP_NET_RAW"],
	  effective: ["CAP_CHOWN", "CAP_KILL"],
	  inheritable: ["CAP_KILL", "CAP_SYS_CHROOT", "CAP_NET_RAW"],
	  ambient: ["CAP_KILL", "CAP_NET_RAW"]}'
	hull_run
	assert_ok
	assert_eq "$(capmask CHOWN KILL NET_RAW SYS_CHROOT SETUID)" "$(probe_field cap_bnd)" "bounding"
	assert_eq "$(capmask KILL SYS_CHROOT NET_RAW)" "$(probe_field cap_inh)" "inheritable"
	assert_eq "$(capmask KILL NET_RAW)" "$(probe_field cap_amb)" "ambient"
	assert_eq "$(capmask KILL NET_RAW)" "$(probe_field cap_prm)" "permitted"
	assert_eq "$(capmask KILL NET_RAW)" "$(probe_field cap_eff)" "effective"
}

# For root, execve makes permitted = effective = bounding | inheritable | ambient; with
# no_new_privs no more than the configured permitted set.
test_capabilities_five_sets_root() {
	mkbundle
	cfg '.process.capabilities = {
	  bounding: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"],
	  permitted: ["CAP_CHOWN", "CAP_KILL"],
	  effective: ["CAP_CHOWN"],
	  inheritable: ["CAP_KILL"],
	  ambient: ["CAP_KILL"]}'
	cfg '.process.noNewPrivileges = true'
	hull_run
	assert_ok
	assert_eq "$(capmask CHOWN KILL NET_RAW)" "$(probe_field cap_bnd)" "bounding"
	assert_eq "$(capmask KILL)" "$(probe_field cap_inh)" "inheritable"
	assert_eq "$(capmask KILL)" "$(probe_field cap_amb)" "ambient"
	assert_eq "$(capmask CHOWN KILL)" "$(probe_field cap_prm)" "permitted (no_new_privs)"
	assert_eq "$(capmask CHOWN KILL)" "$(probe_field cap_eff)" "effective (no_new_privs)"
	cfg '.process.noNewPrivileges = false'
	hull_run
	assert_ok
	assert_eq "$(capmask CHOWN KILL NET_RAW)" "$(probe_field cap_prm)" "permitted"
	assert_eq "$(capmask CHOWN KILL NET_RAW)" "$(probe_field cap_eff)" "effective"
}

# Every capability the host has.
test_capabilities_all_the_host_has() {
	mkbundle
	all_caps
	hull_run
	assert_ok
	local bnd
	bnd=$(awk '/^CapBnd:/{print $2}' /proc/self/status)
	assert_eq "$bnd" "$(probe_field cap_bnd)" "bounding"
	assert_eq "$bnd" "$(probe_field cap_eff)" "effective"
}

# The host withholds CAP_SYS_RESOURCE: asking for it is an EPERM-style error, not a silent drop.
test_capability_not_in_hosts_bounding_set() {
	mkbundle
	all_caps
	add_caps SYS_RESOURCE
	hull_run
	assert_error
	grep -qiE 'EPERM|not permitted' "$T/err" || fail "the error does not say EPERM"
	grep -qiE 'cap' "$T/err" || fail "the error does not mention capabilities"
}

test_capability_unknown() {
	mkbundle
	add_caps CAP_BOGUS
	hull_run
	assert_error CAP_BOGUS
}

test_apparmor_profile_unavailable() {
	mkbundle
	[ ! -e /sys/kernel/security/apparmor ] || fail "this host has AppArmor: test needs none"
	cfg '.process.apparmorProfile = "hull-test-profile"'
	hull_run
	assert_error apparmor
}

test_selinux_label_unavailable() {
	mkbundle
	[ ! -e /sys/fs/selinux/enforce ] || fail "this host has SELinux: test needs none"
	cfg '.process.selinuxLabel = "system_u:system_r:container_t:s0"'
	hull_run
	assert_error selinux
}

test_scheduler() {
	mkbundle
	cfg '.process.scheduler = {policy: "SCHED_BATCH", nice: 5}'
	hull_run
	assert_ok
	assert_eq 3 "$(probe_field sched_policy)" "policy (SCHED_BATCH)"
	assert_eq 5 "$(probe_field nice)" "nice"
}

test_io_priority() {
	mkbundle
	cfg '.process.ioPriority = {class: "IOPRIO_CLASS_BE", priority: 6}'
	hull_run
	assert_ok
	assert_eq 2:6 "$(probe_field ioprio)" "ioprio (class BE, level 6)"
}

test_personality() {
	mkbundle
	cfg '.linux.personality = {domain: "LINUX32"}'
	hull_run
	assert_ok
	assert_eq 0x8 "$(probe_field personality)" "personality"
}
