#!/usr/bin/env bash
# One very long line (default 1024 MB, no newline), the bad-input case too big for ctest
# (tst_bad_input covers 50 MB): `corpus stats` checks and tokenises it, then the same line with
# an invalid byte at its end must be refused naming line 1 and the byte. Prints seconds and peak
# RSS of each. Needs SIZE_MB of disk in $TMPDIR; built in Release.
# Usage: tests/bench/run_long_line_bench.sh [BUILD_DIR] [SIZE_MB]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
size_mb=${2:-1024}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_GUI=OFF \
      -DMEMLENS_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target memlens-cli >/dev/null
cli=$build/app/memlens-cli

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Process substitution: `yes` dying of SIGPIPE must not fail the script under pipefail.
head -c "$((size_mb << 20))" < <(yes 'the quick brown fox jumps over the lazy dog' | tr '\n' ' ') \
  > "$work/long.txt"

/usr/bin/time -f "%e %M" -o "$work/good.time" "$cli" corpus stats "$work/long.txt" > "$work/good.log"
read -r secs rss < <(tail -n 1 "$work/good.time")
echo "valid ${size_mb} MB line: ${secs} s, peak RSS $((rss / 1024)) MB"
cat "$work/good.log"

printf '\xff' >> "$work/long.txt"
if /usr/bin/time -f "%e %M" -o "$work/bad.time" "$cli" corpus stats "$work/long.txt" \
     > "$work/bad.log" 2>&1; then
  echo "FAIL: the invalid byte at the end was not reported" >&2
  exit 1
fi
# time(1) puts "Command exited with non-zero status" first.
read -r secs rss < <(tail -n 1 "$work/bad.time")
echo "invalid byte at the end: refused in ${secs} s, peak RSS $((rss / 1024)) MB:"
cat "$work/bad.log"
grep -q "line 1, byte $((size_mb << 20))" "$work/bad.log"
