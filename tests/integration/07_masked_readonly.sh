# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# maskedPaths and readonlyPaths.

# The masked file of the default list that this kernel has (it has no /proc/kcore).
MASKED=/proc/timer_list

# The control: without masking, root reads bytes from /proc/timer_list, so the masked test
# below can tell a mask from a permission error.
test_masked_file_readable_unmasked() {
	mkbundle
	all_caps
	cfg '.linux.maskedPaths = []'
	set_args probe read "$MASKED" 16
	hull_run
	assert_ok
	[ "$(probe_field bytes)" -gt 0 ] || fail "unmasked $MASKED gave no bytes"
}

test_masked_file() {
	mkbundle
	all_caps
	set_sh "probe read $MASKED 16; probe stat $MASKED"
	hull_run
	assert_ok
	assert_eq 0 "$(probe_field bytes)" "bytes read from the masked $MASKED"
	assert_eq chr "$(probe_field type)" "masked $MASKED"
	assert_eq 1:3 "$(probe_field rdev)" "masked $MASKED (the null device)"
}

# Writes to a masked file go nowhere either.
test_masked_file_write() {
	mkbundle
	all_caps
	echo original >"$T/f"
	add_bind /data/f "$T/f"
	cfg '.linux.maskedPaths += ["/data/f"]'
	set_sh 'probe write /data/f overwritten; probe cat /data/f; echo'
	hull_run
	assert_ok
	assert_eq original "$(cat "$T/f")" "the masked file on the host"
}

test_masked_directory() {
	mkbundle
	all_caps
	mkdir -p "$T/src"
	echo secret >"$T/src/secret"
	add_bind /data "$T/src"
	cfg '.linux.maskedPaths += ["/data"]'
	set_sh 'echo data=$(ls -A /data); echo firmware=$(ls -A /sys/firmware); echo acpi=$(ls -A /proc/acpi 2>&1);
		probe write /data/new x'
	hull_run
	assert_rc 1
	assert_eq "" "$(probe_field data)" "the masked /data"
	assert_eq "" "$(probe_field firmware)" "the masked /sys/firmware"
	assert_eq "" "$(probe_field acpi)" "the masked /proc/acpi"
	assert_match "$(probe_field errno)" '^(EROFS|EACCES|EPERM)$' "writing into a masked directory"
	[ ! -e "$T/src/new" ] || fail "written into the masked directory's source"
	[ "$(ls /sys/firmware | wc -l)" -gt 0 ] || fail "host /sys/firmware empty: cannot compare"
}

test_masked_nonexistent_is_ignored() {
	mkbundle
	cfg '.linux.maskedPaths += ["/no/such/path", "/proc/no-such-entry"]'
	set_args probe exit 0
	hull_run
	assert_ok
}

# /proc/sys is read-only: a write fails with EROFS although the capability would allow it.
test_readonly_proc_sys() {
	mkbundle
	all_caps
	set_sh 'probe write /proc/sys/kernel/domainname changed; probe'
	hull_run
	assert_rc 0
	assert_eq EROFS "$(probe_field errno)" "writing /proc/sys/kernel/domainname"
	assert_ne changed "$(probe_field domainname)" "domainname"
	assert_opt "$(mount_opts /proc/sys)" ro "mount options of /proc/sys"
}

# The control: without readonlyPaths the same write works (and stays in the container's
# UTS namespace).
test_proc_sys_writable_without_readonly_paths() {
	mkbundle
	all_caps
	cfg '.linux.readonlyPaths = []'
	set_sh 'probe write /proc/sys/kernel/domainname changed && probe'
	hull_run
	assert_ok
	assert_eq changed "$(probe_field domainname)" "domainname after the write"
	assert_ne changed "$(cat /proc/sys/kernel/domainname)" "the host's domainname"
}

test_readonly_paths_mounts() {
	mkbundle
	set_args probe mounts
	hull_run
	assert_ok
	local p
	for p in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do
		[ -e "$p" ] || continue # not in this kernel
		assert_opt "$(mount_opts "$p")" ro "mount options of $p"
	done
}

test_readonly_custom_directory() {
	mkbundle
	all_caps
	mkdir -p "$T/src/sub"
	host_mount -t tmpfs subfs "$T/src/sub"
	add_bind /data "$T/src" rbind
	cfg '.linux.readonlyPaths += ["/data"]'
	set_sh 'probe write /data/x y; probe write /data/sub/x y; probe cat /data/sub/x'
	hull_run
	assert_rc 1
	# Read-only all the way down (submounts included), as runc does.
	assert_eq "EROFS EROFS" "$(probe_fields errno | head -n2 | paste -sd' ')" "writes"
	[ ! -e "$T/src/x" ] && [ ! -e "$T/src/sub/x" ] || fail "written through a read-only path"
	touch "$T/src/host-still-writable" || fail "the host directory became read-only"
}

test_readonly_nonexistent_is_ignored() {
	mkbundle
	cfg '.linux.readonlyPaths += ["/no/such/path"]'
	set_args probe exit 0
	hull_run
	assert_ok
}
