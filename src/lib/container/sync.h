/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * Parent <-> container process protocol over a SOCK_SEQPACKET pair (one
 * message per send, EOF when the peer exits or execs: the child's end is
 * O_CLOEXEC, so EOF after GO means the user process was exec'ed).
 */
#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"

enum sync_type {
	SYNC_GO = 1,       /* parent -> child: maps written, everything ready; pid = host pid */
	SYNC_ERROR,        /* child -> parent: setup failed, msg says why */
	SYNC_READY,        /* child -> parent: set up, waiting for start */
	SYNC_MAPS,         /* stage 1 -> parent: user namespace made, write its maps */
	SYNC_MAPS_DONE,    /* parent -> stage 1 */
	SYNC_PID,          /* stage 1 -> parent: pid of the container process */
	SYNC_TTY,          /* child -> parent: the pty master, with SCM_RIGHTS */
	SYNC_TTY_DONE,     /* parent -> child: the pty has its size, go on */
	SYNC_SECCOMP,      /* child -> parent: the seccomp listener, with SCM_RIGHTS */
	SYNC_SECCOMP_DONE, /* parent -> child: the agent has it, go on */
};

struct sync_msg {
	uint32_t type;
	int32_t code;
	int32_t pid;
	char msg[HULL_ERR_MSG_MAX];
};

int sync_send(int fd, enum sync_type type, int32_t pid);
int sync_send_error(int fd, const struct hull_error *e);
/* Send a header-only message carrying `pass` with SCM_RIGHTS. */
int sync_send_fd(int fd, enum sync_type type, int pass);
/* Receive one message; returns 1 on message, 0 on EOF, -errno on error. */
int sync_recv(int fd, struct sync_msg *m);
/* Same, also taking an fd passed with it (*ret_fd, -1 when none; CLOEXEC). */
int sync_recv_fd(int fd, struct sync_msg *m, int *ret_fd);
