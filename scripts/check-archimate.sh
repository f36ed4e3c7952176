#!/usr/bin/env bash
# Check ArchiMate Open Exchange Format files (the `archimate` export of the interoperability map)
# against The Open Group's ArchiMate 3.1 exchange-format XSDs, with xmllint. The first run downloads
# the schemas from PyPI (and installs xmllint with apt-get when run as root); validation itself runs
# with --nonet.
#
# The XSDs are third-party files, so they are not committed here. They come from the PyPI wheel
# etcion 0.14.0 (MIT), which ships them in etcion/serialization/schema/. Its archimate3_Diagram.xsd
# and archimate3_View.xsd are byte-identical to The Open Group's 3.1 files. Its archimate3_Model.xsd
# differs in one attribute: it imports xml.xsd from beside itself rather than from w3.org, which is
# what lets xmllint run offline. The wheel and each schema are pinned by SHA-256 below.
#
# Usage: scripts/check-archimate.sh FILE.xml [FILE.xml ...]
#   CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/pac/archimate-xsd) keeps the schemas between runs.
#   Needs python3 with pip, and xmllint (installed with apt-get when missing and run as root).
#   Exits 0 when every file is valid, 1 when one is not, 3 when the check could not be set up (no
#   xmllint and no way to install it, or the schemas could not be downloaded): the test suite then
#   reports the check as skipped.
set -euo pipefail

[ "$#" -ge 1 ] || { echo "usage: $0 FILE.xml [FILE.xml ...]" >&2; exit 2; }

package=etcion==0.14.0
wheel_sha256=78a0978bc2dce833b6844b312fcbce3a303aa7e6e1a979bc94ef54fd19a4b4fa
declare -A schema_sha256=(
  [archimate3_Diagram.xsd]=6419080f4c4bc43b4a7b8acf870146a7bae6c3487a3ce08d3c521c028ea6056e
  [archimate3_View.xsd]=d708ce176403034b1229b892712cfd69660aefe17da4cc54acea1ac35e4a9854
  [archimate3_Model.xsd]=01686f6905f5f6b8bb1cff0373949c3be96a250c4e60314f6acb7f32db3d446f
  [xml.xsd]=61960fb3131e38022caad5360e2f33a3382578ab3c80cd58bd74320ede61b20c
)
cache=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pac/archimate-xsd}
schemas=$cache/etcion-0.14.0

schemas_ok() {
  local name
  for name in "${!schema_sha256[@]}"; do
    [ -f "$schemas/$name" ] || return 1
    echo "${schema_sha256[$name]}  $schemas/$name" | sha256sum --check --status || return 1
  done
}

if ! command -v xmllint >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing libxml2-utils for xmllint" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends libxml2-utils >/dev/null; } ||
      { echo "could not install libxml2-utils" >&2; exit 3; }
  else
    echo "xmllint is needed (apt-get install libxml2-utils)" >&2
    exit 3
  fi
fi

if ! schemas_ok; then
  echo "fetching the ArchiMate 3.1 exchange-format XSDs from PyPI ($package) into $schemas" >&2
  download=$(mktemp -d)
  trap 'rm -rf "$download"' EXIT
  echo "$package --hash=sha256:$wheel_sha256" >"$download/requirements.txt"
  # etcion wants Python 3.12 to run; only its files are needed here, so ask for its wheel whatever
  # the local Python is.
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
    --require-hashes -r "$download/requirements.txt" -d "$download" ||
    { echo "could not download $package from PyPI" >&2; exit 3; }
  rm -rf "$schemas"
  mkdir -p "$schemas"
  python3 - "$download"/etcion-0.14.0-*.whl "$schemas" <<'EOF'
import pathlib, sys, zipfile
wheel, target = sys.argv[1], pathlib.Path(sys.argv[2])
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith("etcion/serialization/schema/") and name.endswith(".xsd"):
            (target / pathlib.PurePosixPath(name).name).write_bytes(z.read(name))
EOF
  schemas_ok || { echo "the XSDs in $package do not match their pinned SHA-256" >&2; exit 3; }
fi

status=0
for file in "$@"; do
  # --nonet: every schema document is local; a reference to the network is an error, not a fetch.
  if ! xmllint --noout --nonet --schema "$schemas/archimate3_Diagram.xsd" "$file"; then
    status=1
  fi
done
exit "$status"
