#!/bin/bash
# Engine tests: podman 4.3 (conmon) and containerd 1.6 (ctr, runc v2 shim) driving the runtime
# $HULL (default build/hull) exactly as they drive runc. See tests/engines/README.md.
#   tests/engines/run.sh [FILTER]     run the tests whose "engine/test" name matches the regex
#   HULL=/usr/sbin/runc tests/engines/run.sh    validates the harness itself with runc
# Environment: HULL (runtime binary), HULL_ENGINES_TIMEOUT (seconds per engine command, default
# 20), HULL_ENGINES_STATE_ROOT (the runtime's default state root, used for podman; default
# /run/<basename of $HULL>), HULL_ENGINES_NO_DEPS=1 (do not run scripts/deps.sh),
# HULL_ENGINES_OCI=manual (write the OCI image layout by hand even when umoci is there),
# HULL_ENGINES_KEEP=1 (keep the temp dir after the run, for debugging).
# Everything is isolated under one temp dir: podman's root/runroot/tmp/config, containerd's
# config/root/state/socket (the runner starts containerd and stops it by PID at the end).
# Prints "PASS name (Ns)" or "FAIL name" plus indented reasons per test; the last line is
# "engines: N passed, M failed"; the exit status is non-zero when M > 0.
set -u -o pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD

HULL=${HULL:-$ROOT/build/hull}
filter=${1:-}
TMO=${HULL_ENGINES_TIMEOUT:-20}
case $HULL in /*) ;; *) HULL=$ROOT/$HULL ;; esac

pass=0
fail=0
failed=()

die_setup() { # MESSAGE: nothing can be tested
	echo "FAIL engines/setup"
	echo "    $*"
	echo "engines: 0 passed, 1 failed"
	exit 1
}

[ "$(id -u)" = 0 ] || die_setup "must run as root"
[ -x "$HULL" ] || die_setup "runtime under test $HULL is not an executable file"
if [ "${HULL_ENGINES_NO_DEPS:-0}" != 1 ]; then
	HULL_WITH_ENGINE_DEPS=1 ./scripts/deps.sh >&2 || die_setup "HULL_WITH_ENGINE_DEPS=1 scripts/deps.sh failed"
fi
for tool in podman conmon containerd containerd-shim-runc-v2 ctr script jq tar sha256sum; do
	command -v "$tool" >/dev/null ||
		die_setup "$tool is missing (HULL_WITH_ENGINE_DEPS=1 scripts/deps.sh installs it)"
done
./scripts/mkrootfs.sh build/rootfs build/tests/probe/probe >&2 || die_setup "scripts/mkrootfs.sh failed"
ROOTFS=$ROOT/build/rootfs
[ -x "$ROOTFS/bin/busybox" ] || die_setup "no rootfs at $ROOTFS"

LOGDIR=$ROOT/build/engines-results # not build/test-results: the integration runner empties it
mkdir -p "$LOGDIR"
T=$(mktemp -d /tmp/hull-engines.XXXXXX) || die_setup "mktemp failed"
chmod 711 "$T"
TOKEN="hull-engines-$$-$RANDOM"            # in every container's environment: finds leftovers
CGPARENT="hull-engines-$$"                 # cgroup parents: $CGPARENT-podman, -containerd
RT_ROOT=${HULL_ENGINES_STATE_ROOT:-/run/$(basename "$HULL")} # runtime state root podman uses
IMAGE=localhost/hull-busybox:latest
CTD_PID=

# ---------------------------------------------------------------- helpers

tmo() { timeout -k 5 "$TMO" "$@"; }

# x CMD...: run CMD (with a timeout unless it is one of our functions, which have their own);
# sets RC, OUT, ERR (stdout, stderr) and logs them. Never fails itself.
x() {
	echo "+ $*"
	RC=0
	if [ "$(type -t "$1")" = function ]; then
		"$@" >"$T/.out" 2>"$T/.err" </dev/null || RC=$?
	else
		tmo "$@" >"$T/.out" 2>"$T/.err" </dev/null || RC=$?
	fi
	OUT=$(cat "$T/.out")
	ERR=$(cat "$T/.err")
	[ -z "$OUT" ] || printf '%s\n' "$OUT" | sed 's/^/  out: /'
	[ -z "$ERR" ] || printf '%s\n' "$ERR" | sed 's/^/  err: /'
	echo "  rc=$RC"
	return 0
}

# xtty CMD...: the same with a pty as CMD's stdin/stdout (script -e passes the exit status).
xtty() {
	local cmd
	cmd=$(printf '%q ' "$@")
	echo "+ (tty) $*"
	RC=0
	tmo script -qec "$cmd" /dev/null >"$T/.out" 2>"$T/.err" </dev/null || RC=$?
	OUT=$(tr -d '\r' <"$T/.out")
	ERR=$(cat "$T/.err")
	[ -z "$OUT" ] || printf '%s\n' "$OUT" | sed 's/^/  out: /'
	[ -z "$ERR" ] || printf '%s\n' "$ERR" | sed 's/^/  err: /'
	echo "  rc=$RC"
}

reason() { echo "$*" >>"$T/.reason"; }
# why: the last stderr line of the previous x, for reasons
why() {
	local l
	l=$(printf '%s\n' "${OUT:-}" "${ERR:-}" | { grep -v '^$' || true; } | tail -n 2 | tr '\n' ' ')
	echo "${l:0:300}"
}

ok() { # WHAT: the previous x exited 0
	[ "$RC" = 0 ] && return 0
	reason "$1: exit $RC: $(why)"
	return 1
}
expect_rc() { # N WHAT
	[ "$RC" = "$1" ] && return 0
	reason "$2: exit $RC, expected $1: $(why)"
	return 1
}
expect_eq() { # ACTUAL EXPECTED WHAT
	[ "$1" = "$2" ] && return 0
	reason "$3: got '${1:0:200}', expected '$2'"
	return 1
}
expect_match() { # ACTUAL REGEX WHAT
	[[ $1 =~ $2 ]] && return 0
	reason "$3: got '${1:0:200}', expected a match of /$2/"
	return 1
}

# The output of `sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo both-ttys'` through a pty (the pty may
# also echo what script(1) forwards from its stdin, like ^@, hence no anchors).
expect_tty_output() {
	expect_match "$OUT" '/dev/pts/[0-9]+' "tty(1) in the exec"
	expect_match "$OUT" 'both-ttys' "stdin and stdout of the exec are ttys"
}

# wait_for SECONDS CMD...: until CMD succeeds (polls every 0.1s)
wait_for() {
	local n=$(($1 * 10))
	shift
	while ((n-- > 0)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# The counter file a container writes every 0.1s, read from the host through /proc/PID/root.
counter_at() { cat "/proc/$1/root/tmp/counter" 2>/dev/null; }
COUNTER_SH='i=0; while :; do i=$((i+1)); echo $i >/tmp/counter; sleep 0.1; done'
# PID 1 of a container: exits 42 on SIGTERM (PID 1 has no default action for it).
TRAP_SH='trap "exit 42" TERM; sleep 1000 & wait'

# Processes of this run still alive: a container process (TOKEN in its environment) or an engine
# helper (conmon, shim) whose command line names the temp dir.
leftover_procs() {
	local p cmd
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = $$ ] || [ "$p" = "$BASHPID" ] && continue
		if grep -qa -- "HULL_ENGINES_TOKEN=$TOKEN" "/proc/$p/environ" 2>/dev/null; then
			echo "$p ($({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null | cut -c1-80))"
			continue
		fi
		cmd=$({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null) || continue
		case $cmd in *"$T/"*) echo "$p (${cmd:0:100})" ;; esac
	done
}
kill_leftover_procs() {
	local p
	for p in $(leftover_procs | cut -d' ' -f1); do kill -9 "$p" 2>/dev/null; done
}
proc_gone() { # PID: exited (or a zombie not yet reaped)
	local st
	st=$({ cat "/proc/$1/stat"; } 2>/dev/null) || return 0
	st=${st##*) }
	[ "${st%% *}" = Z ]
}
leftover_mounts() { awk -v t="$T/" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo; }
# leftover_cgroups ENGINE: container cgroups under the engine's parent, once per path (with
# the hierarchies that have it); podman's own "conmon" cgroup there is not one.
leftover_cgroups() {
	local d
	for d in /sys/fs/cgroup/*/"$CGPARENT-$1" /sys/fs/cgroup/unified/"$CGPARENT-$1"; do
		[ -d "$d" ] || continue
		find "$d" -mindepth 1 -type d ! -name conmon -printf "%P ${d#/sys/fs/cgroup/}\n"
	done | sort -u | awk '{ n[$1] = n[$1] " " substr($2, 1, index($2, "/") - 1) }
		END { for (p in n) print "'"$CGPARENT-$1"'/" p " (in" n[p] ")" }'
	return 0
}
remove_cgroup_parents() { # retried for 3s: a conmon may still be leaving its cgroup
	local d n=30 busy
	while ((n-- > 0)); do
		busy=0
		for d in /sys/fs/cgroup/*/"$CGPARENT"-* /sys/fs/cgroup/unified/"$CGPARENT"-*; do
			[ -d "$d" ] || continue
			find "$d" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
			rmdir "$d" 2>/dev/null || busy=1
		done
		[ "$busy" = 0 ] && return 0
		sleep 0.1
	done
	echo "engines: could not remove cgroups /sys/fs/cgroup/*/$CGPARENT-*" >&2
}

# Host paths the engines may create outside our temp dir: removed at the end when we made them.
HOST_PATHS=(/var/lib/containers /var/lib/containers/cache
	/var/lib/containers/cache/blob-info-cache-v1.boltdb /run/containerd /run/containerd/s
	/run/containerd/fifo)
declare -A HOST_EXISTED=()
for p in "${HOST_PATHS[@]}"; do [ -e "$p" ] && HOST_EXISTED[$p]=1; done
restore_host_paths() {
	local i p
	for ((i = ${#HOST_PATHS[@]} - 1; i >= 0; i--)); do
		p=${HOST_PATHS[i]}
		[ -n "${HOST_EXISTED[$p]:-}" ] && continue
		if [ -f "$p" ]; then rm -f "$p"; elif [ -d "$p" ]; then rmdir "$p" 2>/dev/null; fi
	done
	return 0
}

# run_test NAME FUNC: one test in a subshell (errexit; an unexpected failing command is its
# reason), with its log in $LOGDIR.
run_test() {
	local name=$1 fn=$2 log start end rc secs
	[[ $name =~ $filter ]] || return 0
	log=$LOGDIR/${name//\//.}.log
	rm -f "$T/.reason"
	start=$(date +%s%N)
	(
		set -e -E -u -o pipefail
		trap 'rc=$?; [ -s "$T/.reason" ] || reason "command failed (exit $rc): $BASH_COMMAND: $(why)"' ERR
		"$fn"
	) >"$log" 2>&1
	rc=$?
	end=$(date +%s%N)
	secs=$(printf '%d.%02d' $(((end - start) / 1000000000)) $(((end - start) / 10000000 % 100)))
	if [ "$rc" = 0 ] && ! [ -s "$T/.reason" ]; then
		echo "PASS $name (${secs}s)"
		pass=$((pass + 1))
	else
		echo "FAIL $name"
		[ -s "$T/.reason" ] || reason "exit $rc (see $log)"
		sed 's/^/    /' "$T/.reason"
		cat "$T/.reason" >>"$log"
		fail=$((fail + 1))
		failed+=("$name")
	fi
}

# ---------------------------------------------------------------- the OCI image

# make_oci_archive OUT.tar: an OCI image layout (one uncompressed layer: the rootfs) in a tar,
# by umoci when it is installed, else written by hand.
make_oci_archive() {
	local out=$1 d=$T/oci layer=$T/layer.tar
	rm -rf "$d"
	tar -C "$ROOTFS" --numeric-owner -cf "$layer" . || return 1
	if command -v umoci >/dev/null && [ "${HULL_ENGINES_OCI:-}" != manual ]; then
		umoci init --layout "$d" &&
			umoci new --image "$d:latest" &&
			umoci raw add-layer --image "$d:latest" "$layer" &&
			umoci config --image "$d:latest" --config.cmd sh \
				--config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ||
			return 1
	else
		local lsum lsize csum csize msum msize
		mkdir -p "$d/blobs/sha256"
		lsum=$(sha256sum "$layer" | cut -d' ' -f1)
		lsize=$(stat -c %s "$layer")
		cp "$layer" "$d/blobs/sha256/$lsum"
		jq -cn --arg diff "sha256:$lsum" '{
			architecture: "amd64", os: "linux",
			config: {Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
			         Cmd: ["sh"]},
			rootfs: {type: "layers", diff_ids: [$diff]},
			history: [{created_by: "hull tests/engines/run.sh"}]}' >"$d/config.json"
		csum=$(sha256sum "$d/config.json" | cut -d' ' -f1)
		csize=$(stat -c %s "$d/config.json")
		mv "$d/config.json" "$d/blobs/sha256/$csum"
		jq -cn --arg c "sha256:$csum" --argjson cs "$csize" --arg l "sha256:$lsum" \
			--argjson ls "$lsize" '{
			schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
			config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
			layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $l,
			          size: $ls}]}' >"$d/manifest.json"
		msum=$(sha256sum "$d/manifest.json" | cut -d' ' -f1)
		msize=$(stat -c %s "$d/manifest.json")
		mv "$d/manifest.json" "$d/blobs/sha256/$msum"
		jq -cn --arg m "sha256:$msum" --argjson ms "$msize" '{schemaVersion: 2,
			manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m,
			             size: $ms, annotations: {"org.opencontainers.image.ref.name": "latest"}}]}' \
			>"$d/index.json"
		echo '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
	fi
	tar -C "$d" -cf "$out" . && rm -rf "$d" "$layer"
}

# ---------------------------------------------------------------- podman

PD=$T/podman
P() { tmo podman --root "$PD/root" --runroot "$PD/runroot" "$@"; }
# options of every podman container of the run
PRUN=(--runtime hull --pull=never --network=none --cgroup-parent="/$CGPARENT-podman"
	-e "HULL_ENGINES_TOKEN=$TOKEN")

podman_setup() {
	mkdir -p "$PD"/{root,runroot,tmp,cni,hooks} || return 1
	cat >"$PD/containers.conf" <<-EOF
		# hull engine tests: podman isolated under $PD, runtime under test named "hull".
		[containers]
		default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
		netns = "none"
		log_driver = "k8s-file"
		[engine]
		runtime = "hull"
		runtime_supports_json = ["hull"]
		cgroup_manager = "cgroupfs"
		events_logger = "file"
		events_logfile_path = "$PD/events.log"
		tmp_dir = "$PD/tmp"
		image_copy_tmp_dir = "$PD/tmp"
		lock_type = "file"
		hooks_dir = ["$PD/hooks"]
		[engine.runtimes]
		hull = ["$HULL"]
		[network]
		network_config_dir = "$PD/cni"
	EOF
	cat >"$PD/storage.conf" <<-EOF
		[storage]
		driver = "overlay"
		graphroot = "$PD/root"
		runroot = "$PD/runroot"
	EOF
	echo 'unqualified-search-registries = []' >"$PD/registries.conf"
	export CONTAINERS_CONF=$PD/containers.conf CONTAINERS_STORAGE_CONF=$PD/storage.conf
	export CONTAINERS_REGISTRIES_CONF=$PD/registries.conf
	tar -C "$ROOTFS" --numeric-owner -c . |
		tmo podman --root "$PD/root" --runroot "$PD/runroot" import -q - localhost/hull-busybox
}

pname() { # NAME: a container name of this run, remembered (in a file: tests are subshells)
	local n="hull-eng-$$-$1"
	echo "$n" >>"$PD/names"
	echo "$n"
}

podman_force_rm() { P rm -f -t 0 "$@" >/dev/null 2>&1; return 0; }
p_state() { P inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$1"; }

t_podman_run_rm_exit_code() {
	local n
	n=$(pname rm)
	x P run --rm --name "$n" --cidfile "$PD/cid.$n" "${PRUN[@]}" $IMAGE sh -c 'echo hello from hull; exit 7'
	expect_rc 7 "podman run --rm ... exit 7"
	expect_eq "$OUT" "hello from hull" "container stdout"
	x P container exists "$n"
	expect_rc 1 "container removed by --rm (podman container exists)"
}

t_podman_detach_exec_stop_rm() {
	local n
	n=$(pname exec)
	x P run -d --name "$n" --cidfile "$PD/cid.$n" "${PRUN[@]}" $IMAGE sh -c "$TRAP_SH"
	ok "podman run -d"
	x p_state "$n"
	expect_eq "$OUT" "running 0" "state after run -d"
	x P exec "$n" sh -c 'echo exec says hi; cat /proc/1/cmdline | tr "\0" " "; exit 3'
	expect_rc 3 "podman exec ... exit 3"
	expect_match "$OUT" $'^exec says hi\nsh -c trap' "exec output (echo, then PID 1's cmdline)"
	x P exec "$n" /bin/no-such-binary
	expect_rc 127 "podman exec of a missing binary"
	x P stop -t 10 "$n"
	ok "podman stop"
	x p_state "$n"
	expect_eq "$OUT" "exited 42" "state after stop (PID 1 exits 42 on SIGTERM)"
	x P rm "$n"
	ok "podman rm"
	x P container exists "$n"
	expect_rc 1 "container gone after rm"
}

t_podman_exec_tty() {
	local n
	n=$(pname tty)
	x P run -d --name "$n" --cidfile "$PD/cid.$n" "${PRUN[@]}" $IMAGE sh -c "$TRAP_SH"
	ok "podman run -d"
	xtty podman --root "$PD/root" --runroot "$PD/runroot" exec -t "$n" \
		sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo both-ttys; exit 5'
	expect_rc 5 "podman exec -t ... exit 5"
	expect_tty_output
	x P rm -f -t 0 "$n"
	ok "podman rm -f"
}

t_podman_pause_resume() {
	local n pid a b c
	n=$(pname pause)
	x P run -d --name "$n" --cidfile "$PD/cid.$n" "${PRUN[@]}" $IMAGE sh -c "$COUNTER_SH"
	ok "podman run -d"
	x P inspect --format '{{.State.Pid}}' "$n"
	pid=$OUT
	wait_for 5 counter_at "$pid" >/dev/null || { reason "the container's counter never appeared"; return 1; }
	x P pause "$n"
	ok "podman pause"
	x p_state "$n"
	expect_eq "$OUT" "paused 0" "state after pause"
	a=$(counter_at "$pid")
	sleep 0.5
	b=$(counter_at "$pid")
	expect_eq "$b" "$a" "counter while paused (must not move)"
	x P unpause "$n"
	ok "podman unpause"
	x p_state "$n"
	expect_eq "$OUT" "running 0" "state after unpause"
	sleep 0.5
	c=$(counter_at "$pid")
	[ "${c:-0}" -gt "${b:-0}" ] || { reason "counter did not move after unpause ($b -> $c)"; return 1; }
	x P rm -f -t 0 "$n"
	ok "podman rm -f"
}

t_podman_kill() {
	local n
	n=$(pname kill)
	x P run -d --name "$n" --cidfile "$PD/cid.$n" "${PRUN[@]}" $IMAGE sh -c "$TRAP_SH"
	ok "podman run -d"
	x P kill -s KILL "$n"
	ok "podman kill -s KILL"
	x P wait "$n"
	ok "podman wait"
	expect_eq "$OUT" 137 "exit code podman wait reports after SIGKILL"
	x p_state "$n"
	expect_eq "$OUT" "exited 137" "state after kill"
	x P rm "$n"
	ok "podman rm"
}

podman_teardown() {
	local n
	for n in $(cat "$PD/names" 2>/dev/null); do podman_force_rm "$n"; done
	P rmi -f "$IMAGE" >/dev/null 2>&1
	P system reset -f >/dev/null 2>&1
	return 0
}

t_podman_nothing_left() {
	local left=() n id l
	# the runtime's state of every container (podman wrote their ids with --cidfile)
	for id in $(cat "$PD"/cid.* 2>/dev/null); do
		[ -e "$RT_ROOT/$id" ] && left+=("runtime state $RT_ROOT/$id")
	done
	while read -r l; do [ -n "$l" ] && left+=("process $l"); done < <(leftover_procs)
	while read -r l; do [ -n "$l" ] && left+=("mount $l"); done < <(leftover_mounts)
	while read -r l; do [ -n "$l" ] && left+=("cgroup $l"); done < <(leftover_cgroups podman)
	for d in "$PD/root" "$PD/runroot"; do
		[ -z "$(ls -A "$d" 2>/dev/null)" ] || left+=("storage $d: $(ls -A "$d" | tr '\n' ' ')")
	done
	if [ ${#left[@]} -gt 0 ]; then
		printf '%s\n' "${left[@]}"
		for l in "${left[@]}"; do reason "left behind: $l"; done
		return 1
	fi
}

# ---------------------------------------------------------------- containerd

CD=$T/containerd
CTR=(ctr --address "$CD/ctd.sock" --connect-timeout 5s)
C() { tmo "${CTR[@]}" "$@"; }
ctd_alive() { [ -n "$CTD_PID" ] && ! proc_gone "$CTD_PID"; }
# options of every ctr container of the run (cgroup: added per container)
CRUN=(--seccomp --fifo-dir "$CD/fifo" --runc-binary "$HULL" --runc-root "$CD/runc-root"
	--env "HULL_ENGINES_TOKEN=$TOKEN")

containerd_setup() {
	mkdir -p "$CD"/{root,state,tmp,fifo,opt,runc-root} || return 1
	cat >"$CD/config.toml" <<-EOF
		# hull engine tests: containerd isolated under $CD
		version = 2
		root = "$CD/root"
		state = "$CD/state"
		temp = "$CD/tmp"
		disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs",
		  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper",
		  "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp",
		  "io.containerd.internal.v1.tracing"]
		[grpc]
		  address = "$CD/ctd.sock"
		[ttrpc]
		  address = "$CD/ctd.sock.ttrpc"
		[debug]
		  address = ""
		[metrics]
		  address = ""
		[plugins."io.containerd.internal.v1.opt"]
		  path = "$CD/opt"
	EOF
	ls -A /run/containerd/s 2>/dev/null | sort >"$CD/shim-sockets.before"
	# TMPDIR: the shim (started with containerd's environment) writes exec process specs there
	TMPDIR=$CD/tmp containerd --config "$CD/config.toml" --log-level warn \
		>"$CD/containerd.log" 2>&1 </dev/null &
	CTD_PID=$!
	if ! wait_for 15 "${CTR[@]}" version >/dev/null 2>&1; then
		echo "containerd did not answer on $CD/ctd.sock:"
		tail -n 20 "$CD/containerd.log"
		return 1
	fi
	make_oci_archive "$CD/image.tar" || return 1
	C image import --base-name localhost/hull-busybox "$CD/image.tar"
}

cname() {
	local n="hull-eng-$$-$1"
	echo "$n" >>"$CD/names"
	echo "$n"
}
crun_opts() { echo --cgroup "/$CGPARENT-containerd/$1"; }
# c_status ID: the task's status column (RUNNING, PAUSED, STOPPED) or nothing
c_status() { C task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $3 }'; }
c_pid() { C task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $2 }'; }
c_is() { [ "$(c_status "$1")" = "$2" ]; }
containerd_force_rm() { # ID
	if [ -n "$(c_status "$1")" ]; then
		C task kill -s SIGKILL "$1" >/dev/null 2>&1
		wait_for 5 c_is "$1" STOPPED
		C task delete -f "$1" >/dev/null 2>&1
	fi
	C container info "$1" >/dev/null 2>&1 && C container delete "$1" >/dev/null 2>&1
	return 0
}

t_containerd_run_rm_exit_code() {
	local n
	n=$(cname rm)
	# shellcheck disable=SC2046
	x C run --rm "${CRUN[@]}" $(crun_opts "$n") $IMAGE "$n" sh -c 'echo hello from hull; exit 7'
	expect_rc 7 "ctr run --rm ... exit 7"
	expect_eq "$OUT" "hello from hull" "container stdout"
	x C container info "$n"
	expect_rc 1 "container removed by --rm (ctr container info)"
}

t_containerd_detach_exec_stop_rm() {
	local n
	n=$(cname exec)
	# shellcheck disable=SC2046
	x C run -d "${CRUN[@]}" $(crun_opts "$n") $IMAGE "$n" sh -c "$TRAP_SH"
	ok "ctr run -d"
	wait_for 5 c_is "$n" RUNNING || { reason "task not RUNNING: '$(c_status "$n")'"; return 1; }
	x C task exec --fifo-dir "$CD/fifo" --exec-id e1 "$n" \
		sh -c 'echo exec says hi; cat /proc/1/cmdline | tr "\0" " "; exit 3'
	expect_rc 3 "ctr task exec ... exit 3"
	expect_match "$OUT" $'^exec says hi\nsh -c trap' "exec output (echo, then PID 1's cmdline)"
	x C task ps "$n"
	ok "ctr task ps"
	expect_match "$OUT" "^PID" "ctr task ps header"
	[ "$(printf '%s\n' "$OUT" | tail -n +2 | grep -c .)" -ge 2 ] ||
		{ reason "ctr task ps: expected 2 processes (sh, sleep): $OUT"; return 1; }
	# stop: SIGTERM, wait for the task to stop, delete it (reports the exit code), remove
	x C task kill "$n"
	ok "ctr task kill (SIGTERM)"
	wait_for 10 c_is "$n" STOPPED || { reason "task not STOPPED after SIGTERM: '$(c_status "$n")'"; return 1; }
	x C task delete "$n"
	ok "ctr task delete"
	expect_match "$ERR" "exit code 42" "exit code ctr task delete reports (PID 1 exits 42 on SIGTERM)"
	x C container delete "$n"
	ok "ctr container delete"
	x C container info "$n"
	expect_rc 1 "container gone after delete"
}

t_containerd_exec_tty() {
	local n
	n=$(cname tty)
	# shellcheck disable=SC2046
	x C run -d "${CRUN[@]}" $(crun_opts "$n") $IMAGE "$n" sh -c "$TRAP_SH"
	ok "ctr run -d"
	wait_for 5 c_is "$n" RUNNING || { reason "task not RUNNING: '$(c_status "$n")'"; return 1; }
	xtty "${CTR[@]}" task exec --fifo-dir "$CD/fifo" --tty --exec-id t1 "$n" \
		sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo both-ttys; exit 5'
	expect_rc 5 "ctr task exec --tty ... exit 5"
	expect_tty_output
	x containerd_force_rm "$n"
}

t_containerd_pause_resume() {
	local n pid a b c
	n=$(cname pause)
	# shellcheck disable=SC2046
	x C run -d "${CRUN[@]}" $(crun_opts "$n") $IMAGE "$n" sh -c "$COUNTER_SH"
	ok "ctr run -d"
	wait_for 5 c_is "$n" RUNNING || { reason "task not RUNNING: '$(c_status "$n")'"; return 1; }
	pid=$(c_pid "$n")
	wait_for 5 counter_at "$pid" >/dev/null || { reason "the container's counter never appeared"; return 1; }
	x C task pause "$n"
	ok "ctr task pause"
	expect_eq "$(c_status "$n")" PAUSED "status after pause"
	a=$(counter_at "$pid")
	sleep 0.5
	b=$(counter_at "$pid")
	expect_eq "$b" "$a" "counter while paused (must not move)"
	x C task resume "$n"
	ok "ctr task resume"
	expect_eq "$(c_status "$n")" RUNNING "status after resume"
	sleep 0.5
	c=$(counter_at "$pid")
	[ "${c:-0}" -gt "${b:-0}" ] || { reason "counter did not move after resume ($b -> $c)"; return 1; }
	x containerd_force_rm "$n"
}

t_containerd_kill() {
	local n ctr_pid rc
	n=$(cname kill)
	# a foreground ctr run: its exit status is the container's
	# shellcheck disable=SC2046
	{
		trap - ERR
		tmo "${CTR[@]}" run --rm "${CRUN[@]}" $(crun_opts "$n") $IMAGE "$n" \
			sh -c "$TRAP_SH"
	} >"$T/kill.out" 2>&1 </dev/null &
	ctr_pid=$!
	wait_for 10 c_is "$n" RUNNING || { reason "task not RUNNING: '$(c_status "$n")'"; kill "$ctr_pid"; return 1; }
	x C task kill -s SIGKILL "$n"
	ok "ctr task kill -s SIGKILL"
	rc=0
	wait "$ctr_pid" || rc=$?
	cat "$T/kill.out"
	expect_eq "$rc" 137 "exit status of the foreground ctr run after SIGKILL"
	x C container info "$n"
	expect_rc 1 "container removed by --rm after the kill"
}

containerd_teardown() {
	local n
	if ctd_alive; then
		for n in $(cat "$CD/names" 2>/dev/null); do containerd_force_rm "$n"; done
		C image rm "$IMAGE" >/dev/null 2>&1
	fi
	if [ -n "$CTD_PID" ]; then
		kill -TERM "$CTD_PID" 2>/dev/null
		if wait_for 10 proc_gone "$CTD_PID"; then
			echo "containerd $CTD_PID stopped on SIGTERM"
		else
			echo "containerd $CTD_PID still there 10s after SIGTERM: SIGKILL"
			kill -KILL "$CTD_PID" 2>/dev/null
		fi
		wait "$CTD_PID" 2>/dev/null
		CTD_PID=
	fi
	return 0
}

t_containerd_nothing_left() {
	local left=() l n
	for n in $(cat "$CD/names" 2>/dev/null); do
		[ -e "$CD/runc-root/default/$n" ] && left+=("runtime state $CD/runc-root/default/$n")
		[ -e "$CD/state/io.containerd.runtime.v2.task/default/$n" ] &&
			left+=("bundle $CD/state/io.containerd.runtime.v2.task/default/$n")
	done
	while read -r l; do [ -n "$l" ] && left+=("process $l"); done < <(leftover_procs)
	while read -r l; do [ -n "$l" ] && left+=("mount $l"); done < <(leftover_mounts)
	while read -r l; do [ -n "$l" ] && left+=("cgroup $l"); done < <(leftover_cgroups containerd)
	for l in $(comm -13 "$CD/shim-sockets.before" <(ls -A /run/containerd/s 2>/dev/null | sort)); do
		left+=("shim socket /run/containerd/s/$l")
	done
	[ -z "$(ls -A "$CD/fifo" 2>/dev/null)" ] || left+=("fifos in $CD/fifo")
	rm -rf "$CD/root" "$CD/state" "$CD/opt"
	[ ! -e "$CD/root" ] || left+=("storage $CD/root (could not be removed)")
	if [ ${#left[@]} -gt 0 ]; then
		printf '%s\n' "${left[@]}"
		for l in "${left[@]}"; do reason "left behind: $l"; done
		return 1
	fi
}

# ---------------------------------------------------------------- main

cleanup() {
	containerd_teardown
	kill_leftover_procs
	local m
	for m in $(leftover_mounts | sort -r); do umount -l "$m" 2>/dev/null; done
	remove_cgroup_parents
	restore_host_paths
	if [ "${HULL_ENGINES_KEEP:-0}" = 1 ]; then
		echo "kept $T" >&2
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wanted() { # ENGINE: does the filter select any test of ENGINE?
	local t
	for t in "${@:2}"; do [[ "$1/$t" =~ $filter ]] && return 0; done
	return 1
}

# run_engine ENGINE SETUP TEST...: setup (a failure fails every selected test of the engine),
# the tests, then ENGINE/nothing_left.
run_engine() {
	local e=$1 setup=$2 t
	shift 2
	wanted "$e" "$@" nothing_left || return 0
	if ! "$setup" >"$LOGDIR/$e.setup.log" 2>&1; then
		for t in "$@"; do
			[[ "$e/$t" =~ $filter ]] || continue
			echo "FAIL $e/$t"
			echo "    $e setup failed: $(tail -n 3 "$LOGDIR/$e.setup.log" | tr '\n' ' ' | cut -c1-300)"
			fail=$((fail + 1))
			failed+=("$e/$t")
		done
	else
		for t in "$@"; do run_test "$e/$t" "t_${e}_$t"; done
	fi
	"${e}_teardown" >>"$LOGDIR/$e.setup.log" 2>&1
	filter_saved=$filter
	filter=.
	run_test "$e/nothing_left" "t_${e}_nothing_left"
	filter=$filter_saved
	kill_leftover_procs # so that the next engine's check is its own
}

echo "engines: runtime under test $HULL ($("$HULL" --version 2>/dev/null | head -n1))"
TESTS=(run_rm_exit_code detach_exec_stop_rm exec_tty pause_resume kill)
run_engine podman podman_setup "${TESTS[@]}"
run_engine containerd containerd_setup "${TESTS[@]}"

if [ ${#failed[@]} -gt 0 ]; then
	echo "failed engine tests (logs: $LOGDIR):"
	printf '  %s\n' "${failed[@]}"
fi
echo "engines: ${pass} passed, ${fail} failed"
[ "$fail" = 0 ]
