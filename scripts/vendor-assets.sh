#!/usr/bin/env bash
# Refreshes the front-end assets under static/vendor/ from the npm registry.
# The copies are committed so that an intranet install needs neither npm nor the internet;
# run this only to change a version (the versions live in package.json).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version() { node -p "require('$PWD/package.json').dependencies['$1']"; }
bs_version=$(version bootstrap)
bi_version=$(version bootstrap-icons)
trix_version=$(version trix)
(cd "$work" && npm pack --silent "bootstrap@$bs_version" "bootstrap-icons@$bi_version" "trix@$trix_version" >/dev/null)
for tgz in "$work"/*.tgz; do
  name=$(basename "$tgz" .tgz); mkdir -p "$work/$name"; tar xzf "$tgz" -C "$work/$name"
done
rm -rf static/vendor/bootstrap static/vendor/bootstrap-icons static/vendor/trix
mkdir -p static/vendor/bootstrap/css static/vendor/bootstrap/js static/vendor/bootstrap-icons/fonts
bs="$work/bootstrap-$bs_version/package"
cp "$bs"/dist/css/bootstrap.min.css "$bs"/dist/css/bootstrap.min.css.map static/vendor/bootstrap/css/
cp "$bs"/dist/js/bootstrap.bundle.min.js "$bs"/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/js/
cp "$bs"/LICENSE static/vendor/bootstrap/
bi="$work/bootstrap-icons-$bi_version/package"
cp "$bi"/font/bootstrap-icons.min.css static/vendor/bootstrap-icons/
cp "$bi"/font/fonts/bootstrap-icons.woff2 "$bi"/font/fonts/bootstrap-icons.woff static/vendor/bootstrap-icons/fonts/
cp "$bi"/LICENSE static/vendor/bootstrap-icons/
# Trix, the rich-text editor of notice bodies (its UMD build bundles DOMPurify).
mkdir -p static/vendor/trix
trix="$work/trix-$trix_version/package"
cp "$trix"/dist/trix.umd.min.js "$trix"/dist/trix.umd.min.js.map "$trix"/dist/trix.css "$trix"/LICENSE static/vendor/trix/
echo "static/vendor refreshed"
