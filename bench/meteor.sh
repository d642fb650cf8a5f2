#!/usr/bin/env bash
# METEOR throughput on one thread, not a test: all 40,504 val2014 images of the shared case
# real_human_val2014_all (tokenized variant; candidate = held-out human caption, 4-6 references) with
# METEOR's data files from ../shared/data/meteor; prints WordNet load time and images/s per pass.
#
#   bench/meteor.sh           CAPEVAL_SHARED (../shared), PASSES (3)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${CAPEVAL_SHARED:-$ROOT/../shared}"
cd "$ROOT"
mvn -B -o -q -Dstyle.color=never -pl metrics test-compile >/dev/null
CPFILE="$(mktemp)"; trap 'rm -f "$CPFILE"' EXIT
mvn -B -o -q -Dstyle.color=never -pl metrics dependency:build-classpath -Dmdep.outputFile="$CPFILE" >/dev/null
CP="metrics/target/classes:metrics/target/test-classes:$(cat "$CPFILE")"
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx2g -cp "$CP" org.capeval.metrics.meteor.MeteorBenchmark \
  "$SHARED/cases/caption/real_human_val2014_all/tok" "$SHARED/data/meteor" "${PASSES:-3}"
