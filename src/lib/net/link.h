/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * The rtnetlink operations hull's networking needs: a bridge on the host, a
 * veth pair from it into a container's network namespace, and the container
 * side's addresses and routes. IPv4 only. All names are interface names
 * (at most IFNAMSIZ - 1 bytes). Every function returns 0 (or the value
 * documented) or -errno with err filled.
 */
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

/* Create the bridge `name` unless it exists (another hull creating it at the
 * same time is fine), give it gateway/prefix unless it has that address, and
 * set it up. Stores its ifindex in *ifindex (may be NULL) and returns its
 * MTU (> 0). An existing interface of that name that is not a bridge is an
 * error (EEXIST). */
int net_bridge_ensure(const char *name, struct in_addr gateway, unsigned prefix, int *ifindex,
                      struct hull_error *err);

struct net_veth_req {
	const char *bridge;     /* host bridge the host end is attached to */
	const char *host_name;  /* host end, stays in the caller's namespace */
	int netns_fd;           /* the container's network namespace */
	const char *peer_name;  /* container end, e.g. "eth0" */
	struct in_addr addr;    /* container end's address */
	unsigned prefix;        /* its prefix length (0-32) */
	struct in_addr gateway; /* default route via; INADDR_ANY: no default route */
	unsigned mtu;           /* 0: the bridge's MTU */
	const uint8_t *mac;     /* 6 bytes for the container end; NULL: random */
};

/* Create the veth pair with one RTM_NEWLINK: the host end attached to the
 * bridge and up, the peer created directly in the container's namespace.
 * The host end's bridge port gets hairpin mode (so that a container reaches
 * its own published ports when br_netfilter is active). Then, in that namespace: lo up, the peer's
 * address, peer up, default route. On failure the host end is deleted (which deletes the peer too).
 */
int net_veth_attach(const struct net_veth_req *req, struct hull_error *err);

/* Set lo up in the network namespace netns_fd (a namespace with only the
 * loopback interface). */
int net_loopback_up(int netns_fd, struct hull_error *err);

/* Delete interface `name` in the caller's namespace; a missing one is fine. */
int net_link_delete(const char *name, struct hull_error *err);

/* Delete bridge `name`; a missing one is fine, something else of that name is
 * refused (EINVAL) and left alone. */
int net_bridge_delete(const char *name, struct hull_error *err);

/* 1 if interface `name` exists in the caller's namespace, 0 if not, -errno
 * if that cannot be known. */
int net_link_exists(const char *name);
