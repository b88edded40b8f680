"""NGCF (Wang et al. 2019): neural graph collaborative filtering."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from ..graph import sym_spmm
from .base import Recommender


class NGCFLayer(nn.Module):
    """E' = LeakyReLU((L + I) E W1 + (L E ⊙ E) W2): per edge the message W1 e_i + W2 (e_i ⊙ e_u)
    with weight 1/sqrt(|N_u||N_i|), plus the self message W1 e_u (the paper's eq. 3-5)."""

    def __init__(self, d_in: int, d_out: int, slope: float = 0.2):
        super().__init__()
        self.w1 = nn.Linear(d_in, d_out)
        self.w2 = nn.Linear(d_in, d_out)
        self.slope = slope
        nn.init.xavier_uniform_(self.w1.weight)
        nn.init.xavier_uniform_(self.w2.weight)
        nn.init.zeros_(self.w1.bias)
        nn.init.zeros_(self.w2.bias)

    def forward(self, adj: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        side = sym_spmm(adj, x)  # sum over neighbours of the normalised e_i
        return F.leaky_relu(self.w1(side + x) + self.w2(side * x), self.slope)


class NGCF(Recommender):
    """Final embedding = [e^0 || e^1/|e^1| || ... || e^L/|e^L|] (concatenated, each layer L2
    normalised as the reference code does); message dropout on each layer's output."""

    def __init__(
        self,
        n_users: int,
        n_items: int,
        adj: torch.Tensor,
        dim: int,
        layers: int,
        dropout: float = 0.1,
        init_std: float = 0.1,
    ):
        super().__init__()
        self.n_users, self.n_items = n_users, n_items
        self.register_buffer("adj", adj, persistent=False)  # moves with .to(device), never checkpointed
        self.emb = nn.Embedding(n_users + n_items, dim)
        nn.init.normal_(self.emb.weight, std=init_std)
        self.layers = nn.ModuleList([NGCFLayer(dim, dim) for _ in range(layers)])
        self.dropout = nn.Dropout(dropout)

    def embeddings(self):
        x = self.emb.weight
        outs = [x]
        for layer in self.layers:
            x = self.dropout(layer(self.adj, x))
            outs.append(F.normalize(x, dim=1))
        final = torch.cat(outs, dim=1)
        return final[: self.n_users], final[self.n_users :]

    def ego(self, users, pos, neg):
        w = self.emb.weight
        return w[users], w[pos + self.n_users], w[neg + self.n_users]
