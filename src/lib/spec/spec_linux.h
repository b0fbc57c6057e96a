/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* linux.intelRdt and linux.memoryPolicy (config-linux.md), parsed and validated. */
#include <stdbool.h>
#include <stddef.h>

struct hull_intel_rdt {
	const char *clos_id;         /* NULL: use the container id; "/": the root group */
	const char *l3_cache_schema; /* no newlines */
	const char *mem_bw_schema;   /* starts with "MB:", no newlines */
	const char **schemata;       /* NULL-terminated or NULL, no newlines */
	bool enable_monitoring;
};

struct hull_memory_policy {
	int mode;          /* MPOL_DEFAULT, MPOL_BIND, ... (set_mempolicy(2)) */
	const char *nodes; /* "0-3,7" (syntax checked) or NULL */
	unsigned flags;    /* MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING */
};
