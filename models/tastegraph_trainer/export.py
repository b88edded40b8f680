"""Artifacts written into the run folder, each announced by an `artifact` event with its sha256."""

from __future__ import annotations

import io
import json
import shutil
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .events import EventWriter

ONNX_OPSET = 17


class Scorer(nn.Module):
    """user_emb float32[B, D] -> scores float32[B, I]; the item embeddings are baked in."""

    def __init__(self, item_vectors: torch.Tensor):
        super().__init__()
        self.register_buffer("item_vectors_t", item_vectors.detach().float().cpu().T.contiguous().clone())

    def forward(self, user_emb: torch.Tensor) -> torch.Tensor:
        return user_emb @ self.item_vectors_t


def _onnx_export(module: nn.Module, args: tuple, path: Path, input_names, output_names, dynamic_axes) -> None:
    module = module.cpu().eval()
    kwargs = dict(
        input_names=input_names,
        output_names=output_names,
        dynamic_axes=dynamic_axes,
        opset_version=ONNX_OPSET,
        do_constant_folding=True,
    )
    buf = io.BytesIO()  # written once, by _weights_beside, with its weights beside it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:  # the TorchScript ("legacy") exporter keeps the graph simple for onnxruntime-node
            torch.onnx.export(module, args, buf, dynamo=False, **kwargs)
        except TypeError:  # torch < 2.5 has no `dynamo` argument and only the legacy exporter
            torch.onnx.export(module, args, buf, **kwargs)
    _weights_beside(buf.getvalue(), path)


def weights_file(path: Path) -> Path:
    """Where an exported model's weights are: `<name>.data` beside it."""
    return path.with_name(path.name + ".data")


def _weights_beside(model_bytes: bytes, path: Path) -> None:
    """Saves the serialized model at `path` with every initializer in weights_file(path) (ONNX external data).

    onnxruntime maps that file instead of parsing and copying the weights out of the model: at a million
    items a session is created in milliseconds instead of half a second of the serving thread
    (docs/decisions/0040-onnx-weights-mapped.md). The model names the file relative to itself, so the pair
    moves together.
    """
    import onnx

    model = onnx.load_model_from_string(model_bytes)
    data = weights_file(path)
    data.unlink(missing_ok=True)  # onnx appends to an existing file
    onnx.save_model(
        model, str(path), save_as_external_data=True, all_tensors_to_one_file=True, location=data.name, size_threshold=0
    )
    if data.exists():
        shutil.copymode(path, data)  # onnx creates it 0600; the model's own mode, like every other artefact


def export_scorer(item_vectors: torch.Tensor, path: Path) -> None:
    d = item_vectors.shape[1]
    _onnx_export(
        Scorer(item_vectors),
        (torch.zeros(2, d),),
        path,
        ["user_emb"],
        ["scores"],
        {"user_emb": {0: "B"}, "scores": {0: "B"}},
    )


def export_encoder(encoder: nn.Module, path: Path) -> None:
    import copy

    enc = copy.deepcopy(encoder).cpu().eval()
    # the fold-in encoder has item and user tables; the inductive ones (zoo/) say their sizes
    n_items = getattr(enc, "n_items", None) or enc.item_vectors.shape[0]
    n_users = getattr(enc, "n_users", None) or enc.user_vectors.shape[0]
    args = (
        torch.zeros(2, 3, dtype=torch.long).clamp_max(n_items - 1),
        torch.ones(2, 3),
        torch.ones(2, 3),
        torch.zeros(2, 2, dtype=torch.long).clamp_max(max(n_users - 1, 0)),
        torch.ones(2, 2),
    )
    names = ["item_idx", "item_w", "item_mask", "friend_idx", "friend_mask"]
    axes = {
        "item_idx": {0: "B", 1: "K"},
        "item_w": {0: "B", 1: "K"},
        "item_mask": {0: "B", 1: "K"},
        "friend_idx": {0: "B", 1: "F"},
        "friend_mask": {0: "B", 1: "F"},
        "user_emb": {0: "B"},
    }
    _onnx_export(enc, args, path, names, ["user_emb"], axes)


def save_npy(array: np.ndarray, path: Path) -> None:
    arr = np.ascontiguousarray(array, dtype="<f4")
    with open(path, "wb") as f:
        np.lib.format.write_array(f, arr, version=(1, 0), allow_pickle=False)


def write_users_tsv(path: Path, ids: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("index\tid\n")
        for i, uid in enumerate(ids):
            f.write(f"{i}\t{uid}\n")


def write_items_tsv(path: Path, ids: list[str], hidden: np.ndarray | None, tags: list[str] | None) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("index\tid\thidden\ttags\n")
        for i, iid in enumerate(ids):
            h = int(bool(hidden[i])) if hidden is not None else 0
            t = tags[i] if tags is not None else ""
            f.write(f"{i}\t{iid}\t{h}\t{t}\n")


def write_attention_csv(
    path: Path, ids: list[str], src: np.ndarray, dst: np.ndarray, attention: np.ndarray, keep: np.ndarray
) -> None:
    """One row per directed edge: how much user a listens to friend b (a's row sums to 1)."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("a_id,b_id,attention,kept\n")
        for s, d, a, k in zip(src.tolist(), dst.tolist(), attention.tolist(), keep.tolist()):
            f.write(f"{_csv(ids[s])},{_csv(ids[d])},{a:.6g},{int(k)}\n")


def _csv(value: str) -> str:
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def plot_curve(path: Path, history: list[dict], title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax1 = plt.subplots(figsize=(7, 4), dpi=100)
    if history:
        ep = [h["epoch"] for h in history]
        ax1.plot(ep, [h["loss"] for h in history], color="tab:blue", label="training loss")
        ax1.set_xlabel("epoch")
        ax1.set_ylabel("loss", color="tab:blue")
        ax2 = ax1.twinx()
        ev = [(h["epoch"], h["val"]["recall@20"]) for h in history if h.get("val")]
        if ev:
            ax2.plot(
                [e for e, _ in ev], [r for _, r in ev], color="tab:orange", marker=".", label="validation Recall@20"
            )
        ax2.set_ylabel("validation Recall@20", color="tab:orange")
        refit = [h["epoch"] for h in history if h.get("phase") == "refit"]
        if refit:  # --refit-epochs: from the selected epoch on, over every training pair
            ax1.axvline(refit[0] - 0.5, color="grey", linestyle="--", linewidth=1)
            ax1.text(refit[0], ax1.get_ylim()[1], " refit on all", va="top", fontsize=8, color="grey")
    else:
        ax1.text(0.5, 0.5, "no training (MostPop)", ha="center", va="center")
    ax1.set_title(title)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _write_json(path: Path, obj) -> None:
    path.write_text(
        json.dumps(obj, indent=2, allow_nan=False, default=lambda x: x.item() if hasattr(x, "item") else str(x)) + "\n"
    )


def export_all(
    out: Path,
    cfg,
    data,
    prep,
    model,
    user_vecs,
    item_vecs,
    encoder,
    metrics,
    history,
    attention,
    keep_mask,
    events: EventWriter,
) -> None:
    files: list[tuple[Path, str]] = []

    def add(name: str, kind: str) -> Path:
        p = out / name
        files.append((p, kind))
        return p

    u = user_vecs.detach().float().cpu()
    it = item_vecs.detach().float().cpu()
    export_scorer(it, add("scorer.onnx", "onnx-scorer"))
    export_encoder(encoder, add("encoder.onnx", "onnx-encoder"))
    for name in ("scorer.onnx", "encoder.onnx"):
        if weights_file(out / name).exists():  # a model with no weights has none
            add(weights_file(out / name).name, "onnx-weights")
    save_npy(u.numpy(), add("user_embeddings.npy", "user-embeddings"))
    save_npy(it.numpy(), add("item_embeddings.npy", "item-embeddings"))
    write_users_tsv(add("users.tsv", "users"), data.user_ids)
    write_items_tsv(add("items.tsv", "items"), data.item_ids, data.item_hidden, data.item_tags)
    if attention is not None:
        src, dst = model.friend_edges()
        write_attention_csv(
            add("attention.csv", "attention"), data.user_ids, src.cpu().numpy(), dst.cpu().numpy(), attention, keep_mask
        )
    plot_curve(add("curve.png", "curve"), history, f"{cfg.model} on {data.name}")
    _write_json(add("history.json", "history"), history)
    _write_json(add("config.json", "config"), cfg.to_dict())
    _write_json(add("metrics.json", "metrics"), metrics)
    for p, kind in files:
        events.artifact(p, kind)
