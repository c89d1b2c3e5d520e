#!/usr/bin/env bash
# The speed table of RESULTS.md: tools/speed.py for each task and preset, in float32 and in bf16, on one CPU thread
# (results/speed/cpu_TASK_PRESET_PRECISION.json), then tools/easy_wins.py (results/speed/easy_wins.json). About 15 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
for p in fp32 bf16; do
  python tools/speed.py --task mnist --preset small --precision $p --out results/speed/cpu_mnist_small_$p.json
  python tools/speed.py --task cifar10 --preset small --precision $p --n-train 512 --n-sample 100 --out results/speed/cpu_cifar10_small_$p.json
  python tools/speed.py --task mnist --preset paper --precision $p --n-train 256 --n-sample 20 --out results/speed/cpu_mnist_paper_$p.json
done
python tools/easy_wins.py --out results/speed/easy_wins.json > /dev/null
