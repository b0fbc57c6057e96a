/* SPDX-License-Identifier: Apache-2.0 */
#include "netconf.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/ipam.h"
#include "util/cleanup.h"
#include "util/hash.h"
#include "util/sys.h"

#define NETWORKS_DIR  "networks"
#define NETWORKS_LOCK ".lock"
#define NETCONF_MAX   (64 * 1024) /* a network file is ~200 bytes */

/* --- addresses and subnets (host byte order inside) --- */

static uint32_t mask_of(unsigned prefix)
{
	return prefix == 0 ? 0 : ~(uint32_t)0 << (32 - prefix);
}

static uint32_t hostorder(struct in_addr a)
{
	return ntohl(a.s_addr);
}

static struct in_addr netorder(uint32_t a)
{
	return (struct in_addr){.s_addr = htonl(a)};
}

bool netconf_subnet_contains(const struct hull_subnet *s, struct in_addr a)
{
	uint32_t m = mask_of(s->prefix);
	return (hostorder(a) & m) == (hostorder(s->addr) & m);
}

/* Two aligned blocks overlap exactly when the larger one contains the other. */
bool netconf_subnets_overlap(const struct hull_subnet *a, const struct hull_subnet *b)
{
	uint32_t m = mask_of(a->prefix < b->prefix ? a->prefix : b->prefix);
	return (hostorder(a->addr) & m) == (hostorder(b->addr) & m);
}

const char *netconf_subnet_str(const struct hull_subnet *s, char *buf)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &s->addr, a, sizeof(a));
	snprintf(buf, NETCONF_SUBNET_STRLEN, "%s/%u", a, s->prefix);
	return buf;
}

int netconf_parse_addr(const char *text, struct in_addr *ret, struct hull_error *err)
{
	/* inet_pton takes only a.b.c.d in decimal (no "10.1", no octal), unlike
	 * inet_aton, so what is stored is what the user wrote. */
	if (inet_pton(AF_INET, text, ret) != 1)
		return hull_err(err, EINVAL, "\"%s\" is not an IPv4 address", text);
	return 0;
}

static int parse_prefix(const char *subnet, const char *p, unsigned *ret, struct hull_error *err)
{
	unsigned v = 0;
	size_t n = strlen(p);

	if (n == 0 || n > 2 || strspn(p, "0123456789") != n)
		return hull_err(err, EINVAL, "invalid subnet \"%s\": prefix \"%s\" is not a number",
		                subnet, p);
	for (; *p; p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (v < NETCONF_PREFIX_MIN || v > NETCONF_PREFIX_MAX)
		return hull_err(err, EINVAL,
		                "invalid subnet \"%s\": prefix /%u is outside /%d../%d", subnet, v,
		                NETCONF_PREFIX_MIN, NETCONF_PREFIX_MAX);
	*ret = v;
	return 0;
}

int netconf_parse_subnet(const char *text, struct hull_subnet *ret, struct hull_error *err)
{
	char addr[64], fixed[NETCONF_SUBNET_STRLEN];
	const char *slash = strchr(text, '/');
	struct hull_subnet s;
	int r;

	if (!slash)
		return hull_err(
		    err, EINVAL,
		    "invalid subnet \"%s\": expected IPv4 CIDR notation like 10.1.0.0/24", text);
	size_t alen = (size_t)(slash - text);
	if (alen < sizeof(addr)) {
		memcpy(addr, text, alen);
		addr[alen] = '\0';
	}
	if (alen >= sizeof(addr) || inet_pton(AF_INET, addr, &s.addr) != 1)
		return hull_err(err, EINVAL,
		                "invalid subnet \"%s\": \"%.*s\" is not an IPv4 address", text,
		                (int)alen, text);
	if ((r = parse_prefix(text, slash + 1, &s.prefix, err)) < 0)
		return r;
	if (hostorder(s.addr) & ~mask_of(s.prefix)) {
		struct hull_subnet f = {netorder(hostorder(s.addr) & mask_of(s.prefix)), s.prefix};
		return hull_err(err, EINVAL,
		                "invalid subnet \"%s\": host bits are set (the network is %s)",
		                text, netconf_subnet_str(&f, fixed));
	}
	*ret = s;
	return 0;
}

/* --- names --- */

int netconf_name_check(const char *name, struct hull_error *err)
{
	size_t n = strlen(name);

	if (n == 0)
		return hull_err(err, EINVAL, "network name is empty");
	if (n > NETCONF_NAME_MAX)
		return hull_err(err, EINVAL, "network name \"%.40s...\" is longer than %d bytes",
		                name, NETCONF_NAME_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || (i > 0 && strchr("_.-", c));
		if (!ok)
			return hull_err(err, EINVAL,
			                "invalid network name \"%s\": use letters, digits and _.- "
			                "(not first)",
			                name);
	}
	return 0;
}

int netconf_ifname_check(const char *ifname, struct hull_error *err)
{
	size_t n = strlen(ifname);

	/* What the kernel's dev_valid_name() accepts. */
	if (n == 0 || n >= IFNAMSIZ)
		return hull_err(err, EINVAL, "invalid bridge name \"%s\": 1 to %d bytes", ifname,
		                IFNAMSIZ - 1);
	if (strcmp(ifname, ".") == 0 || strcmp(ifname, "..") == 0)
		return hull_err(err, EINVAL, "invalid bridge name \"%s\"", ifname);
	for (const char *p = ifname; *p; p++)
		if (*p == '/' || *p == ':' || *p <= ' ' || *p == 0x7f)
			return hull_err(err, EINVAL,
			                "invalid bridge name \"%s\": no '/', ':', spaces or "
			                "control characters",
			                ifname);
	return 0;
}

void netconf_bridge_name(const char *name, char buf[IFNAMSIZ])
{
	if (strcmp(name, NETCONF_DEFAULT_NAME) == 0)
		snprintf(buf, IFNAMSIZ, "%s", NETCONF_DEFAULT_BRIDGE);
	else if (strlen("hull-") + strlen(name) < IFNAMSIZ)
		snprintf(buf, IFNAMSIZ, "hull-%s", name);
	else /* 5 + 4 + 6 = 15 bytes */
		snprintf(buf, IFNAMSIZ, "hull-%.4s%06x", name,
		         (unsigned)(hull_fnv(HULL_FNV_BASIS, name, strlen(name)) & 0xffffff));
}

/* --- the network record --- */

void netconf_default(struct hull_network *net)
{
	memset(net, 0, sizeof(*net));
	snprintf(net->name, sizeof(net->name), "%s", NETCONF_DEFAULT_NAME);
	snprintf(net->bridge, sizeof(net->bridge), "%s", NETCONF_DEFAULT_BRIDGE);
	net->subnet.addr = netorder(0x0af00000); /* 10.240.0.0 */
	net->subnet.prefix = 16;
	net->gateway = netorder(0x0af00001);
	net->ip_forward = true;
	net->remove_bridge_with_last = false;
}

int netconf_validate(const struct hull_network *net, struct hull_error *err)
{
	char sn[NETCONF_SUBNET_STRLEN], gw[INET_ADDRSTRLEN];
	const struct hull_subnet *s = &net->subnet;
	int r;

	if ((r = netconf_name_check(net->name, err)) < 0 ||
	    (r = netconf_ifname_check(net->bridge, err)) < 0)
		return r;
	if (s->prefix < NETCONF_PREFIX_MIN || s->prefix > NETCONF_PREFIX_MAX)
		return hull_err(err, EINVAL, "network %s: prefix /%u is outside /%d../%d",
		                net->name, s->prefix, NETCONF_PREFIX_MIN, NETCONF_PREFIX_MAX);
	if (hostorder(s->addr) & ~mask_of(s->prefix))
		return hull_err(err, EINVAL, "network %s: subnet %s has host bits set", net->name,
		                netconf_subnet_str(s, sn));
	uint32_t g = hostorder(net->gateway), first = hostorder(s->addr);
	uint32_t last = first | ~mask_of(s->prefix);
	inet_ntop(AF_INET, &net->gateway, gw, sizeof(gw));
	if (!netconf_subnet_contains(s, net->gateway))
		return hull_err(err, EINVAL, "network %s: gateway %s is not in subnet %s",
		                net->name, gw, netconf_subnet_str(s, sn));
	if (g == first || g == last)
		return hull_err(
		    err, EINVAL, "network %s: gateway %s is the %s address of subnet %s", net->name,
		    gw, g == first ? "network" : "broadcast", netconf_subnet_str(s, sn));
	return 0;
}

int netconf_init(struct hull_network *net, const char *name, const char *subnet,
                 const char *gateway, const char *bridge, struct hull_error *err)
{
	int r;

	netconf_default(net);
	if ((r = netconf_name_check(name, err)) < 0)
		return r;
	snprintf(net->name, sizeof(net->name), "%s", name);
	if ((r = netconf_parse_subnet(subnet, &net->subnet, err)) < 0)
		return r;
	if (gateway) {
		if ((r = netconf_parse_addr(gateway, &net->gateway, err)) < 0)
			return hull_err_prefix(err, "invalid gateway");
	} else {
		net->gateway = netorder(hostorder(net->subnet.addr) + 1);
	}
	if (bridge) {
		if ((r = netconf_ifname_check(bridge, err)) < 0)
			return r;
		snprintf(net->bridge, sizeof(net->bridge), "%s", bridge);
	} else {
		netconf_bridge_name(name, net->bridge);
	}
	return netconf_validate(net, err);
}

json_t *netconf_to_json(const struct hull_network *net)
{
	char sn[NETCONF_SUBNET_STRLEN], gw[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &net->gateway, gw, sizeof(gw));
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "name", net->name, "bridge", net->bridge,
	                 "subnet", netconf_subnet_str(&net->subnet, sn), "gateway", gw, "ipForward",
	                 net->ip_forward, "removeBridgeWithLast", net->remove_bridge_with_last);
}

int netconf_from_json(json_t *j, const char *where, struct hull_network *ret,
                      struct hull_error *err)
{
	const char *name, *bridge, *subnet, *gateway;
	int ip_forward = 1, remove_bridge = 0, r;
	json_error_t je;

	if (json_unpack_ex(j, &je, 0, "{s:s, s:s, s:s, s:s, s?b, s?b}", "name", &name, "bridge",
	                   &bridge, "subnet", &subnet, "gateway", &gateway, "ipForward",
	                   &ip_forward, "removeBridgeWithLast", &remove_bridge) < 0)
		return hull_err(err, EINVAL, "%s: %s", where, je.text);
	if ((r = netconf_init(ret, name, subnet, gateway, bridge, err)) < 0)
		return hull_err_prefix(err, "%s", where);
	ret->ip_forward = ip_forward;
	ret->remove_bridge_with_last = remove_bridge;
	return 0;
}

/* --- files --- */

int netconf_open_dir(const char *root, const char *sub, bool create, struct hull_error *err)
{
	char path[4096];
	int fd, r;

	if (snprintf(path, sizeof(path), "%s/%s", root, sub) >= (int)sizeof(path))
		return hull_err(err, ENAMETOOLONG, "%s/%s: path too long", root, sub);
	if (create && (r = mkdir_parents(path, 0700)) < 0)
		return hull_err_sys(err, -r, "create %s", path);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return hull_err_sys(err, errno, "open %s", path);
	return fd;
}

int netconf_lock_at(int dirfd, const char *name, const char *what, struct hull_error *err)
{
	/* A remover unlinks the lock file while holding it; whoever was
	 * waiting then holds a lock on an orphan inode that nobody else will
	 * ever contend on. Only a lock on the file still at `name` counts. */
	for (int tries = 0; tries < 1000; tries++) {
		struct stat a, b;
		_cleanup_close_ int fd =
		    openat(dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			return hull_err_sys(err, errno, "lock %s", what);
		while (flock(fd, LOCK_EX) < 0)
			if (errno != EINTR)
				return hull_err_sys(err, errno, "lock %s", what);
		if (fstat(fd, &a) < 0)
			return hull_err_sys(err, errno, "lock %s", what);
		if (fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			return take_fd(fd);
	}
	return hull_err(err, EAGAIN, "lock %s: the lock file keeps being replaced", what);
}

int netconf_write_atomic(int dirfd, const char *name, const char *text, struct hull_error *err)
{
	int r = write_file_atomic_at(dirfd, name, text, strlen(text), 0600);

	return r < 0 ? hull_err_sys(err, -r, "write %s", name) : 0;
}

static bool is_default(const char *name)
{
	return strcmp(name, NETCONF_DEFAULT_NAME) == 0;
}

/* Read <networks>/<name>.json; -ENOENT (err untouched) when there is none. */
static int load_at(int netdir, const char *root, const char *name, struct hull_network *ret,
                   struct hull_error *err)
{
	char file[NETCONF_NAME_MAX + 8], where[4200];
	_cleanup_free_ char *text = NULL;
	json_error_t je;
	int r;

	snprintf(file, sizeof(file), "%s.json", name);
	snprintf(where, sizeof(where), "%s/%s/%s", root, NETWORKS_DIR, file);
	if ((r = read_file_at(netdir, file, NETCONF_MAX, &text, NULL)) < 0)
		return r == -ENOENT ? r : hull_err_sys(err, -r, "read %s", where);
	json_t *j = json_loads(text, 0, &je);
	if (!j)
		return hull_err(err, EINVAL, "%s:%d:%d: %s", where, je.line, je.column, je.text);
	r = netconf_from_json(j, where, ret, err);
	json_decref(j);
	if (r == 0 && strcmp(ret->name, name) != 0)
		return hull_err(err, EINVAL, "%s: holds network \"%s\"", where, ret->name);
	return r;
}

int netconf_load(const char *root, const char *name, struct hull_network *ret,
                 struct hull_error *err)
{
	char path[4096];
	_cleanup_close_ int netdir = -1;
	int r;

	if ((r = netconf_name_check(name, err)) < 0)
		return r;
	snprintf(path, sizeof(path), "%s/%s", root, NETWORKS_DIR);
	netdir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (netdir < 0 && errno != ENOENT)
		return hull_err_sys(err, errno, "open %s", path);
	r = netdir < 0 ? -ENOENT : load_at(netdir, root, name, ret, err);
	if (r != -ENOENT)
		return r;
	if (is_default(name)) {
		netconf_default(ret);
		return 0;
	}
	return hull_err(err, ENOENT, "network %s does not exist", name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The stored network names (valid ones, "hull" included), sorted. */
static int stored_names(int netdir, char ***ret, size_t *ret_n, struct hull_error *err)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int fd = fcntl(netdir, F_DUPFD_CLOEXEC, 3);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (!d) {
		if (fd >= 0)
			close(fd);
		return hull_err_sys(err, errno, "read networks");
	}
	rewinddir(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		char *name = strndup(de->d_name, len - 5);
		if (name && netconf_name_check(name, &(struct hull_error){0}) < 0) {
			free(name); /* not ours: a file someone else left */
			continue;
		}
		if (name && n == cap) {
			char **nn = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof(*names));
			if (!nn)
				free(name), name = NULL;
			else
				names = nn;
		}
		if (!name) {
			closedir(d);
			free_names(names, n);
			return hull_err(err, ENOMEM, "read networks");
		}
		names[n++] = name;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	*ret = names;
	*ret_n = n;
	return 0;
}

/* Walk with an already open networks dir (netdir < 0: none exists yet). */
static int list_at(int netdir, const char *root, netconf_list_cb cb, void *userdata,
                   struct hull_error *err)
{
	struct hull_network net;
	char **names = NULL;
	size_t n = 0;
	int r;

	if (netdir >= 0 && (r = stored_names(netdir, &names, &n, err)) < 0)
		return r;
	/* The default first: stored (hull.json) or implicit. */
	r = netdir < 0 ? -ENOENT : load_at(netdir, root, NETCONF_DEFAULT_NAME, &net, err);
	if (r == -ENOENT) {
		netconf_default(&net);
		r = 0;
	}
	if (r == 0)
		r = cb(&net, userdata);
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (is_default(names[i]))
			continue;
		r = load_at(netdir, root, names[i], &net, err);
		if (r == -ENOENT) { /* removed meanwhile */
			r = 0;
			continue;
		}
		if (r == 0)
			r = cb(&net, userdata);
	}
	free_names(names, n);
	return r;
}

int netconf_list(const char *root, netconf_list_cb cb, void *userdata, struct hull_error *err)
{
	char path[4096];
	_cleanup_close_ int netdir = -1;

	snprintf(path, sizeof(path), "%s/%s", root, NETWORKS_DIR);
	netdir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (netdir < 0 && errno != ENOENT)
		return hull_err_sys(err, errno, "open %s", path);
	return list_at(netdir, root, cb, userdata, err);
}

/* The checks of a new network against each existing one. */
struct conflict_check {
	const struct hull_network *new;
	struct hull_error *err;
};

static int check_conflict(const struct hull_network *old, void *userdata)
{
	struct conflict_check *c = userdata;
	const struct hull_network *new = c->new;
	char a[NETCONF_SUBNET_STRLEN], b[NETCONF_SUBNET_STRLEN];

	/* Creating "hull" replaces the implicit default: not a conflict. */
	if (strcmp(old->name, new->name) == 0)
		return 0;
	if (netconf_subnets_overlap(&old->subnet, &new->subnet))
		return hull_err(c->err, EINVAL, "subnet %s of network %s overlaps network %s (%s)",
		                netconf_subnet_str(&new->subnet, a), new->name, old->name,
		                netconf_subnet_str(&old->subnet, b));
	if (strcmp(old->bridge, new->bridge) == 0)
		return hull_err(c->err, EEXIST,
		                "bridge %s of network %s is already used by network %s",
		                new->bridge, new->name, old->name);
	return 0;
}

/* The default network may be written to a file only while the implicit one
 * is unused: its leases would otherwise point into a subnet that changed.
 * Returns with its lease lock held (in *leases) so that no allocation lands
 * between this check and the new file. */
static int check_default_free(int netdir, const char *root, struct ipam_lock *leases,
                              struct hull_error *err)
{
	int n;

	if (faccessat(netdir, NETCONF_DEFAULT_NAME ".json", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return hull_err(err, EEXIST, "network %s already exists", NETCONF_DEFAULT_NAME);
	if ((n = ipam_lock(root, NETCONF_DEFAULT_NAME, true, leases, err)) < 0)
		return n;
	if ((n = ipam_count_locked(leases, NETCONF_DEFAULT_NAME, err)) < 0)
		return n;
	if (n > 0)
		return hull_err(err, EEXIST,
		                "network %s already exists (the default network, with %d "
		                "container%s)",
		                NETCONF_DEFAULT_NAME, n, n == 1 ? "" : "s");
	return 0;
}

/* Under the networks lock (and, for the default, its lease lock). */
static int create_locked(int netdir, const char *root, const struct hull_network *net,
                         struct ipam_lock *leases, struct hull_error *err)
{
	char file[NETCONF_NAME_MAX + 8];
	struct conflict_check c = {net, err};
	_cleanup_free_ char *text = NULL;
	int r;

	snprintf(file, sizeof(file), "%s.json", net->name);
	if (is_default(net->name)) {
		if ((r = check_default_free(netdir, root, leases, err)) < 0)
			return r;
	} else if (faccessat(netdir, file, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		return hull_err(err, EEXIST, "network %s already exists", net->name);
	}
	if ((r = list_at(netdir, root, check_conflict, &c, err)) < 0)
		return r;
	json_t *j = netconf_to_json(net);
	text = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
	json_decref(j);
	if (!text)
		return hull_err(err, ENOMEM, "encode network %s", net->name);
	if ((r = netconf_write_atomic(netdir, file, text, err)) < 0)
		return hull_err_prefix(err, "create network %s", net->name);
	return 0;
}

int netconf_create(const char *root, const struct hull_network *net, struct hull_error *err)
{
	_cleanup_close_ int netdir = -1, lock = -1;
	struct ipam_lock leases = {-1, -1};
	int r;

	if ((r = netconf_validate(net, err)) < 0)
		return r;
	if ((netdir = netconf_open_dir(root, NETWORKS_DIR, true, err)) < 0)
		return netdir;
	if ((lock = netconf_lock_at(netdir, NETWORKS_LOCK, "networks", err)) < 0)
		return lock;
	r = create_locked(netdir, root, net, &leases, err);
	ipam_unlock(&leases);
	return r;
}

int netconf_remove(const char *root, const char *name, struct hull_error *err)
{
	return netconf_remove_with(root, name, NULL, NULL, err);
}

int netconf_remove_with(const char *root, const char *name, netconf_remove_cb before, void *arg,
                        struct hull_error *err)
{
	char file[NETCONF_NAME_MAX + 8];
	_cleanup_close_ int netdir = -1, lock = -1;
	struct ipam_lock leases = {-1, -1};
	int r, n;

	if ((r = netconf_name_check(name, err)) < 0)
		return r;
	snprintf(file, sizeof(file), "%s.json", name);
	if ((netdir = netconf_open_dir(root, NETWORKS_DIR, true, err)) < 0)
		return netdir;
	if ((lock = netconf_lock_at(netdir, NETWORKS_LOCK, "networks", err)) < 0)
		return lock;
	if (faccessat(netdir, file, F_OK, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			return hull_err_sys(err, errno, "remove network %s", name);
		if (is_default(name))
			return hull_err(err, EPERM,
			                "network %s is the default network: it cannot be "
			                "removed",
			                name);
		return hull_err(err, ENOENT, "network %s does not exist", name);
	}
	/* Held from the count to the unlink: no allocation can land between.
	 * Made if missing: otherwise a first allocation could create the lease
	 * directory, lock it and find the network still there meanwhile. */
	if ((r = ipam_lock(root, name, true, &leases, err)) < 0)
		return hull_err_prefix(err, "remove network %s", name);
	if (leases.dirfd >= 0 && (n = ipam_count_locked(&leases, name, err)) != 0) {
		ipam_unlock(&leases);
		if (n < 0)
			return hull_err_prefix(err, "remove network %s", name);
		return hull_err(err, EBUSY, "network %s has %d container%s", name, n,
		                n == 1 ? "" : "s");
	}
	if (before && (r = before(name, arg, err)) < 0) {
		ipam_unlock(&leases);
		return hull_err_prefix(err, "remove network %s", name);
	}
	if (unlinkat(netdir, file, 0) < 0) {
		r = errno;
		ipam_unlock(&leases);
		return hull_err_sys(err, r, "remove network %s", name);
	}
	if (leases.dirfd >= 0 && (r = ipam_destroy_locked(&leases, root, name, err)) < 0)
		return hull_err_prefix(err, "network %s removed, but its lease directory", name);
	return 0;
}
