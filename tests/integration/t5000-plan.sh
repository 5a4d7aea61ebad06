#!/bin/sh
# The continuity plan file: "reprise plan validate" accepts the examples,
# and reports every mistake of a bad plan on stderr as FILE:LINE:COL with
# what was found, what was expected and the nearest known key or name;
# exit 0 for a valid plan, 2 for a plan or usage error.  The bad plans and
# the exact messages expected of them are in tests/data/plans/.
. "$(dirname "$0")/lib.sh"

plans=$top/tests/data/plans

# When stderr must be compared whole, the binary is run directly rather
# than through the lib.sh functions, whose set -x trace would land in the
# same file:   rc=0; $RUN plan validate ... 2>err || rc=$?
RUN="$REPRISE_WRAPPER $REPRISE"

test_expect_success 'the example plan is valid: exit 0 and a summary' '
	$RUN plan validate --plan "$top/examples/plan.yaml" >out 2>err
	test_grep "plan.yaml: the plan of RH Partenaires SAS is valid: 5 services, 3 hosts, 3 providers, 2 repositories, 3 backup jobs, 4 restore drills, 5 people, 3 call tree steps, 5 message templates.$" out
	test ! -s err
'

test_expect_success 'the plan before the crisis is valid too' '
	$RUN plan validate --plan "$top/examples/plan-before-crisis.yaml" \
		>out 2>err
	test_grep "1 host, 1 provider, 1 repository, 1 backup job, 0 restore drills" out
	test ! -s err
'

test_expect_success 'the plan comes from --plan, else REPRISE_PLAN' '
	cp "$top/examples/plan.yaml" good.yaml
	cp "$plans/empty.yaml" bad.yaml
	reprise_env REPRISE_PLAN=good.yaml -- plan validate >out
	test_grep "^good.yaml: the plan of" out
	reprise_env REPRISE_PLAN=bad.yaml -- plan validate --plan good.yaml \
		>out
	test_grep "^good.yaml: the plan of" out
	test_must_fail 2 reprise_env REPRISE_PLAN=bad.yaml -- plan validate \
		2>err
	test_grep "^bad.yaml: error: the plan is empty" err
'

test_expect_success 'without --plan or REPRISE_PLAN: /etc/reprise/plan.yaml' '
	if test -e /etc/reprise/plan.yaml; then
		exit 0
	fi
	test_must_fail 2 reprise_env -u REPRISE_PLAN -- plan validate \
		>out 2>err
	test_grep "cannot read the plan /etc/reprise/plan.yaml" err
'

# Each bad plan is copied here so that messages name it without a path.
for name in many-errors values types references structure inconsistent \
	    tabs empty; do
	test_expect_success "bad plan $name: exit 2, every error at its place" "
		cp '$plans/$name.yaml' .
		rc=0
		\$RUN plan validate --plan $name.yaml >out 2>err || rc=\$?
		test \$rc = 2
		test ! -s out
		test_cmp '$plans/$name.expected' err
	"
done

test_expect_success 'an unknown key suggests the nearest known key' '
	test_grep "^many-errors.yaml:3:1: error: unknown key .langage. (did you mean .language.?)$" \
		"$plans/many-errors.expected"
	test_grep "^many-errors.yaml:35:5: error: unknown key .retension. (did you mean .retention.?)$" \
		"$plans/many-errors.expected"
	printf "company:\n  name: X\n  zzzzzz: 1\n" >far.yaml
	test_must_fail 2 reprise plan validate --plan far.yaml 2>err
	test_grep "^far.yaml:3:3: error: unknown key .zzzzzz., expected one of these keys: name, sector, staff, address$" err
'

test_expect_success '--json prints the errors as a JSON array' '
	cp "$plans/many-errors.yaml" .
	rc=0
	$RUN --json plan validate --plan many-errors.yaml >out 2>err || rc=$?
	test $rc = 2
	test ! -s err
	test_grep "^\[{\"file\":\"many-errors.yaml\",\"line\":3,\"column\":1,\"message\":\"unknown key .langage. (did you mean .language.?)\",\"what\":\"unknown key\",\"subject\":\"langage\",\"suggestion\":\"language\"}," out
	test "$(grep -o "\"line\":" out | wc -l)" = 15
	if have python3; then
		python3 -c "import json,sys; e=json.load(open(\"out\")); assert len(e)==15 and e[3][\"found\"]==\"4x\", e[3]"
	fi
	reprise plan validate --json --plan "$top/examples/plan.yaml" >out
	test "$(cat out)" = "[]"
'

test_expect_success 'usage errors exit 2' '
	test_must_fail 2 reprise plan 2>err
	test_grep "which plan command" err
	test_must_fail 2 reprise plan frobnicate 2>err
	test_grep "unknown plan command frobnicate" err
	test_must_fail 2 reprise plan validate extra --plan x.yaml 2>err
	test_grep "unexpected argument extra" err
	test_must_fail 2 reprise plan validate --plan 2>err
	test_must_fail 2 reprise plan validate --plan "$SCRATCH/none.yaml" 2>err
	test_grep "cannot read the plan $SCRATCH/none.yaml" err
	reprise help plan >out
	test_grep "^Usage: reprise plan validate \[--plan FILE\]" out
'

test_expect_success 'a file over 1 MiB is refused before it is parsed' '
	head -c 1100000 /dev/zero | tr "\\000" "#" >big.yaml
	test_must_fail 2 reprise plan validate --plan big.yaml 2>err
	test_grep "^big.yaml: error: the file is too large, expected at most 1 MiB$" err
'

if locale -a 2>/dev/null | grep -Eqix 'fr_FR\.utf-?8' &&
   test -s "$(dirname "$REPRISE")/locale/fr/LC_MESSAGES/reprise.mo"; then
	test_expect_success 'errors and summary in French' '
		cp "$plans/many-errors.yaml" .
		test_must_fail 2 reprise_env -u LC_ALL LANG=fr_FR.UTF-8 \
			REPRISE_LOCALEDIR="$(dirname "$REPRISE")/locale" -- \
			plan validate --plan many-errors.yaml 2>err
		test_grep "^many-errors.yaml:3:1: erreur : clé inconnue « langage » (vouliez-vous dire « language » ?)$" err
		test_grep "^many-errors.yaml:13:10: erreur : durée invalide pour « rto » : trouvé « 4x », attendu : une durée comme 15m, 4h, 3d ou 1h30m$" err
		reprise_env -u LC_ALL LANG=fr_FR.UTF-8 \
			REPRISE_LOCALEDIR="$(dirname "$REPRISE")/locale" -- \
			plan validate --plan "$top/examples/plan.yaml" >out
		test_grep "le plan de RH Partenaires SAS est valide : 5 services, 3 machines" out
	'
else
	test_skip 'errors and summary in French' 'no fr_FR.UTF-8 locale or catalogue'
fi

test_done
