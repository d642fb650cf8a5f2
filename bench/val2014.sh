#!/usr/bin/env bash
# End-to-end benchmark, not a test: the full 40,504-image val2014 set (references from the
# codalab reference file, candidates the held-out 5th captions; see ../shared/data/coco-val2014) scored
# by capeval (tokenization + BLEU, ROUGE-L, CIDEr-D, local mode), and by pycocoevalcap on the same
# inputs when PYCOCOEVALCAP is set to the directory containing the pycocoevalcap package (not part of
# capeval; it needs python3 + numpy and tokenizer/stanford-corenlp-3.4.1.jar in place).
#
# Both engines of `score` are timed: the default (auto, which picks the local engine for this input)
# and --engine spark.
#
#   bench/val2014.sh          CAPEVAL_SHARED (../shared), CAPEVAL_BENCH_DIR (/tmp/capeval-bench), RUNS (3),
#                             PEER_RUNS (1)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${CAPEVAL_SHARED:-$ROOT/../shared}"
WORK="${CAPEVAL_BENCH_DIR:-/tmp/capeval-bench}"
RUNS="${RUNS:-3}"
mkdir -p "$WORK"
rm -f "$WORK/val2014.rows"
# shellcheck source=bench/measure.sh
. "$ROOT/bench/measure.sh"
"$ROOT/submit.sh" generate --help 2>/dev/null   # builds if needed, outside the timings
# one small local-engine run first, so its CDS archive (written by the first run after a build) exists
rm -rf "$WORK/warm-up"
"$ROOT/submit.sh" score --refs "$ROOT/examples/refs.json" --results "$ROOT/examples/results.json" \
  --out "$WORK/warm-up" >/dev/null 2>&1
REFS="$WORK/val2014-refs.json"; RESULTS="$WORK/val2014-results.json"
[ -f "$REFS" ] || python3 "$ROOT/bench/val2014_to_coco.py" "$SHARED/data/coco-val2014" "$REFS" "$RESULTS"

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "# name wall_s cpu_s max_rss_MB peak_heap_MB"
# capeval's default (auto: the local engine for this 21 MB input), then the Spark engine, then the peer.
for engine in auto spark; do
  for ((r = 1; r <= RUNS; r++)); do
    rm -rf "$WORK/out-val2014"
    run_measured "capeval-$engine-val2014-$r" env CAPEVAL_NO_BUILD=1 "$ROOT/submit.sh" score --refs "$REFS" \
      --results "$RESULTS" --out "$WORK/out-val2014" --metrics bleu,rouge,cider --engine "$engine" | tee -a "$WORK/val2014.rows"
  done
  cp "$WORK/out-val2014/eval.json" "$WORK/eval-$engine.json"
done
cmp -s "$WORK/eval-auto.json" "$WORK/eval-spark.json" && echo "# eval.json: identical from both engines" \
  || { echo "# eval.json DIFFERS between engines" >&2; exit 1; }
cat "$WORK/eval-auto.json"; echo
echo "# load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${PYCOCOEVALCAP:-}" ]; then
  for ((r = 1; r <= ${PEER_RUNS:-1}; r++)); do
    run_measured "pycocoevalcap-val2014-$r" python3 "$ROOT/bench/pycocoevalcap_score.py" "$PYCOCOEVALCAP" "$REFS" "$RESULTS" \
      | tee -a "$WORK/val2014.rows"
    tail -1 "$WORK/pycocoevalcap-val2014-$r.out"
  done
fi
# medians of the wall times and the ratios: the peer (when run) and the issue's 94 s reference figure
python3 - "$WORK/val2014.rows" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall = line.split()[:2]
    rows.setdefault(name.rsplit("-", 1)[0], []).append(float(wall))
med = {k: statistics.median(v) for k, v in rows.items()}
peer = med.get("pycocoevalcap-val2014")
for k, v in med.items():
    ratios = f"{94.0 / v:.1f}x vs the 94 s reference" + (f", {peer / v:.1f}x vs pycocoevalcap here" if peer else "")
    print(f"# median {k}: {v:.2f} s wall over {len(rows[k])} runs ({ratios})")
PY
