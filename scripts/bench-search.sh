#!/usr/bin/env bash
# Benchmark search over the whole APIs.guru 2022 corpus: reindex time and index size, relevance
# (judged queries), server-side latency (judged + sampled operation summaries), HTTP throughput of
# /api/v1/search against /healthz as the ceiling (wrk, 32 connections, same run), and time from
# process start to ready after a restart.
#
# Usage: scripts/bench-search.sh [STORE_DIR]
#   STORE_DIR (default /tmp/pac-bench-search) keeps the imported corpus between runs; it is imported
#   first when empty (the corpus is unpacked to /tmp/apis-guru if missing). Needs wrk and curl.
#   RUNS (default 3) reindex runs; DURATION (default 15s) per wrk run; PORT (default 18080).
set -euo pipefail
cd "$(dirname "$0")/.."

store=${1:-/tmp/pac-bench-search}
runs=${RUNS:-3}
duration=${DURATION:-15s}
port=${PORT:-18080}
corpus=/tmp/apis-guru
archive=../shared/corpora/apis-guru-2022.tar.zst
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }

cargo build --release --quiet --bin pac --example search_bench
pac=target/release/pac

if [ ! -f "$store/pac.sqlite3" ]; then
  if [ ! -d "$corpus/openapi-directory/APIs" ]; then
    echo "unpacking $archive into $corpus" >&2
    mkdir -p "$corpus"
    zstd -d --long=27 -c "$archive" | tar -x -C "$corpus"
  fi
  echo "== importing the corpus into $store =="
  "$pac" --log warn --data-dir "$store" import "$corpus/openapi-directory/APIs" | tail -n 3 || true
fi

echo "== pac reindex, $runs runs =="
for run in $(seq 1 "$runs"); do
  /usr/bin/time -f "%e s, peak RSS %M KB" "$pac" --log warn --data-dir "$store" reindex 2>&1
done
du -sh "$store/index" | awk '{print "index size on disk: " $1}'

echo "== relevance and server-side latency =="
target/release/examples/search_bench --data-dir "$store" --sample 3000 --passes 3 --urls "$store/urls.txt"

ready() {
  local started now
  started=$(date +%s%N)
  "$pac" --log error --data-dir "$store" serve --bind "127.0.0.1:$port" --no-seed "$@" &
  server=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.005; done
  now=$(date +%s%N)
  echo "ready $(( (now - started) / 1000000 )) ms after start"
}
stop() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
trap stop EXIT

echo "== HTTP: wrk, 2 threads, 32 connections, $duration each =="
ready
health=$(wrk -t2 -c32 -d"$duration" --latency "http://127.0.0.1:$port/healthz")
echo "/healthz:"; echo "$health" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx" || true
search() {
  URLS="$store/urls.txt" wrk -t2 -c32 -d"$1" --latency -s scripts/wrk-urls.lua "http://127.0.0.1:$port"
}
search 5s >/dev/null # every query once: fills the answer cache
found=$(search "$duration")
echo "/api/v1/search, answer cache on ($(wc -l < "$store/urls.txt") queries in turn):"
echo "$found" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx" || true
hr=$(echo "$health" | awk '/Requests\/sec/ {print $2}')
sr=$(echo "$found" | awk '/Requests\/sec/ {print $2}')
awk -v s="$sr" -v h="$hr" 'BEGIN {printf "search throughput = %.1f%% of the /healthz ceiling\n", 100 * s / h}'
stop
ready --search-cache 0
cold=$(search "$duration")
echo "/api/v1/search, answer cache off (every request searches):"
echo "$cold" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx" || true
cr=$(echo "$cold" | awk '/Requests\/sec/ {print $2}')
awk -v s="$cr" -v h="$hr" 'BEGIN {printf "uncached search throughput = %.1f%% of the /healthz ceiling\n", 100 * s / h}'
stop

echo "== restart (no reindex at start), 3 times =="
for _ in 1 2 3; do ready; stop; done
