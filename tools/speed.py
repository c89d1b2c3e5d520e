"""Training and sampling speed of an MNIST bundle's networks, in items per second, on one device: the same script on a
CPU and on a GPU gives README's scaling figures.

It times (after one warm-up batch, which is not counted):
  train   one epoch of the enhancer (`train_enhancer`) and of the Parallel pair (`train_parallel`) on N_TRAIN
          training digits, batch 128 (`--amp`: bf16 autocast, CUDA only);
  sample  Enhanced and Nested at STEPS steps per chain on N_SAMPLE test digits (the networks as initialised: speed
          does not depend on the weights).
Nothing is trained to convergence and no checkpoint is written. One JSON record goes to --out (and a line to stdout).

Usage: python tools/speed.py [--device cpu|cuda] [--preset small|paper] [--n-train 1024] [--n-sample 500] [--steps 20]
                             [--amp] [--out results/speed/NAME.json]
       python tools/speed.py --table results/speed/*.json     (README's table of the records)
"""
import argparse, json, os, platform, sys, time
from pathlib import Path
import torch
from cde_nb.training import check_device
from cde_nb.images import ImageModels, bundle_config, load_images, corruption_mix, image_corruption, check_preset
from cde_nb.coupling import train_enhancer, train_parallel, run
from cde_nb.layers import n_params
from cde_nb.bench import git_commit

def timed(fn, device):
    "Seconds that fn() takes, the device synchronised before and after."
    sync = torch.cuda.synchronize if device.type == 'cuda' else (lambda: None)
    sync(); t0 = time.perf_counter(); fn(); sync()
    return time.perf_counter() - t0

def table(files)->str:
    "A markdown table of speed records, one row per record."
    rate = lambda v: f'{v:,.0f}' if v >= 10 else f'{v:.2g}'
    rows = ['| device | threads | preset | parameters (signal / logit, M) | train enhancer | train Parallel pair | sample Enhanced | sample Nested | items (train / sample) |',
            '|---|---|---|---|---|---|---|---|---|']
    for f in files:
        r = json.loads(Path(f).read_text())
        rows.append(f"| {r['device_name']} ({r['device']}) | {r['threads']} | {r['preset']}{' (bf16)' if r['amp'] else ''} | "
                    f"{r['params_M']['enhancer']} / {r['params_M']['logit_p']} | {rate(r['train']['enhancer'])} | {rate(r['train']['parallel'])} | "
                    f"{rate(r['sample']['enhanced'])} | {rate(r['sample']['nested'])} | {r['n_train']} / {r['n_sample']} |")
    return '\n'.join(rows)

def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ['--table']: print(table(sorted(argv[1:]))); return
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--device', default='cpu'); p.add_argument('--preset', default='small')
    p.add_argument('--n-train', type=int, default=1024); p.add_argument('--n-sample', type=int, default=500)
    p.add_argument('--steps', type=int, default=20); p.add_argument('--amp', action='store_true'); p.add_argument('--out', default=None)
    a = p.parse_args(argv)
    device, preset = check_device(a.device), check_preset(a.preset)
    for k in ('n_train', 'n_sample', 'steps'):
        if getattr(a, k) < 1: sys.exit(f"speed.py: --{k.replace('_', '-')} must be >= 1, got {getattr(a, k)}")
    if a.n_train < 256: sys.exit('speed.py: --n-train must be >= 256 (one warm-up batch and at least one timed batch of 128)')
    cfg = bundle_config('mnist', 'pixels_meanstd', 0.3, preset=preset)
    torch.manual_seed(0)
    M = ImageModels(cfg).to(device)
    X = load_images('mnist', 'train')[0][:a.n_train].to(device)
    Xt = load_images('mnist', 'test')[0][:a.n_sample].to(device)
    mix = corruption_mix(cfg.train_mix, 'mnist')
    kw = dict(progress=False, device=str(device), amp=a.amp and device.type == 'cuda', bs=128)
    rec = dict(device=str(device), device_name=torch.cuda.get_device_name(device) if device.type == 'cuda' else platform.processor() or platform.machine(),
               threads=torch.get_num_threads(), torch=torch.__version__, commit=git_commit(), preset=preset, amp=kw['amp'],
               params_M={k: round(n_params(M.nets[k])/1e6, 2) for k in ('enhancer', 'logit_p')}, steps=a.steps,
               n_train=a.n_train, n_sample=len(Xt), train={}, sample={})
    for name, trainer, m in (('enhancer', train_enhancer, M.coupled('e')), ('parallel', train_parallel, M.coupled('p'))):
        trainer(m, X[:128], mix, epochs=1, **kw)                                   # warm-up: one batch
        s = timed(lambda: trainer(m, X, mix, epochs=1, **kw), device)
        rec['train'][name] = round((len(X)//128*128)/s, 1)                         # images per second
    xc = image_corruption('pixels_meanstd', 0.3, 'mnist')(Xt, torch.Generator(device).manual_seed(0))
    for strategy, pair in (('enhanced', 'e'), ('nested', 's')):
        run(M.coupled(pair), xc[:8], strategy, 2)                                 # warm-up
        s = timed(lambda: run(M.coupled(pair), xc, strategy, a.steps), device)
        rec['sample'][strategy] = round(len(xc)/s, 1)
    line = (f"{rec['device_name']} ({rec['device']}, {rec['threads']} threads), preset {preset}: train images/s "
            + ', '.join(f'{k} {v:,.0f}' if v >= 10 else f'{k} {v:.2g}' for k, v in rec['train'].items()) + f"; sample images/s at {a.steps} steps "
            + ', '.join(f'{k} {v:,.0f}' if v >= 10 else f'{k} {v:.2g}' for k, v in rec['sample'].items()))
    print(line)
    if a.out:
        Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(rec, indent=1))
    return rec

if __name__ == '__main__': main()
