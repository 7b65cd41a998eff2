"""Open every page of the built docs site in headless Chromium and check what a reader would see.

Every page (the library's `Chromium`, driven over the DevTools protocol, runs its JavaScript):
- a heading; every formula of the page's notebook rendered by KaTeX (no raw TeX, no KaTeX error), and no amount of money
  typeset as one (a formula that is an amount like `2.5k-`, or one followed at once by a digit: `$2.5k-$50k` read as TeX);
- code and outputs wider than the page scroll sideways instead of being cut off;
- every attention explorer drew its bars;
- every internal link and anchor resolves inside the site, and no link points at the deployed site's address.
Chapters named on the command line must also show an API entry (a `show_doc` heading and signature of the given
function) and, with ':img', an image (a plot); the search index must cover them. Screenshots go to
_build/screenshots/.

    python tools/check_site.py _site 01_data:load_corpus:img 00_core:plot_attention:img
"""
import html, json, re, sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, unquote
import yaml
from build_site import RESULT  # the results-cell marker the build reads

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = yaml.safe_load((ROOT/'mkdocs.yml').read_text())['site_url']

def formulas(nb:Path)->int:
    "Number of `$...$` / `$$...$$` formulas in a notebook's markdown cells (code spans and blocks aside)."
    n = 0
    for c in json.loads(nb.read_text())['cells']:
        if c['cell_type'] != 'markdown': continue
        s = re.sub(r'`[^`]*`', '', re.sub(r'```.*?```', '', ''.join(c['source']), flags=re.S)).replace('\\$', '')  # `\$`: a dollar sign
        display = re.findall(r'\$\$.+?\$\$', s, re.S)
        n += len(display) + len(re.findall(r'\$[^$\n]+?\$', re.sub(r'\$\$.+?\$\$', '', s, flags=re.S)))
    return n

class Links(HTMLParser):
    "Ids/names a page defines, and the links it makes (<a href>, and <link>/<script>/<img> resources)."
    def __init__(self): super().__init__(); self.ids, self.links = set(), []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get('id'): self.ids.add(a['id'])
        if tag == 'a' and a.get('name'): self.ids.add(a['name'])
        if tag == 'a' and a.get('href'): self.links.append(('a', a['href']))
        if tag in ('link', 'script', 'img') and (u := a.get('href') or a.get('src')): self.links.append((tag, u))

def broken_links(site:Path)->list:
    "(page, link, why) for every internal link or anchor that does not resolve, over all pages."
    pages = {}
    for f in site.rglob('*.html'):
        if f.name != '404.html': p = Links(); p.feed(f.read_text()); pages[f.resolve()] = p  # 404.html: server-rooted addresses by design
    bad = []
    for f, p in pages.items():
        for tag, u in p.links:
            if u.startswith(SITE_URL) and tag == 'a': bad.append((f, u, 'points at the deployed site, not at the built page')); continue
            s = urlsplit(u)
            if s.scheme or u.startswith('//'): continue
            t = (f.parent/unquote(s.path)).resolve() if s.path else f
            if t.is_dir(): t = t/'index.html'
            if not t.exists(): bad.append((f, u, 'no such file in the site')); continue
            if s.fragment and t in pages and unquote(s.fragment) not in pages[t].ids: bad.append((f, u, 'no such anchor'))
    return bad

PAGE_JS = """(() => {
  const art = document.querySelector('article') || document.body, txt = art.cloneNode(true);
  txt.querySelectorAll('pre, code, script, style, .katex, textarea, .clipboard-copy-txt, .tgu-dollar').forEach(e => e.remove());
  const amount = /^\\d[\\d,]*(\\.\\d+)?\\s*((k|K|M|bn|B)\\s*[-\u2013]?|[-\u2013])$/;  // 2.5k-, 10k, 80-: an amount, not a formula
  const money = [...art.querySelectorAll('.katex')].map(k => [k.querySelector('annotation')?.textContent.trim() || '',
      ((k.closest('.katex-display') || k).parentElement.nextSibling || {}).textContent || ''])
    .filter(([tex, after]) => amount.test(tex) || /^\\d/.test(after)).map(([tex, after]) => `$${tex}$${after.slice(0, 12)}`);
  const cut = [...art.querySelectorAll('pre')].filter(e => e.scrollWidth > e.clientWidth + 1)
    .filter(e => !['auto', 'scroll'].includes(getComputedStyle(e).overflowX)).map(e => e.textContent.slice(0, 60))
    .concat([...art.querySelectorAll('pre')].filter(e => getComputedStyle(e).whiteSpace !== 'pre').map(e => 'wraps: ' + e.textContent.slice(0, 50)));
  const ex = [...art.querySelectorAll('.tgu-explorer')];
  return {h1: !!art.querySelector('h1'), katex: art.querySelectorAll('.katex').length, errors: art.querySelectorAll('.katex-error').length,
          raw: (txt.textContent.match(/\\$\\$|\\$[^$\\n]+\\$/g) || []).slice(0, 3), money: money.slice(0, 3), cut,
          explorers: ex.length, drawn: ex.filter(e => e.querySelectorAll('.tgu-bar').length > 0).length,
          img: !!art.querySelector('img[src^="data:image/png"]'), html: document.documentElement.outerHTML};
})()"""

def check(site:Path, specs:list)->int:
    from transformer_ground_up.core import Chromium
    shots = ROOT/'_build'/'screenshots'; shots.mkdir(parents=True, exist_ok=True)
    fails = []
    def expect(ok, what):
        print(('  ok   ' if ok else '  FAIL ') + what)
        if not ok: fails.append(what)
    api = {s.split(':')[0]: s.split(':')[1:] for s in specs}
    pages = sorted(f for f in site.glob('*.html') if f.name != '404.html')
    for spec in api: expect((site/f'{spec}.html').exists(), f'{spec}: page built')
    with Chromium(1280, 2000) as b:
        for f in pages:
            name = f.stem
            r = b.open(f.resolve().as_uri()).js(PAGE_JS)
            b.screenshot(shots/f'{name}.png')
            want = formulas(f.with_suffix('.ipynb')) if f.with_suffix('.ipynb').exists() else 0
            expect(r['h1'], f'{name}: a <h1> heading')
            expect(r['katex'] == want and not r['errors'], f"{name}: {want} formulas rendered by KaTeX (rendered {r['katex']}, errors {r['errors']})")
            expect(not r['raw'], f"{name}: no raw TeX left in the text {r['raw'] or ''}")
            expect(not r['money'], f"{name}: no currency amount typeset as a formula {r['money'] or ''}")
            expect(not r['cut'], f"{name}: wide code and outputs scroll, never wrap {r['cut'][:2] or ''}")
            expect(r['drawn'] == r['explorers'], f"{name}: every attention explorer drew its bars ({r['drawn']} of {r['explorers']})")
            if name in api:
                fn, *img = api[name]
                dom = r['html']
                heads = [html.unescape(re.sub('<[^>]+>', '', h)) for h in re.findall(r'<h[2-4][^>]*>(.*?)</h[2-4]>', dom, re.S)]
                expect(any(h.strip().rstrip('¶').strip() == fn for h in heads), f'{name}: API entry heading {fn!r}')
                sig = re.search(rf'(def|class)</span>(<span[^>]*>\s*</span>)?\s*<span[^>]*>{re.escape(fn)}</span>(.*?)</pre>', dom, re.S)
                expect(sig is not None and '<span class="c1">#' in sig.group(3), f'{name}: show_doc signature of {fn!r} with its documented parameters')
                if img: expect(r['img'], f'{name}: an image (plot)')
        marks = sum(len(RESULT.findall(''.join(c['source']))) for f in sorted((ROOT/'nbs').glob('*.ipynb'))
                    for c in json.loads(f.read_text())['cells'] if c['cell_type'] == 'code')
        r = b.open((site/'results.html').resolve().as_uri()).js(
            "[document.querySelectorAll('article h3').length, document.querySelectorAll('article img[src^=\"data:image/png\"]').length]") if (site/'results.html').exists() else [0, 0]
        expect(r[0] == marks and r[1] > 0, f"results page: every one of the notebooks' {marks} results cells, with plots ({r[0]} sections, {r[1]} images)")
        home = b.open((site/'index.html').resolve().as_uri()).js("!!document.querySelector('article a[href=\"results.html\"]')")
        expect(home, 'home page links to the results page')
    bad = broken_links(site)
    for f, u, why in bad[:30]: print(f'         {f.relative_to(site.resolve())}: {u}: {why}')
    expect(not bad, f'every internal link and anchor resolves ({len(bad)} broken)')
    idx = json.loads((site/'search'/'search_index.json').read_text())
    locs = {d['location'].split('#')[0].removesuffix('.html') for d in idx['docs']}
    for name in api: expect(name in locs, f"search index covers {name}")
    print(f"site check: {len(pages)} pages, {len(fails)} failed; screenshots in {shots}")
    return len(fails)

if __name__ == '__main__':
    sys.exit(1 if check(Path(sys.argv[1]), sys.argv[2:]) else 0)
