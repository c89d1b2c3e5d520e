"API and edge-case tests of cde_nb.data: data-folder lookup, loaders and splits, image and audio corruptions."
import gzip, hashlib, math, re, shutil, struct, subprocess, sys, time, warnings
from pathlib import Path
import numpy as np, pytest, torch
import fastcore.test as fct
import cde_nb.data as D
from cde_nb.data import (ENV_VAR, CACHE_DIR, FIXTURE_DIR, FixtureWarning, data_candidates, data_dir, find_data, project_root,
                         is_fixture, using_fixture, stratified_split, load_digits, parse_idx, load_mnist, mnist_split_sizes,
                         fsdd_index, load_fsdd, MNIST_SPLITS, FSDD_SR, DATA_STATS, pixels_meanstd,
                         pixel_replace, gaussian_noise, gaussian_blur, corrupt, make_corruption, IMAGE_CORRUPTIONS,
                         snr_db, add_noise, white_noise, pink_noise, babble, synthetic_rir, reverb, estimate_rt60,
                         corrupt_audio, AUDIO_CORRUPTIONS)

SHARED = Path(__file__).resolve().parent.parent.parent/'shared'/'data'
needs_data = pytest.mark.skipif(not (SHARED/'mnist').is_dir(), reason='no ../shared/data on this machine')

@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    "Each test starts without CDE_NB_DATA, so the lookup is the default one."
    monkeypatch.delenv(ENV_VAR, raising=False)

# ---------------------------------------------------------------- data-folder lookup
def test_lookup_order(monkeypatch, tmp_path):
    cands = [p for p, _ in data_candidates()]
    fct.test_eq(cands[-2:], [CACHE_DIR, FIXTURE_DIR])                 # the shipped fixture comes last
    if SHARED.is_dir(): fct.test_eq(cands[0].resolve(), SHARED.resolve()); fct.test_eq(data_dir().resolve(), SHARED.resolve())
    fct.test_eq(data_candidates(tmp_path), [(tmp_path, 'the `path` argument')])
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    fct.test_eq([p for p, _ in data_candidates()], [tmp_path])   # the env var replaces the defaults
    fct.test_eq(data_dir(), tmp_path)
    fct.test_eq(data_dir(tmp_path/'..'), tmp_path/'..')          # an explicit path still wins

def test_missing_data_says_where_and_how(monkeypatch, tmp_path):
    with pytest.raises(FileNotFoundError) as e: find_data('mnist', tmp_path)
    msg = str(e.value)
    for s in (str(tmp_path/'mnist'), '`path` argument', ENV_VAR, 'download_mnist'): assert s in msg, s
    with pytest.raises(FileNotFoundError, match='git clone'): find_data('fsdd/recordings', tmp_path)
    monkeypatch.setenv(ENV_VAR, str(tmp_path/'nowhere'))
    fct.test_fail(data_dir, contains=str(tmp_path/'nowhere'))
    fct.test_fail(lambda: load_mnist(), contains=f'${ENV_VAR}')
    fct.test_fail(lambda: load_fsdd(), contains='fsdd/recordings')

def test_project_root(tmp_path):
    (tmp_path/'settings.ini').write_text('[DEFAULT]\n'); (tmp_path/'a'/'b').mkdir(parents=True)
    fct.test_eq(project_root(tmp_path/'a'/'b'), tmp_path)
    fct.test_eq(project_root('/'), None)

# ---------------------------------------------------------------- the fixture, when no data folder is found
@pytest.fixture
def nowhere(monkeypatch, tmp_path):
    "No data folder reachable: no project root above the working directory or the package, an empty cache."
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(D, '_pkg_dir', lambda: None)
    monkeypatch.setattr(D, 'CACHE_DIR', tmp_path/'no-cache')
    monkeypatch.setattr(D, '_fixture_noticed', False)
    return tmp_path

def test_fixture_is_the_fallback_and_says_so_once(nowhere):
    fct.test_eq(data_candidates()[-1], (FIXTURE_DIR, 'the small fixture shipped with the package'))
    with pytest.warns(FixtureWarning) as w: fct.test_eq(find_data('mnist'), FIXTURE_DIR/'mnist')
    msg = str(w[0].message)
    for s in ('data folder was not found', '200 MNIST digits, 60 FSDD recordings', 'not comparable', 'Set CDE_NB_DATA'):
        assert s in msg, s
    with warnings.catch_warnings():
        warnings.simplefilter('error')                                   # a second notice would raise
        fct.test_eq(find_data('fsdd/recordings'), FIXTURE_DIR/'fsdd'/'recordings')
        fct.test_eq(data_dir(), FIXTURE_DIR)
        assert using_fixture('mnist') and using_fixture('fsdd/recordings')

def test_fixture_loaders_give_every_split(nowhere):
    with pytest.warns(FixtureWarning): y_all = load_mnist('all')[1]
    fct.test_eq(np.bincount(y_all), [20]*10)
    fct.test_eq(mnist_split_sizes(len(y_all)), {'train': 140, 'valid': 20, 'test': 40})
    parts = {s: load_mnist(s) for s in MNIST_SPLITS}
    for s, (X, y) in parts.items():
        fct.test_eq((X.shape[1:], len(y)), ((1, 28, 28), mnist_split_sizes(200)[s]))
        fct.test_eq(set(y.tolist()), set(range(10)))                    # every class in every split
    assert 0 <= parts['train'][0].min() and parts['train'][0].max() == 1
    test, train = load_fsdd('test'), load_fsdd('train')
    fct.test_eq((len(test), len(train), len(fsdd_index())), (20, 40, 60))
    fct.test_eq({r['take'] for r in test}, {0}); fct.test_eq({r['take'] for r in train}, {5, 10})
    fct.test_eq({r['speaker'] for r in test}, {r['speaker'] for r in train})   # all six speakers in both
    fct.test_eq(len({r['speaker'] for r in test}), 6)
    fct.test_eq(sorted({(r['speaker'], r['digit']) for r in test + train}), sorted({(r['speaker'], r['digit']) for r in fsdd_index()}))
    assert all(r['sr'] == FSDD_SR and r['wave'].abs().max() > 0 for r in test)

def test_real_data_wins_over_the_fixture(nowhere, monkeypatch):
    proj, data = nowhere/'proj', nowhere/'shared'/'data'
    proj.mkdir(); (proj/'settings.ini').write_text('[DEFAULT]\n')
    for sub in ('mnist', 'fsdd/recordings'): (data/sub).mkdir(parents=True)
    with warnings.catch_warnings():
        warnings.simplefilter('error', FixtureWarning)                   # no notice when real data is found
        (D.CACHE_DIR/'mnist').mkdir(parents=True)                        # the cache beats the fixture ...
        fct.test_eq(find_data('mnist'), D.CACHE_DIR/'mnist')
        monkeypatch.chdir(proj)                                          # ... and ../shared/data beats the cache
        fct.test_eq(find_data('mnist'), data/'mnist'); fct.test_eq(find_data('fsdd/recordings'), data/'fsdd'/'recordings')
        assert not using_fixture('mnist') and not using_fixture('fsdd/recordings')
    assert not D._fixture_noticed

def test_fixture_explicit_path_no_notice(nowhere):
    with warnings.catch_warnings():
        warnings.simplefilter('error', FixtureWarning)
        fct.test_eq(find_data('mnist', FIXTURE_DIR), FIXTURE_DIR/'mnist')  # asked for by name: no notice
        fct.test_eq(len(load_fsdd('test', path=FIXTURE_DIR)), 20)
    assert not D._fixture_noticed

def test_fixture_env_var_is_taken_at_its_word(nowhere, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(nowhere/'wrong'))                    # a wrong CDE_NB_DATA is an error, not the fixture
    fct.test_fail(lambda: find_data('mnist'), contains=str(nowhere/'wrong'))
    monkeypatch.setenv(ENV_VAR, '')                                      # empty counts as unset
    with pytest.warns(FixtureWarning): fct.test_eq(find_data('mnist'), FIXTURE_DIR/'mnist')

def test_fixture_checked_by_its_own_sha256sums(monkeypatch, tmp_path):
    fx = shutil.copytree(FIXTURE_DIR, tmp_path/'fx')
    fct.test_eq(len(load_mnist('all', path=fx, verify=False)[1]), 200)
    fct.test_fail(lambda: load_mnist(path=fx), contains='(decompressed)')  # outside the package it is no canonical MNIST
    monkeypatch.setattr(D, 'FIXTURE_DIR', fx)
    fct.test_eq(len(load_mnist('test', path=fx)[1]), 40)
    sums = fx/'mnist'/'SHA256SUMS'
    sums.write_text(re.sub(r'^\w+(?=  t10k-labels)', '0'*64, sums.read_text(), flags=re.M))
    fct.test_fail(lambda: load_mnist(path=fx), contains='does not match')
    sums.unlink()
    fct.test_fail(lambda: load_mnist(path=fx), contains='must list')
    (fx/'fsdd'/'SHA256SUMS').write_text(f"{'1'*64}  0_george_0.wav\n")
    fct.test_fail(lambda: load_fsdd('test', path=fx), contains='does not match')

def test_fixture_files():
    "Every file listed and intact, licences present, small enough to ship."
    for sums, folder in ((FIXTURE_DIR/'mnist'/'SHA256SUMS', FIXTURE_DIR/'mnist'), (FIXTURE_DIR/'fsdd'/'SHA256SUMS', FIXTURE_DIR/'fsdd'/'recordings')):
        listed = D.sha256sums(sums.parent)
        fct.test_eq(sorted(listed), sorted(f.name for f in folder.iterdir() if f.suffix in ('.gz', '.wav')))
        for name, h in listed.items(): fct.test_eq(hashlib.sha256((folder/name).read_bytes()).hexdigest(), h)
    assert 'CC BY-SA 3.0' in (FIXTURE_DIR/'mnist'/'LICENSE').read_text()
    lic = (FIXTURE_DIR/'fsdd'/'LICENSE').read_text()
    assert 'CC BY-SA 4.0' in lic and '10.5281/zenodo.1342401' in lic
    assert sum(f.stat().st_size for f in FIXTURE_DIR.rglob('*') if f.is_file()) < 1_000_000
    assert is_fixture(FIXTURE_DIR/'fsdd'/'recordings') and not is_fixture(FIXTURE_DIR.parent)

TOOL = Path(__file__).resolve().parent.parent/'tools'/'make_fixture.py'

@needs_data
@pytest.mark.skipif(not TOOL.exists(), reason='tools/make_fixture.py is not here')
def test_fixture_remade_from_the_data_is_identical(tmp_path):
    subprocess.run([sys.executable, str(TOOL), '--src', str(SHARED), '--out', str(tmp_path/'fx')], check=True, capture_output=True)
    files = lambda d: {str(f.relative_to(d)): f.read_bytes() for f in sorted(d.rglob('*')) if f.is_file()}
    new, old = files(tmp_path/'fx'), files(FIXTURE_DIR)
    fct.test_eq(sorted(new), sorted(old))
    fct.test_eq([k for k in new if new[k] != old[k]], [])

# ---------------------------------------------------------------- splits
def test_stratified_split():
    y = np.random.default_rng(1).integers(0, 7, 1000)
    sizes = {'train': 700, 'valid': 100, 'test': 200}
    s = stratified_split(y, sizes, seed=3)
    fct.test_eq(np.sort(np.concatenate(list(s.values()))), np.arange(1000))   # a partition
    for k, n in sizes.items():
        fct.test_eq(len(s[k]), n)
        fct.test_eq(s[k], np.sort(s[k]))
        assert np.abs(np.bincount(y[s[k]], minlength=7) - np.bincount(y)*n/1000).max() <= 2
    fct.test_eq(stratified_split(y, sizes, seed=3)['test'], s['test'])
    fct.test_ne(stratified_split(y, sizes, seed=4)['test'], s['test'])
    fct.test_fail(lambda: stratified_split(y, {'a': 10}), contains='add up to')

# ---------------------------------------------------------------- digits
def test_digits():
    parts = {s: load_digits(s) for s in ('train', 'valid', 'test', 'all')}
    fct.test_eq([len(y) for _, y in parts.values()], [1078, 180, 539, 1797])
    X, y = parts['train']
    fct.test_eq((X.shape[1:], X.dtype, y.dtype), ((1, 8, 8), torch.float32, torch.int64))
    fct.test_eq(X*16, (X*16).round())                                  # 0..16 mapped by /16
    fct.test_eq((parts['all'][0].min().item(), parts['all'][0].max().item()), (0., 1.))
    fct.test_eq(sorted(torch.cat([parts[s][1] for s in ('train', 'valid', 'test')]).tolist()), sorted(parts['all'][1].tolist()))
    fct.test_eq(load_digits('test', seed=0)[0], parts['test'][0])
    fct.test_ne(load_digits('test', seed=1)[1], parts['test'][1])
    fct.test_fail(lambda: load_digits('validation'), contains='valid splits')

# ---------------------------------------------------------------- MNIST
def test_parse_idx_big_endian():
    hdr = struct.pack('>BBBBII', 0, 0, 0x08, 2, 1, 300)                # 300 > 255 needs the big-endian reading
    fct.test_eq(parse_idx(hdr + bytes(300)).shape, (1, 300))
    i32 = struct.pack('>BBBBI', 0, 0, 0x0C, 1, 2) + struct.pack('>ii', 1, -2)
    fct.test_eq(parse_idx(gzip.compress(i32)).tolist(), [1, -2])
    fct.test_fail(lambda: parse_idx(hdr + bytes(299)), contains='truncated')
    fct.test_fail(lambda: parse_idx(b'PK\x03\x04'), contains='not an IDX')

@needs_data
def test_mnist_splits():
    X, y = load_mnist('train')
    fct.test_eq((X.shape, X.dtype, y.dtype), ((7000, 1, 28, 28), torch.float32, torch.int64))
    assert X.min() >= 0 and X.max() == 1
    idx = stratified_split(load_mnist('all')[1], MNIST_SPLITS, seed=0)  # what load_mnist documents
    fct.test_eq({k: len(v) for k, v in idx.items()}, MNIST_SPLITS)
    fct.test_eq(len(set(np.concatenate(list(idx.values())).tolist())), 10000)   # disjoint and complete
    fct.test_eq(idx['test'][:8].tolist(), [3, 6, 8, 9, 18, 20, 22, 23])       # pinned: the split must not drift
    Xa, ya = load_mnist('all')
    fct.test_eq(np.bincount(ya), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    fct.test_eq(ya[:10].tolist(), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])           # the canonical first test labels
    fct.test_eq(load_mnist('test')[0], Xa[idx['test']])
    t = time.time(); load_mnist('train'); assert time.time() - t < 0.2       # cached
    fct.test_eq(load_mnist('valid', path=SHARED/'mnist')[1], load_mnist('valid')[1])  # path may be the mnist folder

def _copy_mnist(dst):
    dst.mkdir(); [shutil.copy(f, dst/f.name) for f in (SHARED/'mnist').glob('*.gz')]
    return dst

@needs_data
def test_mnist_checksums(tmp_path):
    m = _copy_mnist(tmp_path/'mnist')
    (m/'SHA256SUMS').write_text('0'*64 + '  mnist/t10k-labels-idx1-ubyte.gz\n')
    fct.test_fail(lambda: load_mnist(path=tmp_path), contains='does not match')
    fct.test_eq(len(load_mnist('test', path=tmp_path, verify=False)[1]), 2000)
    (m/'SHA256SUMS').unlink()
    raw = bytearray(gzip.decompress((m/'t10k-labels-idx1-ubyte.gz').read_bytes())); raw[8] = (raw[8] + 1) % 10
    (m/'t10k-labels-idx1-ubyte.gz').write_bytes(gzip.compress(bytes(raw)))  # re-gzipped, content changed
    fct.test_fail(lambda: load_mnist(path=tmp_path), contains='(decompressed)')
    (m/'t10k-labels-idx1-ubyte.gz').unlink()
    fct.test_fail(lambda: load_mnist(path=tmp_path, verify=False), contains='missing')

@needs_data
def test_mnist_accepts_regzipped_and_plain(tmp_path):
    m = _copy_mnist(tmp_path/'mnist')
    f = m/'t10k-labels-idx1-ubyte.gz'
    f.with_suffix('').write_bytes(gzip.decompress(f.read_bytes())); f.unlink()   # decompressed copy only
    fct.test_eq(load_mnist('valid', path=tmp_path)[1], load_mnist('valid')[1])

# ---------------------------------------------------------------- FSDD
@needs_data
def test_fsdd():
    test, train = load_fsdd('test'), load_fsdd('train', speakers=['lucas'])
    fct.test_eq((len(test), len(train), len(fsdd_index())), (300, 450, 3000))
    fct.test_eq({r['take'] for r in test}, set(range(5)))
    fct.test_eq({r['take'] for r in train}, set(range(5, 50)))
    fct.test_eq(len({r['speaker'] for r in test}), 6)
    r = test[0]
    fct.test_eq((r['sr'], r['wave'].dtype, r['wave'].ndim, r['digit'], r['speaker'], r['take']),
                (FSDD_SR, torch.float32, 1, 0, 'george', 0))
    assert 0.1 < len(r['wave'])/FSDD_SR < 2.5 and r['wave'].abs().max() <= 1
    r['wave'].zero_()                                                # callers get copies, the cache is safe
    assert load_fsdd('test', digits=[0], speakers=['george'])[0]['wave'].abs().max() > 0
    fct.test_eq(len(load_fsdd('all', digits=[3])), 300)
    fct.test_eq(len(load_fsdd('test', path=SHARED/'fsdd', digits=[1])), 30)   # path may be the fsdd folder
    fct.test_fail(lambda: load_fsdd('valid'), contains='valid splits')

@needs_data
def test_fsdd_checksum(tmp_path):
    rec = tmp_path/'fsdd'/'recordings'; rec.mkdir(parents=True)
    for f in ('0_theo_0.wav', '1_theo_7.wav'): shutil.copy(SHARED/'fsdd'/'recordings'/f, rec/f)
    fct.test_eq(len(load_fsdd('all', path=tmp_path)), 2)             # no SHA256SUMS: nothing to check
    (tmp_path/'fsdd'/'SHA256SUMS').write_text(f"{'1'*64}  0_theo_0.wav\n")
    fct.test_fail(lambda: load_fsdd('test', path=tmp_path), contains='does not match')
    fct.test_eq(len(load_fsdd('train', path=tmp_path)), 1)          # the good file alone is fine

# ---------------------------------------------------------------- image corruptions
@pytest.fixture
def imgs():
    return torch.rand(200, 1, 50, 50, generator=torch.Generator().manual_seed(0))   # 500k pixels

@pytest.mark.parametrize('frac', [0.15, 0.3, 0.7])
def test_pixel_replace_fraction(imgs, frac):
    out, mask = pixel_replace(imgs, frac, seed=1, return_mask=True)
    fct.test_close(mask.float().mean(), frac, eps=0.003)             # binomial std <= 0.0007
    fct.test_close((out != imgs).float().mean(), frac, eps=0.003)
    fct.test_eq(out[~mask], imgs[~mask])
    fct.test_close(out[mask].mean(), 0.5, eps=0.01)                  # N(0,1) in normalised units
    fct.test_close(out[mask].std(), 0.5, eps=0.01)
    assert out.max() > 1 and out.min() < 0                           # not clamped

def test_pixel_replace_seeds_and_shapes(imgs):
    x = imgs[:4]
    fct.test_eq(pixel_replace(x, 0.3, seed=7), pixel_replace(x, 0.3, seed=7))
    fct.test_eq(pixel_replace(x, 0.3, seed=7), pixel_replace(x, 0.3, generator=torch.Generator().manual_seed(7)))
    fct.test_ne(pixel_replace(x, 0.3, seed=7), pixel_replace(x, 0.3, seed=8))
    fct.test_eq(pixel_replace(x[0], 0.3).shape, (1, 50, 50))
    fct.test_eq(pixel_replace(x, 0.), x)
    assert (pixel_replace(x, 1.) != x).all()
    a, m = pixel_replace(x, 0.3, seed=7, return_mask=True)
    b = pixel_replace(x, 0.3, seed=7, loc=0., scale=1.)               # same mask, same draws, other units
    fct.test_close(b[m], (a[m] - 0.5)/0.5, eps=1e-5); fct.test_eq(b[~m], x[~m])

@pytest.mark.parametrize('bad,msg', [
    (lambda x: pixel_replace(x, -0.1), 'must be in [0,1]'), (lambda x: pixel_replace(x, 1.5), 'must be in [0,1]'),
    (lambda x: pixel_replace(x.flatten().index_fill(0, torch.tensor([7]), float('nan')).view_as(x), 0.1), 'NaN'),
    (lambda x: pixel_replace(x[0, 0], 0.1), '(N,C,H,W)'), (lambda x: pixel_replace(x[None], 0.1), '(N,C,H,W)'),
    (lambda x: pixel_replace((x*255).byte(), 0.1), 'floating point'), (lambda x: pixel_replace(x.numpy(), 0.1), 'torch.Tensor'),
    (lambda x: gaussian_noise(x, -1.), 'sigma'), (lambda x: gaussian_blur(x, kernel=4), 'odd'),
    (lambda x: gaussian_blur(x, sigma=0.), 'sigma'), (lambda x: corrupt(x, 'snow', 0.1), "valid kinds: 'pixels', 'gaussian', 'blur'"),
    (lambda x: corrupt(x, 'pixels'), 'needs a level'), (lambda x: make_corruption('fog', 1.), 'valid kinds')])
def test_image_corruption_errors(imgs, bad, msg):
    fct.test_fail(lambda: bad(imgs[:2]), contains=msg)

def test_gaussian_noise(imgs):
    out = gaussian_noise(imgs, 0.2, seed=0)
    fct.test_close((out - imgs).std(), 0.2, eps=0.002); fct.test_close((out - imgs).mean(), 0., eps=0.002)
    fct.test_eq(out, gaussian_noise(imgs, 0.2, seed=0)); fct.test_ne(out, gaussian_noise(imgs, 0.2, seed=1))
    clipped = gaussian_noise(imgs, 0.5, clip=True)
    assert clipped.min() == 0 and clipped.max() == 1

def test_gaussian_blur_kernel():
    x = torch.zeros(1, 1, 11, 11); x[0, 0, 5, 5] = 1.                 # a point in the interior shows the kernel
    k = torch.exp(-torch.arange(-2., 3.)**2 / (2*2.**2)); k = k/k.sum()
    out = gaussian_blur(x)
    fct.test_close(out[0, 0, 3:8, 3:8], k[:, None]*k[None], eps=1e-6)  # separable, kernel 5, sigma 2
    fct.test_close(out.sum(), 1., eps=1e-6)
    fct.test_close(gaussian_blur(torch.full((2, 1, 8, 8), 0.3)), torch.full((2, 1, 8, 8), 0.3), eps=1e-6)
    fct.test_eq(gaussian_blur(torch.rand(1, 28, 28)).shape, (1, 28, 28))

def test_pixels_meanstd(imgs):
    a, m = pixel_replace(imgs, 0.3, seed=1, return_mask=True)
    b, mb = pixels_meanstd(imgs, 0.3, seed=1, return_mask=True)
    fct.test_eq(mb, m); fct.test_eq(b[~m], imgs[~m])                       # same pixels, only the replacement's units differ
    fct.test_close(b[m].mean(), 0.1307, eps=0.005); fct.test_close(b[m].std(), 0.3081, eps=0.005)  # N(0,1) in MNIST mean/std units
    fct.test_close((b[m] - 0.1307)/0.3081, (a[m] - 0.5)/0.5, eps=1e-4)     # the same standard normal draws
    c = corrupt(imgs, 'pixels_meanstd', 0.3, seed=1, stats=(0.2, 0.1))
    fct.test_close(c[m].mean(), 0.2, eps=0.002); fct.test_close(c[m].std(), 0.1, eps=0.002)
    fct.test_eq(corrupt(imgs, 'pixels_meanstd', 0.3, seed=1), b)             # default: MNIST's stats
    fct.test_eq(corrupt(imgs, 'pixels_meanstd', 0.3, seed=1, stats='digits'), pixels_meanstd(imgs, 0.3, seed=1, stats=DATA_STATS['digits']))
    fct.test_eq(make_corruption('pixels_meanstd', 0.3, stats='digits')(imgs, torch.Generator().manual_seed(1)),
                pixels_meanstd(imgs, 0.3, seed=1, stats='digits'))
    fct.test_fail(lambda: corrupt(imgs, 'gaussian', 0.1, stats='mnist'), contains="only for 'pixels_meanstd'")
    fct.test_fail(lambda: make_corruption('blur', stats=(0, 1)), contains="only for 'pixels_meanstd'")
    fct.test_fail(lambda: pixels_meanstd(imgs, 0.3, stats='svhn'), contains='known')
    fct.test_fail(lambda: pixels_meanstd(imgs, 0.3, stats=(0.5, -1)), contains='std must be > 0')

def test_data_stats():
    X = load_digits('all')[0].double()                                    # over all 1,797 images, [0,1] units
    fct.test_eq(DATA_STATS['digits'], (round(X.mean().item(), 4), round(X.std(unbiased=False).item(), 4)))
    fct.test_eq(DATA_STATS['mnist'], (0.1307, 0.3081))

def test_corrupt_dispatch(imgs):
    x = imgs[:3]
    fct.test_eq(set(IMAGE_CORRUPTIONS), {'pixels', 'gaussian', 'blur', 'pixels_meanstd'})
    fct.test_eq(corrupt(x, 'pixels', 0.3, seed=2), pixel_replace(x, 0.3, seed=2))
    fct.test_eq(corrupt(x, 'gaussian', 0.1, seed=2), gaussian_noise(x, 0.1, seed=2))
    fct.test_eq(corrupt(x, 'blur', 1.), gaussian_blur(x, 1.))
    fct.test_eq(corrupt(x, 'blur'), gaussian_blur(x))
    for k in IMAGE_CORRUPTIONS: fct.test_eq(corrupt(x, k, 0.2).shape, x.shape)
    f = make_corruption('gaussian', 0.1)
    fct.test_eq(f(x, torch.Generator().manual_seed(5)), gaussian_noise(x, 0.1, seed=5))
    fct.test_eq(f(x), gaussian_noise(x, 0.1, seed=0))

# ---------------------------------------------------------------- audio
@pytest.fixture
def speech():
    "A speech-like test signal: a 0.5 s chirp under an envelope (no data files needed)."
    t = torch.arange(4000) / FSDD_SR
    return torch.sin(2*math.pi*(200 + 400*t)*t) * torch.sin(math.pi*t/0.5)**2

def test_snr_db_exact():
    clean = torch.ones(2, 100)
    fct.test_close(snr_db(clean, clean + 0.1), torch.tensor([20., 20.]), eps=1e-4)
    fct.test_fail(lambda: snr_db(clean, clean[:, :50]), contains='shapes differ')

@pytest.mark.parametrize('kind', ['white', 'pink', 'babble'])
@pytest.mark.parametrize('snr', [-5., 0., 10., 30.])
def test_add_noise_hits_the_snr(speech, kind, snr):
    noise = {'white': lambda: white_noise(len(speech), seed=1), 'pink': lambda: pink_noise(len(speech), seed=1),
             'babble': lambda: babble([speech.roll(400), 0.3*speech.flip(0)], len(speech), seed=1)}[kind]()
    noisy = add_noise(speech, noise, snr)
    fct.test_eq(noisy.shape, speech.shape)
    fct.test_close(snr_db(speech, noisy), snr, eps=1e-3)

def test_add_noise_batched_and_tiled(speech):
    clean = torch.stack([speech, speech.flip(0)])
    noisy = add_noise(clean, white_noise(1000, seed=0), torch.tensor([3., 12.]))   # short noise is tiled
    fct.test_close(snr_db(clean, noisy), torch.tensor([3., 12.]), eps=1e-3)
    fct.test_close(noisy[0, 1000:2000] - speech[1000:2000], (noisy[0, :1000] - speech[:1000]), eps=1e-6)
    nan = speech.clone(); nan[10] = float('nan')
    fct.test_fail(lambda: add_noise(nan, white_noise(len(speech)), 5.), contains='NaN')
    fct.test_fail(lambda: add_noise(speech, torch.zeros(10), 5.), contains='silent')
    fct.test_fail(lambda: add_noise(torch.zeros(0), white_noise(5), 5.), contains='L > 0')

def _psd_slope(x):
    f = torch.fft.rfftfreq(x.shape[-1])
    p = torch.fft.rfft(x).abs().pow(2).mean(0)
    keep = (f > 0.005) & (f < 0.45)
    return np.polyfit(np.log(f[keep].numpy()), np.log(p[keep].numpy()), 1)[0]

def test_noise_colours():
    w, p = white_noise((64, 4096), seed=0), pink_noise((64, 4096), seed=0)
    fct.test_close(w.std(), 1., eps=0.01)
    fct.test_close(p.pow(2).mean(-1), torch.ones(64), eps=1e-4)      # unit RMS per row
    fct.test_close(_psd_slope(w), 0., eps=0.05)
    fct.test_close(_psd_slope(p), -1., eps=0.05)                      # 1/f power
    fct.test_eq(pink_noise(100, seed=3), pink_noise(100, seed=3)); fct.test_ne(pink_noise(100, seed=3), pink_noise(100, seed=4))

def test_babble(speech):
    srcs = [speech, speech.roll(1000), dict(wave=speech.flip(0), sr=FSDD_SR)]
    b = babble(srcs, 10000, talkers=3, seed=0)
    fct.test_eq(b.shape, (10000,)); fct.test_close(b.pow(2).mean(), 1., eps=1e-4)
    fct.test_eq(b, babble(srcs, 10000, talkers=3, seed=0)); fct.test_ne(b, babble(srcs, 10000, talkers=3, seed=1))
    one = babble([speech], 3*len(speech), talkers=1, seed=0)          # one talker, one clip: the clip, looped
    fct.test_close(one[len(speech):2*len(speech)], one[:len(speech)], eps=1e-6)
    fct.test_fail(lambda: babble([dict(wave=speech, sr=16000)], 100), contains='sample-rate mismatch')
    fct.test_fail(lambda: babble([dict(wave=speech, sr=FSDD_SR)], 100, sr=16000), contains='16000 Hz')
    fct.test_fail(lambda: babble([], 100), contains='at least one')
    fct.test_fail(lambda: babble([speech], 100, talkers=0), contains='talkers')

@needs_data
def test_babble_from_fsdd_and_sr_mismatch():
    recs = load_fsdd('train', speakers=['nicolas'], digits=[4, 5])
    clean = load_fsdd('test', speakers=['theo'], digits=[4])[0]['wave']
    noisy = corrupt_audio(clean, 'babble', 5., sources=recs, seed=0)
    fct.test_close(snr_db(clean, noisy), 5., eps=1e-3)
    recs[3] = dict(recs[3], sr=16000)
    fct.test_fail(lambda: corrupt_audio(clean, 'babble', 5., sources=recs), contains='sample-rate mismatch')

@pytest.mark.parametrize('rt60', [0.2, 0.6, 1.2])
def test_rir_decay_matches_rt60(rt60):
    h = synthetic_rir(FSDD_SR, rt60, seed=0)
    fct.test_eq(len(h), round(rt60*FSDD_SR)); fct.test_close(h.pow(2).sum(), 1., eps=1e-5)
    est = np.mean([estimate_rt60(synthetic_rir(FSDD_SR, rt60, seed=s), FSDD_SR) for s in range(8)])
    fct.test_close(est, rt60, eps=0.03*rt60)                          # an off-by-2 (amplitude vs energy) is 100 % off

def test_reverb(speech):
    wet = reverb(speech, FSDD_SR, 0.4, seed=0)
    fct.test_eq(wet.shape, speech.shape)
    fct.test_eq(wet, reverb(speech, FSDD_SR, 0.4, seed=0)); fct.test_ne(wet, reverb(speech, FSDD_SR, 0.4, seed=1))
    h = synthetic_rir(FSDD_SR, 0.4, seed=0)
    fct.test_close(wet, torch.from_numpy(np.convolve(speech.numpy(), h.numpy())[:len(speech)]), eps=1e-4)
    fct.test_eq(reverb(torch.stack([speech, speech]), FSDD_SR, 0.4).shape, (2, len(speech)))
    fct.test_close(synthetic_rir(FSDD_SR, 0.3, drr_db=10.)[0]**2, 10/11, eps=1e-5)
    fct.test_fail(lambda: reverb(speech, FSDD_SR, -0.1), contains='rt60')
    fct.test_fail(lambda: reverb(speech[None, None, :0], FSDD_SR, 0.3), contains='L > 0')

def test_corrupt_audio(speech):
    fct.test_eq(set(AUDIO_CORRUPTIONS), {'white', 'pink', 'babble', 'reverb'})
    for kind in ('white', 'pink'):
        fct.test_close(snr_db(speech, corrupt_audio(speech, kind, 7., seed=1)), 7., eps=1e-3)
    fct.test_eq(corrupt_audio(speech, 'reverb', 0.3, seed=2), reverb(speech, FSDD_SR, 0.3, seed=2))
    b = corrupt_audio(torch.stack([speech, speech]), 'babble', 0., sources=[speech.flip(0)])
    fct.test_eq(b.shape, (2, len(speech)))
    fct.test_fail(lambda: corrupt_audio(speech, 'rain', 1.), contains="valid kinds: 'white', 'pink', 'babble', 'reverb'")
    fct.test_fail(lambda: corrupt_audio(speech, 'babble', 1.), contains='sources')
