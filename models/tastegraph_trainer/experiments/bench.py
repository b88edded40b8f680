"""`bench`: train LightGCN and SocialGCN on lastfm on the CPU; progress on stderr, ONE JSON line on stdout.

When a GPU is visible (or with --compare-device cpu), the line also carries `gowalla_vs_pyg`: our
LightGCN against PyTorch Geometric's on gowalla, per-epoch time and test Recall@20 (pyg_compare.py).

The figures: wall time until the best validation Recall@20 was reached (the run keeps going
until patience or its budget runs out; that tail is reported as train_wall_s), the validation
and test metrics of the selected epoch, and the machine. MostPop is measured beside them as the
floor every model must beat.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from .pyg_compare import bench_section
from .settings import BENCH_DEFAULTS


def add_bench_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dataset", default="lastfm", choices=("lastfm", "ciao", "gowalla"))
    p.add_argument("--data-dir", metavar="DIR")
    p.add_argument("--models", default="lightgcn,socialgcn", help="comma-separated, from mf, lightgcn, socialgcn")
    p.add_argument("--max-minutes", type=float, default=5.0, help="wall budget per model")
    p.add_argument("--epochs", type=int, default=2000)
    p.add_argument("--eval-every", type=int, default=5)
    p.add_argument("--patience", type=int, default=8)
    p.add_argument("--batch-size", type=int, default=0, help="0 = the measured default per model")
    p.add_argument("--lr", type=float, default=0.0, help="0 = the measured default per model")
    p.add_argument("--seed", type=int, default=2020)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--out", metavar="DIR", help="keep the run folders here (default: a temporary folder)")
    p.add_argument("--export", action="store_true", help="also write the ONNX and embedding artifacts")
    p.add_argument(
        "--refit-epochs",
        type=int,
        default=0,
        help="after selection, this many epochs over every training pair (the trainer's --refit-epochs); "
        "test is then the refit model's, and the selected model's is reported beside it",
    )
    p.add_argument(
        "--attention-topk",
        type=int,
        default=10,
        help="SocialGCN: the filtered variant keeps each user's top-k friends (both variants are reported)",
    )
    p.add_argument(
        "--friend-min-overlap",
        type=float,
        default=0.1,
        help="SocialGCN: drop friend pairs whose item overlap (Jaccard) is below this before training",
    )
    p.add_argument("--fusion", default="", help="SocialGCN fusion (default: the trainer's)")
    p.add_argument(
        "--gate-init", type=float, default=None, help="SocialGCN gate bias at start (default: the trainer's)"
    )
    g = p.add_argument_group("gowalla: our LightGCN vs PyTorch Geometric's (models/README.md, 'GPU benchmark')")
    g.add_argument(
        "--compare-device",
        default="auto",
        choices=("auto", "cuda", "cpu", "off"),
        help="auto/cuda: run the comparison when a GPU is visible, else report it skipped; "
        "cpu: force it on the CPU (smoke tests); off: skip it",
    )
    g.add_argument(
        "--compare-epochs", type=int, default=20, help="epochs each side trains (evaluated once, at the end)"
    )
    g.add_argument(
        "--compare-max-users",
        type=int,
        default=0,
        help="smoke tests only: train and test on this many random gowalla users (0 = all)",
    )
    g.add_argument(
        "--compare-data-dir",
        metavar="DIR",
        help="gowalla folder (default: --data-dir with --only-compare, else $TASTEGRAPH_DATASETS/gowalla "
        "or ../shared/datasets/gowalla)",
    )
    g.add_argument(
        "--only-compare", action="store_true", help="skip the lastfm CPU part; run only the gowalla comparison"
    )


def machine_info() -> dict:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    gpu = None
    try:
        import torch

        if torch.cuda.is_available():
            gpu = torch.cuda.get_device_name(0)
        torch_version = torch.__version__
    except Exception:  # pragma: no cover - reporting only
        torch_version = None
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "gpu": gpu,
        "python": platform.python_version(),
        "torch": torch_version,
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def run_bench(args) -> dict:
    from ..config import ConfigError, TrainConfig
    from ..events import EventWriter, log
    from ..train import run

    models = [m.strip() for m in args.models.split(",") if m.strip()]
    for m in models:
        if m not in BENCH_DEFAULTS:
            raise ConfigError(f"--models: unknown model {m!r}")
    if args.compare_epochs < 1:
        raise ConfigError("--compare-epochs: must be >= 1")
    if args.compare_max_users < 0:
        raise ConfigError("--compare-max-users: must be >= 0 (0 = all users)")
    root = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="tastegraph-bench-"))
    progress = EventWriter(sys.stderr)  # the trainer's events become progress lines
    results: dict = {}
    started = time.perf_counter()
    for name in [] if args.only_compare else ["mostpop", *models]:
        d = BENCH_DEFAULTS.get(name, {"batch_size": 4096, "lr": 5e-3})
        cfg = TrainConfig(
            model=name,
            out=str(root / name),
            dataset=args.dataset,
            data_dir=args.data_dir,
            epochs=args.epochs,
            eval_every=args.eval_every,
            patience=args.patience,
            batch_size=args.batch_size or d["batch_size"],
            lr=args.lr or d["lr"],
            max_minutes=args.max_minutes,
            seed=args.seed,
            device=args.device,
            threads=args.threads,
            export=args.export,
            refit_epochs=0 if name == "mostpop" else args.refit_epochs,
        )
        if name == "socialgcn":
            cfg.attention_topk = args.attention_topk
            cfg.friend_min_overlap = args.friend_min_overlap
            if args.fusion:
                cfg.fusion = args.fusion
            if args.gate_init is not None:
                cfg.gate_init = args.gate_init
        cfg.validate()
        log(f"bench: {name} (batch {cfg.batch_size}, lr {cfg.lr}, budget {cfg.max_minutes} min)")
        m = run(cfg, progress)
        t = m["timings"]
        results[name] = {
            "time_to_best_s": t.get("time_to_best_s"),
            "train_wall_s": t.get("train_wall_s"),
            "best_epoch": m["best_epoch"],
            "epochs_run": t.get("epochs_run"),
            "s_per_epoch": t.get("s_per_epoch"),
            "stop_reason": t.get("stop_reason"),
            "val_recall@20": (m.get("validation") or {}).get("recall@20"),
            "test": {k: v for k, v in m["test"].items() if k != "cold_start"},
            "test_cold_start": m["test"].get("cold_start"),
            "config": {"batch_size": cfg.batch_size, "lr": cfg.lr, "dim": cfg.dim, "layers": cfg.layers, "l2": cfg.l2},
        }
        if "refit" in m:
            r = m["refit"]
            results[name]["refit"] = {
                "epochs": r["epochs"],
                "lr": r["lr"],
                "wall_s": r["wall_s"],
                "test_selected_recall@20": r["test_selected"]["recall@20"],
                "test_selected_ndcg@20": r["test_selected"]["ndcg@20"],
                "test_full_graph_recall@20": r["test_full_graph"]["recall@20"],
            }
        if "friends_blend" in m:  # what serving ranks: the model plus friends' picks at the weight picked on validation
            fb = m["friends_blend"]
            results[name]["friends_blend"] = {
                "beta": fb["beta"],
                "test_recall@20": fb["test"]["recall@20"],
                "test_ndcg@20": fb["test"]["ndcg@20"],
                "over_model_recall@20": fb["test_recall@20_vs_run"],
            }
        if "test_unfiltered" in m:
            strip = lambda d: {k: v for k, v in d.items() if k != "cold_start"}  # noqa: E731
            results[name]["test_unfiltered"] = strip(m["test_unfiltered"])
            results[name]["test_filtered"] = strip(m["test_filtered"])
            results[name]["friend_edges"] = m.get("friend_edges")
            results[name]["config"].update(
                {
                    "fusion": cfg.fusion,
                    "gate_init": cfg.gate_init,
                    "attention_topk": cfg.attention_topk,
                    "friend_min_overlap": cfg.friend_min_overlap,
                }
            )
    compare = bench_section(args, root, progress)
    line = {
        "bench": "train",
        "dataset": None if args.only_compare else args.dataset,
        "protocol": "full ranking, train items masked, best epoch on a 10% validation split of train, test metrics of that epoch"
        + (
            f"; then {args.refit_epochs} epochs over every training pair, test = the refit model's"
            if args.refit_epochs
            else ""
        ),
        "machine": machine_info(),
        "models": results,
        "gowalla_vs_pyg": compare,
        "total_s": round(time.perf_counter() - started, 1),
    }
    if "lightgcn" in results and "socialgcn" in results:
        lg = results["lightgcn"]["test"]["recall@20"]
        sg = results["socialgcn"]
        for variant in ("test", "test_unfiltered", "test_filtered"):
            if variant in sg and lg:
                line[f"socialgcn_{variant}_over_lightgcn_recall@20"] = round(sg[variant]["recall@20"] / lg, 4)
    print(json.dumps(line, separators=(",", ":")), flush=True)
    return line
