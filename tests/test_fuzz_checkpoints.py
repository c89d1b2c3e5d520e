"""Fuzzing `load_checkpoint`: random bytes, random truncations and random byte changes of a valid checkpoint either
load or raise our ValueError naming the file, never another exception (and never run pickled code)."""
import tempfile, pytest, torch
from pathlib import Path
from hypothesis import given, settings, strategies as st, HealthCheck
from cde_nb.classifiers import SmallCNN
from cde_nb.checkpoint import save_checkpoint, load_checkpoint

DIR = Path(tempfile.mkdtemp(prefix='cde_nb_fuzz_'))
CFG = dict(task='digits', size=8, width=2)
GOOD = save_checkpoint(DIR/'good.pt', SmallCNN(size=8, width=2, seed=0), CFG).read_bytes()
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

def loads_or_refuses(data:bytes, **kw):
    f = DIR/'fuzz.pt'; f.write_bytes(data)
    try: load_checkpoint(f, **kw); return True
    except ValueError as e:
        assert str(f) in str(e), str(e)
        assert 'weights_only' not in str(e) and e.__cause__ is None
        return False

@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data):
    assert not loads_or_refuses(data)

@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes_that_start_like_a_zip(data):
    assert not loads_or_refuses(b'PK\x03\x04' + data)

@FUZZ
@given(st.integers(0, len(GOOD) - 1))
def test_truncations(n):
    assert not loads_or_refuses(GOOD[:n], expected_config=CFG)

@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(GOOD) - 1), st.integers(1, 255)), min_size=1, max_size=4))
def test_changed_bytes(changes):
    data = bytearray(GOOD)
    for i, x in changes: data[i] ^= x
    if loads_or_refuses(bytes(data), model=SmallCNN(size=8, width=2), expected_config=CFG):
        pass   # a change in a field nothing checks (a timestamp, padding): it loaded, through every check

@FUZZ
@given(st.integers(0, len(GOOD)), st.binary(min_size=1, max_size=64))
def test_inserted_bytes(i, junk):
    loads_or_refuses(GOOD[:i] + junk + GOOD[i:], expected_config=CFG)
