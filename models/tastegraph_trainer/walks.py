"""Neighbourhoods for the inductive models: padded neighbour samples (GraphSAGE) and PinSage
random walks, both as dense [N, K] tables (ids, weights, mask) like the Cypher sampler returns.

The walks mirror `cypher/sampling/walk-step-items.cypher` and docs/sampling.md §2:
- from each seed item, W walkers take L steps; a step is item -> uniform random user of the item
  -> uniform random item of that user (with replacement, the walk may come back);
- optional restart: before each step a walker jumps back to its seed with probability alpha;
- a walker that cannot move (an item without users) goes back to its seed and that step counts
  no visit;
- visits are counted after each step; the neighbourhood is the top-k visited items excluding the
  seed, by visits then id, with importance weight = visits / all visits not on the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def csr(rows: np.ndarray, cols: np.ndarray, n_rows: int, weights: np.ndarray | None = None):
    """(indptr, indices, weights) of the pairs grouped by row (stable within a row)."""
    rows = np.asarray(rows, dtype=np.int64)
    order = np.argsort(rows, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_rows))]).astype(np.int64)
    w = np.ones(len(rows)) if weights is None else np.asarray(weights, dtype=np.float64)
    return indptr, np.asarray(cols, dtype=np.int64)[order], w[order]


def sample_table(indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator):
    """Up to k neighbours per row without replacement (uniform), padded: (idx, w, mask) of shape [N, k].

    Rows with degree <= k keep all their neighbours. One sort of random keys offset by the row
    number shuffles every row at once.
    """
    n = len(indptr) - 1
    deg = np.diff(indptr)
    row = np.repeat(np.arange(n), deg)
    order = np.argsort(row + rng.random(len(row)), kind="stable")
    rank = np.arange(len(row)) - indptr[row]  # row[order] == row: rows stay in their block
    keep = rank < k
    idx = np.zeros((n, k), dtype=np.int64)
    w = np.zeros((n, k), dtype=np.float32)
    mask = np.zeros((n, k), dtype=np.float32)
    r, c = row[keep], rank[keep]
    src = order[keep]
    idx[r, c] = indices[src]
    w[r, c] = weights[src]
    mask[r, c] = 1.0
    return idx, w, mask


@dataclass
class WalkResult:
    """Ranked walk neighbourhoods: for each seed, its visited items (seed excluded) by visits then id."""

    seed: np.ndarray  # per ranked entry: seed index (position in `seeds`)
    item: np.ndarray
    visits: np.ndarray
    rank: np.ndarray  # 0-based rank within the seed
    total: np.ndarray  # per seed: visits that did not land on the seed

    def table(self, n_seeds: int, lo: int, hi: int):
        """Ranks [lo, hi) as padded (idx, importance weight, mask) of shape [n_seeds, hi - lo]."""
        k = hi - lo
        sel = (self.rank >= lo) & (self.rank < hi)
        idx = np.zeros((n_seeds, k), dtype=np.int64)
        w = np.zeros((n_seeds, k), dtype=np.float32)
        mask = np.zeros((n_seeds, k), dtype=np.float32)
        s, c = self.seed[sel], self.rank[sel] - lo
        idx[s, c] = self.item[sel]
        w[s, c] = self.visits[sel] / np.maximum(self.total[s], 1)
        mask[s, c] = 1.0
        return idx, w, mask


def item_walks(
    user: np.ndarray,
    item: np.ndarray,
    n_users: int,
    n_items: int,
    walks: int,
    length: int,
    rng: np.random.Generator,
    restart: float = 0.0,
    seeds: np.ndarray | None = None,
    record: list | None = None,
) -> WalkResult:
    """PinSage item -> user -> item walks from every seed item (all items by default), vectorised.

    `record`, when given, receives one (seed item, visited item) array pair per step: the raw
    visits, for tests that recount them independently.
    """
    seeds = np.arange(n_items) if seeds is None else np.asarray(seeds, dtype=np.int64)
    i_ptr, i_users, _ = csr(item, user, n_items)
    u_ptr, u_items, _ = csr(user, item, n_users)
    i_deg, u_deg = np.diff(i_ptr), np.diff(u_ptr)
    walker_seed = np.repeat(np.arange(len(seeds)), walks)  # position in `seeds`
    home = seeds[walker_seed]
    cur = home.copy()
    vis_seed, vis_item = [], []
    for _ in range(length):
        if restart > 0:
            jump = rng.random(len(cur)) < restart
            cur[jump] = home[jump]
        can = i_deg[cur] > 0
        nxt = home.copy()  # a walker that cannot move goes back to its seed (and counts no visit)
        c = cur[can]
        u = i_users[i_ptr[c] + (rng.random(len(c)) * i_deg[c]).astype(np.int64)]
        nxt[can] = u_items[u_ptr[u] + (rng.random(len(u)) * u_deg[u]).astype(np.int64)]
        cur = nxt
        vis_seed.append(walker_seed[can])
        vis_item.append(cur[can])
        if record is not None:
            record.append((home[can].copy(), cur[can].copy()))
    vs = np.concatenate(vis_seed) if vis_seed else np.zeros(0, dtype=np.int64)
    vi = np.concatenate(vis_item) if vis_item else np.zeros(0, dtype=np.int64)
    off_seed = vi != seeds[vs]
    vs, vi = vs[off_seed], vi[off_seed]
    total = np.bincount(vs, minlength=len(seeds))
    keys, counts = np.unique(vs * n_items + vi, return_counts=True)
    k_seed, k_item = keys // n_items, keys % n_items
    order = np.lexsort((k_item, -counts, k_seed))  # by seed, then visits desc, then id
    k_seed, k_item, counts = k_seed[order], k_item[order], counts[order]
    first = np.searchsorted(k_seed, k_seed, side="left")
    rank = np.arange(len(k_seed)) - first
    return WalkResult(k_seed, k_item, counts, rank, total)


def read_pinsage_csv(path, n_items: int, topk: int):
    """A snapshot's `pinsage.csv` (item,neighbor,weight; from the Cypher walks) as a padded table."""
    rows = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    idx = np.zeros((n_items, topk), dtype=np.int64)
    w = np.zeros((n_items, topk), dtype=np.float32)
    mask = np.zeros((n_items, topk), dtype=np.float32)
    if len(rows):
        it, nb, wt = rows[:, 0].astype(np.int64), rows[:, 1].astype(np.int64), rows[:, 2]
        order = np.lexsort((nb, -wt, it))
        it, nb, wt = it[order], nb[order], wt[order]
        rank = np.arange(len(it)) - np.searchsorted(it, it, side="left")
        sel = rank < topk
        idx[it[sel], rank[sel]] = nb[sel]
        w[it[sel], rank[sel]] = wt[sel]
        mask[it[sel], rank[sel]] = 1.0
    return idx, w, mask
