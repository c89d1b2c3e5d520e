"""Write tests/data/bench_reference.json: a small slice of every task's bench, made before the harness was moved into
cde_nb.bench, in float32 (the arithmetic they were made in); tests/test_bench_unchanged.py checks that the harness still gives these values. Rerun only on purpose
(a deliberate change of results): python tests/make_bench_reference.py"""
import json
from pathlib import Path
from cde_nb.images import bench, load_models
from cde_nb.speech import bench_speech
from cde_nb.toy import toy_bench

SLICES = dict(
    digits=lambda: bench('digits', 'pixels', .5, 'noisy,clean,enhanced,card,regression,retrained,logits,parallel,alternating,nested',
                         n_test=40, steps=4, progress=False, rounds=2, refreshes=2, precision='fp32'),
    mnist=lambda: bench('mnist', 'blur', 2., 'noisy,enhanced,regression,parallel,nested', n_test=16, steps=3, progress=False, refreshes=1, precision='fp32',
                        models=load_models('mnist')),   # the mixed bundle, which the reference was made with (blur 2 has its own)
    fsdd=lambda: bench_speech('white', 5., 'noisy,enhanced,card,logits,parallel,alternating', n_test=4, steps=3, progress=False, rounds=1,
                              sampler='posterior_mean', precision='fp32'),   # the sampler the reference was made with
    toy=lambda: toy_bench(1., 'noisy,bayes,enhanced,logits,parallel,nested', n_test=200, steps=5, progress=False, refreshes=2, precision='fp32'),
)
KEEP = ('value', 'ci95', 'value_restored', 'nfe', 'lsd_db')

def slice_values(name):
    rec = SLICES[name]()
    return {m: {k: r[k] for k in KEEP if k in r} for m, r in rec['results'].items()}

if __name__ == '__main__':
    out = {name: slice_values(name) for name in SLICES}
    (Path(__file__).parent/'data'/'bench_reference.json').write_text(json.dumps(out, indent=1))
    print('wrote tests/data/bench_reference.json')
