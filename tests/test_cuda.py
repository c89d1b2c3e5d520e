"""The CUDA path (skipped without a GPU): training with bf16 autocast, sampling and benchmarking on the GPU, and
checkpoints written there loading on the CPU. Run on a machine with a GPU: python -m pytest tests/test_cuda.py -v"""
import json, pytest, torch
import fastcore.test as fct
from dataclasses import replace
from cde_nb.cli import main
from cde_nb.images import load_models, bundle_config, bench, TASKS
from cde_nb.coupling import run

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')

def test_train_on_cuda_with_amp_loads_on_cpu(tmp_path):
    out = tmp_path/'digits.pt'
    main(['train', '--task', 'digits', '--epochs', '2', '--device', 'cuda', '--precision', 'bf16', '--quiet', '--out', str(out)])
    cfg = replace(TASKS['digits'], epochs=2)
    M = load_models('digits', path=out, cfg=cfg)                  # loads on the CPU by default
    fct.test_eq(next(M.nets.parameters()).device.type, 'cpu')
    Mg = load_models('digits', path=out, cfg=cfg, device='cuda')
    fct.test_eq(next(Mg.nets.parameters()).device.type, 'cuda')

def test_sampling_and_bench_on_cuda(tmp_path):
    M = load_models('digits', device='cuda')
    x = torch.zeros(8, 1, 8, 8, device='cuda')
    for s in ('enhanced', 'parallel', 'nested'):
        res = run(M.coupled('s' if s == 'nested' else 'p' if s == 'parallel' else 'e'), x, s, 5)
        fct.test_eq(res.probs.device.type, 'cuda')
    rec = bench('digits', 'pixels', .3, 'clean,enhanced,parallel', n_test=100, steps=5, device='cuda', models=M, progress=False)
    cpu = bench('digits', 'pixels', .3, 'clean', n_test=100, steps=5, progress=False)
    fct.test_eq(rec['results']['clean']['value'], cpu['results']['clean']['value'])   # the classifier agrees across devices
    assert rec['results']['enhanced']['value'] > 0.5
