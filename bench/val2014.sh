#!/usr/bin/env bash
# End-to-end benchmark of issue 2, not a test: the full 40,504-image val2014 set (references from the
# codalab reference file, candidates the held-out 5th captions; see ../shared/data/coco-val2014) scored
# by capeval (tokenization + BLEU, ROUGE-L, CIDEr-D, local mode), and by pycocoevalcap on the same
# inputs when PYCOCOEVALCAP is set to the directory containing the pycocoevalcap package (not part of
# capeval; it needs python3 + numpy and tokenizer/stanford-corenlp-3.4.1.jar in place).
#
#   bench/val2014.sh          CAPEVAL_SHARED (../shared), CAPEVAL_BENCH_DIR (/tmp/capeval-bench), RUNS (3)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${CAPEVAL_SHARED:-$ROOT/../shared}"
WORK="${CAPEVAL_BENCH_DIR:-/tmp/capeval-bench}"
RUNS="${RUNS:-3}"
mkdir -p "$WORK"
# shellcheck source=bench/measure.sh
. "$ROOT/bench/measure.sh"
"$ROOT/submit.sh" generate --help 2>/dev/null   # builds if needed, outside the timings
REFS="$WORK/val2014-refs.json"; RESULTS="$WORK/val2014-results.json"
[ -f "$REFS" ] || python3 "$ROOT/bench/val2014_to_coco.py" "$SHARED/data/coco-val2014" "$REFS" "$RESULTS"

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "# name wall_s cpu_s max_rss_MB peak_heap_MB"
for ((r = 1; r <= RUNS; r++)); do
  rm -rf "$WORK/out-val2014"
  run_measured "capeval-val2014-$r" env CAPEVAL_NO_BUILD=1 "$ROOT/submit.sh" score --refs "$REFS" \
    --results "$RESULTS" --out "$WORK/out-val2014" --metrics bleu,rouge,cider
done
cat "$WORK/out-val2014/eval.json"; echo
echo "# load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${PYCOCOEVALCAP:-}" ]; then
  run_measured "pycocoevalcap-val2014" python3 "$ROOT/bench/pycocoevalcap_score.py" "$PYCOCOEVALCAP" "$REFS" "$RESULTS"
  tail -1 "$WORK/pycocoevalcap-val2014.out"
fi
