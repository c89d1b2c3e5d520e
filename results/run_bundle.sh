#!/usr/bin/env bash
# One bundle for one corruption, benched as RESULTS.md reports it: every method at 20 steps, seed 0, bf16 where the CPU
# has it (the bundle made by `cde-nb train --task TASK [--data full] --corruption KIND --level X --precision bf16`,
# resumable); then the paired tests of each coupled strategy against Enhanced, the regression and the retrained
# classifier; then, unless BUDGET=0, the equal-cost line: Enhanced with as many network evaluations as Nested (a budget
# of 151 per item: Enhanced 150 steps, Nested 20 steps, 146 evaluations).
# COMPILE=1 runs the networks through torch.compile (`cde-nb bench --compile`: faster sampling after a warm-up on many
# CPUs; the records say compiled).
# Usage: bash results/run_bundle.sh TASK KIND LEVEL N_TEST [--data full]
#   N_TEST: the first N test items (CIFAR-10's come with the classes in turn), or all
#   e.g.   bash results/run_bundle.sh cifar10 pixels_meanstd 0.3 2000             -> results/cifar10/cifar10_pixels_meanstd_0.3*.json
#          BUDGET=0 bash results/run_bundle.sh mnist pixels_meanstd 0.3 all --data full -> results/mnist_full/mnist_pixels_meanstd_0.3_full*.json
set -euo pipefail
cd "$(dirname "$0")/.."
task=$1; kind=$2; level=$3; n=$4; shift 4
full=; [ "${*:-}" = "--data full" ] && full=_full
[ -z "${*:-}" ] || [ -n "$full" ] || { echo "run_bundle.sh: the only option after N_TEST is --data full, got: $*" >&2; exit 2; }
nt=(); [ "$n" = all ] || nt=(--n-test "$n")
cf=(); [ "${COMPILE:-0}" = 0 ] || cf=(--compile)
out=results/${task}${full}/${task}_${kind}_${level}${full}.json; mkdir -p "$(dirname "$out")"
cde-nb bench --task "$task" "$@" --corruption "$kind" --level "$level" "${nt[@]}" "${cf[@]}" --steps 20 --seed 0 --quiet --out "$out"
python results/paired_tests.py "$out" | tee "${out%.json}_paired.md"
if [ "${BUDGET:-1}" != 0 ]; then
  cde-nb bench --task "$task" "$@" --corruption "$kind" --level "$level" "${nt[@]}" "${cf[@]}" --nfe-budget 151 --methods noisy,enhanced,nested --seed 0 --quiet \
    --out "${out%.json}_budget151.json"
fi
