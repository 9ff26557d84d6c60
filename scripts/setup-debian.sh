#!/usr/bin/env bash
# Installs what building, running and testing CI Companion needs on Debian 12, and nothing
# that is there already. Safe to run again.
set -euo pipefail

packages=(
    # build
    cmake ninja-build g++ ccache pkg-config git python3
    # Qt 6.4 as Debian ships it; QtHttpServer's CMake package also wants WebSockets
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev qt6-svg-dev
    qt6-qpa-plugins libqt6svg6
    # libraries for what is not our purpose: YAML, the OS keychain, local git repositories
    libyaml-cpp-dev qtkeychain-qt6-dev libgit2-dev
    # tests: a real Buildbot master and worker, a display server for screenshots
    buildbot buildbot-worker xvfb xauth imagemagick fonts-dejavu-core curl
    # packages and their checks (man-db renders the manual page, systemd checks the user unit)
    dpkg-dev file desktop-file-utils appstream lintian man-db groff-base systemd
    # benchmarks
    wrk glogg x11-utils
)

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: every package is installed"
    exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
