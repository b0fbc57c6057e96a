/* SPDX-License-Identifier: Apache-2.0 */
#include "number.h"

#include <errno.h>
#include <stdlib.h>

/* The number at the start of s; *end past it. -EINVAL: none, or out of range. */
static int prefix(const char *s, char **end, int64_t *ret)
{
	long long v;

	errno = 0;
	v = strtoll(s, end, 10);
	if (*end == s || errno == ERANGE)
		return -EINVAL;
	*ret = v;
	return 0;
}

int hull_int_parse(const char *s, int64_t *ret)
{
	char *end;
	int64_t v;

	if (prefix(s, &end, &v) < 0 || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

int hull_size_parse(const char *s, int64_t *ret)
{
	char *end;
	int64_t v, unit = 1;

	if (prefix(s, &end, &v) < 0)
		return -EINVAL;
	switch (*end) {
	case 'k':
	case 'K':
		unit = INT64_C(1) << 10;
		end++;
		break;
	case 'm':
	case 'M':
		unit = INT64_C(1) << 20;
		end++;
		break;
	case 'g':
	case 'G':
		unit = INT64_C(1) << 30;
		end++;
		break;
	default:
		break;
	}
	if (*end == 'b' || *end == 'B')
		end++;
	/* a multiplication, not a shift: "-1k" is -1024, not undefined */
	if (*end || __builtin_mul_overflow(v, unit, &v))
		return -EINVAL;
	*ret = v;
	return 0;
}
