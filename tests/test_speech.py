"API and edge-case tests of the speech task (uses the shipped FSDD checkpoint for the benchmark record)."
import json, inspect, pytest, torch
import fastcore.test as fct
import cde_nb.coupling, cde_nb.speech as speech
from cde_nb.data import load_fsdd, snr_db
from cde_nb.audio import (make_strings, corrupt_strings, babble_pools, features, logmel, n_frames, ctc_greedy, wer,
                          word_errors, bootstrap_wer, lsd, BLANK)
from cde_nb.speech import SpeechConfig, CTCRecogniser, SeqLogitDenoiser, PairedCorruption, bench_speech, load_speech, METHODS
from cde_nb.bench import format_table

@pytest.fixture(scope='module')
def recs(): return load_fsdd('train', speakers=['theo', 'jackson'], digits=[1, 2, 3])

@pytest.fixture(scope='module')
def cfg(): return SpeechConfig()

def encode(digits, reps=2):
    "A frame sequence a CTC model could emit for `digits`: each token repeated, blanks around, repeats separated."
    out = [BLANK]
    for d in digits: out += [d + 1]*reps + [BLANK]
    return out

def test_ctc_round_trip():
    for digits in ([1, 2, 3], [7, 7, 7], [0], [], [5, 0, 5, 0, 9]):
        fct.test_eq(ctc_greedy(torch.tensor([encode(digits)])), [digits])
    logits = torch.nn.functional.one_hot(torch.tensor([encode([4, 4, 2])]), 11).float()*5
    fct.test_eq(ctc_greedy(logits), [[4, 4, 2]])               # logits are argmaxed first
    fct.test_eq(ctc_greedy(torch.tensor([encode([3, 8])]), lengths=[4]), [[3]])  # trimmed to the real frames

def test_wer_known_strings():
    fct.test_eq(wer([[1, 2, 3]], [[1, 2, 3]]), 0.)
    fct.test_eq(wer([[1, 2, 3]], [[1, 3]]), 1/3)                # deletion
    fct.test_eq(wer([[1, 2, 3]], [[1, 2, 3, 4]]), 1/3)          # insertion
    fct.test_eq(wer([[1, 2], [3, 4, 5, 6]], [[2, 2], [9, 9, 9, 9]]), 5/6)
    e, w = word_errors([[1, 2]]*20 + [[3]]*20, [[1, 2]]*20 + [[4]]*20)
    lo, hi = bootstrap_wer(e, w, seed=1)
    assert 0 < lo < 20/60 < hi < 1
    fct.test_fail(lambda: wer([[1]], []), contains='references')

def test_strings_and_snr(recs):
    S = make_strings(recs, 6, seed=3)
    assert all(2 <= len(s['digits']) <= 5 and set(s['digits']) <= {1, 2, 3} for s in S)
    fct.test_eq([s['digits'] for s in S], [s['digits'] for s in make_strings(recs, 6, seed=3)])
    pools = babble_pools(recs, n=5)
    assert all(r['speaker'] != s for s, p in pools.items() for r in p)   # babble is other speakers
    for kind, snr in (('white', -5.), ('pink', 10.), ('babble', 0.)):
        noisy = corrupt_strings(S, kind, snr, seed=1, pools=pools)
        fct.test_close(torch.stack([snr_db(s['wave'], w) for s, w in zip(S, noisy)]), torch.full((6,), snr), eps=1e-3)
    fct.test_fail(lambda: corrupt_strings(S, 'babble', 0.), contains='pools')

def test_frame_alignment(recs, cfg):
    S = make_strings(recs, 3, seed=0)
    X, lens = features([s['wave'] for s in S], cfg)
    fct.test_eq(lens.tolist(), [n_frames(len(s['wave']), cfg) for s in S])
    fct.test_eq(X.shape[-1] % 4, 0); assert (X[0, ..., lens[0]:] == -1).all()   # padding is silence
    f = CTCRecogniser(cfg.n_mels).eval()
    for T in (lens[0], 13, X.shape[-1]):
        fct.test_eq(f(X[..., :T]).shape, (3, int(T), 11))             # one logit vector per spectrogram frame
    net = SeqLogitDenoiser(11, cfg.n_mels)
    y = torch.randn(3, X.shape[-1], 11)
    fct.test_eq(net(y, 0, y, X).shape, y.shape)
    fct.test_fail(lambda: net(y[:, 1:], 0, y[:, 1:], X), contains='frame-aligned')
    fct.test_eq(lsd(X, X, cfg, lens), torch.zeros(3))
    fct.test_eq(logmel(S[0]['wave'], cfg).shape, (1, cfg.n_mels, int(lens[0])))

def test_paired_corruption():
    X0, Xc = torch.randn(10, 1, 4, 6), torch.randn(10, 1, 4, 6)
    p = PairedCorruption(X0, Xc)
    fct.test_eq(p(X0[[3, 1, 3]]), Xc[[3, 1, 3]])
    fct.test_fail(lambda: p(X0[:1] + 1), contains='not one of its training crops')

def test_uses_coupling_run_not_a_copy():
    assert getattr(speech, 'run', cde_nb.coupling.run) is cde_nb.coupling.run   # speech samples through coupling's run (bench calls it)
    src = inspect.getsource(speech)
    for name in ('def parallel', 'def nested', 'def alternating', 'def x_step', 'def y_step', 'class Chains'):
        assert name not in src, f'speech.py defines {name}: the strategies belong to cde_nb.coupling'

SHIPPED = speech.CKPT_DIR/'fsdd.pt'

@pytest.fixture(scope='module')
def M():
    "The shipped models, or (when the checkpoint is missing) a toy model trained here in a few seconds."
    if SHIPPED.exists(): return load_speech()
    tiny = SpeechConfig(n_train=16, copies=1, epochs_cls=1, epochs=1, base=8, hidden=16, rnn=16, t_dim=32)
    return speech.train_speech(tiny, progress=False, log=lambda *a: None)

@pytest.mark.skipif(not SHIPPED.exists(), reason='no shipped checkpoint cde_nb/checkpoints/fsdd.pt: run `cde-nb train --task fsdd`')
def test_shipped_checkpoint(M):
    assert M.metrics['clean_valid_wer'] < 0.2, M.metrics
    assert 'command' in M.extra

def test_bench_record_schema(tmp_path, M):
    out = tmp_path/'r.json'
    rec = bench_speech('white', 5., methods='noisy,clean,parallel,nested', n_test=6, steps=3, models=M, out=out,
                       progress=False, refreshes=2)
    disk = json.loads(out.read_text())
    fct.test_eq(set(disk), {'task', 'corruption', 'level', 'n_test', 'unit', 'steps', 'seed', 'samples', 'split', 'holdout', 'sampler',
                            'models', 'version', 'commit', 'options', 'precision', 'results'})
    fct.test_eq((disk['split'], disk['holdout'], disk['options']['refreshes']), ('test', None, 2))
    fct.test_eq(disk['sampler'], M.coupled().samplers)
    r = disk['results']['parallel']
    fct.test_eq(r['metric'], 'wer')
    fct.test_eq(set(r), {'metric', 'value', 'ci95', 'value_restored', 'lsd_db', 'nfe', 'seconds', 'errors', 'words', 'steps'})
    fct.test_eq(r['nfe']['signal'], 3); fct.test_eq(disk['results']['nested']['nfe']['signal'], 9)  # 3 + 2 refreshes x 3
    assert r['ci95'][0] <= r['value'] <= r['ci95'][1]
    assert disk['results']['noisy']['value_restored'] is None and disk['results']['clean']['lsd_db'] == 0
    assert '| parallel |' in format_table(rec) and 'WER %' in format_table(rec)
    fct.test_fail(lambda: bench_speech('rain', 0., models=M), contains='valid corruptions')
    fct.test_fail(lambda: bench_speech('white', 0., methods='magic', models=M), contains='valid methods')

def test_valid_split_for_tuning(cfg):
    "Tuning strings come from the validation takes, never from the test takes; a wrong split is refused."
    v = speech.make_test_set(cfg, 'white', 5., n_test=6, split='valid')
    t = speech.make_test_set(cfg, 'white', 5., n_test=6)
    fct.test_eq(len(v['noisy']), 6)
    fct.test_ne([s['wave'].shape for s in v['strings']], [s['wave'].shape for s in t['strings']])
    fct.test_fail(lambda: speech.make_test_set(cfg, 'white', 5., n_test=2, split='train'), contains="'valid' or 'test'")

def test_speech_pieces_use_the_configured_parameterisation(cfg):
    M = speech.SpeechModels(SpeechConfig(pred='eps', n_mels=cfg.n_mels))
    fct.test_eq(M.coupled('enhancer').pred, 'eps'); fct.test_eq(M.coupled('parallel').pred, 'eps')
    fct.test_eq(speech.SpeechModels(cfg).coupled('parallel').pred, cfg.pred)

def test_predict_user_recordings(M):
    S = make_strings(load_fsdd('test', speakers=['theo']), 2, seed=1)
    noisy = corrupt_strings(S, 'white', 10., seed=0)
    P = speech.predict(noisy, method='enhanced', steps=2, models=M)
    fct.test_eq(len(P['words']), 2); fct.test_eq(P['restored'].shape[-2], M.cfg.n_mels)
    fct.test_eq(P['digits_restored'], P['digits'])                  # Enhanced decodes f on its own restoration
    fct.test_eq(speech.predict(noisy[0], method='noisy', models=M)['lengths'].tolist(), [n_frames(len(noisy[0]), M.cfg)])
    fct.test_fail(lambda: speech.predict(noisy, sr=44100, models=M), contains='resample')
    fct.test_fail(lambda: speech.predict([noisy[0][:100]], models=M), contains='analysis window')

def test_holdout_checkpoints_have_their_own_path(tmp_path):
    fct.test_eq(speech.checkpoint_path().name, 'fsdd.pt')
    fct.test_eq(speech.checkpoint_path('theo').name, 'fsdd_holdout_theo.pt')
    fct.test_fail(lambda: load_speech(cfg=SpeechConfig(holdout='nobody')), contains='cde-nb train --task fsdd --holdout nobody')
    fct.test_fail(lambda: load_speech(tmp_path/'none.pt'), contains='no speech checkpoint')

def test_bench_on_validation_strings(M):
    v = bench_speech('white', 5., methods='noisy', n_test=4, steps=2, models=M, progress=False, split='valid')
    t = bench_speech('white', 5., methods='noisy', n_test=4, steps=2, models=M, progress=False)
    fct.test_eq((v['split'], t['split']), ('valid', 'test'))
