/* SPDX-License-Identifier: Apache-2.0 */
/* `update --resources FILE` → hull_resources_load_buffer() against a small
 * owner spec: no crash, no leak, and accepted resources keep the promises the
 * cgroup code relies on (validate.c). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec/spec.h"
#include "spec/spec_resources.h"

#define ASSERT(x)                                                                                  \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

static const char owner_json[] = "{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"rootfs\"},"
                                 "\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"]}}";

static bool rwm_subset(const char *s)
{
	return s[0] && strspn(s, "rwm") == strlen(s) && strlen(s) <= 3;
}

static void check_accepted(const struct hull_resources *r)
{
	for (size_t i = 0; i < r->n_devices; i++) {
		const struct hull_device_cgroup *d = &r->devices[i];
		ASSERT(d->type == 'a' || d->type == 'b' || d->type == 'c');
		ASSERT(!d->access || rwm_subset(d->access));
		/* -1 (any) or a 32-bit number: the v2 device program compares them
		 * as 32-bit immediates (cgroup/devices_bpf.c) */
		ASSERT(!d->has_major || (d->major >= -1 && d->major <= UINT32_MAX));
		ASSERT(!d->has_minor || (d->minor >= -1 && d->minor <= UINT32_MAX));
	}
	ASSERT(!r->memory.has_limit || r->memory.limit >= -1);
	ASSERT(!r->memory.has_swap || r->memory.swap >= -1);
	ASSERT(!r->memory.has_swappiness || r->memory.swappiness <= 100);
	ASSERT(!r->cpu.has_quota || r->cpu.quota >= -1);
	ASSERT(!r->cpu.has_idle || r->cpu.idle == 0 || r->cpu.idle == 1);
	ASSERT(!r->pids.has_limit || r->pids.limit >= -1);
	for (size_t i = 0; i < r->n_hugepage_limits; i++)
		ASSERT(r->hugepage_limits[i].page_size &&
		       r->hugepage_limits[i].page_size_bytes >= 1024);
	for (size_t i = 0; i < r->blkio.n_weight_devices; i++)
		ASSERT(r->blkio.weight_devices[i].has_weight ||
		       r->blkio.weight_devices[i].has_leaf_weight);
	for (size_t i = 0; i < r->network.n_priorities; i++)
		ASSERT(r->network.priorities[i].name);
	for (size_t i = 0; i < r->n_rdma; i++)
		ASSERT(r->rdma[i].device &&
		       (r->rdma[i].has_hca_handles || r->rdma[i].has_hca_objects));
	/* unified keys become file names in the container's cgroup directory */
	for (size_t i = 0; i < r->n_unified; i++) {
		const char *k = r->unified[i].key;
		ASSERT(k[0] && !strchr(k, '/') && strcmp(k, ".") != 0 && strcmp(k, "..") != 0);
		ASSERT(r->unified[i].value);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hull_error err = {0};
	struct hull_spec *owner = NULL;
	struct hull_resources *res = NULL;

	if (hull_spec_load_buffer("config.json", owner_json, sizeof(owner_json) - 1, &owner, &err) <
	    0)
		abort();
	if (hull_resources_load_buffer("resources.json", (const char *)data, size, owner, &res,
	                               &err) == 0) {
		ASSERT(res);
		check_accepted(res);
	} else {
		ASSERT(err.code != 0);
		ASSERT(strncmp(err.msg, "resources.json:", 15) == 0 || err.code == ENOMEM);
	}
	hull_spec_free(owner);
	return 0;
}
