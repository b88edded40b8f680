"""The training loop: BPR epochs with early stopping on validation Recall@20, checkpoints and resume,
and the refit over every training pair."""

from __future__ import annotations

import time

import torch
from torch.nn import functional as F

from . import checkpoint
from .config import TrainConfig
from .evaluation import evaluate
from .events import EventWriter, log
from .loss import BPRLoss
from .prepare import Prepared
from .runtime import sync_device
from .sampling import NegativeSampler, pick_hard
from .zoo import Batch, Recommender


def rounded(metrics: dict) -> dict:
    return {
        k: (round(v, 6) if isinstance(v, float) else (rounded(v) if isinstance(v, dict) else v))
        for k, v in metrics.items()
    }


class Trainer:
    """Trains one model with BPR and early stopping on validation Recall@20."""

    def __init__(self, cfg: TrainConfig, prep: Prepared, model: Recommender, device: torch.device, events: EventWriter):
        self.cfg, self.prep, self.model, self.device, self.events = cfg, prep, model, device, events
        self.history: list[dict] = []

    def fit(self) -> dict:
        cfg, model = self.cfg, self.model
        opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
        step, sampler = self.epoch_step(opt)
        # --lr-decay: a fast learning rate early, a small one to settle once validation stalls
        plateau = (
            torch.optim.lr_scheduler.ReduceLROnPlateau(
                opt,
                mode="max",
                factor=cfg.lr_decay,
                patience=cfg.lr_decay_patience,
                threshold=cfg.lr_decay_min_gain,
                min_lr=cfg.lr / 100,
            )
            if cfg.lr_decay > 0
            else None
        )
        best = {"recall@20": -1.0, "epoch": 0, "state": None, "wall_s": 0.0, "metrics": None}
        bad_evals = 0
        t0 = time.perf_counter()
        train_s = eval_s = 0.0
        stop_reason = "epochs"
        dev = self.device
        start_epoch = 1
        ckpt = checkpoint.path_for(cfg)
        if cfg.resume and ckpt.exists():
            st = checkpoint.load(ckpt, cfg, dev)
            model.load_state_dict(st["model"])
            opt.load_state_dict(st["optimizer"])
            if plateau is not None:
                plateau.load_state_dict(st["plateau"])
            checkpoint.restore_rng(st, sampler.gen)
            best, bad_evals, self.history = st["best"], st["bad_evals"], st["history"]
            start_epoch = st["epoch"] + 1
            t0 -= st["elapsed_s"]  # wall times go on from the first run's
            train_s, eval_s = st["train_s"], st["eval_s"]
            self.events.emit("resumed", epoch=st["epoch"], path=str(ckpt), best_epoch=best["epoch"])
            log(
                f"resumed from {ckpt} after epoch {st['epoch']} (best validation R@20 {best['recall@20']:.4f} @ {best['epoch']})"
            )

        def save_checkpoint(epoch: int) -> None:
            seconds = checkpoint.save(
                ckpt,
                {
                    "epoch": epoch,
                    "config": cfg.to_dict(),
                    "device_type": dev.type,
                    "model": model.state_dict(),
                    "optimizer": opt.state_dict(),
                    "plateau": plateau.state_dict() if plateau is not None else None,
                    **checkpoint.rng_states(sampler.gen),
                    "best": best,
                    "bad_evals": bad_evals,
                    "history": self.history,
                    "elapsed_s": time.perf_counter() - t0,
                    "train_s": train_s,
                    "eval_s": eval_s,
                },
            )
            log(f"checkpoint after epoch {epoch}: {ckpt.stat().st_size / 1e6:.1f} MB in {seconds:.2f}s")

        epoch = start_epoch - 1
        for epoch in range(start_epoch, cfg.epochs + 1):
            rec = step(epoch)
            train_s += rec["epoch_s"]
            metrics = None
            if epoch % cfg.eval_every == 0 or epoch == cfg.epochs:
                tv = time.perf_counter()
                metrics = self.validate()
                eval_s += time.perf_counter() - tv
                rec["val"] = metrics
                if metrics["recall@20"] > best["recall@20"]:
                    best.update(
                        {
                            "recall@20": metrics["recall@20"],
                            "epoch": epoch,
                            "metrics": metrics,
                            "wall_s": time.perf_counter() - t0,
                            "state": {k: v.detach().clone() for k, v in model.state_dict().items()},
                        }
                    )
                    bad_evals = 0
                else:
                    bad_evals += 1
                if plateau is not None:
                    plateau.step(metrics["recall@20"])
            rec["wall_s"] = round(time.perf_counter() - t0, 3)
            self.history.append(rec)
            self.events.emit(
                "epoch",
                epoch=epoch,
                loss=round(rec["loss"], 6),
                bpr=round(rec["bpr"], 6),
                epoch_s=rec["epoch_s"],
                wall_s=rec["wall_s"],
                lr=rec["lr"],
                metrics=rounded(metrics) if metrics else None,
            )
            if cfg.checkpoint_every and epoch % cfg.checkpoint_every == 0:
                save_checkpoint(epoch)
            if metrics is not None:
                log(
                    f"epoch {epoch} loss {rec['loss']:.4f} val R@20 {metrics['recall@20']:.4f} N@20 {metrics['ndcg@20']:.4f} "
                    f"(best {best['recall@20']:.4f} @ {best['epoch']}) lr {rec['lr']:.2g} {rec['wall_s']:.1f}s"
                )
                if bad_evals >= cfg.patience:
                    stop_reason = "patience"
                    break
            if cfg.max_minutes > 0 and time.perf_counter() - t0 >= cfg.max_minutes * 60:
                stop_reason = "max_minutes"
                if metrics is None:  # make sure the last epoch is considered
                    metrics = self.validate()
                    if metrics["recall@20"] > best["recall@20"]:
                        best.update(
                            {
                                "recall@20": metrics["recall@20"],
                                "epoch": epoch,
                                "metrics": metrics,
                                "wall_s": time.perf_counter() - t0,
                                "state": {k: v.detach().clone() for k, v in model.state_dict().items()},
                            }
                        )
                break
        if cfg.checkpoint_every and epoch >= start_epoch:  # where it stopped, whatever stopped it
            save_checkpoint(epoch)
        if best["state"] is not None:
            model.load_state_dict(best["state"])
        best_lr = next((h["lr"] for h in self.history if h["epoch"] == best["epoch"]), cfg.lr)
        return {
            "best_epoch": best["epoch"],
            "best_lr": best_lr,
            "best_val": best["metrics"],
            "time_to_best_s": round(best["wall_s"], 3),
            "train_wall_s": round(time.perf_counter() - t0, 3),
            "train_s": round(train_s, 3),
            "eval_s": round(eval_s, 3),
            "epochs_run": len(self.history),
            "s_per_epoch": round(train_s / max(len(self.history), 1), 4),
            "stop_reason": stop_reason,
        }

    def epoch_step(self, opt):
        """One BPR epoch over the prepared fit pairs, as a function of the epoch number; and its sampler.

        Whatever a model adds to BPR comes through its hooks (`extra_loss`, `hard_negatives`)."""
        cfg, prep, model, dev = self.cfg, self.prep, self.model, self.device
        sampler = NegativeSampler(
            prep.fit_user, prep.fit_item, prep.data.n_items, cfg.negatives, cfg.seed, cfg.hard_candidates, device=dev
        )
        loss_fn = BPRLoss(cfg.l2)

        def step(epoch: int) -> dict:
            model.train()
            te = time.perf_counter()
            # summed on the device: a float() per batch would wait for the GPU every step
            total = torch.zeros((), device=dev)
            total_bpr = torch.zeros((), device=dev)
            n_batches = 0
            for u, p, n in sampler.epoch(cfg.batch_size):
                users_f, items_f = model.embeddings()
                uv = users_f[u]
                if n.dim() == 2:  # hard negatives: keep the best-scoring candidate
                    n = n.gather(1, pick_hard(uv, items_f[n]).unsqueeze(1)).squeeze(1)
                pos = (uv * items_f[p]).sum(-1)
                neg = (uv * items_f[n]).sum(-1)
                loss, bpr = loss_fn(pos, neg, *model.ego(u, p, n))
                batch = Batch(users=u, user_vecs=users_f, item_vecs=items_f, uv=uv, pos=pos, neg=neg)
                extra = model.extra_loss(batch, epoch)
                if extra is not None:
                    loss = loss + extra
                hn = model.hard_negatives(batch, epoch)
                if hn is not None:
                    # the negative set of each positive grows to 1 + h: one BPR term per negative
                    h = hn.shape[1]
                    hard_bpr = F.softplus((uv.unsqueeze(1) * items_f[hn]).sum(-1) - pos.unsqueeze(1)).mean()
                    loss = loss + h * hard_bpr
                    bpr = bpr + h * hard_bpr.detach()
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                total += loss.detach()
                total_bpr += bpr
                n_batches += 1
            sync_device(dev)  # the epoch's kernels are done before the clock stops
            return {
                "epoch": epoch,
                "loss": float(total) / max(n_batches, 1),
                "bpr": float(total_bpr) / max(n_batches, 1),
                "epoch_s": round(time.perf_counter() - te, 4),
                "lr": opt.param_groups[0]["lr"],
            }

        return step, sampler

    def refit(self, epochs: int, lr: float, first_epoch: int) -> dict:
        """--refit-epochs: keep training the selected model on every training pair (this Trainer's prep holds
        the validation pairs too), a fixed number of epochs at `lr`, with nothing left to validate on."""
        opt = torch.optim.Adam(self.model.parameters(), lr=lr)
        step, _ = self.epoch_step(opt)
        t0 = time.perf_counter()
        for epoch in range(first_epoch, first_epoch + epochs):
            rec = {**step(epoch), "phase": "refit"}
            rec["wall_s"] = round(time.perf_counter() - t0, 3)
            self.history.append(rec)
            self.events.emit(
                "epoch",
                epoch=epoch,
                phase="refit",
                loss=round(rec["loss"], 6),
                bpr=round(rec["bpr"], 6),
                epoch_s=rec["epoch_s"],
                wall_s=rec["wall_s"],
                lr=lr,
                metrics=None,
            )
            log(f"refit epoch {epoch} loss {rec['loss']:.4f} lr {lr:.2g} {rec['wall_s']:.1f}s")
        return {"epochs": epochs, "lr": lr, "wall_s": round(time.perf_counter() - t0, 3)}

    @torch.no_grad()
    def validate(self, slices: dict | None = None) -> dict:
        self.model.eval()
        uf, itf = self.model.embeddings()
        return evaluate(uf, itf, self.prep.val_set, batch=self.cfg.eval_batch, slices=slices)
