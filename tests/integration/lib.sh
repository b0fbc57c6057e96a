# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# Helpers for the integration tests. Sourced by tests/integration/one.sh, which runs ONE test
# function with `set -e -u -o pipefail` in a fresh temp dir. Provided by the runner:
#   REPO     the source tree            HULL    build/hull (absolute)
#   ROOTFS   build/rootfs               PROBE   the host build of the probe
#   T        this test's temp dir       ID      a unique container id
#   BUNDLE   $T/bundle                  CFG     $BUNDLE/config.json
#   STATE    hull's state root (/run/hull)
#
# Conventions: a helper that runs hull sets RC, OUT and ERR (also in $T/out and $T/err) and
# never trips `set -e` by itself; the test asserts. Everything a test starts or creates is
# registered (register_pid, register_id, on_cleanup) so the runner removes it afterwards, even
# when the test fails or times out.

# --------------------------------------------------------------------------------- failing --

fail() {
	echo "FAILED: $*" >&2
	show_run >&2
	exit 1
}

# Prints what the last hull invocation did, for failure messages.
show_run() {
	[ -n "${RC+x}" ] || return 0
	echo "--- last hull command: ${LAST_CMD:-?}"
	echo "--- exit status: $RC"
	echo "--- stdout:"
	sed 's/^/  | /' "$T/out" 2>/dev/null | head -150
	echo "--- stderr:"
	sed 's/^/  | /' "$T/err" 2>/dev/null | head -50
}

assert_eq() { # EXPECTED ACTUAL [WHAT]
	[ "$1" == "$2" ] || fail "${3:-value}: expected '$1', got '$2'"
}

assert_ne() { # UNEXPECTED ACTUAL [WHAT]
	[ "$1" != "$2" ] || fail "${3:-value}: expected anything but '$1'"
}

assert_contains() { # HAYSTACK NEEDLE [WHAT]
	[[ "$1" == *"$2"* ]] || fail "${3:-text} does not contain '$2': '$1'"
}

assert_not_contains() { # HAYSTACK NEEDLE [WHAT]
	[[ "$1" != *"$2"* ]] || fail "${3:-text} contains '$2': '$1'"
}

assert_match() { # STRING ERE [WHAT]
	[[ "$1" =~ $2 ]] || fail "${3:-text} does not match /$2/: '$1'"
}

assert_line_match() { # TEXT ERE [WHAT]: some line of TEXT matches
	grep -qE -- "$2" <<<"$1" || fail "${3:-text}: no line matches /$2/: '$1'"
}

assert_rc() { # EXPECTED — the exit status of the last hull command
	[ "$RC" == "$1" ] || fail "exit status: expected $1, got $RC"
}

# The last hull command succeeded (exit 0) with an empty stderr.
assert_ok() {
	assert_rc 0
	[ ! -s "$T/err" ] || fail "unexpected stderr"
}

# A clean failure: exit 1, a message on stderr naming each NEEDLE (case-insensitive), nothing
# left behind. Messages are `hull: ...` or, for config errors, `config.json:L:C: ...`.
assert_error() { # NEEDLE...
	assert_rc 1
	[ -s "$T/err" ] || fail "no error message on stderr"
	local first
	first=$(head -n1 "$T/err")
	[[ "$first" == hull:* || "$first" == *config.json:* ]] ||
		fail "error message does not start with 'hull:' or name config.json: '$first'"
	local n
	for n in "$@"; do
		grep -qiF -- "$n" "$T/err" || fail "error message does not mention '$n'"
	done
	assert_clean
}

# Nothing of container ID (default $ID) is left: no state directory, no host mount that was
# not there before the last hull command, no process of the container.
assert_clean() { # [ID]
	local id=${1:-$ID}
	[ ! -e "$STATE/$id" ] || fail "state directory $STATE/$id left behind"
	if [ -f "$T/mountinfo.before" ]; then
		local new
		new=$(mount_diff "$T/mountinfo.before")
		[ -z "$new" ] || fail "mounts left behind on the host: $new"
	fi
	local left
	left=$(container_pids "$id")
	[ -z "$left" ] || fail "processes of container $id left: $left"
}

# Host mount points, one per line (escaped as in mountinfo).
host_mounts() { awk '{print $5 " " $0}' /proc/self/mountinfo | cut -d' ' -f1,4- | sort; }

# Lines of the current host mount table that were not in the snapshot FILE. Mounts of other
# test runs going on at the same time (their temp dirs and netns) are not ours to judge.
mount_diff() {
	comm -13 "$1" <(host_mounts) | awk -v t="$T/" '
		index($1 "/", t) == 1 { print; next }
		$1 ~ /^\/tmp\/hullt\./ || $1 ~ /^\/run\/netns\/hullt-/ { next }
		{ print }'
}

# Pids of processes whose environment carries HULLTEST=ID (the template sets it).
container_pids() {
	local id=${1:-$ID}
	{ grep -lsaxzF "HULLTEST=$id" /proc/[0-9]*/environ 2>/dev/null || true; } |
		sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' | tr '\n' ' ' | sed 's/ $//' 
}

# ------------------------------------------------------------------------------- cleanup --

register_pid() { echo "$1" >>"$T/.pids"; }
# A host mount the test made itself (not a leak); the runner unmounts everything under $T.
register_mount() { echo "$1" >>"$T/.mounts"; }
# host_mount [MOUNT ARGS...] DEST: mount(8) on the host, registered.
host_mount() {
	mount "$@" || fail "host mount failed: mount $*"
	register_mount "${!#}"
}
register_id() { echo "$1" >>"$T/.ids"; }
# on_cleanup 'shell command' — run by the runner after the test, in order, errors ignored.
on_cleanup() { echo "$1" >>"$T/.cleanup"; }

# ------------------------------------------------------------------------------- bundles --

# The default config: runc's `spec` output, with terminal false and the probe as process.
# The env carries HULLTEST=ID so leftover container processes can be found.
config_template() {
	cat <<EOF
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false,
    "user": {"uid": 0, "gid": 0},
    "args": ["/usr/bin/probe"],
    "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "TERM=xterm", "HULLTEST=$ID"],
    "cwd": "/",
    "capabilities": {
      "bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
      "effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
      "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
    },
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
    "noNewPrivileges": true
  },
  "root": {"path": "rootfs", "readonly": true},
  "hostname": "hull",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
     "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
     "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
    {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
     "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs",
     "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
     "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}
  ],
  "linux": {
    "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"},
                   {"type": "mount"}, {"type": "cgroup"}],
    "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                    "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
    "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                      "/proc/sysrq-trigger"]
  }
}
EOF
}

# mkbundle [DIR [ROOTFS_DIR_NAME]]: a bundle with a private, writable view of the default
# rootfs and the template config. The rootfs is an overlay (lower: build/rootfs, upper in the
# test's temp dir): about 7 ms for mount+umount against 25 ms for `cp -a` of the 2.8 MB tree,
# and the shared rootfs can never be modified by a test. HULL_TEST_COPY=1 copies instead.
mkbundle() {
	local dir=${1:-$BUNDLE} name=${2:-rootfs}
	mkdir -p "$dir"
	mkrootfs_copy "$dir/$name"
	config_template >"$dir/config.json"
}

# mkrootfs_copy DIR: a private view of the default rootfs at DIR.
mkrootfs_copy() {
	local dest=$1
	if [ "${HULL_TEST_COPY:-0}" != 1 ]; then
		local ov
		ov=$(mktemp -d "$T/.ov.XXXXXX")
		mkdir -p "$ov/upper" "$ov/work" "$dest"
		if mount -t overlay overlay \
			-o "lowerdir=$ROOTFS,upperdir=$ov/upper,workdir=$ov/work" "$dest" 2>/dev/null; then
			register_mount "$dest"
			return 0
		fi
		rmdir "$dest"
	fi
	cp -a "$ROOTFS" "$dest"
}

# cfg JQ_FILTER [JQ_ARGS...]: edit $CFG in place (or $CFGFILE when set).
cfg() {
	local f=${CFGFILE:-$CFG} filter=$1
	shift
	jq "$filter" "$@" <"$f" >"$f.tmp" || fail "jq failed: $filter"
	mv "$f.tmp" "$f"
}

# json_array ARG...: a JSON array of strings (jq would take "-c" in --args for an option).
json_array() {
	local a=() i=0 v
	for v in "$@"; do
		a+=(--arg "$i" "$v")
		i=$((i + 1))
	done
	jq -cn "${a[@]}" --argjson n "$#" '[range($n) as $i | $ARGS.named[$i | tostring]]'
}

# set_args ARG...: process.args
set_args() { cfg '.process.args = $a' --argjson a "$(json_array "$@")"; }

# set_sh 'script': process.args = ["/bin/sh", "-c", script]
set_sh() { set_args /bin/sh -c "$1"; }

# set_caps CAP...: bounding, effective and permitted are exactly these (CAP_ prefix optional).
set_caps() {
	local caps=() c
	for c in "$@"; do caps+=("CAP_${c#CAP_}"); done
	cfg '.process.capabilities = {bounding: $c, effective: $c, permitted: $c}' \
		--argjson c "$(json_array "${caps[@]}")"
}

# add_caps CAP...: add to bounding, effective and permitted.
add_caps() {
	local caps=() c
	for c in "$@"; do caps+=("CAP_${c#CAP_}"); done
	cfg '.process.capabilities |= (.bounding += $c | .effective += $c | .permitted += $c)' \
		--argjson c "$(json_array "${caps[@]}")"
}

# Every capability the host's bounding set has (this VM lacks CAP_SYS_RESOURCE).
host_caps() {
	local bnd i names
	bnd=$((16#$(awk '/^CapBnd:/{print $2}' /proc/self/status)))
	names=(CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP
		LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER
		SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE
		SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP
		MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF
		CHECKPOINT_RESTORE)
	for i in "${!names[@]}"; do
		if (((bnd >> i) & 1)); then echo "CAP_${names[$i]}"; fi
	done
}

# all_caps: the process gets every capability the host can give.
all_caps() {
	local caps
	mapfile -t caps < <(host_caps)
	set_caps "${caps[@]}"
}

# remove_ns TYPE...: drop namespaces from linux.namespaces.
remove_ns() {
	cfg '.linux.namespaces |= map(select(.type as $t | $r | index($t) | not))' \
		--argjson r "$(json_array "$@")"
}

# add_ns TYPE [PATH]
add_ns() {
	if [ $# -gt 1 ]; then
		cfg '.linux.namespaces = ([.linux.namespaces[] | select(.type != $t)] +
		     [{type: $t, path: $p}])' --arg t "$1" --arg p "$2"
	else
		cfg '.linux.namespaces = ([.linux.namespaces[] | select(.type != $t)] + [{type: $t}])' \
			--arg t "$1"
	fi
}

# userns HOSTID [SIZE]: a user namespace mapping container 0.. to HOSTID..
userns() {
	add_ns user
	cfg '.linux.uidMappings = [{containerID: 0, hostID: $h, size: $s}] |
	     .linux.gidMappings = [{containerID: 0, hostID: $h, size: $s}]' \
		--argjson h "$1" --argjson s "${2:-65536}"
}

# The bundle's rootfs as a mount point of its own (it is one unless HULL_TEST_COPY=1).
rootfs_mountpoint() {
	mountpoint -q "$BUNDLE/rootfs" || host_mount --bind "$BUNDLE/rootfs" "$BUNDLE/rootfs"
}

# chown_rootfs UID[:GID]: give the bundle's rootfs to the container's root, as an engine
# does for a user namespace (the runtime itself must not change ownership).
chown_rootfs() { chown -hR "$1" "$BUNDLE/rootfs"; }

# add_mount DEST TYPE SOURCE [OPTION...]
add_mount() {
	local dest=$1 type=$2 src=$3
	shift 3
	cfg '.mounts += [{destination: $d, type: $t, source: $s, options: $o}]' \
		--arg d "$dest" --arg t "$type" --arg s "$src" --argjson o "$(json_array "$@")"
}

# add_bind DEST SOURCE [OPTION...] (adds "bind" unless rbind is given)
add_bind() {
	local dest=$1 src=$2
	shift 2
	case " $* " in *" rbind "* | *" bind "*) ;; *) set -- bind "$@" ;; esac
	add_mount "$dest" none "$src" "$@"
}

# ---------------------------------------------------------------------------- running hull --

# hull ARGS...: run build/hull; sets RC, OUT, ERR. stdin is /dev/null (or $HULL_STDIN).
hull() {
	host_mounts >"$T/mountinfo.before"
	LAST_CMD="hull $*"
	RC=0
	"$HULL" "$@" <"${HULL_STDIN:-/dev/null}" >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# hull_run [RUN OPTIONS...]: hull run --bundle $BUNDLE OPTIONS $ID
hull_run() {
	register_id "$ID"
	hull run --bundle "$BUNDLE" "$@" "$ID"
}

# hull_run_bg [RUN OPTIONS...]: the same in the background; HPID is hull's pid. hull_wait
# collects RC/OUT/ERR.
hull_run_bg() {
	register_id "$ID"
	host_mounts >"$T/mountinfo.before"
	LAST_CMD="hull run --bundle $BUNDLE $* $ID"
	# Truncated here, not by the child's redirection: a poll of $T/out right after the fork
	# must not see the previous run's output.
	: >"$T/out"
	: >"$T/err"
	"$HULL" run --bundle "$BUNDLE" "$@" "$ID" </dev/null >>"$T/out" 2>>"$T/err" &
	HPID=$!
	register_pid "$HPID"
}

hull_wait() { # [SECONDS] (default 15): fails if hull has not exited by then
	local limit=$((${1:-15} * 50)) i=0
	until dead "$HPID"; do
		i=$((i + 1))
		[ "$i" -lt "$limit" ] || { RC=timeout; fail "hull run did not exit within ${1:-15}s"; }
		sleep 0.02
	done
	RC=0
	wait "$HPID" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# wait_until SECONDS COMMAND...: poll every 20 ms until COMMAND succeeds; fails on timeout.
wait_until() {
	local limit=$(($1 * 50)) i=0
	shift
	until "$@"; do
		i=$((i + 1))
		[ "$i" -lt "$limit" ] || fail "timed out waiting for: $*"
		sleep 0.02
	done
}

file_has() { grep -qF -- "$2" "$1" 2>/dev/null; } # FILE TEXT

# dead PID: the process is gone or a zombie.
dead() { ! grep -qs '^State:[[:space:]]*[^Z[:space:]]' "/proc/$1/status"; }

# probe_field KEY [FILE]: value of the first KEY=... line of the probe output ($T/out);
# fails when there is none.
probe_field() {
	local v
	v=$(awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1); f = 1; exit }
		END { exit !f }' "${2:-$T/out}") || fail "probe output has no '$1='"
	printf '%s\n' "$v"
}

# probe_fields KEY [FILE]: every value of KEY=... lines, one per line.
probe_fields() {
	awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1) }' "${2:-$T/out}"
}

# The host's own view, from the same probe binary.
host_probe() { "$PROBE" "$@"; }
host_field() { # KEY SUBCOMMAND...
	local key=$1
	shift
	# All of the output is read: an early exit would kill the probe with SIGPIPE (its output is
	# over a pipe buffer's 4 KiB), which pipefail turns into a silent failure of the test.
	"$PROBE" "$@" | awk -v k="$key=" '!found && index($0, k) == 1 { print substr($0, length(k) + 1); found = 1 }'
}

# Capability mask (16 hex digits) of the given capability names.
capmask() {
	local m=0 c n
	local -A num=([CHOWN]=0 [DAC_OVERRIDE]=1 [DAC_READ_SEARCH]=2 [FOWNER]=3 [FSETID]=4
		[KILL]=5 [SETGID]=6 [SETUID]=7 [SETPCAP]=8 [LINUX_IMMUTABLE]=9
		[NET_BIND_SERVICE]=10 [NET_BROADCAST]=11 [NET_ADMIN]=12 [NET_RAW]=13 [IPC_LOCK]=14
		[IPC_OWNER]=15 [SYS_MODULE]=16 [SYS_RAWIO]=17 [SYS_CHROOT]=18 [SYS_PTRACE]=19
		[SYS_PACCT]=20 [SYS_ADMIN]=21 [SYS_BOOT]=22 [SYS_NICE]=23 [SYS_RESOURCE]=24
		[SYS_TIME]=25 [SYS_TTY_CONFIG]=26 [MKNOD]=27 [LEASE]=28 [AUDIT_WRITE]=29
		[AUDIT_CONTROL]=30 [SETFCAP]=31 [MAC_OVERRIDE]=32 [MAC_ADMIN]=33 [SYSLOG]=34
		[WAKE_ALARM]=35 [BLOCK_SUSPEND]=36 [AUDIT_READ]=37 [PERFMON]=38 [BPF]=39
		[CHECKPOINT_RESTORE]=40)
	for c in "$@"; do
		n=${num[${c#CAP_}]:-}
		[ -n "$n" ] || fail "capmask: unknown capability $c"
		m=$((m | (1 << n)))
	done
	printf '%016x\n' "$m"
}

# The mount= line of the container's mount at MOUNTPOINT (last one wins, as in the kernel).
mount_line() { probe_fields mount "${2:-$T/out}" | awk -v m="$1" '$1 == m' | tail -n1; }
# Its mount options (per-mount flags, 3rd field) and super options (4th).
mount_opts() { mount_line "$@" | awk '{print $3}'; }
mount_superopts() { mount_line "$@" | awk '{print $4}'; }
mount_type() { mount_line "$@" | awk '{print $2}'; }
mount_prop() { probe_fields mountprop "${2:-$T/out}" | awk -v m="$1" '$1 == m' | tail -n1 |
	cut -d' ' -f2-; }

# has_opt "a,b,c" b
has_opt() { [[ ",$1," == *",$2,"* ]]; }
assert_opt() { has_opt "$1" "$2" || fail "${3:-options} '$1' lack '$2'"; }
assert_no_opt() { ! has_opt "$1" "$2" || fail "${3:-options} '$1' have '$2'"; }

# ------------------------------------------------------------------------ the lifecycle --
# create/start/state/kill/delete/exec/... (tests 11 and up). These tests also run against
# runc, to validate them where hull behaves as runc does:
#   HULL=/usr/sbin/runc tests/integration/run.sh '1[1-5]_'
# (the state root is then /run/runc unless HULL_STATE_ROOT says otherwise, and assert_fails
# takes runc's messages, which do not start with "hull:").

TOOLS=${REPO:-.}/build/tests/tools # recvtty, ptyrun (tests/tools)

is_runc() { [[ "${HULL:-}" == */runc || "${HULL:-}" == runc ]]; }
if is_runc && [ -z "${HULL_STATE_ROOT:-}" ]; then
	STATE=/run/runc
fi

# Global options every lifecycle helper passes (e.g. GOPTS=(--root "$T/root")).
GOPTS=()

# hullg ARGS...: hull GOPTS ARGS (sets RC, OUT, ERR like hull).
hullg() { hull "${GOPTS[@]}" "$@"; }

# The state root in use: --root of GOPTS, else $STATE.
state_root() {
	local i
	for ((i = 0; i < ${#GOPTS[@]}; i++)); do
		case ${GOPTS[i]} in
		--root) echo "${GOPTS[i + 1]}" && return ;;
		--root=*) echo "${GOPTS[i]#--root=}" && return ;;
		esac
	done
	echo "$STATE"
}

# hull_create [CREATE OPTIONS...]: hull GOPTS create --bundle $BUNDLE --pid-file $T/$ID.pid
# OPTIONS $ID (no default pid file when OPTIONS has one). The container keeps create's stdio:
# its output after start lands in COUT=$T/$ID.out and CERR=$T/$ID.err, where hull's own
# messages also go ($T/out and $T/err get a copy, so RC/OUT/ERR and the asserts work as for
# `hull`). On success CPID is the container's pid (registered for cleanup). The host mounts
# before create are kept for assert_gone.
hull_create() {
	local pidfile='' args=("$@") i
	for ((i = 0; i < ${#args[@]}; i++)); do
		case ${args[i]} in
		--pid-file) pidfile=${args[i + 1]:-} ;;
		--pid-file=*) pidfile=${args[i]#--pid-file=} ;;
		esac
	done
	if [ -z "$pidfile" ]; then
		pidfile=$T/$ID.pid
		args=(--pid-file "$pidfile" "${args[@]}")
	fi
	register_id "$ID"
	on_cleanup "$(printf '%q ' "$HULL" "${GOPTS[@]}" delete --force "$ID")"
	COUT=$T/$ID.out
	CERR=$T/$ID.err
	host_mounts >"$T/mountinfo.create"
	cp "$T/mountinfo.create" "$T/mountinfo.before"
	LAST_CMD="hull ${GOPTS[*]} create --bundle $BUNDLE ${args[*]} $ID"
	RC=0
	"$HULL" "${GOPTS[@]}" create --bundle "$BUNDLE" "${args[@]}" "$ID" \
		<"${HULL_STDIN:-/dev/null}" >"$COUT" 2>"$CERR" || RC=$?
	cp "$COUT" "$T/out"
	cp "$CERR" "$T/err"
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
	CPID=
	if [ "$RC" = 0 ] && [ -s "$pidfile" ]; then
		CPID=$(cat "$pidfile")
		register_pid "$CPID"
	fi
}

# hull_start: hull GOPTS start $ID
hull_start() { hull "${GOPTS[@]}" start "$ID"; }

# run_container [CREATE OPTIONS...]: create and start $ID; the test fails unless both work.
run_container() {
	hull_create "$@"
	assert_ok
	hull_start
	assert_ok
}

# cstate [ID]: hull GOPTS state ID; sets RC/OUT/ERR and STATUS, SPID from the JSON ("" when
# state failed).
cstate() {
	hull "${GOPTS[@]}" state "${1:-$ID}"
	STATUS=
	SPID=
	if [ "$RC" = 0 ]; then
		STATUS=$(jq -r .status <<<"$OUT") || fail "state: invalid JSON"
		SPID=$(jq -r .pid <<<"$OUT")
	fi
}

status_is() { cstate "${2:-$ID}" && [ "$STATUS" = "$1" ]; } # STATUS [ID]

# wait_status STATUS [ID]: poll `state` until the status is STATUS (10 s at most).
wait_status() {
	local limit=500 i=0
	until status_is "$@"; do
		i=$((i + 1))
		[ "$i" -lt "$limit" ] || fail "container ${2:-$ID}: status '$STATUS', not '$1'"
		sleep 0.02
	done
}

# assert_fails RC NEEDLE...: the last command exited RC with an error message on stderr that
# names each NEEDLE (case-insensitive). hull's messages start with "hull: " (runc's are logrus
# lines). Unlike assert_error it does not require that nothing is left.
assert_fails() {
	assert_rc "$1"
	shift
	[ -s "$T/err" ] || fail "no error message on stderr"
	if ! is_runc; then
		local first
		first=$(head -n1 "$T/err")
		[[ "$first" == hull:* ]] || fail "error message does not start with 'hull:': '$first'"
	fi
	local n
	for n in "$@"; do
		grep -qiF -- "$n" "$T/err" || fail "error message does not mention '$n'"
	done
}

# assert_gone [ID [PID...]]: nothing of the container is left: no state directory (in the
# root in use), its processes (CPID for $ID, or the PIDs given) are gone (zombies count as
# gone), no process with its HULLTEST environment, no host mount made since hull_create.
assert_gone() {
	local id=${1:-$ID} root p new
	local pids=("${@:2}")
	[ $# -gt 1 ] || [ "$id" != "$ID" ] || [ -z "${CPID:-}" ] || pids=("$CPID")
	root=$(state_root)
	[ ! -e "$root/$id" ] || fail "state directory $root/$id left behind"
	for p in "${pids[@]}"; do
		gone "$p" || fail "process $p of container $id is still alive: $(grep -E \
			"^(Name|State|PPid):" "/proc/$p/status" 2>/dev/null | tr '\n\t' '  ')"
	done
	p=$(container_pids "$id")
	[ -z "$p" ] || fail "processes of container $id left: $p"
	if [ -f "$T/mountinfo.create" ]; then
		new=$(mount_diff "$T/mountinfo.create")
		[ -z "$new" ] || fail "mounts left behind on the host: $new"
	fi
}

# gone PID: the process is gone or a zombie. (dead() means the same, but its pattern also
# matches a zombie's "State:\tZ" line: it holds for a gone process only.)
gone() { ! grep -qs '^State:[[:space:]]*[^Z[:space:]]' "/proc/$1/status"; }

# ns_pids PID: the host pids of every process in PID's pid namespace, sorted.
ns_pids() {
	local ns p
	ns=$(readlink "/proc/$1/ns/pid") || return 0
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" != "$ns" ] || echo "${p#/proc/}"
	done | sort -n
}

# mkbundle_id: the template bundle with the hostname $ID, so that the container's processes
# can be found in any state (uts_pids), even before they have the container's environment.
mkbundle_id() {
	mkbundle
	cfg '.hostname = $h' --arg h "$ID"
}

# uts_pids NAME: pids of the processes (in a uts namespace of their own) whose hostname is NAME.
uts_pids() {
	local host p ns
	host=$(readlink /proc/self/ns/uts)
	for p in /proc/[0-9]*; do
		ns=$(readlink "$p/ns/uts" 2>/dev/null) || continue
		[ "$ns" != "$host" ] || continue
		[ "$(nsenter -t "${p#/proc/}" -u hostname 2>/dev/null)" != "$1" ] || echo "${p#/proc/}"
	done | tr '\n' ' ' | sed 's/ $//'
}

# The process runs the container's program (not the runtime waiting for `start`).
runs_program() { [[ "$(readlink "/proc/$1/exe" 2>/dev/null)" == */usr/bin/probe ]]; }


ns_count_is() { [ "$(ns_pids "$1" | wc -l)" = "$2" ]; } # PID N (for wait_until)

count_lines() { grep -cxF -- "$2" "$1" 2>/dev/null || true; } # FILE LINE: lines equal to LINE
has_lines() { [ "$(count_lines "$1" "$2")" = "$3" ]; }         # FILE LINE N (for wait_until)

# hull_bg ARGS...: hull ARGS in the background (stdin $HULL_STDIN or /dev/null, output in
# $T/out and $T/err); HPID is its pid, hull_wait collects RC/OUT/ERR.
hull_bg() {
	host_mounts >"$T/mountinfo.before"
	LAST_CMD="hull $* (in the background)"
	: >"$T/out"
	: >"$T/err"
	"$HULL" "$@" <"${HULL_STDIN:-/dev/null}" >>"$T/out" 2>>"$T/err" &
	HPID=$!
	register_pid "$HPID"
}

# start_recvtty [RECVTTY OPTIONS...]: a console socket SOCK=$T/tty.sock served by recvtty in
# the background (RTPID); the terminal's output is appended to $T/tty.out, recvtty's report
# goes to $T/tty.info. Returns once the socket exists.
start_recvtty() {
	SOCK=$T/tty.sock
	rm -f "$SOCK" "$T/tty.out" "$T/tty.info"
	"$TOOLS/recvtty" -o "$T/tty.out" -I "$T/tty.info" "$@" "$SOCK" >"$T/recvtty.log" 2>&1 &
	RTPID=$!
	register_pid "$RTPID"
	wait_until 5 test -S "$SOCK"
}

# untty FILE: FILE without the terminal's carriage returns (and NULs script(1) may add), into
# FILE.txt, whose name it prints.
untty() {
	tr -d '\r\000' <"$1" >"$1.txt"
	echo "$1.txt"
}

# add_hook KIND NAME [ENV...]: a hook of KIND ("prestart", "createRuntime", ...) running the
# probe's `hook` mode with argv[0] NAME: it writes its record to $T/hooks/NAME.rec and appends
# NAME to $T/hooks/seq (PROBE_HOOK_SEQ); ENV (KEY=VALUE) is added to its environment. A
# startContainer hook runs /usr/bin/probe of the container, which sees $T/hooks at /hooks (a
# bind mount added here).
add_hook() {
	local kind=$1 name=$2 path=$PROBE dir=$T/hooks
	shift 2
	mkdir -p "$T/hooks"
	chmod 777 "$T/hooks"
	if [ "$kind" = startContainer ]; then
		path=/usr/bin/probe
		dir=/hooks
		jq -e '.mounts | any(.destination == "/hooks")' "$CFG" >/dev/null ||
			add_bind /hooks "$T/hooks" rbind
	fi
	cfg '.hooks[$k] += [{path: $p, args: [$n, "hook", ($d + "/" + $n + ".rec")],
	                     env: ([("PROBE_HOOK_SEQ=" + $d + "/seq")] + $e)}]' \
		--arg k "$kind" --arg p "$path" --arg n "$name" --arg d "$dir" \
		--argjson e "$(json_array "$@")"
}

# hook_field NAME KEY: a value of hook NAME's record (fails when there is none).
hook_field() { probe_field "$2" "$T/hooks/$1.rec"; }

# hook_seq: the names of the hooks that ran, in order, space-separated.
hook_seq() { tr '\n' ' ' <"$T/hooks/seq" 2>/dev/null | sed 's/ $//'; }

# ------------------------------------------------------------- cgroup limits (17, 18) --
# linux.resources on the host's cgroup v1 hierarchies. Every container of these tests uses
# cgroupsPath /hull/$ID: hull's default, given explicitly so runc (whose default differs) uses
# the same directories and the runner's leftover check covers both.

CGROOT=/sys/fs/cgroup

# res_bundle: the template bundle with cgroupsPath /hull/$ID and args `probe sleep 60`.
res_bundle() {
	mkbundle
	cfg '.linux.cgroupsPath = $p' --arg p "/hull/$ID"
	set_args probe sleep 60
}

# set_res JSON: linux.resources = JSON (jq syntax, keys may be bare).
set_res() { cfg ".linux.resources = $1"; }

# res_create JSON: res_bundle (unless $CFG exists already), set_res JSON, hull_create.
res_create() {
	[ -f "$CFG" ] || res_bundle
	set_res "$1"
	hull_create
}

cgdir() { echo "$CGROOT/$1/hull/$ID"; }                            # CONTROLLER
cgf() { cat "$(cgdir "$1")/$2" || fail "cannot read $(cgdir "$1")/$2"; } # CONTROLLER FILE
# cg_key CONTROLLER FILE KEY: N of the "KEY N" line of a flat-keyed file (cpu.stat, ...).
cg_key() { awk -v k="$3" '$1 == k { print $2; f = 1; exit } END { exit !f }' \
	"$(cgdir "$1")/$2" || fail "no '$3' in $(cgdir "$1")/$2"; }
# The v1 hierarchy of CONTROLLER is mounted.
has_v1() { [ -e "$CGROOT/$1/cgroup.procs" ] && [ "$(stat -f -c %T "$CGROOT/$1/")" = cgroupfs ]; }

assert_cg() { # EXPECTED CONTROLLER FILE
	assert_eq "$1" "$(cgf "$2" "$3")" "$2/hull/ID/$3"
}

# No directory of the container's cgroup is left on any hierarchy.
assert_no_cgroup() {
	local d
	for d in "$CGROOT"/*/hull/"$ID" "$CGROOT/hull/$ID"; do
		[ ! -d "$d" ] || fail "cgroup $d left behind"
	done
}

# assert_res_error 'HULL NEEDLES' 'RUNC NEEDLES': the last create failed cleanly: exit 1, a
# message naming each needle ('|'-separated; hull's name the JSON field), no state, process,
# mount or cgroup left.
assert_res_error() {
	local needles
	if is_runc; then
		IFS='|' read -ra needles <<<"$2"
		assert_fails 1 "${needles[@]}"
		assert_clean
	else
		IFS='|' read -ra needles <<<"$1"
		assert_error "${needles[@]}"
	fi
	assert_no_cgroup
}

# res_rejected JSON 'HULL NEEDLES' 'RUNC NEEDLES': the bundle (res_bundle's if none yet) with
# cgroupsPath /hull/$ID and linux.resources = JSON is refused by create, cleanly.
res_rejected() {
	[ -f "$CFG" ] || res_bundle
	cfg '.linux.cgroupsPath = $p' --arg p "/hull/$ID"
	res_create "$1"
	LAST_CMD="$LAST_CMD   [linux.resources = $(tr -s '\n\t ' ' ' <<<"$1")]"
	assert_res_error "$2" "$3"
}

# hull_only WHY: the rest of the test encodes hull's behaviour where runc 1.1 differs: under
# runc, say so and stop (passing).
hull_only() {
	if is_runc; then
		echo "runc differs, not checked: $*"
		exit 0
	fi
}

# Gates: fifos in $T/gate, bind-mounted at /gate. A container script waits at one with
# `read g </gate/NAME`; open_gate NAME lets it through (and fails when nobody waits).
add_gates() {
	local g
	mkdir -p "$T/gate"
	for g in "$@"; do mkfifo -m 0666 "$T/gate/$g"; done
	chmod 0777 "$T/gate"
	add_bind /gate "$T/gate"
}
open_gate() { timeout 10 sh -c "echo go >'$T/gate/$1'" || fail "nobody waits at gate $1"; }

# out_has KEY=VALUE: the container's output (COUT) has that line (for wait_until).
out_has() { grep -qxF -- "$1" "$COUT" 2>/dev/null; }
