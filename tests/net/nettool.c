/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A thin command line over src/lib/net for tests/net/run.sh. Prints the
 * library's error message and exits 1 on failure.
 *
 *   nettool bridge NAME GW/PREFIX            -> "ifindex=N mtu=M"
 *   nettool veth BRIDGE HOST NETNS_PATH PEER ADDR/PREFIX GW [MTU [MAC]]
 *   nettool lo NETNS_PATH
 *   nettool del NAME | delbridge NAME | exists NAME
 *   nettool table
 *   nettool masq TAG SUBNET/PREFIX BRIDGE
 *   nettool publish TAG tcp|udp HOSTPORT CADDR/PREFIX CPORT BRIDGE
 *   nettool rmowner TAG                      -> "removed=N"
 *   nettool rmsuffix SUFFIX                  -> "removed=N" (tags ending in SUFFIX)
 *   nettool rmtable
 *   nettool rmtable-if-empty                 -> "removed=0|1"
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/link.h"
#include "net/nft.h"

static void usage(void)
{
	fprintf(stderr, "usage: see the comment at the top of tests/net/nettool.c\n");
	exit(2);
}

static struct in_addr addr(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "nettool: bad address %s\n", s);
		exit(2);
	}
	return a;
}

/* "A.B.C.D/N" */
static struct in_addr cidr(const char *s, unsigned *prefix)
{
	char buf[64];
	char *slash;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (!slash) {
		fprintf(stderr, "nettool: %s: want ADDR/PREFIX\n", s);
		exit(2);
	}
	*slash = '\0';
	*prefix = (unsigned)atoi(slash + 1);
	return addr(buf);
}

static int open_ns(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "nettool: open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

static int cmd_veth(int argc, char **argv, struct hull_error *err)
{
	struct net_veth_req req = {0};
	uint8_t mac[6];
	int r;

	if (argc < 8)
		usage();
	req.bridge = argv[2];
	req.host_name = argv[3];
	req.netns_fd = open_ns(argv[4]);
	req.peer_name = argv[5];
	req.addr = cidr(argv[6], &req.prefix);
	req.gateway = addr(argv[7]);
	if (argc > 8)
		req.mtu = (unsigned)atoi(argv[8]);
	if (argc > 9) {
		if (parse_mac(argv[9], mac) < 0)
			usage();
		req.mac = mac;
	}
	r = net_veth_attach(&req, err);
	close(req.netns_fd);
	return r;
}

static int run(int argc, char **argv, struct hull_error *err)
{
	const char *cmd = argv[1];
	unsigned prefix;
	int r, ifindex;

	if (!strcmp(cmd, "bridge") && argc == 4) {
		struct in_addr gw = cidr(argv[3], &prefix);
		r = net_bridge_ensure(argv[2], gw, prefix, &ifindex, err);
		if (r > 0)
			printf("ifindex=%d mtu=%d\n", ifindex, r);
		return r;
	}
	if (!strcmp(cmd, "veth"))
		return cmd_veth(argc, argv, err);
	if (!strcmp(cmd, "lo") && argc == 3) {
		int fd = open_ns(argv[2]);
		r = net_loopback_up(fd, err);
		close(fd);
		return r;
	}
	if (!strcmp(cmd, "del") && argc == 3)
		return net_link_delete(argv[2], err);
	if (!strcmp(cmd, "delbridge") && argc == 3)
		return net_bridge_delete(argv[2], err);
	if (!strcmp(cmd, "exists") && argc == 3) {
		r = net_link_exists(argv[2]);
		if (r >= 0)
			printf("%s\n", r ? "yes" : "no");
		return r < 0 ? hull_err(err, -r, "exists %s", argv[2]) : 0;
	}
	if (!strcmp(cmd, "table") && argc == 2)
		return nft_ensure_table(err);
	if (!strcmp(cmd, "masq") && argc == 5) {
		struct in_addr net = cidr(argv[3], &prefix);
		return nft_masquerade_add(argv[2], net, prefix, argv[4], err);
	}
	if (!strcmp(cmd, "publish") && argc == 8) {
		int proto = !strcmp(argv[3], "tcp")   ? IPPROTO_TCP
		            : !strcmp(argv[3], "udp") ? IPPROTO_UDP
		                                      : atoi(argv[3]);
		char *slash = strchr(argv[5], '/');
		if (!slash)
			usage();
		*slash = '\0';
		return nft_publish_add(argv[2], proto, (uint16_t)atoi(argv[4]), addr(argv[5]),
		                       (unsigned)atoi(slash + 1), (uint16_t)atoi(argv[6]), argv[7],
		                       err);
	}
	if (!strcmp(cmd, "rmowner") && argc == 3) {
		r = nft_remove_owner(argv[2], err);
		if (r >= 0)
			printf("removed=%d\n", r);
		return r;
	}
	if (!strcmp(cmd, "rmsuffix") && argc == 3) {
		r = nft_remove_owner_suffix(argv[2], err);
		if (r >= 0)
			printf("removed=%d\n", r);
		return r;
	}
	if (!strcmp(cmd, "rmtable-if-empty") && argc == 2) {
		r = nft_remove_table_if_empty(err);
		if (r >= 0)
			printf("removed=%d\n", r);
		return r;
	}
	if (!strcmp(cmd, "rmtable") && argc == 2)
		return nft_remove_table(err);
	usage();
	return 0;
}

int main(int argc, char **argv)
{
	struct hull_error err = {0};

	if (argc < 2)
		usage();
	if (run(argc, argv, &err) < 0) {
		fprintf(stderr, "nettool: %s\n", err.msg);
		return 1;
	}
	return 0;
}
