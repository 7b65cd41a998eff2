#!/usr/bin/env bash
# System packages from Debian/Ubuntu that the tests need: current package lists (the data chapter fetches
# the German-English corpus with `apt-get download trans-de-en`) and Chromium (the docs-site check).
# Runs apt-get as root, or through `sudo -n` where that works; otherwise says what to run.
set -euo pipefail
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo -n"
have_lists() { apt-cache show trans-de-en >/dev/null 2>&1; }
have_chromium() { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }
have_lists && have_chromium && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "tools/sysdeps.sh: no apt-get here: install Chromium yourself and put the Ding dictionary file de-en" >&2
  echo "  (Debian package trans-de-en) under \$TGU_DATA_DIR/deb/trans-de-en/usr/share/trans/de-en." >&2
  exit 0
fi
if [ -n "$SUDO" ] && ! $SUDO true 2>/dev/null; then
  echo "tools/sysdeps.sh: needs root for: apt-get update && apt-get install chromium" >&2; exit 1
fi
have_lists || { echo "== apt-get update"; $SUDO apt-get update -qq; }
if ! have_chromium; then
  echo "== apt-get install chromium (for the docs-site check)"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium-browser >/dev/null
fi
