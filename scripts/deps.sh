#!/bin/sh
# Install the Debian packages hull needs to build and test (idempotent).
set -eu
PKGS="meson ninja-build pkg-config gcc libc6-dev libjansson-dev libseccomp-dev \
busybox-static iproute2 util-linux procps jq"
if [ "${HULL_WITH_TEST_DEPS:-0}" = 1 ]; then
	PKGS="$PKGS clang clang-format libclang-rt-14-dev strace curl nftables containernetworking-plugins"
fi
# The engine tests (tests/engines/run.sh): podman 4.3 + conmon, containerd 1.6 (ctr and the runc
# v2 shim), umoci for the OCI image archive, runc as the reference runtime, script(1).
if [ "${HULL_WITH_ENGINE_DEPS:-0}" = 1 ]; then
	PKGS="$PKGS podman conmon containerd umoci runc bsdutils"
fi
# The cgroup v2 lane (tests/vm/run.sh): qemu boots Debian's cloud kernel (which run.sh fetches
# with apt-get download and unpacks under build/vm/, not installed) with a cpio initramfs.
if [ "${HULL_WITH_VM_DEPS:-0}" = 1 ]; then
	PKGS="$PKGS qemu-system-x86 cpio"
fi
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
