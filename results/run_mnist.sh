#!/bin/bash
# MNIST results of README, seed 0, 20 steps, the shipped checkpoints.
# 1. The mixed bundle (mnist.pt, trained on four corruptions): first 1000 of the 2000 held-out test digits, the default
#    sampler (posterior_mean) -> results/mnist_KIND_LEVEL.json. The *_ddpm.json records are the same commands with
#    --sampler ddpm (made before the sampler was named; results/convert_records.py).
# 2. The bundle for pixels_meanstd 0.3 (mnist_pixels_meanstd_0.3.pt, the paper's protocol: one corruption, T=150):
#    all 2000 test digits, both samplers -> results/mnist_pixels_meanstd_0.3{,_ddpm}.json
# Usage: bash results/run_mnist.sh [mixed|meanstd|all]   (each bench of all methods takes 10-25 minutes on one core)
set -e
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
what=${1:-all}
if [ "$what" = mixed ] || [ "$what" = all ]; then
  for c in "pixels 0.3" "blur 2" "pixels 0.5" "gaussian 0.5"; do
    set -- $c
    cde-nb bench --task mnist --corruption $1 --level $2 --n-test 1000 --steps 20 --seed 0 --quiet --out results/mnist_$1_$2.json > /dev/null
  done
fi
if [ "$what" = meanstd ] || [ "$what" = all ]; then
  [ -f cde_nb/checkpoints/mnist_pixels_meanstd_0.3.pt ] || cde-nb train --task mnist --corruption pixels_meanstd --level 0.3 --quiet
  cde-nb bench --task mnist --corruption pixels_meanstd --level 0.3 --steps 20 --seed 0 --quiet --out results/mnist_pixels_meanstd_0.3.json > /dev/null
  cde-nb bench --task mnist --corruption pixels_meanstd --level 0.3 --steps 20 --seed 0 --sampler ddpm --quiet \
    --methods enhanced,card,logits --out results/mnist_pixels_meanstd_0.3_ddpm.json > /dev/null
fi
cde-nb table results/mnist_*.json
