#!/usr/bin/env python3
"""Placeholder until the generator lands: writes an empty demo set."""
import argparse, json, os
p = argparse.ArgumentParser(); p.add_argument("--out", required=True); a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
json.dump({"name": "demo", "scm": {}}, open(os.path.join(a.out, "manifest.json"), "w"))
