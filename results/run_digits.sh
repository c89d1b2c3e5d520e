#!/bin/bash
# Digits results of RESULTS.md: every method, held-out test split (539 images), 20 steps, seed 0, the shipped mixed bundle.
# Default sampler (posterior_mean) -> results/digits_*.json; with --ddpm also the DDPM sampler -> results/digits_*_ddpm.json
# (the committed *_ddpm.json records were made by these commands before the sampler was named; results/convert_records.py).
set -e
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
for c in "pixels 0.3" "pixels 0.5" "blur 2" "gaussian 0.5"; do
  set -- $c
  cde-nb bench --task digits --corruption $1 --level $2 --steps 20 --seed 0 --quiet --out results/digits_$1_$2.json > /dev/null
done
if [ "$1" = "--ddpm" ]; then
  for c in "pixels 0.3" "pixels 0.5" "blur 2" "gaussian 0.5"; do
    set -- $c
    cde-nb bench --task digits --corruption $1 --level $2 --steps 20 --seed 0 --sampler ddpm --quiet --out results/digits_$1_$2_ddpm.json > /dev/null
  done
  # averaging 8 independent DDPM chains (cost 8x) on the hardest setting
  cde-nb bench --task digits --corruption pixels --level 0.5 --steps 20 --seed 0 --samples 8 --sampler ddpm --quiet \
    --methods noisy,enhanced,card,logits,parallel,nested --out results/digits_pixels_0.5_samples8_ddpm.json > /dev/null
fi
cde-nb table results/digits_*.json
