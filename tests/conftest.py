"Shared fixtures of the test suite."
import pytest
import cde_nb.coupling as C

@pytest.fixture
def wobble(monkeypatch):
    "A dummy strategy 'wobble' (Enhanced, `wiggle` signal trajectories in a row) and its knob, registered for one test."
    def twice(r, wiggle:int=2):
        for _ in range(wiggle): x_hat0 = C.x_run(r, None, 'null')
        return x_hat0, r.classify(x_hat0)
    monkeypatch.setitem(C.STRATEGIES, 'wobble', C.Strategy(twice, 'Wobble', 'enhancer', 'test strategy'))
    monkeypatch.setitem(C.KNOBS, 'wiggle', C.Knob(2, 1, 5, 'Wobble: signal trajectories'))
    return 'wobble'
