/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * Named networks: a bridge, an IPv4 subnet and its gateway, stored as
 * <netroot>/networks/<name>.json (netroot is /var/lib/hull/net unless the
 * caller says otherwise; tests use a temporary directory).
 *
 * The default network "hull" (bridge hull0, 10.240.0.0/16, gateway
 * 10.240.0.1) exists without a file. A file named hull.json replaces it; it
 * can be created only while the implicit default has no leases, and removing
 * it brings the implicit default back.
 *
 * Creating and removing networks is serialized by flock(2) on
 * <netroot>/networks/.lock; addresses are handed out by ipam.h under a lock
 * per network. Lock order: networks/.lock, then leases/<name>/.lock.
 *
 * Pure file logic: nothing here touches netlink or sysctls.
 */
#include <jansson.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>

#include "util/error.h"

#define NETCONF_DEFAULT_ROOT   "/var/lib/hull/net"
#define NETCONF_DEFAULT_NAME   "hull"
#define NETCONF_DEFAULT_BRIDGE "hull0"
#define NETCONF_DEFAULT_SUBNET "10.240.0.0/16"
#define NETCONF_NAME_MAX       32 /* [a-zA-Z0-9][a-zA-Z0-9_.-]{0,31} */
#define NETCONF_PREFIX_MIN     8
#define NETCONF_PREFIX_MAX     30
#define NETCONF_ADDR_STRLEN    INET_ADDRSTRLEN       /* "255.255.255.255" */
#define NETCONF_SUBNET_STRLEN  (INET_ADDRSTRLEN + 3) /* "255.255.255.255/32" */

/* An IPv4 subnet; addr in network byte order with no host bits set. */
struct hull_subnet {
	struct in_addr addr;
	unsigned prefix;
};

struct hull_network {
	char name[NETCONF_NAME_MAX + 1];
	char bridge[IFNAMSIZ];
	struct hull_subnet subnet;
	struct in_addr gateway;       /* inside the subnet, a host address */
	bool ip_forward;              /* hull may set net.ipv4.ip_forward=1 when attaching */
	bool remove_bridge_with_last; /* delete the bridge when its last container leaves */
};

/* Fills the default network: hull, hull0, 10.240.0.0/16, 10.240.0.1,
 * ip_forward on, bridge kept. */
void netconf_default(struct hull_network *net);

/* Fill *net for a new network from user input: name, subnet ("10.1.0.0/24"),
 * gateway (NULL: the first host address) and bridge (NULL: derived from the
 * name, see netconf_bridge_name). Flags as in netconf_default. Validated. */
int netconf_init(struct hull_network *net, const char *name, const char *subnet,
                 const char *gateway, const char *bridge, struct hull_error *err);

/* Network names: [a-zA-Z0-9][a-zA-Z0-9_.-]{0,31}. */
int netconf_name_check(const char *name, struct hull_error *err);

/* Interface names the kernel accepts: 1..15 bytes, no '/', ':' or spaces,
 * not "." or "..". */
int netconf_ifname_check(const char *ifname, struct hull_error *err);

/* The bridge of a network: hull0 for the default, "hull-NAME" when that fits
 * in 15 bytes, otherwise "hull-" + the first 4 bytes of the name + 6 hex
 * digits of a hash of the whole name. */
void netconf_bridge_name(const char *name, char buf[IFNAMSIZ]);

/* "10.1.0.0/24" -> subnet. Errors name the text: not IPv4, prefix outside
 * 8..30, host bits set. */
int netconf_parse_subnet(const char *text, struct hull_subnet *ret, struct hull_error *err);

/* A dotted-quad IPv4 address (nothing else: no "10.1", no octal). */
int netconf_parse_addr(const char *text, struct in_addr *ret, struct hull_error *err);

/* Every field consistent: name, bridge, subnet (prefix, host bits), gateway a
 * host address of the subnet. */
int netconf_validate(const struct hull_network *net, struct hull_error *err);

/* Helpers on host-order addresses of a subnet. */
bool netconf_subnet_contains(const struct hull_subnet *s, struct in_addr a);
bool netconf_subnets_overlap(const struct hull_subnet *a, const struct hull_subnet *b);
/* "10.1.0.0/24" into buf (NETCONF_SUBNET_STRLEN bytes). */
const char *netconf_subnet_str(const struct hull_subnet *s, char *buf);

/* Read network `name`; "hull" without a file is the default. ENOENT: "network
 * NAME does not exist". */
int netconf_load(const char *root, const char *name, struct hull_network *ret,
                 struct hull_error *err);

/* Store a new network (validated first). EEXIST when the name (or the bridge)
 * is taken; EINVAL when the subnet overlaps another network's (naming both). */
int netconf_create(const char *root, const struct hull_network *net, struct hull_error *err);

/* Remove a stored network and its (empty) lease directory. EBUSY while live
 * leases exist ("network X has N containers"); dead ones are reclaimed first.
 * The implicit default cannot be removed (EPERM); a stored hull.json can. */
int netconf_remove(const char *root, const char *name, struct hull_error *err);

/* The same, calling before(name, arg, err) under the network's locks once it
 * is known to be unused and before anything is removed: what it undoes (the
 * host side, by a caller that may touch netlink) is then never orphaned, and
 * when it fails the network stays, so the removal can be tried again. */
typedef int (*netconf_remove_cb)(const char *name, void *arg, struct hull_error *err);
int netconf_remove_with(const char *root, const char *name, netconf_remove_cb before, void *arg,
                        struct hull_error *err);

/* Calls cb for every network, the default first, then the stored ones by
 * name. A non-zero return from cb stops the walk and is returned. */
typedef int (*netconf_list_cb)(const struct hull_network *net, void *userdata);
int netconf_list(const char *root, netconf_list_cb cb, void *userdata, struct hull_error *err);

/* The stored form, also `hull network inspect`'s:
 * {"name", "bridge", "subnet": "10.240.0.0/16", "gateway", "ipForward",
 *  "removeBridgeWithLast"}. New reference, NULL on ENOMEM. */
json_t *netconf_to_json(const struct hull_network *net);
/* The reverse, validated; `where` names the source in errors. */
int netconf_from_json(json_t *j, const char *where, struct hull_network *ret,
                      struct hull_error *err);

/* --- shared with ipam.c --- */

/* Open (creating it and its parents, 0700 for the last) directory
 * <root>/<sub> and return an O_DIRECTORY fd. */
int netconf_open_dir(const char *root, const char *sub, bool create, struct hull_error *err);

/* Take an exclusive flock on dirfd/name (created 0600 if missing), retrying
 * when the file was unlinked or replaced between open and lock, so two
 * processes never hold locks on different inodes. Released on close. */
int netconf_lock_at(int dirfd, const char *name, const char *what, struct hull_error *err);

/* Write dirfd/name atomically: a temporary file ".NAME.tmp", then rename. */
int netconf_write_atomic(int dirfd, const char *name, const char *text, struct hull_error *err);
