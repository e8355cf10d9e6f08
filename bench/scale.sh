#!/usr/bin/env bash
# Province-scale benchmark (issue 7): pingjia against an independent DuckDB implementation
# of the same indicators, on generated canonical Parquet.
#
#   bench/scale.sh [CASES ...]        default: 1000000 10000000 100000000
#
# For each size: generates the data once (kept in $BENCH_DIR, default target/bench; the
# generator's rows/s is printed), then runs `pingjia indicators` (all docs/SPEC.md §4 indicators,
# city and region levels) and bench/duckdb_indicators.py $RUNS times each (default 3),
# alternating, under /usr/bin/time -v: median wall time, peak RSS, and the ratio
# pingjia/DuckDB. At 1M (and any size up to 1M) it checks that both give identical
# numerators and denominators. `pingjia report --indicators` on the 100M table and the
# CSV ingest comparison (bench/csv.sh) are separate. Results go to stdout and
# $BENCH_DIR/results.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=${BENCH_DIR:-$root/target/bench}
runs=${RUNS:-3}
. bench/setup.sh
py=$venv/bin/python
results=$dir/results.tsv
[ -f "$results" ] || printf 'date\tcases\tengine\trun\twall_s\tpeak_rss_mb\n' > "$results"

# Runs a command under GNU time; prints "wall_s peak_rss_mb".
# Its own measure: it also passes the stream stages on.
measure() {
  local log
  log=$(mktemp)
  /usr/bin/time -v "$@" > /dev/null 2> "$log" || { cat "$log" >&2; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  grep -E '^  stream stages' "$log" >&2 || true
  rm -f "$log"
  echo "$wall $rss"
}


for cases in "${@:-1000000 10000000 100000000}"; do
  for n in $cases; do
    data=$dir/cases-$n
    if [ ! -f "$data/cases.parquet" ]; then
      echo "== generating $n cases"
      /usr/bin/time -f "generator: %e s, peak RSS %M KB" \
        "$bin" sample --scale "$n" --format parquet --no-dirty --out "$data"
    fi
    echo "== $n cases: $(du -sh "$data" | cut -f1) of Parquet"
    : > "$dir/p.$n"; : > "$dir/d.$n"
    for run in $(seq "$runs"); do
      read -r pw pr < <(measure "$bin" indicators "$data" --out "$dir/out-pingjia-$n")
      read -r dw dr < <(measure "$py" bench/duckdb_indicators.py "$data" data/calendar/cn-holidays.csv "$dir/duckdb-$n.csv")
      echo "run $run: pingjia $pw s, $pr MB | duckdb $dw s, $dr MB"
      printf '%s\t%s\tpingjia\t%s\t%s\t%s\n' "$(date -I)" "$n" "$run" "$pw" "$pr" >> "$results"
      printf '%s\t%s\tduckdb\t%s\t%s\t%s\n' "$(date -I)" "$n" "$run" "$dw" "$dr" >> "$results"
      echo "$pw $pr" >> "$dir/p.$n"; echo "$dw $dr" >> "$dir/d.$n"
    done
    pw=$(cut -d' ' -f1 "$dir/p.$n" | median); pr=$(cut -d' ' -f2 "$dir/p.$n" | median)
    dw=$(cut -d' ' -f1 "$dir/d.$n" | median); dr=$(cut -d' ' -f2 "$dir/d.$n" | median)
    echo "median: pingjia $pw s, $pr MB | duckdb $dw s, $dr MB | wall ratio pingjia/duckdb $(awk -v a="$pw" -v b="$dw" 'BEGIN {printf "%.2f", a/b}') | RSS ratio $(awk -v a="$pr" -v b="$dr" 'BEGIN {printf "%.2f", a/b}')"
    if [ "$n" -le 1000000 ]; then
      "$py" bench/compare_indicators.py "$dir/out-pingjia-$n/indicators.csv" "$dir/duckdb-$n.csv"
    fi
  done
done
