# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# Config mounts: order, bind/rbind, flags, tmpfs data, propagation, symlinks in destinations.

# A host directory with a file in it, as a bind source.
mk_src() { # DIR
	mkdir -p "$1"
	echo host-content >"$1/file"
}

test_default_mounts() {
	mkbundle
	hull_run
	assert_ok
	assert_eq proc "$(mount_type /proc)" "/proc"
	assert_eq tmpfs "$(mount_type /dev)" "/dev"
	assert_eq devpts "$(mount_type /dev/pts)" "/dev/pts"
	assert_eq tmpfs "$(mount_type /dev/shm)" "/dev/shm"
	assert_eq mqueue "$(mount_type /dev/mqueue)" "/dev/mqueue"
	assert_eq sysfs "$(mount_type /sys)" "/sys"
	assert_opt "$(mount_opts /sys)" ro "/sys"
	[ -n "$(mount_line /sys/fs/cgroup)" ] || fail "no mount on /sys/fs/cgroup"
	assert_opt "$(mount_opts /sys/fs/cgroup)" ro "/sys/fs/cgroup"
	local o
	o=$(mount_opts /dev/shm)
	for f in nosuid noexec nodev; do assert_opt "$o" "$f" "/dev/shm"; done
	assert_opt "$(mount_superopts /dev/pts)" gid=5 "/dev/pts"
	assert_opt "$(mount_superopts /dev/pts)" mode=620 "/dev/pts"
	assert_opt "$(mount_superopts /dev/pts)" ptmxmode=666 "/dev/pts"
	assert_opt "$(mount_superopts /dev)" mode=755 "/dev"
	assert_opt "$(mount_superopts /dev)" size=65536k "/dev"
}

# The cgroup mount shows the host's hierarchies (read-only).
test_cgroup_mount() {
	mkbundle
	set_sh 'probe ls /sys/fs/cgroup; probe write /sys/fs/cgroup/x y'
	hull_run
	assert_rc 1
	local h
	for h in $(cd /sys/fs/cgroup && ls); do
		[ -d "/sys/fs/cgroup/$h" ] || continue
		grep -qx "$h" "$T/out" || fail "hierarchy $h missing in the container's /sys/fs/cgroup"
	done
	assert_eq EROFS "$(probe_field errno)" "writing to /sys/fs/cgroup"
}

# Mounts are made in the order given: a later one covers an earlier one.
test_mount_order() {
	mkbundle
	mk_src "$T/src"
	add_bind /data "$T/src"
	add_mount /data tmpfs tmpfs size=1m
	add_mount /data/inner tmpfs tmpfs size=2m
	set_sh 'probe ls /data; probe mounts'
	hull_run
	assert_ok
	assert_eq tmpfs "$(mount_type /data)" "/data (the last mount on it)"
	assert_eq tmpfs "$(mount_type /data/inner)" "/data/inner"
	assert_opt "$(mount_superopts /data/inner)" size=2048k "/data/inner"
	assert_eq inner "$(sed -n '/^[^=]*$/p' "$T/out")" "ls /data"
	# The order in the mount table is the config's.
	assert_eq "/data /data /data/inner" \
		"$(probe_fields mount | awk '$1 ~ /^\/data/ {print $1}' | paste -sd' ')" "mount order"
	# The host directory got nothing (inner was created in the tmpfs).
	assert_eq file "$(ls -A "$T/src")" "bind source"
}

test_bind_rw() {
	mkbundle
	mk_src "$T/src"
	add_bind /data "$T/src"
	set_sh 'probe cat /data/file && probe write /data/new from-container && probe mounts'
	hull_run
	assert_ok
	assert_contains "$OUT" host-content "reading the bind mount"
	assert_eq from-container "$(cat "$T/src/new")" "file written through the bind mount"
	assert_opt "$(mount_opts /data)" rw "/data"
}

test_bind_ro() {
	mkbundle
	mk_src "$T/src"
	add_bind /data "$T/src" ro
	set_sh 'probe cat /data/file; probe write /data/new x; probe mounts'
	hull_run
	assert_ok
	assert_contains "$OUT" host-content "reading the ro bind mount"
	assert_eq EROFS "$(probe_field errno)" "writing to the ro bind mount"
	assert_opt "$(mount_opts /data)" ro "/data"
	[ ! -e "$T/src/new" ] || fail "written through a ro bind mount"
	# The host's mount is untouched.
	touch "$T/src/host-still-writable" || fail "the host directory became read-only"
}

test_bind_nosuid_nodev_noexec() {
	mkbundle
	mk_src "$T/src"
	cp "$PROBE" "$T/src/probe-copy"
	add_bind /data "$T/src" nosuid nodev noexec
	set_sh 'probe mounts; /data/probe-copy exit 0; echo exec-status=$?'
	hull_run
	assert_rc 0
	assert_contains "$ERR" "Permission denied" "stderr"
	local o
	o=$(mount_opts /data)
	for f in nosuid nodev noexec; do assert_opt "$o" "$f" "/data"; done
	assert_eq 126 "$(probe_field exec-status)" "running a program from a noexec mount"
}

test_bind_exec_allowed_without_noexec() {
	mkbundle
	mk_src "$T/src"
	cp "$PROBE" "$T/src/probe-copy"
	add_bind /data "$T/src"
	set_sh '/data/probe-copy exit 0; echo exec-status=$?'
	hull_run
	assert_ok
	assert_eq 0 "$(probe_field exec-status)" "running a program from the bind mount"
}

# bind does not take the submounts of the source along; rbind does.
test_bind_vs_rbind() {
	mkbundle
	mk_src "$T/src"
	mkdir -p "$T/src/sub"
	host_mount -t tmpfs subfs "$T/src/sub"
	echo in-submount >"$T/src/sub/subfile"
	add_bind /plain "$T/src" bind
	add_bind /recursive "$T/src" rbind
	set_sh 'echo plain=$(ls /plain/sub | tr "\n" ,); echo recursive=$(ls /recursive/sub | tr "\n" ,)'
	hull_run
	assert_ok
	assert_eq "" "$(probe_field plain)" "bind: the submount"
	assert_eq "subfile," "$(probe_field recursive)" "rbind: the submount"
}

# rro: read-only all the way down (mount_setattr AT_RECURSIVE); ro alone covers only the top.
test_rbind_rro() {
	mkbundle
	mk_src "$T/src"
	mkdir -p "$T/src/sub"
	host_mount -t tmpfs subfs "$T/src/sub"
	add_bind /rro "$T/src" rbind rro
	add_bind /ro "$T/src" rbind ro
	set_sh 'probe write /rro/sub/x y; echo; probe write /ro/x y; echo; probe write /ro/sub/x y'
	hull_run
	assert_ok
	assert_eq "EROFS EROFS" "$(probe_fields errno | paste -sd' ')" "writes to /rro/sub and /ro"
	assert_eq ok=1 "$(tail -n1 "$T/out")" "write to a submount of a plain ro rbind"
}

test_tmpfs_size_mode() {
	mkbundle
	add_mount /t tmpfs tmpfs size=1m mode=700 nosuid
	set_sh 'probe stat /t; probe mounts'
	hull_run
	assert_ok
	assert_eq dir "$(probe_field type)" "type of /t"
	assert_eq 0700 "$(probe_field mode)" "mode of /t"
	assert_opt "$(mount_superopts /t)" size=1024k "tmpfs options"
	assert_opt "$(mount_opts /t)" nosuid "mount options"
}

test_tmpfs_size_enforced() {
	mkbundle
	add_mount /t tmpfs tmpfs size=64k
	set_sh 'dd if=/dev/zero of=/t/big bs=1k count=256 2>/dev/null; echo dd=$?; echo size=$(stat -c %s /t/big)'
	hull_run
	assert_ok
	assert_ne 0 "$(probe_field dd)" "dd beyond the tmpfs size"
	[ "$(probe_field size)" -le 65536 ] || fail "wrote $(probe_field size) bytes in a 64k tmpfs"
}

test_atime_flags() {
	mkbundle
	add_mount /noatime tmpfs tmpfs noatime
	add_mount /strict tmpfs tmpfs strictatime
	add_mount /nodiratime tmpfs tmpfs nodiratime
	add_mount /relatime tmpfs tmpfs relatime
	set_args probe mounts
	hull_run
	assert_ok
	assert_opt "$(mount_opts /noatime)" noatime "/noatime"
	assert_no_opt "$(mount_opts /strict)" relatime "/strict"
	assert_no_opt "$(mount_opts /strict)" noatime "/strict"
	assert_opt "$(mount_opts /nodiratime)" nodiratime "/nodiratime"
	assert_opt "$(mount_opts /relatime)" relatime "/relatime"
}

test_mount_ro_and_rw_flags() {
	mkbundle
	add_mount /rot tmpfs tmpfs ro
	add_mount /rwt tmpfs tmpfs rw
	set_sh 'probe write /rot/x y; probe write /rwt/x y; probe mounts'
	hull_run
	assert_ok
	assert_eq EROFS "$(probe_field errno)" "write to the ro tmpfs"
	assert_eq 1 "$(probe_field ok)" "write to the rw tmpfs"
	assert_opt "$(mount_opts /rot)" ro "/rot"
	assert_opt "$(mount_opts /rwt)" rw "/rwt"
}

test_mount_propagation_flags() {
	mkbundle
	add_mount /p/shared tmpfs tmpfs shared
	add_mount /p/slave tmpfs tmpfs rslave
	add_mount /p/private tmpfs tmpfs private
	add_mount /p/unbindable tmpfs tmpfs unbindable
	set_args probe mounts
	hull_run
	assert_ok
	assert_contains "$(mount_prop /p/shared)" shared: "propagation of /p/shared"
	# A slave of nothing shows as private: what matters is that it is not shared.
	assert_not_contains "$(mount_prop /p/slave)" shared: "propagation of /p/slave"
	assert_eq private "$(mount_prop /p/private)" "propagation of /p/private"
	assert_eq unbindable "$(mount_prop /p/unbindable)" "propagation of /p/unbindable"
}

# A bind of a shared host mount with rslave receives the host's later mounts.
test_bind_rslave_receives_host_mounts() {
	mkbundle
	mk_src "$T/src"
	mkdir -p "$T/src/later"
	host_mount --bind "$T/src" "$T/src"
	mount --make-shared "$T/src"
	add_bind /data "$T/src" rbind rslave
	add_caps SYS_ADMIN
	set_sh 'echo started=1; while [ ! -e /data/go ]; do sleep 0.05; done;
		probe mounts | grep -q "^mount=/data/later tmpfs" && echo seen=1 || echo seen=0'
	hull_run_bg
	wait_until 10 file_has "$T/out" started=1
	host_mount -t tmpfs later "$T/src/later"
	touch "$T/src/go"
	hull_wait
	assert_ok
	assert_eq 1 "$(probe_field seen)" "host mount seen through the rslave bind"
	umount "$T/src/later"
}

test_bind_file() {
	mkbundle
	echo file-from-host >"$T/hostfile"
	add_bind /etc/injected "$T/hostfile" ro
	add_bind /newdir/file2 "$T/hostfile"
	set_sh 'probe cat /etc/injected; probe stat /newdir/file2'
	hull_run
	assert_ok
	assert_contains "$OUT" file-from-host "the bound file"
	assert_eq file "$(probe_field type)" "a file bound on a missing destination is a file"
}

test_bind_relative_source() {
	mkbundle
	mk_src "$BUNDLE/in-bundle"
	add_bind /data in-bundle
	set_args probe cat /data/file
	hull_run
	assert_ok
	assert_eq host-content "$OUT" "a bind source relative to the bundle"
}

test_relative_destination() {
	mkbundle
	add_mount data tmpfs tmpfs size=1m
	set_args probe mounts
	hull_run
	assert_ok
	assert_eq tmpfs "$(mount_type /data)" "relative destination mounted at /data"
}

test_mount_proc_sysfs_mqueue_extra() {
	mkbundle
	add_mount /proc2 proc proc
	add_mount /mq2 mqueue mqueue
	add_mount /sys2 sysfs sysfs ro
	set_args probe mounts
	hull_run
	assert_ok
	assert_eq proc "$(mount_type /proc2)" "/proc2"
	assert_eq mqueue "$(mount_type /mq2)" "/mq2"
	assert_eq sysfs "$(mount_type /sys2)" "/sys2"
}

# Destinations through symlinks stay in the rootfs: the host paths the symlinks name (which
# exist on the host) are untouched; the same paths inside the rootfs are used instead.
test_destination_symlink_absolute() {
	mkbundle
	local hostdir="/tmp/hull-hostdir-$ID"
	mkdir -p "$hostdir" "$BUNDLE/rootfs$hostdir"
	echo sentinel >"$hostdir/sentinel"
	on_cleanup "rm -rf $hostdir"
	ln -s "$hostdir" "$BUNDLE/rootfs/evil"
	add_mount /evil tmpfs tmpfs size=1m
	add_mount /evil/deeper/dir tmpfs tmpfs size=1m
	set_args probe mounts
	hull_run
	assert_ok
	assert_eq tmpfs "$(mount_type "$hostdir")" "mount through /evil (inside the container)"
	assert_eq tmpfs "$(mount_type "$hostdir/deeper/dir")" "mount through /evil/deeper/dir"
	assert_eq sentinel "$(ls -A "$hostdir")" "the host directory"
	! grep -q " $hostdir" /proc/self/mountinfo || fail "a mount landed on the host directory"
	assert_clean
}

test_destination_symlink_relative() {
	mkbundle
	local hostdir="/tmp/hull-hostdir-$ID"
	mkdir -p "$hostdir" "$BUNDLE/rootfs$hostdir"
	echo sentinel >"$hostdir/sentinel"
	on_cleanup "rm -rf $hostdir"
	ln -s "../../../../../../../../../..$hostdir" "$BUNDLE/rootfs/evil"
	mkdir -p "$BUNDLE/rootfs/a/b"
	ln -s "../../../../../../../..$hostdir" "$BUNDLE/rootfs/a/b/evil2"
	add_mount /evil tmpfs tmpfs size=1m
	add_mount /a/b/evil2/sub tmpfs tmpfs size=1m
	set_args probe mounts
	hull_run
	assert_ok
	assert_eq tmpfs "$(mount_type "$hostdir")" "mount through /evil"
	assert_eq tmpfs "$(mount_type "$hostdir/sub")" "mount through /a/b/evil2/sub"
	assert_eq sentinel "$(ls -A "$hostdir")" "the host directory"
	assert_clean
}

# A symlinked file destination: the bind goes on the rootfs's file, not the host's.
test_destination_symlink_file() {
	mkbundle
	local hostfile="/tmp/hull-hostfile-$ID"
	echo host-original >"$hostfile"
	on_cleanup "rm -f $hostfile"
	mkdir -p "$BUNDLE/rootfs/tmp"
	echo rootfs-original >"$BUNDLE/rootfs$hostfile"
	ln -s "$hostfile" "$BUNDLE/rootfs/etc/evilfile"
	echo injected >"$T/src-file"
	add_bind /etc/evilfile "$T/src-file"
	set_args probe cat "$hostfile"
	hull_run
	assert_ok
	assert_eq injected "$OUT" "the file in the container"
	assert_eq host-original "$(cat "$hostfile")" "the host file"
	! grep -q " $hostfile " /proc/self/mountinfo || fail "a mount landed on the host file"
}

# A dangling symlink (its target exists only on the host): the mount is made in the rootfs or
# refused, and never on the host.
test_destination_dangling_symlink() {
	mkbundle
	mkdir -p "$T/hostdir"
	echo sentinel >"$T/hostdir/sentinel"
	ln -s "$T/hostdir" "$BUNDLE/rootfs/evil"
	add_mount /evil/sub tmpfs tmpfs size=1m
	set_args probe mounts
	hull_run
	if [ "$RC" = 0 ]; then
		assert_eq tmpfs "$(mount_type "$T/hostdir/sub")" "mount through the dangling /evil"
		[ -d "$BUNDLE/rootfs$T/hostdir/sub" ] || fail "destination not created in the rootfs"
	else
		assert_error /evil
	fi
	assert_eq sentinel "$(ls -A "$T/hostdir")" "the host directory"
	! grep -q " $T/hostdir" /proc/self/mountinfo || fail "a mount landed on the host directory"
}

# A destination with .. components cannot climb out of the rootfs either.
test_destination_dotdot() {
	mkbundle
	local hostdir="/tmp/hull-hostdir-$ID"
	mkdir -p "$hostdir"
	on_cleanup "rm -rf $hostdir"
	add_mount "/../../../../../../..$hostdir" tmpfs tmpfs size=1m
	set_args probe mounts
	hull_run
	if [ "$RC" = 0 ]; then
		assert_eq tmpfs "$(mount_type "$hostdir")" "mount of a .. destination"
	else
		assert_error mounts
	fi
	assert_eq "" "$(ls -A "$hostdir")" "the host directory"
	! grep -q " $hostdir " /proc/self/mountinfo || fail "a mount landed on the host directory"
}

# Symlinks that stay inside the rootfs are followed, as images rely on (/var/run -> /run).
test_destination_symlink_inside() {
	mkbundle
	mkdir -p "$BUNDLE/rootfs/var" "$BUNDLE/rootfs/run"
	ln -s /run "$BUNDLE/rootfs/var/run"
	add_mount /var/run/sub tmpfs tmpfs size=1m
	set_args probe mounts
	hull_run
	assert_ok
	assert_eq tmpfs "$(mount_type /run/sub)" "mount through /var/run"
}
