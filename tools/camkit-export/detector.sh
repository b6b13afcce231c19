#!/usr/bin/env bash
# Regenerates camkit's demo detector and its references:
#   models/demo-detector.pt + models/demo-detector.json       (detector.py: train, evaluate, export)
#   fixtures/torchscript/reference/detector/                   (detection_references.py: OpenCV and
#                                                                pytorch-grad-cam as oracles)
# from the demo's own scenes, written by camkit's launcher (./camkit at the repository root). Build the launcher
# first:   mvn -B -o -q package -pl launcher -am -DskipTests
# Python: target/venv (./run-tests.sh creates it with torch and numpy) plus
#   target/venv/bin/pip install scipy opencv-python-headless
# Usage:   ./detector.sh PYTORCH_GRAD_CAM_DIR      (or env PYTORCH_GRAD_CAM; a folder holding pytorch_grad_cam/ or a
#                                                  pytorch-grad-cam git directory)
# DETECTOR_DATA=DIR reuses DIR/train and DIR/heldout instead of exporting them again. About 5 minutes on 2 CPUs.
set -euo pipefail
cd "$(dirname "$0")"
GRAD_CAM=${1:-${PYTORCH_GRAD_CAM:-}}
if [ -z "$GRAD_CAM" ]; then
  echo "detector.sh: give pytorch-grad-cam's source (argument or env PYTORCH_GRAD_CAM)" >&2
  exit 2
fi
PYTHON=target/venv/bin/python
if [ -n "${DETECTOR_DATA:-}" ]; then
  DATA=$(cd "$DETECTOR_DATA" && pwd)
else
  DATA=$(mktemp -d)
  trap 'rm -rf "$DATA"' EXIT
  (cd ../.. && ./camkit demo --export-dataset "$DATA/train" --count 3000 --seed 7 \
            && ./camkit demo --export-dataset "$DATA/heldout" --count 100)
fi
"$PYTHON" detector.py --train "$DATA/train" --heldout "$DATA/heldout"
"$PYTHON" detection_references.py --grad-cam "$GRAD_CAM" --heldout "$DATA/heldout"
