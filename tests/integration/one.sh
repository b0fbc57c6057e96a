#!/bin/bash
# Runs ONE integration test function: one.sh FILE FUNCTION. The runner (run.sh) provides the
# environment (see lib.sh) and cleans up afterwards.
set -e -u -o pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1090
source "$1"
cd "$T"
"$2"
