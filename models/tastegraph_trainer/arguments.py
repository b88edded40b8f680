"""The `train` flags: argparse into the TrainConfig dataclass."""

from __future__ import annotations

import argparse

from .config import AGGREGATORS, DATASETS, EDGE_WEIGHTS, FUSIONS, MODELS, NEGATIVES, TrainConfig, config_from_dict


def add_train_arguments(p: argparse.ArgumentParser) -> None:
    d = TrainConfig()
    p.add_argument("--model", required=True, choices=MODELS)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--snapshot", metavar="DIR", help="TasteGraph snapshot folder (see models/SNAPSHOT_FORMAT.md)")
    src.add_argument("--dataset", choices=DATASETS, help="a benchmark dataset")
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="dataset folder (default: $TASTEGRAPH_DATASETS/NAME or ../shared/datasets/NAME)",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="run folder for the artifacts")
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--batch-size", type=int, default=d.batch_size)
    p.add_argument("--dim", type=int, default=d.dim)
    p.add_argument("--layers", type=int, default=d.layers)
    p.add_argument("--lr", type=float, default=d.lr)
    p.add_argument(
        "--lr-decay",
        type=float,
        default=d.lr_decay,
        help="multiply the learning rate by this when validation Recall@20 stalls (0 = constant; floor lr/100)",
    )
    p.add_argument(
        "--lr-decay-patience",
        type=int,
        default=d.lr_decay_patience,
        help="validation runs without improvement tolerated before each --lr-decay step",
    )
    p.add_argument(
        "--lr-decay-min-gain",
        type=float,
        default=d.lr_decay_min_gain,
        help="for --lr-decay, a relative rise of the best validation Recall@20 below this counts as a stall",
    )
    p.add_argument("--l2", type=float, default=d.l2, help="weight of the L2 term on layer-0 embeddings")
    p.add_argument("--negatives", choices=NEGATIVES, default=d.negatives)
    p.add_argument(
        "--hard-candidates", type=int, default=d.hard_candidates, help="candidates per positive for --negatives hard"
    )
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--device", default=d.device, help="auto, cpu or cuda[:N]")
    p.add_argument("--threads", type=int, default=d.threads, help="CPU threads (0 = all cores)")
    p.add_argument("--val-fraction", type=float, default=d.val_fraction)
    p.add_argument("--eval-every", type=int, default=d.eval_every, help="epochs between validation runs")
    p.add_argument(
        "--patience", type=int, default=d.patience, help="validation runs without improvement before stopping"
    )
    p.add_argument("--max-minutes", type=float, default=d.max_minutes, help="wall budget for training (0 = none)")
    p.add_argument(
        "--checkpoint-every",
        type=int,
        default=d.checkpoint_every,
        metavar="N",
        help="write OUT/checkpoint.pt every N epochs and when training stops (0 = never)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue from OUT/checkpoint.pt (same settings; --epochs, --max-minutes, --patience may change)",
    )
    p.add_argument(
        "--refit-epochs",
        type=int,
        default=d.refit_epochs,
        metavar="N",
        help="after selection on validation, train N more epochs on every training pair (validation "
        "pairs included); test metrics before and after are both reported",
    )
    p.add_argument(
        "--refit-lr", type=float, default=d.refit_lr, help="learning rate of the refit (0 = the best epoch's)"
    )
    p.add_argument(
        "--holdout-users", type=int, default=d.holdout_users, help="users left out of training and folded in afterwards"
    )
    p.add_argument(
        "--holdout-mode",
        choices=("foldin", "inplace"),
        default=d.holdout_mode,
        help="inplace: pick the same users but train on them, to compare with fold-in",
    )
    p.add_argument("--friend-min-overlap", type=float, default=d.friend_min_overlap)
    p.add_argument("--attention-threshold", type=float, default=d.attention_threshold)
    p.add_argument("--attention-topk", type=int, default=d.attention_topk)
    p.add_argument(
        "--time-decay-lambda", type=float, default=d.time_decay_lambda, help="edge weight *= exp(-lambda * age in days)"
    )
    p.add_argument(
        "--edge-weight",
        choices=EDGE_WEIGHTS,
        default=d.edge_weight,
        help="binary: LightGCN's 0/1 graph; weight: interaction weight (snapshot) or row count",
    )
    p.add_argument("--heads", type=int, default=d.heads)
    p.add_argument(
        "--gate-init",
        type=float,
        default=d.gate_init,
        help="SocialGCN gate bias at start: sigmoid(-2) = 0.12 of the social view",
    )
    p.add_argument(
        "--fusion",
        choices=FUSIONS,
        default=d.fusion,
        help="SocialGCN per-layer fusion: gate = g*r + (1-g)*s; residual = r + g*s; "
        "parallel = r + g*s on the user's layer output while propagation continues from r",
    )
    p.add_argument(
        "--gate-mode",
        choices=("user", "layer"),
        default=d.gate_mode,
        help="SocialGCN gate: user = sigmoid(W[r;s]+b) per user and dimension; layer = sigmoid(b) per layer and dimension",
    )
    p.add_argument(
        "--attention-cap",
        type=float,
        default=d.attention_cap,
        help="SocialGCN: bound attention logits to (-c, c) with c*tanh(x/c); 0 = unbounded",
    )
    p.add_argument(
        "--edge-l0",
        type=float,
        default=d.edge_l0,
        help="DenoiseGCN: weight of the L0 penalty (expected share of open friend-edge gates)",
    )
    p.add_argument(
        "--edge-gate-init", type=float, default=d.edge_gate_init, help="DenoiseGCN: initial friend-edge gate logit"
    )
    p.add_argument(
        "--social-reg",
        type=float,
        default=d.social_reg,
        help="SocialGCN: weight of the social regularisation sum_v a_uv ||x_u - x_v||^2 on final user vectors (0 = off)",
    )
    p.add_argument(
        "--social-cl",
        type=float,
        default=d.social_cl,
        help="SocialGCN: weight of the cross-view InfoNCE between a user and its friends' attention mean (0 = off)",
    )
    p.add_argument("--cl-temp", type=float, default=d.cl_temp, help="SocialGCN: InfoNCE temperature for --social-cl")
    p.add_argument(
        "--sbpr",
        type=float,
        default=d.sbpr,
        help="SocialGCN: weight of the SBPR terms (a friend's item ranks between own positive and negative; 0 = off)",
    )
    p.add_argument(
        "--social-decay-epochs",
        type=int,
        default=d.social_decay_epochs,
        help="SocialGCN: the --social-reg/--social-cl/--sbpr weights fall linearly to 0 over N epochs (0 = constant)",
    )
    p.add_argument(
        "--sbpr-mode",
        choices=("full", "weak"),
        default=d.sbpr_mode,
        help="full: x_ui > x_uk > x_uj (SBPR); weak: only x_uk > x_uj (friends' items as weak positives)",
    )
    p.add_argument("--eval-batch", type=int, default=d.eval_batch)
    p.add_argument(
        "--eval-users",
        type=int,
        default=d.eval_users,
        help="validation and test rank a seeded sample of at most this many users each (0 = all): "
        "ranking costs users x items (189k x 1.76M at the 100x rung)",
    )
    p.add_argument("--no-export", dest="export", action="store_false", help="skip the ONNX and embedding exports")
    p.add_argument(
        "--friends-beta",
        default=d.friends_beta,
        metavar="auto|off|B",
        help="weight of friends' picks in serving (metrics.json friends_blend): auto = picked on validation "
        "(0 when they do not help), off = not measured, B >= 0 = this weight",
    )
    z = p.add_argument_group("model zoo (ngcf, gcn, gat, graphsage, pinsage)")
    z.add_argument("--dropout", type=float, default=d.dropout, help="NGCF message dropout")
    z.add_argument(
        "--gat-heads", type=int, default=d.gat_heads, help="GAT heads (hidden: concatenated, last: averaged)"
    )
    z.add_argument(
        "--fanouts", default=d.fanouts, help="GraphSAGE neighbours sampled per hop, from the target outwards"
    )
    z.add_argument("--aggregator", choices=AGGREGATORS, default=d.aggregator, help="GraphSAGE aggregator")
    z.add_argument(
        "--no-id-embeddings",
        dest="id_embeddings",
        action="store_false",
        help="GraphSAGE/PinSage: node inputs from features only (no learned id embedding)",
    )
    z.add_argument(
        "--id-dropout",
        type=float,
        default=d.id_dropout,
        help="GraphSAGE/PinSage: drop a node's id embedding with this probability while training",
    )
    z.add_argument(
        "--tag-features", type=int, default=d.tag_features, help="item input features: the N most used tags (0 = none)"
    )
    z.add_argument("--walks", type=int, default=d.walks, help="PinSage: random walks per item")
    z.add_argument("--walk-length", type=int, default=d.walk_length, help="PinSage: item->user->item steps per walk")
    z.add_argument(
        "--walk-topk", type=int, default=d.walk_topk, help="PinSage: neighbours kept per item (top by visits)"
    )
    z.add_argument("--walk-restart", type=float, default=d.walk_restart, help="PinSage: restart probability per step")
    z.add_argument(
        "--walk-source",
        choices=("python", "snapshot"),
        default=d.walk_source,
        help="PinSage: walk the fit graph here (python) or read the snapshot's pinsage.csv (the Cypher walks)",
    )
    z.add_argument(
        "--hard-max", type=int, default=d.hard_max, help="PinSage: most hard negatives per positive (curriculum)"
    )
    z.add_argument(
        "--hard-ramp-epochs",
        type=int,
        default=d.hard_ramp_epochs,
        help="PinSage: one more hard negative every N epochs",
    )
    z.add_argument(
        "--hard-pool",
        type=int,
        default=d.hard_pool,
        help="PinSage: each hard negative is the best-scoring of N uniform non-positive items",
    )
    z.add_argument(
        "--user-fanout", type=int, default=d.user_fanout, help="PinSage: items pooled per user (sampled once)"
    )


def config_from_args(ns: argparse.Namespace) -> TrainConfig:
    return config_from_dict(vars(ns))
