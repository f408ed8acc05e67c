#!/usr/bin/env bash
# Instructions per OAM render (callgrind), independent of the machine's load: runs the
# `render_loop` example (built-in definitions loaded once, then N renders) at N=0 and N=RUNS
# and prints (difference) / RUNS for each Application given (default: benches/apps/*.yaml).
#   benches/tools/render_instructions.sh [--no-build] [RUNS] [APP.yaml...]
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build=1
if [[ "${1:-}" == "--no-build" ]]; then build=0; shift; fi
runs="${1:-10}"
[[ $# -gt 0 ]] && shift
apps=("$@")
[[ ${#apps[@]} -gt 0 ]] || apps=("$root"/benches/apps/*.yaml)
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }

target="${CARGO_TARGET_DIR:-$root/target}"
if [[ $build == 1 ]]; then
	cargo build --release -q -p ferrocue-benches --example render_loop --manifest-path "$root/Cargo.toml"
fi
# A private copy, so a concurrent rebuild cannot swap the binary under valgrind.
bin="$(mktemp -d)/render_loop"
cp "$target/release/examples/render_loop" "$bin"
irefs() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 >/dev/null |
		grep -oE "refs: +[0-9,]+" | tr -dc '0-9'
}
for app in "${apps[@]}"; do
	base=$(irefs "$app" 0)
	total=$(irefs "$app" "$runs")
	echo "$(basename "$app"): $(( (total - base) / runs )) instructions per render; loading the built-ins: $base"
done
