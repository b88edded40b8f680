"""The rest of the GNN model zoo: NGCF, GCN, GAT (transductive, learnable node embeddings) and
GraphSAGE, PinSage (inductive: node features plus optional id embeddings, padded neighbourhoods).

Same contract as `models.py`: sizes and graph tensors in, `embeddings()` -> (users, items),
`score()` a dot product, `ego()` the batch rows the L2 term regularises. The inductive models
also offer `inductive_encoder()`: an ONNX-exportable module with the fold-in signature
(item_idx, item_w, item_mask, friend_idx, friend_mask) -> user_emb that embeds a user from the
padded list of its items alone (friends are accepted and ignored), so a brand-new user gets an
embedding without retraining. All aggregations are dense over padded [N, K] tables (gather,
masked sum / max): no scatter, so the same code exports to ONNX.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

import warnings

from .graph import FriendGraph, _BlockMM, edge_aggregate, edge_softmax, sym_spmm
from .models import score
from .sampling import is_pair
from .walks import csr, sample_table


# --------------------------------------------------------------------------------------------
# NGCF (Wang et al. 2019)


class NGCFLayer(nn.Module):
    """E' = LeakyReLU((L + I) E W1 + (L E ⊙ E) W2): per edge the message W1 e_i + W2 (e_i ⊙ e_u)
    with weight 1/sqrt(|N_u||N_i|), plus the self message W1 e_u (the paper's eq. 3-5)."""

    def __init__(self, d_in: int, d_out: int, slope: float = 0.2):
        super().__init__()
        self.w1 = nn.Linear(d_in, d_out)
        self.w2 = nn.Linear(d_in, d_out)
        self.slope = slope
        nn.init.xavier_uniform_(self.w1.weight)
        nn.init.xavier_uniform_(self.w2.weight)
        nn.init.zeros_(self.w1.bias)
        nn.init.zeros_(self.w2.bias)

    def forward(self, adj: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        side = sym_spmm(adj, x)  # sum over neighbours of the normalised e_i
        return F.leaky_relu(self.w1(side + x) + self.w2(side * x), self.slope)


class NGCF(nn.Module):
    """Final embedding = [e^0 || e^1/|e^1| || ... || e^L/|e^L|] (concatenated, each layer L2
    normalised as the reference code does); message dropout on each layer's output."""

    trainable = True

    def __init__(self, n_users: int, n_items: int, adj: torch.Tensor, dim: int, layers: int, dropout: float = 0.1,
                 init_std: float = 0.1):
        super().__init__()
        self.n_users, self.n_items = n_users, n_items
        self.adj = adj
        self.emb = nn.Embedding(n_users + n_items, dim)
        nn.init.normal_(self.emb.weight, std=init_std)
        self.layers = nn.ModuleList([NGCFLayer(dim, dim) for _ in range(layers)])
        self.dropout = nn.Dropout(dropout)

    def to_device(self, device):
        self.adj = self.adj.to(device)
        return self.to(device)

    def embeddings(self):
        x = self.emb.weight
        outs = [x]
        for layer in self.layers:
            x = self.dropout(layer(self.adj, x))
            outs.append(F.normalize(x, dim=1))
        final = torch.cat(outs, dim=1)
        return final[: self.n_users], final[self.n_users:]

    def ego(self, users, pos, neg):
        w = self.emb.weight
        return w[users], w[pos + self.n_users], w[neg + self.n_users]

    score = staticmethod(score)


# --------------------------------------------------------------------------------------------
# GCN (Kipf & Welling 2017)


class GCNLayer(nn.Module):
    """H' = act(D̃^-1/2 (A + I) D̃^-1/2 H W + b)."""

    def __init__(self, d_in: int, d_out: int, activation: bool):
        super().__init__()
        self.lin = nn.Linear(d_in, d_out)
        nn.init.xavier_uniform_(self.lin.weight)
        nn.init.zeros_(self.lin.bias)
        self.activation = activation

    def forward(self, adj: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        # (Â X) W = Â (X W): propagate first, the width is the same.
        h = self.lin(sym_spmm(adj, x))
        return F.relu(h) if self.activation else h


class GCN(nn.Module):
    """Stacked GCN layers over the user-item graph with self-loops; ReLU between layers, none on
    the last (its output is the embedding that is scored)."""

    trainable = True

    def __init__(self, n_users: int, n_items: int, adj_self_loops: torch.Tensor, dim: int, layers: int,
                 init_std: float = 0.1):
        super().__init__()
        self.n_users, self.n_items = n_users, n_items
        self.adj = adj_self_loops
        self.emb = nn.Embedding(n_users + n_items, dim)
        nn.init.normal_(self.emb.weight, std=init_std)
        self.layers = nn.ModuleList([GCNLayer(dim, dim, activation=k < layers - 1) for k in range(layers)])

    def to_device(self, device):
        self.adj = self.adj.to(device)
        return self.to(device)

    def embeddings(self):
        x = self.emb.weight
        for layer in self.layers:
            x = layer(self.adj, x)
        return x[: self.n_users], x[self.n_users:]

    def ego(self, users, pos, neg):
        w = self.emb.weight
        return w[users], w[pos + self.n_users], w[neg + self.n_users]

    score = staticmethod(score)


# --------------------------------------------------------------------------------------------
# GAT (Veličković et al. 2018)


def gat_edges(n_users: int, n_items: int, user: np.ndarray, item: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """Directed edges (target, source) of the user-item graph plus self-loops, sorted by target."""
    n = n_users + n_items
    u = np.asarray(user, dtype=np.int64)
    i = np.asarray(item, dtype=np.int64) + n_users
    tgt = np.concatenate([u, i, np.arange(n)])
    src = np.concatenate([i, u, np.arange(n)])
    keys = np.unique(tgt * n + src)
    return torch.from_numpy(keys // n), torch.from_numpy(keys % n)


class GATLayer(nn.Module):
    """Per head h: alpha_ts = softmax over sources s of t (self included) of
    LeakyReLU(a_t·W h_t + a_s·W h_s); out_t = sum_s alpha_ts W h_s. Heads concatenated or averaged."""

    def __init__(self, d_in: int, d_head: int, heads: int, concat: bool, slope: float = 0.2):
        super().__init__()
        self.heads, self.d_head, self.concat, self.slope = heads, d_head, concat, slope
        self.lin = nn.Linear(d_in, heads * d_head, bias=False)
        self.att_tgt = nn.Parameter(torch.empty(heads, d_head))
        self.att_src = nn.Parameter(torch.empty(heads, d_head))
        self.bias = nn.Parameter(torch.zeros(heads * d_head if concat else d_head))
        nn.init.xavier_uniform_(self.lin.weight)
        nn.init.xavier_uniform_(self.att_tgt)
        nn.init.xavier_uniform_(self.att_src)

    def attention(self, x: torch.Tensor, g: FriendGraph) -> tuple[torch.Tensor, torch.Tensor]:
        """(alpha [E, H], projected features [N, H, d])."""
        wh = self.lin(x).view(-1, self.heads, self.d_head)
        s_t = (wh * self.att_tgt).sum(-1)
        s_s = (wh * self.att_src).sum(-1)
        logits = F.leaky_relu(s_t[g.src] + s_s[g.dst], self.slope)
        return edge_softmax(logits, g.src, x.shape[0]), wh

    def forward(self, x: torch.Tensor, g: FriendGraph) -> torch.Tensor:
        alpha, wh = self.attention(x, g)
        outs = [edge_aggregate(alpha[:, h].contiguous(), wh[:, h].contiguous(), g) for h in range(self.heads)]
        out = torch.cat(outs, dim=1) if self.concat else torch.stack(outs, 0).mean(0)
        return out + self.bias


class GAT(nn.Module):
    """Multi-head GAT over the user-item graph (self-loops included): hidden layers concatenate
    `heads` heads of dim/heads (ELU), the last layer averages `heads` heads of full width."""

    trainable = True

    def __init__(self, n_users: int, n_items: int, tgt: torch.Tensor, src: torch.Tensor, dim: int, layers: int,
                 heads: int = 4, init_std: float = 0.1):
        super().__init__()
        if dim % heads:
            raise ValueError(f"dim {dim} is not divisible by heads {heads}")
        self.n_users, self.n_items = n_users, n_items
        self.graph = FriendGraph(tgt, src, n_users + n_items)
        self.emb = nn.Embedding(n_users + n_items, dim)
        nn.init.normal_(self.emb.weight, std=init_std)
        self.layers = nn.ModuleList([
            GATLayer(dim, dim // heads, heads, concat=True) if k < layers - 1 else GATLayer(dim, dim, heads, concat=False)
            for k in range(layers)
        ])

    def to_device(self, device):
        self.graph = self.graph.to(device)
        return self.to(device)

    def embeddings(self):
        x = self.emb.weight
        for k, layer in enumerate(self.layers):
            x = layer(x, self.graph)
            if k < len(self.layers) - 1:
                x = F.elu(x)
        return x[: self.n_users], x[self.n_users:]

    def ego(self, users, pos, neg):
        w = self.emb.weight
        return w[users], w[pos + self.n_users], w[neg + self.n_users]

    score = staticmethod(score)


# --------------------------------------------------------------------------------------------
# Dense padded aggregation (shared by GraphSAGE, PinSage and their ONNX encoders)


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


class PaddedMean:
    """masked_mean over a padded table as one sparse [B, N] CSR matmul (rows sum to 1), with its
    transpose kept for the backward. Training uses it (a dense gather of [N, K, D] costs about 4x
    more on the CPU); the ONNX encoders use `masked_mean`, and the parity tests pin both equal."""

    def __init__(self, idx: torch.Tensor, w: torch.Tensor, mask: torch.Tensor, n_cols: int):
        ww = w * mask
        ww = ww / ww.sum(1, keepdim=True).clamp_min(1e-12)
        b, k = idx.shape
        keep = mask.reshape(-1) > 0
        rows = torch.arange(b, device=idx.device).repeat_interleave(k)[keep]
        cols, vals = idx.reshape(-1)[keep], ww.reshape(-1)[keep]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.m = torch.sparse_coo_tensor(torch.stack([rows, cols]), vals, (b, n_cols)).coalesce().to_sparse_csr()
            self.mt = torch.sparse_coo_tensor(torch.stack([cols, rows]), vals, (n_cols, b)).coalesce().to_sparse_csr()

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return _BlockMM.apply(self.m, self.mt, x)


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


class InputEncoder(nn.Module):
    """Node inputs: a projection of the node's features plus (optionally) a learned id embedding.

    Id dropout: while training, each node's id embedding is left out with probability p, so the
    layers learn to work from features and neighbours alone, as they must for a new node."""

    def __init__(self, n_nodes: int, n_features: int, dim: int, id_embeddings: bool, id_dropout: float,
                 init_std: float = 0.1):
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


# --------------------------------------------------------------------------------------------
# GraphSAGE (Hamilton et al. 2017), inductive


class GraphSAGE(nn.Module):
    """GraphSAGE over the user-item graph, one node table (users first), sampled neighbourhoods.

    Layer l of L reads a fresh sample of `fanouts[L - l]` neighbours per node (fan-outs listed from
    the target outwards, like the Cypher sampler: hop 1 = fanouts[0]); each node's sample is
    shared by every node that reads it, as the sampler de-duplicates its frontier. Training
    resamples every batch; evaluation uses one fixed seeded sample."""

    trainable = True

    def __init__(self, n_users: int, n_items: int, fit_user: np.ndarray, fit_item: np.ndarray, fit_weight: np.ndarray,
                 user_features: np.ndarray, item_features: np.ndarray, dim: int, fanouts=(10, 5),
                 aggregator: str = "mean", id_embeddings: bool = True, id_dropout: float = 0.2, seed: int = 0):
        super().__init__()
        self.n_users, self.n_items = n_users, n_items
        self.fanouts = tuple(int(k) for k in fanouts)
        self.register_buffer("user_features", torch.as_tensor(user_features, dtype=torch.float32))
        self.register_buffer("item_features", torch.as_tensor(item_features, dtype=torch.float32))
        self.user_in = InputEncoder(n_users, user_features.shape[1], dim, id_embeddings, id_dropout)
        self.item_in = InputEncoder(n_items, item_features.shape[1], dim, id_embeddings, id_dropout)
        n_layers = len(self.fanouts)
        self.layers = nn.ModuleList([SageLayer(dim, dim, aggregator, activation=k < n_layers - 1) for k in range(n_layers)])
        u = np.asarray(fit_user, dtype=np.int64)
        i = np.asarray(fit_item, dtype=np.int64) + n_users
        w = np.asarray(fit_weight, dtype=np.float64)
        self._csr = csr(np.concatenate([u, i]), np.concatenate([i, u]), n_users + n_items, np.concatenate([w, w]))
        self._rng = np.random.default_rng(seed)
        self._eval_tables = self._sample(np.random.default_rng(seed + 1))

    def _sample(self, rng) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
        dev = self.user_features.device
        tables = []
        for k in reversed(self.fanouts):  # innermost layer first
            idx, w, m = sample_table(*self._csr, k, rng)
            tables.append((torch.from_numpy(idx).to(dev), torch.from_numpy(w).to(dev), torch.from_numpy(m).to(dev)))
        return tables

    def to_device(self, device):
        self.to(device)
        self._eval_tables = [tuple(t.to(device) for t in tab) for tab in self._eval_tables]
        return self

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
        return h[: self.n_users], h[self.n_users:]

    def ego(self, users, pos, neg):
        z = torch.zeros(len(users), 1, device=users.device)
        if self.user_in.emb is None:
            return z, z, z
        return self.user_in.emb(users), self.item_in.emb(pos), self.item_in.emb(neg)

    @torch.no_grad()
    def inductive_encoder(self) -> "SageUserEncoder":
        was = self.training
        self.eval()
        states = self.layer_states()
        self.train(was)
        item_states = torch.stack([s[self.n_users:] for s in states[:-1]], 0)  # [L, I, D]
        return SageUserEncoder(self, item_states)

    score = staticmethod(score)


class SageUserEncoder(nn.Module):
    """A user's GraphSAGE embedding from its items alone (no id embedding: works for new users).

    h_u^0 = proj(degree feature of the given neighbourhood); h_u^l = layer_l(h_u^(l-1), AGG of the
    items' stored h^(l-1)): exactly the model's forward for a user whose samples are these items,
    with the items' states taken from the trained graph (its fixed evaluation sample)."""

    def __init__(self, model: GraphSAGE, item_states: torch.Tensor):
        super().__init__()
        import copy

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


# --------------------------------------------------------------------------------------------
# PinSage (Ying et al. 2018)


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


class PinSage(nn.Module):
    """Items: `layers` PinSage convolutions over the random-walk neighbourhoods (top-k by visits),
    then the dense head G2 ReLU(G1 z + g). Users: the user head applied to the weighted mean of the
    final embeddings of the user's items (+ an optional user id embedding), so a new user is
    embedded from its items. Hard negatives with a curriculum come from `hard_negatives()`."""

    trainable = True

    def __init__(self, n_users: int, n_items: int, walk_idx, walk_w, walk_mask, user_idx, user_w, user_mask,
                 item_features: np.ndarray, dim: int, layers: int = 2, id_embeddings: bool = True,
                 id_dropout: float = 0.2, hard: "HardNegatives | None" = None):
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

        self._ops()

    def _ops(self):
        self.walk_op = PaddedMean(self.walk_idx, self.walk_w, self.walk_mask, self.n_items)
        self.user_op = PaddedMean(self.user_idx, self.user_w, self.user_mask, self.n_items)

    def to_device(self, device):
        self.to(device)
        self._ops()
        return self

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

    def hard_negatives(self, users: np.ndarray, epoch: int, user_vecs, item_vecs) -> torch.Tensor | None:
        return None if self.hard is None else self.hard.draw(users, epoch, user_vecs, item_vecs)

    @torch.no_grad()
    def inductive_encoder(self) -> "PinSageUserEncoder":
        was = self.training
        self.eval()
        items = self.item_embeddings()
        self.train(was)
        return PinSageUserEncoder(self.user_head, items)

    score = staticmethod(score)


class PinSageUserEncoder(nn.Module):
    """user_emb = user_head(weighted mean of the final item embeddings of the given items)."""

    def __init__(self, user_head: nn.Linear, item_vectors: torch.Tensor):
        super().__init__()
        import copy

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

    def __init__(self, pos_keys: np.ndarray, n_items: int, max_hard: int, ramp_epochs: int, candidates: int,
                 rng: np.random.Generator):
        self.pos_keys, self.n_items = pos_keys, n_items
        self.max_hard, self.ramp_epochs, self.candidates, self.rng = max_hard, max(1, ramp_epochs), candidates, rng

    def count(self, epoch: int) -> int:
        return min(self.max_hard, max(0, epoch - 1) // self.ramp_epochs)

    @torch.no_grad()
    def draw(self, users: np.ndarray, epoch: int, user_vecs: torch.Tensor, item_vecs: torch.Tensor) -> torch.Tensor | None:
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

