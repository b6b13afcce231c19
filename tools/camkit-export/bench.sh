#!/usr/bin/env bash
# One run, one machine, the same threads: camkit's Grad-CAM explain vs DJL's raw forward+backward (cam:bench against
# the PyTorch backend's engine baseline) and vs the same Grad-CAM in PyTorch from Python (eager module, hooks;
# bench_pytorch.py), on the ResNet-style TorchScript fixture at 224x224, or on ResNet-18 (random weights, exported
# once into target/bench/ by resnet18.py). Prints both tables and the ratios.
#   tools/camkit-export/bench.sh [iterations] [threads] [resnet|resnet18] [warm-up iterations]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
iterations="${1:-30}"
threads="${2:-1}"
network="${3:-resnet}"
warmup="${4:-5}"
python="$here/target/venv/bin/python"
if [[ ! -x "$python" ]]; then
    python3 -m venv "$here/target/venv"
    "$here/target/venv/bin/pip" install --quiet --retries 0 torch numpy
fi

model="$repo/fixtures/torchscript/resnet.json"
if [[ "$network" == resnet18 ]]; then
    model="$here/target/bench/resnet18.json"
    if [[ ! -f "$model" ]]; then
        mkdir -p "$here/target/bench"
        (cd "$here" && "$python" camkit_export.py --factory resnet18:build_model --input 1,3,224,224 \
            --layer layer4 --output "$here/target/bench/resnet18.pt" >&2)
    fi
fi
camkit_out="$(CAMKIT_JAVA_OPTS="-Dai.djl.pytorch.num_threads=$threads -Dai.djl.pytorch.num_interop_threads=1" \
    "$repo/camkit" cam:bench --model "$model" --size 224 \
    --iterations "$iterations" --warmup "$warmup" 2>&1)"
echo "$camkit_out" | sed -n '/^cam:bench/,$p'
pytorch_json="$("$python" "$here/bench_pytorch.py" --fixtures "$repo/fixtures/torchscript" --size 224 \
    --threads "$threads" --iterations "$iterations" --warmup "$warmup" --network "$network")"
echo "PyTorch (eager, hooks): $pytorch_json"

raw="$(echo "$camkit_out" | awk '/^raw pytorch fwd\+bwd/ {print $4}')"
explain="$(echo "$camkit_out" | awk '/^explain \(pixels\)/ {print $3}')"
"$python" - "$raw" "$explain" "$pytorch_json" <<'PY'
import json, sys
raw, explain, pt = float(sys.argv[1]), float(sys.argv[2]), json.loads(sys.argv[3])
gradcam, fwdbwd = pt["pytorch_gradcam_ms"], pt["pytorch_forward_backward_ms"]
print()
print("%-44s %10s" % (pt["network"] + ", 224x224, batch 1", "median ms"))
print("%-44s %10.2f" % ("camkit explain, Grad-CAM (DJL, from pixels)", explain))
print("%-44s %10.2f" % ("DJL raw forward+backward", raw))
print("%-44s %10.2f" % ("PyTorch Grad-CAM (hooks, eager)", gradcam))
print("%-44s %10.2f" % ("PyTorch forward+backward", fwdbwd))
print("ratio camkit explain / DJL raw:        %.2f" % (explain / raw))
print("ratio camkit explain / PyTorch Grad-CAM: %.2f" % (explain / gradcam))
print("ratio DJL raw / PyTorch fwd+bwd:       %.2f" % (raw / fwdbwd))
PY
