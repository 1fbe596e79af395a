#!/usr/bin/env bash
# Times each command against the process start-up floor (/bin/true), side by side, with the
# release build: scripts/bench.sh [RUNS] (default 30). docs/performance.md records the figures.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-30}"

cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" >/dev/null
bin=build/release/src/modelpick

# Median wall time of RUNS runs of a command, in milliseconds.
median_ms() {
  local times=()
  for ((i = 0; i < runs; i++)); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(((end - start) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$runs" 'NR == int((n + 1) / 2) { printf "%.2f", $1 / 1000 }'
}

floor=$(median_ms /bin/true)
size=$(median_ms "$bin" size deepseek-v3 --precision fp8 --gpu h200)
printf '%-44s %9s %9s\n' "command (median of $runs runs)" "ms" "x floor"
row() {
  local label="$1"
  shift
  local t
  t=$(median_ms "$@")
  printf '%-44s %9s %9s\n' "$label" "$t" "$(awk -v a="$t" -v b="$floor" 'BEGIN { printf "%.1f", a / b }')"
}
printf '%-44s %9s %9s\n' "/bin/true (process floor)" "$floor" "1.0"
printf '%-44s %9s %9s\n' "size deepseek-v3 --precision fp8 --gpu h200" "$size" \
  "$(awk -v a="$size" -v b="$floor" 'BEGIN { printf "%.1f", a / b }')"
row "compare of 4 models" "$bin" compare llama-3.1-70b qwen2.5-72b deepseek-v3 mixtral-8x22b --precision fp8
row "pick over the whole catalog" "$bin" pick --gpu h100 --gpus 8 --tokens-per-day 20M
row "license-check of the whole catalog" "$bin" license-check --mau 800M
row "cost llama-3.3-70b --tokens-per-day 10M" "$bin" cost llama-3.3-70b --precision fp8 --tokens-per-day 10M
row "list" "$bin" list
build/release/bench/bench_catalog "$runs"
pick=$(median_ms "$bin" pick --gpu h100 --gpus 8 --tokens-per-day 20M)
echo "pick / size: $(awk -v a="$pick" -v b="$size" 'BEGIN { printf "%.1f", a / b }')"
