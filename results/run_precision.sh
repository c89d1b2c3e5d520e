#!/usr/bin/env bash
# Same answers in bf16: every method on the shipped MNIST pixels_meanstd 0.3 bundle (all 2000 test digits) and on FSDD
# babble 0 dB (300 test strings), once in float32 and once in bf16, seed 0, 20 steps; then the paired comparison
# (results/compare_precision.py). One process per run; about 40 minutes in all on one free core.
#   bash results/run_precision.sh            # all four runs, then the comparison
set -euo pipefail
cd "$(dirname "$0")/.."
out=results/precision
mkdir -p $out
for p in fp32 bf16; do
  cde-nb bench --task mnist --corruption pixels_meanstd --level 0.3 --precision $p --quiet --out $out/mnist_pixels_meanstd_0.3_$p.json > /dev/null
  cde-nb bench --task fsdd --corruption babble --level 0 --precision $p --quiet --out $out/fsdd_babble_0_$p.json > /dev/null
done
python results/compare_precision.py $out/*.json
