"""BPR loss with L2 regularisation of the layer-0 (ego) embeddings, as in LightGCN."""

from __future__ import annotations

from dataclasses import dataclass

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


# --- social loss terms for SocialGCN (models/README.md, "SocialGCN: further ideas") ---------------


def social_smoothness(
    user_vecs: torch.Tensor, alpha: torch.Tensor, src: torch.Tensor, dst: torch.Tensor, users: torch.Tensor
) -> torch.Tensor:
    """SoReg-style social regularisation (Ma et al., WSDM 2011), weighted by attention.

    Mean over the distinct `users` that have friend edges of sum_v alpha_uv * ||x_u - x_v||^2
    (alpha sums to 1 over u's friends, so each user counts once). Zero when no batch user has friends.
    """
    in_batch = torch.zeros(user_vecs.shape[0], dtype=torch.bool, device=user_vecs.device)
    in_batch[users] = True
    sel = in_batch[src]
    if not bool(sel.any()):
        return user_vecs.sum() * 0.0
    s, d, a = src[sel], dst[sel], alpha[sel]
    per_edge = a * (user_vecs[s] - user_vecs[d]).pow(2).sum(-1)
    n_users = int(torch.unique(s).numel())
    return per_edge.sum() / n_users


def social_infonce(
    user_vecs: torch.Tensor,
    social_vecs: torch.Tensor,
    has_friends: torch.Tensor,
    users: torch.Tensor,
    temperature: float,
) -> torch.Tensor:
    """Cross-view InfoNCE (the social self-supervision of MHCN / SEPT, Yu et al. 2021).

    For the distinct batch users with friends: the user's own vector and the attention-weighted
    mean of its friends' vectors are a positive pair; the other batch users' friend views are the
    negatives. Both unit-normalised, logits / temperature, cross-entropy on the diagonal.
    """
    u = torch.unique(users)
    u = u[has_friends[u]]
    if u.numel() < 2:
        return user_vecs.sum() * 0.0
    z1 = torch.nn.functional.normalize(user_vecs[u], dim=1)
    z2 = torch.nn.functional.normalize(social_vecs[u], dim=1)
    logits = z1 @ z2.T / temperature
    target = torch.arange(u.numel(), device=logits.device)
    return torch.nn.functional.cross_entropy(logits, target)


def sbpr_terms(
    pos: torch.Tensor, soc: torch.Tensor, neg: torch.Tensor, valid: torch.Tensor, mode: str = "full"
) -> torch.Tensor:
    """SBPR (Zhao et al., CIKM 2014): a friend's item k ranks between u's positive i and negative j.

    full: mean over valid rows of softplus(x_uk - x_ui) + softplus(x_uj - x_uk), i.e.
    -ln sigma(x_ui - x_uk) - ln sigma(x_uk - x_uj) (the paper's 1/(1 + s_uk) coefficient is left out);
    weak: only the second term (a friend's item above a negative, not below u's own positives).
    """
    if not bool(valid.any()):
        return pos.sum() * 0.0
    p, k, n = pos[valid], soc[valid], neg[valid]
    if mode == "weak":
        return F.softplus(n - k).mean()
    return (F.softplus(k - p) + F.softplus(n - k)).mean()


def social_scale(epoch: int, decay_epochs: int) -> float:
    """Factor on SocialGCN's social loss terms in `epoch` (1-based): 1, or 1 -> 0 linearly over `decay_epochs`."""
    if decay_epochs <= 0:
        return 1.0
    return max(0.0, 1.0 - (epoch - 1) / decay_epochs)


@dataclass(frozen=True)
class SocialWeights:
    """Weights of SocialGCN's optional social terms (--social-reg, --social-cl, --sbpr; 0 = off)."""

    reg: float = 0.0
    cl: float = 0.0
    cl_temp: float = 0.2
    sbpr: float = 0.0
    sbpr_mode: str = "full"
    decay_epochs: int = 0  # --social-decay-epochs: the terms fade to 0 over this many epochs

    def active(self) -> bool:
        return self.reg > 0 or self.cl > 0 or self.sbpr > 0
