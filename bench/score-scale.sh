#!/usr/bin/env bash
# Scale benchmark, not a test: generates N images x 5 references + 1 candidate with the
# project's seeded generator, scores them (tokenization + BLEU, ROUGE-L, CIDEr-D) in local mode with
# the driver heap capped (default 2g), and prints wall time, max RSS and peak heap per size plus the
# ratio of the last size's time to the first's. Record the output in BENCHMARKS.md.
#
#   bench/score-scale.sh [N ...]            (default: 100000 1000000)
#   CAPEVAL_BENCH_DIR (/tmp/capeval-bench), DRIVER_MEMORY (2g), MASTER (local[*]), ENGINE (spark: the
#   scale path; auto or local to time the local engine where the input fits);
#   PYCOCOEVALCAP=<dir containing the pycocoevalcap package> also times pycocoevalcap (sizes <= 200k:
#   it needs about 3 GB per 100k images)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${CAPEVAL_BENCH_DIR:-/tmp/capeval-bench}"
DRIVER_MEMORY="${DRIVER_MEMORY:-2g}"
MASTER="${MASTER:-local[*]}"
ENGINE="${ENGINE:-spark}"
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
mkdir -p "$WORK"
# shellcheck source=bench/measure.sh
. "$ROOT/bench/measure.sh"
"$ROOT/submit.sh" generate --help 2>/dev/null   # builds if needed, outside the timings

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "# name wall_s cpu_s max_rss_MB peak_heap_MB (driver -Xmx$DRIVER_MEMORY, master $MASTER, engine $ENGINE)"
declare -A WALL
for n in "${SIZES[@]}"; do
  if [ ! -f "$WORK/refs-$n.json" ] || [ ! -f "$WORK/results-$n.json" ]; then
    # --overwrite: the one of the pair that is there is regenerated with the other
    CAPEVAL_NO_BUILD=1 "$ROOT/submit.sh" generate --images "$n" --refs "$WORK/refs-$n.json" \
      --results "$WORK/results-$n.json" --overwrite 2>&1 | grep '^generate:\|^capeval generate:' >&2
  fi
  rm -rf "$WORK/out-$n"
  line="$(run_measured "score-$n" env CAPEVAL_NO_BUILD=1 "$ROOT/submit.sh" score --master "$MASTER" \
    --driver-memory "$DRIVER_MEMORY" --refs "$WORK/refs-$n.json" --results "$WORK/results-$n.json" \
    --out "$WORK/out-$n" --metrics bleu,rouge,cider --engine "$ENGINE")"
  echo "$line"
  WALL[$n]="$(echo "$line" | cut -d' ' -f2)"
  grep -a 'INFO ScoreJob: done' "$WORK/score-$n.log" || true
  if [ -n "${PYCOCOEVALCAP:-}" ] && [ "$n" -le 200000 ]; then
    run_measured "pycocoevalcap-$n" python3 "$ROOT/bench/pycocoevalcap_score.py" "$PYCOCOEVALCAP" \
      "$WORK/refs-$n.json" "$WORK/results-$n.json"
    tail -1 "$WORK/pycocoevalcap-$n.out"
  fi
done
first="${SIZES[0]}"; last="${SIZES[${#SIZES[@]}-1]}"
if [ "$first" != "$last" ]; then
  awk -v a="${WALL[$last]}" -v b="${WALL[$first]}" -v l="$last" -v f="$first" \
    'BEGIN { printf "ratio time(%d)/time(%d) = %.2f\n", l, f, a / b }'
fi
echo "# load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
