#!/bin/sh
# Runs the unit tests (cmocka) and the integration tests (tests/integration/
# t*.sh) against the build in directory $1 (build or build-san).  Prints one
# line per test program and a final 'N passed, N failed' line; exits 1 if
# anything failed.
set -u
O=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
REPRISE="$top/$O/reprise"
export REPRISE top
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
pass=0 fail=0 skip=0 failed=
logdir="$top/$O/test-logs"
rm -rf "$logdir"; mkdir -p "$logdir"

run_one() {
	name=$1; shift
	log="$logdir/$name.log"
	t0=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - t0 ))
	if [ $rc = 0 ]; then
		pass=$((pass + 1))
		if grep -q '^# SKIP' "$log"; then
			skip=$((skip + 1))
			printf 'skip %s (%s)\n' "$name" "$(grep -m1 '^# SKIP' "$log")"
		else
			printf 'ok   %s (%ss)\n' "$name" "$secs"
		fi
	else
		fail=$((fail + 1)); failed="$failed $name"
		printf 'FAIL %s (rc %s, log %s)\n' "$name" "$rc" "$log"
		tail -n 25 "$log" | sed 's/^/     | /'
	fi
}

for t in "$top/$O"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "$(basename "$t")" "$t"
done
for t in "$top"/tests/integration/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	if [ -n "${TESTS:-}" ]; then
		case " $TESTS " in *" $(basename "$t" .sh) "*) ;; *) continue ;; esac
	fi
	run_one "$(basename "$t" .sh)" sh "$t"
done
echo "$pass passed, $fail failed ($skip skipped) [$O]"
[ $fail = 0 ]
