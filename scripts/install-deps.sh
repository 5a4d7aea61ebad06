#!/bin/sh
# Installs the Debian 12 packages that building and testing reprise need.
# Usage: scripts/install-deps.sh [--bench]   (run as root, or with sudo available)
set -eu
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
PKGS="build-essential make pkg-config gcc clang libclang-rt-14-dev valgrind
 libssl-dev libzstd-dev libsqlite3-dev libcurl4-openssl-dev libssh2-1-dev
 libmicrohttpd-dev libyaml-dev libyajl-dev libcairo2-dev libpango1.0-dev
 libcmocka-dev gettext restic attr xxd zstd python3 procps curl
 ca-certificates"
[ "${1:-}" = --bench ] && PKGS="$PKGS borgbackup time python3"
missing=
for p in $PKGS; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q \
		--no-install-recommends $missing
fi
# French messages need the fr_FR.UTF-8 locale
sh "$(dirname "$0")/setup-locale.sh"
# node + npm for the test servers (maildev, pinned): the machine's own
# when present (a nodesource Node conflicts with Debian's npm package)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q \
		--no-install-recommends nodejs npm
fi
sh "$(dirname "$0")/install-test-servers.sh"
