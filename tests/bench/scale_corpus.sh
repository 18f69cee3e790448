# Sourced by the scale benches: the ~100M-instance corpus of run_scale_bench.sh.
# scale_corpus KJV COPIES OUT: the KJV repeated COPIES times, each copy with its verses in another
# shuffled order (read in OLIFANT blocks, so the copies give new contexts across verse boundaries
# as well as repeats), written to OUT.
scale_corpus() {
  local corpus=$1 copies=$2 out=$3
  for i in $(seq 1 "$copies"); do
    shuf --random-source=<(yes "$i") "$corpus"
  done > "$out"
}
