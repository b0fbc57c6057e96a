/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* Command-line numbers (`update --memory 512m`, `--cpu-quota 50000`). */
#include <stdint.h>

/* A decimal integer spanning the whole string (strtoll's leading blanks and
 * sign allowed). 0, or -EINVAL when it is not one or does not fit in int64. */
int hull_int_parse(const char *s, int64_t *ret);

/* Bytes: a decimal integer with an optional k, m or g suffix (any case, base
 * 1024) and an optional trailing b: "512m", "1G", "4096", "-1" (unlimited).
 * 0, or -EINVAL when it is not one or the result does not fit in int64. */
int hull_size_parse(const char *s, int64_t *ret);
