#!/usr/bin/env bash
# CIFAR-10 results of RESULTS.md, seed 0, 20 steps, bf16 where the CPU has it: the classifier's record, then each bundle
# (trained by `cde-nb train --task cifar10 --corruption KIND --level X --precision bf16`, resumable) benched on the first
# 2,000 test images (stratified: load_cifar10 hands out the classes in turn), and the paired tests of each coupled
# strategy against Enhanced, the regression and the retrained classifier; then the equal-cost line: Enhanced with as
# many network evaluations as Nested (a budget of 151 per image: Enhanced 150 steps, Nested 20 steps, 146 evaluations).
# Usage: bash results/run_cifar.sh [KIND LEVEL]   (default: pixels_meanstd 0.3; the two benches take about 18 and 20 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-pixels_meanstd}; level=${2:-0.3}
out=results/cifar10/cifar10_${kind}_${level}.json
cde-nb bench --task cifar10 --corruption "$kind" --level "$level" --n-test 2000 --steps 20 --seed 0 --quiet --out "$out"
python results/paired_tests.py "$out" | tee "${out%.json}_paired.md"
cde-nb bench --task cifar10 --corruption "$kind" --level "$level" --n-test 2000 --nfe-budget 151 --methods noisy,enhanced,nested --seed 0 --quiet \
  --out "${out%.json}_budget151.json"
