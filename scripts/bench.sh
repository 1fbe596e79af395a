#!/usr/bin/env bash
# Times each command against the process start-up floor (/bin/true), side by side, with the
# release build: scripts/bench.sh [RUNS] (default 30). bench_commands spawns every run itself
# (no shell in the timed path) and checks the targets; bench_catalog times the catalog alone.
# docs/performance.md records the figures.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-30}"

cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" >/dev/null
build/release/bench/bench_commands build/release/src/modelpick "$runs"
echo
build/release/bench/bench_catalog "$runs"
