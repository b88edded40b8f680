"""`report`: train every model of the zoo under one protocol and a per-model time budget, and
write the comparison (Markdown + PNG) that renders on a repository page.

One command builds everything the report shows: the table (test Recall/NDCG@10/20 of the
best-validation epoch, the cold-start slice, the held-out users folded in / encoded inductively,
training time, parameter count), metric bars, training curves and the over-smoothing study
(Recall@20 by number of layers for LightGCN and GCN). Progress on stderr; ONE JSON line of
figures on stdout at the end (bench convention, shared/EVALUATION.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .report_render import render_markdown, render_plots

REPO_ROOT = Path(__file__).resolve().parents[3]  # models/tastegraph_trainer/experiments/report.py

# label -> (trainer model, overrides). Batch 4096 / lr 5e-3 as the measured bench; slower models
# are validated more often so that a short budget still sees several checkpoints.
VARIANTS: dict[str, tuple[str, dict]] = {
    "MostPop": ("mostpop", {}),
    "MF": ("mf", {"eval_every": 5}),
    "LightGCN": ("lightgcn", {"eval_every": 5}),
    "SocialGCN": ("socialgcn", {"eval_every": 5, "friend_min_overlap": 0.1, "attention_topk": 10}),
    "NGCF": ("ngcf", {"eval_every": 2}),
    "GCN": ("gcn", {"eval_every": 3}),
    "GAT": ("gat", {"eval_every": 2, "layers": 2}),
    "GraphSAGE-mean": ("graphsage", {"eval_every": 2, "aggregator": "mean"}),
    "GraphSAGE-pool": ("graphsage", {"eval_every": 2, "aggregator": "pool"}),
    "PinSage": ("pinsage", {"eval_every": 2, "layers": 2}),
}
SMOOTHING = {"LightGCN": ("lightgcn", {"eval_every": 5}), "GCN": ("gcn", {"eval_every": 3})}


def add_report_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--datasets", default="lastfm", help="comma-separated, from lastfm, ciao")
    p.add_argument(
        "--data-root", metavar="DIR", help="folder holding the dataset folders (default: ../shared/datasets)"
    )
    p.add_argument("--models", default=",".join(VARIANTS), help=f"comma-separated labels from {', '.join(VARIANTS)}")
    p.add_argument("--budget-minutes", type=float, default=2.5, help="training wall budget per model")
    p.add_argument("--smoothing-layers", default="1,2,3,4", help="layers for the over-smoothing study ('' = skip)")
    p.add_argument(
        "--smoothing-epochs",
        type=int,
        default=30,
        help="epochs per smoothing run: the same for every depth, so deeper models are not cut short by time",
    )
    p.add_argument("--smoothing-budget-minutes", type=float, default=2.0, help="wall cap per smoothing run (safety)")
    p.add_argument(
        "--holdout-users", type=int, default=200, help="users left out of training, then folded in / encoded"
    )
    p.add_argument("--batch-size", type=int, default=4096)
    p.add_argument("--lr", type=float, default=5e-3)
    p.add_argument("--patience", type=int, default=8)
    p.add_argument("--seed", type=int, default=2020)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--device", default="cpu")
    p.add_argument("--out", default=str(REPO_ROOT / "docs" / "report"), help="where the Markdown and PNGs go")
    p.add_argument("--runs", default=str(REPO_ROOT / "var" / "report-runs"), help="run folders (artefacts, events)")


def _config(
    args, dataset: str, model: str, overrides: dict, out: Path, budget: float, export: bool, epochs: int = 100000
):
    from ..config import TrainConfig

    cfg = TrainConfig(
        model=model,
        out=str(out),
        dataset=dataset,
        data_dir=str(Path(args.data_root) / dataset) if args.data_root else None,
        batch_size=args.batch_size,
        lr=args.lr,
        patience=args.patience,
        max_minutes=budget,
        seed=args.seed,
        threads=args.threads,
        device=args.device,
        epochs=epochs,
        holdout_users=args.holdout_users,
        export=export,
    )
    for k, v in overrides.items():
        setattr(cfg, k, v)
    return cfg.validate()


def _train(cfg, label: str) -> dict:
    """One run; its events go to events.jsonl in the run folder, its log lines to stderr."""
    from ..events import EventWriter, log
    from ..train import run

    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    log(f"report: {label} on {cfg.dataset} ({cfg.model}, layers {cfg.layers}, budget {cfg.max_minutes} min)")
    with open(out / "events.jsonl", "w") as f:
        metrics = run(cfg, EventWriter(f))
    curve = []
    with open(out / "events.jsonl") as f:
        for line in f:
            e = json.loads(line)
            if e.get("event") == "epoch" and e.get("metrics"):
                curve.append((e["epoch"], e["wall_s"], e["metrics"]["recall@20"]))
    return {"metrics": metrics, "curve": curve}


def _row(label: str, model: str, res: dict) -> dict:
    m = res["metrics"]
    t, test = m.get("timings", {}), m["test"]
    cold = test.get("cold_start", {})
    hold = m.get("holdout", {})
    g = lambda d, k: None if not d else d.get(k)  # noqa: E731
    return {
        "label": label,
        "model": model,
        "parameters": m.get("parameters", 0),
        "recall@10": test["recall@10"],
        "ndcg@10": test["ndcg@10"],
        "recall@20": test["recall@20"],
        "ndcg@20": test["ndcg@20"],
        "test_users": test["users"],
        "cold_recall@20": g(cold, "recall@20"),
        "cold_ndcg@20": g(cold, "ndcg@20"),
        "cold_users": g(cold, "users"),
        "holdout_users": hold.get("users"),
        "holdout_foldin_recall@20": g(hold.get("foldin"), "recall@20"),
        "holdout_foldin_ndcg@20": g(hold.get("foldin"), "ndcg@20"),
        "holdout_inductive_recall@20": g(hold.get("inductive"), "recall@20"),
        "holdout_inductive_ndcg@20": g(hold.get("inductive"), "ndcg@20"),
        "holdout_mostpop_recall@20": g(hold.get("mostpop"), "recall@20"),
        "val_recall@20": g(m.get("validation"), "recall@20"),
        "best_epoch": m.get("best_epoch"),
        "epochs_run": t.get("epochs_run"),
        "train_wall_s": t.get("train_wall_s"),
        "time_to_best_s": t.get("time_to_best_s"),
        "s_per_epoch": t.get("s_per_epoch"),
        "stop_reason": t.get("stop_reason"),
        "slices": {g: test.get(g, {}) for g in ("by_interactions", "by_friends", "sparse_with_friends")},
        "curve": res["curve"],
    }


def run_report(args) -> dict:
    from ..config import ConfigError
    from ..events import log
    from .bench import machine_info

    labels = [m.strip() for m in args.models.split(",") if m.strip()]
    for m in labels:
        if m not in VARIANTS:
            raise ConfigError(f"--models: unknown model {m!r} (known: {', '.join(VARIANTS)})")
    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()]
    for d in datasets:
        if d not in ("lastfm", "ciao", "gowalla"):
            raise ConfigError(f"--datasets: unknown dataset {d!r}")
    try:
        smooth_layers = [int(x) for x in args.smoothing_layers.split(",") if x.strip()]
    except ValueError:
        raise ConfigError("--smoothing-layers: comma-separated integers, e.g. 1,2,3,4") from None
    if args.smoothing_epochs < 1:
        raise ConfigError("--smoothing-epochs: must be >= 1")
    if args.budget_minutes <= 0 or args.smoothing_budget_minutes <= 0:
        raise ConfigError("--budget-minutes / --smoothing-budget-minutes: must be > 0")
    out, runs = Path(args.out), Path(args.runs)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    n_runs = len(datasets) * (len(labels) + len(SMOOTHING) * len(smooth_layers))
    done = 0
    results: dict = {}
    for dataset in datasets:
        rows = []
        for label in labels:
            model, ov = VARIANTS[label]
            cfg = _config(args, dataset, model, ov, runs / dataset / label, args.budget_minutes, export=True)
            rows.append(_row(label, model, _train(cfg, label)))
            done += 1
            r = rows[-1]
            log(
                f"report: [{done}/{n_runs}] {label} R@20 {r['recall@20']:.4f} N@20 {r['ndcg@20']:.4f} "
                f"({r['epochs_run']} epochs, {time.perf_counter() - started:.0f}s since start)"
            )
        smoothing: dict = {}
        for label, (model, ov) in SMOOTHING.items():
            pts = []
            for k in smooth_layers:
                cfg = _config(
                    args,
                    dataset,
                    model,
                    {**ov, "layers": k},
                    runs / dataset / f"smoothing-{label}-{k}",
                    args.smoothing_budget_minutes,
                    export=False,
                    epochs=args.smoothing_epochs,
                )
                res = _train(cfg, f"{label} {k} layers")
                m = res["metrics"]
                pts.append(
                    {
                        "layers": k,
                        "recall@20": m["test"]["recall@20"],
                        "ndcg@20": m["test"]["ndcg@20"],
                        "best_epoch": m["best_epoch"],
                        "epochs_run": m["timings"].get("epochs_run"),
                    }
                )
                done += 1
                log(f"report: [{done}/{n_runs}] {label} {k} layers R@20 {pts[-1]['recall@20']:.4f}")
            smoothing[label] = pts
        plots = render_plots(out, dataset, rows, smoothing)
        results[dataset] = {"rows": rows, "smoothing": smoothing, "plots": plots}
    total_s = time.perf_counter() - started
    machine = machine_info()
    command = getattr(args, "command_line", None) or "models/.venv/bin/python bench/zoo.py"
    (out / "README.md").write_text(render_markdown(args, results, machine, total_s, command.strip()))
    (out / "results.json").write_text(
        json.dumps(
            {
                "machine": machine,
                "total_s": round(total_s, 1),
                "budget_minutes": args.budget_minutes,
                "results": results,
            },
            indent=1,
            default=str,
        )
        + "\n"
    )
    line = {
        "bench": "zoo",
        "datasets": datasets,
        "protocol": "full ranking, train items masked, best epoch on a 10% validation split, per-model wall budget",
        "budget_minutes": args.budget_minutes,
        "machine": machine,
        "models": {
            d: {
                r["label"]: {
                    k: r[k]
                    for k in (
                        "recall@10",
                        "ndcg@10",
                        "recall@20",
                        "ndcg@20",
                        "cold_recall@20",
                        "holdout_foldin_recall@20",
                        "holdout_inductive_recall@20",
                        "parameters",
                        "train_wall_s",
                        "epochs_run",
                        "best_epoch",
                    )
                }
                for r in res["rows"]
            }
            for d, res in results.items()
        },
        "oversmoothing_recall@20": {
            d: {lab: {p["layers"]: p["recall@20"] for p in pts} for lab, pts in res["smoothing"].items()}
            for d, res in results.items()
        },
        "report": str(out / "README.md"),
        "total_s": round(total_s, 1),
    }
    print(json.dumps(line, separators=(",", ":")), flush=True)
    return line


def main(argv: list[str] | None = None) -> int:
    import os

    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    p = argparse.ArgumentParser(prog="bench/zoo.py", description=__doc__.split("\n\n")[0])
    add_report_arguments(p)
    args = p.parse_args(argv)
    given = list(argv if argv is not None else sys.argv[1:])
    args.command_line = " ".join(["npm run bench -- zoo", *given])
    from ..config import ConfigError
    from ..data import DataError

    try:
        run_report(args)
    except (ConfigError, DataError) as e:
        print(f"configuration error: {e}", file=sys.stderr)
        return 2
    return 0
