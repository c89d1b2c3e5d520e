#!/bin/bash
# A speaker never heard in training: every speech network trained without speaker george (the first name in
# alphabetical order, not chosen by results), then WER on 300 strings made from george's test recordings alone,
# 10 steps, Alternating 2 rounds, Nested 2 refreshes, seed 0. The checkpoint (cde_nb/checkpoints/fsdd_holdout_george.pt)
# is not shipped; pass --no-train to reuse one you made.
set -e
export OMP_NUM_THREADS=1
[ "$1" = "--no-train" ] || cde-nb train --task fsdd --holdout george --quiet
bench() { cde-nb bench --task fsdd --holdout george --corruption $1 --level $2 --n-test 300 --steps 10 --rounds 2 --refreshes 2 --seed 0 --quiet --out results/fsdd_holdout_george_$1_$2.json; }
bench white 5 & bench babble 0 & wait
cde-nb table results/fsdd_holdout_george_*.json
