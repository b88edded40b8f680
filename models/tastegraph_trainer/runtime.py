"""Seeds, the device, and honest clocks on it."""

from __future__ import annotations

import random

import numpy as np
import torch


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
