"""Every flag of `cde-nb bench` and `cde-nb train` either changes what the command produces or is refused with a
message: none is accepted and ignored. The walk reads the flags from the parser, so a new flag without a value to try
here fails the test until it gets one."""
import json, pytest, torch
import fastcore.test as fct
from cde_nb.cli import main, parser
from tests.test_tasks import LearnedToy, learned_toy   # a tiny trainable task, registered for the walk of `train`
from cde_nb.training import native_bf16

def flags(cmd):
    sub = parser()._subparsers._group_actions[0].choices[cmd]
    return [a for a in sub._actions if a.option_strings and a.dest != 'help']

def _strip(rec):
    "A record without what differs between two identical runs (commit, version, timings)."
    rec = {k: v for k, v in rec.items() if k not in ('commit', 'version')}
    rec['results'] = {m: {k: v for k, v in r.items() if k not in ('seconds', 'items_per_s')} for m, r in rec['results'].items()}
    return rec

def _outcome(argv, out):
    "'refused' (a one-line error), or the record(s) written to `out`, stripped."
    try: main(argv + ['--quiet', '--out', str(out)])
    except SystemExit as e: return 'refused' if str(e.code).startswith('cde-nb ') else f'exit {e.code}'
    files = sorted(out.parent.glob(out.stem + '*.json'))
    return [_strip(json.loads(f.read_text())) for f in files]

NOT_OUTPUT = {'--device': 'the same computation on another device', '--quiet': 'progress bars only', '--debug': 'tracebacks only',
              '--out': 'where the output goes', '--task': 'the task the walk runs on'}
BENCH_TRIES = {'--seed': ['1'], '--corruption': ['blur'], '--level': ['0.5'], '--methods': ['noisy,parallel'], '--n-test': ['30'],
               '--steps': ['3'], '--sweep-steps': ['1,2'], '--nfe-budget': ['12'], '--samples': ['2'], '--warmup': ['0.2'],
               '--rounds': ['2'], '--refreshes': ['2'], '--sampler': ['ddpm'], '--split': ['valid'],
               '--precision': ['fp32' if native_bf16() else 'bf16'],   # the one that bench's default ('auto') does not pick here
               '--models': ['x.pt'], '--world': ['pictures'], '--denoisers': ['learned'], '--holdout': ['george'], '--data': ['full'],
               '--preset': ['paper'], '--mixed': [], '--compile': []}

def test_every_bench_flag_is_used_or_refused(tmp_path, monkeypatch):
    import cde_nb.toy as T
    toy_bench = T.toy_bench
    monkeypatch.setattr(T, 'toy_bench', lambda *a, **k: toy_bench(*a, **{'n_train': 400, 'epochs': 2, 'n_bayes': 2000, **k}))   # quick learned denoisers
    base = ['bench', '--task', 'toy', '--n-test', '20', '--steps', '2', '--methods', 'noisy,enhanced,parallel,alternating,nested']
    (tmp_path/'ref').mkdir(); ref = _outcome(base, tmp_path/'ref'/'r.json')
    assert isinstance(ref, list) and len(ref) == 1
    for a in flags('bench'):
        f = a.option_strings[-1]
        if f in NOT_OUTPUT: continue
        assert f in BENCH_TRIES, f"bench flag {f} has no value to try in tests/test_flag_walk.py: add one (or say why it changes no output)"
        d = tmp_path/f.strip('-'); d.mkdir()
        b = base if f not in ('--sweep-steps', '--nfe-budget') else base[:base.index('--steps')] + base[base.index('--steps') + 2:]   # they choose the steps
        got = _outcome(b + [f, *BENCH_TRIES[f]], d/'r.json')
        assert got == 'refused' or (isinstance(got, list) and got != ref), f"bench {f} {' '.join(BENCH_TRIES[f])} was accepted and changed nothing"

TRAIN_TRIES = {'--seed': ['3'], '--T': ['30'], '--schedule': ['linear'], '--pred': ['x0'], '--base': ['8'], '--mults': ['1,2,2'],
               '--epochs-cls': ['3'], '--lr-cls': ['2e-3'], '--bs-cls': ['32'], '--epochs': ['3'], '--lr': ['2e-3'], '--bs': ['32'],
               '--ema': ['0.9'], '--cond-rounds': ['2'], '--cond-steps': ['5'], '--corruption': ['blur'], '--level': ['2'],
               '--epochs-signal': ['3'], '--data': ['full'], '--preset': ['paper'], '--precision': ['bf16'], '--holdout': ['george'],
               '--restart': []}

def _trained(argv, out):
    "'refused', or the stored config and weights of the checkpoint written."
    try: main(argv + ['--quiet', '--out', str(out)])
    except SystemExit as e: return 'refused' if str(e.code).startswith('cde-nb ') else f'exit {e.code}'
    ck = torch.load(out, weights_only=True)
    return ck['config'], {k: v for k, v in ck['state_dict'].items()}

def _same(a, b):
    return a[0] == b[0] and a[1].keys() == b[1].keys() and all(torch.equal(a[1][k], b[1][k]) for k in a[1])

def test_every_train_flag_is_used_or_refused(learned_toy, tmp_path):
    base = ['train', '--task', 'learned_toy']
    ref = _trained(base, tmp_path/'ref.pt')
    assert ref != 'refused'
    unused = {'--restart': 'starts over instead of resuming; with no state to resume the run is the same (tests/test_resume.py covers resuming)',
              '--switch-precision': 'lets a state of the other precision continue; with no state the run is the same (tests/test_resume.py covers it)',
              '--compile': 'the same training through compiled networks: the same weights up to rounding (01b_training tests it)'}
    for a in flags('train'):
        f = a.option_strings[-1]
        if f in NOT_OUTPUT or f in unused: continue
        assert f in TRAIN_TRIES, f"train flag {f} has no value to try in tests/test_flag_walk.py: add one (or say why it changes no output)"
        got = _trained(base + [f, *TRAIN_TRIES[f]], tmp_path/f"{f.strip('-')}.pt")
        assert got == 'refused' or not _same(got, ref), f"train {f} {' '.join(TRAIN_TRIES[f])} was accepted and changed nothing"

def test_every_flag_says_what_it_does():
    "`cde-nb CMD --help` explains every option: a flag with no help text fails here, naming the command and the flag."
    cmds = parser()._subparsers._group_actions[0].choices
    silent = [f"{c} {a.option_strings[-1]}" for c, sub in cmds.items() for a in sub._actions if a.option_strings and not a.help]
    fct.test_eq(silent, [])
