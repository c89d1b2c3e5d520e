"""Choose the default sampler on the validation split (never the test split).

For each setting and each sampler spec, every diffusion method on the validation split, 20 steps, seed 0;
one JSON per run in results/tune_sampler/, and a summary table on stdout.
Usage: python results/tune_sampler.py [N_MNIST]   (default 500 validation digits for MNIST; digits use all 358)
"""
import sys, json
from pathlib import Path
from cde_nb.images import bench, load_models

n_mnist = int(sys.argv[1]) if len(sys.argv) > 1 else 500
out = Path(__file__).parent/'tune_sampler'; out.mkdir(exist_ok=True)
settings = [('digits', 'pixels', 0.5, None), ('mnist', 'pixels', 0.3, n_mnist)]
samplers = ['ddpm', 'posterior_mean', 'signal=ddpm,logit=posterior_mean', 'ddim']
methods = 'enhanced,card,logits,parallel,alternating,nested'
rows = {}
for task, kind, level, n in settings:
    M = load_models(task)
    for s in samplers:
        f = out/f"{task}_valid_{kind}_{level:g}_{s.replace('=', '-').replace(',', '_')}.json"
        rec = json.loads(f.read_text()) if f.exists() else bench(task, kind, level, methods, n_test=n, steps=20, seed=0, models=M,
                                                                 progress=False, split='valid', sampler=s, out=f)
        for m, r in rec['results'].items(): rows.setdefault((task, kind, level), {}).setdefault(m, {})[s] = r['value']
        print(f"done {task} {kind} {level} {s}", flush=True)
for key, ms in rows.items():
    print(f"\n{key[0]} {key[1]} {key[2]:g} (validation, accuracy %)\n| method | " + ' | '.join(samplers) + ' |')
    print('|---' * (len(samplers) + 1) + '|')
    for m, v in ms.items(): print(f"| {m} | " + ' | '.join(f"{100*v[s]:.1f}" for s in samplers) + ' |')
