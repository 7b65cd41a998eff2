"""Collapse carriage-return progress updates in notebooks' saved stream outputs.

Console progress bars (fastprogress outside Jupyter, e.g. under `nbdev-test --save`) redraw with '\\r'; a
terminal shows only the last state of each line, and so should the saved notebook and the docs.

    python tools/tidy_outputs.py nbs/*.ipynb
"""
import json, re, sys
from pathlib import Path

def tidy(text:str)->str:
    lines = [l.rsplit('\r', 1)[-1] for l in text.split('\n')]
    return '\n'.join(l for i, l in enumerate(lines) if l.strip() or i == len(lines) - 1)

def main(paths):
    for p in map(Path, paths):
        nb = json.loads(p.read_text())
        changed = False
        for c in nb['cells']:
            for o in c.get('outputs', []):
                if o.get('output_type') == 'stream':
                    old = ''.join(o['text'])
                    new = tidy(old)
                    if new != old: o['text'], changed = new.splitlines(keepends=True), True
        if changed: p.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')

if __name__ == '__main__': main(sys.argv[1:])
