#!/usr/bin/env bash
# Issue-8 benchmark, not a test: N_SUBS (50) submissions x the 40,504 val2014 images (perturbed copies of
# the held-out captions, bench/leaderboard_submissions.py) scored by ONE `submit.sh leaderboard` run
# (with the paired bootstrap, BOOTSTRAP samples) versus N_SCORE (= N_SUBS) separate `submit.sh score` runs.
#
#   bench/leaderboard.sh    CAPEVAL_SHARED (../shared), CAPEVAL_BENCH_DIR (/tmp/capeval-bench),
#                           N_SUBS (50), N_SCORE (N_SUBS), BOOTSTRAP (1000), DRIVER_MEMORY (6g),
#                           NO_BOOTSTRAP_RUN (0; 1 = also time the leaderboard with --bootstrap-samples 0),
#                           ENGINE (auto: the score runs use the engine a user gets; spark to time Spark)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${CAPEVAL_SHARED:-$ROOT/../shared}"
WORK="${CAPEVAL_BENCH_DIR:-/tmp/capeval-bench}"
N_SUBS="${N_SUBS:-50}"; N_SCORE="${N_SCORE:-$N_SUBS}"; BOOTSTRAP="${BOOTSTRAP:-1000}"; MEM="${DRIVER_MEMORY:-6g}"
mkdir -p "$WORK"
# shellcheck source=bench/measure.sh
. "$ROOT/bench/measure.sh"
"$ROOT/submit.sh" generate --help 2>/dev/null || true   # builds if needed, outside the timings
REFS="$WORK/val2014-refs.json"; RESULTS="$WORK/val2014-results.json"; SUBS="$WORK/leaderboard-subs-$N_SUBS"
[ -f "$REFS" ] || python3 "$ROOT/bench/val2014_to_coco.py" "$SHARED/data/coco-val2014" "$REFS" "$RESULTS"
[ -d "$SUBS" ] || python3 "$ROOT/bench/leaderboard_submissions.py" "$RESULTS" "$SUBS" "$N_SUBS"

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "# name wall_s max_rss_MB peak_heap_MB"
rm -rf "$WORK/leaderboard-out"
run_measured "leaderboard-$N_SUBS-subs-B$BOOTSTRAP" env CAPEVAL_NO_BUILD=1 "$ROOT/submit.sh" leaderboard --driver-memory "$MEM" \
  --refs "$REFS" --submissions "$SUBS" --out "$WORK/leaderboard-out" --date 2026-11-26 --bootstrap-samples "$BOOTSTRAP"
if [ "${NO_BOOTSTRAP_RUN:-0}" = 1 ]; then
rm -rf "$WORK/leaderboard-out-nobs"
run_measured "leaderboard-$N_SUBS-subs-no-bootstrap" env CAPEVAL_NO_BUILD=1 "$ROOT/submit.sh" leaderboard --driver-memory "$MEM" \
  --refs "$REFS" --submissions "$SUBS" --out "$WORK/leaderboard-out-nobs" --date 2026-11-26 --bootstrap-samples 0
fi
start=$(date +%s.%N)
for ((k = 0; k < N_SCORE; k++)); do
  s=$(printf "sys-%02d" "$k")
  rm -rf "$WORK/score-$s"
  run_measured "score-$s" env CAPEVAL_NO_BUILD=1 "$ROOT/submit.sh" score --refs "$REFS" --results "$SUBS/$s.json" \
    --out "$WORK/score-$s" --metrics bleu,rouge,cider --engine "${ENGINE:-auto}"
done
echo "score-x$N_SCORE-total $(echo "$(date +%s.%N) - $start" | bc) (sum of $N_SCORE separate runs)"
# cross-check: the leaderboard's CIDEr of sys-00 equals the score job's
python3 - "$WORK/leaderboard-out/latest.json" "$WORK/score-sys-00/eval.json" <<'PY'
import json, sys
latest = json.load(open(sys.argv[1])); ev = json.load(open(sys.argv[2]))
row = next(s for s in latest["submissions"] if s["name"] == "sys-00")
for k in ("Bleu_4", "ROUGE_L", "CIDEr"):
    print(f"check sys-00 {k}: leaderboard {row[k]!r} score {ev['eval'][k]!r} {'OK' if abs(row[k] - ev['eval'][k]) <= 1e-12 * abs(ev['eval'][k]) else 'DIFFERENT'}")
PY
