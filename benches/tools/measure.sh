#!/usr/bin/env bash
# Whole-process time and peak memory of `ferrocue export` on the shared gen_services configs
# (1k/5k/20k services), with the 1k → 20k scaling ratios. Usage:
#   benches/tools/measure.sh [--no-build] [RUNS]
# RUNS (default 3) runs per size; the fastest run is reported (the least disturbed by other
# load). Inputs are generated into target/bench-inputs/, never committed.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
gen="$root/../shared/bench/gen_services.py"
build=1
if [[ "${1:-}" == "--no-build" ]]; then build=0; shift; fi
runs="${1:-3}"

if [[ ! -f "$gen" ]]; then
	echo "skipping: $gen is absent (the shared bench material is not on this machine)" >&2
	exit 0
fi
if [[ ! -x /usr/bin/time ]]; then
	echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2
	exit 1
fi

target="${CARGO_TARGET_DIR:-$root/target}"
if [[ $build == 1 ]]; then
	cargo build --release -q -p ferrocue --bin ferrocue --manifest-path "$root/Cargo.toml"
fi
bin="$target/release/ferrocue"
inputs="$target/bench-inputs"
mkdir -p "$inputs"

echo "ferrocue $(git -C "$root" rev-parse --short HEAD) on $(date -u '+%Y-%m-%d %H:%M UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %10s %12s %12s %12s %12s\n' services "CUE bytes" "wall (ms)" "user+sys(ms)" "peak (MiB)" "JSON bytes"

declare -A wall cpu mem
for n in 1000 5000 20000; do
	cue="$inputs/gen_services_$n.cue"
	[[ -f "$cue" ]] || python3 "$gen" "$n" "$cue"
	best_wall="" best_cpu="" best_mem=""
	for ((r = 0; r < runs; r++)); do
		log="$(mktemp)"
		# The default --max-nodes (200,000) stops gen_services 20000; the point here is
		# evaluation speed, not the budget.
		/usr/bin/time -v "$bin" export "$cue" --out json --max-nodes 10000000 >"$inputs/out_$n.json" 2>"$log"
		# "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:00.21"
		w="$(awk -F': ' '/Elapsed/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%d", s * 1000}' "$log")"
		c="$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%d", (u + s) * 1000}' "$log")"
		m="$(awk -F': ' '/Maximum resident/ {printf "%.1f", $2 / 1024}' "$log")"
		rm -f "$log"
		if [[ -z "$best_wall" ]] || ((w < best_wall)); then best_wall=$w; fi
		if [[ -z "$best_cpu" ]] || ((c < best_cpu)); then best_cpu=$c; fi
		if [[ -z "$best_mem" ]] || awk "BEGIN {exit !($m < $best_mem)}"; then best_mem=$m; fi
	done
	wall[$n]=$best_wall cpu[$n]=$best_cpu mem[$n]=$best_mem
	printf '%-8s %10s %12s %12s %12s %12s\n' "$n" "$(stat -c %s "$cue")" "$best_wall" "$best_cpu" "$best_mem" "$(stat -c %s "$inputs/out_$n.json")"
done

ratio() { awk "BEGIN {if ($2 > 0) printf \"%.1f\", $1 / $2; else print \"n/a\"}"; }
echo "scaling 1k → 20k (input grows 20x): wall $(ratio "${wall[20000]}" "${wall[1000]}")x, CPU $(ratio "${cpu[20000]}" "${cpu[1000]}")x, peak memory $(ratio "${mem[20000]}" "${mem[1000]}")x"
