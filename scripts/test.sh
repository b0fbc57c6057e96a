#!/bin/bash
# THE test command (README quick start; .ci/run execs it). As root on Debian 12:
#   ./scripts/test.sh                      deps, build, rootfs, unit and integration tests on the
#                                          shipped build, the network layer (net), the engine
#                                          and cgroup v2 (qemu) tests, a short fuzz run, then
#                                          unit and integration again under ASan+UBSan
#   ./scripts/test.sh unit                 deps, build, unit tests only
#   ./scripts/test.sh integration [FILTER] deps, build, rootfs, the integration tests whose
#                                          "NN_topic/test_name" matches the regex FILTER
#   ./scripts/test.sh sanitize [FILTER]    the whole suite against an ASan+UBSan build of hull
#                                          (build-sanitize/, dynamic; the probe stays static)
#   ./scripts/test.sh engines [FILTER]     podman and containerd driving build/hull
#   ./scripts/test.sh vm [FILTER]          the cgroup v2 lane: build/hull in qemu
#   ./scripts/test.sh fuzz                 each libFuzzer target for 15 s (scripts/fuzz.sh:
#                                          build-fuzz/, clang, ASan+UBSan; about two minutes)
#   ./scripts/test.sh net                  src/lib/net against the kernel in a private network
#                                          namespace (tests/net/run.sh)
# The last line is always "N passed, M failed" (unit test cases, integration, net, engine and
# vm tests, fuzz targets); the exit status is non-zero when M > 0. A lane that ran no test
# (a FILTER matching nothing) counts as failed. Logs: build*/meson-logs/,
# build/test-results/, build/*.log, build-fuzz/fuzz-artifacts/.
set -u -o pipefail
cd "$(dirname "$0")/.." || exit 1

mode=${1:-all}
filter=${2:-}
case $mode in
all | unit | integration | sanitize | engines | vm | fuzz | net) ;;
-h | --help)
	sed -n '2,/^set /p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	exit 0
	;;
*)
	echo "usage: $0 [all | unit | integration [FILTER] | sanitize [FILTER] | engines [FILTER] | vm [FILTER] | fuzz | net]" >&2
	exit 2
	;;
esac

passed=0
failed=0
finish() {
	echo "${passed} passed, ${failed} failed"
	[ "$failed" = 0 ]
	exit
}
step_failed() { # MESSAGE: a step that prevents testing counts as one failure
	echo "test: $*" >&2
	failed=$((failed + 1))
	finish
}

HULL_WITH_TEST_DEPS=1 HULL_WITH_ENGINE_DEPS=1 HULL_WITH_VM_DEPS=1 ./scripts/deps.sh || step_failed "scripts/deps.sh failed"
command -v jq >/dev/null || step_failed "jq is missing (needed by the test harness)"
if ! ./scripts/build.sh; then
	ninja -C build 2>&1 | tail -n 40 >&2 # build.sh is quiet: show why
	step_failed "build failed"
fi

# run_lane NAME LOG CMD...: run a lane's script (its output also in LOG) and add its last
# line, "NAME: N passed, M failed", to the totals. A lane without that line, or one that ran
# nothing (a FILTER matching no test), counts as a failure.
run_lane() {
	local name=$1 log=$2 last
	shift 2
	"$@" | tee "$log"
	last=$(tail -n1 "$log")
	if [[ "$last" =~ ^$name:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]] &&
		[ $((BASH_REMATCH[1] + BASH_REMATCH[2])) -gt 0 ]; then
		passed=$((passed + BASH_REMATCH[1]))
		failed=$((failed + BASH_REMATCH[2]))
	else
		echo "test: the $name lane ended without a count of tests run" >&2
		failed=$((failed + 1))
	fi
}

# A suite (unit, integration or both) against one build: build/ (static, as shipped) or
# build-sanitize/ (ASan+UBSan, dynamic; the probe stays static). Any sanitizer report fails
# the run: UBSan halts, ASan and LeakSanitizer exit non-zero.
run_suite() { # BUILD_DIR WHAT(all|unit|integration)
	local bdir=$1 what=$2 p f
	export HULL=$PWD/$bdir/hull
	if [ "$what" != integration ]; then
		echo "== unit tests ($bdir)"
		rm -f "$bdir/meson-logs/testlog.json"
		meson test -C "$bdir" --print-errorlogs
		local log=$bdir/meson-logs/testlog.json
		if [ ! -s "$log" ]; then
			step_failed "meson test wrote no $log"
		fi
		# Count the TAP lines each program prints ("ok - name" / "not ok - name"); a program
		# that prints none counts as one case, and one that fails without a "not ok" line (a
		# crash, a timeout) adds one failure.
		read -r p f < <(jq -rs '
			map((.stdout // "" | split("\n")) as $l
			    | ([$l[] | select(test("^ok\\b"))] | length) as $ok
			    | ([$l[] | select(test("^not ok\\b"))] | length) as $nok
			    | (.result | IN("OK", "EXPECTEDFAIL", "SKIP")) as $good
			    | if $ok + $nok == 0 then
			        (if .result == "SKIP" then [0, 0] elif $good then [1, 0] else [0, 1] end)
			      else [$ok, $nok + (if $good or $nok > 0 then 0 else 1 end)] end)
			| [(map(.[0]) | add // 0), (map(.[1]) | add // 0)] | "\(.[0]) \(.[1])"' "$log")
		echo "unit ($bdir): ${p} passed, ${f} failed"
		passed=$((passed + p))
		failed=$((failed + f))
	fi
	if [ "$what" != unit ]; then
		echo "== integration tests ($HULL)"
		./scripts/mkrootfs.sh build/rootfs build/tests/probe/probe || step_failed "mkrootfs failed"
		run_lane integration "$bdir/integration.log" tests/integration/run.sh "$filter"
	fi
}

run_engines() { # podman + containerd driving build/hull (tests/engines/README.md)
	echo "== engine tests (build/hull)"
	run_lane engines build/engines.log env HULL="$PWD/build/hull" tests/engines/run.sh "$filter"
}

run_net() { # the network layer in a private network namespace (tests/net/run.sh)
	echo "== net tests (build/tests/net/nettool, in a private network namespace)"
	ninja -C build tests/net/nettool tests/tools/udpecho >/dev/null || step_failed "build nettool"
	run_lane net build/net.log tests/net/run.sh build
}

run_vm() { # the cgroup v2 lane in qemu (tests/vm/README.md)
	echo "== vm tests (build/hull, cgroup v2 in qemu)"
	run_lane vm build/vm.log env HULL="$PWD/build/hull" HULL_VM_RESOURCES=1 tests/vm/run.sh "$filter"
}

run_fuzz() { # each libFuzzer target for a short while (scripts/fuzz.sh, tests/fuzz/README.md)
	echo "== fuzz (build-fuzz, 15 s per target)"
	run_lane fuzz build/fuzz.log ./scripts/fuzz.sh 15
}

setup_sanitize() {
	local bdir=build-sanitize
	if [ ! -f "$bdir/build.ninja" ]; then
		meson setup "$bdir" -Dstatic=false -Db_sanitize=address,undefined -Db_lundef=false \
			>/dev/null || step_failed "meson setup $bdir failed"
	fi
	ninja -C "$bdir" >/dev/null || {
		ninja -C "$bdir" 2>&1 | tail -n 40 >&2
		step_failed "sanitizer build failed"
	}
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
	export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=87
}

case $mode in
all)
	run_suite build all
	run_net
	run_engines
	run_vm
	run_fuzz
	setup_sanitize
	run_suite build-sanitize all
	;;
unit | integration) run_suite build "$mode" ;;
engines) run_engines ;;
vm) run_vm ;;
net) run_net ;;
fuzz) run_fuzz ;;
sanitize)
	setup_sanitize
	run_suite build-sanitize all
	;;
esac
finish
