#!/bin/sh
# daemon-footprint.sh: the daemon's resident memory and CPU while it
# watches: 10-second collection, 20 HTTP/TCP probes against local servers,
# for DURATION seconds (default 600).  Prints a Markdown table; append it
# to BENCH.md by hand or with --out FILE.
#
#   bench/daemon-footprint.sh [--duration S] [--out FILE] [--bin PATH]
set -eu
DURATION=600
OUT=
BIN=${REPRISE_BIN:-$(pwd)/build/reprise}
while [ $# -gt 0 ]; do
	case $1 in
	--duration) DURATION=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--bin) BIN=$2; shift 2 ;;
	*) echo "usage: $0 [--duration S] [--out FILE] [--bin PATH]" >&2; exit 2 ;;
	esac
done
W=$(mktemp -d /tmp/reprise-footprint.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

# 20 probes: 10 HTTP on one local server, 10 TCP connects to it
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$W/www"
echo ok >"$W/www/index.html"
python3 -m http.server --bind 127.0.0.1 --directory "$W/www" "$PORT" \
	>/dev/null 2>&1 &
PIDS="$PIDS $!"
{
	echo "version: 1"
	echo "company: { name: Footprint }"
	echo "people:"
	echo "  - { id: ref, name: Ref, roles: [it_referent], email: r@example.org }"
	echo "hosts:"
	echo "  - name: srv"
	echo "    monitoring:"
	echo "      hwmon: yes"
	echo "      alert: [ref]"
	echo "      probes:"
	i=0
	while [ $i -lt 10 ]; do
		echo "        - http://127.0.0.1:$PORT/?p=$i"
		echo "        - tcp://127.0.0.1:$PORT#$i"
		i=$((i + 1))
	done
	echo "call_tree:"
	echo "  - { call: [ref] }"
} >"$W/plan.yaml"
sed -i 's/#[0-9]*$//' "$W/plan.yaml"   # tcp URLs without the counter
"$BIN" plan validate --plan "$W/plan.yaml" >/dev/null
"$BIN" --state "$W/state" daemon --plan "$W/plan.yaml" --listen off \
	--collect-every 10s --probe-every 10s 2>"$W/daemon.log" &
DPID=$!
PIDS="$PIDS $DPID"
sleep 5
TICK=$(getconf CLK_TCK)
cpu0=$(awk '{print $14 + $15}' "/proc/$DPID/stat")
t0=$(date +%s)
maxrss=0
sum=0
n=0
end=$((t0 + DURATION))
while [ "$(date +%s)" -lt "$end" ]; do
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$DPID/status")
	[ "$rss" -gt "$maxrss" ] && maxrss=$rss
	sum=$((sum + rss))
	n=$((n + 1))
	sleep 10
done
cpu1=$(awk '{print $14 + $15}' "/proc/$DPID/stat")
t1=$(date +%s)
# children (checks) are counted too: cutime+cstime of the daemon
ccpu=$(awk '{print $16 + $17}' "/proc/$DPID/stat")
secs=$((t1 - t0))
pct=$(awk -v c=$((cpu1 - cpu0)) -v k="$TICK" -v s="$secs" \
	'BEGIN { printf "%.2f", 100 * c / k / s }')
cpct=$(awk -v c="$ccpu" -v k="$TICK" -v s="$secs" \
	'BEGIN { printf "%.2f", 100 * c / k / s }')
avg=$((sum / n))
samples=$(ls -la "$W/state" >/dev/null; grep -c "" "$W/daemon.log" || true)
table() {
	echo "### daemon footprint"
	echo
	echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) over ${secs} s: collection every 10 s,"
	echo "20 probes every 10 s (10 HTTP, 10 TCP) against a local server, sysfs sensors,"
	echo "file systems, load and memory, stored in the SQLite catalog."
	echo
	echo "| measure | value | target |"
	echo "|---|---:|---:|"
	echo "| peak resident memory | $((maxrss / 1024)) MiB ($maxrss KiB) | <= 20 MiB |"
	echo "| mean resident memory | $((avg / 1024)) MiB ($avg KiB) | |"
	echo "| CPU of the daemon (user+sys, one core) | $pct % | <= 1 % |"
	echo "| CPU of its children (plan checks) | $cpct % | |"
	echo "| log lines written | $samples | |"
}
if [ -n "$OUT" ]; then table >>"$OUT"; else table; fi
