/* SPDX-License-Identifier: Apache-2.0 */
/* `update --memory 512m`, `--cpu-quota N`, ... → hull_size_parse() and
 * hull_int_parse(): no undefined behaviour (UBSan halts on signed overflow
 * and bad shifts), and the results agree with each other. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/number.h"

#define ASSERT(x)                                                                                  \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	int64_t n = 0, b = 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	int ri = hull_int_parse(s, &n), rb = hull_size_parse(s, &b);
	ASSERT(ri == 0 || ri == -EINVAL);
	ASSERT(rb == 0 || rb == -EINVAL);
	/* a plain integer is a size of that many bytes */
	if (ri == 0)
		ASSERT(rb == 0 && b == n);
	if (rb == 0 && ri < 0) {
		/* then it had a unit: k, m or g, or a b */
		size_t len = strlen(s);
		char last = s[len - 1];
		ASSERT(strchr("kKmMgGbB", last));
		if (strchr("kK", last) ||
		    (len > 1 && strchr("bB", last) && strchr("kK", s[len - 2])))
			ASSERT(b % 1024 == 0);
	}
	free(s);
	return 0;
}
