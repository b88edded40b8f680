"""Datasets: loaders for the SocialLGN split, the LightGCN Gowalla split and the TasteGraph snapshot.

Every loader returns an `InteractionData`: 0-based contiguous user and item indices, training
interactions aggregated to one row per (user, item) pair (duplicate rows are summed into
`count`), test interactions kept row by row (duplicates count twice in the recall denominator,
as in EVALUATION.md) and friendships as undirected pairs with an optional overlap.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SNAPSHOT_FORMAT = "tastegraph-snapshot/1"


class DataError(ValueError):
    """The input data do not follow their documented format."""


@dataclass
class InteractionData:
    name: str
    n_users: int
    n_items: int
    # training pairs, unique (user, item), sorted by user then item
    train_user: np.ndarray
    train_item: np.ndarray
    train_count: np.ndarray  # rows seen for the pair (ciao has duplicates)
    train_weight: np.ndarray  # interaction weight (snapshot) or the count
    train_last_ts: np.ndarray  # epoch ms, 0 when unknown
    # test rows, duplicates kept
    test_user: np.ndarray
    test_item: np.ndarray
    # undirected friendships a < b, overlap NaN when unknown
    friend_a: np.ndarray
    friend_b: np.ndarray
    friend_overlap: np.ndarray
    user_ids: list[str] = field(default_factory=list)
    item_ids: list[str] = field(default_factory=list)
    item_hidden: np.ndarray | None = None
    item_tags: list[str] | None = None
    meta: dict = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            "dataset": self.name,
            "users": self.n_users,
            "items": self.n_items,
            "train_pairs": int(len(self.train_user)),
            "train_rows": int(self.train_count.sum()),
            "test_rows": int(len(self.test_user)),
            "friendships": int(len(self.friend_a)),
        }


def _aggregate_pairs(user, item, n_items, weight=None, ts=None):
    """Sum duplicate (user, item) rows; return unique pairs sorted by (user, item)."""
    user = np.asarray(user, dtype=np.int64)
    item = np.asarray(item, dtype=np.int64)
    key = user * n_items + item
    uniq, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    w = np.ones(len(key)) if weight is None else np.asarray(weight, dtype=np.float64)
    wsum = np.zeros(len(uniq))
    np.add.at(wsum, inverse, w)
    last = np.zeros(len(uniq), dtype=np.int64)
    if ts is not None:
        np.maximum.at(last, inverse, np.asarray(ts, dtype=np.int64))
    return uniq // n_items, uniq % n_items, counts.astype(np.int64), wsum, last


def _undirected(a, b, overlap=None):
    """Collapse directed edges into undirected pairs a < b; drop self-loops."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    ov = np.full(len(a), np.nan) if overlap is None else np.asarray(overlap, dtype=np.float64)
    keep = a != b
    a, b, ov = a[keep], b[keep], ov[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    n = int(max(hi.max(initial=0), 0)) + 1
    key = lo * n + hi
    uniq, first = np.unique(key, return_index=True)
    return uniq // n, uniq % n, ov[first]


def _read_pairs_csv(path: Path) -> tuple[np.ndarray, np.ndarray]:
    if not path.exists():
        raise DataError(f"missing file {path}")
    arr = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.int64, ndmin=2)
    return arr[:, 0], arr[:, 1]


def load_sociallgn(data_dir: str | os.PathLike, name: str) -> InteractionData:
    """SocialLGN split (lastfm, ciao): train_set.txt, test_set.txt, trust.txt with header lines."""
    d = Path(data_dir)
    tr_u, tr_i = _read_pairs_csv(d / "train_set.txt")
    te_u, te_i = _read_pairs_csv(d / "test_set.txt")
    s_a, s_b = _read_pairs_csv(d / "trust.txt")
    n_users = int(max(tr_u.max(), te_u.max(), s_a.max(initial=0), s_b.max(initial=0))) + 1
    n_items = int(max(tr_i.max(), te_i.max())) + 1
    u, i, c, w, ts = _aggregate_pairs(tr_u, tr_i, n_items)
    fa, fb, fo = _undirected(s_a, s_b)
    return InteractionData(
        name=name,
        n_users=n_users,
        n_items=n_items,
        train_user=u,
        train_item=i,
        train_count=c,
        train_weight=w,
        train_last_ts=ts,
        test_user=te_u,
        test_item=te_i,
        friend_a=fa,
        friend_b=fb,
        friend_overlap=fo,
        user_ids=[str(x) for x in range(n_users)],
        item_ids=[str(x) for x in range(n_items)],
    )


def _read_user_lists(path: Path) -> tuple[np.ndarray, np.ndarray]:
    if not path.exists():
        raise DataError(f"missing file {path}")
    users: list[np.ndarray] = []
    items: list[np.ndarray] = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            vals = np.array(parts, dtype=np.int64)
            users.append(np.full(len(vals) - 1, vals[0]))
            items.append(vals[1:])
    return np.concatenate(users), np.concatenate(items)


def load_gowalla(data_dir: str | os.PathLike) -> InteractionData:
    """LightGCN Gowalla split: train.txt + valid.txt are the training set, test.txt the test set."""
    d = Path(data_dir)
    a_u, a_i = _read_user_lists(d / "train.txt")
    parts_u, parts_i = [a_u], [a_i]
    if (d / "valid.txt").exists():
        v_u, v_i = _read_user_lists(d / "valid.txt")
        parts_u.append(v_u)
        parts_i.append(v_i)
    tr_u, tr_i = np.concatenate(parts_u), np.concatenate(parts_i)
    te_u, te_i = _read_user_lists(d / "test.txt")
    n_users = int(max(tr_u.max(), te_u.max())) + 1
    n_items = int(max(tr_i.max(), te_i.max())) + 1
    u, i, c, w, ts = _aggregate_pairs(tr_u, tr_i, n_items)
    empty = np.zeros(0, dtype=np.int64)
    return InteractionData(
        name="gowalla",
        n_users=n_users,
        n_items=n_items,
        train_user=u,
        train_item=i,
        train_count=c,
        train_weight=w,
        train_last_ts=ts,
        test_user=te_u,
        test_item=te_i,
        friend_a=empty,
        friend_b=empty.copy(),
        friend_overlap=np.zeros(0),
        user_ids=[str(x) for x in range(n_users)],
        item_ids=[str(x) for x in range(n_items)],
    )


def _read_tsv(path: Path, header: list[str]) -> list[list[str]]:
    if not path.exists():
        raise DataError(f"missing file {path}")
    with open(path, newline="", encoding="utf-8") as f:
        rows = [line.rstrip("\n").rstrip("\r").split("\t") for line in f if line.strip() != ""]
    if not rows or rows[0][: len(header)] != header:
        raise DataError(f"{path.name}: header must be {chr(9).join(header)!r} (tab-separated)")
    body = rows[1:]
    for n, r in enumerate(body):
        if len(r) < len(header):
            r.extend([""] * (len(header) - len(r)))
        if int(r[0]) != n:
            raise DataError(f"{path.name}: row {n + 2} has index {r[0]}, expected {n} (rows in index order)")
    return body


def load_snapshot(snapshot_dir: str | os.PathLike) -> InteractionData:
    """The TasteGraph snapshot folder exported by the Node app (see models/SNAPSHOT_FORMAT.md)."""
    d = Path(snapshot_dir)
    meta_path = d / "meta.json"
    if not meta_path.exists():
        raise DataError(f"missing file {meta_path}")
    meta = json.loads(meta_path.read_text())
    if meta.get("format") != SNAPSHOT_FORMAT:
        raise DataError(f"meta.json: format must be {SNAPSHOT_FORMAT!r}, got {meta.get('format')!r}")
    users = _read_tsv(d / "users.tsv", ["index", "id"])
    items = _read_tsv(d / "items.tsv", ["index", "id", "hidden", "tags"])
    n_users, n_items = len(users), len(items)

    cols = ["user", "item", "weight", "count", "first_ts", "last_ts", "split"]
    tr: dict[str, list] = {"u": [], "i": [], "w": [], "c": [], "ts": []}
    te_u: list[int] = []
    te_i: list[int] = []
    ipath = d / "interactions.csv"
    if not ipath.exists():
        raise DataError(f"missing file {ipath}")
    with open(ipath, newline="") as f:
        reader = csv.reader(f)
        head = next(reader, None)
        if head != cols:
            raise DataError(f"interactions.csv: header must be {','.join(cols)!r}")
        for line_no, r in enumerate(reader, start=2):
            if not r:
                continue
            u, i = int(r[0]), int(r[1])
            if not (0 <= u < n_users and 0 <= i < n_items):
                raise DataError(f"interactions.csv line {line_no}: user or item index out of range")
            split = r[6]
            if split == "test":
                te_u.append(u)
                te_i.append(i)
            elif split in ("train", "none"):
                tr["u"].append(u)
                tr["i"].append(i)
                tr["w"].append(float(r[2]) if r[2] != "" else 1.0)
                tr["c"].append(int(r[3]) if r[3] != "" else 1)
                tr["ts"].append(int(r[5]) if r[5] != "" else 0)
            else:
                raise DataError(f"interactions.csv line {line_no}: split must be train, test or none, got {split!r}")

    # One row per pair is the contract; aggregate anyway so a repeated row is summed, not lost.
    u, i, _, w, ts = _aggregate_pairs(tr["u"], tr["i"], max(n_items, 1), tr["w"], tr["ts"])
    c = np.zeros(len(u), dtype=np.int64)
    if len(u):
        key = np.asarray(tr["u"], dtype=np.int64) * n_items + np.asarray(tr["i"], dtype=np.int64)
        pos = np.searchsorted(u * n_items + i, key)
        np.add.at(c, pos, np.asarray(tr["c"], dtype=np.int64))

    fa: list[int] = []
    fb: list[int] = []
    fo: list[float] = []
    fpath = d / "friendships.csv"
    if fpath.exists():
        with open(fpath, newline="") as f:
            reader = csv.reader(f)
            head = next(reader, None)
            if head != ["a", "b", "overlap"]:
                raise DataError("friendships.csv: header must be 'a,b,overlap'")
            for line_no, r in enumerate(reader, start=2):
                if not r:
                    continue
                a, b = int(r[0]), int(r[1])
                if not (0 <= a < n_users and 0 <= b < n_users):
                    raise DataError(f"friendships.csv line {line_no}: user index out of range")
                fa.append(a)
                fb.append(b)
                fo.append(float(r[2]) if len(r) > 2 and r[2] != "" else float("nan"))
    if fa:
        a_arr, b_arr, o_arr = _undirected(fa, fb, fo)
    else:
        a_arr, b_arr, o_arr = np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)

    return InteractionData(
        name="snapshot",
        n_users=n_users,
        n_items=n_items,
        train_user=u,
        train_item=i,
        train_count=c,
        train_weight=w,
        train_last_ts=ts,
        test_user=np.asarray(te_u, dtype=np.int64),
        test_item=np.asarray(te_i, dtype=np.int64),
        friend_a=a_arr,
        friend_b=b_arr,
        friend_overlap=o_arr,
        user_ids=[r[1] for r in users],
        item_ids=[r[1] for r in items],
        item_hidden=np.array([r[2] == "1" for r in items], dtype=bool),
        item_tags=[r[3] for r in items],
        meta=meta,
    )


def load_dataset(name: str, data_dir: str | os.PathLike) -> InteractionData:
    if name in ("lastfm", "ciao"):
        return load_sociallgn(data_dir, name)
    if name == "gowalla":
        return load_gowalla(data_dir)
    raise DataError(f"unknown dataset {name!r}")


def split_validation(user: np.ndarray, n_users: int, fraction: float, seed: int) -> np.ndarray:
    """Boolean mask over training pairs: True = validation.

    Per user, round(fraction * n) of the user's pairs (at most n - 1, so every user keeps one
    training pair), chosen by a seeded permutation.
    """
    rng = np.random.default_rng(seed)
    is_val = np.zeros(len(user), dtype=bool)
    if fraction <= 0 or len(user) == 0:
        return is_val
    order = np.argsort(user, kind="stable")
    counts = np.bincount(user, minlength=n_users)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    # A random key per pair, ranked within the user: the lowest n_val keys go to validation.
    rand = rng.random(len(user))
    within = np.lexsort((rand[order], user[order]))
    ranked = order[within]
    rank_in_user = np.arange(len(user)) - np.repeat(starts, counts)
    n_val = np.minimum(np.floor(fraction * counts + 0.5).astype(np.int64), np.maximum(counts - 1, 0))
    is_val[ranked[rank_in_user < np.repeat(n_val, counts)]] = True
    return is_val


def jaccard_overlap(
    a: np.ndarray, b: np.ndarray, user: np.ndarray, item: np.ndarray, n_users: int, n_items: int
) -> np.ndarray:
    """Jaccard similarity of the item sets of users a[k] and b[k] (pairs must be unique per user)."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if len(a) == 0:
        return np.zeros(0)
    user = np.asarray(user, dtype=np.int64)
    item = np.asarray(item, dtype=np.int64)
    keys = np.unique(user * n_items + item)
    u_sorted, i_sorted = keys // n_items, keys % n_items
    deg = np.bincount(u_sorted, minlength=n_users)
    starts = np.concatenate([[0], np.cumsum(deg)[:-1]])
    # Walk the items of the lower-degree side and look each up in the other side's set.
    x = np.where(deg[a] <= deg[b], a, b)
    y = np.where(deg[a] <= deg[b], b, a)
    rep = np.repeat(np.arange(len(a)), deg[x])
    offs = np.arange(len(rep)) - np.repeat(np.cumsum(deg[x]) - deg[x], deg[x])
    probe = y[rep] * n_items + i_sorted[starts[x][rep] + offs]
    pos = np.minimum(np.searchsorted(keys, probe), len(keys) - 1)
    inter = np.bincount(rep, weights=(keys[pos] == probe), minlength=len(a))
    union = deg[a] + deg[b] - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
