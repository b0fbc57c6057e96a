/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* Compiled seccomp filters cached under the state root (seccomp_cache.c). */
#include <linux/filter.h>
#include <stddef.h>

struct hull_seccomp;

/* Everything the compiled program depends on, as one string (malloc'ed;
 * *ret_len bytes). NULL: do not cache (no build id, no memory). */
char *seccomp_cache_key(const struct hull_seccomp *s, size_t *ret_len);

/* <root>/.seccomp, opened (made the first time); -1 when it cannot be had. */
int seccomp_cache_open(const char *root);

/* The program compiled from key, when the cache directory has it: 0 and
 * ret->filter malloc'ed; -1 otherwise. */
int seccomp_cache_load(int dir, const char *key, size_t key_len, struct sock_fprog *ret);

/* Keep prog for key (best effort: a cache that cannot be written is no cache). */
void seccomp_cache_store(int dir, const char *key, size_t key_len, const struct sock_fprog *prog);
