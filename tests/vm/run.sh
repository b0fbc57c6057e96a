#!/bin/bash
# The cgroup v2 lane (as root): tests/vm/run.sh [FILTER]
#
# Boots Debian's cloud kernel in qemu with an initramfs holding busybox, hull, the default
# rootfs, jq and the guest tests (tests/vm/guest/), on a cgroup2-only hierarchy, and prints
# the guest's PASS/FAIL lines. The last line is always "vm: N passed, M failed" (from the
# guest, or "vm: 0 passed, 1 failed" when the guest did not report); the exit status is
# non-zero when M > 0. FILTER: an extended regex on "topic/test_name" (as in the guest).
#
# Environment:
#   HULL                the hull binary to test (default build/hull; a dynamic one gets its libs)
#   HULL_VM_RESOURCES=1 also run tests/vm/guest/resources.sh (the limit tests)
#   HULL_VM_TIMEOUT     seconds for the whole boot (default 300)
#   HULL_VM_TEST_TIMEOUT seconds per guest test (default 60)
#   HULL_VM_ACCEL       auto (default: kvm when /dev/kvm is there and boots, else tcg), kvm, tcg
#   HULL_VM_KERNEL      a vmlinuz to boot instead of the cached linux-image-*-cloud-amd64 one
# Files: build/vm/ (kernel cache, initramfs tree, initrd.gz, console.log).
set -u -o pipefail
cd "$(dirname "$0")/../.." || exit 1
REPO=$PWD
out=$REPO/build/vm
filter=${1:-}
tmo=${HULL_VM_TIMEOUT:-300}
HULL=${HULL:-$REPO/build/hull}
log=$out/console.log

die() {
	echo "vm: $*" >&2
	echo "vm: 0 passed, 1 failed"
	exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
t_start=$(now)

[ "$(id -u)" = 0 ] || die "the vm lane needs root (apt, mknod)"
mkdir -p "$out" || die "cannot create $out"

# ---------------------------------------------------------------------------------- tools --
if ! command -v qemu-system-x86_64 >/dev/null || ! command -v cpio >/dev/null ||
	! command -v jq >/dev/null || ! [ -x /bin/busybox ]; then
	HULL_WITH_VM_DEPS=1 ./scripts/deps.sh || die "scripts/deps.sh (HULL_WITH_VM_DEPS=1) failed"
fi

# ----------------------------------------------------------------------- hull and rootfs --
if [ "$HULL" = "$REPO/build/hull" ] || [ ! -x build/tests/probe/probe ]; then
	./scripts/build.sh || die "scripts/build.sh failed" # (ninja: nothing to do when up to date)
fi
[ -x "$HULL" ] || die "$HULL missing"
[ -x build/tests/probe/probe ] || die "build/tests/probe/probe missing"
./scripts/mkrootfs.sh build/rootfs build/tests/probe/probe >/dev/null || die "mkrootfs failed"

# -------------------------------------------------------------------------------- kernel --
# Debian's cloud kernel: what linux-image-cloud-amd64 depends on, downloaded once and only
# its vmlinuz extracted (nothing is installed; this host's boot is untouched). Everything the
# tests need is built in (cgroup2 controllers, namespaces, tmpfs, devtmpfs, 8250 console).
first() { [ ! -e "$1" ] || echo "$1"; } # GLOB...: the first match, if any
kernel() {
	local kdir=$out/kernel pkg deb
	if [ -n "${HULL_VM_KERNEL:-}" ]; then
		VMLINUZ=$HULL_VM_KERNEL
		return 0
	fi
	VMLINUZ=$(first "$kdir"/boot/vmlinuz-*)
	[ -z "$VMLINUZ" ] || return 0
	pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')
	if [ -z "$pkg" ]; then
		apt-get update -qq >/dev/null 2>&1
		pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
			awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')
	fi
	[ -n "$pkg" ] || return 1
	rm -rf "$kdir" && mkdir -p "$kdir/deb" || return 1
	chmod 0777 "$kdir/deb" # apt-get download drops privileges to _apt when it can
	(cd "$kdir/deb" && apt-get download -qq "$pkg") >"$kdir/download.log" 2>&1 || {
		cat "$kdir/download.log" >&2
		return 1
	}
	deb=$(first "$kdir"/deb/*.deb)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$kdir" --wildcards './boot/vmlinuz-*' './boot/config-*' ||
		return 1
	rm -rf "$kdir/deb"
	VMLINUZ=$(first "$kdir"/boot/vmlinuz-*)
	[ -n "$VMLINUZ" ]
}
t=$(now)
kernel || die "could not get Debian's cloud kernel (linux-image-cloud-amd64)"
echo "vm: kernel $(basename "$VMLINUZ") ($(since "$t")s)"

# ----------------------------------------------------------------------------- initramfs --
root=$out/initramfs
initrd=$out/initrd.gz

# copy_bin SRC DEST: a binary into the image, with the shared libraries it needs (if any) at
# their own paths.
copy_bin() {
	install -D -m 0755 "$1" "$root$2" || return 1
	local lib
	for lib in $(ldd "$1" 2>/dev/null | grep -oE '/[^ ]+'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib" || return 1
	done
}

build_initramfs() {
	local a
	rm -rf "$root" && mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,root,vm/bin,vm/guest,newroot} ||
		return 1
	install -m 0755 tests/vm/init "$root/init" || return 1
	install -m 0755 /bin/busybox "$root/bin/busybox" || return 1
	while read -r a; do
		case $a in bin/busybox | linuxrc) continue ;; esac
		[ -e "$root/$a" ] || ln -s /bin/busybox "$root/$a"
	done < <(/bin/busybox --list-full)
	mknod -m 0600 "$root/dev/console" c 5 1 || return 1
	copy_bin "$HULL" /vm/bin/hull || return 1
	copy_bin "$(command -v jq)" /usr/bin/jq || return 1
	cp -a build/rootfs "$root/vm/rootfs" || return 1
	install -m 0644 tests/vm/guest/lib.sh tests/vm/guest/runner.sh tests/vm/guest/cgroup.sh \
		"$root/vm/guest/" || return 1
	echo /vm/guest/cgroup.sh >"$root/vm/tests"
	if [ "${HULL_VM_RESOURCES:-0}" = 1 ]; then
		install -m 0644 tests/vm/guest/resources.sh "$root/vm/guest/" || return 1
		echo /vm/guest/resources.sh >>"$root/vm/tests"
	fi
	printf '%s\n' "$filter" >"$root/vm/filter"
	echo "${HULL_VM_TEST_TIMEOUT:-60}" >"$root/vm/timeout"
	(cd "$root" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$initrd.tmp" || return 1
	mv -f "$initrd.tmp" "$initrd"
}
t=$(now)
build_initramfs || die "building the initramfs failed"
echo "vm: initramfs $(du -k "$initrd" | cut -f1) KiB ($(since "$t")s)"

# ---------------------------------------------------------------------------------- boot --
# The guest's own lines (everything /init and the runner print) from the console, without
# terminal escapes, the kernel's messages ("[    1.234567] ...") and qemu's.
guest_lines() {
	tr -d '\r' | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' |
		grep -avE '^\[ *[0-9]+\.[0-9]+\]' | grep -aE '^(vm: |PASS |FAIL |    |failed vm tests:|  )'
}

qpid=
trap '[ -z "$qpid" ] || kill "$qpid" 2>/dev/null; exit 130' INT TERM

boot() { # ACCEL: start qemu in the background (QPID), the console going to $log
	local qaccel
	case $1 in
	kvm) qaccel=(-enable-kvm -cpu host) ;;
	tcg) qaccel=(-accel tcg -cpu max) ;;
	esac
	: >"$log"
	# (in a subshell whose stderr is not ours: bash reports a qemu abort as "Aborted")
	(
		timeout -k 5 "$tmo" qemu-system-x86_64 "${qaccel[@]}" -m 1024 -smp 2 -nographic \
			-no-reboot -nic none -kernel "$VMLINUZ" -initrd "$initrd" \
			-append 'console=ttyS0 quiet panic=-1 oops=panic rdinit=/init' </dev/null >"$log" 2>&1
		exit $?
	) 2>/dev/null &
	qpid=$!
}

# started: the guest's /init has printed its first line (within 20 s), or qemu is gone.
started() {
	local i
	for ((i = 0; i < 100; i++)); do
		tr -d '\r' <"$log" | grep -aq 'vm: kernel ' && return 0
		kill -0 "$qpid" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}

accel=${HULL_VM_ACCEL:-auto}
case $accel in auto | kvm | tcg) ;; *) die "HULL_VM_ACCEL: auto, kvm or tcg, not '$accel'" ;; esac
t=$(now)
# auto: KVM when /dev/kvm is there and boots (nested KVM may abort or hang: then TCG).
if [ "$accel" = auto ]; then
	accel=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		boot kvm
		if started; then
			accel=kvm
		else
			kill "$qpid" 2>/dev/null
			wait "$qpid" 2>/dev/null
			echo "vm: kvm did not boot ($(tr -d '\r' <"$log" | grep -a qemu-system | head -n1 | cut -c1-100)), using tcg"
			qpid=
		fi
	fi
fi
echo "vm: booting ($accel, timeout ${tmo}s)"
[ -n "$qpid" ] || boot "$accel"
tail -s 0.2 -n +1 -f --pid="$qpid" "$log" | guest_lines | grep -av '^vm: [0-9]* passed, [0-9]* failed$'
wait "$qpid"
qrc=$?
qpid=
echo "vm: qemu exited $qrc after $(since "$t")s (total $(since "$t_start")s; console: ${log#"$REPO"/})"

last=$(guest_lines <"$log" | grep -aE '^vm: [0-9]+ passed, [0-9]+ failed$' | tail -n1)
if [ -z "$last" ]; then
	[ "$qrc" != 124 ] || echo "vm: the guest did not finish within ${tmo}s" >&2
	echo "vm: the guest reported no result; the end of the console:" >&2
	tr -d '\r' <"$log" | tail -n 30 | sed 's/^/    /' >&2
	echo "vm: 0 passed, 1 failed"
	exit 1
fi
echo "$last"
[[ "$last" =~ ^vm:\ [0-9]+\ passed,\ 0\ failed$ ]]
