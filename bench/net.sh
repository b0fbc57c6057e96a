#!/bin/bash
# Time to attach a container's network namespace to a bridge (veth pair, address, default
# route), side by side: hull's network layer (build/tests/net/nettool veth: one RTM_NEWLINK
# for the pair, then lo, address, link up and route in one netlink send) and the CNI bridge
# plugin from Debian's containernetworking-plugins (with host-local IPAM, as engines run it).
# hull's lease (ipam.c, a file under a flock) is not in its figure; host-local's is in CNI's.
# Everything happens in a private network and mount namespace: the host is not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50}
NETTOOL=${NETTOOL:-$PWD/build/tests/net/nettool}
CNI=${CNI:-/usr/lib/cni}
[ -x "$NETTOOL" ] || { echo "bench: build first (ninja -C build)" >&2; exit 1; }
[ -x "$CNI/bridge" ] || { echo "bench: needs containernetworking-plugins" >&2; exit 1; }

if [ -z "${HULL_BENCH_INNER:-}" ]; then
	exec env HULL_BENCH_INNER=1 unshare --net --mount --propagation private -- "$0" "$@"
fi
WORK=$(mktemp -d /tmp/hull-netbench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mount -t tmpfs tmpfs /run/netns 2>/dev/null || { mkdir -p /run/netns && mount -t tmpfs tmpfs /run/netns; }
ip link set lo up

now() { date +%s%N; }

# hull: bridge made once (as hull does on first use), then N attaches.
"$NETTOOL" bridge hb0 10.89.0.1/16 >/dev/null
total_hull=0
for i in $(seq "$N"); do
	ip netns add "h$i"
	t0=$(now)
	"$NETTOOL" veth hb0 "hv$i" "/run/netns/h$i" eth0 "10.89.$((i / 250)).$((i % 250 + 2))/16" \
		10.89.0.1 >/dev/null
	t1=$(now)
	total_hull=$((total_hull + t1 - t0))
done

cat >"$WORK/conf.json" <<EOF
{"cniVersion": "0.4.0", "name": "benchnet", "type": "bridge", "bridge": "cb0",
 "isGateway": true, "isDefaultGateway": true, "ipMasq": false,
 "ipam": {"type": "host-local", "subnet": "10.90.0.0/16", "dataDir": "$WORK/ipam"}}
EOF
total_cni=0
for i in $(seq "$N"); do
	ip netns add "c$i"
	t0=$(now)
	CNI_COMMAND=ADD CNI_CONTAINERID="c$i" CNI_NETNS="/run/netns/c$i" CNI_IFNAME=eth0 \
		CNI_PATH="$CNI" "$CNI/bridge" <"$WORK/conf.json" >/dev/null
	t1=$(now)
	total_cni=$((total_cni + t1 - t0))
done

# both really attached: the last namespace of each has its address and default route
ip -n "h$N" -4 route show default | grep -q 10.89.0.1 || { echo "bench: hull attach broken" >&2; exit 1; }
ip -n "c$N" -4 route show default | grep -q 10.90.0.1 || { echo "bench: CNI attach broken" >&2; exit 1; }

awk -v n="$N" -v h="$total_hull" -v c="$total_cni" 'BEGIN {
	printf "%-26s %10s %10s\n", "attach to a bridge", "ms/attach", "x CNI"
	printf "%-26s %10.2f %10.2f\n", "hull (nettool veth)", h / n / 1e6, h / c
	printf "%-26s %10.2f %10.2f\n", "CNI bridge + host-local", c / n / 1e6, 1
}'
