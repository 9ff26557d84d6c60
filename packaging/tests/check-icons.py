#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Renders the application icon with cic_render_icons into .ico, .icns and .png, and reads
the files back: every container entry must be a PNG of the size its header claims, so that
Windows and macOS show the icon the installers and the bundle name.

Usage: check-icons.py RENDER_TOOL ICON.svg
"""
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Pixel size of each icns type the renderer writes.
ICNS_SIZES = {b"icp4": 16, b"icp5": 32, b"ic11": 32, b"icp6": 64, b"ic12": 64, b"ic07": 128,
              b"ic08": 256, b"ic13": 256, b"ic09": 512, b"ic14": 512, b"ic10": 1024}


def png_size(data):
    if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", data[16:24])


def check_ico(data):
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1), "not an ICO header"
    sizes = []
    for i in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i:22 + 16 * i])
        edge = width or 256
        assert width == height and planes == 1 and bits == 32
        assert png_size(data[offset:offset + length]) == (edge, edge), f"ico entry {i}"
        assert offset + length <= len(data)
        sizes.append(edge)
    assert {16, 32, 48, 256} <= set(sizes), f"ico lacks a size Windows needs: {sizes}"
    return sizes


def check_icns(data):
    magic, total = struct.unpack(">4sI", data[:8])
    assert magic == b"icns" and total == len(data), "icns header or length"
    position, types = 8, []
    while position < len(data):
        kind, length = struct.unpack(">4sI", data[position:position + 8])
        edge = ICNS_SIZES[kind]
        assert png_size(data[position + 8:position + length]) == (edge, edge), kind
        types.append(kind.decode())
        position += length
    assert position == len(data), "icns entries overrun the file"
    assert {"ic07", "ic08", "ic09", "ic10"} <= set(types), f"icns lacks sizes: {types}"
    return types


def main():
    tool, svg = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory)
        for name, extra in (("icon.ico", []), ("icon.icns", []), ("icon.png", ["48"])):
            subprocess.run([tool, svg, str(out / name)] + extra, check=True)
        print("ico sizes:", check_ico((out / "icon.ico").read_bytes()))
        print("icns types:", check_icns((out / "icon.icns").read_bytes()))
        assert png_size((out / "icon.png").read_bytes()) == (48, 48)
        # A wrong name or an unreadable SVG is refused, not written.
        bad = subprocess.run([tool, svg, str(out / "icon.bmp")], capture_output=True)
        assert bad.returncode == 2 and not (out / "icon.bmp").exists()
        bad = subprocess.run([tool, str(out / "icon.png"), str(out / "x.png")],
                             capture_output=True)
        assert bad.returncode == 1 and not (out / "x.png").exists()
    print("icons ok")


if __name__ == "__main__":
    main()
