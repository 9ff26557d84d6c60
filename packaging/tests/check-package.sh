#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package and the tarball from a build tree, and checks what a user gets:
# lintian, the computed dependencies, the installed program (its version, and `serve` answering
# /ci/builds on the demo data), the desktop entry, AppStream metadata, manual page, systemd
# user unit and Debian documentation files, and the tarball's program.
#
# The package is unpacked with `dpkg -x` into a temporary root rather than installed with
# `dpkg -i`: CI runs as root, and installing would change the machine's package database
# for every later job. That the dependencies resolve is checked with `apt-get --simulate`,
# which changes nothing. The unpacked program finds Qt in the system's library directories,
# exactly as an installed one would.
#
# Usage: check-package.sh BUILD_DIR SOURCE_DIR VERSION [CPACK]
set -uo pipefail

build_dir=$(realpath "$1")
source_dir=$(realpath "$2")
version=$3
cpack=${4:-cpack}
app_id=io.github.ci_companion.CiCompanion

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
words() { tr '\n' ' ' <<<"$1" | sed 's/ *$//'; }
pass() { echo "ok: $*"; }
die() { echo "FAIL: $*" >&2; exit 1; }

for tool in "$cpack" dpkg-deb dpkg-shlibdeps dpkg-parsechangelog lintian apt-get \
            desktop-file-validate appstreamcli man curl python3 readelf ldd systemd-analyze; do
    command -v "$tool" >/dev/null || die "$tool is missing; scripts/setup-debian.sh installs it"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/cic-package.XXXXXX")
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# --- build the packages ------------------------------------------------------------------
started=$(date +%s.%N)
(cd "$build_dir" && "$cpack" -G "DEB;TGZ" -B "$work/out") > "$work/cpack.log" 2>&1 \
    || { cat "$work/cpack.log"; die "cpack failed"; }
elapsed=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" \
          "$started" "$(date +%s.%N)")

shopt -s nullglob
debs=("$work"/out/ci-companion_"${version}"_*.deb)
tgzs=("$work"/out/ci-companion-"${version}"-linux-*.tar.gz)
shopt -u nullglob
[ ${#debs[@]} -eq 1 ] || { ls "$work/out"; die "expected one ci-companion_${version}_*.deb"; }
[ ${#tgzs[@]} -eq 1 ] || { ls "$work/out"; die "expected one ci-companion-${version}-*.tar.gz"; }
deb=${debs[0]}
tgz=${tgzs[0]}
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes) and $(basename "$tgz")" \
     "($(stat -c %s "$tgz") bytes) in ${elapsed} s"

# --- lintian -------------------------------------------------------------------------------
# Errors and warnings fail; informational and pedantic tags are shown for the reader.
lintian_output=$(lintian --info --pedantic --fail-on error,warning "$deb" 2>&1)
lintian_status=$?
lintian_output=$(grep -v '^running with root privileges' <<<"$lintian_output")
[ -n "$lintian_output" ] && echo "$lintian_output"
if [ $lintian_status -eq 0 ]; then
    pass "lintian reports no error and no warning"
else
    fail "lintian (exit $lintian_status)"
fi

# --- control fields and computed dependencies ------------------------------------------------
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = ci-companion ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', not $version"
[ "$(field Section)" = devel ] || fail "Section is '$(field Section)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Homepage)" ] || fail "no Homepage"
depends=$(field Depends)
echo "Depends: $depends"
grep -Eq '(^|, )libqt6core6 \(>= [0-9.]+\)' <<<"$depends" \
    || fail "Depends lacks a versioned libqt6core6, so it was not computed by dpkg-shlibdeps"

mkdir -p "$work/root"
dpkg-deb -x "$deb" "$work/root" || die "dpkg-deb -x failed"
binary="$work/root/usr/bin/ci-companion"
[ -x "$binary" ] || die "the package has no executable /usr/bin/ci-companion"

# Every Qt library the program links must come from a package named in Depends.
for library in $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(libQt6[^]]*\)\].*/\1/p'); do
    path=$(ldd "$binary" | awk -v lib="$library" '$1 == lib { print $3; exit }')
    owner=$(dpkg -S "$(realpath "$path")" 2>/dev/null | head -n1 | cut -d: -f1)
    if [ -z "$owner" ]; then
        fail "$library: no Debian package owns $path"
    elif grep -Eq "(^|, )${owner}( |,|$)" <<<"$depends"; then
        pass "$library comes from $owner, which Depends names"
    else
        fail "$library comes from $owner, which Depends does not name"
    fi
done

if apt-get install --simulate --no-install-recommends "$deb" > "$work/apt.log" 2>&1; then
    pass "apt resolves the dependencies"
else
    cat "$work/apt.log"
    fail "apt cannot resolve the dependencies"
fi

# --- the installed program -----------------------------------------------------------------
if readelf -d "$binary" | grep -Eq '\((RPATH|RUNPATH)\)'; then
    fail "the installed program carries a library search path"
fi
if ldd "$binary" | grep -q 'not found'; then
    ldd "$binary"
    fail "the installed program misses libraries"
fi

# A home of its own, so no configuration of the machine's user decides what is served.
home="$work/home"
mkdir -p "$home"
installed=(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM -u CI_COMPANION_CONFIG
           HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share"
           XDG_CACHE_HOME="$home/.cache" XDG_STATE_HOME="$home/.local/state"
           CIC_SERVER_TOKEN= "$binary")
run_installed() { "${installed[@]}" "$@"; }

reported=$(run_installed --version 2>&1)
if [ "$reported" = "ci-companion $version" ]; then
    pass "installed ci-companion --version says '$reported'"
else
    fail "installed ci-companion --version says '$reported', not 'ci-companion $version'"
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); \
print(s.getsockname()[1])')
# Started directly, not through a function, so that $! is the server itself (env execs it).
"${installed[@]}" serve --listen "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server_pid=$!
status=
for _ in $(seq 1 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        break
    fi
    status=$(curl --silent --max-time 5 --output "$work/builds.json" \
                  --write-out '%{http_code} %{content_type}' \
                  "http://127.0.0.1:$port/ci/builds") && break
    sleep 0.2
done
if [ "${status%% *}" = 200 ] && [[ "${status#* }" == application/json* ]]; then
    if count=$(python3 -c 'import json, sys
builds = json.load(open(sys.argv[1]))
if not isinstance(builds, list) or not builds or not all("id" in b for b in builds):
    sys.exit(1)
print(len(builds))' "$work/builds.json"); then
        pass "installed serve answers GET /ci/builds with 200 and a JSON array of $count builds"
    else
        head -c 400 "$work/builds.json"; echo
        fail "GET /ci/builds is not a non-empty JSON array of builds"
    fi
else
    cat "$work/serve.log"
    fail "installed serve on 127.0.0.1:$port: GET /ci/builds gave '${status:-no answer}'"
fi
# systemd stops the service with SIGTERM; the server must go at once.
kill "$server_pid" 2>/dev/null
for _ in $(seq 1 50); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$server_pid" 2>/dev/null; then
    fail "serve was still running 5 s after SIGTERM"
    kill -KILL "$server_pid"
fi
wait "$server_pid" 2>/dev/null
server_pid=

# --- desktop integration -------------------------------------------------------------------
desktop="$work/root/usr/share/applications/$app_id.desktop"
metainfo="$work/root/usr/share/metainfo/$app_id.metainfo.xml"
icon="$work/root/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
for file in "$desktop" "$metainfo" "$icon"; do
    [ -f "$file" ] || fail "missing ${file#"$work/root"}"
done

if output=$(desktop-file-validate "$desktop" 2>&1) && [ -z "$output" ]; then
    pass "desktop-file-validate accepts the desktop entry"
else
    echo "$output"
    fail "desktop-file-validate"
fi
exec_binary=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")
[ -x "$work/root/usr/bin/$exec_binary" ] || fail "Exec=$exec_binary is not in /usr/bin"
[ "$(sed -n 's/^Icon=//p' "$desktop")" = "$app_id" ] || fail "Icon= is not $app_id"

# --strict fails on warnings too; validate-tree also checks that the desktop entry and the
# icon the metadata names are installed.
if appstreamcli validate --no-net --strict --explain "$metainfo" \
   && appstreamcli validate-tree --no-net --strict "$work/root"; then
    pass "appstreamcli validates the metadata and the installed tree"
else
    fail "appstreamcli validate"
fi

# --- manual page ---------------------------------------------------------------------------
manpage="$work/root/usr/share/man/man1/ci-companion.1.gz"
if [ -f "$manpage" ]; then
    # As lintian does: any warning of man or groff is a defect.
    warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
               man --warnings -E UTF-8 -l -Tutf8 -Z "$manpage" 2>&1 >/dev/null)
    rendered=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$manpage" 2>/dev/null)
    if [ -z "$warnings" ] && grep -q '^NAME' <<<"$rendered" && grep -q 'CIC_SERVER_TOKEN' \
       <<<"$rendered"; then
        pass "the manual page renders without warnings"
    else
        echo "$warnings"
        fail "the manual page does not render cleanly"
    fi

    # Every command the program offers, and every option of each, is on the page. A command
    # the page describes that this build lacks is named, not failed: the page documents the
    # whole command line while commands are still being added.
    zcat "$manpage" > "$work/ci-companion.1"
    documented=$(awk '/^\.SH COMMANDS/ { on = 1; next } /^\.SH/ { on = 0 }
                      on && previous == ".TP" && $1 == ".B" && NF == 2 { print $2 }
                      { previous = $0 }' "$work/ci-companion.1" | sort)
    offered=$(run_installed --help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 }
                                          on && NF { print $1 }' | sort)
    [ -n "$offered" ] || fail "ci-companion --help lists no command"
    undocumented=$(comm -13 <(echo "$documented") <(echo "$offered"))
    absent=$(comm -23 <(echo "$documented") <(echo "$offered"))
    if [ -z "$undocumented" ]; then
        pass "the manual page documents every command: $(words "$offered")"
    else
        fail "the manual page does not document the commands: $(words "$undocumented")"
    fi
    [ -z "$absent" ] && [ -n "$offered" ] \
        || echo "note: the manual page describes commands this build lacks: $(words "$absent")"
    for command in $offered; do
        for option in $(run_installed "$command" --help 2>&1 | grep -oE -- '--[a-z][a-z-]*' \
                        | sort -u); do
            escaped=${option//-/\\\\-}
            grep -q -- "${escaped}\\b" "$work/ci-companion.1" \
                || fail "the manual page does not document '$command $option'"
        done
    done
else
    fail "no manual page"
fi

# --- systemd user unit ---------------------------------------------------------------------
unit="$work/root/usr/lib/systemd/user/ci-companion.service"
if [ -f "$unit" ]; then
    exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
    [ "$exec_start" = "/usr/bin/ci-companion serve" ] || fail "ExecStart=$exec_start"
    grep -q '^WantedBy=default.target' "$unit" || fail "the unit cannot be enabled"
    # Verified with the unpacked program in place of /usr/bin, so systemd checks that the
    # command exists and is executable.
    mkdir -p "$work/unit" "$work/runtime"
    sed "s|^ExecStart=/usr/bin/ci-companion|ExecStart=$binary|" "$unit" \
        > "$work/unit/ci-companion.service"
    if XDG_RUNTIME_DIR="$work/runtime" systemd-analyze verify --user --man=no \
       "$work/unit/ci-companion.service"; then
        pass "systemd-analyze verifies the user unit"
    else
        fail "systemd-analyze verify"
    fi
    XDG_RUNTIME_DIR="$work/runtime" systemd-analyze security --user --offline=true \
        "$work/unit/ci-companion.service" 2>/dev/null | grep 'Overall exposure'
else
    fail "no systemd user unit"
fi

# --- the example configuration ------------------------------------------------------------
example="$source_dir/resources/examples/ci-companion.yml"
if [ -f "$example" ]; then
    if cmp -s "$example" "$work/root/usr/share/ci-companion/ci-companion.yml"; then
        pass "the example configuration is installed in /usr/share/ci-companion"
    else
        fail "/usr/share/ci-companion/ci-companion.yml is missing or differs from $example"
    fi
fi

# --- Debian documentation files ------------------------------------------------------------
docs="$work/root/usr/share/doc/ci-companion"
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
    "$docs/copyright" 2>/dev/null || fail "copyright is not machine-readable"
if [ -f "$docs/changelog.gz" ]; then
    zcat "$docs/changelog.gz" > "$work/changelog"
    changelog_version=$(dpkg-parsechangelog -l "$work/changelog" -S Version)
    [ "$changelog_version" = "$version" ] \
        || fail "the changelog's latest entry is $changelog_version, not $version"
else
    fail "no changelog.gz"
fi
release=$(python3 -c 'import sys, xml.etree.ElementTree as et
print(et.parse(sys.argv[1]).find("releases/release").get("version"))' "$metainfo")
[ "$release" = "$version" ] || fail "the metainfo's latest release is $release, not $version"
grep -q "^\\.TH .*\"ci-companion $version\"" "$work/ci-companion.1" \
    || fail "the manual page's .TH line does not name version $version"

# --- the tarball ---------------------------------------------------------------------------
top=$(basename "$tgz" .tar.gz)
if tar -tzf "$tgz" | grep -qx "$top/bin/ci-companion"; then
    mkdir -p "$work/tgz"
    tar -xzf "$tgz" -C "$work/tgz"
    reported=$("$work/tgz/$top/bin/ci-companion" --version 2>&1)
    if [ "$reported" = "ci-companion $version" ]; then
        pass "the tarball's bin/ci-companion runs and says '$reported'"
    else
        fail "the tarball's bin/ci-companion --version says '$reported'"
    fi
else
    fail "the tarball has no $top/bin/ci-companion"
fi

if [ $failures -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all package checks passed"
