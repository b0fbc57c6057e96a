# shellcheck shell=sh disable=SC2013,SC2016,SC3043
# The guest's test runner (run by /init): sh runner.sh FILE...
#
# Runs every test_* function of each FILE (in file order) whose "topic/test_name" matches the
# extended regex in /vm/filter (when there is one), each in its own `sh -eu` with lib.sh, a
# fresh temp dir and container id, under a timeout (/vm/timeout seconds, default 60). Prints
# PASS/FAIL per test (the log of a failure, indented) and, as its last line,
# "vm: N passed, M failed". After each test it deletes the test's containers and removes
# cgroups it left; a test that leaves a state directory, a cgroup, a process in a cgroup or a
# mount behind FAILS even if its asserts passed.
export LC_ALL=C
tmo=$(cat /vm/timeout 2>/dev/null || echo 60)
filter=$(cat /vm/filter 2>/dev/null || true)
STATE=/run/hull
pass=0
nfail=0
failed=""
n=0

cgroups() { find /sys/fs/cgroup -mindepth 1 -type d | sort; }
mounts() { awk '{ print $5 }' /proc/self/mountinfo | sort; }

# Kill every process of cgroup DIR and its children, then remove them (deepest first).
drop_cgroup() {
	local d
	for d in $(find "$1" -type d | sort -r); do
		[ ! -e "$d/cgroup.freeze" ] || echo 0 >"$d/cgroup.freeze" 2>/dev/null
		if [ -e "$d/cgroup.kill" ]; then echo 1 >"$d/cgroup.kill" 2>/dev/null; fi
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			rmdir "$d" 2>/dev/null && break
			sleep 0.1
		done
	done
}

# What test T left: prints one line per leak, then cleans up.
cleanup() { # T CGROUPS_BEFORE MOUNTS_BEFORE
	local t="$1" id d
	for id in $(sort -u "$t/.ids" 2>/dev/null); do
		[ ! -e "$STATE/$id" ] || echo "left behind: state directory $STATE/$id"
		hull delete --force "$id" >/dev/null 2>&1 || true
		rm -rf "${STATE:?}/$id"
	done
	cgroups >"$t/.cg.after"
	# /hull is hull's parent cgroup for /hull/ID: it may stay (runc keeps its parents too).
	for d in $(grep -vxF -f "$2" "$t/.cg.after" | grep -vx /sys/fs/cgroup/hull); do
		if [ -d "$d" ]; then
			echo "left behind: cgroup $d (procs: $(tr '\n' ' ' <"$d/cgroup.procs" 2>/dev/null))"
			drop_cgroup "$d"
		fi
	done
	for d in $(mounts | grep -vxF -f "$3"); do
		echo "left behind: mount $d"
		umount -l "$d" 2>/dev/null
	done
}

now() { awk '{ print $1 }' /proc/uptime; }

for file in "$@"; do
	topic=$(basename "$file" .sh)
	for fn in $(grep -oE '^test_[A-Za-z0-9_]+' "$file"); do
		name=$topic/$fn
		if [ -n "$filter" ] && ! echo "$name" | grep -qE -- "$filter"; then continue; fi
		n=$((n + 1))
		t=/tmp/vmt.$n
		mkdir -p "$t"
		: >"$t/.ids"
		cgroups >"$t/.cg.before"
		mounts >"$t/.mnt.before"
		id="vmt$n"
		echo "$id" >>"$t/.ids"
		start=$(now)
		T=$t ID=$id BUNDLE=$t/bundle CFG=$t/bundle/config.json ROOTFS=/vm/rootfs \
			timeout -s KILL "$tmo" sh -c '. /vm/guest/lib.sh; . "$1"; set -eu; cd "$T"; "$2"' \
			sh "$file" "$fn" >"$t/log" 2>&1 </dev/null
		rc=$?
		[ "$rc" != 137 ] || echo "TIMEOUT (or SIGKILL) after ${tmo}s" >>"$t/log"
		leaks=$(cleanup "$t" "$t/.cg.before" "$t/.mnt.before")
		if [ -n "$leaks" ]; then
			echo "$leaks" >>"$t/log"
			[ "$rc" != 0 ] || rc=99
		fi
		secs=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
		if [ "$rc" = 0 ]; then
			pass=$((pass + 1))
			echo "PASS $name (${secs}s)"
		else
			nfail=$((nfail + 1))
			failed="$failed $name"
			echo "FAIL $name (${secs}s, exit $rc)"
			tail -n 60 "$t/log" | sed 's/^/    /'
		fi
		rm -rf "$t"
	done
done

if [ "$nfail" -gt 0 ]; then
	echo "failed vm tests:"
	for f in $failed; do echo "  $f"; done
fi
[ "$n" -gt 0 ] || echo "vm: no test matches '$filter'"
echo "vm: $pass passed, $nfail failed"
