#!/usr/bin/env bash
# spark-submit for capeval without a Spark distribution: Spark's own jars come from the jobs module's
# provided dependencies (jobs/target/lib, what a Spark 4.2 distribution has in jars/), and the job is
# the application jar (jobs/target/capeval-<version>-spark.jar), the same jar a stock spark-submit
# runs on a user's cluster. A fresh clone needs only Java 17 and Maven.
#
#   ./submit.sh <job> [--master URL] [--deploy-mode client|cluster] [--conf k=v ...] [--driver-memory X]
#                     [--executor-memory X] [--total-executor-cores N] [--executor-cores N] [--name NAME]
#                     [--jars JARS] [--files FILES] [job options]
#   ./submit.sh [<job>] --help      ./submit.sh --version
#   ./submit.sh --prepare-cds      (writes the Spark driver's class-data-sharing archive; see below)
#
# Local mode (local[*], conf/spark-defaults.conf) unless --master is given. Spark options may appear
# anywhere after <job>; everything else is passed to the job. Paths in job options are relative to
# the current directory. Builds the project first when the jars are missing or older than the sources
# (set CAPEVAL_NO_BUILD=1 to skip that check).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONF_DIR="${CAPEVAL_CONF_DIR:-$ROOT/conf}"
# the jars' paths, the class paths and Spark's module flags
# shellcheck source=conf/jars.sh
. "$ROOT/conf/jars.sh"

# No job, --help or --version: the Launcher answers (org.capeval.jobs.cli.Cli has the command line).
JOB="${1:-}"; [ $# -eq 0 ] || shift

# Build when the jars are missing or stale.
needs_build() {
  [ -f "$APP_JAR" ] && [ -d "$LIB" ] || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main -newer "$APP_JAR" -type f -print -quit 2>/dev/null)" ]
}
if [ "${CAPEVAL_NO_BUILD:-0}" != 1 ] && needs_build; then
  echo "submit.sh: building capeval (mvn -B -q -DskipTests package) ..." >&2
  (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
fi

# --prepare-cds: the Spark driver's class-data-sharing archive, written by a run of the Spark engine on
# the bundled examples (local mode); the driver of later runs maps it (below).
SPARK_JSA="$ROOT/jobs/target/capeval-spark.jsa"
PREPARE_CDS=0
if [ "$JOB" = --prepare-cds ]; then
  if [ $# -gt 0 ]; then echo "submit.sh: --prepare-cds takes no arguments" >&2; exit 2; fi
  PREPARE_CDS=1
  CDS_TMP="$(mktemp -d "$SPARK_JSA.XXXXXX")" # beside it: the finished archive is renamed into place
  trap 'rm -rf "$CDS_TMP"' EXIT
  JOB=score
  set -- --engine spark --refs "$ROOT/examples/refs.json" --results "$ROOT/examples/results.json" --out "$CDS_TMP/out"
fi

# A usage error in the Spark options, as the job's own (org.capeval.jobs.cli.Cli): the line and the
# hint, exit status 2, before any JVM starts.
usage_error() {
  local name=submit.sh
  case "$JOB" in ''|-*) ;; *) name="submit.sh $JOB" ;; esac
  echo "$name: $1" >&2
  echo "Try '$name --help' for more information." >&2
  exit 2
}
# OPTION [VALUE...]: the option is followed by a value
needs_value() {
  [ $# -ge 2 ] && [ -n "$2" ] || usage_error "$1 needs a value"
}
# OPTION SIZE: a memory size as the JVM's -Xmx takes it (the driver's becomes -Xmx), and Spark:
# digits with an optional k, m, g or t, in either case
check_memory() {
  [[ "$2" =~ ^[0-9]+[kKmMgGtT]?$ ]] || usage_error "$1 '$2' is not a memory size (digits with an optional k, m, g or t, e.g. 4g)"
}

# Split Spark options from job options.
SPARK_ARGS=()
JOB_ARGS=()
MASTER=""
DRIVER_MEMORY=""
DRIVER_MEMORY_FROM=""
HAVE_EXEC_JAVA_OPTS=0
while [ $# -gt 0 ]; do
  case "$1" in # OPTION=VALUE as OPTION VALUE, as spark-submit takes them
    --master=*|--driver-memory=*|--executor-memory=*|--total-executor-cores=*|--executor-cores=*|--name=*|--deploy-mode=*|--jars=*|--files=*|--driver-cores=*|--conf=*)
      set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
  esac
  case "$1" in
    --master) needs_value "$@"; MASTER="$2"; SPARK_ARGS+=(--master "$2"); shift 2 ;;
    --driver-memory) needs_value "$@"; DRIVER_MEMORY="$2"; DRIVER_MEMORY_FROM=--driver-memory; shift 2 ;;
    --executor-memory) needs_value "$@"; check_memory "$1" "$2"; SPARK_ARGS+=("$1" "$2"); shift 2 ;;
    --total-executor-cores|--executor-cores|--name|--deploy-mode|--jars|--files|--driver-cores)
      needs_value "$@"; SPARK_ARGS+=("$1" "$2"); shift 2 ;;
    --conf)
      needs_value "$@"
      case "$2" in
        spark.driver.memory=*) DRIVER_MEMORY="${2#*=}"; DRIVER_MEMORY_FROM="--conf spark.driver.memory" ;;
        spark.executor.memory=*) check_memory "--conf spark.executor.memory" "${2#*=}" ;;
        spark.executor.extraJavaOptions=*) HAVE_EXEC_JAVA_OPTS=1 ;;
      esac
      SPARK_ARGS+=(--conf "$2"); shift 2 ;;
    *) JOB_ARGS+=("$1"); shift ;;
  esac
done

# In client mode the driver is this JVM, so spark.driver.memory must become -Xmx here (as Spark's
# launcher does): --driver-memory, else --conf spark.driver.memory, else spark-defaults.conf.
if [ -n "$DRIVER_MEMORY_FROM" ]; then
  check_memory "$DRIVER_MEMORY_FROM" "$DRIVER_MEMORY"
else
  DRIVER_MEMORY="$(awk '$1 == "spark.driver.memory" { print $2 }' "$CONF_DIR/spark-defaults.conf" | tail -n 1)"
fi
DRIVER_MEMORY="${DRIVER_MEMORY:-1g}"

# Executors in separate JVMs (standalone workers) need the module flags too.
if [ "$HAVE_EXEC_JAVA_OPTS" = 0 ]; then
  SPARK_ARGS+=(--conf "spark.executor.extraJavaOptions=$MODULE_FLAGS")
fi

# Spark's stage bars redraw a line with \r: for a terminal only, never into a log file or pipe.
if [ ! -t 2 ] && [[ " ${SPARK_ARGS[*]-} " != *" spark.ui.showConsoleProgress="* ]]; then
  SPARK_ARGS+=(--conf spark.ui.showConsoleProgress=false)
fi

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# Each Spark task is one core: a native BLAS (OpenBLAS) must not start threads of its own in it.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

# What org.capeval.jobs.Launcher runs itself when the job needs no Spark, and otherwise passes to
# SparkSubmit (or, for a local master, runs in the driver as SparkSubmit would: see Launcher).
LAUNCH_ARGS=(--class org.capeval.jobs.Main
  --properties-file "$CONF_DIR/spark-defaults.conf"
  --driver-memory "$DRIVER_MEMORY"
  ${SPARK_ARGS[@]+"${SPARK_ARGS[@]}"}
  "$APP_JAR" ${JOB:+"$JOB"} ${JOB_ARGS[@]+"${JOB_ARGS[@]}"})

# One JVM runs everything that needs no Spark: it answers --help, --version and usage errors (exit
# status 0 or 2), runs score's local engine and generate, and exits 11 when the job needs Spark
# (12 for a short run); only then does a second JVM, the Spark driver, start (exec, so this process
# becomes the driver; `Launcher --checked`: the command line is not parsed a second time).
# score's local engine is a run of a few seconds, where start-up and compilation dominate
# (measured: BENCHMARKS.md), so this first JVM takes its compiler and heap options from
# conf/local-jvm.options (C1 only, a bounded young generation; the Python package reads the same
# file) and maps the classes it needs from a CDS archive, made by the first local score run
# (jobs/target/capeval-local.jsa, remade when the jars change). It has Spark's module flags except
# --add-modules=jdk.incubator.vector, with which the JVM prints a warning line (it would come
# before a usage error's two lines); nothing it runs uses the vector API.
# Both JVMs ask for transparent huge pages for their heaps when the kernel gives them on request
# ("madvise"; with "always" it does so anyway, and with "never" the JVM would warn about the flag).
# The n-gram tables are probed at random, and with 4 KB pages the TLB misses and page faults cost a
# 200k-image local run ~30% of its wall time (measured: BENCHMARKS.md). python/capeval/_runner.py
# asks alike.
HUGE_PAGES=()
if grep -q '\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
  HUGE_PAGES=(-XX:+UseTransparentHugePages)
fi
JSA="$ROOT/jobs/target/capeval-local.jsa"
QUIET_CDS="-Xlog:cds=off -Xlog:cds+dynamic=off" # an unusable archive is ignored: no warnings on stdout
LOCAL_JVM_OPTIONS="$CONF_DIR/local-jvm.options"
[ -f "$LOCAL_JVM_OPTIONS" ] || LOCAL_JVM_OPTIONS="$ROOT/conf/local-jvm.options" # a CAPEVAL_CONF_DIR made before the file
# shellcheck disable=SC2206  # QUIET_CDS is a space-separated flag list
FRONT_OPTS=("@$LOCAL_JVM_OPTIONS" $QUIET_CDS ${HUGE_PAGES[@]+"${HUGE_PAGES[@]}"})
if [ -f "$JSA" ] && [ -z "$(find "$APP_JAR" "$LIB" -newer "$JSA" -print -quit 2>/dev/null)" ]; then
  FRONT_OPTS+=(-XX:SharedArchiveFile="$JSA")
elif [ "$JOB" = score ] && [ -w "$(dirname "$JSA")" ] \
    && [[ " ${JOB_ARGS[*]-} " != *" -h "* && " ${JOB_ARGS[*]-} " != *" --help "* && " ${JOB_ARGS[*]-} " != *" -V "* \
          && " ${JOB_ARGS[*]-} " != *" --version "* && " ${JOB_ARGS[*]-} " != *" --engine spark "* \
          && " ${JOB_ARGS[*]-} " != *" --engine=spark "* && "${MASTER:-local}" == local* ]]; then
  # this run writes the archive (at exit, ~1 s) under a temporary name; kept if it scored locally.
  # Not when the job surely runs on Spark: the dump would be discarded, and it costs that run ~0.35 s.
  JSA_TMP="$JSA.$$.tmp"
  FRONT_OPTS+=(-XX:ArchiveClassesAtExit="$JSA_TMP")
fi

# The JVMs' temporary files (stack-trace files of failed runs, native libraries unpacked by lz4,
# snappy and netlib, Spark's scratch space in local mode) go where TMPDIR says, as other Unix tools'
# do (a batch scheduler's per-job directory), when it names a writable directory; else /tmp. An
# explicit -Djava.io.tmpdir in CAPEVAL_DRIVER_OPTS comes later and wins.
TMP_OPTS=()
if [ -n "${TMPDIR:-}" ] && [ -d "$TMPDIR" ] && [ -w "$TMPDIR" ]; then
  TMP_OPTS=(-Djava.io.tmpdir="$TMPDIR")
fi

status=0
# The first JVM is this script's child (it may hand over to the Spark driver below, which replaces
# the script): a SIGTERM or SIGINT sent to the script is passed on, so that the JVM ends and removes
# its temporary files, as a signal to the Spark driver does, instead of running on alone.
# shellcheck disable=SC2086  # MODULE_FLAGS and CAPEVAL_DRIVER_OPTS are space-separated flag lists
"$JAVA" ${MODULE_FLAGS/--add-modules=jdk.incubator.vector/} -Xmx"$DRIVER_MEMORY" "${FRONT_OPTS[@]}" ${TMP_OPTS[@]+"${TMP_OPTS[@]}"} ${CAPEVAL_DRIVER_OPTS:-} \
  -Dlog4j.configurationFile="$CONF_DIR/log4j2.properties" -cp "$CLASSPATH_JARS" \
  org.capeval.jobs.Launcher --front "${LAUNCH_ARGS[@]}" <&0 &
FRONT_PID=$!
trap 'kill -TERM "$FRONT_PID" 2>/dev/null || true' TERM INT HUP
wait "$FRONT_PID" || status=$?
while kill -0 "$FRONT_PID" 2>/dev/null; do # a signal ended the wait: the JVM is ending, after its cleanup
  status=0
  wait "$FRONT_PID" || status=$?
done
trap - TERM INT HUP
if [ -n "${JSA_TMP:-}" ]; then
  # 11, 12: it only read the command line (the job runs on Spark); not 0: it failed early
  { [ "$status" = 0 ] && [ -s "$JSA_TMP" ] && mv -f "$JSA_TMP" "$JSA"; } || rm -f "$JSA_TMP"
fi
if [ "$status" != 11 ] && [ "$status" != 12 ]; then
  exit "$status"
fi
# 12: a short score run (local inputs up to 256 MB, no SPICE; ScoreJob.isShortOnSpark): the driver
# compiles with C1 only, as this first JVM (and sets its executors' JVMs so). On 2 cores C2 compiling
# the scoring loops cost a 200k-image run more than it gave back, but gains at 1M images. Any other
# Spark run's driver (score, leaderboard, train; and their executors) compiles with C2 only the code
# 5 times as hot as HotSpot's defaults ask: the rest of C2's work went to Spark's and the JDK's
# methods (SparkSessions.C2_HOT_ONLY; measured: BENCHMARKS.md).
if [ "$status" = 12 ]; then
  DRIVER_JIT=(-XX:TieredStopAtLevel=1)
else
  DRIVER_JIT=(-XX:Tier4InvocationThreshold=25000 -XX:Tier4MinInvocationThreshold=3000 -XX:Tier4CompileThreshold=75000 -XX:Tier4BackEdgeThreshold=200000)
fi

# The Spark driver's class path has the s3a connector too (DRIVER_CP; the first JVM never opens a
# store: it exits 11 or 12 for any path that is not local).
# It maps the classes it loads (~10,000, most of them Spark's, Hadoop's and log4j's) from a CDS
# archive when `./submit.sh --prepare-cds` has written one and no jar is newer (measured:
# BENCHMARKS.md). The archive is made only by that explicit step, never by a user's run: the dump
# takes ~20 s, and this script execs the driver, so it could not move a finished dump into place.
# shellcheck disable=SC2206  # QUIET_CDS is a space-separated flag list
DRIVER_CDS=($QUIET_CDS)
if [ "$PREPARE_CDS" = 1 ]; then
  DRIVER_CDS+=(-XX:ArchiveClassesAtExit="$CDS_TMP/capeval-spark.jsa")
elif [ -f "$SPARK_JSA" ] && [ -z "$(find "$APP_JAR" "$LIB" "$CLOUD" "$SPICE_MODELS" -newer "$SPARK_JSA" -print -quit 2>/dev/null)" ]; then
  DRIVER_CDS+=(-XX:SharedArchiveFile="$SPARK_JSA")
fi
# shellcheck disable=SC2206  # MODULE_FLAGS and CAPEVAL_DRIVER_OPTS are space-separated flag lists
DRIVER=("$JAVA" $MODULE_FLAGS -Xmx"$DRIVER_MEMORY" "${DRIVER_CDS[@]}" ${DRIVER_JIT[@]+"${DRIVER_JIT[@]}"} ${HUGE_PAGES[@]+"${HUGE_PAGES[@]}"} ${TMP_OPTS[@]+"${TMP_OPTS[@]}"}
  ${CAPEVAL_DRIVER_OPTS:-} -Dlog4j.configurationFile="$CONF_DIR/log4j2.properties" -cp "$DRIVER_CP"
  org.capeval.jobs.Launcher --checked "${LAUNCH_ARGS[@]}")
if [ "$PREPARE_CDS" = 1 ]; then
  # the archive appears under its final name only once the driver has exited cleanly and a JVM has
  # mapped it (-Xshare:on fails on an unusable one; a truncated one crashes the JVM that maps it)
  # shellcheck disable=SC2086  # MODULE_FLAGS is a space-separated flag list
  if "${DRIVER[@]}" >"$CDS_TMP/run.log" 2>&1 && [ -s "$CDS_TMP/capeval-spark.jsa" ] \
      && (cd "$CDS_TMP" && "$JAVA" $MODULE_FLAGS -Xshare:on -XX:SharedArchiveFile="$CDS_TMP/capeval-spark.jsa" \
            -cp "$DRIVER_CP" -version >>"$CDS_TMP/run.log" 2>&1); then
    mv -f "$CDS_TMP/capeval-spark.jsa" "$SPARK_JSA"
    echo "submit.sh: wrote $SPARK_JSA ($(du -m "$SPARK_JSA" | cut -f1) MB), used by the Spark driver until a jar changes"
    exit 0
  fi
  cat "$CDS_TMP/run.log" >&2
  echo "submit.sh: --prepare-cds: the example run failed; no archive written" >&2
  exit 1
fi
exec "${DRIVER[@]}"
