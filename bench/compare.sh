#!/usr/bin/env bash
# Every side-by-side benchmark in one run, each against its peer in the same minutes, and a summary
# of the ratios at the end. Not a test; the figures go in BENCHMARKS.md with the load average this
# prints. On 2 cores the whole run takes about an hour (the 1M-image and 1M-row parts dominate);
# `bench/compare.sh quick` leaves out the 1M-image score runs and the training comparison.
#
#   part                      capeval                               peer (not a project dependency)
#   val2014 end to end        score, local and Spark engines        pycocoevalcap v1.2 (PYCOCOEVALCAP)
#   Spark engine vs local     score --engine spark (local[2], 2g)   score --engine local (LOCAL_MEMORY)
#                             at 200k and 1M generated images
#   autograd                  AutogradBenchmark                     PyTorch (Debian python3-torch)
#   train, time to a loss     train (SGD, L-BFGS)                   Spark MLlib LogisticRegression
#   train, small steps        train --batch-size (steps/s)          MLlib GradientDescent.runMiniBatchSGD
#
# Installing the peers (none is needed to build or test capeval):
#   - pycocoevalcap v1.2: its Python files (github.com/salaniz/pycocoevalcap, tag v1.2) in a directory
#     named pycocoevalcap, with stanford-corenlp-3.4.1.jar (Maven Central,
#     edu.stanford.nlp:stanford-corenlp:3.4.1) in its tokenizer/; python3 with numpy; then
#     PYCOCOEVALCAP=<the directory containing pycocoevalcap/>. Without it that comparison is skipped.
#   - PyTorch with OpenBLAS: apt-get install -y python3-torch libopenblas0-pthread (without OpenBLAS
#     both sides run slower BLAS and the ratios mean little).
#   - MLlib: from Maven Central through the project's test scope (bench/train-vs-mllib.sh builds it).
#
# Env: PARTS (default "val2014 scale autograd train": the parts to run), RUNS (3: runs per side, medians reported), LOCAL_MEMORY (8g: the local engine holds the input
# in memory, ~6 bytes per input byte), CLUSTER_SIZES (200000: image counts for the cluster part, full mode), CDS (1: the Spark
# driver maps the archive of `submit.sh --prepare-cds`, made after the build; 0: without), CAPEVAL_BENCH_DIR (/tmp/capeval-bench), MVN_FLAGS (e.g. -o).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${CAPEVAL_BENCH_DIR:-/tmp/capeval-bench}"
RUNS="${RUNS:-3}"
MODE="${1:-full}"
export CAPEVAL_BENCH_DIR="$WORK"
mkdir -p "$WORK"
SUMMARY="$WORK/compare-summary.txt"
: >"$SUMMARY"
say() { echo "$*" | tee -a "$SUMMARY"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
want() { [[ " ${PARTS:-val2014 scale autograd train} " == *" $1 "* ]]; }
median() { sort -g | awk '{a[NR] = $1} END {print (NR ? a[int((NR + 1) / 2)] : "nan")}'; }

say "# bench/compare.sh $MODE, $(date -u '+%F %H:%M UTC'), $(nproc) cores, $(java -version 2>&1 | head -1), load $(load)"
(cd "$ROOT" && mvn -B -q ${MVN_FLAGS:-} -DskipTests package)
# the Spark driver's class archive, as a user makes it after a build (CDS=0: measure without it)
# (only the parts that run the score job touch it)
if want val2014 || want scale; then
  if [ "${CDS:-1}" = 1 ]; then
    CAPEVAL_NO_BUILD=1 "$ROOT/submit.sh" --prepare-cds >/dev/null
    say "# Spark driver: with its CDS archive (submit.sh --prepare-cds)"
  else
    rm -f "$ROOT/jobs/target/capeval-spark.jsa"
    say "# Spark driver: without a CDS archive"
  fi
fi

# 1. val2014 end to end (the local engine prints its time split on stderr: kept in the .log files)
if want val2014; then
echo "## val2014 end to end"
RUNS="$RUNS" PEER_RUNS="${PEER_RUNS:-$RUNS}" "$ROOT/bench/val2014.sh" | tee "$WORK/compare-val2014.txt" | grep '^# median' | tee -a "$SUMMARY"
say "# val2014 time split of the last local run: $(grep -h 'local engine:' "$WORK/capeval-auto-val2014-$RUNS.log" | tail -1)"
say "# load after val2014: $(load)"
fi

# 2. Spark engine (local[2], 2 GB driver) against the local engine, alternately, same inputs; first
# the fixed cost of each engine: the 200 bundled example images
if want scale; then
echo "## Spark engine vs local engine"
rm -f "$WORK/fixed.rows"
. "$ROOT/bench/measure.sh"
for ((r = 1; r <= RUNS; r++)); do
  for engine in local spark; do
    rm -rf "$WORK/out-fixed"
    run_measured "fixed-$engine-$r" env CAPEVAL_NO_BUILD=1 "$ROOT/submit.sh" score --master 'local[2]' --engine "$engine" \
      --refs "$ROOT/examples/refs.json" --results "$ROOT/examples/results.json" --out "$WORK/out-fixed" \
      | awk -v e="$engine" '{print e, $2, $3}' | tee -a "$WORK/fixed.rows"
  done
done
for engine in local spark; do
  say "# fixed cost, $engine engine (200 example images): $(awk -v e="$engine" '$1 == e {print $2}' "$WORK/fixed.rows" | median) s wall, $(awk -v e="$engine" '$1 == e {print $3}' "$WORK/fixed.rows" | median) s CPU (medians)"
done
sizes=(200000 1000000); [ "$MODE" = quick ] && sizes=(200000)
for n in "${sizes[@]}"; do
  rm -f "$WORK/scale-$n.rows"
  for ((r = 1; r <= RUNS; r++)); do
    for engine in local spark; do
      mem=2g; [ "$engine" = local ] && mem="${LOCAL_MEMORY:-8g}"
      env -u PYCOCOEVALCAP ENGINE="$engine" MASTER='local[2]' DRIVER_MEMORY="$mem" "$ROOT/bench/score-scale.sh" "$n" \
        | awk -v e="$engine" '$1 ~ /^score-/ {print e, $2, $3}' | tee -a "$WORK/scale-$n.rows"
    done
  done
  l=$(awk '$1 == "local" {print $2}' "$WORK/scale-$n.rows" | median)
  s=$(awk '$1 == "spark" {print $2}' "$WORK/scale-$n.rows" | median)
  say "$(awk -v n="$n" -v l="$l" -v s="$s" -v r="$RUNS" 'BEGIN {printf "# %d images: local engine %.1f s, Spark engine %.1f s (medians of %d): Spark / local = %.2f (target <= 1.3)", n, l, s, r, s / l}')"
done
# the same images on a 2-worker standalone cluster (1 core each; conf/cluster.sh): images/s per core,
# against local[2]'s run of the same size above (CLUSTER_SIZES: 200000 by default; 1000000 puts the
# executors' start-up and first compilations on 5x the work)
if [ "$MODE" != quick ]; then
  export CAPEVAL_MASTER_PORT="${CAPEVAL_MASTER_PORT:-7177}"
  "$ROOT/conf/cluster.sh" start >/dev/null
  trap '"$ROOT/conf/cluster.sh" stop >/dev/null 2>&1 || true' EXIT
  for n in ${CLUSTER_SIZES:-200000}; do
    rm -f "$WORK/cluster-$n.rows"
    for ((r = 1; r <= RUNS; r++)); do
      rm -rf "$WORK/out-cluster"
      run_measured "cluster-$n-$r" env CAPEVAL_NO_BUILD=1 "$ROOT/submit.sh" score --master "spark://127.0.0.1:$CAPEVAL_MASTER_PORT" \
        --refs "$WORK/refs-$n.json" --results "$WORK/results-$n.json" --out "$WORK/out-cluster" \
        --metrics bleu,rouge,cider | awk '{print $2}' | tee -a "$WORK/cluster-$n.rows"
    done
    c=$(median <"$WORK/cluster-$n.rows")
    s=$(awk '$1 == "spark" {print $2}' "$WORK/scale-$n.rows" | median)
    say "$(awk -v n="$n" -v c="$c" -v s="$s" 'BEGIN {printf "# %d images on 2 workers x 1 core: %.1f s = %.0f images/s per core; local[2]: %.1f s = %.0f images/s per core (%.0f%%)", n, c, n / c / 2, s, n / s / 2, 100 * s / c}')"
  done
  "$ROOT/conf/cluster.sh" stop >/dev/null
fi
say "# load after the scale runs: $(load)"
fi

# 3. autograd against PyTorch, one thread each
if want autograd; then
echo "## autograd vs PyTorch"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  "$ROOT/bench/autograd-vs-torch.sh" "$RUNS" | tee "$WORK/compare-autograd.txt" \
    | awk '/^workload/ {on = 1} on' | tee -a "$SUMMARY"
else
  say "# autograd: skipped (no PyTorch: apt-get install -y python3-torch libopenblas0-pthread)"
fi
fi

# 4. training: time to MLlib's loss, logistic regression and 10-class softmax; small mini-batch steps
if [ "$MODE" != quick ] && want train; then
  echo "## train vs MLlib"
  pick='time to a mean|capeval SGD: |capeval L-BFGS: |MLlib 1st fit: |MLlib 2nd fit: '
  say "# logistic regression, 1M x 100 (MLlib binomial)"
  "$ROOT/bench/train-vs-mllib.sh" | tee "$WORK/compare-train.txt" | grep -E "$pick" | tee -a "$SUMMARY"
  say "# softmax, 1M x 100, 10 classes (MLlib multinomial; no SGD run)"
  CAPEVAL_NO_BUILD=1 "$ROOT/bench/train-vs-mllib.sh" 1000000 100 4 0 sgd 4 0.5 30 20 10 | tee "$WORK/compare-softmax.txt" \
    | grep -E "$pick" | tee -a "$SUMMARY"
  say "# small mini-batch steps, 1M x 100, batch 1000 (MLlib runMiniBatchSGD)"
  CAPEVAL_NO_BUILD=1 "$ROOT/bench/train-vs-mllib.sh" --minibatch | tee "$WORK/compare-minibatch.txt" \
    | grep -E 'capeval: |MLlib runMiniBatchSGD: |ratio: ' | tee -a "$SUMMARY"
fi
say "# done $(date -u '+%H:%M UTC'), load $(load); summary in $SUMMARY"
