"""Bring the bench records made before samplers were named up to the current record format (run once; idempotent).

Records without a `sampler` field were made when every chain stepped with DDIM eta=1 and its noise, which is the
sampler now called `ddpm`. This adds the fields every record now has (sampler, models, version, options; speech
records get the --rounds 2 --refreshes 2 that results/run_fsdd*.sh passed) and renames image and speech records
to *_ddpm.json, so that the plain names hold the records made with the current default sampler.
Toy sweeps and tuning logs are left as they are (results/run_toy.sh remakes the sweeps).
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
