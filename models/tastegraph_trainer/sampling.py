"""Vectorised BPR triple sampling: every training pair once per epoch, with negatives drawn
uniformly, by popularity ((count+1)^0.75, as word2vec) or as hard candidates scored by the model.
The triples are drawn with torch on the training device."""

from __future__ import annotations

import numpy as np
import torch


def is_pair(pos_keys: np.ndarray, n_items: int, users: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Whether each (user, item) is among `pos_keys` (sorted unique user * n_items + item)."""
    keys = users * n_items + items
    if len(pos_keys) == 0:
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(pos_keys, keys), len(pos_keys) - 1)
    return pos_keys[at] == keys


class NegativeSampler:
    """BPR triples as tensors on `device`: every fit pair once per epoch, in a seeded random order,
    with one negative per pair (or `hard_candidates` for hard mode) that is never a fit positive.

    Uniform negatives are drawn exactly from each user's complement: r uniform in
    [0, n_items - deg(u)), mapped to u's r-th non-positive item by one sorted search
    (x = r + #{j : p_j - j <= r} over u's sorted positives p_j). No rejection loop, so nothing
    waits for the device: on a GPU the next batch is drawn while the last one trains.
    Popularity negatives are redrawn a fixed number of rounds; the rare stubborn ones fall back to
    the uniform complement draw.
    """

    POPULARITY_ROUNDS = 10

    def __init__(
        self,
        user: np.ndarray,
        item: np.ndarray,
        n_items: int,
        mode: str,
        seed: int,
        hard_candidates: int = 16,
        device: torch.device | str = "cpu",
    ):
        self.hard_candidates = hard_candidates
        self.n_items = n_items
        self.mode = mode
        self.device = torch.device(device)
        self.gen = torch.Generator(device=self.device)
        self.gen.manual_seed(int(seed))
        user = np.asarray(user, dtype=np.int64)
        item = np.asarray(item, dtype=np.int64)
        n_users = int(user.max()) + 1 if len(user) else 0
        self.pos_keys = np.unique(user * n_items + item)  # sorted; also read by SocialItemSampler
        pu, pi = self.pos_keys // max(n_items, 1), self.pos_keys % max(n_items, 1)
        deg = np.bincount(pu, minlength=n_users)
        start = np.concatenate([[0], np.cumsum(deg)[:-1]]).astype(np.int64)
        q = pi - (np.arange(len(pu)) - start[pu])  # p_j - j: non-decreasing within a user
        # +1: an item nobody has interacted with can still be drawn as a negative
        pop = (np.bincount(item, minlength=n_items).astype(np.float64) + 1.0) ** 0.75
        t = lambda a: torch.as_tensor(a, device=self.device)  # noqa: E731
        self.user, self.item = t(user), t(item)
        self.keys_t = t(self.pos_keys)
        self.q_keys = t(pu * n_items + q)  # sorted: users ascending, q ascending within a user
        self.deg, self.start = t(deg), t(start)
        self.pop_cdf = t(np.cumsum(pop) / pop.sum())

    def is_positive(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        """numpy: whether each (user, item) is a fit pair."""
        return is_pair(self.pos_keys, self.n_items, users, items)

    def _is_positive_t(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        if self.keys_t.numel() == 0:
            return torch.zeros_like(items, dtype=torch.bool)
        keys = users * self.n_items + items
        at = torch.searchsorted(self.keys_t, keys).clamp_(max=self.keys_t.numel() - 1)
        return self.keys_t[at] == keys

    def _uniform(self, users: torch.Tensor) -> torch.Tensor:
        """One uniform non-positive item per user (a user who has every item gets a positive)."""
        avail = (self.n_items - self.deg[users]).clamp_(min=1)
        r = (torch.rand(users.shape, generator=self.gen, device=self.device, dtype=torch.float64) * avail).long()
        r = torch.minimum(r, avail - 1)  # float rounding
        # q_keys up to u's own: every earlier user's entries (start[u] of them), then u's q_j <= r
        return r + torch.searchsorted(self.q_keys, users * self.n_items + r, right=True) - self.start[users]

    def _popular(self, n: int) -> torch.Tensor:
        u = torch.rand(n, generator=self.gen, device=self.device, dtype=torch.float64)
        return torch.searchsorted(self.pop_cdf, u, right=True).clamp_(max=self.n_items - 1)

    def negatives(self, users, shape_extra: int = 0) -> torch.Tensor:
        """One negative per user (or `shape_extra` candidates each, [B, shape_extra]), never a fit positive."""
        users = torch.as_tensor(users, dtype=torch.long, device=self.device)
        u = users if shape_extra == 0 else users.repeat_interleave(shape_extra)
        if self.mode == "popularity":
            neg = self._popular(u.numel())
            for _ in range(self.POPULARITY_ROUNDS):  # fixed rounds: no host sync
                neg = torch.where(self._is_positive_t(u, neg), self._popular(u.numel()), neg)
            neg = torch.where(self._is_positive_t(u, neg), self._uniform(u), neg)
        else:
            neg = self._uniform(u)
        return neg if shape_extra == 0 else neg.view(len(users), shape_extra)

    def epoch(self, batch_size: int):
        """Yield (users, positives, negatives or candidates) tensors on the device over a shuffled epoch."""
        perm = torch.randperm(self.user.numel(), generator=self.gen, device=self.device)
        extra = self.hard_candidates if self.mode == "hard" else 0
        for s in range(0, perm.numel(), batch_size):
            idx = perm[s : s + batch_size]
            u = self.user[idx]
            yield u, self.item[idx], self.negatives(u, extra)


def pick_hard(user_vecs: torch.Tensor, cand_vecs: torch.Tensor) -> torch.Tensor:
    """Index of the highest-scoring candidate per row (dynamic negative sampling)."""
    with torch.no_grad():
        return (cand_vecs * user_vecs.unsqueeze(1)).sum(-1).argmax(1)


def _grouped(keys: np.ndarray, values: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`values` ordered by key, with each key's count and start offset (key k: values[start[k]:start[k] + count[k]])."""
    order = np.argsort(keys, kind="stable")
    count = np.bincount(keys, minlength=n)
    return np.asarray(values, dtype=np.int64)[order], count, np.concatenate([[0], np.cumsum(count)[:-1]])


class PairSet:
    """A set of (user, item) pairs as sorted keys, for `is_positive` on the host (what
    `SocialItemSampler` asks of its `negatives`, without a device sampler)."""

    def __init__(self, user: np.ndarray, item: np.ndarray, n_items: int):
        self.n_items = n_items
        self.pos_keys = np.unique(np.asarray(user, dtype=np.int64) * n_items + np.asarray(item, dtype=np.int64))

    def is_positive(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        return is_pair(self.pos_keys, self.n_items, users, items)


class SocialItemSampler:
    """SBPR's social items: for user u, an item of a random friend v that is not a training positive of u.

    `src`/`dst` are the directed friend edges (u aggregates from v), `user`/`item` the fit pairs.
    `draw(users)` -> (items, valid); invalid where u has no friends, or no try in `tries` found a
    friend's item outside u's positives.
    """

    def __init__(
        self,
        src: np.ndarray,
        dst: np.ndarray,
        user: np.ndarray,
        item: np.ndarray,
        n_users: int,
        negatives: NegativeSampler | PairSet,
        rng: np.random.Generator,
        tries: int = 5,
    ):
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
