/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * A tiny TAP harness. Each case is a function; RUN() prints "ok - name" or
 * "not ok - name" (with the failed checks as "#" diagnostics on stderr), and
 * tap_done() prints the plan and returns the exit status.
 */
#include <dirent.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count, tap_failures;
static bool tap_case_failed;

static inline void tap_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline void tap_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_case_failed = true;
	fprintf(stderr, "# %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			tap_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                          \
	} while (0)

#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long _a = (long long)(a), _b = (long long)(b);                                \
		if (_a != _b)                                                                      \
			tap_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a, _a, _b);     \
	} while (0)

#define CHECK_U64(a, b)                                                                            \
	do {                                                                                       \
		unsigned long long _a = (a), _b = (b);                                             \
		if (_a != _b)                                                                      \
			tap_fail(__FILE__, __LINE__, "%s == %llu, expected %llu", #a, _a, _b);     \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *_a = (a), *_b = (b);                                                   \
		if (!_a || !_b ? _a != _b : strcmp(_a, _b) != 0)                                   \
			tap_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a,          \
			         _a ? _a : "(null)", _b ? _b : "(null)");                          \
	} while (0)

/* Stop the case here (e.g. a NULL that later checks would dereference). */
#define REQUIRE(cond)                                                                              \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			tap_fail(__FILE__, __LINE__, "REQUIRE(%s)", #cond);                        \
			return;                                                                    \
		}                                                                                  \
	} while (0)

static inline void tap_result(const char *name)
{
	tap_count++;
	if (tap_case_failed)
		tap_failures++;
	printf("%s - %s\n", tap_case_failed ? "not ok" : "ok", name);
	fflush(stdout);
	tap_case_failed = false;
}

#define RUN(fn)                                                                                    \
	do {                                                                                       \
		fn();                                                                              \
		tap_result(#fn);                                                                   \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failures)
		fprintf(stderr, "# %d of %d failed\n", tap_failures, tap_count);
	return tap_failures ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Read a whole file (test fixtures); aborts on failure. */
static inline char *tap_slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
		fprintf(stderr, "# cannot read %s\n", path);
		exit(2);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "# cannot read %s\n", path);
		exit(2);
	}
	buf[n] = '\0';
	fclose(f);
	if (ret_len)
		*ret_len = (size_t)n;
	return buf;
}

/* Open file descriptors of this process (a leak check compares two counts). */
static inline int tap_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && atoi(de->d_name) != dirfd(d))
			n++;
	closedir(d);
	return n;
}

static inline int tap_rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* rm -rf DIR (a test's scratch directory), saying so when it cannot. */
static inline void tap_rm_rf(const char *dir)
{
	if (nftw(dir, tap_rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "# could not remove %s\n", dir);
}
