#!/bin/sh
# Installs the servers that the integration tests start, pinned, into
# tests/node_modules (from tests/package.json and tests/package-lock.json):
#   maildev 2.2.1   SMTP sink with a REST read-back (GET /email), used by
#                   tests/integration/t5200-notify.sh.  Not 3.x: its API
#                   moved to /api/email.
# Needs node and npm (Debian: apt-get install nodejs npm).  Idempotent: does
# nothing when the pinned version is already there.  Tests that need a
# server print "# SKIP" when it is missing, so this script is optional for
# a build but required for a full `make check`.
# Usage: scripts/install-test-servers.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/tests
want=2.2.1

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1
then
	echo "install-test-servers: node and npm are needed" \
		"(apt-get install nodejs npm)" >&2
	exit 1
fi
have=$(node -p "require('$dir/node_modules/maildev/package.json').version" \
	2>/dev/null || true)
if [ "$have" = "$want" ]; then
	echo "install-test-servers: maildev $have already in $dir/node_modules"
	exit 0
fi
# npm ci: exactly what the lock file says, no network look-ups beyond it
cd "$dir"
npm ci --no-audit --no-fund --loglevel=error
echo "install-test-servers: maildev" \
	"$(node -p "require('./node_modules/maildev/package.json').version")" \
	"in $dir/node_modules"
