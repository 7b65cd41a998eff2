#!/usr/bin/env bash
# The test command of README.md (and of CI): install, check as nbdev's CI does, run every notebook's tests.
# Each check counts once: notebooks clean, library exported, README current, every model swept (tools/sweep_models.py),
# one per notebook, docs site.
set -uo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
bash tools/install.sh || exit 1
bash tools/sysdeps.sh || exit 1
export PATH="$PWD/.venv/bin:$PATH"
passed=0; failed=0
ok()   { echo "PASS: $1"; passed=$((passed + 1)); }
bad()  { echo "FAIL: $1"; failed=$((failed + 1)); }
snapshot() { find nbs transformer_ground_up README.md -type f -not -path '*/__pycache__/*' -not -path '*/.ipynb_checkpoints/*' -print0 | sort -z | xargs -0 sha256sum; }
unchanged() { # name, command...: pass if the command changes no file
  local name=$1; shift; local before after
  before=$(snapshot); "$@" >/dev/null 2>&1; after=$(snapshot)
  if [ "$before" = "$after" ]; then ok "$name"
  else bad "$name: it changed $(diff <(echo "$before") <(echo "$after") | grep '^>' | awk '{print $3}' | sort -u | tr '\n' ' ')"; fi
}
unchanged "notebooks are clean (nbdev-clean changes nothing)" nbdev-clean
unchanged "library matches the notebooks (nbdev-export changes nothing)" nbdev-export

if python tools/tidy_outputs.py --check >/dev/null; then ok "tools/tidy_outputs.py keeps real blank lines (its doctests)"; else bad "tools/tidy_outputs.py --check"; fi

echo "== every model through PyTorch's ways of running it (tools/sweep_models.py)"
sweep=$(mktemp)
if python tools/sweep_models.py >"$sweep" 2>&1; then ok "every public model and converter passes tools/sweep_models.py ($(tail -1 "$sweep"))"
else bad "tools/sweep_models.py ($(tail -1 "$sweep"))"; grep -v '^ok\|^skip' "$sweep" | head -40; fi

echo "== nbdev-test (skipping #| slow and #| cuda cells)"
t0=$SECONDS
nbs=$(cd nbs && ls [!_.]*.ipynb)
log=$(mktemp)
nbdev-test --timing 2>&1 | tee "$log"
failed_nbs=$(sed -n '/Tests Failed On The Following Notebooks/,$p' "$log" | grep -oE '[^[:space:]]+\.ipynb' || true)
for nb in $nbs; do
  if echo "$failed_nbs" | grep -qx "$nb"; then bad "nbdev-test $nb"; else ok "nbdev-test $nb"; fi
done
echo "nbdev-test took $((SECONDS - t0)) s"

echo "== README.md and docs site from the saved notebook outputs"
readme=$(mktemp)
if python tools/build_site.py --readme-only "$readme" && cmp -s "$readme" README.md; then ok "README.md is what nbs/index.ipynb renders to"
else bad "README.md differs from nbs/index.ipynb: run 'bash tools/refresh.sh' (it rewrites README.md)"; diff "$readme" README.md | head -20; fi
if python tools/build_site.py --site _site && python tools/check_site.py _site $(cat tools/site_pages.txt); then ok "docs site renders in Chromium"
else bad "docs site renders in Chromium"; fi

echo "tests took $((SECONDS - start)) s in all"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
