"""How much of a gap between two methods the training seed alone can make: bench records of one setting, one per bundle
(the same networks trained from several seeds), side by side.

    python results/seed_spread.py RECORD.json RECORD.json ... [--against enhanced]

A bundle benched in parts (some methods in one record, the rest in another) is merged first (`cde_nb.bench.merge_records`).

Prints each method's accuracy with each bundle, their mean and their spread (the largest minus the smallest), then,
for each bundle, every coupled strategy against the reference (`--against`): the difference in points, the items
only one of them gets right, and the exact McNemar p (`cde_nb.bench.mcnemar`). The records must share everything but
their bundle (task, corruption, level, split, test items, steps, sampler, options, precision), and hold per-item
outcomes, as every `cde-nb bench --out` record of an accuracy task does. A gap between two methods that is smaller
than either method's spread over seeds is not the method's to claim."""
import sys, json, argparse
from pathlib import Path
from cde_nb.bench import merge_records
from paired_tests import paired_counts
from cde_nb.coupling import coupled_strategies

SAME = ('task', 'corruption', 'level', 'split', 'n_test', 'steps', 'nfe_budget', 'seed', 'samples', 'sampler', 'options', 'precision')

def check_records(recs:list)->None:
    "Refuse records that are not one setting benched with several bundles."
    if len(recs) < 2: raise ValueError(f"give the records of at least two bundles, got {len(recs)}")
    for k in SAME:
        vals = {json.dumps(r.get(k), sort_keys=True) for r in recs}
        if len(vals) > 1: raise ValueError(f"the records differ in {k} ({', '.join(sorted(vals))}): bench every bundle with the same command but --models")
    names = [r.get('models') for r in recs]
    if None in names or len(set(names)) < len(names): raise ValueError(f"each record must name its own bundle (models), got {names}")
    if any('correct' not in x for r in recs for x in r['results'].values()):
        raise ValueError("a record holds no per-item outcomes ('correct'): remake it with `cde-nb bench --out`")

def spread_table(recs:list)->str:
    "A markdown table: a row per method the records share, a column per bundle, then the mean and the spread (max - min), in %."
    check_records(recs)
    methods = [m for m in recs[0]['results'] if all(m in r['results'] for r in recs)]
    rows = ['| method | ' + ' | '.join(r['models'] for r in recs) + ' | mean | spread (max - min) |', '|---' * (len(recs) + 3) + '|']
    for m in methods:
        v = [100*r['results'][m]['value'] for r in recs]
        rows.append(f"| {m} | " + ' | '.join(f'{x:.2f}' for x in v) + f" | {sum(v)/len(v):.2f} | {max(v) - min(v):.2f} |")
    return '\n'.join(rows)

def gap_table(recs:list, against:str='enhanced')->str:
    "A markdown table: with each bundle, each coupled strategy against `against`, item by item (difference, discordant items, McNemar p)."
    check_records(recs)
    if any(against not in r['results'] for r in recs): raise ValueError(f"every record must hold {against!r}, the method to compare against")
    rows = [f'| bundle | strategy | difference from {against} (points) | only the strategy right | only {against} right | McNemar p |', '|---' * 6 + '|']
    for r in recs:
        res, b = r['results'], r['results'][against]['correct']
        for s in (s for s in coupled_strategies() if s in res):
            a = res[s]['correct']
            wins, losses, p = paired_counts(a, b)
            rows.append(f"| {r['models']} | {s} | {100*(res[s]['value'] - res[against]['value']):+.2f} | {wins} | {losses} | {p:.2g} |")
    return '\n'.join(rows) if len(rows) > 2 else f"(no record holds a coupled strategy yet, so there is no paired test against {against})"

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('records', nargs='+'); p.add_argument('--against', default='enhanced', help='the reference of the paired tests (default: enhanced)')
    a = p.parse_args()
    try: recs = [json.loads(Path(f).read_text()) for f in a.records]
    except (OSError, json.JSONDecodeError) as e: sys.exit(f"seed_spread: cannot read a record: {e}")
    try: recs = merge_records(recs); tables = spread_table(recs), gap_table(recs, a.against)
    except ValueError as e: sys.exit(f"seed_spread: {e}")
    r = recs[0]
    cost = f"{r['steps']} steps" if r.get('steps') is not None else f"a budget of {r['nfe_budget']} evaluations per item"
    print(f"{r['task']} {r['corruption']} {r['level']:g}, {r['n_test']} {r.get('unit', 'items')} ({r.get('split', 'test')}), {cost}, "
          f"sampling seed {r['seed']}, {len(recs)} bundles\n")
    print(tables[0]); print(); print(tables[1])
