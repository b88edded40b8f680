"""After training: the friend edges a model's attention filter keeps (--attention-threshold,
--attention-topk), and the test figures of the vectors served with only those edges."""

from __future__ import annotations

import numpy as np
import torch

from .config import TrainConfig
from .evaluation import EvalSet, evaluate
from .graph import topk_edge_mask
from .zoo import Recommender


def attention_keep(cfg: TrainConfig, model: Recommender) -> tuple[np.ndarray, np.ndarray]:
    """The model's per-edge attention and which directed friend edges its filter keeps (threshold / top-k)."""
    src, _ = model.friend_edges()
    with torch.no_grad():
        attention = model.attention().cpu().numpy()
    keep = topk_edge_mask(attention, src.cpu().numpy(), cfg.attention_threshold, cfg.attention_topk)
    learned = model.learned_edge_keep()
    if learned is not None:  # a model that drops edges itself (DenoiseGCN): its choice, then the filter's
        keep &= learned.cpu().numpy()
    return attention, keep


def filter_friend_edges(
    cfg: TrainConfig, model: Recommender, metrics: dict, test_set: EvalSet, slices: dict, device: torch.device
) -> tuple[np.ndarray, np.ndarray, tuple | None]:
    """For a model with friend edges: records `social_share` and `friend_edges` in `metrics`; when the filter
    drops edges, masks them out of the model and measures its test again (`test_unfiltered`, `test_filtered`,
    and `test` becomes the filtered one). Returns (attention, keep mask, the filtered (user, item) vectors, or
    None when every edge is kept)."""
    attention, keep = attention_keep(cfg, model)
    src, dst = model.friend_edges()
    metrics["social_share"] = round(model.social_share(), 6)
    metrics["friend_edges"] = {"directed": int(len(src)), "kept": int(keep.sum())}
    if keep.all():
        return attention, keep, None
    model.set_friend_edges(src, dst, torch.as_tensor(keep, device=device))
    with torch.no_grad():
        f_users, f_items = model.embeddings()
    metrics["test_unfiltered"] = metrics["test"]
    metrics["test_filtered"] = evaluate(f_users, f_items, test_set, batch=cfg.eval_batch, slices=slices)
    metrics["test"] = metrics["test_filtered"]
    return attention, keep, (f_users, f_items)
