/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * One error convention for the whole library: functions return 0 (or a
 * non-negative value) on success and a negative errno on failure, after
 * filling a struct hull_error with a message that names the operation and
 * the object. Callers add context with hull_err_prefix() as the error travels
 * up. The library never prints or exits; only src/cli/ does.
 */
#include <stdarg.h>
#include <stddef.h>

#define HULL_ERR_MSG_MAX 1024

struct hull_error {
	int code;                   /* positive errno, 0 = no error */
	char msg[HULL_ERR_MSG_MAX]; /* human readable, no trailing newline */
};

/* Set the error from a format; returns -code (code is a positive errno). */
int hull_err(struct hull_error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like hull_err, appending ": strerror(code)". */
int hull_err_sys(struct hull_error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepend "context: " to an existing message; returns -e->code. */
int hull_err_prefix(struct hull_error *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void hull_err_clear(struct hull_error *e);
