#!/usr/bin/env bash
# Create .venv (if needed) and install the library with its dev tools, pinned by tools/constraints.txt.
# Re-running is cheap: nothing is reinstalled unless pyproject.toml or the constraints changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
export PIP_CONSTRAINT="$PWD/tools/constraints.txt" PIP_DISABLE_PIP_VERSION_CHECK=1
# seqeval is published as a setup.py sdist only; the legacy build trips over this venv's setuptools plugins, PEP 517 builds it in isolation.
export PIP_USE_PEP517=1
[ -x .venv/bin/python ] || { echo "== creating .venv with $($PY --version)"; "$PY" -m venv .venv; }
stamp=.venv/.tgu-install-stamp
want=$(cat pyproject.toml tools/constraints.txt tools/install.sh | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "== installing transformer_ground_up[dev] into .venv (pinned by tools/constraints.txt)"
  # Pip's notes about this machine's unused extra index folders are noise; everything else is shown.
  .venv/bin/python -m pip install -q -e ".[dev]" 2> >(grep -v "is ignored: it is neither" >&2)
  # fastai requires torchvision, and the only torchvision that accepts torch 2.13.0 is a CUDA build.
  # With a CPU-only torch it cannot load its C++ operators, and transformers imports it when it is
  # installed, so `from transformers import BertModel` would crash. Nothing here uses torchvision
  # (fastai.text never imports it), so where it cannot be imported it is removed. With CUDA torch it
  # imports fine and stays. `pip check` then names fastai's torchvision requirement: expected.
  if ! .venv/bin/python -c "import torchvision" >/dev/null 2>&1; then
    echo "== torchvision cannot load with this torch build: uninstalling it (see tools/install.sh)"
    .venv/bin/python -m pip uninstall -y -q torchvision
  fi
  .venv/bin/python -c "import torch, fastai.text.all, transformers, tokenizers; from transformers import BertModel" \
    || { echo "install check failed: the imports above must work" >&2; exit 1; }
  echo "$want" > "$stamp"
fi
.venv/bin/python -c "import torch; print(f'== .venv ready: torch {torch.__version__}, cuda available: {torch.cuda.is_available()}')"
