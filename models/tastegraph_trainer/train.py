"""The training run: load, split, train with early stopping on validation, evaluate, export."""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch

from . import checkpoint
from .config import INDUCTIVE_MODELS, TrainConfig
from .data import InteractionData, jaccard_overlap, load_dataset, load_snapshot, split_validation
from .evaluation import EvalSet, evaluate, make_eval_set
from .events import EventWriter, log
from .foldin import FoldInEncoder, pad_lists
from .graph import directed_friend_edges, normalized_bipartite_adjacency, topk_edge_mask
from .loss import BPRLoss, sbpr_terms, social_infonce, social_smoothness
from .models import MF, LightGCN, MostPop, SocialGCN, count_parameters
from .sampling import NegativeSampler, SocialItemSampler, pick_hard

COLD_START_MAX_TRAIN = 20
DAY_MS = 86_400_000.0


def set_seeds(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def sync_device(device: torch.device) -> None:
    """Waits for the device's queued kernels (CUDA runs asynchronously), so a clock read after it is honest."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


@dataclass
class Prepared:
    data: InteractionData
    fit_user: np.ndarray
    fit_item: np.ndarray
    fit_weight: np.ndarray
    val_user: np.ndarray
    val_item: np.ndarray
    val_weight: np.ndarray
    all_weight: np.ndarray  # edge weight for every training pair (for fold-in)
    holdout: np.ndarray  # bool per user: left out of training
    holdout_users: np.ndarray
    friend_a: np.ndarray  # undirected pairs used by the model
    friend_b: np.ndarray
    friend_overlap: np.ndarray
    val_set: EvalSet
    test_set: EvalSet
    cold: np.ndarray  # bool per user: <= 20 training rows
    item_degree_fit: np.ndarray


def load_data(cfg: TrainConfig) -> InteractionData:
    if cfg.snapshot is not None:
        return load_snapshot(cfg.snapshot)
    return load_dataset(cfg.dataset, cfg.data_dir)


def edge_weights(data: InteractionData, cfg: TrainConfig) -> np.ndarray:
    w = np.ones(len(data.train_user)) if cfg.edge_weight == "binary" else data.train_weight.astype(np.float64).copy()
    if cfg.time_decay_lambda > 0:
        ts = data.train_last_ts
        known = ts > 0
        if known.any():
            age_days = (ts[known].max() - ts) / DAY_MS
            w = np.where(known, w * np.exp(-cfg.time_decay_lambda * age_days), w)
    return np.maximum(w, 1e-6)


def prepare(data: InteractionData, cfg: TrainConfig) -> Prepared:
    n_users, n_items = data.n_users, data.n_items
    rng = np.random.default_rng(cfg.seed + 7)
    holdout = np.zeros(n_users, dtype=bool)
    if cfg.holdout_users > 0:
        has_test = np.bincount(data.test_user, minlength=n_users) > 0
        has_train = np.bincount(data.train_user, minlength=n_users) > 0
        cand = np.nonzero(has_test & has_train)[0]
        n = min(cfg.holdout_users, len(cand))
        holdout[rng.choice(cand, size=n, replace=False)] = True
    holdout_users = np.nonzero(holdout)[0]
    excluded = holdout if cfg.holdout_mode == "foldin" else np.zeros(n_users, dtype=bool)

    all_w = edge_weights(data, cfg)
    train_mask = ~excluded[data.train_user]
    tu, ti, tw = data.train_user[train_mask], data.train_item[train_mask], all_w[train_mask]
    is_val = split_validation(tu, n_users, cfg.val_fraction, cfg.seed)
    fit_user, fit_item, fit_weight = tu[~is_val], ti[~is_val], tw[~is_val]
    val_user, val_item, val_weight = tu[is_val], ti[is_val], tw[is_val]

    fa, fb, fo = data.friend_a, data.friend_b, data.friend_overlap.astype(np.float64).copy()
    keep = ~(excluded[fa] | excluded[fb]) if len(fa) else np.zeros(0, dtype=bool)
    fa, fb, fo = fa[keep], fb[keep], fo[keep]
    missing = np.isnan(fo)
    if missing.any() and (cfg.model == "socialgcn" or cfg.friend_min_overlap > 0):
        # No overlap in the data: the Jaccard of the pair's fit items (validation items stay unseen).
        fo[missing] = jaccard_overlap(fa[missing], fb[missing], fit_user, fit_item, n_users, n_items)
    if cfg.friend_min_overlap > 0:
        sel = fo >= cfg.friend_min_overlap
        fa, fb, fo = fa[sel], fb[sel], fo[sel]

    val_set = make_eval_set(val_user, val_item, fit_user, fit_item, n_users, n_items)
    test_set = make_eval_set(data.test_user, data.test_item, data.train_user, data.train_item, n_users, n_items)
    rows = np.bincount(data.train_user, weights=data.train_count, minlength=n_users)
    return Prepared(
        data=data, fit_user=fit_user, fit_item=fit_item, fit_weight=fit_weight,
        val_user=val_user, val_item=val_item, val_weight=val_weight, all_weight=all_w,
        holdout=holdout, holdout_users=holdout_users,
        friend_a=fa, friend_b=fb, friend_overlap=fo,
        val_set=val_set, test_set=test_set, cold=rows <= COLD_START_MAX_TRAIN,
        item_degree_fit=np.bincount(fit_item, weights=fit_weight, minlength=n_items),
    )


def with_validation(prep: Prepared) -> Prepared:
    """The same split with the validation pairs moved into the fit pairs (--refit-epochs)."""
    fit_user = np.concatenate([prep.fit_user, prep.val_user])
    fit_item = np.concatenate([prep.fit_item, prep.val_item])
    fit_weight = np.concatenate([prep.fit_weight, prep.val_weight])
    empty = np.zeros(0, dtype=prep.val_user.dtype)
    return replace(prep, fit_user=fit_user, fit_item=fit_item, fit_weight=fit_weight, val_user=empty, val_item=empty,
                   val_weight=np.zeros(0), item_degree_fit=np.bincount(fit_item, weights=fit_weight,
                                                                        minlength=prep.data.n_items))


def build_model(cfg: TrainConfig, prep: Prepared, popularity: np.ndarray | None = None) -> torch.nn.Module:
    d = prep.data
    if cfg.model == "mostpop":
        pop = popularity if popularity is not None else np.bincount(prep.fit_item, minlength=d.n_items)
        return MostPop(d.n_users, d.n_items, pop)
    if cfg.model == "mf":
        return MF(d.n_users, d.n_items, cfg.dim)
    if cfg.model in ("gcn", "gat", "graphsage", "pinsage"):
        return build_zoo_model(cfg, prep)
    adj = normalized_bipartite_adjacency(d.n_users, d.n_items, prep.fit_user, prep.fit_item, prep.fit_weight)
    if cfg.model == "ngcf":
        from .zoo import NGCF

        return NGCF(d.n_users, d.n_items, adj, cfg.dim, cfg.layers, dropout=cfg.dropout)
    if cfg.model == "lightgcn":
        return LightGCN(d.n_users, d.n_items, adj, cfg.dim, cfg.layers)
    src, dst = directed_friend_edges(prep.friend_a, prep.friend_b)
    return SocialGCN(
        d.n_users, d.n_items, adj, torch.from_numpy(src), torch.from_numpy(dst),
        cfg.dim, cfg.layers, heads=cfg.heads, gate_init=cfg.gate_init, fusion=cfg.fusion,
        gate_mode=cfg.gate_mode, attention_cap=cfg.attention_cap,
    )


def build_zoo_model(cfg: TrainConfig, prep: Prepared) -> torch.nn.Module:
    """GCN, GAT, GraphSAGE, PinSage from the fit graph (the validation pairs stay unseen)."""
    from . import zoo
    from .features import node_features
    from .walks import item_walks, read_pinsage_csv, sample_table, csr

    d = prep.data
    if cfg.model == "gcn":
        adj = normalized_bipartite_adjacency(d.n_users, d.n_items, prep.fit_user, prep.fit_item, prep.fit_weight,
                                             self_loops=True)
        return zoo.GCN(d.n_users, d.n_items, adj, cfg.dim, cfg.layers)
    if cfg.model == "gat":
        tgt, src = zoo.gat_edges(d.n_users, d.n_items, prep.fit_user, prep.fit_item)
        return zoo.GAT(d.n_users, d.n_items, tgt, src, cfg.dim, cfg.layers, heads=cfg.gat_heads)
    data_dir = cfg.data_dir if cfg.snapshot is None else None
    user_feat, item_feat = node_features(d, prep.fit_user, prep.fit_item, data_dir, cfg.tag_features)
    if cfg.model == "graphsage":
        return zoo.GraphSAGE(d.n_users, d.n_items, prep.fit_user, prep.fit_item, prep.fit_weight, user_feat, item_feat,
                             cfg.dim, fanouts=cfg.fanout_list(), aggregator=cfg.aggregator,
                             id_embeddings=cfg.id_embeddings, id_dropout=cfg.id_dropout, seed=cfg.seed)
    # PinSage: item neighbourhoods from random walks over the fit graph (or the snapshot's Cypher walks)
    rng = np.random.default_rng(cfg.seed + 11)
    t0 = time.perf_counter()
    walks = item_walks(prep.fit_user, prep.fit_item, d.n_users, d.n_items, cfg.walks, cfg.walk_length, rng,
                       restart=cfg.walk_restart)
    if cfg.walk_source == "snapshot":
        w_idx, w_w, w_mask = read_pinsage_csv(Path(cfg.snapshot) / "pinsage.csv", d.n_items, cfg.walk_topk)
    else:
        w_idx, w_w, w_mask = walks.table(d.n_items, 0, cfg.walk_topk)
    log(f"pinsage: walks {cfg.walks}x{cfg.walk_length} from {d.n_items} items in {time.perf_counter() - t0:.1f}s, "
        f"mean neighbours {w_mask.sum(1).mean():.1f}")
    u_idx, u_w, u_mask = sample_table(*csr(prep.fit_user, prep.fit_item, d.n_users, prep.fit_weight), cfg.user_fanout,
                                      np.random.default_rng(cfg.seed + 13))
    pos_keys = np.unique(prep.fit_user.astype(np.int64) * d.n_items + prep.fit_item)
    hard = zoo.HardNegatives(pos_keys, d.n_items, cfg.hard_max, cfg.hard_ramp_epochs, cfg.hard_pool,
                             np.random.default_rng(cfg.seed + 17)) if cfg.hard_max > 0 else None
    return zoo.PinSage(d.n_users, d.n_items, w_idx, w_w, w_mask, u_idx, u_w, u_mask, item_feat, cfg.dim,
                       layers=cfg.layers, id_embeddings=cfg.id_embeddings, id_dropout=cfg.id_dropout, hard=hard)


def _to_device(model, device):
    return model.to_device(device) if hasattr(model, "to_device") else model.to(device)


def _rounded(metrics: dict) -> dict:
    return {k: (round(v, 6) if isinstance(v, float) else (_rounded(v) if isinstance(v, dict) else v)) for k, v in metrics.items()}


def social_scale(epoch: int, decay_epochs: int) -> float:
    """Factor on SocialGCN's social loss terms in `epoch` (1-based): 1, or 1 -> 0 linearly over `decay_epochs`."""
    if decay_epochs <= 0:
        return 1.0
    return max(0.0, 1.0 - (epoch - 1) / decay_epochs)


class Trainer:
    """Trains one model with BPR and early stopping on validation Recall@20."""

    def __init__(self, cfg: TrainConfig, prep: Prepared, model: torch.nn.Module, device: torch.device, events: EventWriter):
        self.cfg, self.prep, self.model, self.device, self.events = cfg, prep, model, device, events
        self.history: list[dict] = []

    def fit(self) -> dict:
        cfg, prep, model = self.cfg, self.prep, self.model
        opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
        step, sampler = self.epoch_step(opt)
        # --lr-decay: a fast learning rate early, a small one to settle once validation stalls
        plateau = (torch.optim.lr_scheduler.ReduceLROnPlateau(
            opt, mode="max", factor=cfg.lr_decay, patience=cfg.lr_decay_patience, threshold=cfg.lr_decay_min_gain, min_lr=cfg.lr / 100)
            if cfg.lr_decay > 0 else None)
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
            sampler.gen.set_state(st["sampler_rng"])
            torch.set_rng_state(st["torch_rng"])
            np.random.set_state(st["numpy_rng"])
            random.setstate(st["python_rng"])
            best, bad_evals, self.history = st["best"], st["bad_evals"], st["history"]
            start_epoch = st["epoch"] + 1
            t0 -= st["elapsed_s"]  # wall times go on from the first run's
            train_s, eval_s = st["train_s"], st["eval_s"]
            self.events.emit("resumed", epoch=st["epoch"], path=str(ckpt), best_epoch=best["epoch"])
            log(f"resumed from {ckpt} after epoch {st['epoch']} (best validation R@20 {best['recall@20']:.4f} @ {best['epoch']})")

        def save_checkpoint(epoch: int) -> None:
            seconds = checkpoint.save(ckpt, {
                "epoch": epoch, "config": cfg.to_dict(), "device_type": dev.type,
                "model": model.state_dict(), "optimizer": opt.state_dict(),
                "plateau": plateau.state_dict() if plateau is not None else None,
                "sampler_rng": sampler.gen.get_state(), "torch_rng": torch.get_rng_state(),
                "numpy_rng": np.random.get_state(), "python_rng": random.getstate(),
                "best": best, "bad_evals": bad_evals, "history": self.history,
                "elapsed_s": time.perf_counter() - t0, "train_s": train_s, "eval_s": eval_s})
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
                    best.update({"recall@20": metrics["recall@20"], "epoch": epoch, "metrics": metrics,
                                 "wall_s": time.perf_counter() - t0,
                                 "state": {k: v.detach().clone() for k, v in model.state_dict().items()}})
                    bad_evals = 0
                else:
                    bad_evals += 1
                if plateau is not None:
                    plateau.step(metrics["recall@20"])
            rec["wall_s"] = round(time.perf_counter() - t0, 3)
            self.history.append(rec)
            self.events.emit("epoch", epoch=epoch, loss=round(rec["loss"], 6), bpr=round(rec["bpr"], 6),
                             epoch_s=rec["epoch_s"], wall_s=rec["wall_s"], lr=rec["lr"],
                             metrics=_rounded(metrics) if metrics else None)
            if cfg.checkpoint_every and epoch % cfg.checkpoint_every == 0:
                save_checkpoint(epoch)
            if metrics is not None:
                log(f"epoch {epoch} loss {rec['loss']:.4f} val R@20 {metrics['recall@20']:.4f} N@20 {metrics['ndcg@20']:.4f} "
                    f"(best {best['recall@20']:.4f} @ {best['epoch']}) lr {rec['lr']:.2g} {rec['wall_s']:.1f}s")
                if bad_evals >= cfg.patience:
                    stop_reason = "patience"
                    break
            if cfg.max_minutes > 0 and time.perf_counter() - t0 >= cfg.max_minutes * 60:
                stop_reason = "max_minutes"
                if metrics is None:  # make sure the last epoch is considered
                    metrics = self.validate()
                    if metrics["recall@20"] > best["recall@20"]:
                        best.update({"recall@20": metrics["recall@20"], "epoch": epoch, "metrics": metrics,
                                     "wall_s": time.perf_counter() - t0,
                                     "state": {k: v.detach().clone() for k, v in model.state_dict().items()}})
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
        """One BPR epoch over the prepared fit pairs, as a function of the epoch number; and its sampler."""
        cfg, prep, model, dev = self.cfg, self.prep, self.model, self.device
        sampler = NegativeSampler(prep.fit_user, prep.fit_item, prep.data.n_items, cfg.negatives, cfg.seed,
                                  cfg.hard_candidates, device=dev)
        loss_fn = BPRLoss(cfg.l2)
        hard_hook = getattr(model, "hard_negatives", None)  # PinSage's curriculum
        social = isinstance(model, SocialGCN) and model.friend_src.numel() > 0 and (
            cfg.social_reg > 0 or cfg.social_cl > 0 or cfg.sbpr > 0)
        social_items = None
        if social and cfg.sbpr > 0:
            social_items = SocialItemSampler(model.friend_src.cpu().numpy(), model.friend_dst.cpu().numpy(),
                                             prep.fit_user, prep.fit_item, prep.data.n_users, sampler,
                                             np.random.default_rng(cfg.seed + 19))
        # the batch's users on the host, only for the numpy samplers (SBPR, PinSage's hard negatives)
        host_users = social_items is not None or hard_hook is not None

        def step(epoch: int) -> dict:
            model.train()
            te = time.perf_counter()
            # summed on the device: a float() per batch would wait for the GPU every step
            total = torch.zeros((), device=dev)
            total_bpr = torch.zeros((), device=dev)
            n_batches = 0
            scale = social_scale(epoch, cfg.social_decay_epochs) if social else 0.0
            for u, p, n in sampler.epoch(cfg.batch_size):
                bu = u.cpu().numpy() if host_users else None
                users_f, items_f = model.embeddings()
                uv = users_f[u]
                if n.dim() == 2:  # hard negatives: keep the best-scoring candidate
                    n = n.gather(1, pick_hard(uv, items_f[n]).unsqueeze(1)).squeeze(1)
                pos = (uv * items_f[p]).sum(-1)
                neg = (uv * items_f[n]).sum(-1)
                loss, bpr = loss_fn(pos, neg, *model.ego(u, p, n))
                if scale > 0:
                    loss = loss + scale * self.social_terms(
                        users_f, items_f, bu, u, uv, pos, neg, social_items)
                hn = hard_hook(bu, epoch, uv.detach(), items_f.detach()) if hard_hook is not None else None
                if hn is not None:
                    # the negative set of each positive grows to 1 + h: one BPR term per negative
                    h = hn.shape[1]
                    hard_bpr = torch.nn.functional.softplus((uv.unsqueeze(1) * items_f[hn]).sum(-1) - pos.unsqueeze(1)).mean()
                    loss = loss + h * hard_bpr
                    bpr = bpr + h * hard_bpr.detach()
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                total += loss.detach()
                total_bpr += bpr
                n_batches += 1
            sync_device(dev)  # the epoch's kernels are done before the clock stops
            return {"epoch": epoch, "loss": float(total) / max(n_batches, 1), "bpr": float(total_bpr) / max(n_batches, 1),
                    "epoch_s": round(time.perf_counter() - te, 4), "lr": opt.param_groups[0]["lr"]}

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
            self.events.emit("epoch", epoch=epoch, phase="refit", loss=round(rec["loss"], 6), bpr=round(rec["bpr"], 6),
                             epoch_s=rec["epoch_s"], wall_s=rec["wall_s"], lr=lr, metrics=None)
            log(f"refit epoch {epoch} loss {rec['loss']:.4f} lr {lr:.2g} {rec['wall_s']:.1f}s")
        return {"epochs": epochs, "lr": lr, "wall_s": round(time.perf_counter() - t0, 3)}

    def social_terms(self, users_f, items_f, bu, u, uv, pos, neg, social_items) -> torch.Tensor:
        """SocialGCN's optional loss terms (--social-reg, --social-cl, --sbpr); attention is not trained by them."""
        cfg, model = self.cfg, self.model
        alpha = model.last_alpha.detach()
        extra = pos.new_zeros(())
        if cfg.social_reg > 0:
            extra = extra + cfg.social_reg * social_smoothness(users_f, alpha, model.friend_src, model.friend_dst, u)
        if cfg.social_cl > 0:
            view = model.friend_view(users_f, alpha)
            extra = extra + cfg.social_cl * social_infonce(users_f, view, model.has_friends.squeeze(1), u, cfg.cl_temp)
        if cfg.sbpr > 0:
            k, valid = social_items.draw(bu)
            soc = (uv * items_f[torch.as_tensor(k, device=self.device)]).sum(-1)
            extra = extra + cfg.sbpr * sbpr_terms(pos, soc, neg, torch.as_tensor(valid, device=self.device),
                                                  cfg.sbpr_mode)
        return extra

    @torch.no_grad()
    def validate(self) -> dict:
        self.model.eval()
        uf, itf = self.model.embeddings()
        return evaluate(uf, itf, self.prep.val_set, batch=self.cfg.eval_batch)


def social_share(model) -> float:
    return model.gate_mean() if isinstance(model, SocialGCN) else 0.0


def fold_in(prep: Prepared, encoder: FoldInEncoder, users: np.ndarray, friend_a: np.ndarray, friend_b: np.ndarray,
            allowed_friend: np.ndarray) -> torch.Tensor:
    """Encode `users` from all their training pairs and their friends among `allowed_friend` users."""
    d = prep.data
    order = np.argsort(d.train_user, kind="stable")
    u_sorted = d.train_user[order]
    item_lists, weight_lists, friend_lists = [], [], []
    for u in users:
        lo, hi = np.searchsorted(u_sorted, u), np.searchsorted(u_sorted, u, side="right")
        idx = order[lo:hi]
        item_lists.append(d.train_item[idx].tolist())
        weight_lists.append(prep.all_weight[idx].tolist())
        fr = np.concatenate([friend_b[friend_a == u], friend_a[friend_b == u]])
        friend_lists.append(fr[allowed_friend[fr]].tolist())
    item_idx, item_w, item_mask = pad_lists(item_lists, weight_lists)
    friend_idx, _, friend_mask = pad_lists(friend_lists)
    dev = next(encoder.buffers()).device
    with torch.no_grad():
        return encoder(item_idx.to(dev), item_w.to(dev), item_mask.to(dev), friend_idx.to(dev), friend_mask.to(dev))


def run(cfg: TrainConfig, events: EventWriter | None = None, prep: Prepared | None = None) -> dict:
    """The whole run; returns the metrics dict that `done` carries. `prep`: the data already loaded
    and prepared for this cfg (a caller that trains something else on the same split)."""
    from . import export as exporter

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
    events.emit("started", model=cfg.model, dataset=data.name, device=str(device), threads=torch.get_num_threads(),
                data=data.summary(), fit_pairs=int(len(prep.fit_user)), val_pairs=int(len(prep.val_user)),
                friend_pairs=int(len(prep.friend_a)), holdout_users=int(len(prep.holdout_users)), config=cfg.to_dict())
    log(f"{data.name}: {data.summary()} fit {len(prep.fit_user)} val {len(prep.val_user)} friends {len(prep.friend_a)} "
        f"on {device} ({torch.get_num_threads()} threads), prepared in {prep_s:.1f}s")

    excluded = prep.holdout if cfg.holdout_mode == "foldin" else np.zeros(data.n_users, dtype=bool)
    test_set = prep.test_set.subset(~excluded)
    slices = {"cold_start": prep.cold}

    model = build_model(cfg, prep)
    model = _to_device(model, device)
    fit_info: dict = {"best_epoch": 0, "time_to_best_s": 0.0, "train_wall_s": 0.0, "epochs_run": 0}
    history: list[dict] = []
    refit = None
    if getattr(model, "trainable", True):
        trainer = Trainer(cfg, prep, model, device, events)
        fit_info = trainer.fit()
        history = trainer.history
        if cfg.refit_epochs > 0:
            model, prep, refit = refit_on_all(cfg, prep, model, trainer, fit_info, test_set, slices, excluded, device,
                                               events)
    else:
        fit_info["best_val"] = Trainer(cfg, prep, model, device, events).validate()
        # MostPop is refit on every training pair for the test split (no training to select).
        keep = ~excluded[data.train_user]
        pop_all = np.bincount(data.train_item[keep], weights=data.train_count[keep], minlength=data.n_items)
        model = _to_device(build_model(cfg, prep, popularity=pop_all), device)

    model.eval()
    with torch.no_grad():
        user_vecs, item_vecs = model.embeddings()
    test = evaluate(user_vecs, item_vecs, test_set, batch=cfg.eval_batch, slices=slices)
    metrics: dict = {"model": cfg.model, "dataset": data.name, "best_epoch": fit_info["best_epoch"],
                     "validation": fit_info.get("best_val"), "test": test}
    if refit is not None:
        metrics["refit"] = refit
    attention = keep_mask = None
    served_val = fit_info.get("best_val")  # validation of the vectors served (the best checkpoint's)
    if isinstance(model, SocialGCN) and model.friend_src.numel():
        attention, keep_mask = attention_keep(cfg, model)
        src = model.friend_src.cpu().numpy()
        metrics["social_share"] = round(social_share(model), 6)
        metrics["friend_edges"] = {"directed": int(len(src)), "kept": int(keep_mask.sum())}
        if not keep_mask.all():
            model.set_friend_edges(model.friend_src, model.friend_dst, torch.as_tensor(keep_mask, device=device))
            with torch.no_grad():
                f_users, f_items = model.embeddings()
            metrics["test_unfiltered"] = test
            metrics["test_filtered"] = evaluate(f_users, f_items, test_set, batch=cfg.eval_batch, slices=slices)
            metrics["test"] = metrics["test_filtered"]
            user_vecs, item_vecs = f_users, f_items  # serve what the kept edges give
            served_val = None  # the filtered vectors were never validated
    log(f"test R@20 {metrics['test']['recall@20']:.4f} N@20 {metrics['test']['ndcg@20']:.4f} "
        f"(best epoch {fit_info['best_epoch']})")
    if cfg.friends_beta != "off" and getattr(model, "trainable", True) and len(data.friend_a):
        beta = cfg.fixed_friends_beta()
        if refit is not None and refit["friends_beta"] is not None:
            beta = refit["friends_beta"]  # picked on validation before the refit
        metrics["friends_blend"] = friends_blend(prep, model, user_vecs, item_vecs, keep_mask, excluded, served_val,
                                                 metrics["test"], cfg.eval_batch, beta, events, refit=refit is not None)

    item_degree = torch.as_tensor(prep.item_degree_fit, dtype=torch.float32, device=device)
    encoder = FoldInEncoder(item_vecs, user_vecs, item_degree, social_share(model)).to(device)
    inductive = model.inductive_encoder().to(device) if cfg.model in INDUCTIVE_MODELS else None
    if len(prep.holdout_users):
        metrics["holdout"] = holdout_report(cfg, prep, model, encoder, user_vecs, item_vecs, excluded, device,
                                            inductive)
    if inductive is not None:
        encoder = inductive  # serving folds users in through the model's own inductive encoder

    metrics["timings"] = {**{k: v for k, v in fit_info.items() if k not in ("best_val", "best_epoch", "best_lr")},
                          "prepare_s": round(prep_s, 3), "device": str(device), "threads": torch.get_num_threads()}
    metrics["parameters"] = count_parameters(model)
    if cfg.export:
        exporter.export_all(out, cfg, data, prep, model, user_vecs, item_vecs, encoder, metrics, history,
                            attention, keep_mask, events)
    metrics["timings"]["total_s"] = round(time.perf_counter() - t_start, 3)
    events.emit("done", metrics=_rounded(metrics))
    return metrics


def refit_on_all(cfg, prep, model, trainer, fit_info, test_set, slices, excluded, device, events):
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
        keep_mask = attention_keep(cfg, model)[1] if isinstance(model, SocialGCN) and model.friend_src.numel() else None
        beta = friends_blend(prep, model, uv, iv, keep_mask, excluded, fit_info.get("best_val"), selected, cfg.eval_batch,
                             None, events)["beta"]
    full = with_validation(prep)
    refit_model = _to_device(build_model(cfg, full), device)
    refit_model.load_state_dict(model.state_dict())
    full_graph = vectors_and_test(refit_model)[2]
    lr = cfg.refit_lr or fit_info["best_lr"]
    log(f"refit: test R@20 {selected['recall@20']:.4f} selected, {full_graph['recall@20']:.4f} on the full graph; "
        f"{cfg.refit_epochs} epochs over {len(full.fit_user)} pairs at lr {lr:.2g}")
    rt = Trainer(cfg, full, refit_model, device, events)
    rt.history = trainer.history  # one curve: the refit epochs follow the selection run's
    info = rt.refit(cfg.refit_epochs, lr, first_epoch=len(trainer.history) + 1)
    keys = ("recall@20", "ndcg@20", "recall@10", "ndcg@10")
    return refit_model, full, {**info, "pairs": int(len(full.fit_user)), "friends_beta": beta,
                               "test_selected": selected,
                               "test_full_graph": {k: full_graph[k] for k in keys}}


def attention_keep(cfg: TrainConfig, model: SocialGCN) -> tuple[np.ndarray, np.ndarray]:
    """SocialGCN's per-edge attention and which directed friend edges its filter keeps (threshold / top-k)."""
    with torch.no_grad():
        attention = model.attention().cpu().numpy()
    return attention, topk_edge_mask(attention, model.friend_src.cpu().numpy(), cfg.attention_threshold,
                                      cfg.attention_topk)


def friends_blend(prep: Prepared, model, user_vecs, item_vecs, keep_mask, excluded, val: dict | None, test: dict,
                  batch: int, fixed: float | None, events: EventWriter, refit: bool = False) -> dict:
    """The weight serving gives friends' picks: score z(u·i) + β·z(log1p(how many friends interacted
    with i)), β picked on validation (0 = the model alone) unless `fixed`, test measured once. The
    friends are the ones serving counts: every friendship, less the edges SocialGCN's attention
    filter dropped. `val`/`test`: the served vectors' own metrics (`val` None: measured here). `refit`: the
    vectors trained on the validation pairs, so β is `fixed` and no validation figure is reported."""
    from .social_probe import FriendBlend, served_friend_edges

    src = dst = None
    if keep_mask is not None:
        src, dst = model.friend_src.cpu().numpy(), model.friend_dst.cpu().numpy()
    a, b = served_friend_edges(prep.data, src, dst, keep_mask)
    blend = FriendBlend(prep, a, b, excluded)
    if val is None:
        val = evaluate(user_vecs, item_vecs, prep.val_set, batch=batch)
    report = blend.select(user_vecs, item_vecs, val, test, fixed=fixed)
    if refit:
        report["validation"] = None
    events.emit("friends_blend", **report)
    picked = "after the refit" if refit else f"validation R@20 {report['validation']['recall@20']:.4f}"
    log(f"friends' picks: beta {report['beta']} {picked}, "
        f"test R@20 {report['test']['recall@20']:.4f} ({report['test_recall@20_vs_run']}x the model alone)")
    return report


def holdout_report(cfg, prep, model, encoder, user_vecs, item_vecs, excluded, device, inductive=None) -> dict:
    d = prep.data
    users = prep.holdout_users
    keep = np.zeros(d.n_users, dtype=bool)
    keep[users] = True
    es = prep.test_set.subset(keep)
    allowed = ~excluded
    emb = fold_in(prep, encoder, es.users, d.friend_a, d.friend_b, allowed)
    full_user = torch.zeros(d.n_users, emb.shape[1], device=device)
    full_user[torch.as_tensor(es.users, device=device)] = emb
    report = {"users": int(len(es.users)), "mode": cfg.holdout_mode,
              "foldin": evaluate(full_user, item_vecs, es, batch=cfg.eval_batch)}
    if inductive is not None:  # GraphSAGE/PinSage: the model's own encoder from the user's items
        emb = fold_in(prep, inductive, es.users, d.friend_a, d.friend_b, allowed)
        ind_user = torch.zeros(d.n_users, emb.shape[1], device=device)
        ind_user[torch.as_tensor(es.users, device=device)] = emb
        report["inductive"] = evaluate(ind_user, item_vecs, es, batch=cfg.eval_batch)
    train_keep = ~excluded[d.train_user]
    pop = np.bincount(d.train_item[train_keep], weights=d.train_count[train_keep], minlength=d.n_items)
    mp = MostPop(d.n_users, d.n_items, pop).to(device)
    mu, mi = mp.embeddings()
    report["mostpop"] = evaluate(mu, mi, es, batch=cfg.eval_batch)
    if cfg.holdout_mode == "inplace":
        report["trained"] = evaluate(user_vecs, item_vecs, es, batch=cfg.eval_batch)
    log(f"holdout {report['users']} users ({cfg.holdout_mode}): fold-in R@20 {report['foldin']['recall@20']:.4f}, "
        f"MostPop {report['mostpop']['recall@20']:.4f}"
        + (f", inductive {report['inductive']['recall@20']:.4f}" if "inductive" in report else "")
        + (f", trained {report['trained']['recall@20']:.4f}" if "trained" in report else ""))
    return report
