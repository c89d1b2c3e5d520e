"""README.md is made from nbs/index.ipynb and RESULTS.md from nbs/results.ipynb (no Quarto here): `python
tests/test_readme.py` rewrites both; the tests check that each is in step with its notebook, that every file it links
to exists, and that CI's test command is the one README shows."""
import json, re
from pathlib import Path

ROOT = Path(__file__).parent.parent
PAGES = {'README.md': 'index.ipynb', 'RESULTS.md': 'results.ipynb'}   # each page at the project root, and its notebook in nbs/
LINK = re.compile(r'\]\((?!https?:|mailto:|#|/)([^)\s]+)\)')          # a relative link target, in markdown

def _from_nbs(target:str)->str:
    "A link written relative to nbs/ (where the notebooks are), relative to the project root (where the pages are)."
    return target[len('../'):] if target.startswith('../') else 'nbs/' + target

def page_from_notebook(name:str)->str:
    "The markdown cells of nbs/`name`, joined, with their relative links (images/, ../RESULTS.md, 05_coupling.ipynb) made relative to the root."
    nb = json.loads((ROOT/'nbs'/name).read_text())
    md = [''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'markdown']
    return LINK.sub(lambda m: f'](' + _from_nbs(m[1]) + ')', '\n\n'.join(md))

def readme_from_index() -> str:
    text = page_from_notebook('index.ipynb')
    cmd = re.search(r'^(nbdev_test .*?)\s+# the tests', text, re.M).group(1).strip()
    return text + f'\n\n<!-- test-command: {cmd} -->\n'

def results_from_notebook() -> str: return page_from_notebook('results.ipynb') + '\n'

MAKERS = {'README.md': readme_from_index, 'RESULTS.md': results_from_notebook}

def test_readme_in_step_with_index():
    assert (ROOT/'README.md').read_text() == readme_from_index(), 'README.md is stale: run `python tests/test_readme.py`'

def test_results_in_step_with_notebook():
    assert (ROOT/'RESULTS.md').read_text() == results_from_notebook(), 'RESULTS.md is stale: run `python tests/test_readme.py`'

def test_readme_links_to_results():
    assert '](RESULTS.md)' in (ROOT/'README.md').read_text()

def _anchors(page:str)->set:
    "The #anchors GitHub gives the headings of a markdown page: lower case, punctuation dropped, spaces as hyphens."
    heads = re.findall(r'^#+ (.+)$', re.sub(r'```.*?```', '', (ROOT/page).read_text(), flags=re.S), re.M)
    return {re.sub(r'[^\w\- ]', '', h.strip().lower()).replace(' ', '-') for h in heads}

def test_readme_and_results_links_exist():
    "Every image and file README and RESULTS link to is there, and so is each #heading they link to."
    for page in PAGES:
        text = (ROOT/page).read_text()
        for target in LINK.findall(text) + ['#' + a for a in re.findall(r'\]\(#([^)\s]+)\)', text)]:
            file, _, anchor = target.partition('#')
            assert (ROOT/(file or page)).exists(), f'{page} links to {target}, which does not exist'
            if anchor and (file or page).endswith('.md'): assert anchor in _anchors(file or page), f'{page} links to {target}: no such heading'

def test_readme_images_exist():
    for page in PAGES:
        imgs = re.findall(r'\]\((nbs/images/[^)]+)\)', (ROOT/page).read_text())
        for p in imgs: assert (ROOT/p).exists(), p
    assert re.search(r'\]\(nbs/images/[^)]+\)', (ROOT/'README.md').read_text()), 'README shows no picture'

if __name__ == '__main__':
    for page, make in MAKERS.items(): (ROOT/page).write_text(make()); print(f'wrote {page}')
