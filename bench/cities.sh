#!/usr/bin/env bash
# Several cities (issue 19): the generator's time per case for one city and for 山东省's
# sixteen (`sample --cities 16`), then `report --all-cities` on the sixteen — the
# province's report and every city's — under /usr/bin/time -v: wall time, peak RSS.
#
#   bench/cities.sh [CASES]      default 1000000; the data go to $BENCH_DIR (target/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=${BENCH_DIR:-$root/target/bench}
runs=${RUNS:-3}
. bench/setup.sh
n=${1:-1000000}


: > "$dir/c.1"; : > "$dir/c.16"
for run in $(seq "$runs"); do
  read -r w1 _ < <(measure "$bin" sample --scale "$n" --no-dirty --out "$dir/cities-1-$n")
  read -r w16 _ < <(measure "$bin" sample --scale "$n" --cities 16 --no-dirty --out "$dir/cities-16-$n")
  echo "run $run: sample 1 city $w1 s | 16 cities $w16 s"
  echo "$w1" >> "$dir/c.1"; echo "$w16" >> "$dir/c.16"
done
cases() { wc -l < "$1/cases.csv"; }
c1=$(cases "$dir/cities-1-$n"); c16=$(cases "$dir/cities-16-$n")
m1=$(median < "$dir/c.1"); m16=$(median < "$dir/c.16")
echo "median: 1 city $m1 s ($(awk -v c="$c1" -v s="$m1" 'BEGIN {printf "%.0f", c/s}') cases/s) | 16 cities $m16 s ($(awk -v c="$c16" -v s="$m16" 'BEGIN {printf "%.0f", c/s}') cases/s)"

rm -rf "$dir/out-cities"
read -r rw rr < <(measure "$bin" report "$dir/cities-16-$n" --all-cities --out "$dir/out-cities")
reports=$(find "$dir/out-cities" -name report.docx | wc -l)
echo "report --all-cities on 16 cities: $rw s, $rr MB, $reports reports (the province's and each city's)"
rm -rf "$dir/out-province"
read -r pw pr < <(measure "$bin" report "$dir/cities-16-$n" --out "$dir/out-province")
echo "report (the province's alone): $pw s, $pr MB"
