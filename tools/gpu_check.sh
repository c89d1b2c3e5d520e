#!/bin/bash
# The GPU check of RESULTS.md's "Scaling up", prepared for a machine with one CUDA GPU (about 12 minutes; it stops itself
# before 14): run from the project root with the package installed.
#   1. tests/test_cuda.py: training with bf16 autocast, sampling and benchmarking on the GPU, checkpoints that load on the CPU
#   2. tools/speed.py on the GPU, both presets: training and sampling images per second (compare results/speed/cpu_*.json)
#   3. the paper preset trained for pixels_meanstd 0.3 on the GPU (bf16), then every method benched on 1000 test digits
# Everything it writes goes to $OUT (default results/gpu): test output, speed records, the bundle, its bench record.
# Usage: OUT=results/gpu bash tools/gpu_check.sh
set -u
OUT=${OUT:-results/gpu}; mkdir -p "$OUT"
python -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 'no CUDA GPU here: this check needs one')" || exit 1
python -m pytest -q tests/test_cuda.py 2>&1 | tee "$OUT/test_cuda.txt"
for p in small paper; do
  python tools/speed.py --device cuda --preset $p --n-train 4096 --n-sample 2000 --precision bf16 --out "$OUT/speed_gpu_$p.json"
done
# cde-nb train keeps its state in CKPT.state/: if the time limit stops it, the same command continues where it stopped
CKPT=cde_nb/checkpoints/mnist_pixels_meanstd_0.3_paper.pt
start=$SECONDS
timeout 420 cde-nb train --task mnist --corruption pixels_meanstd --level 0.3 --preset paper --device cuda --precision bf16 --quiet 2>&1 | tail -25 > "$OUT/train_paper.txt"
echo "train wall time: $((SECONDS - start)) s (stopped at 420 s if unfinished)" | tee -a "$OUT/train_paper.txt"
if [ -f "$CKPT" ]; then
  cp "$CKPT" "$OUT/"
  timeout 180 cde-nb bench --task mnist --corruption pixels_meanstd --level 0.3 --preset paper --device cuda --n-test 1000 --steps 20 \
    --seed 0 --quiet --out "$OUT/mnist_pixels_meanstd_0.3_paper.json"
fi
ls -la "$OUT"
