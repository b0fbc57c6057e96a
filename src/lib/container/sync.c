/* SPDX-License-Identifier: Apache-2.0 */
#include "sync.h"

#include "util/sys.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int sync_send(int fd, enum sync_type type, int32_t pid)
{
	struct sync_msg m = {.type = type, .pid = pid};

	/* Only the header: the message text is sent for errors alone. */
	if (send(fd, &m, offsetof(struct sync_msg, msg), MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

int sync_send_error(int fd, const struct hull_error *e)
{
	struct sync_msg m = {.type = SYNC_ERROR, .code = e->code};
	size_t n = strnlen(e->msg, sizeof(m.msg) - 1);

	memcpy(m.msg, e->msg, n);
	m.msg[n] = '\0';
	if (send(fd, &m, offsetof(struct sync_msg, msg) + n + 1, MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

int sync_send_fd(int fd, enum sync_type type, int pass)
{
	struct sync_msg m = {.type = type};

	return send_fd(fd, &m, offsetof(struct sync_msg, msg), pass);
}

int sync_recv_fd(int fd, struct sync_msg *m, int *ret_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = m, .iov_len = sizeof(*m)};
	struct msghdr mh = {.msg_iov = &iov,
	                    .msg_iovlen = 1,
	                    .msg_control = u.buf,
	                    .msg_controllen = sizeof(u.buf)};
	ssize_t n;

	*ret_fd = -1;
	memset(m, 0, sizeof(*m));
	do
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(ret_fd, CMSG_DATA(cm), sizeof(int));
	if (n == 0)
		return 0;
	if ((size_t)n < offsetof(struct sync_msg, msg)) {
		if (*ret_fd >= 0)
			close(*ret_fd);
		*ret_fd = -1;
		return -EPROTO;
	}
	m->msg[sizeof(m->msg) - 1] = '\0';
	return 1;
}

int sync_recv(int fd, struct sync_msg *m)
{
	int passed, r = sync_recv_fd(fd, m, &passed);

	if (passed >= 0)
		close(passed); /* not expected here */
	return r;
}
