/* SPDX-License-Identifier: Apache-2.0 */
#include "nft.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"
#include "util/cleanup.h"

/* An add batch: the table and 4 chains, then up to 4 rules of ~500 bytes. */
#define NFT_BUF 8192
/* What one rule deletion needs in a batch (header, nfgenmsg, table, chain,
 * handle), generously. */
#define NFT_DEL_MSG 128
/* nft(8) stores rule comments as userdata TLVs of this type; using the same
 * encoding makes the owner show up in `nft list` as a comment. */
#define NFTNL_UDATA_RULE_COMMENT 0
#define CHAIN_NAME_MAX           32
/* A concurrent change between the dump and the delete batch: try again. */
#define REMOVE_TRIES 3

/* Where hull's rules live. */
#define CH_PRE  "prerouting"
#define CH_OUT  "output"
#define CH_POST "postrouting"
#define CH_FWD  "forward"
#define CH_IN   "input"

/* --- batches --------------------------------------------------------- */

/* An add batch with a label per message, so that an error can say which
 * part the kernel refused. Message 0 is the batch begin: an error under its
 * number is the commit failing as a whole. */
#define BATCH_MSGS 16
#define LABEL_MAX  112
struct batch {
	struct nlbuf b;
	size_t n;
	char label[BATCH_MSGS][LABEL_MAX];
	unsigned char buf[NFT_BUF] __attribute__((aligned(4)));
};

static void batch_init(struct batch *bt)
{
	nlbuf_init(&bt->b, bt->buf, sizeof(bt->buf));
	bt->n = 0;
	nl_batch_begin(&bt->b);
	snprintf(bt->label[bt->n++], LABEL_MAX, "commit");
}

/* Label the message just begun. */
static void batch_label(struct batch *bt, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void batch_label(struct batch *bt, const char *fmt, ...)
{
	va_list ap;

	if (bt->n == BATCH_MSGS) {
		bt->b.overflow = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(bt->label[bt->n++], LABEL_MAX, fmt, ap);
	va_end(ap);
}

/* Send the batch on a fresh netfilter socket. Errors read
 * "<what>: <the refused part>: <kernel text>: <strerror>". */
static int batch_send(struct batch *bt, struct hull_error *err, const char *what)
{
	struct nl_sock s;
	int r;

	nl_batch_end(&bt->b);
	if ((r = nl_open(&s, NETLINK_NETFILTER, err)) < 0)
		return r;
	r = nl_transact(&s, &bt->b, NULL, NULL, err, NULL);
	if (r < 0 && s.err_index >= 0 && (size_t)s.err_index < bt->n)
		hull_err_prefix(err, "%s", bt->label[s.err_index]);
	if (r < 0)
		hull_err_prefix(err, "%s", what);
	nl_close(&s);
	return r;
}

/* --- table and chains -------------------------------------------------- */

static void put_table(struct batch *bt)
{
	nl_nft_msg_begin(&bt->b, NFT_MSG_NEWTABLE, NFPROTO_IPV4, NLM_F_ACK | NLM_F_CREATE);
	nl_put_str(&bt->b, NFTA_TABLE_NAME, NFT_TABLE);
	nl_msg_end(&bt->b);
	batch_label(bt, "table ip " NFT_TABLE);
}

/* A base chain; NLM_F_CREATE without EXCL leaves an identical one alone (and
 * refuses one of the same name with another type, hook or priority). */
static void put_chain(struct batch *bt, const char *name, const char *type, unsigned hook,
                      const char *hook_name, int priority)
{
	struct nlbuf *b = &bt->b;

	nl_nft_msg_begin(b, NFT_MSG_NEWCHAIN, NFPROTO_IPV4, NLM_F_ACK | NLM_F_CREATE);
	nl_put_str(b, NFTA_CHAIN_TABLE, NFT_TABLE);
	nl_put_str(b, NFTA_CHAIN_NAME, name);
	size_t h = nl_nest_begin(b, NFTA_CHAIN_HOOK);
	nl_put_be32(b, NFTA_HOOK_HOOKNUM, hook);
	nl_put_be32(b, NFTA_HOOK_PRIORITY, (uint32_t)priority);
	nl_nest_end(b, h);
	nl_put_be32(b, NFTA_CHAIN_POLICY, NF_ACCEPT);
	nl_put_str(b, NFTA_CHAIN_TYPE, type);
	nl_msg_end(b);
	batch_label(bt, "chain %s (type %s hook %s priority %d)", name, type, hook_name, priority);
}

static void put_table_and_chains(struct batch *bt)
{
	put_table(bt);
	put_chain(bt, CH_PRE, "nat", NF_INET_PRE_ROUTING, "prerouting", -100);
	put_chain(bt, CH_OUT, "nat", NF_INET_LOCAL_OUT, "output", -100);
	put_chain(bt, CH_POST, "nat", NF_INET_POST_ROUTING, "postrouting", 100);
	put_chain(bt, CH_FWD, "filter", NF_INET_FORWARD, "forward", 0);
	put_chain(bt, CH_IN, "filter", NF_INET_LOCAL_IN, "input", 0);
}

/* --- expressions ------------------------------------------------------- */

struct expr {
	size_t elem, data;
};

static struct expr expr_begin(struct nlbuf *b, const char *name)
{
	struct expr e;

	e.elem = nl_nest_begin(b, NFTA_LIST_ELEM);
	nl_put_str(b, NFTA_EXPR_NAME, name);
	e.data = nl_nest_begin(b, NFTA_EXPR_DATA);
	return e;
}

static void expr_end(struct nlbuf *b, struct expr e)
{
	nl_nest_end(b, e.data);
	nl_nest_end(b, e.elem);
}

/* NFTA_*_DATA: a nested NFTA_DATA_VALUE. */
static void put_data(struct nlbuf *b, uint16_t type, const void *v, size_t len)
{
	size_t d = nl_nest_begin(b, type);
	nl_put_attr(b, NFTA_DATA_VALUE, v, len);
	nl_nest_end(b, d);
}

static void e_payload(struct nlbuf *b, enum nft_payload_bases base, unsigned off, unsigned len)
{
	struct expr e = expr_begin(b, "payload");
	nl_put_be32(b, NFTA_PAYLOAD_DREG, NFT_REG_1);
	nl_put_be32(b, NFTA_PAYLOAD_BASE, base);
	nl_put_be32(b, NFTA_PAYLOAD_OFFSET, off);
	nl_put_be32(b, NFTA_PAYLOAD_LEN, len);
	expr_end(b, e);
}

static void e_cmp(struct nlbuf *b, enum nft_cmp_ops op, const void *v, size_t len)
{
	struct expr e = expr_begin(b, "cmp");
	nl_put_be32(b, NFTA_CMP_SREG, NFT_REG_1);
	nl_put_be32(b, NFTA_CMP_OP, op);
	put_data(b, NFTA_CMP_DATA, v, len);
	expr_end(b, e);
}

/* reg1 = reg1 & mask (xor 0): how nft expresses a prefix match. */
static void e_mask(struct nlbuf *b, const void *mask, size_t len)
{
	static const uint8_t zero[16];
	struct expr e = expr_begin(b, "bitwise");
	nl_put_be32(b, NFTA_BITWISE_SREG, NFT_REG_1);
	nl_put_be32(b, NFTA_BITWISE_DREG, NFT_REG_1);
	nl_put_be32(b, NFTA_BITWISE_LEN, (uint32_t)len);
	put_data(b, NFTA_BITWISE_MASK, mask, len);
	put_data(b, NFTA_BITWISE_XOR, zero, len);
	expr_end(b, e);
}

/* ct KEY & bit != 0: a conntrack bit field (host byte order) in reg1. */
static void m_ct_bit(struct nlbuf *b, enum nft_ct_keys key, uint32_t bit)
{
	uint32_t zero = 0;
	struct expr e = expr_begin(b, "ct");
	nl_put_be32(b, NFTA_CT_DREG, NFT_REG_1);
	nl_put_be32(b, NFTA_CT_KEY, key);
	expr_end(b, e);
	e_mask(b, &bit, 4);
	e_cmp(b, NFT_CMP_NEQ, &zero, 4);
}

/* ct state new */
static void m_ct_new(struct nlbuf *b)
{
	m_ct_bit(b, NFT_CT_STATE, 1u << (2 /* IP_CT_NEW */ + 1));
}

/* ct status dnat: the connection's destination was rewritten */
static void m_ct_dnat(struct nlbuf *b)
{
	m_ct_bit(b, NFT_CT_STATUS, 1u << 5 /* IPS_DST_NAT_BIT */);
}

static void e_meta(struct nlbuf *b, enum nft_meta_keys key)
{
	struct expr e = expr_begin(b, "meta");
	nl_put_be32(b, NFTA_META_DREG, NFT_REG_1);
	nl_put_be32(b, NFTA_META_KEY, key);
	expr_end(b, e);
}

static void e_immediate(struct nlbuf *b, enum nft_registers reg, const void *v, size_t len)
{
	struct expr e = expr_begin(b, "immediate");
	nl_put_be32(b, NFTA_IMMEDIATE_DREG, reg);
	put_data(b, NFTA_IMMEDIATE_DATA, v, len);
	expr_end(b, e);
}

static void e_verdict(struct nlbuf *b, uint32_t code)
{
	struct expr e = expr_begin(b, "immediate");
	nl_put_be32(b, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	size_t d = nl_nest_begin(b, NFTA_IMMEDIATE_DATA);
	size_t v = nl_nest_begin(b, NFTA_DATA_VERDICT);
	nl_put_be32(b, NFTA_VERDICT_CODE, code);
	nl_nest_end(b, v);
	nl_nest_end(b, d);
	expr_end(b, e);
}

static void e_accept(struct nlbuf *b)
{
	e_verdict(b, NF_ACCEPT);
}

/* dnat to the address in reg1 and the port in reg2. */
static void e_dnat(struct nlbuf *b)
{
	struct expr e = expr_begin(b, "nat");
	nl_put_be32(b, NFTA_NAT_TYPE, NFT_NAT_DNAT);
	nl_put_be32(b, NFTA_NAT_FAMILY, NFPROTO_IPV4);
	nl_put_be32(b, NFTA_NAT_REG_ADDR_MIN, NFT_REG_1);
	nl_put_be32(b, NFTA_NAT_REG_ADDR_MAX, NFT_REG_1);
	nl_put_be32(b, NFTA_NAT_REG_PROTO_MIN, NFT_REG_2);
	nl_put_be32(b, NFTA_NAT_REG_PROTO_MAX, NFT_REG_2);
	expr_end(b, e);
}

static void e_masq(struct nlbuf *b)
{
	struct expr e = expr_begin(b, "masq");
	expr_end(b, e);
}

/* --- matches ----------------------------------------------------------- */

#define IP_SADDR_OFF 12
#define IP_DADDR_OFF 16
#define TH_DPORT_OFF 2

/* ip saddr/daddr ADDR/PREFIX (prefix 0 matches everything: no expression). */
static void m_addr(struct nlbuf *b, unsigned off, struct in_addr a, unsigned prefix)
{
	uint32_t mask = prefix ? htonl(~0u << (32 - prefix)) : 0;
	uint32_t net = a.s_addr & mask;

	if (!prefix)
		return;
	e_payload(b, NFT_PAYLOAD_NETWORK_HEADER, off, 4);
	if (prefix < 32)
		e_mask(b, &mask, 4);
	e_cmp(b, NFT_CMP_EQ, &net, 4);
}

/* iifname/oifname [!=] NAME: the kernel compares all IFNAMSIZ bytes. */
static void m_ifname(struct nlbuf *b, enum nft_meta_keys key, enum nft_cmp_ops op, const char *name)
{
	char v[IFNAMSIZ] = {0};

	strncpy(v, name, sizeof(v) - 1);
	e_meta(b, key);
	e_cmp(b, op, v, sizeof(v));
}

/* tcp/udp dport PORT */
static void m_dport(struct nlbuf *b, uint8_t proto, uint16_t port)
{
	uint16_t p = htons(port);

	e_meta(b, NFT_META_L4PROTO);
	e_cmp(b, NFT_CMP_EQ, &proto, 1);
	e_payload(b, NFT_PAYLOAD_TRANSPORT_HEADER, TH_DPORT_OFF, 2);
	e_cmp(b, NFT_CMP_EQ, &p, 2);
}

/* fib daddr type local: the packet is addressed to this host. */
static void m_daddr_local(struct nlbuf *b)
{
	uint32_t local = RTN_LOCAL;
	struct expr e = expr_begin(b, "fib");

	nl_put_be32(b, NFTA_FIB_DREG, NFT_REG_1);
	nl_put_be32(b, NFTA_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE);
	nl_put_be32(b, NFTA_FIB_FLAGS, NFTA_FIB_F_DADDR);
	expr_end(b, e);
	/* The address type is a host-order u32 in the register. */
	e_cmp(b, NFT_CMP_EQ, &local, sizeof(local));
}

/* --- rules ------------------------------------------------------------- */

static void put_owner(struct nlbuf *b, const char *owner)
{
	uint8_t ud[2 + NFT_OWNER_MAX + 1];
	size_t n = strlen(owner) + 1;

	ud[0] = NFTNL_UDATA_RULE_COMMENT;
	ud[1] = (uint8_t)n;
	memcpy(ud + 2, owner, n);
	nl_put_attr(b, NFTA_RULE_USERDATA, ud, 2 + n);
}

/* Rules are appended; their expressions go between rule_begin and rule_end.
 * desc is the rule in nft syntax, for errors. */
static size_t rule_begin(struct batch *bt, const char *chain, const char *owner,
                         const char *desc_fmt, ...) __attribute__((format(printf, 4, 5)));
static size_t rule_begin(struct batch *bt, const char *chain, const char *owner,
                         const char *desc_fmt, ...)
{
	char desc[LABEL_MAX];
	va_list ap;

	va_start(ap, desc_fmt);
	vsnprintf(desc, sizeof(desc), desc_fmt, ap);
	va_end(ap);
	batch_label(bt, "rule in chain %s: %s", chain, desc);
	nl_nft_msg_begin(&bt->b, NFT_MSG_NEWRULE, NFPROTO_IPV4,
	                 NLM_F_ACK | NLM_F_CREATE | NLM_F_APPEND);
	nl_put_str(&bt->b, NFTA_RULE_TABLE, NFT_TABLE);
	nl_put_str(&bt->b, NFTA_RULE_CHAIN, chain);
	put_owner(&bt->b, owner);
	return nl_nest_begin(&bt->b, NFTA_RULE_EXPRESSIONS);
}

static void rule_end(struct batch *bt, size_t exprs)
{
	nl_nest_end(&bt->b, exprs);
	nl_msg_end(&bt->b);
}

/* --- operations -------------------------------------------------------- */

static int check_owner(const char *owner, struct hull_error *err)
{
	if (!owner || !owner[0])
		return hull_err(err, EINVAL, "nftables: empty rule owner tag");
	if (strlen(owner) > NFT_OWNER_MAX)
		return hull_err(err, EINVAL, "nftables: rule owner tag %s is longer than %d bytes",
		                owner, NFT_OWNER_MAX);
	return 0;
}

static int check_bridge(const char *bridge, struct hull_error *err)
{
	if (!bridge || !bridge[0] || strlen(bridge) >= IFNAMSIZ)
		return hull_err(err, EINVAL, "nftables: bad bridge name \"%s\"",
		                bridge ? bridge : "");
	return 0;
}

int nft_ensure_table(struct hull_error *err)
{
	_cleanup_free_ struct batch *bt = malloc(sizeof(*bt));

	if (!bt)
		return hull_err_sys(err, ENOMEM, "create nftables table ip " NFT_TABLE);
	batch_init(bt);
	put_table_and_chains(bt);
	return batch_send(bt, err, "create nftables table ip " NFT_TABLE " and its chains");
}

int nft_masquerade_add(const char *owner, struct in_addr subnet, unsigned prefix,
                       const char *bridge, struct hull_error *err)
{
	struct in_addr loopback = {htonl(INADDR_LOOPBACK)};
	char what[256], a[INET_ADDRSTRLEN];
	struct nlbuf *b;
	size_t r;
	int ret;

	if ((ret = check_owner(owner, err)) < 0 || (ret = check_bridge(bridge, err)) < 0)
		return ret;
	inet_ntop(AF_INET, &subnet, a, sizeof(a));
	if (prefix > 32)
		return hull_err(err, EINVAL,
		                "masquerade %s for bridge %s: prefix length %u is not 0-32", a,
		                bridge, prefix);
	_cleanup_free_ struct batch *bt = malloc(sizeof(*bt));
	if (!bt)
		return hull_err_sys(err, ENOMEM, "masquerade %s/%u for bridge %s", a, prefix,
		                    bridge);
	b = &bt->b;
	batch_init(bt);
	put_table_and_chains(bt);

	r = rule_begin(bt, CH_POST, owner, "ip saddr %s/%u oifname != %s masquerade", a, prefix,
	               bridge);
	m_addr(b, IP_SADDR_OFF, subnet, prefix);
	m_ifname(b, NFT_META_OIFNAME, NFT_CMP_NEQ, bridge);
	e_masq(b);
	rule_end(bt, r);

	r = rule_begin(bt, CH_POST, owner, "ip saddr 127.0.0.0/8 oifname %s masquerade", bridge);
	m_addr(b, IP_SADDR_OFF, loopback, 8);
	m_ifname(b, NFT_META_OIFNAME, NFT_CMP_EQ, bridge);
	e_masq(b);
	rule_end(bt, r);

	/* route_localnet (needed for published ports on 127.0.0.1) would also let the
	 * containers reach the host's services bound to loopback (CVE-2020-8558):
	 * a new connection from the bridge to 127/8 (one not DNATed to a
	 * container) is dropped; replies to the host's own 127.0.0.1 clients pass. */
	r = rule_begin(bt, CH_IN, owner, "iifname %s ip daddr 127.0.0.0/8 ct state new drop",
	               bridge);
	m_ifname(b, NFT_META_IIFNAME, NFT_CMP_EQ, bridge);
	m_addr(b, IP_DADDR_OFF, loopback, 8);
	m_ct_new(b);
	e_verdict(b, NF_DROP);
	rule_end(bt, r);

	r = rule_begin(bt, CH_FWD, owner, "iifname %s accept", bridge);
	m_ifname(b, NFT_META_IIFNAME, NFT_CMP_EQ, bridge);
	e_accept(b);
	rule_end(bt, r);

	r = rule_begin(bt, CH_FWD, owner, "oifname %s accept", bridge);
	m_ifname(b, NFT_META_OIFNAME, NFT_CMP_EQ, bridge);
	e_accept(b);
	rule_end(bt, r);

	snprintf(what, sizeof(what), "add masquerade rules for %s/%u on bridge %s (owner %s)", a,
	         prefix, bridge, owner);
	return batch_send(bt, err, what);
}

/* fib daddr type local PROTO dport HOST_PORT dnat to CADDR:CPORT */
static void put_dnat_rule(struct batch *bt, const char *chain, const char *owner, const char *pname,
                          uint8_t proto, uint16_t host_port, struct in_addr caddr, const char *a,
                          uint16_t cport)
{
	uint16_t p = htons(cport);
	size_t r = rule_begin(bt, chain, owner, "fib daddr type local %s dport %u dnat to %s:%u",
	                      pname, host_port, a, cport);

	m_daddr_local(&bt->b);
	m_dport(&bt->b, proto, host_port);
	e_immediate(&bt->b, NFT_REG_1, &caddr.s_addr, 4);
	e_immediate(&bt->b, NFT_REG_2, &p, 2);
	e_dnat(&bt->b);
	rule_end(bt, r);
}

int nft_publish_add(const char *owner, int proto, uint16_t host_port, struct in_addr caddr,
                    unsigned prefix, uint16_t cport, const char *bridge, struct hull_error *err)
{
	const char *pname = proto == IPPROTO_TCP ? "tcp" : "udp";
	char what[256], a[INET_ADDRSTRLEN], sn[INET_ADDRSTRLEN];
	struct in_addr subnet;
	size_t r;
	int ret;

	if ((ret = check_owner(owner, err)) < 0 || (ret = check_bridge(bridge, err)) < 0)
		return ret;
	inet_ntop(AF_INET, &caddr, a, sizeof(a));
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return hull_err(err, EPROTONOSUPPORT,
		                "publish port %u to %s:%u: protocol %d is neither tcp nor udp",
		                host_port, a, cport, proto);
	if (!host_port || !cport)
		return hull_err(err, EINVAL, "publish %s port %u to %s:%u: port 0", pname,
		                host_port, a, cport);
	if (prefix < 1 || prefix > 30)
		return hull_err(err, EINVAL, "publish %s port %u to %s:%u: subnet prefix /%u",
		                pname, host_port, a, cport, prefix);
	subnet.s_addr = caddr.s_addr & htonl(~0u << (32 - prefix));
	inet_ntop(AF_INET, &subnet, sn, sizeof(sn));
	_cleanup_free_ struct batch *bt = malloc(sizeof(*bt));
	if (!bt)
		return hull_err_sys(err, ENOMEM, "publish %s port %u to %s:%u", pname, host_port, a,
		                    cport);
	batch_init(bt);
	put_table_and_chains(bt);
	/* From other hosts and containers, and from the host itself. */
	put_dnat_rule(bt, CH_PRE, owner, pname, (uint8_t)proto, host_port, caddr, a, cport);
	put_dnat_rule(bt, CH_OUT, owner, pname, (uint8_t)proto, host_port, caddr, a, cport);
	/* From the container's own subnet through a published port (hairpin,
	 * or another container via the host's address): the reply would go
	 * straight over the bridge, past the host's conntrack (unless
	 * br_netfilter is loaded), and the client would drop it; masquerade
	 * to the bridge's address. Only DNATed connections: direct traffic
	 * between containers keeps its source. */
	r = rule_begin(bt, CH_POST, owner,
	               "ip saddr %s/%u ip daddr %s %s dport %u ct status dnat masquerade", sn,
	               prefix, a, pname, cport);
	m_addr(&bt->b, IP_SADDR_OFF, caddr, prefix);
	m_addr(&bt->b, IP_DADDR_OFF, caddr, 32);
	m_dport(&bt->b, (uint8_t)proto, cport);
	m_ct_dnat(&bt->b);
	e_masq(&bt->b);
	rule_end(bt, r);

	snprintf(what, sizeof(what), "publish %s port %u to %s:%u on bridge %s (owner %s)", pname,
	         host_port, a, cport, bridge, owner);
	return batch_send(bt, err, what);
}

/* --- removal ----------------------------------------------------------- */

struct owned_rule {
	char chain[CHAIN_NAME_MAX];
	uint64_t handle;
};

struct owned {
	const char *owner; /* NULL: every rule */
	bool suffix;       /* owner is the end of the tag, not all of it */
	struct owned_rule *v;
	size_t n, cap;
	struct hull_error *err;
};

/* Does this rule's userdata say it belongs to owner (or, with suffix, to a
 * tag ending in owner)? Lengths count the NUL on both sides. */
static bool udata_is_owner(const struct nlattr *ud, const char *owner, bool suffix)
{
	const uint8_t *p = ud ? nl_attr_data(ud) : NULL;
	size_t len = ud ? nl_attr_len(ud) : 0, n = strlen(owner) + 1;

	/* nft may add other TLVs; look for the comment among them. */
	while (len >= 2 && (size_t)p[1] + 2 <= len) {
		size_t c = p[1];
		if (p[0] == NFTNL_UDATA_RULE_COMMENT && (suffix ? c >= n : c == n) &&
		    memcmp(p + 2 + c - n, owner, n) == 0)
			return true;
		len -= (size_t)p[1] + 2;
		p += (size_t)p[1] + 2;
	}
	return false;
}

static int owned_cb(const struct nlmsghdr *h, void *arg)
{
	struct owned *o = arg;
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	const struct nfgenmsg *g = NLMSG_DATA(h);
	const char *table, *chain;

	if (h->nlmsg_type != ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE) ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*g)) || g->nfgen_family != NFPROTO_IPV4)
		return 0;
	nl_msg_parse(h, sizeof(*g), tb, NFTA_RULE_MAX);
	table = nl_attr_str(tb[NFTA_RULE_TABLE]);
	chain = nl_attr_str(tb[NFTA_RULE_CHAIN]);
	if (!table || strcmp(table, NFT_TABLE) != 0 || !chain || strlen(chain) >= CHAIN_NAME_MAX ||
	    !tb[NFTA_RULE_HANDLE] ||
	    (o->owner && !udata_is_owner(tb[NFTA_RULE_USERDATA], o->owner, o->suffix)))
		return 0;
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		struct owned_rule *v = realloc(o->v, cap * sizeof(*v));
		if (!v)
			return hull_err_sys(o->err, ENOMEM, "nftables: list rules of owner %s",
			                    o->owner ? o->owner : "(any)");
		o->v = v;
		o->cap = cap;
	}
	snprintf(o->v[o->n].chain, CHAIN_NAME_MAX, "%s", chain);
	o->v[o->n].handle = nl_attr_be64(tb[NFTA_RULE_HANDLE]);
	o->n++;
	return 0;
}

/* The handles of owner's rules; a missing table has none. */
static int owned_list(struct nl_sock *s, struct owned *o, struct hull_error *err)
{
	unsigned char buf[256] __attribute__((aligned(4)));
	struct nlbuf b;
	int r;

	o->n = 0;
	nlbuf_init(&b, buf, sizeof(buf));
	nl_nft_msg_begin(&b, NFT_MSG_GETRULE, NFPROTO_IPV4, NLM_F_DUMP);
	nl_put_str(&b, NFTA_RULE_TABLE, NFT_TABLE);
	nl_msg_end(&b);
	r = nl_transact(s, &b, owned_cb, o, err, "list rules of table ip " NFT_TABLE);
	if (r == -ENOENT) {
		hull_err_clear(err);
		o->n = 0;
		return 0;
	}
	return r;
}

static int owned_delete(struct nl_sock *s, const struct owned *o, struct hull_error *err)
{
	size_t cap = 64 + o->n * NFT_DEL_MSG;
	_cleanup_free_ unsigned char *buf = malloc(cap);
	struct nlbuf b;

	if (!buf)
		return hull_err_sys(err, ENOMEM, "nftables: delete rules of owner %s", o->owner);
	nlbuf_init(&b, buf, cap);
	nl_batch_begin(&b);
	for (size_t i = 0; i < o->n; i++) {
		nl_nft_msg_begin(&b, NFT_MSG_DELRULE, NFPROTO_IPV4, NLM_F_ACK);
		nl_put_str(&b, NFTA_RULE_TABLE, NFT_TABLE);
		nl_put_str(&b, NFTA_RULE_CHAIN, o->v[i].chain);
		nl_put_be64(&b, NFTA_RULE_HANDLE, o->v[i].handle);
		nl_msg_end(&b);
	}
	nl_batch_end(&b);
	int r = nl_transact(s, &b, NULL, NULL, err, NULL);
	/* Message i + 1 deletes rule i (message 0 is the batch begin). */
	if (r < 0 && s->err_index >= 1 && (size_t)s->err_index <= o->n)
		hull_err_prefix(err, "rule handle %llu in chain %s",
		                (unsigned long long)o->v[s->err_index - 1].handle,
		                o->v[s->err_index - 1].chain);
	if (r < 0)
		hull_err_prefix(err, "delete %zu rules of owner %s from table ip %s", o->n,
		                o->owner, NFT_TABLE);
	return r;
}

static int remove_owned(const char *owner, bool suffix, struct hull_error *err)
{
	struct owned o = {.owner = owner, .suffix = suffix, .err = err};
	struct nl_sock s;
	int r;

	if ((r = check_owner(owner, err)) < 0)
		return r;
	if ((r = nl_open(&s, NETLINK_NETFILTER, err)) < 0)
		return r;
	for (int tries = 1;; tries++) {
		r = owned_list(&s, &o, err);
		if (r == 0 && o.n)
			r = owned_delete(&s, &o, err);
		if (r == 0)
			r = (int)o.n;
		/* A rule (or the table) deleted by someone else in between, or a
		 * dump cut by a change: look again. */
		if ((r != -ENOENT && r != -EAGAIN) || tries == REMOVE_TRIES)
			break;
	}
	if (r >= 0)
		hull_err_clear(err);
	free(o.v);
	nl_close(&s);
	return r;
}

int nft_remove_owner(const char *owner, struct hull_error *err)
{
	return remove_owned(owner, false, err);
}

int nft_remove_owner_suffix(const char *suffix, struct hull_error *err)
{
	return remove_owned(suffix, true, err);
}

int nft_owner_count(const char *owner, struct hull_error *err)
{
	struct owned o = {.owner = owner, .err = err};
	struct nl_sock s;
	int r;

	if ((owner && (r = check_owner(owner, err)) < 0) ||
	    (r = nl_open(&s, NETLINK_NETFILTER, err)) < 0)
		return r;
	r = owned_list(&s, &o, err);
	free(o.v);
	nl_close(&s);
	return r < 0 ? r : (int)o.n;
}

/* Delete hull's table. if_empty: in one batch of non-recursive deletes of its
 * chains and itself, which the kernel refuses as a whole (EBUSY) while any
 * chain has a rule, so no rule added meanwhile can be lost. 1 when deleted
 * or absent, 0 when still in use. */
static int delete_table(bool if_empty, struct hull_error *err)
{
	static const char *const chains[] = {CH_PRE, CH_OUT, CH_POST, CH_FWD, CH_IN};
	uint16_t flags = NLM_F_ACK | (if_empty ? NLM_F_NONREC : 0);
	unsigned char buf[1024] __attribute__((aligned(4)));
	struct nl_sock s;
	struct nlbuf b;
	int r;

	nlbuf_init(&b, buf, sizeof(buf));
	nl_batch_begin(&b);
	for (size_t i = 0; if_empty && i < sizeof(chains) / sizeof(chains[0]); i++) {
		nl_nft_msg_begin(&b, NFT_MSG_DELCHAIN, NFPROTO_IPV4, flags);
		nl_put_str(&b, NFTA_CHAIN_TABLE, NFT_TABLE);
		nl_put_str(&b, NFTA_CHAIN_NAME, chains[i]);
		nl_msg_end(&b);
	}
	nl_nft_msg_begin(&b, NFT_MSG_DELTABLE, NFPROTO_IPV4, flags);
	nl_put_str(&b, NFTA_TABLE_NAME, NFT_TABLE);
	nl_msg_end(&b);
	nl_batch_end(&b);
	if ((r = nl_open(&s, NETLINK_NETFILTER, err)) < 0)
		return r;
	r = nl_transact(&s, &b, NULL, NULL, err, "delete nftables table ip " NFT_TABLE);
	nl_close(&s);
	if (r == -ENOENT || (if_empty && r == -EBUSY)) {
		hull_err_clear(err);
		return r == -EBUSY ? 0 : 1;
	}
	return r < 0 ? r : 1;
}

int nft_remove_table_if_empty(struct hull_error *err)
{
	return delete_table(true, err);
}

int nft_remove_table(struct hull_error *err)
{
	int r = delete_table(false, err);
	return r < 0 ? r : 0;
}
