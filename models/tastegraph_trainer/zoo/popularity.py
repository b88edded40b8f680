"""MostPop: the popularity baseline every model must beat."""

from __future__ import annotations

import numpy as np
import torch

from .base import Recommender


class MostPop(Recommender):
    """Ranks items by training popularity, ties broken by the lower item index.

    The score is n_items - rank: distinct and positive, so any top-k routine returns exactly
    that order, and a fold-in average of item scores keeps the sign.
    """

    trainable = False

    def __init__(self, n_users: int, n_items: int, popularity: np.ndarray):
        super().__init__()
        self.n_users = n_users
        order = np.lexsort((np.arange(n_items), -np.asarray(popularity, dtype=np.float64)))
        rank = np.empty(n_items, dtype=np.float32)
        rank[order] = np.arange(n_items, dtype=np.float32)
        self.register_buffer("item_score", torch.from_numpy(n_items - rank).unsqueeze(1))

    def embeddings(self) -> tuple[torch.Tensor, torch.Tensor]:
        s = self.item_score
        return torch.ones(self.n_users, 1, device=s.device, dtype=s.dtype), s
