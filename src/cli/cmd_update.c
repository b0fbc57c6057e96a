/* SPDX-License-Identifier: Apache-2.0 */
/* update and events (runc's flags and output). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "container/container.h"
#include "util/cleanup.h"
#include "util/number.h"
#include "util/sys.h"

void cmd_update_help(void)
{
	printf("Usage: hull update [OPTIONS] ID\n\n"
	       "Change the resource limits of a running container.\n\n"
	       "Options:\n"
	       "  -r, --resources FILE      a LinuxResources JSON document (- for stdin);\n"
	       "                            the flags below are then ignored\n"
	       "      --memory BYTES        memory limit (k, m, g suffixes; -1 unlimited)\n"
	       "      --memory-reservation BYTES\n"
	       "      --memory-swap BYTES   memory+swap limit\n"
	       "      --cpu-share N         --cpu-quota US  --cpu-period US  --cpu-rt-runtime US\n"
	       "      --cpu-rt-period US    --cpuset-cpus LIST  --cpuset-mems LIST\n"
	       "      --pids-limit N        --blkio-weight N\n");
}

static json_t *sub(json_t *o, const char *key)
{
	json_t *s = json_object_get(o, key);

	if (!s) {
		s = json_object();
		json_object_set_new(o, key, s);
	}
	return s;
}

/* One runc flag into the resources object. */
static int flag(json_t *res, const char *name, const char *v)
{
	static const struct {
		const char *flag, *obj, *key;
		char kind; /* b bytes, i integer, s string */
	} map[] = {
	    {"memory", "memory", "limit", 'b'},
	    {"memory-reservation", "memory", "reservation", 'b'},
	    {"memory-swap", "memory", "swap", 'b'},
	    {"cpu-share", "cpu", "shares", 'i'},
	    {"cpu-shares", "cpu", "shares", 'i'},
	    {"cpu-quota", "cpu", "quota", 'i'},
	    {"cpu-period", "cpu", "period", 'i'},
	    {"cpu-rt-runtime", "cpu", "realtimeRuntime", 'i'},
	    {"cpu-rt-period", "cpu", "realtimePeriod", 'i'},
	    {"cpuset-cpus", "cpu", "cpus", 's'},
	    {"cpuset-mems", "cpu", "mems", 's'},
	    {"pids-limit", "pids", "limit", 'i'},
	    {"blkio-weight", "blockIO", "weight", 'i'},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(map[i].flag, name) != 0)
			continue;
		int64_t n;
		if (map[i].kind == 's') {
			json_object_set_new(sub(res, map[i].obj), map[i].key, json_string(v));
			return 0;
		}
		if ((map[i].kind == 'b' ? hull_size_parse(v, &n) : hull_int_parse(v, &n)) < 0) {
			cli_failf("update: --%s \"%s\": not a number", name, v);
			return -1;
		}
		json_object_set_new(sub(res, map[i].obj), map[i].key, json_integer(n));
		return 0;
	}
	return -2;
}

/* The whole of FILE, or of stdin for "-". */
static char *read_stream(const char *file, size_t *len)
{
	_cleanup_close_ int fd = strcmp(file, "-") == 0 ? dup(0) : open(file, O_RDONLY | O_CLOEXEC);
	size_t cap = 0, n = 0;
	char *buf = NULL;
	ssize_t r;

	if (fd < 0)
		return NULL;
	do {
		if (n + 4096 > cap) {
			char *g = realloc(buf, cap = cap ? cap * 2 : 8192);
			if (!g) {
				free(buf);
				return NULL;
			}
			buf = g;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r > 0)
			n += (size_t)r;
	} while (r > 0 || (r < 0 && errno == EINTR));
	if (r < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int cmd_update(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"resources", required_argument, NULL, 'r'},
	    {"memory", required_argument, NULL, 1},
	    {"memory-reservation", required_argument, NULL, 1},
	    {"memory-swap", required_argument, NULL, 1},
	    {"kernel-memory", required_argument, NULL, 1},
	    {"kernel-memory-tcp", required_argument, NULL, 1},
	    {"cpu-share", required_argument, NULL, 1},
	    {"cpu-shares", required_argument, NULL, 1},
	    {"cpu-quota", required_argument, NULL, 1},
	    {"cpu-period", required_argument, NULL, 1},
	    {"cpu-rt-runtime", required_argument, NULL, 1},
	    {"cpu-rt-period", required_argument, NULL, 1},
	    {"cpuset-cpus", required_argument, NULL, 1},
	    {"cpuset-mems", required_argument, NULL, 1},
	    {"pids-limit", required_argument, NULL, 1},
	    {"blkio-weight", required_argument, NULL, 1},
	    {NULL, 0, NULL, 0},
	};
	struct hull_error err = {0};
	const char *file = NULL;
	json_t *res = json_object();
	char *text = NULL;
	size_t len = 0;
	int c, idx, ret = 1;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "r:", longopts, &idx)) != -1) {
		if (c == 'r') {
			file = optarg;
		} else if (c == 1) {
			int r = flag(res, longopts[idx].name, optarg);
			if (r == -1)
				goto out;
			if (r == -2) {
				cli_failf("update: --%s: kernel memory limits are not supported",
				          longopts[idx].name);
				goto out;
			}
		} else {
			cli_failf(
			    "update: unknown or incomplete option %s (see hull update --help)",
			    argv[optind - 1]);
			goto out;
		}
	}
	if (optind + 1 != argc) {
		cli_failf("update: expected exactly one container id");
		goto out;
	}
	if (file) {
		text = read_stream(file, &len);
		if (!text) {
			cli_failf("update: --resources %s: %s", file,
			          strerror(errno ? errno : EIO));
			goto out;
		}
	} else {
		text = json_dumps(res, JSON_COMPACT);
		len = text ? strlen(text) : 0;
	}
	if (hull_container_update(cli.root, argv[optind], file ? file : "update flags", text, len,
	                          &err) < 0) {
		cli_fail(&err);
		goto out;
	}
	ret = 0;
out:
	free(text);
	json_decref(res);
	return ret;
}

void cmd_events_help(void)
{
	printf(
	    "Usage: hull events [OPTIONS] ID\n\n"
	    "Print the container's resource statistics as JSON lines\n"
	    "({\"type\":\"stats\",\"id\",\"data\"}) every interval, and {\"type\":\"oom\"} lines\n"
	    "when the OOM killer kills in it, until the container stops.\n\n"
	    "Options:\n"
	    "      --stats          print the statistics once and exit\n"
	    "      --interval D     seconds between statistics (default 5; 500ms, 2s)\n");
}

static int emit_line(const char *line, void *arg)
{
	(void)arg;
	if (printf("%s\n", line) < 0 || fflush(stdout) != 0)
		return -1;
	return 0;
}

int cmd_events(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"stats", no_argument, NULL, 's'},
	    {"interval", required_argument, NULL, 'i'},
	    {NULL, 0, NULL, 0},
	};
	struct hull_error err = {0};
	bool once = false;
	int c, interval = 5000;
	char *end;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 's') {
			once = true;
		} else if (c == 'i') {
			double v = strtod(optarg, &end);
			if (strcmp(end, "ms") == 0)
				v /= 1000;
			else if (*end && strcmp(end, "s") != 0)
				v = -1;
			if (end == optarg || v <= 0) {
				cli_failf(
				    "events: --interval \"%s\": expected a duration (5, 2s, 500ms)",
				    optarg);
				return 1;
			}
			interval = (int)(v * 1000);
		} else {
			cli_failf("events: unknown or incomplete option %s", argv[optind - 1]);
			return 1;
		}
	}
	if (optind + 1 != argc) {
		cli_failf("events: expected exactly one container id");
		return 1;
	}
	if (hull_container_events(cli.root, argv[optind], once, interval, emit_line, NULL, &err) <
	    0) {
		cli_fail(&err);
		return 1;
	}
	return 0;
}
