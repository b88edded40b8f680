"""A training run's checkpoint (`--checkpoint-every N`, `--resume`): everything `Trainer.fit` needs to go on
where it stopped, in `<out>/checkpoint.pt`. A resumed run draws the same batches as an uninterrupted one
(the sampler's and the global random states are saved too), so it ends with the same model, for every
model whose randomness is the sampler's and torch's (MF, LightGCN, NGCF, SocialGCN without --sbpr)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import torch

from .config import ConfigError, TrainConfig

CHECKPOINT = "checkpoint.pt"
# settings a resumed run may change: budgets, stopping, and what happens after training
FREE = frozenset(
    {
        "out",
        "data_dir",
        "device",
        "threads",
        "epochs",
        "max_minutes",
        "patience",
        "checkpoint_every",
        "resume",
        "export",
        "eval_batch",
        "friends_beta",
        "refit_epochs",
        "refit_lr",
    }
)


def path_for(cfg: TrainConfig) -> Path:
    return Path(cfg.out) / CHECKPOINT


def save(path: Path, state: dict) -> float:
    """Written to a temporary file and renamed: a run killed while writing keeps the previous checkpoint.
    Returns the seconds it took."""
    t0 = time.perf_counter()
    tmp = path.with_name(path.name + ".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)
    return time.perf_counter() - t0


def load(path: Path, cfg: TrainConfig, device: torch.device) -> dict:
    """The checkpoint, on the CPU; ConfigError when it was written by a run with other settings or on another
    kind of device (the sampler's random state is per device type)."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=False)
    except Exception as err:  # a truncated or foreign file
        raise ConfigError(f"--resume: {path} cannot be read ({err})") from err
    saved, now = state.get("config", {}), cfg.to_dict()
    diff = [k for k in sorted(now) if k not in FREE and saved.get(k) != now[k]]
    if diff:
        changes = ", ".join(f"{k} {saved.get(k)!r} -> {now[k]!r}" for k in diff)
        raise ConfigError(f"--resume: {path} was written with other settings ({changes})")
    if state.get("device_type") != device.type:
        raise ConfigError(f"--resume: {path} was written on {state.get('device_type')}, this run is on {device.type}")
    return state
