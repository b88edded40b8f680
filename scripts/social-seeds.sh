#!/usr/bin/env bash
# The social-quality comparison of issue #26 (docs/journal/2026-12-06-ciao-to-convergence.md): MostPop,
# LightGCN, SocialGCN and DenoiseGCN on one dataset, three seeds each, trained until validation stops
# improving (lr decays x0.2 at each stall, training stops after --patience stalls; --max-minutes is only a
# safety net), then the per-slice tables and plot (`slices`: docs/report/<dataset>-slices.{md,json,png}).
# Runs LANES trainings at a time (default 2, one CPU thread each), niced, events to var/runs/<dataset>-<model>-s<seed>.jsonl.
# A finished run (its `done` event in the log) is not run again: a rerun after an interruption goes on.
# Usage: bash scripts/social-seeds.sh ciao|lastfm [LANES]
set -euo pipefail
cd "$(dirname "$0")/.."
dataset="${1:?dataset: ciao or lastfm}"
lanes="${2:-2}"
PY=models/.venv/bin/python
mkdir -p var/runs var/social-runs
case "$dataset" in
  ciao)
    common="--dataset ciao --batch-size 8192 --lr 5e-3 --eval-every 2 --patience 4 --lr-decay 0.2 --lr-decay-patience 1
      --lr-decay-min-gain 0.005 --epochs 400 --max-minutes 30 --refit-epochs 6 --friends-beta off"
    social="--friend-min-overlap 0 --attention-topk 10" ;; # ciao: an overlap filter of 0.1 keeps 10 of 43,690 pairs
  lastfm)
    common="--dataset lastfm --batch-size 4096 --lr 5e-3 --eval-every 5 --patience 4 --lr-decay 0.2 --lr-decay-patience 1
      --lr-decay-min-gain 0.005 --epochs 400 --max-minutes 30 --refit-epochs 20"
    social="--friend-min-overlap 0.1 --attention-topk 10" ;;
  *) echo "unknown dataset $dataset" >&2; exit 2 ;;
esac
declare -A extra=([mostpop]="" [lightgcn]="" [socialgcn]="$social" [denoisegcn]="--edge-l0 0.01 --edge-gate-init 1")
# one seed of every model first, so a cut-short session still compares all four
jobs=()
for seed in 2020 1 2; do for model in mostpop lightgcn socialgcn denoisegcn; do jobs+=("$model:$seed"); done; done

run() {
  local model=${1%%:*} seed=${1#*:}
  local log="var/runs/$dataset-$model-s$seed.jsonl"
  if [[ -f "$log" ]] && grep -q '"event": *"done"' "$log"; then echo "skip $model s$seed (done)"; return; fi
  echo "$(date +%T) start $model s$seed"
  local args="$common ${extra[$model]}"
  [[ $model == mostpop ]] && args="--dataset $dataset" # no training loop
  # shellcheck disable=SC2086
  (cd models && nice -n 15 ../$PY -m tastegraph_trainer train --model "$model" --seed "$seed" --threads 1 --no-export \
    $args --out "../var/social-runs/$dataset-$model-s$seed") >"$log" 2>"${log%.jsonl}.err" ||
    echo "$(date +%T) FAILED $model s$seed (see ${log%.jsonl}.err)"
  echo "$(date +%T) end $model s$seed"
}
export -f run
export dataset PY common
printf '%s\n' "${jobs[@]}" | xargs -P "$lanes" -I{} bash -c "$(declare -p extra); run {}"
$PY -m tastegraph_trainer slices --runs var/runs --dataset "$dataset" --out "docs/report/$dataset-slices"
