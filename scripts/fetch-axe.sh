#!/usr/bin/env bash
# Fetches axe-core, the accessibility checker the browser tests inject into every page type
# (tests/it/browser.rs), at a pinned version whose integrity is checked against the hash npm
# published for it. Writes target/test-tools/axe.min.js (not committed). `.ci/run` calls it.
#
# Usage: scripts/fetch-axe.sh   (needs npm and openssl)
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_VERSION=4.10.3
AXE_INTEGRITY='sha512-Xm7bpRXnDSX2YE2YFfBk2FnF0ep6tmG7xPh8iHee8MIcrgq762Nkce856dYtJYLkuIoYZvGfTs/PbZhideTcEg=='
out=target/test-tools/axe.min.js

if [ -f "$out" ] && head -c 200 "$out" | grep -q "axe v$AXE_VERSION"; then
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null)
tarball="$work/axe-core-$AXE_VERSION.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$AXE_INTEGRITY" ]; then
  echo "axe-core $AXE_VERSION: integrity $actual, expected $AXE_INTEGRITY" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work"
mkdir -p "$(dirname "$out")"
cp "$work/package/axe.min.js" "$out"
echo "axe-core $AXE_VERSION in $out" >&2
