#!/usr/bin/env bash
# SPICE on the COCO demo (real_fakecap_val2014: 1,000 fakecap results vs val2014 references),
# compared with the notebook's SPICE 0.133. Too slow for CI (about 5,800 captions to parse).
#
#   spice/run-demo.sh               local, no Spark: parse with N threads (default 1), print timings
#   spice/run-demo.sh spark [CACHE] Spark local[2]; run twice with the same CACHE for a warm rerun
#
# Needs ../shared (override with CAPEVAL_SHARED) and the Maven dependencies already downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${CAPEVAL_SHARED:-../shared}
CASE="$SHARED/cases/caption/real_fakecap_val2014/tok"
[ -f "$CASE/refs.json" ] || { echo "no $CASE/refs.json (set CAPEVAL_SHARED)" >&2; exit 1; }

mvn -B -q -o -pl spice -am install -DskipTests
CPFILE=$(mktemp)
trap 'rm -f "$CPFILE"' EXIT
mvn -B -q -o -pl spice dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CPFILE"
CP="spice/target/classes:$(cat "$CPFILE")"
JAVA_OPTS="-Xmx3g"

if [ "${1:-local}" = spark ]; then
  CACHE=${2:-/tmp/capeval-spice-cache}
  ROOT="$PWD"
  # Spark's module flags (MODULE_FLAGS)
  # shellcheck source=conf/jars.sh
  . conf/jars.sh
  # shellcheck disable=SC2086
  java $JAVA_OPTS $MODULE_FLAGS -Dspark.master=local[2] -Dspark.ui.enabled=false -cp "$CP" \
    org.capeval.spice.spark.SparkSpiceCli "$CASE/refs.json" "$CASE/cands.json" --tokenized --spice-cache "$CACHE"
else
  java $JAVA_OPTS -cp "$CP" org.capeval.spice.SpiceCli "$CASE/refs.json" "$CASE/cands.json" --tokenized \
    --threads "${THREADS:-1}" --out "${OUT:-/tmp/spice-demo-per-image.json}"
fi
echo "notebook SPICE: 0.133"
