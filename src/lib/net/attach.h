/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* The host side of a named network (attach.c): bridge, sysctls, NAT rules. */
#include <stdbool.h>

#include "net/netconf.h"
#include "util/error.h"

/* nftables owner tags: "hull:<container id>", "hull-net:<network name>". */
#define NET_OWNER_MAX 96

/* Make sure the network's bridge, sysctls and masquerade rules exist (each
 * step is idempotent; concurrent callers are fine). publishing: some
 * container publishes ports (route_localnet on the bridge). */
int net_bridge_setup(const struct hull_network *net, bool publishing, struct hull_error *err);

/* After a container left: remove the bridge and the network's rules when the
 * network says so and it has no lease left. */
int net_bridge_release(const char *root, const char *name, struct hull_error *err);

/* hull network rm: remove a named network that has no containers, with its
 * bridge and NAT rules. */
int hull_network_remove(const char *name, struct hull_error *err);
