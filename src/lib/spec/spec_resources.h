/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * linux.resources (config-linux.md "Control groups"), as parsed and
 * validated by the spec module. Optional scalars carry a has_* flag so the
 * cgroup code can tell "absent" (leave the kernel's value alone) from 0.
 * Sub-objects carry `present`. Strings point into the spec's JSON document.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec.h"

/* resources.devices[]: the device allow/deny list, applied in order. */
struct hull_device_cgroup {
	bool allow;
	char type; /* 'a', 'c' or 'b'; 'a' when absent */
	bool has_major, has_minor;
	int64_t major, minor; /* absent or -1: wildcard ('*') */
	const char *access;   /* non-empty subset of "rwm"; NULL when absent (= "rwm") */
};

struct hull_memory {
	bool present;
	bool has_limit, has_reservation, has_swap, has_kernel, has_kernel_tcp;
	int64_t limit, reservation, swap, kernel, kernel_tcp; /* bytes, -1 = unlimited */
	bool has_swappiness;
	uint64_t swappiness; /* 0..100 */
	bool has_disable_oom_killer, disable_oom_killer;
	bool has_use_hierarchy, use_hierarchy;
	bool has_check_before_update, check_before_update;
};

struct hull_cpu {
	bool present;
	bool has_shares, has_quota, has_burst, has_period;
	bool has_realtime_runtime, has_realtime_period, has_idle;
	uint64_t shares;
	int64_t quota; /* microseconds per period, -1 = unlimited */
	uint64_t burst;
	uint64_t period;
	int64_t realtime_runtime;
	uint64_t realtime_period;
	int64_t idle;
	const char *cpus, *mems; /* "0-3,7" lists (syntax checked), NULL when absent */
};

struct hull_blkio_weight_device {
	int64_t major, minor;
	bool has_weight, has_leaf_weight; /* at least one is set */
	uint16_t weight, leaf_weight;
};

struct hull_blkio_throttle_device {
	int64_t major, minor;
	uint64_t rate; /* bytes/s or IO/s */
};

struct hull_blkio_throttles {
	struct hull_blkio_throttle_device *v;
	size_t n;
};

struct hull_blkio {
	bool present;
	bool has_weight, has_leaf_weight;
	uint16_t weight, leaf_weight;
	struct hull_blkio_weight_device *weight_devices;
	size_t n_weight_devices;
	struct hull_blkio_throttles throttle_read_bps, throttle_write_bps;
	struct hull_blkio_throttles throttle_read_iops, throttle_write_iops;
};

struct hull_hugepage_limit {
	const char *page_size;    /* as written: "2MB", "64KB", "1GB" */
	uint64_t page_size_bytes; /* the same in bytes (base 1024) */
	uint64_t limit;
};

struct hull_net_priority {
	const char *name; /* interface name in the runtime network namespace */
	uint32_t priority;
};

struct hull_network {
	bool present;
	bool has_class_id;
	uint32_t class_id;
	struct hull_net_priority *priorities;
	size_t n_priorities;
};

struct hull_pids {
	bool present;
	bool has_limit;
	int64_t limit; /* -1 = no limit ("max"); 0 is a real limit */
};

struct hull_rdma {
	const char *device;                    /* key of resources.rdma */
	bool has_hca_handles, has_hca_objects; /* at least one is set */
	uint32_t hca_handles, hca_objects;
};

struct hull_resources {
	struct hull_device_cgroup *devices;
	size_t n_devices;
	struct hull_memory memory;
	struct hull_cpu cpu;
	struct hull_blkio blkio;
	struct hull_hugepage_limit *hugepage_limits;
	size_t n_hugepage_limits;
	struct hull_network network;
	struct hull_pids pids;
	struct hull_rdma *rdma;
	size_t n_rdma;
	/* cgroup v2 files: keys are plain file names (no '/', not "." or ".."). */
	struct hull_kv *unified;
	size_t n_unified;
};
