#!/usr/bin/env bash
# Creates models/.venv with the trainer and its test dependencies; idempotent.
#
# Why PyTorch from PyPI (with its CUDA wheels) rather than Debian's python3-torch:
#  - Only PyPI is reachable, so the CPU-only index (--index-url .../whl/cpu) is not an option.
#  - Measured here (2 cores, 2026-11-27): the full cold install, torch 2.15 (539 MB wheel)
#    plus its nvidia/cuda wheels (~3 GB in all, ~30 MB/s), onnx, onnxruntime, matplotlib,
#    pytest, took 132 s; the venv is 5.6 GB. Well inside the 25-minute CI budget. pip's
#    own cache (~/.cache/pip, default location, left alone) may make a rebuild faster; an
#    unchanged stamp skips the whole step in 0.05 s.
#  - Debian's python3-torch is 1.13 (CPU) built for /usr/bin/python3 (3.11.2), not the
#    python3 on PATH, and is too old for the exporter features we rely on; the same
#    wheels also run on the GPU machines for the later Gowalla step.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/models/.venv"
PY="${PYTHON:-python3}"
STAMP="$VENV/.tastegraph-stamp"

# The stamp is a hash of what decides the install: the package metadata and this script.
want="$(cat "$ROOT/models/pyproject.toml" "$ROOT/scripts/setup-python.sh" | sha256sum | cut -d' ' -f1)"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" && -x "$VENV/bin/python" ]]; then
  echo "setup-python: $VENV is up to date (stamp $want)" >&2
  exit 0
fi

start=$(date +%s)
if [[ ! -x "$VENV/bin/python" ]]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --upgrade --quiet pip setuptools wheel
"$VENV/bin/python" -m pip install -e "$ROOT/models[test,dev]"
"$VENV/bin/python" -c "import torch, onnx, onnxruntime, numpy, matplotlib; print('torch', torch.__version__, 'onnx', onnx.__version__, 'onnxruntime', onnxruntime.__version__)" >&2
"$VENV/bin/ruff" --version >&2
echo "$want" > "$STAMP"
echo "setup-python: done in $(( $(date +%s) - start )) s" >&2
