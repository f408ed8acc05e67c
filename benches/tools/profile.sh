#!/usr/bin/env bash
# Instruction-count profile (callgrind) of `ferrocue export` on gen_services N (default 5000):
# prints the top functions by own instructions and by inclusive instructions. Usage:
#   benches/tools/profile.sh [--no-build] [N]
# Instruction counts do not depend on machine load, so they compare across runs where
# wall-clock time cannot. The release profile keeps debug info (line tables) for this.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
gen="$root/../shared/bench/gen_services.py"
build=1
if [[ "${1:-}" == "--no-build" ]]; then build=0; shift; fi
n="${1:-5000}"

if [[ ! -f "$gen" ]]; then
	echo "skipping: $gen is absent (the shared bench material is not on this machine)" >&2
	exit 0
fi
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }

target="${CARGO_TARGET_DIR:-$root/target}"
if [[ $build == 1 ]]; then
	cargo build --release -q -p ferrocue --bin ferrocue --manifest-path "$root/Cargo.toml"
fi
inputs="$target/bench-inputs"
mkdir -p "$inputs"
cue="$inputs/gen_services_$n.cue"
[[ -f "$cue" ]] || python3 "$gen" "$n" "$cue"
# A private copy, so a concurrent rebuild cannot swap the binary under valgrind.
bin="$inputs/ferrocue-profiled"
cp "$target/release/ferrocue" "$bin"
out="$inputs/callgrind.gen_services_$n.out"

valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" export "$cue" --out json --max-nodes 10000000 >/dev/null 2>"$out.log"
grep -E "I\s+refs" "$out.log" || true
# Shorten source paths to their file names so the lines fit.
short() { sed -E 's#/[^ ]*/(src|out)/##; s#\[[^]]*\]##'; }
echo "--- own instructions"
callgrind_annotate "$out" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | sed -n 2,26p | short
echo "--- inclusive instructions"
callgrind_annotate --inclusive=yes "$out" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | sed -n 2,40p | short
echo "callgrind data: $out (callgrind_annotate --tree=caller $out)"
