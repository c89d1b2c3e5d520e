"Tests of `cde_nb.diffusion`: schedules, forward process, posterior, DDPM/DDIM steps, sampler, loss, NFE."
import math
import pytest, torch
import fastcore.test as fct
from cde_nb.diffusion import (linear_betas, cosine_betas, SCHEDULES, Schedule, gaussian_eps, eps_loss, NFE)

torch.set_num_threads(1)

def gen(seed): return torch.Generator().manual_seed(seed)

def abar64(T, kind='cosine'):
    "Independent float64 reference: cumulative product of 1-beta."
    return torch.cumprod(1 - SCHEDULES[kind](T), 0)

def exact_eps(abar, m, s):
    "The issue's closed form eps*(x_t,t) = sqrt(1-abar)(x_t - sqrt(abar) m)/(abar s^2 + 1 - abar), float64 abar (T,)."
    def model(x, t):
        ab = abar[t].to(x.dtype).view(-1, *[1]*(x.ndim-1)) if torch.is_tensor(t) and t.ndim else abar[t].to(x.dtype)
        return (1-ab).sqrt()*(x - ab.sqrt()*m)/(ab*s*s + 1 - ab)
    return model

def sampler_law(T, steps, eta, m, s, kind='cosine'):
    """Exact (mean, std) of the output of Song et al.'s sampler with the exact predictor, derived from the Gaussian
    conditional E[x0|x_t] (not from the package), pushing N(0,1) through the affine steps."""
    abar = abar64(T, kind).tolist()
    ts = Schedule(T, kind).timesteps(steps)
    mu, var = 0., 1.
    for t, tp in zip(ts, ts[1:] + [-1]):
        ab, abp = abar[t], (abar[tp] if tp >= 0 else 1.)
        g = math.sqrt(ab)*s*s/(ab*s*s + 1 - ab)          # E[x0|x_t] = m + g (x_t - sqrt(ab) m)
        a0, b0 = g, m - g*math.sqrt(ab)*m                  # x0_hat = a0 x + b0
        ke, be = (1 - math.sqrt(ab)*a0)/math.sqrt(1-ab), -math.sqrt(ab)*b0/math.sqrt(1-ab)  # eps_hat = ke x + be
        sig2 = eta**2*(1-abp)/(1-ab)*(1-ab/abp)
        c = math.sqrt(max(1 - abp - sig2, 0.))
        P, Q = math.sqrt(abp)*a0 + c*ke, math.sqrt(abp)*b0 + c*be
        mu, var = P*mu + Q, P*P*var + sig2
    return mu, math.sqrt(var)

# ---------------------------------------------------------------- schedules
def test_linear_betas():
    b = linear_betas(1000)
    fct.test_eq(b.shape, (1000,)); fct.test_eq(b.dtype, torch.float64)
    fct.test_close(b[[0, -1]].tolist(), [1e-4, 0.02], eps=1e-12)
    fct.test_close(linear_betas(11, 0.1, 0.2)[5].item(), 0.15, eps=1e-12)

def test_cosine_betas_matches_definition():
    T, s = 150, 0.008
    f = lambda u: math.cos((u + s)/(1 + s)*math.pi/2)**2
    ref = [min(1 - f((t+1)/T)/f(t/T), 0.999) for t in range(T)]
    b = cosine_betas(T)
    fct.test_eq(b.dtype, torch.float64)
    fct.test_close(b.tolist(), ref, eps=1e-12)
    fct.test_eq(b[-1].item(), 0.999)
    fct.test_eq(cosine_betas(T, max_beta=0.5).max().item(), 0.5)

@pytest.mark.parametrize('kind', ['cosine', 'linear'])
def test_schedule_buffers(kind):
    sched = Schedule(150, kind)
    ref = abar64(150, kind)
    for name in ('betas', 'alphas', 'abar', 'one_minus_abar', 'log_snr'):
        buf = getattr(sched, name)
        fct.test_eq(buf.dtype, torch.float32); fct.test_eq(buf.shape, (150,)); fct.test_eq(buf.device.type, 'cpu')
    fct.test_eq(sched.abar, ref.float())                      # float64 first, rounded once
    fct.test_eq(sched.betas, SCHEDULES[kind](150).float())
    torch.testing.assert_close(sched.one_minus_abar.double(), 1 - ref, rtol=1e-6, atol=0)  # precise near t=0
    torch.testing.assert_close(sched.log_snr.double(), (ref/(1 - ref)).log(), rtol=1e-5, atol=1e-5)
    assert (sched.abar[1:] < sched.abar[:-1]).all() and (sched.log_snr[1:] < sched.log_snr[:-1]).all()
    assert 'T=150' in repr(sched) and kind in repr(sched)

def test_cosine_ends_in_noise_linear_does_not_at_T150():
    assert Schedule(150).abar[-1] < 1e-5
    fct.test_close(Schedule(150, 'linear').abar[-1].item(), 0.2192, eps=1e-3)

def test_schedule_errors():
    fct.test_fail(lambda: Schedule(10, 'quadratic'), contains="valid kinds: 'linear', 'cosine'")
    fct.test_fail(lambda: Schedule(0), contains='T must be a positive int')
    fct.test_fail(lambda: Schedule(2.5), contains='T must be a positive int')

def test_to_returns_self():
    sched = Schedule(10)
    fct.test_is(sched.to('cpu'), sched)
    fct.test_eq(sched.abar.dtype, torch.float32); fct.test_eq(sched.device.type, 'cpu')

# ---------------------------------------------------------------- time lookup
def test_abar_at_values_and_clean():
    sched = Schedule(150)
    fct.test_eq(sched.abar_at(-1).item(), 1.); fct.test_eq(sched.one_minus_abar_at(-1).item(), 0.)
    fct.test_eq(sched.abar_at(7), sched.abar[7])
    fct.test_eq(sched.abar_at(torch.tensor(7)), sched.abar[7])
    t = torch.tensor([-1, 0, 5, 149])
    fct.test_eq(sched.abar_at(t), torch.tensor([1., sched.abar[0], sched.abar[5], sched.abar[149]]))
    fct.test_eq(sched.abar_at(t.int()), sched.abar_at(t))

@pytest.mark.parametrize('shape', [(4, 1, 8, 8), (4, 10), (4, 20, 10), (4,)])
def test_abar_at_broadcasts_over_trailing_dims(shape):
    sched = Schedule(150)
    x = torch.zeros(shape, dtype=torch.float64)
    a = sched.abar_at(torch.tensor([0, 1, 2, 3]), like=x)
    fct.test_eq(a.shape, (4,) + (1,)*(len(shape)-1)); fct.test_eq(a.dtype, torch.float64)
    fct.test_eq(sched.abar_at(3, like=x).shape, ())

def test_t_errors():
    sched, x = Schedule(150), torch.zeros(3, 2)
    fct.test_fail(lambda: sched.abar_at(150), contains='out of range')
    fct.test_fail(lambda: sched.abar_at(-2), contains='valid time indices are -1..149')
    fct.test_fail(lambda: sched.q_sample(x, torch.tensor([0, 150, 3])), contains='t=[150] is out of range')
    fct.test_fail(lambda: sched.x0_from_eps(x, -1, x), contains='valid time indices are 0..149')
    fct.test_fail(lambda: sched.posterior(x, x, -1), contains='out of range')
    fct.test_fail(lambda: sched.ddpm_step(x, 150, x), contains='out of range')
    fct.test_fail(lambda: sched.abar_at(1.0), contains='must be an int or an integer tensor')
    fct.test_fail(lambda: sched.abar_at(torch.tensor([[1, 2]])), contains='must be an int or an integer tensor')
    fct.test_fail(lambda: sched.q_sample(x, torch.tensor([1, 2])), contains='t has 2 entries but x has shape (3, 2)')

# ---------------------------------------------------------------- forward process and clean estimate
def test_q_sample_formula_and_per_sample_t():
    sched = Schedule(150)
    x0, eps = torch.randn(3, 2, 4, 4, generator=gen(0)), torch.randn(3, 2, 4, 4, generator=gen(1))
    t = torch.tensor([0, 70, 149])
    xt = sched.q_sample(x0, t, eps)
    for i, ti in enumerate(t.tolist()):
        ab = abar64(150)[ti]
        torch.testing.assert_close(xt[i].double(), ab.sqrt()*x0[i].double() + (1-ab).sqrt()*eps[i].double(), rtol=1e-5, atol=1e-6)
    fct.test_eq(sched.q_sample(x0, 5, generator=gen(3)), sched.q_sample(x0, 5, generator=gen(3)))
    fct.test_eq(sched.q_sample(x0, -1), x0)
    fct.test_eq(sched.q_sample(x0.double(), 5, generator=gen(0)).dtype, torch.float64)

def test_q_sample_statistics_match_stepwise_chain():
    "Closed form q(x_t|x_0) against running the one-step chain t+1 times."
    sched, t, n = Schedule(50, 'linear'), 30, 40000
    x = torch.full((n,), 2.0, dtype=torch.float64)
    g = gen(0)
    for s in range(t+1): x = (1 - sched.betas[s].double()).sqrt()*x + sched.betas[s].double().sqrt()*torch.randn(n, generator=g, dtype=torch.float64)
    y = sched.q_sample(torch.full((n,), 2.0), t, generator=gen(1))
    fct.test_close(x.mean().item(), y.mean().item(), eps=0.03)
    fct.test_close(x.var().item(), y.var().item(), eps=0.03)

def test_x0_eps_round_trip_and_clip():
    sched = Schedule(150)
    x0, eps = torch.randn(5, 3, dtype=torch.float64), torch.randn(5, 3, dtype=torch.float64)
    t = torch.tensor([0, 1, 50, 100, 140])
    xt = sched.q_sample(x0, t, eps)
    torch.testing.assert_close(sched.x0_from_eps(xt, t, eps), x0, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(sched.eps_from_x0(xt, t, x0), eps, rtol=1e-5, atol=1e-5)
    clipped = sched.x0_from_eps(xt, t, torch.zeros_like(xt), clip=(-0.5, 0.5))
    assert clipped.min() >= -0.5 and clipped.max() <= 0.5

def test_gaussian_eps_is_the_conditional_mean_of_eps():
    "Against E[eps|x_t] = Cov(eps,x_t)/Var(x_t) (x_t - E x_t) for the jointly Gaussian (eps, x_t)."
    sched, m, s = Schedule(150), 1.5, 0.5
    abar = abar64(150)
    t = torch.tensor([0, 10, 80, 149]); xt = torch.randn(4, 3, dtype=torch.float64, generator=gen(0))
    ab = abar[t][:, None]
    ref = (1-ab).sqrt()*(xt - ab.sqrt()*m)/(ab*s*s + 1 - ab)
    torch.testing.assert_close(gaussian_eps(sched, m, s)(xt, t), ref, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(exact_eps(abar, m, s)(xt, t), ref)

# ---------------------------------------------------------------- posterior
@pytest.mark.parametrize('kind', ['cosine', 'linear'])
def test_posterior_equals_gaussian_conditioning(kind):
    """q(x_{t-1}|x_t,x_0) from the joint Gaussian of (x_{t-1}, x_t) given x_0 (Schur complement), float64, from the
    betas only: x_{t-1} = sqrt(abp) x0 + sqrt(1-abp) e1, x_t = sqrt(a_t) x_{t-1} + sqrt(b_t) e2."""
    T = 100
    b = SCHEDULES[kind](T); abar = torch.cumprod(1 - b, 0)
    sched = Schedule(T, kind)
    x0, xt = torch.randn(6, 2, dtype=torch.float64, generator=gen(0)), torch.randn(6, 2, dtype=torch.float64, generator=gen(1))
    t = torch.tensor([1, 2, 5, 40, 80, 99])
    mean, var = sched.posterior(x0, xt, t)
    fct.test_eq(mean.shape, xt.shape); fct.test_eq(var.shape, xt.shape)
    for i, ti in enumerate(t.tolist()):
        abp, a = abar[ti-1], 1 - b[ti]
        v11, v22, v12 = 1 - abp, a*(1 - abp) + b[ti], a.sqrt()*(1 - abp)   # Var x_{t-1}, Var x_t, Cov
        m1, m2 = abp.sqrt()*x0[i], (a*abp).sqrt()*x0[i]
        ref_mean, ref_var = m1 + v12/v22*(xt[i] - m2), v11 - v12**2/v22
        torch.testing.assert_close(mean[i], ref_mean, rtol=1e-5, atol=1e-6)
        torch.testing.assert_close(var[i], ref_var.expand(2), rtol=1e-5, atol=0)

def test_posterior_at_t0_is_x0():
    sched = Schedule(150)
    x0, xt = torch.randn(3, 4), torch.randn(3, 4)
    mean, var = sched.posterior(x0, xt, 0)
    torch.testing.assert_close(mean, x0, rtol=1e-5, atol=1e-6); fct.test_eq(var.abs().max().item(), 0.)

# ---------------------------------------------------------------- DDPM and DDIM steps
def test_ddpm_step_t0_returns_clean_estimate():
    sched = Schedule(150)
    xt, eps = torch.randn(3, 1, 4, 4), torch.randn(3, 1, 4, 4)
    x_prev, x0_hat = sched.ddpm_step(xt, 0, eps, generator=gen(0))
    fct.test_eq(x_prev, x0_hat)
    fct.test_eq(sched.ddpm_step(xt, 0, eps, clip=(-1, 1))[1].abs().max() <= 1, True)

def test_ddim_eta1_consecutive_is_ddpm_step_pathwise():
    sched = Schedule(150)
    xt, eps = torch.randn(16, 3, 10, dtype=torch.float64), torch.randn(16, 3, 10, dtype=torch.float64)
    t = torch.randint(0, 150, (16,), generator=gen(0))
    for clip in (None, (-1, 1)):
        a = sched.ddim_step(xt, t, t - 1, eps, eta=1., generator=gen(7), clip=clip)
        b = sched.ddpm_step(xt, t, eps, generator=gen(7), clip=clip)
        torch.testing.assert_close(a[0], b[0], rtol=1e-4, atol=1e-5); torch.testing.assert_close(a[1], b[1])

def test_ddim_sigma_is_song_formula():
    "Spread of one DDIM step over the noise equals eta*sqrt((1-abp)/(1-ab))*sqrt(1-ab/abp), for a skip and eta=0.5."
    sched, t, tp, eta, n = Schedule(150), 100, 60, 0.5, 50000
    abar = abar64(150)
    xt, eps = torch.full((n,), 0.3, dtype=torch.float64), torch.full((n,), -0.2, dtype=torch.float64)
    out = sched.ddim_step(xt, t, tp, eps, eta=eta, generator=gen(0))[0]
    ab, abp = abar[t], abar[tp]
    sigma = eta*((1-abp)/(1-ab)).sqrt()*(1 - ab/abp).sqrt()
    x0_hat = (0.3 - (1-ab).sqrt()*(-0.2))/ab.sqrt()
    mean = abp.sqrt()*x0_hat + (1 - abp - sigma**2).sqrt()*(-0.2)
    fct.test_close(out.std().item(), sigma.item(), eps=0.01*sigma.item())
    fct.test_close(out.mean().item(), mean.item(), eps=4*sigma.item()/math.sqrt(n))

def test_ddim_eta0_is_deterministic_and_draws_nothing():
    sched = Schedule(150)
    xt, eps = torch.randn(4, 3), torch.randn(4, 3)
    g = gen(5); state = g.get_state()
    fct.test_eq(sched.ddim_step(xt, 90, 40, eps, generator=g)[0], sched.ddim_step(xt, 90, 40, eps)[0])
    fct.test_eq(g.get_state(), state)
    x1 = torch.randn(8, 2, generator=gen(0))
    model = gaussian_eps(sched, 0.3, 0.7)
    runs = []
    for seed in (1, 2):
        x, g = x1.clone(), gen(seed)
        for t, tp in sched.pairs(12): x, _ = sched.ddim_step(x, t, tp, model(x, t), eta=0., generator=g)
        runs.append(x)
    fct.test_eq(runs[0], runs[1])

def test_ddim_errors():
    sched, x = Schedule(150), torch.zeros(2, 3)
    fct.test_fail(lambda: sched.ddim_step(x, 5, 5, x), contains='t_prev must be earlier than t')
    fct.test_fail(lambda: sched.ddim_step(x, torch.tensor([5, 3]), torch.tensor([4, 3]), x), contains='earlier than t')
    fct.test_fail(lambda: sched.ddim_step(x, 5, -2, x), contains='t_prev=-2 is out of range')
    fct.test_fail(lambda: sched.ddim_step(x, 150, 3, x), contains='t=150 is out of range')
    fct.test_fail(lambda: sched.ddim_step(x, 5, 4, x, eta=-0.1), contains='eta must be >= 0')

# ---------------------------------------------------------------- timesteps
def test_timesteps_and_pairs():
    sched = Schedule(150)
    fct.test_eq(sched.timesteps(150), list(range(149, -1, -1)))
    fct.test_eq(Schedule(10).timesteps(4), [9, 6, 3, 0])
    fct.test_eq(sched.timesteps(3), [149, 75, 0])        # evenly spaced, rounded half up
    fct.test_eq(sched.timesteps(4), [149, 99, 50, 0])
    fct.test_eq(sched.timesteps(1), [149])
    for steps in (1, 2, 3, 10, 49, 75, 149, 150):
        ts = sched.timesteps(steps)
        fct.test_eq(len(ts), steps); fct.test_eq(ts[0], 149)
        assert all(a > b for a, b in zip(ts, ts[1:])) and all(isinstance(t, int) for t in ts)
        if steps > 1: fct.test_eq(ts[-1], 0)
        pairs = sched.pairs(steps)
        fct.test_eq([p[0] for p in pairs], ts); fct.test_eq(pairs[-1][1], -1)
        fct.test_eq([p[1] for p in pairs[:-1]], ts[1:])

def test_steps_errors():
    sched = Schedule(150)
    fct.test_fail(lambda: sched.timesteps(151), contains='need 1 <= steps <= T=150')
    fct.test_fail(lambda: sched.timesteps(0), contains='steps=0 is out of range')
    fct.test_fail(lambda: sched.pairs(-3), contains='out of range')
    fct.test_fail(lambda: sched.timesteps(None), contains='steps must be an int')
    fct.test_fail(lambda: sched.sample(lambda x, t: x, (2, 3), steps=200), contains='need 1 <= steps <= T')

# ---------------------------------------------------------------- the sampler on exact Gaussian models
M, S, N = 1.5, 0.5, 20000

def _ddpm_loop(sched, model, x, g):
    for t in reversed(range(sched.T)): x, _ = sched.ddpm_step(x, t, model(x, t), generator=g)
    return x

def test_ddpm_recovers_gaussian_data():
    "The exact predictor through all T DDPM steps returns N(m, s^2): mean exact, std within the 2.5% discretisation."
    sched = Schedule(150)
    g = gen(0)
    x = _ddpm_loop(sched, exact_eps(abar64(150), M, S), torch.randn(N, generator=g), g)
    law = sampler_law(150, 150, 1., M, S)
    fct.test_close(x.mean().item(), M, eps=0.015)
    fct.test_close(x.std().item(), law[1], eps=0.01)     # the exact law of the discretised chain
    fct.test_close(x.std().item(), S, eps=0.03*S)        # and the data

@pytest.mark.parametrize('steps,eta', [(10, 0.), (10, 1.), (20, 0.), (50, 0.5), (150, 0.)])
def test_few_step_samplers_follow_their_exact_law(steps, eta):
    """MC moments of `sample` agree with the exact law of Song et al.'s sampler (independent derivation). Few steps
    shrink the variance (first-order error): the std approaches s as steps grow, the mean is right at any steps."""
    sched = Schedule(150)
    x = sched.sample(exact_eps(abar64(150), M, S), (N,), steps=steps, eta=eta, generator=gen(1))
    mu, sd = sampler_law(150, steps, eta, M, S)
    fct.test_close(x.mean().item(), mu, eps=0.015); fct.test_close(mu, M, eps=0.005)
    fct.test_close(x.std().item(), sd, eps=0.01)
    assert 0.7*S < sd < S

def test_ddim_converges_to_data_std_as_steps_grow():
    stds = [sampler_law(150, n, 0., M, S)[1] for n in (5, 10, 20, 50, 150)]
    assert all(a < b for a, b in zip(stds, stds[1:])), stds
    fct.test_close(stds[-1], S, eps=0.02*S)   # all 150 steps: within 2%

def test_other_data_and_shapes():
    "N(-0.7, 0.8^2) on (B, C, H, W) with the linear schedule at T=200 (where it ends near noise)."
    sched = Schedule(200, 'linear')
    x = sched.sample(gaussian_eps(sched, -0.7, 0.8), (500, 1, 4, 4), steps=25, eta=0., generator=gen(2))
    fct.test_eq(x.shape, (500, 1, 4, 4))
    mu, sd = sampler_law(200, 25, 0., -0.7, 0.8, 'linear')
    fct.test_close(x.mean().item(), mu, eps=0.02); fct.test_close(x.std().item(), sd, eps=0.02)

def test_ddim_all_steps_eta1_matches_ddpm():
    sched = Schedule(150)
    model = exact_eps(abar64(150), M, S)
    # pathwise: same generator -> same samples (sample draws x_T first, then one noise per step)
    g = gen(3)
    ddpm = _ddpm_loop(sched, model, torch.randn(1000, generator=g), g)
    torch.testing.assert_close(sched.sample(model, (1000,), eta=1., generator=gen(3)), ddpm, rtol=1e-4, atol=1e-4)
    # in distribution: independent seeds agree in mean and std
    g = gen(4)
    ddpm = _ddpm_loop(sched, model, torch.randn(N, generator=g), g)
    ddim = sched.sample(model, (N,), steps=150, eta=1., generator=gen(5))
    fct.test_close(ddim.mean().item(), ddpm.mean().item(), eps=0.02)
    fct.test_close(ddim.std().item(), ddpm.std().item(), eps=0.015)

def test_sample_eta0_deterministic_given_start():
    sched = Schedule(50)
    model = gaussian_eps(sched, 0., 0.5)
    g = gen(0); a = sched.sample(model, (64, 3), steps=10, eta=0., generator=g)
    after = g.get_state()
    g2 = gen(0); torch.randn(64, 3, generator=g2)                 # only x_T was drawn
    fct.test_eq(after, g2.get_state())
    fct.test_eq(a, sched.sample(model, (64, 3), steps=10, eta=0., generator=gen(0)))

def test_sample_interface_trace_nfe_clip():
    sched, seen = Schedule(30), []
    def model(x, t):
        seen.append(t); return torch.zeros_like(x)
    nfe = NFE()
    x, traj = sched.sample(model, (5, 2, 7, 3), steps=6, generator=gen(0), trace=True, clip=(-1, 1), nfe=nfe, name='signal')
    fct.test_eq(traj.shape, (7, 5, 2, 7, 3)); fct.test_eq(traj[-1], x)
    assert x.abs().max() <= 1
    fct.test_eq(nfe['signal'], 6); fct.test_eq(len(seen), 6)
    for t, (ti, _) in zip(seen, sched.pairs(6)):
        fct.test_eq(t.dtype, torch.long); fct.test_eq(t.shape, (5,)); fct.test_eq(t.tolist(), [ti]*5)
    lin = torch.nn.Linear(2, 2)
    assert not sched.sample(lambda x, t: lin(x), (4, 2), steps=2).requires_grad  # runs under no_grad
    fct.test_eq(sched.sample(model, (3, 4), device='cpu', generator=gen(0)).shape, (3, 4))

# ---------------------------------------------------------------- loss and NFE
def test_eps_loss():
    sched, m, s = Schedule(150), 1.5, 0.5
    x0 = m + s*torch.randn(50000, generator=gen(0))
    loss = eps_loss(gaussian_eps(sched, m, s), x0, sched, generator=gen(1))
    fct.test_eq(loss.shape, ())
    # the exact predictor's loss is the average conditional variance 1 - (1-ab)/(ab s^2 + 1 - ab) over uniform t
    abar = abar64(150)
    fct.test_close(loss.item(), (1 - (1-abar)/(abar*s*s + 1 - abar)).mean().item(), eps=0.01)
    fct.test_eq(eps_loss(gaussian_eps(sched, m, s), x0, sched, generator=gen(1)), loss)
    lin = torch.nn.Linear(3, 3)
    l = eps_loss(lambda x, t: lin(x), torch.randn(8, 3), sched, t=torch.full((8,), 4))
    l.backward(); assert lin.weight.grad is not None
    for bad in (150, -1): fct.test_fail(lambda: eps_loss(lambda x, t: x, torch.randn(8, 3), sched, t=torch.full((8,), bad)), contains='out of range')

def test_nfe():
    nfe = NFE()
    nfe.add('signal'); nfe.add('signal'); nfe.add('logit', 3)
    fct.test_eq(nfe['signal'], 2); fct.test_eq(nfe['logit'], 3); fct.test_eq(nfe['classifier'], 0)
    fct.test_eq(dict(nfe), {'signal': 2, 'logit': 3}); fct.test_eq(nfe.total(), 5)
    f = nfe.wrap(lambda x: 2*x, 'f')
    fct.test_eq(f(3), 6); fct.test_eq(nfe['f'], 1)
    nfe.reset(); fct.test_eq(dict(nfe), {})

@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_cuda_with_cpu_generator():
    sched = Schedule(50).to('cuda')
    fct.test_eq(sched.abar.device.type, 'cuda')
    model = gaussian_eps(sched, 0.5, 0.5)
    xc = sched.sample(model, (2000,), steps=10, eta=1., generator=gen(0), device='cuda')
    x = Schedule(50).sample(gaussian_eps(Schedule(50), 0.5, 0.5), (2000,), steps=10, eta=1., generator=gen(0))
    fct.test_eq(xc.device.type, 'cuda')
    torch.testing.assert_close(xc.cpu(), x, rtol=1e-4, atol=1e-4)   # same noise from the CPU generator
    t = torch.tensor([0, 5], device='cuda')
    fct.test_eq(sched.q_sample(torch.zeros(2, 3, device='cuda'), t, generator=gen(0)).device.type, 'cuda')
