"""Ablation: the signal denoiser's parameterisation, 'eps' (noise) against 'x0' (clean estimate), for the Enhanced
chain of the speech task. Same crops, same seed, same number of steps; the frozen recogniser of the shipped
checkpoint. Validation strings only.  Usage: python results/tune_fsdd/pred_ablation.py [EPOCHS] [N_VALID]"""
import sys, json, time, torch
from dataclasses import replace
from cde_nb.audio import make_strings, fsdd_split, babble_pools, features, wer, lsd
from cde_nb.speech import SpeechConfig, SpeechModels, load_speech, training_crops, PairedCorruption, make_test_set, transcribe
from cde_nb.coupling import run, train_enhancer

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 8
n_valid = int(sys.argv[2]) if len(sys.argv) > 2 else 60
shipped = load_speech()
cfg = shipped.cfg
strings = make_strings(fsdd_split('train'), cfg.n_train, cfg.seed)
X0, Xc = training_crops(strings, replace(cfg, copies=2), babble_pools(fsdd_split('train'), seed=cfg.seed), cfg.seed)
out = {}
for pred in ('eps', 'x0'):
    M = SpeechModels(replace(cfg, pred=pred)); M.f = shipped.f
    t0 = time.time()
    train_enhancer(M.coupled('enhancer'), X0, PairedCorruption(X0, Xc), epochs=epochs, seed=cfg.seed, lr=2e-3, bs=32, progress=False)
    for kind, level in (('white', 5.), ('babble', 0.)):
        d = make_test_set(cfg, kind, level, n_valid, seed=0, split='valid')
        X, lens = features([s['wave'] for s in d['strings']], cfg); Xn, _ = features(d['noisy'], cfg)
        x_hat0 = run(M.coupled('enhancer'), Xn, 'enhanced', 10, seed=0).x_hat0
        r = dict(wer_noisy=wer(d['refs'], transcribe(M.f, Xn, lens)), wer_enhanced=wer(d['refs'], transcribe(M.f, x_hat0, lens)),
                 lsd_noisy=lsd(Xn, X, cfg, lens).mean().item(), lsd_enhanced=lsd(x_hat0, X, cfg, lens).mean().item())
        out[f'{pred}/{kind}{level:g}'] = r
        print(pred, kind, level, {k: round(100*v, 1) if k.startswith('wer') else round(v, 1) for k, v in r.items()}, flush=True)
    print(pred, f'trained {len(X0)} crops x {epochs} epochs in {time.time()-t0:.0f} s', flush=True)
json.dump(dict(epochs=epochs, n_valid=n_valid, crops=len(X0), steps=10, results=out),
          open('results/tune_fsdd/pred_ablation.json', 'w'), indent=1)
