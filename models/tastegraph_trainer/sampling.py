"""Vectorised BPR triple sampling: every training pair once per epoch, with negatives drawn
uniformly, by popularity ((count+1)^0.75, as word2vec) or as hard candidates scored by the model."""

from __future__ import annotations

import numpy as np
import torch


class NegativeSampler:
    def __init__(self, user: np.ndarray, item: np.ndarray, n_items: int, mode: str, rng: np.random.Generator,
                 hard_candidates: int = 16):
        self.hard_candidates = hard_candidates
        self.user = np.asarray(user, dtype=np.int64)
        self.item = np.asarray(item, dtype=np.int64)
        self.n_items = n_items
        self.mode = mode
        self.rng = rng
        self.pos_keys = np.unique(self.user * n_items + self.item)
        # +1: an item nobody has interacted with can still be drawn as a negative
        pop = (np.bincount(self.item, minlength=n_items).astype(np.float64) + 1.0) ** 0.75
        self.pop_cdf = np.cumsum(pop) / pop.sum()

    def _draw(self, n: int, popularity: bool) -> np.ndarray:
        if popularity:
            return np.minimum(np.searchsorted(self.pop_cdf, self.rng.random(n), side="right"), self.n_items - 1)
        return self.rng.integers(0, self.n_items, n)

    def is_positive(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        keys = users * self.n_items + items
        pos = np.minimum(np.searchsorted(self.pos_keys, keys), len(self.pos_keys) - 1)
        return self.pos_keys[pos] == keys

    def negatives(self, users: np.ndarray, shape_extra: int = 0) -> np.ndarray:
        """One negative per user (or `shape_extra` candidates each), never a training positive."""
        popularity = self.mode == "popularity"
        u = users if shape_extra == 0 else np.repeat(users, shape_extra)
        neg = self._draw(len(u), popularity)
        for attempt in range(100):
            bad = self.is_positive(u, neg)
            if not bad.any():
                break
            # after a few rounds, redraw the stubborn ones uniformly (popular-heavy users)
            neg[bad] = self._draw(int(bad.sum()), popularity and attempt < 10)
        return neg if shape_extra == 0 else neg.reshape(len(users), shape_extra)

    def epoch(self, batch_size: int):
        """Yield (users, positives, negatives or candidates) numpy batches over a shuffled epoch."""
        perm = self.rng.permutation(len(self.user))
        hard = self.mode == "hard"
        for s in range(0, len(perm), batch_size):
            idx = perm[s:s + batch_size]
            u, p = self.user[idx], self.item[idx]
            yield u, p, self.negatives(u, self.hard_candidates if hard else 0)


def pick_hard(user_vecs: torch.Tensor, cand_vecs: torch.Tensor) -> torch.Tensor:
    """Index of the highest-scoring candidate per row (dynamic negative sampling)."""
    with torch.no_grad():
        return (cand_vecs * user_vecs.unsqueeze(1)).sum(-1).argmax(1)


def _grouped(keys: np.ndarray, values: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`values` ordered by key, with each key's count and start offset (key k: values[start[k]:start[k] + count[k]])."""
    order = np.argsort(keys, kind="stable")
    count = np.bincount(keys, minlength=n)
    return np.asarray(values, dtype=np.int64)[order], count, np.concatenate([[0], np.cumsum(count)[:-1]])


class SocialItemSampler:
    """SBPR's social items: for user u, an item of a random friend v that is not a training positive of u.

    `src`/`dst` are the directed friend edges (u aggregates from v), `user`/`item` the fit pairs.
    `draw(users)` -> (items, valid); invalid where u has no friends, or no try in `tries` found a
    friend's item outside u's positives.
    """

    def __init__(self, src: np.ndarray, dst: np.ndarray, user: np.ndarray, item: np.ndarray, n_users: int,
                 negatives: NegativeSampler, rng: np.random.Generator, tries: int = 5):
        self.f_dst, self.f_deg, self.f_start = _grouped(src, dst, n_users)  # each user's friends
        self.i_item, self.i_deg, self.i_start = _grouped(user, item, n_users)  # each user's fit items
        self.neg, self.rng, self.tries = negatives, rng, tries

    def draw(self, users: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        users = np.asarray(users, dtype=np.int64)
        items = np.zeros(len(users), dtype=np.int64)
        valid = np.zeros(len(users), dtype=bool)
        todo = np.nonzero(self.f_deg[users] > 0)[0]
        for _ in range(self.tries):
            if len(todo) == 0:
                break
            u = users[todo]
            v = self.f_dst[self.f_start[u] + (self.rng.random(len(u)) * self.f_deg[u]).astype(np.int64)]
            has = self.i_deg[v] > 0
            idx = self.i_start[v] + (self.rng.random(len(u)) * self.i_deg[v]).astype(np.int64)
            k = self.i_item[np.minimum(idx, max(len(self.i_item) - 1, 0))] if len(self.i_item) else idx
            ok = has & ~self.neg.is_positive(u, k)
            items[todo[ok]] = k[ok]
            valid[todo[ok]] = True
            todo = todo[~ok]
        return items, valid
