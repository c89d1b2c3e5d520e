"""Every table of README.md and RESULTS.md is what its command prints from the committed records
(`python results/make_tables.py` remakes them): `cde-nb table` in this process, the scripts' tables by
make_tables' own runner."""
import glob, importlib.util, re, shlex
import pytest
from pathlib import Path
from cde_nb.cli import main

ROOT = Path(__file__).parent.parent
PAGES = ('README.md', 'RESULTS.md')
MARK = re.compile(r'<!-- table: (.+?) -->\n(.*?)<!-- /table -->', re.S)
MARKS = [(page, cmd, shown) for page in PAGES for cmd, shown in MARK.findall((ROOT/page).read_text())]
TABLES = [(p, c, s) for p, c, s in MARKS if c.startswith('cde-nb table ')]
# the other commands of make_tables; not tools/reliability_table.py, some of whose messages depend on the data folder a
# machine has (tests/test_reliability.py checks each of its cases)
SCRIPTS = [(p, c, s) for p, c, s in MARKS if not c.startswith('cde-nb table ') and c != 'python tools/reliability_table.py']

def _make_tables():
    spec = importlib.util.spec_from_file_location('make_tables', ROOT/'results'/'make_tables.py')
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

def test_readme_has_tables():
    assert len(TABLES) > 10
    assert [c for p, c, _ in MARKS if p == 'README.md'], 'README shows no table'

@pytest.mark.parametrize('page,cmd,shown', TABLES, ids=[f'{p}: {c}' for p, c, _ in TABLES])
def test_table_matches_its_records(page, cmd, shown, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = shlex.split(cmd)[1:]
    main([a for x in args for a in (sorted(glob.glob(x)) or [x])])
    assert capsys.readouterr().out.strip() == shown.strip(), f'{page} is stale for `{cmd}`: run `python results/make_tables.py`'

@pytest.mark.parametrize('page,cmd,shown', SCRIPTS, ids=[f'{p}: {c}' for p, c, _ in SCRIPTS])
def test_script_table_matches_its_records(page, cmd, shown):
    assert _make_tables().run(cmd).strip() == shown.strip(), f'{page} is stale for `{cmd}`: run `python results/make_tables.py`'
