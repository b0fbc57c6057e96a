/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* 64-bit FNV-1a: stable across builds and hosts, for names and cache keys
 * derived from ids (never for anything an attacker could want to collide). */
#include <stddef.h>
#include <stdint.h>

#define HULL_FNV_BASIS 1469598103934665603ULL

/* Continue hash h (start with HULL_FNV_BASIS) over len bytes of p. */
static inline uint64_t hull_fnv(uint64_t h, const void *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ ((const unsigned char *)p)[i]) * 1099511628211ULL;
	return h;
}
