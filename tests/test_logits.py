"API and edge-case tests for cde_nb.logits (norm_logits, LogitDenoiser, LogitRegressor)."
import pytest, torch
import fastcore.test as fct
from cde_nb.logits import norm_logits, SignalEncoder, LogitDenoiser, LogitRegressor
from cde_nb.layers import seeded, n_params

def _randomise_output(net, layer, seed=0):
    with seeded(seed): torch.nn.init.normal_(layer.weight, std=0.1)
    return net

def _batch(B=4, size=8, K=10, seed=0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(B, K, generator=g), torch.randint(0, 150, (B,), generator=g),
            torch.randn(B, K, generator=g), torch.randn(B, 1, size, size, generator=g))

# norm_logits

def test_norm_logits_mean_and_spread():
    raw = torch.randn(64, 10) * (0.1 + 10 * torch.rand(64, 1)) - 4
    for spread in (0.8, 1., 2.5):
        y = norm_logits(raw, spread)
        fct.test_close(y.mean(-1), torch.zeros(64), eps=1e-4)
        fct.test_close(y.std(-1), torch.full((64,), spread), eps=1e-3)

def test_norm_logits_preserves_argmax_and_ranking():
    raw = torch.randn(128, 10) * 3
    y = norm_logits(raw)
    fct.test_eq(y.argmax(-1), raw.argmax(-1))
    fct.test_eq(y.argsort(-1), raw.argsort(-1))

def test_norm_logits_is_scale_and_shift_free():
    raw = torch.randn(16, 10)
    for a, b in ((0.3, 0.), (7., -3.), (1., 100.)):
        fct.test_close(norm_logits(a * raw + b), norm_logits(raw), eps=1e-3)

def test_norm_logits_sequences_and_edge_cases():
    seq = torch.randn(2, 5, 10) * 4
    y = norm_logits(seq)
    fct.test_eq(y.shape, seq.shape)
    fct.test_close(y.std(-1), torch.full((2, 5), 0.8), eps=1e-4)
    fct.test_close(y[1, 3], norm_logits(seq[1, 3]), eps=1e-6)  # each frame on its own; 1-d input works too
    fct.test_eq(norm_logits(torch.full((3, 10), 2.)), torch.zeros(3, 10))  # constant: no preference
    fct.test_eq(norm_logits(torch.randn(3, 10)).dtype, torch.float32)

def test_norm_logits_bad_inputs():
    fct.test_fail(lambda: norm_logits(torch.tensor([[0., float('nan'), 1.]])), contains='NaN')
    fct.test_fail(lambda: norm_logits(torch.tensor([[0., float('inf'), 1.]])), contains='NaN or inf')
    fct.test_fail(lambda: norm_logits(torch.randn(5, 1)), contains='at least 2 classes')

# encoder

@pytest.mark.parametrize('size', [8, 28, 13])
def test_encoder_shapes(size):
    fct.test_eq(SignalEncoder(size=size, width=8, out_dim=32)(torch.randn(2, 1, size, size)).shape, (2, 32))

# LogitDenoiser

@pytest.mark.parametrize('size', [8, 28])
def test_denoiser_shapes_and_zero_init(size):
    net = LogitDenoiser(size=size, hidden=64, width=8, seed=0)
    y_t, t, y_cls, x_c = _batch(size=size)
    eps = net(y_t, t, y_cls, x_c)
    fct.test_eq(eps.shape, (4, 10))
    fct.test_eq(eps.abs().max().item(), 0.)
    fct.test_eq(net(y_t, 7, None, x_c).shape, (4, 10))

def test_denoiser_other_class_counts():
    net = LogitDenoiser(n_classes=3, in_ch=2, size=8, hidden=32, width=8, seed=0)
    fct.test_eq(net(torch.randn(5, 3), 1, torch.randn(5, 3), torch.randn(5, 2, 8, 8)).shape, (5, 3))

def test_denoiser_null_condition_and_mask():
    net = LogitDenoiser(size=8, hidden=64, width=8, seed=0)
    _randomise_output(net, net.out[-1])
    y_t, t, y_cls, x_c = _batch()
    mask = torch.tensor([True, False, True, False])
    with torch.no_grad():
        cls, null, mixed = net(y_t, t, y_cls, x_c), net(y_t, t, None, x_c), net(y_t, t, y_cls, x_c, mask)
    assert (cls - null).abs().mean() > 1e-3
    fct.test_close(mixed[mask], null[mask], eps=1e-5)
    fct.test_close(mixed[~mask], cls[~mask], eps=1e-5)
    assert isinstance(net.null, torch.nn.Parameter)

def test_denoiser_uses_every_input():
    net = LogitDenoiser(size=8, hidden=64, width=8, seed=0)
    _randomise_output(net, net.out[-1])
    y_t, t, y_cls, x_c = _batch()
    with torch.no_grad():
        ref = net(y_t, t, y_cls, x_c)
        for changed in (net(y_t + 1, t, y_cls, x_c), net(y_t, t + 1, y_cls, x_c), net(y_t, t, y_cls + 1, x_c), net(y_t, t, y_cls, x_c + 1)):
            assert (changed - ref).abs().max() > 1e-5

def test_denoiser_seeds_are_deterministic():
    a, b, c = (LogitDenoiser(size=8, hidden=32, width=8, seed=s) for s in (4, 4, 5))
    fct.test_eq(all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters())), True)
    assert not all(torch.equal(p, q) for p, q in zip(a.parameters(), c.parameters()))

def test_denoiser_bad_inputs():
    net = LogitDenoiser(size=8, hidden=32, width=8, seed=0)
    y_t, t, y_cls, x_c = _batch()
    fct.test_fail(lambda: net(torch.randn(4, 9), t, y_cls, x_c), contains='n_classes=10')
    fct.test_fail(lambda: net(y_t, t, torch.randn(4, 11), x_c), contains='y_cls must be')
    fct.test_fail(lambda: net(y_t, t, torch.randn(4, 3, 10), x_c), contains='y_cls must be')
    fct.test_fail(lambda: net(y_t, t, y_cls, torch.randn(4, 3, 8, 8)), contains='in_ch=1')
    fct.test_fail(lambda: net(y_t, t, y_cls, torch.randn(4, 1, 28, 28)), contains='size=8')
    fct.test_fail(lambda: net(y_t, t, y_cls, x_c[:2]), contains='x_c has 2 samples')
    fct.test_fail(lambda: net(y_t, t[:3], y_cls, x_c), contains='one time index per sample')
    fct.test_fail(lambda: net(y_t, t, y_cls, x_c, torch.ones(4)), contains='bool tensor')
    bad = y_cls.clone(); bad[1, 2] = float('nan')
    fct.test_fail(lambda: net(y_t, t, bad, x_c), contains='y_cls contain(s) NaN')
    fct.test_fail(lambda: net(y_t, t, y_cls, x_c.clone().fill_(float('nan'))), contains='x_c contain(s) NaN')

def test_denoiser_overfits_one_batch():
    torch.manual_seed(0)
    net = LogitDenoiser(size=8, hidden=64, width=8, seed=0)
    y_t, t, y_cls, x_c = _batch(16)
    eps = torch.randn(16, 10, generator=torch.Generator().manual_seed(1))
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    losses = []
    for _ in range(100):
        loss = torch.nn.functional.mse_loss(net(y_t, t, y_cls, x_c), eps)
        opt.zero_grad(); loss.backward(); opt.step(); losses.append(loss.item())
    assert losses[-1] < 0.2 * losses[0], (losses[0], losses[-1])

# LogitRegressor

def test_regressor_shapes_centering_and_null():
    reg = LogitRegressor(size=8, hidden=32, width=8, seed=0)
    _randomise_output(reg, reg.head[-1])
    _, _, y_cls, x = _batch()
    out = reg(x)
    fct.test_eq(out.shape, (4, 10))
    fct.test_close(out.mean(-1), torch.zeros(4), eps=1e-5)
    mask = torch.tensor([False, True, True, False])
    with torch.no_grad(): cls, null, mixed = reg(x, y_cls), reg(x), reg(x, y_cls, mask)
    assert (cls - null).abs().mean() > 1e-3
    fct.test_close(mixed[mask], null[mask], eps=1e-5)
    fct.test_close(mixed[~mask], cls[~mask], eps=1e-5)

def test_regressor_reuses_encoder_and_is_small():
    reg = LogitRegressor(size=28, seed=0)
    assert isinstance(reg.encoder, SignalEncoder)
    assert n_params(reg) < 1e6

def test_regressor_bad_inputs():
    reg = LogitRegressor(size=8, hidden=32, width=8, seed=0)
    fct.test_fail(lambda: reg(torch.randn(2, 2, 8, 8)), contains='in_ch=1')
    fct.test_fail(lambda: reg(torch.randn(2, 1, 8, 8), torch.randn(2, 4)), contains='n_classes=10')
    fct.test_fail(lambda: reg(torch.full((2, 1, 8, 8), float('nan'))), contains='x_cor contain(s) NaN')
