/* SPDX-License-Identifier: Apache-2.0 */
#include "mountopt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h> /* glibc >= 2.36 also defines MOUNT_ATTR_*; <linux/mount.h> would clash */

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif

enum opt_kind {
	OPT_SET,     /* set MS_* flag(s) */
	OPT_CLEAR,   /* clear MS_* flag(s) */
	OPT_REC_SET, /* mount_setattr(AT_RECURSIVE) attr_set */
	OPT_REC_CLR, /* mount_setattr(AT_RECURSIVE) attr_clr */
	OPT_PROPAGATION,
	OPT_BIND,
	OPT_RBIND,
	OPT_REMOUNT,
	OPT_IDMAP,
	OPT_RIDMAP,
	OPT_TMPCOPYUP,
	OPT_IGNORE, /* userspace-only mount(8) options: never reach the kernel */
};

struct mount_opt {
	const char *name;
	enum opt_kind kind;
	unsigned long long value;
};

/* Sorted by name for bsearch. */
static const struct mount_opt opts_table[] = {
    {"_netdev", OPT_IGNORE, 0},
    {"async", OPT_CLEAR, MS_SYNCHRONOUS},
    {"atime", OPT_CLEAR, MS_NOATIME},
    {"auto", OPT_IGNORE, 0},
    {"bind", OPT_BIND, 0},
    /* mount(8)'s "defaults" (rw,suid,dev,exec,async) are what mount(2) does when no
     * flag is given; libmount maps it to nothing, so "ro,defaults" stays ro. */
    {"defaults", OPT_IGNORE, 0},
    {"dev", OPT_CLEAR, MS_NODEV},
    {"diratime", OPT_CLEAR, MS_NODIRATIME},
    {"dirsync", OPT_SET, MS_DIRSYNC},
    {"exec", OPT_CLEAR, MS_NOEXEC},
    {"group", OPT_SET, MS_NOSUID | MS_NODEV},
    {"idmap", OPT_IDMAP, 0},
    {"iversion", OPT_SET, MS_I_VERSION},
    {"lazytime", OPT_SET, MS_LAZYTIME},
    {"loud", OPT_CLEAR, MS_SILENT},
    {"mand", OPT_SET, MS_MANDLOCK},
    {"noatime", OPT_SET, MS_NOATIME},
    {"noauto", OPT_IGNORE, 0},
    {"nodev", OPT_SET, MS_NODEV},
    {"nodiratime", OPT_SET, MS_NODIRATIME},
    {"noexec", OPT_SET, MS_NOEXEC},
    {"nofail", OPT_IGNORE, 0},
    {"noiversion", OPT_CLEAR, MS_I_VERSION},
    {"nolazytime", OPT_CLEAR, MS_LAZYTIME},
    {"nomand", OPT_CLEAR, MS_MANDLOCK},
    {"norelatime", OPT_CLEAR, MS_RELATIME},
    {"nostrictatime", OPT_CLEAR, MS_STRICTATIME},
    {"nosuid", OPT_SET, MS_NOSUID},
    {"nosymfollow", OPT_SET, MS_NOSYMFOLLOW},
    {"nouser", OPT_IGNORE, 0},
    {"owner", OPT_SET, MS_NOSUID | MS_NODEV},
    {"private", OPT_PROPAGATION, MS_PRIVATE},
    {"ratime", OPT_REC_CLR, MOUNT_ATTR_NOATIME},
    {"rbind", OPT_RBIND, 0},
    {"rdev", OPT_REC_CLR, MOUNT_ATTR_NODEV},
    {"rdiratime", OPT_REC_CLR, MOUNT_ATTR_NODIRATIME},
    {"relatime", OPT_SET, MS_RELATIME},
    {"remount", OPT_REMOUNT, 0},
    {"rexec", OPT_REC_CLR, MOUNT_ATTR_NOEXEC},
    {"ridmap", OPT_RIDMAP, 0},
    {"rnoatime", OPT_REC_SET, MOUNT_ATTR_NOATIME},
    {"rnodev", OPT_REC_SET, MOUNT_ATTR_NODEV},
    {"rnodiratime", OPT_REC_SET, MOUNT_ATTR_NODIRATIME},
    {"rnoexec", OPT_REC_SET, MOUNT_ATTR_NOEXEC},
    {"rnorelatime", OPT_REC_CLR, MOUNT_ATTR_RELATIME},
    {"rnostrictatime", OPT_REC_CLR, MOUNT_ATTR_STRICTATIME},
    {"rnosuid", OPT_REC_SET, MOUNT_ATTR_NOSUID},
    {"rnosymfollow", OPT_REC_SET, MOUNT_ATTR_NOSYMFOLLOW},
    {"ro", OPT_SET, MS_RDONLY},
    {"rprivate", OPT_PROPAGATION, MS_PRIVATE | MS_REC},
    {"rrelatime", OPT_REC_SET, MOUNT_ATTR_RELATIME},
    {"rro", OPT_REC_SET, MOUNT_ATTR_RDONLY},
    {"rrw", OPT_REC_CLR, MOUNT_ATTR_RDONLY},
    {"rshared", OPT_PROPAGATION, MS_SHARED | MS_REC},
    {"rslave", OPT_PROPAGATION, MS_SLAVE | MS_REC},
    {"rstrictatime", OPT_REC_SET, MOUNT_ATTR_STRICTATIME},
    {"rsuid", OPT_REC_CLR, MOUNT_ATTR_NOSUID},
    {"rsymfollow", OPT_REC_CLR, MOUNT_ATTR_NOSYMFOLLOW},
    {"runbindable", OPT_PROPAGATION, MS_UNBINDABLE | MS_REC},
    {"rw", OPT_CLEAR, MS_RDONLY},
    {"shared", OPT_PROPAGATION, MS_SHARED},
    {"silent", OPT_SET, MS_SILENT},
    {"slave", OPT_PROPAGATION, MS_SLAVE},
    {"strictatime", OPT_SET, MS_STRICTATIME},
    {"suid", OPT_CLEAR, MS_NOSUID},
    {"symfollow", OPT_CLEAR, MS_NOSYMFOLLOW},
    {"sync", OPT_SET, MS_SYNCHRONOUS},
    {"tmpcopyup", OPT_TMPCOPYUP, 0},
    {"unbindable", OPT_PROPAGATION, MS_UNBINDABLE},
    /* mount(8): user and users imply noexec, nosuid and nodev. */
    {"user", OPT_SET, MS_NOSUID | MS_NODEV | MS_NOEXEC},
    {"users", OPT_SET, MS_NOSUID | MS_NODEV | MS_NOEXEC},
};

static int opt_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct mount_opt *)elem)->name);
}

static const struct mount_opt *opt_lookup(const char *name)
{
	return bsearch(name, opts_table, sizeof(opts_table) / sizeof(opts_table[0]),
	               sizeof(opts_table[0]), opt_cmp);
}

/*
 * Later options win: setting a flag drops it from the clear mask and back.
 * The access-time mode is a 3-bit field, not flags: mount_setattr(2) wants
 * all of MOUNT_ATTR__ATIME in attr_clr whenever it changes, and rrelatime is
 * the value 0. ratime/rnostrictatime return to the kernel default (relatime);
 * rnorelatime has nothing to clear.
 */
static void opt_apply_rec(struct hull_mount_opts *o, enum opt_kind kind, uint64_t attr)
{
	bool atime = (attr & MOUNT_ATTR__ATIME) == attr;

	if (atime) {
		if (kind == OPT_REC_CLR && attr == 0)
			return;
		o->rec_attr_set &= ~(uint64_t)MOUNT_ATTR__ATIME;
		o->rec_attr_clr |= MOUNT_ATTR__ATIME;
		if (kind == OPT_REC_SET)
			o->rec_attr_set |= attr;
	} else if (kind == OPT_REC_SET) {
		o->rec_attr_set |= attr;
		o->rec_attr_clr &= ~attr;
	} else {
		o->rec_attr_clr |= attr;
		o->rec_attr_set &= ~attr;
	}
}

static void opt_apply(struct hull_mount_opts *o, const struct mount_opt *m)
{
	switch (m->kind) {
	case OPT_SET:
		o->flags |= m->value;
		o->clear &= ~m->value;
		break;
	case OPT_CLEAR:
		o->clear |= m->value;
		o->flags &= ~m->value;
		break;
	case OPT_REC_SET:
	case OPT_REC_CLR:
		opt_apply_rec(o, m->kind, m->value);
		break;
	case OPT_PROPAGATION:
		/* mount(2) takes one propagation type per call; the last one wins. */
		o->propagation = m->value;
		break;
	case OPT_RBIND:
		o->recursive_bind = true;
		o->flags |= MS_REC;
		/* fall through */
	case OPT_BIND:
		o->bind = true;
		o->flags |= MS_BIND;
		break;
	case OPT_REMOUNT:
		o->remount = true;
		o->flags |= MS_REMOUNT;
		break;
	case OPT_IDMAP:
		o->idmap = true;
		break;
	case OPT_RIDMAP:
		o->ridmap = true;
		break;
	case OPT_TMPCOPYUP:
		o->tmpcopyup = true;
		break;
	case OPT_IGNORE:
		break;
	}
}

/* mount(8) comments ("x-foo", "comment=...") are for userspace helpers only. */
static bool opt_is_comment(const char *s)
{
	return strncmp(s, "x-", 2) == 0 || strncmp(s, "comment=", 8) == 0;
}

static int data_append(char **data, size_t *len, const char *s, struct hull_error *err)
{
	size_t n = strlen(s);
	size_t need = *len + (*len ? 1 : 0) + n + 1;
	char *p = realloc(*data, need);

	if (!p)
		return hull_err(err, ENOMEM, "mount options: out of memory");
	if (*len)
		p[(*len)++] = ',';
	memcpy(p + *len, s, n + 1);
	*len += n;
	*data = p;
	return 0;
}

int hull_mount_opts_parse(const char *const *options, struct hull_mount_opts *ret,
                          struct hull_error *err)
{
	struct hull_mount_opts o = {0};
	size_t data_len = 0;
	int r;

	for (size_t i = 0; options && options[i]; i++) {
		const char *s = options[i];
		const struct mount_opt *m;

		if (!*s || opt_is_comment(s))
			continue;
		m = opt_lookup(s);
		if (m) {
			opt_apply(&o, m);
			continue;
		}
		r = data_append(&o.data, &data_len, s, err);
		if (r < 0) {
			free(o.data);
			return r;
		}
	}
	if (o.idmap && o.ridmap) {
		free(o.data);
		return hull_err(err, EINVAL, "idmap and ridmap are mutually exclusive");
	}
	*ret = o;
	return 0;
}

void hull_mount_opts_done(struct hull_mount_opts *opts)
{
	if (opts) {
		free(opts->data);
		opts->data = NULL;
	}
}

const char *hull_mount_opt_name(size_t i)
{
	return i < sizeof(opts_table) / sizeof(opts_table[0]) ? opts_table[i].name : NULL;
}
