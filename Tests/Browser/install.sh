#!/usr/bin/env bash
# Installs what the browser tests need, from Debian's packages and PyPI only (idempotent, quick when done):
# chromium and its driver, fonts for Arabic (Noto Naskh/Kufi, Amiri) and Tifinagh (Noto Sans Tifinagh), and
# .venv-browser with the pinned requirements.txt beside this file.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/apt-install.sh chromium chromium-driver fontconfig fonts-noto-core fonts-hosny-amiri \
  fonts-dejavu-core fonts-liberation python3-venv
VENV=.venv-browser
STAMP=$VENV/.qari-stamp
if [ ! -f "$STAMP" ] || [ Tests/Browser/requirements.txt -nt "$STAMP" ]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check $(grep -E '^selenium==' Tests/Browser/requirements.txt)
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps \
    $(grep -E '^axe-playwright-python==' Tests/Browser/requirements.txt)
  touch "$STAMP"
fi
