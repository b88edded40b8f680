"""Full-ranking evaluation (EVALUATION.md): score every item, mask known items, take the top K."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from .metrics import hit_matrix, summarize
from .slices import Buckets, slice_report


@dataclass
class EvalSet:
    """Users to evaluate, their relevant items and the items to mask."""

    users: np.ndarray  # users with >= 1 relevant row, ascending
    n_relevant: np.ndarray  # rows per evaluated user (duplicates count)
    truth_keys: np.ndarray  # sorted unique user * n_items + item
    mask_indptr: np.ndarray  # CSR over all users: items to set to -inf
    mask_indices: np.ndarray
    n_items: int

    def subset(self, keep: np.ndarray) -> EvalSet:
        """Only the evaluated users for which keep[user] is True."""
        sel = keep[self.users]
        return EvalSet(
            self.users[sel], self.n_relevant[sel], self.truth_keys, self.mask_indptr, self.mask_indices, self.n_items
        )


def sample_users(es: EvalSet, n: int, seed: int) -> EvalSet:
    """At most `n` of the evaluated users, drawn without replacement (seeded); all of them when n is 0 or
    they are fewer. Ranking costs users x items, so a large graph is evaluated on a sample (--eval-users):
    at the 100x rung (189k users, 1.76M items) a full pass is ~5,000 batches of 38 users over every item."""
    if n <= 0 or len(es.users) <= n:
        return es
    keep = np.zeros(len(es.mask_indptr) - 1, dtype=bool)
    keep[np.random.default_rng(seed).choice(es.users, size=n, replace=False)] = True
    return es.subset(keep)


def csr_from_pairs(user: np.ndarray, item: np.ndarray, n_users: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((item, user))
    counts = np.bincount(user, minlength=n_users)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return indptr, np.asarray(item, dtype=np.int64)[order]


def make_eval_set(
    truth_user: np.ndarray,
    truth_item: np.ndarray,
    mask_user: np.ndarray,
    mask_item: np.ndarray,
    n_users: int,
    n_items: int,
) -> EvalSet:
    truth_user = np.asarray(truth_user, dtype=np.int64)
    truth_item = np.asarray(truth_item, dtype=np.int64)
    rows = np.bincount(truth_user, minlength=n_users)
    users = np.nonzero(rows)[0]
    keys = np.unique(truth_user * n_items + truth_item)
    indptr, indices = csr_from_pairs(np.asarray(mask_user, np.int64), np.asarray(mask_item, np.int64), n_users)
    return EvalSet(users, rows[users], keys, indptr, indices, n_items)


def gather_rows(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The CSR rows `rows` concatenated: (for each value the position in `rows` it came from, the values)."""
    lens = indptr[rows + 1] - indptr[rows]
    owner = np.repeat(np.arange(len(rows)), lens)
    offs = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
    return owner, indices[np.repeat(indptr[rows], lens) + offs]


ScoreFn = Callable[[np.ndarray], torch.Tensor]  # user indices [B] -> scores over all items [B, n_items]

# Scores held at once while ranking (float32: 256 MiB): the user batch shrinks as the catalogue grows, so
# evaluation never holds a users x items matrix (1,024 users x 1.76M items would be 7.2 GB at the 100x rung).
SCORE_BUDGET = 1 << 26


@torch.no_grad()
def top_k_items(
    user_vectors: torch.Tensor,
    item_vectors: torch.Tensor,
    users: np.ndarray,
    es: EvalSet,
    k: int,
    batch: int = 1024,
    scores_fn: ScoreFn | None = None,
) -> np.ndarray:
    """Top-k item indices for `users`, with each user's masked items excluded. Scores are the dot products of
    the vectors unless `scores_fn` gives them (a score that is not a dot product, e.g. social_probe's blend).
    At most `batch` users at a time, fewer when batch x items would pass SCORE_BUDGET."""
    out = np.full((len(users), k), -1, dtype=np.int64)  # -1 = no item at that position
    device = item_vectors.device
    batch = max(1, min(batch, SCORE_BUDGET // max(1, es.n_items)))
    for s in range(0, len(users), batch):
        b = users[s : s + batch]
        scores = scores_fn(b) if scores_fn else user_vectors[torch.as_tensor(b, device=device)] @ item_vectors.T
        rows, cols = gather_rows(es.mask_indptr, es.mask_indices, b)
        if len(rows):
            scores[torch.as_tensor(rows, device=device), torch.as_tensor(cols, device=device)] = float("-inf")
        top = torch.topk(scores, min(k, scores.shape[1]), dim=1)
        idx = top.indices.masked_fill(torch.isneginf(top.values), -1)  # masked items never count
        out[s : s + len(b), : idx.shape[1]] = idx.cpu().numpy()
    return out


def evaluate(
    user_vectors: torch.Tensor,
    item_vectors: torch.Tensor,
    es: EvalSet,
    ks=(10, 20),
    batch: int = 1024,
    slices: dict[str, np.ndarray | Buckets] | None = None,
    scores_fn: ScoreFn | None = None,
) -> dict:
    """Metrics over es.users, plus one entry per named slice: a boolean mask over all users gives the full
    summary of those users; a `Buckets` gives the per-bucket Recall/NDCG@20 with bootstrap intervals."""
    kmax = max(ks)
    top = top_k_items(user_vectors, item_vectors, es.users, es, kmax, batch, scores_fn)
    hits = hit_matrix(top, es.users, es.truth_keys, es.n_items)
    result = summarize(hits, es.n_relevant, ks)
    for name, keep in (slices or {}).items():
        if isinstance(keep, Buckets):
            result[name] = slice_report(hits, es.n_relevant, keep.labels[es.users], keep.names)
            continue
        sel = keep[es.users]
        result[name] = summarize(hits[sel], es.n_relevant[sel], ks)
    return result
