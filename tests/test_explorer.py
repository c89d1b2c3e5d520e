"""Headless tests of cde_nb.explorer: the plain functions directly, and the widget by changing every control and
reading the state its callbacks computed (never Output.outputs, which capture nothing without a kernel)."""
import re, math, pytest, torch
import fastcore.test as fct
from cde_nb import explorer as E, explorer_tasks as ET, explorer_server as ES, coupling as C
from cde_nb.explorer import (Explorer, ImageView, SpeechView, explore_sample, belief_track, compare_all, strategy_knobs,
                             knob_names, strategy_order, strategy_label, register_task, available_tasks,
                             unavailable_tasks, get_task, summary_html, frame_html, plot_image_trajectory, plot_beliefs,
                             plot_compare, wav_bytes)
from cde_nb.explorer_server import explorer_notebook
from cde_nb.images import ImageModels, ImageConfig, load_models
from cde_nb.diffusion import SAMPLERS

STEPS = 3

@pytest.fixture(scope='module')
def tiny():
    "Untrained small digits networks: real shapes and counts, no checkpoint needed, fast."
    torch.manual_seed(0)
    return ImageView('digits', models=ImageModels(ImageConfig(base=8, hidden=32, width=8, cls_width=8)))

class Narrow(ImageView):
    "A second task with fewer strategies, one corruption and another level range (to check reconfiguration)."
    strategies = ('enhanced', 'parallel')
    def __init__(self, models):
        super().__init__('digits', models=models, name='narrow')
        self.corruptions = dict(gaussian=(0., .8, .1, .4))
        self.classes = list('abcdefghij')
    @property
    def max_steps(self): return 12

@pytest.fixture
def ex(tiny):
    "The widget without figures (the figures have their own test): state only, fast."
    return Explorer({'tiny': tiny, 'narrow': Narrow(tiny.models)}, steps=STEPS, compare_n=8, draw=False)

def test_strategy_knobs():
    fct.test_eq(strategy_knobs('alternating', rounds=2, warmup=.1), dict(rounds=2))
    fct.test_eq(strategy_knobs('enhanced', rounds=2), {})
    fct.test_eq(strategy_knobs('nested'), dict(refreshes=C.KNOBS['refreshes'].default))
    fct.test_eq(set(strategy_order()), set(C.STRATEGIES)); fct.test_eq(strategy_order()[0], 'enhanced')

@pytest.mark.parametrize('strategy,signal,logit', [('enhanced', STEPS, 0), ('card', 0, STEPS), ('logits', 0, STEPS),
    ('parallel', STEPS, STEPS), ('alternating', 2*STEPS, 2*STEPS), ('nested', 3*STEPS, STEPS)])
def test_explore_sample_every_strategy(tiny, strategy, signal, logit):
    s = explore_sample(tiny, 7, 'pixels', .4, strategy, STEPS, seed=1, rounds=2, refreshes=2, warmup=.5)
    fct.test_eq((s['nfe']['signal'], s['nfe']['logit']), (signal, logit))
    n = signal + logit
    fct.test_eq(len(s['events']), n); fct.test_eq(s['probs'].shape, (n, 10)); fct.test_eq(s['frame'], n - 1)
    fct.test_eq(len(s['signal_at']), n); fct.test_eq(len(s['answers']), n)
    if signal: fct.test_eq(s['signal'].shape, (signal, 1, 8, 8)); assert s['signal_at'][-1] == signal - 1
    else: assert s['signal'] is None and s['pred_restored'] is None and s['answers_restored'] is None
    fct.test_close(s['probs'][-1], s['probs_final'], eps=1e-5)
    fct.test_eq(s['label'], int(tiny.data[1][7])); fct.test_eq(s['x0'], tiny.data[0][7])
    assert s['correct'] == (s['pred'] == s['label']) and s['answers'][-1] == s['pred']
    fct.test_eq(set(s['knobs']), set(knob_names(strategy)))

def test_explore_sample_reproducible_and_errors(tiny):
    a, b = [explore_sample(tiny, 2, 'gaussian', .5, 'parallel', STEPS, seed=4) for _ in range(2)]
    fct.test_eq(a['x_cor'], b['x_cor']); fct.test_eq(a['probs'], b['probs'])
    c = explore_sample(tiny, 2, 'gaussian', .5, 'parallel', STEPS, seed=5)
    fct.test_ne(a['x_cor'], c['x_cor'])
    fct.test_fail(lambda: explore_sample(tiny, -1), contains='out of range')
    fct.test_fail(lambda: explore_sample(tiny, len(tiny)), contains='out of range')
    fct.test_fail(lambda: explore_sample(tiny, 0, strategy='bogus'), contains='valid strategies')
    fct.test_fail(lambda: explore_sample(tiny, 0, kind='snow'), contains='valid corruptions')
    fct.test_fail(lambda: explore_sample(tiny, 0, sampler='euler'), contains='valid samplers')
    fct.test_fail(lambda: explore_sample(tiny, 0, strategy='parallel', warmup=2.), contains='warmup=2.0 is out of range')

def test_explore_sample_samplers(tiny):
    "Each chain steps with the sampler asked for; the state says which (coupling's default when none is given)."
    base = explore_sample(tiny, 1, 'pixels', .3, 'parallel', STEPS)
    fct.test_eq(base['sampler'], C.chain_samplers({}))
    for spec, want in [('ddpm', dict(signal='ddpm', logit='ddpm')), ('signal=ddim,logit=ddpm', dict(signal='ddim', logit='ddpm')),
                       (dict(logit='ddim'), dict(signal='posterior_mean', logit='ddim'))]:
        s = explore_sample(tiny, 1, 'pixels', .3, 'parallel', STEPS, sampler=spec)
        fct.test_eq(s['sampler'], want); assert not torch.equal(s['probs'], base['probs']), spec
    same = explore_sample(tiny, 1, 'pixels', .3, 'parallel', STEPS, sampler='posterior_mean')
    fct.test_eq(same['probs'], base['probs'])

def test_belief_track(tiny):
    x0, _ = tiny.sample(0)
    fct.test_fail(lambda: belief_track(tiny.run('parallel', x0, STEPS), tiny.probs), contains='trace=True')
    res = tiny.run('parallel', x0, STEPS, trace=True, warmup=.5)
    tr = belief_track(res, tiny.probs)
    fct.test_eq(tr['source'], 'logit chain'); fct.test_eq(tr['signal_at'], [-1, 0, 0, 1, 1, 2])
    assert torch.isnan(tr['restored_probs'][0]).all()                       # no restoration before the first signal step
    fct.test_close(tr['logit_probs'].sum(-1), torch.ones(2*STEPS), eps=1e-5)
    fct.test_close(tr['restored_probs'][1], tiny.probs(res.states[1]['est'])[0], eps=1e-6)

def test_pictures_and_text(tiny):
    s = explore_sample(tiny, 1, 'blur', 2., 'nested', STEPS, refreshes=1)
    for frame in (0, s['frame']):
        for fig in (plot_image_trajectory(s, frame), plot_beliefs(s, frame)):
            assert fig.get_size_inches()[0] <= 6.5; E._png(fig)
    E._png(plot_image_trajectory(explore_sample(tiny, 1, strategy='card', steps=STEPS)))
    h = summary_html(s)
    assert f"truth: <b>{s['label']}</b>" in h and 'Nested (refreshes=1)' in h and f"{6} signal" in h
    assert 'sampler signal=posterior_mean, logit=posterior_mean' in h
    fct.test_eq(frame_html(s, 0), "evaluation 1/9: signal chain (posterior_mean), step 1 (t=99), conditioned on null")
    assert frame_html(s, s['frame']).endswith(f"class so far: <b>{s['pred']}</b>")

def test_compare_all(tiny):
    calls = []
    c = compare_all(tiny, 'pixels', .3, n=6, steps=2, seed=0, strategies=['enhanced', 'nested'], refreshes=1,
                    progress=lambda *a: calls.append(a), sampler='ddim')
    fct.test_eq(calls, [(0, 2, 'enhanced'), (1, 2, 'nested'), (2, 2, 'done')])
    fct.test_eq((c['n'], c['metric'], c['sampler']), (6, 'accuracy', dict(signal='ddim', logit='ddim')))
    fct.test_eq([r['strategy'] for r in c['rows']], ['enhanced', 'nested'])
    nested = c['rows'][1]
    fct.test_eq(nested['cost'], sum(nested['nfe'].values())); fct.test_eq(nested['nfe']['signal'], 4)
    assert all(0 <= r['score'] <= 1 for r in c['rows']) and 0 <= c['noisy'] <= 1 and 0 <= c['clean'] <= 1
    fct.test_eq(compare_all(tiny, 'pixels', .3, n=10**6, steps=2, strategies=['enhanced'])['n'], len(tiny))  # at most every item
    E._png(plot_compare(c))

def test_registry():
    fct.test_fail(lambda: get_task('no such task'), contains='registered tasks are')
    made = []
    register_task('_t', lambda: made.append(1) or 'task object', lambda: True, 'nothing')
    register_task('_broken', lambda: 1, lambda: 1/0, 'a working check')
    register_task('_off', lambda: 1, lambda: False, 'a thing that is missing')
    try:
        assert '_t' in available_tasks() and '_broken' not in available_tasks() and '_off' not in available_tasks()
        fct.test_eq(get_task('_t'), 'task object'); get_task('_t'); fct.test_eq(made, [1])   # built once
        fct.test_fail(lambda: get_task('_off'), contains='a thing that is missing')
        fct.test_eq({k: v for k, v in unavailable_tasks().items() if k.startswith('_')},
                    {'_broken': 'a working check', '_off': 'a thing that is missing'})
    finally:
        for n in ('_t', '_broken', '_off'): ET._TASKS.pop(n); ET._MADE.pop(n, None)
    assert {'digits', 'mnist', 'fsdd', 'toy 2-D'} <= set(ET._TASKS)
    fct.test_eq(('digits' in available_tasks()), ET._ckpt('digits').exists())

def test_speech_absent_without_its_data(monkeypatch, tiny):
    "No FSDD recordings (nor fixture): the speech task leaves the menu, and the explorer says what it needs."
    real = ET._has_data
    monkeypatch.setattr(ET, '_has_data', lambda sub: False if sub.startswith('fsdd') else real(sub))
    assert 'fsdd' not in available_tasks() and 'FSDD recordings' in unavailable_tasks()['fsdd']
    fct.test_fail(lambda: get_task('fsdd'), contains='set CDE_NB_DATA')
    monkeypatch.setattr(E, 'available_tasks', lambda: ['tiny'])
    monkeypatch.setitem(ET._TASKS, 'tiny', dict(make=lambda: tiny, available=lambda: True, needs=''))
    monkeypatch.setitem(ET._MADE, 'tiny', tiny)
    ex = Explorer(steps=2, draw=False)
    assert 'fsdd' not in ex.task.options and '<b>fsdd</b> (needs the checkpoint cde_nb/checkpoints/fsdd.pt' in ex.missing.value
    assert 'FSDD recordings' in ex.missing.value
    fct.test_eq(Explorer({'tiny': tiny}, steps=2, draw=False).missing.value, '')   # tasks given: no registry to speak of

def test_explorer_no_task(monkeypatch):
    monkeypatch.setattr(E, 'available_tasks', lambda: [])
    fct.test_fail(lambda: Explorer(), contains='no explorer task is available')

def test_explorer_every_control(ex, tiny):
    st = ex.state
    fct.test_eq((st['task'], st['index'], st['strategy'], st['steps'], st['kind'], st['level']), ('digits', 0, 'parallel', STEPS, 'pixels', .3))
    fct.test_eq(ex.scrubber.max, 2*STEPS); fct.test_eq(st['frame'], 2*STEPS - 1); fct.test_eq(ex.sample.max, len(tiny) - 1)
    assert 'test sample <b>0</b>' in ex.summary.value
    # test sample: slider, then "random"
    ex.sample.value = 9; fct.test_eq(ex.state['index'], 9); assert 'test sample <b>9</b>' in ex.summary.value
    seen = set()
    for _ in range(4): ex.random.click(); seen.add(ex.state['index']); fct.test_eq(ex.state['index'], ex.sample.value)
    assert 9 not in seen or len(seen) > 1
    # corruption and level
    ex.kind.value = 'blur'; fct.test_eq((ex.state['kind'], ex.state['level']), ('blur', 2.)); fct.test_eq(ex.level.min, .5)
    ex.level.value = 3.; fct.test_eq(ex.state['level'], 3.)
    # steps and seed
    ex.steps.value = 4; fct.test_eq(ex.state['nfe']['signal'], 4); fct.test_eq(ex.scrubber.max, 8)
    x_cor = ex.state['x_cor']; ex.kind.value = 'pixels'; x_cor = ex.state['x_cor']
    ex.seed.value = 11; fct.test_eq(ex.state['seed'], 11); fct.test_ne(ex.state['x_cor'], x_cor)
    # every strategy, with its own knobs (and only those visible); every knob's slider starts at its registered default
    fct.test_eq(set(ex.knob_widgets), set(C.KNOBS))
    for k, w in ex.knob_widgets.items():
        kb = C.KNOBS[k]; fct.test_eq((w.value, w.min), (kb.default, kb.lo)); assert w.tooltip == kb.help
    fct.test_eq(ex.knob_widgets['warmup'].max, 1.)
    for s in strategy_order():
        ex.strategy.value = s; fct.test_eq(ex.state['strategy'], s)
        for k, w in ex.knob_widgets.items(): fct.test_eq(w.layout.display, None if k in knob_names(s) else 'none')
    ex.strategy.value = 'parallel'
    ex.knob_widgets['warmup'].value = 1.; fct.test_eq(ex.state['knobs'], dict(warmup=1.))
    fct.test_eq({e['cond'] for e in ex.state['events'] if e['chain'] == 'logit'}, {'x_cor'})   # never leaves warm-up
    ex.knob_widgets['warmup'].value = 0.
    fct.test_eq(ex.state['nfe']['classifier'], 1 + 4 - 1)                # trusts x_hat0 from the second logit step
    ex.strategy.value = 'alternating'; ex.knob_widgets['rounds'].value = 2
    fct.test_eq(ex.state['knobs'], dict(rounds=2)); fct.test_eq(ex.state['nfe']['signal'], 8)
    ex.strategy.value = 'nested'; ex.knob_widgets['refreshes'].value = 1
    fct.test_eq(ex.state['knobs'], dict(refreshes=1)); fct.test_eq(ex.state['nfe']['signal'], 8)
    # the scrubber only redraws: same run, another frame
    res = ex.state['result']
    ex.scrubber.value = 1                                                  # the scrubber counts evaluations from 1
    assert ex.state['result'] is res and ex.state['frame'] == 0 and ex.frame_info.value.startswith('evaluation 1/12: signal')
    # compare all: progress bar runs to the end, score against cost for every strategy
    ex.compare_n.value = 8; ex.compare_button.click()
    c = ex.compare_state
    fct.test_eq((c['n'], c['steps'], c['kind']), (8, 4, 'pixels')); fct.test_eq(len(c['rows']), len(strategy_order()))
    fct.test_eq(ex.progress.value, ex.progress.max); assert 'Nested' in ex.compare_info.value
    assert ex.compare_info.value.startswith('accuracy: ')

def test_explorer_samplers(ex):
    "One menu per chain, with every sampler of SAMPLERS, starting at coupling's default; the view says which it shows."
    fct.test_eq(set(ex.sampler_widgets), {'signal', 'logit'})
    for c, d in ex.sampler_widgets.items(): fct.test_eq((list(d.options), d.value), (list(SAMPLERS), C.chain_samplers({})[c]))
    fct.test_eq(ex.state['sampler'], dict(signal='posterior_mean', logit='posterior_mean'))
    p = ex.state['probs']
    ex.sampler_widgets['logit'].value = 'ddpm'
    fct.test_eq(ex.state['sampler'], dict(signal='posterior_mean', logit='ddpm')); fct.test_ne(ex.state['probs'], p)
    assert 'sampler signal=posterior_mean, logit=ddpm' in ex.summary.value
    ex.scrubber.value = 1; assert ex.frame_info.value.startswith('evaluation 1/6: logit chain (ddpm)')
    ex.scrubber.value = 2; assert ex.frame_info.value.startswith('evaluation 2/6: signal chain (posterior_mean)')
    ex.sampler_widgets['signal'].value = 'ddim'; assert 'sampler signal=ddim, logit=ddpm' in ex.summary.value
    ex.strategy.value = 'card'                                             # no signal chain: the view names only the logit's
    assert 'sampler logit=ddpm,' in ex.summary.value and 'signal=' not in ex.summary.value
    ex.compare_n.value = 4; ex.compare_button.click(); fct.test_eq(ex.compare_state['sampler'], dict(signal='ddim', logit='ddpm'))
    e2 = Explorer({'tiny': ex.current_task}, steps=STEPS, draw=False, sampler='signal=ddim')
    fct.test_eq(e2.sampler, dict(signal='ddim', logit='posterior_mean')); fct.test_eq(e2.state['sampler'], e2.sampler)

def test_explorer_cache(ex, monkeypatch):
    "Going back to a setting takes its run from the cache; any control that changes the run misses it."
    calls = []
    real = E.explore_sample
    monkeypatch.setattr(E, 'explore_sample', lambda *a, **k: calls.append(a) or real(*a, **k))
    first = ex.state
    ex.sample.value = 4; ex.sample.value = 0
    fct.test_eq(len(calls), 1); assert ex.state is first                  # back to sample 0: no new run
    for c, v in ((ex.level, .5), (ex.steps, 4), (ex.seed, 3), (ex.sampler_widgets['signal'], 'ddim'),
                 (ex.knob_widgets['warmup'], .2)):
        n = len(calls); c.value = v; fct.test_eq(len(calls), n + 1)
    n = len(calls); ex.knob_widgets['rounds'].value = 3; fct.test_eq(len(calls), n)   # Parallel does not take rounds
    small = Explorer({'tiny': ex.current_task}, steps=2, draw=False, cache=2)
    for i in range(1, 5): small.sample.value = i
    fct.test_eq(len(small._runs), 2)

def test_new_strategy_and_knob_show_up(tiny, monkeypatch):
    "A strategy and a knob registered in coupling appear in the explorer with no edit to it: button, slider, the run."
    def wobble(r, wiggle:int=2):                                           # Enhanced, `wiggle` trajectories in a row
        for _ in range(wiggle): x_hat0 = C.x_run(r, None, 'null')
        return x_hat0, r.classify(x_hat0)
    monkeypatch.setitem(C.STRATEGIES, 'wobble', C.Strategy(wobble, 'Wobble', 'enhancer'))   # one registry entry: runs on the enhancer
    monkeypatch.setitem(C.KNOBS, 'wiggle', C.Knob(2, 1, 6, 'Wobble: signal trajectories in a row'))
    ex = Explorer({'tiny': tiny}, steps=STEPS, draw=False)
    fct.test_eq(list(ex.strategy.options)[-1], ('Wobble', 'wobble'))
    c = ex.knob_widgets['wiggle']
    fct.test_eq((c.value, c.min, c.max, c.description), (2, 1, 6, 'wiggle')); assert 'trajectories in a row' in c.tooltip
    fct.test_eq(c.layout.display, 'none')                                  # Parallel is shown: not its knob
    ex.strategy.value = 'wobble'
    fct.test_eq(c.layout.display, None); fct.test_eq(ex.knob_widgets['warmup'].layout.display, 'none')
    fct.test_eq(ex.state['knobs'], dict(wiggle=2)); fct.test_eq(ex.state['nfe']['signal'], 2*STEPS)
    c.value = 4; fct.test_eq(ex.state['knobs'], dict(wiggle=4)); fct.test_eq(ex.state['nfe']['signal'], 4*STEPS)
    assert 'Wobble (wiggle=4)' in ex.summary.value
    ex.compare_n.value = 4; ex.compare_button.click(); assert 'wobble' in [r['strategy'] for r in ex.compare_state['rows']]

def test_explorer_draws(tiny):
    "With drawing on, every change that shows something renders new pictures (kept as PNG bytes in .pngs)."
    ex = Explorer({'tiny': tiny}, steps=STEPS, compare_n=4)
    fct.test_eq(set(ex.pngs), {'signal', 'beliefs'}); first = dict(ex.pngs)
    ex.sample.value = 9; fct.test_ne(ex.pngs['signal'], first['signal'])
    beliefs = ex.pngs['beliefs']; ex.scrubber.value = 1; fct.test_ne(ex.pngs['beliefs'], beliefs)
    ex.strategy.value = 'card'; ex.compare_button.click()
    assert ex.pngs['compare'].startswith(b'\x89PNG')

def test_explorer_task_switch(ex):
    ex.sample.value = 5; ex.strategy.value = 'nested'
    ex.task.value = 'narrow'
    st = ex.state
    fct.test_eq((st['task'], st['index'], st['strategy'], st['kind'], st['level']), ('narrow', 0, 'enhanced', 'gaussian', .4))
    fct.test_eq([v for _, v in ex.strategy.options], ['enhanced', 'parallel']); fct.test_eq(list(ex.kind.options), ['gaussian'])
    fct.test_eq((ex.level.min, ex.level.max, ex.steps.max), (0., .8, 12))
    assert f"truth: <b>{'abcdefghij'[st['label']]}</b>" in ex.summary.value
    ex.steps.value = 12; fct.test_eq(ex.state['nfe']['signal'], 12)
    ex.task.value = 'tiny'; fct.test_eq((ex.state['task'], ex.state['kind']), ('digits', 'pixels')); fct.test_eq(ex.steps.max, 100)

def test_explorer_shows_errors(tiny):
    class Failing(ImageView):
        def run(self, *a, **k): raise RuntimeError('denoiser exploded')
    ex = Explorer({'bad': Failing('digits', models=tiny.models)}, steps=STEPS)
    assert 'denoiser exploded' in ex.state['error'] and 'denoiser exploded' in ex.summary.value
    ex.compare_button.click(); assert 'denoiser exploded' in ex.compare_info.value

def test_explorer_notebook_and_explore(tmp_path, monkeypatch):
    nb = explorer_notebook(tmp_path/'e.ipynb')
    import json; d = json.loads(nb.read_text())
    fct.test_eq(d['metadata']['kernelspec']['name'], 'python3'); assert 'Explorer()' in d['cells'][0]['source']
    real = ES.importlib.util.find_spec
    monkeypatch.setattr(ES.importlib.util, 'find_spec', lambda n, *a: None if n == 'voila' else real(n, *a))
    fct.test_fail(lambda: ES.explore(wait=False), contains='pip install voila')

@pytest.mark.skipif(not ET._ckpt('digits').exists(), reason='shipped digits checkpoint missing')
def test_explorer_shipped_digits():
    ex = Explorer(['digits'], steps=10)
    fct.test_eq(ex.state['task'], 'digits'); fct.test_eq(ex.state['nfe']['signal'], 10)
    ex.kind.value = 'pixels'; ex.level.value = .2; ex.strategy.value = 'card'
    assert ex.state['probs_final'].max() > .3

@pytest.mark.skipif('toy 2-D' not in available_tasks(), reason='cde_nb.toy missing')
def test_toy_task():
    ex = Explorer(['toy 2-D'], strategy='nested', steps=STEPS, draw=False)
    fct.test_eq((ex.state['task'], ex.state['kind'], ex.state['level']), ('toy 2-D', 'gaussian', 1.))
    fct.test_eq(ex.state['signal'].shape[1:], (2,)); fct.test_eq(ex.state['probs'].shape[-1], 3)
    fct.test_eq(list(ex.kind.options), ['gaussian'])
    p = ex.state['probs_final']; ex.level.value = 2.; fct.test_ne(ex.state['probs_final'], p)
    t = ex.current_task
    fct.test_fail(lambda: t.run('parallel', t.sample(0)[0]), contains='need the corruption')
    E._png(t.plot_trajectory(ex.state, 2))

def test_explorer_task_that_fails_to_load(tiny):
    register_task('_broken_load', lambda: 1/0, lambda: True, 'nothing')
    try:
        ex = Explorer({'tiny': tiny, '_broken_load': None}, steps=STEPS, draw=False)
        ex.task.value = '_broken_load'
        assert 'ZeroDivisionError' in ex.state['error'] and 'ZeroDivisionError' in ex.summary.value
        ex.task.value = 'tiny'; fct.test_eq(ex.state['task'], 'digits')
    finally: ET._TASKS.pop('_broken_load'); ET._MADE.pop('_broken_load', None)

@pytest.mark.skipif('mnist' not in available_tasks(), reason='shipped MNIST checkpoint or MNIST files missing')
def test_explorer_shipped_mnist():
    ex = Explorer(['mnist'], steps=STEPS, draw=False)
    fct.test_eq(ex.state['x0'].shape, (1, 28, 28)); fct.test_eq(ex.state['signal'].shape, (STEPS, 1, 28, 28))

# ---------------------------------------------------------------- speech
DIGITS = re.compile(r'[0-9]( [0-9])*')

@pytest.fixture(scope='module')
def tiny_speech():
    "Untrained small speech networks on the first six test strings: real shapes, no checkpoint, fast."
    if not ET._has_data('fsdd/recordings'): pytest.skip('no FSDD recordings (nor the fixture)')
    from cde_nb.speech import SpeechModels, SpeechConfig
    torch.manual_seed(0)
    return SpeechView(SpeechModels(SpeechConfig(base=8, hidden=16, rnn=16)), n_test=6, n_iter=2)

def test_wav_bytes():
    import soundfile, io
    b = wav_bytes(torch.linspace(-.2, .4, 800), 8000)
    x, sr = soundfile.read(io.BytesIO(b)); fct.test_eq((b[:4], sr, len(x)), (b'RIFF', 8000, 800))
    fct.test_close(abs(x).max(), .95, eps=1e-3)                            # peak-normalised
    fct.test_eq(soundfile.read(io.BytesIO(wav_bytes(torch.zeros(10), 8000)))[0], [0.]*10)   # silence stays silence

def test_speech_items(tiny_speech):
    t = tiny_speech
    x0, x_cor, infos = t.items([0, 3], 'pink', 5., seed=2)
    fct.test_eq(x0.shape, x_cor.shape); fct.test_eq(x0.shape[:3], (2, 1, 32)); fct.test_eq(x0.shape[-1] % 4, 0)
    fct.test_eq([i['label'] for i in infos], [t.strings[0]['digits'], t.strings[3]['digits']])
    fct.test_eq([i['n_frames'] for i in infos], [len(t.strings[k]['wave'])//t.cfg.hop + 1 for k in (0, 3)])
    _, x_one, (one,) = t.items([3], 'pink', 5., seed=2)                   # a string is corrupted on its own
    fct.test_eq(one['noisy_wave'], infos[1]['noisy_wave']); fct.test_eq(x_one[..., :one['n_frames']], x_cor[1:, ..., :one['n_frames']])
    fct.test_ne(t.noisy(3, 'pink', 5., seed=3), one['noisy_wave']); fct.test_ne(t.noisy(3, 'pink', 6., seed=2), one['noisy_wave'])
    assert [len(s['wave']) for s in t.strings] == sorted(len(s['wave']) for s in t.strings)   # shortest first, as the bench
    fct.test_eq(t.show([0, 4]), '0 4'); fct.test_eq(t.show([]), '(no digits)'); fct.test_eq(t.score([[1, 2]], [[1, 2, 3]]), 1/3)
    fct.test_eq(set(t.corruptions), {'white', 'pink', 'babble', 'reverb'}); fct.test_eq((t.units['white'], t.units['reverb']), ('dB', 's'))

@pytest.mark.parametrize('strategy', ['parallel', 'enhanced', 'card', 'nested'])
def test_speech_explore_sample(tiny_speech, strategy):
    s = explore_sample(tiny_speech, 1, 'babble', 5., strategy, STEPS, refreshes=1)
    n, T = len(s['events']), s['x0'].shape[-1]
    fct.test_eq(s['probs'].shape, (n, T, 11)); fct.test_eq(s['probs_final'].shape, (T, 11))
    fct.test_eq(s['label'], tiny_speech.strings[1]['digits']); assert s['correct'] == (s['pred'] == s['label'])
    for text in (s['texts']['label'], s['texts']['pred'], s['texts']['pred_noisy']):
        assert DIGITS.fullmatch(text) or text == '(no digits)', text
    if s['signal'] is not None: fct.test_eq(s['signal'].shape[1:], (1, 32, T)); fct.test_eq(s['restored_probs'].shape, (n, T, 11))
    assert s['confidence'] is None and 'babble 5 dB' in summary_html(s)
    for frame in (0, s['frame']):
        for fig in (tiny_speech.plot_trajectory(s, frame), tiny_speech.plot_beliefs(s, frame)): E._png(fig)

def test_speech_in_the_explorer(tiny, tiny_speech):
    "Pick the speech task, step through both chains, listen: players for the recordings and the current restoration."
    ex = Explorer({'tiny': tiny, 'speech': tiny_speech}, steps=STEPS, compare_n=4, draw=False)
    fct.test_eq(ex.audio, {})                                              # images: silent
    ex.task.value = 'speech'
    st = ex.state
    fct.test_eq((st['task'], st['kind'], st['level'], st['strategy']), ('fsdd', 'white', 5., 'parallel'))
    fct.test_eq(list(ex.kind.options), ['white', 'pink', 'babble', 'reverb']); fct.test_eq(ex.level.description, 'level (dB)')
    fct.test_eq((ex.sample.max, ex.steps.max), (5, tiny_speech.max_steps))
    fct.test_eq(list(ex.audio), ['clean', 'noisy', 'restored', 'clean, resynthesised'])
    for a in ex.audio.values(): assert a.value[:4] == b'RIFF' and a.format == 'wav' and not a.autoplay
    fct.test_eq(len(ex.media.children), 4)
    ex.scrubber.value = 2                                                  # the first signal step: its restoration
    assert ex.frame_info.value.startswith('evaluation 2/6: signal chain (posterior_mean)') and 'transcript so far: <b>' in ex.frame_info.value
    fct.test_eq(list(ex.audio), ['clean', 'noisy', 'restored', 'clean, resynthesised'])
    ex.scrubber.value = 1; assert 'restored' not in ex.audio and len(ex.media.children) == 3   # no restoration yet
    for frame in range(1, ex.scrubber.max + 1):
        ex.scrubber.value = frame
        so_far = re.search(r'transcript so far: <b>(.*?)</b>', ex.frame_info.value).group(1)
        assert DIGITS.fullmatch(so_far) or so_far == '(no digits)', so_far
    ex.kind.value = 'reverb'; fct.test_eq((ex.state['level'], ex.level.description), (.6, 'level (s)'))
    assert 'reverb 0.6 s' in ex.summary.value
    ex.strategy.value = 'card'; fct.test_eq(list(ex.audio), ['clean', 'noisy', 'clean, resynthesised'])   # restores nothing
    ex.sample.value = 4; fct.test_eq(ex.state['label'], tiny_speech.strings[4]['digits'])
    ex.compare_button.click(); c = ex.compare_state
    fct.test_eq((c['metric'], c['n']), ('WER', 4)); assert ex.compare_info.value.startswith('WER: ')
    ex.task.value = 'tiny'; fct.test_eq(ex.audio, {}); fct.test_eq(ex.media.children, ())

def test_speech_draws(tiny_speech):
    ex = Explorer({'speech': tiny_speech}, steps=2, strategy='nested')
    fct.test_eq(set(ex.pngs), {'signal', 'beliefs'}); first = dict(ex.pngs)
    ex.scrubber.value = 1; fct.test_ne(ex.pngs['signal'], first['signal']); fct.test_ne(ex.pngs['beliefs'], first['beliefs'])

@pytest.mark.skipif('fsdd' not in available_tasks(), reason='shipped speech checkpoint, FSDD recordings or torchaudio missing')
def test_explorer_shipped_speech():
    "The shipped speech models on the first test strings: the transcripts are digits, the chain gets a string right."
    ex = Explorer(['fsdd'], steps=5, draw=False)
    fct.test_eq(ex.state['task'], 'fsdd')
    t = ex.current_task; fct.test_eq(len(t), 300)
    right = 0
    for i in range(3):
        ex.sample.value = i
        assert DIGITS.fullmatch(ex.state['texts']['pred']), ex.state['texts']
        right += ex.state['correct']
    assert right >= 1, 'Parallel got none of the three shortest strings right at white 5 dB'
    assert 'white 5 dB' in ex.summary.value and 'sampler signal=posterior_mean, logit=posterior_mean' in ex.summary.value
    fct.test_eq(list(ex.audio)[:3], ['clean', 'noisy', 'restored'])
    last = bytes(ex.audio['restored'].value)
    ex.scrubber.value = 2                                                  # the first signal step: a rougher restoration
    assert ex.frame_info.value.startswith('evaluation 2/10: signal chain') and bytes(ex.audio['restored'].value) != last

# ---------------------------------------------------------------- cde-nb explore: ports, addresses, what is printed
import socket, time, importlib.util
from pathlib import Path

@pytest.fixture
def taken():
    "A port something is listening on."
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); s.listen(); yield s.getsockname()[1]

class FakePopen:
    "Stands in for subprocess.Popen: records the command, 'Voila' exits at once."
    def __init__(self, cmd, **kw): self.cmd, self.kw, self.pid, self.returncode = cmd, kw, None, 0; FakePopen.last = self
    def poll(self): return 0
    def wait(self, timeout=None): return 0

@pytest.mark.parametrize('port', [0, -1, 65536, 70000, 8866.0, '8866', None, True, [8866]])
def test_invalid_ports_are_refused_before_anything(port, monkeypatch, tmp_path):
    monkeypatch.setattr(ES.subprocess, 'Popen', lambda *a, **k: pytest.fail('started Voila'))
    monkeypatch.setattr(ES.tempfile, 'mkdtemp', lambda *a, **k: pytest.fail('made a temporary folder'))
    fct.test_fail(lambda: ES.explore(port, wait=False), contains=f'invalid port {port!r}: a port is a whole number from 1 to 65535')
    fct.test_fail(lambda: ES.choose_port(port), contains='invalid port')

def test_check_port_accepts_ints():
    import numpy as np
    fct.test_eq([ES.check_port(p) for p in (1, 8866, 65535, np.int64(9000))], [1, 8866, 65535, 9000])

def test_bad_ip_is_refused(monkeypatch):
    monkeypatch.setattr(ES.subprocess, 'Popen', lambda *a, **k: pytest.fail('started Voila'))
    fct.test_fail(lambda: ES.explore(ip='no-such-host.invalid', wait=False), contains="cannot serve on --ip 'no-such-host.invalid'")
    fct.test_fail(lambda: ES.explore(ip='203.0.113.7', wait=False), contains='it is not an address of this machine')
    fct.test_fail(lambda: ES.explore(ip=None, wait=False), contains='invalid --ip None')

def test_loopback():
    for ip in ('127.0.0.1', 'localhost', '127.0.0.2', '::1'): assert ES.is_loopback(ip), ip
    for ip in ('0.0.0.0', '', '::', '192.168.1.5', '10.0.0.1'): assert not ES.is_loopback(ip), ip

def test_busy_port_is_skipped(taken):
    assert not ES.port_is_free(taken)
    p = ES.choose_port(taken)
    assert p != taken and ES.port_is_free(p)
    fct.test_eq(ES.choose_port(p), p)                     # a free port is kept

def test_explore_serves_the_port_it_prints(taken, monkeypatch, capsys):
    monkeypatch.setattr(ES.subprocess, 'Popen', FakePopen)
    fct.test_eq(ES.explore(taken), 0)
    p, out = FakePopen.last, capsys.readouterr()
    assert p.port != taken
    fct.test_eq(p.cmd[p.cmd.index('--Voila.port_retries=0') - 1], f'--port={p.port}')  # Voila may not move to another port
    fct.test_eq(out.out, f'cde_nb explorer: http://127.0.0.1:{p.port}/ (Ctrl-C to stop)\n')
    assert f'port {taken} is in use' in out.err and f'serving on port {p.port}' in out.err and 'WARNING' not in out.err
    assert not p.notebook.parent.exists()                # stop removed the generated notebook

@pytest.mark.parametrize('ip,where', [('0.0.0.0', 'on every network interface'), ('', 'on every network interface'),
                                      ('::', 'on every network interface')])
def test_explore_warns_off_loopback(ip, where, monkeypatch, capsys):
    monkeypatch.setattr(ES.subprocess, 'Popen', FakePopen)
    try: ES.explore(ES.free_port(ip), ip=ip)
    except ValueError as e:
        if '::' in ip: pytest.skip(f'no IPv6 here: {e}')
        raise
    err = capsys.readouterr().err
    assert f'WARNING: cde_nb explorer is serving {where}' in err and 'can run code on this machine' in err, err
    assert f'--Voila.ip={ip}' in FakePopen.last.cmd
    w = ES.exposure_warning('192.168.1.5', 9000)
    assert 'serving on 192.168.1.5, an address other machines can reach' in w and 'port 9000' in w

def test_failed_start_leaves_nothing(monkeypatch, tmp_path):
    made = []
    real = ES.tempfile.mkdtemp
    monkeypatch.setattr(ES.tempfile, 'mkdtemp', lambda **k: made.append(real(**k)) or made[-1])
    def broken(*a, **k): raise OSError('no such interpreter')
    monkeypatch.setattr(ES.subprocess, 'Popen', broken)
    fct.test_fail(lambda: ES.explore(ES.free_port(), wait=False, log=tmp_path/'v.log'), contains='no such interpreter')
    assert made and not Path(made[0]).exists()

@pytest.mark.skipif(importlib.util.find_spec('voila') is None, reason='voila not installed')
def test_real_voila_serves_the_printed_port(taken, tmp_path, capsys):
    "Voila itself, on a busy port: it listens on the port explore printed (not on one it picked)."
    p = ES.explore(taken, wait=False, log=tmp_path/'voila.log')
    try:
        assert p.port != taken and f':{p.port}/' in capsys.readouterr().out
        t0 = time.time()
        while time.time() - t0 < 180:
            assert p.poll() is None, (tmp_path/'voila.log').read_text()[-2000:]
            with socket.socket() as s:
                if s.connect_ex(('127.0.0.1', p.port)) == 0: break
            time.sleep(.3)
        else: pytest.fail('Voila did not listen within 180 s:\n' + (tmp_path/'voila.log').read_text()[-2000:])
        while f':{p.port}/' not in (tmp_path/'voila.log').read_text() and time.time() - t0 < 180: time.sleep(.3)
        assert f'127.0.0.1:{p.port}/' in (tmp_path/'voila.log').read_text()
    finally: ES.stop(p)
    assert not p.notebook.parent.exists()

def test_colour_pictures():
    "CIFAR-10 in the explorer: colour mosaics, class names, the one corruption its bundle learned; without the bundle, a note of what to train."
    from dataclasses import replace
    from cde_nb.images import TASKS
    fct.test_eq(E._mosaic(torch.zeros(4, 3, 32, 32)).shape, (32, 4*33 - 1, 3))
    fct.test_eq(E._mosaic(torch.zeros(4, 1, 8, 8)).shape, (8, 4*9 - 1))
    torch.manual_seed(0)
    t = ImageView('cifar10', models=ImageModels(replace(TASKS['cifar10'], base=8, hidden=32, width=8, cls_width=8)), corruptions=('pixels_meanstd',))
    ex = Explorer({'cifar': t}, steps=2, compare_n=4)
    fct.test_eq(set(ex.pngs), {'signal', 'beliefs'})
    fct.test_eq((t.classes[0], list(t.corruptions)), ('airplane', ['pixels_meanstd']))
    if 'cifar10' in unavailable_tasks(): assert 'cde-nb train --task cifar10 --corruption pixels_meanstd --level 0.3' in unavailable_tasks()['cifar10']

def test_cifar_offers_each_bundle_it_finds(monkeypatch):
    "The registered CIFAR-10 task offers the kind of every bundle trained for one of the paper's corruptions that is in the checkpoint folder."
    import cde_nb.explorer_tasks as ET, cde_nb.images as I
    from cde_nb.images import bundle_path
    found = ET._bundles('cifar10')
    assert ('pixels_meanstd', .3) in found                      # shipped
    fct.test_eq({kl: p.name for kl, p in found.items()},
                {kl: bundle_path('cifar10', *kl).name for kl in [('pixels_meanstd', .15), ('pixels_meanstd', .3), ('blur', 2.)] if bundle_path('cifar10', *kl).exists()})
    monkeypatch.setattr(I, 'CKPT_DIR', I.CKPT_DIR/'nowhere')   # no bundle: the task is left out, with what to train
    fct.test_eq(ET._bundles('cifar10'), {})
    assert 'cifar10' not in ET.available_tasks() and 'cde-nb train --task cifar10' in ET.unavailable_tasks()['cifar10']

def test_mnist_full_offers_the_bundles_of_the_training_digits(monkeypatch):
    "'mnist full' offers every bundle trained on MNIST's training digits (`--data full`) that is in the checkpoint folder, and runs on all 10,000 test digits."
    import cde_nb.explorer_tasks as ET, cde_nb.images as I
    from cde_nb.images import bundle_path
    found = ET._bundles('mnist', 'full')
    assert ('pixels_meanstd', .3) in found and found[('pixels_meanstd', .3)].name == 'mnist_pixels_meanstd_0.3_full.pt'   # shipped
    assert all(p.name.endswith('_full.pt') for p in found.values())
    fct.test_eq(set(found) & set(ET._bundles('mnist')), {kl for kl in found if bundle_path('mnist', *kl).exists()})
    if 'mnist full' in ET.available_tasks():
        v = ET.get_task('mnist full')
        from cde_nb.data import load_mnist, using_fixture
        fct.test_eq((v.name, v.models.cfg.data, len(v)), ('mnist full', 'full', len(load_mnist('all')[1])))   # every test digit
        if not using_fixture('mnist'): fct.test_eq(len(v), 10_000)
    monkeypatch.setattr(I, 'CKPT_DIR', I.CKPT_DIR/'nowhere')   # no bundle: left out, with what to train
    fct.test_eq(ET._bundles('mnist', 'full'), {})
    assert 'mnist full' not in ET.available_tasks() and '--data full' in ET.unavailable_tasks()['mnist full']

def test_explore_stopped_by_sigterm_cleans_up(tmp_path):
    "`kill` (SIGTERM) on `cde-nb explore` stops it like Ctrl-C: the server process ends and the temporary notebook folder is removed."
    import subprocess, sys, signal, time, tempfile, glob, os
    child = ("import sys, subprocess, cde_nb.explorer_server as ES\n"
             "real = subprocess.Popen\n"
             "ES.subprocess.Popen = lambda cmd, **kw: real([sys.executable, '-c', 'import time; time.sleep(120)'], **kw)   # Voila's stand-in\n"
             "ES.explore(port=ES.choose_port(18866, '127.0.0.1'))\n")
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), 'cde_nb_explorer_*')))
    p = subprocess.Popen([sys.executable, '-c', child], stdout=subprocess.PIPE, text=True)
    assert 'cde_nb explorer:' in p.stdout.readline()                      # serving
    made = set(glob.glob(os.path.join(tempfile.gettempdir(), 'cde_nb_explorer_*'))) - before
    fct.test_eq(len(made), 1)
    p.send_signal(signal.SIGTERM); p.wait(30)
    assert not any(os.path.exists(d) for d in made)                       # its folder is gone
