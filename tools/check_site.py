"""Open the built docs site in headless Chromium and check that real content rendered.

For the home page and each chapter page named on the command line, Chromium loads the page (running its
JavaScript) and dumps the DOM; the check asserts a heading, and for chapters an API entry (a `show_doc`
heading and signature of a given function) and, where asked, an image (a plot). It also checks the search index covers the
chapters. Screenshots go to _build/screenshots/.

    python tools/check_site.py _site 01_data:load_corpus:img 00_core:plot_attention:img   # ':img': expect a plot
"""
import html, json, re, shutil, subprocess, sys, tempfile
from pathlib import Path

def chromium():
    for c in ('chromium', 'chromium-browser', 'google-chrome'):
        if p := shutil.which(c): return p
    sys.exit("check_site: no Chromium found: install it (Debian: apt-get install chromium; tools/sysdeps.sh does)")

FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--virtual-time-budget=4000']

def dump(url, shot=None):
    with tempfile.TemporaryDirectory() as prof:
        args = [chromium(), *FLAGS, f'--user-data-dir={prof}']
        r = subprocess.run(args + ['--dump-dom', url], capture_output=True, text=True, timeout=120)
        if shot: subprocess.run(args + ['--window-size=1280,2000', f'--screenshot={shot}', url], capture_output=True, timeout=120)
    if r.returncode != 0 or '<body' not in r.stdout: sys.exit(f"check_site: Chromium could not render {url}:\n{r.stderr[-2000:]}")
    return r.stdout

def check(site:Path, pages:list)->int:
    shots = Path(__file__).resolve().parent.parent/'_build'/'screenshots'; shots.mkdir(parents=True, exist_ok=True)
    fails = []
    def expect(ok, what):
        print(('  ok   ' if ok else '  FAIL ') + what)
        if not ok: fails.append(what)
    home = dump((site/'index.html').resolve().as_uri(), shots/'index.png')
    expect(re.search(r'<h1[^>]*>.*?transformer_ground_up', home, re.S) is not None, 'home page: <h1> with the project name')
    for spec in pages:
        page, api, *img = spec.split(':')
        dom = dump((site/page/'index.html').resolve().as_uri(), shots/f'{page}.png')
        expect(re.search(r'<h1[^>]*>', dom) is not None, f'{page}: a <h1> heading')
        heads = [html.unescape(re.sub('<[^>]+>', '', h)) for h in re.findall(r'<h[2-4][^>]*>(.*?)</h[2-4]>', dom, re.S)]
        expect(any(h.strip().rstrip('¶').strip() == api for h in heads), f'{page}: API entry heading {api!r}')
        sig = re.search(rf'(def|class)</span>(<span[^>]*>\s*</span>)?\s*<span[^>]*>{re.escape(api)}</span>(.*?)</pre>', dom, re.S)
        expect(sig is not None and '<span class="c1">#' in sig.group(3), f'{page}: show_doc signature of {api!r} with its documented parameters')
        if img: expect(re.search(r'<img[^>]+src="data:image/png', dom) is not None, f'{page}: an image (plot)')
    idx = json.loads((site/'search'/'search_index.json').read_text())
    locs = {d['location'].split('/')[0] for d in idx['docs']}
    for spec in pages: expect(spec.split(':')[0] in locs, f"search index covers {spec.split(':')[0]}")
    print(f"site check: {len(fails)} failed; screenshots in {shots}")
    return len(fails)

if __name__ == '__main__':
    sys.exit(1 if check(Path(sys.argv[1]), sys.argv[2:]) else 0)
