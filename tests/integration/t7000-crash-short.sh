#!/bin/sh
# A short crash test (scripts/crash-test.sh, whose long run is `make
# crash-test`): 8 kill -9 at random moments, 2 each during backup, forget
# --prune, prune and copy, of a 4 MB tree.  After every kill: `reprise
# unlock` leaves no lock, reprise check --read-data and restic check
# --read-data pass, every snapshot that existed before the kill (but those
# the killed forget was told to remove) restores byte-identical to the
# tree it was made from, and the killed command then runs to its end.
. "$(dirname "$0")/lib.sh"

have restic || test_skip_all "restic is not installed"

test_expect_success 'crash test: 8 kills, every check passes' '
	rc=0
	sh "$top/scripts/crash-test.sh" -b "$REPRISE" -n 8 -m 4 \
		-w "$SCRATCH/crash" >crash.out 2>&1 || rc=$?
	cat crash.out
	if [ "$rc" != 0 ]; then
		tail -n 40 crash/log
	fi
	test "$rc" = 0
	test_grep "^8 kills: backup 2, prune 2, forget 2, copy 2; all checks passed$" \
		crash.out
	test_path_is_missing crash
'

test_expect_success 'the crash test fails when a check fails (it can fail)' '
	# a "reprise" that damages a pack after each backup must be caught
	cat >fake <<EOT
#!/bin/sh
"$REPRISE" "\$@"
rc=\$?
case " \$* " in
*" backup "*)
	p=\$(find repo/data -type f | head -n 1)
	chmod u+w "\$p"
	printf "garbage" | dd of="\$p" bs=1 seek=100 conv=notrunc 2>/dev/null ;;
esac
exit \$rc
EOT
	chmod +x fake
	rc=0
	sh "$top/scripts/crash-test.sh" -b "$SCRATCH/fake" -n 1 -m 2 -o backup \
		-w "$SCRATCH/crash2" >crash2.out 2>&1 || rc=$?
	cat crash2.out
	test "$rc" = 1
	test_grep "FAILED" crash2.out
'

test_done
