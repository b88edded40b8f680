"""`curves`: several runs' validation Recall@20 per epoch in one PNG, from the event logs `train` printed.

Each run's own curve.png shows one run; this compares runs (schedules, models, seeds). A log is the
JSON lines of `train`'s stdout; `LOG=LABEL` names its line (default: the file name). The best epoch
(from the `done` event) gets a marker and lr changes (`--lr-decay`) a dotted line in the run's colour.
"""

from __future__ import annotations

import json
from pathlib import Path

from .config import ConfigError


def add_curves_arguments(p) -> None:
    p.add_argument("logs", nargs="+", metavar="LOG[=LABEL]", help="a `train` event log (its stdout, JSON lines)")
    p.add_argument("--out", required=True, metavar="PNG")
    p.add_argument("--title", default="validation Recall@20 per epoch")


def read_log(path: Path) -> dict:
    """{"epochs": [(epoch, recall@20)], "lr_changes": [epoch], "best_epoch": int | None} of one event log."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such log")
    points, lr_changes, best, last_lr = [], [], None, None
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            e = json.loads(line)
        except json.JSONDecodeError as err:
            raise ConfigError(f"{path}:{n}: not a JSON event ({err.msg})") from None
        if e.get("event") == "epoch":
            lr = e.get("lr")
            if last_lr is not None and lr is not None and lr != last_lr:
                lr_changes.append(e["epoch"])
            last_lr = lr if lr is not None else last_lr
            if e.get("metrics"):
                points.append((e["epoch"], e["metrics"]["recall@20"]))
        elif e.get("event") == "done":
            best = e["metrics"].get("best_epoch")
    if not points:
        raise ConfigError(f"{path}: no evaluated epoch in this log")
    return {"epochs": points, "lr_changes": lr_changes, "best_epoch": best}


def run_curves(args) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = []
    for spec in args.logs:
        path, _, label = spec.partition("=")
        runs.append((label or Path(path).stem, read_log(Path(path))))
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=100)
    for label, run in runs:
        ep, r = zip(*run["epochs"])
        (line,) = ax.plot(ep, r, label=label)
        best = dict(run["epochs"]).get(run["best_epoch"])
        if best is not None:
            ax.plot([run["best_epoch"]], [best], marker="*", markersize=11, color=line.get_color())
        for x in run["lr_changes"]:
            ax.axvline(x, linestyle=":", color=line.get_color(), alpha=0.7)
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation Recall@20")
    ax.set_title(args.title)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out
