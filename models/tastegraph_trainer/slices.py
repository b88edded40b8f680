"""Per-slice evaluation (issue #26): Recall@20 and NDCG@20 by the user's training-interaction count and
friend count, each slice with its number of users and a bootstrap confidence interval over its users.

A slice is a `Buckets`: one integer label per user (-1 = in no bucket) and the bucket names. `evaluate`
(evaluation.py) takes a `Buckets` wherever it takes a boolean slice mask and writes the report below under
the slice's name. The bootstrap is seeded (the same resamples for every run, so two runs' intervals are
drawn the same way) and vectorised: every resample of a slice is one row of an index matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .metrics import ndcg_at_k, recall_at_k

# (name, inclusive upper bound); the last bucket is open. Counts of 0 fall in the first bucket whose bound
# is >= 0 (the SocialLGN splits have no user without training rows; a friendless user is friend bucket "0").
INTERACTION_BUCKETS: tuple[tuple[str, float], ...] = (("1-5", 5), ("6-20", 20), ("21-50", 50), ("50+", np.inf))
FRIEND_BUCKETS: tuple[tuple[str, float], ...] = (("0", 0), ("1-5", 5), ("6-20", 20), ("20+", np.inf))
SPARSE_MAX_INTERACTIONS = 5  # the target slice: <= 5 training interactions and >= 1 friend
SLICE_K = 20
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 2026
CI_LEVEL = 0.95


@dataclass(frozen=True)
class Buckets:
    labels: np.ndarray  # int per user (all users, not only the evaluated ones); -1 = in no bucket
    names: tuple[str, ...]


def bucketize(counts: np.ndarray, buckets: tuple[tuple[str, float], ...]) -> Buckets:
    """Label each count with the first bucket whose inclusive upper bound it does not exceed."""
    uppers = np.array([b for _, b in buckets], dtype=np.float64)
    labels = np.searchsorted(uppers, np.asarray(counts, dtype=np.float64), side="left")
    return Buckets(labels.astype(np.int64), tuple(n for n, _ in buckets))


def friend_counts(friend_a: np.ndarray, friend_b: np.ndarray, n_users: int) -> np.ndarray:
    """Distinct friends per user over undirected pairs (a pair listed twice counts once)."""
    if len(friend_a) == 0:
        return np.zeros(n_users, dtype=np.int64)
    lo, hi = np.minimum(friend_a, friend_b), np.maximum(friend_a, friend_b)
    keys = np.unique(lo.astype(np.int64) * n_users + hi)
    lo, hi = keys // n_users, keys % n_users
    lo, hi = lo[lo != hi], hi[lo != hi]
    return np.bincount(lo, minlength=n_users) + np.bincount(hi, minlength=n_users)


def user_slices(train_rows: np.ndarray, n_friends: np.ndarray) -> dict[str, Buckets]:
    """The slices every run reports: by training rows, by friends, and the sparse users who have friends."""
    sparse = (train_rows <= SPARSE_MAX_INTERACTIONS) & (n_friends > 0)
    return {
        "by_interactions": bucketize(train_rows, INTERACTION_BUCKETS),
        "by_friends": bucketize(n_friends, FRIEND_BUCKETS),
        "sparse_with_friends": Buckets(np.where(sparse, 0, -1).astype(np.int64), ("<=5 & friends>=1",)),
    }


def bootstrap_ci(
    values: np.ndarray, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED, level: float = CI_LEVEL
) -> np.ndarray:
    """Percentile bootstrap of the mean over users. `values` is [m, n] (m metrics of the same n users, resampled
    together) or [n]; returns [m, 2] (or [2]) lower/upper bounds. n = 0 gives NaN; n = 1 gives the value."""
    v = np.atleast_2d(np.asarray(values, dtype=np.float64))
    m, n = v.shape
    if n == 0:
        out = np.full((m, 2), np.nan)
        return out[0] if np.ndim(values) == 1 else out
    rng = np.random.default_rng(seed)
    means = np.empty((m, resamples))
    chunk = max(1, 4_000_000 // n)  # bound the index matrix to a few million entries
    for s in range(0, resamples, chunk):
        idx = rng.integers(0, n, size=(min(chunk, resamples - s), n))
        means[:, s : s + idx.shape[0]] = v[:, idx].mean(axis=2)
    alpha = (1.0 - level) / 2.0
    out = np.quantile(means, [alpha, 1.0 - alpha], axis=1).T
    return out[0] if np.ndim(values) == 1 else out


def slice_report(
    hits: np.ndarray, n_relevant: np.ndarray, labels: np.ndarray, names: tuple[str, ...], k: int = SLICE_K
) -> dict[str, dict]:
    """For each bucket: users, mean Recall@k and NDCG@k and their bootstrap intervals. `labels` are those of
    the evaluated users (the rows of `hits`)."""
    recall = recall_at_k(hits, n_relevant, k) if len(hits) else np.zeros(0)
    ndcg = ndcg_at_k(hits, n_relevant, k) if len(hits) else np.zeros(0)
    out: dict[str, dict] = {}
    for b, name in enumerate(names):
        sel = labels == b
        n = int(sel.sum())
        entry: dict = {"users": n}
        if n:
            ci = bootstrap_ci(np.stack([recall[sel], ndcg[sel]]))
            entry.update(
                {
                    f"recall@{k}": float(recall[sel].mean()),
                    f"recall@{k}_ci": [round(float(ci[0, 0]), 6), round(float(ci[0, 1]), 6)],
                    f"ndcg@{k}": float(ndcg[sel].mean()),
                    f"ndcg@{k}_ci": [round(float(ci[1, 0]), 6), round(float(ci[1, 1]), 6)],
                }
            )
        out[name] = entry
    return out
