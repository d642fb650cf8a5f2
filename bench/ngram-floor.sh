#!/usr/bin/env bash
# The least that CIDEr-D's document frequencies cost on this machine, not a test: bench/NGramFloor.java
# counts every image's distinct reference n-grams into one table on 2 threads, with everything else
# (reading, tokenizing, numbering words, listing each image's distinct n-grams) done before the clock
# starts. With a run of `score --metrics rouge` (JVM start, reading, tokenizing, ROUGE-L, writing),
# it bounds from below what any BLEU + ROUGE-L + CIDEr-D run can take (BENCHMARKS.md, val2014 floor).
#
#   bench/ngram-floor.sh [REFS] [ROUNDS]   REFS: a COCO annotation file of PTB-tokenized captions
#                                          (default: the shared val2014 case's tok/refs.json.gz),
#                                          ROUNDS (10); the local engine's JVM options
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REFS="${1:-$ROOT/../shared/cases/caption/real_human_val2014_all/tok/refs.json.gz}"
ROUNDS="${2:-10}"
[ -f "$REFS" ] || { echo "ngram-floor.sh: no file $REFS (give a COCO annotation file of tokenized captions)" >&2; exit 2; }
"$ROOT/submit.sh" --version >/dev/null   # builds if needed
# shellcheck source=conf/jars.sh
. "$ROOT/conf/jars.sh"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
javac -nowarn -d "$WORK" -cp "$APP_JAR" "$ROOT/bench/NGramFloor.java"
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA" "@$ROOT/conf/local-jvm.options" -Xmx8g -cp "$WORK:$APP_JAR:$LIB/*" NGramFloor "$REFS" "$ROUNDS"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
