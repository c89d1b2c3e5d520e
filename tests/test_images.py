"API and edge-case tests of the image task (uses the shipped digits checkpoint)."
import json, pytest, torch
import fastcore.test as fct
from cde_nb.images import load_models, bench, predict, image_corruption, corruption_mix, load_images, METHODS, TASKS
from cde_nb.bench import wilson, format_table

@pytest.fixture(scope='module')
def M(): return load_models('digits')

def test_shipped_checkpoint_metrics(M):
    assert M.metrics['clean_valid_acc'] > 0.9, M.metrics
    assert 'command' in M.extra

def test_wilson():
    lo, hi = wilson(50, 100)
    assert lo < 0.5 < hi and 0.39 < lo < 0.41
    fct.test_eq(wilson(0, 0), (0., 1.))
    fct.test_close(wilson(100, 100)[1], 1.)

def test_corruption_mix_picks_per_image():
    x = torch.zeros(400, 1, 8, 8) - 1
    out = corruption_mix((('pixels', .5), ('blur', 2.)))(x, torch.Generator().manual_seed(0))
    changed = (out != x).flatten(1).any(1).float().mean()
    assert 0.35 < changed < 0.65   # blurring a constant image changes nothing; pixel replacement changes it

def test_bench_record_schema(tmp_path, M):
    out = tmp_path/'r.json'
    rec = bench('digits', 'pixels', .3, methods='noisy,clean,parallel,nested', n_test=40, steps=4, models=M,
                out=out, progress=False, refreshes=2)
    disk = json.loads(out.read_text())
    fct.test_eq(set(disk), {'task', 'corruption', 'level', 'n_test', 'unit', 'steps', 'seed', 'samples', 'split', 'holdout',
                            'sampler', 'models', 'version', 'commit', 'options', 'precision', 'results'})
    fct.test_eq(disk['sampler'], {'signal': 'posterior_mean', 'logit': 'posterior_mean'}); fct.test_eq(disk['models'], 'digits.pt')
    fct.test_eq(disk['options'], {'warmup': .5, 'rounds': 5, 'refreshes': 2, 'temperature': 1.})
    r = disk['results']['parallel']
    fct.test_eq(set(r), {'metric', 'value', 'ci95', 'value_restored', 'nfe', 'seconds', 'correct', 'steps'})
    fct.test_eq(len(r['correct']), 40); fct.test_eq(sum(r['correct']), round(40*r['value']))
    fct.test_eq(r['nfe']['signal'], 4); fct.test_eq(disk['results']['nested']['nfe']['signal'], 12)
    assert r['ci95'][0] <= r['value'] <= r['ci95'][1]
    assert disk['results']['noisy']['value_restored'] is None
    assert '| parallel |' in format_table(rec)

def test_bench_seed_reproducible(M):
    a = bench('digits', 'pixels', .5, methods='parallel', n_test=30, steps=4, seed=3, models=M, progress=False)
    b = bench('digits', 'pixels', .5, methods='parallel', n_test=30, steps=4, seed=3, models=M, progress=False)
    fct.test_eq(a['results']['parallel']['value'], b['results']['parallel']['value'])

def test_bad_input(M):
    fct.test_fail(lambda: bench('digits', methods='noisy,magic', models=M), contains='valid methods')
    fct.test_fail(lambda: bench('digits', 'snow', models=M), contains='valid corruptions')
    fct.test_fail(lambda: predict(torch.rand(3, 1, 28, 28), models=M), contains='expected images of shape')
    fct.test_fail(lambda: predict(torch.full((2, 1, 8, 8), float('nan')), models=M), contains='NaN')
    fct.test_fail(lambda: load_models('cifar'), contains='valid tasks')
    fct.test_fail(lambda: load_models('digits', '/nonexistent/x.pt'), contains='no checkpoint')

def test_predict_outputs(M):
    X, y = load_images('digits', 'test')
    x = (image_corruption('pixels', .3)(X[:5], torch.Generator().manual_seed(0)) + 1)/2
    o = predict(x, models=M, method='nested', steps=4, refreshes=1)
    fct.test_eq(o['pred'].shape, (5,)); fct.test_eq(o['restored'].shape, (5, 1, 8, 8))
    fct.test_eq(o['nfe'], dict(signal=8, logit=4, classifier=2))   # f on the first restoration and on the refreshed one
    o = predict(x, models=M, method='noisy')
    assert o['restored'] is None

def test_every_shipped_bundle_loads():
    "Each shipped image checkpoint matches the config the package expects for it (a changed default would refuse it)."
    import re
    from cde_nb.images import CKPT_DIR, bundle_path
    found = 0
    for p in sorted(CKPT_DIR.glob('*.pt')):
        if p.stem in TASKS: M = load_models(p.stem); found += 1
        elif (m := re.fullmatch(r'(digits|mnist)_([a-z_]+?)_([0-9.]+)', p.stem)):
            M = load_models(m[1], corruption=m[2], level=float(m[3])); found += 1
            fct.test_eq(M.source, p.name)                                          # its own bundle, not the mixed one
        else: continue
        fct.test_eq(bundle_path(M.cfg.task, *((None, None) if p.stem in TASKS else (m[2], float(m[3])))), p)
    assert found >= 2, f'expected the shipped digits and MNIST bundles in {CKPT_DIR}'

def test_shipped_checkpoints_fit_the_budget():
    "All shipped checkpoints together stay within 100 MB, shared by the digits, MNIST, CIFAR-10 and speech bundles (the others are remade by `cde-nb train`)."
    from cde_nb.images import CKPT_DIR
    total = sum(p.stat().st_size for p in CKPT_DIR.glob('*.pt'))
    assert total <= 100e6, f'shipped checkpoints are {total/1e6:.1f} MB, over the 100 MB budget'

def test_signals_in_0_1_warn(M):
    "`coupling.run` on [0, 1] images where the bundle expects [-1, 1]: a ScaleWarning naming the fix; [-1, 1] images: none."
    import warnings
    from cde_nb.coupling import run, ScaleWarning
    from cde_nb.images import load_images
    X, _ = load_images('digits', 'test')
    with pytest.warns(ScaleWarning, match=r'pass x\*2 - 1'): run(M.coupled('parallel'), (X[:4] + 1)/2, 'parallel', 2)
    with warnings.catch_warnings():
        warnings.simplefilter('error', ScaleWarning); run(M.coupled('parallel'), X[:4], 'parallel', 2)
