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
