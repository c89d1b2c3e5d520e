"""The notebooks through nbdev's own runner, one pytest item each.

CI runs every notebook once with `nbdev_test` (README's test command) and does not run them again here; set
CDE_NB_NOTEBOOKS=1 to run them as pytest items instead (e.g. `CDE_NB_NOTEBOOKS=1 pytest tests/test_notebooks.py -k coupling`).
"""
import os, re, json, pytest
from pathlib import Path

NBS = Path(__file__).parent.parent/'nbs'
notebooks = sorted(p for p in NBS.glob('*.ipynb') if not p.name.startswith(('_', '.')))

@pytest.mark.parametrize('nb', notebooks, ids=[p.stem for p in notebooks])
def test_notebook_exports_its_module(nb):
    "Every numbered notebook declares `default_exp` and its module exists in the library."
    if not re.match(r'\d\d_', nb.name): pytest.skip('not a module notebook')
    cells = json.loads(nb.read_text())['cells']
    exp = [m.group(1) for c in cells if c['cell_type'] == 'code'
           for m in [re.search(r'#\|\s*default_exp\s+(\S+)', ''.join(c['source']))] if m]
    assert exp, f'{nb.name} has no `#| default_exp` cell'
    assert (NBS.parent/'cde_nb'/(exp[0].replace('.', '/') + '.py')).exists(), f'{nb.name}: module {exp[0]} missing: run nbdev_export'

@pytest.mark.skipif(not os.environ.get('CDE_NB_NOTEBOOKS'), reason='notebooks already run by nbdev_test; set CDE_NB_NOTEBOOKS=1')
@pytest.mark.parametrize('nb', notebooks, ids=[p.stem for p in notebooks])
def test_notebook_runs(nb, monkeypatch):
    from nbdev.test import test_nb
    monkeypatch.setenv('IN_TEST', '1'); monkeypatch.chdir(NBS)
    ok, secs = test_nb(nb, basepath=NBS.parent)
    assert ok, f'{nb.name} failed under nbdev\'s runner'

PAGES = ('index.ipynb', 'results.ipynb')   # README.md and RESULTS.md are made from their markdown cells (tests/test_readme.py)

@pytest.mark.parametrize('name', PAGES)
def test_page_notebook_has_no_code(name):
    "index and results are pages, not modules: markdown cells only (index keeps a hidden import), so nbdev exports nothing from them and nothing of theirs is missing from README or RESULTS."
    cells = json.loads((NBS/name).read_text())['cells']
    code = [''.join(c['source']) for c in cells if c['cell_type'] != 'markdown']
    assert all(c.lstrip().startswith('#| hide') and 'export' not in c for c in code), f'{name} has code cells: move them to a module notebook'
    assert not any(c.get('outputs') for c in cells), f'{name} has outputs'

DRAWS = re.compile(r'plt\.|plot_|imshow|\.hist\(|Explorer\(')
BUDGET_MB = 12   # all notebooks together, outputs included (PNG figures at 72 dpi)

@pytest.mark.parametrize('nb', notebooks, ids=[p.stem for p in notebooks])
def test_notebook_shows_its_figures(nb):
    "A notebook that draws is committed with its outputs (made by `python tools/run_notebooks.py`), images included."
    cells = json.loads(nb.read_text())['cells']
    code = [c for c in cells if c['cell_type'] == 'code' and not ''.join(c['source']).lstrip().startswith('#| export')]
    if not any(DRAWS.search(''.join(c['source'])) for c in code): pytest.skip('draws nothing')
    outs = [o for c in code for o in c.get('outputs', [])]
    assert any('image/png' in o.get('data', {}) for o in outs), f'{nb.name} draws but has no figure saved: run `python tools/run_notebooks.py {nb.stem}`'

def test_notebooks_size_budget():
    total = sum(p.stat().st_size for p in notebooks)/1e6
    assert total < BUDGET_MB, f'notebooks take {total:.1f} MB with their outputs; the budget is {BUDGET_MB} MB'

# what a committed output must not carry: terminal escape codes, progress bars, and this machine's folders
LEAKS = [('a terminal escape code', re.compile(r'\x1b\[')), ('a progress bar', re.compile(r'\d+%\|[^|\n]*\|\s*\d+/\d+|\d+(\.\d+)?(it/s|s/it)\]')),
         ('an absolute path of this machine', re.compile('|'.join(re.escape(str(p)) for p in {NBS.parent.resolve(), Path.home()}) + r'|/tmp/'))]

@pytest.mark.parametrize('nb', notebooks, ids=[p.stem for p in notebooks])
def test_outputs_are_clean(nb):
    "Committed outputs read the same on any machine: no escape codes, no progress bars, no absolute paths of the machine that ran them."
    for i, c in enumerate(json.loads(nb.read_text())['cells']):
        for o in c.get('outputs', []):
            texts = [''.join(o.get('text', ''))] + [''.join(v) if isinstance(v, list) else str(v) for k, v in o.get('data', {}).items() if k.startswith('text/')]
            for what, pat in LEAKS:
                hit = next((m for t in texts if (m := pat.search(t))), None)
                assert hit is None, f"{nb.name}, cell {i}: its output carries {what} ({hit.group(0)!r}): rerun it with `python tools/run_notebooks.py {nb.stem}` from a clean state, or print paths relative to the project"

# one visual language: a figure takes its colours from the package's palettes, never picks a tab10 colour of its own
PALETTES = re.compile(r"Strategy\(|register_strategy\(|^\s*(BASELINE_COLORS|CHAIN_COLORS|CLASS_COLORS|VERDICT_COLORS) = |color: str = ", re.M)
OWN_COLOUR = re.compile(r"['\"]tab:\w+['\"]|get_cmap\(['\"]tab(10|20)['\"]\)|\b(c|color)=['\"]C\d['\"]")

@pytest.mark.parametrize('nb', notebooks, ids=[p.stem for p in notebooks])
def test_figures_use_the_palettes(nb):
    "Methods are drawn in METHOD_COLORS, chains in CHAIN_COLORS, classes in CLASS_COLORS, right/wrong in VERDICT_COLORS: only the cells defining them name a tab10 colour."
    for i, c in enumerate(json.loads(nb.read_text())['cells']):
        s = ''.join(c['source'])
        if c['cell_type'] != 'code' or PALETTES.search(s): continue
        m = OWN_COLOUR.search(s)
        assert m is None, f"{nb.name}, cell {i} picks its own colour {m.group(0)}: use cde_nb.bench's METHOD_COLORS, CLASS_COLORS or VERDICT_COLORS, or coupling's CHAIN_COLORS"
