#!/usr/bin/env bash
# The Spark engine's start-up floor, not a test: a minimal application (bench/SparkFloor.java: create
# a JavaSparkContext, count 8 numbers in 2 partitions, stop) launched the way submit.sh launches the
# Spark driver (same java flags, class path, log4j configuration, conf/spark-defaults.conf, 2 GB
# driver, local[2], through SparkSubmit; submit.sh's driver enters SparkSubmit through
# org.capeval.jobs.Launcher, which first parses the job's command line), timed end to end.
# Prints per run and as medians: SparkSubmit's main reached our main, the SparkContext ready, the job
# done, stop() returned, the JVM gone, in seconds from the moment java was started.
#
#   bench/spark-floor.sh                 RUNS (5), MASTER (local[2]), DRIVER_MEMORY (2g),
#                                        FLOOR_JAVA_OPTS (extra driver JVM flags, e.g. a CDS archive),
#                                        FLOOR_CLASSPATH (default: submit.sh's driver class path)
#   CDS=both bench/spark-floor.sh        each round without and with the Spark driver's CDS archive
#                                        (./submit.sh --prepare-cds), alternating; CDS=on: with only
#   CLASSLOAD=1 bench/spark-floor.sh     one more run with a class-load log (-Xlog:class+load), and
#                                        when the first class of each step was loaded
#   LAUNCH=direct bench/spark-floor.sh   without SparkSubmit, as submit.sh's driver runs a local
#                                        master (org.capeval.jobs.Launcher): the properties file's
#                                        spark.* entries and the master as system properties, then
#                                        SparkFloor's main; "main" is then the JVM's own start
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-5}"
MASTER="${MASTER:-local[2]}"
DRIVER_MEMORY="${DRIVER_MEMORY:-2g}"
CONF_DIR="${CAPEVAL_CONF_DIR:-$ROOT/conf}"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
"$ROOT/submit.sh" --version >/dev/null   # builds if needed, outside the timings
# submit.sh's class paths and module flags
# shellcheck source=conf/jars.sh
. "$ROOT/conf/jars.sh"
T="$ROOT/jobs/target"
CLASSPATH="${FLOOR_CLASSPATH:-$DRIVER_CP}"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/classes"
javac -nowarn -d "$WORK/classes" -cp "$LIB/*" "$ROOT/bench/SparkFloor.java"
jar cf "$WORK/floor.jar" -C "$WORK/classes" .

case "${LAUNCH:-submit}" in
  submit) ;;
  direct) mapfile -t DIRECT_PROPS < <(awk '$1 ~ /^spark\./ { k = $1; $1 = ""; sub(/^ +/, ""); print "-D" k "=" $0 }' "$CONF_DIR/spark-defaults.conf") ;;
  *) echo "spark-floor.sh: LAUNCH must be submit or direct" >&2; exit 2 ;;
esac

# run OUT [JVM flags...]: one launch; OUT gets the marks, OUT.err the driver's stderr
run() {
  local out="$1"; shift
  local t0
  t0="$(date +%s%3N)"
  # shellcheck disable=SC2086  # MODULE_FLAGS and FLOOR_JAVA_OPTS are space-separated flag lists
  if [ "${LAUNCH:-submit}" = direct ]; then
    "$JAVA" $MODULE_FLAGS -Xmx"$DRIVER_MEMORY" ${FLOOR_JAVA_OPTS:-} "$@" \
      -Dlog4j.configurationFile="$CONF_DIR/log4j2.properties" -cp "$CLASSPATH:$WORK/floor.jar" "${DIRECT_PROPS[@]}" \
      -Dspark.app.name=SparkFloor -Dspark.master="$MASTER" -Dspark.submit.deployMode=client -Dspark.executor.extraJavaOptions="$MODULE_FLAGS" \
      -Dspark.ui.showConsoleProgress=false SparkFloor >"$out" 2>"$out.err"
  else
    "$JAVA" $MODULE_FLAGS -Xmx"$DRIVER_MEMORY" ${FLOOR_JAVA_OPTS:-} "$@" \
      -Dlog4j.configurationFile="$CONF_DIR/log4j2.properties" -cp "$CLASSPATH" \
      org.apache.spark.deploy.SparkSubmit --class SparkFloor --properties-file "$CONF_DIR/spark-defaults.conf" \
      --driver-memory "$DRIVER_MEMORY" --master "$MASTER" --conf "spark.executor.extraJavaOptions=$MODULE_FLAGS" \
      --conf spark.ui.showConsoleProgress=false "$WORK/floor.jar" >"$out" 2>"$out.err"
  fi || { echo "spark-floor.sh: the application failed:" >&2; grep -m 3 -E '(Exception|Error)[: ]' "$out.err" >&2 || tail -n 5 "$out.err" >&2; return 1; }
  echo "floor exit $(date +%s%3N)" >>"$out"
  awk -v t0="$t0" '$1 == "floor" { printf "%s %.2f ", $2, ($3 - t0) / 1000 } END { print "" }' "$out"
}

JSA="$T/capeval-spark.jsa"
case "${CDS:-off}" in
  off) VARIANTS=(plain) ;;
  on) VARIANTS=(cds) ;;
  both) VARIANTS=(plain cds) ;;
  *) echo "spark-floor.sh: CDS must be off, on or both" >&2; exit 2 ;;
esac
if [ "${CDS:-off}" != off ] && [ ! -f "$JSA" ]; then echo "spark-floor.sh: no $JSA (./submit.sh --prepare-cds)" >&2; exit 2; fi
# the flags submit.sh gives the driver for its archive (-Xshare:on here: an unusable archive is an error)
cds_flags() { [ "$1" = plain ] || echo "-Xshare:on -XX:SharedArchiveFile=$JSA"; }

echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg); seconds from starting java: main = our main reached, context = SparkContext ready, job = first job done, stop = stop() returned, exit = JVM gone"
for i in $(seq "$RUNS"); do
  for v in "${VARIANTS[@]}"; do
    printf '%-5s ' "$v"
    # shellcheck disable=SC2046  # cds_flags prints a space-separated flag list
    run "$WORK/run-$v-$i" $(cds_flags "$v") | tee -a "$WORK/all-$v"
  done
done
median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for v in "${VARIANTS[@]}"; do
  printf 'median of %s, %s:' "$RUNS" "$v"
  for step in main context job stop exit; do
    printf ' %s %s' "$step" "$(awk -v s="$step" '{ for (i = 1; i < NF; i += 2) if ($i == s) print $(i + 1) }' "$WORK/all-$v" | median)"
  done
  echo
done
echo "# load after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "${CLASSLOAD:-0}" = 1 ]; then
  log="$WORK/classload.log"
  echo "# with -Xlog:class+load (slower):"
  # shellcheck disable=SC2046  # cds_flags prints a space-separated flag list
  run "$WORK/run-cl" $(cds_flags "${VARIANTS[0]}") -Xlog:class+load:file="$log":uptime
  # uptime of the first class of each step, and the number of classes loaded before it
  first() { awk -v p="$2" 'index($0, p) { sub(/^\[/, ""); sub(/s\].*/, ""); printf "%-40s %6.2f s  (%d classes before)\n", "'"$1"'", $0, NR - 1; exit }' "$log"; }
  first "SparkSubmit" "] org.apache.spark.deploy.SparkSubmit "
  first "log4j-core" "] org.apache.logging.log4j.core."
  first "Hadoop Configuration" "] org.apache.hadoop.conf.Configuration "
  first "Ivy" "] org.apache.ivy."
  first "SparkFloor (our main)" "] SparkFloor "
  first "SparkContext" "] org.apache.spark.SparkContext "
  first "Kryo" "] com.esotericsoftware.kryo.Kryo "
  first "first job (DAGScheduler)" "] org.apache.spark.scheduler.DAGScheduler "
  first "ActiveJob" "] org.apache.spark.scheduler.ActiveJob "
  echo "classes loaded: $(wc -l <"$log")"
  [ -z "${KEEP_CLASSLOAD:-}" ] || cp "$log" "$KEEP_CLASSLOAD"
fi
