#!/bin/sh
# fake-smartctl.sh: stands in for smartctl in reprise's monitor tests.
#
#   fake-smartctl.sh --json -a DEVICE
#
# DEVICE is a canned report (one of the *.json here): it is printed and the
# script exits with FAKE_SMARTCTL_STATUS if set, else with the number in
# DEVICE's sibling file NAME.status if there is one, else 0 (so a test can
# give the JSON's exit_status and the process' status different values).
# Special devices exercise the caller's defences:
#   hang      prints half a report, then sleeps (the timeout must kill it)
#   flood     prints 2 MiB of JSON-looking text (the output cap)
#   nojson    prints a line of text and exits 2
#   signal    kills itself with SIGKILL
# Wrong arguments: exit status 1 (smartctl's "command line did not parse").
[ $# -eq 3 ] && [ "$1" = --json ] && [ "$2" = -a ] || exit 1
dev=$3
case $dev in
hang)
	printf '{"smartctl": {"exit_status": 0},\n'
	exec sleep 30 ;;
flood)
	printf '{"x": "'
	head -c 2097152 /dev/zero | tr '\0' 'a'
	printf '"}\n'
	exit 0 ;;
nojson)
	echo "smartctl 7.3: this is not JSON"
	exit 2 ;;
signal)
	kill -9 $$ ;;
esac
[ -f "$dev" ] || { echo '{"smartctl": {"exit_status": 2}}'; exit 2; }
cat "$dev"
if [ -n "${FAKE_SMARTCTL_STATUS:-}" ]; then
	exit "$FAKE_SMARTCTL_STATUS"
fi
st=${dev%.json}.status
if [ -f "$st" ]; then
	exit "$(cat "$st")"
fi
exit 0
