"CIFAR-10 end to end on the package's fixture (500 JPEGs): the loader, the task's networks, a tiny bundle trained, saved, loaded and benched."
import json, pytest, torch
from dataclasses import replace
import fastcore.test as fct
from cde_nb.data import FIXTURE_DIR, load_cifar10, cifar10_source, pixels_meanstd
from cde_nb.images import bundle_config, train_models, save_models, load_models, bench, image_methods, TASKS, ImageModels
from cde_nb.cli import main

@pytest.fixture
def fixture_data(monkeypatch):
    monkeypatch.setenv('CDE_NB_DATA', str(FIXTURE_DIR))

def test_fixture_splits(fixture_data):
    (X, y), (Xv, yv), (Xt, yt) = (load_cifar10(s) for s in ('train', 'valid', 'test'))
    fct.test_eq((len(X), len(Xv), len(Xt)), (180, 20, 300))
    fct.test_eq(X.shape[1:], (3, 32, 32)); fct.test_eq(cifar10_source(), 'fixture')
    fct.test_eq(torch.bincount(yt).tolist(), [30]*10); fct.test_eq(torch.bincount(yv).tolist(), [2]*10)
    assert set(y.tolist()) | set(yv.tolist()) == set(range(10))

def test_tiny_bundle_trains_saves_loads_and_benches(fixture_data, tmp_path):
    cfg = replace(bundle_config('cifar10', 'pixels_meanstd', .3), base=8, hidden=32, width=8, cls_width=8,
                  epochs_cls=1, epochs=1, epochs_signal=1, T=20)
    M = train_models(cfg, progress=False, log=lambda *a: None, precision='bf16')
    save_models(M, tmp_path/'c.pt')
    M2 = load_models('cifar10', path=tmp_path/'c.pt', cfg=cfg)
    x = torch.rand(4, 3, 32, 32)*2 - 1
    fct.test_close(M2.f(x), M.f(x), eps=0.05)                          # half-precision storage
    rec = bench('cifar10', 'pixels_meanstd', .3, n_test=20, steps=2, models=M2, progress=False, precision='fp32')
    fct.test_eq(set(rec['results']), set(image_methods()))
    fct.test_eq((rec['task'], rec['n_test'], rec['precision']), ('cifar10', 20, 'fp32'))

def test_cli_trains_cifar(fixture_data, tmp_path):
    out = tmp_path/'c.pt'
    main(['train', '--task', 'cifar10', '--corruption', 'pixels_meanstd', '--level', '0.3', '--epochs', '1', '--epochs-cls', '1',
          '--epochs-signal', '1', '--T', '20', '--base', '8', '--quiet', '--out', str(out)])
    assert out.is_file() and not (tmp_path/'c.pt.state').exists()
