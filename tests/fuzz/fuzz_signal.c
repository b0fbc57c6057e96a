/* SPDX-License-Identifier: Apache-2.0 */
/* `kill ID SIGNAL` → hull_signal_parse(): a valid signal number or -EINVAL,
 * and a number given in decimal parses to itself. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/signame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	int sig = hull_signal_parse(s);
	if (sig != -EINVAL && (sig < 1 || sig > SIGRTMAX))
		abort();
	if (sig > 0 && s[0] >= '0' && s[0] <= '9' && strtol(s, NULL, 10) != sig)
		abort();
	free(s);
	return 0;
}
