"An interrupted bench keeps the methods it finished, in a record marked partial; a finished one leaves no temporary file."
import json, pytest
import fastcore.test as fct
import cde_nb.bench as B
from cde_nb.images import bench

def test_interrupted_bench_writes_a_partial_record(tmp_path, monkeypatch):
    real, calls = B.evaluate, []
    def flaky(task, M, method, *a, **kw):
        calls.append(method)
        if len(calls) == 2: raise KeyboardInterrupt
        return real(task, M, method, *a, **kw)
    monkeypatch.setattr(B, 'evaluate', flaky)
    out = tmp_path/'r.json'
    with pytest.raises(KeyboardInterrupt): bench('digits', 'pixels', .3, 'noisy,clean,enhanced', n_test=8, steps=2, progress=False, out=out)
    rec = json.loads(out.read_text())
    fct.test_eq((rec['partial'], list(rec['results'])), (True, ['noisy']))
    assert 'PARTIAL' in B.format_table(rec)
    fct.test_eq(sorted(p.name for p in tmp_path.iterdir()), ['r.json'])
