#!/usr/bin/env bash
# Every benchmark the house issue's goals name, one after the other in one run on one machine, each side by side with
# its engine baseline or peer (see README "Benchmark"):
#   1. Grad-CAM explain vs DJL's raw forward+backward: the ResNet fixture and ResNet-18 at 224 (with PyTorch's own
#      Grad-CAM beside them, tools/camkit-export/bench.sh), after a warm-up as long as the measurement, so that the
#      JIT has compiled camkit's per-request code as in a long-running service;
#   2. Keras: explain vs TensorFlow's own forward+gradient on the residual network (cam:bench --network resnet);
#   3. ScoreCAM's and AblationCAM's passes vs the engine's own batched forward of the same batches, demo CNN at 224
#      (cam:bench --methods scorecam, then ablationcam: its explanations are fast, so it gets 50 measured runs);
#   4. resident memory over 10,000 Grad-CAM explanations on each backend (cam:bench --soak);
#   5. the evaluation's costs: deletion and insertion (20 steps) on the demo CNN at 224 against the engine's own
#      batched forward of the same passes (cam:bench --metrics), and ROAD's imputation at 224 with 80% removed against
#      pytorch-grad-cam's (tools/road-bench/run.sh).
#   tools/benchmarks.sh [iterations] [soak explanations]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
iterations="${1:-500}"
soak="${2:-10000}"
one_thread="-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
section() { printf '\n===== %s (%s)\n' "$1" "$(uptime | sed 's/.*load average/load average/')"; }
quiet() { grep -v -e 'NNPACK' -e '^iteration ' -e ': warm-up ' -e ': run [0-9]' -e '^warm-up '; }

cd "$repo"
section "Grad-CAM overhead, ResNet fixture, 224x224, 1 libtorch thread"
tools/camkit-export/bench.sh "$iterations" 1 resnet "$iterations" | quiet
section "Grad-CAM overhead, ResNet-18, 224x224, 1 libtorch thread"
tools/camkit-export/bench.sh "$((iterations / 2))" 1 resnet18 "$iterations" | quiet
section "Keras residual network vs TensorFlow's own forward+gradient, 224x224"
./camkit cam:bench --network resnet --size 224 --iterations "$iterations" --warmup "$iterations" \
    --batch-sizes 16 2>&1 | quiet
section "ScoreCAM passes vs the engine's batched forward, demo CNN, 224x224, 1 libtorch thread"
CAMKIT_JAVA_OPTS="$one_thread" ./camkit cam:bench --methods scorecam --size 224 --batch-sizes 8,32 \
    --iterations 5 --warmup 2 2>&1 | quiet
section "AblationCAM passes vs the engine's batched forward from the layer, demo CNN, 224x224, 1 libtorch thread"
CAMKIT_JAVA_OPTS="$one_thread" ./camkit cam:bench --methods ablationcam --size 224 --batch-sizes 8,32 \
    --iterations 50 --warmup 20 --slow-iterations 50 2>&1 | quiet
section "Resident memory over $soak Grad-CAM explanations, PyTorch (ResNet fixture at 224)"
CAMKIT_JAVA_OPTS="$one_thread" ./camkit cam:bench --soak "$soak" --model fixtures/torchscript/resnet.json \
    --size 224 2>&1 | grep -v NNPACK
section "Resident memory over $soak Grad-CAM explanations, TensorFlow (Keras residual network at 224)"
./camkit cam:bench --soak "$soak" --model fixtures/tensorflow/resnet224.json 2>&1 | grep -v NNPACK
section "Deletion and insertion (20 steps) vs the engine's batched forward of the same passes, demo CNN, 224x224, 1 libtorch thread"
CAMKIT_JAVA_OPTS="$one_thread" ./camkit cam:bench --metrics deletion,insertion --size 224 --iterations 20 \
    --warmup 5 2>&1 | quiet | grep -v -e ': run ' -e ': warm-up '
section "ROAD imputation, 224x224, 80% removed: camkit vs pytorch-grad-cam (scipy spsolve)"
tools/road-bench/run.sh 2>&1 | tail -n 3
