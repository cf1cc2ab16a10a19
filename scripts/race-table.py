#!/usr/bin/env python3
"""The counter race, one line per run: mymem-bench --race --json files."""
import json
import sys

print(f"{'path':<8} {'lock':<7} {'expected':>10} {'observed':>10} {'lost':>10} {'ms':>8}")
for path in sys.argv[1:]:
    with open(path) as f:
        doc = json.load(f)
    where = "kernel" if "kernel" in path else "user"
    exp = doc["expected_increments"]
    for i, obs in enumerate(doc["observed_increments"]):
        ms = doc.get("elapsed_ns", [0] * len(doc["observed_increments"]))[i] / 1e6
        print(f"{where:<8} {doc['lock']:<7} {exp:>10} {obs:>10} {exp - obs:>10} {ms:>8.1f}")
