#!/bin/sh
# forget: reprise's retention policies decide as restic's own forget does.
# restic makes snapshots at chosen times (reprise has no --time) in a
# repository that reprise created; for each policy two copies of it are
# forgotten, one by restic and one by reprise, and the snapshots left in
# both must be the same.  reprise's --dry-run must announce exactly the
# snapshots restic removed, and remove nothing.
. "$(dirname "$0")/lib.sh"

have restic || test_skip_all "restic is not installed"

# The snapshots: time|host|tags|source dir.  Chosen for the edges: ISO
# week boundaries (2025-12-28 is a Sunday of 2025-W52, 2025-12-29 a
# Monday of 2026-W01, 2026-01-05 a Monday of 2026-W02), day and year
# boundaries a second apart, several in one hour, one exactly 2 days
# before the newest of its group (restic's --keep-within keeps only
# snapshots strictly newer), tags alone and together, three groups by
# host and paths.
cat >plan <<'EOF'
2023-06-15 12:00:00|h1||a
2024-03-10 09:00:00|h1||a
2024-11-30 18:00:00|h1|t|a
2025-01-05 10:00:00|h1||a
2025-01-20 10:00:00|h1|x|a
2025-02-14 10:00:00|h1||a
2025-03-01 10:00:00|h1|t,x|a
2025-03-02 10:00:00|h1|x,t|a
2025-03-31 23:00:00|h1||a
2025-12-28 10:00:00|h1||a
2025-12-29 10:00:00|h1||a
2026-01-04 10:00:00|h1||a
2026-01-05 10:00:00|h1|t|a
2026-01-10 06:00:00|h1||a
2026-01-10 08:00:00|h1||a
2026-01-10 08:30:00|h1||a
2026-01-11 09:15:00|h1||a
2026-01-11 23:59:59|h1||a
2026-01-12 00:00:01|h1||a
2026-01-12 06:00:00|h1||a
2025-06-01 10:00:00|h2||a
2026-01-02 10:00:00|h2|t|a
2026-01-09 10:00:00|h2||a
2026-01-09 11:00:00|h2||a
2024-12-31 23:00:00|h1||b
2026-01-01 01:00:00|h1|x|b
2026-01-11 12:00:00|h1||b
EOF
total=$(wc -l <plan)

test_expect_success 'setup: restic makes snapshots at chosen times' '
	reprise -r repo init -q
	mkdir a b
	printf "one\n" >a/f
	printf "two\n" >b/g
	while IFS="|" read -r when host tags dir; do
		tagopt=
		if [ -n "$tags" ]; then
			tagopt="--tag $tags"
		fi
		restic -r repo backup -q --time "$when" --host "$host" $tagopt \
			"$dir" >out 2>&1
		# a different content each time, so that trees differ
		printf "%s\n" "$when" >>"$dir/f$dir"
	done <plan
	ls repo/snapshots | LC_ALL=C sort >all.ids
	test "$(wc -l <all.ids)" = "$total"
	snapshot_ids repo | LC_ALL=C sort >reprise.ids
	test_cmp all.ids reprise.ids
'

# forget_both NAME POLICY...: forgets with POLICY in two copies of repo,
# with restic in NAME.restic and reprise in NAME.reprise; the snapshots
# left must be the same, and the plan reprise prints must list as
# "remove" exactly the snapshots restic removed.  With DRY=1, reprise
# --dry-run runs first and must print the same plan and change nothing.
# The policy must remove some snapshots and keep some (else the
# comparison proves little).
forget_both() {
	_n=$1
	shift
	rm -rf "$_n.restic" "$_n.reprise"
	cp -a repo "$_n.restic"
	cp -a repo "$_n.reprise"
	restic -r "$_n.restic" forget "$@" >"$_n.restic.out" 2>&1 || {
		cat "$_n.restic.out" >&2
		return 1
	}
	ls "$_n.restic/snapshots" | LC_ALL=C sort >"$_n.restic.ids"
	_kept=$(wc -l <"$_n.restic.ids")
	if [ "$_kept" = 0 ] || [ "$_kept" = "$total" ]; then
		echo "policy $* keeps $_kept of $total: choose another" >&2
		return 1
	fi
	# what restic removed, as short IDs
	comm -23 all.ids "$_n.restic.ids" | cut -c1-8 >"$_n.expect-removed"

	if [ "${DRY:-0}" = 1 ]; then
		reprise -r "$_n.reprise" forget --dry-run "$@" \
			>"$_n.dry.out" 2>"$_n.dry.err" || return 1
		test_grep "dry run" "$_n.dry.out" || return 1
		ls "$_n.reprise/snapshots" | LC_ALL=C sort >"$_n.after-dry"
		test_cmp all.ids "$_n.after-dry" || return 1
		sed -n "s/^ *remove \([0-9a-f]\{8\}\) .*/\1/p" \
			"$_n.dry.out" | LC_ALL=C sort >"$_n.dry-removed"
		test_cmp "$_n.expect-removed" "$_n.dry-removed" || return 1
	fi

	reprise -r "$_n.reprise" forget "$@" >"$_n.reprise.out" \
		2>"$_n.reprise.err" || return 1
	ls "$_n.reprise/snapshots" | LC_ALL=C sort >"$_n.reprise.ids"
	test_cmp "$_n.restic.ids" "$_n.reprise.ids" || return 1
	sed -n "s/^ *remove \([0-9a-f]\{8\}\) .*/\1/p" "$_n.reprise.out" |
		LC_ALL=C sort >"$_n.removed"
	test_cmp "$_n.expect-removed" "$_n.removed" || return 1
	# reprise still reads the result
	snapshot_ids "$_n.reprise" | LC_ALL=C sort >"$_n.listed" || return 1
	test_cmp "$_n.restic.ids" "$_n.listed"
}

test_expect_success '--keep-last 3 (per host and paths group)' '
	DRY=1 forget_both last3 --keep-last 3
'

test_expect_success '--keep-daily 2 --keep-weekly 2' '
	DRY=1 forget_both dw --keep-daily 2 --keep-weekly 2
'

test_expect_success '--keep-weekly 4 (ISO weeks across the new year)' '
	forget_both w4 --keep-weekly 4
'

test_expect_success '--keep-monthly 3' '
	forget_both m3 --keep-monthly 3
'

test_expect_success '--keep-yearly 1' '
	forget_both y1 --keep-yearly 1
'

test_expect_success '--keep-hourly 3' '
	forget_both h3 --keep-hourly 3
'

test_expect_success '--keep-within 2d (strictly newer than newest - 2d)' '
	DRY=1 forget_both within2d --keep-within 2d
'

test_expect_success '--keep-within 1y2m3d4h (calendar arithmetic)' '
	forget_both within1y --keep-within 1y2m3d4h
'

test_expect_success '--keep-within 13h' '
	forget_both within13h --keep-within 13h
'

test_expect_success '--keep-tag t' '
	forget_both tag --keep-tag t
'

test_expect_success '--keep-tag t --keep-tag x (either tag)' '
	forget_both tag2 --keep-tag t --keep-tag x
'

# Regression: restic reads one --keep-tag t,x as a tag list that a
# snapshot must carry whole (t and x), several --keep-tag options as
# alternatives; reprise once split t,x into two alternatives and kept
# every snapshot tagged t or x (7 kept where restic keeps 2).
test_expect_success '--keep-tag t,x (both tags on one snapshot, as restic)' '
	forget_both tagboth --keep-tag t,x
'

test_expect_success '--group-by host --keep-last 2' '
	DRY=1 forget_both gbhost --group-by host --keep-last 2
'

test_expect_success '--group-by paths --keep-daily 1' '
	forget_both gbpaths --group-by paths --keep-daily 1
'

test_expect_success '--group-by tags --keep-last 1' '
	forget_both gbtags --group-by tags --keep-last 1
'

test_expect_success "--group-by '' (no grouping) --keep-last 4" '
	forget_both gbnone --group-by "" --keep-last 4
'

test_expect_success 'combined: daily 3, weekly 2, monthly 2, yearly 3, tag t' '
	DRY=1 forget_both combo --keep-daily 3 --keep-weekly 2 --keep-monthly 2 \
		--keep-yearly 3 --keep-tag t
'

test_expect_success '--keep-last 1 --keep-within 3d --keep-monthly 1' '
	forget_both combo2 --keep-last 1 --keep-within 3d --keep-monthly 1
'

test_expect_success '--host h2 --keep-last 1 (other hosts untouched)' '
	DRY=1 forget_both fhost --host h2 --keep-last 1
'

test_expect_success '--path .../b --keep-last 1 (other paths untouched)' '
	forget_both fpath --path "$SCRATCH/b" --keep-last 1
'

test_expect_success '--tag x --keep-last 1 (only snapshots tagged x)' '
	forget_both ftag --tag x --keep-last 1
'

test_expect_success '--tag t,x --keep-last 1 (only snapshots with both tags)' '
	forget_both ftagboth --tag t,x --keep-last 1 --group-by ""
'

test_expect_success 'explicit snapshot IDs (full and short) are removed' '
	one=$(sed -n 3p all.ids)
	two=$(sed -n 10p all.ids | cut -c1-8)
	forget_both explicit "$one" "$two"
	test "$(wc -l <explicit.reprise.ids)" = $((total - 2))
'

test_expect_success '--keep-yearly -1 keeps one snapshot of every year' '
	rm -rf yall
	cp -a repo yall
	reprise -r yall forget --keep-yearly -1 >out
	forget_both y100 --keep-yearly 100
	ls yall/snapshots | LC_ALL=C sort >yall.ids
	test_cmp y100.restic.ids yall.ids
'

test_expect_success 'the same policies in another time zone (TZ=Asia/Tokyo)' '
	if [ ! -e /usr/share/zoneinfo/Asia/Tokyo ]; then
		echo "no tzdata: skipped" >&2
		exit 0
	fi
	TZ=Asia/Tokyo
	export TZ
	forget_both tzd --keep-daily 4 --keep-weekly 2
	forget_both tzy --keep-yearly 2 --keep-monthly 2
'

test_expect_success '--dry-run and -n remove nothing' '
	rm -rf dry
	cp -a repo dry
	reprise -r dry forget --dry-run --keep-last 1 >out
	test_grep "dry run" out
	test_grep "^ *remove " out
	reprise -r dry forget -n --keep-last 1 --prune >out
	ls dry/snapshots | LC_ALL=C sort >dry.ids
	test_cmp all.ids dry.ids
	test "$(ls dry/locks | wc -l)" = 0
'

test_expect_success 'forget --prune removes the snapshots, then prunes' '
	rm -rf fp
	cp -a repo fp
	reprise -r fp forget --keep-last 1 --prune >out
	test_grep "packs" out
	test "$(ls fp/snapshots | wc -l)" = 3
	reprise -r fp check --read-data >out
	restic -r fp check --read-data >out 2>&1
	restic -r fp snapshots --json >rs.json 2>&1
	test "$(grep -o "\"short_id\"" rs.json | wc -l)" = 3
	test "$(ls fp/locks | wc -l)" = 0
'

test_expect_success 'bad policy values are usage errors (exit 2), nothing removed' '
	rm -rf bad
	cp -a repo bad
	test_must_fail 2 reprise -r bad forget --keep-last abc >out 2>err
	test_must_fail 2 reprise -r bad forget --keep-daily 0 >out 2>err
	test_must_fail 2 reprise -r bad forget --keep-within 3x >out 2>err
	test_must_fail 2 reprise -r bad forget --keep-within "" >out 2>err
	test_must_fail 2 reprise -r bad forget --group-by color \
		--keep-last 1 >out 2>err
	test_must_fail 2 reprise -r bad forget >out 2>err
	ls bad/snapshots | LC_ALL=C sort >bad.ids
	test_cmp all.ids bad.ids
'

test_done
