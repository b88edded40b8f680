"""`evaluate`: test metrics of exported embeddings (user_embeddings.npy, item_embeddings.npy)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from .config import ConfigError, default_datasets_dir
from .data import load_dataset, load_snapshot
from .evaluation import evaluate, make_eval_set
from .events import EventWriter


def check_run_files(run: Path) -> None:
    for name in ("user_embeddings.npy", "item_embeddings.npy"):
        if not (run / name).exists():
            raise ConfigError(f"--run: {run / name} is missing")


def load_run_embeddings(run: Path, data) -> tuple[torch.Tensor, torch.Tensor]:
    """A run folder's exported user and item embeddings, checked against the data they will be scored on."""
    users = torch.from_numpy(np.load(run / "user_embeddings.npy")).float()
    items = torch.from_numpy(np.load(run / "item_embeddings.npy")).float()
    if users.shape[0] != data.n_users or items.shape[0] != data.n_items:
        raise ConfigError(
            f"--run: embeddings are {tuple(users.shape)} / {tuple(items.shape)}, data has "
            f"{data.n_users} users / {data.n_items} items"
        )
    return users, items


def run_evaluate(args) -> dict:
    run = Path(args.run)
    check_run_files(run)
    if args.snapshot:
        data = load_snapshot(args.snapshot)
    else:
        data = load_dataset(args.dataset, args.data_dir or default_datasets_dir() / args.dataset)
    users, items = load_run_embeddings(run, data)
    es = make_eval_set(data.test_user, data.test_item, data.train_user, data.train_item, data.n_users, data.n_items)
    rows = np.bincount(data.train_user, weights=data.train_count, minlength=data.n_users)
    metrics = evaluate(users, items, es, slices={"cold_start": rows <= 20})
    EventWriter().emit("done", metrics=metrics)
    return metrics
