/* SPDX-License-Identifier: Apache-2.0 */
/*
 * udpecho: real UDP traffic for the network tests (busybox nc has no -u).
 *
 *   udpecho serve PORT NAME        answer every datagram on 0.0.0.0:PORT with
 *                                  "NAME ADDR" (ADDR: the sender as seen here)
 *   udpecho ask ADDR PORT [SECS]   send one datagram to ADDR:PORT (IPv4) and
 *                                  print the answer; exit 1 without one
 *                                  within SECS (default 3), resending each
 *                                  half second
 *
 * Static, so it also runs inside a busybox rootfs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: udpecho serve PORT NAME | udpecho ask ADDR PORT [SECS]\n");
	return 2;
}

static int parse_port(const char *s, unsigned short *port)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > 65535) {
		fprintf(stderr, "udpecho: bad port %s\n", s);
		return -1;
	}
	*port = (unsigned short)v;
	return 0;
}

static int serve(const char *port_s, const char *name)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	unsigned short port;
	int fd;

	if (parse_port(port_s, &port) < 0)
		return 2;
	a.sin_port = htons(port);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("udpecho: bind");
		return 1;
	}
	for (;;) {
		char in[512], out[600], addr[INET_ADDRSTRLEN];
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(fd, in, sizeof(in), 0, (struct sockaddr *)&from, &len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("udpecho: recvfrom");
			return 1;
		}
		inet_ntop(AF_INET, &from.sin_addr, addr, sizeof(addr));
		int m = snprintf(out, sizeof(out), "%s %s\n", name, addr);
		(void)sendto(fd, out, (size_t)m, 0, (struct sockaddr *)&from, len);
	}
}

static int ask(const char *addr, const char *port_s, const char *secs_s)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	unsigned short port;
	int tries = 2 * (secs_s ? atoi(secs_s) : 3);
	int fd;

	if (parse_port(port_s, &port) < 0)
		return 2;
	if (inet_pton(AF_INET, addr, &a.sin_addr) != 1) {
		fprintf(stderr, "udpecho: bad IPv4 address %s\n", addr);
		return 2;
	}
	a.sin_port = htons(port);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("udpecho: connect");
		return 1;
	}
	for (int i = 0; i < tries; i++) {
		struct timespec now, end;
		char buf[600];

		/* An ICMP error from an earlier try shows up as ECONNREFUSED. */
		if (send(fd, "?", 1, 0) < 0 && errno != ECONNREFUSED) {
			perror("udpecho: send");
			return 1;
		}
		/* Each try gets its half second, also when an ICMP error (nobody
		 * listening yet) wakes poll at once. */
		clock_gettime(CLOCK_MONOTONIC, &end);
		end.tv_nsec += 500000000L;
		if (end.tv_nsec >= 1000000000L)
			end.tv_sec++, end.tv_nsec -= 1000000000L;
		for (;;) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			long left = (end.tv_sec - now.tv_sec) * 1000 +
			            (end.tv_nsec - now.tv_nsec) / 1000000;
			if (left <= 0)
				break;
			struct pollfd p = {.fd = fd, .events = POLLIN};
			if (poll(&p, 1, (int)left) != 1)
				continue;
			ssize_t n = recv(fd, buf, sizeof(buf), 0);
			if (n > 0) {
				fwrite(buf, 1, (size_t)n, stdout);
				return 0;
			}
			if (n < 0 && errno == ECONNREFUSED)
				poll(NULL, 0, (int)left); /* sit out the rest of this try */
		}
	}
	fprintf(stderr, "udpecho: no answer from %s:%s\n", addr, port_s);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "serve") == 0)
		return serve(argv[2], argv[3]);
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "ask") == 0)
		return ask(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	return usage();
}
