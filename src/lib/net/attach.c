/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A network's host side, made on demand when a container joins it and
 * removed with `hull network rm` (or with its last container when the
 * network says so): the bridge with the gateway address, forwarding on the
 * bridge, route_localnet on it when ports are published (DNAT of 127.0.0.1
 * needs it), net.ipv4.ip_forward when the network allows it (egress NAT), and
 * the network's masquerade rules in hull's nftables table.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "ipam.h"
#include "link.h"
#include "nft.h"
#include "util/cleanup.h"
#include "util/hash.h"
#include "util/sys.h"

void net_container_owner(const char *id, struct in_addr addr, char buf[NET_OWNER_MAX])
{
	_Static_assert(NET_OWNER_MAX == NFT_OWNER_MAX + 1, "an owner tag fits nft's limit");
	char a[NETCONF_ADDR_STRLEN];
	size_t len = strlen(id);

	ipam_addr_str(addr, a);
	/* "hull:" + id + "@" + the longest address: 5 + 1 + 15 */
	if (len <= NFT_OWNER_MAX - 21)
		snprintf(buf, NET_OWNER_MAX, "hull:%s@%s", id, a);
	else
		snprintf(buf, NET_OWNER_MAX, "hull:%.80s~%016llx@%s", id,
		         (unsigned long long)hull_fnv(HULL_FNV_BASIS, id, len), a);
}

static void net_owner(const struct hull_network *net, char buf[NET_OWNER_MAX])
{
	snprintf(buf, NET_OWNER_MAX, "hull-net:%s", net->name);
}

/* /proc/sys/net/ipv4/<rel> = 1, unless it already is. */
static int sysctl_on(const char *rel, struct hull_error *err)
{
	char path[128], cur[8] = "";
	_cleanup_close_ int fd = -1;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/%s", rel);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return hull_err_sys(err, errno, "open %s", path);
	if (read(fd, cur, sizeof(cur) - 1) > 0 && cur[0] == '1')
		return 0;
	if (pwrite(fd, "1", 1, 0) != 1)
		return hull_err_sys(err, errno, "write 1 to %s", path);
	return 0;
}

static int bridge_sysctls(const struct hull_network *net, bool publishing, struct hull_error *err)
{
	char rel[64];
	int ret;

	snprintf(rel, sizeof(rel), "conf/%s/forwarding", net->bridge);
	if ((ret = sysctl_on(rel, err)) < 0)
		return ret;
	if (publishing) {
		snprintf(rel, sizeof(rel), "conf/%s/route_localnet", net->bridge);
		if ((ret = sysctl_on(rel, err)) < 0)
			return ret;
	}
	return net->ip_forward ? sysctl_on("ip_forward", err) : 0;
}

/* The network's masquerade rules, added once: under the network's lease lock
 * (concurrent joins), only when the owner has none (a table flushed by
 * someone else is mended by the next join). */
static int network_rules(const char *root, const struct hull_network *net, struct hull_error *err)
{
	char owner[NET_OWNER_MAX];
	struct ipam_lock l = {.dirfd = -1, .lockfd = -1};
	int ret;

	net_owner(net, owner);
	if ((ret = ipam_lock(root, net->name, true, &l, err)) < 0)
		return ret;
	ret = nft_owner_count(owner, err);
	if (ret == 0)
		ret = nft_masquerade_add(owner, net->subnet.addr, net->subnet.prefix, net->bridge,
		                         err);
	ipam_unlock(&l);
	return ret < 0 ? ret : 0;
}

int net_bridge_setup(const struct hull_network *net, bool publishing, struct hull_error *err)
{
	int ret = net_bridge_ensure(net->bridge, net->gateway, net->subnet.prefix, NULL, err);

	if (ret < 0)
		return hull_err_prefix(err, "network %s", net->name);
	if ((ret = bridge_sysctls(net, publishing, err)) < 0)
		return hull_err_prefix(err, "network %s", net->name);
	if ((ret = network_rules(NETCONF_DEFAULT_ROOT, net, err)) < 0)
		return hull_err_prefix(err, "network %s", net->name);
	return 0;
}

/* The bridge and the network's rules, when nothing uses them any more. */
static int teardown(const struct hull_network *net, struct hull_error *err)
{
	char owner[NET_OWNER_MAX];
	int ret;

	net_owner(net, owner);
	if ((ret = nft_remove_owner(owner, err)) < 0)
		return ret;
	/* The last network gone: hull's table goes too (an add recreates it). */
	if ((ret = nft_remove_table_if_empty(err)) < 0)
		return ret;
	return net_bridge_delete(net->bridge, err);
}

int net_bridge_release(const char *root, const char *name, struct hull_error *err)
{
	struct hull_network net;
	struct ipam_lock l = {.dirfd = -1, .lockfd = -1};
	int ret;

	if ((ret = netconf_load(root, name, &net, err)) < 0)
		return ret;
	if (!net.remove_bridge_with_last)
		return 0;
	/* Under the lease lock: no container can be joining meanwhile. */
	if ((ret = ipam_lock(root, name, false, &l, err)) < 0)
		return ret;
	ret = l.lockfd < 0 ? 0 : ipam_count_locked(&l, name, err);
	if (ret == 0)
		ret = teardown(&net, err);
	ipam_unlock(&l);
	return ret < 0 ? ret : 0;
}

static int teardown_cb(const char *name, void *arg, struct hull_error *err)
{
	(void)name;
	return teardown(arg, err);
}

int hull_network_remove(const char *name, struct hull_error *err)
{
	struct hull_network net;
	int ret;

	if ((ret = netconf_load(NETCONF_DEFAULT_ROOT, name, &net, err)) < 0)
		return ret;
	/* The bridge and rules go first, under the network's locks: a failure
	 * leaves the network to remove again, and no join can slip in. */
	return netconf_remove_with(NETCONF_DEFAULT_ROOT, name, teardown_cb, &net, err);
}
