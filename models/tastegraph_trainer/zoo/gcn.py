"""GCN (Kipf & Welling 2017) over the user-item graph with self-loops."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from ..graph import sym_spmm
from .base import Recommender


class GCNLayer(nn.Module):
    """H' = act(D̃^-1/2 (A + I) D̃^-1/2 H W + b)."""

    def __init__(self, d_in: int, d_out: int, activation: bool):
        super().__init__()
        self.lin = nn.Linear(d_in, d_out)
        nn.init.xavier_uniform_(self.lin.weight)
        nn.init.zeros_(self.lin.bias)
        self.activation = activation

    def forward(self, adj: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        # (Â X) W = Â (X W): propagate first, the width is the same.
        h = self.lin(sym_spmm(adj, x))
        return F.relu(h) if self.activation else h


class GCN(Recommender):
    """Stacked GCN layers over the user-item graph with self-loops; ReLU between layers, none on
    the last (its output is the embedding that is scored)."""

    def __init__(
        self, n_users: int, n_items: int, adj_self_loops: torch.Tensor, dim: int, layers: int, init_std: float = 0.1
    ):
        super().__init__()
        self.n_users, self.n_items = n_users, n_items
        self.register_buffer("adj", adj_self_loops, persistent=False)  # moves with .to(device), never checkpointed
        self.emb = nn.Embedding(n_users + n_items, dim)
        nn.init.normal_(self.emb.weight, std=init_std)
        self.layers = nn.ModuleList([GCNLayer(dim, dim, activation=k < layers - 1) for k in range(layers)])

    def embeddings(self):
        x = self.emb.weight
        for layer in self.layers:
            x = layer(self.adj, x)
        return x[: self.n_users], x[self.n_users :]

    def ego(self, users, pos, neg):
        w = self.emb.weight
        return w[users], w[pos + self.n_users], w[neg + self.n_users]
