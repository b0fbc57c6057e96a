#!/bin/bash
# Build hull's default rootfs from Debian's busybox-static:
#   scripts/mkrootfs.sh [OUT [PROBE]]     (defaults: build/rootfs, build/tests/probe/probe)
# OUT gets bin/busybox, one symlink per applet (at busybox's own path for it), a minimal /etc,
# the usual empty directories and, when PROBE exists, the test probe at /usr/bin/probe.
# Idempotent and fast: only what is missing or changed is written.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-build/rootfs}
probe=${2:-build/tests/probe/probe}
busybox=/bin/busybox

if ! [ -x "$busybox" ] || ! "$busybox" --list >/dev/null 2>&1 ||
	! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "ok installed"; then
	echo "mkrootfs: installing busybox-static"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		busybox-static >/dev/null
fi
# Debian's busybox-static is the one in /bin; refuse a dynamic one that could not run inside.
if ldd "$busybox" >/dev/null 2>&1; then
	echo "mkrootfs: $busybox is not static (install busybox-static)" >&2
	exit 1
fi

# put SRC DEST MODE: copy only when missing or different.
put() {
	if ! cmp -s "$1" "$2"; then
		rm -f "$2"
		cp "$1" "$2.tmp.$$"
		chmod "$3" "$2.tmp.$$"
		mv -f "$2.tmp.$$" "$2"
	fi
}

# write DEST MODE <<< CONTENT: the same for generated text.
write() {
	local tmp="$1.tmp.$$"
	cat >"$tmp"
	chmod "$2" "$tmp"
	if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv -f "$tmp" "$1"; fi
}

mkdir -p "$out"
out=$(cd "$out" && pwd)
for d in bin sbin usr/bin usr/sbin etc root dev proc sys run var var/tmp mnt; do
	mkdir -p "$out/$d"
done
mkdir -p "$out/tmp"
chmod 1777 "$out/tmp" "$out/var/tmp"
chmod 0755 "$out" "$out/dev" "$out/proc" "$out/sys" "$out/run" "$out/mnt"
chmod 0700 "$out/root"

put "$busybox" "$out/bin/busybox" 0755
# One symlink per applet, where busybox itself would install it (bin/sh, usr/bin/awk, ...).
while read -r applet; do
	case $applet in bin/busybox | linuxrc) continue ;; esac
	link="$out/$applet"
	if ! [ -L "$link" ]; then
		mkdir -p "$(dirname "$link")"
		ln -sfn /bin/busybox "$link"
	fi
done < <("$out/bin/busybox" --list-full)

write "$out/etc/passwd" 0644 <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
write "$out/etc/group" 0644 <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
write "$out/etc/hostname" 0644 <<<"hull"
write "$out/etc/hosts" 0644 <<'EOF'
127.0.0.1	localhost
::1	localhost
EOF
[ -e "$out/etc/resolv.conf" ] || : >"$out/etc/resolv.conf"

if [ -f "$probe" ]; then
	put "$probe" "$out/usr/bin/probe" 0755
fi
