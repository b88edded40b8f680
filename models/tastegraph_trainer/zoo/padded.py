"""Dense padded aggregation shared by GraphSAGE, PinSage and their ONNX encoders.

Aggregations are dense over padded [N, K] tables (gather, masked sum / max): no scatter, so the
same code exports to ONNX.
"""

from __future__ import annotations

import warnings

import torch
from torch import nn

from ..graph import block_mm


def keep_inputs(out: torch.Tensor, *inputs: torch.Tensor) -> torch.Tensor:
    """out + 0: ties inputs a model does not read (friends; weights under max-pool) into the graph,
    so the exported ONNX encoder keeps the fold-in signature that serving feeds (onnxruntime
    rejects input names a graph does not declare)."""
    zero = sum(x.sum(1, keepdim=True).to(out.dtype) for x in inputs)
    return out + 0.0 * zero


def masked_mean(h: torch.Tensor, w: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """sum_k w_k m_k h_k / sum_k w_k m_k over the K axis of h [.., K, D]; 0 for an empty row."""
    ww = (w * mask).unsqueeze(-1)
    return (ww * h).sum(-2) / ww.sum(-2).clamp_min(1e-12)


class PaddedMean(nn.Module):
    """masked_mean over a padded table as one sparse [B, N] CSR matmul (rows sum to 1), with its
    transpose kept for the backward. Training uses it (a dense gather of [N, K, D] costs about 4x
    more on the CPU); the ONNX encoders use `masked_mean`, and the parity tests pin both equal.
    Both matrices are non-persistent buffers: they move with `.to(device)`, no checkpoint holds them."""

    def __init__(self, idx: torch.Tensor, w: torch.Tensor, mask: torch.Tensor, n_cols: int):
        super().__init__()
        ww = w * mask
        ww = ww / ww.sum(1, keepdim=True).clamp_min(1e-12)
        b, k = idx.shape
        keep = mask.reshape(-1) > 0
        rows = torch.arange(b, device=idx.device).repeat_interleave(k)[keep]
        cols, vals = idx.reshape(-1)[keep], ww.reshape(-1)[keep]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = torch.sparse_coo_tensor(torch.stack([rows, cols]), vals, (b, n_cols)).coalesce().to_sparse_csr()
            mt = torch.sparse_coo_tensor(torch.stack([cols, rows]), vals, (n_cols, b)).coalesce().to_sparse_csr()
        self.register_buffer("m", m, persistent=False)
        self.register_buffer("mt", mt, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return block_mm(self.m, self.mt, x)


class InputEncoder(nn.Module):
    """Node inputs: a projection of the node's features plus (optionally) a learned id embedding.

    Id dropout: while training, each node's id embedding is left out with probability p, so the
    layers learn to work from features and neighbours alone, as they must for a new node."""

    def __init__(
        self, n_nodes: int, n_features: int, dim: int, id_embeddings: bool, id_dropout: float, init_std: float = 0.1
    ):
        super().__init__()
        self.proj = nn.Linear(n_features, dim)
        self.emb = nn.Embedding(n_nodes, dim) if id_embeddings else None
        if self.emb is not None:
            nn.init.normal_(self.emb.weight, std=init_std)
        self.id_dropout = id_dropout

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        x = self.proj(features)
        if self.emb is None:
            return x
        e = self.emb.weight
        if self.training and self.id_dropout > 0:
            e = e * (torch.rand(e.shape[0], 1, device=e.device) >= self.id_dropout).to(e.dtype)
        return x + e
