"""results/seed_spread.py on two small made-up records of one setting: each method's spread over the bundles, each
strategy's gap per bundle counted item by item, and records of different settings refused in one line."""
import sys, json, subprocess
from pathlib import Path
import pytest
import fastcore.test as fct
sys.path.insert(0, str(Path(__file__).resolve().parent.parent/'results'))
from seed_spread import spread_table, gap_table

def rec(models, **correct):
    return dict(task='mnist', corruption='pixels_meanstd', level=0.3, split='test', n_test=4, unit='images', steps=20, seed=0,
                models=models, results={m: dict(value=sum(c)/len(c), correct=c) for m, c in correct.items()})

A = rec('seed0.pt', enhanced=[1, 1, 0, 0], nested=[1, 1, 1, 0])
B = rec('seed1.pt', enhanced=[1, 1, 1, 0], nested=[1, 0, 1, 0])

def cells(table, first):
    row = next(l for l in table.splitlines() if l.startswith(f'| {first}'))
    return [c.strip() for c in row.strip('|').split('|')]

def test_spread():
    fct.test_eq(cells(spread_table([A, B]), 'enhanced')[1:], ['50.00', '75.00', '62.50', '25.00'])
    fct.test_eq(cells(spread_table([A, B]), 'nested')[1:], ['75.00', '50.00', '62.50', '25.00'])

def test_gap_per_bundle():
    fct.test_eq(cells(gap_table([A, B]), 'seed0.pt')[2:5], ['+25.00', '1', '0'])   # one digit only Nested gets
    fct.test_eq(cells(gap_table([A, B]), 'seed1.pt')[2:5], ['-25.00', '0', '1'])

def test_no_strategy_yet():
    only = [dict(r, results={'enhanced': r['results']['enhanced']}) for r in (A, B)]   # Enhanced benched, Nested not yet
    fct.test_eq(gap_table(only), '(no record holds a coupled strategy yet, so there is no paired test against enhanced)')

def test_refusals():
    with pytest.raises(ValueError, match='differ in steps'): spread_table([A, dict(B, steps=150)])
    with pytest.raises(ValueError, match='its own bundle'): spread_table([A, dict(B, models='seed0.pt')])
    with pytest.raises(ValueError, match='at least two'): spread_table([A])
    with pytest.raises(ValueError, match='must hold'): gap_table([A, B], 'regression')

def test_command_line(tmp_path):
    script = Path(__file__).resolve().parent.parent/'results'/'seed_spread.py'
    fa, fb = tmp_path/'a.json', tmp_path/'b.json'; fa.write_text(json.dumps(A)); fb.write_text(json.dumps(dict(B, level=0.15)))
    out = subprocess.run([sys.executable, str(script), str(fa), str(fb)], capture_output=True, text=True)
    assert out.returncode == 1 and out.stderr.startswith('seed_spread: the records differ in level') and 'Traceback' not in out.stderr
    fb.write_text(json.dumps(B))
    out = subprocess.run([sys.executable, str(script), str(fa), str(fb)], capture_output=True, text=True)
    assert out.returncode == 0 and '2 bundles' in out.stdout and '| seed1.pt | nested | -25.00 |' in out.stdout
    parts = [tmp_path/'b1.json', tmp_path/'b2.json']   # one bundle benched in two parts: merged into one
    for f, ms in zip(parts, (['enhanced'], ['nested'])): f.write_text(json.dumps(dict(B, results={m: B['results'][m] for m in ms})))
    out = subprocess.run([sys.executable, str(script), str(fa), *map(str, parts)], capture_output=True, text=True)
    assert out.returncode == 0 and '2 bundles' in out.stdout and '| seed1.pt | nested | -25.00 |' in out.stdout
