#!/usr/bin/env bash
# Benchmark a tender (issue 16): 50 bids, each one or two real API descriptions of the APIs.guru 2022
# corpus, evaluated against a pack of 10 requirements of every kind, two of them contracts
# (scripts/bench-tender/pack.yaml, with hand-written contracts beside it that the GitHub and Stripe
# descriptions among the bids provide). Measures:
#   - the time to evaluate each bid (p50, p90, max, and the total for all of them), its files already
#     loaded (loading is timed and reported apart);
#   - the comparison of the 50 evaluations;
#   - each export of the tender, time and size: the pack as Markdown and DOCX, the compliance matrix as
#     CSV and XLSX, the OCDS release with the 50 bids' responses, the comparison as Markdown, CSV and
#     XLSX, and one bid's evaluation report as Markdown and CSV;
#   - peak memory: VmHWM read by the benchmark itself, and the whole process under /usr/bin/time -v;
#   - where the slowest bid's time goes (each rule of the standard alone on its files).
# The bids: some of the corpus's largest descriptions (Google Compute alpha, Kubernetes, Azure Web Apps,
# GitHub Enterprise Server 3.1, GitHub with Stripe), then a fixed stride through the sorted paths, so
# the same bids every run. `cargo run --release -p pac-tender --example bench_bids` does the work.
#
# Usage: scripts/bench-tender.sh [CORPUS_DIR]
#   CORPUS_DIR  defaults to /tmp/apis-guru (unpacked there from ../shared/corpora if missing).
#   BIDS        bids to evaluate (default 50); RUNS timed runs, medians reported (default 3).
#   PACK        another pack to use (default scripts/bench-tender/pack.yaml).
#   OUT         folder to write the exports to (default a fresh temporary folder, printed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=${1:-/tmp/apis-guru}
archive=../shared/corpora/apis-guru-2022.tar.zst
if [ ! -d "$corpus/openapi-directory/APIs" ]; then
  echo "unpacking $archive into $corpus" >&2
  mkdir -p "$corpus"
  zstd -d --long=27 -c "$archive" | tar -x -C "$corpus"
fi
bids=${BIDS:-50}
runs=${RUNS:-3}
pack=${PACK:-scripts/bench-tender/pack.yaml}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"

cargo build --release --quiet -p pac-tender --example bench_bids
bin=${CARGO_TARGET_DIR:-target}/release/examples/bench_bids

echo "$(nproc) cores; $bids bids, $runs runs; pack $pack"
/usr/bin/time -v -o "$out/time.txt" \
  "$bin" "$pack" "$corpus/openapi-directory/APIs" --bids "$bids" --runs "$runs" --out "$out"
echo
echo "whole process (/usr/bin/time -v):"
grep -E 'Elapsed \(wall clock\)|Maximum resident set size|User time|System time' "$out/time.txt" | sed 's/^\s*/  /'
echo "exports in $out"
