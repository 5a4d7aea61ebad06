#!/bin/sh
# The command line itself: help, version, usage errors and the exit
# statuses documented in src/cli/cli.h (0 ok, 1 failure, 2 usage, 3 partial
# backup, 10 no repository, 11 locked, 12 wrong password).
. "$(dirname "$0")/lib.sh"

test_expect_success 'help lists the commands and exits 0' '
	reprise help >out 2>err
	test_grep "^Usage: reprise" out
	for c in init backup snapshots ls restore check key; do
		test_grep "^  $c " out || exit 1
	done
	test_grep "12 wrong password" out
'

test_expect_success '--help and -h exit 0 and show the usage' '
	reprise --help >out1
	test_grep "^Usage: reprise" out1
	reprise -h >out2
	test_cmp out1 out2
'

test_expect_success 'version prints the version' '
	reprise version >out
	test_grep "^reprise [0-9]" out
	test_grep "restic repository format 2" out
	reprise --version >out2
	test_cmp out out2
'

test_expect_success 'no arguments: usage on stdout, exit 2' '
	test_must_fail 2 reprise >out 2>err
	test_grep "^Usage: reprise" out
'

test_expect_success 'unknown command: exit 2 and a message' '
	test_must_fail 2 reprise frobnicate >out 2>err
	test_grep "unknown command .frobnicate." err
	test_must_fail 2 reprise help frobnicate 2>err
	test_grep "frobnicate" err
'

test_expect_success 'unknown option: exit 2' '
	test_must_fail 2 reprise -r "$SCRATCH/none" snapshots --bogus 2>err
	test_grep -e "--bogus" err
	test_must_fail 2 reprise -r "$SCRATCH/none" backup -Z src 2>err
	test_must_fail 2 reprise -r "$SCRATCH/none" check --read-data-subset 2>err
	test_grep "missing value" err
'

test_expect_success 'help backup shows the options of backup' '
	reprise help backup >out
	test_grep "^Usage: reprise backup" out
	for o in --exclude --exclude-file --tag --host --stdin \
		 --stdin-filename --stdin-from-command --json; do
		test_grep -e "$o" out || exit 1
	done
	reprise help restore >out
	test_grep -e "--target" out
	test_grep -e "--include" out
'

test_expect_success 'backup -h prints the usage of backup and exits 0' '
	reprise backup -h >out
	test_grep "^Usage: reprise backup" out
'

test_expect_success 'a command that needs a repository without one: exit 2' '
	test_must_fail 2 reprise snapshots >out 2>err
	test_grep "no repository" err
'

test_expect_success 'init a repository for the next tests' '
	reprise -r repo init >out
	test_grep "created reprise repository" out
	test -f repo/config
'

test_expect_success 'missing repository: exit 10' '
	test_must_fail 10 reprise -r "$SCRATCH/does-not-exist" snapshots 2>err
	test_grep "no repository" err
	mkdir empty-dir
	test_must_fail 10 reprise -r "$SCRATCH/empty-dir" snapshots 2>err
	test_must_fail 10 reprise -r "$SCRATCH/empty-dir" check 2>err
'

test_expect_success 'REPRISE_REPOSITORY names the repository' '
	reprise_env REPRISE_REPOSITORY="$SCRATCH/repo" -- snapshots >out
	test_grep "0 snapshots" out
	test_must_fail 10 reprise_env REPRISE_REPOSITORY="$SCRATCH/nope" -- \
		snapshots 2>err
'

test_expect_success 'local:PATH names a local repository; -r beats the variable' '
	reprise -r "local:$SCRATCH/repo" snapshots >out
	test_grep "0 snapshots" out
	reprise_env REPRISE_REPOSITORY="$SCRATCH/nope" -- -r repo snapshots >out
	test_grep "0 snapshots" out
	test_must_fail 10 reprise -r "local:$SCRATCH/nope" snapshots >out 2>err
'

test_expect_success 'wrong password: exit 12' '
	test_must_fail 12 reprise_env REPRISE_PASSWORD=wrong -- \
		-r repo snapshots >out 2>err
	test_grep "wrong password" err
	printf "also wrong\n" >pwfile
	test_must_fail 12 reprise -r repo --password-file pwfile check 2>err
'

test_expect_success 'the password file and REPRISE_PASSWORD_FILE are read' '
	printf "%s\n" "$PW" >goodpw
	reprise_env -u REPRISE_PASSWORD -- -r repo --password-file goodpw \
		snapshots >out
	test_grep "0 snapshots" out
	reprise_env -u REPRISE_PASSWORD \
		REPRISE_PASSWORD_FILE="$SCRATCH/goodpw" -- -r repo snapshots >out
	test_grep "0 snapshots" out
'

test_expect_success 'no password at all (no terminal): exit 1, no prompt hang' '
	test_must_fail 1 reprise_env -u REPRISE_PASSWORD -- -r repo \
		snapshots </dev/null >out 2>err
	test_grep "password" err
'

# Regression (fixed in 4c1c3bb): getopt_long accepted unambiguous
# prefixes, so "--password X" after the command and "--password=X" were
# read as "--password-file X": exit 1, echoing the secret in "cannot read
# password file X", instead of the usage error.
test_expect_success 'the password is never accepted on the command line' '
	test_must_fail 2 reprise -r repo --password "$PW" snapshots 2>err
	test_must_fail 2 reprise -r repo "--password=$PW" snapshots 2>err
	test_must_fail 2 reprise -r repo snapshots --password "$PW" 2>err
	test_must_fail 2 reprise -r repo init --password "$PW" 2>err
	test_must_fail 2 reprise -r repo -p "$PW" snapshots 2>err
'

test_expect_success 'a missing password file is an error, not a fallback' '
	test_must_fail 1 reprise -r repo --password-file "$SCRATCH/nofile" \
		snapshots 2>err
	test_grep "nofile" err
'

test_expect_success 'stdout write errors are reported (exit 1)' '
	if test -w /dev/full; then
		test_must_fail 1 reprise help >/dev/full 2>err
		test_grep "cannot write" err
	fi
'

test_done
