"""README.md is made from nbs/index.ipynb (no Quarto here): `python tests/test_readme.py` rewrites it; the test checks
they are in step, and that CI's test command is the one README shows."""
import json, re
from pathlib import Path

ROOT = Path(__file__).parent.parent

def readme_from_index() -> str:
    nb = json.loads((ROOT/'nbs'/'index.ipynb').read_text())
    md = [''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'markdown']
    text = '\n\n'.join(md).replace('](images/', '](nbs/images/')
    cmd = re.search(r'^(nbdev_test .*?)\s+# the tests', text, re.M).group(1).strip()
    return text + f'\n\n<!-- test-command: {cmd} -->\n'

def test_readme_in_step_with_index():
    assert (ROOT/'README.md').read_text() == readme_from_index(), 'README.md is stale: run `python tests/test_readme.py`'

def test_readme_images_exist():
    for p in re.findall(r'\]\((nbs/images/[^)]+)\)', (ROOT/'README.md').read_text()): assert (ROOT/p).exists(), p

if __name__ == '__main__':
    (ROOT/'README.md').write_text(readme_from_index()); print('wrote README.md')
