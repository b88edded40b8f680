"""Held-out users (--holdout-users): embedded after training from their training pairs and friends
(fold-in, and the model's own inductive encoder where it has one), measured against MostPop."""

from __future__ import annotations

import numpy as np
import torch

from .config import TrainConfig
from .evaluation import evaluate
from .events import log
from .foldin import FoldInEncoder, pad_lists
from .prepare import Prepared
from .zoo import MostPop, Recommender


def fold_in(
    prep: Prepared,
    encoder: FoldInEncoder,
    users: np.ndarray,
    friend_a: np.ndarray,
    friend_b: np.ndarray,
    allowed_friend: np.ndarray,
) -> torch.Tensor:
    """Encode `users` from all their training pairs and their friends among `allowed_friend` users."""
    d = prep.data
    order = np.argsort(d.train_user, kind="stable")
    u_sorted = d.train_user[order]
    item_lists, weight_lists, friend_lists = [], [], []
    for u in users:
        lo, hi = np.searchsorted(u_sorted, u), np.searchsorted(u_sorted, u, side="right")
        idx = order[lo:hi]
        item_lists.append(d.train_item[idx].tolist())
        weight_lists.append(prep.all_weight[idx].tolist())
        fr = np.concatenate([friend_b[friend_a == u], friend_a[friend_b == u]])
        friend_lists.append(fr[allowed_friend[fr]].tolist())
    item_idx, item_w, item_mask = pad_lists(item_lists, weight_lists)
    friend_idx, _, friend_mask = pad_lists(friend_lists)
    dev = next(encoder.buffers()).device
    with torch.no_grad():
        return encoder(item_idx.to(dev), item_w.to(dev), item_mask.to(dev), friend_idx.to(dev), friend_mask.to(dev))


def holdout_report(
    cfg: TrainConfig,
    prep: Prepared,
    model: Recommender,
    encoder: FoldInEncoder,
    user_vecs,
    item_vecs,
    excluded: np.ndarray,
    device: torch.device,
    inductive=None,
) -> dict:
    d = prep.data
    users = prep.holdout_users
    keep = np.zeros(d.n_users, dtype=bool)
    keep[users] = True
    es = prep.test_set.subset(keep)
    allowed = ~excluded
    emb = fold_in(prep, encoder, es.users, d.friend_a, d.friend_b, allowed)
    full_user = torch.zeros(d.n_users, emb.shape[1], device=device)
    full_user[torch.as_tensor(es.users, device=device)] = emb
    report = {
        "users": int(len(es.users)),
        "mode": cfg.holdout_mode,
        "foldin": evaluate(full_user, item_vecs, es, batch=cfg.eval_batch),
    }
    if inductive is not None:  # GraphSAGE/PinSage: the model's own encoder from the user's items
        emb = fold_in(prep, inductive, es.users, d.friend_a, d.friend_b, allowed)
        ind_user = torch.zeros(d.n_users, emb.shape[1], device=device)
        ind_user[torch.as_tensor(es.users, device=device)] = emb
        report["inductive"] = evaluate(ind_user, item_vecs, es, batch=cfg.eval_batch)
    train_keep = ~excluded[d.train_user]
    pop = np.bincount(d.train_item[train_keep], weights=d.train_count[train_keep], minlength=d.n_items)
    mp = MostPop(d.n_users, d.n_items, pop).to(device)
    mu, mi = mp.embeddings()
    report["mostpop"] = evaluate(mu, mi, es, batch=cfg.eval_batch)
    if cfg.holdout_mode == "inplace":
        report["trained"] = evaluate(user_vecs, item_vecs, es, batch=cfg.eval_batch)
    log(
        f"holdout {report['users']} users ({cfg.holdout_mode}): fold-in R@20 {report['foldin']['recall@20']:.4f}, "
        f"MostPop {report['mostpop']['recall@20']:.4f}"
        + (f", inductive {report['inductive']['recall@20']:.4f}" if "inductive" in report else "")
        + (f", trained {report['trained']['recall@20']:.4f}" if "trained" in report else "")
    )
    return report
