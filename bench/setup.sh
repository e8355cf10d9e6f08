# Sourced by the bench scripts: builds pingjia and the Python venv they compare against.
# Expects $root and $dir; sets $bin and $venv, defines measure and median.
mkdir -p "$dir"
cargo build --release -q
bin=$root/target/release/pingjia
venv=$dir/venv
if ! "$venv/bin/python" -c "import duckdb, polars" >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "duckdb==2.0.0" "polars==2.1.0"
fi

# `measure CMD…`: runs it under /usr/bin/time -v, prints "wall-seconds peak-MB".
measure() {
  local log
  log=$(mktemp)
  /usr/bin/time -v "$@" > /dev/null 2> "$log" || { cat "$log" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; w=s}
              /Maximum resident set size/ {r=$2/1024}
              END {printf "%s %.0f\n", w, r}' "$log"
  rm -f "$log"
}
# `median`: the median of the numbers on standard input, one a line.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
