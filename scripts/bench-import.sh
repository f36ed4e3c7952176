#!/usr/bin/env bash
# Benchmark: import the whole APIs.guru 2022 corpus into a fresh store, beside the time to merely parse
# the same files. Prints files accepted and rejected (reasons grouped), wall time, MB/s and peak RSS.
#
# Usage: scripts/bench-import.sh [CORPUS_DIR]
#   CORPUS_DIR defaults to /tmp/apis-guru (unpacked there from ../shared/corpora if missing).
#   PAC_DATABASE_URL=postgres://… benchmarks PostgreSQL instead of the embedded SQLite store.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=${1:-/tmp/apis-guru}
archive=../shared/corpora/apis-guru-2022.tar.zst
if [ ! -d "$corpus/openapi-directory/APIs" ]; then
  echo "unpacking $archive into $corpus" >&2
  mkdir -p "$corpus"
  zstd -d --long=27 -c "$archive" | tar -x -C "$corpus"
fi
apis="$corpus/openapi-directory/APIs"
bytes=$(find "$apis" -type f \( -name 'openapi.*' -o -name 'swagger.*' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$(find "$apis" -type f \( -name 'openapi.*' -o -name 'swagger.*' \) | wc -l)
echo "corpus: $files description files, $((bytes / 1000000)) MB"

cargo build --release --quiet --bin pac --example spec_corpus

echo "== parse only (spec::load of every file, no store) =="
/usr/bin/time -f "parse: wall %e s, peak RSS %M KB" target/release/examples/spec_corpus "$apis" --source-root 2>&1 | tail -n 25

runs=${RUNS:-3}
echo "== full import into a fresh store, $runs runs =="
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for run in $(seq 1 "$runs"); do
  rm -rf "$work/store"
  start=$(date +%s.%N)
  set +e
  /usr/bin/time -f "%e %M" -o "$work/time.$run" \
    target/release/pac import --format json --data-dir "$work/store" "$apis" > "$work/report.json" 2>/dev/null
  status=$?
  set -e
  end=$(date +%s.%N)
  echo "$start $end $status" > "$work/wall.$run"
done
du -sm "$work/store" | awk '{print "store size on disk: " $1 " MB"}'
python3 - "$work" "$runs" "$bytes" <<'PY'
import collections, json, statistics, sys
work, runs, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
walls, rss = [], []
for run in range(1, runs + 1):
    start, end, status = open(f"{work}/wall.{run}").read().split()
    walls.append(float(end) - float(start))
    rss.append(int(open(f"{work}/time.{run}").read().split()[-1]))
    print(f"run {run}: wall {walls[-1]:.1f} s, peak RSS {rss[-1] / 1024:.0f} MB, exit {status}")
wall = statistics.median(walls)
print(f"median wall {wall:.1f} s, {size / 1e6 / wall:.1f} MB/s; peak RSS max {max(rss) / 1024:.0f} MB")
report = json.load(open(f"{work}/report.json"))
print(f"imported {report['imported']}, unchanged {report['unchanged']}, rejected {report['rejected']}")
by_code = collections.Counter(e["code"] for e in report["errors"])
for code, n in by_code.most_common():
    print(f"  {n:5d} {code}")
    for e in [e for e in report["errors"] if e["code"] == code][:5]:
        print(f"        {e['file']}: {e['message'][:200]}")
PY
