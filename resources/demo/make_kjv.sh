#!/usr/bin/env bash
# Writes the King James Bible as plain text, one verse per line, verse references stripped.
# Source: Debian's bible-kjv-text, read through the `bible` program of bible-kjv.
set -euo pipefail
out=${1:?usage: make_kjv.sh OUTPUT.txt}
if ! command -v bible >/dev/null 2>&1; then
  echo "make_kjv.sh: the 'bible' program is missing; run packaging/install-deps.sh" \
       "(Debian packages bible-kjv and bible-kjv-text)" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
# "Ge1:1 In the beginning ..." -> "In the beginning ..."
bible -f Gen1:1-Rev22:21 | sed -E 's/^[1-3]?[A-Za-z]+[0-9]+:[0-9]+ //' > "$tmp"
lines=$(wc -l < "$tmp")
if [ "$lines" -lt 31000 ]; then
  echo "make_kjv.sh: expected ~31102 verses from 'bible', got $lines" >&2
  exit 1
fi
mv "$tmp" "$out"
trap - EXIT
