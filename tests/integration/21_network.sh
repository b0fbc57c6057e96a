# shellcheck shell=bash
# Built-in networking (io.hull.network annotations): bridge, veth, addresses, NAT, published
# ports, container:ID. Traffic goes only to the containers' namespaces, loopback and an
# "outside" namespace the test makes; ip_forward is restored and networks the tests create
# are removed. Containers use a network of their own per test (hullt<N>, 10.<N>.0.0/24 style
# subnets), so the default network hull0 is not touched.

# net_setup [--keep-bridge]: a network for this test: NET (name), SUBNET, GW; removed at
# cleanup. Its bridge and rules go with its last container unless --keep-bridge.
net_setup() {
	local last=--remove-bridge-with-last
	[ "${1:-}" != --keep-bridge ] || last=
	local n=$(((RANDOM % 200) + 20))
	NET=ht$$x$n
	NET=${NET:0:14}
	SUBNET=10.251.$n.0/24
	GW=10.251.$n.1
	"$HULL" network rm "$NET" >/dev/null 2>&1 || true
	"$HULL" network create "$NET" --subnet "$SUBNET" $last >/dev/null ||
		fail "network create $NET"
	on_cleanup "'$HULL' network rm '$NET'"
	BR=$("$HULL" network inspect "$NET" | jq -r '.[0].bridge')
	local fwd
	fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	on_cleanup "echo $fwd >/proc/sys/net/ipv4/ip_forward"
}

# http_get HOST PORT PATH: an HTTP/1.0 GET with busybox nc (busybox-static's wget crashes
# in glibc's static resolver); prints the body.
HTTP_GET='get() { printf "GET %s HTTP/1.0\r\n\r\n" "$3" | nc -w 5 "$1" "$2" | sed "1,/^\r*$/d"; }'

# net_bundle [ANNOTATION=VALUE...]: mkbundle joined to NET, with CAP_NET_RAW for ping.
net_bundle() {
	mkbundle
	add_caps NET_RAW
	cfg '.annotations["io.hull.network"] = $n' --arg n "$NET"
	local kv
	for kv in "$@"; do
		cfg '.annotations[$k] = $v' --arg k "${kv%%=*}" --arg v "${kv#*=}"
	done
}

# net_run_bg ID: run the bundle detached as ID (pid in $T/ID.pid).
net_run_bg() {
	hull run -d --bundle "$BUNDLE" --pid-file "$T/$1.pid" "$1"
	assert_ok
	register_id "$1"
}

# ctr_ip ID: the container's eth0 address, as the container sees it.
ctr_ip() {
	nsenter -t "$(cat "$T/$1.pid")" -n ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1
}

# net_assert_error NEEDLE...: `hull run` of the bundle (as $ID) fails naming NEEDLEs and
# leaves no state (other containers of the test may be running).
net_assert_error() {
	hull_run
	assert_rc 1
	local n
	for n in "$@"; do
		grep -qiF -- "$n" "$T/err" || fail "error message does not mention '$n': $(cat "$T/err")"
	done
	[ ! -e "$STATE/$ID" ] || fail "state directory $STATE/$ID left behind"
}

# hull's table as nft lists it, with handles ("" without the table). Captured, never piped
# into grep -q: nft writes line by line, and under pipefail a grep -q that quits at the first
# match makes the pipeline fail with nft's SIGPIPE (a flaky "no rule" in a test).
hull_rules() { nft -a list table ip hull 2>/dev/null || true; }

# lease_files: the lease files of NET, raw (hull network inspect would reclaim dead ones first).
lease_files() { find "/var/lib/hull/net/leases/$NET" -maxdepth 1 -type f ! -name '.*' 2>/dev/null; }

# nothing of the container left: no lease file, no rule of $ID's, no veth on the bridge. Looked
# at directly, before any hull command could tidy up on the way.
assert_net_clean() {
	local rules leases
	rules=$(hull_rules)
	leases=$(lease_files)
	[ -z "$leases" ] || fail "lease files left in $NET: $leases"
	grep -q "hull:$ID" <<<"$rules" && fail "nftables rules of $ID left"
	grep -q "master $BR" <<<"$(ip -o link show)" && fail "a veth is left on $BR"
	true
}

test_network_two_containers_talk() {
	net_setup --keep-bridge
	net_bundle
	# nc's own output (what b sends) goes nowhere: a's stdout is the file b's exec writes too.
	set_sh 'mkdir -p /tmp; echo pong-from-a | nc -l -p 7000 >/dev/null; sleep 30'
	cfg '.root.readonly = false'
	net_run_bg "$ID-a"
	net_bundle
	set_args sleep 60
	net_run_bg "$ID-b"
	local a b
	a=$(ctr_ip "$ID-a")
	b=$(ctr_ip "$ID-b")
	assert_match "$a" '^10\.251\.' "address of a"
	assert_ne "$a" "$b" "distinct addresses"
	hull exec "$ID-b" ping -c 1 -W 2 "$a"
	assert_ok
	hull exec "$ID-b" sh -c "echo hi | nc -w 2 $a 7000"
	assert_ok
	assert_contains "$(cat "$T/out")" pong-from-a "TCP from b to a"
	# the host reaches a container too
	"$ROOTFS/bin/busybox" ping -c 1 -W 2 "$b" >/dev/null || fail "host cannot ping $b"
	hull delete --force "$ID-a"
	hull delete --force "$ID-b"
	assert_net_clean
	# without --remove-bridge-with-last the bridge and the network's rules stay ...
	ip link show "$BR" >/dev/null 2>&1 || fail "bridge $BR gone with the last container"
	grep -q "hull-net:$NET" <<<"$(hull_rules)" || fail "rules of $NET gone with the last container"
	# ... until hull network rm takes them
	"$HULL" network rm "$NET" || fail "network rm $NET"
	ip link show "$BR" >/dev/null 2>&1 && fail "bridge $BR left after network rm"
	if grep -q "hull-net:$NET" <<<"$(hull_rules)"; then
		fail "rules of $NET left after network rm"
	fi
	true
}

test_network_files_and_route() {
	net_setup
	net_bundle
	cfg '.hostname = "webby"'
	set_sh 'cat /etc/hosts; echo "hn=$(cat /etc/hostname)"; ip route show default | sed "s/^/route=/"; ip -o link show eth0 | sed "s/^/link=/"; ip -o link show lo | sed "s/^/lo=/"'
	hull_run
	assert_ok
	assert_eq webby "$(probe_field hn)" "/etc/hostname"
	assert_match "$(cat "$T/out")" "10\.251\.[0-9]+\.[0-9]+	webby" "/etc/hosts has the address"
	assert_contains "$(probe_field route)" "via $GW dev eth0" "default route"
	assert_contains "$(probe_field lo)" "UP" "loopback up"
	assert_not_contains "$(cat "$BUNDLE/rootfs/etc/hosts" 2>/dev/null)" webby "the image is not modified"
	assert_net_clean
}

test_network_requested_ip_and_errors() {
	net_setup
	local want=${SUBNET%0/24}77
	net_bundle "io.hull.ip=$want"
	set_args sleep 60
	net_run_bg "$ID-a"
	assert_eq "$want" "$(ctr_ip "$ID-a")" "requested address"
	# taken
	net_bundle "io.hull.ip=$want"
	net_assert_error "$want" "taken"
	# outside the subnet
	net_bundle "io.hull.ip=10.9.9.9"
	net_assert_error "10.9.9.9" "$NET"
	# bad publish
	net_bundle "io.hull.publish=80:x"
	net_assert_error "io.hull.publish" "80:x"
	# unknown network
	mkbundle
	cfg '.annotations["io.hull.network"] = "no-such-net-hull"'
	net_assert_error "no-such-net-hull"
	assert_eq 1 "$(lease_files | wc -l)" "lease files: only the running container's"
	hull delete --force "$ID-a"
	assert_net_clean
}

test_network_none_and_host() {
	mkbundle
	cfg '.annotations["io.hull.network"] = "none"'
	set_sh 'ip -o link show | sed "s/^[0-9]*: \([^:@]*\).*/if=\1/"; ip -o link show lo | sed "s/^/lo=/"'
	hull_run
	assert_ok
	assert_eq lo "$(probe_fields if | tr '\n' ' ' | sed 's/ $//')" "only loopback"
	assert_contains "$(probe_field lo)" "UP" "loopback up"
	mkbundle
	cfg '.annotations["io.hull.network"] = "host"'
	set_sh 'readlink /proc/self/ns/net | sed "s/^/ns=/"'
	hull_run
	assert_ok
	assert_eq "$(readlink /proc/self/ns/net)" "$(probe_field ns)" "host network namespace"
}

test_network_container_mode_shares_stack() {
	net_setup
	net_bundle
	set_args sleep 60
	net_run_bg "$ID-a"
	mkbundle
	cfg '.annotations["io.hull.network"] = $v' --arg v "container:$ID-a"
	set_sh 'ip -4 -o addr show dev eth0 | awk "{print \"ip=\" \$4}"'
	hull_run
	assert_ok
	assert_eq "$(ctr_ip "$ID-a")" "$(probe_field ip | cut -d/ -f1)" "one stack"
	hull delete --force "$ID-a"
	# the other container is gone: a clear error
	net_assert_error "$ID-a"
	assert_net_clean
}

test_network_publish_from_host_and_container() {
	command -v curl >/dev/null || fail "curl is needed (scripts/deps.sh test group)"
	net_setup
	local port=$((20000 + RANDOM % 20000))
	net_bundle "io.hull.publish=$port:80"
	cfg '.root.readonly = false'
	set_sh 'mkdir -p /www && echo served-by-hull >/www/index.html && httpd -f -p 80 -h /www'
	net_run_bg "$ID-a"
	wait_until 5 nsenter -t "$(cat "$T/$ID-a.pid")" -n sh -c "ss -ltn | grep -q ':80 '"
	local out
	out=$(curl -s -m 5 "http://127.0.0.1:$port/") || fail "curl 127.0.0.1:$port failed"
	assert_eq served-by-hull "$out" "curl http://127.0.0.1:$port from the host"
	# from another container, through the gateway (the host's address on the bridge)
	net_bundle
	set_args sleep 60
	net_run_bg "$ID-b"
	hull exec "$ID-b" sh -c "$HTTP_GET; get $GW $port /"
	assert_ok
	assert_eq served-by-hull "$(cat "$T/out")" "from another container"
	# hairpin: the container reaches its own published port
	hull exec "$ID-a" sh -c "$HTTP_GET; get $GW $port /"
	assert_ok
	assert_eq served-by-hull "$(cat "$T/out")" "hairpin"
	hull delete --force "$ID-a"
	hull delete --force "$ID-b"
	assert_net_clean
	if grep -q "dport $port" <<<"$(hull_rules)"; then
		fail "the DNAT rule for $port is left"
	fi
}

# UDP publishing with real datagrams (tests/tools/udpecho answers "NAME SENDER"): from the
# host through 127.0.0.1, from another container through the gateway, and hairpin.
test_network_publish_udp() {
	net_setup
	local port=$((20000 + RANDOM % 20000)) out
	net_bundle "io.hull.publish=$port:53/udp"
	cp "$TOOLS/udpecho" "$BUNDLE/rootfs/bin/udpecho"
	set_args /bin/udpecho serve 53 ctr
	net_run_bg "$ID-a"
	wait_until 5 nsenter -t "$(cat "$T/$ID-a.pid")" -n sh -c "ss -lun | grep -q ':53 '"
	out=$("$TOOLS/udpecho" ask 127.0.0.1 "$port") || fail "no answer on udp 127.0.0.1:$port"
	assert_eq "ctr $GW" "$out" "udp 127.0.0.1:$port from the host (masqueraded to the gateway)"
	net_bundle
	cp "$TOOLS/udpecho" "$BUNDLE/rootfs/bin/udpecho"
	set_args sleep 60
	net_run_bg "$ID-b"
	hull exec "$ID-b" /bin/udpecho ask "$GW" "$port"
	assert_ok
	assert_eq "ctr $GW" "$(cat "$T/out")" "from another container (masqueraded: the reply must pass the host)"
	hull exec "$ID-a" /bin/udpecho ask "$GW" "$port"
	assert_ok
	assert_eq "ctr $GW" "$(cat "$T/out")" "udp hairpin"
	hull delete --force "$ID-a"
	hull delete --force "$ID-b"
	assert_net_clean
	if "$TOOLS/udpecho" ask 127.0.0.1 "$port" 1 >/dev/null 2>&1; then
		fail "udp $port still answers after delete"
	fi
}

# CVE-2020-8558: publishing needs route_localnet on the bridge, which lets a neighbour on the
# bridge send to 127.0.0.1 through the gateway and reach services the host bound to loopback
# only. The container's namespace plays the attacker (from the host, as root: it routes
# 127.0.0.1 to the gateway and accepts loopback-sourced replies, as raw sockets would). hull's
# input rule must drop it; with that one rule deleted, the same attack reads the service.
test_network_cve_2020_8558_loopback_guard() {
	command -v curl >/dev/null || fail "curl is needed (scripts/deps.sh test group)"
	net_setup
	local lport=$((20000 + RANDOM % 20000)) pid handle dir=$T/lo-only
	net_bundle "io.hull.publish=$((20000 + RANDOM % 20000)):80"
	set_args sleep 60
	net_run_bg "$ID"
	pid=$(cat "$T/$ID.pid")
	assert_eq 1 "$(cat "/proc/sys/net/ipv4/conf/$BR/route_localnet")" "route_localnet on $BR"
	mkdir -p "$dir"
	echo host-loopback-only >"$dir/secret"
	"$ROOTFS/bin/busybox" httpd -f -p "127.0.0.1:$lport" -h "$dir" &
	register_pid $!
	wait_until 5 sh -c "ss -ltn | grep -q '127.0.0.1:$lport '"
	nsenter -t "$pid" -n sh -c "sysctl -qw net.ipv4.conf.all.route_localnet=1 \
		net.ipv4.conf.eth0.route_localnet=1 && ip addr flush dev lo && ip link set lo down &&
		ip route add 127.0.0.1/32 via $GW dev eth0" || fail "set up the attacker"
	if out=$(nsenter -t "$pid" -n curl -s -m 3 "http://127.0.0.1:$lport/secret"); then
		fail "the container read the host's loopback-only service: $out"
	fi
	handle=$(nft -a list chain ip hull input |
		awk -v c="\"hull-net:$NET\"" '/127.0.0.0\/8/ && $0 ~ c { print $NF }')
	[ -n "$handle" ] || fail "no input rule of hull-net:$NET: $(nft list chain ip hull input)"
	nft delete rule ip hull input handle "$handle"
	out=$(nsenter -t "$pid" -n curl -s -m 3 "http://127.0.0.1:$lport/secret")
	assert_eq host-loopback-only "$out" "control: without hull's rule the attack works"
	hull delete --force "$ID"
	assert_net_clean
}

# A stopped container that is not deleted yet no longer holds its address (its namespace and
# veth died with it). The next container given that address must not inherit the old one's
# published port, and the old one's delete must not free the new owner's lease.
test_network_stopped_container_rules_not_inherited() {
	command -v curl >/dev/null || fail "curl is needed (scripts/deps.sh test group)"
	net_setup
	local port=$((20000 + RANDOM % 20000)) ip=${GW%.1}.77
	net_bundle "io.hull.ip=$ip" "io.hull.publish=$port:80"
	set_args sleep 60
	net_run_bg "$ID-old"
	grep -q "hull:$ID-old@$ip\"" <<<"$(hull_rules)" || fail "no rules for the first container"
	kill -KILL "$(cat "$T/$ID-old.pid")"
	wait_until 5 sh -c "'$HULL' state '$ID-old' | jq -e '.status == \"stopped\"' >/dev/null"
	net_bundle "io.hull.ip=$ip"
	cfg '.root.readonly = false'
	set_sh 'mkdir -p /www && echo new-owner >/www/index.html && httpd -f -p 80 -h /www'
	net_run_bg "$ID-new"
	wait_until 5 nsenter -t "$(cat "$T/$ID-new.pid")" -n sh -c "ss -ltn | grep -q ':80 '"
	assert_eq "$ip" "$(ctr_ip "$ID-new")" "the new container got the stopped one's address"
	if grep -q "hull:$ID-old@" <<<"$(hull_rules)"; then
		fail "the stopped container's rules are left: $(nft list table ip hull | grep "hull:$ID-old")"
	fi
	if out=$(curl -s -m 3 "http://127.0.0.1:$port/"); then
		fail "the stopped container's published port reaches the new owner: $out"
	fi
	hull delete "$ID-old"
	assert_ok
	assert_eq "$ID-new $ip" "$("$HULL" network inspect "$NET" | jq -r '.[0].leases[] | "\(.container) \(.address)"')" \
		"the lease after deleting the stopped container"
	"$ROOTFS/bin/busybox" ping -c 1 -W 2 "$ip" >/dev/null || fail "the new container is unreachable after the old one's delete"
	hull delete --force "$ID-new"
	assert_net_clean
}

# Ids long enough that an nftables rule tag cannot hold them, sharing a long prefix: deleting
# one keeps the other's published port.
test_network_long_ids_keep_their_own_rules() {
	net_setup
	local long p1=$((20000 + RANDOM % 10000)) p2=$((30000 + RANDOM % 10000))
	long=$ID-$(printf 'x%.0s' $(seq 200))
	net_bundle "io.hull.publish=$p1:80"
	set_args sleep 60
	net_run_bg "${long}a"
	net_bundle "io.hull.publish=$p2:80"
	set_args sleep 60
	net_run_bg "${long}b"
	hull delete --force "${long}a"
	assert_ok
	grep -q "dport $p2 " <<<"$(hull_rules)" ||
		fail "deleting ${long:0:20}...a removed the other container's port $p2"
	grep -q "dport $p1 " <<<"$(hull_rules)" && fail "port $p1 left after its delete"
	hull delete --force "${long}b"
	assert_net_clean
	if grep -q "dport $p2 " <<<"$(hull_rules)"; then fail "port $p2 left"; fi
}

# Egress NAT: an "outside" namespace (made here, 198.18.x) serves its caller's address; the
# container's request arrives from the host's address.
test_network_egress_masquerade() {
	net_setup
	local o=hullt-out-$$ dir=$T/outside
	ip netns add "$o"
	on_cleanup "ip netns del $o"
	ip link add "ho$$" type veth peer name eth0 netns "$o"
	on_cleanup "ip link del ho$$"
	ip addr add 198.18.77.1/24 dev "ho$$"
	ip link set "ho$$" up
	ip -n "$o" addr add 198.18.77.2/24 dev eth0
	ip -n "$o" link set eth0 up
	ip -n "$o" link set lo up
	mkdir -p "$dir/cgi-bin"
	printf '#!/bin/sh\necho Content-Type: text/plain\necho\necho "$REMOTE_ADDR"\n' >"$dir/cgi-bin/ip"
	chmod +x "$dir/cgi-bin/ip"
	ip netns exec "$o" "$ROOTFS/bin/busybox" httpd -f -p 198.18.77.2:8080 -h "$dir" &
	register_pid $!
	wait_until 5 ip netns exec "$o" sh -c "ss -ltn | grep -q 198.18.77.2:8080"
	net_bundle
	set_sh "$HTTP_GET; get 198.18.77.2 8080 /cgi-bin/ip"
	hull_run
	assert_ok
	assert_eq 198.18.77.1 "$(cat "$T/out")" "the outside sees the host's address"
	assert_net_clean
}

test_network_50_concurrent_distinct() {
	net_setup
	net_bundle
	set_args sleep 60
	local i pids=()
	for i in $(seq 50); do
		register_id "$ID-$i"
		"$HULL" create --bundle "$BUNDLE" "$ID-$i" >/dev/null 2>"$T/create-$i.err" &
		pids+=($!)
	done
	local bad=0
	for i in "${pids[@]}"; do wait "$i" || bad=$((bad + 1)); done
	assert_eq 0 "$bad" "failed creates ($(cat "$T"/create-*.err | head -3))"
	local leases
	leases=$("$HULL" network inspect "$NET" | jq -r '.[0].leases[].address')
	assert_eq 50 "$(sort -u <<<"$leases" | wc -l)" "distinct addresses"
	for i in $(seq 50); do "$HULL" delete --force "$ID-$i" >/dev/null 2>&1 & done
	wait
	assert_net_clean
	grep -q "master $BR" <<<"$(ip -o link show)" && fail "veths left on $BR"
	true
}

# hull itself dies half-way through create (a createRuntime hook kills it after the network is
# attached): delete --force still removes the rules, the lease and the veth.
test_network_delete_force_after_crash() {
	net_setup
	net_bundle "io.hull.publish=$((20000 + RANDOM % 20000)):80"
	set_args sleep 60
	cfg '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "kill -KILL $PPID"]}]'
	register_id "$ID"
	hull run -d --bundle "$BUNDLE" "$ID"
	assert_rc 137
	grep -q "hull:$ID" <<<"$(hull_rules)" ||
		fail "the crash left no rule: the test does not test anything"
	hull delete --force "$ID"
	assert_ok
	assert_net_clean
	[ ! -d "$STATE/$ID" ] || fail "state directory left"
}

# CNI-style external setup still works: no io.hull annotation, a createRuntime hook runs the
# CNI bridge plugin (Debian's containernetworking-plugins) on the container's namespace.
test_network_cni_hook_external_setup() {
	[ -x /usr/lib/cni/bridge ] || fail "needs containernetworking-plugins (scripts/deps.sh)"
	mkbundle
	local br=hcni$((RANDOM % 1000))
	on_cleanup "ip link del $br"
	cat >"$T/cni.json" <<JSON
{"cniVersion": "0.4.0", "name": "hulltest", "type": "bridge", "bridge": "$br",
 "isGateway": true, "ipMasq": false,
 "ipam": {"type": "host-local", "subnet": "10.252.7.0/24", "dataDir": "$T/cni-ipam"}}
JSON
	cat >"$T/cni-add" <<SH
#!/bin/sh
pid=\$(jq -r .pid)
CNI_COMMAND=ADD CNI_CONTAINERID=$ID CNI_NETNS=/proc/\$pid/ns/net CNI_IFNAME=eth0 \
	CNI_PATH=/usr/lib/cni exec /usr/lib/cni/bridge <"$T/cni.json" >"$T/cni.result"
SH
	chmod +x "$T/cni-add"
	cfg '.hooks.createRuntime = [{path: $p}]' --arg p "$T/cni-add"
	set_sh 'ip -4 -o addr show dev eth0 | awk "{print \"ip=\" \$4}"'
	hull_run
	assert_ok
	assert_match "$(probe_field ip)" '^10\.252\.7\.[0-9]+/24$' "the address CNI gave"
	assert_eq "$(jq -r '.ips[0].address' "$T/cni.result")" "$(probe_field ip)" "CNI's result"
}
