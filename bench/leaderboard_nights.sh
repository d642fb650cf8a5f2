#!/usr/bin/env bash
# Benchmark, not a test: incremental leaderboard nights. N_SUBS (200) submissions on the 40,504 val2014
# images (bench/leaderboard_submissions.py); night 1 scores them all into an empty board (and cache);
# night 2 has the same files plus 5 new ones and 1 changed one. Peers: one `submit.sh score` run (its
# default engine, local here) of each of night 2's 6 new/changed files, and N_SCORE (10) score runs of
# night-1 files standing for N_SUBS of them (their mean x N_SUBS). Night 2 runs ROUNDS (1) times, each
# on a copy of the board night 1 left, each followed by the 6 score runs (interleaved: on a shared
# machine both sides of the ratio see the same load); the ratio is printed per round.
#
#   bench/leaderboard_nights.sh   CAPEVAL_SHARED (../shared), CAPEVAL_BENCH_DIR (/tmp/capeval-bench),
#                                 N_SUBS (200), N_SCORE (10), BOOTSTRAP (1000), DRIVER_MEMORY (6g), ROUNDS (1),
#                                 REUSE_NIGHT1=1 (start the rounds from the night-1 board a previous run left, if any)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${CAPEVAL_SHARED:-$ROOT/../shared}"
WORK="${CAPEVAL_BENCH_DIR:-/tmp/capeval-bench}"
N_SUBS="${N_SUBS:-200}"; N_SCORE="${N_SCORE:-10}"; ROUNDS="${ROUNDS:-1}"; BOOTSTRAP="${BOOTSTRAP:-1000}"; MEM="${DRIVER_MEMORY:-6g}"
mkdir -p "$WORK"
# shellcheck source=bench/measure.sh
. "$ROOT/bench/measure.sh"
"$ROOT/submit.sh" generate --help >/dev/null 2>&1 || true   # builds if needed, outside the timings
REFS="$WORK/val2014-refs.json"; RESULTS="$WORK/val2014-results.json"
[ -f "$REFS" ] || python3 "$ROOT/bench/val2014_to_coco.py" "$SHARED/data/coco-val2014" "$REFS" "$RESULTS"
ALL="$WORK/nights-$N_SUBS/all"; N1="$WORK/nights-$N_SUBS/night1"; N2="$WORK/nights-$N_SUBS/night2"
if [ ! -d "$N2" ]; then
  [ -f "$ALL/$(printf "sys-%02d" $((N_SUBS + 4))).json" ] || python3 "$ROOT/bench/leaderboard_submissions.py" "$RESULTS" "$ALL" $((N_SUBS + 5))
  python3 "$ROOT/bench/leaderboard_submissions.py" "$RESULTS" "$WORK/nights-$N_SUBS/changed" 8 2   # other seed
  mkdir -p "$N1" "$N2"
  for ((k = 0; k < N_SUBS + 5; k++)); do
    s=$(printf "sys-%02d" "$k")
    [ "$k" -lt "$N_SUBS" ] && ln -f "$ALL/$s.json" "$ALL/$s.meta.json" "$N1/"
    ln -f "$ALL/$s.json" "$ALL/$s.meta.json" "$N2/"
  done
  cp "$WORK/nights-$N_SUBS/changed/sys-07.json" "$N2/sys-07.json.new" && mv "$N2/sys-07.json.new" "$N2/sys-07.json"
fi
NEW=(sys-07); for ((k = N_SUBS; k < N_SUBS + 5; k++)); do NEW+=("$(printf "sys-%02d" "$k")"); done

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# name wall_s cpu_s max_rss_MB peak_heap_MB"
BOARD="$WORK/nights-board-$N_SUBS"
reuse=0; [[ "${REUSE_NIGHT1:-}" == 1 && -d "$BOARD.night1/_board" ]] && reuse=1
[ "$reuse" = 1 ] || rm -rf "$BOARD" "$BOARD.night1"
night() { # night name dir
  run_measured "$2" env CAPEVAL_NO_BUILD=1 "$ROOT/submit.sh" leaderboard --driver-memory "$MEM" \
    --refs "$REFS" --submissions "$3" --out "$BOARD" --date "2026-12-0$1" --bootstrap-samples "$BOOTSTRAP"
  grep -E '^leaderboard: (night|phases|cache)' "$WORK/$2.log" | sed 's/^/#   /'
  echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)"
}
score() { # name results -> wall seconds
  rm -rf "$WORK/score-$1"
  run_measured "score-$1" env CAPEVAL_NO_BUILD=1 "$ROOT/submit.sh" score --refs "$REFS" --results "$2" --out "$WORK/score-$1" \
    --metrics bleu,rouge,cider
}
if [ "$reuse" = 1 ]; then
  echo "# night 1: reusing $BOARD.night1 (REUSE_NIGHT1=1)"
else
  night 1 "leaderboard-night1-$N_SUBS" "$N1"
  cp -a "$BOARD" "$BOARD.night1"
fi
for ((r = 1; r <= ROUNDS; r++)); do
  rm -rf "$BOARD"; cp -a "$BOARD.night1" "$BOARD"
  line=$(night 2 "leaderboard-night2-$N_SUBS-r$r" "$N2"); echo "$line"; n2=$(echo "$line" | head -1 | cut -d' ' -f2)
  six=0
  for s in "${NEW[@]}"; do
    line=$(score "night2-$s" "$N2/$s.json"); echo "$line"; six=$(echo "$six + $(echo "$line" | cut -d' ' -f2)" | bc)
  done
  echo "score-night2-6-files-total $six (sum of 6 separate runs); round $r: night 2 / 6 score runs = $(echo "scale=2; $n2 / $six" | bc)"
  echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
per=0
for ((i = 0; i < N_SCORE; i++)); do
  s=$(printf "sys-%02d" $((i * N_SUBS / N_SCORE)))
  line=$(score "night1-$s" "$N1/$s.json"); echo "$line"; per=$(echo "$per + $(echo "$line" | cut -d' ' -f2)" | bc)
done
echo "score-x$N_SUBS-estimate $(echo "$per * $N_SUBS / $N_SCORE" | bc) ($N_SCORE runs measured, x $N_SUBS / $N_SCORE)"
echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)"
# cross-check: night 2's numbers for the changed file equal its score run's
python3 - "$BOARD/latest.json" "$WORK/score-night2-sys-07/eval.json" <<'PY'
import json, sys
latest = json.load(open(sys.argv[1])); ev = json.load(open(sys.argv[2]))
row = next(s for s in latest["submissions"] if s["name"] == "sys-07")
for k in ("Bleu_4", "ROUGE_L", "CIDEr"):
    print(f"check sys-07 {k}: leaderboard {row[k]!r} score {ev['eval'][k]!r} {'OK' if row[k] == ev['eval'][k] else 'DIFFERENT'}")
PY
