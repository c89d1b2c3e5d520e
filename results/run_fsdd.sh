#!/bin/bash
# Speech results of README: train the speech models, then WER on 150 test digit strings per condition, 10 steps.
set -e
cde-nb train --task fsdd --quiet
for c in "white 0" "babble 0" "white 5" "babble 5"; do
  set -- $c
  cde-nb bench --task fsdd --corruption $1 --level $2 --n-test 150 --steps 10 --rounds 2 --refreshes 2 --seed 0 --quiet --out results/fsdd_$1_$2.json
done
