/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* Names used in config.json, for code that reports or maps them. */

/* Highest capability number hull knows (CAP_CHECKPOINT_RESTORE, Linux 5.9). */
#define HULL_CAP_LAST 40

/* "CAP_CHOWN" (any case) → 0, or -1 when unknown. */
int hull_cap_from_name(const char *name);
/* 0 → "CAP_CHOWN", NULL when unknown. */
const char *hull_cap_name(int cap);

/* RLIMIT_NOFILE → "RLIMIT_NOFILE", NULL when unknown. */
const char *hull_rlimit_name(int resource);
