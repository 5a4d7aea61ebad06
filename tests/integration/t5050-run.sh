#!/bin/sh
# run, the main job of the README (`make run`), on its embedded defaults:
# in a fresh state directory it writes the example plan, creates both
# repositories with a password file only its owner reads, backs up, backs
# up a change (only the change is stored), drills a restore (PASSED, every
# byte verified), reads every repository back and prints the findings; the
# real restic checks and restores what it made; a second run reuses all;
# a damaged pack makes the drill fail, the read-back name the damage and
# the run exit 1.
. "$(dirname "$0")/lib.sh"

test_expect_success 'a first run on a fresh state directory' '
	reprise --state st run >out 2>err
	test_grep "^1\\. Backups of the plan.s jobs:$" out
	test_grep "Created the encrypted repository .local. in st/repo (its password is in st/repo.password)" out
	test_grep "Created the encrypted repository .copie." out
	test_grep "^2\\. Changed a file" out
	test_grep "^   .dossiers. into .local.: 4 files (.*) in .*; 1 new or changed, " out
	test_grep "^   .dossiers-mensuel. from .local.: PASSED; 4 files, .*, every byte verified$" out
	test "$(grep -c ": no errors\\.$" out)" = 2
	test_grep "^Continuity plan of Exemple SARL, checked at " out
	test -s st/plan.yaml
	test -s st/catalog.db
	test "$(stat -c %a st/repo.password)" = 600
'

if have restic; then
	test_expect_success 'restic checks and restores what the run made' '
		restic -r st/repo --password-file st/repo.password \
			check --read-data >out 2>&1
		restic -r st/repo --password-file st/repo.password \
			restore latest --target rr >out 2>&1
		src=$(find rr -type d -name sample | head -n 1)
		test -n "$src"
		diff -r st/sample "$src"
	'
fi

test_expect_success 'a second run reuses the repositories and passes' '
	before=$(ls st/repo/snapshots | wc -l)
	reprise --state st run >out 2>err
	test_grep -v "Created the encrypted repository" out
	test_grep "PASSED" out
	test "$(ls st/repo/snapshots | wc -l)" -gt "$before"
'

test_expect_success 'a damaged pack: the drill fails, the damage is named, exit 1' '
	pack=$(find st/repo/data -type f -size +100k | head -n 1)
	test -n "$pack"
	chmod u+w "$pack"
	flip_byte "$pack" 5000
	test_must_fail 1 reprise --state st run >out 2>err
	test_grep "FAILED; .*; why: " out
	test_grep -v "FAILED.*every byte verified" out
	test_grep "^   .local.: .*: DAMAGE FOUND\\.$" out
	test_grep "^   .copie.: .*: no errors\\.$" out
'

test_done
