"""The speed-ups that are often suggested beside bf16, measured on this machine: torch.compile, channels_last, the
sampling batch size, and the input checks the networks run on every call (host syncs). One thread, the shipped MNIST
pixels_meanstd 0.3 bundle; each line is images per second (higher is better) or seconds (lower is better).

    python tools/easy_wins.py [--threads 1] [--out results/speed/easy_wins.json]
"""
import argparse, json, time, platform
from pathlib import Path
import torch
from cde_nb.images import load_models, load_images, image_corruption
from cde_nb.coupling import run
from cde_nb.classifiers import Frozen
from cde_nb.training import autocast
from cde_nb.bench import git_commit

def rate(net, x, precision, n=4):
    "Images per second of the U-Net's forward pass on batch `x` at `precision` (after one warm-up call)."
    t = torch.full((len(x),), 75)
    with torch.inference_mode(), autocast('cpu', precision):
        net(x, t, x, None); t0 = time.perf_counter()
        for _ in range(n): net(x, t, x, None)
    return round(n*len(x)/(time.perf_counter() - t0), 1)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--threads', type=int, default=1); p.add_argument('--out', default=None)
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    M = load_models('mnist', corruption='pixels_meanstd', level=0.3)
    net, rec = M.nets['enhancer'], dict(threads=a.threads, torch=torch.__version__, commit=git_commit(), cpu=platform.processor() or platform.machine())
    x = torch.randn(250, 1, 28, 28)
    rec['forward, batch 250'] = {prec: rate(net, x, prec) for prec in ('fp32', 'bf16')}
    rec['forward bf16, batch'] = {bs: rate(net, torch.randn(bs, 1, 28, 28), 'bf16') for bs in (50, 250, 1000)}
    net.to(memory_format=torch.channels_last)
    rec['forward bf16, batch 250, channels_last'] = rate(net, x.contiguous(memory_format=torch.channels_last), 'bf16')
    net.to(memory_format=torch.contiguous_format)
    t0 = time.perf_counter(); c = torch.compile(net); first = rate(c, x, 'bf16', n=1)
    rec['torch.compile, bf16, batch 250'] = dict(first_call_s=round(time.perf_counter() - t0, 1), rate=rate(c, x, 'bf16'))
    X = load_images('mnist', 'test')[0][:250]
    xc = image_corruption('pixels_meanstd', 0.3, 'mnist')(X, torch.Generator().manual_seed(0))
    check, secs = Frozen.check, {}
    for on in (True, False, True, False):   # interleaved, so a busy machine slows both alike
        for n in M.nets.values(): n.check_inputs = on
        Frozen.check = check if on else (lambda self, x: None)
        for s, pair in (('enhanced', 'e'), ('parallel', 'p')):
            t0 = time.perf_counter(); run(M.coupled(pair), xc, s, 20, precision='bf16')
            secs.setdefault(f"{s}, 250 digits, 20 steps, checks {'on' if on else 'off'}", []).append(round(time.perf_counter() - t0, 2))
    Frozen.check = check
    rec['sampling seconds'] = secs
    print(json.dumps(rec, indent=1))
    if a.out: Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(rec, indent=1) + '\n')

if __name__ == '__main__': main()
