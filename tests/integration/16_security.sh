# shellcheck shell=bash
# Defences of the runtime itself (issue 5 extends this file).

# exe_attack PID: the CVE-2019-5736 write against the binary PID runs, from the host's
# probe: hold /proc/PID/exe, wait for PID to exit, reopen it for writing. Output in
# $T/attack.
exe_attack_bg() {
	"$PROBE" exe-write "$1" >"$T/attack" 2>&1 &
	register_pid $!
	ATTACK=$!
	wait_until 10 file_has "$T/attack" "ready=1"
}

# The attack works against a process running an ordinary binary: the test can tell.
test_exe_write_control() {
	cp "$PROBE" "$T/victim"
	"$T/victim" sleep 60 &
	local victim=$!
	register_pid "$victim"
	exe_attack_bg "$victim"
	kill -KILL "$victim"
	wait "$ATTACK" || true
	assert_eq ok "$(probe_field exe_write "$T/attack")" "write to an unprotected binary"
}

# CVE-2019-5736: the binary a hull process runs cannot be written through
# /proc/PID/exe, during or after its life; the file on disk stays intact.
test_runtime_binary_not_writable_cve_2019_5736() {
	mkbundle
	cp "$HULL" "$T/hull"
	local before after
	before=$(sha256sum <"$T/hull")
	HULL=$T/hull
	set_args probe sleep 60
	hull_run_bg --pid-file "$T/pid"
	wait_until 10 test -s "$T/pid"
	exe_attack_bg "$HPID"
	kill -KILL "$(cat "$T/pid")"
	hull_wait
	wait "$ATTACK" || true
	local res
	res=$(probe_field exe_write "$T/attack")
	assert_ne ok "$res" "write through /proc/PID/exe"
	assert_ne ETXTBSY "$res" "a real defence, not a busy text (the probe retries that)"
	after=$(sha256sum <"$T/hull")
	assert_eq "$before" "$after" "the hull binary on disk"
}

# With the default capabilities a container cannot mount (no CAP_SYS_ADMIN); with it added it
# can: the denial comes from the capability set, not from something else.
test_default_caps_cannot_mount() {
	mkbundle
	set_sh 'if mount -t tmpfs none /mnt 2>/dev/null; then echo mount=ok; else echo mount=denied; fi'
	hull_run
	assert_ok
	assert_eq denied "$(probe_field mount)" "mount with the default capabilities"
	add_caps SYS_ADMIN
	hull_run
	assert_ok
	assert_eq ok "$(probe_field mount)" "mount with CAP_SYS_ADMIN (control)"
}

# /proc/sys is read-only in the default config (readonlyPaths): even root in the container with
# CAP_NET_ADMIN cannot write its own network namespace's knobs there; without the read-only
# path the same write succeeds (control): the read-only mount is what stops it.
test_proc_sys_not_writable() {
	mkbundle
	add_caps NET_ADMIN
	set_sh 'if echo 1 2>/dev/null >/proc/sys/net/ipv4/ip_forward; then echo w=ok; else echo w=denied; fi'
	hull_run
	assert_ok
	assert_eq denied "$(probe_field w)" "write to /proc/sys with readonlyPaths"
	cfg '.linux.readonlyPaths -= ["/proc/sys"]'
	hull_run
	assert_ok
	assert_eq ok "$(probe_field w)" "write to the container's own net namespace knob (control)"
}
