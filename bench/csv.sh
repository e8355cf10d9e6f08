#!/usr/bin/env bash
# CSV ingest (issue 7): a 10M-row cases CSV, UTF-8 and GBK, read and validated by pingjia
# (`pingjia check`: decode, parse every cell, validate, quarantine) against Python
# polars.read_csv on the UTF-8 file (parse only, types inferred), in the same run.
#
#   bench/csv.sh [CASES]     default 10000000; data kept in $BENCH_DIR (target/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=${BENCH_DIR:-$root/target/bench}
n=${1:-10000000}
runs=${RUNS:-3}
. bench/setup.sh
csv=$dir/csv-$n
if [ ! -f "$csv/utf8/cases.csv" ]; then
  "$bin" sample --scale "$n" --no-dirty --out "$csv/all"
  mkdir -p "$csv/utf8" "$csv/gbk"
  mv "$csv/all/cases.csv" "$csv/utf8/cases.csv"
  # GBK exports carry no BOM.
  tail -c +4 "$csv/utf8/cases.csv" | iconv -f UTF-8 -t GBK > "$csv/gbk/cases.csv"
  rm -rf "$csv/all"
fi
rows=$(($(wc -l < "$csv/utf8/cases.csv") - 1))
echo "== $rows rows, $(du -h "$csv/utf8/cases.csv" | cut -f1) UTF-8, $(du -h "$csv/gbk/cases.csv" | cut -f1) GBK"
for run in $(seq "$runs"); do
  for enc in utf8 gbk; do
    s=$( { /usr/bin/time -f "%e %M" "$bin" check "$csv/$enc/cases.csv" --out "$dir/check-$enc" > /dev/null; } 2>&1 | tail -1)
    echo "run $run pingjia $enc: $(echo "$s" | awk -v r="$rows" '{printf "%.2f s, %.0f MB, %.0f rows/s", $1, $2/1024, r/$1}')"
  done
  s=$( { /usr/bin/time -f "%e %M" "$venv/bin/python" -c "import polars as pl, sys; pl.read_csv(sys.argv[1])" "$csv/utf8/cases.csv"; } 2>&1 | tail -1)
  echo "run $run polars.read_csv utf8: $(echo "$s" | awk -v r="$rows" '{printf "%.2f s, %.0f MB, %.0f rows/s", $1, $2/1024, r/$1}')"
done
