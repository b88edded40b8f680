#!/usr/bin/env bash
# Issue #5's GPU checks in one short run, for a machine with a CUDA GPU, PyTorch and (for the
# comparison) torch_geometric, e.g. the device tool's machine (models/README.md, "GPU benchmark").
#   1. ours vs PyG's LightGCN on gowalla, 20 epochs each, the same triples: the bench's `gowalla_vs_pyg`
#   2. our LightGCN on gowalla on the GPU under a wall budget, at the paper's batch 2048 and lr 1e-3 (the
#      CPU run at 8192 / 5e-3 plateaued at test R@20 0.165): test Recall@20 / NDCG@20 (target 0.180 / 0.153)
# No venv needed: bench/train.py and `python -m tastegraph_trainer` run from the checkout (torch + numpy).
#
# Here, once:  mkdir -p var/datasets && cp -r ../shared/datasets/gowalla var/datasets/
# There:       bash scripts/gpu-check.sh        (device tool: carry ["var/datasets/gowalla"], timeout_s 540)
# Results in $OUT (or var/gpu-check): compare.json (the bench's JSON line), compare.log, gowalla.jsonl
# (the trainer's events; the last line is `done` with the test metrics), gowalla.log, summary.txt.
# Knobs: GOWALLA_DIR, COMPARE_EPOCHS (20), COMPARE_MAX_USERS (0 = all), GOWALLA_MINUTES (4), GOWALLA_BATCH (2048), GOWALLA_LR (1e-3), PYTHON (python3), DEVICE (cuda; cpu only
# to try the script itself: COMPARE_EPOCHS=1 COMPARE_MAX_USERS=500 GOWALLA_MINUTES=1 DEVICE=cpu
# PYTHON=models/.venv/bin/python).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=$(realpath "${GOWALLA_DIR:-var/datasets/gowalla}")
RESULTS=$(realpath -m "${OUT:-var/gpu-check}")
PY=${PYTHON:-python3}
[[ $PY == */* ]] && PY="$(cd "$(dirname "$PY")" && pwd)/$(basename "$PY")"  # absolute, links kept (a venv)
MINUTES=${GOWALLA_MINUTES:-4}
DEVICE=${DEVICE:-cuda}
export PYTHONUNBUFFERED=1
mkdir -p "$RESULTS"
[ -f "$DATA/train.txt" ] || { echo "gpu-check: no gowalla train.txt in $DATA (see the header)" >&2; exit 2; }

{
  "$PY" -c 'import torch; print("torch", torch.__version__, "| cuda", torch.cuda.is_available(), torch.cuda.get_device_name() if torch.cuda.is_available() else "")'
  "$PY" -c 'import torch_geometric; print("torch_geometric", torch_geometric.__version__)' 2>/dev/null || echo "torch_geometric: missing (the comparison will be skipped)"
} | tee "$RESULTS/summary.txt"

echo "== 1. ours vs PyG, ${COMPARE_EPOCHS:-20} epochs each" | tee -a "$RESULTS/summary.txt"
timeout 300 "$PY" bench/train.py --only-compare --compare-device "$DEVICE" --compare-epochs "${COMPARE_EPOCHS:-20}" \
  --compare-max-users "${COMPARE_MAX_USERS:-0}" --data-dir "$DATA" >"$RESULTS/compare.json" 2>"$RESULTS/compare.log"
echo "rc $?: $(grep 'gowalla vs pyg: ours' "$RESULTS/compare.log" | tail -1)" | tee -a "$RESULTS/summary.txt"

echo "== 2. LightGCN on gowalla, ${MINUTES} min on $DEVICE" | tee -a "$RESULTS/summary.txt"
(cd "$ROOT/models" && timeout $((MINUTES * 60 + 120)) "$PY" -m tastegraph_trainer train --model lightgcn --dataset gowalla \
  --data-dir "$DATA" --device "$DEVICE" --batch-size "${GOWALLA_BATCH:-2048}" --lr "${GOWALLA_LR:-1e-3}" --epochs 3000 --eval-every 20 --patience 10 \
  --max-minutes "$MINUTES" --no-export --out "$RESULTS/gowalla-run") >"$RESULTS/gowalla.jsonl" 2>"$RESULTS/gowalla.log"
echo "rc $?: $(grep -E 'test R@20|epoch .* val R@20' "$RESULTS/gowalla.log" | tail -2 | tr '\n' ' ')" | tee -a "$RESULTS/summary.txt"
