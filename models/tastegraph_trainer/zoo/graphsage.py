"""GraphSAGE (Hamilton et al. 2017), inductive: node features plus optional id embeddings, sampled
neighbourhoods, and an ONNX-exportable encoder that embeds a new user from its items alone."""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..walks import csr, sample_table
from .base import Recommender
from .padded import InputEncoder, PaddedMean, keep_inputs, masked_mean


class SageLayer(nn.Module):
    """GraphSAGE: h' = act(W [h_self || AGG({h_j})]); AGG = mean (weighted by w) or max-pool,
    max_j ReLU(W_pool h_j + b). The pooled values are >= 0, so masking by multiplication is exact
    (an empty neighbourhood pools to 0) and needs no -inf.

    Neighbours come as a table of every node's states `h_all` [N, D] and padded ids `idx` [B, K]:
    the pool transform runs once per node, before the gather, not once per (node, slot)."""

    def __init__(self, d_in: int, d_out: int, aggregator: str, activation: bool):
        super().__init__()
        self.aggregator, self.activation = aggregator, activation
        self.pool = nn.Linear(d_in, d_in) if aggregator == "pool" else None
        self.lin = nn.Linear(2 * d_in, d_out)

    def aggregate(self, h_all, idx, w, mask, mean_op: PaddedMean | None = None) -> torch.Tensor:
        if self.pool is None:
            return mean_op(h_all) if mean_op is not None else masked_mean(h_all[idx], w, mask)
        return (F.relu(self.pool(h_all))[idx] * mask.unsqueeze(-1)).amax(-2)

    def forward(self, h_self, h_all, idx, w, mask, mean_op: PaddedMean | None = None) -> torch.Tensor:
        out = self.lin(torch.cat([h_self, self.aggregate(h_all, idx, w, mask, mean_op)], dim=-1))
        return F.relu(out) if self.activation else out


class GraphSAGE(Recommender):
    """GraphSAGE over the user-item graph, one node table (users first), sampled neighbourhoods.

    Layer l of L reads a fresh sample of `fanouts[L - l]` neighbours per node (fan-outs listed from
    the target outwards, like the Cypher sampler: hop 1 = fanouts[0]); each node's sample is
    shared by every node that reads it, as the sampler de-duplicates its frontier. Training
    resamples every batch; evaluation uses one fixed seeded sample."""

    def __init__(
        self,
        n_users: int,
        n_items: int,
        fit_user: np.ndarray,
        fit_item: np.ndarray,
        fit_weight: np.ndarray,
        user_features: np.ndarray,
        item_features: np.ndarray,
        dim: int,
        fanouts=(10, 5),
        aggregator: str = "mean",
        id_embeddings: bool = True,
        id_dropout: float = 0.2,
        seed: int = 0,
    ):
        super().__init__()
        self.n_users, self.n_items = n_users, n_items
        self.fanouts = tuple(int(k) for k in fanouts)
        self.register_buffer("user_features", torch.as_tensor(user_features, dtype=torch.float32))
        self.register_buffer("item_features", torch.as_tensor(item_features, dtype=torch.float32))
        self.user_in = InputEncoder(n_users, user_features.shape[1], dim, id_embeddings, id_dropout)
        self.item_in = InputEncoder(n_items, item_features.shape[1], dim, id_embeddings, id_dropout)
        n_layers = len(self.fanouts)
        self.layers = nn.ModuleList(
            [SageLayer(dim, dim, aggregator, activation=k < n_layers - 1) for k in range(n_layers)]
        )
        u = np.asarray(fit_user, dtype=np.int64)
        i = np.asarray(fit_item, dtype=np.int64) + n_users
        w = np.asarray(fit_weight, dtype=np.float64)
        self._csr = csr(np.concatenate([u, i]), np.concatenate([i, u]), n_users + n_items, np.concatenate([w, w]))
        self._rng = np.random.default_rng(seed)
        self._eval_tables = self._sample(np.random.default_rng(seed + 1))

    @property
    def _eval_tables(self) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
        """The fixed evaluation sample, one (idx, w, mask) table per layer (innermost first)."""
        return [
            tuple(getattr(self, f"eval_{name}_{k}") for name in ("idx", "w", "mask")) for k in range(len(self.fanouts))
        ]

    @_eval_tables.setter
    def _eval_tables(self, tables) -> None:
        # non-persistent buffers: they move with .to(device) and stay out of checkpoints
        for k, tab in enumerate(tables):
            for name, t in zip(("idx", "w", "mask"), tab):
                self.register_buffer(f"eval_{name}_{k}", t, persistent=False)

    def _sample(self, rng) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
        dev = self.user_features.device
        tables = []
        for k in reversed(self.fanouts):  # innermost layer first
            idx, w, m = sample_table(*self._csr, k, rng)
            tables.append((torch.from_numpy(idx).to(dev), torch.from_numpy(w).to(dev), torch.from_numpy(m).to(dev)))
        return tables

    def inputs(self) -> torch.Tensor:
        return torch.cat([self.user_in(self.user_features), self.item_in(self.item_features)], dim=0)

    def layer_states(self, tables=None) -> list[torch.Tensor]:
        """h^0 .. h^L for every node."""
        if tables is None:
            tables = self._sample(self._rng) if self.training else self._eval_tables
        h = self.inputs()
        states = [h]
        n = h.shape[0]
        for layer, (idx, w, m) in zip(self.layers, tables):
            op = PaddedMean(idx, w, m, n) if layer.pool is None else None
            h = layer(h, h, idx, w, m, op)
            states.append(h)
        return states

    def embeddings(self):
        h = self.layer_states()[-1]
        return h[: self.n_users], h[self.n_users :]

    def ego(self, users, pos, neg):
        z = torch.zeros(len(users), 1, device=users.device)
        if self.user_in.emb is None:
            return z, z, z
        return self.user_in.emb(users), self.item_in.emb(pos), self.item_in.emb(neg)

    @torch.no_grad()
    def inductive_encoder(self) -> SageUserEncoder:
        was = self.training
        self.eval()
        states = self.layer_states()
        self.train(was)
        item_states = torch.stack([s[self.n_users :] for s in states[:-1]], 0)  # [L, I, D]
        return SageUserEncoder(self, item_states)


class SageUserEncoder(nn.Module):
    """A user's GraphSAGE embedding from its items alone (no id embedding: works for new users).

    h_u^0 = proj(degree feature of the given neighbourhood); h_u^l = layer_l(h_u^(l-1), AGG of the
    items' stored h^(l-1)): exactly the model's forward for a user whose samples are these items,
    with the items' states taken from the trained graph (its fixed evaluation sample)."""

    def __init__(self, model: GraphSAGE, item_states: torch.Tensor):
        super().__init__()
        self.proj = copy.deepcopy(model.user_in.proj)
        self.layers = copy.deepcopy(model.layers)
        self.register_buffer("item_states", item_states.detach().float().clone())
        self.n_items, self.n_users = item_states.shape[1], 1

    def forward(self, item_idx, item_w, item_mask, friend_idx, friend_mask):
        deg = item_mask.sum(1, keepdim=True)
        h = self.proj(torch.log1p(deg) * 0.2)  # features.DEGREE_SCALE
        for k, layer in enumerate(self.layers):
            h = layer(h, self.item_states[k], item_idx, item_w, item_mask)
        return keep_inputs(h, item_w, friend_idx, friend_mask)
