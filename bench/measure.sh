# Shared by the bench scripts: run_measured NAME CMD... runs CMD under /usr/bin/time with a GC log and
# prints "NAME wall_s cpu_s max_rss_MB peak_heap_MB" (cpu = user + sys of the process tree; peak heap = largest heap occupancy at the start of a
# GC pause: a lower bound of the true peak, exact enough to compare with a -Xmx limit).
run_measured() {
  local name="$1"; shift
  local gc="$WORK/$name.gc.log" tm="$WORK/$name.time.txt" log="$WORK/$name.log" out="$WORK/$name.out"
  rm -f "$gc"
  if ! CAPEVAL_DRIVER_OPTS="-Xlog:gc:file=$gc" /usr/bin/time -v -o "$tm" "$@" >"$out" 2>"$log"; then
    echo "$name: FAILED, see $log" >&2; tail -20 "$log" >&2; return 1
  fi
  local wall cpu rss heap
  cpu="$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$tm")"
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s }' "$tm")"
  rss="$(awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$tm")"
  heap="$( (grep -oE '[0-9]+M->[0-9]+M' "$gc" 2>/dev/null || true) | cut -dM -f1 | sort -n | tail -1)"
  echo "$name ${wall} ${cpu} ${rss} ${heap:-0}"
}
