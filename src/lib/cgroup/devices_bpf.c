/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Device rules on cgroup v2: a BPF_PROG_TYPE_CGROUP_DEVICE program attached
 * to the container's cgroup. The rules are the same list v1 gets (deny all,
 * the config's rules, the default allows, linux.devices); the program tests
 * them from the last to the first and the first that matches decides (so the
 * last matching rule wins, as in v1). A rule matches when the type, major and
 * minor match (wildcards aside) and the requested access is within the rule's.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"
#include "spec/spec.h"
#include "util/cleanup.h"

struct rule {
	bool allow;
	int type;             /* BPF_DEVCG_DEV_CHAR/BLOCK, 0 = any */
	int64_t major, minor; /* -1 = any */
	int access;           /* BPF_DEVCG_ACC_* bits */
};

static int access_bits(const char *s)
{
	int a = 0;

	for (; s && *s; s++)
		a |= *s == 'r'   ? BPF_DEVCG_ACC_READ
		     : *s == 'w' ? BPF_DEVCG_ACC_WRITE
		     : *s == 'm' ? BPF_DEVCG_ACC_MKNOD
		                 : 0;
	return s ? a : 7;
}

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i = {.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
	return i;
}

#define LDX_W(dst, src, off) insn(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define AND32(dst, imm)      insn(BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, imm)
#define RSH32(dst, imm)      insn(BPF_ALU | BPF_RSH | BPF_K, dst, 0, 0, imm)
#define MOVX(dst, src)       insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOVK(dst, imm)       insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define JNE(dst, imm, off)   insn(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm)
#define EXIT()               insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* One rule: its tests jump past the block when they fail. */
static size_t emit_rule(struct bpf_insn *out, const struct rule *r)
{
	struct bpf_insn b[8];
	size_t n = 0, jumps[4], nj = 0;

	if (r->type) {
		jumps[nj++] = n;
		b[n++] = JNE(2, r->type, 0);
	}
	if (r->major >= 0) {
		jumps[nj++] = n;
		b[n++] = JNE(4, (int32_t)r->major, 0);
	}
	if (r->minor >= 0) {
		jumps[nj++] = n;
		b[n++] = JNE(5, (int32_t)r->minor, 0);
	}
	if (r->access != 7) {
		b[n++] = MOVX(1, 3);
		b[n++] = AND32(1, ~r->access & 7);
		jumps[nj++] = n;
		b[n++] = JNE(1, 0, 0);
	}
	b[n++] = MOVK(0, r->allow ? 1 : 0);
	b[n++] = EXIT();
	for (size_t j = 0; j < nj; j++)
		b[jumps[j]].off = (int16_t)(n - jumps[j] - 1);
	memcpy(out, b, n * sizeof(*b));
	return n;
}

static struct rule from_config(const struct hull_device_cgroup *d)
{
	return (struct rule){
	    .allow = d->allow,
	    .type = d->type == 'c'   ? BPF_DEVCG_DEV_CHAR
	            : d->type == 'b' ? BPF_DEVCG_DEV_BLOCK
	                             : 0,
	    .major = d->type == 'a' || !d->has_major ? -1 : d->major,
	    .minor = d->type == 'a' || !d->has_minor ? -1 : d->minor,
	    .access = access_bits(d->access),
	};
}

/* runc's defaults (see resources.c), as rules. */
static const struct rule defaults[] = {
    {true, BPF_DEVCG_DEV_CHAR, -1, -1, BPF_DEVCG_ACC_MKNOD},
    {true, BPF_DEVCG_DEV_BLOCK, -1, -1, BPF_DEVCG_ACC_MKNOD},
    {true, BPF_DEVCG_DEV_CHAR, 1, 3, 7},
    {true, BPF_DEVCG_DEV_CHAR, 1, 5, 7},
    {true, BPF_DEVCG_DEV_CHAR, 1, 7, 7},
    {true, BPF_DEVCG_DEV_CHAR, 1, 8, 7},
    {true, BPF_DEVCG_DEV_CHAR, 1, 9, 7},
    {true, BPF_DEVCG_DEV_CHAR, 5, 0, 7},
    {true, BPF_DEVCG_DEV_CHAR, 5, 1, 7},
    {true, BPF_DEVCG_DEV_CHAR, 5, 2, 7},
    {true, BPF_DEVCG_DEV_CHAR, 136, -1, 7},
    {true, BPF_DEVCG_DEV_CHAR, 10, 200, 7},
};

int cg_devices_bpf(const char *dir, const struct hull_resources *r,
                   const struct hull_cgroup_devs *devs, struct hull_error *err)
{
	size_t nrules = 1 + r->n_devices + sizeof(defaults) / sizeof(defaults[0]) + devs->n;
	_cleanup_free_ struct rule *rules = calloc(nrules, sizeof(*rules));
	_cleanup_free_ struct bpf_insn *prog = calloc(8 * nrules + 8, sizeof(*prog));
	size_t k = 0, n = 0;
	char log[65536] = "";

	if (!rules || !prog)
		return hull_err(err, ENOMEM, "device rules");
	rules[k++] = (struct rule){false, 0, -1, -1, 7}; /* deny all */
	for (size_t i = 0; i < r->n_devices; i++)
		rules[k++] = from_config(&r->devices[i]);
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		rules[k++] = defaults[i];
	for (size_t i = 0; i < devs->n; i++)
		rules[k++] = (struct rule){
		    true, devs->v[i].type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR,
		    devs->v[i].major, devs->v[i].minor, 7};
	/* r2 = type, r3 = access, r4 = major, r5 = minor */
	prog[n++] = LDX_W(2, 1, 0);
	prog[n++] = AND32(2, 0xffff);
	prog[n++] = LDX_W(3, 1, 0);
	prog[n++] = RSH32(3, 16);
	prog[n++] = LDX_W(4, 1, 4);
	prog[n++] = LDX_W(5, 1, 8);
	/* An unconditional rule ends the program: what would follow could never
	 * run, and the verifier refuses unreachable instructions. */
	bool ended = false;
	for (size_t i = k; i-- > 0 && !ended;) {
		n += emit_rule(prog + n, &rules[i]);
		ended = !rules[i].type && rules[i].major < 0 && rules[i].minor < 0 &&
		        rules[i].access == 7;
	}
	if (!ended) {
		prog[n++] = MOVK(0, 0);
		prog[n++] = EXIT();
	}

	union bpf_attr load = {0};
	load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	load.insn_cnt = (uint32_t)n;
	load.insns = (uint64_t)(uintptr_t)prog;
	load.license = (uint64_t)(uintptr_t) "Apache-2.0";
	_cleanup_close_ int pfd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load));
	int load_errno = errno;
	if (pfd < 0) {
		/* Again with the verifier's log, for its reason (a log too small for
		 * its trace would itself fail the load with ENOSPC: only now). */
		load.log_buf = (uint64_t)(uintptr_t)log;
		load.log_size = sizeof(log);
		load.log_level = 1;
		int again = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load));
		if (again >= 0)
			close(again);
	}
	if (pfd < 0) {
		/* the verifier's verdict is at the end of its log */
		int e = load_errno;
		size_t len = strnlen(log, sizeof(log));
		while (len && log[len - 1] == '\n')
			log[--len] = '\0';
		const char *tail = len > 300 ? log + len - 300 : log;
		return hull_err_sys(err, e,
		                    "linux.resources.devices: load the device program (%zu "
		                    "instructions): ...%s",
		                    n, tail);
	}
	_cleanup_close_ int cfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cfd < 0)
		return hull_err_sys(err, errno, "open cgroup %s", dir);
	union bpf_attr at = {0};
	at.target_fd = (uint32_t)cfd;
	at.attach_bpf_fd = (uint32_t)pfd;
	at.attach_type = BPF_CGROUP_DEVICE;
	at.attach_flags = BPF_F_ALLOW_MULTI;
	if (syscall(SYS_bpf, BPF_PROG_ATTACH, &at, sizeof(at)) < 0)
		return hull_err_sys(
		    err, errno, "linux.resources.devices: attach the device program to %s", dir);
	return 0;
}
