"""Matrix factorisation (no graph)."""

from __future__ import annotations

import torch
from torch import nn

from .base import Recommender


class MF(Recommender):
    """Matrix factorisation trained with BPR."""

    def __init__(self, n_users: int, n_items: int, dim: int, init_std: float = 0.1):
        super().__init__()
        self.user_emb = nn.Embedding(n_users, dim)
        self.item_emb = nn.Embedding(n_items, dim)
        nn.init.normal_(self.user_emb.weight, std=init_std)
        nn.init.normal_(self.item_emb.weight, std=init_std)

    def embeddings(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self.user_emb.weight, self.item_emb.weight

    def ego(self, users, pos, neg):
        return self.user_emb(users), self.item_emb(pos), self.item_emb(neg)
