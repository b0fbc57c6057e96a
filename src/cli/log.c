/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "state/state.h"
#include "util/sys.h"

static void log_write(const char *msg)
{
	char line[HULL_ERR_MSG_MAX + 256], now[64];
	int fd;

	if (!cli.log_file)
		return;
	fd = open(cli.log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	state_now(now, sizeof(now));
	if (cli.log_json) {
		json_t *j = json_pack("{s:s, s:s, s:s}", "level", "error", "msg", msg, "time", now);
		char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
		if (text) {
			snprintf(line, sizeof(line), "%s\n", text);
			free(text);
		} else {
			line[0] = '\0';
		}
		json_decref(j);
	} else {
		snprintf(line, sizeof(line), "time=\"%s\" level=error msg=\"%s\"\n", now, msg);
	}
	write_all(fd, line, strlen(line));
	close(fd);
}

void cli_fail(const struct hull_error *err)
{
	fprintf(stderr, "hull: %s\n", err->msg);
	log_write(err->msg);
}

void cli_failf(const char *fmt, ...)
{
	struct hull_error e = {.code = EINVAL};
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	cli_fail(&e);
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	}
	return false;
}
