"The `cde-nb` console script, end to end on tiny sizes."
import json, subprocess, sys
import fastcore.test as fct
from cde_nb.cli import main, parser

def test_help_lists_commands():
    out = subprocess.run([sys.executable, '-c', 'from cde_nb.cli import main; main()', '--help'], capture_output=True, text=True)
    for c in ('demo', 'train', 'bench'): assert c in out.stdout

def test_bench_writes_json(tmp_path, capsys):
    out = tmp_path/'b.json'
    main(['bench', '--task', 'digits', '--methods', 'noisy,clean,enhanced,card', '--n-test', '20', '--steps', '3',
          '--out', str(out), '--quiet'])
    rec = json.loads(out.read_text())
    fct.test_eq(list(rec['results']), ['noisy', 'clean', 'enhanced', 'card'])
    assert '| card |' in capsys.readouterr().out

def test_demo_small(tmp_path, capsys):
    fig = tmp_path/'demo.png'
    main(['demo', '--n-test', '20', '--steps', '3', '--fig', str(fig), '--quiet'])
    assert fig.stat().st_size > 1000
    out = capsys.readouterr().out
    for m in ('noisy', 'clean', 'enhanced', 'card', 'regression', 'retrained', 'parallel', 'alternating', 'nested'):
        assert f'| {m} |' in out

def test_bad_arguments():
    fct.test_fail(lambda: parser().parse_args(['bench', '--task', 'cifar']), exc=SystemExit)
    fct.test_fail(lambda: main(['bench', '--methods', 'noisy,bogus', '--n-test', '5', '--quiet']), contains='valid methods')

def test_speech_bench_on_validation(tmp_path):
    out = tmp_path/'s.json'
    main(['bench', '--task', 'fsdd', '--corruption', 'white', '--level', '5', '--methods', 'noisy,clean',
          '--n-test', '3', '--split', 'valid', '--out', str(out), '--quiet'])
    rec = json.loads(out.read_text())
    fct.test_eq((rec['split'], rec['holdout'], rec['n_test']), ('valid', None, 3))

def test_holdout_only_for_speech():
    fct.test_fail(lambda: main(['train', '--task', 'digits', '--holdout', 'theo', '--quiet']), exc=SystemExit)
    fct.test_fail(lambda: main(['bench', '--task', 'digits', '--holdout', 'theo', '--quiet']), exc=SystemExit)
    fct.test_fail(lambda: main(['bench', '--task', 'fsdd', '--holdout', 'nobody', '--n-test', '2', '--quiet']),
                  contains='--holdout nobody')
