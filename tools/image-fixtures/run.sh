#!/usr/bin/env bash
# Regenerates fixtures/images/ (python fixtures.py) in a venv under target/venv with Pillow, OpenCV and imagecodecs.
set -euo pipefail
cd "$(dirname "$0")"
VENV=target/venv
if ! "$VENV/bin/python" -c "import PIL, cv2, imagecodecs, numpy" >/dev/null 2>&1; then
  echo "image-fixtures: creating $VENV with Pillow, OpenCV and imagecodecs"
  rm -rf "$VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --retries 0 pillow opencv-python-headless imagecodecs numpy
fi
exec "$VENV/bin/python" fixtures.py "$@"
