"""`fit` under torchrun: 2 gloo processes on the CPU against one process (01b_training, Several processes).

Each test launches `python -m torch.distributed.run --standalone --nproc_per_node 2` on a small worker script.
"""
import os, sys, json, time, subprocess, textwrap
from pathlib import Path
import pytest, torch, torch.nn as nn, torch.nn.functional as F
import torch.distributed as dist
from cde_nb.training import fit
from cde_nb.checkpoint import load_checkpoint

pytestmark = pytest.mark.skipif(not dist.is_available(), reason='torch.distributed is not available')

COMMON = '''
import torch, torch.nn as nn, torch.nn.functional as F
x = torch.linspace(-1, 1, 64)[:, None]
X, Y = torch.cat([x, x**2, x**3, torch.sin(3*x)], 1), torch.cos(2*x) + x
def net():
    torch.manual_seed(0); return nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))
mse = lambda m, b: F.mse_loss(m(b[0]), b[1])
KW = dict(lr=0.02, bs=16, seed=3, progress=False)
'''
exec(COMMON)

WORKER = COMMON + '''
import sys, json
from pathlib import Path
import torch.distributed as dist
from cde_nb.training import fit, distributed, is_main_process
out = Path(sys.argv[1]); torch.set_num_threads(1)

# 1. a deterministic loss; fit joins torchrun's group by itself (and stays in it: torch cannot join twice reliably)
m = net(); losses = fit(m, mse, (X, Y), 3, state_path=out/'det.pt', **KW)
assert dist.is_initialized() and dist.get_world_size() == 2
if is_main_process(): (out/'det_losses.json').write_text(json.dumps(losses))

def noisy(path, stop_at=None):
    "A diffusion-like loss: noise from its own generator."
    m, g, calls, first = net(), torch.Generator().manual_seed(5), [0], []
    def loss(model, b):
        calls[0] += 1
        if calls[0] == stop_at: raise KeyboardInterrupt
        noise = torch.randn(b[0].shape, generator=g); first.append(noise)
        return F.mse_loss(model(b[0] + 0.1*noise), b[1])
    return m, fit(m, loss, (X, Y), 3, state_path=path, **KW), calls[0], g, first[0] if first else None

def gather(v):
    out = [None]*dist.get_world_size(); dist.all_gather_object(out, v); return out

# 2. stopped (Ctrl-C reaches every rank) and resumed == never stopped
with distributed('cpu') as device:           # a group joined already: used as it is, not left
    assert device == torch.device('cpu')
    m0, l0, _, g0, noise0 = noisy(out/'a.pt')
    try: noisy(out/'b.pt', stop_at=4 + 2); raise SystemExit('not stopped')
    except KeyboardInterrupt: pass
    m1, l1, calls, g1, _ = noisy(out/'b.pt')
    assert calls == 2*4, calls                                  # epochs 2 and 3 of 4 steps (8 of the 16 examples each)
    assert l1 == l0
    for a, b in zip(m0.state_dict().values(), m1.state_dict().values()): assert torch.equal(a, b)
    ws, gs, ns = gather(m0[0].weight.detach()), gather(g0.get_state()), gather(noise0)
    assert torch.equal(ws[0], ws[1])                            # every rank ends with the same weights
    assert torch.equal(gs[0], gs[1])                            # ... and with rank 0's generator state
    assert not torch.equal(ns[0], ns[1])                        # but each drew its own noise
    try: fit(net(), mse, (X, Y), 1, **(KW | dict(bs=15))); raise SystemExit('bs=15 accepted')
    except ValueError as e: assert 'multiple of the 2 processes' in str(e)
    # 3. the real trainers (BatchNorm, ModuleDicts, frozen classifier, work between fits): the same bundle on every rank
    from cde_nb.images import ImageConfig, train_models
    M = train_models(ImageConfig(epochs_cls=1, epochs=1, base=8, hidden=32, width=8, cls_width=8), progress=False,
                     device=str(device), log=lambda *a: None)
    bundles = gather({k: v.clone() for k, v in M.nets.state_dict().items()})
    assert all(torch.equal(bundles[0][k], bundles[1][k]) for k in bundles[0])
    if is_main_process(): (out/'ok').write_text('ok')
assert dist.is_initialized()                   # left at exit
'''

FAILING = COMMON + '''
import os
from cde_nb.training import fit, distributed
rank = int(os.environ['RANK'])
def loss(m, b):
    if rank == 1 and loss.calls == 3: raise RuntimeError('rank 1 fails alone')
    loss.calls += 1; return mse(m, b)
loss.calls = 0
with distributed('cpu'):                       # joins, and leaves in a finally on the error
    fit(net(), loss, (X, Y), 50, **KW)
'''

def torchrun(tmp_path, script, timeout=90):
    (tmp_path/'worker.py').write_text(script)
    env = dict(os.environ, OMP_NUM_THREADS='1', MPLBACKEND='Agg')
    t0 = time.time()
    r = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2',
                        str(tmp_path/'worker.py'), str(tmp_path)], env=env, capture_output=True, text=True, timeout=timeout)
    return r, time.time() - t0

def test_two_processes_equal_one(tmp_path):
    r, secs = torchrun(tmp_path, WORKER)
    assert r.returncode == 0 and (tmp_path/'ok').exists(), r.stdout[-3000:] + r.stderr[-3000:]
    # 2 processes at 8 examples each == 1 process at batch 16, up to float rounding
    single = net(); l_single = fit(single, mse, (X, Y), 3, **KW)
    ddp, config, extra = load_checkpoint(tmp_path/'det.pt', net())   # strict load: no 'module.' prefixes
    assert config['world'] == 2 and config['bs'] == 16
    for (k, a), b in zip(single.state_dict().items(), ddp.state_dict().values()):
        torch.testing.assert_close(b, a, rtol=1e-5, atol=1e-6, msg=k)
    torch.testing.assert_close(torch.tensor(json.loads((tmp_path/'det_losses.json').read_text())), torch.tensor(l_single),
                               rtol=1e-5, atol=1e-6)
    state, _, _ = load_checkpoint(tmp_path/'a.pt')
    assert not any(k.startswith('module.') for k in state) and list(state) == list(net().state_dict())
    net().load_state_dict(state)                                 # a plain process loads what DDP trained
    with pytest.raises(ValueError, match=r'world=2 \(now 1\)'):  # a state of 2 processes is not resumed by 1
        fit(net(), mse, (X, Y), 3, state_path=tmp_path/'det.pt', **KW)

def test_a_rank_failing_alone_stops_the_run(tmp_path):
    r, secs = torchrun(tmp_path, FAILING, timeout=60)
    assert r.returncode != 0 and 'rank 1 fails alone' in r.stdout + r.stderr, r.stderr[-3000:]
    assert secs < 45, secs
