"""Random shapes, dtypes and values thrown at the public entry points: each either works or raises one of the
documented clear errors (ValueError/TypeError with a message), never another exception and never a silent NaN."""
import math, pytest, torch, numpy as np, warnings
from hypothesis import given, settings, strategies as st, HealthCheck
from cde_nb.coupling import Coupled, run, STRATEGIES
from cde_nb.diffusion import Schedule

CLEAR = (ValueError, TypeError)
zero = lambda z, *a: torch.zeros_like(z)
M0 = Coupled(zero, zero, lambda x: x[:, :3], Schedule(12), card=zero, x_clip=None)
DTYPES = [torch.float32, torch.float64, torch.float16, torch.int64, torch.uint8, torch.bool]
values = st.sampled_from([0., 1., -1., 0.5, 255., 1e6, float('nan'), float('inf'), -float('inf')])

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=st.lists(st.integers(0, 4), min_size=0, max_size=4), dtype=st.sampled_from(DTYPES), fill=values,
       strategy=st.sampled_from(list(STRATEGIES)), steps=st.sampled_from([0, 1, 3, 12, 13, 2.5, -1]),
       samples=st.sampled_from([1, 2, 0, 1.5]), temperature=st.sampled_from([1., 0., -1., float('nan'), 0.1]))
def test_run_refuses_clearly(shape, dtype, fill, strategy, steps, samples, temperature):
    x = torch.full(shape, fill).to(dtype) if dtype != torch.bool else torch.zeros(shape, dtype=torch.bool)
    try: res = run(M0, x, strategy, steps, samples=samples, temperature=temperature)
    except CLEAR as e: assert str(e); return
    assert torch.isfinite(res.probs).all()

@pytest.fixture(scope='module')
def digits_models():
    from cde_nb.images import load_models
    return load_models('digits')

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(n=st.integers(0, 3), side=st.sampled_from([8, 7, 28]), ch=st.sampled_from([1, 3]), dtype=st.sampled_from(DTYPES),
       scale=st.sampled_from([1., 255., -1., 1e3]), nan=st.booleans(), as_numpy=st.booleans(),
       method=st.sampled_from(['noisy', 'enhanced', 'parallel', 'clean', 'magic']))
def test_images_predict_refuses_clearly(digits_models, n, side, ch, dtype, scale, nan, as_numpy, method):
    from cde_nb.images import predict
    x = torch.rand(n, ch, side, side, generator=torch.Generator().manual_seed(n))*scale
    if nan and x.numel(): x[(0,)*x.ndim] = float('nan')
    x = (x > .5) if dtype == torch.bool else x.to(dtype)
    if as_numpy: x = x.numpy()
    try: out = predict(x, 'digits', method, steps=2, models=digits_models)
    except CLEAR as e: assert str(e); return
    assert torch.isfinite(out['probs']).all() and out['pred'].shape == (n,)

@pytest.fixture(scope='module')
def speech_models():
    from cde_nb.speech import load_speech
    return load_speech()

@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(length=st.sampled_from([0, 10, 300, 4000]), dims=st.sampled_from([0, 1, 2]), dtype=st.sampled_from(DTYPES + [torch.int16]),
       scale=st.sampled_from([0., 0.3, 1., 1000.]), nan=st.booleans(), kind=st.sampled_from(['tensor', 'numpy', 'list']),
       sr=st.sampled_from([8000, 16000]))
def test_speech_predict_refuses_clearly(speech_models, length, dims, dtype, scale, nan, kind, sr):
    from cde_nb.speech import predict
    shape = ([2] if dims == 2 else []) + ([length] if dims else [])
    w = torch.randn(shape, generator=torch.Generator().manual_seed(length))*scale
    if nan and w.numel(): w.view(-1)[0] = float('nan')
    w = (w > 0) if dtype == torch.bool else w.clamp(-1e4, 1e4).to(dtype) if not dtype.is_floating_point else w.to(dtype)
    w = w.numpy() if kind == 'numpy' else [w] if kind == 'list' else w
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try: out = predict(w, sr=sr, method='parallel', steps=2, models=speech_models)
        except CLEAR as e: assert str(e); return
    assert all(all(0 <= d <= 9 for d in ds) for ds in out['digits'])
