"Every `cde-nb table` in README prints what its command prints from the committed records (`python results/make_tables.py` remakes them)."
import glob, re, shlex
import pytest
from pathlib import Path
from cde_nb.cli import main

ROOT = Path(__file__).parent.parent
MARK = re.compile(r'<!-- table: (cde-nb table .+?) -->\n(.*?)<!-- /table -->', re.S)
TABLES = MARK.findall((ROOT/'README.md').read_text())

def test_readme_has_tables(): assert len(TABLES) > 10

@pytest.mark.parametrize('cmd,shown', TABLES, ids=[c for c, _ in TABLES])
def test_table_matches_its_records(cmd, shown, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = shlex.split(cmd)[1:]
    main([a for x in args for a in (sorted(glob.glob(x)) or [x])])
    assert capsys.readouterr().out.strip() == shown.strip(), f'README is stale for `{cmd}`: run `python results/make_tables.py`'
