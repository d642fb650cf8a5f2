#!/usr/bin/env bash
# Benchmark: time to a target loss. The train job's full-batch SGD and L-BFGS against Spark MLlib
# 4.2.0's LogisticRegression (first and second fit) on the same cached synthetic rows, in one local
# Spark application; the target is MLlib's final mean log loss + 1e-6. Not a test; figures go in
# BENCHMARKS.md.
#
# Needs: Java 17 and Maven 3.9 on the PATH; on the first run, network access to Maven Central (Spark,
# MLlib and the Maven plugins are downloaded into ~/.m2; later runs can pass MVN_FLAGS=-o to stay
# offline); nothing installed into ~/.m2 by this script (one reactor build of jobs and the modules it
# needs). RAM: HEAP plus ~2 GB (default HEAP 10g for 1M x 100 rows); 2+ cores. Both sides use the
# machine's native BLAS through dev.ludovic.netlib when there is one (Debian: apt-get install -y
# libopenblas0-pthread), else its Java BLAS; the first lines say which.
#
# Usage: bench/train-vs-mllib.sh --minibatch [rows features partitions batch steps]
#        (defaults 1000000 100 4 1000 200): steps/s of small mini-batch SGD steps, the train job's against
#        MLlib's GradientDescent.runMiniBatchSGD (MiniBatchVsMllib).
#        bench/train-vs-mllib.sh [rows features partitions sgdIterations optimizer lr momentum mllibIterations lbfgsIterations classes]
#        (defaults 1000000 100 4 20 sgd 4 0.5 20 15 2; classes > 2: softmax vs MLlib multinomial; 0 SGD iterations: no SGD run)
# Env:   MASTER (default local[2]), HEAP (default 10g), MVN_FLAGS (e.g. -o), CAPEVAL_NO_BUILD=1 to reuse
#        the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
main=TrainVsMllib
[[ "${1:-}" == --minibatch ]] && { main=MiniBatchVsMllib; shift; }
command -v java >/dev/null || { echo "train-vs-mllib.sh: needs java (17) on the PATH" >&2; exit 2; }
cp_file=jobs/target/bench-classpath.txt
if [[ "${CAPEVAL_NO_BUILD:-}" != 1 || ! -f $cp_file ]]; then
  command -v mvn >/dev/null || { echo "train-vs-mllib.sh: needs mvn (Maven 3.9) on the PATH" >&2; exit 2; }
  # compiles jobs (main and test classes, where the harness lives) and what it depends on, and writes
  # jobs' test classpath; the sibling modules appear in it as their target/classes directories
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_FLAGS:-} -pl jobs -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file"
fi
# One BLAS thread per Spark task (the tasks already use every core); OpenBLAS's pthread build would
# otherwise start a thread per core inside each task.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
ROOT="$PWD"
# Spark's module flags (MODULE_FLAGS)
# shellcheck source=conf/jars.sh
. conf/jars.sh
echo "[bench] $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
# shellcheck disable=SC2086
exec java -Xmx"${HEAP:-10g}" $MODULE_FLAGS -Dspark.master="${MASTER:-local[2]}" \
  -Dlog4j2.configurationFile="$PWD/conf/log4j2.properties" \
  -cp "jobs/target/test-classes:jobs/target/classes:$(cat "$cp_file")" \
  org.capeval.jobs.train.bench.$main "$@"
