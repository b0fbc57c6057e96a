#!/bin/bash
# Side-by-side start benchmark: N sequential `run`s of /bin/true with the default
# `spec` config (terminal off, args /bin/true) for hull, crun and runc from Debian's
# packages, in one run, printed as ratios to crun. Also the peak RSS of one run.
#
# crun 1.8 refuses this host's hybrid cgroup layout, so it runs in a private mount
# namespace with /sys/fs/cgroup/unified unmounted (the same for all three runtimes).
#
#   SECCOMP=podman bench/run.sh   the same with podman's default seccomp profile (from
#                                 containers-common, made an OCI linux.seccomp: its ALLOW
#                                 rules without argument conditions, about 400 syscalls);
#                                 the warm-up runs fill hull's filter cache, so hull's figure
#                                 is a warm-cache one (crun 1.8 and runc compile every time)
#   EXEC=1 bench/run.sh           N `exec`s of /bin/true into one running container (its
#                                 process: sleep) instead of N `run`s; no RSS column
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
if [ "${SECCOMP:-}" = podman ]; then
	profile=/usr/share/containers/seccomp.json
	[ -r "$profile" ] || { echo "bench: no $profile (apt-get install golang-github-containers-common)" >&2; exit 1; }
	jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and ((.args // []) | length == 0)) | .names[]] | unique' \
		"$profile" >"$WORK/names.json"
	jq --slurpfile n "$WORK/names.json" '.linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO",
		architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		syscalls: [{names: $n[0], action: "SCMP_ACT_ALLOW"}]}' \
		"$WORK/bundle/config.json" >"$WORK/c.json"
	mv "$WORK/c.json" "$WORK/bundle/config.json"
	echo "seccomp: podman's default profile, $(jq length "$WORK/names.json") syscalls allowed"
fi

# One loop per runtime, inside the same private mount namespace setup.
cat >"$WORK/loop.sh" <<'LOOP'
set -e
umount /sys/fs/cgroup/unified 2>/dev/null || true
rt=$1; n=$2; bundle=$3; root=$4
if [ -n "${EXEC:-}" ]; then
	mkdir -p "$bundle/../sleeper"
	sed -e 's|"/bin/true"|"/bin/sleep", "600"|' -e "s|\"path\": \"rootfs\"|\"path\": \"$bundle/rootfs\"|" \
		"$bundle/config.json" >"$bundle/../sleeper/config.json"
	"$rt" --root "$root" run -d --bundle "$bundle/../sleeper" bench-exec >/dev/null
	trap '"$rt" --root "$root" delete --force bench-exec >/dev/null 2>&1' EXIT
	start=$(date +%s%N)
	for i in $(seq "$n"); do
		"$rt" --root "$root" exec bench-exec /bin/true >/dev/null
	done
	end=$(date +%s%N)
else
	start=$(date +%s%N)
	for i in $(seq "$n"); do
		"$rt" --root "$root" run --bundle "$bundle" "bench-$i" >/dev/null
	done
	end=$(date +%s%N)
fi
echo $(( (end - start) / 1000 ))
LOOP

declare -A us rss
for rt in "$HULL" crun runc; do
	name=$(basename "$rt")
	root="$WORK/state-$name"
	mkdir -p "$root"
	# warm up (page cache, first-run setup)
	EXEC=${EXEC:-} unshare -m bash "$WORK/loop.sh" "$rt" 3 "$WORK/bundle" "$root" >/dev/null
	us[$name]=$(EXEC=${EXEC:-} unshare -m bash "$WORK/loop.sh" "$rt" "$N" "$WORK/bundle" "$root")
	[ -z "${EXEC:-}" ] || { rss[$name]=0; continue; }
	rss[$name]=$(unshare -m bash -c 'umount /sys/fs/cgroup/unified 2>/dev/null || true
		/usr/bin/time -f %M "$0" --root "$1" run --bundle "$2" bench-rss 2>&1 >/dev/null | tail -1' \
		"$rt" "$root" "$WORK/bundle")
done

what=run
[ -z "${EXEC:-}" ] || what=exec
printf '%-6s %12s %10s %12s %10s\n' runtime "ms/$what" "x crun" "peak RSS KiB" "x crun"
for name in hull crun runc; do
	awk -v n="$N" -v t="${us[$name]}" -v c="${us[crun]}" -v r="${rss[$name]}" -v rc="${rss[crun]}" -v name="$name" \
		'BEGIN { if (rc) printf "%-6s %12.2f %10.2f %12d %10.2f\n", name, t / n / 1000, t / c, r, r / rc
		         else printf "%-6s %12.2f %10.2f %12s %10s\n", name, t / n / 1000, t / c, "-", "-" }'
done
echo "targets: hull time <= 0.70 x crun, hull peak RSS <= 2048 KiB"
