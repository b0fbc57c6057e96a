/* SPDX-License-Identifier: Apache-2.0 */
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int fix_code(int code)
{
	if (code < 0)
		code = -code;
	return code ? code : EINVAL;
}

int hull_err(struct hull_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	code = fix_code(code);
	if (e) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
		e->code = code;
	}
	return -code;
}

int hull_err_sys(struct hull_error *e, int code, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	code = fix_code(code);
	if (e) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
		n = strlen(e->msg);
		snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", strerror(code));
		e->code = code;
	}
	return -code;
}

int hull_err_prefix(struct hull_error *e, const char *fmt, ...)
{
	char buf[2 * HULL_ERR_MSG_MAX + 2];
	va_list ap;
	size_t n;

	if (!e)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(buf, HULL_ERR_MSG_MAX, fmt, ap);
	va_end(ap);
	n = strlen(buf);
	memcpy(buf + n, ": ", 2);
	memcpy(buf + n + 2, e->msg, strnlen(e->msg, HULL_ERR_MSG_MAX - 1) + 1);
	buf[n + 2 + strnlen(e->msg, HULL_ERR_MSG_MAX - 1)] = '\0';
	memcpy(e->msg, buf, HULL_ERR_MSG_MAX - 1);
	e->msg[HULL_ERR_MSG_MAX - 1] = '\0';
	e->code = fix_code(e->code);
	return -e->code;
}

void hull_err_clear(struct hull_error *e)
{
	if (e) {
		e->code = 0;
		e->msg[0] = '\0';
	}
}
