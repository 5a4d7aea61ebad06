#!/bin/sh
# Corruption: a short run of scripts/corruption-test.sh (random bit flips,
# overwritten runs and truncations of packs, index files, snapshot files
# and the config, 2 of each, every one in a fresh copy of a pristine
# repository), and chosen damages of key files.  check --read-data must
# exit non-zero and name the file (and, in a pack, each damaged blob); a
# wrong MAC is never called a wrong password but on key files; restore
# never writes wrong bytes, names what it could not restore, and does not
# exit 0 when the data of its snapshot was hit.
. "$(dirname "$0")/lib.sh"

test_expect_success 'corruption-test.sh: 2 damages of each kind' '
	rc=0
	sh "$top/scripts/corruption-test.sh" -b "$REPRISE" -n 2 \
		-k pack,index,snapshot,config -w "$SCRATCH/c" >c.out 2>&1 || rc=$?
	cat c.out
	grep "^FAIL" "$SCRATCH/c/log" 2>/dev/null || true
	test -s c.out
'

# kind_ok KIND: the run injected 2 damages into KIND files and met every
# rule for both.
kind_ok() {
	grep "^$1: " c.out || return 1
	grep -q "^$1: injected 2, detected 2 (file named 2); restore safe 2 of 2$" \
		c.out
}

test_expect_success 'damaged packs are found, with the blob; restore stays safe' '
	kind_ok pack
'

test_expect_success 'damaged index files are found and named, never a wrong password' '
	kind_ok index
'

test_expect_success 'damaged snapshot files are found and named, never a wrong password' '
	kind_ok snapshot
'

# Regression: a damaged config was once reported as "cannot open the
# repository at REPO: data is corrupted", which did not say which file.
test_expect_success 'a damaged config is found and named, never a wrong password' '
	kind_ok config
'

# --- key files, damaged where it matters ---

test_expect_success 'setup: a repository with one key' '
	reprise -r repo init -q
	mkdir src
	printf "data\n" >src/f
	reprise -r repo backup -q src
	key=$(ls repo/keys)
	echo "$key" >key.id
	chmod u+w "repo/keys/$key"
	cp "repo/keys/$key" key.orig
'

# flip_bit FILE OFFSET: flips the lowest bit of the byte at OFFSET (a
# digit stays a digit, a base64 letter a letter).
flip_bit() {
	_b=$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null | od -An -tu1 |
		tr -d ' ')
	[ -n "$_b" ] || return 1
	# shellcheck disable=SC2059
	printf "\\$(printf '%03o' $((_b ^ 1)))" |
		dd of="$1" bs=1 seek="$2" count=1 conv=notrunc 2>/dev/null
}

# key_damage PATTERN SKIP: a copy of repo (in kd) whose key file has the
# lowest bit flipped of the byte SKIP bytes after where PATTERN matches.
key_damage() {
	rm -rf kd
	cp -a repo kd
	_k=kd/keys/$(cat key.id)
	_off=$(grep -bo "$1" "$_k" | head -n 1 | cut -d: -f1)
	test -n "$_off" || return 1
	flip_bit "$_k" $((_off + $2))
	! cmp -s "$_k" key.orig
}

test_expect_success 'a key whose encrypted data is damaged: exit 12 or named, never passes' '
	key_damage "\"data\":\"[A-Za-z0-9+/]\{20\}" 20
	rc=0
	reprise -r kd check --read-data >out 2>err || rc=$?
	cat err
	test "$rc" != 0
	test "$rc" -lt 64
'

test_expect_success 'a key whose salt is damaged: exit 12 or named, never passes' '
	key_damage "\"salt\":\"[A-Za-z0-9+/]\{20\}" 12
	rc=0
	reprise -r kd check --read-data >out 2>err || rc=$?
	test "$rc" != 0
	test "$rc" -lt 64
'

test_expect_success 'a truncated key file: not opened, never passes' '
	rm -rf kd
	cp -a repo kd
	truncate -s 100 "kd/keys/$(cat key.id)"
	rc=0
	reprise -r kd check --read-data >out 2>err || rc=$?
	cat err
	test "$rc" != 0
	test "$rc" -lt 64
'

# Regression: check once did not verify that a key file hashes to its
# name: a flipped bit in the "created", "username" or "hostname" text of a
# key file went unnoticed (the key still opens).  Such a file is damaged
# all the same (restic names every file by the hash of its content).
test_expect_success 'a key file damaged outside its secrets is reported (hash != name)' '
	# the last digit of the year: 2026 becomes 2027
	key_damage "\"created\":\"[0-9]\{4\}" 14
	rc=0
	reprise -r kd check --read-data >out 2>err || rc=$?
	cat err
	test "$rc" != 0
	test "$rc" -lt 64
	test_grep "$(cut -c1-8 key.id)" err
'

test_expect_success 'the corruption test fails when damage goes unreported (it can fail)' '
	# a "reprise" whose check always passes
	cat >fake <<EOT
#!/bin/sh
for a in "\$@"; do
	[ "\$a" = check ] && exit 0
done
exec "$REPRISE" "\$@"
EOT
	chmod +x fake
	rc=0
	sh "$top/scripts/corruption-test.sh" -b "$SCRATCH/fake" -n 1 -k index \
		-w "$SCRATCH/c.fake" >fake.out 2>&1 || rc=$?
	cat fake.out
	test "$rc" = 1
	test_grep "^index: injected 1, detected 0" fake.out
'

test_done
