#!/bin/sh
# init and key: the repository layout (RESTIC_FORMAT.md §2, §4, §5), the
# oracle (restic) reading it, and managing passwords.
. "$(dirname "$0")/lib.sh"

# key_ids REPO: the full key IDs, the current one marked with a '*'.
key_ids() {
	reprise -r "$1" key list --json | tr '{' '\n' |
		sed -n 's/.*"current":\([a-z]*\),"id":"\([0-9a-f]*\)".*/\1 \2/p' |
		sed 's/^true /*/; s/^false //' | LC_ALL=C sort
}

test_expect_success 'init creates a repository and says so' '
	reprise -r repo init >out
	test_grep "^created reprise repository [0-9a-f]\{10\} at repo" out
'

test_expect_success 'init makes the restic layout' '
	test -f repo/config
	for d in keys data index snapshots locks; do
		test -d "repo/$d"
	done
	test "$(ls repo/keys | wc -l)" = 1
	test "$(ls repo/data | wc -l)" = 256
	for i in 0 1 2 3 4 5 6 7 8 9 a b c d e f; do
		for j in 0 1 2 3 4 5 6 7 8 9 a b c d e f; do
			test -d "repo/data/$i$j" || exit 1
		done
	done
	test "$(find repo/snapshots repo/index repo/locks -type f | wc -l)" = 0
'

test_expect_success 'the key file is plain JSON named by its SHA-256' '
	k=$(ls repo/keys)
	echo "$k" | grep -q "^[0-9a-f]\{64\}$"
	test "$(sha256sum <"repo/keys/$k" | cut -c1-64)" = "$k"
	test_grep "\"kdf\":\"scrypt\"" "repo/keys/$k"
	test_grep "\"N\":1024," "repo/keys/$k"
	salt=$(json_str salt "repo/keys/$k")
	test "$(printf "%s" "$salt" | base64 -d | wc -c)" = 64
'

test_expect_success 'without REPRISE_KDF_N, keys use N=32768, r=8, p=1' '
	reprise_env -u REPRISE_KDF_N -u REPRISE_KDF_R -u REPRISE_KDF_P -- \
		-r kdfrepo init -q
	k=$(ls kdfrepo/keys)
	test_grep "\"N\":32768,\"r\":8,\"p\":1," "kdfrepo/keys/$k"
	reprise -r kdfrepo snapshots >out
'

test_expect_success 'a password file: first line, CR LF or not' '
	printf "%s\r\nsecond line\n" "$PW" >pw.crlf
	printf "%s" "$PW" >pw.nonl
	reprise_env -u REPRISE_PASSWORD -- -r repo --password-file pw.crlf \
		snapshots >out
	reprise_env -u REPRISE_PASSWORD -- -r repo --password-file pw.nonl \
		snapshots >out
'

# restic 0.14 trims blanks around a password file's content
# (strings.TrimSpace), so "PW \n" or " PW\n" open the repository.
# Regression (fixed in 254fc49): reprise kept the blanks, "wrong password".
test_expect_success 'a password file with blanks around works as in restic' '
	printf "%s \n" "$PW" >pw.space
	printf "  %s\t\n" "$PW" >pw.blanks
	if have restic; then
		restic -r repo --password-file pw.space snapshots >out 2>&1
		restic -r repo --password-file pw.blanks snapshots >out 2>&1
	fi
	reprise_env -u REPRISE_PASSWORD -- -r repo --password-file pw.space \
		snapshots >out
	reprise_env -u REPRISE_PASSWORD -- -r repo --password-file pw.blanks \
		snapshots >out
'

if have restic; then
	test_expect_success 'a non-ASCII password works the same in both tools' '
		pw=$(printf "p\303\244ssw\303\266rd \342\202\254")
		reprise_env REPRISE_PASSWORD="$pw" -- -r utf8repo init -q
		RESTIC_PASSWORD="$pw" restic -r utf8repo snapshots >out 2>&1
		RESTIC_PASSWORD="$pw" restic init -q -r utf8restic >out 2>&1
		reprise_env REPRISE_PASSWORD="$pw" -- -r utf8restic snapshots \
			>out
		test_must_fail 12 reprise_env REPRISE_PASSWORD="passwords" -- \
			-r utf8restic snapshots >out 2>err
	'
fi

test_expect_success 'init twice fails and leaves the repository alone' '
	cp -a repo repo.before
	test_must_fail 1 reprise -r repo init >out 2>err
	test_grep "already exists" err
	test_must_fail 1 reprise_env REPRISE_PASSWORD=other -- -r repo init \
		>out 2>err
	diff -r repo.before repo
	rm -rf repo.before
'

test_expect_success 'init refuses an empty password' '
	test_must_fail 1 reprise_env REPRISE_PASSWORD= -- -r emptypw init \
		>out 2>err
	test_grep "empty password" err
	test_path_is_missing emptypw/config
'

test_expect_success 'init refuses a restic repository' '
	if have restic; then
		restic init -q -r resticrepo >out 2>err
		test_must_fail 1 reprise -r resticrepo init >out 2>err
		test_grep "already exists" err
	fi
'

if have restic; then
	test_expect_success 'restic opens the repository and reads its config' '
		restic -r repo cat config >restic.raw
		tr -d " \n" <restic.raw >restic.config
		reprise -r repo cat config >reprise.config
		test_grep "\"version\":2" restic.config
		test_grep "\"chunker_polynomial\":\"[0-9a-f]*\"" restic.config
		id=$(json_str id restic.config)
		test "$(json_str id reprise.config)" = "$id"
		test "$(json_str chunker_polynomial reprise.config)" = \
			"$(json_str chunker_polynomial restic.config)"
		restic -r repo check >out 2>&1
		restic -r repo snapshots --json >out
		test "$(cat out)" = "[]"
	'
else
	test_skip 'restic opens the repository and reads its config' \
		'restic is not installed'
fi

test_expect_success 'key list shows the one key, marked current' '
	reprise -r repo key list >out
	test "$(grep -c "^\*" out)" = 1
	test "$(key_ids repo | wc -l)" = 1
	key_ids repo | grep -q "^\*$(ls repo/keys)$"
'

printf 'second password\n' >"$SCRATCH/pw2"
printf 'third password\n' >"$SCRATCH/pw3"

test_expect_success 'key add needs --new-password-file' '
	test_must_fail 2 reprise -r repo key add </dev/null >out 2>err
	test "$(ls repo/keys | wc -l)" = 1
'

test_expect_success 'key add refuses an empty new password' '
	: >empty
	test_must_fail 1 reprise -r repo key add --new-password-file empty \
		>out 2>err
	test "$(ls repo/keys | wc -l)" = 1
'

test_expect_success 'key add adds a second key; both passwords open' '
	reprise -r repo key add --new-password-file pw2 >out
	test_grep "saved new key" out
	test "$(ls repo/keys | wc -l)" = 2
	test "$(key_ids repo | wc -l)" = 2
	reprise_env REPRISE_PASSWORD="second password" -- -r repo snapshots \
		>out
	reprise -r repo snapshots >out
	test_must_fail 12 reprise_env REPRISE_PASSWORD="third password" -- \
		-r repo snapshots >out 2>err
	reprise_env -u REPRISE_PASSWORD REPRISE_NEW_PASSWORD_FILE=/nonexistent \
		-- -r repo --password-file pw2 key list >out
	test_grep "^\*" out
	for k in repo/keys/*; do
		test "$(sha256sum <"$k" | cut -c1-64)" = "$(basename "$k")"
	done
'

if have restic; then
	test_expect_success 'restic opens the repository with the added key' '
		RESTIC_PASSWORD="second password" restic -r repo snapshots \
			>out 2>&1
		restic -r repo key list >out 2>&1
		test "$(grep -c "^[ *][0-9a-f]\{8\} " out)" = 2
	'
else
	test_skip 'restic opens the repository with the added key' \
		'restic is not installed'
fi

test_expect_success 'key passwd replaces the current key only' '
	first=$(ls repo/keys | LC_ALL=C sort)
	key_ids repo >before
	reprise_env REPRISE_PASSWORD="second password" -- -r repo key passwd \
		--new-password-file pw3 >out
	test_grep "saved new key" out
	test "$(ls repo/keys | wc -l)" = 2
	test_must_fail 12 reprise_env REPRISE_PASSWORD="second password" -- \
		-r repo snapshots >out 2>err
	reprise_env REPRISE_PASSWORD="third password" -- -r repo snapshots \
		>out
	reprise -r repo snapshots >out
	key_ids repo | grep "^\*" >cur
	grep "^\*" before >oldcur
	test_cmp oldcur cur
'

test_expect_success 'removing the key in use is refused' '
	cur=$(key_ids repo | sed -n "s/^\*//p")
	test -f "repo/keys/$cur"
	test_must_fail 1 reprise -r repo key remove "$cur" >out 2>err
	test_grep "in use" err
	test -f "repo/keys/$cur"
	short=$(printf "%s" "$cur" | cut -c1-8)
	test_must_fail 1 reprise -r repo key remove "$short" >out 2>err
	test -f "repo/keys/$cur"
	reprise -r repo snapshots >out
'

test_expect_success 'key remove removes another key; its password stops working' '
	other=$(key_ids repo | grep -v "^\*")
	test -f "repo/keys/$other"
	reprise -r repo key remove "$(printf "%s" "$other" | cut -c1-10)" \
		>out
	test_grep "removed key" out
	test_path_is_missing "repo/keys/$other"
	test "$(ls repo/keys | wc -l)" = 1
	test_must_fail 12 reprise_env REPRISE_PASSWORD="third password" -- \
		-r repo snapshots >out 2>err
	reprise -r repo snapshots >out
'

test_expect_success 'key remove of an unknown key fails' '
	test_must_fail 1 reprise -r repo key remove 0000000000 >out 2>err
	test "$(ls repo/keys | wc -l)" = 1
	test_must_fail 2 reprise -r repo key frobnicate >out 2>err
	test_must_fail 2 reprise -r repo key >out 2>err
'

if have restic; then
	test_expect_success 'reprise opens a key that restic added' '
		RESTIC_PASSWORD="$PW" restic -r repo key add \
			--new-password-file pw2 >out 2>&1
		reprise_env REPRISE_PASSWORD="second password" -- -r repo \
			snapshots >out
		reprise_env REPRISE_PASSWORD="second password" -- -r repo \
			key list >out
		test "$(grep -c "^[ *][0-9a-f]\{8\} " out)" = 2
	'
else
	test_skip 'reprise opens a key that restic added' \
		'restic is not installed'
fi

test_done
