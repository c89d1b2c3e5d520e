"Resuming `fit` (and sequences of fits) bit for bit, devices and bf16: the guarantees of 01b_training's Long trainings."
import random, warnings
from pathlib import Path
import numpy as np, pytest, torch, torch.nn as nn, torch.nn.functional as F
from cde_nb.classifiers import train_classifier, SmallCNN
from cde_nb.training import fit, resumable
from cde_nb.tasks import TaskEntry, TASKS, register_task, with_flags
from cde_nb.toy import ToyConfig
from cde_nb.cli import main
from cde_nb.checkpoint import load_checkpoint, save_checkpoint
from cde_nb.data import load_digits

def line_data(n=96):
    x = torch.linspace(-1, 1, n)[:, None]; return x, 3*x - 1

def net(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Dropout(0.1), nn.Linear(16, 1))

def run(path=None, stop_at=None, seed_net=0, epochs=4, every=None, device='cpu', precision='fp32', **kw):
    "A diffusion-like training: noise from the loss's own generator, dropout (global RNG), python's and numpy's RNG."
    m, g, calls = net(seed_net), torch.Generator(device).manual_seed(5), [0]
    def loss(model, b):
        calls[0] += 1
        if calls[0] == stop_at: raise KeyboardInterrupt
        noise = torch.randn(b[0].shape, generator=g, device=b[0].device)
        scale = 0.05 + 0.01*random.random() + 0.01*float(np.random.rand())
        return F.mse_loss(model(b[0] + scale*noise), b[1])
    losses = fit(m, loss, line_data(), epochs=epochs, lr=0.05, bs=16, seed=1, progress=False, state_path=path,
                 every=every, device=device, precision=precision, **kw)
    return m, losses, calls[0], g

def same_weights(a, b):
    sa, sb = a.state_dict(), b.state_dict()
    assert list(sa) == list(sb)
    for k in sa: assert torch.equal(sa[k].cpu(), sb[k].cpu()), k

@pytest.fixture
def straight():
    random.seed(0); np.random.seed(0)
    m, losses, calls, g = run()
    return m, losses, g.get_state(), (random.random(), float(np.random.rand()))

# 6 steps an epoch, 4 epochs: stop mid-epoch, on the first step after a save, on the very first step, in the last epoch
@pytest.mark.parametrize('stop_at,every,saved', [(2*6 + 3, 1, 2), (6 + 1, 1, 1), (1, 1, None), (3*6 + 5, 2, 2), (2*6 + 3, 2, 2)])
def test_resume_is_bit_identical(tmp_path, straight, stop_at, every, saved):
    m0, l0, g0, after0 = straight
    path = tmp_path/'state.pt'
    random.seed(0); np.random.seed(0)
    with pytest.raises(KeyboardInterrupt): run(path, stop_at=stop_at, every=every)
    if saved is None: assert not path.exists(); return          # stopped in epoch 1: nothing to resume from
    assert load_checkpoint(path)[2]['epoch'] == saved
    random.seed(123); np.random.seed(123)                      # a new process: other RNG states, another network
    m1, l1, calls, g1 = run(path, seed_net=99, every=every)
    assert calls == (4 - saved)*6                       # only the epochs after the saved one
    assert l1 == l0
    same_weights(m0, m1)
    assert torch.equal(g1.get_state(), g0)                     # the loss's generator ends where it would have
    assert (random.random(), float(np.random.rand())) == after0
    m2, l2, calls2, _ = run(path, seed_net=7, every=every)     # finished: loaded, not trained
    assert calls2 == 0 and l2 == l0 and not m2.training
    same_weights(m0, m2)

def test_state_file(tmp_path):
    path = tmp_path/'sub'/'state.pt'
    m, losses, _, _ = run(path, epochs=2)
    state, config, extra = load_checkpoint(path)               # a plain checkpoint, on the CPU
    assert config['kind'] == 'cde_nb.fit' and config['epochs'] == 2 and config['world'] == 1 and config['generators'] == 1
    assert extra['epoch'] == 2 and extra['losses'] == losses and set(extra['rng'][0]) >= {'batches', 'torch', 'generators'}
    assert all(v.device.type == 'cpu' for v in state.values()) and list(state) == list(m.state_dict())
    assert sorted(p.name for p in path.parent.iterdir()) == ['state.pt']   # no temporary file left

def test_resume_refuses_another_training(tmp_path):
    path = tmp_path/'state.pt'
    run(path, epochs=2)
    with pytest.raises(ValueError, match=r'another training \(epochs=2 \(now 3\)'): run(path, epochs=3)
    x, y = line_data()
    with pytest.raises(ValueError, match='another training'):   # another lr
        fit(net(), lambda m, b: F.mse_loss(m(b[0]), b[1]), (x, y), 2, lr=0.1, bs=16, progress=False, state_path=path)
    m, l, calls, _ = run(path, epochs=3, resume=False)         # start over, overwriting the state
    assert calls == 3*6 and load_checkpoint(path)[1]['epochs'] == 3
    ck = save_checkpoint(tmp_path/'model.pt', net(), dict(task='digits'))
    with pytest.raises(ValueError, match='is a checkpoint, not the training state'): run(ck)
    assert load_checkpoint(ck)[1] == dict(task='digits')       # not overwritten
    (tmp_path/'cut.pt').write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match=r'cannot resume from .*cut\.pt.*pass resume=False'): run(tmp_path/'cut.pt')
    with pytest.raises(ValueError, match='every must be >= 1'): run(path, every=0)

class Noisy:
    "A corruption that keeps its generator inside an object, where fit cannot see it."
    def __init__(self): self.g = torch.Generator().manual_seed(2)
    def __call__(self, x): return x + 0.1*torch.randn(x.shape, generator=self.g)

def test_generators_fit_cannot_see(tmp_path):
    x, y = line_data()
    def go(path, stop_at=None, pass_it=True):
        m, noisy, calls = net(), Noisy(), [0]
        def loss(model, b):
            calls[0] += 1
            if calls[0] == stop_at: raise KeyboardInterrupt
            return F.mse_loss(model(noisy(b[0])), b[1])
        fit(m, loss, (x, y), 3, bs=16, progress=False, state_path=path, generators=[noisy.g] if pass_it else ())
        return m
    m0 = go(None)
    for pass_it in (True, False):
        path = tmp_path/f'{pass_it}.pt'
        with pytest.raises(KeyboardInterrupt): go(path, stop_at=6 + 2, pass_it=pass_it)
        m1 = go(path, pass_it=pass_it)
        assert torch.equal(m0[0].weight, m1[0].weight) == pass_it   # without generators=[g] the noise restarts

def test_sequence_of_trainers(tmp_path):
    "train_classifier twice (its corrupt= draws from train_classifier's own generator), with a draw in between."
    (X, y) = load_digits('train'); X, y = 2*X[:64] - 1, y[:64]
    def sequence(folder, stop_at=None):
        calls = [0]
        def corrupt(x, g):
            calls[0] += 1
            if calls[0] == stop_at: raise KeyboardInterrupt
            return x + 0.3*torch.randn(x.shape, generator=g)
        g = torch.Generator().manual_seed(0)
        a, b = SmallCNN(size=8, width=4, seed=0), SmallCNN(size=8, width=4, seed=1)
        with resumable(folder) as r:
            la = train_classifier(a, X, y, epochs=2, bs=16, corrupt=corrupt, progress=False)
            X2 = corrupt(X, g)                                  # work between the fits (a call counted too)
            lb = train_classifier(b, X2, y, epochs=3, bs=16, corrupt=corrupt, progress=False, seed=1)
        return a, b, la + lb, calls[0], r
    a0, b0, l0, calls0, _ = sequence(tmp_path/'straight')
    assert calls0 == 2*4 + 1 + 3*4
    with pytest.raises(KeyboardInterrupt): sequence(tmp_path/'run', stop_at=2*4 + 1 + 4 + 2)   # epoch 2 of the second
    a1, b1, l1, calls1, r = sequence(tmp_path/'run')
    assert [p.name for p in r.paths] == ['01-classifier-corrupted.pt', '02-classifier-corrupted.pt']
    assert calls1 == 1 + 2*4                                   # first fit loaded; the draw between; epochs 2 and 3
    assert l1 == l0
    same_weights(a0, a1); same_weights(b0, b1)
    r.clear(); assert not (tmp_path/'run').exists()

def test_fit_never_calls_cuda(monkeypatch):
    def no(*a, **k): raise AssertionError('fit called .cuda()')
    monkeypatch.setattr(nn.Module, 'cuda', no); monkeypatch.setattr(torch.Tensor, 'cuda', no)
    m, _, _, _ = run(epochs=1)
    assert all(p.device.type == 'cpu' for p in m.parameters())

def test_fit_resumes_in_bf16(tmp_path):
    "bf16 autocast on the CPU: the weights stay float32, and an interrupted training resumes bit for bit."
    random.seed(0); np.random.seed(0)
    m0, l0, _, _ = run(precision='bf16')
    assert all(p.dtype == torch.float32 for p in m0.parameters()) and l0[-1] < l0[0]
    path = tmp_path/'state.pt'
    random.seed(0); np.random.seed(0)
    with pytest.raises(KeyboardInterrupt): run(path, stop_at=2*6 + 3, precision='bf16')
    random.seed(123); np.random.seed(123)                      # a new process: other RNG states, another network
    m1, l1, _, _ = run(path, seed_net=99, precision='bf16')
    same_weights(m0, m1); assert l1 == l0
    with pytest.raises(ValueError, match='another training'): run(path, precision='fp32')   # a bf16 state is not an fp32 one

@pytest.mark.skipif(not torch.cuda.is_available(), reason='no CUDA device')
@pytest.mark.parametrize('precision', ['fp32', 'bf16'])
def test_fit_on_cuda(tmp_path, precision):
    m0, l0, _, _ = run(device='cuda', precision=precision)
    assert all(p.device.type == 'cuda' and p.dtype == torch.float32 for p in m0.parameters())
    assert l0[-1] < l0[0] and all(np.isfinite(l0))
    path = tmp_path/'state.pt'
    with pytest.raises(KeyboardInterrupt): run(path, stop_at=2*6 + 3, device='cuda', precision=precision)
    state, config, extra = load_checkpoint(path)               # opens on the CPU
    assert all(v.device.type == 'cpu' for v in state.values()) and extra['rng'][0]['cuda'] is not None
    m1, l1, _, _ = run(path, seed_net=99, device='cuda', precision=precision)
    same_weights(m0, m1); assert l1 == l0
    m_cpu = net(); m_cpu.load_state_dict(load_checkpoint(path)[0])   # and the finished state loads into a CPU model

def test_image_bundle_resumes(tmp_path, monkeypatch):
    "The real sequence: train_models (7 networks, 8 fits, work between them), stopped after epoch 1 of the Parallel pair."
    from cde_nb import training as C
    from cde_nb.images import ImageConfig, train_models
    tiny = ImageConfig(epochs_cls=1, epochs=2, base=8, hidden=32, width=8, cls_width=8)
    quiet = lambda *a: None
    M0 = train_models(tiny, progress=False, log=quiet)
    save, saves = C._save_state, []
    def save_then_stop(*a, **k):
        save(*a, **k); saves.append(a[0].name)
        if len(saves) == 5: raise KeyboardInterrupt       # classifier, retrained, enhancer x2, then Parallel's epoch 1
    monkeypatch.setattr(C, '_save_state', save_then_stop)
    with pytest.raises(KeyboardInterrupt), resumable(tmp_path): train_models(tiny, progress=False, log=quiet)
    assert len(saves) == 5 and saves[2] == saves[3]            # the enhancer saved twice: 2 epochs
    monkeypatch.setattr(C, '_save_state', save)
    with resumable(tmp_path) as r: M1 = train_models(tiny, progress=False, log=quiet)
    assert len(set(r.paths)) == len(r.paths) >= 7 and M1.metrics == M0.metrics
    same_weights(M0.nets, M1.nets)

def test_switch_precision(tmp_path):
    "A state begun in bf16 continues in float32 only when asked (switch_precision), and keeps where it switched."
    path = tmp_path/'state.pt'
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')                           # (emulated bf16 warns that it is slow)
        with pytest.raises(KeyboardInterrupt): run(path, stop_at=2*6 + 3, precision='bf16')
    assert load_checkpoint(path)[2]['precisions'] == [[0, 'bf16']]
    with pytest.raises(ValueError, match=r'amp=True \(now False\).*--precision bf16.*--switch-precision'): run(path)
    m, losses, calls, _ = run(path, switch_precision=True)
    assert calls == 2*6 and len(losses) == 4*6 and all(np.isfinite(losses))   # epochs 3 and 4, in float32
    state, config, extra = load_checkpoint(path)
    assert extra['precisions'] == [[0, 'bf16'], [2, 'fp32']] and config['amp'] is False
    assert run(path)[2] == 0                                    # finished: loaded in float32 with no flag, nothing trained
    run(tmp_path/'plain.pt', epochs=2)
    assert load_checkpoint(tmp_path/'plain.pt')[2]['precisions'] == [[0, 'fp32']]

class TwoFits(TaskEntry):
    "Two small fits in a row, as a bundle trains its networks; with `stop`, the run is interrupted between them."
    stop = False
    def config(self, flags, corruption=None, level=None): return with_flags(ToyConfig('pictures', epochs=2), flags)
    def train(self, cfg, progress=True, device='cpu', log=print, precision='fp32'):
        M, mse = nn.ModuleDict(dict(a=net(0), b=net(1))), lambda m, b: F.mse_loss(m(b[0]), b[1])
        fit(M['a'], mse, line_data(), cfg.epochs, bs=16, progress=False, precision=precision, desc='first')
        if self.stop: raise KeyboardInterrupt
        fit(M['b'], mse, line_data(), cfg.epochs, bs=16, progress=False, precision=precision, desc='second')
        M.metrics = {}; return M
    def save(self, M, path, **extra): save_checkpoint(path, M.state_dict(), dict(task='two_fits'), **extra)

@pytest.fixture
def two_fits():
    yield register_task(TwoFits('two_fits', 'two small fits', ('gaussian',), 'gaussian', 0.5))
    del TASKS['two_fits']

def test_cli_switch_precision(two_fits, tmp_path, capsys):
    "`cde-nb train --switch-precision` continues a bf16 training in float32, and the bundle says which network ran in which."
    out, base = tmp_path/'b.pt', ['train', '--task', 'two_fits', '--quiet', '--out', str(tmp_path/'b.pt')]
    two_fits.stop = True
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')                           # (emulated bf16 warns that it is slow)
        with pytest.raises(SystemExit): main(base + ['--precision', 'bf16'])   # interrupted after the first fit
    two_fits.stop = False
    with pytest.raises(SystemExit, match='--switch-precision'): main(base)
    assert not out.exists()
    capsys.readouterr(); main(base + ['--switch-precision'])
    assert 'not all in fp32: 01-first: bf16 from epoch 1' in capsys.readouterr().out
    assert load_checkpoint(out)[2]['precisions'] == {'01-first': [[0, 'bf16']]}   # the second trained in float32 only
    main(base + ['--restart'])
    assert 'precisions' not in load_checkpoint(out)[2]
