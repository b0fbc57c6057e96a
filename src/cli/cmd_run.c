/* SPDX-License-Identifier: Apache-2.0 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "container/container.h"

void cmd_run_help(void)
{
	printf("Usage: hull run [OPTIONS] ID\n\n"
	       "Create and start a container from an OCI bundle, in the foreground: stdio is\n"
	       "passed through, signals sent to hull are forwarded to the container process,\n"
	       "and hull exits with its status (128+N when killed by signal N).\n\n"
	       "Options:\n"
	       "  -b, --bundle DIR       bundle directory holding config.json (default .)\n"
	       "      --pid-file FILE    write the container process's pid to FILE\n"
	       "      --no-pivot         use MS_MOVE + chroot instead of pivot_root (for\n"
	       "                         initramfs; weaker isolation)\n"
	       "      --keep             keep the container's state after it exits\n"
	       "  -d, --detach           return once the process runs, leaving it to the caller\n"
	       "      --preserve-fds N   pass N extra fds (3 .. 3+N-1) to the process\n"
	       "      --no-new-keyring   accepted for runc compatibility\n"
	       "      --console-socket S not supported yet (terminals)\n"
	       "  -h, --help             this help\n");
}

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"bundle", required_argument, NULL, 'b'},
		{"pid-file", required_argument, NULL, 'p'},
		{"no-pivot", no_argument, NULL, 'P'},
		{"keep", no_argument, NULL, 'k'},
		{"detach", no_argument, NULL, 'd'},
		{"preserve-fds", required_argument, NULL, 'f'},
		{"no-new-keyring", no_argument, NULL, 'K'},
		{"console-socket", required_argument, NULL, 'c'},
		{"no-subreaper", no_argument, NULL, 'S'},
		{NULL, 0, NULL, 0},
	};
	struct hull_run_opts o = {.bundle = ".", .state_root = cli.root};
	struct hull_error err = {0};
	int c, status = 0;
	char *end;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "b:d", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': o.bundle = optarg; break;
		case 'p': o.pid_file = optarg; break;
		case 'P': o.no_pivot = true; break;
		case 'k': o.keep = true; break;
		case 'd': o.detach = true; break;
		case 'K': case 'S': break;
		case 'f':
			o.preserve_fds = (int)strtol(optarg, &end, 10);
			if (*end || o.preserve_fds < 0) {
				cli_failf("--preserve-fds: \"%s\" is not a count", optarg);
				return 1;
			}
			break;
		case 'c':
			cli_failf("--console-socket: terminals are not supported by this build yet");
			return 1;
		default:
			cli_failf("run: unknown or incomplete option %s (see hull run --help)",
				  argv[optind - 1]);
			return 1;
		}
	}
	if (optind < argc)
		o.id = argv[optind++];
	if (!o.id) {
		cli_failf("run: container id missing (hull run [OPTIONS] ID)");
		return 1;
	}
	if (optind < argc) {
		cli_failf("run: unexpected argument \"%s\"", argv[optind]);
		return 1;
	}
	if (hull_selfexe_ensure_sealed(cli.argv, &err) < 0) {
		cli_fail(&err);
		return 1;
	}
	if (hull_container_run(&o, &status, &err) < 0) {
		cli_fail(&err);
		return 1;
	}
	return status;
}
