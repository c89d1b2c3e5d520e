"""Float32 against bf16, method by method, on records that differ only in their precision (results/run_precision.sh):
accuracy with McNemar's exact test on the paired outcomes, WER with a paired bootstrap over utterances (10,000
resamples, seed 0), and each method's wall time in both precisions.

    python results/compare_precision.py results/precision/*.json
"""
import json, sys
from pathlib import Path
import numpy as np
from cde_nb.bench import mcnemar

def paired_bootstrap_p(e_a, e_b, words, n:int=10_000, seed:int=0)->float:
    "Two-sided p of 'the two WERs are equal', from a paired bootstrap of utterances (errors and words per utterance)."
    e_a, e_b, w = map(np.asarray, (e_a, e_b, words))
    d0 = (e_a.sum() - e_b.sum())/w.sum()
    idx = np.random.default_rng(seed).integers(0, len(w), (n, len(w)))
    d = (e_a[idx].sum(1) - e_b[idx].sum(1))/w[idx].sum(1)
    return float(min(1., 2*min(((d - d0) >= abs(d0)).mean(), ((d - d0) <= -abs(d0)).mean()) + 1/n)) if d0 else 1.0

def main(files):
    recs = [json.loads(Path(f).read_text()) for f in files]
    key = lambda r: (r['task'], r['corruption'], r['level'], r['n_test'], r['steps'])
    for k in dict.fromkeys(map(key, recs)):
        by = {r.get('precision', 'fp32'): r for r in recs if key(r) == k}
        if set(by) != {'fp32', 'bf16'}: sys.exit(f'{k}: need one fp32 and one bf16 record, got {sorted(by)}')
        a, b = by['fp32'], by['bf16']
        print(f"\n{a['task']} {a['corruption']} {a['level']:g}, {a['n_test']} {a.get('unit', 'items')}, {a['steps']} steps, seed {a['seed']}")
        print('| method | fp32 % | bf16 % | paired p | fp32 s | bf16 s | speed-up |\n|---|---|---|---|---|---|---|')
        tot = [0., 0.]
        for m, x in a['results'].items():
            y = b['results'][m]
            p = mcnemar(x['correct'], y['correct']) if 'correct' in x else paired_bootstrap_p(x['errors'], y['errors'], x['words'])
            tot[0] += x['seconds']; tot[1] += y['seconds']
            print(f"| {m} | {100*x['value']:.2f} | {100*y['value']:.2f} | {p:.2g} | {x['seconds']:.0f} | {y['seconds']:.0f} | {x['seconds']/max(y['seconds'], 1e-9):.2f}x |")
        print(f"| all methods | | | | {tot[0]:.0f} | {tot[1]:.0f} | {tot[0]/tot[1]:.2f}x |")

if __name__ == '__main__': main(sys.argv[1:])
