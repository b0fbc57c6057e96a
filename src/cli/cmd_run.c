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
	       "      --no-new-keyring   keep the caller's session keyring (default: a new one)\n"
	       "      --console-socket S send the terminal's master to the unix socket S\n"
	       "                         (process.terminal); without it, run relays the\n"
	       "                         terminal to its own stdio\n"
	       "  -h, --help             this help\n");
}

void cmd_create_help(void)
{
	printf("Usage: hull create [OPTIONS] ID\n\n"
	       "Create a container from an OCI bundle: everything is set up and the process\n"
	       "waits until `hull start ID` (the prestart, createRuntime and createContainer\n"
	       "hooks run now). The process is left to the caller.\n\n"
	       "Options:\n"
	       "  -b, --bundle DIR       bundle directory holding config.json (default .)\n"
	       "      --pid-file FILE    write the container process's pid to FILE\n"
	       "      --console-socket S send the terminal's master to the unix socket S\n"
	       "                         (required when process.terminal is true)\n"
	       "      --preserve-fds N   pass N extra fds (3 .. 3+N-1) to the process\n"
	       "      --no-pivot         use MS_MOVE + chroot instead of pivot_root\n"
	       "      --no-new-keyring   keep the caller's session keyring (default: a new one)\n"
	       "  -h, --help             this help\n");
}

static int create_or_run(int argc, char **argv, bool create)
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
		case 'b':
			o.bundle = optarg;
			break;
		case 'p':
			o.pid_file = optarg;
			break;
		case 'P':
			o.no_pivot = true;
			break;
		case 'K':
			o.no_new_keyring = true;
			break;
		case 'S':
			break;
		case 'f':
			o.preserve_fds = (int)strtol(optarg, &end, 10);
			if (*end || o.preserve_fds < 0) {
				cli_failf("--preserve-fds: \"%s\" is not a count", optarg);
				return 1;
			}
			break;
		case 'c':
			o.console_socket = optarg;
			break;
		case 'k':
		case 'd':
			if (create) {
				cli_failf("create: unknown option %s (see hull create --help)",
				          argv[optind - 1]);
				return 1;
			}
			if (c == 'k')
				o.keep = true;
			else
				o.detach = true;
			break;
		default:
			cli_failf("%s: unknown or incomplete option %s (see hull %s --help)",
			          argv[0], argv[optind - 1], argv[0]);
			return 1;
		}
	}
	if (optind < argc)
		o.id = argv[optind++];
	if (!o.id) {
		cli_failf("%s: container id missing (hull %s [OPTIONS] ID)", argv[0], argv[0]);
		return 1;
	}
	if (optind < argc) {
		cli_failf("%s: unexpected argument \"%s\"", argv[0], argv[optind]);
		return 1;
	}
	o.create_only = create;
	if (hull_selfexe_ensure_sealed(cli.argv, &err) < 0) {
		cli_fail(&err);
		return 1;
	}
	if (create ? hull_container_create(&o, &err) : hull_container_run(&o, &status, &err)) {
		cli_fail(&err);
		return 1;
	}
	return status;
}

int cmd_run(int argc, char **argv)
{
	return create_or_run(argc, argv, false);
}

int cmd_create(int argc, char **argv)
{
	return create_or_run(argc, argv, true);
}
