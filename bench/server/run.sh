#!/usr/bin/env bash
# Measures `ci-companion serve` on a 10,000-build fixture set: the time from starting the
# process to its first 200 answer to keel's query, then throughput and latency under wrk with
# keel's query (a 7-character commit prefix, a build number and the four completion statuses),
# rotating through the set's bench-queries.txt.
#
# Targets on 2 cores: >= 20,000 requests/s, p99 < 5 ms, first answer < 300 ms.
#
# Environment: CIC_BUILD_DIR (default build), BENCH_BUILDS (10000), BENCH_DURATION (10s),
# BENCH_THREADS (2), BENCH_CONNECTIONS (20), BENCH_DIR (default: a temporary directory).
# wrk runs on the same machine: on 2 cores it takes part of the CPU the server could use.
set -euo pipefail
cd "$(dirname "$0")/../.."

build_dir=${CIC_BUILD_DIR:-build}
app=$build_dir/app/ci-companion
builds=${BENCH_BUILDS:-10000}
duration=${BENCH_DURATION:-10s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-20}

for tool in wrk curl python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "bench: $tool is missing (scripts/setup-debian.sh installs it)"
        exit 2
    fi
done
[ -x "$app" ] || { echo "bench: $app is missing; build first (scripts/build.sh)"; exit 2; }

data=${BENCH_DIR:-$(mktemp -d)}
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    [ -z "${BENCH_DIR:-}" ] && rm -rf "$data"
    return 0
}
trap cleanup EXIT

echo "bench: generating $builds builds in $data"
python3 resources/demo/generate_demo.py --builds "$builds" --no-logs --out "$data" >/dev/null
export BENCH_QUERIES=$data/bench-queries.txt
read -r commit number < "$BENCH_QUERIES"
statuses="INCOMPLETE%2C%20SUCCEEDED%2C%20FAILED%2C%20ABORTED"
query="/ci/builds?commitId=$commit&buildNumber=$number&completionStatus=$statuses"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
url=http://127.0.0.1:$port

# The server's own CPU time: a figure that other load on the machine distorts less than it
# does wall-clock times and requests/s.
cpu_ms() {
    local fields
    read -r -a fields < "/proc/$server_pid/stat"
    echo $(( (fields[13] + fields[14]) * 1000 / $(getconf CLK_TCK) ))
}

# Start, then ask keel's question as soon as the server says it listens.
first=$(python3 bench/server/first_answer.py "$data/serve.log" "$query" -- \
            "$app" serve --listen "127.0.0.1:$port" --fixtures "$data")
read -r first_ms server_pid <<<"$(head -n1 <<<"$first")"
answer=$(tail -n +2 <<<"$first")
startup_cpu_ms=$(cpu_ms)
case "$answer" in
    "["*"\"number\":$number"*) ;;
    *) echo "bench: the first answer does not hold build $number: ${answer:0:200}"; exit 1 ;;
esac

# A short run that checks every answer, then the measured run.
verify=$(BENCH_VERIFY=1 wrk -t1 -c4 -d1s -s bench/server/queries.lua "$url" | grep "wrong answers")
echo "$verify"
case "$verify" in
    *" 0 wrong answers"*) ;;
    *) echo "bench: the server answered wrongly"; exit 1 ;;
esac

echo "bench: wrk -t$threads -c$connections -d$duration --latency, keel's query"
cpu_before=$(cpu_ms)
wrk_out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency \
              -s bench/server/queries.lua "$url")
cpu_after=$(cpu_ms)
echo "$wrk_out"

requests=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' <<<"$wrk_out")
p99=$(awk '$1 == "99%" {
    v = $2
    if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v) }
    else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
    printf "%.2f", v }' <<<"$wrk_out")
errors=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<<"$wrk_out")
total=$(awk '/requests in/ { print $1 }' <<<"$wrk_out")
cpu_us=$(awk -v ms=$(( cpu_after - cpu_before )) -v n="$total" 'BEGIN { printf "%.1f", ms * 1000 / n }')

verdict() { if [ "$1" = 1 ]; then echo "meets"; else echo "MISSES"; fi; }
echo
echo "requests/s:       $requests    ($(verdict $(( requests >= 20000 ))) >= 20000)"
echo "p99 latency:      $p99 ms    ($(verdict $(awk -v p="$p99" 'BEGIN { print (p < 5) }')) < 5 ms)"
echo "first 200:        $first_ms ms    ($(verdict $(( first_ms < 300 ))) < 300 ms;" \
     "the server used $startup_cpu_ms ms of CPU until then)"
echo "non-2xx answers:  ${errors:-0}"
echo "server CPU:       $cpu_us us per request ($(( cpu_after - cpu_before )) ms for $total requests)"
echo "cores:            $(nproc), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
