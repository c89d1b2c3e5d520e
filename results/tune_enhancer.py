"""How long to train the signal denoiser, and whether to sample with averaged weights (EMA), chosen on validation.

Retrains only the enhancer of the shipped MNIST `pixels_meanstd` 0.3 bundle (its frozen classifier is kept) for each
variant EPOCHS:EMA[:BASE[:INIT]] (INIT: the seed of the network's initial weights, default the config's seed) and measures Enhanced on the first N validation digits (20 steps, the default sampler,
seed 0). One JSON per variant in results/tune_enhancer/, a table on stdout; variants already measured are read back.
VARIANT 'shipped' measures the shipped bundle's own enhancer. 'shipped-COMMIT' is the record of the bundle shipped at
that commit (c96b9e4: 10 epochs, last weights; 4a69f33: 10 epochs, EMA 0.995); those are only read back.
Usage: python results/tune_enhancer.py [--n N] VARIANT...    e.g. shipped 10:none 30:0.995 30:0.995:24
"""
import sys, json, time, torch
from dataclasses import replace
from pathlib import Path
from cde_nb.images import bench, load_models, ImageModels, load_images, corruption_mix
from cde_nb.coupling import train_enhancer

args = sys.argv[1:]
n = int(args[args.index('--n')+1]) if '--n' in args else 1000
variants = [a for i, a in enumerate(args) if a != '--n' and (i == 0 or args[i-1] != '--n')]
out = Path(__file__).parent/'tune_enhancer'; out.mkdir(exist_ok=True)
kind, level = 'pixels_meanstd', 0.3
for v in variants:
    f = out/f"mnist_valid_{kind}_{level:g}_{v.replace(':', '_')}.json"
    if not f.exists():
        if v.startswith('shipped-'): raise SystemExit(f"{f.name}: the record of an earlier bundle is only read back, not remade")
        M, t0 = load_models('mnist', corruption=kind, level=level), time.time()
        if v != 'shipped':
            epochs, ema, *more = v.split(':')
            cfg = replace(M.cfg, base=int(more[0])) if more and more[0] else M.cfg
            torch.manual_seed(int(more[1]) if len(more) > 1 else cfg.seed)   # the initial weights, as `train_models` seeds them
            M2 = ImageModels(cfg); M2.nets['classifier'].load_state_dict(M.nets['classifier'].state_dict()); M2.f.reset()
            X, _ = load_images('mnist', 'train', cfg.split_seed)
            train_enhancer(M2.coupled('enhancer'), X, corruption_mix(cfg.train_mix, 'mnist'), epochs=int(epochs), seed=cfg.seed,
                           ema=None if ema == 'none' else float(ema), progress=False, desc=f'enhancer {v}')
            M = M2
        train_s = time.time() - t0
        rec = bench('mnist', kind, level, 'enhanced', n_test=n, steps=20, seed=0, models=M, progress=False, split='valid')
        rec['variant'], rec['train_seconds'] = v, round(train_s)
        f.write_text(json.dumps(rec, indent=1))
    rec = json.loads(f.read_text())
    r = rec['results']['enhanced']
    print(f"| {v} | {100*r['value']:.1f} | {rec['train_seconds']} s |", flush=True)
