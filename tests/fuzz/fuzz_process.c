/* SPDX-License-Identifier: Apache-2.0 */
/* process.json → hull_process_load_buffer() against a small owner spec. */
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

static const char owner_json[] = "{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"rootfs\"},"
                                 "\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"]}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_error err = {0};
	struct hull_spec *owner = NULL;
	struct hull_process proc;

	if (hull_spec_load_buffer("config.json", owner_json, sizeof(owner_json) - 1, &owner, &err) <
	    0)
		abort();
	if (hull_process_load_buffer("process.json", (const char *)data, size, owner, &proc,
	                             &err) == 0) {
		ASSERT(proc.args && proc.args[0] && proc.cwd && proc.cwd[0] == '/' && proc.env);
	} else {
		ASSERT(strncmp(err.msg, "process.json:", 13) == 0 || err.code == ENOMEM);
	}
	hull_spec_free(owner);
	return 0;
}
