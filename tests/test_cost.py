"""Sampling cost: the counters of `coupling.run` equal the network calls actually made (counted with forward hooks),
a batched run of K chains costs K chains, and a chain on all T steps of the sub-sequence sampler is the full sampler."""
import pytest, torch, torch.nn as nn
import fastcore.test as fct
from cde_nb.diffusion import Schedule
from cde_nb.signal import VecSignal
from cde_nb.logits import VecLogit
from cde_nb.coupling import Coupled, run, knobs_for, STRATEGIES, cost, steps_for_budget, logit_chain, Chains
from cde_nb.logits import norm_logits

D, K, B = 4, 3, 5

def model(T=12, dtype=torch.float32):
    torch.manual_seed(0)
    nets = [VecSignal(D, K, 16), VecLogit(D, K, 16), nn.Linear(D, K), VecLogit(D, K, 16)]
    sig, lg, f, card = [n.to(dtype) for n in nets]
    return Coupled(sig, lg, f, Schedule(T), card=card, x_clip=None)

def hooked(m):
    "Count evaluations per item of each network: rows seen in all calls, divided by the batch."
    seen = dict(signal=0, logit=0, classifier=0, card=0)
    def hook(name):
        def f(mod, inp, out): seen[name] += len(inp[0])
        return f
    hs = [getattr(m, n).register_forward_hook(hook(n)) for n in seen]
    return seen, hs

# The read-out of f on the restoration (the `f(restored)` column) is reported beside a method, not counted in its
# cost; it is a fresh call only when the restoration is new to the classifier: Parallel's last signal step.
READOUT = dict(parallel=1)

@pytest.mark.parametrize('strategy', list(STRATEGIES))
@pytest.mark.parametrize('steps,samples', [(1, 1), (3, 1), (7, 2)])
def test_counters_equal_network_calls(strategy, steps, samples):
    m = model(); seen, hs = hooked(m)
    try: res = run(m, torch.randn(B, D), strategy, steps, samples=samples, **knobs_for(strategy, dict(rounds=2, refreshes=2)))
    finally:
        for h in hs: h.remove()
    per_item = {k: v//B for k, v in seen.items()}
    fct.test_eq(res.nfe['signal'], per_item['signal'])
    fct.test_eq(res.nfe['logit'], per_item['logit'] + per_item['card'])   # CARD's denoiser is a logit network
    fct.test_eq(res.nfe['classifier'] + samples*READOUT.get(strategy, 0)*(res.x_hat0 is not None), per_item['classifier'])
    fct.test_eq(res.nfe, cost(strategy, steps, samples, **knobs_for(strategy, dict(rounds=2, refreshes=2))))   # the stand-in count is the real one

@pytest.mark.parametrize('strategy', ['parallel', 'nested', 'logits'])
def test_batched_chains_are_independent_chains(strategy):
    "K chains in one batch: each row block is a chain of its own (different draws), and the cost is K times one chain."
    m, x = model(), torch.randn(B, D)
    one, four = run(m, x, strategy, 6, samples=1, seed=3), run(m, x, strategy, 6, samples=4, seed=3)
    fct.test_eq(four.nfe, {k: 4*v for k, v in one.nfe.items()})
    fct.test_eq(four.probs.shape, one.probs.shape); fct.test_close(four.probs.sum(-1), torch.ones(B))
    assert not torch.allclose(four.probs, one.probs)   # an average of four chains, not one chain four times

def test_sub_sequence_on_all_steps_is_the_full_ddpm_sampler():
    """The logit chain with every step of the schedule and the ddpm update is the textbook ancestral DDPM loop, draw for draw
    (the two algebraic forms of the same step agree to the rounding of the float32 schedule)."""
    m, x = model(T=15, dtype=torch.float64), torch.randn(B, D, dtype=torch.float64)
    m.sampler, m.samplers = 'ddpm', dict(signal='ddpm', logit='ddpm')
    g = torch.Generator().manual_seed(5)
    got = logit_chain(Chains(m, x, 15, g))[1]
    g = torch.Generator().manual_seed(5); s = m.sched
    y_cls = norm_logits(m.classifier(x), m.spread)
    y = torch.randn(B, K, generator=g, dtype=torch.float64)
    with torch.no_grad():
        for t in range(14, -1, -1):
            tt = torch.full((B,), t)
            y0 = norm_logits(s.x0_from_eps(y, tt, m.logit(y, tt, y_cls, x)), m.spread)
            mean, var = s.posterior(y0, y, tt)
            y = mean + var.sqrt()*torch.randn(y.shape, generator=g, dtype=torch.float64)
    fct.test_close(got, y0, eps=1e-3)

def test_posterior_mean_on_all_steps_is_the_noise_free_posterior_mean():
    m, x = model(T=10, dtype=torch.float64), torch.randn(B, D, dtype=torch.float64)
    m.samplers = dict(signal='posterior_mean', logit='posterior_mean')
    got = logit_chain(Chains(m, x, 10, torch.Generator().manual_seed(1)))[1]
    s, y_cls = m.sched, norm_logits(m.classifier(x), m.spread)
    y = torch.randn(B, K, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    with torch.no_grad():
        for t in range(9, -1, -1):
            tt = torch.full((B,), t)
            y0 = norm_logits(s.x0_from_eps(y, tt, m.logit(y, tt, y_cls, x)), m.spread)
            y = s.posterior(y0, y, tt)[0]
    fct.test_close(got, y0, eps=1e-3)

def test_budget_picks_the_most_steps_that_fit():
    for strategy in STRATEGIES:
        for budget in (10, 40, 151):
            try: s = steps_for_budget(strategy, budget, 60)
            except ValueError: assert sum(cost(strategy, 1).values()) > budget; continue
            assert sum(cost(strategy, s).values()) <= budget
            assert s == 60 or sum(cost(strategy, s + 1).values()) > budget

@pytest.mark.parametrize('strategy', list(STRATEGIES))
@pytest.mark.parametrize('sampler', ['ddpm', 'ddim', 'posterior_mean', 'signal=ddpm,logit=posterior_mean'])
def test_every_strategy_runs_any_sub_sequence_with_every_sampler(strategy, sampler):
    m, x = model(T=30), torch.randn(B, D)
    for steps in (1, 2, 7, 30):
        res = run(m, x, strategy, steps, sampler=sampler, **knobs_for(strategy, dict(rounds=2, refreshes=3)))
        assert torch.isfinite(res.probs).all() and torch.allclose(res.probs.sum(-1), torch.ones(B))
        assert res.nfe == cost(strategy, steps, **knobs_for(strategy, dict(rounds=2, refreshes=3)))   # the sampler changes the update, not the cost
