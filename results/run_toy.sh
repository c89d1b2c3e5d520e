#!/bin/bash
# The toy study of 06_toy ("What the numbers say"): the 32-D world, seed 0, 2,000 test signals, 20 steps, Alternating
# 5 rounds, Nested 5 refreshes, made by toy_sweep / toy_bench (cde_nb.toy); exact and learned denoisers.
# Default sampler (posterior_mean), one run of every method at sigma 0.25, 0.5, 1, 2
#   -> results/toy_exact_sweep.json, results/toy_learned_sweep.json (keys one_SIGMA; about 5 min on one core).
# With --ddpm also chains that sample (sampler ddpm): one draw of every method, and votes / averages of 64 (exact) or
# 32 (learned) draws -> results/toy_exact_sweep_ddpm.json, results/toy_learned_sweep_ddpm.json (keys one_S, voteN_S,
# avgN_S, vote16_1.0; about 30 min more). The committed *_ddpm.json records were made by these calls before the sampler
# was named (sampler, options and version were added to them afterwards); sigma=1 remade here agrees to the digit.
# toy_bench is one call of cde_nb.bench.bench (ToyTask): a record's nfe is per item, summed over its `samples` chains;
# the committed records with samples > 1, made when the toy divided by samples, were converted by
# results/convert_records.py (nfe_summed says so). Records made here also keep per-item outcomes (`correct`).
# The committed records with samples > 1 (votes and averages) were made when the chains of `samples` ran one after
# another; they now run as one batch (coupling.run), the same experiment with other draws, so a rerun differs by
# sampling noise only.
# The learned networks are trained with the sampler of their file (it samples Alternating/Nested's training conditions).
# Usage: results/run_toy.sh [--ddpm]
set -e
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} MPLBACKEND=Agg
python - "$1" <<'PY'
import sys, time, torch
from cde_nb.toy import toy_sweep, toy_bench
from cde_nb.bench import write_record
torch.set_num_threads(1)
SIGMAS, KW = (0.25, 0.5, 1., 2.), dict(n_test=2000, steps=20, seed=0, rounds=5, refreshes=5)
flat = lambda sweep: {f"{v}_{r['level']}": r for v, recs in sweep.items() for r in recs}
log = lambda s: print(f'{time.strftime("%H:%M:%S")} {s}', flush=True)
for d in ('exact', 'learned'):
    write_record(flat(toy_sweep(SIGMAS, d, {'one': {}}, sampler='posterior_mean', log=log, **KW)), f'results/toy_{d}_sweep.json')
if sys.argv[1:] == ['--ddpm']:
    many = lambda methods, N: {f'vote{N}': dict(methods=methods, samples=N, temperature=0.01),
                               f'avg{N}': dict(methods=methods, samples=N)}
    exact = flat(toy_sweep(SIGMAS, 'exact', {'one': {}, **many('enhanced,logits', 64)}, sampler='ddpm', log=log, **KW))
    exact['vote16_1.0'] = toy_bench(1., methods='parallel,alternating,nested', samples=16, temperature=0.01,
                                    sampler='ddpm', **{**KW, 'n_test': 500})
    write_record(exact, 'results/toy_exact_sweep_ddpm.json')
    learned = flat(toy_sweep(SIGMAS, 'learned', {'one': {}, **many('enhanced,card,logits', 32)}, sampler='ddpm', log=log, **KW))
    write_record(learned, 'results/toy_learned_sweep_ddpm.json')
elif sys.argv[1:] not in ([], ['']): sys.exit(f"unknown option {sys.argv[1]!r}: the only option is --ddpm")
log('done')
PY
