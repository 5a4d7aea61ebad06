#!/bin/sh
# fuzz/run.sh: runs libFuzzer targets one after the other (`make fuzz`).
#
#   sh fuzz/run.sh DIR SECONDS NAME:MAXLEN[:DICT]...
#
# For each NAME: copies fuzz/corpus/NAME/, except its crash-* files, into
# DIR/corpus/NAME/ (what earlier runs found there is kept); runs
# DIR/fuzz/fuzz_NAME on it for SECONDS with -max_len=MAXLEN
# -rss_limit_mb=2048 -timeout=10 (and -dict=DICT when given); logs to
# DIR/logs/NAME.log and leaves crashes in DIR/artifacts/NAME/.  Prints one
# line per target: executions, executions per second, corpus size, result.
# Exits 1 if any target found a crash, leak, timeout or OOM.
set -u
dir=$1 secs=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
what='^==[0-9]+==ERROR|SUMMARY|fuzz check failed|deadly signal|timeout'
bad=0
total=0

# seed NAME CORPUS: the checked-in seeds.  crash-* files reproduce bugs
# (t8000-fuzz-replay.sh checks they stay fixed); one still open would stop
# libFuzzer before it starts.
seed() {
	for f in "$top/fuzz/corpus/$1"/*; do
		case ${f##*/} in crash-*) continue ;; esac
		if [ -f "$f" ]; then
			cp "$f" "$2"/
		fi
	done
}

printf '%-10s %12s %9s %7s  %s\n' target executions exec/s corpus result
for spec in "$@"; do
	name=${spec%%:*} rest=${spec#*:}
	maxlen=${rest%%:*} dict=
	case $rest in *:?*) dict=-dict=${rest#*:} ;; esac
	corpus=$dir/corpus/$name arts=$dir/artifacts/$name
	log=$dir/logs/$name.log
	mkdir -p "$corpus" "$arts" "$dir/logs"
	seed "$name" "$corpus"
	"$dir/fuzz/fuzz_$name" "$corpus" -max_total_time="$secs" \
		-max_len="$maxlen" -rss_limit_mb=2048 -timeout=10 \
		-use_value_profile=1 -print_final_stats=1 $dict \
		-artifact_prefix="$arts/" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	size=$(ls "$corpus" | wc -l)
	if [ $rc = 0 ]; then
		result=ok
	else
		bad=1
		found=$(grep -m1 -E "$what" "$log" | cut -c1-100)
		result="FAILED (rc $rc): $found -- $(ls "$arts" | head -n 3 |
			tr '\n' ' ')"
	fi
	total=$((total + ${execs:-0}))
	printf '%-10s %12s %9s %7s  %s\n' "$name" "${execs:-?}" "${rate:-?}" \
		"$size" "$result"
done
printf '%-10s %12s\n' total "$total"
exit $bad
