#!/usr/bin/env bash
# Installs the Debian packages the project needs when they are missing: `run` needs gettext (to
# compile the translation catalogues), Pango and a CJK font (for PDFs with Chinese text); `test`
# also needs Chromium (browser tests) and poppler-utils (to inspect the PDFs' fonts); `bench` needs wrk
# (the load generator of `make bench`).
# As root it installs them with apt; otherwise it names what is missing and stops.
set -euo pipefail
want=(gettext fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0)
[ "${1:-run}" = test ] && want+=(chromium poppler-utils)
[ "${1:-run}" = bench ] && want+=(wrk)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >/dev/null
