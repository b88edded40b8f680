"""The data side of a run: load the dataset or snapshot, pick held-out users, split validation from
the training pairs, weight the edges and filter the friend pairs."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .config import TrainConfig
from .data import InteractionData, jaccard_overlap, load_dataset, load_snapshot, split_validation
from .evaluation import EvalSet, make_eval_set, sample_users
from .slices import Buckets, friend_counts, user_slices

COLD_START_MAX_TRAIN = 20
DAY_MS = 86_400_000.0


@dataclass
class Prepared:
    data: InteractionData
    fit_user: np.ndarray
    fit_item: np.ndarray
    fit_weight: np.ndarray
    val_user: np.ndarray
    val_item: np.ndarray
    val_weight: np.ndarray
    all_weight: np.ndarray  # edge weight for every training pair (for fold-in)
    holdout: np.ndarray  # bool per user: left out of training
    holdout_users: np.ndarray
    friend_a: np.ndarray  # undirected pairs used by the model
    friend_b: np.ndarray
    friend_overlap: np.ndarray
    val_set: EvalSet
    test_set: EvalSet
    cold: np.ndarray  # bool per user: <= 20 training rows
    item_degree_fit: np.ndarray
    groups: dict[str, Buckets]  # per-slice report: by training rows, by friends (all of the data's friendships)


def load_data(cfg: TrainConfig) -> InteractionData:
    if cfg.snapshot is not None:
        return load_snapshot(cfg.snapshot)
    return load_dataset(cfg.dataset, cfg.data_dir)


def edge_weights(data: InteractionData, cfg: TrainConfig) -> np.ndarray:
    w = np.ones(len(data.train_user)) if cfg.edge_weight == "binary" else data.train_weight.astype(np.float64).copy()
    if cfg.time_decay_lambda > 0:
        ts = data.train_last_ts
        known = ts > 0
        if known.any():
            age_days = (ts[known].max() - ts) / DAY_MS
            w = np.where(known, w * np.exp(-cfg.time_decay_lambda * age_days), w)
    return np.maximum(w, 1e-6)


def prepare(data: InteractionData, cfg: TrainConfig) -> Prepared:
    n_users, n_items = data.n_users, data.n_items
    rng = np.random.default_rng(cfg.seed + 7)
    holdout = np.zeros(n_users, dtype=bool)
    if cfg.holdout_users > 0:
        has_test = np.bincount(data.test_user, minlength=n_users) > 0
        has_train = np.bincount(data.train_user, minlength=n_users) > 0
        cand = np.nonzero(has_test & has_train)[0]
        n = min(cfg.holdout_users, len(cand))
        holdout[rng.choice(cand, size=n, replace=False)] = True
    holdout_users = np.nonzero(holdout)[0]
    excluded = holdout if cfg.holdout_mode == "foldin" else np.zeros(n_users, dtype=bool)

    all_w = edge_weights(data, cfg)
    train_mask = ~excluded[data.train_user]
    tu, ti, tw = data.train_user[train_mask], data.train_item[train_mask], all_w[train_mask]
    is_val = split_validation(tu, n_users, cfg.val_fraction, cfg.seed)
    fit_user, fit_item, fit_weight = tu[~is_val], ti[~is_val], tw[~is_val]
    val_user, val_item, val_weight = tu[is_val], ti[is_val], tw[is_val]

    fa, fb, fo = data.friend_a, data.friend_b, data.friend_overlap.astype(np.float64).copy()
    keep = ~(excluded[fa] | excluded[fb]) if len(fa) else np.zeros(0, dtype=bool)
    fa, fb, fo = fa[keep], fb[keep], fo[keep]
    missing = np.isnan(fo)
    if missing.any() and (cfg.model in ("socialgcn", "denoisegcn") or cfg.friend_min_overlap > 0):
        # No overlap in the data: the Jaccard of the pair's fit items (validation items stay unseen).
        fo[missing] = jaccard_overlap(fa[missing], fb[missing], fit_user, fit_item, n_users, n_items)
    if cfg.friend_min_overlap > 0:
        sel = fo >= cfg.friend_min_overlap
        fa, fb, fo = fa[sel], fb[sel], fo[sel]

    val_set = make_eval_set(val_user, val_item, fit_user, fit_item, n_users, n_items)
    test_set = make_eval_set(data.test_user, data.test_item, data.train_user, data.train_item, n_users, n_items)
    val_set = sample_users(val_set, cfg.eval_users, cfg.seed + 11)
    test_set = sample_users(test_set, cfg.eval_users, cfg.seed + 13)
    rows = np.bincount(data.train_user, weights=data.train_count, minlength=n_users)
    return Prepared(
        data=data,
        fit_user=fit_user,
        fit_item=fit_item,
        fit_weight=fit_weight,
        val_user=val_user,
        val_item=val_item,
        val_weight=val_weight,
        all_weight=all_w,
        holdout=holdout,
        holdout_users=holdout_users,
        friend_a=fa,
        friend_b=fb,
        friend_overlap=fo,
        val_set=val_set,
        test_set=test_set,
        cold=rows <= COLD_START_MAX_TRAIN,
        item_degree_fit=np.bincount(fit_item, weights=fit_weight, minlength=n_items),
        groups=user_slices(rows, friend_counts(data.friend_a, data.friend_b, n_users)),
    )


def with_validation(prep: Prepared) -> Prepared:
    """The same split with the validation pairs moved into the fit pairs (--refit-epochs)."""
    fit_user = np.concatenate([prep.fit_user, prep.val_user])
    fit_item = np.concatenate([prep.fit_item, prep.val_item])
    fit_weight = np.concatenate([prep.fit_weight, prep.val_weight])
    empty = np.zeros(0, dtype=prep.val_user.dtype)
    return replace(
        prep,
        fit_user=fit_user,
        fit_item=fit_item,
        fit_weight=fit_weight,
        val_user=empty,
        val_item=empty,
        val_weight=np.zeros(0),
        item_degree_fit=np.bincount(fit_item, weights=fit_weight, minlength=prep.data.n_items),
    )
