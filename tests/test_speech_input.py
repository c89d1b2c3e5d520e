"Bad inputs to `cde_nb.speech.predict`: each class converted with a warning or refused with the fix, before any compute."
import warnings, pytest, torch, numpy as np
import fastcore.test as fct
import cde_nb.speech as speech
from cde_nb.data import load_fsdd

@pytest.fixture(scope='module')
def M(): return speech.load_speech()       # the shipped checkpoint (cde_nb/checkpoints/fsdd.pt)

@pytest.fixture(scope='module')
def waves(): return [r['wave'] for r in load_fsdd('test')[:2]]   # short real recordings, float in [-1, 1]

@pytest.fixture
def no_compute(monkeypatch):
    "Loading the models or making features fails the test: a refusal must come before both."
    def boom(*a, **k): raise AssertionError('models loaded or features computed before the input was checked')
    monkeypatch.setattr(speech, 'load_speech', boom); monkeypatch.setattr(speech, 'features', boom)

def pcm16(w): return (w*32768).round().clamp(-32768, 32767).to(torch.int16)

def digits(x, M, **kw): return speech.predict(x, models=M, steps=3, sampler='posterior_mean', **kw)['digits']   # noise-free: tiny input changes stay tiny

def test_int16_converted_with_a_warning(M, waves):
    ref = digits(waves, M)
    for x in ([pcm16(w) for w in waves], [pcm16(w).numpy() for w in waves]):   # int16 torch tensors, int16 numpy arrays
        with warnings.catch_warnings(record=True) as ws:
            warnings.simplefilter('always')
            fct.test_eq(digits(x, M), ref)                                     # the same transcript as the float audio
        fct.test_eq(len(ws), 1); assert issubclass(ws[0].category, UserWarning) and 'int16' in str(ws[0].message)
    with pytest.warns(speech.PCMWarning, match='32768'): fct.test_eq(digits(pcm16(waves[0]), M), ref[:1])

def test_other_pcm_scales(M, waves):
    w = waves[0]
    with pytest.warns(speech.PCMWarning): x = speech._check_waves([pcm16(w).to(torch.int32)*65536], M.cfg)[0]
    fct.test_close(x, w, eps=1e-4)                                             # int32: /2**31
    u8 = ((w*128).round().clamp(-128, 127) + 128).to(torch.uint8)
    with pytest.warns(speech.PCMWarning): x = speech._check_waves([u8.numpy()], M.cfg)[0]
    fct.test_close(x, w, eps=1/128)                                            # uint8: (x-128)/128

def test_float_numpy_and_lists_accepted(M, waves):
    ref = digits(waves, M)
    fct.test_eq(digits(waves[0].numpy(), M), ref[:1])                          # one numpy float array
    fct.test_eq(digits(waves[0].double().numpy(), M), ref[:1])                 # float64 too
    fct.test_eq(digits([w.numpy() for w in waves], M), ref)                    # a list of arrays
    fct.test_eq(digits(waves[0].tolist(), M), ref[:1])                         # a Python list of floats
    fct.test_eq(digits([w.tolist() for w in waves], M), ref)

def test_loud_float_refused(no_compute, waves):
    fct.test_fail(lambda: speech.predict(waves[0]*1000), contains='float audio must be in [-1, 1]')
    fct.test_fail(lambda: speech.predict([waves[0], waves[1]*1000]), contains='divide by 32768')
    fct.test_fail(lambda: speech.predict(pcm16(waves[0]).float().numpy()), contains='int16 PCM stored as float')

def test_shapes_and_types_refused(no_compute, waves):
    w = waves[0]
    fct.test_fail(lambda: speech.predict(torch.stack([w, w])), contains='w.mean(0)')
    fct.test_fail(lambda: speech.predict(np.stack([w.numpy()]*2)), contains='list(w)')
    fct.test_fail(lambda: speech.predict([torch.stack([w, w])]), contains='average the channels')
    fct.test_fail(lambda: speech.predict(np.float32(0.5)), contains='1-D')
    for bad, msg in ((w > 0, 'torch.bool'), ((w > 0).numpy(), 'bool'), (w.to(torch.complex64), 'complex'),
                     (w.long(), 'no standard PCM scale'), ('digits.wav', 'soundfile.read'), (None, 'NoneType'),
                     ({'wave': w}, 'dict'), (np.array(['a']*300), 'numpy array of dtype')):
        with pytest.raises(TypeError, match='pass') as e: speech.predict(bad)
        assert msg in str(e.value), (msg, str(e.value))
    fct.test_fail(lambda: speech.predict([]), contains='no recordings')

def test_silent_nan_short_and_sample_rate_refused(no_compute, waves):
    fct.test_fail(lambda: speech.predict(torch.zeros(4000)), contains='silent')
    fct.test_fail(lambda: speech.predict(np.zeros(4000, np.int16)), contains='silent')
    fct.test_fail(lambda: speech.predict([waves[0], waves[1]*float('nan')]), contains='recording 1 contains NaN')
    fct.test_fail(lambda: speech.predict(torch.full((4000,), float('inf'))), contains='NaN or inf')
    fct.test_fail(lambda: speech.predict(waves[0][:100]), contains='fewer than one analysis window')
    fct.test_fail(lambda: speech.predict(waves, sr=16000), contains='torchaudio.functional.resample')

def test_methods_and_knobs_refused_before_compute(no_compute, waves):
    fct.test_fail(lambda: speech.predict(waves, method='bogus'), contains='valid methods are')
    fct.test_fail(lambda: speech.predict(waves, method='clean'), contains="method='noisy'")
    fct.test_fail(lambda: speech.predict(waves, bogus=1), contains='unknown option')
    fct.test_fail(lambda: speech.predict(waves, warmup=2.), contains='warmup')
    fct.test_fail(lambda: speech.predict(waves, rounds=0), contains='rounds')
    fct.test_fail(lambda: speech.predict(waves, temperature=0), contains='temperature')
    fct.test_fail(lambda: speech.predict(waves, sampler='bogus'), contains='valid samplers')
    fct.test_fail(lambda: speech.predict(waves, steps=0), contains='steps')
    fct.test_fail(lambda: speech.predict(waves, steps=1000), contains='steps')
    fct.test_fail(lambda: speech.predict(waves, samples=0), contains='samples')

def test_checks_use_the_given_models_config(no_compute, waves):
    cfg = speech.SpeechConfig(n_fft=512)
    m = speech.SpeechModels(cfg)   # untrained: the checks come before any network runs
    fct.test_fail(lambda: speech.predict(waves[0][:300], models=m), contains='(512)')

def test_audio_in_0_1_warns(M, waves):
    "Audio moved to [0, 1] transcribes as nothing useful: it runs (it could be real) but warns, naming the scale expected."
    from cde_nb.coupling import ScaleWarning
    with pytest.warns(ScaleWarning, match=r'centred on 0, in \[-1, 1\]; if yours is in \[0, 1\], pass 2\*w - 1'): digits([(w + 1)/2 for w in waves], M)
    with warnings.catch_warnings():
        warnings.simplefilter('error', ScaleWarning); digits(waves, M)                  # real audio: no warning
