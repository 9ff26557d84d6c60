#!/usr/bin/env bash
# The log viewer and builds table figures: generates a 100 MiB, 1,000,000-line ANSI log (once),
# then prints
#   - from inside the process (logview_bench): first paint, line index complete, find the
#     last occurrence of a string, peak RSS against the file size;
#   - the builds table: one filter keystroke over 100,000 builds, with the table on screen;
#   - CI Companion's log window beside glogg on the same file, measured from outside.
# Usage: bench/logview/run.sh [BUILD_DIR]   (default: build). Needs xvfb-run, Xvfb,
# xwininfo (x11-utils) and glogg.
set -euo pipefail
cd "$(dirname "$0")/../.."

build_dir="${1:-${CIC_BUILD_DIR:-build}}"
bench="$build_dir/bench/logview/logview_bench"
app="$build_dir/app/ci-companion"
log="$build_dir/bench/big-ansi.log"

for file in "$bench" "$app"; do
    [[ -x "$file" ]] || { echo "run.sh: build $file first" >&2; exit 1; }
done
if [[ ! -f "$log" ]]; then
    echo "Generating $log"
    python3 bench/logview/generate_log.py --out "$log"
fi

screen=(-a -s "-screen 0 1440x900x24")
echo "== log viewer, measured inside the process"
xvfb-run "${screen[@]}" "$bench" --log "$log" 2>/dev/null
echo
echo "== builds table, 100,000 builds"
xvfb-run "${screen[@]}" "$bench" --builds 100000 2>/dev/null | grep -v '^cicompanion'
echo
echo "== CI Companion's log window and glogg, measured from outside"
python3 bench/logview/compare_glogg.py --log "$log" --app "$app" --runs "${CIC_BENCH_RUNS:-3}"
