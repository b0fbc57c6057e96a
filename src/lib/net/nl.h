/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * A small netlink core, written in-house because hull is static and Debian
 * ships libmnl/libnftables only as shared objects.
 *
 * Messages are built into a caller buffer (struct nlbuf). Appending never
 * fails on the spot: running out of room marks the buffer as overflowed, and
 * nl_transact() refuses to send it (EMSGSIZE), so builders need not check
 * every attribute. One buffer may hold several messages (an nf_tables batch,
 * or rtnetlink requests sent in one go); nl_transact() waits for the answer
 * to each of them.
 */
#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct nlbuf {
	unsigned char *buf;
	size_t cap;
	size_t len;
	size_t cur; /* offset of the message being built */
	bool overflow;
};

struct nl_sock {
	int fd;
	int proto;      /* NETLINK_ROUTE, NETLINK_NETFILTER */
	uint32_t seq;   /* next sequence number */
	long err_index; /* after nl_transact failed: the message (0-based, in the
	                 * buffer, batch delimiters counted) the kernel refused;
	                 * -1 if none was */
};

/* --- building --------------------------------------------------------- */

/* buf must be 4-byte aligned (NLMSG_ALIGNTO). */
void nlbuf_init(struct nlbuf *b, void *buf, size_t cap);

/* Start a message at the end of the buffer. The sequence number is set when
 * the message is sent (nl_transact numbers every message). */
void nl_msg_begin(struct nlbuf *b, uint16_t type, uint16_t flags);
/* Append the family header (ifinfomsg, rtmsg, nfgenmsg, ...), padded; call
 * right after nl_msg_begin. */
void nl_put_extra(struct nlbuf *b, const void *data, size_t len);
/* Close the message begun last: sets its nlmsg_len. */
void nl_msg_end(struct nlbuf *b);

void nl_put_attr(struct nlbuf *b, uint16_t type, const void *data, size_t len);
void nl_put_u8(struct nlbuf *b, uint16_t type, uint8_t v);
void nl_put_u16(struct nlbuf *b, uint16_t type, uint16_t v);
void nl_put_u32(struct nlbuf *b, uint16_t type, uint32_t v);
void nl_put_be16(struct nlbuf *b, uint16_t type, uint16_t host_v);
void nl_put_be32(struct nlbuf *b, uint16_t type, uint32_t host_v);
void nl_put_be64(struct nlbuf *b, uint16_t type, uint64_t host_v);
/* The string with its terminating NUL (what the kernel's NLA_STRING and
 * NLA_NUL_STRING policies both accept). */
void nl_put_str(struct nlbuf *b, uint16_t type, const char *s);

/* Nested attributes: begin returns an offset (not a pointer: nothing moves,
 * but an offset stays valid for a caller that copies the nlbuf). end fixes
 * the length. NLA_F_NESTED is set, as strict kernel policies want. */
size_t nl_nest_begin(struct nlbuf *b, uint16_t type);
void nl_nest_end(struct nlbuf *b, size_t nest);

/* nf_tables: begin a message with struct nfgenmsg (family, NFNETLINK_V0,
 * res_id 0); msg is NFT_MSG_*, the subsystem is added here. End it with
 * nl_msg_end. */
void nl_nft_msg_begin(struct nlbuf *b, uint16_t msg, uint8_t family, uint16_t flags);
/* Batch delimiters: NFNL_MSG_BATCH_BEGIN/END with res_id NFNL_SUBSYS_NFTABLES. */
void nl_batch_begin(struct nlbuf *b);
void nl_batch_end(struct nlbuf *b);

/* --- parsing ---------------------------------------------------------- */

/* Walk the attributes in [data, data+len): for (a = first; a; a = next). */
const struct nlattr *nl_attr_first(const void *data, size_t len);
const struct nlattr *nl_attr_next(const struct nlattr *a, const void *data, size_t len);
static inline uint16_t nl_attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}
static inline const void *nl_attr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}
static inline size_t nl_attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}
/* Fill tb[type] (type <= max) with the attributes found; later ones win.
 * tb must have max + 1 entries. */
void nl_attr_parse(const void *data, size_t len, const struct nlattr **tb, uint16_t max);
/* The attributes of a message after its family header of hdrlen bytes. */
void nl_msg_parse(const struct nlmsghdr *h, size_t hdrlen, const struct nlattr **tb, uint16_t max);
/* A string attribute, if it is NUL-terminated within its length; else NULL. */
const char *nl_attr_str(const struct nlattr *a);
uint32_t nl_attr_u32(const struct nlattr *a);  /* host order, 0 if short */
uint32_t nl_attr_be32(const struct nlattr *a); /* converted to host order */
uint64_t nl_attr_be64(const struct nlattr *a); /* converted to host order */

struct nl_ack {
	int error;       /* 0 (an ACK) or a negative errno */
	const char *msg; /* NLMSGERR_ATTR_MSG, NULL if absent */
	uint32_t offset; /* NLMSGERR_ATTR_OFFS, valid if has_offset */
	bool has_offset;
	uint32_t seq; /* of the request this answers */
};

/* Decode an NLMSG_ERROR message (ACK or error, capped or not, with or
 * without extended-ack TLVs). -EBADMSG if it is malformed. */
int nl_parse_ack(const struct nlmsghdr *h, size_t len, struct nl_ack *ack);

/* --- talking ---------------------------------------------------------- */

/* A netlink socket (SOCK_CLOEXEC) with extended and capped ACKs. */
int nl_open(struct nl_sock *s, int proto, struct hull_error *err);
/* The same, created inside the network namespace netns_fd: a netlink socket
 * stays bound to the namespace it was created in. The calling thread joins
 * the namespace for the socket() call only and always goes back; failing to
 * go back is reported (and is a serious error: the thread is stranded). */
int nl_open_in_netns(struct nl_sock *s, int proto, int netns_fd, struct hull_error *err);
void nl_close(struct nl_sock *s);

/* "net:[INODE]" for a network namespace fd, as /proc/PID/ns/net reads, to
 * name the namespace in errors ("fd N" if it cannot be stat'ed). */
#define NL_NETNS_NAME_MAX 48
const char *nl_netns_name(int fd, char buf[NL_NETNS_NAME_MAX]);

/* Called for every message that is not an ACK/error/DONE: replies to a GET
 * and the parts of a dump. A negative return stops the callbacks (the rest of
 * the answer is still read, to keep the socket in step) and is returned as
 * is: the callback fills the caller's hull_error itself (through arg). */
typedef int (*nl_msg_cb)(const struct nlmsghdr *h, void *arg);

/*
 * Number and send every message in b, then read until each one is answered:
 * an NLMSG_ERROR for those with NLM_F_ACK, NLMSG_DONE (or an error) for
 * dumps. Returns 0, or the first error (-errno) with err set to
 * "<what>: <kernel extended-ack text>: <strerror>" and s->err_index saying
 * which message it was. what_fmt may be NULL: the text then starts with the
 * kernel's words, for callers that prefix which step failed (see err_index).
 * A dump that the kernel marks interrupted (NLM_F_DUMP_INTR) returns -EAGAIN.
 * Batches: the batch begin/end messages carry no NLM_F_ACK, so only the
 * messages inside are counted; a commit error comes back under the batch
 * begin's sequence number and ends the wait.
 */
int nl_transact(struct nl_sock *s, struct nlbuf *b, nl_msg_cb cb, void *arg, struct hull_error *err,
                const char *what_fmt, ...) __attribute__((format(printf, 6, 7)));
