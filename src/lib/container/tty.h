/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * Terminals (process.terminal). The pty is allocated by the container process
 * in the container's own devpts (so it is /dev/pts/N inside), its master sent
 * to hull over the sync socket; hull hands it to the --console-socket (runc's
 * protocol: SCM_RIGHTS with a short payload) or relays it to its own stdio.
 */
#include <stdbool.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

/* Container process: open a pty in /dev/ptmx of the current root, send the
 * master over `sync_fd`, make the slave our controlling terminal and stdio;
 * with `console` (the container's init) also bind it onto /dev/console. */
int tty_child_setup(const struct hull_process *p, int sync_fd, bool console,
                    struct hull_error *err);

/* Connect to the console socket at `path` (before the clone: no path lookup
 * later in a changed root). Returns the socket fd. */
int tty_console_connect(const char *path, struct hull_error *err);

/* Send the pty master over a connected console socket. */
int tty_console_send(int sock, int master, struct hull_error *err);

/*
 * Foreground with a terminal: copy stdin -> master and master -> stdout
 * (stdin in raw mode when it is a terminal, restored on return; window size
 * copied on SIGWINCH), forward every other signal to the process, until it
 * exits. hull blocks the signals beforehand. Returns the wait status.
 */
/* Copy the window size of terminal `from` (if it is one) to `to`. */
void tty_copy_winsize(int from, int to);
int tty_relay(int master, int pidfd, pid_t pid, int *ret_status, struct hull_error *err);
