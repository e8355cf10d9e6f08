#!/usr/bin/env bash
# Compares the two indicator execution plans on generated data:
#   merged        one aggregation per enriched view (each table scanned once), levels summed
#   per-indicator one grouped query per indicator × level
# Usage: bench/indicator-plans.sh [CASES]   (default 1000000). Prints the per-stage timings
# pingjia reports on stderr, 3 runs per plan, and checks both plans write identical tables.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-1000000}
data=${BENCH_DIR:-/tmp/pingjia-bench}/cases-$cases
cargo build --release -q
bin=target/release/pingjia
[ -f "$data/cases.parquet" ] || $bin sample --scale "$cases" --format parquet --no-dirty --out "$data"
for plan in merged per-indicator; do
  for run in 1 2 3; do
    out=$(mktemp -d)
    stages=$($bin indicators "$data" --out "$out" --plan $plan --level department,matter 2>&1 | grep -E '^(ingest|enrich|stream|indicators) ' | awk '{printf "%s %s  ", $1, $2}')
    echo "$plan run $run: $stages"
    cp "$out/indicators.csv" "/tmp/pingjia-bench-$plan.csv"; rm -rf "$out"
  done
done
cmp /tmp/pingjia-bench-merged.csv /tmp/pingjia-bench-per-indicator.csv && echo "identical indicator tables"
