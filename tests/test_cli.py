"The `cde-nb` console script, end to end on tiny sizes."
import json, subprocess, sys, pytest
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

def test_bench_mixed_bundle(tmp_path):
    "--mixed benches the task's mixed bundle where the corruption has its own, and the record says which it used."
    for flag, name in (([], 'mnist_pixels_meanstd_0.3.pt'), (['--mixed'], 'mnist.pt')):
        out = tmp_path/f'{name}.json'
        main(['bench', '--task', 'mnist', '--corruption', 'pixels_meanstd', '--level', '0.3', '--methods', 'noisy', '--n-test', '4',
              '--out', str(out), '--quiet', *flag])
        fct.test_eq(json.loads(out.read_text())['models'], name)

def test_demo_small(tmp_path, capsys):
    fig = tmp_path/'demo.png'
    main(['demo', '--n-test', '20', '--steps', '3', '--fig', str(fig), '--quiet'])
    assert fig.stat().st_size > 1000
    out = capsys.readouterr().out
    for m in ('noisy', 'clean', 'enhanced', 'card', 'regression', 'retrained', 'parallel', 'alternating', 'nested'):
        assert f'| {m} |' in out

def test_bad_arguments():
    fct.test_fail(lambda: parser().parse_args(['bench', '--task', 'cifar']), exc=SystemExit)
    fct.test_fail(lambda: main(['bench', '--methods', 'noisy,bogus', '--n-test', '5', '--quiet']), exc=SystemExit, contains='valid methods')

def test_user_errors_are_one_line(tmp_path):
    "A user's mistake ends with one line naming the problem, before any compute; --debug shows the exception itself."
    cases = [(['bench', '--n-test', '0'], 'n_test must be an int >= 1'),
             (['bench', '--n-test', '-5'], 'n_test must be an int >= 1'),
             (['bench', '--level', 'inf'], 'level must be a finite number'),
             (['bench', '--level', '1.5'], 'frac'),
             (['bench', '--warmup', '5'], 'warmup=5.0 is out of range'),
             (['bench', '--refreshes', '-1', '--methods', 'nested'], 'refreshes=-1 is out of range'),
             (['bench', '--sampler', 'euler'], 'valid samplers'),
             (['bench', '--task', 'fsdd', '--corruption', 'pixels'], 'its corruptions are white'),
             (['bench', '--out', '/proc/no/such/r.json'], 'cannot'),
             (['bench', '--out', str(tmp_path)], 'is a folder'),
             (['demo', '--fig', '/proc/no/such/d.png'], 'cannot'),
             (['train', '--epochs', '0'], '--epochs must be an int >= 1'),
             (['train', '--task', 'fsdd', '--level', '2'], 'not used by --task fsdd'), (['train', '--lr', '5'], '--lr must be a learning rate in (0, 1)'),
             (['train', '--mults', '1,x'], 'takes comma-separated ints'), (['train', '--task', 'fsdd', '--preset', 'paper'], 'not used by --task fsdd'),
             (['bench', '--task', 'toy', '--preset', 'paper'], '--preset is not used by --task toy (it is for --task digits, mnist, cifar10)'),
             (['bench', '--task', 'fsdd', '--mixed'], '--mixed is not used by --task fsdd'),
             (['bench', '--task', 'mnist', '--preset', 'paper', '--corruption', 'blur', '--level', '2'], 'make it with `cde-nb train --task mnist --preset paper')]
    for argv, msg in cases:
        fct.test_fail(lambda: main(argv + ['--quiet']), msg=' '.join(argv), exc=SystemExit, contains=msg)
    fct.test_fail(lambda: main(['bench', '--n-test', '0', '--quiet', '--debug']), exc=ValueError, contains='n_test')

def test_emulated_bf16_warns_in_one_line(tmp_path, capsys, monkeypatch):
    "bf16 asked for on a CPU without it runs (emulated, tens of times slower): the command says so in one line before computing."
    import cde_nb.training as T
    for native in (True, False):
        monkeypatch.setattr(T, 'native_bf16', lambda d='cpu', native=native: native)
        main(['bench', '--task', 'digits', '--methods', 'noisy', '--n-test', '5', '--precision', 'bf16', '--out', str(tmp_path/'r.json'), '--quiet'])
        err = capsys.readouterr().err
        fct.test_eq(err.count("cde-nb bench: warning: precision 'bf16' on this CPU is emulated"), 0 if native else 1)
    assert 'Traceback' not in err and "use 'auto'" in err

def test_table_errors_name_the_file(tmp_path):
    bad, notrec = tmp_path/'bad.json', tmp_path/'other.json'
    bad.write_text('{oops'); notrec.write_text('{"a": 1}')
    fct.test_fail(lambda: main(['table', str(bad)]), exc=SystemExit, contains=f'{bad} is not JSON')
    fct.test_fail(lambda: main(['table', str(notrec)]), exc=SystemExit, contains=f'{notrec} is not a bench record')
    fct.test_fail(lambda: main(['table', str(tmp_path/'none.json')]), exc=SystemExit, contains='no such file')

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
                  exc=SystemExit, contains="unknown speaker 'nobody' to hold out: the speakers are ")   # the list, not a command that would fail too
    fct.test_fail(lambda: main(['bench', '--task', 'fsdd', '--holdout', 'george', '--n-test', '2', '--quiet', '--models', 'x.pt']),
                  exc=SystemExit, contains='leave out --holdout')

def test_train_never_overwrites_an_installed_package(monkeypatch):
    "Installed with pip (site-packages), `train` without --out refuses before any compute, instead of overwriting a shipped bundle."
    import cde_nb
    monkeypatch.setattr(cde_nb, '__file__', '/usr/lib/python3.11/site-packages/cde_nb/__init__.py')
    with pytest.raises(SystemExit, match='give --out FILE'): main(['train', '--task', 'digits', '--quiet'])

def test_frontier_refuses_records_of_another_sampler(tmp_path):
    "A sweep and its DDPM twin are two settings: refused with both described, not drawn as one."
    with pytest.raises(SystemExit, match=r'these files hold 2: .*posterior_mean.*: results/mnist_pixels_meanstd_0.3_steps150.json; .*ddpm.*steps150_ddpm.json') as e:
        main(['frontier', 'results/mnist_pixels_meanstd_0.3_steps150.json', 'results/mnist_pixels_meanstd_0.3_steps150_ddpm.json', '--fig', str(tmp_path/'f.png')])
    assert 'ddpm' in str(e.value)
