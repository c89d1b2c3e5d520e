#!/usr/bin/env bash
# What the logit chain adds on MNIST when the networks learned from the training digits (the pixels_meanstd 0.3 bundle
# of `--data full`, 20 steps, seed 0), on all 5,000 VALIDATION digits (carved from the training digits; the test digits
# stay for the tables). About 25 minutes on 2 cores in float32.
# Parallel's logit chain trusts x_cor throughout (warm-up 1), for the first half of its steps (0.5, the default), or
# x_hat0 from its second step on (0); the logit chain alone (it trusts x_cor, no restoration) and Enhanced (the
# classifier on the restoration) are the two references, and Nested (the best coupled strategy on the test digits)
# says whether its tie with Enhanced there holds on other digits.
# Usage: bash results/run_mnist_full_ablation.sh
set -euo pipefail
cd "$(dirname "$0")/.."
common=(--task mnist --data full --split valid --corruption pixels_meanstd --level 0.3 --n-test 5000 --steps 20 --seed 0 --quiet)
for w in 0 0.5 1; do   # (Enhanced, the logit chain alone and Nested once, beside the default)
  m=parallel; [ $w = 0.5 ] && m=enhanced,logits,parallel,nested
  cde-nb bench "${common[@]}" --methods $m --warmup $w --out results/ablation/mnist_full_valid_pixels_meanstd_0.3_warmup_${w}.json > /dev/null
done
cde-nb table results/ablation/mnist_full_valid_pixels_meanstd_0.3_warmup_*.json
