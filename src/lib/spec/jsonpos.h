/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * Where is a value in a JSON text? jansson does not keep value positions, so
 * on the error path we scan the original text for the value at a JSON path.
 * The text is one jansson already accepted; the scanner still never reads out
 * of bounds whatever it is given.
 */
#include <stdbool.h>
#include <stddef.h>

/* One step of a JSON path, linked towards the root on the caller's stack
 * (building it costs nothing until an error needs it). NULL is the root. */
struct jpath {
	const struct jpath *up;
	const char *key; /* member name, or NULL for an array element */
	size_t index;
};

#define JP_KEY(parent, k) ((struct jpath){.up = (parent), .key = (k), .index = 0})
#define JP_IDX(parent, i) ((struct jpath){.up = (parent), .key = NULL, .index = (i)})

/*
 * Byte offset in buf where the value at `path` starts. When a step is
 * missing (a "missing member" error), the offset of the deepest value found
 * on the way (the object that lacks it). *ret_found tells which (may be NULL).
 */
size_t jsonpos_find(const char *buf, size_t len, const struct jpath *path, bool *ret_found);

/* 1-based line and column (in characters, as jansson counts) of offset. */
void jsonpos_linecol(const char *buf, size_t len, size_t offset, unsigned *ret_line,
                     unsigned *ret_col);

/* "mounts[2].options[1]", "linux.sysctl[\"net.ipv4.ip_forward\"]", "" for the root.
 * Truncated to size (always NUL-terminated). */
void jpath_format(const struct jpath *path, char *out, size_t size);

/*
 * Integer literal at offset (optional '-', digits, then no fraction or
 * exponent)? Returns false if not; else *ret_neg, *ret_mag and *ret_huge
 * (magnitude beyond UINT64_MAX).
 */
bool jsonpos_integer_at(const char *buf, size_t len, size_t offset, bool *ret_neg,
                        unsigned long long *ret_mag, bool *ret_huge);

/*
 * jansson only has int64 integers and fails the whole parse on a larger
 * literal (uint64 fields such as rlimits legitimately hold 2^64-1). Rewrite,
 * in place and with the same length, every integer literal outside int64 as
 * a real ("0.000…"), so jansson parses the document with unchanged positions;
 * readers that get a real then read the exact literal from the original text.
 * Returns the number of literals rewritten.
 */
size_t jsonpos_rewrite_bigints(char *buf, size_t len);
