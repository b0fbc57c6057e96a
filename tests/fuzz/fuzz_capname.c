/* SPDX-License-Identifier: Apache-2.0 */
/* `exec --cap NAME` and the capability lists of config.json →
 * hull_cap_from_name(): a known capability number or -1, and the name maps
 * back to itself (any case). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spec/spec_names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	int cap = hull_cap_from_name(s);
	if (cap < -1 || cap > HULL_CAP_LAST)
		abort();
	if (cap >= 0 && (!hull_cap_name(cap) || strcasecmp(hull_cap_name(cap), s) != 0))
		abort();
	free(s);
	return 0;
}
