"""Alternating/Nested training with more rounds: the MNIST pixels_meanstd 0.3 bundle's sampled pair retrained as the
bundle trains it (`train_sampled`: the signal net starts from the enhancer, the logit net from the same initial
weights), but with `--rounds` rounds (each on a fresh corrupted copy, its conditions sampled with the test-time
sampler) and `--sample-steps` steps per sampled trajectory; everything else kept. Both pairs benched on VALIDATION.

    python results/sampled_rounds.py                  # train (rerun to continue a stopped run) and bench
    python results/sampled_rounds.py --bench-only
    python results/sampled_rounds.py --bench-only --ship   # then put the pair into the shipped bundle

Writes results/sampled_rounds/{pair_rounds3.pt, valid_ours.json, valid_rounds3.json}.
"""
import argparse, time
from dataclasses import replace
from pathlib import Path
import torch
from torch import nn
from cde_nb.images import load_models, ImageModels, load_images, corruption_mix, bench, bundle_config, bundle_path, save_models
from cde_nb.coupling import train_sampled
from cde_nb.training import resumable
from cde_nb.checkpoint import save_checkpoint, load_checkpoint
from cde_nb.bench import mcnemar, summary_table

p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
p.add_argument('--rounds', type=int, default=3)
p.add_argument('--sample-steps', type=int, default=20, help='steps of each sampled training trajectory (the test-time default)')
p.add_argument('--n-test', type=int, default=1000, help='validation digits')
p.add_argument('--steps', type=int, default=20)
p.add_argument('--bench-only', action='store_true')
p.add_argument('--ship', action='store_true', help='write the trained pair into the shipped bundle (no bench)')
kind, level = 'pixels_meanstd', 0.3
p.add_argument('--bundle', default=str(bundle_path('mnist', kind, level)),
               help='the one-round bundle (before --ship; the one of commit 74bab76: git show 74bab76:cde_nb/checkpoints/mnist_pixels_meanstd_0.3.pt > old.pt)')
a = p.parse_args()
out = Path(__file__).parent/'sampled_rounds'; out.mkdir(exist_ok=True)

def load_as_stored(path):   # the bundle with the config it was trained with (one round before --ship, the new pair after)
    stored = load_checkpoint(path)[1]
    return load_models('mnist', path=path, cfg=replace(bundle_config('mnist', kind, level), cond_rounds=stored.get('cond_rounds', 1),
                                                       cond_steps=stored.get('cond_steps', 10)))

ours = load_as_stored(a.bundle)
cfg = ours.cfg
pair_file = out/f'pair_rounds{a.rounds}.pt'
more = load_as_stored(a.bundle)
pair = nn.ModuleDict(dict(signal=more.nets['signal_s'], logit=more.nets['logit_s']))
run_cfg = dict(kind='sampled_rounds', bundle=ours.source, rounds=a.rounds, sample_steps=a.sample_steps, epochs=max(1, cfg.epochs//2), seed=cfg.seed)
if not a.bench_only:
    torch.manual_seed(cfg.seed); init = ImageModels(cfg).nets   # the initial weights `train_models` started from
    pair['logit'].load_state_dict(init['logit_s'].state_dict())
    pair['signal'].load_state_dict(more.nets['enhancer'].state_dict())   # as `train_denoisers` does
    X, _ = load_images('mnist', 'train', cfg.split_seed, cfg.data)
    t0 = time.time()
    with resumable(out/'state'):
        train_sampled(more.coupled('sampled'), X, corruption_mix(cfg.train_mix, 'mnist'), epochs=run_cfg['epochs'], rounds=a.rounds,
                      sample_steps=a.sample_steps, seed=cfg.seed, **cfg.denoiser_kw())
    run_cfg['train_seconds'] = round(time.time() - t0)
    save_checkpoint(pair_file, {k: v.half() for k, v in pair.state_dict().items()}, run_cfg)
state, stored, _ = load_checkpoint(pair_file)
pair.load_state_dict({k: v.float() for k, v in state.items()}); pair.eval()
more.source = f"{ours.source} with the Alternating/Nested pair of {pair_file.name} ({stored['rounds']} rounds, {stored['sample_steps']}-step conditions)"
if not a.ship:
    recs = {}
    for name, M in (('ours', ours), (f'rounds{a.rounds}', more)):
        recs[name] = bench('mnist', kind, level, methods='enhanced,alternating,nested', n_test=a.n_test, steps=a.steps, seed=0,
                           split='valid', models=M, out=out/f'valid_{name}.json', progress=False)
    print(summary_table(list(recs.values())))
    for m in ('alternating', 'nested'):
        c = {n: r['results'][m]['correct'] for n, r in recs.items()}
        (o, n1), (_, n2) = list(c.items())
        print(f"{m}: ours {100*sum(n1)/len(n1):.1f} vs {a.rounds} rounds {100*sum(n2)/len(n2):.1f}: McNemar p = {mcnemar(n1, n2):.3g}")
    print(f"training {stored.get('train_seconds', '?')} s")

if a.ship:   # the per-corruption bundle's default is now this training (TrainConfig.cond_rounds/cond_steps): ship its pair
    new = bundle_config('mnist', kind, level)
    assert (new.cond_rounds, new.cond_steps) == (stored['rounds'], stored['sample_steps']), 'the bundle config asks for another training'
    old = load_checkpoint(a.bundle)[1]
    diff = {k for k in set(old) | set(new.to_dict()) if old.get(k) != new.to_dict().get(k)}
    assert diff == {'cond_rounds', 'cond_steps'}, diff   # everything else of the bundle is as it was trained
    more.cfg = new
    save_models(more, bundle_path('mnist', kind, level), sampled_pair=f"trained by results/sampled_rounds.py ({stored.get('train_seconds', '?')} s), "
                "as `cde-nb train` trains it with this config")
    print('wrote', bundle_path('mnist', kind, level))
