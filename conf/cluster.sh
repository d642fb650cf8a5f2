#!/usr/bin/env bash
# A real Spark standalone cluster on 127.0.0.1 from the project's own jars: one master and two workers
# (1 core, CAPEVAL_WORKER_MEMORY each), every one its own JVM; executors are separate JVMs too.
#
#   conf/cluster.sh start|stop|status
#   ./submit.sh score --master spark://127.0.0.1:7077 ...
#
# Environment: CAPEVAL_MASTER_PORT (7077), CAPEVAL_WORKERS (2), CAPEVAL_WORKER_MEMORY (2g),
# CAPEVAL_CLUSTER_DIR (target/cluster-<port>: pids, logs, worker dirs, the JVMs' temporary files).
# Workers launch executors with $SPARK_HOME/jars on the classpath (Spark's launcher looks for it), so
# SPARK_HOME is a directory whose jars/ links to jobs/target/lib: Spark's own jars only (the jobs
# module's provided dependencies), as on a user's cluster. capeval reaches drivers and executors as
# the application jar (jobs/target/capeval-<version>-spark.jar, which spark-submit ships).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${CAPEVAL_MASTER_PORT:-7077}"
WORKERS="${CAPEVAL_WORKERS:-2}"
WORKER_MEMORY="${CAPEVAL_WORKER_MEMORY:-2g}"
DIR="${CAPEVAL_CLUSTER_DIR:-$ROOT/target/cluster-$PORT}"
MASTER_URL="spark://127.0.0.1:$PORT"
# JAVA, LIB (Spark's own jars), MODULE_FLAGS
# shellcheck source=conf/jars.sh
. "$ROOT/conf/jars.sh"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# launch NAME MAIN-CLASS ARGS...: one daemon JVM, pid in $DIR/NAME.pid, log in $DIR/NAME.log
launch() {
  local name="$1"; shift
  # shellcheck disable=SC2086
  nohup "$JAVA" $MODULE_FLAGS -Xmx512m -cp "$LIB/*" -Djava.io.tmpdir="$DIR/tmp" \
    -Dlog4j.configurationFile="$ROOT/conf/log4j2-cluster.properties" \
    "$@" >"$DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/$name.pid"
}

wait_for() { # wait_for FILE PATTERN COUNT SECONDS
  local i
  for ((i = 0; i < $4 * 10; i++)); do
    if [ "$(grep -c "$2" "$1" 2>/dev/null || true)" -ge "$3" ]; then return 0; fi
    sleep 0.1
  done
  echo "cluster.sh: timed out waiting for '$2' in $1" >&2
  return 1
}

start() {
  if alive "$DIR/master.pid"; then echo "cluster already running: $MASTER_URL (pids in $DIR)"; return 0; fi
  if [ ! -d "$LIB" ]; then (cd "$ROOT" && mvn -B -q -DskipTests package) >&2; fi
  mkdir -p "$DIR/spark-home/conf" "$DIR/tmp"
  ln -sfn "$LIB" "$DIR/spark-home/jars"
  # Every JVM of the cluster keeps its temporary files (native libraries that lz4, snappy and netlib
  # unpack, and leave behind when killed) in $DIR/tmp, not in /tmp: the executors through conf/java-opts,
  # which Spark's launcher adds to the JVM options of the executors a worker starts.
  echo "-Djava.io.tmpdir=$DIR/tmp" >"$DIR/spark-home/conf/java-opts"
  export SPARK_HOME="$DIR/spark-home" SPARK_CONF_DIR="$DIR/spark-home/conf" SPARK_SCALA_VERSION=2.13
  export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$DIR/local"
  launch master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" --webui-port 0
  wait_for "$DIR/master.log" "Starting Spark master at" 1 120
  for ((w = 1; w <= WORKERS; w++)); do
    mkdir -p "$DIR/worker-$w"
    launch "worker-$w" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 \
      --memory "$WORKER_MEMORY" --webui-port 0 --work-dir "$DIR/worker-$w" "$MASTER_URL"
  done
  wait_for "$DIR/master.log" "Registering worker" "$WORKERS" 120
  echo "cluster started: $MASTER_URL, $WORKERS workers (logs and pids in $DIR)"
}

stop() {
  local f
  for f in "$DIR"/worker-*.pid "$DIR"/master.pid; do
    [ -f "$f" ] || continue
    if alive "$f"; then
      local pid; pid="$(cat "$f")"
      # The worker's executors are its children: stop them with it.
      pkill -TERM -P "$pid" 2>/dev/null || true
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  echo "cluster stopped ($MASTER_URL)"
}

status() {
  local up=0 f
  for f in "$DIR"/master.pid "$DIR"/worker-*.pid; do
    [ -f "$f" ] || continue
    if alive "$f"; then echo "$(basename "$f" .pid): running (pid $(cat "$f"))"; up=1
    else echo "$(basename "$f" .pid): not running"; fi
  done
  if [ "$up" = 1 ]; then echo "master: $MASTER_URL"; else echo "cluster not running ($MASTER_URL)"; return 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: conf/cluster.sh start|stop|status" >&2; exit 2 ;;
esac
