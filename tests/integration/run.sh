#!/bin/bash
# Integration test runner (as root): tests/integration/run.sh [FILTER]
#
# Runs every test_* function of tests/integration/NN_topic.sh (in file order) whose name
# "NN_topic/test_name" matches the extended regex FILTER, each in its own bash process (set -e
# -u -o pipefail) with a fresh temp dir, bundle path and container id, under a timeout
# (HULL_TEST_TIMEOUT seconds, default 30). Prints PASS/FAIL per test (with the output of
# failures; all logs in build/test-results/) and, as the last line, "integration: N passed, M failed".
#
# After each test the runner removes everything the test registered or left: it kills the
# pids it registered and any process of its containers (found by HULLTEST=ID in their
# environment), `hull delete --force`s its ids, runs the test's on_cleanup commands (after the
# containers: a network can only be removed once they are gone), unmounts what is mounted
# under its temp dir, and removes that dir. A test that leaves a state directory, a
# container process or a host mount it did not make itself FAILS, even if its asserts passed.
set -u -o pipefail
cd "$(dirname "$0")/../.." || exit 1
REPO=$PWD
export REPO HULL=${HULL:-$REPO/build/hull} ROOTFS=$REPO/build/rootfs PROBE=$REPO/build/tests/probe/probe
export STATE=${HULL_STATE_ROOT:-/run/hull}
export LC_ALL=C
filter=${1:-}
tmo=${HULL_TEST_TIMEOUT:-30}
results=$REPO/build/test-results
# shellcheck disable=SC2034
T=/nonexistent # lib.sh helpers below run with the runner's own T
# shellcheck source=tests/integration/lib.sh
source tests/integration/lib.sh

die() {
	echo "integration: $*" >&2
	echo "integration: 0 passed, 1 failed"
	exit 1
}
[ "$(id -u)" = 0 ] || die "the integration tests need root"
[ -x "$HULL" ] || die "$HULL missing (run scripts/build.sh)"
[ -x "$ROOTFS/usr/bin/probe" ] || die "$ROOTFS/usr/bin/probe missing (run scripts/mkrootfs.sh)"
[ -x "$PROBE" ] || die "$PROBE missing"
command -v jq >/dev/null || die "jq missing (scripts/deps.sh with HULL_WITH_TEST_DEPS=1)"

rm -rf "$results"
mkdir -p "$results"

pass=0
failed=()
n=0
interrupted=0
trap 'interrupted=1' INT TERM

# Mounts under DIR, deepest first.
mounts_under() {
	awk -v d="$1/" 'index($5 "/", d) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# Everything a finished test may have left; prints what was left that it should not have.
cleanup_test() {
	local t=$1 id ids=() leaks=() p m
	mapfile -t ids < <({ echo "$ID"; cat "$t/.ids" 2>/dev/null; } | sort -u)

	# 1. What the test left on its own (before we clean).
	for id in "${ids[@]}"; do
		[ ! -e "$STATE/$id" ] || leaks+=("state directory $STATE/$id")
		p=$(container_pids "$id")
		[ -z "$p" ] || leaks+=("processes of container $id: $p")
		# the default cgroup (/hull/ID) on any hierarchy
		for cg in /sys/fs/cgroup/*/hull/"$id" /sys/fs/cgroup/hull/"$id"; do
			[ ! -d "$cg" ] || leaks+=("cgroup $cg")
		done
	done
	while read -r m; do
		[ -n "$m" ] || continue
		grep -qxF -- "${m%% *}" "$t/.mounts" 2>/dev/null || leaks+=("host mount: $m")
	done < <(mount_diff "$t/.host_mounts")

	# 2. Clean up: processes, containers, then the test's own cleanup commands (in order: a
	# network is removed only once a failed test's containers are gone), then mounts.
	if [ -f "$t/.pids" ]; then
		while read -r p; do kill -KILL "$p" 2>/dev/null || true; done <"$t/.pids"
	fi
	for id in "${ids[@]}"; do
		for p in $(container_pids "$id"); do kill -KILL "$p" 2>/dev/null || true; done
		if [ -e "$STATE/$id" ]; then
			"$HULL" delete --force "$id" >/dev/null 2>&1 || true
			rm -rf "${STATE:?}/$id"
		fi
		for cg in /sys/fs/cgroup/*/hull/"$id" /sys/fs/cgroup/hull/"$id"; do
			[ ! -d "$cg" ] || rmdir "$cg" 2>/dev/null || true
		done
	done
	if [ -f "$t/.cleanup" ]; then
		while read -r c; do (eval "$c") >/dev/null 2>&1 || true; done <"$t/.cleanup"
	fi
	for _ in 1 2 3; do
		for m in $(mounts_under "$t"); do
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
		done
		[ -z "$(mounts_under "$t")" ] && break
		sleep 0.1
	done
	m=$(mount_diff "$t/.host_mounts")
	[ -z "$m" ] || leaks+=("host mounts still there after cleanup: $m")
	rm -rf --one-file-system "$t"
	for m in "${leaks[@]}"; do echo "left behind: $m"; done
}

run_test() { # FILE FUNCTION
	local file=$1 fn=$2 topic t rc start end secs name log leaks
	topic=$(basename "$file" .sh)
	name="$topic/$fn"
	n=$((n + 1))
	t=$(mktemp -d /tmp/hullt.XXXXXX)
	chmod 755 "$t"
	ID="hullt-$$-$n"
	host_mounts >"$t/.host_mounts"
	: >"$t/.mounts"
	log="$results/${topic}.${fn}.log"
	start=$(date +%s%N)
	T=$t ID=$ID BUNDLE=$t/bundle CFG=$t/bundle/config.json \
		timeout -k 5 "$tmo" bash tests/integration/one.sh "$file" "$fn" >"$log" 2>&1 </dev/null
	rc=$?
	end=$(date +%s%N)
	secs=$(printf '%d.%02d' $(((end - start) / 1000000000)) $(((end - start) / 10000000 % 100)))
	[ "$rc" != 124 ] && [ "$rc" != 137 ] || echo "TIMEOUT after ${tmo}s" >>"$log"
	leaks=$(T=$t cleanup_test "$t")
	if [ -n "$leaks" ]; then
		echo "$leaks" >>"$log"
		[ "$rc" != 0 ] || rc=99
	fi
	if [ "$rc" = 0 ]; then
		pass=$((pass + 1))
		echo "PASS $name (${secs}s)"
	else
		failed+=("$name")
		echo "FAIL $name (${secs}s)"
		sed 's/^/    /' "$log" | tail -n 80
	fi
}

for file in tests/integration/[0-9][0-9]_*.sh; do
	for fn in $(grep -oE '^test_[A-Za-z0-9_]+' "$file"); do
		[ -z "$filter" ] || [[ "$(basename "$file" .sh)/$fn" =~ $filter ]] || continue
		run_test "$file" "$fn"
		[ "$interrupted" = 0 ] || break 2
	done
done

if [ "${#failed[@]}" -gt 0 ]; then
	echo "failed integration tests:"
	printf '  %s\n' "${failed[@]}"
fi
[ "$interrupted" = 0 ] || echo "interrupted"
[ "$n" -gt 0 ] || echo "integration: no test matches '$filter'"
echo "integration: ${pass} passed, ${#failed[@]} failed"
[ "${#failed[@]}" = 0 ] && [ "$interrupted" = 0 ]
