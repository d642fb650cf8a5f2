#!/usr/bin/env bash
# Benchmark: the train job's full-batch logistic regression vs Spark MLlib 4.2.0 LogisticRegression
# on the same cached synthetic rows, in one local Spark application. Not a test; figures go in
# BENCHMARKS.md. Usage: bench/train-vs-mllib.sh [rows features partitions iterations optimizer lr momentum mllibIters]
# Env: MASTER (default local[2]), HEAP (default 10g), CAPEVAL_NO_BUILD=1 to skip the build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${CAPEVAL_NO_BUILD:-}" != 1 ]]; then
  mvn -B -o -q -pl jobs -am install -DskipTests
  mvn -B -o -q -pl jobs test-compile
fi
cp_file=jobs/target/bench-classpath.txt
mvn -B -o -q -pl jobs dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
flags=$(sed -n 's:.*<spark.module.flags>\(.*\)</spark.module.flags>.*:\1:p' pom.xml)
# shellcheck disable=SC2086
exec java -Xmx"${HEAP:-10g}" $flags -Dspark.master="${MASTER:-local[2]}" \
  -Dlog4j2.configurationFile="$PWD/conf/log4j2.properties" \
  -cp "jobs/target/test-classes:jobs/target/classes:$(cat "$cp_file")" \
  org.capeval.jobs.train.bench.TrainVsMllib "$@"
