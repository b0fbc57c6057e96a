#!/bin/bash
# The first quick-start command: installs the build dependencies, builds hull and the default
# busybox rootfs, writes an OCI bundle in build/demo and runs it with `hull run`. The
# container prints what it sees; each line says what it proves. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/deps.sh
./scripts/build.sh
./scripts/mkrootfs.sh build/rootfs build/tests/probe/probe

bundle=build/demo
mkdir -p "$bundle"
rm -rf "$bundle/rootfs"
ln -s ../rootfs "$bundle/rootfs"

# The script the container runs (busybox sh). Lines starting with '#' are the explanations.
read -r -d '' script <<'EOF' || true
echo "# 1. PID namespace: this shell is PID 1 and sees only its own processes"
echo "PID $$"
echo "all processes it can see:"
ps -o pid,comm
echo
echo "# 2. UTS namespace: its own hostname (the host's is unchanged)"
echo "hostname: $(hostname)"
echo
echo "# 3. Mount namespace + pivot_root: its own root and mounts, nothing of the host's"
echo "/ is: $(ls / | tr '\n' ' ')"
echo "mounts ($(wc -l </proc/self/mounts)):"
awk '{ printf "  %-18s %-8s %s\n", $2, $3, substr($4, 1, 40) }' /proc/self/mounts
echo
echo "# 4. Network namespace: only the loopback device"
echo "network devices: $(ls /sys/class/net | tr '\n' ' ')"
echo
echo "# 5. Identity: root inside, with a small capability set and no_new_privs"
id
grep -E '^(CapEff|NoNewPrivs)' /proc/self/status
EOF

cat >"$bundle/config.json" <<EOF
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false,
    "user": {"uid": 0, "gid": 0},
    "args": ["/bin/sh", "-c", $(printf '%s' "$script" | sed 's/\\/\\\\/g; s/"/\\"/g' |
		awk 'BEGIN { printf "\"" } { printf "%s\\n", $0 } END { printf "\"" }')],
    "env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
    "cwd": "/",
    "capabilities": {
      "bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
      "effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
      "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
    },
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
    "noNewPrivileges": true
  },
  "root": {"path": "rootfs", "readonly": true},
  "hostname": "hull-demo",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
     "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
     "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs",
     "options": ["nosuid", "noexec", "nodev", "ro"]}
  ],
  "linux": {
    "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"},
                   {"type": "mount"}, {"type": "cgroup"}],
    "maskedPaths": ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"],
    "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
  }
}
EOF

echo "== host: hostname $(hostname), $(ls -d /proc/[0-9]* | wc -l) processes," \
	"$(wc -l </proc/self/mounts) mounts, network devices: $(ls /sys/class/net | tr '\n' ' ')"
echo "== build/hull run --bundle $bundle hull-demo-$$"
echo
status=0
build/hull run --bundle "$bundle" "hull-demo-$$" || status=$?
echo
echo "== container exited with status $status; host hostname is still $(hostname)"
exit "$status"
