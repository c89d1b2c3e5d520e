#!/bin/bash
# Digits results of README: every method, held-out test split (539 images), 20 steps, seed 0.
set -e
for c in "pixels 0.3" "pixels 0.5" "blur 2" "gaussian 0.5"; do
  set -- $c
  cde-nb bench --task digits --corruption $1 --level $2 --steps 20 --seed 0 --quiet --out results/digits_$1_$2.json
done
# averaging 8 independent chains (cost 8x) on the hardest setting
cde-nb bench --task digits --corruption pixels --level 0.5 --steps 20 --seed 0 --samples 8 --quiet \
  --methods noisy,enhanced,card,logits,parallel,nested --out results/digits_pixels_0.5_samples8.json
