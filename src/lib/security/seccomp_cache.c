/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compiled seccomp filters, kept under <state root>/.seccomp so that the same
 * linux.seccomp is compiled once per host, not once per container and exec:
 * libseccomp takes about 12 ms for podman's default profile (400 syscalls,
 * three architectures), twice hull's whole start.
 *
 * A file holds the key it was compiled from and the BPF program:
 *   "HULLSCF2" | u32 key length | u32 instructions | u64 sum | key | sock_filter[]
 * (sum: a 64-bit FNV-1a hash of the program, so damage is a miss too).
 * The key is everything the program depends on, spelled unambiguously:
 * hull's build id (a change to how hull compiles means another build),
 * libseccomp's version, the default action, the architectures and every rule
 * with its names, action and conditions. The file name is a hash of the key;
 * a file is used only when its key is byte for byte the one asked for, so a
 * collision or a damaged file is a miss and is compiled again. Files are
 * written whole and renamed into place; at most CACHE_MAX are kept. The
 * directory is the state root's (root's 0700 /run/hull, or the rootless
 * user's own): it is trusted as state.json is. Without a build id, nothing is
 * cached.
 */
#include "seccomp_cache.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdbool.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spec/spec_seccomp.h"
#include "util/cleanup.h"
#include "util/hash.h"
#include "util/sys.h"

#define CACHE_DIR   ".seccomp"
#define CACHE_MAGIC "HULLSCF2"
#define KEY_MAX     (1u << 20)
#define CACHE_MAX   64 /* files kept; the oldest goes when a new one would exceed it */

struct header {
	char magic[8];
	uint32_t key_len;
	uint32_t n_insns;
	uint64_t sum;
};

struct build_id {
	unsigned char id[64];
	size_t len;
};

/* The GNU build id of the executable (the first object dl_iterate_phdr
 * visits), from its PT_NOTE segments. */
static int build_id_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct build_id *b = data;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		const char *end = p + ph->p_memsz;
		while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
			const ElfW(Nhdr) *n = (const void *)p;
			const char *name = p + sizeof(*n);
			const char *desc = name + ((n->n_namesz + 3u) & ~3u);
			const char *next = desc + ((n->n_descsz + 3u) & ~3u);
			if (next > end || next < desc)
				break;
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    memcmp(name, "GNU", 4) == 0 && n->n_descsz <= sizeof(b->id)) {
				memcpy(b->id, desc, n->n_descsz);
				b->len = n->n_descsz;
				return 1;
			}
			p = next;
		}
	}
	return 1;
}

static void put_str(FILE *f, const char *s)
{
	fprintf(f, " %zu:", strlen(s));
	fputs(s, f);
}

char *seccomp_cache_key(const struct hull_seccomp *s, size_t *ret_len)
{
	struct build_id b = {0};
	const struct scmp_version *v = seccomp_version();
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	dl_iterate_phdr(build_id_cb, &b);
	if (!b.len || !v || !(f = open_memstream(&buf, &len)))
		return NULL;
	fputs("hull seccomp 1\nbuild ", f);
	for (size_t i = 0; i < b.len; i++)
		fprintf(f, "%02x", b.id[i]);
	fprintf(f, "\nlibseccomp %u.%u.%u\n", v->major, v->minor, v->micro);
	fprintf(f, "default %d %d %u\narch %zu", (int)s->default_action,
	        (int)s->has_default_errno_ret, s->default_errno_ret, s->n_architectures);
	for (size_t i = 0; i < s->n_architectures; i++)
		fprintf(f, " %d", (int)s->architectures[i]);
	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct hull_seccomp_syscall *sc = &s->syscalls[i];
		fprintf(f, "\nrule %d %d %u args %zu", (int)sc->action, (int)sc->has_errno_ret,
		        sc->errno_ret, sc->n_args);
		for (size_t a = 0; a < sc->n_args; a++) {
			const struct hull_seccomp_arg *g = &sc->args[a];
			fprintf(f, " %u %d %llu %d %llu", g->index, (int)g->op,
			        (unsigned long long)g->value, (int)g->has_value_two,
			        (unsigned long long)g->value_two);
		}
		fprintf(f, " names %zu", sc->n_names);
		for (size_t n = 0; n < sc->n_names; n++)
			put_str(f, sc->names[n]);
	}
	fputc('\n', f);
	if (fclose(f) != 0 || len > KEY_MAX) {
		free(buf);
		return NULL;
	}
	*ret_len = len;
	return buf;
}

int seccomp_cache_open(const char *root)
{
	char path[4096];
	int fd;

	if (snprintf(path, sizeof(path), "%s/" CACHE_DIR, root) >= (int)sizeof(path))
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && mkdir(path, 0700) == 0)
		fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd;
}

static void file_name(const char *key, size_t len, char name[32])
{
	snprintf(name, 32, "%016llx.bpf", (unsigned long long)hull_fnv(HULL_FNV_BASIS, key, len));
}

int seccomp_cache_load(int dir, const char *key, size_t key_len, struct sock_fprog *ret)
{
	char name[32];
	struct header h;
	struct stat st;

	file_name(key, key_len, name);
	_cleanup_close_ int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size < sizeof(h) ||
	    (size_t)st.st_size > sizeof(h) + KEY_MAX + BPF_MAXINSNS * sizeof(struct sock_filter))
		return -1;
	size_t len = (size_t)st.st_size;
	_cleanup_free_ char *buf = malloc(len);
	if (!buf || pread(fd, buf, len, 0) != (ssize_t)len)
		return -1;
	memcpy(&h, buf, sizeof(h));
	size_t size = h.n_insns * sizeof(struct sock_filter);
	if (memcmp(h.magic, CACHE_MAGIC, 8) != 0 || h.key_len != key_len || !h.n_insns ||
	    h.n_insns > BPF_MAXINSNS || len != sizeof(h) + key_len + size ||
	    memcmp(buf + sizeof(h), key, key_len) != 0 ||
	    hull_fnv(HULL_FNV_BASIS, buf + sizeof(h) + key_len, size) != h.sum)
		return -1;
	/* The program to the front of the buffer, which becomes the filter. */
	memmove(buf, buf + sizeof(h) + key_len, size);
	ret->filter = (struct sock_filter *)take_ptr(buf);
	ret->len = (unsigned short)h.n_insns;
	return 0;
}

static bool ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);
	return n >= m && strcmp(s + n - m, end) == 0;
}

/* Keep the directory bounded: with CACHE_MAX filters in it, the least
 * recently written one goes; temporaries of writers that died go too. */
static void make_room(int dir)
{
	int fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	char oldest[256] = "";
	struct timespec t = {0};
	time_t stale = time(NULL) - 60;
	size_t n = 0;
	struct stat st;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	for (struct dirent *e; (e = readdir(d));) {
		if (ends_with(e->d_name, ".bpf"))
			n++;
		else if (ends_with(e->d_name, ".tmp") &&
		         fstatat(dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		         st.st_mtime < stale)
			unlinkat(dir, e->d_name, 0);
	}
	if (n >= CACHE_MAX) {
		rewinddir(d);
		for (struct dirent *e; (e = readdir(d));) {
			if (!ends_with(e->d_name, ".bpf") ||
			    fstatat(dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			if (!oldest[0] || st.st_mtim.tv_sec < t.tv_sec ||
			    (st.st_mtim.tv_sec == t.tv_sec && st.st_mtim.tv_nsec < t.tv_nsec)) {
				t = st.st_mtim;
				snprintf(oldest, sizeof(oldest), "%s", e->d_name);
			}
		}
		if (oldest[0])
			unlinkat(dir, oldest, 0);
	}
	closedir(d);
}

void seccomp_cache_store(int dir, const char *key, size_t key_len, const struct sock_fprog *prog)
{
	size_t size = prog->len * sizeof(*prog->filter),
	       len = sizeof(struct header) + key_len + size;
	struct header h = {.magic = CACHE_MAGIC,
	                   .key_len = (uint32_t)key_len,
	                   .n_insns = prog->len,
	                   .sum = hull_fnv(HULL_FNV_BASIS, prog->filter, size)};
	_cleanup_free_ char *buf = malloc(len);
	char name[32];

	if (!buf)
		return;
	make_room(dir);
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), key, key_len);
	memcpy(buf + sizeof(h) + key_len, prog->filter, size);
	file_name(key, key_len, name);
	(void)write_file_atomic_at(dir, name, buf, len, 0600);
}
