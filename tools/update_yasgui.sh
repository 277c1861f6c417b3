#!/usr/bin/env bash
# Vendor the YASGUI query editor (npm package @zazuko/yasgui) under
# src/legalgraph/web/static/yasgui/: only the minified bundle, its stylesheet and the license,
# with the version, tarball and checksum recorded in VENDORED.md. Needs npm; nothing is fetched
# at run time.
#
#   tools/update_yasgui.sh            # the latest version
#   tools/update_yasgui.sh 4.6.2      # a given version
set -euo pipefail

package="@zazuko/yasgui"
version="${1:-latest}"
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/src/legalgraph/web/static/yasgui"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
tarball="$(npm pack --silent "$package@$version")"
tar xzf "$tarball"
resolved="$(node -p "require('./package/package.json').version")"
license="$(node -p "require('./package/package.json').license")"
author="$(node -p "require('./package/package.json').author")"
url="$(npm view "$package@$resolved" dist.tarball)"
integrity="$(npm view "$package@$resolved" dist.integrity)"
sha256="$(sha256sum "$tarball" | cut -d' ' -f1)"

mkdir -p "$target"
rm -f "$target"/yasgui.min.js "$target"/yasgui.min.css
# The bundle ends with a source-map comment; the map is not vendored, so drop the comment.
sed '$ s|//# sourceMappingURL=.*$||' package/build/yasgui.min.js > "$target/yasgui.min.js"
cp package/build/yasgui.min.css "$target/yasgui.min.css"
if ls package/LICENSE* >/dev/null 2>&1; then
  cp package/LICENSE* "$target/LICENSE.txt"
else
  # The npm tarball carries no license file; package.json declares the license.
  cat > "$target/LICENSE.txt" <<LICENSE
MIT License (as declared by $package $resolved in its package.json)

Copyright (c) $author and Zazuko GmbH (contributors)

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENSE
fi

cat > "$target/VENDORED.md" <<NOTE
# Vendored: YASGUI

The query editor at \`/sparql\` is [YASGUI](https://github.com/zazuko/Yasgui), served from
these files (no CDN at run time).

| | |
|---|---|
| package | \`$package\` |
| version | $resolved |
| license | $license (see LICENSE.txt) |
| tarball | $url |
| integrity | \`$integrity\` |
| sha256 of the tarball | \`$sha256\` |
| files | \`build/yasgui.min.js\` (source-map comment removed), \`build/yasgui.min.css\` |

Update with \`tools/update_yasgui.sh [VERSION]\`, then run the editor test
(\`python -m pytest tests/web/test_sparql_editor.py\`).
NOTE
echo "vendored $package $resolved into $target"
