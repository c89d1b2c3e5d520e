"""The classes of bad input the public entry points refuse, each with the error a user gets. Shared by
tests/test_reliability.py (every message names the problem and the fix) and tools/reliability_table.py (README's
"Reliability" table), so the table cannot drift from what the code does."""
import json, torch, numpy as np
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent/'results'

def _digits():
    from cde_nb.images import load_images, image_corruption
    X, _ = load_images('digits', 'test')
    return (image_corruption('pixels', .3, 'digits')(X[:4], torch.Generator().manual_seed(0)) + 1)/2

def _predict(x, **kw):
    from cde_nb.images import predict
    return predict(x, 'digits', **kw)

def _speech(w, **kw):
    from cde_nb.speech import predict
    return predict(w, **kw)

def _wave():
    from cde_nb.data import load_fsdd
    return load_fsdd('test')[0]['wave']

def _run(**kw):
    from cde_nb.coupling import Coupled, run
    from cde_nb.diffusion import Schedule
    zero = lambda z, *a: torch.zeros_like(z)
    args = dict(strategy='parallel', steps=5) | kw
    return run(Coupled(zero, zero, lambda x: x[:, :3], Schedule(20), card=zero, x_clip=None), args.pop('x', torch.zeros(2, 3)), **args)

def _bench(**kw):
    from cde_nb.images import bench
    return bench('digits', **({'corruption': 'pixels', 'level': .3, 'progress': False} | kw))

def _other_part(t):
    "A second part of the digits pixels 0.3 record whose Enhanced disagrees with the first, beside it in folder t."
    r = json.loads((RESULTS/'digits_pixels_0.3.json').read_text()); r['results']['enhanced']['value'] -= .01
    (t/'part.json').write_text(json.dumps(r)); return str(t/'part.json')

def _bad_value(t, v):
    "A copy of the digits pixels 0.3 record whose Enhanced value is `v`, in folder t."
    r = json.loads((RESULTS/'digits_pixels_0.3.json').read_text()); r['results']['enhanced']['value'] = v
    (t/'v.json').write_text(json.dumps(r)); return True

def _cli(*argv):
    from cde_nb.cli import main
    main([*argv, '--quiet'] if argv[0] not in ('table', 'frontier') else list(argv))

def _fit(**kw):
    from cde_nb.training import fit
    import torch.nn as nn, torch.nn.functional as F
    a = dict(model=nn.Linear(1, 1), epochs=1) | kw
    return fit(a.pop('model'), lambda m, b: F.mse_loss(m(b[0]), b[0]), (torch.zeros(8, 1),), a.pop('epochs'), progress=False, **a)

def _ckpt(tmp:Path, content):
    from cde_nb.checkpoint import load_checkpoint
    p = tmp/'model.pt'
    if isinstance(content, bytes): p.write_bytes(content)
    else: torch.save(content, p)
    return load_checkpoint(p)

# (area, input, call(tmp_path), exception type, text the message must contain)
CASES = [
    ('images.predict', 'images in 0..255', lambda t: _predict(_digits()*255), ValueError, 'divide by 255'),
    ('images.predict', 'uint8 images', lambda t: _predict((_digits()*255).to(torch.uint8)), TypeError, 'images.float()/255'),
    ('images.predict', 'images in [-1,1]', lambda t: _predict(_digits()*2 - 1), ValueError, '(x + 1)/2'),
    ('images.predict', 'a numpy array', lambda t: _predict(_digits().numpy()), TypeError, 'torch.as_tensor'),
    ('images.predict', 'the wrong shape', lambda t: _predict(torch.rand(2, 1, 28, 28)), ValueError, 'expected images of shape (N, 1, 8, 8)'),
    ('images.predict', 'NaN pixels', lambda t: _predict(_digits()*float('nan')), ValueError, 'NaN'),
    ('images.predict', 'an unknown method', lambda t: _predict(_digits(), method='magic'), ValueError, 'valid methods'),
    ('images.predict', 'every pixel at 10', lambda t: _predict(torch.full((2, 1, 8, 8), 10.)), ValueError, 'most pixels are above 1'),
    ('images.predict', 'a bad option for a baseline', lambda t: _predict(_digits(), method='noisy', temperature=-1), ValueError, 'temperature must be a finite number > 0'),
    ('images.predict', 'a corruption without its level', lambda t: _predict(_digits(), corruption='pixels'), ValueError, "corruption 'pixels' needs its level"),
    ('images.predict', 'a device this machine lacks', lambda t: _predict(_digits(), device='gpu'), ValueError, "unknown device 'gpu'"),
    ('images.predict', "scikit-learn's 0..16 digits", lambda t: _predict(torch.as_tensor(__import__('sklearn.datasets', fromlist=['load_digits']).load_digits().images[:4, None]).float()), ValueError, 'divide by their maximum (16)'),
    ('images.predict', 'an empty batch', lambda t: _predict(torch.zeros(0, 1, 8, 8)), ValueError, 'the batch is empty'),
    ('images.predict', "another task's models", lambda t: __import__('cde_nb.images', fromlist=['predict']).predict(_digits(), task='mnist', models=__import__('cde_nb.images', fromlist=['load_models']).load_models('digits')), ValueError, "task='mnist' but models are the 'digits' bundle"),
    ('images.predict', 'a task name as models', lambda t: _predict(_digits(), models='digits'), TypeError, 'models must be the ImageModels'),
    ('speech.predict', 'float audio at x1000 amplitude', lambda t: _speech(_wave()*1000), ValueError, 'float audio must be in [-1, 1]'),
    ('speech.predict', 'a 2-D (stereo) array', lambda t: _speech(np.stack([_wave().numpy()]*2)), ValueError, 'average stereo channels'),
    ('speech.predict', 'a file name', lambda t: _speech('digit.wav'), TypeError, 'load it first'),
    ('speech.predict', 'the wrong sample rate', lambda t: _speech(_wave(), sr=16000), ValueError, 'torchaudio.functional.resample'),
    ('speech.predict', 'the sample rate as text', lambda t: _speech(_wave(), sr='8000'), TypeError, 'sr must be the sample rate in Hz as a number'),
    ('coupling.run', 'a knob out of range', lambda t: _run(warmup=1.5), ValueError, 'warmup=1.5 is out of range'),
    ('coupling.run', "another strategy's knob", lambda t: _run(rounds=3), TypeError, 'rounds is not a knob of parallel'),
    ('coupling.run', 'a sampler naming a chain twice', lambda t: _run(sampler='signal=ddpm,signal=ddim'), ValueError, 'names a chain twice'),
    ('coupling.run', 'an unknown precision', lambda t: _run(precision='fp16'), ValueError, "unknown precision 'fp16'"),
    ('coupling.run', 'zero rounds', lambda t: _run(strategy='alternating', rounds=0), ValueError, 'must be an integer >= 1'),
    ('coupling.run', 'a fractional count', lambda t: _run(samples=2.5), ValueError, 'samples must be an int >= 1'),
    ('coupling.run', 'temperature 0', lambda t: _run(temperature=0), ValueError, 'temperature must be a finite number > 0'),
    ('coupling.run', 'steps beyond T', lambda t: _run(steps=50), ValueError, 'need 1 <= steps <= T=20'),
    ('coupling.run', 'an unknown sampler', lambda t: _run(sampler='euler'), ValueError, 'valid samplers are ddpm, ddim, posterior_mean'),
    ('coupling.run', 'a fractional seed', lambda t: _run(seed=2.5), ValueError, 'seed must be an int >= 0'),
    ('coupling.run', 'no Coupled model', lambda t: __import__('cde_nb.coupling', fromlist=['run']).run(None, torch.zeros(2, 3)), TypeError, 'm must be a Coupled'),
    ('training', 'fractional epochs', lambda t: _fit(epochs=2.5), ValueError, 'epochs must be an int >= 1'),
    ('training', 'batch size 0', lambda t: _fit(bs=0), ValueError, 'bs must be an int >= 1'),
    ('training', 'a model that is a function', lambda t: _fit(model=lambda x: x), TypeError, 'model must be an nn.Module'),
    ('bench', 'a knob no method asked takes', lambda t: _bench(methods='enhanced,parallel', rounds=3), ValueError, 'none of the methods asked (enhanced, parallel) takes it'),
    ('bench', 'n_test 0', lambda t: _bench(n_test=0), ValueError, 'n_test must be an int >= 1'),
    ('bench', 'an infinite level', lambda t: _bench(level=float('inf')), ValueError, 'level must be a finite number'),
    ('bench', 'an output folder that cannot be made', lambda t: _bench(out='/proc/none/r.json'), ValueError, 'cannot create the folder'),
    ('cde-nb', 'bench --n-test -5', lambda t: _cli('bench', '--n-test', '-5'), SystemExit, 'n_test must be an int >= 1'),
    ('cde-nb', 'train --epochs 0', lambda t: _cli('train', '--epochs', '0'), SystemExit, '--epochs must be an int >= 1'),
    ('cde-nb', 'bench --task fsdd --corruption blur', lambda t: _cli('bench', '--task', 'fsdd', '--corruption', 'blur'), SystemExit, 'its corruptions are white'),
    ('cde-nb', 'table on a file that is not JSON', lambda t: (t/'x.json').write_text('{oops') and _cli('table', str(t/'x.json')), SystemExit, 'is not JSON'),
    ('cde-nb', 'table --few-steps 0', lambda t: _cli('table', '--few-steps', '0', str(RESULTS/'digits_pixels_0.3.json')), SystemExit, '--few-steps must be a step count >= 1'),
    ('cde-nb', 'table of an accuracy record and a WER record', lambda t: _cli('table', str(RESULTS/'digits_pixels_0.3.json'), str(RESULTS/'fsdd_white_5.json')), SystemExit, 'these records measure different things'),
    ('cde-nb', 'table on a record with an accuracy of 1.7', lambda t: _bad_value(t, 1.7) and _cli('table', str(t/'v.json')), SystemExit, 'an accuracy is a fraction in [0, 1]'),
    ('cde-nb', 'table on a record with a NaN accuracy', lambda t: _bad_value(t, float('nan')) and _cli('table', str(t/'v.json')), SystemExit, 'an accuracy is a fraction in [0, 1]'),
    ('cde-nb', 'table on a record whose accuracy is text', lambda t: _bad_value(t, '0.9') and _cli('table', str(t/'v.json')), SystemExit, 'lacks its value (a number)'),
    ('cde-nb', 'bench --sweep-steps with nothing in it', lambda t: _cli('bench', '--sweep-steps', ''), SystemExit, '--sweep-steps is empty'),
    ('cde-nb', 'train --corruption gaussian --level 0', lambda t: _cli('train', '--corruption', 'gaussian', '--level', '0'), SystemExit, 'leaves the images unchanged'),
    ('cde-nb', 'train when OUT.state is a file', lambda t: (t/'m.pt.state').write_text('x') and _cli('train', '--out', str(t/'m.pt')), SystemExit, 'is a file, but the training keeps its state in a folder'),
    ('cde-nb', 'bench --sweep-steps 1,x', lambda t: _cli('bench', '--sweep-steps', '1,x'), SystemExit, 'comma-separated integers'),
    ('cde-nb', 'bench --sweep-steps 1,500 (beyond T)', lambda t: _cli('bench', '--sweep-steps', '1,500', '--out', str(t/'s.json')), SystemExit, 'steps=500 is out of range'),
    ('cde-nb', 'bench --nfe-budget 5 for Alternating', lambda t: _cli('bench', '--methods', 'alternating', '--nfe-budget', '5'), SystemExit, 'give a budget of at least 15'),
    ('cde-nb', 'bench --sweep-steps with --nfe-budget', lambda t: _cli('bench', '--sweep-steps', '1,2', '--nfe-budget', '9'), SystemExit, 'exclude each other'),
    ('cde-nb', 'frontier of two different settings', lambda t: _cli('frontier', str(RESULTS/'digits_pixels_0.3.json'), str(RESULTS/'digits_blur_2.json'), '--fig', str(t/'f.png')), SystemExit, 'a frontier draws one setting, and these files hold 2'),
    ('cde-nb', 'table --few-steps 7 without a 7-step record', lambda t: _cli('table', '--few-steps', '7', str(RESULTS/'digits_pixels_0.3.json')), SystemExit, 'no 7-step run'),
    ('cde-nb', 'bench --task toy --n-test 0', lambda t: _cli('bench', '--task', 'toy', '--n-test', '0'), SystemExit, 'n_test must be an int >= 1'),
    ('cde-nb', 'demo --device gpu', lambda t: _cli('demo', '--device', 'gpu'), SystemExit, "unknown --device 'gpu'"),
    ('cde-nb', 'demo --fig in a format matplotlib lacks', lambda t: _cli('demo', '--fig', str(t/'demo.bogus')), SystemExit, 'cannot save a figure as'),
    ('cde-nb', 'table on a folder', lambda t: _cli('table', str(t)), SystemExit, 'is a folder: give the JSON files in it'),
    ('cde-nb', 'table on a record without results', lambda t: (t/'e.json').write_text(json.dumps(dict(task='digits', corruption='pixels', level=.3, results={}))) and _cli('table', str(t/'e.json')), SystemExit, 'its results are empty'),
    ('cde-nb', 'table on a record whose level is text', lambda t: (t/'l.json').write_text(json.dumps(dict(task='digits', corruption='pixels', level='0.3', results={}))) and _cli('table', str(t/'l.json')), SystemExit, "level is '0.3', not a number"),
    ('cde-nb', 'table on two parts of one setting that disagree', lambda t: _cli('table', str(RESULTS/'digits_pixels_0.3.json'), _other_part(t)), SystemExit, 'disagree on enhanced'),
    ('cde-nb', 'frontier --zoom -5', lambda t: _cli('frontier', str(RESULTS/'digits_pixels_0.3.json'), '--fig', str(t/'f.png'), '--zoom', '-5'), SystemExit, '--zoom must be a positive number'),
    ('cde-nb', 'train --data full for digits', lambda t: _cli('train', '--task', 'digits', '--data', 'full'), SystemExit, "(it is for --task mnist)"),
    ('checkpoint', 'an empty file', lambda t: _ckpt(t, b''), ValueError, 'is empty (0 bytes)'),
    ('checkpoint', 'a text file', lambda t: _ckpt(t, b'see the drive\n'), ValueError, 'it is a text file'),
    ('checkpoint', 'random bytes', lambda t: _ckpt(t, bytes(range(256))*8), ValueError, 'not a PyTorch zip archive'),
    ('checkpoint', 'a plain torch.save of a tensor', lambda t: _ckpt(t, torch.zeros(3)), ValueError, 'not a cde_nb checkpoint'),
    ('explorer', 'port 70000', lambda t: __import__('cde_nb.explorer_server', fromlist=['check_port']).check_port(70000), ValueError, 'a port is a whole number from 1 to 65535'),
]
