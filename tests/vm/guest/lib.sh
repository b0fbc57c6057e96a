# shellcheck shell=sh disable=SC2016,SC2034,SC3043
# Helpers for the guest tests of the cgroup v2 lane (busybox ash inside the qemu guest; jq is
# there with its libraries). runner.sh sources this file and ONE test file in a fresh
# `sh -eu` per test function, with:
#   T      this test's temp dir (under /tmp)      ID   a unique container id
#   BUNDLE $T/bundle                              CFG  $BUNDLE/config.json
#   ROOTFS /vm/rootfs (hull's default rootfs: busybox and the probe at /usr/bin/probe)
#   CG     /sys/fs/cgroup (cgroup2 alone, nsdelegate)
# Every container id a test uses goes through hull_id (the runner deletes them afterwards and
# fails a test that leaves a state directory or a cgroup behind).

CG=/sys/fs/cgroup

fail() {
	echo "FAILED: $*" >&2
	if [ -n "${LAST:-}" ]; then
		echo "--- last hull command: $LAST (exit $RC)" >&2
		sed 's/^/  | /' "$T/out" 2>/dev/null | head -40 >&2
		echo "--- stderr:" >&2
		sed 's/^/  | /' "$T/err" 2>/dev/null | head -20 >&2
	fi
	exit 1
}

assert_eq() { # EXPECTED ACTUAL [WHAT]
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$1', got '$2'"
}

assert_contains() { # HAYSTACK NEEDLE [WHAT]
	case $1 in *"$2"*) ;; *) fail "${3:-text} does not contain '$2': '$1'" ;; esac
}

assert_rc() { # EXPECTED: the exit status of the last hull command
	[ "$RC" = "$1" ] || fail "exit status: expected $1, got $RC"
}

assert_ok() { # the last hull command exited 0 with an empty stderr
	assert_rc 0
	[ ! -s "$T/err" ] || fail "unexpected stderr"
}

# Remember a container id for the runner's cleanup.
hull_id() { echo "$1" >>"$T/.ids"; }

# hullc ARGS...: run hull, set RC, OUT, ERR (also $T/out, $T/err); never trips set -e.
hullc() {
	LAST="hull $*"
	RC=0
	hull "$@" </dev/null >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# A bundle in $BUNDLE: `hull spec`, edited for tests: no terminal, the shared rootfs (read-only,
# as the spec says), args /usr/bin/probe.
mkbundle() {
	mkdir -p "$BUNDLE"
	hull spec --bundle "$BUNDLE"
	cfg '.process.terminal = false | .root.path = $r | .process.args = ["/usr/bin/probe"]' \
		--arg r "$ROOTFS"
}

cfg() { # JQ_FILTER [JQ ARGS...]: edit $CFG in place
	local f="$1"
	shift
	jq "$f" "$CFG" "$@" >"$CFG.new" && mv "$CFG.new" "$CFG"
}

set_args() { # ARG...: process.args (each passed as "x"ARG: jq 1.6 parses "-c" as an option even after --args)
	local x
	for x in "$@"; do
		shift
		set -- "$@" "x$x"
	done
	cfg '.process.args = ($ARGS.positional | map(.[1:]))' --args "$@"
}

set_sh() { # SCRIPT: process.args = sh -c SCRIPT
	set_args /bin/sh -c "$1"
}

# Start the bundle detached (hull run -d); the container's stdio goes to $T/c.out, $T/c.err.
run_detached() { # [ID]
	local id="${1:-$ID}"
	hull_id "$id"
	LAST="hull run -d --bundle $BUNDLE $id"
	RC=0
	hull run -d --bundle "$BUNDLE" "$id" </dev/null >"$T/c.out" 2>"$T/c.err" || RC=$?
	[ "$RC" = 0 ] || LAST='' fail "hull run -d $id: exit $RC: $(cat "$T/c.err")"
	cpid "$id"
}

# hull create --bundle $BUNDLE ID: the container's stdio goes to $T/c.out, $T/c.err.
hull_create() { # [ID]
	hull_id "${1:-$ID}"
	LAST="hull create"
	RC=0
	hull create --bundle "$BUNDLE" "${1:-$ID}" </dev/null >"$T/c.out" 2>"$T/c.err" || RC=$?
	[ "$RC" = 0 ] || LAST='' fail "hull create: exit $RC: $(cat "$T/c.err")"
}

# CPID: the container's pid from hull state (0 when stopped); STATUS its status.
cpid() { # [ID]
	local st
	st=$(hull state "${1:-$ID}") || fail "hull state ${1:-$ID} failed"
	CPID=$(echo "$st" | jq -r .pid)
	STATUS=$(echo "$st" | jq -r .status)
}

wait_status() { # STATUS [ID]: up to 10 s
	local i=0
	while [ $i -lt 100 ]; do
		cpid "${2:-$ID}"
		[ "$STATUS" != "$1" ] || return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "status of ${2:-$ID}: expected $1, still $STATUS"
}

# wait_for 'SHELL CONDITION' [WHAT] [TENTHS]: poll (default 10 s)
wait_for() {
	local i=0
	while [ $i -lt "${3:-100}" ]; do
		if eval "$1"; then return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "timed out waiting for ${2:-$1}"
}

# procs DIR: the pids of a cgroup, sorted, space-separated
procs() { sort -n "$1/cgroup.procs" | tr '\n' ' ' | sed 's/ $//'; }

# cg_field FILE KEY: the value of KEY in a flat-keyed cgroup file (cpu.stat, memory.events...)
cg_field() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

alive() { [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
