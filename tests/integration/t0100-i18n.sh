#!/bin/sh
# Localisation (GNU gettext, text domain "reprise", po/fr.po): with
# LANG=fr_FR.UTF-8 reprise speaks French, with LANG=C English, and the exit
# statuses do not depend on the language.  Needs the fr_FR.UTF-8 locale
# (scripts/setup-locale.sh) and the catalogue that po/build.mk compiles
# into $(O)/locale/fr/LC_MESSAGES/reprise.mo, next to the binary.
. "$(dirname "$0")/lib.sh"

if ! locale -a 2>/dev/null | grep -Eqix 'fr_FR\.utf-?8'; then
	test_skip_all "locale fr_FR.UTF-8 not available" \
		"(scripts/setup-locale.sh installs it)"
fi

REPRISE_LOCALEDIR="$(dirname "$REPRISE")/locale"
export REPRISE_LOCALEDIR
# lib.sh exports LC_ALL=C; fr and en below drop it.  Nothing else may
# choose the language.
unset LANGUAGE LC_CTYPE LC_NUMERIC LC_TIME LC_COLLATE LC_MONETARY \
	LC_MESSAGES LC_PAPER LC_NAME LC_ADDRESS LC_TELEPHONE \
	LC_MEASUREMENT LC_IDENTIFICATION 2>/dev/null || true

# fr ARGS... / en ARGS...: reprise in French / in English.
fr() {
	reprise_env -u LC_ALL LANG=fr_FR.UTF-8 -- "$@"
}
en() {
	reprise_env -u LC_ALL LANG=C -- "$@"
}

test_expect_success 'the French catalogue is next to the binary' '
	mo="$REPRISE_LOCALEDIR/fr/LC_MESSAGES/reprise.mo"
	if ! test -s "$mo"; then
		echo "missing $mo: is po/build.mk included and \$(MO_FILES) built?" >&2
		exit 1
	fi
'

test_expect_success 'help speaks French with LANG=fr_FR.UTF-8' '
	fr help >out 2>err
	test_grep "^Usage : reprise \[options globales\] COMMANDE" out
	test_grep "^Commandes :" out
	test_grep "^  init       créer un nouveau dépôt$" out
	test_grep "^Codes de sortie : 0 succès" out
	test_grep -v "^Commands:" out
	fr help backup >out
	test_grep "^Usage : reprise backup \[options\] CHEMIN" out
	test_grep -e "--exclude MOTIF" out
'

test_expect_success 'an error is in French and still exits 10' '
	test_must_fail 10 reprise_env -u LC_ALL LANG=fr_FR.UTF-8 \
		REPRISE_PASSWORD=x -- -r "$SCRATCH/nonexistent" snapshots \
		>out 2>err
	test_grep "^reprise: il n.y a pas de dépôt dans $SCRATCH/nonexistent" err
	test_grep "lancez « reprise init » pour en créer un" err
	test_grep -v "there is no repository" err
'

test_expect_success 'usage errors are in French and still exit 2' '
	test_must_fail 2 fr -r "$SCRATCH/nonexistent" snapshots --bogus 2>err
	test_grep -e "option inconnue : --bogus" err
	test_grep "^Usage : reprise snapshots" err
	test_must_fail 2 fr frobnicate 2>err
	test_grep "commande inconnue : « frobnicate »" err
'

test_expect_success 'with LANG=C, help and errors are in English' '
	en help >out
	test_grep "^Usage: reprise \[global options\] COMMAND" out
	test_grep "^Commands:" out
	test_grep -v "Commandes" out
	test_must_fail 10 reprise_env -u LC_ALL LANG=C REPRISE_PASSWORD=x \
		-- -r "$SCRATCH/nonexistent" snapshots >out 2>err
	test_grep "^reprise: there is no repository at $SCRATCH/nonexistent" err
	test_grep -v "dépôt" err
'

# (The decimal separator follows LC_NUMERIC: "2,93 Kio" unless main.c
# keeps LC_NUMERIC at "C"; both are accepted.)
test_expect_success 'a backup reports in French: units, plurals' '
	fr init -r repo >out
	test_grep "^dépôt reprise [0-9a-f]* créé dans repo" out
	mkdir data
	head -c 3000 /dev/zero >data/zeros
	fr -r repo backup data >out 2>err
	test_grep "^Fichiers : 1 nouveau, 0 modifié, 0 inchangé$" out
	test_grep "^Ajouté au dépôt : [0-9.,]* \(o\|Kio\) (" out
	test_grep -E "^1 fichier traité, 2[.,]93 Kio en ([0-9]+[.,][0-9]{2} s|[0-9]+ min [0-9]{2} s)$" out
	test_grep "^instantané [0-9a-f]\{8\} enregistré$" out
	fr -r repo snapshots >out
	test_grep "^ID        Date  *Machine  *Étiquettes  *Chemins$" out
	test_grep "^1 instantané$" out
	en -r repo snapshots >out
	test_grep "^1 snapshot$" out
	en -r repo stats >out
	test_grep "^Total size: 2.93 KiB$" out
	fr -r repo stats >out
	test_grep "^Taille totale : 2[.,]93 Kio$" out
	head -c 100 /dev/urandom >data/two
	fr -r repo backup data >out 2>err
	test_grep "^Fichiers : 1 nouveau, 0 modifié, 1 inchangé$" out
	test_grep "^2 fichiers traités, " out
	en -r repo backup data >out 2>err
	test_grep "^Files: *0 new, 0 changed, 2 unmodified$" out
	test_grep "^processed 2 files, " out
'

test_expect_success 'the engine speaks French too: log lines, check findings' '
	test_must_fail 1 fr -r repo backup "$SCRATCH/absent" >out 2>err
	test_grep "aucun des chemins à sauvegarder n.existe" err
	test_grep -v "none of the paths" err
	cp -a repo broken
	chmod -R u+w broken
	rm -f "$(find broken/data -type f | head -n 1)"
	test_must_fail 1 fr -r broken check >out 2>err
	# which pack goes (a data or a tree pack) is up to the file system
	test_grep "^erreur : data/.*: le paquet est absent (l.index le donne avec [0-9]* blobs\{0,1\})$" err
	test_grep -v "avec 1 blobs" err
	test_grep "^reprise: [0-9]* erreurs\? trouvées\? : le dépôt est endommagé$" err
	test_must_fail 1 en -r broken check >out 2>err
	test_grep "^error: data/.*: pack is missing (listed in the index with [0-9]* blobs\{0,1\})$" err
	test_grep -v "with 1 blobs)" err
'

if have make && have xgettext && have msgmerge && have msgattrib; then
	test_expect_success 'every message of src/ has a French translation' '
		make -s -C "$top" -f po/build.mk po-check
	'
else
	test_skip 'every message of src/ has a French translation' \
		'make or GNU gettext tools missing'
fi

test_done
