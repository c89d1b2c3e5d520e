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
# What the logit chain trusts, MNIST with the pixels_meanstd 0.3 bundle and the default sampler, 500 VALIDATION digits:
# x_cor throughout (warm-up 1), x_cor for the first half (0.5, the default), x_hat0 from its second step on (0);
# the logit chain alone (it trusts x_cor, no restoration) is the reference.
for w in 0 0.5 1; do
  cde-nb bench --task mnist --split valid --corruption pixels_meanstd --level 0.3 --n-test 500 --methods logits,parallel --warmup $w --steps 20 --seed 0 --quiet \
    --out results/ablation/mnist_valid_pixels_meanstd_0.3_warmup_${w}.json > /dev/null
done
cde-nb table results/ablation/mnist_valid_pixels_meanstd_0.3_warmup_*.json
# Parallel's warm-up against the steps per chain (same bundle and sampler, 300 VALIDATION digits): with few steps the
# signal chain's restorations are poor, and a logit chain that trusts them early follows them down.
for s in 5 10 20; do for w in 0 0.5 1; do
  cde-nb bench --task mnist --split valid --corruption pixels_meanstd --level 0.3 --n-test 300 --methods parallel --warmup $w --steps $s --seed 0 --quiet \
    --out results/ablation/mnist_valid_parallel_steps${s}_warmup_${w}.json > /dev/null
done; done
cde-nb table results/ablation/mnist_valid_parallel_steps*_warmup_*.json
