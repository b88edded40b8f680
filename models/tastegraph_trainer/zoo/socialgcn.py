"""SocialGCN: LightGCN plus attention-weighted propagation over friend edges, and its social loss terms."""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from ..graph import BipartiteOperator, FriendGraph, edge_aggregate, edge_softmax, item_from_users, user_from_items
from ..loss import SocialWeights, sbpr_terms, social_infonce, social_scale, social_smoothness
from ..sampling import SocialItemSampler
from .base import Batch, Recommender


class SocialGCN(Recommender):
    """LightGCN on user-item edges plus attention-weighted propagation over friend edges.

    Per layer k:
      interaction view  r_u = sum_i Â_ui e_i^k          (items: e_i^(k+1) = sum_u Â_iu e_u^k, as LightGCN)
      social view       s_u = sum_{v in F(u)} a_uv e_v^k
      fusion            e_u^(k+1) = g_k * r_u + (1 - g_k) * s_u,  g_k = sigmoid(W_k [r_u; s_u] + b_k)
    Users without (kept) friends take r_u. Final = mean of layers 0..L, as LightGCN.

    Attention (per head h): a_uv = softmax over v in F(u) of (Q_h e_u^0) . (K_h e_v^0) / sqrt(d_h),
    averaged over heads (rows still sum to 1). A bilinear score of both users' embeddings rather
    than the original GAT's a1.x_u + a2.x_v, which ranks every user's friends in the same order
    ("static" attention, Brody et al. 2022); cheaper than GATv2's per-edge nonlinearity on [E, D]
    and it reads directly as "how similar are the two users' tastes".

    Why this fusion: SocialLGN adds both views and divides by the norm of the whole matrix, which
    shrinks every row and learns slowly. A convex gate keeps e_u^(k+1) on the scale of LightGCN's
    layers (it is exactly the mean of the views at initialisation: W = 0, b = gate_init) and lets
    each user and dimension decide how much the friends count.

    Social loss terms (`social`, off by default) come in through `extra_loss`: a smoothness
    term, an InfoNCE term between each user and its friends' view, and SBPR's social items
    (drawn by `social_items`, a sampler over the training pairs the caller gives).
    """

    def __init__(
        self,
        n_users: int,
        n_items: int,
        adj: torch.Tensor,
        friend_src: torch.Tensor,
        friend_dst: torch.Tensor,
        dim: int,
        layers: int,
        heads: int = 1,
        init_std: float = 0.1,
        gate_init: float = 0.0,
        att_dim: int = 16,
        fusion: str = "gate",
        gate_mode: str = "user",
        attention_cap: float = 0.0,
        social: SocialWeights | None = None,
        social_items: SocialItemSampler | None = None,
    ):
        super().__init__()
        self.n_users, self.n_items, self.layers, self.heads = n_users, n_items, layers, heads
        self.adj = BipartiteOperator(adj, n_users, n_items)
        self.emb = nn.Embedding(n_users + n_items, dim)
        nn.init.normal_(self.emb.weight, std=init_std)
        self.fusion = fusion
        self.gate_mode = gate_mode
        self.attention_cap = attention_cap
        self.att_dim = att_dim
        self.att_q = nn.Linear(dim, heads * att_dim, bias=False)
        self.att_k = nn.Linear(dim, heads * att_dim, bias=False)
        self.gates = nn.ModuleList([nn.Linear(2 * dim, dim) for _ in range(layers)])
        for g in self.gates:
            nn.init.zeros_(g.weight)
            nn.init.constant_(g.bias, gate_init)
            g.weight.requires_grad_(gate_mode == "user")
        self.social = social or SocialWeights()
        self.social_items = social_items
        self.set_friend_edges(friend_src, friend_dst)

    def set_friend_edges(self, src: torch.Tensor, dst: torch.Tensor, keep: torch.Tensor | None = None):
        """Friend edges (sorted by src); `keep` masks edges out at inference (attention filtering).

        All are non-persistent buffers: they move with `.to(device)` and stay out of checkpoints."""
        src, dst = src.long(), dst.long()
        has = torch.zeros(self.n_users, dtype=torch.bool, device=src.device)
        live = src if keep is None else src[keep]
        has[live] = True
        self.register_buffer("friend_src", src, persistent=False)
        self.register_buffer("friend_dst", dst, persistent=False)
        self.register_buffer("edge_keep", keep, persistent=False)
        self.register_buffer("has_friends", has.unsqueeze(1), persistent=False)
        self.friends = FriendGraph(src, dst, self.n_users)

    def friend_edges(self) -> tuple[torch.Tensor, torch.Tensor] | None:
        return (self.friend_src, self.friend_dst) if self.friend_src.numel() else None

    def attention(self) -> torch.Tensor:
        """Per directed friend edge, the head-averaged attention; sums to 1 over a user's friends."""
        src, dst = self.friend_src, self.friend_dst
        if src.numel() == 0:
            return torch.zeros(0, device=self.emb.weight.device)
        x = self.emb.weight[: self.n_users]
        q = self.att_q(x).view(-1, self.heads, self.att_dim)  # [U, H, d]
        k = self.att_k(x).view(-1, self.heads, self.att_dim)
        logits = (q[src] * k[dst]).sum(-1) / math.sqrt(self.att_dim)  # [E, H]
        if self.attention_cap > 0:
            # Bounded logits: without this the attention collapsed onto one friend per user on
            # lastfm (0.9999), which overfits; with cap c two friends differ by at most e^(2c).
            logits = self.attention_cap * torch.tanh(logits / self.attention_cap)
        if self.edge_keep is not None:
            logits = logits.masked_fill(~self.edge_keep.unsqueeze(1), float("-inf"))
        alpha = edge_softmax(logits, src, self.n_users)
        alpha = torch.nan_to_num(alpha, nan=0.0)  # users whose every edge is masked
        return alpha.mean(1)

    def edge_weights(self) -> torch.Tensor:
        """The per-edge weights of the social view (here the attention; a subclass may differ)."""
        return self.attention()

    def social_share(self) -> float:
        """Average fraction given to the social view at the last forward (for the fold-in encoder)."""
        return float(getattr(self, "_last_social_share", 0.0))

    def embeddings(self) -> tuple[torch.Tensor, torch.Tensor]:
        u, i = self.emb.weight[: self.n_users], self.emb.weight[self.n_users :]
        alpha = self.edge_weights() if self.friend_src.numel() else None
        self.last_alpha = alpha  # for the social loss terms (`extra_loss`), read right after this forward
        acc_u, acc_i = u, i
        shares = []
        for k in range(self.layers):
            r_u, i_next = user_from_items(self.adj, i), item_from_users(self.adj, u)
            if alpha is not None:
                s_u = edge_aggregate(alpha, u, self.friends)
                if self.gate_mode == "user":
                    g = torch.sigmoid(self.gates[k](torch.cat([r_u, s_u], dim=1)))
                else:  # one learned weight per layer and dimension, shared by all users
                    g = torch.sigmoid(self.gates[k].bias).expand_as(r_u)
                if self.fusion == "parallel":
                    # Items and the next layer see the pure interaction view; the social view
                    # is added to the user's layer output only (no feedback into propagation).
                    g = torch.where(self.has_friends, g, torch.zeros_like(g))
                    out_u = r_u + g * s_u
                    g = 1 - g
                    u_next = r_u
                elif self.fusion == "residual":
                    g = torch.where(self.has_friends, g, torch.zeros_like(g))
                    u_next = r_u + g * s_u
                    g = 1 - g  # so that the reported social share is the weight of s_u
                else:
                    g = torch.where(self.has_friends, g, torch.ones_like(g))
                    u_next = g * r_u + (1 - g) * s_u
                with torch.no_grad():
                    hf = self.has_friends.squeeze(1)
                    if hf.any():
                        shares.append(float((1 - g[hf]).mean()))
            else:
                u_next = r_u
            if alpha is None or self.fusion != "parallel":
                out_u = u_next
            u, i = u_next, i_next
            acc_u, acc_i = acc_u + out_u, acc_i + i
        self._last_social_share = float(np.mean(shares)) if shares else 0.0
        return acc_u / (self.layers + 1), acc_i / (self.layers + 1)

    def friend_view(self, x: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
        """sum_v alpha_uv x_v over each user's friends (zero rows for users without friends)."""
        return edge_aggregate(alpha, x, self.friends)

    def ego(self, users, pos, neg):
        w = self.emb.weight
        return w[users], w[pos + self.n_users], w[neg + self.n_users]

    def extra_loss(self, batch: Batch, epoch: int) -> torch.Tensor | None:
        """The social terms of this step, scaled by `social_scale` (None when they are off); attention is
        not trained by them."""
        w = self.social
        if not (w.active() and self.friend_src.numel() > 0):
            return None
        scale = social_scale(epoch, w.decay_epochs)
        if scale <= 0:
            return None
        users_f, u = batch.user_vecs, batch.users
        alpha = self.last_alpha.detach()
        extra = batch.pos.new_zeros(())
        if w.reg > 0:
            extra = extra + w.reg * social_smoothness(users_f, alpha, self.friend_src, self.friend_dst, u)
        if w.cl > 0:
            view = self.friend_view(users_f, alpha)
            extra = extra + w.cl * social_infonce(users_f, view, self.has_friends.squeeze(1), u, w.cl_temp)
        if w.sbpr > 0:
            dev = batch.pos.device
            k, valid = self.social_items.draw(u.cpu().numpy())
            soc = (batch.uv * batch.item_vecs[torch.as_tensor(k, device=dev)]).sum(-1)
            extra = extra + w.sbpr * sbpr_terms(
                batch.pos, soc, batch.neg, torch.as_tensor(valid, device=dev), w.sbpr_mode
            )
        return scale * extra
