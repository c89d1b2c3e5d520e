#!/bin/bash
# Parallel's warm-up (how long the logit chain trusts x_cor before x_hat0), on the digits VALIDATION split.
set -e
for lvl in 0.3 0.5; do for w in 0 0.25 0.5 0.75 1; do
  cde-nb bench --task digits --split valid --corruption pixels --level $lvl --methods parallel --warmup $w --sampler ddpm --steps 20 --seed 0 --quiet --out results/ablation/digits_valid_pixels_${lvl}_warmup_${w}.json > /dev/null
done; done
python - <<'PY'
import json, glob
for f in sorted(glob.glob('results/ablation/digits_valid_*.json')):
    r = json.load(open(f)); x = r['results']['parallel']
    print(f"pixels {r['level']} warmup {r['options']['warmup']}: {100*x['value']:.1f} ({100*x['ci95'][0]:.1f}-{100*x['ci95'][1]:.1f}) [f(restored) {100*x['value_restored']:.1f}]")
PY
