#!/usr/bin/env bash
# Install everything the project needs on a fresh Debian 12 machine (run as root).
#   bash scripts/setup.sh          runtime: fonts, pango, poppler, graphviz (业务流程图), the Python package
#   bash scripts/setup.sh --test   also the test tools: chromium, zbar, LibreOffice Calc, Python test extras
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

debs=(fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0 poppler-utils graphviz git)  # fontconfig: fc-list, to refuse printing without a Chinese font
# libreoffice-calc-nogui: the review tests re-save a 核对表 with a real spreadsheet program
[ "$want_test" = 1 ] && debs+=(chromium zbar-tools libreoffice-calc-nogui)

missing=()
for d in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q "install ok installed" || missing+=("$d")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

extra=""
[ "$want_test" = 1 ] && extra="[test]"
python3 -m pip install -q --disable-pip-version-check -e ".${extra}"
