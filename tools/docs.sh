#!/usr/bin/env bash
# The docs command of README.md: build the documentation site into _site/ from the notebooks.
# Executes fresh copies of the notebooks (toy sizes; `#| slow`/`#| cuda` cells keep their saved outputs),
# processes them with nbdev, renders them with MkDocs Material, and checks the pages in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
bash tools/install.sh
bash tools/sysdeps.sh
export PATH="$PWD/.venv/bin:$PATH"
echo "== nbdev-export"; nbdev-export
echo "== executing the notebooks (copies in _build/nbs)"
rm -rf _build/nbs _proc && mkdir -p _build && cp -r nbs _build/nbs
nbdev-test _build/nbs --save --timing
echo "== nbdev docs processing (show_doc) and mkdocs build"
python tools/build_site.py --nbs _build/nbs --site _site
echo "== checking the site in headless Chromium"
python tools/check_site.py _site $(cat tools/site_pages.txt)
echo "docs built in $((SECONDS - start)) s: open _site/index.html (or: python -m http.server -d _site)"
