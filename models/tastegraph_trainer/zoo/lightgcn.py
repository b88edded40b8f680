"""LightGCN (He et al. 2020)."""

from __future__ import annotations

import torch
from torch import nn

from ..graph import sym_spmm
from .base import Recommender


class LightGCN(Recommender):
    """He et al. 2020: E^(k+1) = D^-1/2 A D^-1/2 E^(k); final = mean of E^(0..L). No transforms."""

    def __init__(self, n_users: int, n_items: int, adj: torch.Tensor, dim: int, layers: int, init_std: float = 0.1):
        super().__init__()
        self.n_users, self.n_items, self.layers = n_users, n_items, layers
        # sparse; a buffer so that `.to(device)` moves it, not persistent: rebuilt from the data, never checkpointed
        self.register_buffer("adj", adj, persistent=False)
        # One table, users first then items, as the adjacency: no concatenation per step.
        self.emb = nn.Embedding(n_users + n_items, dim)
        nn.init.normal_(self.emb.weight, std=init_std)

    def embeddings(self) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.emb.weight
        acc = x
        for _ in range(self.layers):
            x = sym_spmm(self.adj, x)
            acc = acc + x
        final = acc / (self.layers + 1)
        return final[: self.n_users], final[self.n_users :]

    def ego(self, users, pos, neg):
        w = self.emb.weight
        return w[users], w[pos + self.n_users], w[neg + self.n_users]
