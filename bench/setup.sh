# Sourced by the bench scripts: builds pingjia and the Python venv they compare against.
# Expects $root and $dir; sets $bin and $venv.
mkdir -p "$dir"
cargo build --release -q
bin=$root/target/release/pingjia
venv=$dir/venv
if ! "$venv/bin/python" -c "import duckdb, polars" >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "duckdb==2.0.0" "polars==2.1.0"
fi
