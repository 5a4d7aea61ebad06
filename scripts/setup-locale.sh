#!/bin/sh
# Makes the fr_FR.UTF-8 locale available on Debian, for the French messages
# and their test (tests/integration/t0100-i18n.sh).  Idempotent; run as root
# (or with sudo available).  Called by scripts/install-deps.sh.
set -eu
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

has_fr() {
	locale -a 2>/dev/null | grep -Eqix 'fr_FR\.utf-?8'
}

has_fr && exit 0
if ! dpkg -s locales >/dev/null 2>&1; then
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q locales
fi
$SUDO sed -i 's/^# *fr_FR.UTF-8/fr_FR.UTF-8/' /etc/locale.gen
$SUDO locale-gen
has_fr || { echo "setup-locale: fr_FR.UTF-8 is still not available" >&2; exit 1; }
