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


class FriendBlend:
    """The friends' picks blend of a run's scores on its validation and test splits.

    Validation counts friends' items among the fit pairs only (validation items stay unseen), test
    among all training pairs, as serving sees them; held-out fold-in users are left out of both.
    `src`/`dst`: the directed friend edges whose items count."""

    def __init__(self, prep, src: np.ndarray, dst: np.ndarray, excluded: np.ndarray):
        d = prep.data
        self.n_users, self.n_items = d.n_users, d.n_items
        self.src, self.dst = src, dst
        keep_train = ~excluded[d.train_user]
        self.splits = {  # the evaluation set, and the pairs friends' counts and popularity may see
            "validation": (prep.val_set, prep.fit_user, prep.fit_item),
            "test": (prep.test_set.subset(~excluded), d.train_user[keep_train], d.train_item[keep_train]),
        }
        self.batch = max(16, min(1024, (1 << 24) // d.n_items))

    @functools.cache
    def counts(self, split: str) -> tuple:
        es, seen_user, seen_item = self.splits[split]
        fi = FriendItems(self.src, self.dst, seen_user, seen_item, self.n_users, self.n_items)
        pop = torch.from_numpy(np.bincount(seen_item, minlength=self.n_items).astype(np.float32))
        return es, fi, pop

    def friends_only(self, split: str) -> dict:
        """Items ranked by friends' counts alone, training popularity breaking ties."""
        es, fi, pop = self.counts(split)
        tie = 0.5 * pop / (pop.max() + 1)  # < 1: orders items of equal count only
        return _picked(evaluate(torch.zeros(1, 1), torch.zeros(1, 1), es, batch=self.batch,
                                scores_fn=lambda b: fi.counts(b) + tie))

    def measure(self, users: torch.Tensor, items: torch.Tensor, split: str, beta: float) -> dict:
        es, fi, _ = self.counts(split)

        def fn(b):
            s = standardise(users[torch.as_tensor(b, device=users.device)] @ items.T)
            return s + beta * standardise(torch.log1p(fi.counts(b))).to(s.device)
        return _picked(evaluate(users, items, es, batch=self.batch, scores_fn=fn if beta else None))

    def select(self, users: torch.Tensor, items: torch.Tensor, base_val: dict, base_test: dict,
               events: EventWriter | None = None, betas=BLEND_BETAS, fixed: float | None = None) -> dict:
        """β picked on validation from β = 0 (the run itself: `base_val`, `base_test`) and `betas`, then
        test once; `fixed` skips the choice (β = fixed)."""
        if fixed is not None:
            betas = () if fixed == 0 else (fixed,)
        best = (0.0, _picked(base_val))
        for beta in betas:
            val = self.measure(users, items, "validation", beta)
            if events:
                events.emit("probe", probe="blend", beta=beta, validation=val)
            if val["recall@20"] > best[1]["recall@20"] or fixed is not None:
                best = (beta, val)
        beta, val = best
        test = self.measure(users, items, "test", beta) if beta else _picked(base_test)
        base = base_test["recall@20"]
        return {"beta": beta, "validation": val, "test": test,
                "test_recall@20_vs_run": round(test["recall@20"] / base, 4) if base else None}


def served_friend_edges(data, src: np.ndarray | None = None, dst: np.ndarray | None = None,
                        keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every friendship in both directions, less the directed edges (src, dst) that a model's attention
    filter dropped (keep False): the friends serving counts (src/modelFriends)."""
    a = np.concatenate([data.friend_a, data.friend_b]).astype(np.int64)
    b = np.concatenate([data.friend_b, data.friend_a]).astype(np.int64)
    if keep is not None and not keep.all():
        dropped = np.asarray(src, np.int64)[~keep] * data.n_users + np.asarray(dst, np.int64)[~keep]
        ok = ~np.isin(a * data.n_users + b, dropped)
        a, b = a[ok], b[ok]
    return a, b


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
    blend = FriendBlend(prep, src, dst, excluded)
    events.emit("started", command="social-probe", run=str(run), model=cfg.model, dataset=d.name,
                friend_pairs=int(len(prep.friend_a)))

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
            val = _picked(evaluate(users + beta * smoothed(tau), items, prep.val_set, batch=blend.batch))
            events.emit("probe", probe="smooth", beta=beta, tau=tau, validation=val)
            if val["recall@20"] > best[1]["recall@20"]:
                best = ({"beta": beta, "tau": tau}, val)
    params, val = best
    test = run_test if params["beta"] == 0 else _picked(
        evaluate(users + params["beta"] * smoothed(params["tau"]), items, blend.splits["test"][0], batch=blend.batch))
    report("smooth", params, val, test)
    base = run_test["recall@20"]
    for probe in ("friends", "blend", "smooth"):
        result[probe]["test_recall@20_vs_run"] = round(result[probe]["test"]["recall@20"] / base, 4) if base else None
    events.emit("done", metrics=result)
    return result
