#!/usr/bin/env bash
# Installs what the browser tests need, from Debian's packages and PyPI only (idempotent, quick when done):
# chromium and its driver at Debian's current version, together, fonts for Arabic (Noto Naskh/Kufi, Amiri) and
# Tifinagh (Noto Sans Tifinagh), and .venv-browser with the pinned requirements.txt beside this file.
# Prints the chromium version the tests will use.
set -euo pipefail
cd "$(dirname "$0")/../.."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
BROWSER=(chromium chromium-driver)
bash scripts/apt-install.sh "${BROWSER[@]}" fontconfig fonts-noto-core fonts-hosny-amiri \
  fonts-dejavu-core fonts-liberation python3-venv

installed() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }
candidate() { apt-cache policy "$1" | awk '/Candidate:/ {print $2}'; }

# Debian's current chromium: the package lists are refreshed when they are over six hours old (a security
# release can replace chromium any day), then both packages go to the candidate together. chromedriver only
# drives the chromium of its own version.
lists=/var/lib/apt/lists
if [ -z "$(find "$lists" -maxdepth 1 -name '*Packages*' -mmin -360 -print -quit 2>/dev/null)" ]; then
  $sudo apt-get update -qq
fi
stale=()
for p in "${BROWSER[@]}"; do
  want=$(candidate "$p")
  [ -n "$want" ] && [ "$want" != "(none)" ] && [ "$(installed "$p")" != "$want" ] && stale+=("$p")
done
if [ ${#stale[@]} -gt 0 ]; then
  echo "upgrading to Debian's current version: ${stale[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends --only-upgrade "${BROWSER[@]}"
fi
browser=$(chromium --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+){3}' || true)
driver=$(chromedriver --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+){3}' | head -1 || true)
if [ -z "$browser" ] || [ "$browser" != "$driver" ]; then
  echo "install.sh: chromium ${browser:-missing} and chromedriver ${driver:-missing} do not match" >&2
  exit 1
fi
echo "browser tests: chromium $browser (Debian $(installed chromium)), chromedriver $driver"

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
