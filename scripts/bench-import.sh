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

echo "== full import into a fresh store =="
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
start=$(date +%s.%N)
set +e
/usr/bin/time -f "import: wall %e s, peak RSS %M KB" -o "$data/time.txt" \
  target/release/pac import --format json --data-dir "$data/store" "$apis" > "$data/report.json"
status=$?
set -e
end=$(date +%s.%N)
cat "$data/time.txt"
python3 - "$data/report.json" "$bytes" "$start" "$end" "$status" <<'PY'
import collections, json, sys
report = json.load(open(sys.argv[1]))
size, start, end, status = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
wall = end - start
print(f"imported {report['imported']}, unchanged {report['unchanged']}, rejected {report['rejected']} (exit {status})")
print(f"wall {wall:.1f} s, {size / 1e6 / wall:.1f} MB/s")
by_code = collections.Counter(e["code"] for e in report["errors"])
for code, n in by_code.most_common():
    print(f"  {n:5d} {code}")
    for e in [e for e in report["errors"] if e["code"] == code][:3]:
        print(f"        {e['file']}: {e['message'][:160]}")
PY
ls -la "$data/store" | awk 'NR>1 {s+=$5} END {printf "store size on disk: %.0f MB\n", s/1e6}'
