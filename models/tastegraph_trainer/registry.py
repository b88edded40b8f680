"""The model registry: model name -> builder. A builder turns a configuration and a prepared split into
a model; the models themselves (zoo/) know nothing about datasets, the builders read the fit graph
(the validation pairs stay unseen) and hand the models sizes, graph tensors and samplers."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from .config import TrainConfig
from .events import log
from .features import node_features
from .graph import directed_friend_edges, normalized_bipartite_adjacency
from .loss import SocialWeights
from .prepare import Prepared
from .sampling import PairSet, SocialItemSampler
from .walks import csr, item_walks, read_pinsage_csv, sample_table
from .zoo import (
    GAT,
    GCN,
    MF,
    NGCF,
    DenoiseGCN,
    GraphSAGE,
    HardNegatives,
    LightGCN,
    MostPop,
    PinSage,
    Recommender,
    SocialGCN,
    gat_edges,
)

Builder = Callable[[TrainConfig, Prepared], Recommender]


def fit_adjacency(prep: Prepared, self_loops: bool = False) -> torch.Tensor:
    d = prep.data
    return normalized_bipartite_adjacency(
        d.n_users, d.n_items, prep.fit_user, prep.fit_item, prep.fit_weight, self_loops=self_loops
    )


def build_mostpop(cfg: TrainConfig, prep: Prepared) -> MostPop:
    d = prep.data
    return MostPop(d.n_users, d.n_items, np.bincount(prep.fit_item, minlength=d.n_items))


def build_mf(cfg: TrainConfig, prep: Prepared) -> MF:
    return MF(prep.data.n_users, prep.data.n_items, cfg.dim)


def build_lightgcn(cfg: TrainConfig, prep: Prepared) -> LightGCN:
    d = prep.data
    return LightGCN(d.n_users, d.n_items, fit_adjacency(prep), cfg.dim, cfg.layers)


def build_ngcf(cfg: TrainConfig, prep: Prepared) -> NGCF:
    d = prep.data
    return NGCF(d.n_users, d.n_items, fit_adjacency(prep), cfg.dim, cfg.layers, dropout=cfg.dropout)


def build_socialgcn(cfg: TrainConfig, prep: Prepared, denoise: bool = False) -> SocialGCN:
    d = prep.data
    adj = fit_adjacency(prep)
    src, dst = directed_friend_edges(prep.friend_a, prep.friend_b)
    social = SocialWeights(
        reg=cfg.social_reg,
        cl=cfg.social_cl,
        cl_temp=cfg.cl_temp,
        sbpr=cfg.sbpr,
        sbpr_mode=cfg.sbpr_mode,
        decay_epochs=cfg.social_decay_epochs,
    )
    social_items = None
    if cfg.sbpr > 0 and len(src):  # SBPR: a friend's item per positive, never one of the user's fit pairs
        social_items = SocialItemSampler(
            src,
            dst,
            prep.fit_user,
            prep.fit_item,
            d.n_users,
            PairSet(prep.fit_user, prep.fit_item, d.n_items),
            np.random.default_rng(cfg.seed + 19),
        )
    cls, extra = (
        (DenoiseGCN, {"edge_l0": cfg.edge_l0, "gate_bias_init": cfg.edge_gate_init}) if denoise else (SocialGCN, {})
    )
    return cls(
        d.n_users,
        d.n_items,
        adj,
        torch.from_numpy(src),
        torch.from_numpy(dst),
        cfg.dim,
        cfg.layers,
        heads=cfg.heads,
        gate_init=cfg.gate_init,
        fusion=cfg.fusion,
        gate_mode=cfg.gate_mode,
        attention_cap=cfg.attention_cap,
        social=social,
        social_items=social_items,
        **extra,
    )


def build_denoisegcn(cfg: TrainConfig, prep: Prepared) -> DenoiseGCN:
    return build_socialgcn(cfg, prep, denoise=True)


def build_gcn(cfg: TrainConfig, prep: Prepared) -> GCN:
    d = prep.data
    return GCN(d.n_users, d.n_items, fit_adjacency(prep, self_loops=True), cfg.dim, cfg.layers)


def build_gat(cfg: TrainConfig, prep: Prepared) -> GAT:
    d = prep.data
    tgt, src = gat_edges(d.n_users, d.n_items, prep.fit_user, prep.fit_item)
    return GAT(d.n_users, d.n_items, tgt, src, cfg.dim, cfg.layers, heads=cfg.gat_heads)


def _features(cfg: TrainConfig, prep: Prepared) -> tuple[np.ndarray, np.ndarray]:
    data_dir = cfg.data_dir if cfg.snapshot is None else None
    return node_features(prep.data, prep.fit_user, prep.fit_item, data_dir, cfg.tag_features)


def build_graphsage(cfg: TrainConfig, prep: Prepared) -> GraphSAGE:
    d = prep.data
    user_feat, item_feat = _features(cfg, prep)
    return GraphSAGE(
        d.n_users,
        d.n_items,
        prep.fit_user,
        prep.fit_item,
        prep.fit_weight,
        user_feat,
        item_feat,
        cfg.dim,
        fanouts=cfg.fanout_list(),
        aggregator=cfg.aggregator,
        id_embeddings=cfg.id_embeddings,
        id_dropout=cfg.id_dropout,
        seed=cfg.seed,
    )


def build_pinsage(cfg: TrainConfig, prep: Prepared) -> PinSage:
    """Item neighbourhoods from random walks over the fit graph (or the snapshot's Cypher walks)."""
    d = prep.data
    _, item_feat = _features(cfg, prep)
    rng = np.random.default_rng(cfg.seed + 11)
    t0 = time.perf_counter()
    walks = item_walks(
        prep.fit_user, prep.fit_item, d.n_users, d.n_items, cfg.walks, cfg.walk_length, rng, restart=cfg.walk_restart
    )
    if cfg.walk_source == "snapshot":
        w_idx, w_w, w_mask = read_pinsage_csv(Path(cfg.snapshot) / "pinsage.csv", d.n_items, cfg.walk_topk)
    else:
        w_idx, w_w, w_mask = walks.table(d.n_items, 0, cfg.walk_topk)
    log(
        f"pinsage: walks {cfg.walks}x{cfg.walk_length} from {d.n_items} items in {time.perf_counter() - t0:.1f}s, "
        f"mean neighbours {w_mask.sum(1).mean():.1f}"
    )
    u_idx, u_w, u_mask = sample_table(
        *csr(prep.fit_user, prep.fit_item, d.n_users, prep.fit_weight),
        cfg.user_fanout,
        np.random.default_rng(cfg.seed + 13),
    )
    pos_keys = np.unique(prep.fit_user.astype(np.int64) * d.n_items + prep.fit_item)
    hard = (
        HardNegatives(
            pos_keys, d.n_items, cfg.hard_max, cfg.hard_ramp_epochs, cfg.hard_pool, np.random.default_rng(cfg.seed + 17)
        )
        if cfg.hard_max > 0
        else None
    )
    return PinSage(
        d.n_users,
        d.n_items,
        w_idx,
        w_w,
        w_mask,
        u_idx,
        u_w,
        u_mask,
        item_feat,
        cfg.dim,
        layers=cfg.layers,
        id_embeddings=cfg.id_embeddings,
        id_dropout=cfg.id_dropout,
        hard=hard,
    )


MODEL_BUILDERS: dict[str, Builder] = {
    "mostpop": build_mostpop,
    "mf": build_mf,
    "lightgcn": build_lightgcn,
    "socialgcn": build_socialgcn,
    "denoisegcn": build_denoisegcn,
    "ngcf": build_ngcf,
    "gcn": build_gcn,
    "gat": build_gat,
    "graphsage": build_graphsage,
    "pinsage": build_pinsage,
}


def build_model(cfg: TrainConfig, prep: Prepared) -> Recommender:
    """The model `cfg.model` names, built from `prep`'s fit graph."""
    return MODEL_BUILDERS[cfg.model](cfg, prep)
