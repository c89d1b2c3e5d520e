#!/bin/bash
# Speech results of RESULTS.md: train the speech models (cde_nb/checkpoints/fsdd.pt), then WER on the 300 test digit
# strings per condition (white and babble at 0 and 5 dB, pink at 5 dB, reverberation with RT60 0.6 s), 10 steps, Alternating 2 rounds, Nested 2 refreshes, seed 0. Two conditions at a time
# (one core each); pass --no-train to benchmark the shipped checkpoint.
set -e
export OMP_NUM_THREADS=1
[ "$1" = "--no-train" ] || cde-nb train --task fsdd --quiet
# the default sampler (posterior_mean) -> results/fsdd_*.json; the *_ddpm.json records are the same with --sampler ddpm
bench() { cde-nb bench --task fsdd --corruption $1 --level $2 --n-test 300 --steps 10 --rounds 2 --refreshes 2 --seed 0 --quiet --out results/fsdd_$1_$2${3:+_$3}.json ${3:+--sampler $3} > /dev/null; }
bench white 0 & bench babble 0 & wait
bench white 5 & bench babble 5 & wait
bench pink 5 & bench reverb 0.6 & wait
cde-nb table results/fsdd_*.json
