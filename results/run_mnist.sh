#!/bin/bash
# MNIST results of README and RESULTS.md, seed 0, 20 steps, the shipped checkpoints.
# 1. The mixed bundle (mnist.pt, trained on four corruptions): first 1000 of the 2000 held-out test digits, the default
#    sampler (posterior_mean) -> results/mnist_KIND_LEVEL.json. The *_ddpm.json records are the same commands with
#    --sampler ddpm (made before the sampler was named; results/convert_records.py).
#    --mixed: blur 2 has a bundle of its own now, and these records are the mixed bundle's.
# 2. The bundles for one corruption, the paper's three MNIST rows (the paper's protocol: T=150, every network trained
#    for that corruption alone; `cde-nb train` makes a missing one, about 90 minutes on one core, 32 on two): all 2000 test
#    digits, the default sampler and `ddpm` -> results/mnist_pixels_meanstd_{0.3,0.15}{,_ddpm}.json and
#    results/mnist_blur_2_own{,_ddpm}.json (`_own`: mnist_blur_2.json is the mixed bundle's)
# 3. steps150: the pixels_meanstd 0.3 bundle with all T=150 steps, all 2000 test digits, split over the two cores (one
#    process each; `cde-nb table` merges the parts): every method but Nested, then Enhanced and Nested, then `ddpm` for
#    Enhanced, CARD and the logit chain -> results/mnist_pixels_meanstd_0.3_steps150{,_nested,_ddpm}.json (74 minutes)
# Usage: bash results/run_mnist.sh [mixed|own|steps150|all]   (each bench of all methods at 20 steps takes 10-25 minutes on one core)
set -e
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
what=${1:-all}
if [ "$what" = mixed ] || [ "$what" = all ]; then
  for c in "pixels 0.3" "blur 2" "pixels 0.5" "gaussian 0.5"; do
    set -- $c
    cde-nb bench --task mnist --corruption $1 --level $2 --mixed --n-test 1000 --steps 20 --seed 0 --quiet --out results/mnist_$1_$2.json > /dev/null
  done
fi
if [ "$what" = own ] || [ "$what" = all ]; then
  for c in "pixels_meanstd 0.3" "pixels_meanstd 0.15" "blur 2 _own"; do
    set -- $c; f=results/mnist_$1_$2$3
    [ -f cde_nb/checkpoints/mnist_$1_$2.pt ] || cde-nb train --task mnist --corruption $1 --level $2 --quiet
    cde-nb bench --task mnist --corruption $1 --level $2 --steps 20 --seed 0 --quiet --out $f.json > /dev/null
    cde-nb bench --task mnist --corruption $1 --level $2 --steps 20 --seed 0 --sampler ddpm --quiet \
      --methods enhanced,card,logits --out ${f}_ddpm.json > /dev/null
  done
fi
if [ "$what" = steps150 ] || [ "$what" = all ]; then
  b="cde-nb bench --task mnist --corruption pixels_meanstd --level 0.3 --steps 150 --seed 0 --quiet"; f=results/mnist_pixels_meanstd_0.3_steps150
  $b --methods noisy,clean,regression,retrained,enhanced,card,logits,parallel,alternating --out $f.json > /dev/null &
  ($b --methods enhanced,nested --out ${f}_nested.json > /dev/null
   $b --sampler ddpm --methods enhanced,card,logits --out ${f}_ddpm.json > /dev/null) &
  wait
fi
cde-nb table results/mnist_*.json
