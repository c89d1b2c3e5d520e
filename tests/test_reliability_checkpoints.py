"""Every bad checkpoint file is refused by `load_checkpoint` with a ValueError (FileNotFoundError for a missing one) that
names the file, what is wrong and what to do, and `save_checkpoint` never leaves a half-written or temporary file."""
import os, pickle, traceback, zipfile, pytest, torch
from pathlib import Path
import fastcore.test as fct
from cde_nb import checkpoint as C
from cde_nb.classifiers import SmallCNN
from cde_nb.checkpoint import save_checkpoint, load_checkpoint

CFG = dict(task='digits', size=8, width=4)
FIX = 'retrain with `cde-nb train --task digits`'

@pytest.fixture
def good(tmp_path):
    return save_checkpoint(tmp_path/'good.pt', SmallCNN(size=8, width=4, seed=0), CFG, command='cde-nb train --task digits')

def refused(path, *parts, exc=ValueError, **kw):
    "Load `path`, expecting `exc`; check that the message names the file and contains `parts`; return the exception."
    with pytest.raises(exc) as e: load_checkpoint(path, **kw)
    msg = str(e.value)
    assert str(path) in msg, msg
    for p in parts: assert p in msg, msg
    return e.value

# ---------------------------------------------------------------- missing, empty, text, foreign bytes
def test_missing_and_folder(tmp_path):
    refused(tmp_path/'nope.pt', 'no checkpoint at', FIX, exc=FileNotFoundError, expected_config=CFG)
    refused(tmp_path, 'is a folder, not a checkpoint')

@pytest.mark.parametrize('data,problem', [
    (b'', 'is empty (0 bytes)'),
    (b'{"weights": [1, 2]}\n', "it is a text file (it starts '{\"weights\""),
    (b'<!DOCTYPE html><html><body>404 Not Found</body></html>', 'it is a text file'),
    ('caf\u00e9 '.encode()*200, 'it is a text file'),                 # a multi-byte character cut by the 512-byte window
    (b'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 4026617\n', 'is a Git LFS pointer'),
    (bytes(range(256))*8, 'it is not a PyTorch zip archive'),
    (os.urandom(4096).replace(b'PK', b'pk'), 'it is not a PyTorch zip archive'),
    (pickle.dumps(dict(format='cde_nb.checkpoint/1', config={}, state_dict={})), 'it is not a PyTorch zip archive'),
])
def test_bad_bytes(tmp_path, data, problem):
    f = tmp_path/'bad.pt'; f.write_bytes(data)
    refused(f, problem, FIX, expected_config=CFG)

def test_zip_that_is_not_pytorch(tmp_path):
    with zipfile.ZipFile(tmp_path/'a.pt', 'w') as z: z.writestr('readme.txt', 'hello')
    refused(tmp_path/'a.pt', 'a zip archive but not a PyTorch file')

# ---------------------------------------------------------------- truncated and damaged
@pytest.mark.parametrize('keep', [4, 100, 0.5, 0.99, -1])
def test_truncated(good, keep):
    data = good.read_bytes()
    n = keep if isinstance(keep, int) and keep > 0 else int(len(data)*keep) if keep > 0 else len(data) - 1
    good.write_bytes(data[:n])
    refused(good, 'is truncated or damaged', 'copy it again', FIX, expected_config=CFG)

def test_flipped_byte_in_the_weights(good):
    "PyTorch loads flipped weight bytes silently; the CRC check refuses them."
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as z: info = max(z.infolist(), key=lambda i: i.file_size)   # the largest tensor
    data[info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.file_size//2] ^= 0x10
    good.write_bytes(bytes(data))
    refused(good, 'is damaged', 'fails its checksum')

# ---------------------------------------------------------------- pickled code
class Payload:
    def __init__(self, marker): self.marker = marker
    def __reduce__(self): return (exec, (f"open({str(self.marker)!r}, 'w').close()",))

@pytest.mark.parametrize('where', ['extra', 'config', 'top'])
def test_pickled_code_is_refused_and_never_runs(tmp_path, where):
    marker = tmp_path/'pwned'
    ck = dict(format='cde_nb.checkpoint/1', config=dict(CFG), state_dict={}, extra={})
    if where == 'top': ck = Payload(marker)
    else: ck[where]['x'] = Payload(marker)
    torch.save(ck, tmp_path/'code.pt')
    e = refused(tmp_path/'code.pt', 'was refused: it holds pickled Python objects', 'do not load it', FIX, expected_config=CFG)
    assert not marker.exists()
    # never torch's advice to load it anyway: not in our message, and torch's error is not chained to it
    assert 'weights_only' not in str(e) and 'trust' not in str(e)
    assert e.__cause__ is None and e.__suppress_context__
    shown = ''.join(traceback.format_exception_only(e))
    assert 'weights_only' not in shown and 'Weights only load failed' not in ''.join(traceback.format_exception(e))
    with pytest.raises(ValueError): load_checkpoint(tmp_path/'code.pt', weights_only=True)
    assert not marker.exists()

def test_plain_pickle_with_code_is_refused_before_unpickling(tmp_path):
    marker = tmp_path/'pwned'
    (tmp_path/'code.pkl').write_bytes(pickle.dumps(Payload(marker)))
    refused(tmp_path/'code.pkl', 'not a cde_nb checkpoint', 'not a PyTorch zip archive')
    refused(tmp_path/'code.pkl', 'not a PyTorch zip archive', weights_only=False)    # refused even when trusted
    assert not marker.exists()

# ---------------------------------------------------------------- foreign and incomplete torch files
@pytest.mark.parametrize('obj,problem', [
    (torch.zeros(3), 'is not a cde_nb checkpoint: it holds a Tensor'),
    ([1, 2], 'is not a cde_nb checkpoint: it holds a list'),
    (SmallCNN(size=8, width=4).state_dict(), 'is not a cde_nb checkpoint: it holds a bare state dict'),
    (dict(model=SmallCNN(size=8, width=4).state_dict(), epoch=3), "a dict without a format field (keys: 'model', 'epoch')"),
    ({}, 'a dict without a format field (keys: none)'),
    (dict(format=3), 'is not a cde_nb checkpoint: its format is 3'),
    (dict(format='lightning/2'), "its format is 'lightning/2'"),
    (dict(format='cde_nb.checkpoint/9', config={}, state_dict={}), 'upgrade cde_nb'),
    (dict(format='cde_nb.checkpoint/1', state_dict={}), 'is an incomplete cde_nb checkpoint (no config)'),
    (dict(format='cde_nb.checkpoint/1', config=dict(CFG)), 'is an incomplete cde_nb checkpoint (no state_dict)'),
    (dict(format='cde_nb.checkpoint/1', config='digits', state_dict={}), 'config is a str, not a dict'),
    (dict(format='cde_nb.checkpoint/1', config=dict(CFG), state_dict=[], extra=None), 'state_dict is a list, not a dict; extra is a NoneType'),
])
def test_foreign_and_incomplete(tmp_path, obj, problem):
    torch.save(obj, tmp_path/'x.pt')
    refused(tmp_path/'x.pt', problem, FIX, expected_config=CFG)

def test_config_and_model_mismatch(good):
    refused(good, 'checkpoint from another config', 'width=4 (expected 8)', 'retrain with `cde-nb train --task digits`',
            expected_config=dict(CFG, width=8))
    refused(good, 'does not fit the SmallCNN given', 'size mismatch', FIX, model=SmallCNN(size=8, width=8))

def test_remake_names_the_fix(tmp_path, good):
    how = 'cde-nb train --task fsdd --holdout george'
    (tmp_path/'e.pt').write_bytes(b'')
    refused(tmp_path/'e.pt', f'retrain with `{how}`', remake=how)
    refused(tmp_path/'nope.pt', f'retrain with `{how}`', exc=FileNotFoundError, remake=how)
    refused(tmp_path/'e.pt', 'retrain with `cde-nb train --task <task>`')            # nothing known: a generic hint
    save_checkpoint(good, SmallCNN(size=8, width=4), CFG)                            # no command stored
    refused(good, f'retrain with `{how}`', remake=how, expected_config=dict(CFG, width=8))

def test_good_files_still_load(good):
    m, cfg, extra = load_checkpoint(good, SmallCNN(size=8, width=4, seed=1), expected_config=CFG)
    fct.test_eq(cfg, CFG); fct.test_eq(extra['command'], 'cde-nb train --task digits')
    fct.test_eq(load_checkpoint(good, weights_only=False)[1], CFG)

@pytest.mark.parametrize('name', ['digits.pt', 'mnist.pt', 'fsdd.pt'])
def test_shipped_checkpoints_pass_the_file_checks(name):
    f = C.Path(C.__file__).parent/'checkpoints'/name
    if not f.exists(): pytest.skip(f'{f} not shipped')
    C._check_archive(f, 'retrain')
    C._check_fields(f, torch.load(f, map_location='cpu', weights_only=True), 'retrain')

# ---------------------------------------------------------------- the callers
def test_callers_pass_the_messages_on(tmp_path):
    from cde_nb.images import load_models
    (tmp_path/'e.pt').write_bytes(b'')
    with pytest.raises(ValueError, match=r'e\.pt is empty .*retrain with `cde-nb train --task mnist`'):
        load_models('mnist', path=tmp_path/'e.pt')
    torch.save(torch.zeros(2), tmp_path/'t.pt')
    with pytest.raises(ValueError, match=r't\.pt is not a cde_nb checkpoint'): load_models('digits', path=tmp_path/'t.pt')

# ---------------------------------------------------------------- saving
@pytest.mark.parametrize('umask,mode', [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_saved_file_gets_umask_permissions(tmp_path, umask, mode):
    old = os.umask(umask)
    try: p = save_checkpoint(tmp_path/'ck.pt', SmallCNN(size=8, width=4), CFG)
    finally: os.umask(old)
    fct.test_eq(oct(p.stat().st_mode & 0o777), oct(mode))

@pytest.mark.parametrize('exc', [OSError('disk full'), KeyboardInterrupt()])
def test_interrupted_replace_leaves_no_temp_file(tmp_path, monkeypatch, exc):
    def broken(*a): raise exc
    monkeypatch.setattr(C.os, 'replace', broken)
    with pytest.raises(type(exc)): save_checkpoint(tmp_path/'ck.pt', SmallCNN(size=8, width=4), CFG)
    monkeypatch.undo()
    fct.test_eq(os.listdir(tmp_path), [])

def test_temp_file_names_do_not_collide(tmp_path, monkeypatch):
    "A leftover temporary file of the same name (a crashed process) does not block the save, nor gets removed."
    names = iter(['aaaa', 'aaaa', 'bbbb'])
    monkeypatch.setattr(C.secrets, 'token_hex', lambda n: next(names))
    (tmp_path/'.ck.pt.aaaa.tmp').write_bytes(b'another process')
    save_checkpoint(tmp_path/'ck.pt', SmallCNN(size=8, width=4), CFG)
    fct.test_eq(sorted(os.listdir(tmp_path)), ['.ck.pt.aaaa.tmp', 'ck.pt'])

def test_unloadable_values_are_refused_before_writing(tmp_path):
    class Knob: pass
    with pytest.raises(TypeError, match=r"config\['knob'\] is a .*Knob, which load_checkpoint could not read back"):
        save_checkpoint(tmp_path/'ck.pt', SmallCNN(size=8, width=4), dict(CFG, knob=Knob()))
    with pytest.raises(TypeError, match=r"extra\['metrics'\]\['fn'\] is a builtins.function"):
        save_checkpoint(tmp_path/'ck.pt', SmallCNN(size=8, width=4), CFG, metrics=dict(fn=lambda x: x))
    fct.test_eq(os.listdir(tmp_path), [])
    import numpy as np    # what _plain converts is fine
    p = save_checkpoint(tmp_path/'ck.pt', SmallCNN(size=8, width=4), dict(CFG, lr=np.float32(.5), out=tmp_path, dtype=torch.float16))
    fct.test_eq(load_checkpoint(p)[1]['dtype'], torch.float16)

def test_save_path_errors(tmp_path):
    with pytest.raises(ValueError, match='is a folder; pass a file path'): save_checkpoint(tmp_path, SmallCNN(size=8, width=4), CFG)
    (tmp_path/'f').write_text('x')
    with pytest.raises(ValueError, match='a file is in the way'): save_checkpoint(tmp_path/'f'/'ck.pt', SmallCNN(size=8, width=4), CFG)
