/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* Scope-based cleanup helpers. Ownership is transferred with take_ptr()/take_fd(). */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static inline void hull_freep(void *p)
{
	free(*(void **)p);
}

static inline void hull_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

#define _cleanup_free_  __attribute__((cleanup(hull_freep)))
#define _cleanup_close_ __attribute__((cleanup(hull_closep)))

#define take_ptr(p)                                                                                \
	({                                                                                         \
		__typeof__(p) _t = (p);                                                            \
		(p) = NULL;                                                                        \
		_t;                                                                                \
	})
#define take_fd(fd)                                                                                \
	({                                                                                         \
		int _f = (fd);                                                                     \
		(fd) = -1;                                                                         \
		_f;                                                                                \
	})

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
