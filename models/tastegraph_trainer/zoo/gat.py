"""GAT (Veličković et al. 2018) over the user-item graph with self-loops."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..graph import FriendGraph, edge_aggregate, edge_softmax
from .base import Recommender


def gat_edges(n_users: int, n_items: int, user: np.ndarray, item: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """Directed edges (target, source) of the user-item graph plus self-loops, sorted by target."""
    n = n_users + n_items
    u = np.asarray(user, dtype=np.int64)
    i = np.asarray(item, dtype=np.int64) + n_users
    tgt = np.concatenate([u, i, np.arange(n)])
    src = np.concatenate([i, u, np.arange(n)])
    keys = np.unique(tgt * n + src)
    return torch.from_numpy(keys // n), torch.from_numpy(keys % n)


class GATLayer(nn.Module):
    """Per head h: alpha_ts = softmax over sources s of t (self included) of
    LeakyReLU(a_t·W h_t + a_s·W h_s); out_t = sum_s alpha_ts W h_s. Heads concatenated or averaged."""

    def __init__(self, d_in: int, d_head: int, heads: int, concat: bool, slope: float = 0.2):
        super().__init__()
        self.heads, self.d_head, self.concat, self.slope = heads, d_head, concat, slope
        self.lin = nn.Linear(d_in, heads * d_head, bias=False)
        self.att_tgt = nn.Parameter(torch.empty(heads, d_head))
        self.att_src = nn.Parameter(torch.empty(heads, d_head))
        self.bias = nn.Parameter(torch.zeros(heads * d_head if concat else d_head))
        nn.init.xavier_uniform_(self.lin.weight)
        nn.init.xavier_uniform_(self.att_tgt)
        nn.init.xavier_uniform_(self.att_src)

    def attention(self, x: torch.Tensor, g: FriendGraph) -> tuple[torch.Tensor, torch.Tensor]:
        """(alpha [E, H], projected features [N, H, d])."""
        wh = self.lin(x).view(-1, self.heads, self.d_head)
        s_t = (wh * self.att_tgt).sum(-1)
        s_s = (wh * self.att_src).sum(-1)
        logits = F.leaky_relu(s_t[g.src] + s_s[g.dst], self.slope)
        return edge_softmax(logits, g.src, x.shape[0]), wh

    def forward(self, x: torch.Tensor, g: FriendGraph) -> torch.Tensor:
        alpha, wh = self.attention(x, g)
        outs = [edge_aggregate(alpha[:, h].contiguous(), wh[:, h].contiguous(), g) for h in range(self.heads)]
        out = torch.cat(outs, dim=1) if self.concat else torch.stack(outs, 0).mean(0)
        return out + self.bias


class GAT(Recommender):
    """Multi-head GAT over the user-item graph (self-loops included): hidden layers concatenate
    `heads` heads of dim/heads (ELU), the last layer averages `heads` heads of full width."""

    def __init__(
        self,
        n_users: int,
        n_items: int,
        tgt: torch.Tensor,
        src: torch.Tensor,
        dim: int,
        layers: int,
        heads: int = 4,
        init_std: float = 0.1,
    ):
        super().__init__()
        if dim % heads:
            raise ValueError(f"dim {dim} is not divisible by heads {heads}")
        self.n_users, self.n_items = n_users, n_items
        self.graph = FriendGraph(tgt, src, n_users + n_items)  # its tensors are buffers: they move with .to(device)
        self.emb = nn.Embedding(n_users + n_items, dim)
        nn.init.normal_(self.emb.weight, std=init_std)
        self.layers = nn.ModuleList(
            [
                GATLayer(dim, dim // heads, heads, concat=True)
                if k < layers - 1
                else GATLayer(dim, dim, heads, concat=False)
                for k in range(layers)
            ]
        )

    def embeddings(self):
        x = self.emb.weight
        for k, layer in enumerate(self.layers):
            x = layer(x, self.graph)
            if k < len(self.layers) - 1:
                x = F.elu(x)
        return x[: self.n_users], x[self.n_users :]

    def ego(self, users, pos, neg):
        w = self.emb.weight
        return w[users], w[pos + self.n_users], w[neg + self.n_users]
