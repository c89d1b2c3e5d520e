"""`--data full`: MNIST's 60,000 training digits through torchvision, tested offline on a tiny fake folder in
torchvision's raw format; where nothing can be downloaded the error names the download and the way out."""
import pytest
from dataclasses import replace
import fastcore.test as fct
from pathlib import Path
from cde_nb.data import load_mnist_train_full, load_mnist, mnist_full_root, write_fake_mnist_raw, FIXTURE_DIR, ENV_VAR
from cde_nb.images import load_images, bundle_config, bundle_path, TASKS, load_models
from cde_nb.cli import main

@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    "A data folder with the fixture's 200 MNIST test digits (validation and test) and no full training set yet."
    (tmp_path/'mnist').symlink_to(FIXTURE_DIR/'mnist', target_is_directory=True)
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    import torchvision.datasets as tvd
    monkeypatch.setattr(tvd.MNIST, 'mirrors', ['http://127.0.0.1:9/'])   # nothing answers there: no download, ever
    return tmp_path

def test_full_training_set_loads_from_torchvision_layout(data_folder):
    write_fake_mnist_raw(data_folder/'mnist_full', n_train=40)
    fct.test_eq(mnist_full_root(), data_folder/'mnist_full')
    X, y = load_images('mnist', 'train', data='full')
    fct.test_eq((X.shape, len(y)), ((36, 1, 28, 28), 36)); assert X.min() >= -1 and X.max() <= 1   # 40 less a tenth for validation
    fct.test_eq(load_images('mnist', 'test', data='full')[1], load_mnist('all')[1])   # every test digit is a test digit

def test_offline_download_fails_with_the_way_out(data_folder, tmp_path):
    with pytest.raises(FileNotFoundError) as e: load_mnist_train_full()
    msg = str(e.value)
    assert 'could not be downloaded' in msg and 'torchvision.datasets.MNIST(download=True)' in msg and 'leave out --data full' in msg
    with pytest.raises(SystemExit) as e: main(['train', '--task', 'mnist', '--data', 'full', '--quiet', '--out', str(tmp_path/'m.pt')])
    assert 'could not be downloaded' in str(e.value) and not (tmp_path/'m.pt').exists()

def test_data_flag_is_checked():
    fct.test_fail(lambda: bundle_config('digits', data='full'), contains="it is for task 'mnist'")
    fct.test_fail(lambda: load_images('mnist', 'train', data='60k'), contains="'mnist10k' or 'full'")
    assert 'data' not in TASKS['mnist'].to_dict()          # shipped checkpoints (made before the field) still match
    fct.test_eq(bundle_config('mnist', data='full').to_dict()['data'], 'full')
    fct.test_eq(bundle_path('mnist', 'blur', 2, data='full').name, 'mnist_blur_2_full.pt')
    fct.test_fail(lambda: load_models('mnist', data='full'), contains='cde-nb train --task mnist --data full')
    with pytest.raises(SystemExit) as e: main(['bench', '--task', 'fsdd', '--data', 'full', '--quiet'])
    assert 'is for --task mnist' in str(e.value)

def test_train_on_the_full_set_end_to_end(data_folder, tmp_path):
    "A whole (one-epoch) training run on the fake 60,000 (here 40) digits writes a checkpoint that loads as the full bundle."
    write_fake_mnist_raw(data_folder/'mnist_full', n_train=40)
    out = tmp_path/'mnist_full.pt'
    main(['train', '--task', 'mnist', '--data', 'full', '--epochs', '1', '--quiet', '--out', str(out)])
    M = load_models('mnist', path=out, cfg=replace(bundle_config('mnist', data='full'), epochs=1, epochs_signal=1))   # the stored config must match (--epochs sets the signal denoisers' too)
    fct.test_eq(M.cfg.data, 'full')

def test_train_from_the_data_folder_with_no_network(tmp_path, monkeypatch):
    "The training digits in the data folder's mnist/ (as on our machines: train-*-ubyte.gz beside the test files) train a per-corruption bundle, offline."
    import gzip, shutil, struct, numpy as np, torchvision.datasets as tvd, json
    (tmp_path/'mnist').mkdir()
    for f in (FIXTURE_DIR/'mnist').iterdir(): shutil.copy(f, tmp_path/'mnist'/f.name)
    rng = np.random.default_rng(0)
    imgs, labels = rng.integers(0, 256, (60, 28, 28), dtype=np.uint8), (np.arange(60) % 10).astype(np.uint8)
    (tmp_path/'mnist'/'train-images-idx3-ubyte.gz').write_bytes(gzip.compress(struct.pack('>4I', 2051, 60, 28, 28) + imgs.tobytes()))
    (tmp_path/'mnist'/'train-labels-idx1-ubyte.gz').write_bytes(gzip.compress(struct.pack('>2I', 2049, 60) + labels.tobytes()))
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    import cde_nb.data as D; monkeypatch.setattr(D, 'is_fixture', lambda folder: True)   # the fixture's 200 test digits, copied: checked by its own sums
    monkeypatch.setattr(tvd.MNIST, '__init__', lambda *a, **k: (_ for _ in ()).throw(AssertionError('torchvision asked to download')))
    fct.test_eq(len(load_images('mnist', 'train', data='full')[1]), 54)                  # 60 less a tenth for validation
    out, rec = tmp_path/'m.pt', tmp_path/'r.json'
    main(['train', '--task', 'mnist', '--data', 'full', '--corruption', 'pixels_meanstd', '--level', '0.3', '--epochs', '1', '--epochs-cls', '1',
          '--quiet', '--out', str(out)])
    main(['bench', '--task', 'mnist', '--models', str(out), '--corruption', 'pixels_meanstd', '--level', '0.3', '--methods', 'noisy,enhanced',
          '--steps', '2', '--quiet', '--out', str(rec)])
    fct.test_eq(json.loads(rec.read_text())['n_test'], len(load_mnist('all')[1]))        # tested on every test digit

def test_full_bundles_have_their_own_lengths():
    "MNIST's training digits are seven times the default's 7,000: their bundles train fewer epochs (`BUNDLE_LENGTHS['mnist_full']`); the default's stay."
    from cde_nb.images import BUNDLE_LENGTHS, task_key
    fct.test_eq([task_key('mnist'), task_key('mnist', 'full'), task_key('cifar10')], ['mnist', 'mnist_full', 'cifar10'])
    full, small = bundle_config('mnist', 'pixels_meanstd', 0.3, data='full'), bundle_config('mnist', 'pixels_meanstd', 0.3)
    for k, v in BUNDLE_LENGTHS['mnist_full'].items(): fct.test_eq(getattr(full, k), v)
    fct.test_eq((small.epochs_signal, small.cond_rounds, small.cond_steps), (30, 3, 20))   # the shipped 7,000-digit bundles' config
    assert full.epochs_signal * 50_000 > small.epochs_signal * 7_000                        # still more images seen per network

def test_full_bundles_validate_on_training_digits(tmp_path, monkeypatch):
    "A `data='full'` bundle chooses and reports on validation digits carved from the training digits, never on test digits."
    import cde_nb.images as I
    calls, load = [], I.load_images
    def spy(task, split='train', seed=0, data='mnist10k'): calls.append((split, data)); return [t[:40] for t in load(task, split, seed, 'mnist10k')]
    monkeypatch.setattr(I, 'load_images', spy)
    monkeypatch.setattr(I, 'SHIPPED_CLASSIFIERS', {})                                    # train the tiny classifier here
    cfg = replace(bundle_config('mnist', 'pixels_meanstd', 0.3, data='full'), base=8, hidden=16, width=4, cls_width=4,
                  epochs_cls=1, epochs=1, epochs_signal=1, cond_rounds=1, cond_steps=1, T=5)
    I.train_models(cfg, progress=False, log=lambda s: None)
    fct.test_eq(calls, [('train', 'full'), ('valid', 'full')])
