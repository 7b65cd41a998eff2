#!/usr/bin/env bash
# For authors, before committing: run every notebook in place and save its outputs (what GitHub and the
# test command's site check show), clean the notebooks, export the library and regenerate README.md from
# nbs/index.ipynb. `#| slow`/`#| cuda` cells are not run and keep their outputs; run them yourself with
# `nbdev-test --flags "slow cuda" --save PATH` where you have the time (and the GPU).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install.sh
export PATH="$PWD/.venv/bin:$PATH"
nbdev-export
nbdev-test ${1:-} --save --timing
nbdev-clean
nbdev-export
python tools/build_site.py --readme-only README.md
echo "refreshed: review 'git diff', then commit"
