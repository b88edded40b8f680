"""`social-probe`: what a trained run's friendships add at scoring time, beyond its embeddings.

A diagnostic for "is this social graph worth a social model?". Three ways to use the friends of a
run's users when ranking, each weight chosen on the run's own validation split (rebuilt from its
config.json: the same seeded split, masks and friend pairs as training) and then measured once on test:
- `friends`: items ranked by how many of the user's friends interacted with them, training
  popularity breaking ties: the social signal alone, no model;
- `blend`: z(u·i) + β·z(log(1 + friends' count of i)), z standardising each user's scores over all
  items: the model plus its friends' items (not a dot product, so the scorer ONNX cannot serve it);
- `smooth`: u + β·Σ_v a_uv·u_v, a = softmax over u's friends of cos(u, v)/τ: friends' embeddings
  added to the user's (a dot product: what one more social layer at inference could do).
Each probe starts from β = 0 (the run itself), so it never does worse than the run on validation.
For validation the friends' counts come from the fit pairs only (validation items stay unseen), for
test from all training pairs, as serving sees them.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import torch

from ..blend import FriendBlend, picked
from ..config import ConfigError, TrainConfig, config_from_dict
from ..evaluate_cmd import check_run_files, load_run_embeddings
from ..evaluation import evaluate
from ..events import EventWriter, log
from ..prepare import load_data, prepare

SMOOTH_BETAS = (0.05, 0.1, 0.2, 0.3, 0.5)
SMOOTH_TAUS = (0.1, 0.2, 1.0)


def add_probe_arguments(p) -> None:
    p.add_argument(
        "--run",
        required=True,
        metavar="DIR",
        help="a `train` run folder: config.json, user_embeddings.npy, item_embeddings.npy",
    )
    p.add_argument("--data-dir", metavar="DIR", help="read the dataset from here instead of the run's data_dir")


def friend_smoothing(users: torch.Tensor, src: np.ndarray, dst: np.ndarray, tau: float) -> torch.Tensor:
    """Σ_v a_uv·users[v] over u's friends, a = softmax of cos(u, v)/τ (zero rows for users without friends)."""
    s, d = torch.as_tensor(src, dtype=torch.long), torch.as_tensor(dst, dtype=torch.long)
    unit = torch.nn.functional.normalize(users, dim=1)
    w = torch.exp(((unit[s] * unit[d]).sum(1) - 1) / tau)  # ≤ 1: no overflow at small τ
    total = torch.zeros(users.shape[0]).index_add_(0, s, w)
    w = w / total[s].clamp_min(1e-30)
    return torch.zeros_like(users).index_add_(0, s, w[:, None] * users[d])


def load_run_config(run: Path, data_dir: str | None) -> TrainConfig:
    path = run / "config.json"
    if not path.exists():
        raise ConfigError(f"--run: {path} is missing")
    raw = json.loads(path.read_text())
    if data_dir:
        raw["data_dir"] = data_dir
    return config_from_dict(raw)


def run_probe(args, events: EventWriter | None = None) -> dict:
    events = events or EventWriter()
    run = Path(args.run)
    cfg = load_run_config(run, args.data_dir)
    check_run_files(run)
    prep = prepare(load_data(cfg), cfg)
    d = prep.data
    users, items = load_run_embeddings(run, d)
    if len(prep.friend_a) == 0:
        raise ConfigError(f"--run: {d.name} has no friend pairs for this run's settings: nothing to probe")
    src = np.concatenate([prep.friend_a, prep.friend_b])
    dst = np.concatenate([prep.friend_b, prep.friend_a])
    excluded = prep.holdout if cfg.holdout_mode == "foldin" else np.zeros(d.n_users, dtype=bool)
    blend = FriendBlend(prep, src, dst, excluded)
    events.emit(
        "started",
        command="social-probe",
        run=str(run),
        model=cfg.model,
        dataset=d.name,
        friend_pairs=int(len(prep.friend_a)),
    )

    @functools.cache
    def smoothed(tau: float) -> torch.Tensor:
        return friend_smoothing(users, src, dst, tau)

    def report(probe: str, params: dict, val: dict, test: dict) -> None:
        result[probe] = {**params, "validation": val, "test": test}
        log(f"{probe} {params}: validation R@20 {val['recall@20']:.4f}, test R@20 {test['recall@20']:.4f}")

    result: dict = {"model": cfg.model, "dataset": d.name, "run_dir": str(run)}
    run_val, run_test = (blend.measure(users, items, s, 0.0) for s in ("validation", "test"))
    events.emit("probe", probe="run", validation=run_val)
    report("run", {}, run_val, run_test)
    val = blend.friends_only("validation")
    events.emit("probe", probe="friends", validation=val)
    report("friends", {}, val, blend.friends_only("test"))
    b = blend.select(users, items, run_val, run_test, events)
    report("blend", {"beta": b["beta"]}, b["validation"], b["test"])
    # smooth starts from β = 0 too, the run itself (already measured)
    best = ({"beta": 0.0, "tau": None}, run_val)
    for tau in SMOOTH_TAUS:
        for beta in SMOOTH_BETAS:
            val = picked(evaluate(users + beta * smoothed(tau), items, prep.val_set, batch=blend.batch))
            events.emit("probe", probe="smooth", beta=beta, tau=tau, validation=val)
            if val["recall@20"] > best[1]["recall@20"]:
                best = ({"beta": beta, "tau": tau}, val)
    params, val = best
    test = (
        run_test
        if params["beta"] == 0
        else picked(
            evaluate(
                users + params["beta"] * smoothed(params["tau"]), items, blend.splits["test"][0], batch=blend.batch
            )
        )
    )
    report("smooth", params, val, test)
    base = run_test["recall@20"]
    for probe in ("friends", "blend", "smooth"):
        result[probe]["test_recall@20_vs_run"] = round(result[probe]["test"]["recall@20"] / base, 4) if base else None
    events.emit("done", metrics=result)
    return result
