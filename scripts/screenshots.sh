#!/usr/bin/env bash
# Takes PNG screenshots of the window's main views on the bundled demo data, each in its own
# Xvfb display: builds with the summary, a coloured log, artifacts, the server view, and the
# log again in the dark theme. Usage: scripts/screenshots.sh [OUT_DIR] (default
# build/screenshots). Needs xvfb-run and ImageMagick's import.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir="${CIC_BUILD_DIR:-build}"
app="$build_dir/app/ci-companion"
out="${1:-$build_dir/screenshots}"
settle="${CIC_SCREENSHOT_SETTLE:-4}"
mkdir -p "$out"

for tool in xvfb-run import; do
    command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is missing" >&2; exit 1; }
done
[[ -x "$app" ]] || { echo "screenshots.sh: build $app first (scripts/build.sh)" >&2; exit 1; }

# A free loopback port for the embedded server, so a running igor does not get in the way.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# shot NAME ARGS...: starts the window with ARGS, lets it load, asks its server for a few
# igor queries (so the server view has requests to show), and grabs the screen.
shot() {
    local name="$1"
    shift
    local config port
    config="$(mktemp -d)"
    port="$(free_port)"
    # A fresh settings directory, so a saved window state of the user does not leak in.
    XDG_CONFIG_HOME="$config" xvfb-run -a -s "-screen 0 1440x900x24" bash -c '
        "$1" -geometry 1440x900+0+0 --port "$4" "${@:5}" &
        pid=$!
        sleep "$2"
        for path in "/health" "/ci/builds?projectKey=SPKR&repoSlug=keel-app&buildNumber=1085" \
                    "/ci/builds?commitId=0000000" "/scm/masters" "/ci/builds/keel-app-1085/output" \
                    "/ci/builds/no-such-build/output"; do
            python3 -c "import sys, urllib.request
try: urllib.request.urlopen(sys.argv[1], timeout=5).read()
except Exception: pass" "http://127.0.0.1:$4$path"
        done
        sleep 1
        import -window root "$3"
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    ' shot "$app" "$settle" "$out/$name.png" "$port" "$@"
    rm -rf "$config"
    echo "$out/$name.png"
}

shot builds-summary --open-build keel-app-1085 --tab summary --theme light
shot log-colour --open-build deck-ui-1204 --tab log --theme light
shot artifacts --open-build orca-svc-1254 --tab artifacts --theme light
shot server --show-server --open-build orca-svc-1251 --tab tests --theme light
shot log-dark --open-build deck-ui-1208 --tab log --theme dark
