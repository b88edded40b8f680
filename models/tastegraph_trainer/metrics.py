"""Top-K ranking metrics (EVALUATION.md), as pure functions over a hit matrix.

`hits[u, p]` is 1 when the item ranked at 0-based position p for user u is relevant.
`n_relevant[u]` is the length of u's test list (duplicates included, as the protocol says).
Each function returns the per-user values; callers average them (macro average).
"""

from __future__ import annotations

import numpy as np


def recall_at_k(hits: np.ndarray, n_relevant: np.ndarray, k: int) -> np.ndarray:
    return hits[:, :k].sum(axis=1) / np.asarray(n_relevant, dtype=np.float64)


def precision_at_k(hits: np.ndarray, k: int) -> np.ndarray:
    return hits[:, :k].sum(axis=1) / float(k)


def hit_rate_at_k(hits: np.ndarray, k: int) -> np.ndarray:
    return (hits[:, :k].sum(axis=1) > 0).astype(np.float64)


def ndcg_at_k(hits: np.ndarray, n_relevant: np.ndarray, k: int) -> np.ndarray:
    discounts = 1.0 / np.log2(np.arange(k) + 2.0)
    dcg = (hits[:, :k] * discounts[: hits[:, :k].shape[1]]).sum(axis=1)
    ideal_len = np.minimum(np.asarray(n_relevant), k)
    cum = np.concatenate([[0.0], np.cumsum(discounts)])
    idcg = cum[ideal_len]
    return np.where(idcg > 0, dcg / np.where(idcg > 0, idcg, 1.0), 0.0)


def hit_matrix(top_items: np.ndarray, users: np.ndarray, truth_keys: np.ndarray, n_items: int) -> np.ndarray:
    """hits[r, p] = 1 if (users[r], top_items[r, p]) is in the sorted array of keys user*n_items+item.

    A negative item (an empty position) is never a hit."""
    keys = users[:, None].astype(np.int64) * n_items + top_items.astype(np.int64)
    pos = np.searchsorted(truth_keys, keys)
    pos = np.minimum(pos, len(truth_keys) - 1)
    if len(truth_keys) == 0:
        return np.zeros(keys.shape)
    return ((truth_keys[pos] == keys) & (top_items >= 0)).astype(np.float64)


def summarize(hits: np.ndarray, n_relevant: np.ndarray, ks=(10, 20)) -> dict[str, float]:
    """Macro averages of every metric at every K; empty input gives zeros and users=0."""
    out: dict[str, float] = {"users": int(hits.shape[0])}
    for k in ks:
        if hits.shape[0] == 0:
            out.update({f"recall@{k}": 0.0, f"ndcg@{k}": 0.0, f"precision@{k}": 0.0, f"hit_rate@{k}": 0.0})
            continue
        out[f"recall@{k}"] = float(recall_at_k(hits, n_relevant, k).mean())
        out[f"ndcg@{k}"] = float(ndcg_at_k(hits, n_relevant, k).mean())
        out[f"precision@{k}"] = float(precision_at_k(hits, k).mean())
        out[f"hit_rate@{k}"] = float(hit_rate_at_k(hits, k).mean())
    return out
