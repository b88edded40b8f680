"""Friends' picks at scoring time: score z(u·i) + β·z(log1p(how many friends interacted with i)), the
weight β picked on validation. The run's own step (`friends_blend`) and the pieces the social probe
(experiments/social_probe.py) measures with."""

from __future__ import annotations

import functools

import numpy as np
import torch

from .evaluation import csr_from_pairs, evaluate, gather_rows
from .events import EventWriter, log
from .prepare import Prepared
from .zoo import Recommender

BLEND_BETAS = (0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2)
REPORTED = ("recall@20", "ndcg@20", "recall@10", "ndcg@10")


class FriendItems:
    """counts(users)[r, i] = how many friends of users[r] interacted with item i (distinct pairs)."""

    def __init__(
        self, src: np.ndarray, dst: np.ndarray, user: np.ndarray, item: np.ndarray, n_users: int, n_items: int
    ):
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


def picked(m: dict) -> dict:
    return {k: round(m[k], 6) for k in REPORTED}


class FriendBlend:
    """The friends' picks blend of a run's scores on its validation and test splits.

    Validation counts friends' items among the fit pairs only (validation items stay unseen), test
    among all training pairs, as serving sees them; held-out fold-in users are left out of both.
    `src`/`dst`: the directed friend edges whose items count."""

    def __init__(self, prep: Prepared, src: np.ndarray, dst: np.ndarray, excluded: np.ndarray):
        d = prep.data
        self.n_users, self.n_items = d.n_users, d.n_items
        self.src, self.dst = src, dst
        keep_train = ~excluded[d.train_user]
        self.splits = {  # the evaluation set, and the pairs friends' counts and popularity may see
            "validation": (prep.val_set, prep.fit_user, prep.fit_item),
            "test": (prep.test_set.subset(~excluded), d.train_user[keep_train], d.train_item[keep_train]),
        }
        self.batch = max(16, min(1024, (1 << 24) // d.n_items))

    @functools.cache  # noqa: B019 - a FriendBlend lives for one run or probe; the cache goes with it
    def counts(self, split: str) -> tuple:
        es, seen_user, seen_item = self.splits[split]
        fi = FriendItems(self.src, self.dst, seen_user, seen_item, self.n_users, self.n_items)
        pop = torch.from_numpy(np.bincount(seen_item, minlength=self.n_items).astype(np.float32))
        return es, fi, pop

    def friends_only(self, split: str) -> dict:
        """Items ranked by friends' counts alone, training popularity breaking ties."""
        es, fi, pop = self.counts(split)
        tie = 0.5 * pop / (pop.max() + 1)  # < 1: orders items of equal count only
        return picked(
            evaluate(torch.zeros(1, 1), torch.zeros(1, 1), es, batch=self.batch, scores_fn=lambda b: fi.counts(b) + tie)
        )

    def measure(self, users: torch.Tensor, items: torch.Tensor, split: str, beta: float) -> dict:
        es, fi, _ = self.counts(split)

        def fn(b):
            s = standardise(users[torch.as_tensor(b, device=users.device)] @ items.T)
            return s + beta * standardise(torch.log1p(fi.counts(b))).to(s.device)

        return picked(evaluate(users, items, es, batch=self.batch, scores_fn=fn if beta else None))

    def select(
        self,
        users: torch.Tensor,
        items: torch.Tensor,
        base_val: dict,
        base_test: dict,
        events: EventWriter | None = None,
        betas=BLEND_BETAS,
        fixed: float | None = None,
    ) -> dict:
        """β picked on validation from β = 0 (the run itself: `base_val`, `base_test`) and `betas`, then
        test once; `fixed` skips the choice (β = fixed)."""
        if fixed is not None:
            betas = () if fixed == 0 else (fixed,)
        best = (0.0, picked(base_val))
        for beta in betas:
            val = self.measure(users, items, "validation", beta)
            if events:
                events.emit("probe", probe="blend", beta=beta, validation=val)
            if val["recall@20"] > best[1]["recall@20"] or fixed is not None:
                best = (beta, val)
        beta, val = best
        test = self.measure(users, items, "test", beta) if beta else picked(base_test)
        base = base_test["recall@20"]
        return {
            "beta": beta,
            "validation": val,
            "test": test,
            "test_recall@20_vs_run": round(test["recall@20"] / base, 4) if base else None,
        }


def served_friend_edges(
    data, src: np.ndarray | None = None, dst: np.ndarray | None = None, keep: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Every friendship in both directions, less the directed edges (src, dst) that a model's attention
    filter dropped (keep False): the friends serving counts (src/modelFriends)."""
    a = np.concatenate([data.friend_a, data.friend_b]).astype(np.int64)
    b = np.concatenate([data.friend_b, data.friend_a]).astype(np.int64)
    if keep is not None and not keep.all():
        dropped = np.asarray(src, np.int64)[~keep] * data.n_users + np.asarray(dst, np.int64)[~keep]
        ok = ~np.isin(a * data.n_users + b, dropped)
        a, b = a[ok], b[ok]
    return a, b


def friends_blend(
    prep: Prepared,
    model: Recommender,
    user_vecs,
    item_vecs,
    keep_mask,
    excluded,
    val: dict | None,
    test: dict,
    batch: int,
    fixed: float | None,
    events: EventWriter,
    refit: bool = False,
) -> dict:
    """The weight serving gives friends' picks: score z(u·i) + β·z(log1p(how many friends interacted
    with i)), β picked on validation (0 = the model alone) unless `fixed`, test measured once. The
    friends are the ones serving counts: every friendship, less the edges SocialGCN's attention
    filter dropped. `val`/`test`: the served vectors' own metrics (`val` None: measured here). `refit`: the
    vectors trained on the validation pairs, so β is `fixed` and no validation figure is reported."""
    src = dst = None
    if keep_mask is not None:
        src, dst = (t.cpu().numpy() for t in model.friend_edges())
    a, b = served_friend_edges(prep.data, src, dst, keep_mask)
    blend = FriendBlend(prep, a, b, excluded)
    if val is None:
        val = evaluate(user_vecs, item_vecs, prep.val_set, batch=batch)
    report = blend.select(user_vecs, item_vecs, val, test, fixed=fixed)
    if refit:
        report["validation"] = None
    events.emit("friends_blend", **report)
    picked = "after the refit" if refit else f"validation R@20 {report['validation']['recall@20']:.4f}"
    log(
        f"friends' picks: beta {report['beta']} {picked}, "
        f"test R@20 {report['test']['recall@20']:.4f} ({report['test_recall@20_vs_run']}x the model alone)"
    )
    return report
