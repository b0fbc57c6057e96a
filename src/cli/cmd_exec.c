/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "container/container.h"

/* runc: exec failures exit 255; the process's own status otherwise. */
#define EXEC_FAILED 255
#define MAX_LIST    256

void cmd_exec_help(void)
{
	printf("Usage: hull exec [OPTIONS] ID [COMMAND [ARGS...]]\n\n"
	       "Run a new process in a running container: it joins every namespace of the\n"
	       "container, its root, and gets the container's capabilities, no_new_privs,\n"
	       "LSM label, environment and user unless overridden. In the foreground hull\n"
	       "exits with the process's status (128+N when killed by signal N); failures\n"
	       "exit 255. Options stop at the first argument after ID.\n\n"
	       "Options:\n"
	       "  -p, --process FILE      the process as a runtime-spec process.json (the\n"
	       "                          options below are then ignored)\n"
	       "  -d, --detach            return once the process runs, leaving it to the caller\n"
	       "      --pid-file FILE     write the process's pid to FILE\n"
	       "  -t, --tty               allocate a terminal\n"
	       "      --console-socket S  send the terminal's master to the unix socket S\n"
	       "      --cwd DIR           working directory inside the container\n"
	       "  -e, --env K=V           add or replace an environment variable (repeatable)\n"
	       "  -u, --user UID[:GID]    user and group ids\n"
	       "  -g, --additional-gids G add a supplementary group (repeatable)\n"
	       "  -c, --cap CAP           add a capability (repeatable)\n"
	       "      --no-new-privs      set no_new_privs\n"
	       "      --preserve-fds N    pass N extra fds (3 .. 3+N-1) to the process\n"
	       "      --apparmor PROFILE  AppArmor profile for the process\n"
	       "      --process-label L   SELinux label for the process\n"
	       "  -h, --help              this help\n");
}

struct exec_args {
	struct hull_exec_opts o;
	const char *env[MAX_LIST + 1], *caps[MAX_LIST + 1];
	gid_t gids[MAX_LIST];
	size_t n_env, n_caps;
};

static int parse_ids(struct exec_args *a, const char *v)
{
	char *end;
	unsigned long uid = strtoul(v, &end, 10);

	if (end == v || (*end && *end != ':'))
		return -1;
	a->o.has_user = true;
	a->o.uid = (uid_t)uid;
	if (*end == ':') {
		const char *g = end + 1;
		unsigned long gid = strtoul(g, &end, 10);
		if (end == g || *end)
			return -1;
		a->o.gid = (gid_t)gid;
		a->o.has_gid = true;
	}
	return 0;
}

static int exec_opt(struct exec_args *a, int c)
{
	char *end;
	long n;

	switch (c) {
	case 'p':
		a->o.process_file = optarg;
		return 0;
	case 'd':
		a->o.detach = true;
		return 0;
	case 'P':
		a->o.pid_file = optarg;
		return 0;
	case 't':
		a->o.tty = true;
		return 0;
	case 'S':
		a->o.console_socket = optarg;
		return 0;
	case 'C':
		a->o.cwd = optarg;
		return 0;
	case 'N':
		a->o.no_new_privs = true;
		return 0;
	case 'A':
		a->o.apparmor = optarg;
		return 0;
	case 'L':
		a->o.process_label = optarg;
		return 0;
	case 'e':
		if (a->n_env == MAX_LIST)
			return -1;
		a->env[a->n_env++] = optarg;
		return 0;
	case 'c':
		if (a->n_caps == MAX_LIST)
			return -1;
		a->caps[a->n_caps++] = optarg;
		return 0;
	case 'u':
		if (parse_ids(a, optarg) < 0) {
			cli_failf("exec: --user \"%s\": expected UID[:GID] (numbers)", optarg);
			return -2;
		}
		return 0;
	case 'g':
		n = strtol(optarg, &end, 10);
		if (*end || n < 0 || a->o.n_additional_gids == MAX_LIST) {
			cli_failf("exec: --additional-gids \"%s\": expected a group id", optarg);
			return -2;
		}
		a->gids[a->o.n_additional_gids++] = (gid_t)n;
		return 0;
	case 'F':
		n = strtol(optarg, &end, 10);
		if (*end || n < 0) {
			cli_failf("exec: --preserve-fds \"%s\": not a count", optarg);
			return -2;
		}
		a->o.preserve_fds = (int)n;
		return 0;
	default:
		return -1;
	}
}

int cmd_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"process", required_argument, NULL, 'p'},
	    {"detach", no_argument, NULL, 'd'},
	    {"pid-file", required_argument, NULL, 'P'},
	    {"tty", no_argument, NULL, 't'},
	    {"console-socket", required_argument, NULL, 'S'},
	    {"cwd", required_argument, NULL, 'C'},
	    {"env", required_argument, NULL, 'e'},
	    {"user", required_argument, NULL, 'u'},
	    {"additional-gids", required_argument, NULL, 'g'},
	    {"cap", required_argument, NULL, 'c'},
	    {"no-new-privs", no_argument, NULL, 'N'},
	    {"preserve-fds", required_argument, NULL, 'F'},
	    {"apparmor", required_argument, NULL, 'A'},
	    {"process-label", required_argument, NULL, 'L'},
	    {"no-subreaper", no_argument, NULL, 'R'},
	    {NULL, 0, NULL, 0},
	};
	static struct exec_args a;
	struct hull_error err = {0};
	int c, r, status = EXEC_FAILED;

	a.o.state_root = cli.root;
	optind = 1;
	opterr = 0;
	/* Options, the ID, options again, then the command (runc's rule). */
	for (int phase = 0; phase < 2; phase++) {
		while ((c = getopt_long(argc, argv, "+p:dtu:e:g:c:", longopts, NULL)) != -1) {
			if (c == 'R')
				continue;
			if ((r = exec_opt(&a, c)) == -2)
				return EXEC_FAILED;
			if (r < 0) {
				cli_failf(
				    "exec: unknown or incomplete option %s (see hull exec --help)",
				    argv[optind - 1]);
				return EXEC_FAILED;
			}
		}
		if (phase == 0 && optind < argc)
			a.o.id = argv[optind++];
	}
	if (!a.o.id) {
		cli_failf("exec: container id missing (hull exec [OPTIONS] ID COMMAND...)");
		return EXEC_FAILED;
	}
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	a.o.args = (const char **)argv + optind;
	a.o.env = a.env;
	a.o.caps = a.caps;
	a.o.additional_gids = a.gids;
	if (!a.o.process_file && optind >= argc) {
		cli_failf("exec: no command given (arguments after ID, or --process)");
		return EXEC_FAILED;
	}
	if (hull_selfexe_ensure_sealed(cli.argv, &err) < 0 ||
	    hull_container_exec(&a.o, &status, &err) < 0) {
		cli_fail(&err);
		return EXEC_FAILED;
	}
	return status;
}
