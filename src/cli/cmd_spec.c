/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "spec/spec.h"
#include "util/sys.h"

void cmd_spec_help(void)
{
	printf("Usage: hull spec [OPTIONS]\n\n"
	       "Write a default config.json (the same content as runc's) into the bundle.\n"
	       "An existing config.json is never overwritten.\n\n"
	       "Options:\n"
	       "  -b, --bundle DIR   bundle directory (default .)\n"
	       "      --rootless     a config for a container run by an unprivileged user\n"
	       "  -h, --help         this help\n");
}

int cmd_spec(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"bundle", required_argument, NULL, 'b'},
	    {"rootless", no_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	const char *bundle = ".";
	bool rootless = false;
	char path[4096];
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "b:", longopts, NULL)) != -1) {
		if (c == 'b') {
			bundle = optarg;
		} else if (c == 'r') {
			rootless = true;
		} else {
			cli_failf("spec: unknown or incomplete option %s (see hull spec --help)",
			          argv[optind - 1]);
			return 1;
		}
	}
	if (optind < argc) {
		cli_failf("spec: unexpected argument \"%s\"", argv[optind]);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	char *text = hull_spec_default_json(rootless, geteuid(), getegid());
	if (!text) {
		cli_failf("spec: out of memory");
		return 1;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == EEXIST)
			cli_failf("spec: %s already exists: remove it first", path);
		else
			cli_failf("spec: create %s: %s", path, strerror(errno));
		free(text);
		return 1;
	}
	int r = write_all(fd, text, strlen(text));
	free(text);
	if (r < 0 || close(fd) < 0) {
		cli_failf("spec: write %s: %s", path, strerror(r < 0 ? -r : errno));
		unlink(path);
		return 1;
	}
	return 0;
}
