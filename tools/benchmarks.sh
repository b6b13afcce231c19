#!/usr/bin/env bash
# Every benchmark the README reports, one after the other in one run on one machine, each side by side with its
# engine baseline or peer (see README "Benchmark"):
#   1. Grad-CAM explain vs DJL's raw forward+backward: the ResNet fixture and ResNet-18 at 224 (with PyTorch's own
#      Grad-CAM beside them, tools/camkit-export/bench.sh);
#   2. Keras: explain vs TensorFlow's own forward+gradient on the residual network (cam:bench --network resnet);
#   3. every method on the demo CNN at 224, ScoreCAM and AblationCAM per batch size (cam:bench --methods);
#   4. resident memory over 10,000 Grad-CAM explanations on each backend (cam:bench --soak).
#   tools/benchmarks.sh [iterations] [soak explanations]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
iterations="${1:-30}"
soak="${2:-10000}"
one_thread="-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
section() { printf '\n===== %s (%s)\n' "$1" "$(uptime | sed 's/.*load average/load average/')"; }
quiet() { grep -v -e 'NNPACK' -e '^iteration ' -e ': warm-up ' -e ': run [0-9]'; }

cd "$repo"
section "Grad-CAM overhead, ResNet fixture, 224x224, 1 libtorch thread"
tools/camkit-export/bench.sh "$iterations" 1 resnet | quiet
section "Grad-CAM overhead, ResNet-18, 224x224, 1 libtorch thread"
tools/camkit-export/bench.sh "$iterations" 1 resnet18 | quiet
section "Keras residual network vs TensorFlow's own forward+gradient, 224x224"
./camkit cam:bench --network resnet --size 224 --iterations "$iterations" --warmup 10 2>&1 | quiet
section "Every method, demo CNN, 224x224, 1 libtorch thread"
CAMKIT_JAVA_OPTS="$one_thread" ./camkit cam:bench --methods all --size 224 --iterations 10 --warmup 3 2>&1 | quiet
section "Resident memory over $soak Grad-CAM explanations, PyTorch (ResNet fixture at 224)"
CAMKIT_JAVA_OPTS="$one_thread" ./camkit cam:bench --soak "$soak" --model fixtures/torchscript/resnet.json \
    --size 224 2>&1 | grep -v NNPACK
section "Resident memory over $soak Grad-CAM explanations, TensorFlow (Keras residual network at 224)"
./camkit cam:bench --soak "$soak" --model fixtures/tensorflow/resnet224.json 2>&1 | grep -v NNPACK
