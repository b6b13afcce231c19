#!/usr/bin/env bash
# Times camkit's ROAD NoisyLinearImputer against pytorch-grad-cam's (scipy spsolve) on the same 224x224x3 input with
# 80% of the pixels removed, and checks that both give the same imputation. See README.md.
#   PYTHON=...      a python with torch, numpy, scipy, cv2 (default: a venv created under target/venv)
#   GRAD_CAM_REPO=  a pytorch-grad-cam git checkout (default: /work/.mirror/jacobgil+pytorch-grad-cam/repo)
#   MVN_FLAGS=      extra Maven flags (default: -o, offline)
#   JAVA_OPTS=      JVM flags for RoadBench (default: a fixed, pre-touched 1 GiB heap, as a warmed-up service has;
#                   on a fresh heap the first touch of new heap pages dominates the first few dozen images)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="$here/target"
repo="${GRAD_CAM_REPO:-/work/.mirror/jacobgil+pytorch-grad-cam/repo}"
bundle="$root/bundles/org.camkit.metric.faithfulness"
if [ ! -d "$repo" ]; then
    echo "road-bench: no pytorch-grad-cam checkout at $repo; set GRAD_CAM_REPO to one (git clone" \
        "https://github.com/jacobgil/pytorch-grad-cam)" >&2
    exit 2
fi
mkdir -p "$target"

echo "== building camkit (api, testkit, metric.faithfulness)" >&2
# testkit is in the reactor because the bundle's tests depend on it and it need not be installed in ~/.m2
(cd "$root" && mvn -B ${MVN_FLAGS--o} -q test-compile \
    -pl bundles/org.camkit.api,testkit,bundles/org.camkit.metric.faithfulness)

echo "== timing camkit" >&2
java ${JAVA_OPTS--Xms1g -Xmx1g -XX:+AlwaysPreTouch} -cp "$bundle/target/classes:$bundle/target/test-classes:$root/bundles/org.camkit.api/target/classes" \
    org.camkit.metric.faithfulness.internal.RoadBench "$target/data" >&2

if [ -z "${PYTHON:-}" ]; then
    if [ ! -x "$target/venv/bin/python" ]; then
        echo "== creating $target/venv" >&2
        python3 -m venv "$target/venv"
        "$target/venv/bin/pip" install -q --retries 0 torch numpy scipy opencv-python-headless >&2
    fi
    PYTHON="$target/venv/bin/python"
fi

echo "== timing pytorch-grad-cam $(git -C "$repo" rev-parse --short HEAD)" >&2
rm -rf "$target/grad-cam" && mkdir -p "$target/grad-cam"
git -C "$repo" archive --prefix=pytorch_grad_cam/ HEAD:pytorch_grad_cam | tar -x -C "$target/grad-cam"
"$PYTHON" "$here/road_bench.py" "$target/data" "$target/grad-cam"
