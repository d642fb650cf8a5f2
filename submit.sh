#!/usr/bin/env bash
# spark-submit for capeval without a Spark distribution: the Spark jars come from the jobs module's
# runtime classpath (jobs/target/lib), so a fresh clone needs only Java 17 and Maven.
#
#   ./submit.sh <job> [--master URL] [--conf k=v ...] [--driver-memory X] [--executor-memory X]
#                     [--total-executor-cores N] [job options]
#
# Local mode (local[*], conf/spark-defaults.conf) unless --master is given. Spark options may appear
# anywhere after <job>; everything else is passed to the job. Paths in job options are relative to
# the current directory. Builds the project first when the jars are missing or older than the sources
# (set CAPEVAL_NO_BUILD=1 to skip that check).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONF_DIR="${CAPEVAL_CONF_DIR:-$ROOT/conf}"
JOBS_JAR="$ROOT/jobs/target/capeval-jobs-0.1.0-SNAPSHOT.jar"
LIB="$ROOT/jobs/target/lib"

usage() {
  echo "usage: submit.sh <job> [--master URL] [--conf k=v ...] [--driver-memory X] [job options]" >&2
  echo "jobs: score, generate, leaderboard, train (see README.md; '<job> --help' lists a job's options)" >&2
}
if [ $# -eq 0 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then usage; exit 2; fi
JOB="$1"; shift

# The Java 17 module flags Spark needs (org.apache.spark.launcher.JavaModuleOptions). One source of
# truth: the parent pom's <spark.module.flags>, which Surefire's argLine uses too.
module_flags() {
  sed -n 's:.*<spark.module.flags>\(.*\)</spark.module.flags>.*:\1:p' "$ROOT/pom.xml"
}
MODULE_FLAGS="$(module_flags)"
if [ -z "$MODULE_FLAGS" ]; then echo "submit.sh: <spark.module.flags> not found in $ROOT/pom.xml" >&2; exit 1; fi

# Build when the jars are missing or stale.
needs_build() {
  [ -f "$JOBS_JAR" ] && [ -d "$LIB" ] || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main -newer "$JOBS_JAR" -type f -print -quit 2>/dev/null)" ]
}
if [ "${CAPEVAL_NO_BUILD:-0}" != 1 ] && needs_build; then
  echo "submit.sh: building capeval (mvn -B -q -DskipTests package) ..." >&2
  (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
fi

# Split Spark options from job options.
SPARK_ARGS=()
JOB_ARGS=()
MASTER=""
DRIVER_MEMORY=""
HAVE_EXEC_JAVA_OPTS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --master) MASTER="$2"; SPARK_ARGS+=(--master "$2"); shift 2 ;;
    --master=*) MASTER="${1#*=}"; SPARK_ARGS+=(--master "$MASTER"); shift ;;
    --driver-memory) DRIVER_MEMORY="$2"; shift 2 ;;
    --driver-memory=*) DRIVER_MEMORY="${1#*=}"; shift ;;
    --executor-memory|--total-executor-cores|--executor-cores|--name) SPARK_ARGS+=("$1" "$2"); shift 2 ;;
    --conf)
      case "$2" in
        spark.driver.memory=*) DRIVER_MEMORY="${2#*=}" ;;
        spark.executor.extraJavaOptions=*) HAVE_EXEC_JAVA_OPTS=1 ;;
      esac
      SPARK_ARGS+=(--conf "$2"); shift 2 ;;
    *) JOB_ARGS+=("$1"); shift ;;
  esac
done

# In client mode the driver is this JVM, so spark.driver.memory must become -Xmx here (as Spark's
# launcher does): --driver-memory, else --conf spark.driver.memory, else spark-defaults.conf.
if [ -z "$DRIVER_MEMORY" ]; then
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
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# What org.capeval.jobs.Launcher passes to SparkSubmit, or runs itself when the job needs no Spark.
LAUNCH_ARGS=(--class org.capeval.jobs.Main
  --properties-file "$CONF_DIR/spark-defaults.conf"
  --driver-memory "$DRIVER_MEMORY"
  ${SPARK_ARGS[@]+"${SPARK_ARGS[@]}"}
  "$JOBS_JAR" "$JOB" ${JOB_ARGS[@]+"${JOB_ARGS[@]}"})

# score's local engine (no Spark) is a run of a few seconds, where start-up and compilation
# dominate (measured: BENCHMARKS.md): that JVM compiles with C1 only (C2's work on 2 cores costs
# more than it saves) and maps the classes it needs from a CDS archive, made by its first run
# (jobs/target/capeval-local.jsa, remade when the jars change). The Launcher decides the engine;
# asking it first costs ~0.1 s.
JSA="$ROOT/jobs/target/capeval-local.jsa"
CDS_OPTS=()
if [ -f "$JSA" ] && [ -z "$(find "$JOBS_JAR" "$LIB" -newer "$JSA" -print -quit 2>/dev/null)" ]; then
  CDS_OPTS=(-XX:SharedArchiveFile="$JSA")
fi
QUIET_CDS="-Xlog:cds=off -Xlog:cds+dynamic=off" # an unusable archive is ignored: no warnings on stdout
ENGINE_OPTS=()
# shellcheck disable=SC2086
if [ "$JOB" = score ] && [ "$("$JAVA" $MODULE_FLAGS $QUIET_CDS ${CDS_OPTS[@]+"${CDS_OPTS[@]}"} -Xmx"$DRIVER_MEMORY" \
    -cp "$LIB/*:$JOBS_JAR" org.capeval.jobs.Launcher --print-engine "${LAUNCH_ARGS[@]}" 2>/dev/null)" = local ]; then
  ENGINE_OPTS=(-XX:TieredStopAtLevel=1 $QUIET_CDS)
  if [ ${#CDS_OPTS[@]} -eq 0 ] && [ -w "$(dirname "$JSA")" ]; then
    # this run writes the archive (at exit, ~1 s) under a temporary name, then renames it
    JSA_TMP="$JSA.$$.tmp"
    ENGINE_OPTS+=(-XX:ArchiveClassesAtExit="$JSA_TMP")
  else
    ENGINE_OPTS+=(${CDS_OPTS[@]+"${CDS_OPTS[@]}"})
  fi
fi

# shellcheck disable=SC2086  # MODULE_FLAGS and CAPEVAL_DRIVER_OPTS are space-separated flag lists
DRIVER=("$JAVA" $MODULE_FLAGS -Xmx"$DRIVER_MEMORY" ${ENGINE_OPTS[@]+"${ENGINE_OPTS[@]}"} ${CAPEVAL_DRIVER_OPTS:-}
  -Dlog4j.configurationFile="$CONF_DIR/log4j2.properties"
  -cp "$LIB/*:$JOBS_JAR"
  org.capeval.jobs.Launcher "${LAUNCH_ARGS[@]}")
if [ -n "${JSA_TMP:-}" ]; then
  status=0
  "${DRIVER[@]}" || status=$?
  { [ -s "$JSA_TMP" ] && mv -f "$JSA_TMP" "$JSA"; } || rm -f "$JSA_TMP"
  exit "$status"
fi
exec "${DRIVER[@]}"
