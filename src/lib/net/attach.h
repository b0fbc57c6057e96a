/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* The host side of a named network (attach.c): bridge, sysctls, NAT rules. */
#include <stdbool.h>
#include <netinet/in.h>
#include <stdint.h>

#include "net/netconf.h"
#include "util/error.h"

/* nftables owner tags: "hull:<container id>", "hull-net:<network name>". */
#define NET_OWNER_MAX 128

/* The owner tag of the rules of container id holding addr: "hull:ID@ADDR".
 * An id too long for a tag (over 106 bytes) gives its first 80 bytes + "~" +
 * a 64-bit hash of the whole id, so two long ids with a common prefix never
 * share rules (no id has a "~" or an "@"). The address makes the tag one
 * container's even across state roots (one live lease per address), and
 * lets the next holder of the address clear a dead holder's rules
 * (nft_remove_owner_suffix "@ADDR"). */
void net_container_owner(const char *id, struct in_addr addr, char buf[NET_OWNER_MAX]);

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
