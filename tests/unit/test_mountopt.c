/* SPDX-License-Identifier: Apache-2.0 */
/* mounts[].options → struct hull_mount_opts, per config.md's table and mount(8). */
#include <errno.h>
#include <sys/mount.h>

#include "spec/mountopt.h"
#include "tap.h"

#define MAX_OPTS 8

struct opt_case {
	const char *name;
	const char *opts[MAX_OPTS]; /* NULL-terminated */
	unsigned long flags, clear, propagation;
	uint64_t rec_set, rec_clr;
	const char *data;
};

#define ATIME MOUNT_ATTR__ATIME

/* clang-format off */
static const struct opt_case cases[] = {
	/* name, options, flags, clear, propagation, rec_attr_set, rec_attr_clr, data */
	{"empty", {NULL}, 0, 0, 0, 0, 0, NULL},
	{"ro", {"ro"}, MS_RDONLY, 0, 0, 0, 0, NULL},
	{"rw", {"rw"}, 0, MS_RDONLY, 0, 0, 0, NULL},
	{"ro_then_rw", {"ro", "rw"}, 0, MS_RDONLY, 0, 0, 0, NULL},
	{"rw_then_ro", {"rw", "ro"}, MS_RDONLY, 0, 0, 0, 0, NULL},
	{"nosuid_nodev_noexec", {"nosuid", "nodev", "noexec"},
	 MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, 0, 0, 0, NULL},
	{"suid_dev_exec", {"suid", "dev", "exec"}, 0, MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, 0, 0, NULL},
	{"sync", {"sync"}, MS_SYNCHRONOUS, 0, 0, 0, 0, NULL},
	{"async", {"async"}, 0, MS_SYNCHRONOUS, 0, 0, 0, NULL},
	{"dirsync", {"dirsync"}, MS_DIRSYNC, 0, 0, 0, 0, NULL},
	{"atime_family", {"noatime", "nodiratime", "relatime", "strictatime"},
	 MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME, 0, 0, 0, 0, NULL},
	{"atime_clears", {"atime", "diratime", "norelatime", "nostrictatime"},
	 0, MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME, 0, 0, 0, NULL},
	{"iversion_lazytime", {"iversion", "lazytime"}, MS_I_VERSION | MS_LAZYTIME, 0, 0, 0, 0, NULL},
	{"noiversion_nolazytime", {"noiversion", "nolazytime"},
	 0, MS_I_VERSION | MS_LAZYTIME, 0, 0, 0, NULL},
	{"mand", {"mand"}, MS_MANDLOCK, 0, 0, 0, 0, NULL},
	{"nomand", {"nomand"}, 0, MS_MANDLOCK, 0, 0, 0, NULL},
	{"silent", {"silent"}, MS_SILENT, 0, 0, 0, 0, NULL},
	{"loud", {"loud"}, 0, MS_SILENT, 0, 0, 0, NULL},
	{"nosymfollow", {"nosymfollow"}, 256, 0, 0, 0, 0, NULL},
	{"symfollow", {"symfollow"}, 0, 256, 0, 0, 0, NULL},
	{"remount", {"remount", "ro"}, MS_REMOUNT | MS_RDONLY, 0, 0, 0, 0, NULL},
	{"defaults_is_noop", {"ro", "defaults"}, MS_RDONLY, 0, 0, 0, 0, NULL},
	{"userspace_only", {"auto", "noauto", "nofail", "_netdev", "nouser", "x-systemd.foo",
			    "comment=hi"}, 0, 0, 0, 0, 0, NULL},
	{"user_implies", {"user"}, MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, 0, 0, 0, NULL},
	{"owner_implies", {"owner", "exec"}, MS_NOSUID | MS_NODEV, MS_NOEXEC, 0, 0, 0, NULL},
	{"bind", {"bind"}, MS_BIND, 0, 0, 0, 0, NULL},
	{"rbind", {"rbind"}, MS_BIND | MS_REC, 0, 0, 0, 0, NULL},
	{"private", {"private"}, 0, 0, MS_PRIVATE, 0, 0, NULL},
	{"rprivate", {"rprivate"}, 0, 0, MS_PRIVATE | MS_REC, 0, 0, NULL},
	{"shared", {"shared"}, 0, 0, MS_SHARED, 0, 0, NULL},
	{"rshared", {"rshared"}, 0, 0, MS_SHARED | MS_REC, 0, 0, NULL},
	{"slave", {"slave"}, 0, 0, MS_SLAVE, 0, 0, NULL},
	{"rslave", {"rslave"}, 0, 0, MS_SLAVE | MS_REC, 0, 0, NULL},
	{"unbindable", {"unbindable"}, 0, 0, MS_UNBINDABLE, 0, 0, NULL},
	{"runbindable", {"runbindable"}, 0, 0, MS_UNBINDABLE | MS_REC, 0, 0, NULL},
	{"last_propagation_wins", {"rshared", "rslave"}, 0, 0, MS_SLAVE | MS_REC, 0, 0, NULL},
	{"rro_rnosuid_rnodev_rnoexec", {"rro", "rnosuid", "rnodev", "rnoexec"}, 0, 0, 0,
	 MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, 0, NULL},
	{"rrw_rsuid_rdev_rexec", {"rrw", "rsuid", "rdev", "rexec"}, 0, 0, 0,
	 0, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, NULL},
	{"rro_then_rrw", {"rro", "rrw"}, 0, 0, 0, 0, MOUNT_ATTR_RDONLY, NULL},
	{"rnodiratime", {"rnodiratime"}, 0, 0, 0, MOUNT_ATTR_NODIRATIME, 0, NULL},
	{"rdiratime", {"rdiratime"}, 0, 0, 0, 0, MOUNT_ATTR_NODIRATIME, NULL},
	{"rnosymfollow", {"rnosymfollow"}, 0, 0, 0, MOUNT_ATTR_NOSYMFOLLOW, 0, NULL},
	{"rsymfollow", {"rsymfollow"}, 0, 0, 0, 0, MOUNT_ATTR_NOSYMFOLLOW, NULL},
	/* the access-time mode is a field: setting one always clears all of it */
	{"rnoatime", {"rnoatime"}, 0, 0, 0, MOUNT_ATTR_NOATIME, ATIME, NULL},
	{"rstrictatime", {"rstrictatime"}, 0, 0, 0, MOUNT_ATTR_STRICTATIME, ATIME, NULL},
	{"rrelatime", {"rrelatime"}, 0, 0, 0, MOUNT_ATTR_RELATIME, ATIME, NULL},
	{"rnoatime_then_rrelatime", {"rnoatime", "rrelatime"}, 0, 0, 0, 0, ATIME, NULL},
	{"rnoatime_then_rstrictatime", {"rnoatime", "rstrictatime"},
	 0, 0, 0, MOUNT_ATTR_STRICTATIME, ATIME, NULL},
	{"ratime", {"rnoatime", "ratime"}, 0, 0, 0, 0, ATIME, NULL},
	{"rnostrictatime", {"rnostrictatime"}, 0, 0, 0, 0, ATIME, NULL},
	{"rnorelatime_noop", {"rnorelatime"}, 0, 0, 0, 0, 0, NULL},
	{"data", {"nosuid", "mode=755", "size=65536k"}, MS_NOSUID, 0, 0, 0, 0, "mode=755,size=65536k"},
	{"data_order_kept", {"b=2", "ro", "a=1", "newinstance"},
	 MS_RDONLY, 0, 0, 0, 0, "b=2,a=1,newinstance"},
	{"data_empty_option_skipped", {"", "x", ""}, 0, 0, 0, 0, 0, "x"},
	{"data_comma_inside_kept", {"lowerdir=/a:/b,upperdir=/c"},
	 0, 0, 0, 0, 0, "lowerdir=/a:/b,upperdir=/c"},
	{"case_sensitive", {"RO"}, 0, 0, 0, 0, 0, "RO"},
	{"runc_default_sysfs", {"nosuid", "noexec", "nodev", "ro"},
	 MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY, 0, 0, 0, 0, NULL},
};
/* clang-format on */

static void run_case(const struct opt_case *tc)
{
	struct hull_mount_opts o;
	struct hull_error err = {0};
	int r = hull_mount_opts_parse(tc->opts, &o, &err);

	CHECK_INT(r, 0);
	if (r < 0)
		return;
	CHECK_U64(o.flags, tc->flags);
	CHECK_U64(o.clear, tc->clear);
	CHECK_U64(o.propagation, tc->propagation);
	CHECK_U64(o.rec_attr_set, tc->rec_set);
	CHECK_U64(o.rec_attr_clr, tc->rec_clr);
	CHECK_STR(o.data, tc->data);
	hull_mount_opts_done(&o);
}

static void test_bools(void)
{
	const char *const opts[] = {"rbind", "ridmap", "tmpcopyup", "remount", NULL};
	const char *const opts2[] = {"idmap", NULL};
	struct hull_mount_opts o;

	REQUIRE(hull_mount_opts_parse(opts, &o, NULL) == 0);
	CHECK(o.bind && o.recursive_bind && o.ridmap && !o.idmap && o.tmpcopyup && o.remount);
	CHECK_STR(o.data, NULL);
	hull_mount_opts_done(&o);
	REQUIRE(hull_mount_opts_parse(opts2, &o, NULL) == 0);
	CHECK(o.idmap && !o.ridmap && !o.bind && !o.recursive_bind && !o.tmpcopyup && !o.remount);
	hull_mount_opts_done(&o);
}

static void test_null_options(void)
{
	struct hull_mount_opts o;

	REQUIRE(hull_mount_opts_parse(NULL, &o, NULL) == 0);
	CHECK(o.flags == 0 && o.data == NULL && !o.bind);
	hull_mount_opts_done(&o);
	hull_mount_opts_done(NULL);
}

static void test_idmap_conflict(void)
{
	const char *const opts[] = {"ridmap", "x=1", "idmap", NULL};
	struct hull_mount_opts o = {.data = (char *)"untouched"};
	struct hull_error err = {0};

	CHECK_INT(hull_mount_opts_parse(opts, &o, &err), -EINVAL);
	CHECK_STR(err.msg, "idmap and ridmap are mutually exclusive");
	CHECK_STR(o.data, "untouched");
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_case(&cases[i]);
		tap_result(cases[i].name);
	}
	RUN(test_bools);
	RUN(test_null_options);
	RUN(test_idmap_conflict);
	return tap_done();
}
