/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* The CLI layer: argv -> options -> one library call -> output and exit code.
 * Only this layer prints, exits, or owns globals. */
#include <stdbool.h>

#include "util/error.h"

struct cli_globals {
	const char *root; /* state root */
	const char *log_file;
	bool log_json;
	bool debug;
	bool systemd_cgroup;
	char **argv; /* main's argv, for the sealed re-exec */
	char root_buf[4096];
};

extern struct cli_globals cli;

struct cli_command {
	const char *name;
	const char *summary;
	int (*fn)(int argc, char **argv);
	void (*help)(void);
};

/* Report a failure: "hull: MSG" on stderr and, with --log, to the log file. */
void cli_fail(const struct hull_error *err);
void cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True when argv holds -h/--help before "--"; used by every command. */
bool cli_wants_help(int argc, char **argv);

int cmd_run(int argc, char **argv);
void cmd_run_help(void);
int cmd_network(int argc, char **argv);
void cmd_network_help(void);
int cmd_spec(int argc, char **argv);
void cmd_spec_help(void);
int cmd_delete(int argc, char **argv);
void cmd_delete_help(void);
int cmd_create(int argc, char **argv);
void cmd_create_help(void);
int cmd_start(int argc, char **argv);
void cmd_start_help(void);
int cmd_state(int argc, char **argv);
void cmd_state_help(void);
int cmd_list(int argc, char **argv);
void cmd_list_help(void);
int cmd_kill(int argc, char **argv);
void cmd_kill_help(void);
int cmd_ps(int argc, char **argv);
void cmd_ps_help(void);
int cmd_pause(int argc, char **argv);
void cmd_pause_help(void);
int cmd_resume(int argc, char **argv);
void cmd_resume_help(void);
int cmd_features(int argc, char **argv);
void cmd_features_help(void);
int cmd_exec(int argc, char **argv);
void cmd_exec_help(void);
int cmd_update(int argc, char **argv);
void cmd_update_help(void);
int cmd_events(int argc, char **argv);
void cmd_events_help(void);
