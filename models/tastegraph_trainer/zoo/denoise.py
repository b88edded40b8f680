"""DenoiseGCN: SocialGCN whose friend edges pass through a learned hard-concrete (L0) gate.

The social view of SocialGCN averages over every friend edge; on sparse trust data (ciao: 12% of the
training friend pairs share an item) many edges carry no taste signal. Here each friendship gets a gate
z_uv in [0, 1] that can be exactly 0 (the edge is dropped), learned end to end with the recommendation loss:

  logit      l_uv = (P e_u^0) . (P e_v^0) / sqrt(d) + b     symmetric: one decision per friendship
  training   s = sigmoid((log x - log(1 - x) + l_uv) / beta),  x ~ U(0, 1)   (a binary-concrete sample)
             z = clamp(s (zeta - gamma) + gamma, 0, 1)                        (stretched and clipped)
  inference  z = clamp(sigmoid(l_uv) (zeta - gamma) + gamma, 0, 1);  kept = z > 0
  social     s_u = sum_v (z_uv / deg(u)) e_v^k   (dropped friends count as zeros in u's mean)
  penalty    edge_l0 * mean over edges of P(z_uv != 0) = sigmoid(l_uv - beta log(-gamma / zeta))

The gate reads only the users' layer-0 embeddings (learned from their interactions), never the item overlap
of the pair, so it also decides for friends who share no item. Fusion, layers and the optional social loss
terms are SocialGCN's. Dividing by the full degree (not by the sum of the gates) keeps a gradient on the
gate of a user's only friend.

The hard-concrete distribution and its L0 penalty are from Louizos, Welling and Kingma, "Learning Sparse
Neural Networks through L0 Regularization" (ICLR 2018); learning to drop graph edges with it from node
embeddings is PTDNet (Luo et al., "Learning to Drop: Robust Graph Neural Network via Topological Denoising",
WSDM 2021); a learned, preference-driven mask over the social graph for recommendation is the idea of GBSR
(Yang et al., "Graph Bottlenecked Social Recommendation", KDD 2024), whose HSIC bottleneck is not used here.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .base import Batch
from .socialgcn import SocialGCN

# Louizos et al.'s hard-concrete constants: temperature, and the stretch interval (gamma, zeta).
BETA, GAMMA, ZETA = 2.0 / 3.0, -0.1, 1.1


def hard_concrete(logits: torch.Tensor, training: bool, beta: float = BETA) -> torch.Tensor:
    """A gate in [0, 1] per logit: sampled while training, its deterministic median otherwise."""
    if training:
        x = torch.rand_like(logits).clamp(1e-6, 1 - 1e-6)
        s = torch.sigmoid((torch.log(x) - torch.log1p(-x) + logits) / beta)
    else:
        s = torch.sigmoid(logits)
    return (s * (ZETA - GAMMA) + GAMMA).clamp(0.0, 1.0)


def open_probability(logits: torch.Tensor, beta: float = BETA) -> torch.Tensor:
    """P(gate != 0) under the hard-concrete distribution (the expected L0 norm per edge)."""
    return torch.sigmoid(logits - beta * math.log(-GAMMA / ZETA))


class DenoiseGCN(SocialGCN):
    """SocialGCN with a hard-concrete gate per friendship in place of the attention softmax."""

    def __init__(self, *args, edge_l0: float = 1e-3, gate_bias_init: float = 3.0, gate_dim: int = 16, **kw):
        super().__init__(*args, **kw)
        dim = self.emb.weight.shape[1]
        self.edge_l0 = edge_l0
        self.gate_dim = gate_dim
        self.gate_proj = nn.Linear(dim, gate_dim, bias=False)
        self.gate_bias = nn.Parameter(torch.tensor(float(gate_bias_init)))
        # SocialGCN's attention projections are not used by this model: kept out of the optimiser's way.
        for p in (*self.att_q.parameters(), *self.att_k.parameters()):
            p.requires_grad_(False)
        self._last_open: torch.Tensor | None = None

    def set_friend_edges(self, src: torch.Tensor, dst: torch.Tensor, keep: torch.Tensor | None = None):
        super().set_friend_edges(src, dst, keep)
        deg = torch.bincount(self.friend_src, minlength=self.n_users).clamp(min=1).to(torch.float32)
        self.register_buffer("inv_degree", (1.0 / deg)[self.friend_src], persistent=False)

    def gate_logits(self) -> torch.Tensor:
        x = self.gate_proj(self.emb.weight[: self.n_users])
        return (x[self.friend_src] * x[self.friend_dst]).sum(-1) / math.sqrt(self.gate_dim) + self.gate_bias

    def edge_gates(self, training: bool | None = None) -> torch.Tensor:
        """z per directed edge (both directions of a friendship agree at inference: the logit is symmetric)."""
        if self.friend_src.numel() == 0:
            return torch.zeros(0, device=self.emb.weight.device)
        logits = self.gate_logits()
        z = hard_concrete(logits, self.training if training is None else training)
        self._last_open = open_probability(logits) if self.training else None
        if self.edge_keep is not None:
            z = z * self.edge_keep.to(z.dtype)
        return z

    def attention(self) -> torch.Tensor:
        """The deterministic gate per directed edge (0 = dropped): what attention.csv and Neo4j get."""
        with torch.no_grad():
            return self.edge_gates(training=False)

    def learned_edge_keep(self) -> torch.Tensor:
        return self.attention() > 0

    def edge_weights(self) -> torch.Tensor:
        return self.edge_gates() * self.inv_degree

    def extra_loss(self, batch: Batch, epoch: int) -> torch.Tensor | None:
        social = super().extra_loss(batch, epoch)
        if self._last_open is None or self.edge_l0 <= 0:
            return social
        l0 = self.edge_l0 * self._last_open.mean()
        return l0 if social is None else social + l0
