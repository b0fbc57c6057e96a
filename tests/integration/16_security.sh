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

# CVE-2025-31133: masks bind /dev/null over the masked file. Here the container's /dev is a
# directory shared with the host (so another container could race it) whose "null" is a
# symlink to a file of the container's: a runtime binding the container's /dev/null would
# expose that file's content at the masked path. hull binds the host's /dev/null, opened and
# checked (char 1:3) before the rootfs exists.
test_mask_uses_real_dev_null_cve_2025_31133() {
	mkbundle
	mkdir -p "$T/shareddev"
	ln -sfn /etc/hull-secret "$T/shareddev/null"
	echo SECRET >"$BUNDLE/rootfs/etc/hull-secret"
	echo ORIGINAL >"$BUNDLE/rootfs/etc/hull-masked"
	cfg '.mounts |= map(select(.destination != "/dev" and (.destination | startswith("/dev/") | not)))'
	add_bind /dev "$T/shareddev" rbind
	cfg '.linux.maskedPaths += ["/etc/hull-masked"]'
	set_sh 'echo "masked=[$(cat /etc/hull-masked)]"; echo "kind=$(stat -c %F:%t:%T /etc/hull-masked)"'
	hull_run
	assert_ok
	assert_eq "[]" "$(probe_field masked)" "the masked file reads empty"
	assert_eq "character special file:1:3" "$(probe_field kind)" "the masked file is /dev/null"
	[ "$(readlink "$T/shareddev/null")" = /etc/hull-secret ] || fail "the shared /dev changed"
	# control: the planted /dev/null does lead to the secret, as a naive bind would expose
	set_sh 'echo "via=$(cat /dev/null)"'
	hull_run
	assert_ok
	assert_eq SECRET "$(probe_field via)" "the container's /dev/null is the planted symlink"
}

# CVE-2025-52881: setup writes to /proc (sysctl here) go through the host's procfs opened by
# hull, not through the container's /proc, which the config (or a shared mount namespace) can
# redirect: with a directory bound over /proc/sys, the sysctl still reaches the container's
# network namespace and the directory's file is untouched.
test_sysctl_not_redirected_cve_2025_52881() {
	mkbundle
	mkdir -p "$T/fakesys/net/ipv4"
	echo FAKE >"$T/fakesys/net/ipv4/ip_forward"
	add_bind /proc/sys "$T/fakesys" rbind
	cfg '.linux.readonlyPaths -= ["/proc/sys"] | .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	set_args probe sleep 60
	hull_run_bg --pid-file "$T/pid"
	wait_until 10 test -s "$T/pid"
	local pid
	pid=$(cat "$T/pid")
	assert_eq 1 "$(nsenter -t "$pid" -n cat /proc/sys/net/ipv4/ip_forward)" \
		"ip_forward in the container's network namespace"
	assert_eq FAKE "$(cat "$T/fakesys/net/ipv4/ip_forward")" "the redirect target"
	# control: inside the container, /proc/sys is the fake directory
	assert_eq FAKE "$(nsenter -t "$pid" -m cat /proc/sys/net/ipv4/ip_forward)" \
		"the container's view of /proc/sys (control)"
	kill -KILL "$pid"
	hull_wait
}

# CVE-2021-30465: a mount destination under a shared volume, one of whose directories is
# swapped with a symlink to "/" while hull sets up (tests/tools/swapper stands in for the
# racing container). Every run either fails cleanly or mounts inside the rootfs; nothing is
# ever created or mounted on the host.
test_mount_destination_race_cve_2021_30465() {
	mkbundle
	mkdir -p "$T/vol/x"
	ln -sfn / "$T/vol/y"
	add_bind /vol "$T/vol" rbind
	add_mount /vol/x/hullrace tmpfs tmpfs
	# the swapped directory carries the mount with it: it shows at /vol/x or /vol/y
	set_sh 'echo "vol=$(grep -c " /vol/[xy]/hullrace " /proc/self/mountinfo)"
		echo "root=$(grep -c " /hullrace " /proc/self/mountinfo)"'
	"$TOOLS/swapper" "$T/vol/x" "$T/vol/y" &
	local sw=$! i ok=0 failed=0 in_root=0
	register_pid "$sw"
	for i in $(seq 30); do
		hull_run
		if [ "$RC" = 0 ]; then
			ok=$((ok + 1))
			assert_eq 1 "$(($(probe_field vol) + $(probe_field root)))" \
				"run $i: the tmpfs is inside the container"
			in_root=$((in_root + $(probe_field root)))
		else
			failed=$((failed + 1))
		fi
		assert_clean
		[ ! -e /hullrace ] || { rmdir /hullrace; fail "run $i created /hullrace on the host"; }
		[ ! -e "$T/vol/hullrace" ] || fail "run $i wrote outside the destination"
	done
	kill "$sw"
	echo "race: $ok runs mounted inside the rootfs ($in_root through the symlink)," \
		"$failed failed cleanly" >&2
	[ "$ok" -gt 0 ] || fail "no run succeeded: the race setup is broken"
	# a run that met the symlink (or failed on it) shows the swap hit hull's setup at all
	[ $((in_root + failed)) -gt 0 ] || fail "the swap never met hull's setup: nothing was tested"
}
