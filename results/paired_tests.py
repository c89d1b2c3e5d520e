"""Paired tests of a bench record: each coupled strategy against the references it must beat, item by item.

    python results/paired_tests.py RECORD.json [--against enhanced,regression,retrained]

For every coupled strategy of the registry that the record holds, and every reference it names: the accuracy of both,
the difference in points, how many items only one of them gets right (each way), and the exact McNemar p-value of the
paired outcomes (`cde_nb.bench.mcnemar`). The record must hold per-item outcomes (`correct`), as every `cde-nb bench`
record of an accuracy task does."""
import sys, json, argparse
from pathlib import Path
from cde_nb.bench import mcnemar
from cde_nb.coupling import coupled_strategies

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
            wins, losses = sum(1 for u, v in zip(a, b) if u and not v), sum(1 for u, v in zip(a, b) if v and not u)
            rows.append(f"| {s} | {m} | {100*res[s]['value']:.1f} | {100*res[m]['value']:.1f} | {100*(res[s]['value'] - res[m]['value']):+.1f} | "
                        f"{wins} | {losses} | {mcnemar(a, b):.2g} |")
    return '\n'.join(rows)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('record'); p.add_argument('--against', default='enhanced,regression,retrained')
    a = p.parse_args()
    try: rec = json.loads(Path(a.record).read_text())
    except (OSError, json.JSONDecodeError) as e: sys.exit(f"paired_tests: cannot read {a.record}: {e}")
    print(f"{rec['task']} {rec['corruption']} {rec['level']:g}, {rec['n_test']} {rec.get('unit', 'items')}, {rec['steps']} steps, seed {rec['seed']}\n")
    print(paired_table(rec, a.against.split(',')))
