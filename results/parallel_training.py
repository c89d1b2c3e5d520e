"""Parallel training, ours against the authors': the MNIST pixels_meanstd 0.3 bundle's Parallel pair retrained from
the same initial weights with `train_parallel_authors` (per batch `inner` optimiser steps, each at a fresh t, signal
branch first), everything else of the bundle kept; then both pairs benched on the VALIDATION split.

    python results/parallel_training.py                # train (resumable: rerun to continue) and bench
    python results/parallel_training.py --bench-only   # bench the trained pair again

Writes results/parallel_training/{pair_authors.pt, valid_ours.json, valid_authors.json, README.md}.
"""
import argparse, time
from pathlib import Path
import torch
from torch import nn
from cde_nb.images import load_models, ImageModels, load_images, corruption_mix, bench
from cde_nb.coupling import train_parallel_authors
from cde_nb.training import resumable
from cde_nb.checkpoint import save_checkpoint, load_checkpoint
from cde_nb.bench import mcnemar, summary_table

p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
p.add_argument('--epochs', type=int, default=12, help="epochs of the authors' scheme (each batch gets `inner` steps)")
p.add_argument('--inner', type=int, default=5)
p.add_argument('--n-test', type=int, default=1000, help='validation digits')
p.add_argument('--steps', type=int, default=20)
p.add_argument('--bench-only', action='store_true')
a = p.parse_args()
out = Path(__file__).parent/'parallel_training'; out.mkdir(exist_ok=True)
kind, level = 'pixels_meanstd', 0.3
ours = load_models('mnist', corruption=kind, level=level)
cfg = ours.cfg
pair_file = out/'pair_authors.pt'
authors = load_models('mnist', corruption=kind, level=level)
pair = nn.ModuleDict(dict(signal=authors.nets['signal_p'], logit=authors.nets['logit_p']))
run_cfg = dict(kind='parallel_authors', bundle=ours.source, epochs=a.epochs, inner=a.inner, seed=cfg.seed)
if not a.bench_only:
    torch.manual_seed(cfg.seed); init = ImageModels(cfg).nets   # the initial weights `train_models` started from
    pair['signal'].load_state_dict(init['signal_p'].state_dict()); pair['logit'].load_state_dict(init['logit_p'].state_dict())
    X, _ = load_images('mnist', 'train', cfg.split_seed, cfg.data)
    t0 = time.time()
    with resumable(out/'state'):
        train_parallel_authors(authors.coupled('parallel'), X, corruption_mix(cfg.train_mix, 'mnist'), epochs=a.epochs,
                               inner=a.inner, seed=cfg.seed, **cfg.denoiser_kw())
    run_cfg['train_seconds'] = round(time.time() - t0)
    state = {k: v.half() for k, v in pair.state_dict().items()}
    save_checkpoint(pair_file, state, run_cfg)
state, stored, _ = load_checkpoint(pair_file)
pair.load_state_dict({k: v.float() for k, v in state.items()}); pair.eval()
authors.source = f"{ours.source} with the Parallel pair of {pair_file.name} (authors' training, {stored['epochs']} epochs x {stored['inner']})"
recs = {}
for name, M in (('ours', ours), ('authors', authors)):
    recs[name] = bench('mnist', kind, level, methods='enhanced,logits,parallel', n_test=a.n_test, steps=a.steps, seed=0,
                       split='valid', models=M, out=out/f'valid_{name}.json', progress=False)
print(summary_table(list(recs.values())))
c = {n: r['results']['parallel']['correct'] for n, r in recs.items()}
print(f"Parallel, ours {100*sum(c['ours'])/len(c['ours']):.1f} vs authors' {100*sum(c['authors'])/len(c['authors']):.1f}: "
      f"McNemar p = {mcnemar(c['ours'], c['authors']):.3g}; training {stored.get('train_seconds', '?')} s")
