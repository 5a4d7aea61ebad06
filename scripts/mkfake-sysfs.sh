#!/bin/sh
# mkfake-sysfs.sh: a fake sysfs tree for reprise's monitor tests, read by
# monitor/sysfs.c through its root option (this VM has no hwmon at all).
#
#   scripts/mkfake-sysfs.sh ROOT                 make ROOT (emptied first)
#   scripts/mkfake-sysfs.sh -u ROOT KEY=VALUE... change values in place
#
# The tree: hwmon0 "coretemp" (temp1 "Package id 0", crit 90 °C, max 80 °C;
# temp2 "Core 0", crit 90 °C), hwmon1 "nct6775" (fan1 "CPU fan" 1200 RPM,
# min 300; fan2 0 RPM: an unconnected header; temp1 "SYSTIN" 35 °C, no
# limits), thermal_zone0 "x86_pkg_temp" (critical trip 95 °C: the package
# sensor again, as on a real Intel machine; monitor/sysfs.c leaves it out
# because coretemp reads it already).
#
# Keys for -u (degrees Celsius and RPM, decimals allowed for degrees):
#   cpu=T      the package, the core and the thermal zone (core 2 °C less)
#   fan=RPM    fan1
#   systin=T   the board sensor
# Each file is replaced by rename, so a reader never sees half a value:
# a test can replay a fan failure by calling -u in a loop.
set -eu

usage() {
	echo "usage: $0 ROOT | $0 -u ROOT KEY=VALUE..." >&2
	exit 2
}

# put FILE VALUE: write VALUE and a newline to FILE atomically
put() {
	printf '%s\n' "$2" >"$1.tmp.$$"
	mv -f "$1.tmp.$$" "$1"
}

# milli T: degrees (maybe with a fraction) in milli-degrees
milli() {
	awk -v t="$1" 'BEGIN { if (t !~ /^-?[0-9]+(\.[0-9]+)?$/) exit 1;
		printf "%d\n", (t < 0 ? t * 1000 - 0.5 : t * 1000 + 0.5) }' ||
		{ echo "$0: not a temperature: $1" >&2; exit 2; }
}

make_tree() {
	R=$1
	rm -rf "$R"
	h=$R/class/hwmon/hwmon0
	mkdir -p "$h"
	put "$h/name" coretemp
	put "$h/temp1_label" "Package id 0"
	put "$h/temp1_input" 55000
	put "$h/temp1_crit" 90000
	put "$h/temp1_max" 80000
	put "$h/temp2_label" "Core 0"
	put "$h/temp2_input" 53000
	put "$h/temp2_crit" 90000
	h=$R/class/hwmon/hwmon1
	mkdir -p "$h"
	put "$h/name" nct6775
	put "$h/fan1_label" "CPU fan"
	put "$h/fan1_input" 1200
	put "$h/fan1_min" 300
	put "$h/fan2_input" 0
	put "$h/temp1_label" SYSTIN
	put "$h/temp1_input" 35000
	z=$R/class/thermal/thermal_zone0
	mkdir -p "$z"
	put "$z/type" x86_pkg_temp
	put "$z/temp" 55000
	put "$z/trip_point_0_type" critical
	put "$z/trip_point_0_temp" 95000
}

update() {
	R=$1
	shift
	[ -d "$R/class/hwmon/hwmon0" ] || { echo "$0: no tree at $R" >&2; exit 1; }
	for kv in "$@"; do
		k=${kv%%=*} v=${kv#*=}
		case $k in
		cpu)
			m=$(milli "$v")
			put "$R/class/hwmon/hwmon0/temp1_input" "$m"
			put "$R/class/hwmon/hwmon0/temp2_input" $((m - 2000))
			put "$R/class/thermal/thermal_zone0/temp" "$m" ;;
		fan)
			case $v in *[!0-9]* | '') usage ;; esac
			put "$R/class/hwmon/hwmon1/fan1_input" "$v" ;;
		systin)
			put "$R/class/hwmon/hwmon1/temp1_input" "$(milli "$v")" ;;
		*)
			usage ;;
		esac
	done
}

case ${1:-} in
-u)
	[ $# -ge 3 ] || usage
	shift
	update "$@" ;;
'' | -*)
	usage ;;
*)
	[ $# -eq 1 ] || usage
	make_tree "$1" ;;
esac
