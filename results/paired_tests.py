"""Paired tests of a bench record: each coupled strategy against the references it must beat, item by item.

    python results/paired_tests.py RECORD.json [--against enhanced,regression,retrained]
    python results/paired_tests.py RECORD.json --headroom

For every coupled strategy of the registry that the record holds, and every reference it names: the accuracy of both,
the difference in points, how many items only one of them gets right (each way), and the exact McNemar p-value of the
paired outcomes (`cde_nb.bench.mcnemar`). The record must hold per-item outcomes (`correct`), as every `cde-nb bench`
record of an accuracy task does."""
import sys, json, argparse
from pathlib import Path
from cde_nb.bench import mcnemar
from cde_nb.coupling import coupled_strategies

def paired_counts(a, b)->tuple:
    "Two methods' per-item outcomes: (items only the first gets right, items only the second gets right, exact McNemar p)."
    return sum(1 for u, v in zip(a, b) if u and not v), sum(1 for u, v in zip(a, b) if v and not u), mcnemar(a, b)

def paired_table(rec:dict, against=('enhanced', 'regression', 'retrained'))->str:
    "A markdown table: each coupled strategy of `rec` against each reference in `against` that `rec` holds."
    res = rec['results']
    if any('correct' not in r for r in res.values()): raise ValueError("the record holds no per-item outcomes ('correct'): remake it with `cde-nb bench --out`")
    refs = [m for m in against if m in res]
    rows = ['| strategy | against | accuracy % | reference % | difference (points) | only the strategy right | only the reference right | McNemar p |',
            '|---|---|---|---|---|---|---|---|']
    for s in (m for m in coupled_strategies() if m in res):
        a = res[s]['correct']
        for m in refs:
            b = res[m]['correct']
            wins, losses, p = paired_counts(a, b)
            rows.append(f"| {s} | {m} | {100*res[s]['value']:.1f} | {100*res[m]['value']:.1f} | {100*(res[s]['value'] - res[m]['value']):+.1f} | "
                        f"{wins} | {losses} | {p:.2g} |")
    return '\n'.join(rows)

def headroom_table(rec:dict, methods=('enhanced', 'parallel', 'alternating', 'nested', 'retrained', 'regression'))->str:
    "A markdown table: each method's errors, split into those the frozen classifier also makes on the clean item and those it does not (what a perfect restoration would win back)."
    res = rec['results']
    if 'clean' not in res or any('correct' not in r for r in res.values()): raise ValueError("the record needs the 'clean' method and per-item outcomes ('correct')")
    clean, n = res['clean']['correct'], rec['n_test']
    rows = ['| method | errors | the classifier also wrong on the clean item | right on the clean item (points) |', '|---|---|---|---|']
    for m in (m for m in methods if m in res):
        wrong = [not v for v in res[m]['correct']]
        both = sum(1 for w, c in zip(wrong, clean) if w and not c)
        rows.append(f"| {m} | {sum(wrong)} | {both} | {sum(wrong) - both} ({100*(sum(wrong) - both)/n:.1f}) |")
    return '\n'.join(rows)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('record'); p.add_argument('--against', default='enhanced,regression,retrained')
    p.add_argument('--headroom', action='store_true', help="each method's errors against the classifier's on the clean items")
    a = p.parse_args()
    try: rec = json.loads(Path(a.record).read_text())
    except (OSError, json.JSONDecodeError) as e: sys.exit(f"paired_tests: cannot read {a.record}: {e}")
    cost = f"{rec['steps']} steps" if rec.get('steps') is not None else f"a budget of {rec['nfe_budget']} evaluations per item"
    try: table = headroom_table(rec) if a.headroom else paired_table(rec, a.against.split(','))
    except ValueError as e: sys.exit(f"paired_tests: {a.record}: {e}")
    print(f"{rec['task']} {rec['corruption']} {rec['level']:g}, {rec['n_test']} {rec.get('unit', 'items')}, {cost}, seed {rec['seed']}\n")
    print(table)
