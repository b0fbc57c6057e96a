/* SPDX-License-Identifier: Apache-2.0 */
/* IPv4 leases: order, requested addresses, exhaustion, reclaim of dead
 * owners (and only those), owner handover, release, list, and 50 allocators
 * in 50 processes at once. A temporary netroot. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/ipam.h"
#include "net/netconf.h"
#include "state/state.h"
#include "tap.h"
#include "util/cleanup.h"

static char tmpdir[] = "/tmp/hull-test-ipam-XXXXXX";
static char root[PATH_MAX];
static int root_seq;

static const char *new_root(void)
{
	snprintf(root, sizeof(root), "%s/root%d", tmpdir, ++root_seq);
	return root;
}

static struct in_addr ip(const char *s)
{
	struct in_addr a = {0};
	if (inet_pton(AF_INET, s, &a) != 1)
		abort();
	return a;
}

static const char *str(struct in_addr a)
{
	static char buf[4][NETCONF_ADDR_STRLEN];
	static int next;
	return ipam_addr_str(a, buf[next++ % 4]);
}

/* A stored network in a fresh root ("hull" is the implicit default). */
static struct hull_network mknet(const char *r, const char *name, const char *subnet)
{
	struct hull_network net;
	struct hull_error err = {0};

	if (strcmp(name, "hull") == 0) {
		netconf_default(&net);
		return net;
	}
	if (netconf_init(&net, name, subnet, NULL, NULL, &err) < 0 ||
	    netconf_create(r, &net, &err) < 0) {
		fprintf(stderr, "# mknet %s: %s\n", name, err.msg);
		exit(2);
	}
	return net;
}

static const char *alloc(const char *r, const struct hull_network *net, const char *owner)
{
	struct hull_error err = {0};
	struct in_addr a;

	if (ipam_allocate(r, net, owner, NULL, &a, &err) < 0) {
		fprintf(stderr, "# allocate: %s\n", err.msg);
		return "error";
	}
	return str(a);
}

/* A child that lives until its pipe closes (or is killed). */
static pid_t sleeper(int *ret_fd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		abort();
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		(void)!read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	*ret_fd = p[1];
	return pid;
}

static void reap(pid_t pid, int fd)
{
	close(fd);
	waitpid(pid, NULL, 0);
}

static void order(void)
{
	const char *r = new_root();
	struct hull_network net = mknet(r, "hull", NULL);
	struct hull_error err = {0};

	CHECK_STR(alloc(r, &net, "c1"), "10.240.0.2"); /* .0 network, .1 gateway */
	CHECK_STR(alloc(r, &net, "c2"), "10.240.0.3");
	CHECK_STR(alloc(r, &net, "c3"), "10.240.0.4");
	/* A released address is not handed out again right away. */
	CHECK_INT(ipam_release(r, "hull", ip("10.240.0.3"), "c2", &err), 0);
	CHECK_STR(alloc(r, &net, "c4"), "10.240.0.5");
	CHECK_INT(ipam_count(r, "hull", &err), 3);

	/* The cursor across a byte boundary, and past the gateway in a
	 * network whose gateway is not .1. */
	struct hull_network n2;
	REQUIRE(netconf_init(&n2, "blue", "10.1.0.0/23", "10.1.1.0", NULL, &err) == 0);
	REQUIRE(netconf_create(r, &n2, &err) == 0);
	struct in_addr a;
	struct in_addr want = ip("10.1.0.255");
	REQUIRE(ipam_allocate(r, &n2, "x", &want, &a, &err) == 0);
	CHECK_STR(alloc(r, &n2, "y"), "10.1.0.1"); /* requested ones do not move the cursor */
	for (int i = 2; i < 254; i++)
		alloc(r, &n2, "y");
	CHECK_STR(alloc(r, &n2, "y"), "10.1.0.254");
	CHECK_STR(alloc(r, &n2, "y"), "10.1.1.1"); /* .0.255 taken, 1.0 the gateway */
}

static void requested(void)
{
	const char *r = new_root();
	struct hull_network net = mknet(r, "hull", NULL);
	struct hull_error err = {0};
	struct in_addr a;

	struct in_addr want = ip("10.240.0.7");
	CHECK_INT(ipam_allocate(r, &net, "c1", &want, &a, &err), 0);
	CHECK_STR(str(a), "10.240.0.7");
	CHECK_INT(ipam_allocate(r, &net, "c2", &a, &a, &err), -EADDRINUSE);
	CHECK_STR(err.msg, "10.240.0.7 is taken by container c1 in network hull");

	static const struct {
		const char *addr, *msg;
	} bad[] = {
	    {"10.9.0.1", "10.9.0.1 is not in network hull (10.240.0.0/16)"},
	    {"10.240.0.0", "10.240.0.0 is the network address of network hull (10.240.0.0/16)"},
	    {"10.240.255.255",
	     "10.240.255.255 is the broadcast address of network hull (10.240.0.0/16)"},
	    {"10.240.0.1", "10.240.0.1 is the gateway of network hull (10.240.0.0/16)"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct in_addr want = ip(bad[i].addr);
		CHECK_INT(ipam_allocate(r, &net, "c2", &want, &a, &err), -EINVAL);
		CHECK_STR(err.msg, bad[i].msg);
	}
	/* The automatic scan skips the requested one. */
	for (int i = 2; i < 7; i++)
		alloc(r, &net, "c3");
	CHECK_STR(alloc(r, &net, "c3"), "10.240.0.8");

	/* Bad owner ids never reach the disk. */
	CHECK_INT(ipam_allocate(r, &net, "../x", NULL, &a, &err), -EINVAL);
	CHECK_INT(ipam_allocate(r, &net, "", NULL, &a, &err), -EINVAL);
}

static void exhaustion(void)
{
	const char *r = new_root();
	struct hull_network n29 = mknet(r, "small", "10.1.0.0/29");
	struct hull_network n30 = mknet(r, "tiny", "10.2.0.0/30");
	struct hull_error err = {0};
	struct in_addr a;

	/* /29: .0 network, .1 gateway, .7 broadcast: five. */
	for (int i = 2; i <= 6; i++) {
		char want[32];
		snprintf(want, sizeof(want), "10.1.0.%d", i);
		CHECK_STR(alloc(r, &n29, "c"), want);
	}
	CHECK_INT(ipam_allocate(r, &n29, "c", NULL, &a, &err), -ENOSPC);
	CHECK_STR(err.msg, "no free address in network small (10.1.0.0/29)");
	/* Freed: the scan wraps around to it. */
	CHECK_INT(ipam_release(r, "small", ip("10.1.0.4"), NULL, &err), 0);
	CHECK_STR(alloc(r, &n29, "d"), "10.1.0.4");
	CHECK_INT(ipam_allocate(r, &n29, "c", NULL, &a, &err), -ENOSPC);
	CHECK_INT(ipam_count(r, "small", &err), 5);

	/* /30: a single host address besides the gateway. */
	CHECK_STR(alloc(r, &n30, "c"), "10.2.0.2");
	CHECK_INT(ipam_allocate(r, &n30, "c", NULL, &a, &err), -ENOSPC);
	CHECK_STR(err.msg, "no free address in network tiny (10.2.0.0/30)");
}

static void reclaim_dead(void)
{
	const char *r = new_root();
	struct hull_network net = mknet(r, "tiny", "10.2.0.0/30");
	struct hull_error err = {0};
	struct in_addr a, b;
	int fd;

	REQUIRE(ipam_allocate(r, &net, "c1", NULL, &a, &err) == 0);
	pid_t pid = sleeper(&fd);
	CHECK_INT(ipam_set_owner_pid(r, "tiny", a, "c1", pid, &err), 0);

	/* Alive: kept, by the scan, by a request and by count. */
	CHECK_INT(ipam_allocate(r, &net, "c2", NULL, &b, &err), -ENOSPC);
	CHECK_INT(ipam_allocate(r, &net, "c2", &a, &b, &err), -EADDRINUSE);
	CHECK_INT(ipam_count(r, "tiny", &err), 1);

	/* Dead (exited and reaped): the scan takes it over. */
	reap(pid, fd);
	CHECK_INT(ipam_allocate(r, &net, "c2", NULL, &b, &err), 0);
	CHECK_STR(str(b), str(a));

	/* Dead but not reaped (a zombie) counts as dead too. */
	pid = sleeper(&fd);
	CHECK_INT(ipam_set_owner_pid(r, "tiny", b, "c2", pid, &err), 0);
	close(fd);
	siginfo_t si;
	waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT);
	CHECK_INT(ipam_allocate(r, &net, "c3", &a, &b, &err), 0);
	waitpid(pid, NULL, 0);

	/* Counting and listing reclaim too. */
	pid = sleeper(&fd);
	CHECK_INT(ipam_set_owner_pid(r, "tiny", b, "c3", pid, &err), 0);
	reap(pid, fd);
	CHECK_INT(ipam_count(r, "tiny", &err), 0);
}

/* The pid alone is not the key: a lease naming a live pid with another
 * start time belongs to a process that is gone (the pid was recycled). */
static void recycled_pid(void)
{
	const char *r = new_root();
	struct hull_network net = mknet(r, "tiny", "10.2.0.0/30");
	struct hull_error err = {0};
	char path[PATH_MAX], text[128];
	struct in_addr a;

	snprintf(path, sizeof(path), "%s/leases/tiny/10.2.0.2", r);
	REQUIRE(ipam_allocate(r, &net, "c1", NULL, &a, &err) == 0);
	snprintf(text, sizeof(text), "{\"owner\":\"old\",\"pid\":%d,\"pidStart\":%llu}", getpid(),
	         (unsigned long long)state_pid_start(getpid()) + 1);
	FILE *f = fopen(path, "w");
	REQUIRE(f);
	fputs(text, f);
	fclose(f);
	CHECK_INT(ipam_allocate(r, &net, "c2", NULL, &a, &err), 0);
	CHECK_STR(str(a), "10.2.0.2");

	/* An unreadable lease (truncated by a crash) is dead as well. */
	f = fopen(path, "w");
	REQUIRE(f);
	fputs("{\"owner\":", f);
	fclose(f);
	CHECK_INT(ipam_allocate(r, &net, "c3", NULL, &a, &err), 0);
	CHECK_STR(str(a), "10.2.0.2");
}

/* hull create crashing between allocation and ipam_set_owner_pid: the
 * lease names the dead create process and is reclaimed. */
static void crashed_allocator(void)
{
	const char *r = new_root();
	struct hull_network net = mknet(r, "tiny", "10.2.0.0/30");
	struct hull_error err = {0};
	struct in_addr a;

	pid_t pid = fork();
	if (pid == 0) {
		struct in_addr x;
		_exit(ipam_allocate(r, &net, "c1", NULL, &x, &err) == 0 ? 0 : 1);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK_INT(status, 0);
	CHECK_INT(ipam_allocate(r, &net, "c2", NULL, &a, &err), 0);
	CHECK_STR(str(a), "10.2.0.2");

	/* Our own lease (this process is alive) is kept. */
	CHECK_INT(ipam_allocate(r, &net, "c3", NULL, &a, &err), -ENOSPC);
}

static void set_owner_pid(void)
{
	const char *r = new_root();
	struct hull_network net = mknet(r, "hull", NULL);
	struct hull_error err = {0};
	struct in_addr a;

	REQUIRE(ipam_allocate(r, &net, "c1", NULL, &a, &err) == 0);
	CHECK_INT(ipam_set_owner_pid(r, "hull", a, "c2", getpid(), &err), -EPERM);
	CHECK_STR(err.msg, "10.240.0.2 in network hull is leased to container c1, not c2");
	CHECK_INT(ipam_set_owner_pid(r, "hull", ip("10.240.0.9"), "c1", getpid(), &err), -ENOENT);
	CHECK_STR(err.msg, "no lease of 10.240.0.9 in network hull");
	CHECK_INT(ipam_set_owner_pid(r, "blue", a, "c1", getpid(), &err), -ENOENT);

	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	CHECK_INT(ipam_set_owner_pid(r, "hull", a, "c1", pid, &err), -ESRCH);
	CHECK_INT(ipam_count(r, "hull", &err), 1); /* still ours */
}

static void release(void)
{
	const char *r = new_root();
	struct hull_network net = mknet(r, "hull", NULL);
	struct hull_error err = {0};
	struct in_addr a;

	/* Nothing to release: success, and nothing created. */
	CHECK_INT(ipam_release(r, "hull", ip("10.240.0.2"), NULL, &err), 0);
	CHECK_INT(ipam_count(r, "hull", &err), 0);
	struct stat sb;
	CHECK(stat(r, &sb) < 0 && errno == ENOENT);

	REQUIRE(ipam_allocate(r, &net, "c1", NULL, &a, &err) == 0);
	/* Another owner's release leaves the lease alone. */
	CHECK_INT(ipam_release(r, "hull", a, "c2", &err), 0);
	CHECK_INT(ipam_count(r, "hull", &err), 1);
	CHECK_INT(ipam_release(r, "hull", a, "c1", &err), 0);
	CHECK_INT(ipam_count(r, "hull", &err), 0);
	CHECK_INT(ipam_release(r, "hull", a, "c1", &err), 0);

	CHECK_INT(ipam_release(r, "../x", a, NULL, &err), -EINVAL);
}

struct seen {
	char addr[8][NETCONF_ADDR_STRLEN];
	char owner[8][16];
	pid_t pid[8];
	int n;
};

static int collect(const struct hull_lease *l, void *userdata)
{
	struct seen *s = userdata;
	if (s->n < 8) {
		ipam_addr_str(l->addr, s->addr[s->n]);
		snprintf(s->owner[s->n], sizeof(s->owner[0]), "%s", l->owner);
		s->pid[s->n] = l->pid;
	}
	s->n++;
	return 0;
}

static void list(void)
{
	const char *r = new_root();
	struct hull_network net = mknet(r, "hull", NULL);
	struct hull_error err = {0};
	struct seen s = {0};
	struct in_addr a;
	int fd;

	CHECK_INT(ipam_list(r, "hull", collect, &s, &err), 0);
	CHECK_INT(s.n, 0);
	struct in_addr want = ip("10.240.1.0");
	REQUIRE(ipam_allocate(r, &net, "c9", &want, &a, &err) == 0);
	alloc(r, &net, "c1");
	alloc(r, &net, "c2");
	pid_t pid = sleeper(&fd);
	REQUIRE(ipam_allocate(r, &net, "dead", NULL, &a, &err) == 0);
	CHECK_INT(ipam_set_owner_pid(r, "hull", a, "dead", pid, &err), 0);
	reap(pid, fd);

	CHECK_INT(ipam_list(r, "hull", collect, &s, &err), 0);
	CHECK_INT(s.n, 3);
	/* By address (numerically: 10.240.0.3 before 10.240.1.0). */
	CHECK_STR(s.addr[0], "10.240.0.2");
	CHECK_STR(s.owner[0], "c1");
	CHECK_INT(s.pid[0], getpid());
	CHECK_STR(s.addr[1], "10.240.0.3");
	CHECK_STR(s.owner[1], "c2");
	CHECK_STR(s.addr[2], "10.240.1.0");
	CHECK_STR(s.owner[2], "c9");
}

/* 50 processes allocate at once: 50 different addresses. Each stays alive
 * until all have allocated, as a container would, so that no lease is dead
 * (and rightly reclaimed) before the end. */
static int contend(const char *r, const struct hull_network *net, int n, struct in_addr *out,
                   int *failures, char *last_err, size_t errsize)
{
	int go[2], done[2], results[2];
	pid_t pids[64];

	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0 || pipe2(results, O_CLOEXEC) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct {
				int ok;
				struct in_addr a;
				char msg[200];
			} res = {0};
			struct hull_error err = {0};
			char c, owner[16];
			close(go[1]);
			close(done[1]);
			(void)!read(go[0], &c, 1); /* all start together */
			snprintf(owner, sizeof(owner), "c%d", i);
			res.ok = ipam_allocate(r, net, owner, NULL, &res.a, &err) == 0;
			snprintf(res.msg, sizeof(res.msg), "%s", err.msg);
			(void)!write(results[1], &res, sizeof(res)); /* < PIPE_BUF: atomic */
			(void)!read(done[0], &c, 1);
			_exit(0);
		}
	}
	close(go[0]);
	close(done[0]);
	close(results[1]);
	close(go[1]);
	int got = 0;
	*failures = 0;
	for (int i = 0; i < n; i++) {
		struct {
			int ok;
			struct in_addr a;
			char msg[200];
		} res;
		if (read(results[0], &res, sizeof(res)) != (ssize_t)sizeof(res))
			break;
		if (res.ok)
			out[got++] = res.a;
		else {
			(*failures)++;
			snprintf(last_err, errsize, "%s", res.msg);
		}
	}
	close(results[0]);
	close(done[1]);
	for (int i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	return got;
}

static int cmp_addr(const void *a, const void *b)
{
	uint32_t x = ntohl(((const struct in_addr *)a)->s_addr);
	uint32_t y = ntohl(((const struct in_addr *)b)->s_addr);
	return x < y ? -1 : x > y;
}

static void concurrent(void)
{
	const char *r = new_root();
	struct hull_network net = mknet(r, "hull", NULL);
	struct hull_error err = {0};
	struct in_addr got[64];
	char last_err[200] = "";
	int failures = 0;

	/* Several rounds: an interleaving bug need not show on the first. */
	for (int round = 0; round < 5; round++) {
		int n = contend(r, &net, 50, got, &failures, last_err, sizeof(last_err));
		CHECK_INT(n, 50);
		CHECK_INT(failures, 0);
		if (failures)
			fprintf(stderr, "# %s\n", last_err);
		qsort(got, (size_t)n, sizeof(got[0]), cmp_addr);
		for (int i = 1; i < n; i++)
			if (got[i].s_addr == got[i - 1].s_addr)
				tap_fail(__FILE__, __LINE__, "round %d: %s handed out twice", round,
				         str(got[i]));
		for (int i = 0; i < n; i++)
			CHECK(netconf_subnet_contains(&net.subnet, got[i]) &&
			      got[i].s_addr != net.gateway.s_addr);
		/* The allocators have exited: their leases are all dead now. */
		CHECK_INT(ipam_count(r, "hull", &err), 0);
	}
}

/* 50 allocators for 29 addresses: exactly 29 win, the rest get ENOSPC. */
static void concurrent_exhaustion(void)
{
	const char *r = new_root();
	struct hull_network net = mknet(r, "small", "10.3.0.0/27");
	struct in_addr got[64];
	char last_err[200] = "";
	int failures = 0;

	int n = contend(r, &net, 50, got, &failures, last_err, sizeof(last_err));
	CHECK_INT(n, 29);
	CHECK_INT(failures, 21);
	CHECK_STR(last_err, "no free address in network small (10.3.0.0/27)");
	qsort(got, (size_t)n, sizeof(got[0]), cmp_addr);
	for (int i = 1; i < n; i++)
		if (got[i].s_addr == got[i - 1].s_addr)
			tap_fail(__FILE__, __LINE__, "%s handed out twice", str(got[i]));
}

/* Removing a network while allocators run: either the removal sees their
 * leases (EBUSY) or they see the network gone (ENOENT), never a lease left
 * in a removed network. Many rounds, since it is about interleavings. */
static void remove_races_allocate(void)
{
	const char *r = new_root();
	struct hull_error err = {0};

	for (int round = 0; round < 100; round++) {
		struct hull_network net = mknet(r, "blue", "10.1.0.0/24");
		int go[2], done[2], results[2], ok = 0, gone = 0, other = 0;
		pid_t pids[6];
		REQUIRE(pipe2(go, O_CLOEXEC) == 0 && pipe2(done, O_CLOEXEC) == 0 &&
		        pipe2(results, O_CLOEXEC) == 0);
		for (int i = 0; i < 6; i++) {
			pids[i] = fork();
			if (pids[i] == 0) {
				struct in_addr a;
				char c;
				int ret;
				close(go[1]);
				close(done[1]);
				(void)!read(go[0], &c, 1);
				if (i == 0) /* the remover */
					ret = netconf_remove(r, "blue", &err);
				else
					ret = ipam_allocate(r, &net, "c", NULL, &a, &err);
				(void)!write(results[1], (int[]){i, ret}, 2 * sizeof(int));
				(void)!read(done[0], &c, 1);
				_exit(0);
			}
		}
		close(go[0]);
		close(done[0]);
		close(results[1]);
		close(go[1]);
		int removed = -1, res[2];
		/* Exactly six: the writers stay alive (holding the pipe) until done. */
		for (int i = 0; i < 6 && read(results[0], res, sizeof(res)) == (ssize_t)sizeof(res);
		     i++) {
			if (res[0] == 0)
				removed = res[1];
			else if (res[1] == 0)
				ok++;
			else if (res[1] == -ENOENT)
				gone++;
			else
				other++;
		}
		close(results[0]);
		/* Still alive here: their leases are live. */
		struct hull_network now;
		int exists = netconf_load(r, "blue", &now, &err) == 0;
		int live = ipam_count(r, "blue", &err);
		close(done[1]);
		for (int i = 0; i < 6; i++)
			waitpid(pids[i], NULL, 0);
		CHECK_INT(other, 0);
		if (removed == 0) {
			CHECK_INT(ok, 0);
			CHECK(!exists);
			CHECK_INT(live, 0);
			/* No leftover lease directory, whoever removed it. */
			char path[PATH_MAX];
			snprintf(path, sizeof(path), "%s/leases/blue", r);
			if (access(path, F_OK) == 0)
				tap_fail(__FILE__, __LINE__, "round %d: %s left behind", round,
				         path);
		} else {
			CHECK_INT(removed, -EBUSY);
			CHECK(exists);
			CHECK_INT(gone, 0);
			CHECK_INT(live, ok);
			CHECK_INT(netconf_remove(r, "blue", &err), 0); /* all dead now */
		}
	}
}

static void lock_files(void)
{
	const char *r = new_root();
	struct hull_network net = mknet(r, "hull", NULL);
	char path[PATH_MAX];
	struct stat sb;

	alloc(r, &net, "c1");
	snprintf(path, sizeof(path), "%s/leases/hull/.lock", r);
	CHECK(stat(path, &sb) == 0 && S_ISREG(sb.st_mode));
	snprintf(path, sizeof(path), "%s/leases/hull/.next", r);
	char *next = tap_slurp(path, NULL);
	CHECK_STR(next, "10.240.0.2");
	free(next);
	snprintf(path, sizeof(path), "%s/leases/hull/10.240.0.2", r);
	char *lease = tap_slurp(path, NULL);
	char want[128];
	snprintf(want, sizeof(want), "{\"owner\":\"c1\",\"pid\":%d,\"pidStart\":%llu}", getpid(),
	         (unsigned long long)state_pid_start(getpid()));
	CHECK_STR(lease, want);
	free(lease);
	/* No temporary file left, no fd left open. */
	snprintf(path, sizeof(path), "%s/leases/hull/.10.240.0.2.tmp", r);
	CHECK(access(path, F_OK) < 0);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		fprintf(stderr, "# setup failed\n");
		return 2;
	}
	int fds0 = tap_count_fds();
	RUN(order);
	RUN(requested);
	RUN(exhaustion);
	RUN(reclaim_dead);
	RUN(recycled_pid);
	RUN(crashed_allocator);
	RUN(set_owner_pid);
	RUN(release);
	RUN(list);
	RUN(concurrent);
	RUN(concurrent_exhaustion);
	RUN(remove_races_allocate);
	RUN(lock_files);
	CHECK_INT(tap_count_fds(), fds0);
	tap_result("no_fd_leaks");
	tap_rm_rf(tmpdir);
	return tap_done();
}
