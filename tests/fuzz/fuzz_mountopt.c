/* SPDX-License-Identifier: Apache-2.0 */
/* mounts[].options → hull_mount_opts_parse(). The input is split on '\n'
 * into options; later options must win, so set and clear masks never
 * overlap (except the access-time field, cleared whole when set). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "spec/mountopt.h"

#define MAX_OPTS 64

#define ASSERT(x)                                                                                  \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *opts[MAX_OPTS + 1];
	struct hull_mount_opts o;
	char *buf = malloc(size + 1);
	size_t n = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	opts[n++] = buf;
	for (size_t i = 0; i < size && n < MAX_OPTS; i++) {
		if (buf[i] == '\n') {
			buf[i] = '\0';
			opts[n++] = buf + i + 1;
		}
	}
	opts[n] = NULL;
	if (hull_mount_opts_parse(opts, &o, NULL) == 0) {
		ASSERT((o.flags & o.clear) == 0);
		ASSERT((o.rec_attr_set & o.rec_attr_clr & ~(uint64_t)MOUNT_ATTR__ATIME) == 0);
		ASSERT(!o.recursive_bind || o.bind);
		ASSERT(!(o.idmap && o.ridmap));
		ASSERT(!o.data || (o.data[0] && strlen(o.data) <= size));
		hull_mount_opts_done(&o);
	}
	free(buf);
	return 0;
}
