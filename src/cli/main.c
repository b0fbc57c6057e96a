/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commit.h"
#include "config.h"
#include "state/state.h"

struct cli_globals cli;

static const struct cli_command commands[] = {
    {"run", "create and run a container", cmd_run, cmd_run_help},
    {"create", "create a container; its process waits for start", cmd_create, cmd_create_help},
    {"start", "start a created container", cmd_start, cmd_start_help},
    {"state", "print the state of a container (JSON)", cmd_state, cmd_state_help},
    {"list", "list containers", cmd_list, cmd_list_help},
    {"ps", "list the processes of a container", cmd_ps, cmd_ps_help},
    {"exec", "run a new process in a running container", cmd_exec, cmd_exec_help},
    {"kill", "send a signal to a container", cmd_kill, cmd_kill_help},
    {"pause", "freeze every process of a container", cmd_pause, cmd_pause_help},
    {"resume", "thaw a paused container", cmd_resume, cmd_resume_help},
    {"update", "change the resource limits of a container", cmd_update, cmd_update_help},
    {"events", "resource statistics and OOM events of a container", cmd_events, cmd_events_help},
    {"delete", "delete a container and its state", cmd_delete, cmd_delete_help},
    {"features", "print the runtime-spec features document", cmd_features, cmd_features_help},
    {"spec", "write a default config.json", cmd_spec, cmd_spec_help},
    {"network", "list, inspect, create and remove built-in networks", cmd_network,
     cmd_network_help},
};

static void print_version(void)
{
	printf("hull version %s\ncommit: %s\nspec: %s\nfeatures: %s\n", HULL_VERSION, HULL_COMMIT,
	       HULL_OCI_VERSION, HULL_FEATURES);
}

static void print_help(void)
{
	printf("Usage: hull [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]\n\n"
	       "hull is a fast OCI container runtime.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\nGlobal options:\n"
	       "  --root DIR          state directory (default /run/hull; $XDG_RUNTIME_DIR/hull\n"
	       "                      when not root)\n"
	       "  --log FILE          also write errors to FILE\n"
	       "  --log-format FMT    text (default) or json (one JSON object per line)\n"
	       "  --debug             verbose logging\n"
	       "  --systemd-cgroup    use systemd for cgroups (not supported yet: an error)\n"
	       "  --rootless VALUE    accepted for runc compatibility\n"
	       "  -v, --version       print version, commit, spec version and features\n"
	       "  -h, --help          this help; `hull COMMAND --help` for a command\n");
}

/* Global options, runc style: --opt or -opt, values as "--opt V" or "--opt=V". */
static int parse_globals(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i][1] == '-' ? argv[i] + 1 : argv[i];
		const char *eq = strchr(a, '=');
		size_t n = eq ? (size_t)(eq - a) : strlen(a);
#define IS(name) (n == strlen(name) && strncmp(a, name, n) == 0)
#define VALUE()  (eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL)
		const char *v;
		if (IS("-h") || IS("-help")) {
			print_help();
			exit(0);
		} else if (IS("-v") || IS("-version")) {
			print_version();
			exit(0);
		} else if (IS("-debug")) {
			cli.debug = true;
		} else if (IS("-systemd-cgroup")) {
			cli.systemd_cgroup = true;
		} else if (IS("-rootless")) {
			if (!eq && i + 1 < argc &&
			    (!strcmp(argv[i + 1], "true") || !strcmp(argv[i + 1], "false") ||
			     !strcmp(argv[i + 1], "auto")))
				i++;
		} else if (IS("-root") || IS("-log") || IS("-log-format")) {
			bool root = IS("-root"), log = IS("-log");
			if (!(v = VALUE())) {
				cli_failf("option %s needs a value", argv[i]);
				exit(1);
			}
			if (root) {
				cli.root = v;
			} else if (log) {
				cli.log_file = v;
			} else if (strcmp(v, "json") == 0 || strcmp(v, "text") == 0) {
				cli.log_json = strcmp(v, "json") == 0;
			} else {
				cli_failf("--log-format: unknown format \"%s\" (text or json)", v);
				exit(1);
			}
		} else {
			cli_failf("unknown global option %s (see hull --help)", argv[i]);
			exit(1);
		}
#undef IS
#undef VALUE
	}
	return i;
}

int main(int argc, char **argv)
{
	int i;

	cli.argv = argv;
	i = parse_globals(argc, argv);

	if (!cli.root)
		cli.root = state_default_root(cli.root_buf, sizeof(cli.root_buf));
	if (i >= argc) {
		print_help();
		return 1;
	}
	if (cli.systemd_cgroup) {
		cli_failf("--systemd-cgroup: the systemd cgroup driver is not supported yet");
		return 1;
	}
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
		if (strcmp(argv[i], commands[k].name) != 0)
			continue;
		if (cli_wants_help(argc - i, argv + i)) {
			commands[k].help();
			return 0;
		}
		return commands[k].fn(argc - i, argv + i);
	}
	if (strcmp(argv[i], "help") == 0) {
		print_help();
		return 0;
	}
	cli_failf("unknown command \"%s\" (see hull --help)", argv[i]);
	return 1;
}
