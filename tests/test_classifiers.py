"API and edge-case tests of cde_nb.classifiers: the CNN, the shared training loop, the frozen wrapper, checkpoints."
import os, warnings
from pathlib import Path
import numpy as np, pytest, torch, torch.nn as nn, torch.nn.functional as F
import fastcore.test as fct
from cde_nb import checkpoint as C
from cde_nb.classifiers import SmallCNN, train_classifier, predict_logits, accuracy, confusion, freeze, Frozen
from cde_nb.training import fit
from cde_nb.checkpoint import save_checkpoint, load_checkpoint, config_diff
from cde_nb.data import load_digits
from cde_nb.diffusion import NFE

@pytest.fixture(scope='module')
def digits():
    (X, y), (Xt, yt) = load_digits('train'), load_digits('test')
    return 2*X - 1, y, 2*Xt - 1, yt

@pytest.fixture(scope='module')
def trained(digits):
    X, y, Xt, yt = digits
    m = SmallCNN(size=8, seed=0)
    train_classifier(m, X, y, epochs=6, lr=3e-3, bs=64, progress=False)
    return m

mse = lambda m, b: F.mse_loss(m(b[0]), b[1])
def line_data(n=100):
    x = torch.linspace(-1, 1, n)[:, None]; return x, 3*x - 1

# ---------------------------------------------------------------- SmallCNN
@pytest.mark.parametrize('size,pools', [(8, 1), (28, 2), (32, 2), (5, 1)])
def test_cnn_shapes(size, pools):
    m = SmallCNN(n_classes=7, in_ch=3, size=size, width=8)
    fct.test_eq(m(torch.randn(2, 3, size, size)).shape, (2, 7))
    fct.test_eq(m.n_pool, pools); fct.test_eq(m.input_shape, (3, size, size))

def test_cnn_positional_and_seed():
    m = SmallCNN(10, 1, 8, 16)   # the positional order others rely on
    fct.test_eq((m.n_classes, m.in_ch, m.size, m.width), (10, 1, 8, 16))
    state = torch.get_rng_state()
    a, b = SmallCNN(size=8, seed=3), SmallCNN(size=8, seed=3)
    fct.test_eq(torch.get_rng_state(), state)   # seeded init leaves the global RNG alone
    for (k, v), w in zip(a.state_dict().items(), b.state_dict().values()): fct.test_eq(v, w)
    assert not torch.equal(a.head[-1].weight, SmallCNN(size=8, seed=4).head[-1].weight)
    with pytest.raises(ValueError, match='at least 4x4'): SmallCNN(size=3)

# ---------------------------------------------------------------- fit
def test_fit_learns_and_is_deterministic():
    def run(seed):
        torch.manual_seed(0); lin = nn.Linear(1, 1)
        return lin, fit(lin, mse, line_data(), epochs=30, lr=0.1, bs=20, seed=seed, progress=False)
    lin, l0 = run(0)
    fct.test_close(lin.weight.item(), 3., eps=0.05); fct.test_close(lin.bias.item(), -1., eps=0.05)
    fct.test_eq(len(l0), 30*5)
    assert all(isinstance(v, float) for v in l0)
    lin2, l1 = run(0)
    fct.test_eq(l0, l1); fct.test_eq(lin.weight.detach(), lin2.weight.detach())
    assert run(1)[1] != l0

def test_fit_randomness_inside_loss_is_seeded_and_rng_untouched():
    "Dropout and noise drawn from the global RNG inside loss_fn repeat for a seed; the caller's RNG is untouched."
    def loss(m, b): return F.mse_loss(m(b[0] + 0.1*torch.randn_like(b[0])), b[1])
    def run():
        torch.manual_seed(0); net = nn.Sequential(nn.Linear(1, 8), nn.Dropout(0.3), nn.Linear(8, 1))
        state = torch.get_rng_state()
        ls = fit(net, loss, line_data(), epochs=2, bs=10, progress=False)
        fct.test_eq(torch.get_rng_state(), state)
        return ls, net
    (l0, n0), (l1, n1) = run(), run()
    fct.test_eq(l0, l1)
    assert not n0.training                                # left in eval mode
    assert all(p.grad is None for p in n0.parameters())   # no stale gradients

def test_fit_batches():
    seen = []
    def loss(m, b): seen.append(b[0].flatten().tolist()); return mse(m, b)
    x, y = line_data(10)
    fct.test_eq(len(fit(nn.Linear(1, 1), loss, (x, y), epochs=3, bs=4, progress=False)), 3*2)  # remainder dropped
    assert all(len(s) == 4 for s in seen)
    assert len({v for s in seen[:2] for v in s}) == 8          # no repeats within an epoch
    seen.clear()
    fct.test_eq(len(fit(nn.Linear(1, 1), loss, (x, y), epochs=2, bs=128, progress=False)), 2)  # N < bs: one batch of N
    fct.test_eq(sorted(seen[0]), sorted(x.flatten().tolist()))

def test_fit_accepts_tensor_and_dataset():
    x, y = line_data(16)
    fit(nn.Linear(1, 1), lambda m, b: m(b[0]).pow(2).mean(), x, 1, bs=8, progress=False)
    fit(nn.Linear(1, 1), mse, torch.utils.data.TensorDataset(x, y), 1, bs=8, progress=False)

def test_fit_errors():
    x, y = line_data(16)
    with pytest.raises(ValueError, match='no trainable parameters'): fit(freeze(nn.Linear(1, 1)), mse, (x, y), 1)
    with pytest.raises(ValueError, match='different lengths'): fit(nn.Linear(1, 1), mse, (x, y[:3]), 1)
    with pytest.raises(ValueError, match='epochs must be an int >= 1'): fit(nn.Linear(1, 1), mse, (x, y), 0)
    with pytest.raises(TypeError, match='tuple of tensors'): fit(nn.Linear(1, 1), mse, [x.numpy()], 1)
    with pytest.raises(ValueError, match='empty'): fit(nn.Linear(1, 1), mse, (x[:0], y[:0]), 1)
    with pytest.raises(FloatingPointError, match='lower lr'):
        fit(nn.Linear(1, 1), lambda m, b: m(b[0]).sum()*float('nan'), (x,), 1, progress=False)

def test_fit_progress_bar(capsys):
    x, y = line_data(16)
    fit(nn.Linear(1, 1), mse, (x, y), 2, bs=8, progress=True, desc='lines')
    assert 'lines' in capsys.readouterr().err

# ---------------------------------------------------------------- classifier training and evaluation
def test_train_classifier_accuracy(digits, trained):
    X, y, Xt, yt = digits
    acc = accuracy(trained, Xt, yt)
    assert acc > 0.95, acc
    logits = predict_logits(trained, Xt, bs=100)
    fct.test_eq(logits.shape, (len(Xt), 10)); assert not logits.requires_grad
    fct.test_close(logits, predict_logits(trained, Xt, bs=7), eps=1e-4)   # batching does not change the answer
    cm = confusion(logits, yt)
    fct.test_eq(cm.sum(), len(yt)); fct.test_eq(cm.trace().item(), round(acc*len(yt)))
    fct.test_eq(cm.sum(1), torch.bincount(yt, minlength=10))

def test_predict_restores_mode(trained, digits):
    trained.train(); predict_logits(trained, digits[2][:5]); assert trained.training
    trained.eval(); predict_logits(trained, digits[2][:5]); assert not trained.training
    fct.test_eq(predict_logits(trained, digits[2][:0]).numel(), 0)

def test_train_classifier_corrupt_reproducible(digits):
    X, y = digits[0][:128], digits[1][:128]
    calls = []
    def corrupt(x, g):
        assert isinstance(g, torch.Generator); calls.append(len(x))
        return x + 0.5*torch.randn(x.shape, generator=g)
    def run():
        m = SmallCNN(size=8, width=8, seed=0)
        return train_classifier(m, X, y, epochs=2, bs=32, corrupt=corrupt, progress=False)
    l0 = run(); fct.test_eq(calls, [32]*8); fct.test_eq(l0, run())
    assert l0 != train_classifier(SmallCNN(size=8, width=8, seed=0), X, y, epochs=2, bs=32, progress=False)

def test_train_classifier_checks(digits):
    X, y = digits[0][:64], digits[1][:64]
    with pytest.warns(UserWarning, match=r'\[-1,1\]'):
        train_classifier(SmallCNN(size=8, width=8), (X+1)/2, y, epochs=1, bs=64, progress=False)
    with pytest.raises(ValueError, match='64 images but 10 labels'): train_classifier(SmallCNN(size=8), X, y[:10], 1)

# ---------------------------------------------------------------- freeze and Frozen
def test_freeze(trained):
    m = SmallCNN(size=8, width=8).train()
    out = m(torch.randn(4, 1, 8, 8)).sum(); out.backward()
    assert freeze(m) is m
    assert not m.training and all(not p.requires_grad and p.grad is None for p in m.parameters())

def test_frozen_no_gradient_reaches_classifier():
    m = SmallCNN(size=8, width=8, seed=0).train()   # even an unfrozen, training-mode model
    f = Frozen(m)
    x = torch.randn(6, 1, 8, 8, requires_grad=True)
    out = f(x)
    assert not out.requires_grad and out.grad_fn is None
    head = nn.Linear(10, 1)
    (head(out).sum() + (x**2).sum()).backward()       # downstream training step through both
    assert head.weight.grad is not None and x.grad is not None
    assert all(p.grad is None and not p.requires_grad for p in m.parameters())
    assert not m.training
    with pytest.raises(RuntimeError): out.sum().backward()   # the output is a constant

def test_frozen_counts_and_nfe(trained, digits):
    nfe = NFE(); f = Frozen(trained, nfe=nfe)
    f(digits[2][:3]); f(digits[2][:5])
    fct.test_eq((f.n_calls, f.n_samples), (2, 8)); fct.test_eq(nfe['classifier'], 2)
    fct.test_eq(accuracy(f, digits[2], digits[3]), accuracy(trained, digits[2], digits[3]))
    f.reset(); fct.test_eq((f.n_calls, f.n_samples), (0, 0))
    assert 'n_calls=0' in repr(f)
    fct.test_eq(f.to('cpu').device, torch.device('cpu'))

def test_frozen_stays_in_eval_inside_a_parent(trained):
    class Parent(nn.Module):
        def __init__(s): super().__init__(); s.lin = nn.Linear(10, 1); s.f = Frozen(trained)
    p = Parent()
    fct.test_eq(len(list(p.parameters())), 2)        # f's parameters are not the parent's
    assert not any(k.startswith('f.') for k in p.state_dict())
    trained.train()                                  # something switched the classifier to training mode
    x = torch.randn(4, 1, 8, 8)
    fct.test_eq(p.f(x), p.f(x)); assert not trained.training   # BatchNorm/dropout stay in eval

def test_frozen_input_checks(trained):
    f = Frozen(trained)
    with pytest.raises(ValueError, match=r'expects a batch of shape \(B, 1, 8, 8\), got \(2, 1, 28, 28\)'): f(torch.zeros(2, 1, 28, 28))
    with pytest.raises(ValueError, match=r'add the batch dimension'): f(torch.zeros(1, 8, 8))
    with pytest.raises(ValueError, match=r'\(B, 1, 8, 8\)'): f(torch.zeros(2, 3, 8, 8))
    x = torch.zeros(3, 1, 8, 8); x[1, 0, 2, 2] = float('nan')
    with pytest.raises(ValueError, match=r'NaN/inf in its input \(1 of 192'): f(x)
    with pytest.raises(ValueError, match='NaN/inf'): f(torch.full((1, 1, 8, 8), float('inf')))
    with pytest.raises(TypeError, match='torch.Tensor'): f(np.zeros((1, 1, 8, 8), np.float32))
    fct.test_eq(f.n_calls, 0)                        # rejected calls are not counted

def test_frozen_shape_override_and_unknown_shape():
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(4, 3))
    fct.test_eq(Frozen(mlp)(torch.zeros(2, 1, 2, 2)).shape, (2, 3))   # no input_shape: only NaN checks
    f = Frozen(mlp, shape=(4,))
    fct.test_eq(f(torch.zeros(5, 4)).shape, (5, 3))
    with pytest.raises(ValueError, match=r'\(B, 4\)'): f(torch.zeros(5, 1, 2, 2))

# ---------------------------------------------------------------- checkpoints
CFG = dict(task='digits', size=8, width=8, mults=(1, 2), lr=1e-3)

def test_checkpoint_roundtrip(tmp_path):
    m = SmallCNN(size=8, width=8, seed=0)
    p = save_checkpoint(tmp_path/'a'/'b'/'ck.pt', m, CFG, metrics=dict(acc=np.float32(0.9), n=np.int64(3)),
                        command='cde-nb train', seed=0, where=tmp_path)
    fct.test_eq(sorted(os.listdir(p.parent)), ['ck.pt'])
    m2, cfg, extra = load_checkpoint(p, SmallCNN(size=8, width=8, seed=1), expected_config=dict(CFG, mults=[1, 2]))
    fct.test_eq(cfg, CFG)
    for v, w in zip(m.state_dict().values(), m2.state_dict().values()): fct.test_eq(v, w)
    fct.test_close(extra['metrics']['acc'], 0.9, eps=1e-6); fct.test_eq(extra['metrics']['n'], 3)
    fct.test_eq(extra['torch_version'], str(torch.__version__)); fct.test_eq(extra['where'], str(tmp_path))
    assert 'saved_at' in extra
    state, _, _ = load_checkpoint(p)                 # no model: the state dict
    fct.test_eq(set(state), set(m.state_dict()))

def test_checkpoint_of_a_state_dict(tmp_path):
    sd = {k: v.half() if v.is_floating_point() else v for k, v in SmallCNN(size=8, width=8).state_dict().items()}
    state, cfg, _ = load_checkpoint(save_checkpoint(tmp_path/'h.pt', sd, CFG), expected_config=CFG)
    fct.test_eq(state['head.4.weight'].dtype, torch.float16)
    with pytest.raises(TypeError, match='nn.Module or a state dict'): save_checkpoint(tmp_path/'x.pt', [1, 2], CFG)

def test_checkpoint_config_mismatch(tmp_path):
    p = save_checkpoint(tmp_path/'ck.pt', SmallCNN(size=8, width=8), CFG, command='cde-nb train --task digits')
    with pytest.raises(ValueError) as e: load_checkpoint(p, expected_config=dict(CFG, width=32, T=150, lr=None))
    msg = str(e.value)
    assert msg.startswith(f'checkpoint from another config: {p} has ')
    for part in ["width=8 (expected 32)", "T='<missing>' (expected 150)", "lr=0.001 (expected None)",
                 'retrain with `cde-nb train --task digits`']: assert part in msg, msg
    assert 'size' not in msg and 'mults' not in msg  # only the keys that differ
    fct.test_eq(config_diff(dict(a=1, b=(1, 2)), dict(a=1, b=[1, 2], c=0)), dict(c=('<missing>', 0)))
    with pytest.raises(ValueError, match='retrain with the expected config'):
        load_checkpoint(save_checkpoint(tmp_path/'n.pt', SmallCNN(size=8, width=8), CFG), expected_config={})

def test_checkpoint_missing_and_foreign(tmp_path):
    with pytest.raises(FileNotFoundError, match=str(tmp_path/'nope.pt')): load_checkpoint(tmp_path/'nope.pt')
    torch.save(SmallCNN(size=8, width=8).state_dict(), tmp_path/'raw.pt')
    with pytest.raises(ValueError, match='not a cde_nb checkpoint'): load_checkpoint(tmp_path/'raw.pt')

@pytest.mark.parametrize('exc', [OSError('disk full'), KeyboardInterrupt()])
def test_interrupted_save_leaves_nothing(tmp_path, monkeypatch, exc):
    def broken(obj, f): f.write(b'half a checkpoint'); raise exc
    monkeypatch.setattr(C.torch, 'save', broken)
    with pytest.raises(type(exc)): save_checkpoint(tmp_path/'ck.pt', SmallCNN(size=8, width=8), CFG)
    fct.test_eq(os.listdir(tmp_path), [])            # no file and no temporary file

def test_interrupted_save_keeps_previous(tmp_path, monkeypatch):
    p = save_checkpoint(tmp_path/'ck.pt', SmallCNN(size=8, width=8), CFG)
    def broken(obj, f): f.write(b'half'); raise OSError('disk full')
    monkeypatch.setattr(C.torch, 'save', broken)
    with pytest.raises(OSError): save_checkpoint(p, SmallCNN(size=8, width=8), dict(CFG, width=99))
    monkeypatch.undo()
    fct.test_eq(os.listdir(tmp_path), ['ck.pt'])
    fct.test_eq(load_checkpoint(p)[1], CFG)
