"API and edge-case tests of the domain-agnostic coupling module."
import pytest, torch, torch.nn as nn
import fastcore.test as fct
from cde_nb.diffusion import Schedule
from cde_nb.signal import VecSignal
from cde_nb.logits import VecLogit
from cde_nb.coupling import (Coupled, run, STRATEGIES, refresh_points, schedule_events,
                             train_parallel, train_sampled, train_enhancer, train_card, clean_targets)

zero = lambda z, *a: torch.zeros_like(z)

def pieces(T=20, K=3):
    return Coupled(zero, zero, lambda x: x[:, :K], Schedule(T), card=zero, x_clip=None)

@pytest.mark.parametrize('strategy,kw,signal,logit', [
    ('parallel', {}, 1, 1), ('alternating', dict(rounds=5), 5, 5), ('alternating', dict(rounds=1), 1, 1),
    ('nested', dict(refreshes=5), 6, 1), ('nested', dict(refreshes=0), 1, 1), ('enhanced', {}, 1, 0),
    ('card', {}, 0, 1), ('logits', {}, 0, 1)])
def test_costs_per_strategy(strategy, kw, signal, logit):
    S = 12
    res = run(pieces(), torch.randn(3, 5), strategy, S, **kw)
    fct.test_eq((res.nfe['signal'], res.nfe['logit']), (signal*S, logit*S))

def test_shapes_and_probabilities():
    res = run(pieces(), torch.randn(7, 5), 'parallel', 8)
    fct.test_eq(res.x_hat0.shape, (7, 5)); fct.test_eq(res.y_hat0.shape, (7, 3))
    fct.test_close(res.probs.sum(-1), torch.ones(7))
    fct.test_close(res.y_hat0.mean(-1), torch.zeros(7), eps=1e-5)

def test_samples_average_and_cost():
    r1 = run(pieces(), torch.randn(4, 5), 'parallel', 6, samples=3)
    fct.test_eq(r1.nfe['signal'], 18)
    fct.test_close(r1.probs.sum(-1), torch.ones(4))

def test_seed_reproducible():
    m = pieces(); x = torch.randn(5, 5)
    a, b = run(m, x, 'nested', 10, seed=7, refreshes=2), run(m, x, 'nested', 10, seed=7, refreshes=2)
    fct.test_eq(a.x_hat0, b.x_hat0); fct.test_eq(a.y_hat0, b.y_hat0)
    c = run(m, x, 'nested', 10, seed=8, refreshes=2)
    assert not torch.equal(a.y_hat0, c.y_hat0)

def test_bad_input():
    fct.test_fail(lambda: run(pieces(), torch.randn(2, 5), 'sequential'), contains='valid strategies')
    fct.test_fail(lambda: run(pieces(), torch.full((2, 5), float('nan'))), contains='NaN')
    m = Coupled(zero, zero, lambda x: x[:, :3], Schedule(20), x_clip=None)
    fct.test_fail(lambda: run(m, torch.randn(2, 5), 'card', 10), contains='no CARD denoiser')

def test_parallel_warmup_conditions():
    ev = schedule_events('parallel', 10, warmup=0.3)
    logit_conds = [e['cond'] for e in ev if e['chain'] == 'logit']
    fct.test_eq(logit_conds, ['x_cor']*3 + ['x_hat0']*7)
    fct.test_eq({e['cond'] for e in ev if e['chain'] == 'signal'}, {'y_hat0'})

def test_alternating_first_round_null():
    ev = schedule_events('alternating', 4, rounds=2)
    fct.test_eq([e['cond'] for e in ev if e['chain'] == 'signal'], ['null']*4 + ['y_hat0']*4)

def test_refresh_points():
    fct.test_eq(refresh_points(10, 1), [5]); fct.test_eq(refresh_points(10, 0), [])
    assert all(5 <= i < 10 for i in refresh_points(10, 8))

class Spy(nn.Module):
    "A linear classifier that records whether it ever saw a gradient-requiring graph."
    def __init__(self, d, K):
        super().__init__(); self.lin = nn.Linear(d, K); self.grad_calls = 0
    def forward(self, x):
        if torch.is_grad_enabled(): self.grad_calls += 1
        return self.lin(x)

def test_frozen_classifier_never_differentiated():
    torch.manual_seed(0)
    d, K = 4, 3
    f = Spy(d, K).requires_grad_(False)
    m = Coupled(VecSignal(d, K, 16), VecLogit(d, K, 16), f, Schedule(20), card=VecLogit(d, K, 16), x_clip=None)
    X = torch.randn(64, d); noisy = lambda x, g: x + torch.randn(x.shape, generator=g)
    train_parallel(m, X, noisy, epochs=1, bs=32, progress=False)
    train_enhancer(m, X, noisy, epochs=1, bs=32, progress=False)
    train_sampled(m, X, noisy, epochs=1, bs=32, sample_steps=3, progress=False)
    train_card(m, X, noisy, epochs=1, bs=32, progress=False)
    run(m, X[:8], 'parallel', 5)
    fct.test_eq(f.grad_calls, 0)
    assert f.lin.weight.grad is None

def test_tiny_overfit_parallel():
    "A coupled pair learns one batch: the loss falls well below its start."
    torch.manual_seed(0)
    d, K = 4, 3
    mus = torch.randn(K, d)*2
    m = Coupled(VecSignal(d, K, 64), VecLogit(d, K, 64), lambda x: x @ mus.T, Schedule(50), x_clip=None)
    X = torch.randn(32, d)
    losses = train_parallel(m, X, lambda x, g: x + 0.5*torch.randn(x.shape, generator=g), epochs=150, bs=32,
                            lr=3e-3, progress=False)
    assert sum(losses[-10:])/10 < 0.5*sum(losses[:10])/10, (losses[:3], losses[-3:])
