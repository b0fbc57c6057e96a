/* SPDX-License-Identifier: Apache-2.0 */
/* hull network ls|inspect|create|rm: named networks for io.hull.network. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "net/attach.h"
#include "net/ipam.h"
#include "net/netconf.h"

void cmd_network_help(void)
{
	printf("Usage: hull network COMMAND\n\n"
	       "Named networks for containers whose config.json has the annotation\n"
	       "io.hull.network=NAME (\"bridge\" is the default network \"hull\": bridge hull0,\n"
	       "10.240.0.0/16).\n\n"
	       "Commands:\n"
	       "  ls                       list networks and how many containers each has\n"
	       "  inspect NAME...          print networks as JSON, with their leases\n"
	       "  create NAME --subnet CIDR [--gateway IP] [--bridge IFNAME]\n"
	       "         [--no-ip-forward] [--remove-bridge-with-last]\n"
	       "                           define a network (nothing is created on the host\n"
	       "                           until a container joins it)\n"
	       "  rm NAME...               remove networks without containers, their bridge\n"
	       "                           and NAT rules\n\n"
	       "ip forwarding: a network allows hull to set net.ipv4.ip_forward=1 when a\n"
	       "container joins it (egress NAT needs it) unless created with --no-ip-forward.\n");
}

/* A network whose leases cannot be counted is listed with "?" and the
 * error is reported after the table (userdata: int, set to 1). */
static int ls_one(const struct hull_network *net, void *userdata)
{
	char sub[NETCONF_SUBNET_STRLEN], gw[NETCONF_ADDR_STRLEN], count[16] = "?";
	struct hull_error err = {0};
	int n = ipam_count(NETCONF_DEFAULT_ROOT, net->name, &err);

	if (n >= 0)
		snprintf(count, sizeof(count), "%d", n);
	printf("%-20s %-15s %-18s %-15s %s\n", net->name, net->bridge,
	       netconf_subnet_str(&net->subnet, sub), ipam_addr_str(net->gateway, gw), count);
	if (n < 0) {
		fflush(stdout);
		cli_fail(&err);
		*(int *)userdata = 1;
	}
	return 0;
}

static int cmd_ls(void)
{
	struct hull_error err = {0};
	int failed = 0;

	printf("%-20s %-15s %-18s %-15s %s\n", "NAME", "BRIDGE", "SUBNET", "GATEWAY", "CONTAINERS");
	if (netconf_list(NETCONF_DEFAULT_ROOT, ls_one, &failed, &err) < 0) {
		cli_fail(&err);
		return 1;
	}
	return failed;
}

static int lease_json(const struct hull_lease *l, void *userdata)
{
	char a[NETCONF_ADDR_STRLEN];

	json_array_append_new(userdata,
	                      json_pack("{s:s, s:s, s:i}", "address", ipam_addr_str(l->addr, a),
	                                "container", l->owner, "pid", (int)l->pid));
	return 0;
}

static int cmd_inspect(int argc, char **argv)
{
	struct hull_error err = {0};
	json_t *all = json_array();
	int rc = 0;

	for (int i = 0; i < argc; i++) {
		struct hull_network net;
		if (netconf_load(NETCONF_DEFAULT_ROOT, argv[i], &net, &err) < 0) {
			cli_fail(&err);
			rc = 1;
			continue;
		}
		json_t *j = netconf_to_json(&net), *leases = json_array();
		if (ipam_list(NETCONF_DEFAULT_ROOT, net.name, lease_json, leases, &err) < 0) {
			cli_fail(&err);
			rc = 1;
		}
		json_object_set_new(j, "leases", leases);
		json_array_append_new(all, j);
	}
	char *text = json_dumps(all, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text)
		puts(text);
	free(text);
	json_decref(all);
	return rc;
}

static int cmd_create_net(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"subnet", required_argument, NULL, 's'},
	    {"gateway", required_argument, NULL, 'g'},
	    {"bridge", required_argument, NULL, 'b'},
	    {"no-ip-forward", no_argument, NULL, 'F'},
	    {"remove-bridge-with-last", no_argument, NULL, 'R'},
	    {NULL, 0, NULL, 0},
	};
	const char *subnet = NULL, *gateway = NULL, *bridge = NULL;
	bool no_forward = false, remove_last = false;
	struct hull_error err = {0};
	struct hull_network net;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			subnet = optarg;
			break;
		case 'g':
			gateway = optarg;
			break;
		case 'b':
			bridge = optarg;
			break;
		case 'F':
			no_forward = true;
			break;
		case 'R':
			remove_last = true;
			break;
		default:
			cli_failf("network create: unknown or incomplete option %s (see hull "
			          "network --help)",
			          argv[optind - 1]);
			return 1;
		}
	}
	if (optind + 1 != argc || !subnet) {
		cli_failf("network create: expected NAME and --subnet CIDR");
		return 1;
	}
	if (netconf_init(&net, argv[optind], subnet, gateway, bridge, &err) < 0) {
		cli_fail(&err);
		return 1;
	}
	net.ip_forward = !no_forward;
	net.remove_bridge_with_last = remove_last;
	if (netconf_create(NETCONF_DEFAULT_ROOT, &net, &err) < 0) {
		cli_fail(&err);
		return 1;
	}
	puts(net.name);
	return 0;
}

static int cmd_rm(int argc, char **argv)
{
	struct hull_error err = {0};
	int rc = 0;

	for (int i = 0; i < argc; i++) {
		if (hull_network_remove(argv[i], &err) < 0) {
			cli_fail(&err);
			rc = 1;
		}
	}
	return rc;
}

int cmd_network(int argc, char **argv)
{
	if (argc < 2) {
		cli_failf("network: expected ls, inspect, create or rm (see hull network --help)");
		return 1;
	}
	const char *sub = argv[1];
	if (strcmp(sub, "ls") == 0 || strcmp(sub, "list") == 0)
		return argc == 2 ? cmd_ls() : (cli_failf("network ls: unexpected argument"), 1);
	if (strcmp(sub, "inspect") == 0 && argc > 2)
		return cmd_inspect(argc - 2, argv + 2);
	if (strcmp(sub, "create") == 0)
		return cmd_create_net(argc - 1, argv + 1);
	if ((strcmp(sub, "rm") == 0 || strcmp(sub, "remove") == 0) && argc > 2)
		return cmd_rm(argc - 2, argv + 2);
	cli_failf("network: unknown command or missing NAME: %s (see hull network --help)", sub);
	return 1;
}
