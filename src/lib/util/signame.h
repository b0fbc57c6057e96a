/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* Signal names as `kill` takes them: "9", "KILL", "SIGKILL" (any case),
 * "RTMIN+3". Returns the number, or -EINVAL. */
int hull_signal_parse(const char *s);
