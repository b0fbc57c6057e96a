#!/bin/sh
# clang-format (the committed .clang-format) over every C file git tracks.
#   scripts/format.sh           reformat in place
#   scripts/format.sh --check   change nothing; list what is not formatted, exit 1 if any
# The check runs as a unit test (meson test "clang-format"), so an unformatted change fails
# the suite. clang-format comes from Debian (scripts/deps.sh, test group).
set -eu
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format: clang-format is not installed" >&2; exit 1; }
files=$(git ls-files '*.c' '*.h')
if [ "${1:-}" = --check ]; then
	# shellcheck disable=SC2086
	if ! clang-format --dry-run --Werror $files; then
		echo "format: run scripts/format.sh" >&2
		exit 1
	fi
	echo "ok - clang-format: $(echo "$files" | wc -l) files"
else
	# shellcheck disable=SC2086
	clang-format -i $files
fi
