#!/usr/bin/env bash
# Benchmark: capeval autograd against PyTorch 1.13 on the same workloads (MLP 784-256-10 SGD step,
# logistic-regression gradient pass over 1M x 100 rows, 8-op elementwise graph; float64, and float32
# where the harness has it), one thread each, run alternately in the same minutes. Prints each side's
# median over the runs, its fastest timing, and the ratios capeval / torch. Not a test; figures go in
# BENCHMARKS.md.
#
# Needs: Java 17 and Maven 3.9 on the PATH (network to Maven Central on the first run, or MVN_FLAGS=-o);
# the peer, which is not a project dependency: Debian's PyTorch with OpenBLAS as the system BLAS
#   apt-get install -y python3-torch libopenblas0-pthread
# (without libopenblas0-pthread both torch and capeval fall back to slower BLAS and the ratios mean
# little). capeval uses the same native BLAS through dev.ludovic.netlib when it is installed (held to one
# thread like torch's: libopenblas0-pthread would otherwise use every core for capeval only); set
# CAPEVAL_JAVA_BLAS=1 to measure the pure-Java fallback instead. RAM: ~4 GB.
#
# Usage: bench/autograd-vs-torch.sh [runs] [workload ...]
#        (default 3 runs of mlp-f64 mlp-f32 logistic-f64 logistic-f32 elementwise-f64)
# Env:   PYTHON (default /usr/bin/python3, Debian's, where python3-torch lives), MVN_FLAGS,
#        CAPEVAL_NO_BUILD=1 to reuse the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shift || true
workloads=("$@")
[[ ${#workloads[@]} -gt 0 ]] || workloads=(mlp-f64 mlp-f32 logistic-f64 logistic-f32 elementwise-f64)
py=${PYTHON:-/usr/bin/python3}
command -v java >/dev/null || { echo "autograd-vs-torch.sh: needs java (17) on the PATH" >&2; exit 2; }
"$py" -c 'import torch' 2>/dev/null || {
  echo "autograd-vs-torch.sh: $py cannot import torch; install the peer: apt-get install -y python3-torch libopenblas0-pthread" >&2; exit 2; }
cp_file=autograd/target/bench-classpath.txt
if [[ "${CAPEVAL_NO_BUILD:-}" != 1 || ! -f $cp_file ]]; then
  command -v mvn >/dev/null || { echo "autograd-vs-torch.sh: needs mvn (Maven 3.9) on the PATH" >&2; exit 2; }
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_FLAGS:-} -pl autograd test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file"
fi
# A young generation of at most 128 MB, as capeval's local JVM runs (conf/local-jvm.options): each op
# allocates its result, and G1's default young generation keeps growing into memory the process has
# not touched during a run this short; on a virtual machine every fresh page's first touch is costly
# (logistic-f32 70-240 ms and elementwise-f64 23-310 ms per pass without it, 48-52 and 22-24 ms with
# it; BENCHMARKS.md). torch's caching allocator reuses freed blocks instead.
java_flags=(-Xmx4g -XX:MaxNewSize=128m --add-modules=jdk.incubator.vector -Djava.util.logging.config.file=/dev/null)
[[ "${CAPEVAL_JAVA_BLAS:-}" == 1 ]] && java_flags+=(-Ddev.ludovic.netlib.blas.allowNative=false)
echo "[bench] $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a), $(nproc) cpus"
echo "[bench] torch $("$py" -c 'import torch; print(torch.__version__)'), system BLAS $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo none)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((r = 1; r <= runs; r++)); do
  for w in "${workloads[@]}"; do
    # one workload per process on each side, capeval then torch, so both meet the same minutes
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java "${java_flags[@]}" -cp "autograd/target/test-classes:autograd/target/classes:$(cat "$cp_file")" \
      org.capeval.autograd.bench.AutogradBenchmark "$w" | tee -a "$out/capeval" | sed "s/^/[run $r] capeval /"
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$py" bench/autograd_torch.py "$w" | tee -a "$out/torch" | sed "s/^/[run $r] torch   /"
    echo "[run $r] load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
  done
done
# medians of the per-run medians; "min" columns: the fastest single timing over all runs, which other
# load on the machine inflates least
printf '\n%-16s %12s %12s %8s %12s %12s %8s\n' workload "capeval ms" "torch ms" ratio "capeval min" "torch min" ratio
for w in "${workloads[@]}"; do
  c=$(awk -v w="$w" '$1 == w {print $2}' "$out/capeval" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  t=$(awk -v w="$w" '$1 == w {print $2}' "$out/torch" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  cm=$(awk -v w="$w" '$1 == w {print $3}' "$out/capeval" | sort -g | head -1)
  tm=$(awk -v w="$w" '$1 == w {print $3}' "$out/torch" | sort -g | head -1)
  awk -v w="$w" -v c="$c" -v t="$t" -v cm="$cm" -v tm="$tm" \
    'BEGIN {printf "%-16s %12.2f %12.2f %8.2f %12.2f %12.2f %8.2f\n", w, c, t, c / t, cm, tm, cm / tm}'
done
echo "[bench] medians over $runs runs each (each run itself a median of repeated timings); load average now $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
