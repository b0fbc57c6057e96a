/* SPDX-License-Identifier: Apache-2.0 */
#include "sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

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

int sync_recv(int fd, struct sync_msg *m)
{
	ssize_t n;

	memset(m, 0, sizeof(*m));
	do
		n = recv(fd, m, sizeof(*m), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return 0;
	if ((size_t)n < offsetof(struct sync_msg, msg))
		return -EPROTO;
	m->msg[sizeof(m->msg) - 1] = '\0';
	return 1;
}
