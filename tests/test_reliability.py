"Every class of bad input in tests/reliability_cases.py gets its clear error (the README's Reliability table is made from the same list)."
import pytest
from reliability_cases import CASES

@pytest.mark.parametrize('area,what,call,exc,text', CASES, ids=[f'{a}: {w}' for a, w, *_ in CASES])
def test_bad_input_gets_a_clear_error(area, what, call, exc, text, tmp_path):
    with pytest.raises(exc) as e: call(tmp_path)
    assert text in str(e.value), f'{area}, {what}: {e.value}'
