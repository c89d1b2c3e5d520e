#!/usr/bin/env bash
# Accuracy against sampling cost on CIFAR-10 (the pixels_meanstd 0.3 bundle, the default sampler, seed 0): every method
# at 1, 2, 5, 10 and 20 steps per chain on the first 300 test images -> results/frontier/cifar10_pixels_meanstd_0.3_stepsN.json,
# and the figure nbs/images/frontier_cifar10_pixels_meanstd_0.3.png. About 6 minutes on 2 cores.
# Usage: bash results/run_cifar_frontier.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export MPLBACKEND=Agg
f=cifar10_pixels_meanstd_0.3
cde-nb bench --task cifar10 --corruption pixels_meanstd --level 0.3 --n-test 300 --sweep-steps 1,2,5,10,20 --seed 0 --quiet \
  --out results/frontier/$f.json > /dev/null
cde-nb frontier results/frontier/${f}_steps*.json --fig nbs/images/frontier_$f.png
