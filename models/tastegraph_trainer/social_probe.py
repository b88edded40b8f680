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

from .config import ConfigError, TrainConfig, config_from_dict
from .evaluate_cmd import check_run_files, load_run_embeddings
from .evaluation import csr_from_pairs, evaluate, gather_rows
from .events import EventWriter, log

BLEND_BETAS = (0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2)
SMOOTH_BETAS = (0.05, 0.1, 0.2, 0.3, 0.5)
SMOOTH_TAUS = (0.1, 0.2, 1.0)
REPORTED = ("recall@20", "ndcg@20", "recall@10", "ndcg@10")


def add_probe_arguments(p) -> None:
    p.add_argument("--run", required=True, metavar="DIR",
                   help="a `train` run folder: config.json, user_embeddings.npy, item_embeddings.npy")
    p.add_argument("--data-dir", metavar="DIR", help="read the dataset from here instead of the run's data_dir")


class FriendItems:
    """counts(users)[r, i] = how many friends of users[r] interacted with item i (distinct pairs)."""

    def __init__(self, src: np.ndarray, dst: np.ndarray, user: np.ndarray, item: np.ndarray, n_users: int, n_items: int):
        self.n_items = n_items
        self.f_ptr, self.f_idx = csr_from_pairs(np.asarray(src, np.int64), np.asarray(dst, np.int64), n_users)
        keys = np.unique(np.asarray(user, np.int64) * n_items + np.asarray(item, np.int64))
        self.i_ptr, self.i_idx = csr_from_pairs(keys // n_items, keys % n_items, n_users)

    def counts(self, users: np.ndarray) -> torch.Tensor:
        f_owner, friends = gather_rows(self.f_ptr, self.f_idx, np.asarray(users, np.int64))
        i_owner, items = gather_rows(self.i_ptr, self.i_idx, friends)
        flat = f_owner[i_owner] * self.n_items + items
        c = np.bincount(flat, minlength=len(users) * self.n_items).reshape(len(users), self.n_items)
        return torch.from_numpy(c.astype(np.float32))


def standardise(x: torch.Tensor) -> torch.Tensor:
    """Each row to mean 0 and standard deviation 1 (a constant row becomes 0)."""
    return (x - x.mean(1, keepdim=True)) / x.std(1, keepdim=True).clamp_min(1e-9)


def friend_smoothing(users: torch.Tensor, src: np.ndarray, dst: np.ndarray, tau: float) -> torch.Tensor:
    """Σ_v a_uv·users[v] over u's friends, a = softmax of cos(u, v)/τ (zero rows for users without friends)."""
    s, d = torch.as_tensor(src, dtype=torch.long), torch.as_tensor(dst, dtype=torch.long)
    unit = torch.nn.functional.normalize(users, dim=1)
    w = torch.exp(((unit[s] * unit[d]).sum(1) - 1) / tau)  # ≤ 1: no overflow at small τ
    total = torch.zeros(users.shape[0]).index_add_(0, s, w)
    w = w / total[s].clamp_min(1e-30)
    return torch.zeros_like(users).index_add_(0, s, w[:, None] * users[d])


def _picked(m: dict) -> dict:
    return {k: round(m[k], 6) for k in REPORTED}


def load_run_config(run: Path, data_dir: str | None) -> TrainConfig:
    path = run / "config.json"
    if not path.exists():
        raise ConfigError(f"--run: {path} is missing")
    raw = json.loads(path.read_text())
    if data_dir:
        raw["data_dir"] = data_dir
    return config_from_dict(raw)


def run_probe(args, events: EventWriter | None = None) -> dict:
    from .train import load_data, prepare

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
    keep_train = ~excluded[d.train_user]
    splits = {  # the evaluation set, and what friends' counts and popularity may see
        "validation": (prep.val_set, prep.fit_user, prep.fit_item),
        "test": (prep.test_set.subset(~excluded), d.train_user[keep_train], d.train_item[keep_train]),
    }
    batch = max(16, min(1024, (1 << 24) // d.n_items))
    events.emit("started", command="social-probe", run=str(run), model=cfg.model, dataset=d.name,
                friend_pairs=int(len(prep.friend_a)))

    @functools.cache
    def scorers(split: str):
        es, seen_user, seen_item = splits[split]
        fi = FriendItems(src, dst, seen_user, seen_item, d.n_users, d.n_items)
        pop = torch.from_numpy(np.bincount(seen_item, minlength=d.n_items).astype(np.float32))
        tie = 0.5 * pop / (pop.max() + 1)  # < 1: orders items of equal count only

        def friends_only(b):
            return fi.counts(b) + tie

        def blend(beta):
            def fn(b):
                return standardise(users[torch.as_tensor(b)] @ items.T) + beta * standardise(torch.log1p(fi.counts(b)))
            return fn
        return es, friends_only, blend

    @functools.cache
    def smoothed(tau: float) -> torch.Tensor:
        return friend_smoothing(users, src, dst, tau)

    def measure(split: str, probe: str, **params) -> dict:
        es, friends_only, blend = scorers(split)
        if probe == "friends":
            m = evaluate(users, items, es, batch=batch, scores_fn=friends_only)
        elif probe == "blend":
            m = evaluate(users, items, es, batch=batch, scores_fn=blend(params["beta"]))
        elif probe == "smooth":
            m = evaluate(users + params["beta"] * smoothed(params["tau"]), items, es, batch=batch)
        else:  # the run as trained
            m = evaluate(users, items, es, batch=batch)
        return _picked(m)

    grids = {"run": [{}], "friends": [{}],
             "blend": [{"beta": b} for b in BLEND_BETAS],
             "smooth": [{"beta": b, "tau": t} for t in SMOOTH_TAUS for b in SMOOTH_BETAS]}
    result: dict = {"model": cfg.model, "dataset": d.name, "run_dir": str(run)}
    for probe, grid in grids.items():
        # blend and smooth start from β = 0, which is the run itself (already measured)
        best = None if probe in ("run", "friends") else (
            {"beta": 0.0, **({"tau": None} if probe == "smooth" else {})}, result["run"]["validation"])
        for params in grid:
            val = measure("validation", probe, **params)
            events.emit("probe", probe=probe, **params, validation=val)
            if best is None or val["recall@20"] > best[1]["recall@20"]:
                best = (params, val)
        params, val = best
        test = result["run"]["test"] if params.get("beta") == 0 else measure("test", probe, **params)
        result[probe] = {**params, "validation": val, "test": test}
        log(f"{probe} {params}: validation R@20 {val['recall@20']:.4f}, test R@20 {test['recall@20']:.4f}")
    base = result["run"]["test"]["recall@20"]
    for probe in ("friends", "blend", "smooth"):
        result[probe]["test_recall@20_vs_run"] = round(result[probe]["test"]["recall@20"] / base, 4) if base else None
    events.emit("done", metrics=result)
    return result
