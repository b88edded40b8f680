"""What every model offers the training loop, and the defaults for models with nothing to add.

A model knows nothing about a dataset: it gets sizes and graph tensors (held as buffers, so
`.to(device)` moves all of it) and offers
- `embeddings()` -> (user_vectors [U, D], item_vectors [I, D]), the propagated final embeddings;
- `score(user_vectors, item_vectors)` -> [B, I], a dot product, computed apart from propagation;
- `ego(users, pos, neg)` -> the layer-0 embeddings that the L2 term regularises;
and, where it has them, hooks the loop calls on every model instead of checking its type:
- `extra_loss(batch, epoch)`: terms added to the batch's BPR loss (SocialGCN's social terms);
- `hard_negatives(batch, epoch)`: extra negatives per positive (PinSage's curriculum);
- `social_share()`: the weight of the friends' view at the last forward (for the fold-in encoder);
- `friend_edges()`: the directed friend edges an attention filter may prune after training; a model
  with some also offers `attention()` (one weight per edge) and `set_friend_edges(src, dst, keep)`, and
  `learned_edge_keep()` where the model itself decides which edges to drop;
- `inductive_encoder()`: an ONNX-exportable module that embeds a new user from its items.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


def score(user_vectors: torch.Tensor, item_vectors: torch.Tensor) -> torch.Tensor:
    return user_vectors @ item_vectors.T


def count_parameters(model: nn.Module) -> int:
    return int(sum(p.numel() for p in model.parameters() if p.requires_grad))


@dataclass
class Batch:
    """One BPR step as the loop computed it, for the hooks."""

    users: torch.Tensor  # [B] user ids, on the device
    user_vecs: torch.Tensor  # [U, D] every user's vector from this step's forward
    item_vecs: torch.Tensor  # [I, D]
    uv: torch.Tensor  # [B, D] the batch users' rows of user_vecs
    pos: torch.Tensor  # [B] scores of the positives
    neg: torch.Tensor  # [B] scores of the negatives


class Recommender(nn.Module):
    """Base of every model: the hooks' defaults (no extra loss, no hard negatives, no friends)."""

    trainable = True  # False: nothing to train (MostPop)
    score = staticmethod(score)

    def embeddings(self) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError

    def ego(self, users: torch.Tensor, pos: torch.Tensor, neg: torch.Tensor):
        raise NotImplementedError

    def extra_loss(self, batch: Batch, epoch: int) -> torch.Tensor | None:
        return None

    def hard_negatives(self, batch: Batch, epoch: int) -> torch.Tensor | None:
        """[B, h] extra negative items per positive, or None."""
        return None

    def social_share(self) -> float:
        return 0.0

    def friend_edges(self) -> tuple[torch.Tensor, torch.Tensor] | None:
        """(src, dst) of the directed friend edges the model attends over; None without any."""
        return None

    def attention(self) -> torch.Tensor:
        """Per directed friend edge (as `friend_edges()`), the weight the model gives it."""
        raise NotImplementedError(f"{type(self).__name__} has no friend edges")

    def set_friend_edges(self, src: torch.Tensor, dst: torch.Tensor, keep: torch.Tensor | None = None) -> None:
        raise NotImplementedError(f"{type(self).__name__} has no friend edges")

    def learned_edge_keep(self) -> torch.Tensor | None:
        """For a model that learns which friend edges to drop (DenoiseGCN): its kept edges; None otherwise."""
        return None

    def inductive_encoder(self) -> nn.Module | None:
        return None
