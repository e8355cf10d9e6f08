#!/usr/bin/env bash
# The dashboard at province size (issue 20): 山东省's sixteen cities (`sample --cities 16`),
# `pingjia dashboard` on them, the page's size and its parts, then the page opened in
# headless Chromium (tests/browser/dashboard.mjs, as the browser test drives it): the time
# from navigation until the page has drawn (body[data-ready]), best and median of runs.
#
#   bench/dashboard.sh [CASES]   default 1000000; the data go to $BENCH_DIR (target/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=${BENCH_DIR:-$root/target/bench}
runs=${RUNS:-5}
. bench/setup.sh
n=${1:-1000000}

data="$dir/cities-16-$n"
[ -f "$data/cases.csv" ] || "$bin" sample --scale "$n" --cities 16 --no-dirty --out "$data" >/dev/null
rm -rf "$dir/out-dashboard"
read -r w r < <(measure "$bin" dashboard "$data" --out "$dir/out-dashboard")
page="$dir/out-dashboard/dashboard.html"
echo "dashboard on 16 cities ($n cases): $w s, $r MB"
python3 - "$page" <<'PY'
import json, re, sys
s = open(sys.argv[1], encoding='utf-8').read()
b = lambda t: len(t.encode())
data = re.search(r'<script type="application/json" id="data">(.*?)</script>', s, re.S).group(1)
font = re.search(r'base64,([^)]*)\)', s).group(1)
d = json.loads(data)
print(f"page {b(s)/1e6:.2f} MB: data {b(data)/1e6:.2f} MB, font {b(font)/1e6:.2f} MB (base64), "
      f"rest (ECharts, script, styles) {(b(s)-b(data)-b(font))/1e6:.2f} MB")
print(f"areas {len(d['areas'])}, quarters {len(d['quarters'])}, indicators {len(d['indicators'])}, "
      f"comparison rows {len(d['rows']['i'])}, units {len(d['units']['name'])}, unit entries {len(d['unit_rows']['v'])}")
PY
(cd tests/browser && [ -d node_modules/playwright-core ] || npm install --no-audit --no-fund --loglevel=error)
: > "$dir/open.ms"
for run in $(seq "$runs"); do
  mkdir -p "$dir/dashboard-shots"
  node tests/browser/dashboard.mjs "$page" "$dir/dashboard-shots" > "$dir/dashboard.json"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(round(d['navigation']['ready']), d['openMs'])" "$dir/dashboard.json" >> "$dir/open.ms"
  echo "run $run: drawn $(tail -1 "$dir/open.ms" | cut -d' ' -f1) ms after navigation (script's wall $(tail -1 "$dir/open.ms" | cut -d' ' -f2) ms)"
done
echo "median drawn: $(cut -d' ' -f1 "$dir/open.ms" | median) ms, best $(cut -d' ' -f1 "$dir/open.ms" | sort -n | head -1) ms"
