#!/usr/bin/env bash
# Benchmark reprise against restic and borg on one deterministic data set.
#
# Usage: bench/run.sh [--scale S] [--out FILE] [--only reprise,restic,borg]
#                     [--warm] [--keep]
#
#   --scale S   data set size; 1 (default) is about 2 GiB, 0.02 about 40 MB
#   --out FILE  report to write (default BENCH.md in the current directory)
#   --only L    comma-separated subset of: reprise,restic,borg (default all)
#   --warm      do not drop the page cache between steps (pre-read instead)
#   --keep      keep the repositories and restored trees afterwards
#
# Work dir: ${BENCH_DIR:-/tmp/reprise-bench} (its data/ repo/ restore/ cache/
# tmp/ logs/ subfolders are wiped at the start of every run).
# reprise is ./build/reprise relative to the repository root (or $REPRISE_BIN);
# restic and borg come from PATH.  Exit status: 0, or 1 if a step failed or
# a restore did not match the source tree (the report is written either way).
set -eu -o pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCALE=1
OUT=BENCH.md
ONLY=reprise,restic,borg
FORCE_WARM=0
KEEP=0
MUTATE_PERCENT=1
MUTATE_SEED=42

usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit "${1:-2}"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--scale) SCALE=${2:?--scale needs a value}; shift 2 ;;
	--scale=*) SCALE=${1#*=}; shift ;;
	--out) OUT=${2:?--out needs a value}; shift 2 ;;
	--out=*) OUT=${1#*=}; shift ;;
	--only) ONLY=${2:?--only needs a value}; shift 2 ;;
	--only=*) ONLY=${1#*=}; shift ;;
	--warm) FORCE_WARM=1; shift ;;
	--keep) KEEP=1; shift ;;
	-h|--help) usage 0 ;;
	*) echo "run.sh: unknown argument: $1" >&2; usage 2 ;;
	esac
done

case "$SCALE" in
'' | *[!0-9.]* | *.*.* | .) echo "run.sh: bad --scale: $SCALE" >&2; exit 2 ;;
esac

TOOLS=()
IFS=, read -r -a _only <<<"$ONLY"
for t in "${_only[@]}"; do
	case "$t" in
	reprise|restic|borg) TOOLS+=("$t") ;;
	'') ;;
	*) echo "run.sh: unknown tool in --only: $t" >&2; exit 2 ;;
	esac
done
[ "${#TOOLS[@]}" -gt 0 ] || { echo "run.sh: --only names no tool" >&2; exit 2; }

case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac

W=${BENCH_DIR:-/tmp/reprise-bench}
mkdir -p "$W"
W=$(cd "$W" && pwd)
DATA="$W/data"
REPRISE=${REPRISE_BIN:-$ROOT/build/reprise}
TIME=/usr/bin/time
STEPS=(init backup1 backup2 backup3 restore check)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

declare -A STEP_TITLE=(
	[init]="init"
	[backup1]="first backup"
	[backup2]="backup, no change"
	[backup3]="backup after ${MUTATE_PERCENT}% change"
	[restore]="restore latest snapshot"
	[check]="check --read-data"
)

if [ ! -x "$TIME" ]; then
	echo "run.sh: $TIME missing (Debian package 'time'; scripts/install-deps.sh --bench)" >&2
	exit 1
fi

# ------------------------------------------------------------ tool discovery
declare -A AVAIL=() VERSION=() MISSING_WHY=()
for t in "${TOOLS[@]}"; do
	case "$t" in
	reprise)
		if [ -x "$REPRISE" ]; then
			AVAIL[$t]=1
			v=$(timeout 10 "$REPRISE" version 2>/dev/null | head -n 1 || true)
			[ -n "$v" ] || v=$(timeout 10 "$REPRISE" --version 2>/dev/null | head -n 1 || true)
			rev=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')
			VERSION[$t]="${v:-reprise (no version output)}, source $rev"
		else
			MISSING_WHY[$t]="$REPRISE not found or not executable (run make first)"
		fi ;;
	restic)
		if command -v restic >/dev/null 2>&1; then
			AVAIL[$t]=1
			VERSION[$t]=$(restic version 2>/dev/null | head -n 1)
		else
			MISSING_WHY[$t]="restic not on PATH"
		fi ;;
	borg)
		if command -v borg >/dev/null 2>&1; then
			AVAIL[$t]=1
			VERSION[$t]=$(borg --version 2>/dev/null | head -n 1)
		else
			MISSING_WHY[$t]="borg not on PATH"
		fi ;;
	esac
	if [ -z "${AVAIL[$t]:-}" ]; then
		log "SKIPPING $t: ${MISSING_WHY[$t]}"
	fi
done
RUN_TOOLS=()
for t in "${TOOLS[@]}"; do
	[ -n "${AVAIL[$t]:-}" ] && RUN_TOOLS+=("$t")
done

# ------------------------------------------------------------- preparation
for d in data repo restore cache tmp logs; do
	rm -rf "${W:?}/$d"
done
mkdir -p "$W/repo" "$W/restore" "$W/cache" "$W/tmp" "$W/logs"

log "building mkdata"
cc -O2 -o "$W/mkdata" "$ROOT/bench/mkdata.c" -lm

# cache handling: cold (drop_caches before every measured command) if we can
CACHE_MODE=warm
if [ "$FORCE_WARM" = 0 ]; then
	sync
	if (echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then
		CACHE_MODE=cold
	fi
fi
log "page cache mode: $CACHE_MODE"

avail_kb=$(df -Pk "$W" | awk 'NR == 2 { print $4 }')
need_kb=$(awk -v s="$SCALE" -v n="${#RUN_TOOLS[@]}" \
	'BEGIN { printf "%d", s * 2 * 1048576 * (2 + n) }')
if [ "$avail_kb" -lt "$need_kb" ]; then
	log "WARNING: only $((avail_kb / 1024)) MiB free in $W, about $((need_kb / 1024)) MiB may be needed"
fi

log "generating data set (scale $SCALE) in $DATA"
"$W/mkdata" gen "$DATA" "$SCALE" >"$W/logs/mkdata-gen.txt"
# kv FILE KEY: value of KEY=value in a mkdata summary
kv() { tr ' ' '\n' <"$1" | sed -n "s/^$2=//p" | head -n 1; }
DATA_BYTES=$(kv "$W/logs/mkdata-gen.txt" total_bytes)
DATA_FILES=$(kv "$W/logs/mkdata-gen.txt" total_files)
log "data set: $DATA_FILES files, $DATA_BYTES bytes ($(kv "$W/logs/mkdata-gen.txt" mb_per_s) MB/s)"

# ------------------------------------------------------------ environment
export TMPDIR="$W/tmp"
export RESTIC_PASSWORD=bench-password
export RESTIC_CACHE_DIR="$W/cache/restic"
export REPRISE_PASSWORD=bench-password
export REPRISE_CACHE_DIR="$W/cache/reprise"
export BORG_PASSPHRASE=bench-password
export BORG_BASE_DIR="$W/cache/borg"
export BORG_DISPLAY_PASSPHRASE=no
export BORG_RELOCATED_REPO_ACCESS_IS_OK=yes
export BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=no

# shellcheck disable=SC2054 # "zstd,3" is one argument
# tool_cmd TOOL STEP: prints nothing, sets CMD (array) and CWD for the step
tool_cmd() {
	local t=$1 s=$2 repo="$W/repo/$1" tgt="$W/restore/$1"
	CWD=$W
	case "$t" in
	reprise|restic)
		local bin=restic env=()
		if [ "$t" = reprise ]; then
			# keep reprise off restic's settings and cache
			bin=$REPRISE
			env=(env -u RESTIC_PASSWORD -u RESTIC_CACHE_DIR
				"XDG_CACHE_HOME=$W/cache/reprise-xdg")
		else
			env=(env -u REPRISE_PASSWORD -u REPRISE_CACHE_DIR
				"XDG_CACHE_HOME=$W/cache/restic-xdg")
		fi
		case "$s" in
		init) CMD=("${env[@]}" "$bin" -r "$repo" init) ;;
		backup*) CMD=("${env[@]}" "$bin" -r "$repo" backup "$DATA") ;;
		restore) CMD=("${env[@]}" "$bin" -r "$repo" restore latest --target "$tgt") ;;
		check) CMD=("${env[@]}" "$bin" -r "$repo" check --read-data) ;;
		esac ;;
	borg)
		case "$s" in
		init) CMD=(borg init -e repokey-blake2 "$repo") ;;
		backup1) CMD=(borg create --compression zstd,3 "$repo::b1" "$DATA") ;;
		backup2) CMD=(borg create --compression zstd,3 "$repo::b2" "$DATA") ;;
		backup3) CMD=(borg create --compression zstd,3 "$repo::b3" "$DATA") ;;
		restore) CMD=(borg extract "$repo::b3"); CWD=$tgt ;;
		check) CMD=(borg check --verify-data "$repo") ;;
		esac ;;
	esac
}

# read every file below $1 (page-cache warm-up when caches cannot be dropped)
preread() {
	if [ -d "$1" ]; then
		find "$1" -type f -exec cat {} + >/dev/null 2>&1 || true
	fi
}

prepare_cache() { # STEP TOOL
	if [ "$CACHE_MODE" = cold ]; then
		sync
		(echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null || true
	else
		case "$1" in
		backup*) preread "$DATA" ;;
		restore|check) preread "$W/repo/$2" ;;
		esac
	fi
}

declare -A WALL=() CPU=() RSS=() NOTE=() REPO1=() REPO3=() VERIFY=()
FAILURES=0
MISMATCH=0

run_step() { # STEP TOOL
	local s=$1 t=$2 tf="$W/logs/$2-$1.time" lf="$W/logs/$2-$1.log" rc
	tool_cmd "$t" "$s"
	mkdir -p "$CWD"
	printf '%q ' "${CMD[@]}" >"$lf"
	printf '\n(cwd %s)\n\n' "$CWD" >>"$lf"
	prepare_cache "$s" "$t"
	set +e
	(cd "$CWD" && exec "$TIME" -f '%e %U %S %M' -o "$tf" "${CMD[@]}") \
		>>"$lf" 2>&1 </dev/null
	rc=$?
	set -e
	local line
	line=$(tail -n 1 "$tf" 2>/dev/null || true)
	# shellcheck disable=SC2086 # split "wall user sys rss"
	set -- $line
	if [ $# -eq 4 ]; then
		WALL[$t:$s]=$1
		CPU[$t:$s]=$(awk -v u="$2" -v y="$3" 'BEGIN { printf "%.2f", u + y }')
		RSS[$t:$s]=$4
	fi
	if [ "$rc" -ne 0 ]; then
		if [ "$t" = borg ] && [ "$rc" -eq 1 ]; then
			NOTE[$t:$s]="borg warning (rc 1)"
		elif [ "$t" = restic ] && [ "$rc" -eq 3 ] && [ "${s#backup}" != "$s" ]; then
			NOTE[$t:$s]="restic: some files unreadable (rc 3)"
		else
			NOTE[$t:$s]="FAILED (rc $rc)"
			FAILURES=$((FAILURES + 1))
			log "!!! $t $s FAILED with exit status $rc; see $lf"
			tail -n 5 "$lf" >&2 || true
		fi
	fi
	log "$s $t: wall ${WALL[$t:$s]:-?} s, cpu ${CPU[$t:$s]:-?} s, rss ${RSS[$t:$s]:-?} KiB, rc $rc"
}

failed() { case "${NOTE[$1]:-}" in FAILED*) return 0 ;; esac; return 1; }

verify_restore() { # TOOL
	local t=$1 tgt="$W/restore/$1" got
	if failed "$t:restore"; then
		VERIFY[$t]="not verified: restore failed"
		return
	fi
	if [ -d "$tgt$DATA" ]; then
		got="$tgt$DATA"
	elif [ -d "$tgt/text" ] && [ -d "$tgt/small" ]; then
		got=$tgt
	else
		VERIFY[$t]="**MISMATCH: restored tree not found under $tgt**"
		MISMATCH=$((MISMATCH + 1))
		log "!!! RESTORE MISMATCH for $t: no restored tree under $tgt"
		return
	fi
	local out="$W/logs/$t-verify.txt" n
	if diff -r --no-dereference "$DATA" "$got" >"$out" 2>&1; then
		n=$(find "$got" -type f | wc -l)
		VERIFY[$t]="identical (diff -r of all $n files)"
		log "restore of $t verified: identical"
	else
		n=$(wc -l <"$out")
		VERIFY[$t]="**MISMATCH: diff -r printed $n lines of differences (logs/$t-verify.txt)**"
		MISMATCH=$((MISMATCH + 1))
		log "!!! RESTORE MISMATCH for $t: $n lines of diff, see $out"
		head -n 10 "$out" >&2
	fi
}

# --------------------------------------------------------------- the run
START=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
T0=$(date +%s)
for s in "${STEPS[@]}"; do
	if [ "$s" = backup3 ]; then
		log "mutating ${MUTATE_PERCENT}% of the files (seed $MUTATE_SEED)"
		"$W/mkdata" mutate "$DATA" "$MUTATE_PERCENT" "$MUTATE_SEED" \
			>"$W/logs/mkdata-mutate.txt"
	fi
	for t in "${RUN_TOOLS[@]}"; do
		# a tool whose init failed has no repository: skip its later steps
		if [ "$s" != init ] && failed "$t:init"; then
			NOTE[$t:$s]="skipped (init failed)"
			continue
		fi
		run_step "$s" "$t"
		case "$s" in
		backup1) REPO1[$t]=$(du -sb "$W/repo/$t" | cut -f 1) ;;
		backup3) REPO3[$t]=$(du -sb "$W/repo/$t" | cut -f 1) ;;
		restore)
			verify_restore "$t"
			[ "$KEEP" = 1 ] || rm -rf "${W:?}/restore/$t" ;;
		esac
	done
done
ELAPSED=$(($(date +%s) - T0))

# ------------------------------------------------------------------ report
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
# ratio A B: A / B formatted, or n/a
ratio() {
	if [ -z "${1:-}" ] || [ -z "${2:-}" ]; then echo "n/a"; return; fi
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'
}
ok() { [ -n "${WALL[$1]:-}" ] && ! failed "$1"; }
# target NAME OTHER THIS NEED: compares OTHER/THIS with NEED
target_row() {
	local name=$1 have=$2 other=$3 this=$4 need=$5 r verdict
	if [ -z "$other" ] || [ -z "$this" ]; then
		printf '| %s | n/a | %s |\n' "$name" "n/a ($have)"
		return
	fi
	r=$(awk -v a="$other" -v b="$this" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }')
	if awk -v a="$other" -v b="$this" -v n="$need" 'BEGIN { exit !(a >= n * b) }'; then
		verdict="**met**"
	else
		verdict="**NOT MET**"
	fi
	printf '| %s | %sx (need >= %sx) | %s |\n' "$name" "$r" "$need" "$verdict"
}

CPU_MODEL=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
[ -n "$CPU_MODEL" ] || CPU_MODEL=unknown
MEM_KB=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
FS=$(df -PT "$W" | awk 'NR == 2 { print $2 " on " $1 }')
MUT=$(cat "$W/logs/mkdata-mutate.txt" 2>/dev/null || echo "not run")
G="$W/logs/mkdata-gen.txt"

{
	echo "# reprise benchmark"
	echo
	echo "Run $START, took ${ELAPSED} s: \`bench/run.sh --scale $SCALE --only $ONLY$([ "$CACHE_MODE" = warm ] && [ "$FORCE_WARM" = 1 ] && echo ' --warm')\`"
	echo "(work dir \`$W\`)."
	echo
	if [ "$MISMATCH" -gt 0 ]; then
		echo "> **RESTORE MISMATCH: $MISMATCH tool(s) restored data that differs from the source. See \"Restore verification\".**"
		echo
	fi
	if [ "$FAILURES" -gt 0 ]; then
		echo "> **$FAILURES step(s) FAILED; see the tables and \`$W/logs/\`.**"
		echo
	fi
	echo "## Machine"
	echo
	echo "- CPU: $CPU_MODEL, $(nproc) logical CPUs (nproc)"
	echo "- RAM: $(mib $((MEM_KB * 1024))) MiB"
	echo "- Kernel: $(uname -sr)"
	echo "- Work dir file system: $FS"
	echo "- Tools:"
	for t in "${TOOLS[@]}"; do
		if [ -n "${AVAIL[$t]:-}" ]; then
			echo "  - $t: ${VERSION[$t]}"
		else
			echo "  - $t: **MISSING, not benchmarked** (${MISSING_WHY[$t]})"
		fi
	done
	echo
	echo "## Method"
	echo
	echo "All tools run in this one run on the same machine, step by step: every"
	echo "tool does a step before any tool does the next. Steps: \`init\`; first"
	echo "backup; backup with no change; backup after \`mkdata mutate DATA $MUTATE_PERCENT $MUTATE_SEED\`"
	echo "changed ${MUTATE_PERCENT}% of the files; restore of the latest snapshot into an empty"
	echo "directory; full check reading all data."
	echo
	echo "- reprise: \`build/reprise -r REPO init|backup DIR|restore latest --target T|check --read-data\`, REPRISE_PASSWORD, default settings."
	echo "- restic: the same commands, RESTIC_PASSWORD, default settings (compression auto$(
		[ -n "${AVAIL[restic]:-}" ] && [ -f "$W/repo/restic/config" ] &&
		v=$(env -u REPRISE_PASSWORD restic -r "$W/repo/restic" cat config 2>/dev/null |
			sed -n 's/.*"version": *\([0-9]*\).*/\1/p') && [ -n "$v" ] && echo ", repository version $v"))."
	echo "- borg: \`borg init -e repokey-blake2\`, \`borg create --compression zstd,3 REPO::bN DIR\`, \`borg extract REPO::b3\` (in T), \`borg check --verify-data\`."
	echo "- Measured with \`/usr/bin/time -f '%e %U %S %M'\`: wall time, user+sys CPU time and peak RSS (maximum resident set size of the process, or of its largest child)."
	if [ "$CACHE_MODE" = cold ]; then
		echo "- Page cache: **cold** — \`sync; echo 3 > /proc/sys/vm/drop_caches\` before every measured command."
	else
		echo "- Page cache: **warm cache** — $([ "$FORCE_WARM" = 1 ] && echo 'not dropped (--warm given)' || echo 'dropping the page cache was not possible here'); instead the input of each step (the data set for backups, the repository for restore and check) was read once just before it, so every tool starts from the same warm cache."
	fi
	echo "- Tool caches are kept between steps as a user would have them, all inside the work dir: restic's in \`cache/restic\` (RESTIC_CACHE_DIR), borg's in \`cache/borg\` (BORG_BASE_DIR), reprise's in \`cache/reprise\` (REPRISE_CACHE_DIR; XDG_CACHE_HOME=\`cache/reprise-xdg\`). TMPDIR is \`tmp/\` (restic's \`check\` builds its own temporary cache there)."
	echo "- Ratios are *other tool ÷ reprise*: above 1.00x reprise is faster / uses less CPU / less memory."
	echo "- MB/s = data set bytes (first generation, $DATA_BYTES B) ÷ wall time."
	echo
	echo "## Data set"
	echo
	echo "\`bench/mkdata gen DIR $SCALE\` (fixed seed; generated at $(kv "$G" mb_per_s) MB/s in $(kv "$G" seconds) s):"
	echo
	echo "| part | files | bytes | MiB |"
	echo "|---|---:|---:|---:|"
	echo "| text-like, compressible, 1 KiB–5 MiB (\`text/\`) | $(kv "$G" text_files) | $(kv "$G" text_bytes) | $(mib "$(kv "$G" text_bytes)") |"
	echo "| incompressible, 1 KiB–$(mib "$(kv "$G" bin_max)") MiB (\`bin/\`) | $(kv "$G" bin_files) | $(kv "$G" bin_bytes) | $(mib "$(kv "$G" bin_bytes)") |"
	echo "| small, 100 B–8 KiB, folders 2–4 deep (\`small/\`) | $(kv "$G" small_files) | $(kv "$G" small_bytes) | $(mib "$(kv "$G" small_bytes)") |"
	echo "| **total** | $DATA_FILES | $DATA_BYTES | $(mib "$DATA_BYTES") |"
	echo
	echo "Mutation before the third backup: \`$MUT\`"
	echo
	echo "## Results"
	for s in "${STEPS[@]}"; do
		echo
		echo "### ${STEP_TITLE[$s]}"
		echo
		echo "| tool | wall s | user+sys s | peak RSS MiB | MB/s | wall ÷ reprise | CPU ÷ reprise | RSS ÷ reprise | note |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
		for t in "${TOOLS[@]}"; do
			k="$t:$s"
			if [ -z "${AVAIL[$t]:-}" ]; then
				echo "| $t | – | – | – | – | – | – | – | missing |"
				continue
			fi
			if [ -z "${WALL[$k]:-}" ]; then
				echo "| $t | – | – | – | – | – | – | – | ${NOTE[$k]:-no measurement} |"
				continue
			fi
			mbs="–"
			[ "$s" = init ] || mbs=$(awk -v b="$DATA_BYTES" -v w="${WALL[$k]}" \
				'BEGIN { if (w > 0) printf "%.0f", b / w / 1e6; else print "–" }')
			rw="–" rc="–" rr="–"
			if [ "$t" != reprise ]; then
				r="reprise:$s"
				if ok "$r" && ok "$k"; then
					rw=$(ratio "${WALL[$k]}" "${WALL[$r]}")
					rc=$(ratio "${CPU[$k]}" "${CPU[$r]}")
					rr=$(ratio "${RSS[$k]}" "${RSS[$r]}")
				else
					rw="n/a" rc="n/a" rr="n/a"
				fi
			fi
			echo "| $t | ${WALL[$k]} | ${CPU[$k]} | $(mib $((RSS[$k] * 1024))) | $mbs | $rw | $rc | $rr | ${NOTE[$k]:-} |"
		done
	done
	echo
	echo "### Repository size (du -sb)"
	echo
	echo "| tool | after first backup | after last backup | MiB (last) | ÷ data set | ÷ reprise (last) |"
	echo "|---|---:|---:|---:|---:|---:|"
	for t in "${RUN_TOOLS[@]}"; do
		a=${REPO1[$t]:-} b=${REPO3[$t]:-}
		rel="–"
		[ "$t" = reprise ] || rel=$(ratio "$b" "${REPO3[reprise]:-}")
		echo "| $t | ${a:-–} | ${b:-–} | $([ -n "$b" ] && mib "$b" || echo –) | $(ratio "$b" "$DATA_BYTES") | $rel |"
	done
	echo
	echo "### Restore verification"
	echo
	for t in "${RUN_TOOLS[@]}"; do
		echo "- $t: ${VERIFY[$t]:-not run}"
	done
	echo
	echo "## Targets (reprise vs restic)"
	echo
	echo "| target | restic ÷ reprise | verdict |"
	echo "|---|---:|---|"
	why=""
	[ -n "${AVAIL[reprise]:-}" ] || why="reprise not run"
	[ -n "${AVAIL[restic]:-}" ] || why="${why:+$why, }restic not run"
	val() { # ARRAY KEY -> value if both tools succeeded that step
		local -n arr=$1
		if ok "reprise:$2" && ok "restic:$2"; then
			echo "${arr[$3:$2]:-}"
		fi
	}
	w=${why:-step failed}
	target_row "first backup >= 2x faster (wall)" "$w" "$(val WALL backup1 restic)" "$(val WALL backup1 reprise)" 2
	target_row "first backup peak RSS <= 1/2 of restic's" "$w" "$(val RSS backup1 restic)" "$(val RSS backup1 reprise)" 2
	target_row "no-change backup >= 2x faster (wall)" "$w" "$(val WALL backup2 restic)" "$(val WALL backup2 reprise)" 2
	target_row "restore >= 2x faster (wall)" "$w" "$(val WALL restore restic)" "$(val WALL restore reprise)" 2
	target_row "check --read-data >= 1.5x faster (wall)" "$w" "$(val WALL check restic)" "$(val WALL check reprise)" 1.5
	target_row "repository no larger (after last backup)" "$w" "${REPO3[restic]:-}" "${REPO3[reprise]:-}" 1
	if [ -n "${AVAIL[reprise]:-}" ]; then
		case "${VERIFY[reprise]:-}" in
		identical*) echo "| reprise restore identical to the source | – | **met** |" ;;
		*) echo "| reprise restore identical to the source | – | **NOT MET** (${VERIFY[reprise]:-not run}) |" ;;
		esac
	fi
	echo
	echo "Logs of every command: \`$W/logs/\`."
} >"$OUT"

log "report written to $OUT"
if [ "$KEEP" != 1 ]; then
	rm -rf "${W:?}/repo" "${W:?}/restore" "${W:?}/tmp"
fi
if [ "$MISMATCH" -gt 0 ]; then
	log "!!! RESTORE MISMATCH in $MISMATCH tool(s) — see $OUT"
fi
[ "$MISMATCH" -eq 0 ] && [ "$FAILURES" -eq 0 ]
