/* SPDX-License-Identifier: Apache-2.0 */
/* The netlink message builder and parser: layout, alignment, nesting, batches,
 * overflow, and NLMSG_ERROR with extended-ack TLVs. No sockets, no root. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <string.h>

#include "net/attach.h"
#include "net/nft.h"
#include "net/nl.h"
#include "tap.h"

static unsigned char buf[4096] __attribute__((aligned(4)));

static const struct nlattr *attr_at(size_t off)
{
	return (const struct nlattr *)(buf + off);
}

static void test_header_and_extra(void)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = 7};
	struct nlbuf b;

	nlbuf_init(&b, buf, sizeof(buf));
	nl_msg_begin(&b, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE);
	nl_put_extra(&b, &ifi, sizeof(ifi));
	nl_msg_end(&b);

	const struct nlmsghdr *h = (const void *)buf;
	CHECK(!b.overflow);
	CHECK_INT(b.len, NLMSG_HDRLEN + sizeof(ifi));
	CHECK_INT(h->nlmsg_len, b.len);
	CHECK_INT(h->nlmsg_type, RTM_NEWLINK);
	CHECK_INT(h->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE);
	CHECK_INT(((const struct ifinfomsg *)NLMSG_DATA(h))->ifi_index, 7);
}

static void test_attribute_alignment(void)
{
	struct nlbuf b;

	nlbuf_init(&b, buf, sizeof(buf));
	memset(buf, 0xaa, sizeof(buf)); /* padding must be written as zeros */
	nl_msg_begin(&b, RTM_NEWLINK, 0);
	nl_put_str(&b, IFLA_IFNAME, "eth0"); /* 4 + 5 = 9 -> 12 */
	nl_put_u8(&b, 100, 0x12);            /* 5 -> 8 */
	nl_put_u16(&b, 101, 0x3456);         /* 6 -> 8 */
	nl_put_u32(&b, 102, 0x789abcde);     /* 8 */
	nl_put_be16(&b, 103, 8080);
	nl_put_be32(&b, 104, 0x0a000001);
	nl_put_be64(&b, 105, 0x0102030405060708ull);
	nl_put_attr(&b, 106, NULL, 0); /* flag: header only */
	nl_msg_end(&b);

	size_t off = NLMSG_HDRLEN;
	CHECK_INT(attr_at(off)->nla_len, 9);
	CHECK_INT(attr_at(off)->nla_type, IFLA_IFNAME);
	CHECK_STR((const char *)buf + off + 4, "eth0");
	CHECK_INT(buf[off + 9], 0);
	CHECK_INT(buf[off + 10], 0);
	CHECK_INT(buf[off + 11], 0);
	off += 12;
	CHECK_INT(attr_at(off)->nla_len, 5);
	CHECK_INT(buf[off + 4], 0x12);
	CHECK_INT(buf[off + 5] | buf[off + 6] | buf[off + 7], 0);
	off += 8;
	CHECK_INT(attr_at(off)->nla_len, 6);
	off += 8;
	CHECK_INT(attr_at(off)->nla_len, 8);
	off += 8;
	CHECK_INT(buf[off + 4], 0x1f); /* 8080 = 0x1f90, big-endian */
	CHECK_INT(buf[off + 5], 0x90);
	off += 8;
	CHECK_INT(buf[off + 4], 10);
	CHECK_INT(buf[off + 7], 1);
	off += 8;
	CHECK_INT(attr_at(off)->nla_len, 12);
	CHECK_INT(buf[off + 4], 1);
	CHECK_INT(buf[off + 11], 8);
	off += 12;
	CHECK_INT(attr_at(off)->nla_len, 4);
	off += 4;
	CHECK_INT(b.len, off);
	CHECK_INT(((const struct nlmsghdr *)buf)->nlmsg_len, off);
	CHECK_INT(b.len % 4, 0);

	/* ... and the parser reads back what was written. */
	const struct nlattr *tb[110];
	nl_msg_parse((const void *)buf, 0, tb, 109);
	CHECK_STR(nl_attr_str(tb[IFLA_IFNAME]), "eth0");
	CHECK_INT(nl_attr_u32(tb[102]), 0x789abcde);
	CHECK_INT(nl_attr_be32(tb[104]), 0x0a000001);
	CHECK_U64(nl_attr_be64(tb[105]), 0x0102030405060708ull);
	CHECK(tb[106] && nl_attr_len(tb[106]) == 0);
	CHECK(tb[107] == NULL);
	CHECK(nl_attr_str(tb[100]) == NULL); /* not NUL-terminated */
}

static void test_nesting(void)
{
	struct nlbuf b;

	nlbuf_init(&b, buf, sizeof(buf));
	nl_msg_begin(&b, RTM_NEWLINK, 0);
	size_t outer = nl_nest_begin(&b, IFLA_LINKINFO);
	nl_put_str(&b, IFLA_INFO_KIND, "veth"); /* 4 + 5 -> 12 */
	size_t inner = nl_nest_begin(&b, IFLA_INFO_DATA);
	nl_put_u32(&b, 1, 42);
	nl_nest_end(&b, inner);
	nl_nest_end(&b, outer);
	nl_put_u32(&b, IFLA_MTU, 1400);
	nl_msg_end(&b);

	CHECK(!b.overflow);
	CHECK_INT(outer, NLMSG_HDRLEN);
	CHECK_INT(attr_at(outer)->nla_type, IFLA_LINKINFO | NLA_F_NESTED);
	CHECK_INT(attr_at(outer)->nla_len, 4 + 12 + 4 + 8);
	CHECK_INT(inner, outer + 4 + 12);
	CHECK_INT(attr_at(inner)->nla_type, IFLA_INFO_DATA | NLA_F_NESTED);
	CHECK_INT(attr_at(inner)->nla_len, 12);

	const struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1], *d[2];
	nl_msg_parse((const void *)buf, 0, tb, IFLA_MAX);
	REQUIRE(tb[IFLA_LINKINFO]);
	CHECK_INT(nl_attr_type(tb[IFLA_LINKINFO]), IFLA_LINKINFO); /* flag masked */
	CHECK_INT(nl_attr_u32(tb[IFLA_MTU]), 1400);
	nl_attr_parse(nl_attr_data(tb[IFLA_LINKINFO]), nl_attr_len(tb[IFLA_LINKINFO]), li,
	              IFLA_INFO_MAX);
	CHECK_STR(nl_attr_str(li[IFLA_INFO_KIND]), "veth");
	REQUIRE(li[IFLA_INFO_DATA]);
	nl_attr_parse(nl_attr_data(li[IFLA_INFO_DATA]), nl_attr_len(li[IFLA_INFO_DATA]), d, 1);
	CHECK_INT(nl_attr_u32(d[1]), 42);
}

static void test_nft_batch(void)
{
	struct nlbuf b;
	const struct nlmsghdr *h;
	const struct nfgenmsg *g;
	size_t off = 0;

	nlbuf_init(&b, buf, sizeof(buf));
	nl_batch_begin(&b);
	nl_nft_msg_begin(&b, NFT_MSG_NEWTABLE, NFPROTO_IPV4, NLM_F_ACK | NLM_F_CREATE);
	nl_put_str(&b, NFTA_TABLE_NAME, "hull");
	nl_msg_end(&b);
	nl_batch_end(&b);
	CHECK(!b.overflow);

	h = (const void *)(buf + off);
	g = NLMSG_DATA(h);
	CHECK_INT(h->nlmsg_type, NFNL_MSG_BATCH_BEGIN);
	CHECK_INT(h->nlmsg_flags, NLM_F_REQUEST); /* no ACK: not a request of its own */
	CHECK_INT(h->nlmsg_len, NLMSG_HDRLEN + sizeof(*g));
	CHECK_INT(ntohs(g->res_id), NFNL_SUBSYS_NFTABLES);
	CHECK_INT(g->version, NFNETLINK_V0);
	off += NLMSG_ALIGN(h->nlmsg_len);

	h = (const void *)(buf + off);
	g = NLMSG_DATA(h);
	CHECK_INT(h->nlmsg_type, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE);
	CHECK_INT(h->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE);
	CHECK_INT(g->nfgen_family, NFPROTO_IPV4);
	CHECK_INT(g->res_id, 0);
	CHECK_INT(h->nlmsg_len, NLMSG_HDRLEN + sizeof(*g) + 4 + 8);
	const struct nlattr *tb[NFTA_TABLE_MAX + 1];
	nl_msg_parse(h, sizeof(*g), tb, NFTA_TABLE_MAX);
	CHECK_STR(nl_attr_str(tb[NFTA_TABLE_NAME]), "hull");
	off += NLMSG_ALIGN(h->nlmsg_len);

	h = (const void *)(buf + off);
	CHECK_INT(h->nlmsg_type, NFNL_MSG_BATCH_END);
	off += NLMSG_ALIGN(h->nlmsg_len);
	CHECK_INT(off, b.len);
}

static void test_overflow(void)
{
	unsigned char small[40] __attribute__((aligned(4)));
	struct nlbuf b;

	nlbuf_init(&b, small, sizeof(small));
	nl_msg_begin(&b, RTM_NEWLINK, 0);
	nl_put_str(&b, IFLA_IFNAME, "0123456789abcdef0123456789"); /* 4 + 27 > 24 left */
	CHECK(b.overflow);
	size_t len = b.len;
	nl_put_u8(&b, 1, 1); /* would fit, but the buffer stays marked */
	size_t n = nl_nest_begin(&b, 2);
	nl_nest_end(&b, n);
	nl_msg_end(&b);
	CHECK(b.overflow);
	CHECK_INT(b.len, len);

	/* Exactly full is fine. */
	nlbuf_init(&b, small, sizeof(small));
	nl_msg_begin(&b, RTM_NEWLINK, 0);
	nl_put_attr(&b, 1, "0123456789abcdefghij", 20); /* 16 + 24 = 40 */
	nl_msg_end(&b);
	CHECK(!b.overflow);
	CHECK_INT(b.len, 40);
}

/* An NLMSG_ERROR as the kernel builds it. */
static size_t make_error(unsigned char *out, int error, bool capped, const char *msg, int has_offs,
                         uint32_t offs)
{
	struct nlmsghdr req = {.nlmsg_len = NLMSG_HDRLEN + 8,
	                       .nlmsg_type = RTM_NEWROUTE,
	                       .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
	                       .nlmsg_seq = 77};
	struct nlbuf b;

	nlbuf_init(&b, out, 1024);
	nl_msg_begin(&b, NLMSG_ERROR, 0);
	struct nlmsgerr e = {.error = error, .msg = req};
	nl_put_extra(&b, &e, sizeof(e));
	if (!capped) {
		static const unsigned char payload[8] = {1, 2, 3, 4, 5, 6, 7, 8};
		nl_put_extra(&b, payload, sizeof(payload));
	}
	if (msg)
		nl_put_str(&b, NLMSGERR_ATTR_MSG, msg);
	if (has_offs)
		nl_put_u32(&b, NLMSGERR_ATTR_OFFS, offs);
	nl_msg_end(&b);
	struct nlmsghdr *h = (void *)out;
	h->nlmsg_flags = (capped ? NLM_F_CAPPED : 0) | (msg || has_offs ? NLM_F_ACK_TLVS : 0);
	h->nlmsg_seq = 77;
	return b.len;
}

static void test_ack(void)
{
	unsigned char m[1024] __attribute__((aligned(4)));
	struct nl_ack ack;
	size_t len = make_error(m, 0, true, NULL, 0, 0);

	CHECK_INT(nl_parse_ack((void *)m, len, &ack), 0);
	CHECK_INT(ack.error, 0);
	CHECK(ack.msg == NULL);
	CHECK(!ack.has_offset);
	CHECK_INT(ack.seq, 77);
}

static void test_error_ext_ack_capped(void)
{
	unsigned char m[1024] __attribute__((aligned(4)));
	struct nl_ack ack;
	size_t len = make_error(m, -ENETUNREACH, true, "Nexthop has invalid gateway", 1, 36);

	CHECK_INT(nl_parse_ack((void *)m, len, &ack), 0);
	CHECK_INT(ack.error, -ENETUNREACH);
	CHECK_STR(ack.msg, "Nexthop has invalid gateway");
	CHECK(ack.has_offset);
	CHECK_INT(ack.offset, 36);
}

static void test_error_ext_ack_with_request(void)
{
	unsigned char m[1024] __attribute__((aligned(4)));
	struct nl_ack ack;
	size_t len = make_error(m, -EEXIST, false, "File exists here", 0, 0);

	/* The echoed request (8 bytes of payload) is skipped to reach the TLVs. */
	CHECK_INT(nl_parse_ack((void *)m, len, &ack), 0);
	CHECK_INT(ack.error, -EEXIST);
	CHECK_STR(ack.msg, "File exists here");
	CHECK(!ack.has_offset);
}

static void test_error_without_tlvs(void)
{
	unsigned char m[1024] __attribute__((aligned(4)));
	struct nl_ack ack;
	size_t len = make_error(m, -EPERM, false, NULL, 0, 0);

	CHECK_INT(nl_parse_ack((void *)m, len, &ack), 0);
	CHECK_INT(ack.error, -EPERM);
	CHECK(ack.msg == NULL);
}

static void test_error_malformed(void)
{
	unsigned char m[1024] __attribute__((aligned(4)));
	struct nl_ack ack;
	size_t len = make_error(m, -EINVAL, true, "x", 0, 0);
	struct nlmsghdr *h = (void *)m;

	CHECK_INT(nl_parse_ack(h, NLMSG_HDRLEN + 4, &ack), -EBADMSG); /* truncated */
	h->nlmsg_type = NLMSG_DONE;
	CHECK_INT(nl_parse_ack(h, len, &ack), -EBADMSG);
	h->nlmsg_type = NLMSG_ERROR;
	((struct nlmsgerr *)NLMSG_DATA(h))->error = 5; /* errors are negative */
	CHECK_INT(nl_parse_ack(h, len, &ack), -EBADMSG);

	/* Uncapped, claiming an echoed request longer than the message. */
	len = make_error(m, -EINVAL, false, NULL, 0, 0);
	((struct nlmsgerr *)NLMSG_DATA(h))->msg.nlmsg_len = 4000;
	CHECK_INT(nl_parse_ack(h, len, &ack), -EBADMSG);

	/* A message string without its NUL is ignored, not read past. */
	len = make_error(m, -EINVAL, true, "abc", 0, 0);
	struct nlattr *a = (void *)(m + NLMSG_HDRLEN + sizeof(struct nlmsgerr));
	a->nla_len = 4 + 3;
	CHECK_INT(nl_parse_ack(h, len, &ack), 0);
	CHECK(ack.msg == NULL);
}

static void test_attr_walk_bounds(void)
{
	unsigned char m[64] __attribute__((aligned(4))) = {0};
	struct nlattr *a = (void *)m;
	const struct nlattr *tb[4];

	/* An attribute claiming more than there is stops the walk. */
	a->nla_len = 60;
	a->nla_type = 1;
	nl_attr_parse(m, 16, tb, 3);
	CHECK(tb[1] == NULL);
	/* A zero length would loop forever if accepted. */
	a->nla_len = 0;
	nl_attr_parse(m, 16, tb, 3);
	CHECK(tb[1] == NULL);
	/* Types above max are skipped. */
	a->nla_len = 8;
	a->nla_type = 9;
	nl_attr_parse(m, 8, tb, 3);
	CHECK(!tb[0] && !tb[1] && !tb[2] && !tb[3]);
}

/* Owner tags of container rules: the id and the address while they fit, else
 * a prefix and a hash of the whole id, so long ids sharing a prefix never
 * share rules (deleting one must not remove the other's published ports). */
static void test_container_owner(void)
{
	char id[1025], a[NET_OWNER_MAX], b[NET_OWNER_MAX];
	struct in_addr ip = {.s_addr = htonl(0xfffffffe)}; /* the longest form */

	net_container_owner("web-1", (struct in_addr){.s_addr = htonl(0x0af00002)}, a);
	CHECK_STR(a, "hull:web-1@10.240.0.2");
	memset(id, 'x', 106);
	id[106] = '\0';
	net_container_owner(id, ip, a);
	CHECK_INT(strlen(a), NFT_OWNER_MAX);
	CHECK(strncmp(a, "hull:", 5) == 0 && strncmp(a + 5, id, 106) == 0);
	CHECK_STR(a + 111, "@255.255.255.254");
	memset(id, 'x', 1024);
	id[1024] = '\0';
	net_container_owner(id, ip, a);
	id[1023] = 'y';
	net_container_owner(id, ip, b);
	CHECK(strlen(a) <= NFT_OWNER_MAX && strlen(b) <= NFT_OWNER_MAX);
	CHECK(strchr(a, '~') != NULL);
	CHECK(strcmp(a, b) != 0);
	id[107] = '\0';
	net_container_owner(id, ip, b);
	CHECK(strcmp(a, b) != 0);
	CHECK_STR(strchr(b, '@'), "@255.255.255.254");
}

int main(void)
{
	RUN(test_header_and_extra);
	RUN(test_attribute_alignment);
	RUN(test_nesting);
	RUN(test_nft_batch);
	RUN(test_overflow);
	RUN(test_ack);
	RUN(test_error_ext_ack_capped);
	RUN(test_error_ext_ack_with_request);
	RUN(test_error_without_tlvs);
	RUN(test_error_malformed);
	RUN(test_attr_walk_bounds);
	RUN(test_container_owner);
	return tap_done();
}
