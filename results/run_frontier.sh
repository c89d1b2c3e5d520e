#!/bin/bash
# Accuracy (WER) against sampling cost: every method of a task at several step counts per chain, seed 0, the shipped
# checkpoints and each task's default sampler -> results/frontier/NAME_stepsN.json (one record per step count), then
# the figures of RESULTS.md and 05a_bench (`cde-nb frontier`), the few-step and speed tables (05a_bench), and the
# equal-budget comparison of RESULTS.md (every strategy given the cost of Enhanced at 150 steps, all 2000 test digits).
#   MNIST pixels_meanstd 0.3 (its own bundle, T=150): first 300 test digits, steps 1..50 (about 20 minutes on one core;
#     150 steps: see the equal-budget record, where Enhanced runs 150 steps on all 2000 test digits)
#   MNIST pixels 0.5 (the mixed bundle, T=100): first 300 test digits, steps 1..100 (about 35 minutes)
#   FSDD babble 0 dB (T=100, Alternating 2 rounds, Nested 2 refreshes as in RESULTS.md): first 100 test strings (about 45 minutes)
#   equal budget: Enhanced 150 steps against Nested 20 steps per chain (151 and 146 evaluations per item; about 25 minutes)
# Each line runs on one core; the two halves below ran side by side on the 2 cores.
# Usage: bash results/run_frontier.sh
set -e
export OMP_NUM_THREADS=1 MPLBACKEND=Agg
(cde-nb bench --task mnist --corruption pixels_meanstd --level 0.3 --n-test 300 --sweep-steps 1,2,5,10,20,50 --seed 0 --quiet \
   --out results/frontier/mnist_pixels_meanstd_0.3.json > /dev/null
 cde-nb bench --task mnist --corruption pixels --level 0.5 --n-test 300 --sweep-steps 1,2,5,10,20,50,100 --seed 0 --quiet \
   --out results/frontier/mnist_pixels_0.5.json > /dev/null) &
(cde-nb bench --task fsdd --corruption babble --level 0 --n-test 100 --sweep-steps 1,2,5,10,20,100 --rounds 2 --refreshes 2 --seed 0 \
   --quiet --out results/frontier/fsdd_babble_0.json > /dev/null
 cde-nb bench --task mnist --corruption pixels_meanstd --level 0.3 --nfe-budget 151 --methods noisy,enhanced,nested --seed 0 --quiet \
   --out results/mnist_pixels_meanstd_0.3_budget151.json > /dev/null) &
wait
for f in mnist_pixels_meanstd_0.3 mnist_pixels_0.5 fsdd_babble_0; do
  cde-nb frontier results/frontier/${f}_steps*.json --fig nbs/images/frontier_$f.png > /dev/null
done
cde-nb table results/mnist_pixels_meanstd_0.3_budget151.json
