#!/bin/bash
# Side-by-side start benchmark: N sequential `run`s of /bin/true with the default
# `spec` config (terminal off, args /bin/true) for hull, crun and runc from Debian's
# packages, in one run, printed as ratios to crun. Also the peak RSS of one run.
#
# crun 1.8 refuses this host's hybrid cgroup layout, so it runs in a private mount
# namespace with /sys/fs/cgroup/unified unmounted (the same for all three runtimes).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100}
HULL=${HULL:-$PWD/build/hull}
WORK=$(mktemp -d /tmp/hull-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

command -v crun >/dev/null && command -v runc >/dev/null && command -v /usr/bin/time >/dev/null || {
	echo "bench: needs crun, runc and time (apt-get install crun runc time)" >&2
	exit 1
}
[ -x "$HULL" ] || { echo "bench: build hull first (scripts/build.sh)" >&2; exit 1; }
[ -d build/rootfs ] || scripts/mkrootfs.sh build/rootfs >/dev/null

mkdir -p "$WORK/bundle"
cp -a build/rootfs "$WORK/bundle/rootfs"
"$HULL" spec --bundle "$WORK/bundle"
# runc 1.1 refuses ociVersion 1.3.0 ("unknown version specified"): use 1.0.2 for all.
sed -i -e 's/"terminal": true/"terminal": false/' -e 's/"sh"$/"\/bin\/true"/' \
	-e 's/"ociVersion": "[^"]*"/"ociVersion": "1.0.2"/' \
	"$WORK/bundle/config.json"
grep -q '"/bin/true"' "$WORK/bundle/config.json" || { echo "bench: could not edit config" >&2; exit 1; }

# One loop per runtime, inside the same private mount namespace setup.
cat >"$WORK/loop.sh" <<'LOOP'
set -e
umount /sys/fs/cgroup/unified 2>/dev/null || true
rt=$1; n=$2; bundle=$3; root=$4
start=$(date +%s%N)
for i in $(seq "$n"); do
	"$rt" --root "$root" run --bundle "$bundle" "bench-$i" >/dev/null
done
end=$(date +%s%N)
echo $(( (end - start) / 1000 ))
LOOP

declare -A us rss
for rt in "$HULL" crun runc; do
	name=$(basename "$rt")
	root="$WORK/state-$name"
	mkdir -p "$root"
	# warm up (page cache, first-run setup)
	unshare -m bash "$WORK/loop.sh" "$rt" 3 "$WORK/bundle" "$root" >/dev/null
	us[$name]=$(unshare -m bash "$WORK/loop.sh" "$rt" "$N" "$WORK/bundle" "$root")
	rss[$name]=$(unshare -m bash -c 'umount /sys/fs/cgroup/unified 2>/dev/null || true
		/usr/bin/time -f %M "$0" --root "$1" run --bundle "$2" bench-rss 2>&1 >/dev/null | tail -1' \
		"$rt" "$root" "$WORK/bundle")
done

printf '%-6s %12s %10s %12s %10s\n' runtime "ms/run" "x crun" "peak RSS KiB" "x crun"
for name in hull crun runc; do
	awk -v n="$N" -v t="${us[$name]}" -v c="${us[crun]}" -v r="${rss[$name]}" -v rc="${rss[crun]}" -v name="$name" \
		'BEGIN { printf "%-6s %12.2f %10.2f %12d %10.2f\n", name, t / n / 1000, t / c, r, r / rc }'
done
echo "targets: hull time <= 0.70 x crun, hull peak RSS <= 2048 KiB"
