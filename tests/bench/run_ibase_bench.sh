#!/usr/bin/env bash
# Reading TiMBL instance bases: an IB1, an IGTree and a TRIBL2 base of the whole KJV (width 4,
# word tokens, written by `timbl -I`), read and tested on a small test file (200 instances from
# the middle of the corpus) by `timbl -i` and by `memlens-cli timbl -i`. Prints wall seconds
# and peak RSS of each run, our time and RSS as fractions of TiMBL's (goal: ≤ 0.1 and ≤ 0.5),
# the CPU seconds (user + system) of the same runs (steadier than wall time on a shared
# machine), the load average, and how many predictions agree.
# Usage: tests/bench/run_ibase_bench.sh [BUILD_DIR]   (default: build-bench; built in Release)
#        REPEAT=N (best of N runs, default 3)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
repeat=${REPEAT:-3}
timbl=$(command -v timbl || true)
[ -n "$timbl" ] || { echo "run_ibase_bench.sh: timbl not found" >&2; exit 1; }

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_GUI=OFF \
      -DMEMLENS_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target memlens-cli demo_corpus >/dev/null
cli=$build/app/memlens-cli

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cli" instances --width 4 "$build/demo/kjv.txt" -o "$work/kjv4.txt" >/dev/null 2>&1
total=$(wc -l < "$work/kjv4.txt")
sed -n "$((total / 2 + 1)),$((total / 2 + 200))p" "$work/kjv4.txt" > "$work/small.test"

# best NAME CMD... : the best wall seconds, and the peak RSS (KB) and CPU seconds of that run,
# over $repeat runs.
best() {
  local name=$1; shift
  local bestS="" bestKb="" bestCpu=""
  for _ in $(seq "$repeat"); do
    /usr/bin/time -f "%e %M %U %S" -o "$work/$name.time" "$@" > "$work/$name.log" 2>&1 ||
      { echo "run_ibase_bench.sh: $name failed:" >&2; tail -5 "$work/$name.log" >&2; exit 1; }
    read -r s kb u sys < "$work/$name.time"
    if [ -z "$bestS" ] || awk -v a="$s" -v b="$bestS" 'BEGIN { exit !(a < b) }'; then
      bestS=$s; bestKb=$kb; bestCpu=$(awk -v u="$u" -v s="$sys" 'BEGIN { print u + s }')
    fi
  done
  echo "$bestS $bestKb $bestCpu"
}

echo "KJV width 4: $total instances; test: $(wc -l < "$work/small.test") instances; best of $repeat"
printf '%-7s %6s %8s %8s %7s %9s %8s %6s %9s %8s %6s %5s\n' base MB timbl_s ours_s time_x \
  timbl_MB ours_MB rss_x timbl_cpu ours_cpu cpu_x load
for a in 0 1 4; do
  name=$(case $a in 0) echo IB1 ;; 1) echo IGTree ;; *) echo TRIBL2 ;; esac)
  base=$work/kjv_a$a.ibase
  # With nothing to test timbl exits with 1 after writing the base.
  "$timbl" -a"$a" -f "$work/kjv4.txt" -I "$base" >/dev/null 2>&1 || [ -s "$base" ]
  read -r ts tkb tcpu < <(best "timbl_a$a" "$timbl" -a"$a" -i "$base" -t "$work/small.test" \
                                                  -o "$work/timbl_a$a.out")
  read -r os okb ocpu < <(best "ours_a$a" "$cli" timbl -a"$a" -i "$base" -t "$work/small.test" \
                                                 -o "$work/ours_a$a.out")
  agree=$(paste -d'|' <(cut -d' ' -f6 "$work/timbl_a$a.out") <(cut -d' ' -f6 "$work/ours_a$a.out") |
          awk -F'|' '$1 == $2 { n++ } END { print n + 0 }')
  awk -v n="$name" -v mb="$(stat -c %s "$base")" -v ts="$ts" -v os="$os" -v tkb="$tkb" \
      -v okb="$okb" -v tcpu="$tcpu" -v ocpu="$ocpu" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
      -v agree="$agree" -v lines="$(wc -l < "$work/small.test")" 'BEGIN {
    printf "%-7s %6.1f %8.2f %8.2f %7.3f %9.1f %8.1f %6.3f %9.2f %8.2f %6.3f %5.1f", n,
      mb / 1e6, ts, os, os / ts, tkb / 1024, okb / 1024, okb / tkb, tcpu, ocpu, ocpu / tcpu, load
    printf "  (%d/%d agree)\n", agree, lines }'
done
