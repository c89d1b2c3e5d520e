"""Where the sampling time goes: each strategy of `coupling.STRATEGIES` run under the PyTorch profiler on one batch of a
task's test items, its time split into the signal network, the logit network, the classifier and the rest (the
samplers' arithmetic and Python). Writes a markdown table (results/profile_TASK.md by default).

Usage: python tools/profile_strategies.py [--task mnist] [--corruption pixels_meanstd] [--level 0.3] [--n 200]
                                          [--steps 10] [--samples 1] [--out results/profile_mnist.md]"""
import argparse, copy, time, torch
from pathlib import Path
from torch.profiler import profile, record_function, ProfilerActivity
from cde_nb.coupling import STRATEGIES, run

class Labelled:
    "A network whose every call is one named range of the profile."
    def __init__(self, net, name): self.net, self.name = net, name
    def __call__(self, *a, **kw):
        with record_function(self.name): return self.net(*a, **kw)

def task_and_batch(name, corruption, level, n, device):
    if name == 'fsdd':
        from cde_nb.speech import SpeechTask
        task = SpeechTask()
    else:
        from cde_nb.images import ImageTask
        task = ImageTask(name, bs=n)
    M = task.load(corruption, level, device)
    return task, M, task.test_set(M, corruption, level, n, 0, 'test')[0]

def profile_strategy(m, x_cor, strategy, steps, samples, **kw):
    "Milliseconds per item in each network and in the rest, for one run of `strategy` on the batch `x_cor`."
    m = copy.copy(m)
    for k in ('signal', 'logit', 'classifier', 'card'):
        if getattr(m, k, None) is not None: setattr(m, k, Labelled(getattr(m, k), k))
    run(m, x_cor, strategy, 1)   # warm up (lazy initialisation, allocator)
    with profile(activities=[ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if x_cor.is_cuda else [])) as prof:
        t0 = time.perf_counter()
        res = run(m, x_cor, strategy, steps, samples=samples, **kw)
        if x_cor.is_cuda: torch.cuda.synchronize()
        wall = time.perf_counter() - t0
    ev = {e.key: e.cpu_time_total/1e3 for e in prof.key_averages()}   # ms, a range includes what it calls
    parts = {k: ev.get(k, 0.)/1e3 for k in ('signal', 'logit', 'classifier', 'card')}
    parts['logit'] += parts.pop('card')          # CARD's denoiser is a logit network
    n = len(x_cor)
    out = {k: 1e3*v/n for k, v in parts.items()}
    out['rest'] = max(0., 1e3*(wall - sum(parts.values()))/n)
    return out | dict(total=1e3*wall/n, nfe=res.nfe)

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--task', default='mnist', choices=['digits', 'mnist', 'fsdd'])
    p.add_argument('--corruption', default=None); p.add_argument('--level', type=float, default=None)
    p.add_argument('--n', type=int, default=200, help='test items in the batch')
    p.add_argument('--steps', type=int, default=10); p.add_argument('--samples', type=int, default=1)
    p.add_argument('--device', default='cpu'); p.add_argument('--out', default=None)
    a = p.parse_args()
    corruption = a.corruption or dict(digits='pixels', mnist='pixels_meanstd', fsdd='babble')[a.task]
    level = a.level if a.level is not None else dict(digits=.5, mnist=.3, fsdd=0.)[a.task]
    torch.manual_seed(0)
    task, M, b = task_and_batch(a.task, corruption, level, a.n, a.device)
    rows = []
    for s in STRATEGIES:
        m = task.coupled(M, task.pairs[s])
        r = profile_strategy(m, b['x_cor'], s, a.steps, a.samples)
        nf = r['nfe']
        rows.append(f"| {s} | {r['total']:.2f} | {r['signal']:.2f} | {r['logit']:.2f} | {r['classifier']:.2f} | {r['rest']:.2f} | "
                    f"{100*r['signal']/r['total']:.0f}% | {nf['signal']}/{nf['logit']}/{nf['classifier']} |")
        print(rows[-1], flush=True)
    head = [f"Time per item of each strategy, {a.task} {corruption} {level:g}, a batch of {len(b['x_cor'])} test items, {a.steps} steps,"
            f" {a.samples} chain(s), {a.device}, torch {torch.__version__}, {torch.get_num_threads()} thread(s); made by"
            f" `python tools/profile_strategies.py --task {a.task} --n {a.n} --steps {a.steps}`.", '',
            '| strategy | ms per item | signal net | logit net | classifier | rest (samplers, Python) | share in signal net | NFE signal/logit/classifier |',
            '|---|---|---|---|---|---|---|---|']
    text = '\n'.join(head + rows) + '\n'
    out = Path(a.out or f'results/profile_{a.task}.md'); out.write_text(text); print(f'wrote {out}')

if __name__ == '__main__': main()
