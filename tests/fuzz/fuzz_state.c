/* SPDX-License-Identifier: Apache-2.0 */
/* state.json (written by hull, read back from the state root: semi-trusted)
 * → state_from_doc(), as state_load() does after json_load_file(), then
 * state_to_json() (`hull state`, `hull list`), whose output must be JSON. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "state/state.h"

#define ASSERT(x)                                                                                  \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_error err = {0};
	struct hull_state_info info;
	json_error_t je;
	json_t *doc = json_loadb((const char *)data, size, 0, &je);

	if (!doc)
		return 0; /* state_load: a create in progress (or a dead one) */
	memset(&info, 0, sizeof(info));
	if (state_from_doc(doc, "state.json", &info, &err) < 0) {
		ASSERT(err.code != 0 && strncmp(err.msg, "state.json: ", 12) == 0);
		return 0;
	}
	ASSERT(info.st.id && info.st.status && info.st.bundle && info.st.rootfs &&
	       info.st.created && info.st.cgroup);
	for (int stopped = 0; stopped < 2; stopped++) {
		char *text = state_to_json(&info, stopped ? "stopped" : info.st.status, stopped);
		ASSERT(text);
		json_t *back = json_loads(text, 0, &je);
		ASSERT(back && json_is_object(back));
		ASSERT(strcmp(json_string_value(json_object_get(back, "id")), info.st.id) == 0);
		json_decref(back);
		free(text);
	}
	state_info_free(&info);
	return 0;
}
