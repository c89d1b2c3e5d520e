#!/usr/bin/env bash
# CIFAR-10 results of RESULTS.md: each bundle benched on the first 2,000 test images (stratified: load_cifar10 hands out
# the classes in turn), 20 steps, seed 0, with its paired tests and the equal-cost line (results/run_bundle.sh).
# Usage: bash results/run_cifar.sh [KIND LEVEL]   (default: pixels_meanstd 0.3; the two benches take about 18 and 20 minutes on 2 cores)
exec bash "$(dirname "$0")/run_bundle.sh" cifar10 "${1:-pixels_meanstd}" "${2:-0.3}" 2000
