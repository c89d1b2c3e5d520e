"Adding a strategy is one registry entry: it shows up in the CLI's flags and help, the tasks' methods, bench and the explorer."
import torch
import fastcore.test as fct
from cde_nb.cli import parser
from cde_nb.images import bench, ImageTask
from cde_nb.speech import SpeechTask

def test_a_new_strategy_and_knob_reach_every_front_end(wobble):   # tests/conftest.py registers 'wobble' and its knob 'wiggle'
    p = parser()
    b = p.parse_args(['bench', '--methods', 'noisy,wobble', '--wiggle', '3'])
    fct.test_eq(b.wiggle, 3)
    help_text = next(a for a in p._subparsers._group_actions[0].choices['bench']._actions if a.dest == 'methods').help
    assert 'wobble (Wobble)' in help_text
    assert 'wobble' in ImageTask().methods and SpeechTask().pairs['wobble'] == 'enhancer'
    rec = bench('digits', 'pixels', .3, 'noisy,wobble', n_test=8, steps=2, progress=False, wiggle=3)
    fct.test_eq(rec['results']['wobble']['nfe']['signal'], 6)   # 3 trajectories of 2 steps
    fct.test_eq(rec['options']['wiggle'], 3)
    fct.test_fail(lambda: bench('digits', 'pixels', .3, 'wobble', n_test=8, steps=2, progress=False, wiggle=9), contains='wiggle=9 is out of range')
    from cde_nb.explorer import Explorer, strategy_label, knob_names
    fct.test_eq((strategy_label('wobble'), knob_names('wobble')), ('Wobble', ('wiggle',)))
