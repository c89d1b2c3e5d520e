"""Every case of the catalogue of bad inputs (tests/bad_inputs.py), run in-process, one test per case: a bad input gets
a clear error (CLEAR: a normal exception, or a one-line refusal of `cde-nb`, naming the problem; a pinned case's
message holds its exact `text`, as README's Reliability table shows it), a borderline one is accepted (OK-ACCEPTED;
a 'warn' case warns). 'py' cases are evaluated in the namespace of `bad_inputs.setup`, 'cli' cases call
`cde_nb.cli.main(argv)`, the 'sh' pipelines run `cde-nb` as a subprocess. tools/bad_input_sweep.py runs the same
catalogue with every 'cli' case as a real `cde-nb` process."""
import tempfile
from pathlib import Path
import pytest, torch
import bad_inputs as B

@pytest.fixture(scope='module')
def ns():
    "One temporary folder of files and the loaded models for every case; the unwritable folder unlocked and all removed after."
    torch.set_num_threads(1)
    before = B.snapshot()
    tmp = Path(tempfile.mkdtemp(prefix='cde_nb_bad_inputs_'))
    ns = None
    try:
        ns = B.setup(tmp)
        ns['_before'] = before
        yield ns
    finally: B.teardown(tmp, ns)

PARAMS = [pytest.param(c, id=f'{c.area}: {c.name}', marks=[pytest.mark.xfail(strict=True, reason=B.KNOWN[c.area, c.name])]
                       if (c.area, c.name) in B.KNOWN else []) for c in B.CASES]

@pytest.mark.parametrize('c', PARAMS)
def test_bad_input(c, ns):
    if B.needs_immutable(c) and not ns['_immutable']: pytest.skip('no chattr: the folder is writable for root, and it would train')
    outcome, msg = B.run_case(c, ns)
    msg = B.plain(msg, ns['F']['tmp'])
    if c.expect == 'error':
        assert outcome == 'CLEAR', f'{c.area}, {c.name}: {outcome}: {msg}'
        assert B.names_ok(msg, c.names), f'{c.area}, {c.name}: the message names none of {c.names}: {msg}'
        assert c.text in msg, f'{c.area}, {c.name}: the message lacks {c.text!r}: {msg}'
    else:
        assert outcome == 'OK-ACCEPTED', f'{c.area}, {c.name} ({c.expect}: {c.reason}): {outcome}: {msg}'

def test_catalogue_well_formed():
    "Each case once, of a known kind and expectation; pinned cases are errors (the table lists refusals)."
    assert len({(c.area, c.name) for c in B.CASES}) == len(B.CASES)
    for c in B.CASES:
        assert c.kind in ('py', 'cli', 'sh') and c.expect in ('error', 'accept', 'warn'), c
        assert c.expect == 'error' or c.reason, f'{c.area}, {c.name}: an accepted case says why'
        assert not c.pinned or c.expect == 'error', c
    assert set(B.KNOWN) <= {(c.area, c.name) for c in B.CASES}, 'a known issue names no case'

def test_nothing_left_in_the_checkout(ns):
    "The cases wrote only into their temporary folder (run after the cases: pytest keeps the file's order)."
    assert not B.left_behind(ns['_before'], B.snapshot())
