#!/bin/sh
# The fuzz corpus replays cleanly: every fuzz target (fuzz/fuzz_*.c),
# linked with fuzz/driver.c into $O/fuzz/replay_<target> by fuzz/build.mk,
# runs over its seed corpus fuzz/corpus/<target>/ without a crash, a broken
# invariant (FUZZ_CHECK aborts) or, in the sanitizer build, a sanitizer
# report or leak.  Crashes that `make fuzz` found are kept in the corpus,
# so this is also their regression test.
. "$(dirname "$0")/lib.sh"

fuzzdir=$(dirname "$REPRISE")/fuzz
set -- "$fuzzdir"/replay_*
if [ ! -x "$1" ]; then
	test_skip_all "no replay binaries in $fuzzdir (make fuzz-replay)"
fi

for bin in "$@"; do
	name=${bin##*/replay_}
	corpus=$top/fuzz/corpus/$name
	test_expect_success "replay corpus of $name" '
		test -d "$corpus"
		if ! $REPRISE_WRAPPER "$bin" "$corpus" >out 2>err; then
			grep -v "^replay: " err | tail -n 40
			grep "^replay: " err | tail -n 1
			exit 1
		fi
		test_grep "^replayed [1-9][0-9]* inputs" out
	'
done

test_expect_success 'every corpus has a replay binary' '
	for d in "$top"/fuzz/corpus/*/; do
		d=${d%/}
		if ! test -x "$fuzzdir/replay_${d##*/}"; then
			echo "no replay_${d##*/}"
			exit 1
		fi
	done
'

test_done
