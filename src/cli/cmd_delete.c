/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "container/container.h"

void cmd_delete_help(void)
{
	printf("Usage: hull delete [OPTIONS] ID\n\n"
	       "Delete a stopped container's state. With --force, kill it first; an unknown\n"
	       "ID with --force is not an error.\n\n"
	       "Options:\n"
	       "  -f, --force   kill the container if it runs\n"
	       "  -h, --help    this help\n");
}

int cmd_delete(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"force", no_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	struct hull_error err = {0};
	bool force = false;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f", longopts, NULL)) != -1) {
		if (c != 'f') {
			cli_failf("delete: unknown option %s (see hull delete --help)",
			          argv[optind - 1]);
			return 1;
		}
		force = true;
	}
	if (optind + 1 != argc) {
		cli_failf("delete: expected exactly one container id");
		return 1;
	}
	if (hull_container_delete(cli.root, argv[optind], force, &err) < 0) {
		if (force && err.code == ENOENT)
			return 0;
		cli_fail(&err);
		return 1;
	}
	return 0;
}
