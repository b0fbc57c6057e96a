# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# Capabilities as a defence (issue 5): what the default set denies (loading modules, setting
# the time), that a dropped capability stays dropped across exec and setuid-root binaries,
# that ambient capabilities work for a non-root user, and that `hull exec` processes get the
# same treatment. Every denial has its control: the same check with the capability granted
# answers differently, so the test could fail against a runtime that does not drop it. The
# configured sets themselves are checked in 09_process and 13_exec; mount and /proc/sys
# in 16_security.
#
# Nothing here can change the host: the probe's `modload` and `settime` use only calls whose
# capability check comes before a value the kernel then refuses (see tests/probe/probe.c),
# and its usermodehelper/bset write puts back the value it read (the kernel intersects).

UMH_BSET=/proc/sys/kernel/usermodehelper/bset

# The host's root answer to finit_module(-1): EBADF where the kernel loads modules, ENOSYS
# where it was built without (then nobody can load one and only the bset check tells).
host_finit_module() { host_field finit_module modload; }
host_init_module() { host_field init_module modload; }

# The umh bset write needs a writable /proc/sys: without the read-only path, EROFS cannot be
# what answers, only the capability check.
writable_proc_sys() { cfg '.linux.readonlyPaths -= ["/proc/sys"]'; }

# assert_modload DENIED|ALLOWED WHAT: the facts of `probe modload` in $T/out.
assert_modload() {
	local host
	host=$(host_finit_module)
	if [ "$1" = DENIED ]; then
		assert_eq EPERM "$(probe_field umh_bset_write)" "usermodehelper/bset write, $2"
		if [ "$host" != ENOSYS ]; then
			assert_eq EPERM "$(probe_field finit_module)" "finit_module, $2"
			assert_eq EPERM "$(probe_field init_module)" "init_module, $2"
		fi
	else
		assert_eq ok "$(probe_field umh_bset_write)" "usermodehelper/bset write, $2"
		if [ "$host" != ENOSYS ]; then
			# Past the capability check: the bad fd and the empty image are what fail
			# (EBADF, ENOEXEC), as for the host's root, which must not get EPERM
			# itself (kernel.modules_disabled, an LSM) or the control cannot tell.
			assert_ne EPERM "$host" "finit_module for the host's root"
			assert_eq "$host" "$(probe_field finit_module)" "finit_module, $2"
			assert_eq "$(host_init_module)" "$(probe_field init_module)" "init_module, $2"
			assert_ne EPERM "$(probe_field init_module)" "init_module, $2"
		fi
	fi
	if [ "$host" = ENOSYS ]; then
		assert_eq ENOSYS "$(probe_field finit_module)" "finit_module (kernel without modules)"
	fi
}

# The default set lacks CAP_SYS_MODULE: module loading is refused (EPERM before the fd or the
# image is looked at), and so is the one CAP_SYS_MODULE check a kernel without module support
# keeps (writing usermodehelper/bset, which also needs CAP_SETPCAP: given here, so the missing
# CAP_SYS_MODULE alone is what refuses). Control: with CAP_SYS_MODULE the same calls get past
# the check (EBADF, ENOEXEC, the no-op bset write succeeds). On a kernel without modules
# (this VM's) finit_module is ENOSYS for everyone, the host's root included, and only the
# bset write can tell.
test_default_caps_cannot_load_modules() {
	mkbundle
	writable_proc_sys
	set_args probe modload
	local before
	before=$(cat "$UMH_BSET")
	hull_run
	assert_ok
	assert_modload DENIED "default capabilities"
	add_caps SETPCAP
	hull_run
	assert_ok
	assert_modload DENIED "default capabilities + CAP_SETPCAP"
	add_caps SYS_MODULE
	hull_run
	assert_ok
	assert_modload ALLOWED "with CAP_SYS_MODULE (control)"
	assert_eq "$before" "$(cat "$UMH_BSET")" "the host's usermodehelper/bset"
	[ "$(host_finit_module)" != ENOSYS ] ||
		echo "note: kernel without module support: finit_module/init_module are ENOSYS" \
			"for everyone, CAP_SYS_MODULE checked through usermodehelper/bset only"
}

# The host's realtime clock minus its uptime, in seconds: constant (give or take a second of
# rounding) unless someone sets the clock.
clock_offset() { echo $(($(date +%s) - $(awk '{print int($1)}' /proc/uptime))); }

# The default set lacks CAP_SYS_TIME: settimeofday and adjtimex are refused with EPERM.
# Control: with CAP_SYS_TIME both get past the check and fail on their invalid values
# (EINVAL), before anything is set; the host's clock is unchanged.
test_default_caps_cannot_set_time() {
	mkbundle
	set_args probe settime
	local off
	off=$(clock_offset)
	hull_run
	assert_ok
	assert_eq EPERM "$(probe_field settimeofday)" "settimeofday with the default capabilities"
	assert_eq EPERM "$(probe_field adjtimex)" "adjtimex ADJ_TICK with the default capabilities"
	add_caps SYS_TIME
	hull_run
	assert_ok
	assert_eq EINVAL "$(probe_field settimeofday)" "settimeofday with CAP_SYS_TIME (control)"
	assert_eq EINVAL "$(probe_field adjtimex)" "adjtimex ADJ_TICK with CAP_SYS_TIME (control)"
	local now
	now=$(clock_offset)
	[ $((now - off)) -le 2 ] && [ $((off - now)) -le 2 ] ||
		fail "the host's realtime clock moved against uptime: offset $off, now $now"
}

# suid_bundle: uid 1000 without no_new_privs, a setuid-root copy of the probe at
# /usr/bin/suid-probe; the shell (uid 1000, no capabilities left after its own exec) runs
# it: its ids, capabilities and a mount attempt.
suid_bundle() {
	mkbundle
	cp "$PROBE" "$BUNDLE/rootfs/usr/bin/suid-probe"
	chmod 4755 "$BUNDLE/rootfs/usr/bin/suid-probe"
	cfg '.process.user = {uid: 1000, gid: 1000} | .process.noNewPrivileges = false'
	set_sh 'suid-probe ids; suid-probe caps; suid-probe mount-tmpfs /mnt || true'
}

# A setuid-root exec makes a non-root process root, and root's exec takes the bounding set
# as permitted and effective: with the default bounding set that is all it gets, CAP_SYS_ADMIN
# stays out (and mount fails). Control: with CAP_SYS_ADMIN in the bounding set the same exec
# gains it and can mount, so the bounding set is what keeps it out.
test_setuid_exec_cannot_regain_dropped_caps() {
	suid_bundle
	hull_run
	assert_ok
	assert_eq 0 "$(probe_field euid)" "euid of the setuid-root program (it did run setuid)"
	local want
	want=$(capmask AUDIT_WRITE KILL NET_BIND_SERVICE)
	assert_eq "$want" "$(probe_field cap_bnd)" "bounding after the setuid exec"
	assert_eq "$want" "$(probe_field cap_prm)" "permitted after the setuid exec"
	assert_eq "$want" "$(probe_field cap_eff)" "effective after the setuid exec"
	assert_eq EPERM "$(probe_field errno)" "mount after the setuid exec"
	add_caps SYS_ADMIN
	hull_run
	assert_ok
	want=$(capmask AUDIT_WRITE KILL NET_BIND_SERVICE SYS_ADMIN)
	assert_eq "$want" "$(probe_field cap_prm)" "permitted with CAP_SYS_ADMIN bounding (control)"
	assert_eq "$want" "$(probe_field cap_eff)" "effective with CAP_SYS_ADMIN bounding (control)"
	assert_eq ok "$(probe_field mount)" "mount with CAP_SYS_ADMIN bounding (control)"
}

# With noNewPrivileges the setuid bit gives nothing, even with CAP_SYS_ADMIN in the bounding
# set: euid stays 1000, no capability, no mount. Control: the same bundle without
# no_new_privs becomes root with CAP_SYS_ADMIN.
test_setuid_exec_no_new_privileges_gains_nothing() {
	suid_bundle
	add_caps SYS_ADMIN
	cfg '.process.noNewPrivileges = true'
	hull_run
	assert_ok
	assert_eq 1000 "$(probe_field euid)" "euid of the setuid-root program with no_new_privs"
	assert_eq 0000000000000000 "$(probe_field cap_prm)" "permitted with no_new_privs"
	assert_eq 0000000000000000 "$(probe_field cap_eff)" "effective with no_new_privs"
	assert_eq EPERM "$(probe_field errno)" "mount with no_new_privs"
	cfg '.process.noNewPrivileges = false'
	hull_run
	assert_ok
	assert_eq 0 "$(probe_field euid)" "euid without no_new_privs (control)"
	assert_eq "$(capmask AUDIT_WRITE KILL NET_BIND_SERVICE SYS_ADMIN)" "$(probe_field cap_eff)" \
		"effective without no_new_privs (control)"
}

# Root with a reduced set (only CAP_KILL, no_new_privs off) execs another program (the shell
# runs the probe): the new program has CAP_KILL and nothing more in its bounding, permitted
# and effective sets, and cannot mount. Control: CAP_SYS_ADMIN in the bounding set only (not
# permitted, not effective): root's exec does take it, so a runtime that cleared only the
# permitted and effective sets would fail the first half.
test_exec_keeps_dropped_caps_dropped() {
	mkbundle
	set_caps KILL
	cfg '.process.noNewPrivileges = false'
	set_sh 'probe caps; probe mount-tmpfs /mnt || true'
	hull_run
	assert_ok
	local want
	want=$(capmask KILL)
	assert_eq "$want" "$(probe_field cap_bnd)" "bounding of the exec'd program"
	assert_eq "$want" "$(probe_field cap_prm)" "permitted of the exec'd program"
	assert_eq "$want" "$(probe_field cap_eff)" "effective of the exec'd program"
	assert_eq EPERM "$(probe_field errno)" "mount by the exec'd program"
	cfg '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]'
	hull_run
	assert_ok
	want=$(capmask KILL SYS_ADMIN)
	assert_eq "$want" "$(probe_field cap_prm)" "permitted with CAP_SYS_ADMIN bounding (control)"
	assert_eq "$want" "$(probe_field cap_eff)" "effective with CAP_SYS_ADMIN bounding (control)"
	assert_eq ok "$(probe_field mount)" "mount with CAP_SYS_ADMIN bounding (control)"
}

# Ambient capabilities for a non-root user: uid 1000 with CAP_NET_BIND_SERVICE in all five
# sets keeps it across exec (the shell, then the probe): in effective and ambient, and it can
# bind port 80 in its own network namespace. Control: without the ambient set the exec drops
# it and the bind is refused (EACCES), so the ambient set is what carries it.
test_ambient_caps_nonroot() {
	mkbundle
	local c='["CAP_NET_BIND_SERVICE"]'
	cfg '.process.user = {uid: 1000, gid: 1000} | .process.capabilities = {
	  bounding: $c, effective: $c, permitted: $c, inheritable: $c, ambient: $c}' --argjson c "$c"
	set_sh 'probe ids; probe caps; probe bind 80'
	hull_run
	assert_ok
	assert_eq 1000 "$(probe_field euid)" "euid"
	local want
	want=$(capmask NET_BIND_SERVICE)
	assert_eq "$want" "$(probe_field cap_amb)" "ambient"
	assert_eq "$want" "$(probe_field cap_eff)" "effective"
	assert_eq "$want" "$(probe_field cap_prm)" "permitted"
	assert_eq ok "$(probe_field bind)" "bind to port 80 with ambient CAP_NET_BIND_SERVICE"
	cfg 'del(.process.capabilities.ambient)'
	hull_run
	assert_ok
	assert_eq 0000000000000000 "$(probe_field cap_amb)" "ambient (control)"
	assert_eq 0000000000000000 "$(probe_field cap_eff)" "effective without ambient (control)"
	assert_eq EACCES "$(probe_field bind)" "bind to port 80 without ambient (control)"
}

# `hull exec` processes of a container with the default set get the same denials (module
# loading, the bset write, setting the time); control: exec --cap CAP_SYS_MODULE --cap
# CAP_SETPCAP --cap CAP_SYS_TIME in the same container gets past the checks.
test_exec_process_default_caps_denied() {
	mkbundle
	writable_proc_sys
	set_args probe sleep 60
	run_container
	local before
	before=$(cat "$UMH_BSET")
	hull exec "$ID" probe modload
	assert_ok
	assert_modload DENIED "hull exec, default capabilities"
	hull exec "$ID" probe settime
	assert_ok
	assert_eq EPERM "$(probe_field settimeofday)" "settimeofday, hull exec"
	assert_eq EPERM "$(probe_field adjtimex)" "adjtimex, hull exec"
	local caps=(--cap CAP_SYS_MODULE --cap CAP_SETPCAP --cap CAP_SYS_TIME)
	hull exec "${caps[@]}" "$ID" probe modload
	assert_ok
	assert_modload ALLOWED "hull exec with CAP_SYS_MODULE (control)"
	hull exec "${caps[@]}" "$ID" probe settime
	assert_ok
	assert_eq EINVAL "$(probe_field settimeofday)" "settimeofday, hull exec with CAP_SYS_TIME"
	assert_eq EINVAL "$(probe_field adjtimex)" "adjtimex, hull exec with CAP_SYS_TIME"
	assert_eq "$before" "$(cat "$UMH_BSET")" "the host's usermodehelper/bset"
	hull delete --force "$ID"
	assert_ok
}
