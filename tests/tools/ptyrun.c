/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ptyrun: runs a command on a new terminal, as a person at a shell would, for the tests.
 *
 *   ptyrun [-w ROWSxCOLS] [-i INPUT] [-r MARKER=ROWSxCOLS] [-o OUT] [-t SECONDS] -- CMD [ARG...]
 *
 * CMD runs in a new session whose controlling terminal (and stdin, stdout, stderr) is the
 * slave of a new pty, of window size -w (default 24x80). ptyrun types INPUT (-i) on it, copies
 * everything CMD writes there to OUT (appending; default stdout) and, once that output contains
 * MARKER (-r), resizes the terminal to ROWSxCOLS (the kernel sends SIGWINCH to CMD). It exits
 * with CMD's status (128+N when killed by signal N) once CMD is gone and the output drained;
 * after SECONDS (-t, default 20) it kills CMD and exits 124.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "ptyrun: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fputs("usage: ptyrun [-w RxC] [-i INPUT] [-r MARKER=RxC] [-o OUT] [-t SECONDS] -- CMD...\n",
	      stderr);
	exit(2);
}

static void parse_size(const char *s, struct winsize *ws)
{
	unsigned r, c;

	if (sscanf(s, "%ux%u", &r, &c) != 2)
		usage();
	memset(ws, 0, sizeof(*ws));
	ws->ws_row = (unsigned short)r;
	ws->ws_col = (unsigned short)c;
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		buf += n;
		len -= (size_t)n;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *input = NULL, *out = NULL, *marker = NULL;
	struct winsize ws = {.ws_row = 24, .ws_col = 80}, resize = {0};
	double limit = 20, deadline, drain_until = 0;
	char *seen = NULL, *slave;
	size_t seen_len = 0;
	int opt, master, ofd = 1, status = 0, resized = 0, exited = 0;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+w:i:r:o:t:")) != -1) {
		switch (opt) {
		case 'w':
			parse_size(optarg, &ws);
			break;
		case 'i':
			input = optarg;
			break;
		case 'r': {
			char *eq = strrchr(optarg, '=');
			if (!eq)
				usage();
			*eq = '\0';
			marker = optarg;
			parse_size(eq + 1, &resize);
			break;
		}
		case 'o':
			out = optarg;
			break;
		case 't':
			limit = strtod(optarg, NULL);
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		die("posix_openpt");
	slave = ptsname(master);
	if (!slave)
		die("ptsname");
	if (ioctl(master, TIOCSWINSZ, &ws) < 0)
		die("TIOCSWINSZ");
	if (out) {
		ofd = open(out, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (ofd < 0)
			die(out);
	}

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int s;
		if (setsid() < 0)
			die("setsid");
		s = open(slave, O_RDWR);
		if (s < 0)
			die(slave);
		if (ioctl(s, TIOCSCTTY, 0) < 0)
			die("TIOCSCTTY");
		if (dup2(s, 0) < 0 || dup2(s, 1) < 0 || dup2(s, 2) < 0)
			die("dup2");
		if (s > 2)
			close(s);
		execvp(argv[optind], argv + optind);
		die(argv[optind]);
	}

	if (input)
		write_all(master, input, strlen(input));
	deadline = now() + limit;
	for (;;) {
		struct pollfd p = {.fd = master, .events = POLLIN};
		int r = poll(&p, 1, 50);
		if (r < 0 && errno != EINTR)
			die("poll");
		if (r > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
			char buf[4096];
			ssize_t n = read(master, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) { /* EIO: every slave end is closed */
				if (!exited && waitpid(pid, &status, 0) == pid)
					exited = 1;
				break;
			}
			write_all(ofd, buf, (size_t)n);
			if (marker && !resized) {
				char *ns = realloc(seen, seen_len + (size_t)n + 1);
				if (!ns)
					die("realloc");
				seen = ns;
				memcpy(seen + seen_len, buf, (size_t)n);
				seen_len += (size_t)n;
				seen[seen_len] = '\0';
				if (strstr(seen, marker)) {
					if (ioctl(master, TIOCSWINSZ, &resize) < 0)
						die("TIOCSWINSZ");
					resized = 1;
				}
			}
			continue;
		}
		if (!exited && waitpid(pid, &status, WNOHANG) == pid) {
			exited = 1;
			drain_until = now() + 0.3; /* something may still hold the slave */
		}
		if (exited && r == 0 && now() > drain_until)
			break;
		if (!exited && now() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fprintf(stderr, "ptyrun: timed out after %gs\n", limit);
			return 124;
		}
	}
	if (!exited)
		waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
