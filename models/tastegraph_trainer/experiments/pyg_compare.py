"""Gowalla: our LightGCN against PyTorch Geometric's `torch_geometric.nn.models.LightGCN` (issue #5).

Same data, same device, same run: both train for the same fixed number of epochs on the same
fit pairs (the trainer's split: train.txt + valid.txt, less the trainer's 10% validation
carve-out), with the same seed, embedding size, layers, batch size, learning rate, Adam, L2
weight and the same uniform negatives: both draw their triples from our `NegativeSampler`
seeded alike, so every batch holds the same (user, positive, negative) triples on both sides.

- ours: `train.run(cfg)` with `eval_every = epochs` (one validation at the end), export off;
  per-epoch training time from the trainer's `epoch` events (the trainer synchronises CUDA at
  the end of each epoch; validation is outside that time).
- PyG: the training loop of PyG's examples/lightgcn.py: the homogeneous graph (users first,
  items offset by n_users, both directions) as `edge_index`, `model(edge_index,
  edge_label_index).chunk(2)`, `model.recommendation_loss(pos, neg, node_id=
  edge_label_index.unique(), lambda_reg=l2)`. The example draws negatives with torch.randint
  on the device; here they come from the shared sampler (see above), also on the device; the
  host time spent drawing is reported as `sampling_s_per_epoch`. Same initialisation on both
  sides (the paper's N(0, 0.1)), and both sum the loss on the device.

Both are then evaluated with OUR evaluation code (full ranking over all items, every training
item of the user masked, test.txt as truth). Timings are medians over epochs, CUDA-synchronised.
"""

from __future__ import annotations

import math
import statistics
import time
from pathlib import Path

import numpy as np

from .settings import BENCH_DEFAULTS

PYG_MISSING = "torch_geometric not installed (pip install torch_geometric)"
NO_GPU = "no GPU visible"
TARGET_SPEEDUP = 3.0
RECALL_TOLERANCE = 0.005
INIT_STD = 0.1  # LightGCN's (and our models') initialisation


def pyg_available() -> bool:
    try:
        from torch_geometric.nn.models import LightGCN  # noqa: F401
    except Exception:  # ImportError, or a broken install (e.g. a torch ABI mismatch)
        return False
    return True


def subsample_gowalla(src_dir: str | Path, out_dir: str | Path, max_users: int, seed: int) -> Path:
    """For smoke tests only: `max_users` random users of a gowalla-format folder, with all their
    training (train.txt + valid.txt) and test rows; users and items renumbered 0.. in order.
    Writes train.txt and test.txt (gowalla format) into out_dir."""
    from ..data import load_gowalla

    data = load_gowalla(src_dir)
    has_train = np.bincount(data.train_user, minlength=data.n_users) > 0
    cand = np.nonzero(has_train)[0]
    rng = np.random.default_rng(seed)
    users = np.sort(rng.choice(cand, size=min(max_users, len(cand)), replace=False))
    keep_u = np.zeros(data.n_users, dtype=bool)
    keep_u[users] = True
    tr = keep_u[data.train_user]
    te = keep_u[data.test_user]
    items = np.unique(np.concatenate([data.train_item[tr], data.test_item[te]]))
    u_new = np.full(data.n_users, -1, dtype=np.int64)
    u_new[users] = np.arange(len(users))
    i_new = np.full(data.n_items, -1, dtype=np.int64)
    i_new[items] = np.arange(len(items))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, uu, ii in (
        ("train.txt", data.train_user[tr], data.train_item[tr]),
        ("test.txt", data.test_user[te], data.test_item[te]),
    ):
        _write_user_lists(out / name, u_new[uu], i_new[ii], len(users))
    return out


def _write_user_lists(path: Path, user: np.ndarray, item: np.ndarray, n_users: int) -> None:
    order = np.lexsort((item, user))
    user, item = user[order], item[order]
    bounds = np.searchsorted(user, np.arange(n_users + 1))
    with open(path, "w") as f:
        for u in range(n_users):
            its = item[bounds[u] : bounds[u + 1]]
            if len(its):
                f.write(f"{u} {' '.join(map(str, its.tolist()))}\n")


class _EpochTimes:
    """An EventWriter that keeps the trainer's per-epoch training times and forwards every event."""

    def __init__(self, forward):
        self.forward = forward
        self.epoch_s: list[float] = []

    def emit(self, event: str, **fields) -> dict:
        if event == "epoch":
            self.epoch_s.append(float(fields["epoch_s"]))
        return self.forward.emit(event, **fields) if self.forward is not None else {}

    def artifact(self, path, kind):  # pragma: no cover - export is off
        return self.forward.artifact(path, kind) if self.forward is not None else {}


def train_pyg(prep, cfg, device, epochs: int) -> dict:
    """PyG's LightGCN on the fit pairs of `prep`; per-epoch times and the test metrics (our evaluation)."""
    import torch
    from torch_geometric.nn.models import LightGCN as PygLightGCN

    from ..evaluation import evaluate
    from ..events import log
    from ..runtime import set_seeds, sync_device
    from ..sampling import NegativeSampler

    d = prep.data
    n_users, n_items = d.n_users, d.n_items
    set_seeds(cfg.seed)
    u = torch.as_tensor(prep.fit_user, dtype=torch.long)
    i = torch.as_tensor(prep.fit_item, dtype=torch.long) + n_users
    edge_index = torch.stack([torch.cat([u, i]), torch.cat([i, u])]).to(device)
    model = PygLightGCN(num_nodes=n_users + n_items, embedding_dim=cfg.dim, num_layers=cfg.layers)
    # the paper's N(0, 0.1), as ours: PyG's default xavier-uniform (about ±0.009 here) is a different
    # starting point, and it alone decides which side leads after a few epochs
    torch.nn.init.normal_(model.embedding.weight, std=INIT_STD)
    model = model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    sampler = NegativeSampler(prep.fit_user, prep.fit_item, n_items, "uniform", cfg.seed, device=device)
    epoch_s: list[float] = []
    sample_s: list[float] = []
    losses: list[float] = []
    n_batches = 0
    for epoch in range(1, epochs + 1):
        model.train()
        sync_device(device)
        t0 = time.perf_counter()
        s_time, n_batches = 0.0, 0
        total = torch.zeros((), device=device)  # summed on the device, as ours: no host sync per batch
        batches = sampler.epoch(cfg.batch_size)
        while True:
            ts = time.perf_counter()
            batch = next(batches, None)
            s_time += time.perf_counter() - ts
            if batch is None:
                break
            bu, bp, bn = batch
            pos_label_index = torch.stack([bu, bp + n_users])
            neg_label_index = torch.stack([bu, bn + n_users])
            edge_label_index = torch.cat([pos_label_index, neg_label_index], dim=1)
            opt.zero_grad()
            pos_rank, neg_rank = model(edge_index, edge_label_index).chunk(2)
            loss = model.recommendation_loss(pos_rank, neg_rank, node_id=edge_label_index.unique(), lambda_reg=cfg.l2)
            loss.backward()
            opt.step()
            total += loss.detach()
            n_batches += 1
        sync_device(device)
        epoch_s.append(time.perf_counter() - t0)
        sample_s.append(s_time)
        losses.append(float(total) / max(n_batches, 1))
        log(f"pyg lightgcn: epoch {epoch} loss {losses[-1]:.4f} {epoch_s[-1]:.3f}s")
    model.eval()
    with torch.no_grad():
        emb = model.get_embedding(edge_index)
    test = evaluate(emb[:n_users], emb[n_users:], prep.test_set, batch=cfg.eval_batch)
    return {"epoch_s": epoch_s, "sampling_s": sample_s, "loss": losses, "batches_per_epoch": n_batches, "test": test}


def compare_gowalla(
    data_dir: str | Path,
    out_dir: str | Path,
    *,
    device: str,
    epochs: int = 20,
    batch_size: int = 4096,
    lr: float = 5e-3,
    l2: float = 1e-4,
    dim: int = 64,
    layers: int = 3,
    seed: int = 2020,
    threads: int = 0,
    max_users: int = 0,
    progress=None,
) -> dict:
    """Train both on the gowalla-format folder `data_dir`; the `gowalla_vs_pyg` section of the bench line."""
    import torch

    from ..config import TrainConfig
    from ..events import log
    from ..prepare import load_data, prepare
    from ..runtime import pick_device
    from ..train import run

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    src = Path(data_dir)
    if max_users > 0:
        src = subsample_gowalla(src, out / f"gowalla-{max_users}-users", max_users, seed)
    cfg = TrainConfig(
        model="lightgcn",
        out=str(out / "ours"),
        dataset="gowalla",
        data_dir=str(src),
        epochs=epochs,
        eval_every=epochs,
        patience=1,
        batch_size=batch_size,
        lr=lr,
        l2=l2,
        dim=dim,
        layers=layers,
        negatives="uniform",
        seed=seed,
        device=device,
        threads=threads,
        export=False,
    ).validate()
    dev = pick_device(device)

    prep = prepare(load_data(cfg), cfg)  # one split for both sides

    log(f"gowalla vs pyg: ours, {epochs} epochs on {dev}")
    times = _EpochTimes(progress)
    m = run(cfg, times, prep)
    ours = {"epoch_s": times.epoch_s, "test": m["test"]}
    if dev.type == "cuda":
        torch.cuda.empty_cache()

    log(f"gowalla vs pyg: torch_geometric LightGCN, {epochs} epochs on {dev}")
    pyg = train_pyg(prep, cfg, dev, epochs)

    def side(r: dict, extra: dict) -> dict:
        return {
            "s_per_epoch": round(statistics.median(r["epoch_s"]), 4),
            "epoch_s": [round(x, 4) for x in r["epoch_s"]],
            "recall@20": round(r["test"]["recall@20"], 6),
            "ndcg@20": round(r["test"]["ndcg@20"], 6),
            **extra,
        }

    ours_s = side(ours, {})
    pyg_s = side(
        pyg,
        {
            "sampling_s_per_epoch": round(statistics.median(pyg["sampling_s"]), 4),
            "final_loss": round(pyg["loss"][-1], 6),
        },
    )
    speedup = pyg_s["s_per_epoch"] / ours_s["s_per_epoch"] if ours_s["s_per_epoch"] > 0 else math.inf
    import torch_geometric

    d = prep.data
    result = {
        "device": torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu",
        "epochs": epochs,
        "settings": {
            "data": str(src),
            "max_users": max_users,
            "users": d.n_users,
            "items": d.n_items,
            "fit_pairs": int(len(prep.fit_user)),
            "test_rows": int(len(d.test_user)),
            "batch_size": batch_size,
            "batches_per_epoch": pyg["batches_per_epoch"],
            "lr": lr,
            "l2": l2,
            "dim": dim,
            "layers": layers,
            "optimizer": "Adam",
            "seed": seed,
            "negatives": "uniform, non-positive, our NegativeSampler on the device, seeded alike: the same triples on both sides",
            "split": "train.txt+valid.txt less the trainer's 10% validation carve-out for training; test.txt, "
            "full ranking, all train.txt+valid.txt items masked",
            "l2_form": "ours: l2*0.5*sum of squared ego rows of the batch (repeats counted)/batch; "
            "pyg: l2*||ego rows of the unique batch nodes||^2/batch",
            "init": "both N(0, 0.1), the paper's (PyG's default xavier_uniform replaced)",
            "loop": "both sum the loss on the device (one host sync per epoch)",
            "timing": "median training seconds per epoch (evaluation excluded), CUDA-synchronised",
            "threads": torch.get_num_threads(),
            "torch": torch.__version__,
            "torch_geometric": torch_geometric.__version__,
        },
        "ours": ours_s,
        "pyg": pyg_s,
        "speedup_per_epoch": round(speedup, 3),
    }
    result["target_met"] = bool(
        speedup >= TARGET_SPEEDUP and ours_s["recall@20"] >= pyg_s["recall@20"] - RECALL_TOLERANCE
    )
    log(
        f"gowalla vs pyg: ours {ours_s['s_per_epoch']}s/epoch R@20 {ours_s['recall@20']:.4f}, "
        f"pyg {pyg_s['s_per_epoch']}s/epoch R@20 {pyg_s['recall@20']:.4f}, speedup {speedup:.2f}x "
        f"(target >= {TARGET_SPEEDUP}x at equal Recall@20: {'met' if result['target_met'] else 'NOT met'})"
    )
    return result


def bench_section(args, root: Path, progress=None) -> dict:
    """The bench's `gowalla_vs_pyg` value: the comparison, or {"skipped": why}."""
    import torch

    from ..config import default_datasets_dir

    mode = args.compare_device
    if mode == "off":
        return {"skipped": "--compare-device off"}
    if mode in ("auto", "cuda"):
        if not torch.cuda.is_available():
            return {"skipped": NO_GPU}
        device = "cuda"
    else:
        device = "cpu"
    if not pyg_available():
        return {"skipped": PYG_MISSING}
    data_dir = (
        args.compare_data_dir
        or (args.data_dir if args.only_compare else None)
        or str(default_datasets_dir() / "gowalla")
    )
    if not (Path(data_dir) / "train.txt").is_file():
        return {"skipped": f"no gowalla train.txt in {data_dir} (--compare-data-dir)"}
    d = BENCH_DEFAULTS["lightgcn"]
    return compare_gowalla(
        data_dir,
        Path(root) / "gowalla-vs-pyg",
        device=device,
        epochs=args.compare_epochs,
        batch_size=args.batch_size or d["batch_size"],
        lr=args.lr or d["lr"],
        seed=args.seed,
        threads=args.threads,
        max_users=args.compare_max_users,
        progress=progress,
    )
