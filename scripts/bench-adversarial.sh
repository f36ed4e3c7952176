#!/usr/bin/env bash
# Wall time and peak memory of `pac import`, `pac lint` and `pac diff` on every adversarial
# description (crates/pac-testkit/src/adversarial.rs), each under a 60 s limit, and of an HTTP
# publish of each into a running `pac serve`. Target: each under 2 s and 300 MB.
#
# Usage: scripts/bench-adversarial.sh [WORK_DIR]   (default /tmp/pac-adversarial)
#   PAC_BIN=path/to/pac reuses a build; otherwise `cargo build --release` is run.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/pac-adversarial}
rm -rf "$work" && mkdir -p "$work"
if [ -z "${PAC_BIN:-}" ]; then
  cargo build --release -q --bin pac --example adversarial
  PAC_BIN=target/release/pac
fi
fixtures=$(target/release/examples/adversarial "$work/fixtures")

measure() { # label, command...
  local label=$1; shift
  local status
  /usr/bin/time -f '%e %M' -o "$work/time" timeout 60 "$@" >/dev/null 2>"$work/stderr" && status=0 || status=$?
  local secs kb
  secs=$(tail -1 "$work/time" | cut -d' ' -f1)
  kb=$(tail -1 "$work/time" | cut -d' ' -f2)
  if [ "$status" = 124 ]; then secs=">60"; fi
  printf '%-14s %-8s %8s s %8s MB  exit %s  %s\n' "$label" "$CMD" "$secs" "$((kb / 1024))" "$status" \
    "$(grep -o 'error\[[a-z_]*\]' "$work/stderr" | head -1)"
}

# A store with the owning organisation, copied afresh for each import.
mkdir -p "$work/org"
printf -- '- {slug: adversarial, name: Adversarial, kind: supplier}\n' >"$work/org/organisations.yaml"
"$PAC_BIN" import --data-dir "$work/base-store" "$work/org" >/dev/null 2>&1

printf '%-14s %-8s %10s %11s\n' fixture command time peak
while IFS=$'\t' read -r name root changed what; do
  store="$work/store-$name"
  cp -r "$work/base-store" "$store"
  CMD=import measure "$name" "$PAC_BIN" import --data-dir "$store" --owner adversarial "$root"
  CMD=lint measure "$name" "$PAC_BIN" lint "$root"
  CMD=diff measure "$name" "$PAC_BIN" diff "$root" "$changed"
done <<<"$fixtures"

# The same descriptions published over HTTP to a running service: time of each publish and the
# service's peak memory after it (a multi-file description is sent as a zip).
port=${PORT:-18080}
secret=adversarial-bench-secret-0123456789abcdef
PAC_JWT_SECRET=$secret "$PAC_BIN" serve --no-seed --bind "127.0.0.1:$port" --data-dir "$work/serve" \
  >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
token=$(PAC_JWT_SECRET=$secret "$PAC_BIN" token --sub bench --role admin --ttl 1h)
api() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'content-type: application/json' -d "$2" "http://127.0.0.1:$port/api/v1/$1"; }
api organisations '{"slug":"adversarial","name":"Adversarial","kind":"supplier"}' >/dev/null
while IFS=$'\t' read -r name root changed what; do
  api apis "{\"slug\":\"$name\",\"name\":\"$name\",\"owner\":\"adversarial\"}" >/dev/null
  folder=$(dirname "$root")
  if [ "$(find "$folder" -type f | wc -l)" -gt 1 ]; then
    (cd "$folder" && python3 -c 'import os,sys,zipfile
z=zipfile.ZipFile(sys.argv[1],"w")
for d,_,fs in os.walk("."):
    for f in fs: z.write(os.path.join(d,f))' "$work/$name.zip")
    body="$work/$name.zip"; type=application/zip
  else
    body=$root; type=application/yaml
  fi
  result=$(curl -s -o "$work/publish.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" \
    -H "content-type: $type" --data-binary "@$body" "http://127.0.0.1:$port/api/v1/apis/$name/versions")
  peak=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$server/status")
  printf '%-14s %-8s %8s s %8s MB  status %s  %s\n' "$name" publish "${result#* }" "$peak" "${result% *}" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("code",""))' "$work/publish.json" 2>/dev/null)"
done <<<"$fixtures"
