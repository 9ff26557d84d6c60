#!/usr/bin/env bash
# Measures what the local igor mock costs and how its latency behaves, on the bundled demo
# set (two scenarios playing):
#   1. deck's list query under wrk against `serve` (no interceptor) and `serve --control`
#      (every request goes through the latency and fault rules and into the journal);
#   2. the same with 100 ms of latency on /ci/builds through the control API: the answers
#      should take 100 ms and, since a delayed answer waits among the pending replies
#      rather than in a sleeping thread, the throughput should be near connections x 10/s;
#   3. deck's paged log poll (start=N) of the running scenario build.
#
# Environment: CIC_BUILD_DIR (default build), BENCH_DURATION (5s), BENCH_THREADS (2),
# BENCH_CONNECTIONS (20). wrk runs on the same machine and takes part of the CPU.
set -euo pipefail
cd "$(dirname "$0")/../.."

build_dir=${CIC_BUILD_DIR:-build}
app=$build_dir/app/ci-companion
duration=${BENCH_DURATION:-5s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-20}

for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/setup-debian.sh)"; exit 2; }
done
[ -x "$app" ] || { echo "bench: $app is missing; build first (scripts/build.sh)"; exit 2; }

server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
trap stop_server EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server ARGS...: starts serve on a free port and sets $url once it answers.
start_server() {
    local port
    port=$(free_port)
    url=http://127.0.0.1:$port
    "$app" serve --listen "127.0.0.1:$port" --no-watch "$@" >/dev/null 2>&1 &
    server_pid=$!
    until curl -sf "$url/health" >/dev/null 2>&1; do
        kill -0 "$server_pid" 2>/dev/null || { echo "bench: serve exited"; exit 1; }
        sleep 0.05
    done
}

# measure LABEL PATH: one wrk run, printed as requests/s and latency percentiles.
measure() {
    local label=$1 path=$2 out
    out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$url$path")
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    local errors
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
    printf '%-44s %10s req/s   p50 %8s   p99 %8s %s\n' "$label" "$rps" "$p50" "$p99" "$errors"
}

list='/ci/builds?projectKey=SPKR&repoSlug=keel-app'
echo "bench: $threads threads, $connections connections, $duration per run, demo set"

start_server
measure "serve: deck's list" "$list"
stop_server

start_server --control
measure "serve --control: deck's list" "$list"
curl -sf -X PUT "$url/_mock/latency" -d '{"route": "/ci/builds", "ms": 100}' >/dev/null
measure "serve --control, 100 ms on /ci/builds" "$list"
journal=$(curl -sf "$url/_mock/journal?limit=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["lastSeq"])')
echo "bench: the journal recorded $journal requests"
curl -sf -X DELETE "$url/_mock/latency" >/dev/null
curl -sf -X POST "$url/_mock/scenarios/keel-app-main/restart" >/dev/null
curl -sf -X POST "$url/_mock/scenarios/keel-app-main/advance?ms=15000" >/dev/null
curl -sf "$url/ci/builds/keel-app-1091/output?start=-1&limit=4095" >/dev/null
measure "serve --control: deck's paged log poll" '/ci/builds/keel-app-1091/output?start=1&limit=4095'
stop_server
