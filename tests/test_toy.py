"Closed forms of the exact Gaussian world against Monte Carlo, the exact denoisers, and the toy benchmark's API."
import math, pytest, torch
import torch.nn.functional as F
import fastcore.test as fct
from cde_nb.coupling import knobs_for
from cde_nb.diffusion import Schedule
from cde_nb.logits import norm_logits
from cde_nb.coupling import run, STRATEGIES, chain_samplers
from cde_nb.toy import (GaussWorld, make_world, bayes_accuracy, logit_basis, angular_log_density, _log1p_beta_mills,
                        LogitLaw, ExactSignal, ExactLogit, ExactCard, exact_coupled, vote_probs, sampler_accuracy,
                        ExactModels, ToyModels, ToyTask, train_toy, toy_bench, toy_sweep, sweep_table, TOY_METHODS, PAIR)
from cde_nb.bench import Task, REQUIRED, bench, method_probs

torch.set_num_threads(1)
W3 = make_world('pictures', 1.)                      # K=3, d=2, anisotropic, unequal priors
W2 = GaussWorld([[-1., 0.5], [1.2, -0.3]], s=[0.6, 1.1], priors=[.6, .4], sigma=0.8)   # K=2
SCHED = Schedule(100)

@pytest.fixture(scope='module')
def mc():
    "Prior draws of both worlds for self-normalised importance sampling (independent of the closed forms)."
    out = {}
    for name, w in (('w3', W3), ('w2', W2)):
        x, c = w.sample(300_000, seed=11)
        out[name] = (x.double(), c, norm_logits(w.f(x.double()), w.spread))
    return out

def is_weights(w, X, x_o, extra=0.):
    return torch.softmax(-0.5*((x_o.double() - X)**2).sum(-1)/w.sigma**2 + extra, 0)

XO = torch.tensor([[0.3, -0.2], [-1.0, 1.1]])

# ---- the world
def test_world_validation_and_sampling():
    fct.test_fail(lambda: GaussWorld([[0., 1.]]), contains='K >= 2')
    fct.test_fail(lambda: GaussWorld([[0.], [1.]], s=0.), contains='> 0')
    fct.test_fail(lambda: GaussWorld([[0.], [1.]], priors=[1., -1.]), contains='priors')
    fct.test_fail(lambda: make_world('cifar'), contains='valid worlds')
    x, c = W3.sample(50, seed=2)
    fct.test_eq(x.shape, (50, 2)); fct.test_eq(x.dtype, torch.float32); fct.test_eq(c.dtype, torch.long)
    fct.test_eq(W3.sample(50, seed=2)[0], x)
    w32 = make_world('numbers', .5)
    fct.test_eq((w32.K, w32.d, w32.sigma), (3, 32, .5)); fct.test_eq(w32.with_sigma(2.).sigma, 2.)
    g1, g2 = torch.Generator().manual_seed(0), torch.Generator().manual_seed(0)
    fct.test_eq(W3.corrupt(x, g1), W3.corrupt(x, g2))
    fct.test_close((W3.corrupt(torch.zeros(20000, 2), g1)).std(0), torch.ones(2), eps=.03)

def test_classifier_is_the_clean_bayes_rule():
    x, _ = W3.sample(2000, seed=3)
    fct.test_eq(W3.f(x).argmax(-1), W3.class_posterior(x, sigma=0.).argmax(-1))
    # logits differ from the clean log posterior by a per-sample constant
    d = W3.f(x.double()) - W3.class_log_posterior(x, sigma=0.)
    fct.test_close(d - d.mean(-1, keepdim=True), torch.zeros_like(d), eps=1e-8)

# ---- closed-form posteriors against importance sampling
def test_class_posterior_and_mean_vs_monte_carlo(mc):
    for name, w in (('w3', W3), ('w2', W2)):
        X, C, _ = mc[name]
        for i in range(len(XO)):
            wt = is_weights(w, X, XO[i])
            freq = torch.zeros(w.K, dtype=torch.float64).index_add_(0, C, wt)
            fct.test_close(freq, w.class_posterior(XO[i:i+1])[0], eps=0.012)
            fct.test_close((wt[:, None]*X).sum(0), w.posterior_mean(XO[i:i+1])[0].double(), eps=0.03)
    # the tolerance catches a wrong formula: the class posterior without the noise variance is far off
    wrong = W3.class_posterior(XO, sigma=0.)
    X, C, _ = mc['w3']
    freq = torch.zeros(3, dtype=torch.float64).index_add_(0, C, is_weights(W3, X, XO[0]))
    assert (wrong[0] - freq).abs().max() > 0.05

def test_posterior_draws():
    xo = XO[:1].expand(40_000, 2)
    d = W3.sample_posterior(xo, torch.Generator().manual_seed(0))
    fct.test_close(d.mean(0), W3.posterior_mean(XO[:1])[0], eps=0.03)
    lw, m, v = W3.posterior(XO[:1])
    var = (lw.exp()[0, :, None]*(v + m[0]**2)).sum(0) - W3.posterior_mean(XO[:1])[0].double()**2   # law of total variance
    fct.test_close(d.double().var(0), var, eps=0.03)

def test_bayes_accuracy_closed_form_two_classes():
    w = GaussWorld([[-1., 0.5], [1., -0.5]], s=0.7, sigma=0.9)
    ba = bayes_accuracy(w, 100_000, seed=1)
    exact = torch.special.ndtr(torch.tensor(math.sqrt(5)/2/math.sqrt(.7**2 + .9**2))).item()
    fct.test_close(ba['bayes'], exact, eps=4*ba['bayes_se'] + 1e-3)
    exact_clean = torch.special.ndtr(torch.tensor(math.sqrt(5)/2/.7)).item()
    fct.test_close(ba['clean'], exact_clean, eps=4*ba['clean_se'] + 1e-3)
    # and the empirical accuracy of the Bayes rule agrees with its expectation
    x0, c = w.sample(100_000, seed=5); xc = w.corrupt(x0, torch.Generator().manual_seed(6))
    fct.test_close((w.class_posterior(xc).argmax(-1) == c).double().mean().item(), exact, eps=0.006)

# ---- the law of normalised logits
def test_logit_basis():
    for K in (2, 3):
        E = logit_basis(K)
        fct.test_close(E.T @ E, torch.eye(K-1, dtype=torch.float64), eps=1e-12)
        fct.test_close(E.sum(0), torch.zeros(K-1, dtype=torch.float64), eps=1e-12)
    fct.test_fail(lambda: logit_basis(4), contains='(K-2)-sphere')

def test_angular_density():
    S = torch.tensor([[0.5, 0.2], [0.2, 0.3]], dtype=torch.float64)
    a = torch.tensor([[0.7, -0.4], [0., 0.], [40., 3.], [-60., 2.]], dtype=torch.float64)
    G = 3072
    th = (torch.arange(G, dtype=torch.float64) + .5)*2*math.pi/G
    U = torch.stack([th.cos(), th.sin()], -1)
    lf = angular_log_density(U, a, S)
    assert torch.isfinite(lf).all()
    fct.test_close((lf.exp()*2*math.pi/G).sum(-1), torch.ones(4, dtype=torch.float64), eps=1e-8)
    z = a[0] + torch.randn(300_000, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1)) @ torch.linalg.cholesky(S).T
    h = torch.histc(torch.atan2(z[:, 1], z[:, 0]) % (2*math.pi), bins=12, min=0, max=2*math.pi)/len(z)
    fct.test_close(h, (lf[0].exp()*2*math.pi/G).view(12, -1).sum(-1), eps=3e-3)
    b = torch.tensor([-1e4, -40., -3., 0., 3., 40., 1e3], dtype=torch.float64)
    v = _log1p_beta_mills(b)
    assert torch.isfinite(v).all() and (v.diff() > 0).all()
    bm = torch.tensor([-3., -0.5, 0.5, 3.], dtype=torch.float64)
    phi = torch.exp(-bm**2/2)/math.sqrt(2*math.pi)
    fct.test_close(_log1p_beta_mills(bm), torch.log1p(bm*torch.special.ndtr(bm)/phi), eps=1e-10)

def test_two_class_logits_are_two_points(mc):
    X, _, Y = mc['w2']
    l = W2.f(X)
    keep = (l[:, 1] - l[:, 0]).abs() > 0.01
    fct.test_close(Y[keep].abs(), torch.full_like(Y[keep], 0.8/math.sqrt(2)), eps=1e-3)

@pytest.mark.parametrize('name,w', [('w2', W2), ('w3', W3)])
def test_logit_law_vs_monte_carlo(mc, name, w):
    X, _, Y = mc[name]
    law = LogitLaw(w, XO)
    g = torch.Generator().manual_seed(3)
    for i in range(len(XO)):
        lw_x = -0.5*((XO[i].double() - X)**2).sum(-1)/w.sigma**2
        wt = torch.softmax(lw_x, 0)
        fct.test_close(torch.zeros(w.K, dtype=torch.float64).index_add_(0, Y.argmax(-1), wt), law.probs()[i], eps=0.012)
        fct.test_close((wt[:, None]*Y).sum(0), law.mean()[i], eps=0.012)
        for t in (60, 20):
            ab = SCHED.abar[t].double()
            y_t = ab.sqrt()*Y[torch.multinomial(wt, 1, generator=g)] + (1 - ab).sqrt()*torch.randn(1, w.K, generator=g, dtype=torch.float64)
            wt2 = torch.softmax(lw_x - 0.5*((y_t - ab.sqrt()*Y)**2).sum(-1)/(1 - ab), 0)
            fct.test_close((wt2[:, None]*Y).sum(0), LogitLaw(w, XO[i:i+1]).mean(y_t, ab.view(1, 1))[0], eps=0.015)

def test_logit_law_grid_and_special_cases():
    law, fine = LogitLaw(W3, XO), LogitLaw(W3, XO, grid=768*16)
    ab0 = SCHED.abar[:1].double().view(1, 1).expand(2, 1)    # the last step: the sharpest integrand
    y_t = torch.randn(2, 3, generator=torch.Generator().manual_seed(0))
    fct.test_close(law.mean(y_t, ab0), fine.mean(y_t, ab0), eps=1e-8)
    fct.test_close(law.probs(), fine.probs(), eps=1e-5)
    fct.test_close(law.probs().sum(-1), torch.ones(2, dtype=torch.float64), eps=1e-9)
    fct.test_close(law.expect(lambda y: y), law.mean(), eps=1e-12)
    fct.test_fail(lambda: LogitLaw(W3, XO, grid=100), contains='multiple of 12')
    clean = LogitLaw(W3, XO, sigma=0.)                      # sigma_o = 0: the observation is the clean signal
    fct.test_close(clean.mean(y_t, ab0), norm_logits(W3.f(XO)).double(), eps=1e-5)
    fct.test_eq(clean.probs().argmax(-1), W3.f(XO).argmax(-1))
    # a near-noiseless observation concentrates the law at norm(f(x_o))
    fct.test_close(LogitLaw(W3, XO, sigma=1e-3, grid=768*8).mean(), norm_logits(W3.f(XO)).double(), eps=2e-3)

# ---- exact denoisers
def test_exact_signal_vs_monte_carlo(mc):
    X, _, _ = mc['w3']
    sig, g = ExactSignal(W3, SCHED), torch.Generator().manual_seed(4)
    for t in (70, 30):
        ab = SCHED.abar[t].double()
        lw_x = -0.5*((XO[0].double() - X)**2).sum(-1)/W3.sigma**2
        x_t = ab.sqrt()*X[torch.multinomial(torch.softmax(lw_x, 0), 1, generator=g)] + (1 - ab).sqrt()*torch.randn(1, 2, generator=g, dtype=torch.float64)
        wt = torch.softmax(lw_x - 0.5*((x_t - ab.sqrt()*X)**2).sum(-1)/(1 - ab), 0)
        eps_mc = (x_t[0] - ab.sqrt()*(wt[:, None]*X).sum(0))/(1 - ab).sqrt()
        fct.test_close(sig(x_t.float(), torch.tensor([t]), XO[:1]).double()[0], eps_mc, eps=0.04)

def test_exact_signal_condition():
    sig0, sig = ExactSignal(W3, SCHED, lam=0.), ExactSignal(W3, SCHED, lam=2.)
    y = torch.tensor([[1., -.5, -.5], [-.5, 1., -.5]])
    x_t, t = torch.randn(2, 2), torch.tensor([50, 10])
    fct.test_eq(sig0(x_t, t, XO, y), sig0(x_t, t, XO, None))                    # lam=0 ignores the condition
    lw = sig.class_weights(XO, y)
    expected = torch.log_softmax(W3.class_log_posterior(XO) + 2*torch.log_softmax(y.double(), -1), -1)
    fct.test_close(lw, expected, eps=1e-10)
    fct.test_close(sig.class_weights(XO, y, null_mask=torch.tensor([True, False]))[0], W3.class_log_posterior(XO)[0], eps=1e-12)
    assert not torch.allclose(sig(x_t, t, XO, y), sig(x_t, t, XO, None))

def test_exact_logit_and_card():
    lg = ExactLogit(W3, SCHED)
    x_c = XO.clone()
    y_t, t = torch.randn(2, 3), torch.tensor([40, 40])
    e1 = lg(y_t, t, None, x_c)
    law1 = lg._law
    fct.test_eq(lg(y_t, t, None, x_c), e1); assert lg._law is law1       # cached while the same tensor comes back
    x_c.add_(1.)                                                           # in-place change: recomputed
    assert not torch.allclose(lg(y_t, t, None, x_c), e1)
    fct.test_close(lg(y_t, t, None, XO + 1.), lg(y_t, t, None, x_c))
    mu = norm_logits(W3.f(XO))
    ab = SCHED.abar[40]
    fct.test_close(ExactCard(lg)(y_t, t, mu, XO), lg(y_t + ab.sqrt()*mu, t, mu, XO))
    ab0 = SCHED.abar[0].double()   # t=0: eps reconstructs the posterior mean
    e0 = lg(y_t, torch.tensor([0, 0]), None, XO).double()
    fct.test_close((y_t.double() - (1 - ab0).sqrt()*e0)/ab0.sqrt(), LogitLaw(W3, XO).mean(y_t, ab0.view(1, 1).expand(2, 1)), eps=1e-4)

def test_exact_chains_sample_the_posterior():
    "With the ddpm step, a full signal trajectory and a plain DDPM over the logits, with exact denoisers, draw from the exact posteriors."
    m, n = exact_coupled(W3), 2500
    xs = XO[:1].expand(n, 2).contiguous()
    res = run(m, xs, 'enhanced', steps=30, seed=0, sampler='ddpm')
    q = LogitLaw(W3, XO[:1]).probs()[0].float()
    fct.test_close(res.x_hat0.mean(0), W3.posterior_mean(XO[:1])[0], eps=0.06)
    fct.test_close(F.one_hot(res.pred_restored, 3).float().mean(0), q, eps=0.035)
    y = m.sched.sample(lambda y, t: m.logit(y, t, None, xs), (n, 3), 30, sampler='ddpm', generator=torch.Generator().manual_seed(1))
    fct.test_close(F.one_hot(y.argmax(-1), 3).float().mean(0), q, eps=0.035)

def test_posterior_mean_chains_decide():
    "The default step is no sampler: every chain for one input lands on one class, and over inputs on the Bayes decision."
    m = exact_coupled(W3)
    fct.test_eq(m.samplers, dict(signal='posterior_mean', logit='posterior_mean'))
    xs = XO[:1].expand(500, 2).contiguous()
    bayes = W3.class_posterior(XO[:1]).argmax(-1).item()
    for s in ('enhanced', 'logits'):
        fct.test_eq(run(m, xs, s, steps=20, seed=0).pred.tolist(), [bayes]*500)
        assert F.one_hot(run(m, xs, s, steps=20, seed=0, sampler='ddpm').pred, 3).float().mean(0)[bayes] < 0.8   # ddpm: a draw
    w = make_world('numbers', 1.)
    x0, _ = w.sample(400, seed=4); xc = w.corrupt(x0, torch.Generator().manual_seed(5))
    dec = w.class_posterior(xc).argmax(-1)
    agree = lambda smp: (run(exact_coupled(w), xc, 'logits', 10, sampler=smp).pred == dec).float().mean().item()
    assert agree('posterior_mean') > 0.95 and agree('ddpm') < 0.9 and agree('ddim') < 0.9

@pytest.mark.parametrize('strategy', list(STRATEGIES))
def test_every_strategy_runs_with_exact_denoisers(strategy):
    m = exact_coupled(make_world('numbers', 1.))
    x, _ = make_world('numbers', 1.).sample(7, seed=1)
    res = run(m, x, strategy, 6, **knobs_for(strategy, dict(rounds=2, refreshes=2)))
    fct.test_eq(res.y_hat0.shape, (7, 3)); fct.test_close(res.probs.sum(-1), torch.ones(7))
    assert torch.isfinite(res.y_hat0).all()
    if res.x_hat0 is not None: fct.test_eq(res.x_hat0.shape, (7, 32)); assert torch.isfinite(res.x_hat0).all()

def test_exact_coupled_two_classes():
    res = run(exact_coupled(W2), W2.sample(5, seed=0)[0], 'parallel', 8)
    fct.test_eq(res.y_hat0.shape, (5, 2))

# ---- votes and the sampler's accuracy
def test_vote_probs():
    q = torch.tensor([[.5, .3, .2], [1., 0., 0.], [.4, .6, 0.]])
    fct.test_close(vote_probs(q, 1), q.double())
    fct.test_close(vote_probs(q, 9).sum(-1), torch.ones(3, dtype=torch.float64))
    fct.test_close(vote_probs(q, 2)[2], torch.tensor([.16 + .24, .36 + .24, 0.], dtype=torch.float64))
    fct.test_close(vote_probs(torch.tensor([[.3, .7]], dtype=torch.float64), 3)[0, 1], .7**3 + 3*.7**2*.3, eps=1e-12)
    fct.test_fail(lambda: vote_probs(torch.rand(1, 10).softmax(-1), 60), contains='too many')

def test_sampler_accuracy_matches_measured():
    w = make_world('numbers', 1.)
    x0, c = w.sample(600, seed=4); xc = w.corrupt(x0, torch.Generator().manual_seed(5))
    pred = sampler_accuracy(w, xc, 1)
    bayes = w.class_posterior(xc).max(-1).values.mean().item()
    assert bayes - pred > 0.05                                                  # one draw is far from Bayes
    measured = (run(exact_coupled(w), xc, 'enhanced', 20, seed=0, sampler='ddpm').pred == c).float().mean().item()
    fct.test_close(measured, pred, eps=0.06)
    assert abs(sampler_accuracy(w, xc, 41) - bayes) < 0.015                   # a vote of many draws is Bayes

# ---- the benchmark
def test_toy_bench_record():
    rec = toy_bench(1.0, methods='noisy,clean,retrained,regression,enhanced,card,nested', n_test=100, steps=5,
                    n_bayes=5000, refreshes=2)
    fct.test_eq((rec['task'], rec['corruption'], rec['level'], rec['n_test'], rec['steps']), ('toy', 'gaussian', 1.0, 100, 5))
    fct.test_eq(set(rec['results']), {'noisy', 'clean', 'retrained', 'regression', 'enhanced', 'card', 'nested', 'bayes'})
    r = rec['results']
    for m, v in r.items():   # a strategy's result also says its steps per chain
        fct.test_eq(set(v), {'metric', 'value', 'ci95', 'value_restored', 'correct', 'nfe', 'seconds'} | ({'steps'} if m in STRATEGIES else set()))
        assert v['ci95'][0] <= v['value'] <= v['ci95'][1]
        fct.test_eq(len(v['correct']), 100); fct.test_eq(sum(v['correct'])/100, v['value'])
    fct.test_eq(r['retrained']['value'], r['bayes']['value'])                # exact "retraining" is the Bayes rule
    fct.test_eq(r['nested']['nfe'], dict(signal=15, logit=5, classifier=3))
    assert r['enhanced']['value_restored'] == r['enhanced']['value'] and r['card']['value_restored'] is None
    assert {'bayes', 'clean', 'matching'} <= set(rec['bayes'])
    assert rec['bayes']['clean'] > rec['bayes']['bayes'] > rec['bayes']['matching']
    assert 'σ=1.0' in sweep_table([rec])
    fct.test_eq(rec['sampler'], dict(signal='posterior_mean', logit='posterior_mean'))
    fct.test_eq(rec['options'], dict(warmup=.5, rounds=5, refreshes=2, temperature=1.))   # every knob, defaults filled in
    assert set(rec) >= {*REQUIRED, 'unit', 'commit', 'temperature', 'world', 'denoisers', 'bayes'}, set(rec)
    fct.test_eq((rec['split'], rec['holdout'], rec['unit'], rec['world'], rec['denoisers'], rec['temperature']),
                ('test', None, 'signals', 'numbers', 'exact', 1.))
    fct.test_fail(lambda: toy_bench(1., methods='magic'), contains='valid methods')
    fct.test_fail(lambda: toy_bench(1., denoisers='oracle'), contains="'exact' or 'learned'")
    fct.test_fail(lambda: toy_bench(2., models=ExactModels(make_world('numbers', 1.))), contains='sigma=2.0')
    fct.test_fail(lambda: toy_bench(1., sampler='euler'), contains='valid samplers')
    fct.test_fail(lambda: toy_bench(1., denoisers='learned', sampler='noise=ddpm'), contains='chains are signal and logit')

def test_toy_bench_sampler():
    "`sampler=` reaches the chains and the record; one name per chain, or a name for both."
    kw = dict(methods='enhanced,logits', n_test=150, steps=6, n_bayes=2000)
    pm, dd = toy_bench(1., **kw), toy_bench(1., sampler='ddpm', **kw)
    fct.test_eq(dd['sampler'], dict(signal='ddpm', logit='ddpm'))
    for m in ('enhanced', 'logits'): assert dd['results'][m]['value'] < pm['results'][m]['value'] - 0.02, (m, dd, pm)
    mixed = toy_bench(1., sampler='signal=ddpm,logit=posterior_mean', **kw)
    fct.test_eq(mixed['sampler'], chain_samplers('signal=ddpm,logit=posterior_mean'))
    fct.test_eq(mixed['results']['enhanced']['value'], dd['results']['enhanced']['value'])     # Enhanced: the signal chain only
    fct.test_eq(mixed['results']['logits']['value'], pm['results']['logits']['value'])        # the logit chain alone
    # with ready models the argument overrides their own step, and the record says so
    M = ExactModels(make_world('numbers', 1.), sampler='ddpm')
    fct.test_eq(toy_bench(1., models=M, **kw)['sampler'], dict(signal='ddpm', logit='ddpm'))
    over = toy_bench(1., models=M, sampler='posterior_mean', **kw)
    fct.test_eq(over['sampler'], pm['sampler'])
    fct.test_eq({m: r['value'] for m, r in over['results'].items()}, {m: r['value'] for m, r in pm['results'].items()})

def test_toy_bench_writes_json(tmp_path):
    import json
    out = tmp_path/'sub'/'toy.json'
    rec = toy_bench(0.5, methods='noisy,logits', n_test=50, steps=4, world='pictures', n_bayes=2000, out=out)
    fct.test_eq(json.loads(out.read_text()), json.loads(json.dumps(rec)))

def test_learned_models_train_and_bench():
    w = make_world('numbers', 1.)
    M = train_toy(w, n_train=256, epochs=1, epochs_cls=1)
    assert isinstance(M.coupled('parallel').x_clip, tuple)                          # unbounded signals get a data range
    fct.test_eq(M.coupled('sampled').samplers, dict(signal='posterior_mean', logit='posterior_mean'))
    fct.test_eq(ToyModels(w, sampler='ddpm').coupled('enhancer').samplers, dict(signal='ddpm', logit='ddpm'))
    rec = toy_bench(1.0, methods=TOY_METHODS, n_test=64, steps=4, denoisers='learned', models=M, n_bayes=2000,
                    rounds=2, refreshes=1)
    fct.test_eq(set(rec['results']), set(TOY_METHODS))
    assert all(0 <= v['value'] <= 1 for v in rec['results'].values())
    fct.test_eq(rec['sampler'], M.coupled('parallel').samplers)
    assert all(not p.requires_grad for p in M.nets.parameters())


def test_toy_task_is_a_bench_task():
    "ToyTask implements the harness's Task protocol; its methods and pairs come from the strategy registry."
    task = ToyTask()
    assert isinstance(task, Task)
    fct.test_eq(task.methods, ('noisy', 'clean', 'bayes', 'regression', 'retrained', *STRATEGIES))
    fct.test_eq(task.methods, TOY_METHODS); fct.test_eq(task.pairs, PAIR)
    fct.test_eq(task.pairs, {s: e.pair for s, e in STRATEGIES.items()})
    M = task.load('gaussian', 1.)
    b, = task.test_set(M, 'gaussian', 1., 50, seed=3)
    x0, c = M.world.sample(50, 3 + 10_000)                                     # the test set of toy_bench's seed
    fct.test_eq(b['x0'], x0); fct.test_eq(b['y'], c)
    fct.test_eq(b['x_cor'], M.world.corrupt(x0, torch.Generator().manual_seed(3 + 20_000)))
    assert not torch.equal(task.test_set(M, 'gaussian', 1., 50, seed=3, split='valid')[0]['x0'], x0)
    costs = {m: method_probs(task, M, m, b['x_cor'], b['x0'], steps=3)[3] for m in task.methods}
    zero = dict(signal=0, logit=0, classifier=0)
    fct.test_eq((costs['bayes'], costs['retrained']), (zero, zero))            # closed forms: no network evaluation
    fct.test_eq(costs['noisy'], dict(signal=0, logit=0, classifier=1))
    fct.test_eq(costs['regression'], dict(signal=0, logit=1, classifier=1))
    one = method_probs(task, M, 'nested', b['x_cor'], steps=3, refreshes=2)[3]
    fct.test_eq(method_probs(task, M, 'nested', b['x_cor'], steps=3, samples=4, refreshes=2)[3],
                {k: 4*v for k, v in one.items()})                               # every chain's cost, summed
    fct.test_fail(lambda: task.check('blur', 1.), contains="'gaussian'")
    fct.test_fail(lambda: task.check('gaussian', -1.), contains='sigma must be >= 0')
    fct.test_fail(lambda: task.test_set(M, 'gaussian', .5, 10), contains='sigma=0.5')
    fct.test_fail(lambda: ToyTask(world='cifar'), contains='valid worlds')
    rec = bench(task, 'gaussian', 1., 'bayes,logits', n_test=40, steps=3, progress=False)     # the harness on the task itself
    fct.test_eq(rec['task'], 'toy'); fct.test_eq(list(rec['results']), ['bayes', 'logits'])

def test_toy_bench_samples_cost_and_temperature():
    "samples=N: the cost of all N chains (the harness's convention); the temperature reaches the strategies."
    kw = dict(methods='noisy,enhanced,logits', n_test=120, steps=4, n_bayes=1000, sampler='ddpm')
    one, four = toy_bench(1., **kw), toy_bench(1., samples=4, **kw)
    for m in ('enhanced', 'logits'): fct.test_eq(four['results'][m]['nfe'], {k: 4*v for k, v in one['results'][m]['nfe'].items()})
    fct.test_eq(four['results']['noisy']['nfe'], one['results']['noisy']['nfe'])   # a baseline is one evaluation
    vote = toy_bench(1., samples=4, temperature=0.01, **kw)
    fct.test_eq((vote['temperature'], vote['options']['temperature']), (0.01, 0.01))
    # the run's temperature is what the strategy got: the same chains scored by coupling.run directly
    M = ExactModels(make_world('numbers', 1.))
    x0, c = M.world.sample(120, 10_000); xc = M.world.corrupt(x0, torch.Generator().manual_seed(20_000))
    direct = run(M.coupled(), xc, 'logits', 4, samples=4, seed=0, temperature=0.01, sampler='ddpm').pred
    fct.test_eq(vote['results']['logits']['correct'], (direct == c).int().tolist())
    fct.test_fail(lambda: toy_bench(1., temperature=-1, **kw), contains='temperature must be')
    fct.test_fail(lambda: toy_bench(1., wobble=2, **kw), contains='unknown option')

def test_a_new_strategy_reaches_the_toy(wobble):   # tests/conftest.py registers 'wobble' and its knob 'wiggle'
    assert 'wobble' in ToyTask().methods and ToyTask().pairs['wobble'] == 'enhancer'
    rec = toy_bench(1., 'noisy,wobble', n_test=30, steps=2, n_bayes=500, wiggle=3)
    fct.test_eq(rec['results']['wobble']['nfe']['signal'], 6)
    fct.test_eq(rec['options']['wiggle'], 3)

def test_toy_sweep():
    sw = toy_sweep((0.5, 1.), 'exact', {'one': dict(methods='noisy,logits'), 'vote': dict(methods='logits', samples=2)},
                   n_test=40, steps=3, n_bayes=500)
    fct.test_eq([r['level'] for r in sw['one']], [0.5, 1.])
    fct.test_eq(list(sw['vote'][0]['results']), ['logits', 'bayes'])
    fct.test_eq(sw['vote'][1]['results']['logits']['nfe'], {k: 2*v for k, v in sw['one'][1]['results']['logits']['nfe'].items()})
