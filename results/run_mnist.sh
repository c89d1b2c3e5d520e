#!/bin/bash
# MNIST results of README: every method, first 1000 images of the held-out test split, 20 steps, seed 0.
# (The four commands were run as two concurrent jobs to fit the session.)
set -e
for c in "pixels 0.3" "pixels 0.5" "blur 2" "gaussian 0.5"; do
  set -- $c
  cde-nb bench --task mnist --corruption $1 --level $2 --n-test 1000 --steps 20 --seed 0 --quiet --out results/mnist_$1_$2.json
done
