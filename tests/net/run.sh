#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# src/lib/net against the real kernel, through tests/net/nettool. Root only.
#
#   tests/net/run.sh [BUILD_DIR]     (default /tmp/build-netlink)
#
# Everything happens inside a private network namespace that stands in for the
# host (the script re-executes itself under `unshare --net`), so the real
# host's interfaces, sysctls and nftables are never touched. Inside it:
#   c1, c2   "containers": network namespaces held by a sleeping process,
#            attached to bridge hullt0 (10.99.0.0/24) with nettool veth
#   out      "another host": reachable from the host over ext0
#            (192.168.77.0/24) and knowing no route to 10.99.0.0/24, so a
#            container reaches it only if masqueraded
#   lo1      a namespace with only the loopback interface
#   atk      a neighbour on the bridge that tries CVE-2020-8558 (reaching the
#            host's 127.0.0.1 services through a bridge with route_localnet)
# Checks use ip -j, nft (-j) list table ip hull and real traffic (ping, HTTP
# with busybox httpd/wget; a CGI echoes the client address the server sees;
# UDP with tests/tools/udpecho, which answers with the sender's address).
# The last line is "N passed, M failed"; the exit status is non-zero on failure.
set -u

BUILD=${1:-/tmp/build-netlink}
BUILD=$(cd "$BUILD" && pwd)
if [ -z "${HULLT_INNER:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "tests/net/run.sh: needs root"; exit 2; }
	exec env HULLT_INNER=1 unshare --net -- "$0" "$BUILD"
fi

T=$BUILD/tests/net/nettool
U=$BUILD/tests/tools/udpecho
[ -x "$T" ] && [ -x "$U" ] || { echo "no $T or $U (build first)"; exit 2; }
for tool in nft ip jq busybox nsenter; do
	command -v $tool >/dev/null || { echo "missing $tool"; exit 2; }
done

pass=0
fail=0
OUT=$(mktemp)
WORK=$(mktemp -d /tmp/hullt-net-XXXXXX)
PIDS=()

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$WORK" "$OUT"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() {
	fail=$((fail + 1))
	echo "not ok - $1"
	sed 's/^/#   /' "$OUT"
}
# check NAME CMD...: CMD succeeds
check() {
	local name=$1
	shift
	if "$@" >"$OUT" 2>&1; then ok "$name"; else not_ok "$name"; fi
}
# check_fails NAME CMD...: CMD fails
check_fails() {
	local name=$1
	shift
	if "$@" >"$OUT" 2>&1; then not_ok "$name (succeeded)"; else ok "$name"; fi
}
# check_err NAME PATTERN CMD...: CMD fails with PATTERN in its output
check_err() {
	local name=$1 pat=$2
	shift 2
	if "$@" >"$OUT" 2>&1; then
		not_ok "$name (succeeded)"
	elif grep -q -- "$pat" "$OUT"; then
		ok "$name"
	else
		echo "(expected /$pat/)" >>"$OUT"
		not_ok "$name"
	fi
}
# check_eq NAME EXPECTED CMD...: CMD prints EXPECTED
check_eq() {
	local name=$1 want=$2 got
	shift 2
	got=$("$@" 2>&1)
	if [ "$got" = "$want" ]; then
		ok "$name"
	else
		printf 'got:      %s\nexpected: %s\n' "$got" "$want" >"$OUT"
		not_ok "$name"
	fi
}

# A new network namespace, held by a sleeping process whose pid is left in
# NS (not printed: a command substitution would run in a subshell).
new_ns() {
	unshare --net sleep 3600 &
	NS=$!
	PIDS+=($NS)
}
in_ns() { # in_ns PID CMD...
	local p=$1
	shift
	nsenter --net=/proc/$p/ns/net -- "$@"
}
# HTTP GET through busybox, here or in namespace PID; prints the body.
get() { timeout 5 busybox wget -q -O - "$@"; }
nsget() { in_ns "$1" timeout 5 busybox wget -q -O - "$2"; }
# An HTTP server in namespace PID on PORT whose /cgi-bin/who prints the
# client address it sees and /name prints NAME.
serve() { # serve PID PORT NAME
	local dir=$WORK/www-$3
	mkdir -p "$dir/cgi-bin"
	echo "$3" >"$dir/name"
	# httpd listens dual-stack: IPv4 clients show as [::ffff:A.B.C.D].
	cat >"$dir/cgi-bin/who" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
echo "$REMOTE_ADDR" | sed -e 's/^\[::ffff://' -e 's/\]$//'
EOF
	chmod +x "$dir/cgi-bin/who"
	# nsenter itself, not in_ns: $! must be the server, for the cleanup.
	nsenter --net=/proc/$1/ns/net -- busybox httpd -f -p "$2" -h "$dir" &
	PIDS+=($!)
}
wait_port() { # wait_port PID PORT
	local i
	for i in $(seq 50); do
		in_ns "$1" ss -Hltn "sport = :$2" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

link_json() { ip -j -d link show "$@" 2>/dev/null; }
has_addr() { # has_addr [NSPID] DEV ADDR/PREFIX
	local cmd=(ip -j addr show)
	if [ $# = 3 ]; then cmd=(in_ns "$1" ip -j addr show); shift; fi
	"${cmd[@]}" dev "$1" | jq -e --arg a "${2%/*}" --argjson p "${2#*/}" \
		'[.[].addr_info[] | select(.family == "inet" and .local == $a and .prefixlen == $p)] | length == 1' >/dev/null
}
is_up() { # is_up [NSPID] DEV
	local cmd=(ip -j link show)
	if [ $# = 2 ]; then cmd=(in_ns "$1" ip -j link show); shift; fi
	"${cmd[@]}" dev "$1" | jq -e '.[0].flags | index("UP") != null' >/dev/null
}
no_link() { # no_link [NSPID] DEV
	if [ $# = 2 ]; then ! in_ns "$1" ip link show dev "$2" >/dev/null 2>&1; else
		! ip link show dev "$1" >/dev/null 2>&1; fi
}

# ---------------------------------------------------------------- setup
ip link set lo up
sysctl -qw net.ipv4.ip_forward=1
new_ns; C1=$NS
new_ns; C2=$NS
new_ns; OUTNS=$NS
new_ns; LO1=$NS
sleep 0.2
# "Another host" behind ext0. It has no route to the containers' subnet.
ip link add ext0 type veth peer name eth0 netns "$OUTNS"
ip addr add 192.168.77.1/24 dev ext0
ip link set ext0 up
in_ns "$OUTNS" ip link set lo up
in_ns "$OUTNS" ip addr add 192.168.77.2/24 dev eth0
in_ns "$OUTNS" ip link set eth0 up
# A table that is not hull's: it must be left alone.
nft -f - <<'EOF'
table ip other {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 9999 counter accept comment "not hull"
	}
}
EOF
OTHER_BEFORE=$(nft list table ip other)

# ---------------------------------------------------------------- links
check_eq "bridge: created, ifindex and mtu reported" \
	"ifindex=$(($(ip -j link show | jq 'map(.ifindex) | max') + 1)) mtu=1500" \
	"$T" bridge hullt0 10.99.0.1/24
check "bridge: is a bridge" sh -c "ip -j -d link show hullt0 | jq -e '.[0].linkinfo.info_kind == \"bridge\"'"
check "bridge: has 10.99.0.1/24" has_addr hullt0 10.99.0.1/24
check "bridge: up" is_up hullt0
check "bridge: ensure again is fine" "$T" bridge hullt0 10.99.0.1/24
check_eq "bridge: still one IPv4 address" 1 \
	sh -c "ip -j addr show hullt0 | jq '[.[0].addr_info[] | select(.family == \"inet\")] | length'"
ip link add notbr type veth peer name notbr-peer
check_err "bridge: a non-bridge of that name is refused, named" "bridge notbr.*not a bridge but a veth" \
	"$T" bridge notbr 10.98.0.1/24
check "bridge: the non-bridge got no address" sh -c "! ip -j addr show notbr | jq -e '.[0].addr_info[] | select(.family == \"inet\")'"
check_err "bridge: name too long" "longer than 15" "$T" bridge hull0123456789abc 10.98.0.1/24

# A bridge MTU other than veth's default 1500: the pair must take the bridge's.
ip link set hullt0 mtu 1450
check "veth c1: attach" "$T" veth hullt0 hc1 /proc/$C1/ns/net eth0 10.99.0.2/24 10.99.0.1
check "veth c1: host end on the bridge" sh -c "ip -j link show hc1 | jq -e '.[0].master == \"hullt0\"'"
check "veth c1: host end up" is_up hc1
check "veth c1: host end's bridge port in hairpin mode" \
	sh -c "ip -j -d link show hc1 | jq -e '.[0].linkinfo.info_slave_data.hairpin == true'"
check_eq "veth c1: both ends take the bridge's mtu" "1450 1450" \
	sh -c "echo \$(ip -j link show hc1 | jq '.[0].mtu') \$(nsenter --net=/proc/$C1/ns/net ip -j link show eth0 | jq '.[0].mtu')"
check "veth c1: no eth0 on the host" no_link eth0
check "veth c1: eth0 in c1 with 10.99.0.2/24" has_addr "$C1" eth0 10.99.0.2/24
check "veth c1: eth0 up" is_up "$C1" eth0
check "veth c1: lo up" is_up "$C1" lo
check_eq "veth c1: default route via the gateway" "10.99.0.1 eth0" \
	sh -c "nsenter --net=/proc/$C1/ns/net ip -j route show default | jq -r '.[0] | \"\(.gateway) \(.dev)\"'"
check "veth c2: attach with mtu and mac" \
	"$T" veth hullt0 hc2 /proc/$C2/ns/net eth0 10.99.0.3/24 10.99.0.1 1400 02:00:00:00:00:22
check_eq "veth c2: mtu and mac" "1400 02:00:00:00:00:22" \
	sh -c "nsenter --net=/proc/$C2/ns/net ip -j link show eth0 | jq -r '.[0] | \"\(.mtu) \(.address)\"'"
check_eq "veth c2: host end mtu" 1400 sh -c "ip -j link show hc2 | jq '.[0].mtu'"

check_err "veth: peer name taken in the container, named" "eth0 exists in network namespace net:\[" \
	"$T" veth hullt0 hc9 /proc/$C1/ns/net eth0 10.99.0.9/24 10.99.0.1
check "veth: nothing left behind after that" no_link hc9
check_err "veth: host name taken, named" "host interface hc1 exists" \
	"$T" veth hullt0 hc1 /proc/$C2/ns/net eth1 10.99.0.9/24 10.99.0.1
check_err "veth: missing bridge, named" "look up interface nobr: No such device" \
	"$T" veth nobr hc9 /proc/$C1/ns/net eth1 10.99.0.9/24 10.99.0.1
# Fails after the pair exists (the gateway is not on the subnet): the kernel's
# extended ack explains, and the pair is deleted again.
check_err "veth: unreachable gateway fails with the kernel's reason" "configure eth1 (10.99.0.9/24, gateway 10.55.0.1) in network namespace net:\[[0-9]*\]: add the default route: .*gateway" \
	"$T" veth hullt0 hc9 /proc/$C1/ns/net eth1 10.99.0.9/24 10.55.0.1
check "veth: host end deleted after a late failure" no_link hc9
check "veth: peer gone from the container too" no_link "$C1" eth1

check "lo: up in a loopback-only namespace" "$T" lo /proc/$LO1/ns/net
check "lo: is up" is_up "$LO1" lo
check_eq "lo: and the only interface" 1 sh -c "nsenter --net=/proc/$LO1/ns/net ip -j link | jq length"
check_eq "exists: yes" yes "$T" exists hc1
check_eq "exists: no" no "$T" exists hc9

check "traffic: c1 pings the gateway" in_ns "$C1" busybox ping -c1 -W2 10.99.0.1
check "traffic: c1 pings c2 over the bridge" in_ns "$C1" busybox ping -c1 -W2 10.99.0.3
serve "$C1" 80 c1
serve "$C2" 80 c2
serve "$OUTNS" 80 out
wait_port "$C1" 80 && wait_port "$C2" 80 && wait_port "$OUTNS" 80
nsenter --net=/proc/$C1/ns/net -- "$U" serve 53 c1 &
PIDS+=($!)
check_eq "traffic: c1 -> c2 tcp" c2 nsget "$C1" http://10.99.0.3/name
check_eq "traffic: c2 sees c1's own address" 10.99.0.2 nsget "$C1" http://10.99.0.3/cgi-bin/who
check_fails "control: without masquerade c1 cannot reach the outside" in_ns "$C1" busybox ping -c1 -W1 192.168.77.2

# ---------------------------------------------------------------- nftables
check "nft: table and chains" "$T" table
check "nft: ensure is idempotent" "$T" table
check "nft: masquerade" "$T" masq hull-net:t 10.99.0.0/24 hullt0
check_fails "control: nothing published yet" get http://192.168.77.1:8080/name
check_fails "control: udp 5353 not published yet" in_ns "$OUTNS" "$U" ask 192.168.77.1 5353 1
check "nft: publish tcp 8080 -> c1:80" "$T" publish hull:c1 tcp 8080 10.99.0.2/24 80 hullt0
check "nft: publish udp 5353 -> c1:53" "$T" publish hull:c1 udp 5353 10.99.0.2/24 53 hullt0
check "nft: publish tcp 8081 -> c2:80" "$T" publish hull:c2 tcp 8081 10.99.0.3/24 80 hullt0
check_err "nft: bad protocol refused, port named" "publish port 9 to 10.99.0.2:9: protocol 1" \
	"$T" publish hull:c1 1 9 10.99.0.2/24 9 hullt0
check_err "nft: owner tag too long" "longer than 127" \
	"$T" masq "hull:$(printf 'x%.0s' $(seq 130))" 10.99.0.0/24 hullt0

EXPECTED_FULL=$(
	cat <<'EOF'
table ip hull {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		fib daddr type local tcp dport 8080 dnat to 10.99.0.2:80 comment "hull:c1"
		fib daddr type local udp dport 5353 dnat to 10.99.0.2:53 comment "hull:c1"
		fib daddr type local tcp dport 8081 dnat to 10.99.0.3:80 comment "hull:c2"
	}

	chain output {
		type nat hook output priority -100; policy accept;
		fib daddr type local tcp dport 8080 dnat to 10.99.0.2:80 comment "hull:c1"
		fib daddr type local udp dport 5353 dnat to 10.99.0.2:53 comment "hull:c1"
		fib daddr type local tcp dport 8081 dnat to 10.99.0.3:80 comment "hull:c2"
	}

	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr 10.99.0.0/24 oifname != "hullt0" masquerade comment "hull-net:t"
		ip saddr 127.0.0.0/8 oifname "hullt0" masquerade comment "hull-net:t"
		ip saddr 10.99.0.0/24 ip daddr 10.99.0.2 tcp dport 80 ct status dnat masquerade comment "hull:c1"
		ip saddr 10.99.0.0/24 ip daddr 10.99.0.2 udp dport 53 ct status dnat masquerade comment "hull:c1"
		ip saddr 10.99.0.0/24 ip daddr 10.99.0.3 tcp dport 80 ct status dnat masquerade comment "hull:c2"
	}

	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "hullt0" accept comment "hull-net:t"
		oifname "hullt0" accept comment "hull-net:t"
	}

	chain input {
		type filter hook input priority filter; policy accept;
		iifname "hullt0" ip daddr 127.0.0.0/8 ct state new drop comment "hull-net:t"
	}
}
EOF
)
check_eq "nft: list table ip hull shows exactly the intended rules" "$EXPECTED_FULL" nft list table ip hull
check_eq "nft -j: rules per owner" '{"hull-net:t":5,"hull:c1":6,"hull:c2":3}' \
	sh -c "nft -j list table ip hull | jq -c '[.nftables[] | select(.rule) | .rule.comment] | group_by(.) | map({(.[0]): length}) | add'"
check_eq "nft -j: base chains" 'forward:filter:forward:0 input:filter:input:0 output:nat:output:-100 postrouting:nat:postrouting:100 prerouting:nat:prerouting:-100' \
	sh -c "nft -j list table ip hull | jq -r '[.nftables[] | select(.chain) | .chain | \"\(.name):\(.type):\(.hook):\(.prio)\"] | sort | join(\" \")'"

check "masquerade: c1 pings the outside" in_ns "$C1" busybox ping -c1 -W2 192.168.77.2
check_eq "masquerade: the outside sees the host's address" 192.168.77.1 \
	nsget "$C1" http://192.168.77.2/cgi-bin/who
check_eq "dnat prerouting: outside -> host:8080 reaches c1" c1 nsget "$OUTNS" http://192.168.77.1:8080/name
check_eq "dnat prerouting: c1 sees the outside's address" 192.168.77.2 \
	nsget "$OUTNS" http://192.168.77.1:8080/cgi-bin/who
check_eq "dnat prerouting: outside -> host:8081 reaches c2" c2 nsget "$OUTNS" http://192.168.77.1:8081/name
check_eq "dnat output: host -> 10.99.0.1:8080 reaches c1" c1 get http://10.99.0.1:8080/name
check_eq "dnat output: host -> 192.168.77.1:8080 reaches c1" c1 get http://192.168.77.1:8080/name
check_eq "dnat prerouting udp: outside -> host:5353 reaches c1:53, source kept" "c1 192.168.77.2" \
	in_ns "$OUTNS" "$U" ask 192.168.77.1 5353
check_eq "dnat output udp: host -> 10.99.0.1:5353 reaches c1:53" "c1 10.99.0.1" "$U" ask 10.99.0.1 5353
check_eq "hairpin udp: c1 -> its own published udp port" "c1 10.99.0.1" in_ns "$C1" "$U" ask 10.99.0.1 5353
# 127.0.0.1 needs route_localnet on the bridge (the caller's job) and the
# 127.0.0.0/8 masquerade, which hides the loopback source from c1.
sysctl -qw net.ipv4.conf.hullt0.route_localnet=1
check_eq "dnat output: host -> 127.0.0.1:8080 reaches c1" c1 get http://127.0.0.1:8080/name
check_eq "dnat output: c1 sees the bridge address, not 127.0.0.1" 10.99.0.1 get http://127.0.0.1:8080/cgi-bin/who
check_eq "hairpin: c1 -> its own published port" c1 nsget "$C1" http://10.99.0.1:8080/name
check_eq "hairpin: masqueraded to the bridge address" 10.99.0.1 nsget "$C1" http://10.99.0.1:8080/cgi-bin/who
check_eq "dnat output udp: host -> 127.0.0.1:5353 reaches c1:53" "c1 10.99.0.1" "$U" ask 127.0.0.1 5353
# CVE-2020-8558: with route_localnet on the bridge, a neighbour that routes
# 127.0.0.1 to the gateway (and accepts the loopback-sourced replies, as a raw
# socket would) reaches services the host bound to 127.0.0.1 only. hull's
# input rule drops such new connections.
new_ns; ATK=$NS
sleep 0.1
"$T" veth hullt0 hatk /proc/$ATK/ns/net eth0 10.99.0.9/24 10.99.0.1 >/dev/null
in_ns "$ATK" sysctl -qw net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.eth0.route_localnet=1
in_ns "$ATK" ip addr flush dev lo
in_ns "$ATK" ip link set lo down
in_ns "$ATK" ip route add 127.0.0.1/32 via 10.99.0.1 dev eth0
mkdir -p "$WORK/www-hostlo"
echo host-loopback-only >"$WORK/www-hostlo/name"
busybox httpd -f -p 127.0.0.1:9090 -h "$WORK/www-hostlo" &
PIDS+=($!)
wait_port $$ 9090
check_eq "CVE-2020-8558: the host's 127.0.0.1:9090 serves the host" host-loopback-only get http://127.0.0.1:9090/name
check_fails "CVE-2020-8558: a neighbour on the bridge cannot reach the host's 127.0.0.1:9090" \
	nsget "$ATK" http://127.0.0.1:9090/name
# Through the host's address from another container: works when br_netfilter
# tracks the bridged reply (it is active here: bridge-nf-call-iptables=1).
if [ "$(cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null)" = 1 ]; then
	check_eq "dnat prerouting: c2 -> host:8080 reaches c1 (br_netfilter)" c1 \
		nsget "$C2" http://10.99.0.1:8080/name
	check_eq "direct traffic between containers keeps its source (br_netfilter)" 10.99.0.2 \
		nsget "$C1" http://10.99.0.3/cgi-bin/who
fi
# Without br_netfilter (per namespace) the DNATed packets are routed, not
# bridged: hairpin and published ports must work that way too.
if [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]; then
	sysctl -qw net.bridge.bridge-nf-call-iptables=0
	check_eq "no br_netfilter: hairpin" 10.99.0.1 nsget "$C1" http://10.99.0.1:8080/cgi-bin/who
	check_eq "no br_netfilter: outside -> host:8080" c1 nsget "$OUTNS" http://192.168.77.1:8080/name
	check_eq "no br_netfilter: host -> 127.0.0.1:8080" c1 get http://127.0.0.1:8080/name
	check_eq "no br_netfilter: c2 -> host:8080 reaches c1" c1 nsget "$C2" http://10.99.0.1:8080/name
	check_eq "no br_netfilter: c2 -> host:8080, masqueraded to the bridge address" 10.99.0.1 \
		nsget "$C2" http://10.99.0.1:8080/cgi-bin/who
	check_eq "no br_netfilter: c2 -> host:5353/udp reaches c1" "c1 10.99.0.1" in_ns "$C2" "$U" ask 10.99.0.1 5353
	sysctl -qw net.bridge.bridge-nf-call-iptables=1
fi
check_eq "other table untouched" "$OTHER_BEFORE" nft list table ip other

# ---------------------------------------------------------------- teardown
check_eq "rmowner hull:c1: removed its 6 rules" removed=6 "$T" rmowner hull:c1
check_eq "rmowner hull:c1: again, none left" removed=0 "$T" rmowner hull:c1
check_eq "rmowner: only c1's rules are gone" '{"hull-net:t":5,"hull:c2":3}' \
	sh -c "nft -j list table ip hull | jq -c '[.nftables[] | select(.rule) | .rule.comment] | group_by(.) | map({(.[0]): length}) | add'"
check_fails "rmowner: c1's port is closed" get http://192.168.77.1:8080/name
check_fails "rmowner: c1's udp port is closed" in_ns "$OUTNS" "$U" ask 192.168.77.1 5353 1
check_eq "rmowner: c2's port still works" c2 nsget "$OUTNS" http://192.168.77.1:8081/name
check_eq "rmowner hull:c2" removed=3 "$T" rmowner hull:c2
# The rules of an address's earlier holders: by the tag's end, "@ADDR", and only that address.
"$T" publish hull:old@10.99.0.2 tcp 9001 10.99.0.2/24 80 hullt0 >/dev/null
"$T" publish hull:other@110.99.0.2 tcp 9002 10.99.0.3/24 80 hullt0 >/dev/null
check_eq "rmsuffix @10.99.0.2: that address's holder only" removed=3 "$T" rmsuffix @10.99.0.2
check_eq "rmsuffix: @110.99.0.2 is another address" removed=3 "$T" rmowner hull:other@110.99.0.2
check_eq "rmtable-if-empty: a rule left keeps the table" removed=0 "$T" rmtable-if-empty
check "rmtable-if-empty: the table is still there" nft list table ip hull
check_eq "rmowner hull-net:t" removed=5 "$T" rmowner hull-net:t
check_eq "control: without hull's input rule the CVE-2020-8558 attack works" host-loopback-only \
	nsget "$ATK" http://127.0.0.1:9090/name
check_eq "rmowner: chains are empty" 0 sh -c "nft -j list table ip hull | jq '[.nftables[] | select(.rule)] | length'"
check_fails "rmowner: masquerade gone" in_ns "$C1" busybox ping -c1 -W1 192.168.77.2
check_eq "rmtable-if-empty: empty chains, deleted" removed=1 "$T" rmtable-if-empty
check_fails "rmtable-if-empty: table gone" nft list table ip hull
check_eq "rmtable-if-empty: no table is fine" removed=1 "$T" rmtable-if-empty
check "rmtable" "$T" rmtable
check_fails "rmtable: table gone" nft list table ip hull
check "rmtable: again is fine" "$T" rmtable
check_eq "rmowner: no table is fine" removed=0 "$T" rmowner hull:c1
# Someone else's chain of the same name in hull's table: refused, and named.
nft add table ip hull
nft add chain ip hull output '{ type nat hook output priority 0; }'
check_err "nft: a conflicting chain is named" \
	"publish tcp port 80 to 10.99.0.2:80 on bridge hullt0 (owner hull:c1): chain output (type nat hook output priority -100): " \
	"$T" publish hull:c1 tcp 80 10.99.0.2/24 80 hullt0
check_eq "nft: and the batch left nothing behind" 0 \
	sh -c "nft -j list table ip hull | jq '[.nftables[] | select(.rule or (.chain and .chain.name != \"output\"))] | length'"
check "rmtable: removes it" "$T" rmtable
check_eq "other table still untouched" "$OTHER_BEFORE" nft list table ip other

check "del hc1" "$T" del hc1
check "del: hc1 gone" no_link hc1
check "del: c1's eth0 went with it" no_link "$C1" eth0
check "del: a missing link is fine" "$T" del hc1
check_err "delbridge: refuses a non-bridge" "delete bridge notbr: that interface is not a bridge but a veth" \
	"$T" delbridge notbr
check "delbridge: the non-bridge is still there" ip link show notbr
check "del hc2" "$T" del hc2
check "del hatk" "$T" del hatk
check "delbridge hullt0" "$T" delbridge hullt0
check "delbridge: gone" no_link hullt0
check "delbridge: a missing bridge is fine" "$T" delbridge hullt0
check_eq "nothing of hull's left" "lo ext0 notbr-peer notbr" sh -c "ip -j link | jq -r 'map(.ifname) | join(\" \")'"

echo "net: $pass passed, $fail failed"
[ "$fail" = 0 ]
