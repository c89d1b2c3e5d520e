#!/usr/bin/env bash
# Why Parallel falls behind on CIFAR-10 (the pixels_meanstd 0.3 bundle, 20 steps, seed 0), on 500 VALIDATION images (from
# the training images; the test images stay for the tables). About 9 minutes on 2 cores.
# 1. What the logit chain trusts: Parallel's logit chain trusts x_cor throughout (warm-up 1), for the first half of its
#    steps (0.5, the default), or x_hat0 from its second step on (0); the logit chain alone (it trusts x_cor, no
#    restoration) is the reference.
# 2. The sampler: the default posterior-mean updates on both chains, DDPM updates on both, or DDPM on the signal chain
#    only (the authors' code keeps Parallel's signal chain stochastic).
# Usage: bash results/run_cifar_ablation.sh
set -euo pipefail
cd "$(dirname "$0")/.."
common=(--task cifar10 --split valid --corruption pixels_meanstd --level 0.3 --n-test 500 --steps 20 --seed 0 --quiet)
for w in 0 0.5 1; do   # (Enhanced once, beside the default)
  m=logits,parallel; [ $w = 0.5 ] && m=enhanced,logits,parallel
  cde-nb bench "${common[@]}" --methods $m --warmup $w --out results/ablation/cifar10_valid_pixels_meanstd_0.3_warmup_${w}.json > /dev/null
done
cde-nb table results/ablation/cifar10_valid_pixels_meanstd_0.3_warmup_*.json
cde-nb bench "${common[@]}" --methods enhanced,parallel --sampler ddpm --out results/ablation/cifar10_valid_pixels_meanstd_0.3_ddpm.json > /dev/null
cde-nb bench "${common[@]}" --methods enhanced,parallel --sampler signal=ddpm,logit=posterior_mean \
  --out results/ablation/cifar10_valid_pixels_meanstd_0.3_signal_ddpm.json > /dev/null
cde-nb table results/ablation/cifar10_valid_pixels_meanstd_0.3_warmup_0.5.json results/ablation/cifar10_valid_pixels_meanstd_0.3_ddpm.json \
  results/ablation/cifar10_valid_pixels_meanstd_0.3_signal_ddpm.json
