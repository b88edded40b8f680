"""Graph operators built from index arrays: the normalized bipartite adjacency and friend edges."""

from __future__ import annotations

import warnings

import numpy as np
import torch
from torch import nn


class SymmetricSparseMM(torch.autograd.Function):
    """y = A @ x for a symmetric sparse A; the backward reuses A instead of building A^T."""

    @staticmethod
    def forward(ctx, adj: torch.Tensor, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        ctx.adj = adj
        return torch.sparse.mm(adj, x)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):  # type: ignore[override]
        return None, torch.sparse.mm(ctx.adj, grad)


def sym_spmm(adj: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return SymmetricSparseMM.apply(adj, x)


def normalized_bipartite_adjacency(
    n_users: int,
    n_items: int,
    user: np.ndarray,
    item: np.ndarray,
    weight: np.ndarray | None = None,
    self_loops: bool = False,
) -> torch.Tensor:
    """D^-1/2 A D^-1/2 of A = [[0, R], [R^T, 0]] (users first, items offset by n_users), no self-loops.

    R[u, i] = weight (1 when None); D = row sums of A. Nodes of degree 0 get a zero row.
    With `self_loops` (GCN's renormalisation trick) A + I instead: every node keeps itself.
    Returned as a float32 sparse CSR tensor of shape (n_users + n_items)^2.
    """
    n = n_users + n_items
    user = np.asarray(user, dtype=np.int64)
    item = np.asarray(item, dtype=np.int64)
    w = np.ones(len(user), dtype=np.float64) if weight is None else np.asarray(weight, dtype=np.float64)
    rows = np.concatenate([user, item + n_users])
    cols = np.concatenate([item + n_users, user])
    vals = np.concatenate([w, w])
    if self_loops:
        rows = np.concatenate([rows, np.arange(n)])
        cols = np.concatenate([cols, np.arange(n)])
        vals = np.concatenate([vals, np.ones(n)])
    deg = np.bincount(rows, weights=vals, minlength=n)
    inv_sqrt = np.zeros(n)
    nz = deg > 0
    inv_sqrt[nz] = deg[nz] ** -0.5
    vals = vals * inv_sqrt[rows] * inv_sqrt[cols]
    coo = torch.sparse_coo_tensor(
        torch.from_numpy(np.stack([rows, cols])),
        torch.from_numpy(vals.astype(np.float32)),
        (n, n),
        check_invariants=False,
    ).coalesce()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "sparse CSR support is in beta": we use only mm
        return coo.to_sparse_csr()


def directed_friend_edges(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both directions of each undirected pair, sorted by source: (src, dst).

    An edge src -> dst means "src aggregates from its friend dst".
    """
    src = np.concatenate([a, b]).astype(np.int64)
    dst = np.concatenate([b, a]).astype(np.int64)
    order = np.lexsort((dst, src))
    return src[order], dst[order]


def edge_softmax(scores: torch.Tensor, src: torch.Tensor, n_nodes: int) -> torch.Tensor:
    """Softmax of edge scores (E, H) over the edges that share a source node."""
    h = scores.shape[1]
    idx = src.unsqueeze(1).expand(-1, h)
    mx = torch.full((n_nodes, h), float("-inf"), dtype=scores.dtype, device=scores.device)
    mx = mx.scatter_reduce(0, idx, scores.detach(), reduce="amax", include_self=True)
    ex = torch.exp(scores - mx[src])
    den = torch.zeros((n_nodes, h), dtype=scores.dtype, device=scores.device).index_add_(0, src, ex)
    return ex / den[src]


def topk_edge_mask(attention: np.ndarray, src: np.ndarray, threshold: float, topk: int) -> np.ndarray:
    """Edges kept after training: attention >= threshold and among the source's top-k (0 = no limit)."""
    keep = attention >= threshold
    if topk and topk > 0 and len(src):
        order = np.lexsort((-attention, src))
        s_sorted = src[order]
        starts = np.searchsorted(s_sorted, s_sorted, side="left")
        rank = np.arange(len(src)) - starts
        rank_of = np.empty(len(src), dtype=np.int64)
        rank_of[order] = rank
        keep &= rank_of < topk
    return keep


class FriendGraph(nn.Module):
    """Directed friend edges sorted by source, with the index structures for fast aggregation.

    A module only to hold them as (non-persistent) buffers: `.to(device)` moves them with the model
    that owns the graph, and no checkpoint stores them (they are rebuilt from the data)."""

    def __init__(self, src: torch.Tensor, dst: torch.Tensor, n_users: int):
        super().__init__()
        self.n_users = n_users
        src, dst = src.long(), dst.long()
        counts = torch.bincount(src, minlength=n_users)
        # The transpose (sorted by destination) for the backward pass.
        perm_t = torch.argsort(dst * n_users + src)
        counts_t = torch.bincount(dst, minlength=n_users)
        zero = torch.zeros(1, dtype=torch.long, device=src.device)
        for name, t in (
            ("src", src),
            ("dst", dst),
            ("crow", torch.cat([zero, counts.cumsum(0)])),
            ("perm_t", perm_t),
            ("crow_t", torch.cat([zero, counts_t.cumsum(0)])),
            ("col_t", src[perm_t]),
        ):
            self.register_buffer(name, t, persistent=False)


class _EdgeAggregate(torch.autograd.Function):
    """out[u] = sum over edges (u, v) of alpha_uv * x[v], as one CSR matmul each way."""

    @staticmethod
    def forward(ctx, alpha: torch.Tensor, x: torch.Tensor, g: FriendGraph) -> torch.Tensor:  # type: ignore[override]
        ctx.g = g
        ctx.save_for_backward(alpha, x)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = torch.sparse_csr_tensor(g.crow, g.dst, alpha, (g.n_users, x.shape[0]))
        return torch.sparse.mm(s, x)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):  # type: ignore[override]
        alpha, x = ctx.saved_tensors
        g = ctx.g
        grad_alpha = grad_x = None
        if ctx.needs_input_grad[0]:
            # d out[u] / d alpha_uv = x[v]: one dot product per edge, computed on the CSR pattern
            # (sampled dense-dense matmul) instead of gathering two [E, D] matrices.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pattern = torch.sparse_csr_tensor(g.crow, g.dst, torch.zeros_like(alpha), (g.n_users, x.shape[0]))
                grad_alpha = torch.sparse.sampled_addmm(pattern, grad.contiguous(), x.T, beta=0.0).values()
        if ctx.needs_input_grad[1]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                st = torch.sparse_csr_tensor(g.crow_t, g.col_t, alpha[g.perm_t], (x.shape[0], g.n_users))
            grad_x = torch.sparse.mm(st, grad)
        return grad_alpha, grad_x, None


def edge_aggregate(alpha: torch.Tensor, x: torch.Tensor, g: FriendGraph) -> torch.Tensor:
    return _EdgeAggregate.apply(alpha, x, g)


class BipartiteOperator(nn.Module):
    """The two blocks of D^-1/2 A D^-1/2: R̂ (users x items) and R̂^T (items x users), as CSR.

    For models that propagate users and items differently (SocialGCN), this avoids building and
    splitting the stacked [users; items] matrix at every layer. Both blocks are non-persistent
    buffers: they move with `.to(device)` and stay out of checkpoints.
    """

    def __init__(self, adj: torch.Tensor, n_users: int, n_items: int):
        super().__init__()
        coo = adj.to_sparse_coo().coalesce() if adj.layout != torch.sparse_coo else adj.coalesce()
        idx, val = coo.indices(), coo.values()
        up = idx[0] < n_users
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = (
                torch.sparse_coo_tensor(
                    torch.stack([idx[0][up], idx[1][up] - n_users]), val[up], (n_users, n_items), check_invariants=False
                )
                .coalesce()
                .to_sparse_csr()
            )
            rt = (
                torch.sparse_coo_tensor(
                    torch.stack([idx[0][~up] - n_users, idx[1][~up]]),
                    val[~up],
                    (n_items, n_users),
                    check_invariants=False,
                )
                .coalesce()
                .to_sparse_csr()
            )
        self.register_buffer("r", r, persistent=False)
        self.register_buffer("rt", rt, persistent=False)


class _BlockMM(torch.autograd.Function):
    """y = M @ x where the transpose M^T is given, so the backward needs no transpose."""

    @staticmethod
    def forward(ctx, m: torch.Tensor, mt: torch.Tensor, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        ctx.mt = mt
        return torch.sparse.mm(m, x)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):  # type: ignore[override]
        return None, None, torch.sparse.mm(ctx.mt, grad)


def user_from_items(op: BipartiteOperator, items: torch.Tensor) -> torch.Tensor:
    return _BlockMM.apply(op.r, op.rt, items)


def item_from_users(op: BipartiteOperator, users: torch.Tensor) -> torch.Tensor:
    return _BlockMM.apply(op.rt, op.r, users)


def block_mm(m: torch.Tensor, mt: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """m @ x for a sparse m whose transpose mt is given (used in the backward)."""
    return _BlockMM.apply(m, mt, x)
