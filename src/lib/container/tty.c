/* SPDX-License-Identifier: Apache-2.0 */
#include "tty.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "fs/rootfs.h"
#include "sync.h"
#include "util/cleanup.h"
#include "util/sys.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int tty_child_setup(const struct hull_process *p, int sync_fd, bool console, struct hull_error *err)
{
	int unlock = 0, ret;
	_cleanup_close_ int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (master < 0)
		return hull_err_sys(err, errno, "process.terminal: open /dev/ptmx");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return hull_err_sys(err, errno, "process.terminal: unlock pty");
	/* The peer by fd, not by a /dev/pts path the rootfs could redirect. */
	_cleanup_close_ int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return hull_err_sys(err, errno, "process.terminal: open the pty peer");
	if (p->has_console_size) {
		struct winsize ws = {.ws_row = (unsigned short)p->console_height,
		                     .ws_col = (unsigned short)p->console_width};
		if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
			return hull_err_sys(err, errno, "process.consoleSize");
	}
	if (console && (ret = fs_console_mount(slave, err)) < 0)
		return ret;
	/* The user process owns its terminal (it may not be root). */
	if (fchown(slave, p->user.uid, (gid_t)-1) < 0 && errno != EINVAL && errno != EPERM)
		return hull_err_sys(err, errno, "process.terminal: chown the pty");
	if ((ret = sync_send_fd(sync_fd, SYNC_TTY, master)) < 0)
		return hull_err_sys(err, -ret, "process.terminal: send the pty");
	/* hull gives it its terminal's size before the program can ask. */
	struct sync_msg m;
	if (sync_recv(sync_fd, &m) != 1 || m.type != SYNC_TTY_DONE)
		return hull_err(err, EPIPE, "process.terminal: hull went away");
	if (setsid() < 0 && errno != EPERM)
		return hull_err_sys(err, errno, "setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return hull_err_sys(err, errno, "process.terminal: make the pty our terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return hull_err_sys(err, errno, "process.terminal: dup2");
	return 0;
}

int tty_console_connect(const char *path, struct hull_error *err)
{
	int fd = unix_connect(path);

	if (fd < 0)
		return hull_err_sys(err, -fd, "connect to --console-socket %s", path);
	return fd;
}

int tty_console_send(int sock, int master, struct hull_error *err)
{
	static const char payload[] = "/dev/ptmx";
	int r = send_fd(sock, payload, sizeof(payload) - 1, master);

	if (r < 0)
		return hull_err_sys(err, -r, "send the pty master to the console socket");
	return 0;
}

/* Copy what is readable from `from` to `to`; returns bytes, 0 at EOF, -errno. */
static ssize_t pump(int from, int to)
{
	char buf[16384];
	ssize_t n;

	do
		n = read(from, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n < 0 ? -errno : 0;
	if (write_all(to, buf, (size_t)n) < 0)
		return -EPIPE;
	return n;
}

void tty_copy_winsize(int from, int to)
{
	struct winsize ws;

	if (ioctl(from, TIOCGWINSZ, &ws) == 0)
		ioctl(to, TIOCSWINSZ, &ws);
}

int tty_relay(int master, int pidfd, pid_t pid, int *ret_status, struct hull_error *err)
{
	struct termios saved, raw;
	bool is_tty = tcgetattr(0, &saved) == 0, in_open = true, out_open = true;
	sigset_t all;
	int status = 0;

	sigfillset(&all);
	_cleanup_close_ int sfd = signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		return hull_err_sys(err, errno, "signalfd");
	if (is_tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
		tty_copy_winsize(0, master);
	}
	for (;;) {
		struct pollfd p[4] = {{.fd = sfd, .events = POLLIN},
		                      {.fd = pidfd, .events = POLLIN},
		                      {.fd = out_open ? master : -1, .events = POLLIN},
		                      {.fd = in_open ? 0 : -1, .events = POLLIN}};
		if (poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[2].revents & (POLLIN | POLLHUP | POLLERR))
			out_open = pump(master, 1) > 0;
		if (p[3].revents & (POLLIN | POLLHUP | POLLERR))
			in_open = pump(0, master) > 0;
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				int sig = (int)si.ssi_signo;
				if (sig == SIGWINCH && is_tty)
					tty_copy_winsize(0, master);
				else if (sig != SIGCHLD && sig != SIGURG && sig != SIGWINCH)
					sys_pidfd_send_signal(pidfd, sig);
			}
		}
		if (p[1].revents & POLLIN) {
			/* Drain what the process wrote before it exited. */
			while (out_open) {
				struct pollfd o = {.fd = master, .events = POLLIN};
				if (poll(&o, 1, 0) <= 0 || pump(master, 1) <= 0)
					break;
			}
			break;
		}
	}
	if (is_tty)
		tcsetattr(0, TCSANOW, &saved);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*ret_status = status;
	return 0;
}
