#!/usr/bin/env bash
# For authors, before committing: run every notebook in place and save its outputs (what GitHub and the
# test command's site check show), clean the notebooks, export the library and regenerate README.md from
# nbs/index.ipynb. `#| slow`/`#| cuda` cells are not run and keep their outputs; run them yourself with
# `nbdev-test --flags "slow cuda" --cell-timeout 0 --save PATH` where you have the time (and the GPU).
# Usage: bash tools/refresh.sh [NOTEBOOK ...]   (default: all notebooks)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install.sh
export PATH="$PWD/.venv/bin:$PATH"
nbdev-export
if [ $# -eq 0 ]; then nbdev-test --save --timing; else for nb in "$@"; do nbdev-test "$nb" --save --timing; done; fi
python tools/tidy_outputs.py nbs/*.ipynb   # console progress bars: keep what a terminal would show
nbdev-clean
nbdev-export
python tools/build_site.py --readme-only README.md
echo "refreshed: review 'git diff', then commit"
