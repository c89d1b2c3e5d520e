"""results/paired_tests.py on a small made-up record: the discordant counts, the McNemar p and the headroom split are
counted item by item, and a record without per-item outcomes is refused."""
import sys
from pathlib import Path
import pytest
import fastcore.test as fct
sys.path.insert(0, str(Path(__file__).resolve().parent.parent/'results'))
from paired_tests import paired_table, headroom_table

def rec(**correct):
    return dict(n_test=len(next(iter(correct.values()))),
                results={m: dict(value=sum(c)/len(c), correct=c) for m, c in correct.items()})

R = rec(clean=    [1, 1, 1, 1, 0, 1],
        enhanced= [1, 0, 0, 1, 0, 1],
        nested=   [1, 1, 1, 0, 0, 1])

def test_paired_counts():
    row = next(l for l in paired_table(R, ('enhanced',)).splitlines() if l.startswith('| nested | enhanced'))
    cells = [c.strip() for c in row.strip('|').split('|')]
    fct.test_eq(cells[4:7], ['+16.7', '2', '1'])   # one more right of six; two items only Nested gets, one only Enhanced
    fct.test_eq(cells[7], '1')                      # McNemar on 2 against 1 is nowhere near significant

def test_headroom_split():
    rows = {l.split('|')[1].strip(): [c.strip() for c in l.strip('|').split('|')] for l in headroom_table(R).splitlines()[2:]}
    fct.test_eq(rows['enhanced'][1:], ['3', '1', '2 (33.3)'])   # three errors: one where the clean item is misread too
    fct.test_eq(rows['nested'][1:], ['2', '1', '1 (16.7)'])
    assert 'parallel' not in rows                                # only the methods the record holds

def test_needs_per_item_outcomes():
    bad = dict(n_test=2, results=dict(clean=dict(value=1.), enhanced=dict(value=.5)))
    with pytest.raises(ValueError, match='per-item'): headroom_table(bad)
    with pytest.raises(ValueError, match='per-item'): paired_table(bad)

def test_command_line(tmp_path):
    "The script names a record's cost (its steps, or its budget of evaluations), and refuses in one line what it cannot read."
    import json, subprocess
    script = Path(__file__).resolve().parent.parent/'results'/'paired_tests.py'
    budget = dict(task='mnist', corruption='pixels_meanstd', level=0.3, n_test=6, unit='images', steps=None, nfe_budget=151, seed=0,
                  results={m: v for m, v in R['results'].items() if m != 'clean'})
    f = tmp_path/'r.json'; f.write_text(json.dumps(budget))
    out = subprocess.run([sys.executable, str(script), str(f)], capture_output=True, text=True)
    assert out.returncode == 0 and 'a budget of 151 evaluations per item' in out.stdout
    out = subprocess.run([sys.executable, str(script), str(f), '--headroom'], capture_output=True, text=True)
    assert out.returncode == 1 and out.stderr.startswith('paired_tests: ') and "needs the 'clean' method" in out.stderr and 'Traceback' not in out.stderr
