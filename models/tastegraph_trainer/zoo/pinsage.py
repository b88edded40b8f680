"""PinSage (Ying et al. 2018): random-walk neighbourhoods for items, users from their items, a curriculum
of hard negatives, and an ONNX-exportable encoder that embeds a new user from its items."""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..sampling import is_pair
from .base import Batch, Recommender
from .padded import InputEncoder, PaddedMean, keep_inputs, masked_mean


class PinSageConv(nn.Module):
    """Algorithm 1 (CONVOLVE): n_v = importance-weighted mean of ReLU(Q h_u + q) over the walk
    neighbourhood (weights = normalised visit counts); z_v = ReLU(W [h_v || n_v] + w) / ||.||."""

    def __init__(self, d_in: int, d_out: int):
        super().__init__()
        self.q = nn.Linear(d_in, d_in)
        self.w = nn.Linear(2 * d_in, d_out)

    def forward(self, h_self, h_all, idx, alpha, mask, mean_op: PaddedMean | None = None):
        q = F.relu(self.q(h_all))  # Q once per node, then pooled
        n = mean_op(q) if mean_op is not None else masked_mean(q[idx], alpha, mask)
        z = F.relu(self.w(torch.cat([h_self, n], dim=-1)))
        return F.normalize(z, dim=-1)


class PinSage(Recommender):
    """Items: `layers` PinSage convolutions over the random-walk neighbourhoods (top-k by visits),
    then the dense head G2 ReLU(G1 z + g). Users: the user head applied to the weighted mean of the
    final embeddings of the user's items (+ an optional user id embedding), so a new user is
    embedded from its items. Hard negatives with a curriculum come from `hard_negatives()`."""

    def __init__(
        self,
        n_users: int,
        n_items: int,
        walk_idx,
        walk_w,
        walk_mask,
        user_idx,
        user_w,
        user_mask,
        item_features: np.ndarray,
        dim: int,
        layers: int = 2,
        id_embeddings: bool = True,
        id_dropout: float = 0.2,
        hard: HardNegatives | None = None,
    ):
        super().__init__()
        self.n_users, self.n_items = n_users, n_items
        t = lambda a, dt=torch.float32: torch.as_tensor(a, dtype=dt)  # noqa: E731
        self.register_buffer("item_features", t(item_features))
        self.register_buffer("walk_idx", t(walk_idx, torch.long))
        self.register_buffer("walk_w", t(walk_w))
        self.register_buffer("walk_mask", t(walk_mask))
        self.register_buffer("user_idx", t(user_idx, torch.long))
        self.register_buffer("user_w", t(user_w))
        self.register_buffer("user_mask", t(user_mask))
        self.item_in = InputEncoder(n_items, item_features.shape[1], dim, id_embeddings, id_dropout)
        self.user_emb = nn.Embedding(n_users, dim) if id_embeddings else None
        if self.user_emb is not None:
            nn.init.normal_(self.user_emb.weight, std=0.1)
        self.id_dropout = id_dropout
        self.convs = nn.ModuleList([PinSageConv(dim, dim) for _ in range(layers)])
        self.g1, self.g2 = nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.user_head = nn.Linear(dim, dim)
        self.hard = hard
        # the padded tables as sparse operators for training (their matrices are buffers too)
        self.walk_op = PaddedMean(self.walk_idx, self.walk_w, self.walk_mask, self.n_items)
        self.user_op = PaddedMean(self.user_idx, self.user_w, self.user_mask, self.n_items)

    def item_embeddings(self) -> torch.Tensor:
        h = self.item_in(self.item_features)
        for conv in self.convs:
            h = conv(h, h, self.walk_idx, self.walk_w, self.walk_mask, self.walk_op)
        return self.g2(F.relu(self.g1(h)))

    def embeddings(self):
        items = self.item_embeddings()
        users = self.user_head(self.user_op(items))
        if self.user_emb is not None:
            e = self.user_emb.weight
            if self.training and self.id_dropout > 0:
                e = e * (torch.rand(e.shape[0], 1, device=e.device) >= self.id_dropout).to(e.dtype)
            users = users + e
        return users, items

    def ego(self, users, pos, neg):
        z = torch.zeros(len(users), 1, device=users.device)
        u = self.user_emb(users) if self.user_emb is not None else z
        if self.item_in.emb is None:
            return u, z, z
        return u, self.item_in.emb(pos), self.item_in.emb(neg)

    def hard_negatives(self, batch: Batch, epoch: int) -> torch.Tensor | None:
        if self.hard is None:
            return None
        return self.hard.draw(batch.users.cpu().numpy(), epoch, batch.uv.detach(), batch.item_vecs.detach())

    @torch.no_grad()
    def inductive_encoder(self) -> PinSageUserEncoder:
        was = self.training
        self.eval()
        items = self.item_embeddings()
        self.train(was)
        return PinSageUserEncoder(self.user_head, items)


class PinSageUserEncoder(nn.Module):
    """user_emb = user_head(weighted mean of the final item embeddings of the given items)."""

    def __init__(self, user_head: nn.Linear, item_vectors: torch.Tensor):
        super().__init__()
        self.user_head = copy.deepcopy(user_head)
        self.register_buffer("item_vectors", item_vectors.detach().float().clone())
        self.n_items, self.n_users = item_vectors.shape[0], 1

    def forward(self, item_idx, item_w, item_mask, friend_idx, friend_mask):
        out = self.user_head(masked_mean(self.item_vectors[item_idx], item_w, item_mask))
        return keep_inputs(out, friend_idx, friend_mask)


class HardNegatives:
    """PinSage's curriculum (harder negatives later): at epoch e each positive (u, i) gets
    n_hard(e) = min(max_hard, (e - 1) // ramp_epochs) extra negatives. Each is the best-scoring,
    under the current model, of `candidates` uniform items that are not training positives of u:
    an item the model ranks around n_items / candidates for u, "related, but not as related as
    the positive" (PinSage takes PageRank ranks 2000-5000 of the query for the same reason).

    First version, measured and dropped: negatives from the positive's own walk neighbourhood
    (ranks k .. k+50 by visits). On lastfm those are mostly items the user likes too; validation
    Recall@20 fell from 0.147 to 0.071 within 16 epochs of switching them on."""

    def __init__(
        self,
        pos_keys: np.ndarray,
        n_items: int,
        max_hard: int,
        ramp_epochs: int,
        candidates: int,
        rng: np.random.Generator,
    ):
        self.pos_keys, self.n_items = pos_keys, n_items
        self.max_hard, self.ramp_epochs, self.candidates, self.rng = max_hard, max(1, ramp_epochs), candidates, rng

    def count(self, epoch: int) -> int:
        return min(self.max_hard, max(0, epoch - 1) // self.ramp_epochs)

    @torch.no_grad()
    def draw(
        self, users: np.ndarray, epoch: int, user_vecs: torch.Tensor, item_vecs: torch.Tensor
    ) -> torch.Tensor | None:
        """[B, n_hard(e)] item indices (None while n_hard is 0); user_vecs [B, D] are the batch users'."""
        h = self.count(epoch)
        if h == 0:
            return None
        c = self.candidates
        u = np.repeat(users, h * c)
        cand = self.rng.integers(0, self.n_items, len(u))
        bad = is_pair(self.pos_keys, self.n_items, u, cand)
        for _ in range(50):
            if not bad.any():
                break
            cand[bad] = self.rng.integers(0, self.n_items, int(bad.sum()))
            bad = is_pair(self.pos_keys, self.n_items, u, cand)
        cand_t = torch.as_tensor(cand.reshape(len(users), h, c), device=item_vecs.device)
        scores = (item_vecs[cand_t] * user_vecs[:, None, None, :]).sum(-1)  # [B, h, C]
        return cand_t.gather(2, scores.argmax(2, keepdim=True)).squeeze(2)
