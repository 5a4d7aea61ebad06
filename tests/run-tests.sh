#!/bin/sh
# Runs the unit tests (cmocka) and the integration tests (tests/integration/
# t*.sh) against the build in directory $1 (build or build-san).  Prints one
# line per test program and a final 'N passed, N failed' line; exits 1 if
# anything failed.
#
# JOBS (default: the number of CPUs) tests run at once: each has its own
# scratch directory and picks its own ports.  TESTS="t2000-backup ..." runs
# only those integration tests.
set -u
O=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
REPRISE="$top/$O/reprise"
export REPRISE top
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
JOBS=${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
logdir="$top/$O/test-logs"
rm -rf "$logdir"; mkdir -p "$logdir"

# run_one NAME CMD...: runs in the background; NAME.rc and NAME.secs
# record the outcome for the report.
run_one() {
	name=$1; shift
	(
		t0=$(date +%s)
		"$@" >"$logdir/$name.log" 2>&1
		echo $? >"$logdir/$name.rc"
		echo $(( $(date +%s) - t0 )) >"$logdir/$name.secs"
	) &
	running=$((running + 1))
	if [ "$running" -ge "$JOBS" ]; then
		wait_one
	fi
}

# wait_one: waits until fewer than JOBS run (polls the .rc files: POSIX sh
# has no "wait for any child").
wait_one() {
	while :; do
		done_n=$(ls "$logdir" | grep -c '\.rc$')
		[ $((started - done_n)) -lt "$JOBS" ] && break
		sleep 0.2
	done
	running=$((started - done_n))
}

names=
started=0
running=0
for t in "$top/$O"/tests/test_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	names="$names $n"
	started=$((started + 1))
	run_one "$n" "$t"
done
for t in "$top"/tests/integration/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	n=$(basename "$t" .sh)
	if [ -n "${TESTS:-}" ]; then
		case " $TESTS " in *" $n "*) ;; *) continue ;; esac
	fi
	names="$names $n"
	started=$((started + 1))
	run_one "$n" sh "$t"
done
wait

pass=0 fail=0 skip=0
for n in $names; do
	log="$logdir/$n.log"
	rc=$(cat "$logdir/$n.rc" 2>/dev/null || echo 99)
	secs=$(cat "$logdir/$n.secs" 2>/dev/null || echo "?")
	if [ "$rc" = 0 ]; then
		pass=$((pass + 1))
		if grep -q '^# SKIP' "$log"; then
			skip=$((skip + 1))
			printf 'skip %s (%s)\n' "$n" "$(grep -m1 '^# SKIP' "$log")"
		else
			printf 'ok   %s (%ss)\n' "$n" "$secs"
		fi
	else
		fail=$((fail + 1))
		printf 'FAIL %s (rc %s, %ss, log %s)\n' "$n" "$rc" "$secs" "$log"
		tail -n 25 "$log" | sed 's/^/     | /'
	fi
done
echo "$pass passed, $fail failed ($skip skipped) [$O]"
[ $fail = 0 ]
