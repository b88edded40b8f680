"""Node input features for the inductive models (GraphSAGE, PinSage).

Items: tag shares over the `top` most used tags (snapshot: `items.tsv` tags; lastfm: the raw
`user_taggedartists.dat`, counting only tag rows whose (user, artist) pair is not a test pair, so
no held-out interaction leaks in) and the scaled log-degree. Users: the scaled log-degree (the
encoder recomputes it from the neighbourhood it is given, so a brand-new user has it too).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

DEGREE_SCALE = 0.2  # log1p(degree) * 0.2: about 1 for a degree of 150


def degree_feature(degree: np.ndarray) -> np.ndarray:
    return (np.log1p(np.asarray(degree, dtype=np.float64)) * DEGREE_SCALE).astype(np.float32)[:, None]


def _lastfm_tags(data_dir: Path, n_items: int, test_keys: np.ndarray) -> list[Counter] | None:
    raw = data_dir / "raw" / "user_taggedartists.dat"
    if not raw.exists() or not (data_dir / "userReindex.json").exists():
        return None
    users = json.loads((data_dir / "userReindex.json").read_text())
    items = json.loads((data_dir / "itemReindex.json").read_text())
    out: list[Counter] = [Counter() for _ in range(n_items)]
    with open(raw, encoding="latin-1") as f:
        next(f)
        for line in f:
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            u, i = users.get(parts[0]), items.get(parts[1])
            if u is None or i is None:
                continue
            key = u * n_items + i
            pos = np.searchsorted(test_keys, key)
            if pos < len(test_keys) and test_keys[pos] == key:
                continue
            out[i][parts[2]] += 1
    return out


def item_tag_counts(data, data_dir: str | None) -> list[Counter] | None:
    """Per item, tag -> count; None when the data have no tags."""
    if data.item_tags is not None:
        return [Counter(t for t in s.split("|") if t) for s in data.item_tags]
    if data_dir is not None and data.name == "lastfm":
        test_keys = np.unique(data.test_user.astype(np.int64) * data.n_items + data.test_item)
        return _lastfm_tags(Path(data_dir), data.n_items, test_keys)
    return None


def tag_matrix(counts: list[Counter] | None, n_items: int, top: int) -> np.ndarray:
    """[n_items, top] tag shares (rows sum to 1, or 0 for an untagged item) over the most used tags."""
    if not counts or top <= 0:
        return np.zeros((n_items, 0), dtype=np.float32)
    total: Counter = Counter()
    for c in counts:
        total.update(c.keys())  # vocabulary by the number of items carrying the tag
    vocab = [t for t, _ in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    col = {t: j for j, t in enumerate(vocab)}
    m = np.zeros((n_items, len(vocab)), dtype=np.float32)
    for i, c in enumerate(counts):
        for t, n in c.items():
            if t in col:
                m[i, col[t]] = n
    s = m.sum(1, keepdims=True)
    return np.divide(m, s, out=np.zeros_like(m), where=s > 0)


def node_features(data, fit_user: np.ndarray, fit_item: np.ndarray, data_dir: str | None, top_tags: int):
    """(user features [U, 1], item features [I, T + 1]) from the fit graph and the item tags."""
    u_deg = np.bincount(fit_user, minlength=data.n_users)
    i_deg = np.bincount(fit_item, minlength=data.n_items)
    tags = tag_matrix(item_tag_counts(data, data_dir) if top_tags > 0 else None, data.n_items, top_tags)
    return degree_feature(u_deg), np.concatenate([tags, degree_feature(i_deg)], axis=1)
