#!/usr/bin/env bash
# Renders every main view of the memlens GUI on the KJV demo corpus under xvfb-run, for the README
# and for looking at what the views show. Each shot starts memlens-screenshots (the real window,
# driven through its widgets) afresh with its own settings (a throw-away XDG_CONFIG_HOME), so the
# user's settings are neither read nor changed.
# Usage: resources/screenshots/make_screenshots.sh [BUILD_DIR] [OUT_DIR]
#        (defaults: build, and docs/screenshots next to this repository's README)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
out=${2:-$root/docs/screenshots}
app=$build/app/memlens-screenshots
[ -x "$app" ] || { echo "make_screenshots.sh: $app not built" >&2; exit 1; }
mkdir -p "$out"
config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT

# shot NAME ALGORITHM K DISTANCE_WEIGHTING [memlens-screenshots options...]
shot() {
  local name=$1 algorithm=$2 k=$3 dw=$4
  shift 4
  rm -rf "$config/MemLens"
  mkdir -p "$config/MemLens"
  printf '[train]\nalgorithm=%s\nk=%s\ndistanceWeighting=%s\n' "$algorithm" "$k" "$dw" \
    > "$config/MemLens/memlens.conf"
  XDG_CONFIG_HOME=$config timeout 900 xvfb-run -a -s "-screen 0 1400x900x24" \
    "$app" "$@" --screenshot "$out/$name.png" 2> >(grep -v XDG_RUNTIME_DIR >&2)
  echo "$out/$name.png"
}

context="and the LORD spake unto"
corpus=$build/demo/kjv.txt
# What a new user sees first: the demo project, which memlens opens without arguments.
shot start igtree 1 Z "$build/demo/kjv.memlens"
shot corpus igtree 1 Z "$corpus" --tab Corpus
shot text igtree 1 Z "$corpus" --train --tab Text
shot train igtree 1 Z "$corpus" --train
shot inspect-ib1 ib1 3 ID "$corpus" --inspect "$context"
shot inspect-igtree igtree 1 Z "$corpus" --inspect "$context"
# The vector memory inspected a second into its evaluation, which goes on in the background.
shot inspect-vector vector 1 Z "$corpus" --inspect "$context" --live 1
shot memory ib1 1 Z "$corpus" --memory-delete "the LORD spake unto"
shot compare igtree 1 Z "$corpus" --compare ib1
shot generate igtree 1 Z "$corpus" --generate "In the beginning God"

# A project made with the CLI (one deletion in effect, a pruning undone), reopened in the window.
project=$config/kjv.memlens
cli=$build/app/memlens-cli
"$cli" project create "$project" --model igtree --width 4 "$corpus" > /dev/null
"$cli" project edit "$project" --delete-vector "the LORD spake unto" > /dev/null
"$cli" project prune "$project" --strategy count --min-count 2 > /dev/null
"$cli" project undo "$project" > /dev/null
shot project igtree 1 Z "$project" --memory --tab Memory
