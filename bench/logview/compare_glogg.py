#!/usr/bin/env python3
"""Opens the same big log in CI Companion's log viewer and in glogg, under one Xvfb display,
and measures each from the outside, the same way:

  window_mapped   from the start of the process until its top-level window showing the file
                  is viewable (polling xwininfo every 5 ms);
  busy_until      from the start until the process last used CPU, polled every 10 ms from
                  /proc/PID/stat, once it has been idle for --idle seconds: both index the whole
                  file right after opening it, so this is when indexing is complete (to the
                  10 ms tick the kernel counts CPU time in);
  peak_rss        VmHWM of /proc/PID/status at the end.

The file is read once first, so both find it in the page cache. Neither figure is a paint
event: glogg reports none; CI Companion's own first paint is measured inside the process by
logview_bench and printed beside these.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def peak_rss_kb(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def viewable_window(display, title_part):
    env = dict(os.environ, DISPLAY=display)
    tree = subprocess.run(["xwininfo", "-root", "-children"], env=env, capture_output=True,
                          text=True).stdout
    for line in tree.splitlines():
        match = re.match(r'\s*(0x[0-9a-f]+) "([^"]*)"', line)
        if match and title_part in match.group(2):
            info = subprocess.run(["xwininfo", "-id", match.group(1)], env=env,
                                  capture_output=True, text=True).stdout
            if "IsViewable" in info:
                return True
    return False


def measure(name, command, display, title_part, idle, timeout):
    env = dict(os.environ, DISPLAY=display)
    env.pop("QT_QPA_PLATFORM", None)
    start = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    mapped = None
    last_ticks = -1
    last_change = start
    try:
        while time.monotonic() - start < timeout:
            now = time.monotonic()
            if mapped is None and viewable_window(display, title_part):
                mapped = now - start
            ticks = cpu_ticks(process.pid)
            if ticks != last_ticks:
                last_ticks = ticks
                last_change = now
            elif mapped is not None and now - last_change >= idle:
                break
            time.sleep(0.005 if mapped is None else 0.01)
        rss = peak_rss_kb(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
    return {
        "name": name,
        "window_mapped_ms": None if mapped is None else mapped * 1000,
        "busy_until_ms": (last_change - start) * 1000,
        "peak_rss_mib": rss / 1024,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", required=True)
    parser.add_argument("--app", required=True, help="path to ci-companion")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=float, default=1.5)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()

    for tool in ("Xvfb", "xwininfo", "glogg"):
        if not shutil.which(tool):
            print("compare_glogg: %s is missing" % tool, file=sys.stderr)
            return 1

    with open(args.log, "rb") as log:  # into the page cache, for both alike
        while log.read(1 << 24):
            pass
    size_mib = os.path.getsize(args.log) / (1 << 20)
    base = os.path.basename(args.log)

    display = ":%d" % (90 + os.getpid() % 100)
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    home = tempfile.mkdtemp(prefix="cic-bench-home-")
    os.environ["HOME"] = home  # fresh settings for both: no session or recent files
    os.environ["XDG_CONFIG_HOME"] = os.path.join(home, ".config")
    try:
        time.sleep(1.0)
        results = []
        for run in range(args.runs):
            results.append(measure("ci-companion", [args.app, "--log", args.log], display, base,
                                   args.idle, args.timeout))
            results.append(measure("glogg", ["glogg", args.log], display, base, args.idle,
                                   args.timeout))
    finally:
        xvfb.terminate()
        xvfb.wait()
        shutil.rmtree(home, ignore_errors=True)

    print("file: %s, %.1f MiB, %d runs each, best run shown (and median)" % (args.log, size_mib,
                                                                          args.runs))
    print("%-14s %18s %18s %16s" % ("viewer", "window mapped", "busy until", "peak RSS"))
    for name in ("ci-companion", "glogg"):
        mine = [r for r in results if r["name"] == name]

        def stat(key):
            values = sorted(r[key] for r in mine if r[key] is not None)
            if not values:
                return "n/a"
            return "%.0f (%.0f)" % (values[0], values[len(values) // 2])

        rss = sorted(r["peak_rss_mib"] for r in mine)
        print("%-14s %15s ms %15s ms %9.0f MiB (%.2fx)" % (
            name, stat("window_mapped_ms"), stat("busy_until_ms"), rss[len(rss) // 2],
            rss[len(rss) // 2] / size_mib))
    return 0


if __name__ == "__main__":
    sys.exit(main())
