/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/*
 * IPv4 address leases of a network: one file per address in
 * <netroot>/leases/<network>/ (named "10.240.0.7"), holding the owner (a
 * container id) and its liveness key, a pid and that process's start time
 * (/proc/PID/stat field 22), so a recycled pid does not keep a lease alive.
 *
 * Every change happens under an exclusive flock(2) on
 * <netroot>/leases/<network>/.lock, opened O_CLOEXEC: the kernel drops it
 * when the holder dies, so a crash never leaves it held. Lease files are
 * written to a temporary name and renamed into place.
 *
 * A lease whose process is gone (or whose pid now belongs to a process that
 * started at another time), or whose file cannot be read back, is dead and is
 * reclaimed when encountered: by an allocation that lands on it, by a
 * requested address, by ipam_list/ipam_count.
 *
 * A fresh lease names the allocating process (hull create) itself, so a
 * create that crashes before the container exists leaves a reclaimable lease;
 * ipam_set_owner_pid hands it over to the container process.
 */
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "net/netconf.h"
#include "util/error.h"

struct hull_lease {
	struct in_addr addr;
	const char *owner; /* container id */
	pid_t pid;
	uint64_t pid_start; /* clock ticks after boot, /proc/PID/stat field 22 */
};

/* Lease an address of net for owner. requested == NULL: the next free host
 * address after the last one handed out (remembered in .next), wrapping
 * around, never the network, gateway or broadcast address; ENOSPC "no free
 * address in network X (10.1.0.0/29)" when none is left. requested != NULL:
 * exactly that address; EINVAL when it is not a host address of the subnet or
 * is the gateway, EADDRINUSE "10.240.0.7 is taken by container X" when a live
 * lease holds it. ENOENT when the network does not exist (any more), ESTALE
 * when it was redefined with another subnet since *net was loaded. */
int ipam_allocate(const char *root, const struct hull_network *net, const char *owner,
                  const struct in_addr *requested, struct in_addr *ret_addr,
                  struct hull_error *err);

/* Record pid (with its start time) as the liveness key of owner's lease of
 * addr. ESRCH when pid is gone, ENOENT when there is no such lease (for
 * instance reclaimed), EPERM when another container holds addr. */
int ipam_set_owner_pid(const char *root, const char *net_name, struct in_addr addr,
                       const char *owner, pid_t pid, struct hull_error *err);

/* Remove the lease of addr. Success when there is none. With owner != NULL
 * only owner's lease is removed: one that was reclaimed and handed to
 * another container since is left alone (and that is success too). */
int ipam_release(const char *root, const char *net_name, struct in_addr addr, const char *owner,
                 struct hull_error *err);

/* Calls cb for every live lease, by address, after reclaiming the dead ones.
 * cb runs without the lock held (it may call ipam_*); a non-zero return
 * stops the walk and is returned. */
typedef int (*ipam_list_cb)(const struct hull_lease *lease, void *userdata);
int ipam_list(const char *root, const char *net_name, ipam_list_cb cb, void *userdata,
              struct hull_error *err);

/* Number of live leases (>= 0), reclaiming the dead ones. */
int ipam_count(const char *root, const char *net_name, struct hull_error *err);

/* "10.240.0.7" into buf (NETCONF_ADDR_STRLEN bytes). */
const char *ipam_addr_str(struct in_addr a, char *buf);

/* --- for netconf_remove, which holds the lease lock across its check and
 * the removal so no allocation slips in between --- */

struct ipam_lock {
	int dirfd;  /* <root>/leases/<name>, O_DIRECTORY */
	int lockfd; /* .lock, flock(LOCK_EX) held */
};

/* Lock the lease directory of net_name. create == false and no directory:
 * returns 0 with both fds -1. */
int ipam_lock(const char *root, const char *net_name, bool create, struct ipam_lock *ret,
              struct hull_error *err);
void ipam_unlock(struct ipam_lock *l);

/* Live leases under the lock, reclaiming the dead ones. */
int ipam_count_locked(const struct ipam_lock *l, const char *net_name, struct hull_error *err);

/* Remove the (lease-less) directory and everything left in it; unlocks. */
int ipam_destroy_locked(struct ipam_lock *l, const char *root, const char *net_name,
                        struct hull_error *err);
