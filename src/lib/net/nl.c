/* SPDX-License-Identifier: Apache-2.0 */
#include "nl.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter/nfnetlink.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "util/cleanup.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Big enough for any reply hull asks for: the kernel sizes dump messages by
 * the buffer we read with, capped at 32 KiB. */
#define NL_RECV_BUF 32768
/* Seconds to wait for the kernel's answer to a request (see nl_configure). */
#define NL_RECV_TIMEOUT_S 10

/* --- building --------------------------------------------------------- */

void nlbuf_init(struct nlbuf *b, void *buf, size_t cap)
{
	b->buf = buf;
	b->cap = cap;
	b->len = 0;
	b->cur = 0;
	b->overflow = false;
}

/* Reserve len bytes (zeroed, padded to 4) at the end; NULL on overflow. */
static void *nl_reserve(struct nlbuf *b, size_t len)
{
	size_t alen = NLMSG_ALIGN(len);
	void *p;

	if (b->overflow || alen > b->cap - b->len) {
		b->overflow = true;
		return NULL;
	}
	p = b->buf + b->len;
	memset(p, 0, alen);
	b->len += alen;
	return p;
}

void nl_msg_begin(struct nlbuf *b, uint16_t type, uint16_t flags)
{
	size_t at = b->len;
	struct nlmsghdr *h = nl_reserve(b, NLMSG_HDRLEN);

	if (!h)
		return;
	b->cur = at;
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
}

void nl_put_extra(struct nlbuf *b, const void *data, size_t len)
{
	void *p = nl_reserve(b, len);

	if (p)
		memcpy(p, data, len);
}

void nl_msg_end(struct nlbuf *b)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(b->buf + b->cur);

	if (!b->overflow)
		h->nlmsg_len = (uint32_t)(b->len - b->cur);
}

void nl_put_attr(struct nlbuf *b, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a;

	if (NLA_HDRLEN + len > UINT16_MAX) {
		b->overflow = true;
		return;
	}
	a = nl_reserve(b, NLA_HDRLEN + len);
	if (!a)
		return;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
}

void nl_put_u8(struct nlbuf *b, uint16_t type, uint8_t v)
{
	nl_put_attr(b, type, &v, sizeof(v));
}

void nl_put_u16(struct nlbuf *b, uint16_t type, uint16_t v)
{
	nl_put_attr(b, type, &v, sizeof(v));
}

void nl_put_u32(struct nlbuf *b, uint16_t type, uint32_t v)
{
	nl_put_attr(b, type, &v, sizeof(v));
}

void nl_put_be16(struct nlbuf *b, uint16_t type, uint16_t host_v)
{
	uint16_t v = htobe16(host_v);
	nl_put_attr(b, type, &v, sizeof(v));
}

void nl_put_be32(struct nlbuf *b, uint16_t type, uint32_t host_v)
{
	uint32_t v = htobe32(host_v);
	nl_put_attr(b, type, &v, sizeof(v));
}

void nl_put_be64(struct nlbuf *b, uint16_t type, uint64_t host_v)
{
	uint64_t v = htobe64(host_v);
	nl_put_attr(b, type, &v, sizeof(v));
}

void nl_put_str(struct nlbuf *b, uint16_t type, const char *s)
{
	nl_put_attr(b, type, s, strlen(s) + 1);
}

size_t nl_nest_begin(struct nlbuf *b, uint16_t type)
{
	size_t at = b->len;

	nl_put_attr(b, type | NLA_F_NESTED, NULL, 0);
	return at;
}

void nl_nest_end(struct nlbuf *b, size_t nest)
{
	struct nlattr *a = (struct nlattr *)(b->buf + nest);

	if (b->overflow)
		return;
	if (b->len - nest > UINT16_MAX) {
		b->overflow = true;
		return;
	}
	a->nla_len = (uint16_t)(b->len - nest);
}

void nl_nft_msg_begin(struct nlbuf *b, uint16_t msg, uint8_t family, uint16_t flags)
{
	struct nfgenmsg g = {.nfgen_family = family, .version = NFNETLINK_V0};

	nl_msg_begin(b, (uint16_t)((NFNL_SUBSYS_NFTABLES << 8) | msg), flags);
	nl_put_extra(b, &g, sizeof(g));
}

static void nl_batch_msg(struct nlbuf *b, uint16_t type)
{
	struct nfgenmsg g = {.nfgen_family = AF_UNSPEC,
	                     .version = NFNETLINK_V0,
	                     .res_id = htobe16(NFNL_SUBSYS_NFTABLES)};

	nl_msg_begin(b, type, 0);
	nl_put_extra(b, &g, sizeof(g));
	nl_msg_end(b);
}

void nl_batch_begin(struct nlbuf *b)
{
	nl_batch_msg(b, NFNL_MSG_BATCH_BEGIN);
}

void nl_batch_end(struct nlbuf *b)
{
	nl_batch_msg(b, NFNL_MSG_BATCH_END);
}

/* --- parsing ---------------------------------------------------------- */

static const struct nlattr *nl_attr_at(const void *data, size_t len, size_t off)
{
	const struct nlattr *a = (const struct nlattr *)((const char *)data + off);

	if (off + NLA_HDRLEN > len || a->nla_len < NLA_HDRLEN || a->nla_len > len - off)
		return NULL;
	return a;
}

const struct nlattr *nl_attr_first(const void *data, size_t len)
{
	return nl_attr_at(data, len, 0);
}

const struct nlattr *nl_attr_next(const struct nlattr *a, const void *data, size_t len)
{
	size_t off = (size_t)((const char *)a - (const char *)data) + NLA_ALIGN(a->nla_len);

	return nl_attr_at(data, len, off);
}

void nl_attr_parse(const void *data, size_t len, const struct nlattr **tb, uint16_t max)
{
	memset(tb, 0, sizeof(*tb) * ((size_t)max + 1));
	for (const struct nlattr *a = nl_attr_first(data, len); a; a = nl_attr_next(a, data, len))
		if (nl_attr_type(a) <= max)
			tb[nl_attr_type(a)] = a;
}

void nl_msg_parse(const struct nlmsghdr *h, size_t hdrlen, const struct nlattr **tb, uint16_t max)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen);

	if (h->nlmsg_len < off) {
		memset(tb, 0, sizeof(*tb) * ((size_t)max + 1));
		return;
	}
	nl_attr_parse((const char *)h + off, h->nlmsg_len - off, tb, max);
}

const char *nl_attr_str(const struct nlattr *a)
{
	const char *s;
	size_t n;

	if (!a)
		return NULL;
	s = nl_attr_data(a);
	n = nl_attr_len(a);
	return n && s[n - 1] == '\0' ? s : NULL;
}

uint32_t nl_attr_u32(const struct nlattr *a)
{
	uint32_t v = 0;

	if (a && nl_attr_len(a) >= sizeof(v))
		memcpy(&v, nl_attr_data(a), sizeof(v));
	return v;
}

uint32_t nl_attr_be32(const struct nlattr *a)
{
	return be32toh(nl_attr_u32(a));
}

uint64_t nl_attr_be64(const struct nlattr *a)
{
	uint64_t v = 0;

	if (a && nl_attr_len(a) >= sizeof(v))
		memcpy(&v, nl_attr_data(a), sizeof(v));
	return be64toh(v);
}

int nl_parse_ack(const struct nlmsghdr *h, size_t len, struct nl_ack *ack)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	memset(ack, 0, sizeof(*ack));
	if (len < off || h->nlmsg_len < off || h->nlmsg_len > len || h->nlmsg_type != NLMSG_ERROR)
		return -EBADMSG;
	ack->error = e->error;
	ack->seq = h->nlmsg_seq;
	if (ack->error > 0 || ack->error < -4095)
		return -EBADMSG;
	/* The request is echoed after nlmsgerr unless the kernel capped it. */
	if (!(h->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return -EBADMSG;
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	}
	if (off > h->nlmsg_len)
		return -EBADMSG;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;

	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	nl_attr_parse((const char *)h + off, h->nlmsg_len - off, tb, NLMSGERR_ATTR_MAX);
	if (tb[NLMSGERR_ATTR_MSG])
		ack->msg = nl_attr_str(tb[NLMSGERR_ATTR_MSG]);
	if (tb[NLMSGERR_ATTR_OFFS] && nl_attr_len(tb[NLMSGERR_ATTR_OFFS]) >= 4) {
		ack->offset = nl_attr_u32(tb[NLMSGERR_ATTR_OFFS]);
		ack->has_offset = true;
	}
	return 0;
}

/* --- talking ---------------------------------------------------------- */

static int nl_configure(int fd)
{
	/* The kernel answers within the sendto() for every request hull makes;
	 * a reply that has not come after this long never will (a bug, or a
	 * message lost to ENOBUFS), and waiting forever would hang create. */
	const struct timeval timeout = {.tv_sec = NL_RECV_TIMEOUT_S};
	int one = 1;

	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));

	/* Extended ACKs carry the kernel's reason in words; capped ACKs spare us
	 * the echo of a (possibly large) request in every error. Both are
	 * optional: an old kernel just says less. */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

static const char *nl_proto_name(int proto)
{
	return proto == NETLINK_ROUTE       ? "rtnetlink"
	       : proto == NETLINK_NETFILTER ? "nfnetlink"
	                                    : "netlink";
}

int nl_open(struct nl_sock *s, int proto, struct hull_error *err)
{
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (s->fd < 0)
		return hull_err_sys(err, errno, "open %s socket", nl_proto_name(proto));
	s->proto = proto;
	s->seq = 1;
	s->err_index = -1;
	return nl_configure(s->fd);
}

const char *nl_netns_name(int fd, char buf[NL_NETNS_NAME_MAX])
{
	struct stat st;

	if (fstat(fd, &st) == 0)
		snprintf(buf, NL_NETNS_NAME_MAX, "net:[%llu]", (unsigned long long)st.st_ino);
	else
		snprintf(buf, NL_NETNS_NAME_MAX, "fd %d", fd);
	return buf;
}

int nl_open_in_netns(struct nl_sock *s, int proto, int netns_fd, struct hull_error *err)
{
	/* thread-self: setns moves only this thread, so save this thread's. */
	_cleanup_close_ int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	char ns[NL_NETNS_NAME_MAX];
	int fd, e;

	s->fd = -1;
	if (self < 0)
		return hull_err_sys(err, errno, "open /proc/thread-self/ns/net");
	if (setns(netns_fd, CLONE_NEWNET) < 0)
		return hull_err_sys(err, errno, "join network namespace %s",
		                    nl_netns_name(netns_fd, ns));
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	e = errno;
	if (setns(self, CLONE_NEWNET) < 0) {
		int e2 = errno;
		if (fd >= 0)
			close(fd);
		return hull_err_sys(err, e2,
		                    "return to the original network namespace after joining %s "
		                    "(this thread is left in the other one)",
		                    nl_netns_name(netns_fd, ns));
	}
	if (fd < 0)
		return hull_err_sys(err, e, "open %s socket in network namespace %s",
		                    nl_proto_name(proto), nl_netns_name(netns_fd, ns));
	s->fd = fd;
	s->proto = proto;
	s->seq = 1;
	s->err_index = -1;
	return nl_configure(fd);
}

void nl_close(struct nl_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

enum { WANT_ACK = 1, WANT_DONE = 2 };

struct nl_wait {
	uint32_t first_seq;
	size_t n;         /* messages sent */
	uint8_t *want;    /* per message: WANT_* still outstanding */
	size_t pending;   /* messages with something outstanding */
	int error;        /* first kernel error */
	size_t error_idx; /* which message it answered */
	char ext[256];    /* its extended-ack text */
	int cb_error;     /* first callback error */
	bool interrupted; /* a dump said NLM_F_DUMP_INTR */
	bool stop;        /* an error nobody waits for: the kernel is done */
};

/* Number the messages and note what each one waits for. */
static int nl_number(struct nl_sock *s, struct nlbuf *b, struct nl_wait *w)
{
	size_t off = 0, i = 0;

	for (off = 0; off < b->len; i++) {
		struct nlmsghdr *h = (struct nlmsghdr *)(b->buf + off);
		/* A message never ended (nl_msg_end) has no length. */
		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > b->len - off)
			return -EINVAL;
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	w->n = i;
	w->want = calloc(i ? i : 1, 1);
	if (!w->want)
		return -ENOMEM;
	w->first_seq = s->seq;
	for (off = 0, i = 0; off < b->len; i++) {
		struct nlmsghdr *h = (struct nlmsghdr *)(b->buf + off);
		h->nlmsg_seq = s->seq++;
		if ((h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
			w->want[i] = WANT_DONE;
		else if (h->nlmsg_flags & NLM_F_ACK)
			w->want[i] = WANT_ACK;
		if (w->want[i])
			w->pending++;
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	return 0;
}

static void nl_settle(struct nl_wait *w, size_t idx)
{
	if (w->want[idx]) {
		w->want[idx] = 0;
		w->pending--;
	}
}

static void nl_note_error(struct nl_wait *w, size_t idx, int error, const char *ext)
{
	if (w->error)
		return;
	w->error = error;
	w->error_idx = idx;
	snprintf(w->ext, sizeof(w->ext), "%s", ext ? ext : "");
}

static void nl_handle(struct nl_wait *w, const struct nlmsghdr *h, size_t len, nl_msg_cb cb,
                      void *arg)
{
	size_t idx = h->nlmsg_seq - w->first_seq;

	/* Only answers to this request count; anything else is left over from
	 * an earlier, abandoned exchange. */
	if (h->nlmsg_seq < w->first_seq || idx >= w->n)
		return;
	if (h->nlmsg_type == NLMSG_ERROR) {
		struct nl_ack ack;
		if (nl_parse_ack(h, len, &ack) < 0) {
			nl_note_error(w, idx, -EBADMSG, "malformed error message");
			w->stop = true;
			return;
		}
		if (ack.error)
			nl_note_error(w, idx, ack.error, ack.msg);
		if (!w->want[idx] && ack.error)
			w->stop = true; /* e.g. a batch that failed as a whole */
		nl_settle(w, idx);
		return;
	}
	/* Also on NLMSG_DONE: a dump whose last part carries no data says it
	 * there only. */
	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		w->interrupted = true;
	if (h->nlmsg_type == NLMSG_DONE) {
		int e = 0;
		if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
			memcpy(&e, NLMSG_DATA(h), sizeof(e));
		if (e < 0)
			nl_note_error(w, idx, e, NULL);
		nl_settle(w, idx);
		return;
	}
	if (h->nlmsg_type < NLMSG_MIN_TYPE)
		return;
	if (cb && !w->cb_error) {
		int r = cb(h, arg);
		if (r < 0)
			w->cb_error = r;
	}
}

static int nl_send(struct nl_sock *s, struct nlbuf *b)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	ssize_t n;

	do
		n = sendto(s->fd, b->buf, b->len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == b->len ? 0 : -EMSGSIZE;
}

static int nl_receive(struct nl_sock *s, struct nl_wait *w, nl_msg_cb cb, void *arg)
{
	unsigned char buf[NL_RECV_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));

	while (w->pending && !w->stop) {
		struct sockaddr_nl from;
		socklen_t fromlen = sizeof(from);
		ssize_t n = recvfrom(s->fd, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from,
		                     &fromlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return -ETIMEDOUT;
		if (n < 0)
			return -errno;
		if ((size_t)n > sizeof(buf))
			return -EMSGSIZE;
		/* Only the kernel (port 0) speaks for the kernel; another process
		 * that learnt our port id could send us anything. */
		if (fromlen < sizeof(from) || from.nl_pid != 0)
			continue;
		size_t len = (size_t)n;
		for (const struct nlmsghdr *h = (const void *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len))
			nl_handle(w, h, len, cb, arg);
	}
	return 0;
}

int nl_transact(struct nl_sock *s, struct nlbuf *b, nl_msg_cb cb, void *arg, struct hull_error *err,
                const char *what_fmt, ...)
{
	struct nl_wait w = {0};
	char what[256];
	va_list ap;
	int r;

	/* Without a description the message starts with the kernel's words
	 * (or the protocol's name), for a caller that prefixes its own. */
	snprintf(what, sizeof(what), "%s", nl_proto_name(s->proto));
	if (what_fmt) {
		va_start(ap, what_fmt);
		vsnprintf(what, sizeof(what), what_fmt, ap);
		va_end(ap);
	}
	s->err_index = -1;
	if (b->overflow)
		return hull_err(err, EMSGSIZE, "%s: netlink request does not fit in %zu bytes",
		                what, b->cap);
	r = nl_number(s, b, &w);
	if (r == -EINVAL)
		return hull_err(err, EINVAL, "%s: malformed netlink request (a message not ended)",
		                what);
	if (r < 0)
		return hull_err_sys(err, -r, "%s", what);
	_cleanup_free_ uint8_t *want = w.want;
	r = nl_send(s, b);
	if (r < 0)
		return hull_err_sys(err, -r, "%s: send %s request", what, nl_proto_name(s->proto));
	r = nl_receive(s, &w, cb, arg);
	if (r < 0)
		return hull_err_sys(err, -r, "%s: receive %s answer", what,
		                    nl_proto_name(s->proto));
	if (w.error) {
		s->err_index = (long)w.error_idx;
		if (!w.ext[0] && !what_fmt)
			return hull_err(err, -w.error, "%s", strerror(-w.error));
		if (!w.ext[0])
			return hull_err_sys(err, -w.error, "%s", what);
		if (!what_fmt)
			return hull_err_sys(err, -w.error, "%s", w.ext);
		return hull_err_sys(err, -w.error, "%s: %s", what, w.ext);
	}
	if (w.cb_error)
		return w.cb_error;
	if (w.interrupted)
		return hull_err(err, EAGAIN, "%s: the dump was interrupted by a change", what);
	return 0;
}
