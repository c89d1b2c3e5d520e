"The benchmark harness gives the values it gave before it was moved into cde_nb.bench (a small slice of each task)."
import json, pytest
from pathlib import Path
import fastcore.test as fct
from make_bench_reference import SLICES, slice_values
from cde_nb.data import using_fixture

REF = json.loads((Path(__file__).parent/'data'/'bench_reference.json').read_text())

@pytest.mark.parametrize('name', list(SLICES))
def test_bench_slice_unchanged(name):
    if name == 'mnist' and using_fixture('mnist'): pytest.skip('the reference was made on the full MNIST data')
    if name == 'fsdd' and using_fixture('fsdd/recordings'): pytest.skip('the reference was made on the full FSDD data')
    got, want = slice_values(name), REF[name]
    fct.test_eq(list(got), list(want))
    for m in want:
        for k, v in want[m].items():
            if isinstance(v, float): fct.test_close(got[m][k], v, eps=1e-6)
            elif isinstance(v, list): fct.test_close(got[m][k], v, eps=1e-6)
            else: fct.test_eq(got[m][k], v)
