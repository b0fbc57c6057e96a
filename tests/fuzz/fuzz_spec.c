/* SPDX-License-Identifier: Apache-2.0 */
/* config.json → hull_spec_load_buffer(): no crash, no leak, and an accepted
 * spec keeps the promises the rest of hull relies on. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec/spec.h"

#define ASSERT(x)                                                                                  \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

static void check_accepted(const struct hull_spec *s)
{
	ASSERT(s->oci_version && s->root_path && s->has_process);
	ASSERT(s->process.args && s->process.args[0] && s->process.args[0][0]);
	ASSERT(s->process.cwd && s->process.cwd[0] == '/');
	ASSERT(s->process.env);
	for (size_t i = 0; i < s->n_mounts; i++) {
		ASSERT(s->mounts[i].destination && s->mounts[i].destination[0]);
		ASSERT(!s->mounts[i].opts.bind || s->mounts[i].source);
	}
	for (size_t i = 0; i < s->process.n_rlimits; i++)
		ASSERT(s->process.rlimits[i].soft <= s->process.rlimits[i].hard);
	for (size_t i = 0; i < s->n_annotations; i++)
		ASSERT(hull_spec_annotation(s, s->annotations[i].key));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_error err = {0};
	struct hull_spec *s = NULL;

	if (hull_spec_load_buffer("config.json", (const char *)data, size, &s, &err) == 0) {
		check_accepted(s);
		hull_spec_free(s);
	} else {
		/* every refusal says where: "config.json:L:C: ..." */
		ASSERT(s == NULL && err.code != 0);
		ASSERT(strncmp(err.msg, "config.json:", 12) == 0 || err.code == ENOMEM);
	}
	return 0;
}
