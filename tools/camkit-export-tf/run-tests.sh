#!/usr/bin/env bash
# Runs the camkit-export-tf tests (python -m unittest discover -s tests -v) in a venv under target/venv, created and
# filled with tensorflow-cpu, keras and numpy on first use. Exits non-zero, loudly, if any test fails or none ran.
set -euo pipefail
cd "$(dirname "$0")"
VENV=target/venv
PYTHON=${PYTHON:-python3}

if ! "$VENV/bin/python" -c "import tensorflow, keras, numpy" >/dev/null 2>&1; then
  echo "camkit-export-tf: creating $VENV with tensorflow-cpu, keras and numpy"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --retries 0 tensorflow-cpu==2.21.0 keras numpy
fi

export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
# the same as 'python -m unittest discover -s tests -v', plus a one-line summary
if ! "$VENV/bin/python" - <<'PY'
import sys
import unittest

result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(unittest.defaultTestLoader.discover("tests"))
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped)
print("camkit-export-tf: %d passed, %d failed, %d skipped" % (result.testsRun - failed - skipped, failed, skipped))
sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
PY
then
  echo "camkit-export-tf: TESTS FAILED (see above)" >&2
  exit 1
fi
