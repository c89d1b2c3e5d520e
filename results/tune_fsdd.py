"""Tune the speech task on the *validation* split: train each config (or load a checkpoint), then WER on validation strings.
Usage: python results/tune_fsdd.py OUT_DIR '{"name": {...SpeechConfig overrides...}, ...}' [--device cuda] [--budget 420]
       python results/tune_fsdd.py OUT_DIR '{"shipped": {}}' --checkpoint cde_nb/checkpoints/fsdd.pt --knobs '[{"rounds": 2}, {"rounds": 3}]'
Writes OUT_DIR/tune_<name>.json (and, when it trains, the checkpoint OUT_DIR/fsdd_<name>.pt)."""
import sys, json, time, argparse, torch
from cde_nb.speech import SpeechConfig, SpeechTask, train_speech, save_speech, load_speech
from cde_nb.bench import evaluate
from cde_nb.coupling import STRATEGIES, coupled_strategies
COUPLED = coupled_strategies()   # the strategies whose chains condition on each other

p = argparse.ArgumentParser()
p.add_argument('out'); p.add_argument('configs'); p.add_argument('--device', default='cpu')
p.add_argument('--checkpoint', default=None, help='evaluate this checkpoint instead of training')
p.add_argument('--budget', type=float, default=1e9); p.add_argument('--n', type=int, default=100)
p.add_argument('--steps', type=int, default=10); p.add_argument('--samples', type=int, default=1)
p.add_argument('--samplers', default='posterior_mean', help='comma-separated sampler specs, each evaluated (ddpm was the only one before they were named)')
p.add_argument('--conditions', default='white:5,babble:0')
p.add_argument('--knobs', default='[{}]', help='JSON list of strategy option sets, each evaluated')
p.add_argument('--methods', default='noisy,clean,enhanced,card,regression,logits,parallel,alternating,nested')
a = p.parse_args()
t_start = time.time()
for name, over in json.loads(a.configs).items():
    if time.time() - t_start > a.budget: print('budget spent, skipping', name); continue
    for k in ('mults', 'train_mix'):
        if k in over: over[k] = tuple(tuple(x) if isinstance(x, list) else x for x in over[k])
    cfg = SpeechConfig(**over)
    if a.checkpoint: M = load_speech(a.checkpoint, device=a.device, cfg=cfg)
    else:
        M = train_speech(cfg, progress=False, device=a.device)
        save_speech(M, f'{a.out}/fsdd_{name}.pt', command=f'tune_fsdd {name} {over}')
    rec = dict(name=name, config=over, checkpoint=a.checkpoint, metrics=M.metrics, steps=a.steps, samples=a.samples, n_valid=a.n, results={})
    for cond in a.conditions.split(','):
        kind, level = cond.split(':'); level = float(level)
        task = SpeechTask(cfg.holdout); data = task.test_set(M, kind, level, a.n, seed=0, split='valid')
        for i, smp in enumerate(a.samplers.split(';') if ';' in a.samplers else a.samplers.split(',')):
            for knobs in json.loads(a.knobs):
                for m in a.methods.split(','):
                    if (m not in STRATEGIES and i > 0) or (knobs and m not in COUPLED): continue   # nothing to vary
                    r = evaluate(task, M, m, data, a.steps, a.samples, 0, sampler=smp, **knobs)
                    key = f'{kind}{level:g}/{m}/{smp}' + ''.join(f'/{k}{v}' for k, v in knobs.items())
                    rec['results'][key] = dict(wer=r['value'], wer_restored=r['value_restored'], lsd=r['lsd_db'], s=r['seconds'])
                    print(name, key, f"WER {100*r['value']:.1f}", '' if r['value_restored'] is None else f"f(restored) {100*r['value_restored']:.1f}",
                          '' if r['lsd_db'] is None else f"LSD {r['lsd_db']:.1f}", flush=True)
    json.dump(rec, open(f'{a.out}/tune_{name}.json', 'w'), indent=1)
    print(name, 'done', M.metrics, f'{time.time()-t_start:.0f} s total', flush=True)
