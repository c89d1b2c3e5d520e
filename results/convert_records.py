"""Bring the bench records made before samplers were named up to the current record format (run once; idempotent).

Records without a `sampler` field were made when every chain stepped with DDIM eta=1 and its noise, which is the
sampler now called `ddpm`. This adds the fields every record now has (sampler, models, version, options; speech
records get the --rounds 2 --refreshes 2 that results/run_fsdd*.sh passed) and renames image and speech records
to *_ddpm.json, so that the plain names hold the records made with the current default sampler.
Tuning logs are left as they are. Toy sweeps (results/run_toy.sh remakes them) keep their values; their records with
samples > 1 were made when the toy divided a strategy's cost by the number of chains: their strategies' nfe is
multiplied by `samples` (the one convention of cde_nb.bench: the cost of every chain, summed; a baseline is one
evaluation whatever `samples`) and the record says so in `nfe_summed`.
Usage: python results/convert_records.py
"""
import json, glob, os
from pathlib import Path

HERE = Path(__file__).parent
DDPM = dict(signal='ddpm', logit='ddpm')

def convert(rec:dict, name:str)->dict:
    if 'sampler' in rec: return rec
    rec = dict(rec); opts = dict(rec.get('options') or {})
    if rec['task'] == 'fsdd': opts = {'rounds': 2, 'refreshes': 2, **opts}   # what run_fsdd*.sh passed
    models = {'digits': 'digits.pt', 'mnist': 'mnist.pt'}.get(rec['task']) or (
        f"fsdd_holdout_{rec['holdout']}.pt" if rec.get('holdout') else 'fsdd.pt')
    rec.update(sampler=DDPM, models=models, version='0.1.0', options=opts, converted_by='results/convert_records.py')
    return rec

for f in sorted(glob.glob(str(HERE/'*.json')) + glob.glob(str(HERE/'ablation'/'*.json'))):
    p = Path(f); rec = json.loads(p.read_text())
    if not (isinstance(rec, dict) and 'results' in rec and rec.get('task') in ('digits', 'mnist', 'fsdd')) or 'sampler' in rec: continue
    new = convert(rec, p.name)
    out = p if p.parent.name == 'ablation' or p.stem.endswith('_ddpm') else p.with_name(p.stem + '_ddpm.json')
    tmp = out.with_name(out.name + '.tmp'); tmp.write_text(json.dumps(new, indent=1)); os.replace(tmp, out)
    if out != p: p.unlink()
    print(f"{p.name} -> {out.name}")

# Every knob recorded: a converted record names the knobs it ran with, defaults filled in (a knob a command did not
# pass ran at its default, as today's records say), so tables compare like with like.
from cde_nb.bench import run_options
for f in sorted(glob.glob(str(HERE/'*_ddpm.json')) + glob.glob(str(HERE/'ablation'/'*.json'))):
    p = Path(f); rec = json.loads(p.read_text())
    if not (isinstance(rec, dict) and rec.get('converted_by')): continue
    full = run_options(rec.get('options') or {})
    if rec.get('options') == full: continue
    rec['options'] = full
    tmp = p.with_name(p.name + '.tmp'); tmp.write_text(json.dumps(rec, indent=1)); os.replace(tmp, p)
    print(f"{p.name}: options with defaults")

# Toy sweeps: nfe per item summed over all `samples` chains (before: divided by samples)
from cde_nb.toy import TOY_BASELINES
NFE_NOTE = 'results/convert_records.py: strategy nfe x samples (summed over chains, the cde_nb.bench convention)'

def convert_toy_nfe(rec:dict)->bool:
    "Multiply the strategies' nfe of a toy record with samples > 1 by samples, once; True if it changed."
    if rec.get('task') != 'toy' or rec.get('samples', 1) <= 1 or 'nfe_summed' in rec: return False
    for m, r in rec['results'].items():
        if m not in TOY_BASELINES: r['nfe'] = {k: v*rec['samples'] for k, v in r['nfe'].items()}
    rec['nfe_summed'] = NFE_NOTE
    return True

for f in sorted(glob.glob(str(HERE/'toy_*.json'))):
    p = Path(f); sweep = json.loads(p.read_text())
    recs = sweep.values() if isinstance(sweep, dict) and 'results' not in sweep else sweep if isinstance(sweep, list) else [sweep]
    changed = [convert_toy_nfe(r) for r in recs]
    if any(changed):
        tmp = p.with_name(p.name + '.tmp'); tmp.write_text(json.dumps(sweep, indent=1)); os.replace(tmp, p)
        print(f"{p.name}: nfe of {sum(changed)} record(s) with samples > 1 summed over their chains")
