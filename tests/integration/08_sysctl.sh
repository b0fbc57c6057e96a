# shellcheck shell=bash disable=SC2016,SC2034,SC2015
# linux.sysctl: namespaced keys are set in the container's namespaces; others are refused.

test_sysctl_net_namespaced() {
	mkbundle
	local before
	before=$(cat /proc/sys/net/ipv4/ip_forward)
	local want=$((1 - before))
	cfg '.linux.sysctl = {"net.ipv4.ip_forward": $v, "net.ipv4.ip_default_ttl": "77"}' \
		--arg v "$want"
	set_sh 'probe cat /proc/sys/net/ipv4/ip_forward; probe cat /proc/sys/net/ipv4/ip_default_ttl'
	hull_run
	assert_ok
	assert_eq "$want"$'\n'77 "$OUT" "sysctls inside"
	assert_eq "$before" "$(cat /proc/sys/net/ipv4/ip_forward)" "the host's ip_forward"
	assert_ne 77 "$(cat /proc/sys/net/ipv4/ip_default_ttl)" "the host's ip_default_ttl"
}

test_sysctl_ipc_namespaced() {
	mkbundle
	local before
	before=$(cat /proc/sys/kernel/msgmax)
	cfg '.linux.sysctl = {"kernel.msgmax": "12345", "fs.mqueue.msg_max": "17"}'
	set_sh 'probe cat /proc/sys/kernel/msgmax; probe cat /proc/sys/fs/mqueue/msg_max'
	hull_run
	assert_ok
	assert_eq 12345$'\n'17 "$OUT" "sysctls inside"
	assert_eq "$before" "$(cat /proc/sys/kernel/msgmax)" "the host's kernel.msgmax"
}

test_sysctl_slash_separated_key() {
	mkbundle
	cfg '.linux.sysctl = {"net/ipv4/ip_default_ttl": "78"}'
	set_args probe cat /proc/sys/net/ipv4/ip_default_ttl
	hull_run
	assert_ok
	assert_eq 78 "$OUT" "net/ipv4/ip_default_ttl inside"
}

test_sysctl_not_namespaced_refused() {
	mkbundle
	local before
	before=$(cat /proc/sys/vm/swappiness)
	cfg '.linux.sysctl = {"vm.swappiness": "17"}'
	hull_run
	assert_error vm.swappiness
	assert_eq "$before" "$(cat /proc/sys/vm/swappiness)" "the host's vm.swappiness"
}

# net.* without a network namespace would change the host: refused.
test_sysctl_net_without_netns_refused() {
	mkbundle
	remove_ns network
	cfg '.mounts |= map(select(.destination != "/sys" and .destination != "/sys/fs/cgroup"))'
	local before
	before=$(cat /proc/sys/net/ipv4/ip_default_ttl)
	cfg '.linux.sysctl = {"net.ipv4.ip_default_ttl": "79"}'
	hull_run
	assert_error net.ipv4.ip_default_ttl
	assert_eq "$before" "$(cat /proc/sys/net/ipv4/ip_default_ttl)" "the host's ip_default_ttl"
}

# kernel.msg* without an ipc namespace would change the host: refused.
test_sysctl_ipc_without_ipcns_refused() {
	mkbundle
	remove_ns ipc
	local before
	before=$(cat /proc/sys/kernel/msgmax)
	cfg '.linux.sysctl = {"kernel.msgmax": "4242"}'
	hull_run
	assert_error kernel.msgmax
	assert_eq "$before" "$(cat /proc/sys/kernel/msgmax)" "the host's kernel.msgmax"
}

test_sysctl_unknown_key() {
	mkbundle
	cfg '.linux.sysctl = {"net.ipv4.no_such_sysctl_anywhere": "1"}'
	hull_run
	assert_error net.ipv4.no_such_sysctl_anywhere
}

test_sysctl_bad_value() {
	mkbundle
	cfg '.linux.sysctl = {"net.ipv4.ip_default_ttl": "not-a-number"}'
	local before
	before=$(cat /proc/sys/net/ipv4/ip_default_ttl)
	hull_run
	assert_error net.ipv4.ip_default_ttl
	assert_eq "$before" "$(cat /proc/sys/net/ipv4/ip_default_ttl)" "the host's ip_default_ttl"
}

# A key that climbs out of /proc/sys is refused, not written.
test_sysctl_path_traversal() {
	mkbundle
	cfg '.linux.sysctl = {"../../../tmp/x": "1"}'
	hull_run
	assert_error sysctl
}
