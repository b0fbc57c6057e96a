/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * hull's NAT and forwarding rules, in nf_tables over netlink. Everything lives
 * in hull's own table `ip hull`; no other table is read or written. Each
 * operation is one nf_tables batch, so it applies entirely or not at all.
 *
 * Every rule carries its owner in NFTA_RULE_USERDATA, encoded as an nft
 * comment (so `nft list table ip hull` shows `comment "hull:<id>@<addr>"`);
 * owner tags are at most NFT_OWNER_MAX bytes, e.g. "hull:<container-id>@<addr>" or
 * "hull-net:<network-name>". Adding never replaces: callers remove an owner's
 * rules before adding them again.
 */
#include <netinet/in.h>
#include <stdint.h>

#include "util/error.h"

#define NFT_TABLE     "hull"
#define NFT_OWNER_MAX 127

/* The table and its base chains, created unless they exist:
 *   prerouting  nat    hook prerouting  priority -100
 *   output      nat    hook output      priority -100
 *   postrouting nat    hook postrouting priority 100
 *   forward     filter hook forward     priority 0, policy accept
 *   input       filter hook input       priority 0, policy accept
 * Every add below also does this inside its own batch. */
int nft_ensure_table(struct hull_error *err);

/* A network's rules, owned by owner_tag:
 *   postrouting: ip saddr SUBNET/PREFIX oifname != BRIDGE masquerade
 *   postrouting: ip saddr 127.0.0.0/8 oifname BRIDGE masquerade
 *   forward:     iifname BRIDGE accept
 *   forward:     oifname BRIDGE accept
 *   input:       iifname BRIDGE ip daddr 127.0.0.0/8 ct state new drop (route_localnet
 *                must not open the host's loopback services to containers)
 * The 127.0.0.0/8 rule lets published ports work through 127.0.0.1 (which
 * also needs route_localnet on the bridge; set by the caller). */
int nft_masquerade_add(const char *owner_tag, struct in_addr subnet, unsigned prefix,
                       const char *bridge, struct hull_error *err);

/* A published port, owned by owner_tag; proto is IPPROTO_TCP or IPPROTO_UDP;
 * prefix is that of the container's subnet (1-30):
 *   prerouting:  fib daddr type local PROTO dport HOST_PORT dnat to CADDR:CPORT
 *   output:      the same (connections from the host itself)
 *   postrouting: ip saddr SUBNET/PREFIX ip daddr CADDR PROTO dport CPORT
 *                ct status dnat masquerade
 * (the last one: the container itself or another one on the bridge coming
 * through the published port, whose replies must pass the host's conntrack
 * with or without br_netfilter). bridge is used only to name things in
 * errors. */
int nft_publish_add(const char *owner_tag, int proto, uint16_t host_port, struct in_addr caddr,
                    unsigned prefix, uint16_t cport, const char *bridge, struct hull_error *err);

/* Delete every rule of hull's table owned by owner_tag, in one batch. A
 * missing table is fine. Returns the number of rules deleted. */
int nft_remove_owner(const char *owner_tag, struct hull_error *err);

/* The same for every owner tag that ends in suffix (e.g. "@10.240.0.5": the
 * rules of whoever held that address). */
int nft_remove_owner_suffix(const char *suffix, struct hull_error *err);

/* How many rules of hull's table owner_tag has (0 without the table);
 * owner_tag NULL: all of them. */
int nft_owner_count(const char *owner_tag, struct hull_error *err);

/* Delete hull's table with all its chains and rules; a missing one is fine. */
int nft_remove_table(struct hull_error *err);

/* Delete hull's table only when no chain of it has a rule (one batch of
 * non-recursive deletes, so a rule added concurrently keeps the table).
 * 1: deleted or absent, 0: still in use. */
int nft_remove_table_if_empty(struct hull_error *err);
