"""Training and sampling speed of an image task's networks on one device, in images per second and in achieved GFLOP/s
beside the device's estimated peak: the same script on a CPU and on a GPU gives the speed table of RESULTS.md.

It times (after one warm-up, which is not counted):
  train   one epoch of the enhancer (`train_enhancer`) and of the Parallel pair (`train_parallel`) on N_TRAIN training
          images, batch 128;
  sample  Enhanced and Nested at STEPS steps per chain on N_SAMPLE test images (the networks as initialised: speed does
          not depend on the weights).
at the precision asked for (--precision fp32|bf16|auto: bf16 autocast of the networks), with glibc keeping freed memory
(--malloc keep, the default, as cde-nb runs: `keep_freed_memory`) or returning big blocks to the system (--malloc
default, glibc's own settings), optionally compiled (--compile:
the trainings with `fit(compile=True)`, sampling with the signal U-Nets through torch.compile; the warm-up, which
includes the compiling, is timed separately). FLOPs come from
torch.utils.flop_counter on one forward pass of the signal U-Net (training: three times the forward, the usual count for
forward plus backward). Nothing is trained to convergence and no checkpoint is written. One JSON record goes to --out.

The peak is an estimate, not a measurement: on a CPU, threads x clock (the 'cpu MHz' line of /proc/cpuinfo) x FLOPs per
cycle and core from the CPU's flags (AVX-512: 2 FMA units x 16 float32 lanes x 2 = 64; AVX2: 32; bf16: 2x that with
AVX512-BF16 dot products, 1024 with AMX tiles); on a GPU, left out (name it with --peak-gflops).

Usage: python tools/speed.py [--device cpu|cuda] [--task mnist|cifar10] [--preset small|paper] [--precision fp32|bf16|auto]
                             [--malloc keep|default] [--compile] [--n-train 1024] [--n-sample 500] [--steps 20] [--out results/speed/NAME.json]
       python tools/speed.py --table results/speed/*.json     (the table of RESULTS.md)
"""
import argparse, json, platform, sys, time
from pathlib import Path
import torch
from torch.utils.flop_counter import FlopCounterMode
from cde_nb.training import check_device, resolve_precision, keep_freed_memory, _cpu_flags
from cde_nb.images import ImageModels, bundle_config, load_images, corruption_mix, image_corruption, check_preset
from cde_nb.coupling import train_enhancer, train_parallel, run, STRATEGIES
from cde_nb.layers import n_params
from cde_nb.bench import git_commit

def timed(fn, device):
    "Seconds that fn() takes, the device synchronised before and after."
    sync = torch.cuda.synchronize if device.type == 'cuda' else (lambda: None)
    sync(); t0 = time.perf_counter(); fn(); sync()
    return time.perf_counter() - t0

def cpu_peak_gflops(threads:int, precision:str)->float|None:
    "Estimated peak GFLOP/s of `threads` cores of this CPU at `precision` (see the module's docstring), or None if unknown."
    flags = _cpu_flags()
    try: mhz = max(float(l.split(':')[1]) for l in Path('/proc/cpuinfo').read_text().splitlines() if l.startswith('cpu MHz'))
    except (OSError, ValueError): return None
    per_cycle = 64 if 'avx512f' in flags else 32 if 'avx2' in flags else 8
    if precision == 'bf16': per_cycle = 1024 if 'amx_bf16' in flags else 2*per_cycle if 'avx512_bf16' in flags else per_cycle
    return threads * mhz/1e3 * per_cycle

def cpu_name()->str:
    "The processor's model name (/proc/cpuinfo), else its architecture."
    try: return next(l.split(':', 1)[1].strip() for l in Path('/proc/cpuinfo').read_text().splitlines() if l.startswith('model name'))
    except (OSError, StopIteration): return platform.processor() or platform.machine()

def forward_flops(net, *args)->int:
    "FLOPs of one forward pass of `net` on `args`."
    with FlopCounterMode(display=False) as fc, torch.no_grad(): net(*args)
    return fc.get_total_flops()

def table(files)->str:
    "A markdown table of speed records, one row per record (older records, without FLOPs, show images/s alone)."
    rate = lambda v: f'{v:,.0f}' if v >= 10 else f'{v:.2g}'
    rows = ['| device | threads | task, preset | precision | signal U-Net (M params, MFLOP/image) | train enhancer | train Parallel pair | sample Enhanced | sample Nested | achieved GFLOP/s train / sample (est. peak) |',
            '|---|---|---|---|---|---|---|---|---|---|']
    for f in files:
        r = json.loads(Path(f).read_text())
        prec = r.get('precision', 'bf16' if r.get('amp') else 'fp32') + (' compiled' if r.get('compile') else '') + \
               (', freed memory kept' if r.get('malloc') == 'keep' else '')   # older records: glibc's defaults
        mf = r.get('mflop_per_image')
        g = r.get('gflops')
        gcol = '' if not g else f"{g['train']:.0f} / {g['sample']:.0f}" + (f" ({r['peak_gflops']:,.0f})" if r.get('peak_gflops') else '')
        rows.append(f"| {r['device_name']} ({r['device']}) | {r['threads']} | {r.get('task', 'mnist')}, {r['preset']} | {prec} | "
                    f"{r['params_M']['enhancer']}" + (f", {mf:.0f}" if mf else '') + f" | {rate(r['train']['enhancer'])} | {rate(r['train']['parallel'])} | "
                    f"{rate(r['sample']['enhanced'])} | {rate(r['sample']['nested'])} | {gcol} |")
    return '\n'.join(rows)

def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ['--table']: print(table(sorted(argv[1:]))); return
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--device', default='cpu'); p.add_argument('--preset', default='small')
    p.add_argument('--task', default='mnist', choices=['mnist', 'cifar10'])
    p.add_argument('--precision', default='fp32', choices=['fp32', 'bf16', 'auto'])
    p.add_argument('--compile', action='store_true', help='torch.compile the networks: fit(compile=True) in training, the signal U-Nets in sampling')
    p.add_argument('--n-train', type=int, default=1024); p.add_argument('--n-sample', type=int, default=500)
    p.add_argument('--steps', type=int, default=20); p.add_argument('--out', default=None)
    p.add_argument('--malloc', default='keep', choices=['keep', 'default'],
                   help="keep: glibc keeps freed memory for the next allocation (keep_freed_memory, as cde-nb does); default: glibc's own settings")
    p.add_argument('--peak-gflops', type=float, default=None, help="the device's peak, where it cannot be estimated (GPUs)")
    a = p.parse_args(argv)
    device, preset = check_device(a.device), check_preset(a.preset)
    malloc = a.malloc if keep_freed_memory(a.malloc == 'keep') else 'not glibc'
    precision = resolve_precision(a.precision, device)
    for k in ('n_train', 'n_sample', 'steps'):
        if getattr(a, k) < 1: sys.exit(f"speed.py: --{k.replace('_', '-')} must be >= 1, got {getattr(a, k)}")
    if a.n_train < 256: sys.exit('speed.py: --n-train must be >= 256 (one warm-up batch and at least one timed batch of 128)')
    cfg = bundle_config(a.task, 'pixels_meanstd', 0.3, preset=preset)
    torch.manual_seed(0)
    M = ImageModels(cfg).to(device)
    X = load_images(a.task, 'train')[0][:a.n_train].to(device)
    Xt = load_images(a.task, 'test')[0][:a.n_sample].to(device)
    mix = corruption_mix(cfg.train_mix, a.task)
    kw = dict(progress=False, device=str(device), precision=precision, bs=128, compile=a.compile)
    t_ = torch.full((1,), cfg.T//2, device=device)
    mflop = forward_flops(M.nets['enhancer'], X[:1], t_, X[:1], None)/1e6
    threads = torch.get_num_threads()
    rec = dict(device=str(device), device_name=torch.cuda.get_device_name(device) if device.type == 'cuda' else cpu_name(),
               threads=threads, torch=torch.__version__, commit=git_commit(), task=a.task, preset=preset, precision=precision,
               compile=a.compile, malloc=malloc, params_M={k: round(n_params(M.nets[k])/1e6, 2) for k in ('enhancer', 'logit_p')},
               mflop_per_image=round(mflop, 1), steps=a.steps, n_train=a.n_train, n_sample=len(Xt), train={}, sample={},
               peak_gflops=a.peak_gflops or (cpu_peak_gflops(threads, precision) if device.type == 'cpu' else None))
    for name, trainer, m in (('enhancer', train_enhancer, M.coupled('enhancer')), ('parallel', train_parallel, M.coupled('parallel'))):
        rec.setdefault('warmup_s', {})[f'train {name}'] = round(timed(lambda: trainer(m, X[:128], mix, epochs=1, **kw), device), 1)   # warm-up: one batch (and the compiling)
        s = timed(lambda: trainer(m, X, mix, epochs=1, **kw), device)
        rec['train'][name] = round((len(X)//128*128)/s, 1)                         # images per second
    if a.compile:
        for k in ('enhancer', 'signal_s'): M.nets[k] = torch.compile(M.nets[k])
    xc = image_corruption('pixels_meanstd', 0.3, a.task)(Xt, torch.Generator(device).manual_seed(0))
    for strategy in ('enhanced', 'nested'):
        m = M.coupled(STRATEGIES[strategy].pair)
        rec.setdefault('warmup_s', {})[strategy] = round(timed(lambda: run(m, xc, strategy, 2, precision=precision), device), 1)
        s = timed(lambda: run(m, xc, strategy, a.steps, precision=precision), device)
        rec['sample'][strategy] = round(len(xc)/s, 1)
    # the enhancer's achieved rate: training costs about 3 forwards per image, Enhanced sampling `steps` forwards
    rec['gflops'] = dict(train=round(3*mflop*rec['train']['enhancer']/1e3, 1), sample=round(a.steps*mflop*rec['sample']['enhanced']/1e3, 1))
    fmt = lambda d: ', '.join(f'{k} {v:,.0f}' if v >= 10 else f'{k} {v:.2g}' for k, v in d.items())
    print(f"{rec['device_name']} ({rec['device']}, {threads} threads), {a.task} {preset}, {precision}{' compiled' if a.compile else ''}: "
          f"train images/s {fmt(rec['train'])}; sample images/s at {a.steps} steps {fmt(rec['sample'])}; "
          f"enhancer {mflop:.1f} MFLOP/image, {rec['gflops']['train']:.0f} / {rec['gflops']['sample']:.0f} GFLOP/s (train / sample)"
          + (f", estimated peak {rec['peak_gflops']:,.0f}" if rec['peak_gflops'] else ''))
    if a.out:
        Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(rec, indent=1))
    return rec

if __name__ == '__main__': main()
