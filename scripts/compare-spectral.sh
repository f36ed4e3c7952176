#!/usr/bin/env bash
# Compare `pac lint --ruleset spectral:oas` with Spectral (npm @stoplight/spectral-cli 6.x, ruleset
# spectral:oas) on 100 APIs.guru 2022 descriptions, one per provider: wall time, peak RSS and per-rule
# agreement. Prints a Markdown report and writes it to WORK_DIR/report.md.
#
# Usage: scripts/compare-spectral.sh [WORK_DIR]
#   WORK_DIR          where the sample list, outputs, timings and report go
#                     (default ${TMPDIR:-/tmp}/pac-compare-spectral)
# Environment (all optional):
#   PAC_CORPUS        corpus archive (default ../shared/corpora/apis-guru-2022.tar.zst from the repo root)
#   CORPUS_DIR        where the corpus is unpacked, once (default ${TMPDIR:-/tmp}/apis-guru)
#   SAMPLE_SIZE       number of files / providers (default 100)
#   PAC_BIN           pac binary to use; skips `cargo build --release`
#   SPECTRAL_DIR      npm prefix Spectral is installed into, once (default ${TMPDIR:-/tmp}/pac-spectral)
#   SPECTRAL_BIN      Spectral executable to use instead of installing one
#   RUNS              times each tool runs (default 3); the report gives the median run and all wall times
#   SPECTRAL_OUT      reuse this earlier `spectral lint -f json` result instead of running Spectral (it must
#                     be for the same sample; paths are compared relative to the corpus's APIs directory);
#                     its timing is read from SPECTRAL_TIME (default: SPECTRAL_OUT with .json -> .time)
#
# Sampling (see compare_spectral.py sample): providers sorted by name, provider floor(i*P/100) for
# i = 0..99, its first description file in sorted path order that pac's loader accepts (files with C1
# control characters are skipped; a provider with no such file is replaced by the next provider).
#
# Each run of a tool is ONE process over all files, under /usr/bin/time -v, after the files have been read
# once so that both find them in the page cache. Spectral and pac exit 1 when an error-severity finding
# exists; that is expected. Any other exit status stops the script.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=${TMPDIR:-/tmp}
# Paths given by the caller are relative to the caller's directory; resolve them before leaving it.
abs() { realpath -m -- "$1"; }
work=$(abs "${1:-$tmp/pac-compare-spectral}")
runs=${RUNS:-3}
archive=$(abs "${PAC_CORPUS:-$repo/../shared/corpora/apis-guru-2022.tar.zst}")
corpus=$(abs "${CORPUS_DIR:-$tmp/apis-guru}")
spectral_dir=$(abs "${SPECTRAL_DIR:-$tmp/pac-spectral}")
spectral_out=${SPECTRAL_OUT:+$(abs "$SPECTRAL_OUT")}
spectral_time=()
if [ -n "${SPECTRAL_OUT:-}" ]; then
  spectral_time=("$(abs "${SPECTRAL_TIME:-${SPECTRAL_OUT%.json}.time}")")
fi
spectral=${SPECTRAL_BIN:-$spectral_dir/node_modules/.bin/spectral}
case $spectral in */*) spectral=$(abs "$spectral") ;; esac
pac=${PAC_BIN:-}
case $pac in */*) pac=$(abs "$pac") ;; esac
sample_size=${SAMPLE_SIZE:-100}
compare="$repo/scripts/compare_spectral.py"
cd "$repo"
mkdir -p "$work"

for tool in zstd tar python3; do
  command -v "$tool" > /dev/null || { echo "error: $tool is required" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "error: GNU time (/usr/bin/time) is required" >&2; exit 2; }

# /usr/bin/time reports wall time in hundredths of a second; append a nanosecond-clock measurement
# (which compare_spectral.py prefers) to its output file, and the 1-minute load average from before the
# run (anything else busy on the machine, e.g. a cargo build, skews the times).
# Arguments: start time (date +%s%N), load average before, time file.
record_wall() {
  local end
  end=$(date +%s%N)
  awk -v ns="$((end - $1))" -v load="$2" \
    'BEGIN { printf "\tPrecise wall time (seconds): %.6f\n\tLoad average before (1 min): %s\n", ns / 1e9, load }' >> "$3"
}

# ---- corpus: unpack once
apis="$corpus/openapi-directory/APIs"
if [ ! -d "$apis" ]; then
  [ -f "$archive" ] || { echo "error: no corpus at $archive (set PAC_CORPUS, or CORPUS_DIR to an unpacked one)" >&2; exit 2; }
  echo "unpacking $archive into $corpus" >&2
  mkdir -p "$corpus"
  # Unpack beside and move into place, so that an interrupted unpack is not mistaken for a cache.
  partial=$(mktemp -d "$corpus/.unpacking.XXXXXX")
  trap 'rm -rf "$partial"' EXIT
  zstd -d --long=27 -c "$archive" | tar -x -C "$partial"
  rm -rf "$corpus/openapi-directory"
  mv "$partial/openapi-directory" "$corpus/"
  rmdir "$partial"
  trap - EXIT
fi

# ---- sample: one file per provider, deterministic
python3 "$compare" sample --apis "$apis" --count "$sample_size" --out "$work/files.txt"
mapfile -t files < "$work/files.txt"

# Read every sampled file once so that neither tool pays for cold disk reads.
cat "${files[@]}" > /dev/null

# ---- Spectral
if [ -n "$spectral_out" ]; then
  [ -f "$spectral_out" ] || { echo "error: SPECTRAL_OUT=$spectral_out does not exist" >&2; exit 2; }
  [ -f "$spectral_time" ] || { echo "warning: no timing file $spectral_time; Spectral's time is n/a" >&2; }
  echo "reusing Spectral result $spectral_out" >&2
else
  command -v node > /dev/null || { echo "error: node is required to run Spectral" >&2; exit 2; }
  if [ -z "${SPECTRAL_BIN:-}" ] && [ ! -x "$spectral" ]; then
    echo "installing @stoplight/spectral-cli@6 into $spectral_dir" >&2
    mkdir -p "$spectral_dir"
    npm install --prefix "$spectral_dir" --no-audit --no-fund --loglevel=error '@stoplight/spectral-cli@6' >&2
  fi
  echo "spectral $("$spectral" --version)" >&2
  printf 'extends: ["spectral:oas"]\n' > "$work/spectral-ruleset.yaml"
  spectral_out="$work/spectral.json"
  spectral_time=()
  rm -f "$spectral_out"
  for run in $(seq 1 "$runs"); do
    echo "running spectral lint on ${#files[@]} files, run $run of $runs (about half a minute on 2 CPUs)" >&2
    status=0
    read -r load _ < /proc/loadavg
    start=$(date +%s%N)
    # --quiet: no progress logging; --fail-severity=error: exit 1 only for error findings (all files are
    # linted either way). NODE_OPTIONS from the environment applies (e.g. --max-old-space-size=8192).
    /usr/bin/time -v -o "$work/spectral.time.$run" \
      "$spectral" lint --ruleset "$work/spectral-ruleset.yaml" --format json --output "$spectral_out" \
      --quiet --fail-severity=error "${files[@]}" > "$work/spectral.stdout" 2> "$work/spectral.stderr" || status=$?
    record_wall "$start" "$load" "$work/spectral.time.$run"
    spectral_time+=("$work/spectral.time.$run")
  done
  if [ "$status" -gt 1 ] || [ ! -s "$spectral_out" ]; then
    echo "error: spectral lint exited with status $status; stderr:" >&2
    tail -n 20 "$work/spectral.stderr" >&2
    exit 1
  fi
  if [ -s "$work/spectral.stderr" ]; then
    echo "spectral wrote to stderr (see $work/spectral.stderr):" >&2
    head -n 10 "$work/spectral.stderr" >&2
  fi
fi

# ---- pac
if [ -z "$pac" ]; then
  cargo build --release --quiet --bin pac
  pac="$repo/target/release/pac"
fi
pac_time=()
for run in $(seq 1 "$runs"); do
  echo "running pac lint on ${#files[@]} files, run $run of $runs" >&2
  status=0
  read -r load _ < /proc/loadavg
  start=$(date +%s%N)
  /usr/bin/time -v -o "$work/pac.time.$run" \
    "$pac" lint --ruleset spectral:oas --format json "${files[@]}" > "$work/pac.json" 2> "$work/pac.stderr" || status=$?
  record_wall "$start" "$load" "$work/pac.time.$run"
  if [ "$status" -gt 1 ]; then
    echo "error: pac lint exited with status $status; stderr:" >&2
    tail -n 20 "$work/pac.stderr" >&2
    exit 1
  fi
  pac_time+=("$work/pac.time.$run")
done

# ---- report
python3 "$compare" report --spectral "$spectral_out" --spectral-time "${spectral_time[@]}" \
  --pac "$work/pac.json" --pac-time "${pac_time[@]}" --files "$work/files.txt" --root "$apis" \
  --out "$work/report.md"
echo >&2
echo "report: $work/report.md (sample list: $work/files.txt)" >&2
