# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# /dev: default devices, symlinks, pts and ptmx, shm, linux.devices.

# stat_dev PATH TYPE MAJ:MIN [MODE]: asserts from `probe stat` output in $T/out.<name>.
check_dev() { # PATH TYPE RDEV MODE
	local f
	f="$T/stat.$(echo "$1" | tr / _)"
	sed -n "/^== $(echo "$1" | sed 's|/|\\/|g')\$/,/^== /p" "$T/out" >"$f"
	assert_eq "$2" "$(probe_field type "$f")" "type of $1"
	assert_eq "$3" "$(probe_field rdev "$f")" "rdev of $1"
	[ -z "${4:-}" ] || assert_eq "$4" "$(probe_field mode "$f")" "mode of $1"
}

stat_all() { # PATH...: a script printing "== PATH" then `probe stat PATH` for each
	local s="" p
	for p in "$@"; do s="$s echo '== $p'; probe stat $p;"; done
	echo "$s echo '== end'"
}

test_default_devices() {
	mkbundle
	set_sh "$(stat_all /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty)"
	hull_run
	assert_ok
	check_dev /dev/null chr 1:3 0666
	check_dev /dev/zero chr 1:5 0666
	check_dev /dev/full chr 1:7 0666
	check_dev /dev/random chr 1:8 0666
	check_dev /dev/urandom chr 1:9 0666
	check_dev /dev/tty chr 5:0 0666
}

test_default_devices_work() {
	mkbundle
	set_sh 'probe write /dev/null x; probe read /dev/zero 4; probe write /dev/full x;
		probe read /dev/urandom 16'
	hull_run
	assert_ok
	assert_eq 1 "$(probe_field ok)" "writing /dev/null"
	assert_eq 00000000 "$(probe_field hex)" "reading /dev/zero"
	assert_eq ENOSPC "$(probe_field errno)" "writing /dev/full"
	assert_eq 16 "$(probe_fields bytes | tail -n1)" "reading /dev/urandom"
}

test_dev_symlinks() {
	mkbundle
	set_sh "$(stat_all /dev/fd /dev/stdin /dev/stdout /dev/stderr /dev/ptmx)"
	hull_run
	assert_ok
	local f
	sed -n '/^== \/dev\/fd$/,/^== /p' "$T/out" >"$T/fd"
	assert_eq symlink "$(probe_field type "$T/fd")" "type of /dev/fd"
	assert_eq /proc/self/fd "$(probe_field target "$T/fd")" "/dev/fd"
	local i=0 n
	for n in stdin stdout stderr; do
		sed -n "/^== \/dev\/$n\$/,/^== /p" "$T/out" >"$T/$n"
		assert_eq symlink "$(probe_field type "$T/$n")" "type of /dev/$n"
		assert_eq "/proc/self/fd/$i" "$(probe_field target "$T/$n")" "/dev/$n"
		i=$((i + 1))
	done
	# /dev/ptmx is the one of the container's devpts instance (a symlink to pts/ptmx, or a
	# bind of it).
	sed -n '/^== \/dev\/ptmx$/,/^== /p' "$T/out" >"$T/ptmx"
	if [ "$(probe_field type "$T/ptmx")" = symlink ]; then
		assert_eq pts/ptmx "$(probe_field target "$T/ptmx")" "/dev/ptmx"
	else
		assert_eq chr "$(probe_field type "$T/ptmx")" "/dev/ptmx"
		assert_eq 5:2 "$(probe_field rdev "$T/ptmx")" "/dev/ptmx"
	fi
}

test_dev_fd_works() {
	mkbundle
	set_sh 'echo via-dev-stdout >>/dev/stdout; echo via-dev-stderr >>/dev/stderr'
	hull_run
	assert_rc 0
	assert_contains "$OUT" via-dev-stdout "stdout"
	assert_eq via-dev-stderr "$ERR" "stderr"
}

test_devpts_ptmx() {
	mkbundle
	set_sh 'probe openpty; probe mounts'
	hull_run
	assert_ok
	assert_eq /dev/pts/0 "$(probe_field pty)" "the first pty of the container's own devpts"
	assert_eq 136:0 "$(probe_field pty_rdev)" "rdev of /dev/pts/0"
	assert_eq devpts "$(mount_type /dev/pts)" "/dev/pts"
	assert_opt "$(mount_superopts /dev/pts)" ptmxmode=666 "/dev/pts"
}

test_dev_shm_writable() {
	mkbundle
	set_sh 'probe write /dev/shm/seg data && probe stat /dev/shm'
	hull_run
	assert_ok
	assert_eq 1777 "$(probe_field mode)" "mode of /dev/shm"
}

# Nothing else from the host's /dev.
test_dev_contents() {
	mkbundle
	set_args probe ls /dev
	hull_run
	assert_ok
	local name
	for name in $OUT; do
		case $name in
		null | zero | full | random | urandom | tty | ptmx | fd | stdin | stdout | stderr | \
			core | pts | shm | mqueue | console) ;;
		*) fail "unexpected /dev/$name in the container" ;;
		esac
	done
}

test_linux_devices() {
	mkbundle
	cfg '.linux.devices = [
	  {path: "/dev/mynull", type: "c", major: 1, minor: 3, fileMode: 432, uid: 1000, gid: 1001},
	  {path: "/dev/sub/dir/myzero", type: "c", major: 1, minor: 5},
	  {path: "/dev/myblk", type: "b", major: 7, minor: 200, fileMode: 384},
	  {path: "/dev/myfifo", type: "p"}]'
	set_sh "$(stat_all /dev/mynull /dev/sub/dir/myzero /dev/myblk /dev/myfifo)"
	hull_run
	assert_ok
	check_dev /dev/mynull chr 1:3 0660
	check_dev /dev/sub/dir/myzero chr 1:5
	check_dev /dev/myblk blk 7:200 0600
	check_dev /dev/myfifo fifo 0:0
	local f="$T/stat._dev_mynull"
	assert_eq 1000 "$(probe_field uid "$f")" "uid of /dev/mynull"
	assert_eq 1001 "$(probe_field gid "$f")" "gid of /dev/mynull"
}

test_linux_devices_usable() {
	mkbundle
	cfg '.linux.devices = [{path: "/dev/mynull", type: "c", major: 1, minor: 3, fileMode: 438}]'
	set_args probe write /dev/mynull x
	hull_run
	assert_ok
}

# A configured device replaces a default one of the same path.
test_linux_devices_override_default() {
	mkbundle
	cfg '.linux.devices = [{path: "/dev/full", type: "c", major: 1, minor: 5, fileMode: 438}]'
	set_args probe stat /dev/full
	hull_run
	assert_ok
	assert_eq 1:5 "$(probe_field rdev)" "rdev of the configured /dev/full"
}

test_linux_devices_bad_type() {
	mkbundle
	cfg '.linux.devices = [{path: "/dev/x", type: "z", major: 1, minor: 3}]'
	hull_run
	assert_error linux.devices
}

# In a user namespace mknod is impossible: the devices are still there and work.
test_devices_in_user_namespace() {
	mkbundle
	userns 100000 65536
	chown_rootfs 100000:100000
	# A host device (engines pass real ones, such as /dev/net/tun or /dev/fuse).
	[ -c /dev/net/tun ] || fail "this test needs the host's /dev/net/tun"
	cfg '.linux.devices = [{path: "/dev/net/tun", type: "c", major: 10, minor: 200,
	                        fileMode: 438}]'
	set_sh "probe write /dev/null x && probe read /dev/zero 2 &&
		$(stat_all /dev/null /dev/net/tun /dev/urandom)"
	hull_run
	assert_ok
	check_dev /dev/null chr 1:3
	check_dev /dev/net/tun chr 10:200
	check_dev /dev/urandom chr 1:9
	assert_eq 0000 "$(probe_field hex)" "reading /dev/zero"
}

# A bind-mounted /dev (config) replaces the default one.
test_dev_bind_from_config() {
	mkbundle
	mkdir -p "$T/mydev"
	touch "$T/mydev/marker"
	cfg '.mounts |= map(select(.destination | startswith("/dev") | not))'
	add_bind /dev "$T/mydev"
	set_args probe ls /dev
	hull_run
	assert_ok
	assert_contains "$OUT" marker "/dev"
}
