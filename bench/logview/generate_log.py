#!/usr/bin/env python3
"""Writes a big CI-style build log with ANSI colours, for the log viewer benchmark.

Deterministic: the same arguments give the same bytes. By default 1,000,000 lines of about
100 bytes (100 MiB): timestamps, Gradle-like task lines, coloured test results, warnings and
errors in SGR colours (16, 256 and truecolor), a progress line with carriage returns now and
then, and the marker "needle-in-the-log" on a few lines, the last one near the end, for the
"find the last occurrence" measurement.
"""
import argparse
import random
import sys

ESC = "\x1b"

WORDS = ("compile", "resolve", "download", "verify", "package", "publish", "test", "lint",
         "cache", "upload", "checksum", "module", "artifact", "dependency", "gradle", "docker")


def line_for(i, rnd):
    ts = "[2026-11-30T%02d:%02d:%02d.%03dZ] " % (
        (i // 3600000) % 24, (i // 60000) % 60, (i // 1000) % 60, i % 1000)
    kind = rnd.random()
    words = " ".join(WORDS[int(rnd.random() * len(WORDS))] for _ in range(6))
    if kind < 0.55:
        body = "> Task :%s:%s %s" % (WORDS[i % len(WORDS)], WORDS[(i // 7) % len(WORDS)], words)
    elif kind < 0.75:
        body = "%s[32mPASSED%s[0m com.example.%sTest > %s()" % (
            ESC, ESC, WORDS[i % len(WORDS)].capitalize(), words.replace(" ", "_"))
    elif kind < 0.85:
        body = "%s[1;33mwarning:%s[0m %s[38;5;245m%s%s[0m" % (ESC, ESC, ESC, words, ESC)
    elif kind < 0.90:
        body = "%s[38;2;255;95;95mERROR%s[0m %s failed: %s" % (ESC, ESC, WORDS[i % 16], words)
    elif kind < 0.93:
        body = "Downloading %s\r 35%%\r 70%%\r100%% %s" % (words.split()[0], words)
    else:
        body = "%s[2m%s%s[22m %s[4m%s%s[24m" % (ESC, words, ESC, ESC, WORDS[i % 16], ESC)
    line = ts + body
    # Pad towards 100 bytes a line so 1,000,000 lines make about 100 MiB.
    if len(line) < 96:
        line += " " + "." * (96 - len(line))
    return line


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()

    rnd = random.Random(args.seed)
    marks = {args.lines // 10, args.lines // 2, args.lines - 5}
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        chunk = []
        for i in range(args.lines):
            line = line_for(i, rnd)
            if i in marks:
                line += " needle-in-the-log"
            chunk.append(line)
            if len(chunk) == 10000:
                out.write("\n".join(chunk) + "\n")
                chunk = []
        if chunk:
            out.write("\n".join(chunk) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
