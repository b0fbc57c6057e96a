# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# Namespaces: each one created is the container's own (and proven by what it isolates); a
# namespace not asked for is the host's; a namespace with a path is joined.

host_ns() { readlink "/proc/self/ns/$1"; }

# Every namespace of the template is new, the others are the host's.
test_namespaces_new_and_shared() {
	mkbundle
	hull_run
	assert_ok
	local t
	for t in pid mnt net ipc uts cgroup; do
		assert_ne "$(host_ns "$t")" "$(probe_field "ns.$t")" "ns.$t (asked for)"
	done
	for t in user time; do
		assert_eq "$(host_ns "$t")" "$(probe_field "ns.$t")" "ns.$t (not asked for)"
	done
}

test_no_namespaces_shares_the_hosts() {
	mkbundle
	remove_ns network ipc uts cgroup pid
	cfg 'del(.hostname)'
	hull_run
	assert_ok
	local t
	for t in pid net ipc uts cgroup user time; do
		assert_eq "$(host_ns "$t")" "$(probe_field "ns.$t")" "ns.$t"
	done
	assert_eq "$(hostname)" "$(probe_field hostname)" "hostname"
}

# The seed demonstration: the process is PID 1 and sees only its own processes in /proc.
test_pid_namespace() {
	mkbundle
	set_sh 'sleep 30 & probe ps; probe; kill %1'
	hull_run
	assert_ok
	local pids
	pids=$(probe_field pids)
	# sh (1), sleep, and the probe: nothing of the host's hundreds of processes.
	assert_match "$pids" '^1,[0-9]+,[0-9]+$' "pids visible in the container"
	local p
	for p in ${pids//,/ }; do [ "$p" -le 10 ] || fail "unexpected pid $p in /proc: $pids"; done
	[ "$(ls -d /proc/[0-9]* | wc -l)" -gt 20 ] || fail "host sees too few processes to compare"
	assert_ne "$(host_ns pid)" "$(probe_field ns.pid)" "ns.pid"
}

test_pid_namespace_init() {
	mkbundle
	set_args probe ps
	hull_run
	assert_ok
	assert_eq 1 "$(probe_field pids)" "pids in /proc"
}

# The seed demonstration: a hostname change inside does not change the host's.
test_uts_namespace_sethostname() {
	mkbundle
	add_caps SYS_ADMIN
	local before
	before=$(hostname)
	set_args probe sethostname "inside-$ID"
	hull_run
	assert_ok
	assert_eq "inside-$ID" "$(probe_field hostname)" "hostname inside"
	assert_eq "$before" "$(hostname)" "host hostname"
}

test_uts_hostname_domainname() {
	mkbundle
	cfg '.hostname = "hull-test" | .domainname = "example.test"'
	hull_run
	assert_ok
	assert_eq hull-test "$(probe_field hostname)" "hostname"
	assert_eq example.test "$(probe_field domainname)" "domainname"
	assert_ne hull-test "$(hostname)" "host hostname"
}

# The seed demonstration: a System V message queue made inside is invisible outside.
test_ipc_namespace_msg_queue() {
	mkbundle
	local key=$((RANDOM * 32768 + RANDOM + 1000))
	set_sh "probe msgget $key && probe msgls && probe"
	hull_run
	assert_ok
	probe_field msqid >/dev/null
	assert_contains ",$(probe_field msgkeys)," ",$key," "message queue keys inside"
	! awk 'NR > 1 { print $1 }' /proc/sysvipc/msg | grep -qx "$key" ||
		fail "the container's queue $key is visible on the host"
	local ipcns
	ipcns=$(probe_field ns.ipc)
	assert_ne "$(host_ns ipc)" "$ipcns" "ns.ipc"
}

# Without an ipc namespace the same queue would be the host's: the test can tell.
test_ipc_shared_without_namespace() {
	mkbundle
	remove_ns ipc
	local key=$((RANDOM * 32768 + RANDOM + 1000))
	set_args probe msgget "$key"
	hull_run
	assert_ok
	local id
	id=$(probe_field msqid)
	on_cleanup "ipcrm -q $id"
	awk 'NR > 1 { print $1 }' /proc/sysvipc/msg | grep -qx "$key" ||
		fail "queue $key made in the host's ipc namespace is not visible on the host"
	ipcrm -q "$id"
}

# The seed demonstration: a mount made inside is invisible outside.
test_mount_namespace() {
	mkbundle
	add_caps SYS_ADMIN
	set_sh 'probe mount-tmpfs /mnt && probe mounts'
	hull_run
	assert_ok
	assert_eq tmpfs "$(mount_type /mnt)" "the mount inside"
	! grep -q " $BUNDLE/rootfs/mnt " /proc/self/mountinfo || fail "the mount is visible on the host"
	assert_clean
}

# Only loopback in a new network namespace.
test_network_namespace() {
	mkbundle
	set_sh 'probe netdevs; echo sys=$(ls /sys/class/net | tr "\n" ,)'
	hull_run
	assert_ok
	assert_eq lo "$(probe_field netdevs)" "devices in /proc/net/dev"
	assert_eq lo, "$(probe_field sys)" "/sys/class/net"
	[ "$(ls /sys/class/net | wc -l)" -gt 1 ] || fail "host has only lo: cannot compare"
}

test_network_shared_without_namespace() {
	mkbundle
	remove_ns network
	cfg '.mounts |= map(select(.destination != "/sys" and .destination != "/sys/fs/cgroup"))'
	set_args probe netdevs
	hull_run
	assert_ok
	assert_eq "$(host_field netdevs netdevs | tr , '\n' | sort)" \
		"$(probe_field netdevs | tr , '\n' | sort)" "network devices"
}

test_cgroup_namespace() {
	mkbundle
	hull_run
	assert_ok
	assert_ne "$(host_ns cgroup)" "$(probe_field ns.cgroup)" "ns.cgroup"
	# Every hierarchy's path is the namespace root.
	local line
	for line in $(probe_field cgroup | tr ';' ' '); do
		[[ "$line" == *:/ ]] || fail "cgroup path inside the namespace is not /: $line"
	done
}

test_cgroup_shared_without_namespace() {
	mkbundle
	remove_ns cgroup
	hull_run
	assert_ok
	assert_eq "$(host_ns cgroup)" "$(probe_field ns.cgroup)" "ns.cgroup"
}

# user: uid 0 inside is the configured host uid (the seed demonstration).
test_user_namespace_mapping() {
	mkbundle
	userns 100000 65536
	chown_rootfs 100000:100000
	mkdir -p "$T/shared"
	chmod 777 "$T/shared"
	add_bind /shared "$T/shared"
	set_sh 'probe write /shared/by-root x && probe'
	hull_run
	assert_ok
	assert_eq 0 "$(probe_field uid)" "uid inside"
	assert_eq 0 "$(probe_field euid)" "euid inside"
	assert_eq "0 100000 65536" "$(probe_field uid_map)" "uid_map"
	assert_eq "0 100000 65536" "$(probe_field gid_map)" "gid_map"
	assert_ne "$(host_ns user)" "$(probe_field ns.user)" "ns.user"
	assert_eq 100000:100000 "$(stat -c %u:%g "$T/shared/by-root")" "owner on the host of a file made by root inside"
}

test_user_namespace_nonroot_user() {
	mkbundle
	userns 100000 65536
	chown_rootfs 100000:100000
	cfg '.process.user = {uid: 1000, gid: 1000}'
	mkdir -p "$T/shared"
	chmod 777 "$T/shared"
	add_bind /shared "$T/shared"
	set_sh 'probe write /shared/by-1000 x && probe ids'
	hull_run
	assert_ok
	assert_eq 1000 "$(probe_field uid)" "uid inside"
	assert_eq 101000:101000 "$(stat -c %u:%g "$T/shared/by-1000")" "owner on the host"
}

# Files of the host outside the mapping show as the overflow ids.
test_user_namespace_unmapped_owner() {
	mkbundle
	userns 100000 65536
	set_args probe stat /bin/busybox
	hull_run
	assert_ok
	assert_eq 65534 "$(probe_field uid)" "owner of a host-root file inside"
}

test_user_namespace_multiple_ranges() {
	mkbundle
	add_ns user
	cfg '.linux.uidMappings = [{containerID: 0, hostID: 200000, size: 1000},
	                           {containerID: 1000, hostID: 300000, size: 10}] |
	     .linux.gidMappings = [{containerID: 0, hostID: 200000, size: 2000}]'
	hull_run
	assert_ok
	assert_eq "0 200000 1000;1000 300000 10" "$(probe_field uid_map)" "uid_map"
	assert_eq "0 200000 2000" "$(probe_field gid_map)" "gid_map"
}

# time: CLOCK_MONOTONIC and CLOCK_BOOTTIME offsets.
test_time_namespace_offsets() {
	mkbundle
	add_ns time
	cfg '.linux.timeOffsets = {monotonic: {secs: 86400000, nanosecs: 0},
	                            boottime: {secs: 3600000, nanosecs: 500000000}}'
	set_args probe monotonic
	local h_mono h_boot
	h_mono=$(host_field monotonic monotonic)
	h_boot=$(host_field boottime monotonic)
	hull_run
	assert_ok
	local c_mono c_boot
	c_mono=$(probe_field monotonic)
	c_boot=$(probe_field boottime)
	local d_mono=$((${c_mono%.*} - ${h_mono%.*})) d_boot=$((${c_boot%.*} - ${h_boot%.*}))
	[ "$d_mono" -ge 86400000 ] && [ "$d_mono" -le 86400010 ] ||
		fail "CLOCK_MONOTONIC offset: expected ~86400000 s, got $d_mono s"
	[ "$d_boot" -ge 3600000 ] && [ "$d_boot" -le 3600010 ] ||
		fail "CLOCK_BOOTTIME offset: expected ~3600000 s, got $d_boot s"
}

test_time_namespace_is_the_processes() {
	mkbundle
	add_ns time
	hull_run
	assert_ok
	assert_ne "$(host_ns time)" "$(probe_field ns.time)" "ns.time"
	assert_eq "$(probe_field ns.time)" "$(probe_field ns.time_for_children)" "ns.time_for_children"
}

# Joining a network namespace by path: the container sees the links made there.
test_join_netns_by_path() {
	mkbundle
	local ns="hullt-$ID"
	ip netns add "$ns"
	on_cleanup "ip netns del $ns"
	ip -n "$ns" link add hullv0 type veth peer name hullv1
	add_ns network "/run/netns/$ns"
	cfg '.mounts |= map(select(.destination != "/sys" and .destination != "/sys/fs/cgroup"))'
	set_sh 'probe netdevs && probe'
	hull_run
	assert_ok
	assert_eq "$(ip netns exec "$ns" readlink /proc/self/ns/net)" "$(probe_field ns.net)" "ns.net"
	assert_eq "hullv0,hullv1,lo" "$(probe_field netdevs | tr , '\n' | sort | paste -sd,)" \
		"network devices of the joined namespace"
	ip netns del "$ns"
}

# Joining a UTS namespace by path: the container sees that namespace's hostname.
test_join_uts_by_path() {
	mkbundle
	unshare --uts sh -c 'hostname joined-uts; exec sleep 60' &
	local pid=$!
	register_pid "$pid"
	has_joined_hostname() { [ "$(nsenter -t "$pid" -u hostname 2>/dev/null)" = joined-uts ]; }
	wait_until 5 has_joined_hostname
	cfg 'del(.hostname)'
	add_ns uts "/proc/$pid/ns/uts"
	hull_run
	assert_ok
	assert_eq joined-uts "$(probe_field hostname)" "hostname"
	assert_eq "$(readlink "/proc/$pid/ns/uts")" "$(probe_field ns.uts)" "ns.uts"
	kill "$pid"
}

# Joining the pid, ipc and network namespaces of a running container.
test_join_another_containers_namespaces() {
	mkbundle
	set_args probe sleep 30
	local first=$ID
	hull_run -d --pid-file "$T/pid1"
	assert_ok
	local pid1
	pid1=$(cat "$T/pid1")
	register_pid "$pid1"
	ID=$first-b
	mkbundle "$T/b"
	CFG=$T/b/config.json
	add_ns pid "/proc/$pid1/ns/pid"
	add_ns ipc "/proc/$pid1/ns/ipc"
	add_ns network "/proc/$pid1/ns/net"
	set_sh 'probe ps; probe'
	BUNDLE=$T/b hull_run
	assert_ok
	assert_eq "$(readlink "/proc/$pid1/ns/pid")" "$(probe_field ns.pid)" "ns.pid"
	assert_eq "$(readlink "/proc/$pid1/ns/ipc")" "$(probe_field ns.ipc)" "ns.ipc"
	assert_eq "$(readlink "/proc/$pid1/ns/net")" "$(probe_field ns.net)" "ns.net"
	# The first container's process is PID 1 of the shared pid namespace.
	assert_match "$(probe_field pids)" '^1,' "pids"
	[ "$(probe_field pid)" != 1 ] || fail "the joining process is PID 1"
	kill -KILL "$pid1"
	ID=$first
	wait_until 10 dead "$pid1"
	hull delete --force "$first"
	assert_ok
}

# Joining a container's user namespace (and its network namespace, which that user namespace
# owns): the ids are that namespace's, no mapping is written.
test_join_user_namespace() {
	mkbundle
	userns 100000 65536
	chown_rootfs 100000:100000
	set_args probe sleep 30
	local first=$ID
	hull_run -d --pid-file "$T/pid1"
	assert_ok
	local pid1
	pid1=$(cat "$T/pid1")
	register_pid "$pid1"
	ID=$first-b
	mkbundle "$T/b"
	CFG=$T/b/config.json
	add_ns user "/proc/$pid1/ns/user"
	add_ns network "/proc/$pid1/ns/net"
	BUNDLE=$T/b hull_run
	assert_ok
	assert_eq "$(readlink "/proc/$pid1/ns/user")" "$(probe_field ns.user)" "ns.user"
	assert_eq "$(readlink "/proc/$pid1/ns/net")" "$(probe_field ns.net)" "ns.net"
	assert_eq "0 100000 65536" "$(probe_field uid_map)" "uid_map"
	assert_eq 0 "$(probe_field uid)" "uid"
	assert_eq 1 "$(probe_field pid)" "pid (a new pid namespace)"
	kill -KILL "$pid1"
	ID=$first
	wait_until 10 dead "$pid1"
	hull delete --force "$first"
	assert_ok
}

test_join_bad_path() {
	mkbundle
	add_ns network "$T/no-such-ns"
	hull_run
	assert_error "$T/no-such-ns"
}

test_join_not_a_namespace() {
	mkbundle
	echo x >"$T/plainfile"
	add_ns network "$T/plainfile"
	hull_run
	assert_error "$T/plainfile"
}

test_join_wrong_type() {
	mkbundle
	sleep 60 &
	local pid=$!
	register_pid "$pid"
	# A uts namespace given as the network namespace.
	add_ns network "/proc/$pid/ns/uts"
	hull_run
	assert_error "/proc/$pid/ns/uts" network
	kill "$pid"
}
