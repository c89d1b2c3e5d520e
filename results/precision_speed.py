"""Enhanced and Nested at 20 steps on the shipped MNIST pixels_meanstd 0.3 bundle, float32 against the default (bf16
where the CPU has it), side by side: the two runs alternate, twice each, in one process on one thread, so whatever else
the machine does slows both alike. Prints a table and writes results/precision/speed_side_by_side.json.

    python results/precision_speed.py [--n-test 500]
    python results/precision_speed.py --table          (the committed record as a table)
"""
import argparse, json, platform, torch
from pathlib import Path
from cde_nb.images import bench
from cde_nb.bench import git_commit

OUT = Path(__file__).parent/'precision'/'speed_side_by_side.json'

def table(rec)->str:
    "The record as a markdown table: the faster of each method's two runs in each precision."
    rows = [f"MNIST pixels_meanstd 0.3, {rec['n_test']} test digits, {rec['steps']} steps, one thread, two alternating runs each "
            f"(the faster kept); the default ran in {rec['default_precision']}", '',
            '| method | fp32 s | default s | speed-up | accuracy fp32 / default % |', '|---|---|---|---|---|']
    for m in ('enhanced', 'nested'):
        f, d = min(rec['seconds'][f'{m} fp32']), min(rec['seconds'][f'{m} auto'])
        rows.append(f"| {m} | {f:.1f} | {d:.1f} | {f/d:.2f}x | {100*rec['accuracy'][f'{m} fp32']:.1f} / {100*rec['accuracy'][f'{m} auto']:.1f} |")
    return '\n'.join(rows)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0]); p.add_argument('--n-test', type=int, default=500)
    p.add_argument('--table', action='store_true')
    a = p.parse_args(argv)
    if a.table: print(table(json.loads(OUT.read_text()))); return
    torch.set_num_threads(1)
    secs, acc, used = {}, {}, {}
    for rep in range(2):
        for prec in ('fp32', 'auto'):
            r = bench('mnist', 'pixels_meanstd', .3, 'enhanced,nested', n_test=a.n_test, steps=20, progress=False, precision=prec)
            used[prec] = r['precision']
            for m, x in r['results'].items():
                secs.setdefault(f'{m} {prec}', []).append(x['seconds']); acc[f'{m} {prec}'] = x['value']
    rec = dict(n_test=a.n_test, steps=20, threads=1, cpu=platform.processor() or platform.machine(), torch=torch.__version__,
               commit=git_commit(), default_precision=used['auto'], seconds=secs, accuracy=acc)
    OUT.write_text(json.dumps(rec, indent=1) + '\n'); print(table(rec))

if __name__ == '__main__': main()
