"""The training run as a pipeline of steps: prepare the split, build the model (registry), train it
(loop), refit it on every training pair (refit), filter its friend edges by attention
(attention_filter), blend in friends' picks (blend), evaluate held-out users (holdout), export."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import torch

from . import blend
from .attention_filter import filter_friend_edges
from .config import TrainConfig
from .evaluation import evaluate
from .events import EventWriter, log
from .export import export_all
from .foldin import FoldInEncoder
from .holdout import holdout_report
from .loop import Trainer, rounded
from .prepare import Prepared, load_data, prepare
from .refit import refit_on_all
from .registry import build_model
from .runtime import pick_device, set_seeds
from .zoo import MostPop, count_parameters


def run(cfg: TrainConfig, events: EventWriter | None = None, prep: Prepared | None = None) -> dict:
    """The whole run; returns the metrics dict that `done` carries. `prep`: the data already loaded
    and prepared for this cfg (a caller that trains something else on the same split)."""
    events = events or EventWriter()
    t_start = time.perf_counter()
    set_seeds(cfg.seed)
    torch.set_num_threads(cfg.threads or os.cpu_count() or 1)
    device = pick_device(cfg.device)
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)

    prep = prep or prepare(load_data(cfg), cfg)
    data = prep.data
    prep_s = time.perf_counter() - t_start
    events.emit(
        "started",
        model=cfg.model,
        dataset=data.name,
        device=str(device),
        threads=torch.get_num_threads(),
        data=data.summary(),
        fit_pairs=int(len(prep.fit_user)),
        val_pairs=int(len(prep.val_user)),
        friend_pairs=int(len(prep.friend_a)),
        holdout_users=int(len(prep.holdout_users)),
        config=cfg.to_dict(),
    )
    log(
        f"{data.name}: {data.summary()} fit {len(prep.fit_user)} val {len(prep.val_user)} friends {len(prep.friend_a)} "
        f"on {device} ({torch.get_num_threads()} threads), prepared in {prep_s:.1f}s"
    )

    excluded = prep.holdout if cfg.holdout_mode == "foldin" else np.zeros(data.n_users, dtype=bool)
    test_set = prep.test_set.subset(~excluded)
    slices = {"cold_start": prep.cold, **prep.groups}

    model = build_model(cfg, prep).to(device)
    fit_info: dict = {"best_epoch": 0, "time_to_best_s": 0.0, "train_wall_s": 0.0, "epochs_run": 0}
    history: list[dict] = []
    refit = None
    if model.trainable:
        trainer = Trainer(cfg, prep, model, device, events)
        fit_info = trainer.fit()
        history = trainer.history
        val_slices = trainer.validate(slices=prep.groups)  # the selected checkpoint, per slice (serving's choice)
        if cfg.refit_epochs > 0:
            model, prep, refit = refit_on_all(
                cfg, prep, model, trainer, fit_info, test_set, slices, excluded, device, events
            )
    else:
        val_slices = Trainer(cfg, prep, model, device, events).validate(slices=prep.groups)
        fit_info["best_val"] = {k: v for k, v in val_slices.items() if k not in prep.groups}
        # Nothing to train (MostPop): rebuilt from every training pair for the test split, nothing to select.
        keep = ~excluded[data.train_user]
        pop_all = np.bincount(data.train_item[keep], weights=data.train_count[keep], minlength=data.n_items)
        model = MostPop(data.n_users, data.n_items, pop_all).to(device)

    model.eval()
    with torch.no_grad():
        user_vecs, item_vecs = model.embeddings()
    test = evaluate(user_vecs, item_vecs, test_set, batch=cfg.eval_batch, slices=slices)
    metrics: dict = {
        "model": cfg.model,
        "dataset": data.name,
        "best_epoch": fit_info["best_epoch"],
        "validation": fit_info.get("best_val"),
        "validation_slices": {k: val_slices[k] for k in prep.groups},
        "test": test,
    }
    if refit is not None:
        metrics["refit"] = refit
    attention = keep_mask = None
    served_val = fit_info.get("best_val")  # validation of the vectors served (the best checkpoint's)
    if model.friend_edges() is not None:
        attention, keep_mask, filtered = filter_friend_edges(cfg, model, metrics, test_set, slices, device)
        if filtered is not None:
            user_vecs, item_vecs = filtered  # serve what the kept edges give
            served_val = None  # the filtered vectors were never validated
    log(
        f"test R@20 {metrics['test']['recall@20']:.4f} N@20 {metrics['test']['ndcg@20']:.4f} "
        f"(best epoch {fit_info['best_epoch']})"
    )
    if cfg.friends_beta != "off" and model.trainable and len(data.friend_a):
        beta = cfg.fixed_friends_beta()
        if refit is not None and refit["friends_beta"] is not None:
            beta = refit["friends_beta"]  # picked on validation before the refit
        metrics["friends_blend"] = blend.friends_blend(
            prep,
            model,
            user_vecs,
            item_vecs,
            keep_mask,
            excluded,
            served_val,
            metrics["test"],
            cfg.eval_batch,
            beta,
            events,
            refit=refit is not None,
        )

    item_degree = torch.as_tensor(prep.item_degree_fit, dtype=torch.float32, device=device)
    encoder = FoldInEncoder(item_vecs, user_vecs, item_degree, model.social_share()).to(device)
    inductive = model.inductive_encoder()  # GraphSAGE, PinSage: a new user from its items, through the model
    if inductive is not None:
        inductive = inductive.to(device)
    if len(prep.holdout_users):
        metrics["holdout"] = holdout_report(
            cfg, prep, model, encoder, user_vecs, item_vecs, excluded, device, inductive
        )
    if inductive is not None:
        encoder = inductive  # serving folds users in through the model's own inductive encoder

    metrics["timings"] = {
        **{k: v for k, v in fit_info.items() if k not in ("best_val", "best_epoch", "best_lr")},
        "prepare_s": round(prep_s, 3),
        "device": str(device),
        "threads": torch.get_num_threads(),
    }
    metrics["parameters"] = count_parameters(model)
    if cfg.export:
        export_all(
            out, cfg, data, prep, model, user_vecs, item_vecs, encoder, metrics, history, attention, keep_mask, events
        )
    metrics["timings"]["total_s"] = round(time.perf_counter() - t_start, 3)
    events.emit("done", metrics=rounded(metrics))
    return metrics
