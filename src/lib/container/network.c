/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Built-in networking, asked for by annotations in config.json:
 *   io.hull.network = none | host | bridge | NETWORK | container:ID
 *   io.hull.ip      = an address of that network
 *   io.hull.publish = HOSTPORT:CTRPORT[/tcp|/udp],...
 * Without io.hull.network hull does what config.json says and nothing here
 * runs. The mode adjusts the network namespace of the spec (new, none,
 * another container's); bridge modes lease an address before the clone,
 * attach the veth and the NAT rules between the clone and GO, and the
 * container's /etc/hosts, /etc/hostname and /etc/resolv.conf are files of
 * the state directory bound over the image's (never written into it).
 * What was attached is recorded in the state directory ("network") before
 * it is attached, so delete (or a failed create) removes exactly that.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "net/attach.h"
#include "net/ipam.h"
#include "net/link.h"
#include "net/netconf.h"
#include "net/nft.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/hash.h"
#include "util/sys.h"

#define ANN_NETWORK     "io.hull.network"
#define ANN_IP          "io.hull.ip"
#define ANN_PUBLISH     "io.hull.publish"
#define NET_STATE       "network"
#define NET_PUBLISH_MAX 64

enum net_mode { NET_UNSET, NET_NONE, NET_HOST, NET_BRIDGE, NET_CONTAINER };

struct net_port {
	int proto; /* IPPROTO_TCP, IPPROTO_UDP */
	uint16_t host, ctr;
};

struct ctx_net {
	enum net_mode mode;
	struct hull_network net; /* bridge modes */
	bool has_ip;
	struct in_addr ip;
	struct net_port ports[NET_PUBLISH_MAX];
	size_t n_ports;
	char netns_path[64]; /* container:ID: /proc/PID/ns/net of its init */
	char veth[IFNAMSIZ];
	char owner[NET_OWNER_MAX];  /* nftables rule tag */
	int files[NET_FILE__COUNT]; /* O_PATH fds bound in by the container process */
};

static const char *const file_names[NET_FILE__COUNT] = {"hosts", "hostname", "resolv.conf"};
static const char *const file_dests[NET_FILE__COUNT] = {"/etc/hosts", "/etc/hostname",
                                                        "/etc/resolv.conf"};

static const char *annotation(const struct hull_spec *s, const char *key)
{
	for (size_t i = 0; i < s->n_annotations; i++)
		if (strcmp(s->annotations[i].key, key) == 0)
			return s->annotations[i].value;
	return NULL;
}

static int ann_error(struct hull_error *err, int code, const char *key, const char *value,
                     const char *why)
{
	return hull_err(err, code, "config.json: annotations[\"%s\"]: \"%s\": %s", key, value, why);
}

static int parse_port(const char *s, size_t n, uint16_t *ret)
{
	unsigned long v = 0;

	if (n == 0 || n > 5)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*ret = (uint16_t)v;
	return 0;
}

/* One HOSTPORT:CTRPORT[/tcp|/udp] of n bytes at s. */
static int parse_publish_one(const char *s, size_t n, struct net_port *p)
{
	const char *colon = memchr(s, ':', n), *slash = memchr(s, '/', n);
	size_t end = slash ? (size_t)(slash - s) : n;

	p->proto = IPPROTO_TCP;
	if (slash) {
		size_t pl = n - end - 1;
		if (pl == 3 && memcmp(slash + 1, "tcp", 3) == 0)
			p->proto = IPPROTO_TCP;
		else if (pl == 3 && memcmp(slash + 1, "udp", 3) == 0)
			p->proto = IPPROTO_UDP;
		else
			return -1;
	}
	if (!colon || (size_t)(colon - s) > end)
		return -1;
	return parse_port(s, (size_t)(colon - s), &p->host) < 0 ||
	               parse_port(colon + 1, end - (size_t)(colon - s) - 1, &p->ctr) < 0
	           ? -1
	           : 0;
}

static int parse_publish(struct ctx_net *n, const char *v, struct hull_error *err)
{
	for (const char *s = v; *s;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		if (n->n_ports == NET_PUBLISH_MAX)
			return ann_error(err, EINVAL, ANN_PUBLISH, v,
			                 "too many ports (at most 64)");
		struct net_port *p = &n->ports[n->n_ports];
		if (parse_publish_one(s, len, p) < 0)
			return hull_err(err, EINVAL,
			                "config.json: annotations[\"%s\"]: \"%.*s\": expected "
			                "HOSTPORT:CTRPORT[/tcp|/udp] with ports 1-65535",
			                ANN_PUBLISH, (int)len, s);
		for (size_t i = 0; i < n->n_ports; i++)
			if (n->ports[i].host == p->host && n->ports[i].proto == p->proto)
				return hull_err(err, EINVAL,
				                "config.json: annotations[\"%s\"]: host port %u/%s "
				                "published twice",
				                ANN_PUBLISH, p->host,
				                p->proto == IPPROTO_TCP ? "tcp" : "udp");
		n->n_ports++;
		s = comma ? comma + 1 : s + len;
	}
	return 0;
}

/* container:ID: the network namespace of that container's live init. */
static int join_container(struct ctx_net *n, const char *root, const char *id,
                          struct hull_error *err)
{
	struct hull_state_info info = {0};
	int ret = state_load(root, id, &info, err);

	if (ret < 0)
		return hull_err_prefix(err, "config.json: annotations[\"%s\"]", ANN_NETWORK);
	_cleanup_close_ int pidfd = state_pidfd(info.st.pid, info.st.pid_start);
	if (pidfd < 0 || info.missing)
		ret = hull_err(err, ESRCH,
		               "config.json: annotations[\"%s\"]: container %s is not running",
		               ANN_NETWORK, id);
	else
		snprintf(n->netns_path, sizeof(n->netns_path), "/proc/%d/ns/net", info.st.pid);
	state_info_free(&info);
	return ret;
}

static int parse_mode(struct ctx_net *n, const char *v, const char *root, struct hull_error *err)
{
	if (strcmp(v, "none") == 0)
		n->mode = NET_NONE;
	else if (strcmp(v, "host") == 0)
		n->mode = NET_HOST;
	else if (strncmp(v, "container:", 10) == 0) {
		n->mode = NET_CONTAINER;
		return join_container(n, root, v + 10, err);
	} else {
		n->mode = NET_BRIDGE;
		const char *name = strcmp(v, "bridge") == 0 ? NETCONF_DEFAULT_NAME : v;
		if (netconf_load(NETCONF_DEFAULT_ROOT, name, &n->net, err) < 0)
			return hull_err_prefix(err, "config.json: annotations[\"%s\"]",
			                       ANN_NETWORK);
	}
	return 0;
}

/* The spec's network namespace as the mode wants it. */
static int adjust_namespace(struct ctx_net *n, struct hull_spec *s, struct hull_error *err)
{
	struct hull_namespace *ns = &s->linux_.ns[HULL_NS_NET];

	if (n->mode != NET_HOST && ns->present && ns->path)
		return hull_err(err, EINVAL,
		                "config.json: annotations[\"%s\"] conflicts with the network "
		                "namespace path %s in linux.namespaces",
		                ANN_NETWORK, ns->path);
	switch (n->mode) {
	case NET_HOST:
		ns->present = false, ns->path = NULL;
		break;
	case NET_CONTAINER:
		ns->present = true, ns->path = n->netns_path;
		break;
	default:
		ns->present = true, ns->path = NULL;
		break;
	}
	return 0;
}

/* The host end's name: "hv" + 12 hex digits of a hash of the state root and
 * the id: one container's, also when another root has the same id. */
static void veth_name(const char *state_root, const char *id, char buf[IFNAMSIZ])
{
	uint64_t h = hull_fnv(HULL_FNV_BASIS, state_root, strlen(state_root) + 1);

	h = hull_fnv(h, id, strlen(id));
	snprintf(buf, IFNAMSIZ, "hv%012llx", (unsigned long long)(h & 0xffffffffffffULL));
}

int ctx_net_prepare(struct hull_ctx *c, struct hull_spec *s, const char *state_root,
                    struct hull_error *err)
{
	const char *mode = annotation(s, ANN_NETWORK), *ip = annotation(s, ANN_IP),
	           *pub = annotation(s, ANN_PUBLISH);
	int ret;

	if (!mode) {
		if (ip || pub)
			return hull_err(err, EINVAL,
			                "config.json: annotations[\"%s\"] needs "
			                "annotations[\"%s\"]",
			                ip ? ANN_IP : ANN_PUBLISH, ANN_NETWORK);
		return 0;
	}
	struct ctx_net *n = calloc(1, sizeof(*n));
	if (!n)
		return hull_err(err, ENOMEM, "network");
	for (int i = 0; i < NET_FILE__COUNT; i++)
		n->files[i] = -1;
	c->net = n;
	if ((ret = parse_mode(n, mode, state_root, err)) < 0)
		return ret;
	if ((ip || pub) && n->mode != NET_BRIDGE)
		return hull_err(
		    err, EINVAL,
		    "config.json: annotations[\"%s\"] needs a bridge network, not \"%s\"",
		    ip ? ANN_IP : ANN_PUBLISH, mode);
	if (ip && netconf_parse_addr(ip, &n->ip, err) < 0)
		return hull_err_prefix(err, "config.json: annotations[\"%s\"]", ANN_IP);
	n->has_ip = ip != NULL;
	if (pub && (ret = parse_publish(n, pub, err)) < 0)
		return ret;
	if (n->mode == NET_BRIDGE && geteuid() != 0)
		return hull_err(err, EPERM,
		                "config.json: annotations[\"%s\"]: a bridge network "
		                "needs hull to run as root",
		                ANN_NETWORK);
	veth_name(state_root, c->id, n->veth);
	return adjust_namespace(n, s, err);
}

/* The host's resolv.conf without loopback name servers (they would be the
 * container's own loopback). */
static int resolv_conf(char **ret)
{
	_cleanup_free_ char *host = NULL;
	size_t len = 0;
	char *out, *o;

	if (read_file_at(AT_FDCWD, "/etc/resolv.conf", 1 << 16, &host, &len) < 0)
		host = strdup(""), len = 0;
	if (!host || !(out = malloc(len + 1)))
		return -ENOMEM;
	o = out;
	for (char *line = host, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		size_t n = next ? (size_t)(++next - line) : strlen(line);
		if (strncmp(line, "nameserver", 10) == 0 && strstr(line, " 127.") &&
		    strstr(line, " 127.") < line + n)
			continue;
		memcpy(o, line, n);
		o += n;
	}
	*o = '\0';
	*ret = out;
	return 0;
}

static int write_files(struct hull_ctx *c, struct ctx_net *n, struct hull_error *err)
{
	char addr[NETCONF_ADDR_STRLEN], hosts[512], hostname[300];
	const char *name = c->spec->hostname && *c->spec->hostname ? c->spec->hostname : c->id;
	_cleanup_free_ char *resolv = NULL;

	snprintf(hostname, sizeof(hostname), "%.255s\n", name);
	snprintf(hosts, sizeof(hosts),
	         "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n%s\t%.255s\n",
	         ipam_addr_str(n->ip, addr), name);
	if (resolv_conf(&resolv) < 0)
		return hull_err(err, ENOMEM, "resolv.conf");
	const char *text[NET_FILE__COUNT] = {hosts, hostname, resolv};
	for (int i = 0; i < NET_FILE__COUNT; i++) {
		_cleanup_close_ int fd = openat(c->statefd, file_names[i],
		                                O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		int r = fd < 0 ? -errno : write_all(fd, text[i], strlen(text[i]));
		if (r < 0)
			return hull_err_sys(err, -r, "write the container's %s", file_dests[i]);
		/* Detached bind mounts made here: the process, in a copy of our
		 * mount namespace, cannot bind from ours, but can attach these. */
		n->files[i] =
		    sys_open_tree(c->statefd, file_names[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (n->files[i] < 0)
			return hull_err_sys(err, errno, "open the container's %s", file_dests[i]);
	}
	return 0;
}

/* What delete must undo, written before any of it exists. */
static int write_net_state(struct hull_ctx *c, struct ctx_net *n, struct hull_error *err)
{
	char addr[NETCONF_ADDR_STRLEN], line[256];

	snprintf(line, sizeof(line), "%s %s %s\n", n->net.name, ipam_addr_str(n->ip, addr),
	         n->veth);
	int r = write_file_atomic_at(c->statefd, NET_STATE, line, strlen(line), 0600);
	if (r < 0)
		return hull_err_sys(err, -r, "record the network of container %s", c->id);
	return 0;
}

int ctx_net_reserve(struct hull_ctx *c, struct hull_error *err)
{
	struct ctx_net *n = c->net;
	int ret;

	if (!n || n->mode != NET_BRIDGE)
		return 0;
	if ((ret = ipam_allocate(NETCONF_DEFAULT_ROOT, &n->net, c->id, n->has_ip ? &n->ip : NULL,
	                         &n->ip, err)) < 0)
		return hull_err_prefix(err, "network %s", n->net.name);
	net_container_owner(c->id, n->ip, n->owner);
	if ((ret = write_net_state(c, n, err)) < 0)
		return ret;
	return write_files(c, n, err);
}

/* none: the process brings lo up itself (it can, rootless too; hull may
 * not enter a namespace of the container's user namespace). */
int ctx_net_loopback(const struct hull_ctx *c, struct hull_error *err)
{
	struct ifreq ifr = {.ifr_name = "lo"};

	if (!c->net || c->net->mode != NET_NONE)
		return 0;
	_cleanup_close_ int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return hull_err_sys(err, errno, "loopback of the network namespace");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		return hull_err_sys(err, errno, "set the loopback up");
	return 0;
}

const int *ctx_net_files(const struct hull_ctx *c)
{
	return c->net && c->net->mode == NET_BRIDGE ? c->net->files : NULL;
}

const char *ctx_net_file_dest(int i)
{
	return file_dests[i];
}

static int attach_bridge(struct hull_ctx *c, struct ctx_net *n, int netns, struct hull_error *err)
{
	struct net_veth_req req = {.bridge = n->net.bridge,
	                           .host_name = n->veth,
	                           .netns_fd = netns,
	                           .peer_name = "eth0",
	                           .addr = n->ip,
	                           .prefix = n->net.subnet.prefix,
	                           .gateway = n->net.gateway};
	char held[1 + NETCONF_ADDR_STRLEN] = "@";
	int ret;

	/* A lease is taken over once its holder is dead, which does not
	 * delete that holder's rules (a stopped container is deleted later, or
	 * never): they must not send its published ports to this one. */
	ipam_addr_str(n->ip, held + 1);
	if ((ret = ipam_set_owner_pid(NETCONF_DEFAULT_ROOT, n->net.name, n->ip, c->id, c->pid,
	                              err)) < 0 ||
	    (ret = nft_remove_owner_suffix(held, err)) < 0 ||
	    (ret = net_bridge_setup(&n->net, n->n_ports > 0, err)) < 0 ||
	    (ret = net_veth_attach(&req, err)) < 0)
		return ret;
	for (size_t i = 0; i < n->n_ports; i++) {
		const struct net_port *p = &n->ports[i];
		if ((ret = nft_publish_add(n->owner, p->proto, p->host, n->ip, n->net.subnet.prefix,
		                           p->ctr, n->net.bridge, err)) < 0)
			return ret;
	}
	return 0;
}

int ctx_net_attach(struct hull_ctx *c, struct hull_error *err)
{
	struct ctx_net *n = c->net;
	char rel[64];

	if (!n || n->mode != NET_BRIDGE)
		return 0;
	snprintf(rel, sizeof(rel), "%d/ns/net", c->pid);
	_cleanup_close_ int netns = openat(c->procfd, rel, O_RDONLY | O_CLOEXEC);
	if (netns < 0)
		return hull_err_sys(err, errno, "open the network namespace of container %s",
		                    c->id);
	return attach_bridge(c, n, netns, err);
}

/* Undo what the state directory says was attached; every step runs. */
int ctx_net_detach(const char *id, int statefd, struct hull_error *err)
{
	_cleanup_free_ char *buf = NULL;
	char name[NETCONF_NAME_MAX + 1], addr[NETCONF_ADDR_STRLEN], veth[IFNAMSIZ],
	    owner[NET_OWNER_MAX];
	size_t len;
	int ret = 0, r;
	struct hull_error ignored = {0};

	if (read_file_at(statefd, NET_STATE, 4096, &buf, &len) < 0)
		return 0; /* no network of hull's */
	struct in_addr a;
	if (sscanf(buf, "%32s %15s %15s", name, addr, veth) != 3 ||
	    inet_pton(AF_INET, addr, &a) != 1)
		return hull_err(err, EINVAL, "container %s: unreadable network record", id);
	net_container_owner(id, a, owner);
	if ((r = nft_remove_owner(owner, err)) < 0)
		ret = r, err = &ignored;
	if ((r = net_link_delete(veth, err)) < 0 && ret == 0)
		ret = r, err = &ignored;
	if ((r = ipam_release(NETCONF_DEFAULT_ROOT, name, a, id, err)) < 0 && ret == 0)
		ret = r, err = &ignored;
	if (ret == 0)
		unlinkat(statefd, NET_STATE, 0);
	net_bridge_release(NETCONF_DEFAULT_ROOT, name, &ignored);
	return ret;
}

void ctx_net_free(struct hull_ctx *c)
{
	if (!c->net)
		return;
	for (int i = 0; i < NET_FILE__COUNT; i++)
		if (c->net->files[i] >= 0)
			close(c->net->files[i]);
	free(c->net);
	c->net = NULL;
}
