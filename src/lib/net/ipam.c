/* SPDX-License-Identifier: Apache-2.0 */
#include "ipam.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/state.h"
#include "util/cleanup.h"
#include "util/sys.h"

#define LEASES_DIR "leases"
#define LEASE_LOCK ".lock"
#define LEASE_NEXT ".next" /* the address handed out last */
#define LEASE_MAX  (16 * 1024)

/* A lease as read back; owner is malloc'ed. */
struct lease_rec {
	uint32_t addr; /* host byte order */
	char *owner;
	pid_t pid;
	uint64_t pid_start;
};

static uint32_t hostorder(struct in_addr a)
{
	return ntohl(a.s_addr);
}

static struct in_addr netorder(uint32_t a)
{
	return (struct in_addr){.s_addr = htonl(a)};
}

const char *ipam_addr_str(struct in_addr a, char *buf)
{
	inet_ntop(AF_INET, &a, buf, NETCONF_ADDR_STRLEN);
	return buf;
}

static const char *addr_str(uint32_t a, char *buf)
{
	return ipam_addr_str(netorder(a), buf);
}

/* A lease file name: exactly the canonical dotted quad of an address. */
static bool parse_lease_name(const char *name, uint32_t *ret)
{
	struct in_addr a;
	char canon[NETCONF_ADDR_STRLEN];

	if (inet_pton(AF_INET, name, &a) != 1 || strcmp(ipam_addr_str(a, canon), name) != 0)
		return false;
	*ret = hostorder(a);
	return true;
}

/* --- the lock --- */

int ipam_lock(const char *root, const char *net_name, bool create, struct ipam_lock *ret,
              struct hull_error *err)
{
	char sub[sizeof(LEASES_DIR) + NETCONF_NAME_MAX + 2], what[4200];
	int r;

	ret->dirfd = ret->lockfd = -1;
	if ((r = netconf_name_check(net_name, err)) < 0)
		return r;
	snprintf(sub, sizeof(sub), "%s/%s", LEASES_DIR, net_name);
	snprintf(what, sizeof(what), "%s/%s", root, sub);
	/* The directory can vanish between open and lock (netconf_remove of a
	 * lease-less network): then start over from a fresh directory. */
	for (int tries = 0; tries < 100; tries++) {
		int dirfd = netconf_open_dir(root, sub, create, err);
		if (dirfd == -ENOENT && !create) {
			hull_err_clear(err); /* no leases ever: nothing to lock */
			return 0;
		}
		if (dirfd < 0)
			return dirfd;
		int lockfd = netconf_lock_at(dirfd, LEASE_LOCK, what, err);
		if (lockfd >= 0) {
			ret->dirfd = dirfd;
			ret->lockfd = lockfd;
			return 0;
		}
		close(dirfd);
		if (lockfd != -ENOENT)
			return lockfd;
	}
	return hull_err(err, EAGAIN, "lock %s: the directory keeps being removed", what);
}

void ipam_unlock(struct ipam_lock *l)
{
	if (l->lockfd >= 0)
		close(l->lockfd);
	if (l->dirfd >= 0)
		close(l->dirfd);
	l->dirfd = l->lockfd = -1;
}

/* --- lease files --- */

static void lease_rec_free(struct lease_rec *l)
{
	free(l->owner);
	l->owner = NULL;
}

/* 0, -ENOENT (no lease) or -EINVAL (unreadable: counts as dead). */
static int read_lease(int dirfd, uint32_t addr, struct lease_rec *ret)
{
	char name[NETCONF_ADDR_STRLEN];
	_cleanup_free_ char *text = NULL;
	const char *owner;
	json_int_t pid = 0, start = 0;
	json_t *j;
	int r;

	memset(ret, 0, sizeof(*ret));
	ret->addr = addr;
	if ((r = read_file_at(dirfd, addr_str(addr, name), LEASE_MAX, &text, NULL)) < 0)
		return r == -ENOENT ? r : -EINVAL;
	if (!(j = json_loads(text, 0, NULL)))
		return -EINVAL;
	if (json_unpack(j, "{s:s, s:I, s:I}", "owner", &owner, "pid", &pid, "pidStart", &start) <
	        0 ||
	    !(ret->owner = strdup(owner))) {
		json_decref(j);
		return -EINVAL;
	}
	json_decref(j);
	ret->pid = (pid_t)pid;
	ret->pid_start = (uint64_t)start;
	return 0;
}

/* Alive: the very process that took the lease (same pid, same start time)
 * still runs. A zombie is dead: state_pid_start returns 0 for it. */
static bool lease_alive(const struct lease_rec *l)
{
	return l->pid > 0 && l->pid_start != 0 && state_pid_start(l->pid) == l->pid_start;
}

static int write_lease(int dirfd, uint32_t addr, const char *owner, pid_t pid, uint64_t start,
                       struct hull_error *err)
{
	char name[NETCONF_ADDR_STRLEN];
	json_t *j = json_pack("{s:s, s:I, s:I}", "owner", owner, "pid", (json_int_t)pid, "pidStart",
	                      (json_int_t)start);
	_cleanup_free_ char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;

	json_decref(j);
	if (!text)
		return hull_err(err, ENOMEM, "encode lease");
	return netconf_write_atomic(dirfd, addr_str(addr, name), text, err);
}

/* Every lease address in the directory (unsorted); malloc'ed array. */
static int scan_leases(int dirfd, uint32_t **ret, size_t *ret_n, struct hull_error *err)
{
	uint32_t *v = NULL, a;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (!d) {
		if (fd >= 0)
			close(fd);
		return hull_err_sys(err, errno, "read leases");
	}
	rewinddir(d);
	while ((de = readdir(d))) {
		if (!parse_lease_name(de->d_name, &a))
			continue;
		if (n == cap) {
			uint32_t *nv = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof(*v));
			if (!nv) {
				closedir(d);
				free(v);
				return hull_err(err, ENOMEM, "read leases");
			}
			v = nv;
		}
		v[n++] = a;
	}
	closedir(d);
	*ret = v;
	*ret_n = n;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Live leases, by address, with the dead ones removed on the way. With
 * ret == NULL only counted. */
static int collect_live(int dirfd, struct lease_rec **ret, struct hull_error *err)
{
	_cleanup_free_ uint32_t *addrs = NULL;
	struct lease_rec *recs = NULL;
	size_t n = 0;
	int live = 0, r;

	if ((r = scan_leases(dirfd, &addrs, &n, err)) < 0)
		return r;
	if (n)
		qsort(addrs, n, sizeof(*addrs), cmp_u32);
	if (ret && n && !(recs = calloc(n, sizeof(*recs))))
		return hull_err(err, ENOMEM, "read leases");
	for (size_t i = 0; i < n; i++) {
		char name[NETCONF_ADDR_STRLEN];
		struct lease_rec l;
		r = read_lease(dirfd, addrs[i], &l);
		if (r == -ENOENT)
			continue;
		if (r < 0 || !lease_alive(&l)) {
			lease_rec_free(&l);
			unlinkat(dirfd, addr_str(addrs[i], name), 0); /* reclaimed */
			continue;
		}
		if (recs)
			recs[live] = l;
		else
			lease_rec_free(&l);
		live++;
	}
	if (ret)
		*ret = recs;
	return live;
}

static void free_recs(struct lease_rec *recs, int n)
{
	for (int i = 0; i < n; i++)
		lease_rec_free(&recs[i]);
	free(recs);
}

int ipam_count_locked(const struct ipam_lock *l, const char *net_name, struct hull_error *err)
{
	int r = collect_live(l->dirfd, NULL, err);
	return r < 0 ? hull_err_prefix(err, "network %s", net_name) : r;
}

int ipam_destroy_locked(struct ipam_lock *l, const char *root, const char *net_name,
                        struct hull_error *err)
{
	char path[4096];
	struct dirent *de;
	int fd = fcntl(l->dirfd, F_DUPFD_CLOEXEC, 3);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (!d) {
		if (fd >= 0)
			close(fd);
		ipam_unlock(l);
		return hull_err_sys(err, errno, "read leases of %s", net_name);
	}
	rewinddir(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
		    strcmp(de->d_name, LEASE_LOCK) != 0)
			unlinkat(l->dirfd, de->d_name, 0);
	closedir(d);
	/* The lock file last, still held: waiters see it replaced (or the
	 * directory gone) and start over. */
	unlinkat(l->dirfd, LEASE_LOCK, 0);
	snprintf(path, sizeof(path), "%s/%s/%s", root, LEASES_DIR, net_name);
	/* ENOTEMPTY: an allocator that had opened the directory created a new
	 * lock file in it meanwhile; it finds the network gone and removes the
	 * directory itself (ipam_allocate). */
	int r = rmdir(path) < 0 && errno != ENOENT && errno != ENOTEMPTY ? -errno : 0;
	ipam_unlock(l);
	return r < 0 ? hull_err_sys(err, -r, "remove %s", path) : 0;
}

/* --- allocation --- */

/* Host addresses of the subnet: offsets 1 .. size-2 from the network address. */
struct range {
	uint32_t first, size, gateway;
};

static struct range range_of(const struct hull_network *net)
{
	return (struct range){hostorder(net->subnet.addr), (uint32_t)1 << (32 - net->subnet.prefix),
	                      hostorder(net->gateway)};
}

static int check_requested(const struct hull_network *net, uint32_t a, struct hull_error *err)
{
	char as[NETCONF_ADDR_STRLEN], sn[NETCONF_SUBNET_STRLEN];
	struct range r = range_of(net);
	const char *what = NULL;

	if (!netconf_subnet_contains(&net->subnet, netorder(a)))
		return hull_err(err, EINVAL, "%s is not in network %s (%s)", addr_str(a, as),
		                net->name, netconf_subnet_str(&net->subnet, sn));
	if (a == r.first)
		what = "the network address";
	else if (a == r.first + r.size - 1)
		what = "the broadcast address";
	else if (a == r.gateway)
		what = "the gateway";
	if (what)
		return hull_err(err, EINVAL, "%s is %s of network %s (%s)", addr_str(a, as), what,
		                net->name, netconf_subnet_str(&net->subnet, sn));
	return 0;
}

/* Free: no lease, or a dead one (which the caller overwrites). Sets *holder
 * (malloc'ed) when a live lease holds a. */
static int addr_free(int dirfd, uint32_t a, char **holder)
{
	struct lease_rec l;
	int r = read_lease(dirfd, a, &l);

	if (r == 0 && lease_alive(&l)) {
		if (holder)
			*holder = take_ptr(l.owner);
		lease_rec_free(&l);
		return 0;
	}
	lease_rec_free(&l);
	return 1;
}

static int take_requested(int dirfd, const struct hull_network *net, uint32_t a,
                          struct hull_error *err)
{
	_cleanup_free_ char *holder = NULL;
	char as[NETCONF_ADDR_STRLEN];

	if (!addr_free(dirfd, a, &holder))
		return hull_err(err, EADDRINUSE, "%s is taken by container %s in network %s",
		                addr_str(a, as), holder, net->name);
	return 0;
}

/* Offset (1 .. size-2) of the address handed out last, 0 when unknown. */
static uint32_t last_offset(int dirfd, const struct range *r)
{
	_cleanup_free_ char *text = NULL;
	uint32_t a;

	if (read_file_at(dirfd, LEASE_NEXT, 64, &text, NULL) < 0)
		return 0;
	text[strcspn(text, "\n")] = '\0';
	if (!parse_lease_name(text, &a) || a - r->first >= r->size - 1)
		return 0;
	return a - r->first;
}

static bool in_sorted(const uint32_t *v, size_t n, uint32_t a)
{
	return n && bsearch(&a, v, n, sizeof(*v), cmp_u32);
}

/* The first free host address after the last one handed out, wrapping around:
 * a fresh address before a recently released one, so a stale peer (an ARP
 * cache, a connection) rarely meets a new container at an old address. */
static int take_next(int dirfd, const struct hull_network *net, uint32_t *ret,
                     struct hull_error *err)
{
	struct range r = range_of(net);
	uint32_t hosts = r.size - 2, start = last_offset(dirfd, &r);
	_cleanup_free_ uint32_t *taken = NULL;
	char sn[NETCONF_SUBNET_STRLEN];
	size_t n = 0;
	int e;

	if ((e = scan_leases(dirfd, &taken, &n, err)) < 0)
		return e;
	if (n)
		qsort(taken, n, sizeof(*taken), cmp_u32);
	for (uint32_t k = 0; k < hosts; k++) {
		uint32_t a = r.first + (start + k) % hosts + 1;
		if (a == r.gateway)
			continue;
		/* A file here is a lease: live ones are skipped, dead ones taken over. */
		if (in_sorted(taken, n, a) && !addr_free(dirfd, a, NULL))
			continue;
		*ret = a;
		return 0;
	}
	return hull_err(err, ENOSPC, "no free address in network %s (%s)", net->name,
	                netconf_subnet_str(&net->subnet, sn));
}

/* The network as stored now must still be the one the caller loaded. */
static int check_network(const char *root, const struct hull_network *net, struct hull_error *err)
{
	struct hull_network cur;
	char a[NETCONF_SUBNET_STRLEN], b[NETCONF_SUBNET_STRLEN];
	int r;

	if ((r = netconf_load(root, net->name, &cur, err)) < 0)
		return r;
	if (cur.subnet.addr.s_addr != net->subnet.addr.s_addr ||
	    cur.subnet.prefix != net->subnet.prefix || cur.gateway.s_addr != net->gateway.s_addr)
		return hull_err(err, ESTALE, "network %s changed (%s, was %s)", net->name,
		                netconf_subnet_str(&cur.subnet, a),
		                netconf_subnet_str(&net->subnet, b));
	return 0;
}

int ipam_allocate(const char *root, const struct hull_network *net, const char *owner,
                  const struct in_addr *requested, struct in_addr *ret_addr, struct hull_error *err)
{
	struct ipam_lock l;
	char as[NETCONF_ADDR_STRLEN];
	pid_t self = getpid();
	uint64_t self_start = state_pid_start(self);
	uint32_t a = requested ? hostorder(*requested) : 0;
	int r;

	if ((r = netconf_validate(net, err)) < 0 || (r = state_id_check(owner, err)) < 0 ||
	    (requested && (r = check_requested(net, a, err)) < 0))
		return r;
	/* A lease without a liveness key would be dead from the start, free
	 * for the next allocator to take. */
	if (self_start == 0)
		return hull_err(err, ESRCH, "no start time for process %d in /proc/%d/stat",
		                (int)self, (int)self);
	/* Checked before the lease directory is made, then again under the
	 * lock, where no netconf_remove can run. */
	if ((r = check_network(root, net, err)) < 0)
		return r;
	if ((r = ipam_lock(root, net->name, true, &l, err)) < 0)
		return r;
	if ((r = check_network(root, net, err)) == -ENOENT) {
		/* Removed since the first check: the lease directory is a
		 * leftover this very call may have re-created. */
		ipam_destroy_locked(&l, root, net->name, &(struct hull_error){0});
		return r;
	}
	if (r == 0)
		r = requested ? take_requested(l.dirfd, net, a, err)
		              : take_next(l.dirfd, net, &a, err);
	/* Until ipam_set_owner_pid, the lease lives as long as this process. */
	if (r == 0)
		r = write_lease(l.dirfd, a, owner, self, self_start, err);
	/* Best effort: a lost cursor only means the scan starts at the beginning. */
	if (r == 0 && !requested)
		netconf_write_atomic(l.dirfd, LEASE_NEXT, addr_str(a, as), &(struct hull_error){0});
	ipam_unlock(&l);
	if (r < 0)
		return r;
	*ret_addr = netorder(a);
	return 0;
}

int ipam_set_owner_pid(const char *root, const char *net_name, struct in_addr addr,
                       const char *owner, pid_t pid, struct hull_error *err)
{
	char as[NETCONF_ADDR_STRLEN];
	uint32_t a = hostorder(addr);
	struct ipam_lock l;
	struct lease_rec rec = {0};
	uint64_t start;
	int r;

	ipam_addr_str(addr, as);
	if ((r = ipam_lock(root, net_name, false, &l, err)) < 0)
		return r;
	if (l.dirfd < 0)
		return hull_err(err, ENOENT, "no lease of %s in network %s", as, net_name);
	r = read_lease(l.dirfd, a, &rec);
	if (r < 0)
		r = hull_err(err, ENOENT, "no lease of %s in network %s", as, net_name);
	else if (strcmp(rec.owner, owner) != 0)
		r = hull_err(err, EPERM, "%s in network %s is leased to container %s, not %s", as,
		             net_name, rec.owner, owner);
	else if ((start = state_pid_start(pid)) == 0)
		r = hull_err(err, ESRCH, "lease %s in network %s: process %d is gone", as, net_name,
		             (int)pid);
	else
		r = write_lease(l.dirfd, a, owner, pid, start, err);
	lease_rec_free(&rec);
	ipam_unlock(&l);
	return r;
}

int ipam_release(const char *root, const char *net_name, struct in_addr addr, const char *owner,
                 struct hull_error *err)
{
	char as[NETCONF_ADDR_STRLEN];
	struct ipam_lock l;
	struct lease_rec rec = {0};
	int r;

	if ((r = ipam_lock(root, net_name, false, &l, err)) < 0 || l.dirfd < 0)
		return r;
	ipam_addr_str(addr, as);
	r = read_lease(l.dirfd, hostorder(addr), &rec);
	/* Not the owner's any more (reclaimed and leased again): not ours to free. */
	if (r == 0 && owner && strcmp(rec.owner, owner) != 0)
		r = -ENOENT;
	if (r != -ENOENT && unlinkat(l.dirfd, as, 0) < 0 && errno != ENOENT)
		r = hull_err_sys(err, errno, "release %s in network %s", as, net_name);
	else
		r = 0;
	lease_rec_free(&rec);
	ipam_unlock(&l);
	return r;
}

int ipam_list(const char *root, const char *net_name, ipam_list_cb cb, void *userdata,
              struct hull_error *err)
{
	struct lease_rec *recs = NULL;
	struct ipam_lock l;
	int n, r;

	if ((r = ipam_lock(root, net_name, false, &l, err)) < 0 || l.dirfd < 0)
		return r;
	n = collect_live(l.dirfd, &recs, err);
	ipam_unlock(&l);
	if (n < 0)
		return n;
	for (int i = 0; r == 0 && i < n; i++) {
		struct hull_lease lease = {netorder(recs[i].addr), recs[i].owner, recs[i].pid,
		                           recs[i].pid_start};
		r = cb(&lease, userdata);
	}
	free_recs(recs, n);
	return r;
}

int ipam_count(const char *root, const char *net_name, struct hull_error *err)
{
	struct ipam_lock l;
	int r;

	if ((r = ipam_lock(root, net_name, false, &l, err)) < 0 || l.dirfd < 0)
		return r;
	r = ipam_count_locked(&l, net_name, err);
	ipam_unlock(&l);
	return r;
}
