#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) one after another, seeding each corpus
# from the repository's own files. Needs the nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Crashes land in fuzz/artifacts/<target>/; copy each into tests/fuzz-regressions/<target>/
# once fixed (tests/it/fuzz_regressions.rs replays them on every `cargo test`).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(csv_reader xlsx_reader values query_metadata)

seed() {
  local target=$1 dir=corpus/$1
  mkdir -p "$dir"
  case $target in
    csv_reader)
      # Mode byte 0 (as is) in front of the first lines of every committed CSV.
      for f in ../sample-data/*.csv ../sample-data/dirty/*.csv ../tests/fixtures/*/*.csv; do
        { printf '\x00'; head -c 3000 "$f"; } > "$dir/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
        { printf '\x01'; head -n 5 "$f" | sed '1s/^\xEF\xBB\xBF//'; } > "$dir/seed-gbk-$(basename "$(dirname "$f")")-$(basename "$f")"
      done ;;
    xlsx_reader)
      cp ../tests/fixtures/bad-input/password-protected.xlsx "$dir/" ;
      cp ../tests/fuzz-seeds/*.xlsx "$dir/" 2>/dev/null || true ;;
    values)
      for v in "2025-01-02" "2025-01-02 09:30:00" "2025/1/2" "2025年1月2日" "20250102" "45747.5" \
               "即办" "3个工作日" "工作日" "自然日" "是" "否" "四级" "1,2,3" "01" "行政许可" \
               "网上办理" "窗口" "办结" "不予受理" "非常满意" "5" "370303" "2025-13-45"; do
        printf '%s' "$v" > "$dir/seed-$(printf '%s' "$v" | md5sum | cut -c1-8)"
      done ;;
    query_metadata)
      cp ../queries/*.sql "$dir/" ;;
  esac
}

for t in "${targets[@]}"; do
  seed "$t"
  max_len=4096
  [ "$t" = xlsx_reader ] && max_len=65536
  echo "== $t: ${seconds}s"
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 2>&1 | tee "logs-$t.txt" | grep -E "^(#[0-9]+\s+(DONE|INITED)|stat::|==|SUMMARY|ERROR)" || true
done
