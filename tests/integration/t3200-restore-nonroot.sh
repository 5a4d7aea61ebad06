#!/bin/sh
# restore as an ordinary user: a snapshot made by root (files of other
# owners, read-only and unreadable directories, setuid) restores with the
# right content and modes; like restic, "cp -a" and "rsync -a", a user
# does not get an error for owners it cannot set.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	test_skip_all "needs root to make a snapshot of files of other owners"
fi
if [ "$CAN_DROP" != 1 ]; then
	test_skip_all "no setpriv/runuser or no user nobody"
fi

chmod 755 "$SCRATCH"

test_expect_success 'setup: a tree made by root, a repository nobody can use' '
	mkdir -p nr/ro nr/closed nr/private nr/sub
	printf "in a read-only dir\n" >nr/ro/f
	printf "in a closed dir\n" >nr/closed/f
	mkdir nr/closed/inner
	printf "deeper\n" >nr/closed/inner/g
	printf "private\n" >nr/private/f
	printf "unreadable\n" >nr/zero
	printf "ro\n" >nr/readonly
	printf "#!/bin/sh\n" >nr/setuid
	printf "theirs\n" >nr/sub/theirs
	ln -s ro/f nr/link
	chown 4242:4343 nr/sub/theirs nr/sub
	chmod 0000 nr/zero
	chmod 0444 nr/readonly
	chmod 4755 nr/setuid
	chmod 0555 nr/ro
	chmod 0700 nr/private
	chmod 0000 nr/closed/inner
	chmod 0000 nr/closed
	find nr -exec touch -h -d "$T_FIXED" {} +
	reprise -r repo init -q
	reprise -r repo backup -q nr
	chown -R nobody repo
	mkdir target
	chown nobody target
'

# Regression (fixed in 8e112ba): a user restore set the mode of nr/closed
# (0000) before the mode and times of nr/closed/inner (also 0000), which
# then failed with EACCES (exit 1, inner left 0700 with the time of the
# restore).  Directory metadata must be set deepest first (restic does).
test_expect_success 'nobody restores it: exit 0, content and modes as saved' '
	as_user env HOME="$SCRATCH/target" $REPRISE_WRAPPER "$REPRISE" \
		-r repo restore latest --target target >out 2>err
	cat err
	test "$(stat -c %U target/nr/ro/f)" = nobody
	TREE_IGNORE=owner tree_equal nr target/nr
'

if have restic; then
	test_expect_success 'restic as nobody gives the same tree' '
		mkdir rtarget
		chown nobody rtarget
		as_user env HOME="$SCRATCH/rtarget" restic --no-cache -r repo \
			restore latest --target rtarget >out 2>&1
		TREE_IGNORE="owner sparse" tree_equal rtarget/nr target/nr
	'
fi

test_done
