"""BPR loss with L2 regularisation of the layer-0 (ego) embeddings, as in LightGCN."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class BPRLoss(nn.Module):
    """mean(softplus(neg - pos)) + l2 * 0.5 * (|u0|^2 + |i0|^2 + |j0|^2) / batch.

    softplus(neg - pos) = -log sigmoid(pos - neg), computed without overflow.
    """

    def __init__(self, l2: float):
        super().__init__()
        self.l2 = l2

    def forward(
        self,
        pos_scores: torch.Tensor,
        neg_scores: torch.Tensor,
        ego_user: torch.Tensor,
        ego_pos: torch.Tensor,
        ego_neg: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        batch = pos_scores.shape[0]
        bpr = F.softplus(neg_scores - pos_scores).mean()
        reg = 0.5 * (ego_user.pow(2).sum() + ego_pos.pow(2).sum() + ego_neg.pow(2).sum()) / batch
        return bpr + self.l2 * reg, bpr.detach()
