/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * mounts[].options → struct hull_mount_opts (spec.h), per the "Linux mount
 * options" table of config.md and mount(8). Options apply in order, so a
 * later option overrides an earlier one ("ro,rw" is rw). Unknown options are
 * filesystem data, joined with ',' in order.
 */
#include "spec.h"

/* options: NULL-terminated, may be NULL. On success *ret is filled (free with
 * hull_mount_opts_done); on failure it is untouched. */
int hull_mount_opts_parse(const char *const *options, struct hull_mount_opts *ret,
                          struct hull_error *err);

/* Release ret->data; accepts NULL and zeroed structs. */
void hull_mount_opts_done(struct hull_mount_opts *opts);

/* The i-th known option name (sorted), NULL past the end: for `features`. */
const char *hull_mount_opt_name(size_t i);
