"""Run chosen `#| slow`/`#| cuda` cells of a notebook (after its default cells) and save only their outputs.

For a slow cell that only needs what a default run and a cached model provide (an explorer of a trained model,
a plot of a finished run), running every slow cell of the chapter again would cost its whole training time.
This runs the notebook's default cells up to the last chosen cell, plus the chosen ones, on a copy, and copies
the chosen cells' outputs back; every other cell keeps its saved output.

    .venv/bin/python tools/run_cells.py nbs/07_gpt.ipynb CELL_ID [CELL_ID ...]   # +CELL_ID: run it, keep its saved output
"""
import json, re, subprocess, sys
from pathlib import Path

def run_cells(path:Path, ids:set, keep:set=frozenset()):
    "Run the default cells and `ids` (and `keep`) up to the last of them on a copy; save the outputs of `ids`."
    nb, ids = json.loads(path.read_text()), set(ids) | set(keep)
    cells = nb['cells']
    missing = ids - {c.get('id') for c in cells}
    if missing: sys.exit(f"run_cells: no cell with id {', '.join(sorted(missing))} in {path}")
    last = max(i for i, c in enumerate(cells) if c.get('id') in ids)
    copy = dict(nb, cells=[dict(c) for c in cells[:last + 1]])
    for c in copy['cells']:
        if c.get('id') in ids: c['source'] = re.sub(r'^#\|\s*(slow|cuda)\s*$\n?', '', ''.join(c['source']), flags=re.M)
    tmp = path.parent/f'_run_cells_{path.name}'  # beside the original: relative paths resolve the same
    try:
        tmp.write_text(json.dumps(copy))
        subprocess.run([str(Path(sys.executable).parent/'nbdev-test'), str(tmp), '--save', '--cell-timeout', '0'], check=True)
        done = {c.get('id'): c for c in json.loads(tmp.read_text())['cells']}
    finally: tmp.unlink(missing_ok=True)
    for c in cells:
        if c.get('id') in ids - set(keep): c['outputs'] = done[c['id']].get('outputs', [])
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    print(f"saved the outputs of {len(ids - set(keep))} cell(s) in {path}; run nbdev-clean before committing")

if __name__ == '__main__':
    if len(sys.argv) < 3: sys.exit(__doc__)
    run_cells(Path(sys.argv[1]), {a for a in sys.argv[2:] if a[0] != '+'}, {a[1:] for a in sys.argv[2:] if a[0] == '+'})
