"""A training run's checkpoint (`--checkpoint-every N`, `--resume`): everything `Trainer.fit` needs to go on
where it stopped, in `<out>/checkpoint.pt`. A resumed run draws the same batches as an uninterrupted one
(the sampler's and the global random states are saved too), so it ends with the same model, for every
model whose randomness is the sampler's and torch's (MF, LightGCN, NGCF, SocialGCN without --sbpr).

A checkpoint holds only tensors and plain Python values, and is read with `torch.load(weights_only=True)`: a
file that carries any other pickled object is refused instead of run (unpickling can execute code)."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import numpy as np
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


def rng_states(sampler_gen: torch.Generator) -> dict:
    """The sampler's, torch's, NumPy's and Python's random states, as tensors and plain values."""
    name, keys, pos, has_gauss, cached = np.random.get_state()
    version, internal, gauss_next = random.getstate()
    return {
        "sampler_rng": sampler_gen.get_state(),
        "torch_rng": torch.get_rng_state(),
        "numpy_rng": {
            "name": str(name),
            "keys": torch.from_numpy(np.asarray(keys, dtype=np.int64)),
            "pos": int(pos),
            "has_gauss": int(has_gauss),
            "cached_gaussian": float(cached),
        },
        "python_rng": [int(version), [int(x) for x in internal], gauss_next],
    }


def restore_rng(state: dict, sampler_gen: torch.Generator) -> None:
    sampler_gen.set_state(state["sampler_rng"])
    torch.set_rng_state(state["torch_rng"])
    n = state["numpy_rng"]
    np.random.set_state(
        (n["name"], n["keys"].numpy().astype(np.uint32), n["pos"], n["has_gauss"], n["cached_gaussian"])
    )
    version, internal, gauss_next = state["python_rng"]
    random.setstate((version, tuple(internal), gauss_next))


def _plain(value):
    """NumPy scalars and arrays (metrics, history) as Python numbers and tensors, so weights_only loads them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return torch.from_numpy(value.copy())
    return value


def save(path: Path, state: dict) -> float:
    """Written to a temporary file and renamed: a run killed while writing keeps the previous checkpoint.
    Returns the seconds it took."""
    t0 = time.perf_counter()
    tmp = path.with_name(path.name + ".tmp")
    torch.save(_plain(state), tmp)
    os.replace(tmp, path)
    return time.perf_counter() - t0


def load(path: Path, cfg: TrainConfig, device: torch.device) -> dict:
    """The checkpoint, on the CPU; ConfigError when it was written by a run with other settings or on another
    kind of device (the sampler's random state is per device type)."""
    try:
        # weights_only: tensors and plain values only; a pickled object of any other type is refused, not run
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # a truncated or foreign file, or one carrying other objects
        raise ConfigError(f"--resume: {path} cannot be read ({err})") from err
    saved, now = state.get("config", {}), cfg.to_dict()
    diff = [k for k in sorted(now) if k not in FREE and saved.get(k) != now[k]]
    if diff:
        changes = ", ".join(f"{k} {saved.get(k)!r} -> {now[k]!r}" for k in diff)
        raise ConfigError(f"--resume: {path} was written with other settings ({changes})")
    if state.get("device_type") != device.type:
        raise ConfigError(f"--resume: {path} was written on {state.get('device_type')}, this run is on {device.type}")
    return state
