#!/usr/bin/env bash
# 预警 benchmark (issue 18): `pingjia watch` against `pingjia indicators` on the same
# generated Parquet, alternating, $RUNS times each (default 3), under /usr/bin/time -v:
# median wall time and peak RSS, and the ratio watch/indicators (target ≤ 1.5).
#
#   bench/watch.sh [CASES]       default 10000000 (the data is kept in $BENCH_DIR, as
#                                 bench/scale.sh keeps it)
#   OTHER=/path/to/pingjia bench/watch.sh   also times another build's `indicators`
#                                 (e.g. the previous commit's) on the same data
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=${BENCH_DIR:-$root/target/bench}
runs=${RUNS:-3}
. bench/setup.sh
n=${1:-10000000}
data=$dir/cases-$n
if [ ! -f "$data/cases.parquet" ]; then
  "$bin" sample --scale "$n" --format parquet --no-dirty --out "$data"
fi


: > "$dir/w.i"; : > "$dir/w.w"; : > "$dir/w.o"
for run in $(seq "$runs"); do
  read -r iw ir < <(measure "$bin" indicators "$data" --out "$dir/out-watch-ind")
  read -r ww wr < <(measure "$bin" watch "$data" --out "$dir/out-watch")
  line="run $run: indicators $iw s, $ir MB | watch $ww s, $wr MB"
  echo "$iw $ir" >> "$dir/w.i"; echo "$ww $wr" >> "$dir/w.w"
  if [ -n "${OTHER:-}" ]; then
    read -r ow or < <(measure "$OTHER" indicators "$data" --out "$dir/out-watch-other")
    line="$line | other indicators $ow s, $or MB"
    echo "$ow $or" >> "$dir/w.o"
  fi
  echo "$line"
done
m() { cut -d' ' -f"$2" "$1" | median; }
iw=$(m "$dir/w.i" 1); ww=$(m "$dir/w.w" 1)
echo "median: indicators $iw s, $(m "$dir/w.i" 2) MB | watch $ww s, $(m "$dir/w.w" 2) MB | watch/indicators $(awk -v a="$ww" -v b="$iw" 'BEGIN {printf "%.2f", a/b}')"
if [ -n "${OTHER:-}" ]; then
  ow=$(m "$dir/w.o" 1)
  echo "other indicators $ow s, $(m "$dir/w.o" 2) MB | this/other $(awk -v a="$iw" -v b="$ow" 'BEGIN {printf "%.3f", a/b}')"
fi
