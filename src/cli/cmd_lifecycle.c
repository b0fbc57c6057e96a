/* SPDX-License-Identifier: Apache-2.0 */
/* start, state, list, kill, ps, pause, resume: runc's contract. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "container/container.h"
#include "util/signame.h"

/* The one ID of a command without options of its own (help is handled). */
static const char *only_id(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1]) {
			cli_failf("%s: unknown option %s (see hull %s --help)", argv[0], argv[i],
			          argv[0]);
			return NULL;
		}
	if (argc != 2) {
		cli_failf("%s: expected exactly one container id (hull %s ID)", argv[0], argv[0]);
		return NULL;
	}
	return argv[1];
}

void cmd_start_help(void)
{
	printf("Usage: hull start ID\n\n"
	       "Start a created container: its process runs the startContainer hooks and\n"
	       "executes the user program; then the poststart hooks run.\n");
}

int cmd_start(int argc, char **argv)
{
	struct hull_error err = {0};
	const char *id = only_id(argc, argv);

	if (!id)
		return 1;
	if (hull_container_start(cli.root, id, &err) < 0) {
		cli_fail(&err);
		return 1;
	}
	return 0;
}

void cmd_state_help(void)
{
	printf("Usage: hull state ID\n\n"
	       "Print the state of a container as JSON: ociVersion, id, pid (0 when stopped),\n"
	       "status (creating, created, running, stopped), bundle, rootfs, created,\n"
	       "annotations, owner.\n");
}

int cmd_state(int argc, char **argv)
{
	struct hull_error err = {0};
	const char *id = only_id(argc, argv);
	char *json = NULL;

	if (!id)
		return 1;
	if (hull_container_state(cli.root, id, &json, &err) < 0) {
		cli_fail(&err);
		return 1;
	}
	printf("%s\n", json);
	free(json);
	return 0;
}

void cmd_list_help(void)
{
	printf("Usage: hull list [OPTIONS]\n\n"
	       "List the containers under the state root.\n\n"
	       "Options:\n"
	       "  -f, --format FMT   table (default) or json (an array of states)\n"
	       "  -q, --quiet        only the ids\n");
}

static void list_table(json_t *arr)
{
	size_t i;
	json_t *s;

	printf("%-12s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED",
	       "OWNER");
	json_array_foreach(arr, i, s)
	{
		printf("%-12s %-8lld %-10s %-40s %-30s %s\n",
		       json_string_value(json_object_get(s, "id")),
		       (long long)json_integer_value(json_object_get(s, "pid")),
		       json_string_value(json_object_get(s, "status")),
		       json_string_value(json_object_get(s, "bundle")),
		       json_string_value(json_object_get(s, "created")),
		       json_string_value(json_object_get(s, "owner")));
	}
}

int cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"quiet", no_argument, NULL, 'q'},
	    {NULL, 0, NULL, 0},
	};
	struct hull_error err = {0};
	bool quiet = false, json = false;
	char *text = NULL;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:q", longopts, NULL)) != -1) {
		if (c == 'q') {
			quiet = true;
		} else if (c == 'f' &&
		           (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0)) {
			json = strcmp(optarg, "json") == 0;
		} else if (c == 'f') {
			cli_failf("list: --format: unknown format \"%s\" (table or json)", optarg);
			return 1;
		} else {
			cli_failf("list: unknown or incomplete option %s", argv[optind - 1]);
			return 1;
		}
	}
	if (optind < argc) {
		cli_failf("list: unexpected argument \"%s\"", argv[optind]);
		return 1;
	}
	if (hull_container_list(cli.root, &text, &err) < 0) {
		cli_fail(&err);
		return 1;
	}
	json_t *arr = json_loads(text, 0, NULL);
	size_t i;
	json_t *s;
	if (quiet) {
		json_array_foreach(arr, i, s)
		    printf("%s\n", json_string_value(json_object_get(s, "id")));
	} else if (json) {
		printf("%s\n", text);
	} else {
		list_table(arr);
	}
	json_decref(arr);
	free(text);
	return 0;
}

void cmd_kill_help(void)
{
	printf("Usage: hull kill [OPTIONS] ID [SIGNAL]\n\n"
	       "Send a signal (default SIGTERM) to the container's process. SIGNAL is a\n"
	       "number, a name (KILL) or a full name (SIGKILL).\n\n"
	       "Options:\n"
	       "  -a, --all   send it to every process of the container\n");
}

/* Options, the ID, options again, then positionals (runc's rule for kill,
 * exec and ps: parsing stops at the first positional after the ID). */
static int parse_two_phase(int argc, char **argv, const char *optstring,
                           const struct option *longopts, int (*opt)(int c, void *arg), void *arg,
                           const char **ret_id)
{
	int c;
	char plus[64];

	snprintf(plus, sizeof(plus), "+%s", optstring);
	optind = 1;
	opterr = 0;
	*ret_id = NULL;
	for (int phase = 0; phase < 2; phase++) {
		while ((c = getopt_long(argc, argv, plus, longopts, NULL)) != -1)
			if (opt(c, arg) < 0) {
				cli_failf(
				    "%s: unknown or incomplete option %s (see hull %s --help)",
				    argv[0], argv[optind - 1], argv[0]);
				return -1;
			}
		if (phase == 0) {
			if (optind >= argc)
				break;
			*ret_id = argv[optind++];
		}
	}
	if (!*ret_id) {
		cli_failf("%s: container id missing (see hull %s --help)", argv[0], argv[0]);
		return -1;
	}
	return optind;
}

static int kill_opt(int c, void *arg)
{
	if (c != 'a')
		return -1;
	*(bool *)arg = true;
	return 0;
}

int cmd_kill(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"all", no_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	struct hull_error err = {0};
	bool all = false;
	const char *id;
	int sig = SIGTERM;
	int i = parse_two_phase(argc, argv, "a", longopts, kill_opt, &all, &id);

	if (i < 0)
		return 1;
	if (i < argc) {
		sig = hull_signal_parse(argv[i]);
		if (sig < 0) {
			cli_failf("kill: unknown signal \"%s\"", argv[i]);
			return 1;
		}
		if (i + 1 < argc) {
			cli_failf("kill: unexpected argument \"%s\"", argv[i + 1]);
			return 1;
		}
	}
	if (hull_container_kill(cli.root, id, sig, all, &err) < 0) {
		cli_fail(&err);
		return 1;
	}
	return 0;
}

void cmd_ps_help(void)
{
	printf(
	    "Usage: hull ps [OPTIONS] ID\n\n"
	    "List the processes of a container (host pids).\n\n"
	    "Options:\n"
	    "  -f, --format FMT   table (default: PID and command) or json (an array of pids)\n");
}

static int ps_opt(int c, void *arg)
{
	if (c != 'f')
		return -1;
	*(const char **)arg = optarg;
	return 0;
}

static void ps_row(pid_t pid)
{
	char path[64], cmd[256] = "?";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	if ((f = fopen(path, "re"))) {
		size_t n = fread(cmd, 1, sizeof(cmd) - 1, f);
		fclose(f);
		for (size_t k = 0; n && k + 1 < n; k++)
			if (!cmd[k])
				cmd[k] = ' ';
		cmd[n] = '\0';
	}
	printf("%-8d %s\n", pid, cmd);
}

int cmd_ps(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	struct hull_error err = {0};
	const char *format = "table", *id;
	pid_t *pids = NULL;
	size_t n = 0;
	int i = parse_two_phase(argc, argv, "f:", longopts, ps_opt, &format, &id);

	if (i < 0)
		return 1;
	if (strcmp(format, "json") != 0 && strcmp(format, "table") != 0) {
		cli_failf("ps: --format: unknown format \"%s\" (table or json)", format);
		return 1;
	}
	if (hull_container_pids(cli.root, id, &pids, &n, &err) < 0) {
		cli_fail(&err);
		return 1;
	}
	if (strcmp(format, "json") == 0) {
		printf("[");
		for (size_t k = 0; k < n; k++)
			printf("%s%d", k ? "," : "", pids[k]);
		printf("]\n");
	} else {
		printf("%-8s %s\n", "PID", "CMD");
		for (size_t k = 0; k < n; k++)
			ps_row(pids[k]);
	}
	free(pids);
	return 0;
}

void cmd_pause_help(void)
{
	printf("Usage: hull pause ID\n\n"
	       "Freeze every process of the container (cgroup freezer), waiting until it is\n"
	       "frozen. Its status becomes \"paused\".\n");
}

void cmd_resume_help(void)
{
	printf("Usage: hull resume ID\n\n"
	       "Thaw a paused container.\n");
}

static int freezer(int argc, char **argv, bool pause)
{
	struct hull_error err = {0};
	const char *id = only_id(argc, argv);

	if (!id)
		return 1;
	if (hull_container_pause(cli.root, id, pause, &err) < 0) {
		cli_fail(&err);
		return 1;
	}
	return 0;
}

int cmd_pause(int argc, char **argv)
{
	return freezer(argc, argv, true);
}

int cmd_resume(int argc, char **argv)
{
	return freezer(argc, argv, false);
}

void cmd_features_help(void)
{
	printf("Usage: hull features\n\n"
	       "Print the runtime-spec features document: what this build supports.\n");
}

int cmd_features(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		cli_failf("features: takes no arguments");
		return 1;
	}
	char *json = hull_features_json();
	if (!json) {
		cli_failf("features: out of memory");
		return 1;
	}
	printf("%s\n", json);
	free(json);
	return 0;
}
