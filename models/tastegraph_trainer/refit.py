"""--refit-epochs: after selection on validation, the selected model goes on over every training pair."""

from __future__ import annotations

import numpy as np
import torch

from . import blend
from .attention_filter import attention_keep
from .config import TrainConfig
from .evaluation import EvalSet, evaluate
from .events import EventWriter, log
from .loop import Trainer
from .prepare import Prepared, with_validation
from .registry import build_model
from .zoo import Recommender


def refit_on_all(
    cfg: TrainConfig,
    prep: Prepared,
    model: Recommender,
    trainer: Trainer,
    fit_info: dict,
    test_set: EvalSet,
    slices: dict,
    excluded: np.ndarray,
    device: torch.device,
    events: EventWriter,
):
    """--refit-epochs N (EVALUATION.md: keep training with the full training set, reporting both): the model
    selected on validation goes on over every training pair, validation pairs included, for N epochs at the
    learning rate of its best epoch. Returns the refit model, the prep it trained on, and the report: test
    metrics of the selected model, of the same weights over the full graph (new edges, no training), and of
    the refit model come out in `test`."""

    def vectors_and_test(m) -> tuple:
        m.eval()
        with torch.no_grad():
            uv, iv = m.embeddings()
        return uv, iv, evaluate(uv, iv, test_set, batch=cfg.eval_batch, slices=slices)

    uv, iv, selected = vectors_and_test(model)
    beta = None  # friends' picks: their weight is picked on validation before the validation pairs are trained on
    if cfg.friends_beta == "auto" and len(prep.data.friend_a):
        keep_mask = attention_keep(cfg, model)[1] if model.friend_edges() is not None else None
        beta = blend.friends_blend(
            prep, model, uv, iv, keep_mask, excluded, fit_info.get("best_val"), selected, cfg.eval_batch, None, events
        )["beta"]
    full = with_validation(prep)
    refit_model = build_model(cfg, full).to(device)
    refit_model.load_state_dict(model.state_dict())
    full_graph = vectors_and_test(refit_model)[2]
    lr = cfg.refit_lr or fit_info["best_lr"]
    log(
        f"refit: test R@20 {selected['recall@20']:.4f} selected, {full_graph['recall@20']:.4f} on the full graph; "
        f"{cfg.refit_epochs} epochs over {len(full.fit_user)} pairs at lr {lr:.2g}"
    )
    rt = Trainer(cfg, full, refit_model, device, events)
    rt.history = trainer.history  # one curve: the refit epochs follow the selection run's
    info = rt.refit(cfg.refit_epochs, lr, first_epoch=len(trainer.history) + 1)
    keys = ("recall@20", "ndcg@20", "recall@10", "ndcg@10")
    return (
        refit_model,
        full,
        {
            **info,
            "pairs": int(len(full.fit_user)),
            "friends_beta": beta,
            "test_selected": selected,
            "test_full_graph": {k: full_graph[k] for k in keys},
        },
    )
