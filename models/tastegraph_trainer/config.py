"""Training configuration: a dataclass validated once (its flags: arguments.py)."""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

MODELS = ("mostpop", "mf", "lightgcn", "socialgcn", "denoisegcn", "ngcf", "gcn", "gat", "graphsage", "pinsage")
INDUCTIVE_MODELS = ("graphsage", "pinsage")
REFIT_MODELS = ("mf", "lightgcn", "ngcf", "socialgcn", "denoisegcn")  # models built from the fit graph alone
AGGREGATORS = ("mean", "pool")
DATASETS = ("lastfm", "ciao", "gowalla")
NEGATIVES = ("uniform", "popularity", "hard")
EDGE_WEIGHTS = ("binary", "weight")
FUSIONS = ("gate", "residual", "parallel")


class ConfigError(ValueError):
    """A bad configuration: the trainer exits with code 2, no retry."""


def default_datasets_dir() -> Path:
    env = os.environ.get("TASTEGRAPH_DATASETS")
    if env:
        return Path(env)
    # models/tastegraph_trainer/config.py -> repo root is parents[2]; shared/ sits beside the repo
    return Path(__file__).resolve().parents[2].parent / "shared" / "datasets"


@dataclass
class TrainConfig:
    model: str = "lightgcn"
    out: str = ""
    snapshot: str | None = None
    dataset: str | None = None
    data_dir: str | None = None
    epochs: int = 1000
    batch_size: int = 2048
    dim: int = 64
    layers: int = 3
    lr: float = 1e-3
    lr_decay: float = 0.0
    lr_decay_patience: int = 2
    lr_decay_min_gain: float = 0.0
    l2: float = 1e-4
    negatives: str = "uniform"
    hard_candidates: int = 16
    seed: int = 2020
    device: str = "auto"
    threads: int = 0
    val_fraction: float = 0.1
    eval_every: int = 5
    patience: int = 10
    max_minutes: float = 0.0
    checkpoint_every: int = 0  # epochs between <out>/checkpoint.pt writes (0 = none); also written when training stops
    resume: bool = False  # continue from <out>/checkpoint.pt when there is one
    refit_epochs: int = 0  # after selection, epochs over every training pair (validation pairs included)
    refit_lr: float = 0.0  # their learning rate (0 = the best epoch's)
    holdout_users: int = 0
    holdout_mode: str = "foldin"
    friend_min_overlap: float = 0.0
    attention_threshold: float = 0.0
    attention_topk: int = 0
    time_decay_lambda: float = 0.0
    edge_weight: str = "binary"
    heads: int = 1
    gate_init: float = -2.0
    fusion: str = "parallel"
    gate_mode: str = "layer"
    attention_cap: float = 2.0
    social_reg: float = 0.0
    edge_l0: float = 1e-3  # DenoiseGCN: weight of the expected number of open friend-edge gates
    edge_gate_init: float = 3.0  # DenoiseGCN: initial gate logit (3: nearly every edge open at start)
    social_cl: float = 0.0
    cl_temp: float = 0.2
    social_decay_epochs: int = 0
    sbpr: float = 0.0
    sbpr_mode: str = "full"
    eval_batch: int = 1024
    eval_users: int = 0  # validation and test rank at most this many users each (a seeded sample); 0 = all
    export: bool = True
    friends_beta: str = "auto"  # weight of friends' picks in serving: auto (picked on validation), off, or a number
    # the model zoo (models/README.md, "Model zoo")
    dropout: float = 0.1
    gat_heads: int = 4
    fanouts: str = "10,5"
    aggregator: str = "mean"
    id_embeddings: bool = True
    id_dropout: float = 0.2
    tag_features: int = 64
    walks: int = 20
    walk_length: int = 4
    walk_topk: int = 10
    walk_restart: float = 0.0
    walk_source: str = "python"
    hard_max: int = 2
    hard_ramp_epochs: int = 10
    hard_pool: int = 32
    user_fanout: int = 50

    def fanout_list(self) -> list[int]:
        return [int(x) for x in str(self.fanouts).split(",") if x.strip()]

    def fixed_friends_beta(self) -> float | None:
        """--friends-beta as a number, or None (auto, off, or not a number >= 0)."""
        try:
            beta = float(self.friends_beta)
        except (TypeError, ValueError):
            return None
        return beta if math.isfinite(beta) and beta >= 0 else None

    def validate(self) -> TrainConfig:
        def bad(field: str, why: str):
            raise ConfigError(f"--{field.replace('_', '-')}: {why}")

        if self.model not in MODELS:
            bad("model", f"must be one of {', '.join(MODELS)}")
        if not self.out:
            bad("out", "is required")
        if (self.snapshot is None) == (self.dataset is None):
            bad("snapshot", "give exactly one of --snapshot DIR or --dataset NAME")
        if self.dataset is not None and self.dataset not in DATASETS:
            bad("dataset", f"must be one of {', '.join(DATASETS)}")
        if self.friends_beta not in ("auto", "off") and self.fixed_friends_beta() is None:
            bad("friends_beta", f"must be auto, off or a number >= 0, got {self.friends_beta!r}")
        src = self.snapshot if self.snapshot is not None else (self.data_dir or "")
        if self.dataset is not None and not self.data_dir:
            self.data_dir = str(default_datasets_dir() / self.dataset)
            src = self.data_dir
        if not Path(src).is_dir():
            bad("snapshot" if self.snapshot is not None else "data-dir", f"{src!r} is not a directory")
        if self.checkpoint_every < 0:
            bad("checkpoint_every", "must be >= 0")
        if self.refit_epochs < 0 or self.refit_lr < 0:
            bad("refit_epochs" if self.refit_epochs < 0 else "refit_lr", "must be >= 0")
        if self.refit_epochs and self.model not in REFIT_MODELS:
            bad("refit_epochs", f"supported for {', '.join(REFIT_MODELS)}")
        for name in ("epochs", "batch_size", "dim", "eval_every", "patience", "heads", "hard_candidates", "eval_batch"):
            if getattr(self, name) < 1:
                bad(name, "must be >= 1")
        if self.layers < 0:
            bad("layers", "must be >= 0")
        if self.eval_users < 0:
            bad("eval_users", "must be >= 0 (0 = every user)")
        if not self.lr > 0:
            bad("lr", "must be > 0")
        if not 0 <= self.lr_decay < 1:
            bad("lr_decay", "must be in [0, 1) (0 = constant learning rate)")
        if self.lr_decay_patience < 0:
            bad("lr_decay_patience", "must be >= 0")
        if self.lr_decay_min_gain < 0:
            bad("lr_decay_min_gain", "must be >= 0")
        if self.l2 < 0:
            bad("l2", "must be >= 0")
        if self.negatives not in NEGATIVES:
            bad("negatives", f"must be one of {', '.join(NEGATIVES)}")
        if self.edge_weight not in EDGE_WEIGHTS:
            bad("edge-weight", f"must be one of {', '.join(EDGE_WEIGHTS)}")
        if self.device not in ("auto", "cpu", "cuda") and not self.device.startswith("cuda:"):
            bad("device", "must be auto, cpu or cuda[:N]")
        if self.device.startswith("cuda"):
            import torch

            if not torch.cuda.is_available():
                bad("device", "cuda requested but no CUDA device is available")
        if not 0 <= self.val_fraction < 1:
            bad("val_fraction", "must be in [0, 1)")
        if self.model != "mostpop" and self.val_fraction == 0:
            bad("val_fraction", "must be > 0 for trained models (early stopping needs a validation split)")
        if self.max_minutes < 0:
            bad("max_minutes", "must be >= 0 (0 = no limit)")
        if self.holdout_users < 0:
            bad("holdout_users", "must be >= 0")
        if self.holdout_mode not in ("foldin", "inplace"):
            bad("holdout_mode", "must be foldin or inplace")
        if not 0 <= self.friend_min_overlap <= 1:
            bad("friend_min_overlap", "must be in [0, 1]")
        if not 0 <= self.attention_threshold <= 1:
            bad("attention_threshold", "must be in [0, 1]")
        if self.attention_topk < 0:
            bad("attention_topk", "must be >= 0 (0 = no limit)")
        if self.time_decay_lambda < 0:
            bad("time_decay_lambda", "must be >= 0")
        if self.fusion not in FUSIONS:
            bad("fusion", f"must be one of {', '.join(FUSIONS)}")
        if self.gate_mode not in ("user", "layer"):
            bad("gate_mode", "must be user or layer")
        if self.edge_l0 < 0:
            bad("edge_l0", "must be >= 0")
        if not -20 <= self.edge_gate_init <= 20:
            bad("edge_gate_init", "must be in [-20, 20]")
        if self.attention_cap < 0:
            bad("attention_cap", "must be >= 0 (0 = unbounded)")
        for name in ("social_reg", "social_cl", "sbpr"):
            if getattr(self, name) < 0:
                bad(name, "must be >= 0 (0 = off)")
        if self.social_decay_epochs < 0:
            bad("social_decay_epochs", "must be >= 0 (0 = constant weights)")
        if self.sbpr_mode not in ("full", "weak"):
            bad("sbpr_mode", "must be full or weak")
        if not self.cl_temp > 0:
            bad("cl_temp", "must be > 0")
        if self.threads < 0:
            bad("threads", "must be >= 0 (0 = all cores)")
        if not 0 <= self.dropout < 1:
            bad("dropout", "must be in [0, 1)")
        if not 0 <= self.id_dropout < 1:
            bad("id_dropout", "must be in [0, 1)")
        try:
            fan = self.fanout_list()
        except ValueError:
            fan = []
        if not fan or len(fan) > 3 or any(k < 1 or k > 50 for k in fan):
            bad("fanouts", "must be 1 to 3 comma-separated integers in 1..50, e.g. 10,5")
        if self.aggregator not in AGGREGATORS:
            bad("aggregator", f"must be one of {', '.join(AGGREGATORS)}")
        if self.model == "gat" and (self.gat_heads < 1 or self.dim % self.gat_heads):
            bad("gat_heads", f"must be >= 1 and divide --dim {self.dim}")
        for name in ("walks", "walk_length", "walk_topk", "hard_ramp_epochs", "user_fanout", "hard_pool"):
            if getattr(self, name) < 1:
                bad(name, "must be >= 1")
        for name in ("tag_features", "hard_max"):
            if getattr(self, name) < 0:
                bad(name, "must be >= 0")
        if not 0 <= self.walk_restart < 1:
            bad("walk_restart", "must be in [0, 1)")
        if self.walk_source not in ("python", "snapshot"):
            bad("walk_source", "must be python or snapshot")
        if self.walk_source == "snapshot" and (
            self.snapshot is None or not (Path(self.snapshot) / "pinsage.csv").exists()
        ):
            bad("walk_source", "snapshot needs --snapshot DIR with a pinsage.csv (npm run snapshot -- --pinsage)")
        if self.model in ("ngcf", "gcn", "gat", "pinsage") and self.layers < 1:
            bad("layers", f"must be >= 1 for {self.model}")
        return self

    def to_dict(self) -> dict:
        return asdict(self)


def config_from_dict(values: dict) -> TrainConfig:
    """A validated TrainConfig from any mapping (parsed flags, a run's config.json); other keys are ignored."""
    names = {f.name for f in fields(TrainConfig)}
    return TrainConfig(**{k: v for k, v in values.items() if k in names}).validate()
