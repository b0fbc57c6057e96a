#!/bin/bash
# Build the libFuzzer targets (tests/fuzz/fuzz_*.c) into build-fuzz/ with clang, ASan and UBSan,
# and run each for SECONDS from a copy of its seed corpus (tests/fuzz/corpus/NAME; the repository
# is not modified), JOBS targets at a time:
#   ./scripts/fuzz.sh [SECONDS [JOBS]]     default 15 s each, nproc at a time
# ./scripts/test.sh fuzz runs it with the defaults (CI); tests/fuzz/README.md has a longer run.
# A crash, a sanitizer report, a leak or a timeout fails the target; its input is kept in
# build-fuzz/fuzz-artifacts/. One line per target ("ok - fuzz_X: ..." / "not ok - fuzz_X: ...")
# with its figures, then "fuzz: N passed, M failed" (exit status non-zero when M > 0).
set -u -o pipefail
cd "$(dirname "$0")/.." || exit 1

secs=${1:-15}
jobs=${2:-$(nproc)}
bdir=build-fuzz
artifacts=$bdir/fuzz-artifacts

targets=()
for src in tests/fuzz/fuzz_*.c; do
	targets+=("$(basename "$src" .c)")
done

fail_setup() {
	echo "fuzz: $*" >&2
	echo "fuzz: 0 passed, ${#targets[@]} failed"
	exit 1
}

command -v clang >/dev/null || fail_setup "clang is missing (scripts/deps.sh with HULL_WITH_TEST_DEPS=1)"
if [ ! -f "$bdir/build.ninja" ]; then
	CC=clang meson setup "$bdir" -Dfuzz=true -Dstatic=false >/dev/null ||
		fail_setup "meson setup $bdir failed"
fi
if ! ninja -C "$bdir" "${targets[@]/#/tests/fuzz/}" >/dev/null; then
	ninja -C "$bdir" "${targets[@]/#/tests/fuzz/}" 2>&1 | tail -n 40 >&2
	fail_setup "fuzz build failed"
fi

work=$(mktemp -d /tmp/hull-fuzz.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

run_one() { # TARGET: its log in $work/TARGET.log, its status in $work/TARGET.rc
	local t=$1 name=${1#fuzz_} dict=()
	case $name in
	spec | process | resources) dict=(-dict=tests/fuzz/spec.dict) ;;
	esac
	mkdir -p "$work/$t"
	[ -d "tests/fuzz/corpus/$name" ] && cp -r "tests/fuzz/corpus/$name/." "$work/$t/"
	ASAN_OPTIONS=${FUZZ_ASAN_OPTIONS:-detect_leaks=1} "$bdir/tests/fuzz/$t" "${dict[@]}" \
		-max_total_time="$secs" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$work/$t-" "$work/$t" >"$work/$t.log" 2>&1
	echo $? >"$work/$t.rc"
}

running=0
for t in "${targets[@]}"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	run_one "$t" &
	running=$((running + 1))
done
wait

passed=0
failed=0
for t in "${targets[@]}"; do
	log=$work/$t.log
	rc=$(cat "$work/$t.rc" 2>/dev/null || echo 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	# the last status line: "#N  DONE  cov: C ft: F corp: U/Sb ..."
	last=$(grep -E '^#[0-9]+' "$log" | tail -n1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
	figures="${execs:-?} execs (${rate:-?}/s), cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}"
	if [ ! -d "tests/fuzz/corpus/${t#fuzz_}" ]; then
		echo "not ok - $t: no seed corpus tests/fuzz/corpus/${t#fuzz_}"
		failed=$((failed + 1))
	elif [ "$rc" = 0 ]; then
		echo "ok - $t: ${secs}s, $figures"
		passed=$((passed + 1))
	else
		echo "not ok - $t: exit status $rc after $figures"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5 | sed 's/^/#   /'
		for a in "$work/$t"-*; do
			[ -e "$a" ] || continue
			cp "$a" "$artifacts/" && echo "#   input: $artifacts/$(basename "$a")"
		done
		cp "$log" "$artifacts/$t.log"
		echo "#   log: $artifacts/$t.log"
		failed=$((failed + 1))
	fi
done
echo "fuzz: ${passed} passed, ${failed} failed"
[ "$failed" = 0 ]
