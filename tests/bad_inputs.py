"""The one catalogue of bad (and borderline) inputs to cde_nb's public entry points, and how to run them.

Each `Case` calls one entry point with one bad input: a Python expression evaluated in the namespace that `setup`
makes ('py'), the arguments of `cde-nb` ('cli'), or a bash pipeline ('sh'); `expect` says whether it should be
refused ('error'), accepted ('accept', with its `reason`) or accepted with a warning ('warn'); a refusal's message
must contain one of `names`. A case with `text` is pinned: its message must contain that exact fragment, and it is a
row of the Reliability table of RESULTS.md.

Who runs it:
    tests/test_reliability.py    every case, in-process ('cli' through cde_nb.cli.main), one test per case
    tools/reliability_table.py   the pinned cases, in-process: prints RESULTS.md's Reliability table
    tools/bad_input_sweep.py     every case, 'cli' and 'sh' as real `cde-nb` subprocesses: writes results/bad_inputs.md

Outcomes (of `run_python`, `run_cli` and `run_process`):
  CLEAR        a Python exception of a normal type (ValueError, TypeError, FileNotFoundError, ...) whose message names
               the problem; for the CLI: a refusal (a non-zero exit with a message, no traceback) naming the problem
  TRACEBACK    the CLI printed a Python traceback (or 'Exception ignored ...'), or let an exception escape `main`, or a
               Python call raised an internal or unhelpful error (KeyError, AttributeError, IndexError,
               UnboundLocalError, ZeroDivisionError, a RuntimeError from torch, ...), or an error whose message does not
               name the problem
  SILENT       accepted and returned a result, with no error or warning, where it should have refused
  HANG         ran past its time limit (120 s per CLI subprocess, 90 s per in-process case)
  OK-ACCEPTED  legitimately accepted (a documented conversion, a warning, a default), with the reason

Everything is written under one temporary folder ($TMP in the calls; `setup` fills it, `teardown` removes it); the
CLI runs with $TMP/cwd as its working directory. $RESULTS in a call is the checkout's results/ folder (committed bench
records, only read). Keep it cheap: digits models, 5 test images, 1-2 steps, one thread, nothing trained beyond a toy
fit.
"""
from __future__ import annotations
import os
os.environ.setdefault('MPLBACKEND', 'Agg')
import sys, re, io, json, time, math, shlex, shutil, signal, socket, random, zipfile, contextlib
import subprocess, traceback, warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI_TIMEOUT, PY_TIMEOUT = 120, 90

# ----------------------------------------------------------------------------------------------------------------- cases
@dataclass
class Case:
    area: str              # the entry point
    name: str              # what is bad about the input (a pinned case's wording is the Reliability table's)
    call: str              # Python: an expression evaluated in the namespace of `setup`; CLI: the arguments of `cde-nb`
    kind: str = 'py'       # 'py', 'cli' (cde-nb ARGS) or 'sh' (a bash pipeline)
    expect: str = 'error'  # 'error': it should refuse; 'accept': it may run (see `reason`); 'warn': run with a warning
    names: tuple = ()      # words one of which a clear message contains (case-insensitive); () accepts any message
    fix: str = ''          # the expected class of fix if the outcome is not CLEAR / OK-ACCEPTED
    reason: str = ''       # why accepting is right (expect 'accept' / 'warn'), or why a case is slow
    text: str = ''         # pinned: the exact fragment the message must contain (a row of the Reliability table)

    @property
    def pinned(self)->bool: return bool(self.text)

CASES: list[Case] = []
def py(area, name, call, names=(), fix='', expect='error', reason='', text=''):
    CASES.append(Case(area, name, call, 'py', expect, tuple(names), fix, reason, text))
def cli(area, name, args, names=(), fix='', expect='error', reason='', text=''):
    CASES.append(Case(area, name, args, 'cli', expect, tuple(names), fix, reason, text))
def sh(area, name, cmd, names=(), fix='', expect='error', reason='', text=''):
    CASES.append(Case(area, name, cmd, 'sh', expect, tuple(names), fix, reason, text))

V = "validate up front and raise ValueError naming the argument"
T_ = "raise TypeError naming the argument and the type it needs"

# --- cde_nb.images.predict: images (N,1,8,8) in [0,1]; `X` clean digits in [0,1] (4 of them), `M` the digits models
A = 'images.predict'
py(A, 'a numpy array', "predict(X.numpy(), models=M, steps=2)", ['Tensor'], T_, text='torch.as_tensor')
py(A, 'str (a file name)', "predict('digit.png', models=M, steps=2)", ['Tensor'], T_)
py(A, 'None', "predict(None, models=M, steps=2)", ['Tensor'], T_)
py(A, 'uint8 images', "predict((X*255).to(torch.uint8), models=M, steps=2)", ['uint8', '255'], T_, text='images.float()/255')
py(A, 'float64 images', "predict(X.double(), models=M, steps=2)", expect='accept', reason='float64 is converted to float32 (documented in the code)')
py(A, 'bool images', "predict(X > .5, models=M, steps=2)", ['bool', 'float'], T_)
py(A, 'missing batch dim (1,8,8)', "predict(X[0], models=M, steps=2)", ['shape'], V)
py(A, 'the wrong shape', "predict(torch.rand(2, 1, 28, 28), models=M, steps=2)", ['shape', '28'], V,
   text='expected images of shape (N, 1, 8, 8)')
py(A, 'an empty batch', "predict(X[:0], models=M, steps=2)", ['shape', 'empty'], V, text='the batch is empty')
py(A, 'images in 0..255', "predict(X*255, models=M, steps=2)", ['255'], V, text='divide by 255')
py(A, 'images in [-1,1]', "predict(X*2 - 1, models=M, steps=2)", ['[-1,1]', '-1'], V, text='(x + 1)/2')
py(A, 'NaN pixels', "predict(torch.where(torch.arange(64).view(1, 1, 8, 8) == 0, float('nan'), X), models=M, steps=2)", ['nan'], V,
   text='NaN')
py(A, 'every pixel at 10', "predict(torch.full((2, 1, 8, 8), 10.), models=M, steps=2)", ['range', '[0,1]', '10'],
   'refuse images far outside [0,1] (the check only fires above 20 or on a negative median)', text='most pixels are above 1')
py(A, "scikit-learn's 0..16 digits", "predict(SK, models=M, steps=2)", ['16'], V, text='divide by their maximum (16)')
py(A, 'an unknown method', "predict(X, models=M, method='bogus', steps=2)", ['method'], V, text='valid methods')
py(A, "method 'clean'", "predict(X, models=M, method='clean', steps=2)", ['clean'], V)
py(A, 'steps 0', "predict(X, models=M, steps=0)", ['steps'], V)
py(A, 'steps 2.5', "predict(X, models=M, steps=2.5)", ['steps'], V)
py(A, 'steps huge', "predict(X, models=M, steps=10**6)", ['steps'], V)
py(A, 'samples 2.5', "predict(X, models=M, steps=2, samples=2.5)", ['samples'], V)
py(A, 'samples numpy int64', "predict(X, models=M, steps=2, samples=np.int64(2))", expect='accept', reason='a numpy integer is an integer')
py(A, 'temperature nan', "predict(X, models=M, steps=2, temperature=float('nan'))", ['temperature'], V)
py(A, 'warmup 5', "predict(X, models=M, steps=2, warmup=5)", ['warmup'], V)
py(A, 'unknown option (parallel)', "predict(X, models=M, steps=2, foo=1)", ['foo'], T_)
py(A, "unknown option with method 'noisy'", "predict(X, models=M, method='noisy', foo=1)", ['foo'],
   'check the options (run_options) for baselines too, as speech.predict does')
py(A, 'a bad option for a baseline', "predict(X, models=M, method='noisy', temperature=-1)", ['temperature'],
   'check temperature/knobs for baselines too, as speech.predict does', text='temperature must be a finite number > 0')
py(A, "steps -1 with method 'noisy'", "predict(X, models=M, method='noisy', steps=-1)", ['steps'],
   'check steps/samples for every method (speech.predict refuses steps=-1 for any method)')
py(A, 'bad per-chain sampler', "predict(X, models=M, steps=2, sampler='signal=ddpm,logit=bogus')", ['sampler', 'bogus'], V)
py(A, 'unknown task', "predict(X, task='bogus', steps=2)", ['task'], V)
py(A, 'unknown corruption (no models)', "predict(X, steps=2, corruption='bogus', level=0.3)", ['corruption'],
   "refuse an unknown corruption (it falls back to the mixed bundle without a word)")
py(A, 'a corruption without its level', "predict(X, steps=2, corruption='pixels')", ['level'],
   "refuse (or ignore) a corruption without a level with a ValueError naming level", text="corruption 'pixels' needs its level")
py(A, 'level nan', "predict(X, steps=2, corruption='pixels', level=float('nan'))", ['level'], "refuse a non-finite level")
py(A, 'a device this machine lacks', "predict(X, models=M, steps=2, device='gpu')", ['device'], "raise ValueError naming the device",
   text="unknown device 'gpu'")
py(A, "device 'cuda' (none here)", "predict(X, models=M, steps=2, device='cuda')", ['cuda'], "raise ValueError: no CUDA device")
py(A, 'seed 2.5', "predict(X, models=M, steps=2, seed=2.5)", ['seed'], T_)
py(A, 'a task name as models', "predict(X, models='digits', steps=2)", ['models', 'ImageModels'], T_, text='models must be the ImageModels')
py(A, "another task's models", "predict(X, task='mnist', models=M, steps=2)", ['task', 'models'], V,
   text="task='mnist' but models are the 'digits' bundle")

# --- cde_nb.speech.predict: `w` a real FSDD test recording (float32, 8 kHz), `SM` the speech models
A = 'speech.predict'
py(A, 'int16 PCM tensor', "speech.predict((w*20000).to(torch.int16), models=SM, steps=2)", expect='warn', reason='int16 PCM is converted (PCMWarning)')
py(A, 'float64 numpy', "speech.predict(w.numpy().astype(np.float64), models=SM, steps=2)", expect='accept', reason='float64 audio is converted to float32')
py(A, 'batch: list of 2 recordings', "speech.predict([w, w[:3000]], models=SM, steps=2)", expect='accept', reason='documented: a list of recordings')
py(A, 'float audio at x1000 amplitude', "speech.predict(w*1000, models=SM, steps=2)", ['peak', '[-1, 1]'], V,
   text='float audio must be in [-1, 1]')
py(A, 'NaN sample', "speech.predict(torch.cat([w[:-1], torch.tensor([float('nan')])]), models=SM, steps=2)", ['nan'], V)
py(A, 'empty tensor', "speech.predict(torch.zeros(0), models=SM, steps=2)", ['samples', 'empty'], V)
py(A, 'silent (all zeros)', "speech.predict(torch.zeros(4000), models=SM, steps=2)", ['silent'], V)
py(A, 'a 2-D (stereo) array', "speech.predict(np.stack([w.numpy()]*2), models=SM, steps=2)", ['mono', 'shape'], V,
   text='average stereo channels')
py(A, 'bool tensor', "speech.predict(w > 0, models=SM, steps=2)", ['bool'], T_)
py(A, 'a file name', "speech.predict('digit.wav', models=SM, steps=2)", ['str', 'soundfile'], T_, text='load it first')
py(A, 'None', "speech.predict(None, models=SM, steps=2)", ['NoneType', 'None'], T_)
py(A, 'empty list', "speech.predict([], models=SM, steps=2)", ['no recordings'], V)
py(A, 'the wrong sample rate', "speech.predict(w, sr=16000, models=SM, steps=2)", ['sample-rate', '16000'], V,
   text='torchaudio.functional.resample')
py(A, 'the sample rate as text', "speech.predict(w, sr='8000', models=SM, steps=2)", ['str', 'int', 'type'],
   "say that sr must be an int (the message reads 'got 8000 Hz but the models work at 8000 Hz')",
   text='sr must be the sample rate in Hz as a number')
py(A, "image-only method 'retrained'", "speech.predict(w, method='retrained', models=SM, steps=2)", ['method', 'retrained'], V)
py(A, 'steps 0', "speech.predict(w, models=SM, steps=0)", ['steps'], V)
py(A, 'temperature 0', "speech.predict(w, models=SM, steps=2, temperature=0)", ['temperature'], V)
py(A, 'unknown option', "speech.predict(w, models=SM, steps=2, foo=1)", ['foo'], T_)
py(A, "models a str ('fsdd')", "speech.predict(w, models='fsdd', steps=2)", ['models', 'SpeechModels'], T_)

# --- cde_nb.coupling.run: `m` the digits Parallel pair, `ms` the sampled pair, `x` corrupted digits in [-1,1] (4,1,8,8)
A = 'coupling.run'
py(A, 'x_cor numpy', "run(m, x.numpy(), 'parallel', 2)", ['Tensor'], T_)
py(A, 'x_cor int tensor', "run(m, x.long(), 'parallel', 2)", ['floating'], T_)
py(A, 'x_cor float64', "run(m, x.double(), 'parallel', 2)", ['float64', 'double', 'dtype'],
   "convert float64 input to the models' dtype, or refuse it with a TypeError naming the dtype")
py(A, 'x_cor missing batch dim (1,8,8)', "run(m, x[0], 'parallel', 2)", ['shape', 'batch'],
   "refuse a signal without a batch dim (here (1,8,8) passes check_input as a batch of one (8,8) signal)")
py(A, 'x_cor wrong size (28x28), parallel', "run(m, torch.zeros(2, 1, 28, 28), 'parallel', 2)", ['shape'], V)
py(A, 'x_cor wrong size (28x28), enhanced', "run(m, torch.zeros(2, 1, 28, 28), 'enhanced', 2)", ['shape', 'height', 'size'],
   "check x_cor's shape against the signal denoiser before the signal chain runs")
py(A, 'x_cor empty', "run(m, x[:0], 'parallel', 2)", ['empty', 'non-empty'], V)
py(A, 'x_cor NaN', "run(m, x*float('nan'), 'parallel', 2)", ['nan'], V)
py(A, 'x_cor in 0..255', "run(m, (x + 1)*127.5, 'parallel', 2)", expect='accept',
   reason='run is domain-agnostic (any signal); the image range is checked by images.predict')
py(A, 'unknown strategy', "run(m, x, 'bogus', 2)", ['strategy'], V)
py(A, "baseline 'noisy' as strategy", "run(m, x, 'noisy', 2)", ['strategy'], V)
py(A, 'steps -1', "run(m, x, 'parallel', -1)", ['steps'], V)
py(A, 'steps None', "run(m, x, 'parallel', None)", ['steps'], T_)
py(A, 'samples 0', "run(m, x, 'parallel', 2, samples=0)", ['samples'], V)
py(A, 'temperature 0', "run(m, x, 'parallel', 2, temperature=0)", ['temperature'], V, text='temperature must be a finite number > 0')
py(A, 'zero rounds', "run(ms, x, 'alternating', 2, rounds=0)", ['rounds'], V, text='must be an integer >= 1')
py(A, 'rounds 2.5', "run(ms, x, 'alternating', 2, rounds=2.5)", ['rounds'], V)
py(A, 'refreshes -1', "run(ms, x, 'nested', 2, refreshes=-1)", ['refreshes'], V)
py(A, 'an unknown sampler', "run(m, x, 'parallel', 2, sampler='bogus')", ['sampler'], V,
   text='valid samplers are ddpm, ddim, posterior_mean')
py(A, 'no Coupled model', "run(None, x, 'parallel', 2)", ['Coupled', 'm '], "raise TypeError: m must be a Coupled",
   text='m must be a Coupled')
# the same checks on `Z`, a toy pair of zero denoisers over 3 features with T=20 (`z`: 2 rows of zeros)
py(A, 'a knob out of range', "run(Z, z, 'parallel', 5, warmup=1.5)", ['warmup'], V, text='warmup=1.5 is out of range')
py(A, "another strategy's knob", "run(Z, z, 'parallel', 5, rounds=3)", ['rounds'], T_, text='rounds is not a knob of parallel')
py(A, 'a sampler naming a chain twice', "run(Z, z, 'parallel', 5, sampler='signal=ddpm,signal=ddim')", ['sampler', 'twice'], V,
   text='names a chain twice')
py(A, 'an unknown precision', "run(Z, z, 'parallel', 5, precision='fp16')", ['precision'], V, text="unknown precision 'fp16'")
py(A, 'a fractional count', "run(Z, z, 'parallel', 5, samples=2.5)", ['samples'], V, text='samples must be an int >= 1')
py(A, 'steps beyond T', "run(Z, z, 'parallel', 50)", ['steps'], V, text='need 1 <= steps <= T=20')
py(A, 'a fractional seed', "run(Z, z, 'parallel', 5, seed=2.5)", ['seed'], V, text='seed must be an int >= 0')
py('bench.method_probs', 'a baseline given integer images', "B.method_probs(ImageTask('digits'), M, 'noisy', x.long())", ['floating point'], V)
py('bench.method_probs', "clean signals x0 of another batch size", "B.method_probs(ImageTask('digits'), M, 'clean', x, x[:2])", ['x0'], V)
py('images.image_corruption', 'an unknown task', "image_corruption('pixels_meanstd', .3, 'bogus')", ['task'], V)

# --- cde_nb.checkpoint.load_checkpoint: bad files in $TMP (see `make_files`)
A = 'checkpoint.load_checkpoint'
py(A, 'missing file', "load_checkpoint(F['missing'])", ['no checkpoint'], V)
py(A, 'a folder', "load_checkpoint(F['folder'])", ['folder'], V)
py(A, 'an empty file', "load_checkpoint(F['empty'])", ['empty'], V, text='is empty (0 bytes)')
py(A, 'a text file', "load_checkpoint(F['text'])", ['text'], V, text='it is a text file')
py(A, 'random bytes', "load_checkpoint(F['random'])", ['not a PyTorch', 'not a cde_nb'], V, text='not a PyTorch zip archive')
py(A, 'truncated checkpoint', "load_checkpoint(F['truncated'])", ['truncated', 'damaged'], V)
py(A, 'one byte flipped', "load_checkpoint(F['flipped'])", ['damaged', 'checksum'], V)
py(A, 'Git LFS pointer', "load_checkpoint(F['lfs'])", ['LFS'], V)
py(A, 'a plain torch.save of a tensor', "load_checkpoint(F['tensor'])", ['not a cde_nb'], V, text='not a cde_nb checkpoint')
py(A, 'bare state dict', "load_checkpoint(F['bare'])", ['bare state dict'], V)
py(A, 'missing config', "load_checkpoint(F['noconfig'])", ['config'], V)
py(A, 'future format /2', "load_checkpoint(F['future'])", ['format'], V)
py(A, 'pickled Python object inside', "load_checkpoint(F['pickled'])", ['refused', 'pickled'], V)
py(A, 'expected config differs', "load_checkpoint(F['small'], expected_config={'task': 'digits'})", ['config'], V)
py(A, "weights don't fit the model", "load_checkpoint(F['digits'], model=SmallCNN(10, 1, 8))", ['fit'], V)
py(A, 'path None', "load_checkpoint(None)", ['path', 'PathLike', 'None'], T_)

# --- cde_nb.checkpoint.save_checkpoint
A = 'checkpoint.save_checkpoint'
py(A, 'path is a folder', "save_checkpoint(F['folder'], nn.Linear(2, 1), {'task': 'x'})", ['folder'], V)
py(A, 'parent is a file', "save_checkpoint(F['afile']/'x.pt', nn.Linear(2, 1), {'task': 'x'})", ['in the way', 'file'], V)
py(A, 'unwritable folder (immutable)', "save_checkpoint(F['readonly']/'x.pt', nn.Linear(2, 1), {'task': 'x'})", ['permission', 'not permitted', 'write'], V)
py(A, 'config None', "save_checkpoint(F['tmp']/'s.pt', nn.Linear(2, 1), None)", ['config'], "raise TypeError: config must be a dict")
py(A, 'config holds an object', "save_checkpoint(F['tmp']/'s.pt', nn.Linear(2, 1), {'obj': object()})", ['config', 'plain'], T_)

# --- cde_nb.training.fit: a toy nn.Linear(2, 1) and 8 rows (`lin()` makes a fresh one, `D` the data, `L` the loss)
A = 'training.fit'
py(A, 'epochs 0', "fit(lin(), L, D, 0, progress=False)", ['epochs'], V)
py(A, 'fractional epochs', "fit(lin(), L, D, 2.5, progress=False)", ['epochs'], "raise ValueError: epochs must be an int >= 1",
   text='epochs must be an int >= 1')
py(A, "epochs '1' (str)", "fit(lin(), L, D, '1', progress=False)", ['epochs'], "raise TypeError: epochs must be an int")
py(A, 'data empty', "fit(lin(), L, (torch.zeros(0, 2),), 1, progress=False)", ['empty'], V)
py(A, 'data numpy', "fit(lin(), L, D[0].numpy(), 1, progress=False)", ['tensor'], T_)
py(A, 'batch size 0', "fit(lin(), L, D, 1, bs=0, progress=False)", ['bs', 'batch'], "raise ValueError: bs must be an int >= 1",
   text='bs must be an int >= 1')
py(A, 'loss is NaN', "fit(lin(), lambda net, b: net(b[0]).mean()*float('nan'), D, 1, progress=False)", ['loss'], V)
py(A, 'loss_fn None', "fit(lin(), None, D, 1, progress=False)", ['loss_fn'], "raise TypeError: loss_fn must be callable")
py(A, 'a model that is a function', "fit(lambda x: x, L, D, 1, progress=False)", ['model', 'Module'], "raise TypeError: model must be an nn.Module",
   text='model must be an nn.Module')
py(A, "device 'bogus'", "fit(lin(), L, D, 1, device='bogus', progress=False)", ['device'], "raise ValueError naming the device")
py(A, 'state_path is a model checkpoint', "fit(lin(), L, D, 1, state_path=F['small_copy'], progress=False)", ['checkpoint', 'state'], V)
py(A, 'a negative grad_clip (it would turn the gradient around)', "fit(lin(), L, D, 1, grad_clip=-1., progress=False)", ['grad_clip'], V)
py(A, 'lr 0', "fit(lin(), L, D, 1, lr=0, progress=False)", ['lr'], V)
py(A, "lr '1e-3' (str)", "fit(lin(), L, D, 1, lr='1e-3', progress=False)", ['lr'], V)
py(A, 'a fractional seed', "fit(lin(), L, D, 1, seed=2.5, progress=False)", ['seed'], V)
py(A, 'a loss that is a vector', "fit(lin(), lambda net, b: net(b[0]).pow(2), D, 1, progress=False)", ['scalar', '.mean()'], V)

# --- cde_nb.images.load_models
A = 'images.load_models'
py(A, 'unknown task', "load_models('bogus')", ['task'], V)
py(A, "another task's checkpoint (fsdd.pt)", "load_models('digits', path=F['fsdd'])", ['speech checkpoint'], V)
py(A, 'garbage file', "load_models('digits', path=F['random'])", ['not a'], V)
py(A, "data 'full' for digits", "load_models('digits', data='full')", ['full'], V)
py(A, 'corruption without level', "load_models('digits', corruption='pixels')", ['level'], "raise ValueError: give a level with the corruption")
py(A, 'unknown corruption', "load_models('digits', corruption='bogus', level=0.3)", ['corruption'],
   "refuse an unknown corruption (it falls back to the mixed bundle without a word)")
py(A, "device 'cuda' (none here)", "load_models('digits', device='cuda')", ['cuda'], "raise ValueError: no CUDA device")
py(A, 'cfg a dict', "load_models('digits', cfg={'task': 'digits'})", ['cfg', 'ImageConfig'], "raise TypeError: cfg must be an ImageConfig")

# --- cde_nb.images.bench (methods 'noisy' unless a strategy is needed, 5 images, the loaded models)
A = 'images.bench'
BK = "models=M, progress=False, n_test=5, steps=2"
py(A, 'unknown corruption', f"images.bench('digits', 'bogus', 0.3, methods='noisy', {BK})", ['corruption'], V)
py(A, 'level nan', f"images.bench('digits', 'pixels', float('nan'), methods='noisy', {BK})", ['level'], V)
py(A, 'an infinite level', f"images.bench('digits', 'pixels', float('inf'), methods='noisy', {BK})", ['level'], V,
   text='level must be a finite number')
py(A, "level '0.3' (str)", f"images.bench('digits', 'pixels', '0.3', methods='noisy', {BK})", ['level'], V)
py(A, "methods ''", f"images.bench('digits', methods='', {BK})", ['method'], V)
py(A, 'n_test 0', "images.bench('digits', methods='noisy', models=M, progress=False, n_test=0)", ['n_test'], V,
   text='n_test must be an int >= 1')
py(A, 'n_test 2.5', "images.bench('digits', methods='noisy', models=M, progress=False, n_test=2.5)", ['n_test'], V)
py(A, 'n_test numpy int64', "images.bench('digits', methods='noisy', models=M, progress=False, n_test=np.int64(5))", expect='accept',
   reason='a numpy integer is an integer')
py(A, 'steps [2, 2]', "images.bench('digits', methods='parallel', models=M, progress=False, n_test=5, steps=[2, 2])", ['distinct'], V)
py(A, "split 'train'", f"images.bench('digits', methods='noisy', split='train', {BK})", ['split'], V)
py(A, 'a knob no method asked takes', f"images.bench('digits', 'pixels', 0.3, methods='enhanced,parallel', rounds=3, {BK})",
   ['rounds'], V, text='none of the methods asked (enhanced, parallel) takes it')
py(A, 'nfe_budget 1 (too small)', f"images.bench('digits', methods='parallel', nfe_budget=1, {BK})", ['budget'], V)
py(A, 'out is a folder', f"images.bench('digits', methods='noisy', out=F['folder'], {BK})", ['folder'], V)
py(A, 'out in an unwritable folder', f"images.bench('digits', methods='noisy', out=F['readonly']/'r.json', {BK})", ['write'], V)
py(A, 'an output folder that cannot be made', f"images.bench('digits', 'pixels', 0.3, methods='noisy', out='/proc/none/r.json', {BK})",
   ['folder'], V, text='cannot create the folder')
py(A, 'mnist models for task digits', "images.bench('digits', methods='noisy', models=MM, progress=False, n_test=5)", ['models', 'mnist', 'shape'],
   "check that the models' task is the bench's task")
py(A, "device 'bogus'", "images.bench('digits', methods='noisy', device='bogus', progress=False, n_test=5)", ['device'], "raise ValueError naming the device")

# --- cde_nb.bench.bench (the Task-generic harness) and speech.bench_speech
A = 'bench.bench'
py(A, "task a str ('digits')", "B.bench('digits', 'pixels', 0.3, methods='noisy', models=M, n_test=5, progress=False)", ['task', 'Task'],
   "raise TypeError: task must be a Task object (e.g. ImageTask('digits'))")
py(A, 'methods a list with an unknown', "B.bench(ImageTask('digits'), 'pixels', 0.3, methods=['noisy', 'magic'], models=M, n_test=5, progress=False)", ['magic'], V)
py(A, 'out an unwritable system folder (/sys)', "B.bench(ImageTask('digits'), 'pixels', 0.3, methods='noisy', models=M, n_test=5, progress=False, out='/sys/cde_nb_bad_input.json')",
   ['write', 'permission'], "check_out should try to create a file (os.access passes for root on /sys), or write_record should raise ValueError")
py(A, 'speech models for an image task', "B.bench(ImageTask('digits'), 'pixels', 0.3, methods='noisy', models=SM, n_test=5, progress=False)", ['models', 'shape'],
   "check the models against the task")
py(A, 'bench_speech n_test 0', "speech.bench_speech('white', 5., methods='noisy', n_test=0, steps=1, models=SM, progress=False)", ['n_test'], V)

# --- cde_nb.explorer_server: port checks only (nothing is served)
A = 'explorer'
py(A, 'port 70000', "explorer_server.check_port(70000)", ['port'], V, text='a port is a whole number from 1 to 65535')
py(A, 'check_port -1', "explorer_server.check_port(-1)", ['port'], V)
py(A, "check_port '8866' (str)", "explorer_server.check_port('8866')", ['port'], V)
py(A, 'check_port True', "explorer_server.check_port(True)", ['port'], V)
py(A, 'choose_port on a busy port', "explorer_server.choose_port(BUSY)", expect='accept', reason='documented: the next free port is served (and printed)')
py(A, 'explore(port=70000)', "explorer_server.explore(port=70000)", ['port'], V)
py(A, "explore(ip='999.1.1.1')", "explorer_server.explore(port=BUSY, ip='999.1.1.1')", ['ip', 'address'], V)

# --- the cde-nb command ($TMP: the temporary folder of `setup`, the working directory is $TMP/cwd; $RESULTS: the
#     checkout's results/ folder, read only)
Q = '--quiet'
DG = f'--n-test 5 --steps 2 {Q} --fig $TMP/demo.png'
A = 'cli'
cli(A, 'unknown subcommand', 'bogus', ['invalid choice'], V)
A = 'cli demo'
cli(A, 'sanity: a tiny valid demo', f'demo {DG}', expect='accept', reason='a valid call (checks the harness)')
cli(A, 'steps 0', f'demo --n-test 5 --steps 0 {Q} --fig $TMP/demo.png', ['steps'], V)
cli(A, 'n-test 0', f'demo --n-test 0 --steps 2 {Q} --fig $TMP/demo.png', ['n_test', 'n-test'], V)
cli(A, 'unknown corruption', f'demo --corruption bogus {DG}', ['corruption'], V)
cli(A, 'fig is a folder', f'demo --n-test 5 --steps 2 {Q} --fig $TMP/folder', ['folder'], V)
cli(A, 'fig in an unwritable folder', f'demo --n-test 5 --steps 2 {Q} --fig $TMP/readonly/demo.png', ['write'], V)
cli(A, 'demo --fig in a format matplotlib lacks', f'demo --n-test 5 --steps 2 {Q} --fig $TMP/demo.bogusext', ['format', 'bogusext'],
    'check the figure format before computing (it fails after the bench)', text='cannot save a figure as')
cli(A, 'demo --device gpu', f'demo --device gpu {DG}', ['device'], 'validate --device (a torch RuntimeError escapes cli.main)',
    text="unknown --device 'gpu'")
A = 'cli bench'
BN = f'bench --task digits --n-test 5 --steps 2 --methods noisy,parallel {Q}'
cli(A, 'steps 0', f'bench --task digits --n-test 5 --steps 0 --methods parallel {Q}', ['steps'], V)
cli(A, 'n-test 0', f'bench --task digits --n-test 0 --steps 2 --methods noisy {Q}', ['n_test', 'n-test'], V)
cli(A, 'bench --n-test -5', f'bench --n-test -5 {Q}', ['n_test', 'n-test'], V, text='n_test must be an int >= 1')
cli(A, 'n-test above the split (5000 of 539 digits)', f'bench --task digits --n-test 5000 --steps 2 --methods noisy {Q}', expect='warn',
    reason='all 539 test digits are used, and a warning says so (the record holds the count used)')
cli(A, 'bench --task fsdd --corruption blur', f'bench --task fsdd --corruption blur {Q}', ['corruption'], V,
    text='its corruptions are white')
cli(A, 'samples 2.5', f'{BN} --samples 2.5', ['samples'], V)
cli(A, 'warmup 5', f'{BN} --warmup 5', ['warmup'], V)
cli(A, 'refreshes -1', f'bench --task digits --n-test 5 --steps 2 --methods nested --refreshes -1 {Q}', ['refreshes'], V)
cli(A, 'unknown method', f'bench --task digits --n-test 5 --steps 2 --methods bogus {Q}', ['method'], V)
cli(A, 'a method named twice', f'bench --task digits --n-test 5 --steps 2 --methods noisy,parallel,noisy {Q}', ['twice'], V)
cli(A, '--models a folder', f'{BN} --models $TMP/folder', ['folder'], V)
cli(A, 'empty method in list', f'bench --task digits --n-test 5 --steps 2 --methods noisy,,parallel {Q}', ['method'], V)
cli(A, 'unknown sampler', f'{BN} --sampler bogus', ['sampler'], V)
cli(A, 'level nan', f'{BN} --level nan', ['level'], V)
cli(A, 'a corruption with no bundle of its own (cifar10 pixels 0.3)', 'bench --task cifar10 --corruption pixels --level 0.3 --n-test 5 --methods noisy',
    ['bundle'], V, text='or use a bundle that is here: --corruption blur --level 2')
cli(A, 'bench --sweep-steps 1,x', f'bench --task digits --n-test 5 --sweep-steps 1,x --methods parallel {Q}', ['sweep-steps'], V,
    text='comma-separated integers')
cli(A, 'bench --sweep-steps with nothing in it', f"bench --sweep-steps '' {Q}", ['sweep-steps'], V, text='--sweep-steps is empty')
cli(A, 'sweep-steps 0,2', f'bench --task digits --n-test 5 --sweep-steps 0,2 --methods parallel {Q}', ['steps'], V)
cli(A, 'bench --sweep-steps 1,500 (beyond T)', f'bench --sweep-steps 1,500 --out $TMP/s.json {Q}', ['steps'], V,
    text='steps=500 is out of range')
cli(A, 'bench --steps with --sweep-steps (one would be ignored)', f'bench --steps 5 --sweep-steps 1,2 {Q}', ['--steps'], V)
cli(A, 'bench --sweep-steps with --nfe-budget', f'bench --sweep-steps 1,2 --nfe-budget 9 {Q}', ['exclude'], V, text='exclude each other')
cli(A, 'nfe-budget 1 (too small)', f'bench --task digits --n-test 5 --nfe-budget 1 --methods parallel {Q}', ['budget'], V)
cli(A, 'bench --nfe-budget 5 for Alternating', f'bench --methods alternating --nfe-budget 5 {Q}', ['budget'], V,
    text='give a budget of at least 15')
cli(A, 'out is a folder', f'{BN} --out $TMP/folder', ['folder'], V)
cli(A, 'out in an unwritable folder', f'{BN} --out $TMP/readonly/r.json', ['write'], V)
cli(A, 'out in /sys (os.access passes for root)', f'{BN} --out /sys/cde_nb_bad_input.json', ['write', 'permission'],
    'check_out should try creating a file; cli.main should turn an OSError into one line')
cli(A, 'holdout for digits', f'{BN} --holdout george', ['holdout'], V)
cli(A, 'fsdd: unknown holdout speaker (no checkpoint)', f'bench --task fsdd --holdout nobody --n-test 2 --steps 1 --methods noisy {Q}', ['checkpoint', 'nobody'], V)
cli(A, 'fsdd: an SNR of -1000 dB', f'bench --task fsdd --level -1000 --n-test 2 --steps 1 --methods noisy {Q}', ['SNR', 'range'], V)
cli(A, 'fsdd: level nan', f'bench --task fsdd --level nan --n-test 2 --steps 1 --methods noisy {Q}', ['level'], V)
cli(A, 'fsdd: n-test 0', f'bench --task fsdd --n-test 0 --steps 1 --methods noisy {Q}', ['n_test', 'n-test'],
    "refuse --n-test 0 (cmd_bench's `a.n_test or 300` turns 0 into the default 300)")
cli(A, 'bench --task toy --n-test 0', f'bench --task toy --n-test 0 --steps 1 --methods noisy {Q}', ['n_test', 'n-test'],
    "refuse --n-test 0 (cmd_bench's `a.n_test or 1000` turns 0 into the default 1000)", text='n_test must be an int >= 1')
cli(A, 'toy: level -1', f'bench --task toy --level -1 --n-test 5 --steps 1 --methods noisy {Q}', ['level', 'sigma'], V)
cli(A, 'seed -1 (with a strategy after the baselines)', f'bench --task digits --n-test 5 --steps 2 --methods noisy,parallel --seed -1 {Q}', ['seed'], V)
cli(A, 'seed -1 (baselines only)', f'bench --task digits --n-test 5 --methods noisy --seed -1 {Q}', ['seed'], V)
cli(A, 'a seed beyond 2**64', f'bench --task digits --n-test 5 --methods noisy --seed 99999999999999999999 {Q}', ['seed'], V)
cli(A, "an empty --out ''", f"{BN} --out ''", ['empty'], V)
cli(A, "an empty --models ''", f"{BN} --models ''", ['empty'], V)
cli(A, 'toy, learned denoisers: a knob no method takes (refused before training)', f'bench --task toy --denoisers learned --methods parallel --rounds 3 {Q}', ['rounds'], V)
cli(A, 'mnist data full (no such bundle)', f'bench --task mnist --data full --n-test 5 --steps 1 --methods noisy {Q}', ['full'], V)
A = 'cli table'
cli(A, 'missing file', 'table $TMP/missing.json', ['no such file'], V)
cli(A, 'empty file', 'table $TMP/empty.json', ['not JSON'], V)
cli(A, 'text file', 'table $TMP/notes.txt', ['not JSON'], V)
cli(A, 'table on a folder', 'table $TMP/folder', ['folder', 'directory'], 'catch IsADirectoryError in read_records and name the folder',
    text='is a folder: give the JSON files in it')
cli(A, 'table on a file that is not JSON', 'table $TMP/malformed.json', ['not JSON'], V, text='is not JSON')
cli(A, 'record lacks fields', 'table $TMP/lacks.json', ['not a bench record'], V)
cli(A, 'results is a list', 'table $TMP/results_list.json', ['results'], 'check that results is a dict of method -> result in read_records')
cli(A, 'table on a record without results', 'table $TMP/results_empty.json', ['results', 'no methods', 'empty'],
    'refuse a record without results', text='its results are empty')
cli(A, 'a file holding no records ([])', 'table $TMP/no_records.json', ['no bench records'], V)
cli(A, 'a result without its interval', 'table $TMP/no_ci.json', ['ci95', 'interval'], V)
cli(A, 'a record without its seed', 'frontier $TMP/no_seed.json --fig $TMP/f.png', ['seed'], V)
cli(A, 'a method result lacks value', 'table $TMP/method_empty.json', ['value', 'results'], 'check each result has value/ci95/nfe in read_records')
cli(A, 'table on a record whose level is text', 'table $TMP/level_str.json', ['level'], 'check the field types in read_records (level a number)',
    text="level is '0.3', not a number")
cli(A, 'table on a record with an accuracy of 1.7', 'table $TMP/accuracy_1.7.json', ['accuracy'], V, text='an accuracy is a fraction in [0, 1]')
cli(A, 'table on a record with a NaN accuracy', 'table $TMP/accuracy_nan.json', ['accuracy'], V, text='an accuracy is a fraction in [0, 1]')
cli(A, 'table on a record whose accuracy is text', 'table $TMP/accuracy_text.json', ['value'], V, text='lacks its value (a number)')
cli(A, 'table of an accuracy record and a WER record', 'table $RESULTS/digits_pixels_0.3.json $RESULTS/fsdd_white_5.json',
    ['different'], V, text='these records measure different things')
cli(A, 'table on two parts of one setting that disagree', 'table $RESULTS/digits_pixels_0.3.json $TMP/part.json', ['disagree'], V,
    text='disagree on enhanced')
cli(A, 'table --few-steps 0', 'table --few-steps 0 $TMP/valid.json', ['few-steps'], V, text='--few-steps must be a step count >= 1')
cli(A, 'table --few-steps 7 without a 7-step record', 'table $TMP/valid.json --few-steps 7', ['7-step', 'no 7'], V, text='no 7-step run')
cli(A, '--speed and --detail together', 'table $TMP/valid.json --speed --detail', ['exclude'], V)
sh(A, 'piped into head -1 (small output)', 'cde-nb table $TMP/valid.json | head -1', expect='accept', reason='a closed pipe is not an error: exit 0, no stderr')
sh(A, 'piped into head -1 (large output, --detail x300)', 'cde-nb table --detail $(printf "$TMP/valid.json %.0s" $(seq 300)) | head -1',
   expect='accept', reason='a closed pipe is not an error: exit 0, no stderr')
A = 'cli train'
TO = '--out $TMP/train/x.pt --quiet'
cli(A, 'train --epochs 0', f'train --task digits --epochs 0 {TO}', ['epochs'], V, text='--epochs must be an int >= 1')
cli(A, 'fsdd with --epochs-signal 2 (the image tasks\' flag)', f'train --task fsdd --epochs-signal 2 {TO}', ['epochs-signal'], V)
cli(A, 'fsdd with --data full (mnist\'s flag)', f'train --task fsdd --data full {TO}', ['data'], V)
cli(A, 'corruption without level', f'train --task digits --corruption pixels {TO}', ['level'], V)
cli(A, 'level 5 for pixels (a fraction)', f'train --task digits --corruption pixels --level 5 {TO}', ['level'], V,
    text="level 5.0 is out of range for 'pixels': it is the fraction of pixels replaced, in [0, 1]")
cli(A, 'level 0 for blur (its sigma)', f'train --task digits --corruption blur --level 0 {TO}', ['level'], V,
    text="it is the blur's std in pixels, > 0")
cli(A, 'level nan (blur)', f'train --task digits --corruption blur --level nan {TO}', ['level'], V)
cli(A, 'train --corruption gaussian --level 0', f'train --task digits --corruption gaussian --level 0 {TO}', ['level'], V,
    text='leaves the images unchanged')
cli(A, 'train --data full for digits', f'train --task digits --data full {TO}', ['--data'], V, text='(it is for --task mnist)')
cli(A, 'out is a folder', 'train --task digits --epochs 1 --out $TMP/folder --quiet', ['folder'], V)
cli(A, 'out in an unwritable folder', 'train --task digits --epochs 1 --out $TMP/readonly/x.pt --quiet', ['write'], V)
cli(A, 'fsdd unknown holdout speaker', f'train --task fsdd --holdout nobody {TO}', ['speaker', 'nobody'], V)
cli(A, 'train when OUT.state is a file', 'train --task digits --out $TMP/m.pt --quiet', ['state'], V,
    text='is a file, but the training keeps its state in a folder')
A = 'cli frontier'
FR = '$TMP/sweep_steps1.json $TMP/sweep_steps2.json'
cli(A, 'missing file', 'frontier $TMP/missing.json --fig $TMP/f.png', ['no such file'], V)
cli(A, 'fig under a file', f'frontier {FR} --fig $TMP/afile/f.png', ['folder', 'cannot'], V)
cli(A, 'frontier --zoom -5', f'frontier {FR} --fig $TMP/f.png --zoom -5', ['zoom'], 'refuse --zoom <= 0',
    text='--zoom must be a positive number')
cli(A, 'frontier of two different settings', 'frontier $RESULTS/digits_pixels_0.3.json $RESULTS/digits_blur_2.json --fig $TMP/f.png',
    ['setting'], V, text='a frontier draws one setting, and these files hold 2')
cli(A, 'dpi 0', f'frontier {FR} --fig $TMP/f.png --dpi 0', ['dpi'], 'refuse --dpi <= 0')
cli(A, 'results is a list', 'frontier $TMP/results_list.json --fig $TMP/f.png', ['results'], 'validate records in read_records')
A = 'cli explore'
cli(A, 'port 70000', 'explore --port 70000', ['port'], V)
cli(A, 'port -1', 'explore --port -1', ['port'], V)
cli(A, 'ip 999.1.1.1', 'explore --ip 999.1.1.1', ['ip', 'address'], V)

# Cases whose outcome is not the one the catalogue expects, by a known fault of the package not yet fixed:
# tests/test_reliability.py marks them xfail (strict, so a fix shows), the sweep lists what they get.
KNOWN = {}   # (area, name) -> what is wrong; none today (numpy integers were refused by check_int until it took numbers.Integral)

# ------------------------------------------------------------------------------------------------------------- helpers
INTERNAL = (UnboundLocalError, NameError, KeyError, AttributeError, IndexError, ZeroDivisionError, AssertionError,
            RecursionError, NotImplementedError, StopIteration)
NORMAL = (ValueError, TypeError, FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError,
          FileExistsError, FloatingPointError)

class Hang(BaseException): pass   # not an Exception: no `except Exception` of the package swallows it

def one_line(s, n=150):
    s = re.sub(r'\s+', ' ', str(s)).strip()
    return s if len(s) <= n else s[:n-1] + '…'

def names_ok(msg, names):
    return not names or any(k.lower() in msg.lower() for k in names)

def where_raised(e):
    "The last frame of the traceback, as 'pkg/file.py:line' (package-relative when in cde_nb, torch or the stdlib)."
    tb = traceback.extract_tb(e.__traceback__)
    if not tb: return '?'
    f = tb[-1]; p = f.filename
    for key in ('/cde_nb/', '/site-packages/', '/lib/python3'):
        if key in p: p = p.split(key, 1)[1]; p = ('cde_nb/' if key == '/cde_nb/' else '') + p; break
    return f"{p}:{f.lineno}"

def raise_line(e)->bool:
    "Whether the last frame of the traceback is a `raise` statement (the error is the code's own, not a failing call)."
    tb = traceback.extract_tb(e.__traceback__)
    return bool(tb) and (tb[-1].line or '').lstrip().startswith('raise')

def summarise(v):
    "A short description of what a call returned."
    try:
        import torch
        if isinstance(v, dict) and 'pred' in v:
            return f"returned pred={v['pred'].tolist()}, nfe={v.get('nfe')}"
        if isinstance(v, dict) and 'digits' in v:
            return f"returned digits={v['digits']}, nfe={v.get('nfe')}"
        if isinstance(v, dict) and 'results' in v:
            return f"returned a record: n_test={v.get('n_test')}, steps={v.get('steps')}, " + \
                   ', '.join(f"{m}={r.get('value', float('nan')):.2f}" for m, r in v['results'].items())
        if isinstance(v, list) and v and isinstance(v[0], dict) and 'results' in v[0]:
            return f"returned {len(v)} records, steps {[r.get('steps') for r in v]}"
        if hasattr(v, 'probs') and hasattr(v, 'nfe'):
            p = v.probs
            return f"returned Result(probs {tuple(p.shape)} finite={bool(torch.isfinite(p).all())}, pred={v.pred.tolist()}, nfe={v.nfe})"
        if isinstance(v, tuple) and len(v) == 3 and isinstance(v[1], dict):
            return f"returned (state of {len(v[0])} tensors, config, extra)" if isinstance(v[0], dict) else f"returned ({type(v[0]).__name__}, config, extra)"
        if isinstance(v, list) and v and isinstance(v[0], float):
            return f"returned {len(v)} losses, last {v[-1]:.4g} (finite={all(map(math.isfinite, v))})"
        if torch.is_tensor(v): return f"returned a tensor {tuple(v.shape)}"
    except Exception as e: return f"returned {type(v).__name__} ({e})"
    return f"returned {one_line(repr(v), 100)}"

# ------------------------------------------------------------------------------------------------------------- running
def run_python(c, ns):
    def alarm(*_): raise Hang()
    old = signal.signal(signal.SIGALRM, alarm); signal.alarm(PY_TIMEOUT)
    caught, t0 = [], time.time()
    try:
        with warnings.catch_warnings(record=True) as ws:
            warnings.simplefilter('always')
            try: ret, err = eval(c.call, ns), None
            except Hang: raise
            except Exception as e: ret, err = None, e
            caught = [w for w in ws if not issubclass(w.category, (DeprecationWarning, ResourceWarning))
                      and 'fixture' not in str(w.message)]
    except Hang:
        return 'HANG', f'still running after {PY_TIMEOUT} s'
    finally:
        signal.alarm(0); signal.signal(signal.SIGALRM, old)
    wmsg = '; '.join(f"{w.category.__name__}: {w.message}" for w in caught)
    if err is not None:
        msg, at = f"{type(err).__name__}: {err}", where_raised(err)
        if isinstance(err, INTERNAL):
            return 'TRACEBACK', f"{msg} [raised at {at}]"
        ours = at.startswith('cde_nb/') and raise_line(err)   # a `raise` statement of the package, not a torch/builtin call failing
        if isinstance(err, RuntimeError) and not ours:
            return 'TRACEBACK', f"{msg} [raised inside torch/Python at {at}]"
        if isinstance(err, NORMAL) or isinstance(err, RuntimeError):
            if not names_ok(str(err), c.names):
                return 'TRACEBACK', f"(message does not name the problem) {msg} [raised at {at}]"
            if c.expect != 'error': return 'CLEAR', f"(refused, though expected to be accepted: {c.reason}) {msg}"
            return 'CLEAR', msg
        return 'TRACEBACK', f"{msg} [raised at {at}]"
    what = summarise(ret) + (f"; warned {wmsg}" if wmsg else '')
    if c.expect == 'accept': return 'OK-ACCEPTED', f"{c.reason}: {what}"
    if c.expect == 'warn':
        return ('OK-ACCEPTED', f"{c.reason}: {what}") if caught else ('SILENT', f"no warning; {what}")
    return 'SILENT', what

def expand(call:str, tmp:Path, quote=False)->str:
    "`call` with $RESULTS (the checkout's results/ folder) and $TMP (the temporary folder of `setup`) filled in."
    q = shlex.quote if quote else str
    return call.replace('$RESULTS', q(str(ROOT/'results'))).replace('$TMP', q(str(tmp)))

def run_cli(c, ns):
    """A 'cli' case in-process: `cde_nb.cli.main(argv)` in $TMP/cwd, its stdout and stderr captured. A SystemExit with
    a message (or a non-zero code and a message on stderr) is a refusal; any other exception escaping main is a
    traceback; exit 0 / None is an acceptance."""
    from cde_nb.cli import main
    tmp = ns['F']['tmp']
    argv = shlex.split(expand(c.call, tmp))
    out, err = io.StringIO(), io.StringIO()
    def alarm(*_): raise Hang()
    old, cwd = signal.signal(signal.SIGALRM, alarm), os.getcwd()
    signal.alarm(PY_TIMEOUT); os.chdir(tmp/'cwd')
    caught, exc, code = [], None, 0
    try:
        with warnings.catch_warnings(record=True) as ws, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            warnings.simplefilter('always')
            try: r = main(argv); code = r or 0
            except SystemExit as e: code = e.code
            except Hang: raise
            except Exception as e: exc = e
            caught = [w for w in ws if not issubclass(w.category, (DeprecationWarning, ResourceWarning))]
    except Hang:
        return 'HANG', f'still running after {PY_TIMEOUT} s'
    finally:
        signal.alarm(0); signal.signal(signal.SIGALRM, old); os.chdir(cwd)
    out, err = out.getvalue(), err.getvalue()
    if exc is not None:
        return 'TRACEBACK', f"{type(exc).__name__} escaped cli.main: {exc} [raised at {where_raised(exc)}]"
    if 'Traceback (most recent call last)' in err or 'Exception ignored' in err:
        return 'TRACEBACK', f"printed a traceback: {one_line(err[-300:])}"
    if code not in (0, None):
        if isinstance(code, str): last = code
        else:
            lines = [l for l in err.splitlines() if l.strip()]
            last = lines[-1] if lines else ''
            if not last: return 'TRACEBACK', f"exit {code} with no message; stdout: {one_line(out[-200:])}"
        msg = f"SystemExit: {last}"
        if not names_ok(last, c.names): return 'TRACEBACK', f"(message does not name the problem) {msg}"
        if c.expect != 'error': return 'CLEAR', f"(refused, though expected to be accepted: {c.reason}) {msg}"
        return 'CLEAR', msg
    outl = [l for l in out.strip().splitlines() if l.strip()]
    tail = ' / '.join(dict.fromkeys([outl[0], outl[-1]])) if outl else '(no output)'
    wmsg = '; '.join(f"{w.category.__name__}: {w.message}" for w in caught)
    what = f"exit 0; {tail}" + (f"; warned {wmsg}" if wmsg else '')
    if c.expect == 'accept': return 'OK-ACCEPTED', f"{c.reason}: {what}"
    if c.expect == 'warn':
        return ('OK-ACCEPTED', f"{c.reason}: {what}") if caught or 'warning' in err.lower() else ('SILENT', f"no warning; {what}")
    return 'SILENT', what

def cde_nb_cmd():
    exe = shutil.which('cde-nb')
    return [exe] if exe else [sys.executable, '-c', 'import sys; from cde_nb.cli import main; sys.exit(main())']

def process_env():
    "The environment of the `cde-nb` subprocesses: one thread, no display."
    return dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1', MPLBACKEND='Agg', PYTHONWARNINGS='ignore::DeprecationWarning')

def run_process(c, tmp, env=None):
    "A 'cli' or 'sh' case as a real `cde-nb` subprocess in $TMP/cwd: (outcome, message, exit code)."
    cwd, env = tmp/'cwd', env or process_env()
    if c.kind == 'cli':
        argv = cde_nb_cmd() + shlex.split(expand(c.call, tmp))
    else:   # a bash pipeline; pipefail: the pipeline fails when cde-nb does
        argv = ['bash', '-o', 'pipefail', '-c', expand(c.call, tmp, quote=True)
                .replace('cde-nb ', ' '.join(map(shlex.quote, cde_nb_cmd())) + ' ', 1)]
    p = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    try: out, err = p.communicate(timeout=CLI_TIMEOUT)
    except subprocess.TimeoutExpired:
        try: os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError: pass
        p.communicate()
        return 'HANG', f'still running after {CLI_TIMEOUT} s', None
    rc = p.returncode
    lines = [l for l in err.splitlines() if l.strip() and not re.match(r'\s*(warnings\.warn|\S*Warning: .*fixture)', l)]
    last = lines[-1] if lines else ''
    if 'Traceback (most recent call last)' in err or 'Exception ignored' in err:
        return 'TRACEBACK', f"rc={rc}: " + last + (' (after "Exception ignored")' if 'Exception ignored' in err else ''), rc
    if rc != 0:
        if not last: return 'TRACEBACK', f"rc={rc} with no message on stderr; stdout: {one_line(out[-200:])}", rc
        if not names_ok(last, c.names): return 'TRACEBACK', f"(message does not name the problem) rc={rc}: {last}", rc
        if c.expect != 'error': return 'CLEAR', f"(refused, though expected to be accepted: {c.reason}) rc={rc}: {last}", rc
        return 'CLEAR', f"rc={rc}: {last}", rc
    outl = [l for l in out.strip().splitlines() if l.strip()]
    tail = ' / '.join(dict.fromkeys([outl[0], outl[-1]])) if outl else '(no output)'   # a table's title (its n_test) and last line
    if c.expect in ('accept', 'warn'):
        if c.kind == 'sh' and err.strip(): return 'TRACEBACK', f"rc=0 but stderr: {last}", rc
        return 'OK-ACCEPTED', f"{c.reason}: rc=0; {tail}" + (f"; stderr: {last}" if last else ''), rc
    return 'SILENT', f"rc=0; {tail}" + (f"; stderr: {last}" if last else ''), rc

def run_case(c, ns, cli_in_process=True):
    "(outcome, message) of case `c`: 'py' in-process, 'cli' in-process (or as a subprocess), 'sh' as a subprocess."
    if c.kind == 'py': return run_python(c, ns)
    if c.kind == 'cli' and cli_in_process: return run_cli(c, ns)
    return run_process(c, ns['F']['tmp'])[:2]

def needs_immutable(c)->bool:
    "A case that would train for real if the unwritable folder were writable (root ignores chmod): skip it without chattr."
    return c.area == 'cli train' and '$TMP/readonly' in c.call

TABLE_AREA = {'training.fit': 'training', 'images.bench': 'bench', 'checkpoint.load_checkpoint': 'checkpoint'}
def table_area(c)->str:
    "A pinned case's 'where' in the Reliability table: the entry point as README names it."
    return 'cde-nb' if c.kind != 'py' else TABLE_AREA.get(c.area, c.area)

def plain(msg:str, tmp)->str:
    "A message the same on every machine and run: no temporary folder or checkout path, on one line."
    return str(msg).replace(str(tmp), '$TMP').replace(str(ROOT) + '/', '').replace('\n', ' ')

# --------------------------------------------------------------------------------------------------------------- setup
def make_files(tmp:Path, ns:dict):
    "Every file the cases read, under `tmp`."
    import torch, torch.nn as nn
    from cde_nb.classifiers import SmallCNN
    from cde_nb.checkpoint import save_checkpoint
    from cde_nb.images import CKPT_DIR
    F = dict(tmp=tmp, missing=tmp/'missing.pt', folder=tmp/'folder', afile=tmp/'afile', readonly=tmp/'readonly',
             digits=CKPT_DIR/'digits.pt', mnist=CKPT_DIR/'mnist.pt', fsdd=CKPT_DIR/'fsdd.pt')
    (tmp/'cwd').mkdir(); F['folder'].mkdir(); F['afile'].write_text('a file, not a folder\n')
    F['empty'] = tmp/'empty.pt'; F['empty'].write_bytes(b'')
    F['text'] = tmp/'notes.txt'; F['text'].write_text('hello, this is not a checkpoint\n')
    F['random'] = tmp/'random.bin'; F['random'].write_bytes(random.Random(0).randbytes(4096))
    data = F['digits'].read_bytes()
    F['truncated'] = tmp/'truncated.pt'; F['truncated'].write_bytes(data[:len(data)//2])
    flipped = bytearray(data); i = len(data)//2; flipped[i] ^= 0xFF
    F['flipped'] = tmp/'flipped.pt'; F['flipped'].write_bytes(bytes(flipped))
    F['lfs'] = tmp/'lfs.pt'; F['lfs'].write_text('version https://git-lfs.github.com/spec/v1\noid sha256:' + '0'*64 + '\nsize 123456\n')
    F['zip'] = tmp/'notorch.pt'
    with zipfile.ZipFile(F['zip'], 'w') as z: z.writestr('hello.txt', 'hi')
    fmt = 'cde_nb.checkpoint/1'
    from fractions import Fraction
    for key, obj in dict(tensor=torch.zeros(3), bare=SmallCNN(10, 1, 8).state_dict(), noformat={'weights': 1},
                         noconfig={'format': fmt, 'state_dict': {}}, nostate={'format': fmt, 'config': {}},
                         configlist={'format': fmt, 'config': [1], 'state_dict': {}},
                         future={'format': 'cde_nb.checkpoint/2', 'config': {}, 'state_dict': {}},
                         pickled={'format': fmt, 'config': {}, 'state_dict': {}, 'extra': {'obj': Fraction(1, 3)}}).items():
        F[key] = tmp/f'{key}.pt'; torch.save(obj, F[key])
    F['small'] = save_checkpoint(tmp/'small.pt', nn.Linear(2, 1), {'task': 'x'})
    F['small_copy'] = tmp/'small_copy.pt'; shutil.copy(F['small'], F['small_copy'])
    (tmp/'m.pt.state').write_text('a file where the training keeps its state folder\n')
    # bench records: a valid one, a sweep (frontier), and broken ones (table)
    from cde_nb import images
    rec = images.bench('digits', 'pixels', 0.3, methods='noisy,parallel', n_test=5, steps=2, models=ns['M'], progress=False,
                       out=tmp/'valid.json')
    images.bench('digits', 'pixels', 0.3, methods='noisy,parallel', n_test=5, steps=[1, 2], models=ns['M'], progress=False,
                 out=tmp/'sweep.json')
    (tmp/'empty.json').write_text('')
    (tmp/'malformed.json').write_text('{"task": "digits", "results": {')
    (tmp/'lacks.json').write_text(json.dumps({'task': 'digits'}))
    (tmp/'numbers.json').write_text(json.dumps([1, 2]))
    (tmp/'results_list.json').write_text(json.dumps(rec | {'results': [1]}))
    (tmp/'results_empty.json').write_text(json.dumps(rec | {'results': {}}))
    (tmp/'method_empty.json').write_text(json.dumps(rec | {'results': {'noisy': {}}}))
    (tmp/'level_str.json').write_text(json.dumps(rec | {'level': '0.3'}))
    (tmp/'no_records.json').write_text('[]')
    (tmp/'no_ci.json').write_text(json.dumps(rec | {'results': {m: {k: v for k, v in r.items() if k != 'ci95'} for m, r in rec['results'].items()}}))
    (tmp/'no_seed.json').write_text(json.dumps({k: v for k, v in rec.items() if k != 'seed'}))
    # copies of the committed digits pixels 0.3 record with a bad Enhanced value, and a second part that disagrees with it
    committed = json.loads((ROOT/'results'/'digits_pixels_0.3.json').read_text())
    for key, v in {'1.7': 1.7, 'nan': float('nan'), 'text': '0.9'}.items():
        r = json.loads(json.dumps(committed)); r['results']['enhanced']['value'] = v
        (tmp/f'accuracy_{key}.json').write_text(json.dumps(r))
    r = json.loads(json.dumps(committed)); r['results']['enhanced']['value'] -= .01
    (tmp/'part.json').write_text(json.dumps(r))
    # a folder nobody can write to, root included (immutable); chmod where chattr is missing
    F['readonly'].mkdir()
    ns['_immutable'] = subprocess.run(['chattr', '+i', str(F['readonly'])], capture_output=True).returncode == 0
    if not ns['_immutable']: F['readonly'].chmod(0o555)
    return F

def setup(tmp:Path):
    "The namespace the 'py' cases are evaluated in, and every file of the cases under `tmp` (call `teardown` after)."
    import numpy as np, torch, torch.nn as nn
    from cde_nb import images, speech, coupling, classifiers, explorer_server, bench as B
    from cde_nb.images import predict, load_models, load_images, image_corruption, ImageTask
    from cde_nb.coupling import run, Coupled
    from cde_nb.diffusion import Schedule
    from cde_nb.classifiers import SmallCNN
    from cde_nb.training import fit
    from cde_nb.checkpoint import load_checkpoint, save_checkpoint
    from cde_nb.audio import fsdd_split
    from sklearn.datasets import load_digits
    torch.set_num_threads(1)
    M = load_models('digits'); MM = load_models('mnist'); SM = speech.load_speech()
    X = (load_images('digits', 'test')[0][:4] + 1)/2
    x = image_corruption('pixels', .3, 'digits')(X*2 - 1, torch.Generator().manual_seed(0))
    w = torch.as_tensor(fsdd_split('test')[0]['wave'], dtype=torch.float32)
    D = (torch.randn(8, 2, generator=torch.Generator().manual_seed(0)),)
    zero = lambda v, *a: torch.zeros_like(v)
    ns = dict(np=np, torch=torch, nn=nn, images=images, speech=speech, coupling=coupling, classifiers=classifiers,
              explorer_server=explorer_server, B=B, predict=predict, load_models=load_models, ImageTask=ImageTask, run=run, image_corruption=image_corruption,
              load_checkpoint=load_checkpoint, save_checkpoint=save_checkpoint, fit=fit, SmallCNN=SmallCNN,
              M=M, MM=MM, SM=SM, X=X, x=x, w=w, m=M.coupled('parallel'), ms=M.coupled('sampled'), D=D,
              lin=lambda: nn.Linear(2, 1), L=lambda net, b: net(b[0]).pow(2).mean(),
              Z=Coupled(zero, zero, lambda v: v[:, :3], Schedule(20), card=zero, x_clip=None), z=torch.zeros(2, 3),
              SK=torch.as_tensor(load_digits().images[:4, None]).float())   # scikit-learn's digits: whole numbers 0..16
    ns['_immutable'], ns['_busy'] = False, None
    ns['F'] = make_files(tmp, ns)
    busy = socket.socket(); busy.bind(('127.0.0.1', 0)); busy.listen(1)   # a port in use, for the explorer
    ns['BUSY'], ns['_busy'] = busy.getsockname()[1], busy
    return ns

def teardown(tmp:Path, ns:dict|None):
    "Close the busy port, make the unwritable folder writable again (chattr -i) and remove `tmp`."
    if ns is not None and ns.get('_busy') is not None: ns['_busy'].close()
    ro = tmp/'readonly'
    if ro.exists():
        subprocess.run(['chattr', '-i', str(ro)], capture_output=True)
        ro.chmod(0o755)
    shutil.rmtree(tmp, ignore_errors=True)

# --------------------------------------------------------------------------------------------- nothing left in the checkout
TASKS = ('digits', 'mnist', 'fsdd', 'toy')   # the tasks the cases use: other checkpoints are someone else's (a training beside)

def snapshot():
    """Files of the checkout git does not track (new or ignored), and the sizes and times of the checkpoints of the
    cases' tasks: to prove nothing was left behind. Tracked files changed and the notebooks are left out (someone may be
    editing them beside the cases)."""
    st = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=all', '--ignored'], cwd=ROOT, capture_output=True, text=True).stdout
    ours = lambda path: not re.match(r'(nbs/|\.hypothesis/|.*__pycache__/|.*\.ipynb_checkpoints/|cde_nb/checkpoints/(?!(%s)))' % '|'.join(TASKS), path)
    new = {l[3:] for l in st.splitlines() if l[:2] in ('??', '!!') and ours(l[3:])}
    ck = {p.name: (p.stat().st_size, p.stat().st_mtime) for p in (ROOT/'cde_nb'/'checkpoints').iterdir() if p.name.startswith(TASKS)}
    return new, ck

def left_behind(before, after)->list:
    "What appeared or changed in the checkout between two snapshots."
    new = sorted(after[0] - before[0])
    changed = sorted(k for k in set(after[1]) | set(before[1]) if after[1].get(k) != before[1].get(k))
    return new + [f'cde_nb/checkpoints/{k} (changed)' for k in changed]
