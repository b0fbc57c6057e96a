/* SPDX-License-Identifier: Apache-2.0 */
/*
 * recvtty: the receiving end of an OCI console socket (runc's protocol), for the tests.
 *
 *   recvtty [-o OUT] [-I INFO] [-i INPUT] [-w ROWSxCOLS] SOCKET
 *
 * Makes the unix stream socket SOCKET (an old file there is replaced) and listens; the socket
 * exists from then on, so a test can wait for it. Accepts ONE connection and receives one
 * message: the pty master as SCM_RIGHTS and a short non-empty payload. Then
 *   -I INFO      writes INFO (atomically, key=value lines): payload=..., fds=COUNT (fds in the
 *                message), ptn=N (TIOCGPTN of the fd: it is a pty master), rows=, cols=
 *   -w RxC       sets the terminal's window size first (before -I reports it)
 *   -i INPUT     writes INPUT to the terminal (as typed at its keyboard)
 * and copies all the terminal's output to OUT (appending; default stdout) until the terminal
 * hangs up (every slave end closed: EIO), then exits 0. Errors: a message, exit 1.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "recvtty: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fputs("usage: recvtty [-o OUT] [-I INFO] [-i INPUT] [-w ROWSxCOLS] SOCKET\n", stderr);
	exit(2);
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		buf += n;
		len -= (size_t)n;
	}
}

int main(int argc, char **argv)
{
	const char *out = NULL, *info = NULL, *input = NULL, *size = NULL, *path;
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	char payload[4096], cbuf[CMSG_SPACE(sizeof(int) * 16)];
	struct iovec iov = {.iov_base = payload, .iov_len = sizeof(payload) - 1};
	struct msghdr msg = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *c;
	int opt, lfd, cfd, master = -1, nfds = 0, ofd = 1;
	ssize_t n;

	while ((opt = getopt(argc, argv, "o:I:i:w:")) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case 'I':
			info = optarg;
			break;
		case 'i':
			input = optarg;
			break;
		case 'w':
			size = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	path = argv[optind];
	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		die(path);
	}
	strcpy(addr.sun_path, path);

	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		die("socket");
	unlink(path);
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		die(path);
	if (listen(lfd, 1) < 0)
		die("listen");
	cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd < 0)
		die("accept");
	close(lfd);
	do
		n = recvmsg(cfd, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		die("recvmsg");
	payload[n] = '\0';
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		nfds = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		if (nfds > 0)
			memcpy(&master, CMSG_DATA(c), sizeof(int));
	}
	close(cfd);
	if (master < 0) {
		fprintf(stderr, "recvtty: no file descriptor in the message (payload '%s')\n",
		        payload);
		return 1;
	}

	if (size) {
		struct winsize ws = {0};
		unsigned r, cols;
		if (sscanf(size, "%ux%u", &r, &cols) != 2)
			usage();
		ws.ws_row = (unsigned short)r;
		ws.ws_col = (unsigned short)cols;
		if (ioctl(master, TIOCSWINSZ, &ws) < 0)
			die("TIOCSWINSZ");
	}
	if (info) {
		char tmp[PATH_MAX];
		unsigned ptn = 0;
		struct winsize ws = {0};
		FILE *f;
		snprintf(tmp, sizeof(tmp), "%s.tmp", info);
		f = fopen(tmp, "w");
		if (!f)
			die(tmp);
		fprintf(f, "payload=%s\nfds=%d\n", payload, nfds);
		if (ioctl(master, TIOCGPTN, &ptn) < 0)
			fprintf(f, "ptn.error=%s\n", strerror(errno));
		else
			fprintf(f, "ptn=%u\n", ptn);
		if (ioctl(master, TIOCGWINSZ, &ws) == 0)
			fprintf(f, "rows=%u\ncols=%u\n", ws.ws_row, ws.ws_col);
		if (fclose(f) != 0 || rename(tmp, info) < 0)
			die(info);
	}
	if (out) {
		ofd = open(out, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (ofd < 0)
			die(out);
	}
	if (input)
		write_all(master, input, strlen(input));
	for (;;) {
		char buf[4096];
		n = read(master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* EIO: hung up */
		write_all(ofd, buf, (size_t)n);
	}
	return 0;
}
