/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal seccomp agent for the integration tests:
 *   seccompagent SOCKET STATE_FILE ERRNO
 * listens on SOCKET (AF_UNIX, SOCK_STREAM), takes one connection carrying the
 * container process state (JSON) and the listener fd (SCM_RIGHTS), writes the
 * JSON and the number of fds received to STATE_FILE, then answers every
 * notification with -ERRNO and appends "nr=N" to STATE_FILE.log, until no
 * process uses the filter any more (POLLHUP).
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "seccompagent: %s: %s\n", what, strerror(errno));
	return 1;
}

static int take_listener(int conn, const char *state_file)
{
	char buf[65536];
	union {
		char c[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf) - 1};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.c, .msg_controllen = sizeof(u.c)};
	ssize_t n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
	int fd = -1, nfds = 0;

	if (n < 0)
		return -1;
	buf[n] = '\0';
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_type == SCM_RIGHTS) {
			nfds = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
		}
	/* the runtime closes the connection after one state */
	char extra;
	ssize_t more = recv(conn, &extra, 1, 0);
	FILE *f = fopen(state_file, "w");
	if (!f)
		return -1;
	fprintf(f, "%s\nfds=%d\nclosed=%s\n", buf, nfds, more == 0 ? "yes" : "no");
	fclose(f);
	return fd;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: seccompagent SOCKET STATE_FILE ERRNO\n");
		return 2;
	}
	int err_no = atoi(argv[3]);
	char log_path[4096];
	snprintf(log_path, sizeof(log_path), "%s.log", argv[2]);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[1]);
	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 1) < 0)
		return die("listen");
	int conn = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		return die("accept");
	int fd = take_listener(conn, argv[2]);
	close(conn);
	if (fd < 0)
		return die("receive the listener");
	struct seccomp_notif_sizes sz;
	if (syscall(__NR_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
		return die("SECCOMP_GET_NOTIF_SIZES");
	struct seccomp_notif *req =
	    calloc(1, sz.seccomp_notif > sizeof(*req) ? sz.seccomp_notif : sizeof(*req));
	struct seccomp_notif_resp *resp = calloc(
	    1, sz.seccomp_notif_resp > sizeof(*resp) ? sz.seccomp_notif_resp : sizeof(*resp));
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return die("poll");
		if (p.revents & POLLIN) {
			memset(req, 0, sz.seccomp_notif);
			if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
				if (errno == EINTR || errno == ENOENT)
					continue;
				return die("NOTIF_RECV");
			}
			FILE *f = fopen(log_path, "a");
			if (f) {
				fprintf(f, "nr=%d\n", req->data.nr);
				fclose(f);
			}
			memset(resp, 0, sz.seccomp_notif_resp);
			resp->id = req->id;
			resp->error = -err_no;
			if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
				return die("NOTIF_SEND");
		} else if (p.revents & (POLLHUP | POLLERR)) {
			return 0;
		}
	}
}
