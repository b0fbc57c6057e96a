# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# The root filesystem: pivot_root (and --no-pivot), root.readonly, rootfsPropagation, cwd.

# A file that exists on the host only.
make_marker() {
	MARKER=$(mktemp "/tmp/hull-marker-$ID.XXXXXX")
	on_cleanup "rm -f $MARKER"
	[ ! -e "$BUNDLE/rootfs$MARKER" ] || fail "marker path exists in the rootfs"
}

# The seed tutorial's chroot escape, run as root with every capability the host allows, does
# not reach the host's filesystem. First the control: the same program escapes a plain chroot.
test_chroot_escape_control() {
	mkbundle
	make_marker
	local out
	out=$(chroot "$BUNDLE/rootfs" /usr/bin/probe chroot-escape "$MARKER")
	assert_eq "escaped=1" "$out" "the probe's escape from a plain chroot on the host"
}

escape_from_container() { # [RUN OPTIONS]
	mkbundle
	make_marker
	all_caps
	cfg '.root.readonly = false | .process.noNewPrivileges = false'
	set_args probe chroot-escape "$MARKER"
	hull_run "$@"
	assert_ok
	# The attempt really happened: mkdir and both chroots worked.
	assert_eq "escaped=0" "$OUT" "the probe's escape from the container"
}

test_chroot_escape_pivot_root() { escape_from_container; }
test_chroot_escape_no_pivot() { escape_from_container --no-pivot; }

test_chroot_escape_from_subdir() {
	mkbundle
	make_marker
	all_caps
	cfg '.root.readonly = false | .process.cwd = "/tmp"'
	set_args probe chroot-escape "$MARKER"
	hull_run
	assert_ok
	assert_eq "escaped=0" "$OUT" "escape from /tmp"
}

# After pivot_root the old root is gone: / is the bundle's rootfs, no host mount is left in
# the container's mount table, and nothing was added at the top of the rootfs.
rootfs_is_root() { # [RUN OPTIONS]
	mkbundle
	set_sh 'probe ls / && probe mounts && probe stat /'
	hull_run "$@"
	assert_ok
	assert_eq "$(cd "$BUNDLE/rootfs" && ls -A | sort)" \
		"$(sed -n '/^[^=]*$/p' "$T/out")" "entries of / in the container"
	local mp host_only
	for mp in $(probe_fields mount | awk '{print $1}'); do
		case $mp in
		/ | /proc | /proc/* | /dev | /dev/* | /sys | /sys/*) ;;
		*) fail "unexpected mount in the container: $mp" ;;
		esac
	done
	# The inode of the container's / is the rootfs directory's.
	assert_eq "$(stat -c %i "$BUNDLE/rootfs")" "$(probe_field ino)" "inode of /"
	host_only=$(probe_fields mount | awk '{print $1}' | grep -c -e '^/work' -e '^/tmp' -e '^/mnt' || true)
	assert_eq 0 "$host_only" "host mounts visible in the container"
}

test_pivot_root() { rootfs_is_root; }
test_no_pivot() { rootfs_is_root --no-pivot; }

test_no_pivot_isolation() {
	mkbundle
	hull_run --no-pivot
	assert_ok
	assert_eq 1 "$(probe_field pid)" "pid"
	assert_ne "$(readlink /proc/self/ns/mnt)" "$(probe_field ns.mnt)" "ns.mnt"
	assert_eq 1 "$(probe_field root_readonly)" "root_readonly"
	assert_eq hull "$(probe_field hostname)" "hostname"
}

test_root_readonly() {
	mkbundle
	set_sh 'probe; probe write /newfile x'
	hull_run
	assert_rc 1
	assert_eq 1 "$(probe_field root_readonly)" "root_readonly"
	assert_eq EROFS "$(probe_field errno)" "writing to /"
	assert_opt "$(mount_opts /)" ro "options of /"
	[ ! -e "$BUNDLE/rootfs/newfile" ] || fail "the file was created"
}

test_root_readonly_false() {
	mkbundle
	cfg '.root.readonly = false'
	set_sh 'probe && probe write /newfile written-inside'
	hull_run
	assert_ok
	assert_eq 0 "$(probe_field root_readonly)" "root_readonly"
	assert_eq written-inside "$(cat "$BUNDLE/rootfs/newfile")" "the file on the host"
}

# A read-only root does not make the other mounts read-only.
test_root_readonly_keeps_other_mounts_writable() {
	mkbundle
	set_sh 'probe write /dev/shm/x y && probe write /tmp-mnt/x y'
	add_mount /tmp-mnt tmpfs tmpfs
	hull_run
	assert_ok
}

test_root_path_absolute() {
	mkbundle "$T/b"
	mkdir -p "$BUNDLE"
	mv "$T/b/config.json" "$CFG"
	cfg '.root.path = $p' --arg p "$T/b/rootfs"
	set_args probe exit 9
	hull_run
	assert_rc 9
}

# The mount propagation of the container's / (rootfsPropagation).
propagation_of_root() { # VALUE
	mkbundle
	cfg '.linux.rootfsPropagation = $p' --arg p "$1"
	set_args probe mounts
	hull_run
	assert_ok
	mount_prop /
}

test_rootfs_propagation_shared() {
	assert_contains "$(propagation_of_root shared)" "shared:" "propagation of /"
}

test_rootfs_propagation_private() {
	local p
	p=$(propagation_of_root private)
	assert_eq private "$p" "propagation of /"
}

test_rootfs_propagation_unbindable() {
	assert_contains "$(propagation_of_root unbindable)" "unbindable" "propagation of /"
}

# The behaviour, not just the flags: with the rootfs a shared mount on the host, a mount made
# on the host under it after the container started reaches the container when / is a slave
# (or shared), not when it is private. And a mount made inside never reaches the host when
# / is a slave.
host_mount_reaches_container() { # PROPAGATION -> prints seen=0|1
	mkbundle
	rootfs_mountpoint
	mount --make-shared "$BUNDLE/rootfs"
	mkdir -p "$BUNDLE/rootfs/mnt/host"
	cfg '.linux.rootfsPropagation = $p' --arg p "$1"
	add_caps SYS_ADMIN
	set_sh 'probe mount-tmpfs /tmp && echo inside-mounted=1 &&
		while [ ! -e /go ]; do sleep 0.05; done;
		if probe mounts | grep -q "^mount=/mnt/host tmpfs"; then echo seen=1; else echo seen=0; fi'
	hull_run_bg
	wait_until 10 file_has "$T/out" inside-mounted=1
	host_mount -t tmpfs hostside "$BUNDLE/rootfs/mnt/host"
	touch "$BUNDLE/rootfs/go"
	hull_wait
	assert_ok
	if [ "$1" != shared ]; then
		! grep -q " $BUNDLE/rootfs/tmp " /proc/self/mountinfo ||
			fail "the container's mount on /tmp propagated to the host"
	fi
	umount "$BUNDLE/rootfs/mnt/host"
	probe_field seen
}

test_rootfs_propagation_slave_receives() {
	assert_eq 1 "$(host_mount_reaches_container slave)" "host mount seen in a slave /"
}

test_rootfs_propagation_private_isolates() {
	assert_eq 0 "$(host_mount_reaches_container private)" "host mount seen in a private /"
}

test_rootfs_propagation_default_isolates_from_container() {
	mkbundle
	rootfs_mountpoint
	mount --make-shared "$BUNDLE/rootfs"
	add_caps SYS_ADMIN
	set_args probe mount-tmpfs /tmp
	hull_run
	assert_ok
	! grep -q " $BUNDLE/rootfs/tmp " /proc/self/mountinfo ||
		fail "a mount made in the container propagated to the host"
	assert_clean
}

test_rootfs_propagation_invalid() {
	mkbundle
	cfg '.linux.rootfsPropagation = "sideways"'
	hull_run
	assert_error rootfsPropagation
}

# A cwd that does not exist in the rootfs is created (even with a read-only root).
test_cwd_created() {
	mkbundle
	cfg '.process.cwd = "/work/dir/deep"'
	set_args probe
	hull_run
	assert_ok
	assert_eq /work/dir/deep "$(probe_field cwd)" "cwd"
	[ -d "$BUNDLE/rootfs/work/dir/deep" ] || fail "cwd not in the rootfs"
}

test_cwd_existing() {
	mkbundle
	cfg '.process.cwd = "/tmp"'
	hull_run
	assert_ok
	assert_eq /tmp "$(probe_field cwd)" "cwd"
}

# A cwd through a symlink that points out of the rootfs is resolved inside the rootfs: the
# same path exists on the host and in the rootfs, and only the rootfs one is used.
test_cwd_symlink_resolved_in_rootfs() {
	mkbundle
	local hostdir="/tmp/hull-hostdir-$ID"
	mkdir -p "$hostdir" "$BUNDLE/rootfs$hostdir"
	on_cleanup "rm -rf $hostdir"
	ln -s "$hostdir" "$BUNDLE/rootfs/evil"
	cfg '.process.cwd = "/evil/sub"'
	hull_run
	assert_ok
	assert_eq "$hostdir/sub" "$(probe_field cwd)" "cwd"
	[ -d "$BUNDLE/rootfs$hostdir/sub" ] || fail "cwd not created in the rootfs"
	assert_eq "" "$(ls -A "$hostdir")" "the host directory"
}

# The same when the symlink's target exists only on the host: created in the rootfs, or
# refused; never on the host.
test_cwd_dangling_symlink_not_followed_out() {
	mkbundle
	mkdir -p "$T/hostdir"
	ln -s "$T/hostdir" "$BUNDLE/rootfs/evil"
	ln -s "../../../../../../../../$T/hostdir" "$BUNDLE/rootfs/evil2"
	local link
	for link in evil evil2; do
		cfg '.process.cwd = $c' --arg c "/$link/sub"
		hull_run
		if [ "$RC" = 0 ]; then
			[ -d "$BUNDLE/rootfs$T/hostdir/sub" ] || fail "cwd /$link/sub not in the rootfs"
		else
			assert_error "/$link/sub"
		fi
		assert_eq "" "$(ls -A "$T/hostdir")" "the host directory (cwd /$link/sub)"
	done
}
