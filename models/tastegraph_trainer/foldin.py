"""Inductive fold-in: a user's embedding from the user's items (+ weights) and friends.

Inputs are padded to fixed sizes so the module exports to ONNX with dynamic B, K, F:
  item_idx int64[B,K], item_w float32[B,K], item_mask float32[B,K],
  friend_idx int64[B,F], friend_mask float32[B,F]  ->  user_emb float32[B,D]

Item view: the LightGCN-style normalized weighted mean of the trained final item embeddings,
each item weighted by w_i * deg(i)^-1/2 (the item side of D^-1/2 A D^-1/2).
Social view (SocialGCN): friends' final embeddings weighted by a softmax of their similarity to
the item view (masked to real friends). The two views are L2-normalised and mixed with the
social share the trained gates gave on average, so a user with no friends gets the item view.
Only directions matter for ranking by dot product, so normalising loses nothing.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class FoldInEncoder(nn.Module):
    def __init__(
        self,
        item_vectors: torch.Tensor,
        user_vectors: torch.Tensor,
        item_degree: torch.Tensor,
        social_share: float = 0.0,
    ):
        super().__init__()
        self.register_buffer("item_vectors", item_vectors.detach().float().clone())
        self.register_buffer("user_vectors", user_vectors.detach().float().clone())
        deg = item_degree.detach().float().clone()
        self.register_buffer("item_norm", torch.where(deg > 0, deg.clamp_min(1e-12).rsqrt(), torch.ones_like(deg)))
        self.register_buffer("social_share", torch.tensor(float(social_share)))
        self.scale = 1.0 / math.sqrt(item_vectors.shape[1])

    def forward(self, item_idx, item_w, item_mask, friend_idx, friend_mask):
        e = self.item_vectors[item_idx]  # [B, K, D]
        w = item_w * item_mask * self.item_norm[item_idx]
        u_item = (w.unsqueeze(-1) * e).sum(1) / w.sum(1, keepdim=True).clamp_min(1e-12)
        u_item = u_item / u_item.norm(dim=1, keepdim=True).clamp_min(1e-12)

        f = self.user_vectors[friend_idx]  # [B, F, D]
        logits = (f * u_item.unsqueeze(1)).sum(-1) * self.scale
        logits = logits + (friend_mask - 1.0) * 1e9
        a = torch.softmax(logits, dim=-1) * friend_mask
        a = a / a.sum(-1, keepdim=True).clamp_min(1e-12)
        u_soc = (a.unsqueeze(-1) * f).sum(1)
        u_soc = u_soc / u_soc.norm(dim=1, keepdim=True).clamp_min(1e-12)

        has = (friend_mask.sum(-1, keepdim=True) > 0).float()
        beta = self.social_share * has
        return (1.0 - beta) * u_item + beta * u_soc


def pad_lists(lists: list[list[int]], weights: list[list[float]] | None = None, min_len: int = 1):
    """Pad ragged index lists into (idx int64[B,K], w float32[B,K], mask float32[B,K])."""
    k = max([min_len] + [len(x) for x in lists])
    b = len(lists)
    idx = torch.zeros(b, k, dtype=torch.long)
    w = torch.zeros(b, k, dtype=torch.float32)
    mask = torch.zeros(b, k, dtype=torch.float32)
    for r, items in enumerate(lists):
        n = len(items)
        if n:
            idx[r, :n] = torch.as_tensor(items, dtype=torch.long)
            w[r, :n] = torch.as_tensor(weights[r] if weights is not None else [1.0] * n, dtype=torch.float32)
            mask[r, :n] = 1.0
    return idx, w, mask
