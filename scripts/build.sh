#!/bin/sh
# Configure (once) and build hull into build/; the binary is build/hull.
set -eu
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
