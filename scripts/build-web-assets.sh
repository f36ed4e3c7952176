#!/usr/bin/env bash
# Rebuilds web/static/catalogue.css from web/sass/ and the govuk-frontend npm package, pinned below.
#
# Why govuk-frontend 5.x and grass: the catalogue is not on GOV.UK, so it must not use the GOV.UK
# brand (crown, logo, the GDS Transport font). govuk-frontend 5.x compiles with grass, a pure-Rust
# Sass compiler installed here with cargo, so the font family is overridden at its source and the
# @font-face rules and font files are left out entirely; 6.x needs Dart Sass (not in our
# registries as a native tool) or editing its compiled CSS.
#
# Only the components the pages use are compiled (web/sass/catalogue.scss). No JavaScript from
# govuk-frontend is used: every page works without it, and web/static/catalogue.js (ours) only
# enhances. The package's integrity is checked against the hash npm published for it.
#
# Usage: scripts/build-web-assets.sh   (needs node/npm and cargo; writes web/static/catalogue.css
#        and web/static/LICENSE-govuk-frontend.txt; commit both). GRASS=path/to/grass skips the install.
set -euo pipefail
cd "$(dirname "$0")/.."

GOVUK_FRONTEND_VERSION=5.14.0
GOVUK_FRONTEND_INTEGRITY='sha512-MgfaXswIM6KpXS2T5gltEnzgVLgfM3UoE9+rYkhBiR0suaJ8Let31VZXQZqz9QhiPDbv28fW1nRjIyLujfZIBA=='
GRASS_VERSION=0.13.4

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "govuk-frontend $GOVUK_FRONTEND_VERSION" >&2
(cd "$work" && npm pack --silent "govuk-frontend@$GOVUK_FRONTEND_VERSION" >/dev/null)
tarball="$work/govuk-frontend-$GOVUK_FRONTEND_VERSION.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$GOVUK_FRONTEND_INTEGRITY" ]; then
  echo "govuk-frontend $GOVUK_FRONTEND_VERSION: integrity $actual, expected $GOVUK_FRONTEND_INTEGRITY" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work"

grass="${GRASS:-}"
if [ -z "$grass" ]; then
  echo "grass $GRASS_VERSION" >&2
  cargo install --quiet grass --version "$GRASS_VERSION" --locked --root "$work/grass"
  grass="$work/grass/bin/grass"
fi

"$grass" --style compressed --load-path "$work/package/dist" --load-path web/sass \
  web/sass/catalogue.scss > "$work/catalogue.css"
if grep -q 'GDS Transport\|@font-face' "$work/catalogue.css"; then
  echo "the compiled CSS still names the GOV.UK font" >&2
  exit 1
fi
{
  echo "/* Police API Catalogue: govuk-frontend $GOVUK_FRONTEND_VERSION (MIT, see LICENSE-govuk-frontend.txt) without the GOV.UK brand, and our own styles. Built by scripts/build-web-assets.sh from web/sass/. */"
  cat "$work/catalogue.css"
} > web/static/catalogue.css
# The npm package carries no licence file; its package.json says MIT, and the project's licence is:
cat > web/static/LICENSE-govuk-frontend.txt <<'LICENCE'
govuk-frontend (https://github.com/alphagov/govuk-frontend), compiled into catalogue.css.

The MIT License (MIT)

Copyright (c) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENCE
echo "web/static/catalogue.css: $(wc -c < web/static/catalogue.css) bytes" >&2
