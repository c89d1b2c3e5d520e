"API and edge-case tests for cde_nb.signal (SignalUNet and its helpers)."
import pytest, torch
import fastcore.test as fct
from cde_nb.signal import SignalUNet
from cde_nb.layers import timestep_embedding, as_time, check_finite, seeded, n_params

def _randomise_output(net, seed=0):
    "An untrained net outputs zeros (zero-init last conv); give it random weights so conditions show."
    with seeded(seed): torch.nn.init.normal_(net.out[-1].weight, std=0.1)
    return net

@pytest.fixture(scope='module')
def net8(): return _randomise_output(SignalUNet(base=16, mults=(1, 2), size=8, seed=0))

def _batch(B=4, shape=(1, 8, 8), K=10, seed=0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(B, *shape, generator=g), torch.randint(0, 150, (B,), generator=g),
            torch.randn(B, *shape, generator=g), torch.randn(B, K, generator=g))

def test_shapes_8x8(net8):
    x_t, t, x_cor, y = _batch()
    fct.test_eq(net8(x_t, t, x_cor, y).shape, x_t.shape)
    fct.test_eq(net8(x_t, 5, x_cor).shape, x_t.shape)                # int t, null condition
    fct.test_eq(net8(x_t, torch.tensor(5), x_cor, y).shape, x_t.shape)  # 0-d t

@pytest.mark.parametrize('mults', [(1, 2), (1, 2, 2)])
def test_shapes_28x28(mults):
    net = SignalUNet(base=16, mults=mults, size=28, seed=0)
    x_t, t, x_cor, y = _batch(2, (1, 28, 28))
    eps = net(x_t, t, x_cor, y)
    fct.test_eq(eps.shape, x_t.shape)
    fct.test_eq(eps.abs().max().item(), 0.)  # zero-initialised final conv

@pytest.mark.parametrize('H,W', [(40, 101), (41, 37), (40, 1), (13, 64)])
def test_odd_spectrogram_sizes_are_padded_and_cropped(H, W):
    net = _randomise_output(SignalUNet(base=8, mults=(1, 2, 2), size=None, seed=0))
    x_t, t, x_cor, _ = _batch(2, (1, H, W))
    for y in (None, torch.randn(2, 10), torch.randn(2, 7, 10)):
        eps = net(x_t, t, x_cor, y)
        fct.test_eq(eps.shape, (2, 1, H, W))
        assert torch.isfinite(eps).all()

def test_partial_size_fixes_height_only():
    net = SignalUNet(base=8, mults=(1, 2), size=(40, None), seed=0)
    fct.test_eq(net(torch.randn(1, 1, 40, 77), 3, torch.randn(1, 1, 40, 77)).shape, (1, 1, 40, 77))
    fct.test_fail(lambda: net(torch.randn(1, 1, 41, 77), 3, torch.randn(1, 1, 41, 77)), contains='height 41')

def test_cropping_is_exact():
    "forward pads with zeros at the bottom/right and crops: the same as padding by hand and cropping the output."
    net = _randomise_output(SignalUNet(base=8, mults=(1, 2, 2), size=None, seed=0))
    x = torch.randn(1, 1, 16, 30)
    eps = net(x, 3, x)
    fct.test_eq(eps.shape, x.shape)
    # padding 30 -> 32 with zeros is what forward does; doing it by hand gives the same crop
    xp = torch.nn.functional.pad(x, (0, 2))
    fct.test_close(net(xp, 3, xp)[..., :30], eps, eps=1e-5)

def test_multi_channel():
    net = SignalUNet(in_ch=3, base=8, size=8, seed=0)
    x = torch.randn(2, 3, 8, 8)
    fct.test_eq(net(x, 0, x).shape, x.shape)

def test_null_condition_and_mask(net8):
    x_t, t, x_cor, y = _batch()
    mask = torch.tensor([True, False, False, True])
    with torch.no_grad():
        cond, null, mixed = net8(x_t, t, x_cor, y), net8(x_t, t, x_cor), net8(x_t, t, x_cor, y, mask)
    assert (cond - null).abs().mean() > 1e-3, 'null and explicit conditions should differ'
    fct.test_close(mixed[mask], null[mask], eps=1e-5)
    fct.test_close(mixed[~mask], cond[~mask], eps=1e-5)
    fct.test_close(net8(x_t, t, x_cor, y, torch.zeros(4, dtype=torch.bool)), cond, eps=1e-5)
    fct.test_close(net8(x_t, t, x_cor, y, torch.ones(4, dtype=torch.bool)), null, eps=1e-5)

def test_null_is_learned_parameter(net8):
    assert isinstance(net8.null, torch.nn.Parameter) and net8.null.requires_grad
    x_t, t, x_cor, _ = _batch()
    net8.zero_grad(); net8(x_t, t, x_cor).square().mean().backward()
    assert net8.null.grad is not None and net8.null.grad.abs().sum() > 0
    net8.zero_grad()

def test_sequence_condition_and_mask():
    net = _randomise_output(SignalUNet(base=8, mults=(1, 2), size=(20, None), seed=0))
    x_t, t, x_cor, _ = _batch(3, (1, 20, 33))
    y_seq, mask = torch.randn(3, 11, 10), torch.tensor([False, True, False])
    with torch.no_grad():
        cond, null, mixed = net(x_t, t, x_cor, y_seq), net(x_t, t, x_cor), net(x_t, t, x_cor, y_seq, mask)
    fct.test_eq(cond.shape, x_t.shape)
    assert (cond - null).abs().mean() > 1e-3
    fct.test_close(mixed[mask], null[mask], eps=1e-5)
    fct.test_close(mixed[~mask], cond[~mask], eps=1e-5)
    # per-frame information matters: reversing the frames (same mean) changes the output
    with torch.no_grad(): flipped = net(x_t, t, x_cor, y_seq.flip(1))
    assert (flipped - cond).abs().mean() > 1e-4

def test_seeds_are_deterministic():
    a, b, c = (SignalUNet(base=8, size=8, seed=s) for s in (1, 1, 2))
    fct.test_eq(all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters())), True)
    assert not all(torch.equal(p, q) for p, q in zip(a.parameters(), c.parameters()))
    state = torch.get_rng_state(); SignalUNet(base=8, size=8, seed=0)
    fct.test_eq(torch.equal(state, torch.get_rng_state()), True)  # the global RNG is untouched
    for net in (a, b): _randomise_output(net, seed=5)
    x_t, t, x_cor, y = _batch()
    fct.test_eq(torch.equal(a(x_t, t, x_cor, y), b(x_t, t, x_cor, y)), True)

def test_param_counts_are_small():
    assert 1e5 <= n_params(SignalUNet(base=16, mults=(1, 2), size=8)) <= 3e5
    assert 3e5 <= n_params(SignalUNet(base=32, mults=(1, 2), size=28)) <= 1e6
    assert 3e5 <= n_params(SignalUNet(base=32, mults=(1, 2, 2), size=28)) <= 1e6

def test_bad_inputs(net8):
    x_t, t, x_cor, y = _batch()
    fct.test_fail(lambda: net8(torch.randn(4, 2, 8, 8), t, torch.randn(4, 2, 8, 8)), contains='in_ch=1')
    fct.test_fail(lambda: net8(torch.randn(4, 8, 8), t, torch.randn(4, 8, 8)), contains='(B, 1, H, W)')
    fct.test_fail(lambda: net8(x_t, t, x_cor[:, :, :7]), contains='shape of x_t')
    fct.test_fail(lambda: net8(x_t, t, x_cor, torch.randn(4, 9)), contains='n_classes=10')
    fct.test_fail(lambda: net8(x_t, t, x_cor, torch.randn(3, 10)), contains='y_cond must be')
    fct.test_fail(lambda: net8(x_t, t, x_cor, torch.randn(4, 2, 3, 10)), contains='y_cond must be')
    fct.test_fail(lambda: net8(torch.randn(4, 1, 9, 9), t, torch.randn(4, 1, 9, 9)), contains='size=8')
    fct.test_fail(lambda: net8(x_t, torch.tensor([1, 2]), x_cor), contains='one time index per sample')
    fct.test_fail(lambda: net8(x_t, t, x_cor, y, torch.tensor([1, 0, 1, 0])), contains='bool tensor')
    fct.test_fail(lambda: net8(x_t, t, x_cor, y, torch.ones(3, dtype=torch.bool)), contains='shape (4,)')
    nan = x_t.clone(); nan[0, 0, 0, 0] = float('nan')
    fct.test_fail(lambda: net8(nan, t, x_cor), contains='x_t contain(s) NaN')
    fct.test_fail(lambda: net8(x_t, t, nan), contains='x_cor contain(s) NaN')
    fct.test_fail(lambda: net8(x_t, t, x_cor, torch.full((4, 10), float('inf'))), contains='y_cond contain(s) NaN or inf')

def test_checks_can_be_switched_off():
    net = SignalUNet(base=8, size=8, seed=0)
    net.check_inputs = False
    x = torch.randn(2, 1, 9, 9)  # the wrong size passes unchecked (the net is fully convolutional)
    fct.test_eq(net(x, 0, x).shape, x.shape)

def test_helpers():
    e = timestep_embedding(torch.tensor([0, 1, 149]), 16)
    fct.test_eq(e.shape, (3, 16))
    fct.test_close(e[0], torch.cat([torch.ones(8), torch.zeros(8)]))
    fct.test_fail(lambda: timestep_embedding(torch.tensor([0]), 15), contains='even')
    fct.test_eq(as_time(3, 2), torch.tensor([3, 3]))
    check_finite(a=torch.zeros(1), b=None)
    fct.test_fail(lambda: check_finite(a=torch.tensor([float('nan')])), contains='a contain(s) NaN')

def test_gradients_flow_to_condition():
    net = SignalUNet(base=8, size=8, seed=0)
    x_t, t, x_cor, y = _batch()
    y.requires_grad_(True)
    net.train(); loss = (net(x_t, t, x_cor, y) - x_t).square().mean(); loss.backward()
    assert all(p.grad is not None for n, p in net.named_parameters() if not n.startswith('null') and 'frame_proj' not in n)
