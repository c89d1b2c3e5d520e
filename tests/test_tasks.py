"A task of your own plugs into every command: registered in this file, with no package file touched, it trains, benches and tabulates through `cde-nb`."
import json, pytest
import fastcore.test as fct
from cde_nb.cli import main, parser
from cde_nb.tasks import TaskEntry, TASKS, register_task, with_flags
from cde_nb.toy import ToyConfig, ToyModels, make_world, train_toy, toy_bench
from cde_nb.checkpoint import save_checkpoint, load_checkpoint

class LearnedToy(TaskEntry):
    "The 2-D Gaussian world with small learned denoisers: trained, saved and loaded like a real task."
    folder = None
    def config(self, flags, corruption=None, level=None):
        return with_flags(ToyConfig('pictures', n_train=256, hidden=16, epochs_cls=2, epochs=2, T=20), flags)
    def train(self, cfg, progress=True, device='cpu', log=print, precision='fp32'):
        if precision != 'fp32': raise ValueError(f"--precision {precision}: the toy's learned denoisers train in fp32 only")   # refused, not ignored
        return train_toy(make_world(cfg.world, self.level), cfg)
    def save(self, M, path, **extra): save_checkpoint(path, M.nets.state_dict(), M.cfg.to_dict(), **extra); M.metrics = {}
    def load(self, path=None, device='cpu', corruption=None, level=None):
        state, stored, _ = load_checkpoint(path or self.bundle_path())
        M = ToyModels(make_world('pictures', level), ToyConfig.from_dict(stored))
        M.nets.load_state_dict(state)
        for v in M.nets.values(): v.eval().requires_grad_(False)
        return M
    def bundle_path(self, corruption=None, level=None): return self.folder/'learned_toy.pt'
    def bench(self, models, options, corruption, level, device='cpu', **kw):
        return toy_bench(level, world='pictures', denoisers='learned', models=models, n_bayes=2000, **kw)

@pytest.fixture
def learned_toy(tmp_path):
    e = register_task(LearnedToy('learned_toy', 'a toy with learned denoisers', ('gaussian',), 'gaussian', 0.5, n_test=100))
    e.folder = tmp_path
    yield e
    del TASKS['learned_toy']

def test_your_task_in_every_command(learned_toy, tmp_path, capsys):
    for cmd in ('train', 'bench'):
        with pytest.raises(SystemExit): main([cmd, '--help'])
        assert 'learned_toy: a toy with learned denoisers' in ' '.join(capsys.readouterr().out.split())
    main(['train', '--task', 'learned_toy', '--epochs', '3', '--quiet'])                           # to the task's own bundle path
    fct.test_eq(LearnedToy.load(learned_toy, level=.5).cfg.epochs, 3)                                  # the flag reached the config
    rec = tmp_path/'r.json'
    main(['bench', '--task', 'learned_toy', '--methods', 'noisy,enhanced,parallel', '--steps', '3', '--quiet', '--out', str(rec)])
    r = json.loads(rec.read_text())
    fct.test_eq((r['task'], r['n_test'], r['level'], r['denoisers']), ('toy', 100, 0.5, 'learned'))   # the task's defaults
    mine = tmp_path/'mine.pt'
    main(['train', '--task', 'learned_toy', '--out', str(mine), '--quiet'])
    main(['bench', '--task', 'learned_toy', '--models', str(mine), '--methods', 'noisy', '--quiet', '--out', str(tmp_path/'r2.json')])
    capsys.readouterr(); main(['table', str(rec)])
    assert '| parallel |' in capsys.readouterr().out

def test_your_task_is_checked(learned_toy):
    with pytest.raises(SystemExit, match='--holdout is not used by --task learned_toy'): main(['bench', '--task', 'learned_toy', '--holdout', 'george', '--quiet'])
    with pytest.raises(SystemExit, match='its corruptions are gaussian'): main(['bench', '--task', 'learned_toy', '--corruption', 'white', '--quiet'])
    with pytest.raises(SystemExit, match='not used by --task learned_toy in `cde-nb train`'): main(['train', '--task', 'learned_toy', '--level', '1', '--quiet'])
    with pytest.raises(TypeError, match='register a TaskEntry'): register_task(object())
