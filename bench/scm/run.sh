#!/usr/bin/env bash
# Artifact version and comparison figures: generates a 10,000-build fixture set and a git
# repository of 5,000 commits touching 2,000 files (once each), then prints
#   - how long gathering artifact versions from every build takes (the window and the server
#     redo it after each store change);
#   - a local comparison of the first and last commit, commits only and with every patch;
#   - reading back the resulting git diff.
# Usage: bench/scm/run.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/../.."

build_dir="${1:-${CIC_BUILD_DIR:-build}}"
bench="$build_dir/bench/scm/scm_bench"
fixtures="$build_dir/bench/scm-fixtures"
clone="$build_dir/bench/scm-clone"

[[ -x "$bench" ]] || { echo "run.sh: build $bench first" >&2; exit 1; }

if [[ ! -d "$fixtures" ]]; then
    echo "Generating $fixtures"
    python3 resources/demo/generate_demo.py --out "$fixtures" --builds 10000 --no-logs >/dev/null
fi

if [[ ! -d "$clone" ]]; then
    echo "Generating $clone"
    git init -q -b main "$clone"
    python3 - "$clone" <<'PY' | git -C "$clone" fast-import --quiet
import sys
# 5,000 commits, each rewriting a few of 2,000 files, written as a fast-import stream.
files, commits = 2000, 5000
mark = 0
for n in range(commits):
    lines = [f"commit refs/heads/main", f"mark :{n + 1}",
             f"author Bench <bench@example.test> {1700000000 + n * 60} +0000",
             f"committer Bench <bench@example.test> {1700000000 + n * 60} +0000"]
    message = f"Change {n}\n".encode()
    out = sys.stdout.buffer
    out.write(("\n".join(lines) + f"\ndata {len(message)}\n").encode() + message)
    if n:
        out.write(f"from :{n}\n".encode())
    touched = range(files) if n == 0 else [(n * 7 + k * 13) % files for k in range(3)]
    for f in touched:
        body = "".join(f"file {f} line {i} rev {n if i % 10 == n % 10 else 0}\n"
                       for i in range(40)).encode()
        out.write(f"M 100644 inline src/dir{f % 50}/file{f}.txt\ndata {len(body)}\n".encode())
        out.write(body + b"\n")
PY
    git -C "$clone" reset -q --hard main
fi

"$bench" --fixtures "$fixtures" --clone "$clone"
