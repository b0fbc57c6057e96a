/* SPDX-License-Identifier: Apache-2.0 */
#include "link.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdio.h>
#include <string.h>

#include "nl.h"
#include "util/cleanup.h"

#define RT_BUF 1024

struct link_info {
	int ifindex;
	unsigned mtu;
	char kind[16]; /* IFLA_INFO_KIND, "" if none */
};

static int check_ifname(const char *name, const char *what, struct hull_error *err)
{
	if (!name || !name[0])
		return hull_err(err, EINVAL, "%s: empty interface name", what);
	if (strlen(name) >= IFNAMSIZ)
		return hull_err(err, EINVAL, "%s: interface name %s is longer than %d bytes", what,
		                name, IFNAMSIZ - 1);
	return 0;
}

static const char *addr_str(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void put_ifinfo(struct nlbuf *b, int ifindex, unsigned flags, unsigned change)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC,
	                        .ifi_index = ifindex,
	                        .ifi_flags = flags,
	                        .ifi_change = change};

	nl_put_extra(b, &ifi, sizeof(ifi));
}

static int link_info_cb(const struct nlmsghdr *h, void *arg)
{
	struct link_info *info = arg;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	const char *kind;

	if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return 0;
	nl_msg_parse(h, sizeof(*ifi), tb, IFLA_MAX);
	info->ifindex = ifi->ifi_index;
	info->mtu = nl_attr_u32(tb[IFLA_MTU]);
	if (tb[IFLA_LINKINFO]) {
		nl_attr_parse(nl_attr_data(tb[IFLA_LINKINFO]), nl_attr_len(tb[IFLA_LINKINFO]), li,
		              IFLA_INFO_MAX);
		kind = nl_attr_str(li[IFLA_INFO_KIND]);
		if (kind)
			snprintf(info->kind, sizeof(info->kind), "%s", kind);
	}
	return 0;
}

/* Look an interface up by name; -ENODEV if there is none. */
static int link_get(struct nl_sock *s, const char *name, struct link_info *info,
                    struct hull_error *err)
{
	unsigned char buf[RT_BUF] __attribute__((aligned(4)));
	struct nlbuf b;

	memset(info, 0, sizeof(*info));
	nlbuf_init(&b, buf, sizeof(buf));
	nl_msg_begin(&b, RTM_GETLINK, NLM_F_ACK);
	put_ifinfo(&b, 0, 0, 0);
	nl_put_str(&b, IFLA_IFNAME, name);
	/* Counters are not needed and make the answer several times larger. */
	nl_put_u32(&b, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	nl_msg_end(&b);
	int r = nl_transact(s, &b, link_info_cb, info, err, "look up interface %s", name);
	if (r < 0)
		return r;
	if (info->ifindex <= 0)
		return hull_err(err, ENODEV, "look up interface %s: no answer", name);
	return 0;
}

/* Set an interface up, by index or (ifindex 0) by name. */
static void put_link_up(struct nlbuf *b, int ifindex, const char *name)
{
	nl_msg_begin(b, RTM_NEWLINK, NLM_F_ACK);
	put_ifinfo(b, ifindex, IFF_UP, IFF_UP);
	if (!ifindex)
		nl_put_str(b, IFLA_IFNAME, name);
	nl_msg_end(b);
}

static void put_addr4(struct nlbuf *b, int ifindex, struct in_addr addr, unsigned prefix)
{
	struct ifaddrmsg ifa = {.ifa_family = AF_INET,
	                        .ifa_prefixlen = (unsigned char)prefix,
	                        .ifa_scope = RT_SCOPE_UNIVERSE,
	                        .ifa_index = (unsigned)ifindex};

	nl_msg_begin(b, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	nl_put_extra(b, &ifa, sizeof(ifa));
	nl_put_attr(b, IFA_LOCAL, &addr, sizeof(addr));
	nl_put_attr(b, IFA_ADDRESS, &addr, sizeof(addr));
	nl_msg_end(b);
}

static void put_default_route4(struct nlbuf *b, int ifindex, struct in_addr gw)
{
	struct rtmsg rt = {.rtm_family = AF_INET,
	                   .rtm_table = RT_TABLE_MAIN,
	                   .rtm_protocol = RTPROT_BOOT,
	                   .rtm_scope = RT_SCOPE_UNIVERSE,
	                   .rtm_type = RTN_UNICAST};

	nl_msg_begin(b, RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	nl_put_extra(b, &rt, sizeof(rt));
	nl_put_attr(b, RTA_GATEWAY, &gw, sizeof(gw));
	nl_put_u32(b, RTA_OIF, (uint32_t)ifindex);
	nl_msg_end(b);
}

/* One message, one answer: the common case. */
static int rt_one(struct nl_sock *s, struct nlbuf *b, struct hull_error *err, const char *what)
{
	return nl_transact(s, b, NULL, NULL, err, "%s", what);
}

static int bridge_create(struct nl_sock *s, const char *name, struct hull_error *err)
{
	unsigned char buf[RT_BUF] __attribute__((aligned(4)));
	struct nlbuf b;
	char what[64];

	nlbuf_init(&b, buf, sizeof(buf));
	nl_msg_begin(&b, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	put_ifinfo(&b, 0, 0, 0);
	nl_put_str(&b, IFLA_IFNAME, name);
	size_t li = nl_nest_begin(&b, IFLA_LINKINFO);
	nl_put_str(&b, IFLA_INFO_KIND, "bridge");
	nl_nest_end(&b, li);
	nl_msg_end(&b);
	snprintf(what, sizeof(what), "create bridge %s", name);
	return rt_one(s, &b, err, what);
}

int net_bridge_ensure(const char *name, struct in_addr gateway, unsigned prefix, int *ifindex,
                      struct hull_error *err)
{
	unsigned char buf[RT_BUF] __attribute__((aligned(4)));
	char what[128], a[INET_ADDRSTRLEN];
	struct link_info info;
	struct nl_sock s;
	struct nlbuf b;
	int r;

	if ((r = check_ifname(name, "bridge", err)) < 0)
		return r;
	if (prefix > 32)
		return hull_err(err, EINVAL, "bridge %s: prefix length %u is not 0-32", name,
		                prefix);
	if ((r = nl_open(&s, NETLINK_ROUTE, err)) < 0)
		return r;

	/* EXCL so that "exists" is told apart from "created"; an existing one
	 * (ours from before, or made by a concurrent hull) is checked below. */
	r = bridge_create(&s, name, err);
	if (r < 0 && r != -EEXIST)
		goto out;
	if ((r = link_get(&s, name, &info, err)) < 0)
		goto out;
	if (strcmp(info.kind, "bridge") != 0) {
		r = hull_err(err, EEXIST,
		             "bridge %s: an interface of that name exists and is not a bridge%s%s",
		             name, info.kind[0] ? " but a " : "", info.kind);
		goto out;
	}

	nlbuf_init(&b, buf, sizeof(buf));
	put_addr4(&b, info.ifindex, gateway, prefix);
	snprintf(what, sizeof(what), "add address %s/%u to bridge %s", addr_str(gateway, a), prefix,
	         name);
	r = rt_one(&s, &b, err, what);
	if (r < 0 && r != -EEXIST)
		goto out;

	nlbuf_init(&b, buf, sizeof(buf));
	put_link_up(&b, info.ifindex, NULL);
	snprintf(what, sizeof(what), "set bridge %s up", name);
	if ((r = rt_one(&s, &b, err, what)) < 0)
		goto out;

	hull_err_clear(err);
	if (ifindex)
		*ifindex = info.ifindex;
	r = (int)info.mtu;
out:
	nl_close(&s);
	return r;
}

/* The veth pair in one RTM_NEWLINK: host end (attached, up) here, the peer
 * straight into the container's namespace, so it never appears on the host. */
static int veth_create(struct nl_sock *s, const struct net_veth_req *req, int bridge_ifindex,
                       unsigned mtu, struct hull_error *err)
{
	unsigned char buf[RT_BUF] __attribute__((aligned(4)));
	struct ifinfomsg peer = {.ifi_family = AF_UNSPEC};
	char ns[NL_NETNS_NAME_MAX];
	struct nlbuf b;

	nlbuf_init(&b, buf, sizeof(buf));
	nl_msg_begin(&b, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	put_ifinfo(&b, 0, IFF_UP, IFF_UP);
	nl_put_str(&b, IFLA_IFNAME, req->host_name);
	nl_put_u32(&b, IFLA_MTU, mtu);
	nl_put_u32(&b, IFLA_MASTER, (uint32_t)bridge_ifindex);
	size_t li = nl_nest_begin(&b, IFLA_LINKINFO);
	nl_put_str(&b, IFLA_INFO_KIND, "veth");
	size_t data = nl_nest_begin(&b, IFLA_INFO_DATA);
	/* VETH_INFO_PEER holds a whole ifinfomsg followed by the peer's IFLA_*. */
	size_t p = nl_nest_begin(&b, VETH_INFO_PEER);
	nl_put_extra(&b, &peer, sizeof(peer));
	nl_put_str(&b, IFLA_IFNAME, req->peer_name);
	nl_put_u32(&b, IFLA_NET_NS_FD, (uint32_t)req->netns_fd);
	nl_put_u32(&b, IFLA_MTU, mtu);
	if (req->mac)
		nl_put_attr(&b, IFLA_ADDRESS, req->mac, 6);
	nl_nest_end(&b, p);
	nl_nest_end(&b, data);
	nl_nest_end(&b, li);
	nl_msg_end(&b);
	return nl_transact(s, &b, NULL, NULL, err,
	                   "create veth pair %s (on bridge %s) / %s (in network namespace %s)",
	                   req->host_name, req->bridge, req->peer_name,
	                   nl_netns_name(req->netns_fd, ns));
}

/*
 * Hairpin mode on the host end's bridge port: with br_netfilter active (the
 * default in a new namespace once the module is loaded), a container reaching
 * its own published port has its packet DNATed while being bridged, and the
 * bridge must send it back out of the port it came in on. Without
 * br_netfilter the packet is routed instead and the flag does not matter.
 * (What `ip link set HOST type bridge_slave hairpin on` sends.)
 */
static int veth_host_hairpin(struct nl_sock *s, const char *host_name, struct hull_error *err)
{
	unsigned char buf[RT_BUF] __attribute__((aligned(4)));
	struct nlbuf b;

	nlbuf_init(&b, buf, sizeof(buf));
	nl_msg_begin(&b, RTM_NEWLINK, NLM_F_ACK);
	put_ifinfo(&b, 0, 0, 0);
	nl_put_str(&b, IFLA_IFNAME, host_name);
	size_t li = nl_nest_begin(&b, IFLA_LINKINFO);
	nl_put_str(&b, IFLA_INFO_SLAVE_KIND, "bridge");
	size_t sd = nl_nest_begin(&b, IFLA_INFO_SLAVE_DATA);
	nl_put_u8(&b, IFLA_BRPORT_MODE, 1);
	nl_nest_end(&b, sd);
	nl_nest_end(&b, li);
	nl_msg_end(&b);
	return nl_transact(s, &b, NULL, NULL, err, "set hairpin mode on bridge port %s", host_name);
}

/* Inside the container's namespace: lo up, address, peer up, default route,
 * sent together (the kernel handles them in order, answering each). */
static int veth_configure_peer(const struct net_veth_req *req, struct hull_error *err)
{
	unsigned char buf[RT_BUF] __attribute__((aligned(4)));
	char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], ns[NL_NETNS_NAME_MAX];
	struct link_info peer;
	struct nl_sock s;
	struct nlbuf b;
	int r;

	if ((r = nl_open_in_netns(&s, NETLINK_ROUTE, req->netns_fd, err)) < 0)
		return r;
	r = link_get(&s, req->peer_name, &peer, err);
	if (r < 0) {
		hull_err_prefix(err, "in network namespace %s", nl_netns_name(req->netns_fd, ns));
		goto out;
	}
	nlbuf_init(&b, buf, sizeof(buf));
	put_link_up(&b, 0, "lo");
	put_addr4(&b, peer.ifindex, req->addr, req->prefix);
	put_link_up(&b, peer.ifindex, NULL);
	if (req->gateway.s_addr != htonl(INADDR_ANY))
		put_default_route4(&b, peer.ifindex, req->gateway);
	r = nl_transact(&s, &b, NULL, NULL, err, NULL);
	if (r < 0) {
		static const char *const step[] = {"set lo up", "add the address", "set it up",
		                                   "add the default route"};
		if (s.err_index >= 0 && (size_t)s.err_index < ARRAY_SIZE(step))
			hull_err_prefix(err, "%s", step[s.err_index]);
		hull_err_prefix(err, "configure %s (%s/%u%s%s) in network namespace %s",
		                req->peer_name, addr_str(req->addr, a), req->prefix,
		                req->gateway.s_addr ? ", gateway " : "",
		                req->gateway.s_addr ? addr_str(req->gateway, g) : "",
		                nl_netns_name(req->netns_fd, ns));
	}
out:
	nl_close(&s);
	return r;
}

static int check_veth_req(const struct net_veth_req *req, struct hull_error *err)
{
	int r;

	if ((r = check_ifname(req->bridge, "veth bridge", err)) < 0 ||
	    (r = check_ifname(req->host_name, "veth host end", err)) < 0 ||
	    (r = check_ifname(req->peer_name, "veth container end", err)) < 0)
		return r;
	if (req->prefix > 32)
		return hull_err(err, EINVAL, "veth %s: prefix length %u is not 0-32",
		                req->peer_name, req->prefix);
	if (req->netns_fd < 0)
		return hull_err(err, EBADF, "veth %s: no network namespace", req->peer_name);
	return 0;
}

/* The kernel does not say which of the two names is taken; find out. */
static void veth_which_exists(struct nl_sock *s, const struct net_veth_req *req,
                              struct hull_error *err)
{
	char ns[NL_NETNS_NAME_MAX];
	struct hull_error ignored;
	struct link_info info;

	if (link_get(s, req->host_name, &info, &ignored) == 0)
		hull_err_prefix(err, "host interface %s exists", req->host_name);
	else
		hull_err_prefix(err, "%s exists in network namespace %s", req->peer_name,
		                nl_netns_name(req->netns_fd, ns));
}

static int link_del(struct nl_sock *s, int ifindex, const char *name, struct hull_error *err);

int net_veth_attach(const struct net_veth_req *req, struct hull_error *err)
{
	struct link_info br;
	struct nl_sock s;
	unsigned mtu;
	int r;

	if ((r = check_veth_req(req, err)) < 0)
		return r;
	if ((r = nl_open(&s, NETLINK_ROUTE, err)) < 0)
		return r;
	if ((r = link_get(&s, req->bridge, &br, err)) < 0) {
		hull_err_prefix(err, "veth %s", req->host_name);
		goto out;
	}
	mtu = req->mtu ? req->mtu : br.mtu;
	/* A failed create leaves nothing behind, and EEXIST means the name is
	 * someone else's: nothing to undo either way. */
	if ((r = veth_create(&s, req, br.ifindex, mtu, err)) < 0) {
		if (r == -EEXIST)
			veth_which_exists(&s, req, err);
		goto out;
	}
	if ((r = veth_host_hairpin(&s, req->host_name, err)) < 0 ||
	    (r = veth_configure_peer(req, err)) < 0) {
		struct hull_error ignored = {0};
		/* Deleting the host end takes the peer with it; through the host
		 * socket, which stays in the host's namespace whatever became of
		 * this thread's. */
		link_del(&s, 0, req->host_name, &ignored);
	}
out:
	nl_close(&s);
	return r;
}

int net_loopback_up(int netns_fd, struct hull_error *err)
{
	unsigned char buf[RT_BUF] __attribute__((aligned(4)));
	struct nl_sock s;
	struct nlbuf b;
	char what[64];
	int r;

	if ((r = nl_open_in_netns(&s, NETLINK_ROUTE, netns_fd, err)) < 0)
		return r;
	nlbuf_init(&b, buf, sizeof(buf));
	put_link_up(&b, 0, "lo");
	char ns[NL_NETNS_NAME_MAX];
	snprintf(what, sizeof(what), "set lo up in network namespace %s",
	         nl_netns_name(netns_fd, ns));
	r = rt_one(&s, &b, err, what);
	nl_close(&s);
	return r;
}

/* Delete by index (ifindex > 0) or name; a missing interface is fine. */
static int link_del(struct nl_sock *s, int ifindex, const char *name, struct hull_error *err)
{
	unsigned char buf[RT_BUF] __attribute__((aligned(4)));
	struct nlbuf b;
	char what[64];
	int r;

	nlbuf_init(&b, buf, sizeof(buf));
	nl_msg_begin(&b, RTM_DELLINK, NLM_F_ACK);
	put_ifinfo(&b, ifindex, 0, 0);
	if (!ifindex)
		nl_put_str(&b, IFLA_IFNAME, name);
	nl_msg_end(&b);
	snprintf(what, sizeof(what), "delete interface %s", name);
	r = rt_one(s, &b, err, what);
	if (r == -ENODEV) {
		hull_err_clear(err);
		return 0;
	}
	return r;
}

int net_link_delete(const char *name, struct hull_error *err)
{
	struct nl_sock s;
	int r;

	if ((r = check_ifname(name, "delete interface", err)) < 0)
		return r;
	if ((r = nl_open(&s, NETLINK_ROUTE, err)) < 0)
		return r;
	r = link_del(&s, 0, name, err);
	nl_close(&s);
	return r;
}

int net_bridge_delete(const char *name, struct hull_error *err)
{
	struct link_info info;
	struct nl_sock s;
	int r;

	if ((r = check_ifname(name, "delete bridge", err)) < 0)
		return r;
	if ((r = nl_open(&s, NETLINK_ROUTE, err)) < 0)
		return r;
	r = link_get(&s, name, &info, err);
	if (r == -ENODEV) {
		hull_err_clear(err);
		r = 0;
	} else if (r == 0 && strcmp(info.kind, "bridge") != 0) {
		r = hull_err(err, EINVAL, "delete bridge %s: that interface is not a bridge%s%s",
		             name, info.kind[0] ? " but a " : "", info.kind);
	} else if (r == 0) {
		/* By index: the name may have changed hands since the lookup. */
		r = link_del(&s, info.ifindex, name, err);
	}
	nl_close(&s);
	return r;
}

int net_link_exists(const char *name)
{
	struct hull_error err;
	struct link_info info;
	struct nl_sock s;
	int r;

	if (check_ifname(name, "interface", &err) < 0)
		return 0;
	if ((r = nl_open(&s, NETLINK_ROUTE, &err)) < 0)
		return r;
	r = link_get(&s, name, &info, &err);
	nl_close(&s);
	if (r == -ENODEV)
		return 0;
	return r < 0 ? r : 1;
}
