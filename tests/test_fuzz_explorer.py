"""Random sequences of what a user can do with the explorer's controls (every slider anywhere in its range, every menu
entry, the buttons, switching tasks): each either shows a run that agrees with the controls or a one-line error in
the summary, never an exception out of a callback."""
import pytest, torch
from hypothesis import given, settings, strategies as st, HealthCheck
from cde_nb.explorer import Explorer, ImageView
from cde_nb.images import ImageModels, ImageConfig
from test_explorer import Narrow   # a second task with fewer strategies: switching tasks reconfigures every control

torch.manual_seed(0)
TINY = ImageView('digits', models=ImageModels(ImageConfig(base=8, hidden=32, width=8, cls_width=8)))

EX = Explorer({'tiny': TINY, 'narrow': Narrow(TINY.models)}, steps=3, compare_n=4, draw=False)
SLIDERS = ['sample', 'level', 'steps', 'seed', 'scrubber', 'compare_n']

def widget(name):
    if name.startswith('knob '): return EX.knob_widgets[name[5:]]
    if name.startswith('sampler '): return EX.sampler_widgets[name[8:]]
    return getattr(EX, name)

def options(d):
    return [o[1] if isinstance(o, tuple) else o for o in d.options]

action = st.one_of(
    st.tuples(st.sampled_from(SLIDERS + [f'knob {k}' for k in EX.knob_widgets]), st.floats(0, 1)),   # where in the range
    st.tuples(st.sampled_from(['task', 'kind', 'strategy', 'sampler signal', 'sampler logit']), st.integers(0, 10)),
    st.tuples(st.sampled_from(['random', 'compare_button']), st.just(0)))

def do(name, where):
    w = widget(name)
    if name in ('random', 'compare_button'): w.click(); return
    if hasattr(w, 'options'):
        opts = options(w)
        if opts: w.value = opts[int(where) % len(opts)]
        return
    lo, hi = w.min, w.max
    v = lo + where*(hi - lo)
    w.value = round(v) if isinstance(w.value, int) else v

def check_shown():
    s = EX.state
    if 'error' in s: assert s['error'] and ':' in s['error'] and 'color:#c00' in EX.summary.value; return
    assert s['strategy'] == EX.strategy.value and s['steps'] == EX.steps.value and s['seed'] == EX.seed.value
    assert s['kind'] == EX.kind.value and abs(s['level'] - EX.level.value) < 1e-9
    assert EX.scrubber.max == len(s['events'])

@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, min_size=1, max_size=6))
def test_any_sequence_of_controls(actions):
    for name, where in actions:
        do(name, where)      # an exception here would reach the user as a traceback under the widget
        check_shown()
