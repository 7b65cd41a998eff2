"""Collapse carriage-return progress updates in notebooks' saved stream outputs.

Console progress bars (fastprogress outside Jupyter, e.g. under `nbdev-test --save`) redraw with '\\r'; a
terminal shows only the last state of each line, and so should the saved notebook and the docs.

    python tools/tidy_outputs.py nbs/*.ipynb
    python tools/tidy_outputs.py --check   # its own examples (tools/test.sh runs this)
"""
import json, re, sys
from pathlib import Path

def tidy(text:str)->str:
    """Keep the last state of each redrawn line; drop the lines a progress bar left empty, keep real blank lines.

    >>> tidy('loading 10%\\rloading 100%\\nROMEO:\\nBut soft!\\n\\nJULIET:\\n\\r    \\rdone\\n')
    'loading 100%\\nROMEO:\\nBut soft!\\n\\nJULIET:\\ndone\\n'
    >>> tidy('a\\n\\r   \\nb')
    'a\\nb'
    """
    out = []
    for l in text.split('\n'):
        last = l.rsplit('\r', 1)[-1]
        if '\r' in l and not last.strip(): continue   # a progress bar erased on a line of its own
        out.append(last)
    return '\n'.join(out)

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

if __name__ == '__main__':
    if sys.argv[1:] == ['--check']:
        import doctest; fails = doctest.testmod().failed; print(f"tidy_outputs: {'ok' if not fails else 'FAILED'}"); sys.exit(bool(fails))
    main(sys.argv[1:])
