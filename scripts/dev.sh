#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine:
#   scripts/dev.sh run ARGS...   install what is missing, build (release), run modelpick ARGS
#   scripts/dev.sh test [PRESET] install what is missing, build, run the whole suite with ctest
#                                (PRESET: ci (default, warnings are errors), asan, dev)
#   scripts/dev.sh setup         only install the Debian packages
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

packages=(cmake make g++ libcli11-dev nlohmann-json3-dev libfmt-dev libspdlog-dev catch2)

setup() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  echo "dev.sh: installing ${missing[*]}" >&2
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

build() {
  local preset=$1
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$(nproc)" >&2
}

cmd=${1:-}
shift || true
case "$cmd" in
setup) setup ;;
run)
  setup
  build release
  exec "build/release/src/modelpick" "$@"
  ;;
test)
  preset=${1:-ci}
  setup
  build "$preset"
  ctest --preset "$preset" -j "$(nproc)"
  ;;
*)
  echo "usage: scripts/dev.sh run ARGS... | test [ci|asan|dev] | setup" >&2
  exit 2
  ;;
esac
