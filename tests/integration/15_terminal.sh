# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# Terminals: process.terminal with --console-socket (create, run -d, exec -d): the pty master
# goes to the socket (tests/tools/recvtty receives it); foreground `run` and `exec --tty`
# without a socket: hull makes the pty and copies between it and its own stdio — on a real
# terminal (tests/tools/ptyrun, or script(1)), a pipe or /dev/null. The container sees the
# pty slave as stdin/stdout/stderr and controlling terminal, in a session of its own, with the
# window size of hull's terminal; SIGWINCH resizes it.

# tty_field KEY [FILE]: a probe value from terminal output (carriage returns dropped).
tty_field() { probe_field "$1" "$(untty "${2:-$T/tty.out}")"; }

# The terminal facts of `probe tty` output in FILE: stdio on the pty /dev/pts/N, the
# controlling terminal, a session led by the process (pid PID in the container).
assert_on_terminal() { # FILE PID [N]
	local fd f
	f=$(untty "$1")
	for fd in 0 1 2; do
		assert_eq 1 "$(probe_field "tty.$fd" "$f")" "fd $fd is a terminal"
		assert_match "$(probe_field "ttyname.$fd" "$f")" "^/dev/pts/${3:-[0-9]+}\$" "fd $fd's terminal"
	done
	assert_eq 1 "$(probe_field ctty "$f")" "a controlling terminal (/dev/tty opens)"
	assert_match "$(probe_field tty_nr "$f")" '^[1-9][0-9]*$' "tty_nr (a controlling terminal)"
	assert_eq "$2" "$(probe_field pid "$f")" "pid"
	assert_eq "$2" "$(probe_field sid "$f")" "session (led by the process)"
	assert_eq "$2" "$(probe_field tcpgrp "$f")" "foreground process group of the terminal"
}

# A running container without a terminal (for exec).
sleeper() {
	set_args probe sleep 60
	run_container
}

# ------------------------------------------------------------------------- console socket --

test_console_socket_create() {
	mkbundle
	cfg '.process.terminal = true'
	set_sh 'probe fds; exec probe tty'
	start_recvtty
	hull_create --console-socket "$SOCK"
	assert_ok
	wait_until 5 test -s "$T/tty.info"
	assert_eq 1 "$(probe_field fds "$T/tty.info")" "fds in the console message"
	[ -n "$(probe_field payload "$T/tty.info")" ] || fail "empty payload in the console message"
	local n
	n=$(probe_field ptn "$T/tty.info") # fails unless the fd is a pty master
	hull_start
	assert_ok
	wait_until 10 file_has "$T/tty.out" winsize=
	assert_on_terminal "$T/tty.out" 1 "$n"
	assert_eq 0,1,2 "$(tty_field fds)" "fds of the container"
	assert_eq "/dev/pts/$n" "$(tty_field fd.0)" "fd 0"
	# Once the container is gone nobody holds the slave: recvtty sees the hangup.
	wait_status stopped
	wait_until 10 gone "$RTPID"
	assert_eq "" "$(cat "$COUT" "$CERR")" "create's stdio (the container has the terminal)"
	hullg delete "$ID"
	assert_ok
	assert_gone
}

test_console_socket_input() {
	mkbundle
	cfg '.process.terminal = true'
	set_sh 'read x; echo "got=$x"'
	start_recvtty -i $'hello there\n'
	hull_create --console-socket "$SOCK"
	assert_ok
	hull_start
	assert_ok
	wait_until 10 file_has "$T/tty.out" got=
	assert_eq "hello there" "$(tty_field got)" "line read from the terminal"
	wait_status stopped
	hullg delete "$ID"
	assert_ok
}

test_console_socket_window_size() {
	mkbundle
	cfg '.process.terminal = true'
	set_args probe tty
	start_recvtty -w 40x120
	hull_create --console-socket "$SOCK"
	assert_ok
	wait_until 5 test -s "$T/tty.info"
	hull_start
	assert_ok
	wait_until 10 file_has "$T/tty.out" winsize=
	assert_eq "40 120" "$(tty_field winsize)" "window size"
	hullg delete --force "$ID"
	assert_ok
}

test_console_socket_run_detached() {
	mkbundle
	cfg '.process.terminal = true'
	set_args probe tty
	start_recvtty
	hull_run -d --console-socket "$SOCK" --pid-file "$T/c.pid"
	assert_ok
	register_pid "$(cat "$T/c.pid")"
	wait_until 10 file_has "$T/tty.out" winsize=
	assert_on_terminal "$T/tty.out" 1
	hull delete --force "$ID"
	assert_ok
	assert_clean
}

# terminal: true without a console socket cannot detach.
test_terminal_create_without_socket() {
	mkbundle_id
	cfg '.process.terminal = true'
	hull_create
	assert_fails 1
	assert_gone
	assert_eq "" "$(uts_pids "$ID")" "processes after a failed create"
	hull_run -d
	assert_fails 1
	assert_gone
}

# A console socket without terminal: true is an error.
test_console_socket_without_terminal() {
	mkbundle_id
	start_recvtty
	hull_create --console-socket "$SOCK"
	assert_fails 1
	assert_gone
	assert_eq "" "$(uts_pids "$ID")" "processes after a failed create"
}

test_console_socket_missing() {
	mkbundle_id
	cfg '.process.terminal = true'
	hull_create --console-socket "$T/no-such.sock"
	assert_fails 1
	assert_gone
	assert_eq "" "$(uts_pids "$ID")" "processes after a failed create"
	echo not-a-socket >"$T/file.sock"
	hull_create --console-socket "$T/file.sock"
	assert_fails 1
	assert_gone
	assert_eq "" "$(uts_pids "$ID")" "processes after a failed create"
}

# exec -d -t --console-socket (podman's exec): a new session on a new pty.
test_exec_console_socket() {
	mkbundle
	sleeper
	start_recvtty
	hullg exec -d -t --console-socket "$SOCK" --pid-file "$T/e.pid" "$ID" probe tty
	assert_ok
	register_pid "$(cat "$T/e.pid")"
	wait_until 10 file_has "$T/tty.out" winsize=
	local n pid
	n=$(probe_field ptn "$T/tty.info")
	pid=$(tty_field pid)
	[ "$pid" -gt 1 ] || fail "exec'd pid $pid"
	assert_on_terminal "$T/tty.out" "$pid" "$n"
	wait_until 10 gone "$RTPID"
	# The container's own process has no terminal.
	assert_eq /dev/null "$(readlink "/proc/$CPID/fd/0")" "the container's stdin"
	hullg delete --force "$ID"
	assert_ok
	assert_gone
}

# The same through --process with "terminal": true (no --tty).
test_exec_console_socket_process_json() {
	mkbundle
	sleeper
	start_recvtty -i $'typed\n'
	jq -n --arg id "$ID" '{terminal: true, args: ["/bin/sh", "-c", "read x; echo got=$x"],
		env: ["PATH=/bin:/usr/bin", "HULLTEST=\($id)"], cwd: "/"}' >"$T/p.json"
	hullg exec --process "$T/p.json" --detach --console-socket "$SOCK" "$ID"
	assert_ok
	wait_until 10 file_has "$T/tty.out" got=
	assert_eq typed "$(tty_field got)" "line read from the terminal"
	hullg delete --force "$ID"
	assert_ok
}

# -------------------------------------------------------- foreground: hull's own terminal --

# ptyrun_hull [PTYRUN OPTIONS...] -- HULL ARGS...: hull on a new terminal; output in
# $T/tty.out, RC its exit status.
ptyrun_hull() {
	local opts=()
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	rm -f "$T/tty.out"
	LAST_CMD="ptyrun ${opts[*]} -- hull $*"
	RC=0
	"$TOOLS/ptyrun" -t 20 -o "$T/tty.out" "${opts[@]}" -- "$HULL" "$@" </dev/null >"$T/out" 2>"$T/err" ||
		RC=$?
	cp "$T/tty.out" "$T/out" 2>/dev/null || true
}

test_exec_tty_on_terminal() {
	mkbundle
	sleeper
	ptyrun_hull -w 37x101 -- "${GOPTS[@]}" exec -t "$ID" probe tty
	assert_rc 0
	local pid
	pid=$(tty_field pid)
	[ "$pid" -gt 1 ] || fail "exec'd pid $pid"
	assert_on_terminal "$T/tty.out" "$pid"
	assert_eq "37 101" "$(tty_field winsize)" "window size (hull's terminal's)"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_tty_exit_status() {
	mkbundle
	sleeper
	ptyrun_hull -- "${GOPTS[@]}" exec --tty "$ID" sh -c 'exit 5'
	assert_rc 5
	ptyrun_hull -- "${GOPTS[@]}" exec --tty "$ID" sh -c 'kill -KILL $$'
	assert_rc 137
	hullg delete --force "$ID"
	assert_ok
}

test_exec_tty_input() {
	mkbundle
	sleeper
	ptyrun_hull -i $'hello tty\n' -- "${GOPTS[@]}" exec -t "$ID" sh -c 'read x; echo "got=$x"'
	assert_rc 0
	assert_eq "hello tty" "$(tty_field got)" "line read"
	hullg delete --force "$ID"
	assert_ok
}

# The terminal's size follows hull's: SIGWINCH on hull's terminal resizes the container's.
test_exec_tty_sigwinch() {
	mkbundle
	sleeper
	ptyrun_hull -w 20x30 -r 'ready=1=44x55' -- "${GOPTS[@]}" exec -t "$ID" probe winch
	assert_rc 0
	local f
	f=$(untty "$T/tty.out")
	assert_eq "20 30|44 55" "$(probe_fields winsize "$f" | tr '\n' '|' | sed 's/|$//')" \
		"window sizes before and after the resize"
	hullg delete --force "$ID"
	assert_ok
}

# script(1) gives hull a terminal too. (Its stdin is a fifo that stays open: at the end of its
# input script hangs up the terminal.)
test_exec_tty_under_script() {
	mkbundle
	sleeper
	mkfifo "$T/fifo"
	exec 8<>"$T/fifo"
	RC=0
	script -qec "$(printf '%q ' "$HULL" "${GOPTS[@]}" exec -t "$ID" probe tty)" /dev/null \
		<"$T/fifo" >"$T/tty.out" 2>"$T/err" || RC=$?
	exec 8>&-
	assert_rc 0
	local f
	f=$(untty "$T/tty.out")
	assert_eq 1 "$(probe_field tty.0 "$f")" "stdin is a terminal"
	assert_eq 1 "$(probe_field ctty "$f")" "a controlling terminal"
	hullg delete --force "$ID"
	assert_ok
}

# hull's stdin and stdout need not be a terminal: a pipe in, a file out.
# (runc 1.1 refuses without a controlling terminal: "open /dev/tty".)
test_exec_tty_from_pipe() {
	mkbundle
	sleeper
	RC=0
	printf 'piped line\n' | "$HULL" "${GOPTS[@]}" exec -t "$ID" sh -c 'read x; echo "got=$x"; probe tty' \
		>"$T/tty.out" 2>"$T/err" || RC=$?
	LAST_CMD="printf ... | hull exec -t $ID ..."
	assert_rc 0
	assert_eq "piped line" "$(tty_field got)" "line read from the pipe through the terminal"
	assert_eq 1 "$(tty_field tty.0)" "stdin is a terminal"
	hullg delete --force "$ID"
	assert_ok
}

test_exec_tty_from_dev_null() {
	mkbundle
	sleeper
	RC=0
	"$HULL" "${GOPTS[@]}" exec -t "$ID" probe tty </dev/null >"$T/tty.out" 2>"$T/err" || RC=$?
	LAST_CMD="hull exec -t $ID probe tty </dev/null"
	assert_rc 0
	local pid
	pid=$(tty_field pid)
	assert_on_terminal "$T/tty.out" "$pid"
	hullg delete --force "$ID"
	assert_ok
}

test_run_terminal_on_terminal() {
	mkbundle
	cfg '.process.terminal = true'
	set_sh 'probe tty; exit 3'
	register_id "$ID"
	ptyrun_hull -w 31x91 -- run --bundle "$BUNDLE" "$ID"
	assert_rc 3
	assert_eq "31 91" "$(tty_field winsize)" "window size"
	local f
	f=$(untty "$T/tty.out")
	for fd in 0 1 2; do
		assert_eq 1 "$(probe_field "tty.$fd" "$f")" "fd $fd is a terminal"
	done
	assert_eq 1 "$(probe_field ctty "$f")" "controlling terminal"
	assert_eq 1 "$(probe_field sid "$f")" "session (led by the container's pid 1)"
	assert_clean
}

test_run_terminal_input_from_pipe() {
	mkbundle
	cfg '.process.terminal = true'
	set_sh 'read x; echo "got=$x"; exec probe tty'
	register_id "$ID"
	RC=0
	printf 'run line\n' | "$HULL" run --bundle "$BUNDLE" "$ID" >"$T/tty.out" 2>"$T/err" || RC=$?
	LAST_CMD="printf ... | hull run $ID"
	assert_rc 0
	assert_eq "run line" "$(tty_field got)" "line read"
	assert_on_terminal "$T/tty.out" 1
	assert_clean
}

# ------------------------------------------------------------------------ /dev/console --

# config-linux.md: with a terminal, /dev/console is the pty (bind-mounted). Control: without a
# terminal there is no /dev/console in the default /dev.
test_dev_console_is_the_pty() {
	mkbundle
	set_sh 'ls /dev/console >/dev/null 2>&1 && echo console=yes || echo console=no'
	hull_run
	assert_ok
	assert_eq no "$(probe_field console)" "no /dev/console without a terminal"
	cfg '.process.terminal = true'
	assert_console_is_pty
	assert_clean
}

# assert_console_is_pty: run the bundle on a terminal; its /dev/console is that terminal.
assert_console_is_pty() {
	set_sh 'echo "console=$(stat -L -c %t:%T /dev/console)"; echo "fd0=$(stat -L -c %t:%T /proc/self/fd/0)"'
	register_id "$ID"
	ptyrun_hull -- run --bundle "$BUNDLE" "$ID"
	assert_rc 0
	local f
	f=$(untty "$T/tty.out")
	assert_match "$(probe_field console "$f")" '^[0-9a-f]+:[0-9a-f]+$' "/dev/console is a device"
	assert_eq "$(probe_field fd0 "$f")" "$(probe_field console "$f")" "/dev/console is the pty"
}

# The image's /dev instead of a tmpfs (the config has only the devpts mount), terminal on.
image_dev_with_pts() {
	cfg '.process.terminal = true | .mounts |= map(select(.destination != "/dev" and
		(.destination | startswith("/dev/") | not)))'
	cfg '.mounts += [{destination: "/dev/pts", type: "devpts", source: "devpts",
		options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]}]'
	mkdir -p "$BUNDLE/rootfs/dev"
}

# CVE-2025-52565: an image whose /dev/console is a symlink (here to a procfs file, which a
# naive bind of the pty "onto /dev/console" would follow and overmount, defeating masks and
# read-only paths) makes create fail; nothing is mounted anywhere. The config keeps the
# image's /dev (no tmpfs), as a hostile config-free image would need.
test_dev_console_symlink_refused() {
	mkbundle
	image_dev_with_pts
	ln -sfn /proc/sys/kernel/core_pattern "$BUNDLE/rootfs/dev/console"
	ptyrun_hull -- run --bundle "$BUNDLE" "$ID"
	assert_rc 1
	# hull's stderr is the terminal: its message is in the terminal's output
	assert_contains "$(cat "$T/out")" "/dev/console" "the error names /dev/console"
	assert_contains "$(cat "$T/out")" "symlink" "the error says why"
	[ -L "$BUNDLE/rootfs/dev/console" ] || fail "the image's symlink was replaced"
	assert_clean
}

# An image's own regular /dev/console file is mounted over, not followed or replaced.
test_dev_console_image_file() {
	mkbundle
	image_dev_with_pts
	echo image >"$BUNDLE/rootfs/dev/console"
	assert_console_is_pty
	assert_eq image "$(cat "$BUNDLE/rootfs/dev/console")" "the image's file is unchanged"
	assert_clean
}

# A read-only root whose own /dev has no console: the mount point is made while the root is
# still writable, so the terminal still becomes /dev/console.
test_dev_console_readonly_root() {
	mkbundle
	image_dev_with_pts
	rm -f "$BUNDLE/rootfs/dev/console"
	cfg '.root.readonly = true'
	assert_console_is_pty
	assert_clean
}
